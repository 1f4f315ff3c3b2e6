"""What every pass reads the same way: the citing document's context, a citation being read, and
the readers of a citation head (type word, pinpoint, date, issuer, subject) in a small window."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract import patterns as P
from kg.grammar import grammar
from kg.ingest.normalize import Folded
from kg.models import Citation
from kg.resolve.issuers import Jurisdiction, issuer_at


@dataclass
class Context:
    """What the citing document tells about itself, needed to read its citations."""

    jurisdiction: Jurisdiction = field(default_factory=Jurisdiction)
    own_keys: set[str] = field(default_factory=set)  # identifier keys of the document itself
    own_spans: list[tuple[int, int]] = field(default_factory=list)  # its "Số: ..." line(s)
    header_end: int = 0  # folded offset where the header block ends
    basis_zones: list[tuple[int, int]] = field(default_factory=list)  # "Căn cứ" preamble spans
    own_title: str | None = None  # its type and trích yếu ("Kế hoạch quan trắc ..."), from the header


@dataclass
class Found:
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


@dataclass
class Span:
    """A match-like start for spans assembled from two regexes."""

    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


@dataclass
class Tail:
    """What follows a citation head: its date and issuer, where they end, and which the text gave."""

    date: str | None
    issuer: str | None
    end: int
    got_date: bool
    got_issuer: bool


def _iso(d: str, m: str, y: str) -> str | None:
    di, mi, yi = int(d), int(m), int(y)
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def date_at(F: str, pos: int) -> tuple[str | None, int] | None:
    p = P.LEAD.match(F, pos).end()
    for rx in (P.DATE_DMY, P.DATE_LONG):
        m = rx.match(F, p)
        if m:
            return _iso(m["d"], m["m"], m["y"]), m.end()
    return None


def in_spans(spans: list[tuple[int, int]], i: int) -> bool:
    """Is i inside one of the spans? They are sorted by start and overlap little: binary search."""
    if len(spans) < 8:
        for a, b in spans:
            if a <= i < b:
                return True
        return False
    k = bisect.bisect_right(spans, (i, float("inf")))
    return any(a <= i < b for a, b in spans[max(0, k - 3):k])


def clean(s: str) -> str:
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


_LIEN = re.compile(r"liên\s*-?\s*(?:[Bb]ộ\s*:\s*)?(?=[A-ZĐ])")  # "của liên Bộ Tài chính - Tư pháp", "của liên Bộ: Bộ Y tế - ..."
_JOIN = re.compile(r"\s*(?:-|,|và)\s*")
_AT = re.compile(rf"{P.WS}tại{P.WS}\Z", re.IGNORECASE)
_OF_BACK = re.compile(r"\b(?:của|do)\s+", re.IGNORECASE)
_PIN_HINT = re.compile(r"iều|IỀU|hoản|HOẢN|iểm|IỂM|ục|ỤC|ương|ƯƠNG|hần|HẦN|iết|IẾT")


class Reader:
    """The folded text of one document and its context, with the readers every pass shares.

    kg/extract/effects.py reads the text through it too (`f`, `F`).
    """

    def __init__(self, folded: Folded, ctx: Context):
        self.f = folded
        self.F = folded.text
        self.ctx = ctx
        self.g = grammar()

    def relation(self, pos: int) -> str:
        return "based_on" if in_spans(self.ctx.basis_zones, pos) else "cites"

    def tail(self, pos: int, joint: bool = False, juris: Jurisdiction | None = None) -> Tail:
        """Date and issuer after a citation head, in either order.

        Joint documents (several issuer codes in the symbol, or "của liên Bộ ...") take a chain of
        issuers: "của Bộ Tài chính, Bộ Tư pháp" -> "Bộ Tài chính - Bộ Tư pháp".
        """
        F, date, issuer, got_date, got_issuer = self.F, None, None, False, False
        juris = juris or self.ctx.jurisdiction
        limit = min(len(F), pos + 400)
        for _ in range(4):
            moved = False
            if not got_date:
                d = date_at(F, pos)
                if d:
                    date, pos, got_date, moved = d[0], d[1], True, True
            if not got_issuer:
                of = P.OF.match(F, pos)
                if of:
                    at = of.end()
                    lien = _LIEN.match(F, at)
                    if lien:
                        at, joint = lien.end(), True
                    r = issuer_at(F, at, limit, juris)
                    if r:
                        issuer, pos = self._issuers(r, joint, limit, juris)
                        got_issuer, moved = True, True
            s = P.SESSION.match(F, pos)
            if s and s.end() > pos and got_issuer:
                pos, moved = s.end(), True
            if not moved:
                break
        return Tail(date, issuer, pos, got_date, got_issuer)

    def _issuers(self, first: tuple[str | None, int], joint: bool, limit: int, juris: Jurisdiction
                 ) -> tuple[str | None, int]:
        """The issuer read at `first`, and for a joint document the chain after it, joined by " - "."""
        issuer, pos = first
        names = [issuer] if issuer else []
        while joint:
            j = _JOIN.match(self.F, pos)
            r2 = issuer_at(self.F, j.end(), limit, juris) if j else None
            if not r2 or not r2[0]:
                break
            names.append(r2[0])
            pos = r2[1]
        if len(names) > 1:
            issuer = " - ".join(dict.fromkeys(names))
        return issuer, pos

    def issuer_before(self, start: int, juris: Jurisdiction) -> str | None:
        """ "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số ...": the issuer stands before."""
        F = self.F
        at = _AT.search(F, max(0, start - 12), start)
        if at is None:
            return None
        window_start = max(0, at.start() - 160)
        ofs = list(_OF_BACK.finditer(F, window_start, at.start()))
        if not ofs:
            return None
        pos, names = ofs[-1].end(), []
        while True:
            r = issuer_at(F, pos, at.start(), juris)
            if not r or not r[0]:
                break
            names.append(r[0])
            pos = r[1]
            j = _JOIN.match(F, pos)
            if not j or j.end() >= at.start():
                break
            pos = j.end()
        if names and not F[pos:at.start()].strip():
            return " - ".join(dict.fromkeys(names))
        return None

    def subject(self, pos: int) -> tuple[str | None, tuple[int, int] | None]:
        """The trích yếu starting at pos ("về việc ...", "quy định ..."), and its span."""
        m = P.subject_start_re().match(self.F, pos)
        if not m:
            return None, None
        start = m.start("s")
        end_m = P.SUBJECT_END.search(self.F, start, min(len(self.F), start + 700))
        end = end_m.start() if end_m else min(len(self.F), start + 300)
        text = clean(self.F[start:end]).rstrip(" ,")
        return (text or None), (start, end)

    def _original(self, fstart: int, fend: int) -> tuple[int, int]:
        while fend > fstart and self.F[fend - 1] in " \t\n,;":
            fend -= 1
        return self.f.span(fstart, fend)

    def make(self, fstart: int, fend: int, **kw) -> Citation:
        """A citation over the folded span, its offsets and text in the original."""
        o0, o1 = self._original(fstart, fend)
        return Citation(start=o0, end=o1, text=self.f.original[o0:o1], **kw)

    def place(self, c: Citation, fstart: int, fend: int) -> None:
        """Move a citation to another folded span."""
        c.start, c.end = self._original(fstart, fend)
        c.text = self.f.original[c.start:c.end]

    def pin_at(self, s: int) -> re.Match[str] | None:
        """The pinpoint ending at s; a cheap word check first, as most citations have none."""
        a = max(0, s - 120)
        if not _PIN_HINT.search(self.F, a, s):
            return None
        return P.pin_before_re().search(self.F, a, s)

    def pin_before(self, s: int) -> list[str]:
        m = self.pin_at(s)
        return [clean(m["pin"])] if m else []
