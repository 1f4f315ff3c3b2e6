"""Issuing bodies as the check compares them: families of bodies that share a code, a body's
name from its code, the body and the province in a canonical issuer name.

Codes are resolved by the grammar (``kg.grammar``) and places by ``kg.resolve.issuers``; this
module only groups what they return the way the form and basis rules compare it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.check.tables import issuer_class, strip_term, tables
from kg.grammar import Issuer, code_key, grammar, units
from kg.ingest.normalize import fold_key


def issuer_family(i: Issuer | None) -> str | None:
    """Bodies that legitimately share one code count as one family: Chủ tịch UBND signs "QĐ-UBND",
    Bộ Chính trị and Ban Bí thư sign ".../TW"; each ministry is its own family."""
    if i is None:
        return None
    n = i.name
    if n in tables().families:
        return tables().families[n]
    if i.level == "party" or i.party_body:
        return "party"
    if i.department:
        return "department:" + n
    cls = class_of(i)
    if cls in ("ministry", None):
        return "body:" + n
    return cls


def class_of(i: Issuer) -> str | None:
    """The issuer class of the first of a body's codes that has one."""
    return next((issuer_class(c) for c in i.codes if issuer_class(c)), None)


def code_family(code: str | None) -> str | None:
    """The family of the body a symbol's issuer code names; None for unknown or weak codes."""
    if not code:
        return None
    i = grammar().issuer_by_code.get(strip_term(code_key(code)))
    if i is None or i.weak:
        return None
    return issuer_family(i)


def body_name(code: str) -> str:
    """The name of the body a code stands for, or the code itself when the grammar does not know it."""
    i = grammar().issuer_by_code.get(strip_term(code_key(code)))
    return i.name if i else code


@lru_cache(maxsize=1)
def _unit_split() -> re.Pattern[str]:
    # the unit words are the grammar's (kg/grammar/data/agencies.yaml), as written in canonical names
    return re.compile(rf"\s+(?:{units().alternation()})\s")


def body_of(issuer_name: str) -> Issuer | None:
    """The body of a canonical issuer name without its place ("Ủy ban nhân dân tỉnh Tây Ninh" ->
    Ủy ban nhân dân), as the grammar lists it."""
    return grammar().issuer_by_phrase.get(fold_key(_unit_split().split(issuer_name)[0]))


def place_in(text: str | None) -> str | None:
    """The province a text names (an issuer, a table cell), if any."""
    from kg.resolve.issuers import find_place

    p = find_place(text or "")
    return p.name if p else None
