"""Nesting: a citation inside another's subject is cited by it ("Quyết định số 12 ... về việc
bãi bỏ Quyết định số 05 ...")."""

from __future__ import annotations

import bisect

from kg.extract.find.readers import Reader
from kg.extract.find.registry import State, finder_pass


@finder_pass("nesting", 90)
def nest(r: Reader, state: State) -> None:
    """cited_by: the innermost citation whose subject holds this one (subjects nest, never cross)."""
    found = state.in_order()
    holders = sorted((x for x in found if x.subject_span), key=lambda h: h.subject_span[0])
    starts = [h.subject_span[0] for h in holders]
    for x in found:
        k = bisect.bisect_right(starts, x.fstart) - 1
        while k >= 0:
            h = holders[k]
            a, b = h.subject_span
            if h is not x and a <= x.fstart < b:
                x.c.cited_by = h.c.identifier or h.c.title
                break
            if x.fstart - a > 800:  # subjects are at most 700 characters long
                break
            k -= 1
