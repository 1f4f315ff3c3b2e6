"""Laws, codes, ordinances and the Constitution cited by name ("Luật Tổ chức chính quyền địa
phương", "Bộ luật Lao động năm 2019"); a name followed by its số hiệu gives its title to that
numbered citation instead."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, clean, date_at, in_spans
from kg.extract.find.registry import State, finder_pass
from kg.grammar import grammar
from kg.ingest.normalize import fold_key

_NUMBER_GAP = re.compile(rf"{P.WS}(?:,{P.WS})?(?:(?:số|sô){P.WS}:?{P.WS})?\Z", re.IGNORECASE)
_NUMBER_NEXT = re.compile(rf"{P.WS}(?:(?:số|sô){P.WS}:?{P.WS})?\Z", re.IGNORECASE)
_AMENDING = re.compile(rf"\s+sửa{P.WS}đổi,?{P.WS}bổ{P.WS}sung(?:{P.WS}một{P.WS}số{P.WS}điều)?(?:{P.WS}của)?"
                       rf"(?:{P.WS}các)?{P.WS}(?=(?:Bộ{P.WS})?[Ll]uật\b|Pháp{P.WS}lệnh\b)", re.IGNORECASE)
_DATED = re.compile(rf"{P.WS}(?:ngày{P.WS}\d|năm{P.WS}(?:19|20)\d\d|số{P.WS}\d)", re.IGNORECASE)
_AND_LAW = re.compile(rf"{P.WS}(?:,|và){P.WS}(?=(?:Bộ{P.WS})?[Ll]uật\b|Pháp{P.WS}lệnh\b)")
_FIRST = re.compile(r"\s+(\S)")
_TITLE_WORD = re.compile(r"[ \t]*(?:\n[ \t]*){0,2}(,?)[ \t]*(?:\n[ \t]*){0,2}([^\W\d_][\w-]*|\d{4}\b)")
_CONSTITUTION = re.compile(r"\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", re.I)
_CONSTITUTION_TITLE = "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
_LAW_ISSUERS = {"Luật": "Quốc hội", "Bộ luật": "Quốc hội", "Hiến pháp": "Quốc hội",
                "Pháp lệnh": "Ủy ban Thường vụ Quốc hội"}


@lru_cache(maxsize=1)
def _title_word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Words that end a law's title, words that show it is no title, words a comma may precede."""
    cues = grammar().cues
    return (frozenset(fold_key(s) for s in P.law_titles()[1]),
            frozenset(fold_key(s) for s in cues["law_not_title"]),
            frozenset(fold_key(s) for s in cues["law_title_comma_words"]))


def _two_words(F: str, t: re.Match[str]) -> str:
    """The title word matched by `t` and the word after it: "Nghị định", "Thông tư"."""
    nxt = F[t.end():t.end() + 16].split()
    return f"{t.group(2)} {nxt[0]}" if nxt else t.group(2)


def _expand(title: str) -> str:
    rx, table = P.law_abbreviations()
    return rx.sub(lambda m: table[m.group(0)], title)


def _amended_title(r: Reader, type_end: int, am: re.Match[str]) -> tuple[str, int] | None:
    """ "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": the title holds the laws it amends."""
    F = r.F
    inner = P.law_re().match(F, am.end())
    got = law_title(r, inner.end()) if inner else None
    if got is None:
        return None
    title, pos = f"{clean(F[type_end:am.end()])} {clean(inner['type'])} {got[0]}", got[1]  # the text's own words
    more = _AND_LAW.match(F, pos)
    while more:
        inner = P.law_re().match(F, more.end())
        got = law_title(r, inner.end()) if inner else None
        if got is None:
            break
        title, pos = f"{title} và {clean(inner['type'])} {got[0]}", got[1]
        more = _AND_LAW.match(F, pos)
    return title, pos


def law_title(r: Reader, type_end: int) -> tuple[str, int] | None:
    """The title after a law's type word and where it ends: a known title, or words up to a stop word."""
    F = r.F
    am = _AMENDING.match(F, type_end)
    if am:
        return _amended_title(r, type_end, am)
    rx, _stops = P.law_titles()
    m = rx.match(F, type_end)
    if m:
        return _expand(clean(m["title"])), m.end()
    first = _FIRST.match(F, type_end)
    if not first:
        return None
    lower = not first.group(1).isupper()
    stop_keys, not_title, comma_ok = _title_word_sets()
    words: list[str] = []
    pos = type_end
    while len(words) < 12:
        t = _TITLE_WORD.match(F, pos)
        if not t:
            break
        comma, w = t.group(1), t.group(2)
        k = fold_key(w)
        if comma and k not in comma_ok:
            break
        two = fold_key(w + " " + (F[t.end():t.end() + 12].split() or [""])[0])
        if not words and (k in not_title or two in not_title):
            return None
        if k in stop_keys or two in stop_keys or w.isdigit():
            break
        if w[0].isupper() and (r.g.doc_type(w) is not None or r.g.doc_type(_two_words(F, t)) is not None):
            if not words:
                return None  # "Luật Pháp lệnh Nghị định ...": a table's column heads, not a title
            break  # the next document of a list: "Pháp lệnh Quảng cáo, Pháp lệnh ..."
        words.append(("," if comma else "") + w)
        pos = t.end()
    if not words:
        return None
    if lower and not _DATED.match(F, pos):
        return None  # a lower-case title is a law only with its date: "Luật hàng không ngày 29 tháng 6 năm 2006"
    title = " ".join(words).replace(" ,", ",")
    return _expand(title), pos


def _numbered_after_title(r: Reader, numbered: list[Found], syms: list[int], pos: int) -> Found | None:
    """The numbered citation whose số hiệu follows a law's title ("Luật X số 64/2025/QH15")."""
    k = bisect.bisect_left(syms, pos)
    if k < len(numbered):
        x = numbered[k]
        if x.fstart >= pos and _NUMBER_GAP.match(r.F, pos, x.sym_start):
            return x
        if x.fstart < pos and _NUMBER_NEXT.match(r.F[pos:x.sym_start]):
            return x
    return None


def _give_title(r: Reader, follow: Found, s: int, pos: int, tname: str, title: str) -> None:
    """The law named at s..pos is the numbered citation `follow`: it takes the title and starts at the name."""
    follow.c.title = follow.c.title or title
    if not follow.typed or follow.fstart < pos:
        follow.c.doc_type = tname if tname != "Hiến pháp" else follow.c.doc_type
    if s < follow.fstart or follow.fstart < pos:  # the citation starts at the law's name
        follow.fstart = s
        follow.c.pinpoints = follow.c.pinpoints or r.pin_before(s)  # "Điều 9 Luật ... số 48/2024/QH15"
        r.place(follow.c, s, follow.fend)


def _named_law(r: Reader, s: int, pos: int, tname: str, title: str) -> Found:
    """A law cited by name alone, with the date or year written after its title."""
    F, date, year = r.F, None, None
    p2 = P.LEAD.match(F, pos).end()
    d = date_at(F, p2)
    if d is None:
        d2 = P.PASSED.match(F, p2)
        d = date_at(F, d2.end()) if d2 else None
    if d:
        date, pos = d
        year = int(date[:4]) if date else None
    else:
        y = P.YEAR_ONLY.match(F, p2)
        if y:
            year, pos = int(y["y"]), y.end()
    c = r.make(s, pos, identifier=None, title=title, doc_type=tname, number=None, year=year, symbol=None,
               date=date, issuer=_LAW_ISSUERS.get(tname), subject=None, pinpoints=r.pin_before(s),
               relation=r.relation(s), cited_by=None, kind="named")
    return Found(c, s, pos, pos, True)


@finder_pass("laws", 30)
def laws(r: Reader, state: State) -> None:
    """Laws, codes, ordinances and the Constitution by their title."""
    F, numbered = r.F, state.numbered
    syms = [x.sym_start for x in numbered]
    drafting = P.drafting_before_re()
    for m in P.law_re().finditer(F):
        s = m.start()
        if not P.starts_clean(F, s) or s < r.ctx.header_end or in_spans(state.taken, s):
            continue
        if drafting.search(F, max(0, s - 40), s):
            continue
        tname = clean(m["type"])
        if tname == "Hiến pháp":
            t = _CONSTITUTION.match(F, m.end())
            title, pos = (_CONSTITUTION_TITLE, t.end()) if t else ("Hiến pháp", m.end())
        else:
            got = law_title(r, m.end())
            if got is None:
                continue
            title, pos = f"{tname} {got[0]}", got[1]
        follow = _numbered_after_title(r, numbered, syms, pos)  # a title followed by its number
        if follow is not None:
            _give_title(r, follow, s, pos, tname, title)
        else:
            state.named.append(_named_law(r, s, pos, tname, title))
