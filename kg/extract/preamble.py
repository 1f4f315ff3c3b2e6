"""Where the legal-basis preamble ("Căn cứ ...") is: citations there are `based_on`.

The preamble is the run of paragraphs that open with a basis word, before the operative part.
Web text wraps lines mid-sentence, so a paragraph runs on until a line ends a sentence; a
closer ("Theo đề nghị ...", "Xét ...") or the operative heading ends the preamble. A body
section titled as a basis ("I. CĂN CỨ PHÁP LÝ") counts too.
"""

from __future__ import annotations

import re

from kg.extract.patterns import _alt
from kg.grammar import grammar

_BULLET = r"[ \t]*(?:[-+•*][ \t]*)?"
_OPERATIVE = re.compile(
    r"(?:QUYẾT\s+ĐỊNH|QUYẾT\s+NGHỊ|NGHỊ\s+QUYẾT|CHỈ\s+THỊ|KẾT\s+LUẬN)\s*:|Điều\s+1\b|Chương\s+I\b|PHẦN\s+|[IVX]+\.\s|\d+\.\s",
)
_HEADING = re.compile(r"(?:[IVX]+|\d+|[A-Z])[.)]\s+(?P<t>[^\n]+)")


def basis_zones(F: str, start: int = 0, letter: bool = False) -> list[tuple[int, int]]:
    """`letter`: a công văn has no preamble before an operative part; each paragraph that opens with
    "Căn cứ" is the legal basis of the answer around it, wherever it stands."""
    cues = grammar().cues
    opener = re.compile(rf"(?:{_alt(cues['basis_openers'])})\b", re.IGNORECASE)
    closer = re.compile(rf"(?:{_alt(cues['preamble_closers'])})\b")
    zones: list[tuple[int, int]] = []
    in_zone, zstart, prev_end_char, seen_operative = False, 0, "", False
    section_zone = False
    # Only the lines from the first opener or basis heading on can be in a zone.
    first = re.compile(rf"(?m)^{_BULLET}(?:{_alt(cues['basis_openers'])})\b|^[ \t]*(?:[IVX]+|\d+|[A-Z])[.)][ \t]+[^\n]*(?:CĂN\s+CỨ|CƠ\s+SỞ\s+PHÁP\s+LÝ)").search(F, start)
    if first is None:
        return zones
    pos = start = first.start()
    for line in F[start:].splitlines(keepends=True):
        s = line.strip()
        lstart, pos = pos, pos + len(line)
        if not s:
            continue
        body = line.lstrip(" \t-+•*").lstrip()
        hm = _HEADING.match(s)
        if section_zone and hm:
            zones.append((zstart, lstart))
            section_zone = False
        if not seen_operative and hm and re.search(r"CĂN\s+CỨ|CƠ\s+SỞ\s+PHÁP\s+LÝ", hm["t"]) and not in_zone:
            section_zone, zstart = True, pos
            continue
        if in_zone:
            ends = closer.match(body) or _OPERATIVE.match(body) or (
                prev_end_char in ".:" and not opener.match(body))
            if ends:
                zones.append((zstart, lstart))
                in_zone = False
                seen_operative = not letter
        elif not seen_operative and opener.match(body) and body[:1].isupper():
            in_zone, zstart = True, lstart
        if not in_zone and not section_zone and _OPERATIVE.match(body) and zones and not letter:
            seen_operative = True
        prev_end_char = s[-1]
        if seen_operative and not in_zone and not section_zone:
            break
    if in_zone or section_zone:
        zones.append((zstart, pos))
    return zones
