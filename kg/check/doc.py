"""The document as the rules see it: one extracted document plus the readings every rule needs,
computed once (each numbered citation read again for its symbol, its written type word and its
own date; the citing document's number and date bounds).

The words read here ("ngày", "số", "của" ...) are compiled from ``kg/check/data/symbols.yaml``;
symbols are taken apart by ``kg.grammar.symbols`` only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.check.facts import ValidityProvider
from kg.check.tables import Tables, tables
from kg.grammar import DocType, Grammar, Issuer, grammar
from kg.grammar.symbols import parse_symbol
from kg.ingest.normalize import fold_key, fold_string
from kg.models import Citation, Document, Symbol


def valid_date(d: int, m: int, y: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class Written:
    """A date as the text writes it, with its place."""

    start: int
    end: int
    day: int
    month: int
    year: int

    @property
    def value(self) -> date | None:
        return valid_date(self.day, self.month, self.year)


@dataclass
class Cite:
    """A numbered citation with what the rules read again from its own text."""

    c: Citation
    sym: Symbol | None
    sym_span: tuple[int, int]  # original offsets of the số hiệu
    written_type: DocType | None  # the type word written right before the number
    written_type_text: str | None
    own_date: Written | None  # the date written in this citation (not one shared from a list)


class Doc:
    """One extracted document plus the readings every rule needs, computed once."""

    def __init__(self, doc: Document, provider: ValidityProvider | None = None, today: date | None = None):
        self.doc = doc
        self.text = doc.text
        self.provider = provider
        self.today = today or date.today()
        self.g: Grammar = grammar()
        self.t: Tables = tables()
        self._nl = [m.start() for m in re.finditer("\n", self.text)]
        self.cites = [self._read(c) for c in doc.citations if c.kind == "numbered" and c.identifier]
        # documents cited by name in the "Căn cứ" preamble ("Nghị quyết Hội nghị Trung ương 6 khóa IX")
        self.named_basis = [Cite(c, None, (c.start, c.end), None, None, None) for c in doc.citations
                            if c.kind != "numbered" and c.relation == "based_on" and c.cited_by is None]
        h = doc.header
        self.header_sym = parse_symbol(h.identifier) if h.identifier else self._blank_number()
        self.day: date | None = iso_date(h.date)
        self.latest: date | None = self.day or _month_end(h.date_partial) or (
            date(h.year, 12, 31) if h.year and not h.date_partial else None)

    def _blank_number(self) -> Symbol | None:
        """A draft leaves the number blank ("Số:      /2023/QĐ-UBND"); its year and codes still say
        whether it is normative, so they are read from the "Số:" line of the header."""
        m = self.t.words.number_line.search(fold_string(self.text[:3000]))
        if not m:
            return None
        return parse_symbol(f"{m[1] or '0'}/" + (f"{m[2]}/" if m[2] else "") + m[3])

    def line_col(self, off: int) -> tuple[int, int]:
        k = bisect.bisect_left(self._nl, off)
        start = self._nl[k - 1] + 1 if k else 0
        return k + 1, off - start + 1

    def _read(self, c: Citation) -> Cite:
        """A citation read again: where its số hiệu stands, the type word before it, its own date."""
        raw = c.text
        folded = fold_string(raw)
        if len(folded) != len(raw):
            folded = raw
        w = self.t.words
        s0, s1 = _find_spaced(folded, c.identifier) or (0, len(raw))
        before = " ".join(folded[:s0].split())
        before = w.plural.sub("", w.number_word.sub("", before).strip())
        wt = self.g.doc_type(before) if before else None
        if wt is not None:
            wt, before = self._compound(c, wt, before)
        own = None
        for rx in (w.date_numeric, w.date_long):
            dm = rx.search(folded, s1)
            if dm and (own is None or dm.start() < own.start):
                own = Written(c.start + dm.start(), c.start + dm.end(), int(dm[1]), int(dm[2]), int(dm[3]))
        return Cite(c, parse_symbol(c.identifier), (c.start + s0, c.start + s1), wt, before or None, own)

    def _compound(self, c: Citation, wt: DocType, before: str) -> tuple[DocType | None, str]:
        """ "Thông báo kết luận số ...": the extractor read "kết luận"; the word before decides."""
        lead = fold_key(fold_string(self.text[max(0, c.start - 40):c.start]))
        for compound, tname in self.t.compounds.items():
            head = compound[: -len(fold_key(before))].strip() if compound.endswith(fold_key(before)) else None
            if head and lead.endswith(head):
                return self.g.doc_type(tname), compound
        return wt, before

    def written_issuer(self, x: Cite) -> Issuer | None:
        """The issuing body the text names after the number ("... của UBND tỉnh"), if any."""
        from kg.resolve.issuers import issuer_re

        rel = x.sym_span[1] - x.c.start
        tail = fold_string(x.c.text)[rel:]
        of = self.t.words.of_issuer.search(tail)
        if not of:
            return None
        m = issuer_re().match(tail, of.end())
        if not m:
            return None
        return self.g.issuer_by_phrase.get(fold_key(m.group("body")))


def _find_spaced(hay: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` stands in ``hay`` when spaces and line breaks may sit between its characters
    ("132/ 2008/NĐ - CP"): search the text with its whitespace taken out, then map back."""
    keep = [i for i, ch in enumerate(hay) if not ch.isspace()]
    k = "".join(hay[i] for i in keep).find("".join(needle.split()))
    if k < 0 or not needle.strip():
        return None
    return keep[k], keep[k + len("".join(needle.split())) - 1] + 1


def iso_date(s: str | None) -> date | None:
    """An ISO date string (or its first ten characters) -> date; None when absent or invalid."""
    if not s:
        return None
    try:
        y, m, d = (int(x) for x in s[:10].split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(s: str | None) -> date | None:
    if not s:
        return None
    try:
        y, m = (int(x) for x in s.split("-")[:2])
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    except ValueError:
        return None
    return nxt - timedelta(days=1)


def fmt(d: date | None) -> str:
    """A date as the messages write it (dd/mm/yyyy)."""
    return d.strftime("%d/%m/%Y") if d else "?"


def quote(s: str) -> str:
    """The quoted text of a message, whitespace collapsed."""
    return " ".join(s.split())


def cited_date(x: Cite) -> date | None:
    """The cited document's date: the one written in the citation, else the extractor's."""
    return x.own_date.value if x.own_date and x.own_date.value else iso_date(x.c.date)
