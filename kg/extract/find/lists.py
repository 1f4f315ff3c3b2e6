"""List sharing: in a list of numbered citations, the type word flows forward and the date and
issuer backward ("các Quyết định số 01/QĐ-UBND và 02/QĐ-UBND ngày 07/01/2023 của ...")."""

from __future__ import annotations

import re

from kg.extract.find.readers import Reader
from kg.extract.find.registry import State, finder_pass

_LIST_GAP = re.compile(r"[\s,;]*(?:và|hoặc|,)?[\s,]*\Z", re.IGNORECASE)


@finder_pass("lists", 20)
def share_list_fields(r: Reader, state: State) -> None:
    """One type, date and issuer for the numbered citations of one list."""
    found, F = state.numbered, r.F
    for a, b in zip(found, found[1:]):  # type flows forward
        if not b.typed and a.typed and _LIST_GAP.match(F, a.head_end, b.fstart):
            b.c.doc_type = a.c.doc_type
            b.typed = True
    for a, b in reversed(list(zip(found, found[1:]))):  # date and issuer flow backward
        if a.text_date or a.text_issuer or a.subject_span:
            continue
        if not _LIST_GAP.match(F, a.head_end, b.fstart):
            continue
        if b.text_date:
            a.c.date, a.text_date = b.c.date, True
            if a.c.year is None and a.c.symbol and "/" not in a.c.symbol:
                a.c.year = int(b.c.date[:4]) if b.c.date else None
        if b.text_issuer:
            a.c.issuer, a.text_issuer = b.c.issuer, True
