"""Laws, codes, ordinances and the Constitution cited by name ("Luật Tổ chức chính quyền địa
phương", "Bộ luật Lao động năm 2019"); a name followed by its số hiệu gives its title to that
numbered citation instead."""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
import unicodedata
from functools import lru_cache

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, clean, date_at, in_spans
from kg.extract.find.registry import State, finder_pass
from kg.grammar import grammar
from kg.ingest.normalize import fold_key

_NUMBER_GAP = re.compile(rf"{P.WS}(?:,{P.WS})?(?:(?:số|sô){P.WS}:?{P.WS})?\Z", re.IGNORECASE)
# "Luật Cơ quan đại diện ... ở nước ngoài số 33/2009/QH12": words only, then "số", then the number
_WORDS_TO_NUMBER = re.compile(r"(?:[ \t\n]+[^\W\d_][\w-]*){1,10}[ \t\n]+(?:số|sô)[ \t\n]*:?[ \t\n]*\Z")
_NUMBER_NEXT = re.compile(rf"{P.WS}(?:(?:số|sô){P.WS}:?{P.WS})?\Z", re.IGNORECASE)
_AMENDING = re.compile(rf"\s+sửa{P.WS}đổi,?{P.WS}bổ{P.WS}sung(?:{P.WS}một{P.WS}số{P.WS}điều)?(?:{P.WS}của)?"
                       rf"(?:{P.WS}các)?{P.WS}(?=(?:Bộ{P.WS})?[Ll]uật\b|Pháp{P.WS}lệnh\b)", re.IGNORECASE)
_Inner = tuple[int, int, str, str]  # an amended law inside an amending title: start, end, type, title
_DATED = re.compile(rf"{P.WS}(?:ngày{P.WS}\d|năm{P.WS}(?:19|20)\d\d|số{P.WS}\d)", re.IGNORECASE)
# Inside an amending law's title the laws it amends may be written in lower case ("Luật sửa đổi, bổ
# sung một số điều của luật chứng khoán, luật kế toán, ..."): the title vouches they are laws.


@lru_cache(maxsize=1)
def _inner_law_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The law type words of cues.yaml (law_types), each word in either case: a law type opening an
    inner title, one ending before a title, one after "," / "và" in the list of amended laws."""
    types = sorted(grammar().cues["law_types"], key=len, reverse=True)
    alt = "|".join(P.WS.join(f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}" for w in t.split()) for t in types)
    return (re.compile(rf"(?P<type>{alt})(?=\s)"), re.compile(rf"(?:{alt})\Z"),
            re.compile(rf"{P.WS}(?:,|và){P.WS}(?=(?:{alt})\b)"))
_FIRST = re.compile(r"\s+(\S)")
_TITLE_WORD = re.compile(r"[ \t]*(?:\n[ \t]*){0,2}(,?)[ \t]*(?:\n[ \t]*){0,2}([^\W\d_][\w-]*|\d{4}\b)")
_CONSTITUTION = re.compile(r"\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", re.I)
_CONSTITUTION_TITLE = "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"


@lru_cache(maxsize=1)
def _title_word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Words that end a law's title, words that show it is no title, words a comma may precede."""
    cues = grammar().cues
    return (frozenset(fold_key(s) for s in P.law_titles()[1]),
            frozenset(fold_key(s) for s in cues["law_not_title"]),
            frozenset(fold_key(s) for s in cues["law_title_comma_words"]))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


@lru_cache(maxsize=1)
def _tone_table() -> dict[int, str]:
    """Each precomposed Latin letter with a tone mark -> the same letter without it."""
    out = {}
    for o in range(0xC0, 0x1EFA):
        ch = chr(o)
        base = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in _TONES))
        if base != ch and len(base) == 1:
            out[o] = base
    return out


def _toneless(s: str) -> str:
    """The text without tone marks, one character for one ("phướng" -> "phương"): same offsets."""
    return s.translate(_tone_table())


@lru_cache(maxsize=1)
def _toneless_titles() -> tuple[re.Pattern[str], dict[str, str]]:
    """The known titles without tone marks, and each one's listed spelling: a title misprinted in
    a tone mark only ("Đầu tư theo phướng thức đối tác công tư") is still the listed law."""
    titles = P.law_titles_list()
    table = {fold_key(_toneless(t)): t for t in titles}
    alt = "|".join(r"\s+".join(re.escape(w) for w in t.split())
                   for t in sorted({_toneless(t) for t in titles}, key=len, reverse=True))
    return re.compile(rf"\s+(?P<title>{alt})(?![\w])", re.IGNORECASE), table


def _known_title(F: str, type_end: int) -> tuple[str, int] | None:
    """A listed title right after the type word: as written, or the listed spelling when the text
    differs from it in tone marks only and reads further that way."""
    rx, _stops = P.law_titles()
    m = rx.match(F, type_end)
    window = F[type_end:type_end + 200]
    trx, table = _toneless_titles()
    t = trx.match(_toneless(window))
    if t and (m is None or type_end + t.end() > m.end()):
        listed = table.get(fold_key(clean(t["title"])))
        if listed:
            return _expand(listed), type_end + t.end()
    return (_expand(clean(m["title"])), m.end()) if m else None


_WORD = re.compile(r"\s*,?\s*[^\W\d_][\w-]*")


@lru_cache(maxsize=1)
def _toneless_keys() -> tuple[tuple[str, str], ...]:
    return tuple((fold_key(_toneless(t)), t) for t in P.law_titles_list() if " và " in t or " Và " in t)


def _near_listed(F: str, type_end: int, read: str) -> tuple[str, int] | None:
    """A listed title of two parts that the reading cut at its "và" because of a misprint in the
    second part ("Luật Địa chất và khoán sản"): the listed title when the text's words are near it."""
    head = fold_key(_toneless(read + " và "))
    for key, t in _toneless_keys():
        if not key.startswith(head):
            continue
        pos, got = type_end, []
        for _ in range(len(t.split())):
            w = _WORD.match(F, pos)
            if w is None:
                break
            got.append(w.group(0).strip(" \t\n,"))
            pos = w.end()
        if difflib.SequenceMatcher(None, key.replace(",", ""), fold_key(_toneless(" ".join(got)))).ratio() >= 0.9:
            return _expand(t), pos
    return None


def _issuer_of(r: Reader, tname: str) -> str | None:
    """The body that passes a law of this type (doc_types.yaml: issuer): Luật -> Quốc hội."""
    t = r.g.doc_type(tname)
    return t.issuer if t else None


def _two_words(F: str, t: re.Match[str]) -> str:
    """The title word matched by `t` and the word after it: "Nghị định", "Thông tư"."""
    nxt = F[t.end():t.end() + 16].split()
    return f"{t.group(2)} {nxt[0]}" if nxt else t.group(2)


def _expand(title: str) -> str:
    rx, table = P.law_abbreviations()
    return rx.sub(lambda m: table[m.group(0)], title)


def _amended_title(r: Reader, type_end: int, am: re.Match[str], inners: list[_Inner] | None) -> tuple[str, int] | None:
    """ "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": the title holds the laws it amends;
    each amended law goes to `inners`, without the amending law's date that follows the title."""
    F = r.F
    title, pos, more, first = clean(F[type_end:am.end()]), am.end(), None, True
    while first or more:
        inner = _inner_law_res()[0].match(F, more.end() if more else pos)
        got = law_title(r, inner.end(), amended=True) if inner else None
        if got is None:
            if first:
                return None
            break
        tname = clean(inner["type"])
        sep = " " if first else ("," if "," in more.group(0) else " và") + " "
        title = f"{title}{sep}{tname} {got[0]}"  # the text's own words and separators
        if inners is not None:
            inners.append((inner.start(), got[1], tname[0].upper() + tname[1:], f"{tname[0].upper() + tname[1:]} {got[0]}"))
        pos, first = got[1], False
        more = _inner_law_res()[2].match(F, pos)
    return title, pos


@lru_cache(maxsize=1)
def _lower_before_re() -> re.Pattern[str]:
    return re.compile(rf"(?:{P._alt(grammar().cues['law_lower_after'])})\s*\Z", re.IGNORECASE)


def _lower_ok_before(F: str, type_end: int) -> bool:
    """ "hướng dẫn thi hành một số điều của Pháp lệnh quy định danh hiệu ...": words that only a law
    follows vouch for a lower-case title without its date (cues.yaml: law_lower_after)."""
    t = _inner_law_res()[1].search(F, max(0, type_end - 12), type_end)
    s = t.start() if t else type_end
    return _lower_before_re().search(F, max(0, s - 40), s) is not None


def law_title(r: Reader, type_end: int, amended: bool = False,
              inners: list[_Inner] | None = None) -> tuple[str, int] | None:
    """The title after a law's type word and where it ends: a known title, or words up to a stop word.
    `amended`: the law is named inside an amending law's title, where lower case needs no date."""
    F = r.F
    am = _AMENDING.match(F, type_end)
    if am:
        return _amended_title(r, type_end, am, inners)
    known = _known_title(F, type_end)
    if known:
        return known
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
        if k in stop_keys or (words and two in stop_keys) or w.isdigit():
            break  # a two-word stop ("ban hành") may open a title: "Luật Ban hành văn bản QPPL"
        if w[0].isupper() and (r.g.doc_type(w) is not None or r.g.doc_type(_two_words(F, t)) is not None):
            if not words:
                return None  # "Luật Pháp lệnh Nghị định ...": a table's column heads, not a title
            break  # the next document of a list: "Pháp lệnh Quảng cáo, Pháp lệnh ..."
        words.append(("," if comma else "") + w)
        pos = t.end()
    if not words:
        return None
    if lower and not amended and not _DATED.match(F, pos) and not (
            len(words) > 1 and "\n\n" not in F[type_end:first.start(1)].replace(" ", "") and _lower_ok_before(F, type_end)):
        return None  # a lower-case title is a law only with its date: "Luật hàng không ngày 29 tháng 6 năm 2006"
    title = " ".join(words).replace(" ,", ",")
    return _near_listed(F, type_end, title) or (_expand(title), pos)


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


def _named_law(r: Reader, s: int, pos: int, tname: str, title: str, dated: bool = True) -> Found:
    """A law cited by name alone, with the date or year written after its title (unless not
    `dated`: a law inside an amending law's title, whose date is the amending law's)."""
    F, date, year = r.F, None, None
    p2 = P.LEAD.match(F, pos).end()
    d = date_at(F, p2) if dated else None
    if d is None:
        d2 = P.PASSED.match(F, p2)
        d = date_at(F, d2.end()) if d2 else None
    if d:
        date, pos = d
        year = int(date[:4]) if date else None
    else:
        y = P.YEAR_ONLY.match(F, p2) if dated else None
        if y:
            year, pos = int(y["y"]), y.end()
    c = r.make(s, pos, identifier=None, title=title, doc_type=tname, number=None, year=year, symbol=None,
               date=date, issuer=_issuer_of(r, tname), subject=None, pinpoints=r.pin_before(s),
               relation=r.relation(s), cited_by=None, kind="named")
    return Found(c, s, pos, pos, True)


def _name_key(title: str) -> str:
    return " ".join(fold_key(_toneless(title)).replace(",", " ").split())


def _numbered_law_named(r: Reader, numbered: list[Found], title: str,
                        after_number: dict[int, tuple[str, int] | None]) -> Found | None:
    """The numbered law of this document whose name is `title` (to a misprint: "koáng sản"): its
    title, or its type and trích yếu, or the listed title written after its number and date."""
    laws = _law_type_keys()
    want = _name_key(title)
    for x in numbered:
        c = x.c
        if not c.doc_type or fold_key(c.doc_type) not in laws:
            continue
        name = c.title or (f"{c.doc_type} {c.subject}" if c.subject else None)
        if name is None:
            got = after_number.get(x.head_end, 0)
            if got == 0:
                got = after_number[x.head_end] = _known_title(r.F, x.head_end)
            name = f"{c.doc_type} {got[0]}" if got else None
        if name is None:
            continue
        have = _name_key(name)
        if len(want.split()) >= 8 and have.startswith(want):
            return x  # the first eight words and more of a long title
        m = difflib.SequenceMatcher(None, want, have)
        if m.real_quick_ratio() >= 0.92 and m.quick_ratio() >= 0.92 and m.ratio() >= 0.92:
            return x  # near the same words
    return None


def _as_numbered(r: Reader, numbered: list[Found], x: Found, title: str,
                 after_number: dict[int, tuple[str, int] | None]) -> Found:
    """A law named without its number that the text cites by number elsewhere is that one document."""
    same = _numbered_law_named(r, numbered, title, after_number)
    if same is None:
        return x
    c = dataclasses.replace(same.c, pinpoints=x.c.pinpoints, relation=x.c.relation, cited_by=None,
                            title=same.c.title or title, start=x.c.start, end=x.c.end, text=x.c.text)
    return Found(c, x.fstart, x.fend, x.head_end, True)


@lru_cache(maxsize=1)
def _law_type_keys() -> frozenset[str]:
    return frozenset(fold_key(t) for t in grammar().cues["law_types"])


def _words_to_number(r: Reader, numbered: list[Found], syms: list[int], type_end: int, pos: int) -> Found | None:
    """A title longer than the reading took, running in plain words up to "số" and the law's number."""
    k = bisect.bisect_left(syms, pos)
    if k >= len(numbered) or numbered[k].sym_start - pos >= 120:
        return None
    gap = r.F[pos:numbered[k].sym_start]
    if not _WORDS_TO_NUMBER.match(gap):
        return None
    words = gap.split()
    if any(r.g.doc_type(w) or r.g.doc_type(" ".join(words[i:i + 2])) or r.g.doc_type(" ".join(words[i:i + 3]))
           for i, w in enumerate(words)):
        return None  # "... và Nghị định số 89/2008/NĐ-CP": the number of the next document
    return numbered[k]


@finder_pass("laws", 30)
def laws(r: Reader, state: State) -> None:
    """Laws, codes, ordinances and the Constitution by their title."""
    F, numbered = r.F, state.numbered
    syms = [x.sym_start for x in numbered]
    drafting = P.drafting_before_re()
    after_number: dict[int, tuple[str, int] | None] = {}  # the listed title after a numbered law, by where
    inside = -1  # the end of the last amending law's title: the laws in it are read with it
    for m in P.law_re().finditer(F):
        s = m.start()
        if not P.starts_clean(F, s) or s < r.ctx.header_end or in_spans(state.taken, s) or s < inside:
            continue
        if drafting.search(F, max(0, s - 40), s):
            continue
        tname = clean(m["type"])
        if tname == "Hiến pháp":
            t = _CONSTITUTION.match(F, m.end())
            title, pos = (_CONSTITUTION_TITLE, t.end()) if t else ("Hiến pháp", m.end())
        else:
            inners: list[_Inner] = []
            got = law_title(r, m.end(), inners=inners)
            if got is None:
                continue
            title, pos = f"{tname} {got[0]}", got[1]
            for i0, i1, itype, ititle in inners:  # the laws it amends, by name, without its date
                x = _named_law(r, i0, i1, itype, ititle, dated=False)
                state.named.append(_as_numbered(r, numbered, x, ititle, after_number))
            if inners:
                inside = pos
        follow = _numbered_after_title(r, numbered, syms, pos)  # a title followed by its number
        if follow is None and tname != "Hiến pháp":
            follow = _words_to_number(r, numbered, syms, m.end(), pos)
            if follow is not None:
                title = f"{tname} {_expand(clean(F[m.end():follow.sym_start]).rsplit(' ', 1)[0])}"
                pos = follow.sym_start
        if follow is not None:
            _give_title(r, follow, s, pos, tname, title)
            continue
        state.named.append(_as_numbered(r, numbered, _named_law(r, s, pos, tname, title), title, after_number))
