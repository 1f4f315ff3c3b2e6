"""The header's text as lines, whatever shape it came in, and its place/date line.

A header reaches us as plain lines, hard-wrapped lines ("Thành phố Huế,⏎ngày 18 tháng 11 năm
2025"), pdftotext -layout columns, markdown or HTML table rows (``| ... | ... |``,
``<div align=center>``, ``**bold**``), or in upper case. ``view`` blanks the markup keeping every
offset (a table cell becomes a line of its own), so the reader works on lines and reports offsets
into the folded text. The words come from ``kg/grammar/data/header.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.grammar import grammar, load

ZONE_MAX = 8000  # the header is read in the text's first characters, up to its body
_UP = "A-ZĐÀ-Ỹ"
_LOW = "a-zđà-ỹ"


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _alt(phrases: list[str]) -> str:
    return "|".join(_words(p) for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True)
class Rules:
    """header.yaml compiled once."""

    table: dict[str, Any]
    motto: re.Pattern[str]
    not_issuer: re.Pattern[str]
    number: re.Pattern[str]
    body: re.Pattern[str]
    letter: re.Pattern[str]
    org: re.Pattern[str]
    title_start: re.Pattern[str]
    title_stop: re.Pattern[str]
    date: re.Pattern[str]
    place_line: re.Pattern[str]
    place_broken: re.Pattern[str]
    adoption: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    t = load("header.yaml")
    cue = re.escape(t["number_cue"])
    dw, blank = t["date_words"], t["date_blank"]
    units = _alt(t["place_units"])
    motto = _alt(t["motto"]).replace(r"\s+\-\s+", r"\s*-\s*")  # "Tự do- Hạnh phúc"
    title_word = rf"[{_UP}][{_LOW}]*|[{_UP}]+"
    name = rf"(?:(?:{units})[ \t]*)?(?:{title_word})(?:[ \t]+(?:{title_word})){{0,4}}"
    broken = rf"(?:(?:{units})[ \t]*)?(?:{title_word})(?:\s+(?:{title_word})){{0,4}}"
    date = (rf"(?i:{dw['day']})\s*(?P<d>\d{{1,2}}|{blank})\s*(?i:{dw['month']})\s*"
            rf"(?P<m>\d{{1,2}}|{blank})\s*(?i:{dw['year']})\s*(?P<y>(?:19|20)\d\d)")
    ad = t["adoption"]
    return Rules(
        table=t,
        motto=re.compile(rf"{motto}|-{{3,}}|\*{{2,}}|_{{3,}}|={{3,}}", re.IGNORECASE),
        not_issuer=re.compile(_alt(t["not_issuer"])),
        # Literal first (the engine jumps to it); what may stand before is checked by the caller.
        # A blank number ("Số:      /BC-UBND", "Số: …/KH-UBND") is a number cue too.
        number=re.compile(rf"(?:{cue}|{cue.upper()}|{cue.lower()}(?=\s*:))[ \t]*[:.]?\s*(?=\d|[.…_ \t]*/)"),
        body=re.compile(rf"(?m)^[ \t]*(?:[-+•*][ \t]*)?(?:{_alt(t['body_openers'])}|"
                        rf"{_alt(t['body_openers_upper'])}|Điều\s+1\b|I\.|1\.)"),
        letter=re.compile(rf"(?:{_alt(t['letter_subject'])})(?=[\s:])"),
        org=re.compile(rf"(?:{_alt(t['org_words'])})\b"),
        title_start=re.compile(rf"\b(?:{_alt(t['title_starters'])})\b.*"),
        title_stop=re.compile(rf"(?:{_alt(t['title_stoppers'])})\b"),
        date=re.compile(date),
        place_line=re.compile(rf"(?<![\w/\-.])(?P<place>{name})[ \t]*(?P<comma>,?)[ \t]*\Z"),
        place_broken=re.compile(rf"(?:\A|(?<=\n)|(?<=[ \t]{{3}}))[ \t]*(?P<place>{broken})[ \t]*,?\s*\Z"),
        adoption=re.compile(rf"(?:{_alt(ad['own'])})\s[^;]{{0,300}}?{_words(ad['verb'])}\s+{date}"),
    )


# -- the header as lines ---------------------------------------------------------------------------

# Formatting tags only: any other "<...>" in a text file is the text's own words.
_TAGS = r"div|p|br|b|strong|i|em|u|span|font|center|table|thead|tbody|tr|td|th|h[1-6]|li|ul|ol|sup|sub"
_MARKUP = re.compile(rf"</?(?:{_TAGS})\b[^<>\n]{{0,300}}>" r"|&nbsp;|\*{1,3}|^[ \t]*#{1,6}(?=[ \t])|\\(?=[-.*_#|])",
                     re.MULTILINE)


_BLOCK = re.compile(r"</?(?:br|p|div|tr|td|th|li|h\d|table)\b", re.IGNORECASE)


def view(F: str, end: int) -> str:
    """F[:end] with markup blanked and table cells as lines, every offset kept."""
    V = _MARKUP.sub(lambda m: ("\n" if _BLOCK.match(m.group(0)) else " ") + " " * (len(m.group(0)) - 1), F[:end])
    return V.replace("|", "\n")


def join_spaced(line: str) -> str:
    """ "B Ộ LAO ĐỘNG ... V À X Ã HỘI" (letters a converter split) -> "BỘ LAO ĐỘNG ... VÀ XÃ HỘI":
    a Vietnamese syllable has a vowel, so a lone consonant run before a vowel-initial word is a split."""
    return re.sub(r"(?<!\S)([^\W\d_]{1,2}) (?=([^\W\d_]))",
                  lambda m: m.group(1) if _consonants(m.group(1)) and _vowel(m.group(2)) else m.group(0), line)


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0].upper()


def _consonants(s: str) -> bool:
    return s.isupper() and not any(_base(c) in "AEIOUY" for c in s)


def _vowel(ch: str) -> bool:
    return ch.isupper() and _base(ch) in "AEIOUY"


# -- place and date --------------------------------------------------------------------------------

@dataclass
class PlaceDate:
    """ "Tây Ninh, ngày ... tháng 02 năm 2023": the place as written, the date's parts, where it ends."""

    place: str | None
    day: str
    month: str
    year: int
    end: int

    @property
    def iso(self) -> str | None:
        if self.day.isdigit() and self.month.isdigit():
            return f"{self.year:04d}-{int(self.month):02d}-{int(self.day):02d}"
        return None

    @property
    def partial(self) -> str | None:
        if self.iso:
            return None
        return f"{self.year:04d}-{int(self.month):02d}" if self.month.isdigit() else f"{self.year:04d}"


def _date(m: re.Match[str], place: str | None) -> PlaceDate:
    return PlaceDate(place, m["d"].strip(" .…_\n\t"), m["m"].strip(" .…_\n\t"), int(m["y"]), m.end())


def place_date(V: str, start: int, end: int) -> PlaceDate | None:
    """The first date of the zone with a place before it, on its line or broken over two lines."""
    R = rules()
    for m in R.date.finditer(V, start, end):
        place = place_before(V, max(start, m.start() - 80), m.start())
        if place:
            return _date(m, place)
    return None


def date_after(V: str, start: int, end: int) -> PlaceDate | None:
    """The gazette's "SỐ 01/2010/NĐ-CP NGÀY 04 THÁNG 01 NĂM 2010": a date right after the number."""
    m = rules().date.search(V, start, min(end, start + 40))
    return _date(m, None) if m and not V[start:m.start()].strip(" \t\n,") else None


def adopted(F: str) -> PlaceDate | None:
    """The adoption clause's date, in the last pages of the text."""
    m = None
    for m in rules().adoption.finditer(F, max(0, len(F) - 6000)):
        pass
    return _date(m, None) if m else None


def place_before(V: str, lo: int, hi: int) -> str | None:
    """The place name that ends at ``hi`` (before "ngày"): on the same line, or, when the line holds
    only the end of it (or nothing), from the start of the line before ("Thành phố Hồ Chí⏎Minh,")."""
    R = rules()
    line_start = V.rfind("\n", 0, hi) + 1
    same = R.place_line.search(V, max(lo, line_start), hi)
    before = V[line_start:same.start("place")] if same else ""
    if before.strip() and not before.endswith("   "):
        # mid-line: "Tây Ninh, ngày", never "... của HĐND tỉnh Thừa Thiên Huế ngày 21 tháng 8 năm 2023"
        return _clean_place(same["place"]) if same["comma"] else None
    prev_start = V.rfind("\n", 0, max(line_start - 1, 0)) + 1 if line_start else line_start
    broken = R.place_broken.search(V, max(lo, prev_start), hi)
    if broken and (same is None or _plausible(broken["place"])):
        return _clean_place(broken["place"])
    return _clean_place(same["place"]) if same else None


def _plausible(name: str) -> bool:
    """A place broken over two lines is a known place, or a unit word and a name."""
    clean = _clean_place(name)
    g = grammar()
    bare = re.sub(rf"^(?:{_alt(rules().table['place_units'])}|Thành phố)\s*", "", clean, flags=re.IGNORECASE)
    return g.place(bare) is not None or bare != clean


def _clean_place(name: str) -> str:
    name = " ".join(name.split()).strip(" ,")
    for abbr, full in rules().table["place_unit_names"].items():
        if name.startswith(abbr + " ") or (abbr.endswith(".") and name.startswith(abbr)):
            return f"{full} {name[len(abbr):].strip()}"
    return name


# -- upper-case lines to sentence case -------------------------------------------------------------

_ROMAN = re.compile(r"[IVXLC]+\Z")


def has_lower(s: str) -> bool:
    return any(c.islower() for c in s)


def sentence_case(s: str) -> str:
    """An upper-case header title to sentence case. Symbols ("1237/QĐ-TTG"), acronyms ("HĐND",
    "5G", "IOT"), Roman numerals ("KHÓA XVI") keep their case; place and central body names are
    written as the tables write them."""
    s = " ".join(s.split())
    if not s.isupper():
        return s
    toks = s.split(" ")
    out = " ".join(_lower_token(t, toks[i - 1] if i else "") for i, t in enumerate(toks))
    names = _names()
    return names[0].sub(lambda m: names[1][m.group(0)], out)


def _lower_token(tok: str, before: str) -> str:
    core = tok.strip("()“”\"',.;:!?")
    if core in ("V/V", "V/v"):
        return tok.replace(core, "v/v")
    roman = _ROMAN.match(core) and (len(core) > 2 or before in rules().table["roman_after"])
    if not core or any(c.isdigit() or c in "/-" for c in core) or roman or _consonants(core) or tok.startswith("("):
        return tok
    g = grammar()
    if core in g.type_by_code or core in g.issuer_by_code:
        return tok
    return tok.lower()


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every place name and alias and every central body's name, lower case -> as written."""
    g = grammar()
    table = {n.lower(): n for p in g.places for n in (p.name, *p.aliases)}
    table.update({i.name.lower(): i.name for i in g.issuers if i.template is None and i.level == "central"})
    alt = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), table
