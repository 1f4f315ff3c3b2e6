"""Documents with a fixed name and no number ("Điều lệ Đảng", "Hiến chương"): laws.yaml, fixed_names."""

from __future__ import annotations

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, in_spans
from kg.extract.find.registry import State, finder_pass


@finder_pass("fixed", 50)
def fixed_names(r: Reader, state: State) -> None:
    """Each fixed name, with the type and issuer its table row gives."""
    F = r.F
    if not any(t in F for t in P.fixed_titles()):
        return
    frx, frows = P.fixed_names()
    for m in frx.finditer(F):
        s = m.start()
        if s < r.ctx.header_end or in_spans(state.taken, s):
            continue
        row = frows[m.group(0).lower()]
        c = r.make(s, m.end(), identifier=None, title=row["title"], doc_type=row.get("doc_type"), number=None,
                   year=None, symbol=None, date=None, issuer=row.get("issuer"), subject=None,
                   pinpoints=r.pin_before(s), relation=r.relation(s), cited_by=None, kind="named")
        state.named.append(Found(c, s, m.end(), m.end(), True))
