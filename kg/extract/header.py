"""The citing document's own header: who issued it, its number, place, date, type and title.

The header decides how everything else is read: its province completes "UBND tỉnh", its number
is not a citation, and where it ends the body (and the "Căn cứ" preamble) begins.
Two layouts occur: the modern one (issuer lines, "Số: ...", "Place, ngày ...", TYPE, title) and
the older gazette one ("NGHỊ ĐỊNH / CỦA CHÍNH PHỦ SỐ 01/2010/NĐ-CP NGÀY 04 THÁNG 01 NĂM 2010").
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import patterns as P
from kg.grammar import code_key, grammar
from kg.grammar.symbols import code_type, identifier_key, parse_symbol, symbol_of
from kg.ingest.normalize import Folded, fold_key
from kg.models import Header
from kg.resolve.issuers import Jurisdiction, find_place, issuer_at

_MOTTO = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc"
    r"|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|-{3,}|\*{2,}|_{3,}|={3,}|\|",
    re.IGNORECASE,
)
# Literal first (the engine jumps to "Số"/"SỐ"/"số"); what may stand before is checked in `_number`.
_NUMBER = re.compile(r"(?:Số|SỐ|số(?=\s*:))[ \t]*[:.]?\s*(?=[\d/])")
_DATE_WORDS = re.compile(
    r"ngày\s*(?P<d>\d{1,2}|[.…\s]*)\s*tháng\s*(?P<m>\d{1,2}|[.…\s]*)\s*năm\s*(?P<y>(?:19|20)\d\d)"
)
_PLACE_BEFORE = re.compile(
    r"(?<![\w/\-])(?P<place>(?:TP\.[ \t]?|[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){0,4}),?\s*\Z"
)


class _PlaceDate:
    """ "Tây Ninh, ngày ... tháng 02 năm 2023": found from the literal "ngày", the place read backwards."""

    def __init__(self, F: str, m: re.Match[str], place: re.Match[str]):
        self._m, self._p = m, place

    def __getitem__(self, k: str) -> str:
        return self._p["place"] if k == "place" else self._m[k]

    def end(self) -> int:
        return self._m.end()


def _place_date(F: str, start: int, end: int) -> _PlaceDate | None:
    for m in _DATE_WORDS.finditer(F, start, end):
        line_start = F.rfind("\n", 0, m.start()) + 1
        p = _PLACE_BEFORE.search(F, max(line_start, m.start() - 60), m.start())
        if p:
            return _PlaceDate(F, m, p)
    return None


# An OCR'd header often loses "Số:" but keeps the number beside the place and date:
# "... 41 /CT-TTg Hà Nội, ngày 4 tháng 3 năm 2020". Zero width, at the number.
_NUMBER_BY_PLACE = re.compile(r"(?<!\S)(?=\d{1,5}[ \t]*[/-][^\n]{1,40}?[ \t][A-ZĐ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,3},[ \t]*ngày)")


def _number(F: str, end: int) -> re.Match[str] | None:
    for m in _NUMBER.finditer(F, 0, end):
        before = F[m.start() - 1] if m.start() else " "
        if before.isspace() or before == "(" or F[m.start():m.start() + 2] == "SỐ":
            return m
    for m in _NUMBER_BY_PLACE.finditer(F, 0, end):
        if P.SYMBOL.match(F, m.end()):
            return m
    return None


_SUBJECT_LINE = re.compile(r"(?m)^[ \t]*V/v\b")
_UPPER_DATE = re.compile(r"NGÀY\s*(?P<d>\d{1,2})\s*THÁNG\s*(?P<m>\d{1,2})\s*NĂM\s*(?P<y>(?:19|20)\d\d)")
_BODY_START = re.compile(
    r"(?m)^[ \t]*(?:[-+•*][ \t]*)?(?:Căn\s+cứ|CĂN\s+CỨ|Thực\s+hiện|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|Kính\s+gửi"
    r"|Điều\s+1\b|I\.|1\.)"
)
_ORG_WORDS = re.compile(r"(?:SỞ|CỤC|CHI\s+CỤC|TRẠI|TRUNG\s+TÂM|BAN|PHÒNG|VỤ|VĂN\s+PHÒNG|TỔNG\s+CỤC|VIỆN"
                        r"|TRƯỜNG|BỆNH\s+VIỆN|CÔNG\s+TY|HỘI|ĐOÀN|BỘ|ỦY\s+BAN|TỔNG\s+LIÊN\s+ĐOÀN|BẢO\s+HIỂM)\b")


def _title_case(s: str) -> str:
    """An upper-case header title to sentence case, keeping place names capitalised."""
    s = " ".join(s.split())
    if not s.isupper():
        return s
    names = _place_names()
    return names[0].sub(lambda m: names[1][m.group(0)], s.lower())


@lru_cache(maxsize=1)
def _place_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every place name and alias, lower case -> as written, and one regex that finds them all."""
    table = {n.lower(): n for p in grammar().places for n in (p.name, *p.aliases)}
    alt = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), table


def _bodies(text: str, juris: Jurisdiction) -> list[str]:
    """Split the issuer lines into bodies, known ones by the gazetteer, others by an org word."""
    bodies: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        m = re.compile(r"\S").search(text, pos)
        if not m:
            break
        pos = m.start()
        r = issuer_at(text, pos, n, juris)
        if r and r[0]:
            bodies.append(r[0])
            pos = r[1]
            continue
        o = _ORG_WORDS.match(text, pos)
        if o:
            nxt = pos + 1
            end = n
            while nxt < n:
                r2 = issuer_at(text, nxt, n, juris) if text[nxt - 1] == " " else None
                if r2 and r2[0]:
                    end = nxt
                    break
                nxt += 1
            name = _title_case(text[pos:end].strip(" ,")).strip()
            name = name[:1].upper() + name[1:]
            if name.startswith("Sở ") and juris.place and juris.place.name not in name:
                name += f" {juris.place.unit} {juris.place.name}"
            bodies.append(name)
            pos = end
            continue
        nxt = text.find(" ", pos)
        pos = n if nxt < 0 else nxt + 1
    return list(dict.fromkeys(bodies))


def read_header(folded: Folded) -> tuple[Header, Jurisdiction, list[tuple[int, int]], int]:
    """(header, jurisdiction, spans of the document's own number, folded offset where the body starts)"""
    F = folded.text
    g = grammar()
    h = Header()
    body = _BODY_START.search(F, 0, min(len(F), 8000))
    zone_end = body.start() if body else min(len(F), 2500)

    # The document's own number: "Số: 165/KH-UBND", "Số 60-NQ/TW", "SỐ 01/2010/NĐ-CP", "Số: /KH-KHCN"
    own_spans: list[tuple[int, int]] = []
    nm = _number(F, zone_end)
    number_end = 0
    sym = None
    if nm:
        sm = P.SYMBOL.match(F, nm.end())
        if sm:
            sym = symbol_of(sm)
            h.number, h.year, h.symbol = sym.number, sym.year, sym.symbol
            h.identifier = re.sub(r"\s+", "", sm.group(0))
            own_spans.append((sm.start(), sm.end()))
            number_end = sm.end()
        else:
            blank = re.compile(r"[ \t]*/[ \t]*(?P<sym>[^\W\d_][^\s,]*)").match(F, nm.end())
            if blank:
                h.symbol = blank["sym"]
                h.identifier = "/" + blank["sym"]
                number_end = blank.end()
                sym = parse_symbol("0/" + h.symbol)  # a number left blank: its codes read like any other
    # "V/v ..." under the number is the trích yếu of a letter (Nghị định 30/2020/NĐ-CP, Phụ lục I): its
    # symbol starts with the issuer's code ("5706/CT-CS": Cục Thuế), not a type code. A type line
    # ("QUYẾT ĐỊNH") still wins below: some decisions write their title as "V/v ...".
    letter = _SUBJECT_LINE.search(F, 0, zone_end) is not None
    if h.doc_type is None and sym is not None and not letter:
        t = code_type(sym)
        h.doc_type = t.name if t else None

    # Issuer lines: upper-case lines before the number (or the whole header zone), minus the motto
    issuer_text = _MOTTO.sub(" ", F[: nm.start()] if nm else F[:zone_end])
    lines = [ln.strip() for ln in issuer_text.splitlines()]
    lines = [ln for ln in lines if ln and ln.isupper() and not re.fullmatch(r"[\d\W]+", ln)
             and not re.search(r"CÔNG\s+BÁO|VĂN\s+BẢN\s+QUY\s+PHẠM", ln) and g.doc_type(ln) is None]
    joined = " ".join(lines)
    place = find_place(joined) if joined else None
    juris = Jurisdiction(place)
    bodies = _bodies(joined, juris)
    if not bodies:
        rest = _MOTTO.sub(" ", F[number_end:zone_end])
        ups = [ln.strip() for ln in rest.splitlines() if ln.strip().isupper() and g.doc_type(ln.strip()) is None]
        bodies = [b for b in _bodies(" ".join(ups[-2:]), juris)][-1:]
    if bodies:
        h.issuer = bodies[-1]
        h.parent_issuer = bodies[-2] if len(bodies) > 1 else None

    # Place and date
    pd = _place_date(F, 0, zone_end)
    if pd:
        h.place = pd["place"].strip()
        if h.place.startswith("TP."):
            h.place = "Thành phố " + h.place[3:].strip()
        d, mth, y = pd["d"].strip(" .…\n"), pd["m"].strip(" .…\n"), int(pd["y"])
        if d.isdigit() and mth.isdigit():
            h.date = f"{y:04d}-{int(mth):02d}-{int(d):02d}"
        elif mth.isdigit():
            h.date_partial = f"{y:04d}-{int(mth):02d}"
        else:
            h.date_partial = f"{y:04d}"
        h.year = h.year or y
        if place is None and h.issuer and re.search(r"nhân dân|Sở |ủy", h.issuer):
            p2 = g.place(h.place.replace("Thành phố ", ""))
            if p2 is not None:
                place = p2
                juris = Jurisdiction(p2)
    else:
        ud = _UPPER_DATE.search(F, number_end, zone_end) if number_end else None
        if ud:
            h.date = f"{int(ud['y']):04d}-{int(ud['m']):02d}-{int(ud['d']):02d}"
            h.year = h.year or int(ud["y"])
    if place is None and h.issuer is None:
        # No header (corpus extracts, bare bodies): the province the text keeps naming is its own.
        counts: dict[str, int] = {}
        for m in re.finditer(r"(?:tỉnh|thành\s+phố|TP\.?)\s+([A-ZĐÀ-Ỹ][^\s,.;:()]*(?:\s+[A-ZĐÀ-Ỹ][^\s,.;:()]*){0,3})",
                             F[: min(len(F), 8000)]):
            p3 = find_place(m.group(1))
            if p3 is not None:
                counts[p3.name] = counts.get(p3.name, 0) + 1
        if counts:
            place = g.place(max(counts, key=counts.get))
            juris = Jurisdiction(place)
    h.jurisdiction = place.name if place else None

    # Type and title: the upper-case type line, then the title lines up to a blank line or the body
    header_end = max(number_end, pd.end() if pd else 0)
    lines_after = list(re.finditer(r"(?m)^[^\n]*$", F[:zone_end]))
    type_at = None
    for m in lines_after:
        ln = m.group(0).strip(" :*#")
        if ln.isupper() and g.doc_type(ln) is not None and (m.start() >= header_end or m.start() < (nm.start() if nm else 0)):
            if m.start() < header_end and nm and m.start() < nm.start() and type_at is not None:
                continue
            type_at = m
            if m.start() >= header_end or type_at is not None:
                break
    if type_at is None and letter and h.doc_type is None:
        h.doc_type = "Công văn"
    if type_at is not None:
        written = g.doc_type(type_at.group(0).strip(" :*#"))
        if h.doc_type is None or (written and h.symbol is None):
            h.doc_type = written.name
        title_lines: list[str] = []
        for m in lines_after:
            if m.start() <= type_at.start():
                continue
            ln = m.group(0).strip()
            if not ln:
                if title_lines:
                    break
                continue
            if nm and nm.start() <= m.start() < number_end:
                continue
            if P.SYMBOL.search(ln) and own_spans and own_spans[0][0] >= m.start() and own_spans[0][0] < m.end():
                tail = re.search(r"\b(?:VỀ|QUY\s+ĐỊNH|BAN\s+HÀNH|HƯỚNG\s+DẪN)\b.*", ln)
                if tail:
                    title_lines.append(tail.group(0))
                continue
            if _place_date(ln, 0, len(ln)) or (h.issuer and fold_key(ln) == fold_key(h.issuer)):
                break
            title_lines.append(ln)
            header_end = max(header_end, m.end())
            if len(title_lines) >= 6:
                break
        if title_lines:
            t = _title_case(" ".join(title_lines))
            if t[:2].istitle():
                t = t[:1].lower() + t[1:]
            h.title = f"{h.doc_type} {t}" if h.doc_type else t
        header_end = max(header_end, type_at.end())
    return h, juris, own_spans, max(header_end, number_end)


def own_keys(h: Header) -> set[str]:
    if h.identifier and h.number:
        return {identifier_key(h.identifier)}
    return set()
