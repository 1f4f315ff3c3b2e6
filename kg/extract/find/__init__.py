"""Find every citation of another document in a folded text.

The passes, in the spirit of eyecite's find -> resolve, each a module registered with
`@finder_pass` (registry.py) and run in their order over the shared readers (readers.py):
1. numbered citations, anchored on the number/symbol, read outwards (numbered.py), then the type,
   date and issuer one list of them shares (lists.py);
2. documents cited by name: laws and codes (laws.py), party conferences (party.py), fixed names
   (fixed.py), named programmes (programmes.py);
3. short forms that point back to a full citation (short.py);
then nesting, a citation inside another's subject (nesting.py). What the text does to the
documents it cites is read after them, by kg/extract/effects.py.
"""

from __future__ import annotations

from kg.extract.effects import Findings, find_effects
from kg.extract.find import fixed, laws, lists, nesting, numbered, party, programmes, short  # noqa: F401 (register)
from kg.extract.find.readers import Context, Reader
from kg.extract.find.registry import State, passes
from kg.ingest.normalize import Folded
from kg.models import Citation, Effect

__all__ = ["Context", "find_citations"]


def _number_lines(text: str, cits: list[Citation]) -> None:
    """1-based line of each citation, counted in one pass over the text (citations sorted by start)."""
    line, pos = 1, 0
    for c in sorted(cits, key=lambda c: c.start):
        line += text.count("\n", pos, c.start)
        pos = c.start
        c.line = line


def _number_effect_lines(text: str, effects: list[Effect]) -> None:
    for e in effects:
        e.line = text.count("\n", 0, e.start) + 1


def find_citations(folded: Folded, ctx: Context, signed: str | None = None) -> tuple[list[Citation], Findings]:
    """The citations of a text in text order, and what the text does to them (kg/extract/effects.py)."""
    reader, state = Reader(folded, ctx), State()
    for p in passes():
        p.fn(reader, state)
    found = state.in_order()
    findings = find_effects(reader, found, ctx.header_end, signed)
    cits = [x.c for x in found]
    _number_lines(folded.original, cits)
    _number_effect_lines(folded.original, findings.effects)
    return cits, findings
