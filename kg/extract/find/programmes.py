"""Named programmes, plans and strategies an operative verb points to: "triển khai Chương trình
hành động ... của Ban Thường vụ Tỉnh ủy" (cues.yaml: named_types, named_verbs)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, clean, in_spans
from kg.extract.find.registry import State, finder_pass
from kg.grammar import grammar
from kg.ingest.normalize import fold_key
from kg.resolve.issuers import issuer_at

_QUOTE_END = re.compile(r"[”\"]")
_OF = re.compile(r"\bcủa\s+")
_RECURRING = re.compile(r"\s(?:(?:hàng|hằng)\s+năm|(?:ở\s+)?các\s+cấp)\Z", re.IGNORECASE)
_QUOTES = re.compile(r"[“”\"]")


@lru_cache(maxsize=1)
def _not_title() -> frozenset[str]:
    return frozenset(fold_key(w) for w in grammar().cues["named_not_title"])


def _of_a_body(r: Reader, title: str) -> bool:
    """ "Kế hoạch của Ủy ban nhân dân tỉnh về ...": a title may open with "của" and its issuer."""
    mi = _OF.search(title)
    return bool(mi) and issuer_at(title, mi.end(), len(title), r.ctx.jurisdiction) is not None


def _words(title: str) -> str:
    return " ".join(fold_key(_QUOTES.sub("", title)).replace(",", " ").split())


_ISSUES = re.compile(r"\bban\s+hành\s+", re.IGNORECASE)


def _is_own(title: str, tname: str, own: str | None) -> bool:
    """The document itself, or the one a decision issues with it ("Quyết định ban hành Kế hoạch
    triển khai thực hiện Đề án “Nâng cao nhận thức ...”"): the same first words, or the same type
    and the named words (five or more) standing inside its title."""
    if not own:
        return False
    owns = [own] + [own[m.end():] for m in _ISSUES.finditer(own)]
    t = _words(title)
    for o in map(_words, owns):
        if t.split()[:5] == o.split()[:5]:
            return True
        ty = _words(tname)
        rest = t[len(ty):].strip()
        if o.startswith(ty + " ") and len(rest.split()) >= 5 and rest in o[len(ty):]:
            return True
    return False


def _programme(r: Reader, m: re.Match[str], numbered: list[Found]) -> Found | None:
    """The programme named at m, or None when the words after the type word are no title."""
    F, s = r.F, m.start("type")
    quoted = F[s - 1] in "“\""
    e = (_QUOTE_END if quoted else P.SUBJECT_END).search(F, s, min(len(F), s + 260))
    if e is None:
        return None
    end = e.start()
    title = _QUOTES.sub("", clean(F[s:end])).rstrip(" .,;:/")  # 'Đề án “Nâng cao ...”': the words, not the marks
    after = title[len(clean(m["type"])):].split()
    if _RECURRING.search(title):
        return None  # "Kế hoạch bồi dưỡng ... hàng năm", "Kế hoạch ... ở các cấp": a kind of plan, not one
    if len(title.split()) < 4 or not after or after[0][0] in "(" or fold_key(after[0].strip(",.;:")) in _not_title():
        return None  # "Kế hoạch (năm 2030)": a period, not a title
    if fold_key(after[0]) == "của" and not _of_a_body(r, title):
        return None  # "Đề án của địa phương mình", "Chương trình của các cơ quan ...": no body, no title
    if _is_own(title, clean(m["type"]), r.ctx.own_title):
        return None  # "Kinh phí thực hiện Kế hoạch quan trắc ... năm 2026": the plan itself
    inner = next((x for x in numbered if s <= x.fstart < end), None)
    if inner is not None and not P.subject_link_re().search(F, s, inner.fstart):
        return None  # the "title" is a numbered citation's context ("Chương trình số 27-CTr/TU ...")
    # else the numbered one stands in the named one's subject ("Chương trình hành động ... về
    # thực hiện Nghị quyết số 21-NQ/TW"): both are cited
    issuer = None
    mi = _OF.search(title)
    if mi:
        got = issuer_at(title, mi.end(), len(title), r.ctx.jurisdiction)
        issuer = got[0] if got else None
    c = r.make(s, end, identifier=None, title=title, doc_type=clean(m["type"]).capitalize(), number=None,
               year=None, symbol=None, date=None, issuer=issuer, subject=None, pinpoints=[],
               relation=r.relation(s), cited_by=None, kind="named")
    return Found(c, s, end, end, True)


_AND_BEFORE = re.compile(r"\s*(?:,|và)\s*\Z")


def _after_listed(F: str, s: int, ends: list[int]) -> bool:
    """ "thực hiện Nghị quyết số 71/NQ-CP ngày ... của Chính phủ và Kế hoạch hành động của ...": the
    next object of a list of cited documents, right after a numbered one."""
    m = _AND_BEFORE.search(F, max(0, s - 8), s)
    if m is None:
        return False
    k = bisect.bisect_right(ends, s)
    return k > 0 and ends[k - 1] >= m.start() - 1


@finder_pass("programmes", 60)
def programmes(r: Reader, state: State) -> None:
    """Named documents without a number, after a verb that implements or follows them."""
    F, ctx = r.F, r.ctx
    named = sorted((x.fstart, x.fend) for x in state.named)
    verb_before = P.verb_before_re()
    ends = sorted(x.fend for x in state.numbered)
    for m in P.named_re().finditer(F):
        s = m.start("type")
        if not P.starts_clean(F, s) or s < ctx.header_end or in_spans(state.taken, s) or in_spans(named, s):
            continue
        listed = False
        if not verb_before.search(F, max(0, s - 45), s):
            if not _after_listed(F, s, ends):
                continue
            listed = True
        x = _programme(r, m, state.numbered)
        if x is not None and listed and fold_key(x.c.title.split()[len(m["type"].split())]) == "của":
            continue  # only a named plan continues a list: "… và Kế hoạch hành động của …", not "và Kế hoạch của …"
        if x is not None:
            state.named.append(x)
