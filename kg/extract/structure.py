"""The plan as legal staff read it: sections, the tasks in them, and who does what.

A text is cut into units by the marks at the start of its lines (how, in structure_outline).
Headings (Roman parts, short numbered titles with units under them) are sections; everything
else, and everything inside an article, is a task. The body is cut off at "Nơi nhận" / the
signature; documents sent along after it (the plan a decision issues, an appendix) are read as
bodies of their own, their ids prefixed "PL1.", "PL2." ...

One job per module: structure_zones finds the bodies, structure_outline reads a body's lines into
a tree of units, structure_ids names them, structure_emit turns them into sections and tasks with
their agencies, roles and citations (tables.py and rows.py do the same for task tables); the
grammar words come from structure_grammar. This module runs them in that order.
"""

from __future__ import annotations

import bisect
import re

from kg.extract.agencies import Mention, agencies_of, find_mentions
from kg.extract.citations import Context
from kg.extract.footnotes import find_footnotes, masked
from kg.extract.rows import emit_rows
from kg.extract.tables import find_tables
from kg.extract.structure_emit import Spotter, attach_citations, classify, emit, inside, line_agency, subject_spans
from kg.extract.structure_grammar import words
from kg.extract.structure_ids import assign_ids
from kg.extract.structure_outline import Builder, clamp, close
from kg.extract.structure_zones import find_zones
from kg.models import AgencyRole, Document, Task
from kg.ingest.normalize import Folded

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def attach_structure(doc: Document, folded: Folded, ctx: Context) -> None:
    """Fill doc.sections, doc.tasks, doc.agencies, each Citation.task and each Task.citations."""
    F, orig = folded.text, folded.orig
    doc.sections, doc.tasks, doc.agencies = [], [], []
    for c in doc.citations:
        c.task = None
    action_re, canon, _attr, cond_re, period_re, *_ = words()
    juris, issuer = ctx.jurisdiction, doc.header.issuer
    zones, recipients, signature = find_zones(F, ctx)
    notes = [n for z in zones for n in find_footnotes(F, z.start, z.end, early=zones[0].start)]
    F = masked(F, notes)  # the outline reads around the footnotes; their citations go to the marker
    lens = sorted(len(x) for x in F.splitlines() if x.strip()) or [80]
    wrap = lens[int(len(lens) * 0.9)]
    mentions = find_mentions(F, ctx.header_end, len(F), juris, issuer)
    m_starts = [m.start for m in mentions]
    joined = frozenset(i for m in mentions if "\n" in F[m.start:m.end] and not _BLANK_LINE.search(F, m.start, m.end)
                       for i in range(m.start, m.end) if F[i] == "\n")
    subjects = subject_spans(doc, folded)
    low = F.lower() if len(F.lower()) == len(F) else F  # one case fold; the grammar words are lower-case
    lo = min((z.start for z in zones), default=0)
    conds, periods = (Spotter(rx, low, F, lo, len(F), subjects, orig) for rx in (cond_re, period_re))

    def in_span(a: int, b: int) -> list[Mention]:
        i, j = bisect.bisect_left(m_starts, a), bisect.bisect_left(m_starts, b)
        return [m for m in mentions[i:j] if m.end <= b and not inside(subjects, orig(m.start), orig(m.end))]

    seen: set[str] = set()
    last: dict[str, int] = {}
    opens_with_agency = line_agency(F, mentions, m_starts)
    raw = (lambda a, b: doc.text[orig(a):orig(b)])
    for z in zones:
        tables = find_tables(F, z.start, z.end, opens_with_agency, raw)
        builder, pos = Builder(F, wrap, joined), z.start
        for t in tables:  # the rows are read as tasks of their own, not as lines of the outline
            builder.feed(pos, t.start)
            pos = t.end
        root = builder.feed(pos, z.end)
        close(root, z.end, F)
        clamp(root, [(t.start, t.end) for t in tables], F)
        root.id = z.prefix
        classify(root, F, in_span)
        assign_ids(root, seen, last)
        emit(root, doc, F, orig, None, None, None, False, [], in_span, action_re, canon, conds, periods, low)
        for t in tables:
            emit_rows(doc, t, z.prefix, F, orig, in_span, seen, action_re, canon, periods)
    doc.tasks.sort(key=lambda t: t.start)  # stable: outer before inner at one start
    attach_citations(doc, [(orig(n.start), orig(n.end), orig(n.marker)) for n in notes])
    extra = []
    if recipients:
        rs = [AgencyRole(m.name, "recipient") for m in in_span(*recipients)]
        doc.tasks.append(Task("Nơi nhận", None, None, None, None, " ".join(F[recipients[0]:recipients[1]].split()),
                              orig(recipients[0]), orig(recipients[1]), kind="recipients",
                              agencies=list({r.name: r for r in rs}.values())))
    if signature:
        text = " ".join(F[signature[0]:signature[1]].split())
        title = next((t for t in sorted(words()[-1]["signer_titles"], key=len, reverse=True) if t in text), None)
        doc.tasks.append(Task("Người ký", None, None, None, title.capitalize() if title else None, text,
                              orig(signature[0]), orig(signature[1]), kind="signature",
                              agencies=[AgencyRole(issuer, "signer")] if issuer else []))
    for name in (doc.header.parent_issuer, issuer):
        if name:
            lv = find_mentions(name, 0, len(name), juris, issuer)
            extra.append((name, lv[0].level if lv and lv[0].name == name else "province"))
    in_notes = [m for n in notes for m in find_mentions(folded.text, n.start, n.end, juris, issuer)]
    doc.agencies = agencies_of(mentions + in_notes, extra)  # a footnote's bodies are named in the document too
