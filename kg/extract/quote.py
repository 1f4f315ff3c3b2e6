"""The quote shown as evidence beside a link: the one place the sentence around a mention is cut.

A mention inside a task quotes the task's own text when it is short enough; otherwise the sentence
that holds it. Sentences end at a full stop, semicolon, "!" or "?" before a space, at a paragraph
break before a bullet or a numbered item, and before a preamble paragraph ("Căn cứ", "Theo đề
nghị": the cue words of cues.yaml). Extracted text breaks lines inside sentences, so a single line
break never ends one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.grammar import grammar
from kg.models import Citation, Document


@lru_cache(maxsize=1)
def _sentence_end() -> re.Pattern[str]:
    cues = grammar().cues
    openers = "|".join(r"\s+".join(map(re.escape, w.split()))
                       for w in sorted({*cues["basis_openers"], *cues["preamble_closers"]}, key=len, reverse=True))
    return re.compile(rf"[.;!?](?=\s)|\n\s*\n\s*(?=[-+•*]|\d+\.|[a-zđ]\)|[IVX]+\.)|\n\s*(?=(?:{openers})\b)")


def sentence_around(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence holding text[start:end], whitespace collapsed; a cut at `limit` characters on
    either side is marked with "…"."""
    rx = _sentence_end()
    lo = max(0, start - limit)
    left = None
    for m in rx.finditer(text, lo, start):
        left = m.end()
    cut_left = left is None and lo > 0
    left = lo if left is None else left
    m = rx.search(text, end, min(len(text), end + limit))
    right = m.end() if m else min(len(text), end + limit)
    out = " ".join(text[left:right].split())
    if cut_left:
        out = "…" + out.split(" ", 1)[-1]
    if not m and right < len(text):
        out = out.rsplit(" ", 1)[0] + "…"
    return out


def quote_of(doc: Document, c: Citation, limit: int = 320) -> str:
    """A citation's evidence: its task's text when that is short, else its sentence."""
    task = next((t for t in doc.tasks if t.id == c.task), None) if c.task else None
    if task is not None and task.start <= c.start and c.end <= task.end:
        text = " ".join(task.text.split())
        if len(text) <= 2 * limit and " ".join(c.text.split()) in text:
            return text
    return sentence_around(doc.text, c.start, c.end, limit)
