"""`kg check`: review a draft before it is signed, the way a legal officer does by hand.

Four families of rules (``kg/check/rules/``, one module each) run over the citations the extractor found:

1. form: a number/symbol that fits no grammar for its type and body, a type word or an issuer
   phrase that contradicts the symbol;
2. dates: impossible dates, a number's year against its date, a cited document dated after the
   citing one, one document cited with two dates;
3. validity: a cited document that a registry table or the built graph marks as replaced,
   repealed or expired as of the citing document's date (the providers of ``kg/check/facts.py``);
4. legal basis: in a normative document, a "Căn cứ" that is not normative or has lower force.

Every finding carries a rule id, a severity, the place (line, column), the quoted text and a
one-line explanation in Vietnamese or English.

Modules, each with one job (none imports a module that imports it back):

* ``tables``: ``data/*.yaml`` -> the ``Tables`` record (codes, ranks, the words the rules read);
* ``rule``: the registry: ``Rule``, ``Hit``, the ``@rule`` decorator, ``RULES``;
* ``doc``: ``Doc``, the document as the rules see it (each citation read again once);
* ``bodies``: issuer families, body names, the body and province in an issuer name;
* ``force``: legal force: ``is_normative``, ``rank_of``, ``symbol_rank`` (rules and graph facts);
* ``rules/``: ``form``, ``dates``, ``validity``, ``basis``: the rules, one family per module;
* ``facts``: validity facts (``Status``, ``CitedRef``) and providers (``Registry`` ...);
* ``registry``: CSV tables -> a ``Registry`` (``load_registry``); ``angiang``: the An Giang sheet;
  ``graph_facts``: the built graph -> a ``Registry`` (``graph_registry``);
* this module: ``Finding``, ``check_document``, ``check_text``: running the rules.

Symbols are parsed by ``kg.grammar.symbols``, issuer levels decided by ``kg.resolve.issuers`` and
unit words read from ``kg.grammar.units()``; ``kg check`` does none of these itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Iterable

from kg.check.doc import Doc
from kg.check.facts import CitedRef, FunctionProvider, Providers, Registry, Status, ValidityProvider, from_function
from kg.check.graph_facts import graph_registry
from kg.check.registry import load_registry
from kg.check.rule import RULES, SEVERITIES, Rule
import kg.check.rules  # noqa: F401,E402  (registers the rules)
from kg.models import Document

__all__ = ["Finding", "check_document", "check_text", "RULES", "SEVERITIES", "Rule", "Status", "CitedRef",
           "Registry", "Providers", "FunctionProvider", "ValidityProvider", "from_function", "load_registry",
           "graph_registry",
           "at_or_above"]

_ORDER = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info 0, warning 1, error 2


@dataclass
class Finding:
    rule: str
    severity: str
    file: str
    line: int
    column: int
    text: str  # the quoted text, whitespace collapsed
    message: str
    start: int  # offsets into the document text
    end: int
    reference: str | None = None  # the legal source the rule rests on
    identifier: str | None = None  # the số hiệu concerned, when there is one

    def to_dict(self) -> dict:
        return asdict(self)


def at_or_above(severity: str, threshold: str) -> bool:
    return _ORDER[severity] >= _ORDER[threshold]


def check_document(doc: Document, provider: ValidityProvider | None = None, lang: str = "vi",
                   rules: Iterable[str] | None = None, today: date | None = None) -> list[Finding]:
    """All findings for one extracted document, in text order."""
    d = Doc(doc, provider, today)
    wanted = list(rules) if rules is not None else list(RULES)
    out: list[Finding] = []
    for rid in wanted:
        r = RULES[rid]
        for h in r.fn(d):
            line, col = d.line_col(h.start)
            ref = r.reference[1 if lang == "en" else 0] if r.reference else None
            out.append(Finding(
                rule=r.id, severity=h.severity or r.severity, file=doc.source, line=line, column=col,
                text=" ".join(doc.text[h.start:h.end].split()), message=r.message(h.variant, lang, h.params),
                start=h.start, end=h.end, reference=ref,
                identifier=h.citation.identifier if h.citation is not None else None))
    out.sort(key=lambda f: (f.start, f.rule))
    return out


def check_text(text: str, source: str = "<text>", provider: ValidityProvider | None = None, lang: str = "vi",
               rules: Iterable[str] | None = None, today: date | None = None) -> list[Finding]:
    """Check a text directly (tests, the annotated view): header and citations are extracted first."""
    from kg.extract import extract_citations

    return check_document(extract_citations(text, source), provider, lang, rules, today)
