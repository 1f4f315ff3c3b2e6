"""Party conferences cited by name: "Nghị quyết Hội nghị Trung ương 6 khóa IX"."""

from __future__ import annotations

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, clean, in_spans
from kg.extract.find.registry import State, finder_pass


def _conferences(F: str):
    """Anchored on the rare "khóa N", read backwards."""
    for k in P.KHOA_N.finditer(F):
        m = P.PARTY_CONF.search(F, max(0, k.start() - 160), k.end())
        if m is not None and m.end() == k.end():
            yield m


@finder_pass("party", 40)
def party_conferences(r: Reader, state: State) -> None:
    """Resolutions of a Central Committee conference, with the subject after them."""
    for m in _conferences(r.F):
        s = m.start()
        if in_spans(state.taken, s):
            continue
        subject, sspan = r.subject(m.end())
        c = r.make(s, m.end(), identifier=None, title=clean(m.group(0)), doc_type="Nghị quyết", number=None,
                   year=None, symbol=None, date=None, issuer="Ban Chấp hành Trung ương Đảng", subject=subject,
                   pinpoints=[], relation=r.relation(s), cited_by=None, kind="named")
        state.named.append(Found(c, s, m.end(), m.end(), True, subject_span=sspan))
