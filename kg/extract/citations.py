"""Find every citation of another document in a folded text.

Three passes, in the spirit of eyecite's find -> resolve:
1. numbered citations, anchored on the number/symbol, read outwards (type, pinpoint, date,
   issuer, subject);
2. documents cited by name (laws, codes, party conferences, named programmes);
3. short forms that point back to a full citation ("Chỉ thị 27", "Quyết định số 01 nêu trên").
Then nesting (a citation inside another's subject) and typed effects (thay thế, bãi bỏ ...).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract import patterns as P
from kg.grammar import code_key, grammar
from kg.grammar.symbols import identifier_key, implied_type, is_joint, symbol_of
from kg.ingest.normalize import Folded, fold_key
from kg.extract.effects import Findings, find_effects
from kg.models import Citation, Effect, Form
from kg.resolve.issuers import Jurisdiction, issuer_at, issuer_from_codes


@dataclass
class Context:
    """What the citing document tells about itself, needed to read its citations."""

    jurisdiction: Jurisdiction = field(default_factory=Jurisdiction)
    own_keys: set[str] = field(default_factory=set)  # identifier keys of the document itself
    own_spans: list[tuple[int, int]] = field(default_factory=list)  # its "Số: ..." line(s)
    header_end: int = 0  # folded offset where the header block ends
    basis_zones: list[tuple[int, int]] = field(default_factory=list)  # "Căn cứ" preamble spans


@dataclass
class _Span:
    """A match-like start for spans assembled from two regexes."""

    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


@dataclass
class _Found:
    """A citation while it is being read: folded offsets and the spans later passes need."""

    c: Citation
    fstart: int
    fend: int
    head_end: int  # end of type+symbol+date+issuer, before the subject
    typed: bool  # a type word was written
    text_date: bool = False
    text_issuer: bool = False
    subject_span: tuple[int, int] | None = None
    sym_start: int = -1  # where the số hiệu itself starts


def _iso(d: str, m: str, y: str) -> str | None:
    di, mi, yi = int(d), int(m), int(y)
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _date_at(F: str, pos: int) -> tuple[str | None, int] | None:
    p = P.LEAD.match(F, pos).end()
    for rx in (P.DATE_DMY, P.DATE_LONG):
        m = rx.match(F, p)
        if m:
            return _iso(m["d"], m["m"], m["y"]), m.end()
    return None


def _in(spans: list[tuple[int, int]], i: int) -> bool:
    """Is i inside one of the spans? They are sorted by start and overlap little: binary search."""
    if len(spans) < 8:
        for a, b in spans:
            if a <= i < b:
                return True
        return False
    k = bisect.bisect_right(spans, (i, float("inf")))
    return any(a <= i < b for a, b in spans[max(0, k - 3):k])


def _clean(s: str) -> str:
    return " ".join(s.split())


_SO = ("số", "sô", "so", "SỐ")


def type_before(F: str, s: int) -> tuple[int, str] | None:
    """The type word written right before a số hiệu: "Quyết định số ", "các Nghị định ", "Luật số: ".

    Plain string steps backwards (no regex scan of a window): this runs once per candidate.
    """
    j = s
    while j > 0 and F[j - 1] in " \t\n:":
        j -= 1
    if F[max(0, j - 2):j] in _SO or F[max(0, j - 2):j].lower() in _SO:
        if j - 2 > 0 and not F[j - 3].isspace():
            return None  # "...số" glued to a word
        j -= 2
        while j > 0 and F[j - 1] in " \t\n":
            j -= 1
    lo = max(0, j - 40)
    words = F[lo:j].split()
    if lo > 0 and words and not F[lo - 1].isspace():
        words = words[1:]  # the first word of the window may be cut
    words = words[-4:]
    for n in range(len(words), 0, -1):
        first = words[-n].lstrip("(“\"'[")  # "(Nghị định số ...)", "“Quyết định số ...”"
        phrase = " ".join([first, *words[len(words) - n + 1:]])
        if grammar().type_by_word.get(phrase.lower()) is not None:  # F is folded already: lower() is its key
            start = j
            for w in reversed(words[-n:]):  # where the phrase starts
                start = F.rfind(w, lo, start)
            return start + len(words[-n]) - len(first), phrase
    return None


def _two_words(F: str, t: re.Match[str]) -> str:
    """The title word matched by `t` and the word after it: "Nghị định", "Thông tư"."""
    nxt = F[t.end():t.end() + 16].split()
    return f"{t.group(2)} {nxt[0]}" if nxt else t.group(2)


def _known_admin_symbol(codes: list[str]) -> bool:
    g = grammar()
    return len(codes) > 1 or any(code_key(c) in g.type_by_code or code_key(c) in g.issuer_by_code for c in codes)


@lru_cache(maxsize=1)
def _title_word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Words that end a law's title, words that show it is no title, words a comma may precede."""
    cues = grammar().cues
    return (frozenset(fold_key(s) for s in P.law_titles()[1]),
            frozenset(fold_key(s) for s in cues["law_not_title"]),
            frozenset(fold_key(s) for s in cues["law_title_comma_words"]))


class Finder:
    def __init__(self, folded: Folded, ctx: Context):
        self.f = folded
        self.F = folded.text
        self.ctx = ctx
        self.g = grammar()
        self._not_title = {fold_key(w) for w in self.g.cues["named_not_title"]}

    # -- shared readers --------------------------------------------------------------------
    def relation(self, pos: int) -> str:
        return "based_on" if _in(self.ctx.basis_zones, pos) else "cites"

    _LIEN = re.compile(r"liên\s*-?\s*(?:[Bb]ộ\s*:\s*)?(?=[A-ZĐ])")  # "của liên Bộ Tài chính - Tư pháp", "của liên Bộ: Bộ Y tế - ..."
    _JOIN = re.compile(r"\s*(?:-|,|và)\s*")

    def _tail(self, pos: int, joint: bool = False, juris: Jurisdiction | None = None
              ) -> tuple[str | None, str | None, int, bool, bool]:
        """Date and issuer after a citation head, in either order; returns (date, issuer, end, ...).

        Joint documents (several issuer codes in the symbol, or "của liên Bộ ...") take a chain of
        issuers: "của Bộ Tài chính, Bộ Tư pháp" -> "Bộ Tài chính - Bộ Tư pháp".
        """
        F, date, issuer, got_date, got_issuer = self.F, None, None, False, False
        juris = juris or self.ctx.jurisdiction
        limit = min(len(F), pos + 400)
        for _ in range(4):
            moved = False
            if not got_date:
                d = _date_at(F, pos)
                if d:
                    date, pos, got_date, moved = d[0], d[1], True, True
            if not got_issuer:
                of = P.OF.match(F, pos)
                if of:
                    at = of.end()
                    lien = self._LIEN.match(F, at)
                    if lien:
                        at, joint = lien.end(), True
                    r = issuer_at(F, at, limit, juris)
                    if r:
                        issuer, pos, got_issuer, moved = r[0], r[1], True, True
                        names = [r[0]] if r[0] else []
                        while joint:
                            j = self._JOIN.match(F, pos)
                            r2 = issuer_at(F, j.end(), limit, juris) if j else None
                            if not r2 or not r2[0]:
                                break
                            names.append(r2[0])
                            pos = r2[1]
                        if len(names) > 1:
                            issuer = " - ".join(dict.fromkeys(names))
            s = P.SESSION.match(F, pos)
            if s and s.end() > pos and got_issuer:
                pos, moved = s.end(), True
            if not moved:
                break
        return date, issuer, pos, got_date, got_issuer

    _AT = re.compile(rf"{P.WS}tại{P.WS}\Z", re.IGNORECASE)
    _OF_BACK = re.compile(r"\b(?:của|do)\s+", re.IGNORECASE)

    def _issuer_before(self, start: int, juris: Jurisdiction) -> str | None:
        """ "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số ...": the issuer stands before."""
        F = self.F
        at = self._AT.search(F, max(0, start - 12), start)
        if at is None:
            return None
        window_start = max(0, at.start() - 160)
        ofs = list(self._OF_BACK.finditer(F, window_start, at.start()))
        if not ofs:
            return None
        pos, names = ofs[-1].end(), []
        while True:
            r = issuer_at(F, pos, at.start(), juris)
            if not r or not r[0]:
                break
            names.append(r[0])
            pos = r[1]
            j = self._JOIN.match(F, pos)
            if not j or j.end() >= at.start():
                break
            pos = j.end()
        if names and not F[pos:at.start()].strip():
            return " - ".join(dict.fromkeys(names))
        return None

    def _subject(self, pos: int) -> tuple[str | None, tuple[int, int] | None]:
        m = P.subject_start_re().match(self.F, pos)
        if not m:
            return None, None
        start = m.start("s")
        end_m = P.SUBJECT_END.search(self.F, start, min(len(self.F), start + 700))
        end = end_m.start() if end_m else min(len(self.F), start + 300)
        text = _clean(self.F[start:end]).rstrip(" ,")
        return (text or None), (start, end)

    def _make(self, fstart: int, fend: int, **kw) -> Citation:
        while fend > fstart and self.F[fend - 1] in " \t\n,;":
            fend -= 1
        o0, o1 = self.f.span(fstart, fend)
        return Citation(start=o0, end=o1, text=self.f.original[o0:o1],
                        **kw)

    # -- pass 1: numbered ------------------------------------------------------------------
    def numbered(self) -> list[_Found]:
        F, out = self.F, []
        for m in P.symbols(F):
            s = m.start()
            if not P.starts_clean(F, s, "/.-") or _in(self.ctx.own_spans, s):
                continue
            sym = symbol_of(m)
            admin, old = sym.form is Form.ADMINISTRATIVE, sym.form is Form.OLD
            if admin and re.fullmatch(r"(?:19|20)\d\d", sym.number) and P.STANDARD_BEFORE.search(F, max(0, s - 8), s):
                continue  # "QCVN 01:2021/BYT": a standard's year
            tb = type_before(F, s)
            pin = self._pin_at(tb[0]) if tb is not None and tb[0] > 0 else None
            tdoc, codes, party = implied_type(sym), list(sym.issuer_codes), sym.form is Form.PARTY
            if tb is not None and F[max(0, tb[0] - 5):tb[0]].lower().rstrip().endswith("pháp"):
                tb = None  # "pháp luật số ...": the word names the law in general, not a type
            if old and tb is None:
                continue
            if tb is None:
                if P.stopper_re().search(F, max(0, s - 40), s):
                    continue
                if admin and not _known_admin_symbol(codes if tdoc is None or tdoc.name == "Công văn" else list(sym.codes)):
                    continue
            written = self.g.doc_type(tb[1]) if tb else None
            if written is not None and written.name == "Công văn" and fold_key(tb[1]) == "văn bản" and tdoc:
                written = None  # "văn bản số 12/QĐ-UBND": the symbol says which type
            if written is not None and tdoc is not None and tdoc.name.startswith(written.name + " "):
                written = tdoc  # "Thông tư số 03/TTLT": the symbol names the kind of Thông tư (liên tịch)
            doc_type = written or tdoc
            ident = re.sub(r"\s+", "", m.group(0))
            if identifier_key(ident) in self.ctx.own_keys:
                continue
            start = tb[0] if tb else s
            pins = [_clean(pin["pin"])] if pin else []
            joint = len(codes) > 1 or (tdoc is not None and is_joint(tdoc.name))
            date, issuer, head_end, got_date, got_issuer = self._tail(m.end(), joint)
            juris = self.ctx.jurisdiction.at(date or sym.year)  # the province as it was at the document's date
            if juris is not self.ctx.jurisdiction:
                date, issuer, head_end, got_date, got_issuer = self._tail(m.end(), joint, juris)
            if issuer is None:
                issuer = self._issuer_before(start, juris)
                got_issuer = got_issuer or False
            if issuer is None:
                issuer = issuer_from_codes(tuple(codes), party, juris)
            subject, sspan = self._subject(head_end)
            end = head_end if (got_date or got_issuer) else m.end()
            c = self._make(start, end, identifier=ident, title=None,
                           doc_type=doc_type.name if doc_type else None, number=sym.number,
                           year=sym.year or (int(date[:4]) if date and not party else None),
                           symbol=sym.symbol, date=date, issuer=issuer, subject=subject, pinpoints=pins,
                           relation=self.relation(start), cited_by=None)
            out.append(_Found(c, start, end, head_end, written is not None, got_date, got_issuer, sspan, s))
        self._share_list_fields(out)
        return out

    _LIST_GAP = re.compile(r"[\s,;]*(?:và|hoặc|,)?[\s,]*\Z", re.IGNORECASE)

    def _share_list_fields(self, found: list[_Found]) -> None:
        """ "các Quyết định số 01/QĐ-UBND và 02/QĐ-UBND ngày 07/01/2023": one date for the list."""
        for a, b in zip(found, found[1:]):  # type flows forward
            if not b.typed and a.typed and self._LIST_GAP.match(self.F, a.head_end, b.fstart):
                b.c.doc_type = a.c.doc_type
                b.typed = True
        for a, b in reversed(list(zip(found, found[1:]))):  # date and issuer flow backward
            if a.text_date or a.text_issuer or a.subject_span:
                continue
            if not self._LIST_GAP.match(self.F, a.head_end, b.fstart):
                continue
            if b.text_date:
                a.c.date, a.text_date = b.c.date, True
                if a.c.year is None and a.c.symbol and "/" not in a.c.symbol:
                    a.c.year = int(b.c.date[:4]) if b.c.date else None
            if b.text_issuer:
                a.c.issuer, a.text_issuer = b.c.issuer, True

    # -- pass 2: named ----------------------------------------------------------------------
    _NUMBER_GAP = re.compile(rf"{P.WS}(?:,{P.WS})?(?:(?:số|sô){P.WS}:?{P.WS})?\Z", re.IGNORECASE)
    _AMENDING = re.compile(rf"\s+sửa{P.WS}đổi,?{P.WS}bổ{P.WS}sung(?:{P.WS}một{P.WS}số{P.WS}điều)?(?:{P.WS}của)?"
                           rf"(?:{P.WS}các)?{P.WS}(?=(?:Bộ{P.WS})?[Ll]uật\b|Pháp{P.WS}lệnh\b)", re.IGNORECASE)

    _DATED = re.compile(rf"{P.WS}(?:ngày{P.WS}\d|năm{P.WS}(?:19|20)\d\d|số{P.WS}\d)", re.IGNORECASE)
    _AND_LAW = re.compile(rf"{P.WS}(?:,|và){P.WS}(?=(?:Bộ{P.WS})?[Ll]uật\b|Pháp{P.WS}lệnh\b)")

    _FIRST = re.compile(r"\s+(\S)")
    _TITLE_WORD = re.compile(r"[ \t]*(?:\n[ \t]*){0,2}(,?)[ \t]*(?:\n[ \t]*){0,2}([^\W\d_][\w-]*|\d{4}\b)")

    def _law_title(self, type_end: int) -> tuple[str, int] | None:
        F = self.F
        am = self._AMENDING.match(F, type_end)
        if am:  # "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B": the title holds the laws it amends
            inner = P.law_re().match(F, am.end())
            r = self._law_title(inner.end()) if inner else None
            if r is None:
                return None
            title, pos = f"{_clean(F[type_end:am.end()])} {_clean(inner['type'])} {r[0]}", r[1]  # the text's own words
            more = self._AND_LAW.match(F, pos)
            while more:
                inner = P.law_re().match(F, more.end())
                r = self._law_title(inner.end()) if inner else None
                if r is None:
                    break
                title, pos = f"{title} và {_clean(inner['type'])} {r[0]}", r[1]
                more = self._AND_LAW.match(F, pos)
            return title, pos
        rx, _stops = P.law_titles()
        m = rx.match(F, type_end)
        if m:
            return self._expand(_clean(m["title"])), m.end()
        first = self._FIRST.match(F, type_end)
        if not first:
            return None
        lower = not first.group(1).isupper()
        stop_keys, not_title, comma_ok = _title_word_sets()
        words: list[str] = []
        pos = type_end
        while len(words) < 12:
            t = self._TITLE_WORD.match(F, pos)
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
            if w[0].isupper() and (self.g.doc_type(w) is not None or self.g.doc_type(_two_words(F, t)) is not None):
                if not words:
                    return None  # "Luật Pháp lệnh Nghị định ...": a table's column heads, not a title
                break  # the next document of a list: "Pháp lệnh Quảng cáo, Pháp lệnh ..."
            words.append(("," if comma else "") + w)
            pos = t.end()
        if not words:
            return None
        if lower and not self._DATED.match(F, pos):
            return None  # a lower-case title is a law only with its date: "Luật hàng không ngày 29 tháng 6 năm 2006"
        title = " ".join(words).replace(" ,", ",")
        return self._expand(title), pos

    def _expand(self, title: str) -> str:
        rx, table = P.law_abbreviations()
        return rx.sub(lambda m: table[m.group(0)], title)

    def named(self, numbered: list[_Found]) -> list[_Found]:
        F, out = self.F, []
        taken = sorted((x.fstart, x.fend) for x in numbered)
        syms = [x.sym_start for x in numbered]
        drafting = P.drafting_before_re()
        for m in P.law_re().finditer(F):
            s = m.start()
            if not P.starts_clean(F, s) or s < self.ctx.header_end or _in(taken, s):
                continue
            if drafting.search(F, max(0, s - 40), s):
                continue
            tname = _clean(m["type"])
            if tname == "Hiến pháp":
                t = re.compile(r"\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam", re.I).match(F, m.end())
                title, pos = ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", t.end()) if t else ("Hiến pháp", m.end())
            else:
                r = self._law_title(m.end())
                if r is None:
                    continue
                title, pos = f"{tname} {r[0]}", r[1]
            # a title followed by its number is a numbered citation: give it the title
            follow = self._numbered_after_title(numbered, syms, pos)
            if follow is not None:
                follow.c.title = follow.c.title or title
                if not follow.typed or follow.fstart < pos:
                    follow.c.doc_type = tname if tname != "Hiến pháp" else follow.c.doc_type
                if s < follow.fstart or follow.fstart < pos:  # the citation starts at the law's name
                    follow.fstart = s
                    follow.c.pinpoints = follow.c.pinpoints or self._pin_before(s)  # "Điều 9 Luật ... số 48/2024/QH15"
                    c0 = follow.c
                    c1 = self._make(s, follow.fend, **{k: getattr(c0, k) for k in (
                        "identifier", "title", "doc_type", "number", "year", "symbol", "date", "issuer", "subject",
                        "pinpoints", "relation", "cited_by", "kind", "effect")})
                    follow.c.start, follow.c.end, follow.c.text, follow.c.line = c1.start, c1.end, c1.text, c1.line
                continue
            date, year = None, None
            p2 = P.LEAD.match(F, pos).end()
            d = _date_at(F, p2)
            if d is None:
                d2 = P.PASSED.match(F, p2)
                d = _date_at(F, d2.end()) if d2 else None
            if d:
                date, pos = d
                year = int(date[:4]) if date else None
            else:
                y = P.YEAR_ONLY.match(F, p2)
                if y:
                    year, pos = int(y["y"]), y.end()
            out.append(_Found(self._make(s, pos, identifier=None, title=title, doc_type=tname, number=None,
                                         year=year, symbol=None, date=date, issuer=self._law_issuer(tname),
                                         subject=None, pinpoints=self._pin_before(s), relation=self.relation(s),
                                         cited_by=None, kind="named"), s, pos, pos, True))
        for m in self._party_conferences():
            s = m.start()
            if _in(taken, s):
                continue
            subject, sspan = self._subject(m.end())
            out.append(_Found(self._make(s, m.end(), identifier=None, title=_clean(m.group(0)), doc_type="Nghị quyết",
                                         number=None, year=None, symbol=None, date=None,
                                         issuer="Ban Chấp hành Trung ương Đảng", subject=subject, pinpoints=[],
                                         relation=self.relation(s), cited_by=None, kind="named"),
                              s, m.end(), m.end(), True, subject_span=sspan))
        frx, frows = P.fixed_names()
        for m in (frx.finditer(F) if any(t in F for t in P.fixed_titles()) else ()):
            s = m.start()
            if s < self.ctx.header_end or _in(taken, s):
                continue
            row = frows[m.group(0).lower()]
            out.append(_Found(self._make(s, m.end(), identifier=None, title=row["title"], doc_type=row.get("doc_type"),
                                         number=None, year=None, symbol=None, date=None, issuer=row.get("issuer"),
                                         subject=None, pinpoints=self._pin_before(s), relation=self.relation(s),
                                         cited_by=None, kind="named"), s, m.end(), m.end(), True))
        conf = sorted((x.fstart, x.fend) for x in out)
        for m in P.named_re().finditer(F):
            s = m.start("type")
            if not P.starts_clean(F, s) or s < self.ctx.header_end or _in(taken, s) or _in(conf, s):
                continue
            if not P.verb_before_re().search(F, max(0, s - 45), s):
                continue
            quoted = F[m.start("type") - 1] in "“\""
            end_rx = re.compile(r"[”\"]") if quoted else P.SUBJECT_END
            e = end_rx.search(F, s, min(len(F), s + 260))
            end = e.start() if e else None
            if end is None:
                continue
            title = _clean(F[s:end]).rstrip(" .,;:")
            words = title.split()
            after = title[len(_clean(m["type"])):].split()
            if len(words) < 4 or not after or fold_key(after[0].strip(",.;:")) in self._not_title:
                continue
            inner = next((x for x in numbered if s <= x.fstart < end), None)
            if inner is not None and not P.subject_link_re().search(F, s, inner.fstart):
                continue  # the "title" is a numbered citation's context ("Chương trình số 27-CTr/TU ...")
            # else the numbered one stands in the named one's subject ("Chương trình hành động ... về
            # thực hiện Nghị quyết số 21-NQ/TW"): both are cited
            issuer = None
            mi = re.search(r"\bcủa\s+", title)
            if mi:
                r = issuer_at(title, mi.end(), len(title), self.ctx.jurisdiction)
                issuer = r[0] if r else None
            out.append(_Found(self._make(s, end, identifier=None, title=title, doc_type=_clean(m["type"]).capitalize(),
                                         number=None, year=None, symbol=None, date=None, issuer=issuer,
                                         subject=None, pinpoints=[], relation=self.relation(s), cited_by=None,
                                         kind="named"), s, end, end, True))
        return out

    def _numbered_after_title(self, numbered: list[_Found], syms: list[int], pos: int) -> _Found | None:
        """The numbered citation whose số hiệu follows a law's title ("Luật X số 64/2025/QH15")."""
        k = bisect.bisect_left(syms, pos)
        if k < len(numbered):
            x = numbered[k]
            if x.fstart >= pos and self._NUMBER_GAP.match(self.F, pos, x.sym_start):
                return x
            if x.fstart < pos and re.match(rf"{P.WS}(?:(?:số|sô){P.WS}:?{P.WS})?\Z", self.F[pos:x.sym_start], re.I):
                return x
        return None

    def _party_conferences(self):
        """ "Nghị quyết Hội nghị Trung ương 6 khóa IX": anchored on the rare "khóa N", read backwards."""
        F = self.F
        for k in P.KHOA_N.finditer(F):
            m = P.PARTY_CONF.search(F, max(0, k.start() - 160), k.end())
            if m is not None and m.end() == k.end():
                yield m

    def link_titles(self, numbered: list[_Found], named: list[_Found]) -> None:
        """A law named without its number, after it was cited with number and title, is that law."""
        by_title = {fold_key(x.c.title): x.c for x in numbered if x.c.title}
        for x in numbered:  # "Pháp lệnh số 38/2001/PL-UBTVQH10 ... về phí và lệ phí" is "Pháp lệnh phí và lệ phí"
            if x.c.doc_type and x.c.subject and x.c.subject.lower().startswith("về "):
                by_title.setdefault(fold_key(f"{x.c.doc_type} {x.c.subject[3:]}"), x.c)
        for x in named:
            full = by_title.get(fold_key(x.c.title or ""))
            if full is None:
                continue
            x.c.identifier, x.c.number, x.c.year, x.c.symbol = full.identifier, full.number, full.year, full.symbol
            x.c.date, x.c.issuer, x.c.doc_type = x.c.date or full.date, full.issuer, full.doc_type
            x.c.kind = "short"

    def _law_issuer(self, tname: str) -> str | None:
        return {"Luật": "Quốc hội", "Bộ luật": "Quốc hội", "Hiến pháp": "Quốc hội",
                "Pháp lệnh": "Ủy ban Thường vụ Quốc hội"}.get(tname)

    _PIN_HINT = re.compile(r"iều|IỀU|hoản|HOẢN|iểm|IỂM|ục|ỤC|ương|ƯƠNG|hần|HẦN|iết|IẾT")

    def _pin_at(self, s: int) -> re.Match[str] | None:
        """The pinpoint ending at s; a cheap word check first, as most citations have none."""
        a = max(0, s - 120)
        if not self._PIN_HINT.search(self.F, a, s):
            return None
        return P.pin_before_re().search(self.F, a, s)

    def _pin_before(self, s: int) -> list[str]:
        m = self._pin_at(s)
        return [_clean(m["pin"])] if m else []

    # -- pass 3: short forms ---------------------------------------------------------------
    def short_forms(self, found: list[_Found]) -> list[_Found]:
        F, out = self.F, []
        numbered = [x for x in found if x.c.identifier]
        aliases: dict[tuple[str, str], _Found] = {}
        for m in P.short_form_re().finditer(F):
            before = [x for x in numbered if x.fend <= m.start() and m.start() - x.fend < 400]
            if not before:
                continue
            t = self.g.doc_type(m["type"])
            aliases[(t.name if t else "", m["num"].lstrip("0"))] = before[-1]
        taken = sorted((x.fstart, x.fend) for x in found)
        for m, target, end in self._bare_refs(aliases, numbered):
            s = m.start()
            if _in(taken, s) or s < self.ctx.header_end:
                continue
            tc = target.c
            c = self._make(s, end, identifier=tc.identifier, title=tc.title, doc_type=tc.doc_type, number=tc.number,
                           year=tc.year, symbol=tc.symbol, date=tc.date, issuer=tc.issuer, subject=None,
                           pinpoints=self._pin_before(s), relation=self.relation(s), cited_by=None, kind="short")
            out.append(_Found(c, s, end, end, True))
        return out

    def _bare_refs(self, aliases: dict[tuple[str, str], _Found], numbered: list[_Found]):
        """Type word + bare number: only where an alias was defined or a back-reference word follows.

        Scanning for every type word followed by any number would cost more than the rest of the
        grammar together, so both scans are anchored on something rare.
        """
        F = self.F
        for (tname, num), target in aliases.items():
            t = self.g.doc_type(tname)
            words = P._alt([t.name, *t.words]) if t else P.type_words()
            rx = re.compile(rf"(?<![\w])(?:{words})(?:{P.WS}số)?{P.WS}0*{num}(?![\w/\-]|\.\d)", re.IGNORECASE)
            for m in rx.finditer(F, target.fend):
                yield m, target, m.end()
        backs = self.g.cues["short_form_back"]
        for b in (P.back_ref_re().finditer(F) if any(w in F for w in backs) else ()):
            pm = P.numbered_type_before_re().search(F, max(0, b.start() - 60), b.start())
            if pm is None:
                continue
            t = self.g.doc_type(pm["type"])
            s = pm.start("num")
            key = (t.name if t else "", pm["num"].lstrip("0"))
            if key in aliases:
                continue
            cands = [x for x in numbered if x.fend <= s and (x.c.number or "").lstrip("0") == key[1]
                     and (x.c.doc_type == key[0] or not key[0])]
            if cands:
                yield _Span(pm.start("type"), b.end()), cands[-1], b.end()

    # -- after the passes ------------------------------------------------------------------
    def nest(self, found: list[_Found]) -> None:
        """cited_by: the innermost citation whose subject holds this one (subjects nest, never cross)."""
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


def _number_lines(text: str, cits: list[Citation]) -> None:
    """1-based line of each citation, counted in one pass over the text (citations sorted by start)."""
    line, pos = 1, 0
    for c in sorted(cits, key=lambda c: c.start):
        line += text.count("\n", pos, c.start)
        pos = c.start
        c.line = line


def find_citations(folded: Folded, ctx: Context, signed: str | None = None) -> tuple[list[Citation], Findings]:
    """The citations of a text in text order, and what the text does to them (kg/extract/effects.py)."""
    fd = Finder(folded, ctx)
    numbered = fd.numbered()
    named = fd.named(numbered)
    fd.link_titles(numbered, named)
    found = numbered + named
    found += fd.short_forms(found)
    found.sort(key=lambda x: (x.fstart, x.fend))
    fd.nest(found)
    findings = find_effects(fd, found, ctx.header_end, signed)
    cits = [x.c for x in found]
    _number_lines(folded.original, cits)
    _number_effect_lines(folded.original, findings.effects)
    return cits, findings


def _number_effect_lines(text: str, effects: list[Effect]) -> None:
    for e in effects:
        e.line = text.count("\n", 0, e.start) + 1
