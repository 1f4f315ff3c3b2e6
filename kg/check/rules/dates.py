"""`date.*`: impossible dates, a number's year against its date, a cited document dated after
the citing one, one document cited with two dates.

Dates are read as the text writes them (``Doc``'s ``own_date``, the date words of
``kg/check/data/symbols.yaml``), since the extractor drops the impossible ones.
"""

from __future__ import annotations

from datetime import date
from typing import Iterator

from kg.check.doc import Cite, Doc, fmt, quote, valid_date
from kg.check.rule import Hit, rule
from kg.grammar.symbols import identifier_key
from kg.models import Form


@rule("date.impossible", "error",
      ("Ngày không có thật", "Impossible date"),
      {"": ("“{quote}”: không có ngày {day} tháng {month} năm {year}",
            "“{quote}”: there is no day {day} in month {month} of {year}")})
def date_impossible(d: Doc) -> Iterator[Hit]:
    """31/02 or 00/13 cannot be the date of anything; the extractor drops such dates silently, so
    the raw text is read again here."""
    w = d.t.words
    seen: set[int] = set()
    for rx in (w.date_numeric, w.date_long, w.date_bare):
        bare = rx is w.date_bare
        for m in rx.finditer(d.text):
            if m.start() in seen or (bare and m.start() and d.text[m.start() - 1] in "0123456789/.-"):
                continue
            dd, mm, yy = int(m[1]), int(m[2]), int(m[3])
            if not 1900 <= yy <= 2100 or valid_date(dd, mm, yy):
                continue
            if bare and not (1 <= mm <= 12 or 1 <= dd <= 31):
                continue  # "45/60/2020" is no date at all: a ratio, a code
            seen.update(range(m.start(), m.end()))
            yield Hit(m.start(), m.end(), dict(quote=quote(m.group(0)), day=dd, month=mm, year=yy))


@rule("date.number-year", "error",
      ("Năm trong số hiệu khác năm ban hành", "Year in the number differs from the date"),
      {"": ("“{quote}”: số hiệu ghi năm {num_year} nhưng ngày ban hành là {when}",
            "“{quote}”: the number says {num_year} but the date is {when}")},
      ("Luật Ban hành VBQPPL 2015 Điều 10 khoản 1; Nghị định 34/2016/NĐ-CP Điều 58",
       "Law on Legal Documents 2015 art. 10(1); Decree 34/2016/NĐ-CP art. 58"))
def date_number_year(d: Doc) -> Iterator[Hit]:
    """A normative number carries its year of issue (numbering restarts each 1 January), so
    "46/2002/QĐ-UBND ngày 12/09/2022" has a wrong number or a wrong date."""
    for x in d.cites:
        s, w = x.sym, x.own_date
        if s is None or s.form is not Form.NORMATIVE or w is None or w.value is None:
            continue
        if w.year != s.year:
            q = quote(d.text[x.c.start:w.end])
            yield Hit(x.c.start, w.end, dict(quote=q, num_year=s.year, when=fmt(w.value)), citation=x.c)


@rule("date.after-citing", "error",
      ("Văn bản được dẫn ban hành sau văn bản dẫn", "Cited document dated after the citing one"),
      {"": ("“{quote}”: ngày {when} muộn hơn ngày của chính văn bản này ({own})",
            "“{quote}”: dated {when}, after this document itself ({own})")})
def date_after_citing(d: Doc) -> Iterator[Hit]:
    """A document cannot rest on one signed after it; when the day of the citing document is
    blank (a draft), the end of its month or year is the bound."""
    if d.latest is None:
        return
    h = d.doc.header
    own = fmt(d.day) if d.day else ("/".join(reversed(h.date_partial.split("-")[:2])) if h.date_partial
                                     else str(h.year))
    for x in d.cites:
        w = x.own_date
        if w is None or w.value is None or w.value <= d.latest:
            continue
        q = quote(d.text[x.c.start:w.end])
        yield Hit(x.c.start, w.end, dict(quote=q, when=fmt(w.value), own=own), citation=x.c)


@rule("date.conflict", "warning",
      ("Một văn bản, hai ngày khác nhau", "One document, two dates"),
      {"": ("“{quote}”: cùng số hiệu {ident} nhưng dòng {first_line} ghi ngày {first}",
            "“{quote}”: the same number {ident} is dated {first} on line {first_line}")})
def date_conflict(d: Doc) -> Iterator[Hit]:
    """The same number with two dates in one text means one date is mistyped. A date whose year
    contradicts a normative number is `date.number-year`'s finding, not a second one here; numbers
    without a year repeat every year, so for them only dates of the same year and body count.
    Each further date is reported once, where it first appears."""
    seen: dict[tuple, dict[date, Cite]] = {}
    for x in d.cites:
        w = x.own_date
        if x.sym is None or w is None or w.value is None:
            continue
        if x.sym.form is Form.NORMATIVE and w.year != x.sym.year:
            continue
        key: tuple = (identifier_key(x.c.identifier),)
        if x.sym.form is not Form.NORMATIVE:
            key += (w.year, x.c.issuer)
        dates = seen.setdefault(key, {})
        if w.value in dates:
            continue
        if dates:
            v0, x0 = next(iter(dates.items()))
            q = quote(d.text[x.c.start:w.end])
            yield Hit(x.c.start, w.end, dict(quote=q, ident=x.c.identifier, first=fmt(v0),
                                              first_line=d.line_col(x0.c.start)[0]), citation=x.c)
        dates[w.value] = x
