"""Footnotes: a marker glued to a word ("pháp luật1.") or "[n]" in a task, its text at the page
foot or the document's end ("1 Luật Ban hành văn bản ... số 64/2025/QH15."), often printed by
pdftotext in the middle of another bullet's continuation.

A footnote belongs to the task that carries its marker, with the citations it holds, and never
splits or joins the bullet it happens to interrupt: its lines are taken out of the outline (the
text the outline reads has them blanked, offsets kept) and its citations go to the marker's task.
A numbered line counts as a footnote only when a marker with its number stands before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"(?<=[a-zà-ỹđ])([1-9]\d?)(?=[.,;:)]?(?:\s|$))|\[(\d{1,3})\]")
_NOTE = re.compile(r"(?m)^[ \t]*(?:\[(\d{1,3})\]|([1-9]\d?))[ \t]+(?=[A-ZĐÀ-Ỹ“\"])")
_MAX_LINES = 5


@dataclass
class Footnote:
    start: int  # folded offsets of the footnote's text
    end: int
    marker: int  # where its marker stands


def find_footnotes(F: str, start: int, end: int) -> list[Footnote]:
    """The footnotes of F[start:end] whose marker stands before them."""
    markers: dict[str, list[int]] = {}  # "1" glued to a word, "[1]" in brackets: each finds its own kind
    for m in _MARKER.finditer(F, start, end):
        markers.setdefault(m.group(1) or f"[{m.group(2)}]", []).append(m.start())
    if not markers:
        return []
    out: list[Footnote] = []
    for m in _NOTE.finditer(F, start, end):
        num = f"[{m.group(1)}]" if m.group(1) else m.group(2)
        before = [p for p in markers.get(num, []) if p < m.start()]
        if not before or (out and m.start() < out[-1].end):
            continue
        stop, lines = m.start(), 0
        while stop < end and lines < _MAX_LINES:  # its lines, up to the one that ends the sentence
            nl = F.find("\n", stop, end)
            stop = end if nl < 0 else nl
            lines += 1
            if F[:stop].rstrip().endswith((".", ";")) or _NOTE.match(F, stop + 1) or not F[stop + 1:stop + 2].strip():
                break
            stop += 1
        out.append(Footnote(m.start(), stop, before[-1]))
    return out


def masked(F: str, notes: list[Footnote]) -> str:
    """F with each footnote's text blanked (same length, line breaks kept)."""
    if not notes:
        return F
    parts, pos = [], 0
    for n in notes:
        parts.append(F[pos:n.start])
        parts.append(re.sub(r"[^\n]", " ", F[n.start:n.end]))
        pos = n.end
    parts.append(F[pos:])
    return "".join(parts)
