"""Legal force: is a document normative, and how strong is it (its rank)?

Both the legal-basis rules (a basis of lower force) and the graph's validity facts (a decree does
not repeal a law) ask these questions, so they live apart from either. The answers come from
``legal_basis.yaml`` (ranks, normative types) and the issuer level of ``kg.resolve.issuers``.
"""

from __future__ import annotations

from kg.check.bodies import body_of, class_of
from kg.check.tables import issuer_class, tables
from kg.grammar import grammar
from kg.grammar.symbols import code_type, parse_symbol
from kg.models import Form, Symbol
from kg.resolve.issuers import level_of


def _level(issuer_name: str | None) -> str:
    """Level of a local body (a council or committee: never central, even without its place)."""
    lvl = level_of(issuer_name)
    return lvl if lvl in ("district", "commune") else "province"


def _class(sym: Symbol | None, issuer_name: str | None) -> str | None:
    """The issuer class of a document: from its symbol's issuer code, else from the named body."""
    cls = issuer_class(sym.issuer) if sym and sym.issuer else None
    if cls is None and issuer_name:
        i = body_of(issuer_name)
        if i is not None:
            cls = class_of(i)
            if cls is None and tables().families.get(i.name) == "committee":
                cls = "committee"  # Chủ tịch UBND signs for the committee
    return "council" if cls == "council_standing" else cls


def rank_of(doc_type: str | None, sym: Symbol | None, issuer_name: str | None) -> int | None:
    """Legal force of a normative document (lower = stronger), from the rank table; None if unknown."""
    if not doc_type:
        return None
    cls = _class(sym, issuer_name)
    level = _level(issuer_name) if cls in ("council", "committee") else None
    for row in tables().ranks:
        if row["type"] != doc_type:
            continue
        if "issuer" in row and row["issuer"] != cls:
            continue
        if "level" in row and row["level"] != level:
            continue
        return int(row["rank"])
    return None


def symbol_rank(identifier: str | None) -> int | None:
    """Legal force read from a number alone ("58/2014/QH13" is a law or a resolution of the
    National Assembly: rank 1); None when the number does not tell."""
    sym = parse_symbol(identifier)
    if sym is None:
        return None
    dt = code_type(sym)
    if dt is None:
        return tables().term_ranks.get(issuer_class(sym.issuer) or "")
    if not is_normative(dt.name, sym):
        return None
    return rank_of(dt.name, sym, None)


def is_normative(doc_type: str | None, sym: Symbol | None) -> bool | None:
    """True/False when the type and number say so; None when they cannot tell (old numbers)."""
    t = tables()
    if not doc_type:
        return None
    if doc_type in t.always_normative:
        return True
    if doc_type in t.normative_with_year:
        if sym is None:
            return None
        if sym.form is Form.NORMATIVE:
            return True
        if sym.form is Form.OLD:
            return None
        return False
    dt = grammar().doc_type(doc_type)
    if dt is not None and not dt.normative:
        return False
    return None
