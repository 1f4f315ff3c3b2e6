"""The rules of `kg check`, one module per family; importing the package registers them all.

Each rule is a plain function over one extracted document (``kg.check.doc.Doc``) that yields
``Hit``s, registered with ``@rule`` (``kg.check.rule``). Tables live in ``kg/check/data/*.yaml``
with their sources; the functions hold only the reading of the text.

Precision comes first: a checker that cries wolf is switched off. So every rule fires only on
what the text itself says (a date written in the citation, a type word written before the
number) and stays silent when the grammar does not know a code or a body.

The families register in this order (``RULES`` and ``kg check --list-rules`` follow it): ``form``,
``dates``, ``validity``, ``basis``. The old flat names (``Doc``, ``near_miss``, ``is_normative`` ...)
are re-exported for callers of the former single module.
"""

from __future__ import annotations

from kg.check.rules import form, dates, validity, basis  # noqa: F401  (registers the rules, in order)
from kg.check.doc import Cite, Doc, Written, valid_date
from kg.check.force import is_normative, rank_of, symbol_rank
from kg.check.rule import RULES, SEVERITIES, Hit, Rule, rule
from kg.check.rules.form import near_miss
from kg.check.tables import Tables, issuer_class, tables

__all__ = ["RULES", "SEVERITIES", "Rule", "Hit", "rule", "Doc", "Cite", "Written", "valid_date", "near_miss",
           "is_normative", "rank_of", "symbol_rank", "Tables", "tables", "issuer_class"]
