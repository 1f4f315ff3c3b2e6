"""The citing document's own header: who issued it, its number, place, date, type and title.

The header decides how everything else is read: its province completes "UBND tỉnh", its number
is not a citation, and where it ends the body (and the "Căn cứ" preamble) begins.
Two layouts occur: the modern one (issuer lines, "Số: ...", "Place, ngày ...", TYPE, title) and
the older gazette one ("NGHỊ ĐỊNH / CỦA CHÍNH PHỦ SỐ 01/2010/NĐ-CP NGÀY 04 THÁNG 01 NĂM 2010").
Either may come broken over lines, in columns, in markdown or HTML, or in upper case:
``header_text.view`` turns every shape into plain lines first. A number or a day the text leaves
blank (a draft's "Số: …/KH-UBND", "ngày … tháng … năm 2026") stays blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract import patterns as P
from kg.extract.header_issuer import jurisdiction, read_issuers
from kg.extract.header_text import ZONE_MAX, PlaceDate, adopted, date_after, has_lower, place_date, rules, sentence_case, view
from kg.grammar import DocType, code_key, grammar
from kg.grammar.symbols import code_type, identifier_key, implied_type, parse_symbol, symbol_of
from kg.grammar.symbols import table as symbol_forms
from kg.ingest.normalize import Folded, fold_key
from kg.models import Form, Header, Symbol
from kg.resolve.issuers import Jurisdiction, issuer_at

_ZONE_DEFAULT = 2500  # with no body cue, the header zone
_LINE = re.compile(r"(?m)^[^\n]*$")
_BLANK_NUMBER = re.compile(r"[.…_ \t]*/[ \t]*(?P<sym>[^\W\d_][^\s,|]*)")


@dataclass
class HeaderRead:
    """What ``read_header`` gives the citation engine."""

    header: Header
    jurisdiction: Jurisdiction
    own_spans: list[tuple[int, int]] = field(default_factory=list)  # the document's own number
    header_end: int = 0  # folded offset where the header block ends (the body and its "Căn cứ" preamble follow)


@dataclass
class _Number:
    """The document's own number: "Số: 165/KH-UBND", or a blank "Số:      /BC-UBND"."""

    cue: int  # where "Số" starts
    end: int  # where the number (or the blank's symbol) ends
    symbol: Symbol | None
    identifier: str | None = None  # "/KH-UBND" when the number is blank
    span: tuple[int, int] | None = None


def read_header(folded: Folded) -> HeaderRead:
    F = folded.text
    zone_end = _zone_end(F)
    V = view(F, zone_end)
    h = Header()
    num = _own_number(V, zone_end)
    if num:
        _set_number(h, num)
    pd = place_date(V, 0, zone_end) or (date_after(V, num.end, zone_end) if num else None)
    if pd:
        _set_date(h, pd)
    elif num and num.identifier and (ad := adopted(F)):
        _set_date(h, ad)
    header_end = max(num.end if num else 0, pd.end if pd else 0)
    type_line = _type_line(V, zone_end, num.cue if num else 0, header_end)
    letter = _letter_at(V, num, zone_end)
    h.doc_type = _doc_type(num.symbol if num else None, type_line, letter)
    place = read_issuers(h, V, (num.cue, num.end) if num else None, zone_end)
    place = jurisdiction(h, F, place)
    juris = Jurisdiction(place)
    h.jurisdiction = place.name if place else None
    if type_line is not None:
        header_end = max(header_end, _read_title(h, V, type_line, num, zone_end))
    elif letter is not None:
        header_end = max(header_end, _read_letter_subject(h, V, letter, zone_end))
    elif num and h.doc_type == "Công văn" and (after := V.find("\n", num.end) + 1):
        header_end = max(header_end, _read_letter_subject(h, V, after, zone_end, cued=False))
    elif num is None and pd is None:
        _headless(h, V, zone_end, juris)
    return HeaderRead(h, juris, [num.span] if num and num.span else [], header_end)


def _zone_end(F: str) -> int:
    """Where the body starts: its first opener ("Căn cứ", "Thực hiện", "I.") that is not the first
    line under an upper-case type line (there it opens the title)."""
    g, pos, end = grammar(), 0, min(len(F), ZONE_MAX)
    while (body := rules().body.search(F, pos, end)) is not None:
        before = F[max(0, body.start() - 200):body.start()].rstrip().rsplit("\n", 1)[-1].strip(" :*#\t")
        if not (before.isupper() and g.doc_type(before) is not None):
            return body.start()
        pos = F.find("\n", body.start()) + 1 or end
    return min(len(F), _ZONE_DEFAULT)


# -- number ----------------------------------------------------------------------------------------

# An OCR'd header often loses "Số:" but keeps the number beside the place and date:
# "... 41 /CT-TTg Hà Nội, ngày 4 tháng 3 năm 2020". Zero width, at the number.
_NUMBER_BY_PLACE = re.compile(r"(?<!\S)(?=\d{1,5}[ \t]*[/-][^\n]{1,40}?[ \t][A-ZĐ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,3},[ \t]*ngày)")


def _number_cue(V: str, end: int) -> re.Match[str] | None:
    for m in rules().number.finditer(V, 0, end):
        before = V[m.start() - 1] if m.start() else " "
        if before.isspace() or before == "(" or V[m.start():m.start() + 2].isupper():
            return m
    for m in _NUMBER_BY_PLACE.finditer(V, 0, end):
        if P.SYMBOL.match(V, m.end()):
            return m
    return None


def _own_number(V: str, end: int) -> _Number | None:
    cue = _number_cue(V, end)
    if cue is None:
        return None
    sm = P.SYMBOL.match(V, cue.end())
    if sm:
        return _Number(cue.start(), sm.end(), symbol_of(sm), re.sub(r"\s+", "", sm.group(0)), (sm.start(), sm.end()))
    blank = _BLANK_NUMBER.match(V, cue.end())
    if blank is None:
        return None
    # a number left blank: its codes read like any other's; the identifier is printed with its blank
    # ("/KH-KHCN", as ../shared/gold/seed.json writes it), the number stays None
    return _Number(cue.start(), blank.end(), parse_symbol("0/" + blank["sym"]), "/" + blank["sym"])


def _set_number(h: Header, num: _Number) -> None:
    sym = num.symbol
    h.identifier = num.identifier
    if sym is None:
        return
    h.symbol = sym.symbol
    if num.identifier and not num.identifier.startswith("/"):
        h.number, h.year = sym.number, sym.year


def own_keys(h: Header) -> set[str]:
    if h.identifier and h.number:
        return {identifier_key(h.identifier)}
    return set()


# -- place and date --------------------------------------------------------------------------------

def _set_date(h: Header, pd: PlaceDate) -> None:
    h.date, h.date_partial = pd.iso, pd.partial
    h.year = h.year or pd.year
    if pd.place:
        h.place = sentence_case(pd.place) if pd.place.isupper() else pd.place


# -- type ------------------------------------------------------------------------------------------

def _type_line(V: str, end: int, number_at: int, header_end: int) -> re.Match[str] | None:
    """The first upper-case type line ("QUYẾT ĐỊNH") outside the number and place/date lines."""
    g = grammar()
    for m in _LINE.finditer(V, 0, end):
        if number_at <= m.start() < header_end:
            continue
        ln = m.group(0).strip(" :#\t")
        if ln.isupper() and g.doc_type(ln) is not None:
            return m
    return None


def _letter_at(V: str, num: _Number | None, end: int) -> int | None:
    """Where a letter's "V/v ..." starts: at a line start, or right after the number."""
    for m in rules().letter.finditer(V, 0, end):
        line_start = V.rfind("\n", 0, m.start()) + 1
        if not V[line_start:m.start()].strip() or (num and not V[num.end:m.start()].strip()):
            return m.start()
    return None


def _doc_type(sym: Symbol | None, type_line: re.Match[str] | None, letter: int | None) -> str | None:
    """The symbol's type code first, then the type line; a letter ("V/v") is a Công văn, and with
    neither a type line nor a type code the symbol's form says (an administrative number: a letter)."""
    g = grammar()
    coded = code_type(sym) if letter is None else None
    written = g.doc_type(type_line.group(0).strip(" :#\t")) if type_line is not None else None
    if written is not None and (coded is None or sym is None or not sym.symbol):
        return written.name
    if coded is not None:
        return coded.name
    if letter is not None:
        return g.doc_type(symbol_forms()["untyped_administrative"]).name
    if sym is not None and written is None:
        t = _old_type(sym) or implied_type(sym)
        return t.name if t else None
    return None


def _old_type(sym: Symbol) -> DocType | None:
    """The old style "12-CT", "01-QĐ": a type code as its only code ("206-CP" names a body)."""
    if sym.form is not Form.OLD or len(sym.issuer_codes) != 1:
        return None
    code = code_key(sym.issuer_codes[0])
    return None if code in grammar().issuer_by_code else grammar().type_by_code.get(code)


# -- title -----------------------------------------------------------------------------------------

def _read_title(h: Header, V: str, type_line: re.Match[str], num: _Number | None, end: int) -> int:
    """The trích yếu under the type line, as printed (``subject``) and as a title; where it ends."""
    lines, stop = _title_lines(V, type_line, num, end, h.issuer)
    if lines and _organ(h, lines[0]):
        lines = lines[1:]
    if lines:
        h.subject = " ".join(" ".join(lines).split())
        t = sentence_case(h.subject)
        if t[:2].istitle():
            t = t[:1].lower() + t[1:]
        h.title = f"{h.doc_type} {t}" if h.doc_type else t
    return max(stop, type_line.end())


def _organ(h: Header, line: str) -> bool:
    """ "CỦA ĐOÀN CHỦ TỊCH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM KHÓA XI": the issuer's organ issued it."""
    cue = rules().table["organ_cue"] + " "
    if not (h.issuer and line.isupper() and line.startswith(cue)) or fold_key(h.issuer) not in fold_key(line):
        return False
    organ = fold_key(line[len(cue):]).split(fold_key(h.issuer))[0].strip()
    if organ:
        h.issuer, h.parent_issuer = f"{organ[:1].upper()}{organ[1:]} {h.issuer}", h.issuer
    return True


def _title_lines(V: str, type_line: re.Match[str], num: _Number | None, end: int,
                 issuer: str | None) -> tuple[list[str], int]:
    R = rules()
    out: list[str] = []
    stop = type_line.end()
    upper = None
    for m in _LINE.finditer(V, type_line.end() + 1, end):
        ln = " ".join(m.group(0).split())
        if not ln:
            if out:
                break
            continue
        if (num and num.cue <= m.start() < num.end) or rules().date.fullmatch(ln):
            continue  # the number's and the gazette's date lines
        if num and num.span and m.start() <= num.span[0] < m.end():  # the gazette's "... SỐ 01/2010/NĐ-CP NGÀY ... VỀ ..."
            tail = R.title_start.search(V, num.end, m.end())
            if tail:
                out.append(tail.group(0).strip())
            continue
        if re.fullmatch(r"[\W_]+", ln):  # a rule under the title
            if out:
                break
            continue
        if upper is None:
            upper = not has_lower(ln)
        if _ends_title(ln, issuer, upper):
            break
        out.append(ln)
        stop = m.end()
        if len(out) >= R.table["title_lines"]:
            break
    return out, stop


def _ends_title(ln: str, issuer: str | None, upper: bool) -> bool:
    """A line that is not the title's: a place/date, a body's name, the signer, a "QUYẾT ĐỊNH:",
    or, under an upper-case title, a sentence in lower case (the body, when no cue word opens it)."""
    if (upper and has_lower(ln) and not ln[:1].islower()) or ln.endswith(":") or place_date(ln, 0, len(ln)):
        return True
    if issuer and fold_key(ln) == fold_key(issuer):
        return True
    if not ln.isupper():
        return False
    stopper = rules().title_stop.match(ln)
    rest = ln[stopper.end():].strip() if stopper else ln
    if stopper and not rest:
        return True
    r = issuer_at(rest, 0, len(rest), Jurisdiction())
    return r is not None and r[1] >= len(rest.rstrip(" .,"))


def _read_letter_subject(h: Header, V: str, start: int, end: int, cued: bool = True) -> int:
    """A letter's "V/v ..." lines (or, ``cued`` False, the mixed-case lines under its number: "Về
    hướng dẫn ..."), up to a blank line, the motto, an upper-case line or the place/date line."""
    out: list[str] = []
    stop = start
    for m in re.compile(r"[^\n]*").finditer(V, start, end):
        ln = " ".join(m.group(0).split())
        if not m.group(0) and m.start() > start and V[m.start() - 1] != "\n":
            continue  # the empty match after each line
        if (not ln or place_date(ln, 0, len(ln)) or len(out) >= rules().table["title_lines"]
                or ((out or not cued) and (not has_lower(ln) or rules().motto.match(ln)))):
            break
        pd = rules().date.search(ln)
        out.append(ln[:pd.start()] if pd else ln)
        stop = m.end()
    if out:
        h.subject = " ".join(" ".join(out).split())
        h.title = h.subject
    return stop


def _headless(h: Header, V: str, end: int, juris: Jurisdiction) -> None:
    """No number and no date (a corpus extract): the first line's type word ("Quyết định về việc
    ..."), and a line that is a body's name ("Ủy ban nhân dân tỉnh nghệ an")."""
    g = grammar()
    lines = [ln.strip() for ln in V[:end].splitlines() if ln.strip()][:4]
    if not lines:
        return
    if h.doc_type is None:
        first = lines[0].split()
        for k in (3, 2, 1):
            t = g.doc_type(" ".join(first[:k]))
            if t is not None and len(first) > k:
                h.doc_type = t.name
                h.subject = " ".join(first[k:])
                h.title = f"{t.name} {h.subject}"
                break
    for ln in lines[1:] if h.doc_type else lines:
        r = issuer_at(ln, 0, len(ln), juris)
        if h.issuer is None and r and r[0] and r[1] >= len(ln.rstrip(" .,")):
            h.issuer = r[0]
