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


def _markers(F: str, start: int, end: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}  # "1" glued to a word, "[1]" in brackets
    for m in _MARKER.finditer(F, start, end):
        out.setdefault(m.group(1) or f"[{m.group(2)}]", []).append(m.start())
    return out


def find_footnotes(F: str, start: int, end: int, early: int | None = None) -> list[Footnote]:
    """The footnotes of F[start:end] whose marker stands before them. A digit note ("1 Luật ...")
    takes a digit marker of its own part of the text; a bracketed note ("[1] Đặc biệt: ...", at the
    document's end after an appendix) takes a marker of either kind from ``early`` on, since a
    converter writes Word's footnotes that way while the marker stays glued ("khoáng sản1")."""
    notes = list(_NOTE.finditer(F, start, end))  # line-anchored, cheap: most parts have none
    if not notes:
        return []
    markers = _markers(F, start, end)
    bracketed = early is not None and early < start and any(m.group(1) for m in notes)
    earlier = _markers(F, early, start) if bracketed else {}
    if not markers and not earlier:
        return []
    out: list[Footnote] = []
    for m in notes:
        num = f"[{m.group(1)}]" if m.group(1) else m.group(2)
        cands = markers.get(num, [])
        if m.group(1):
            cands = sorted([*earlier.get(num, []), *earlier.get(m.group(1), []), *cands, *markers.get(m.group(1), [])])
        before = [p for p in cands if p < m.start()]
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
