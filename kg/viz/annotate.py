"""One document's own text with its citations highlighted and its tasks outlined.

A reader checks the extraction where it was made: every highlight carries the fields read there
(on hover) and links to its node in the graph page (``graph.html#node=<id>``). The node ids are
the ones the graph gives the same citation, before any merge; the graph page resolves them through
its aliases, so a link from one document's page lands on the right node of a whole-corpus graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.models import Document
from kg.viz.model import build_graph, doc_id, _year
from kg.viz.render import TEMPLATES, page

if TYPE_CHECKING:
    from kg.check import Finding

# What a relative link to the graph page may hold: path characters, no scheme colon, no fragment.
_RELATIVE_PATH = re.compile(r"[\w.\-~%/]+")


@dataclass
class _Span:
    start: int
    end: int
    what: str  # "task" | "cite" | "finding"
    index: int
    children: list["_Span"] = field(default_factory=list)


def nest(text_len: int, spans: list[tuple[int, int, str, int]]) -> list[_Span]:
    """Spans as a tree: a citation inside a task sits under it, a finding inside its citation; a
    span that crosses its parent's end is cut there (highlights must nest to become elements)."""
    order = {"task": 0, "cite": 1, "finding": 2}
    items = sorted(((max(0, s), min(text_len, e), w, i) for s, e, w, i in spans if e > s),
                   key=lambda t: (t[0], -t[1], order[t[2]]))
    root = _Span(0, text_len, "root", -1)
    stack = [root]
    for s, e, w, i in items:
        while len(stack) > 1 and s >= stack[-1].end:
            stack.pop()
        top = stack[-1]
        e = min(e, top.end)
        if top.children and s < top.children[-1].end:  # overlaps an earlier sibling: cut its head
            s = top.children[-1].end
        if e <= s:
            continue
        sp = _Span(s, e, w, i)
        top.children.append(sp)
        stack.append(sp)
    return root.children


def _tree(text: str, spans: list[_Span], start: int, end: int) -> list[Any]:
    """JSON-ready: strings for plain text, {"c"|"t"|"f": index, "k": children} for highlights."""
    out: list[Any] = []
    pos = start
    for sp in spans:
        if sp.start > pos:
            out.append(text[pos:sp.start])
        key = {"cite": "c", "task": "t", "finding": "f"}[sp.what]
        out.append({key: sp.index, "k": _tree(text, sp.children, sp.start, sp.end)})
        pos = sp.end
    if pos < end:
        out.append(text[pos:end])
    return out


def check_graph_href(href: str) -> str:
    """The graph page is linked by a relative path only, by an allow-list, not a list of bad schemes.

    Browsers drop leading C0 controls and spaces and every tab or newline inside a URL before
    reading its scheme, so "\\x01javascript:" and "java\\tscript:" are "javascript:" to them: a
    block-list of schemes misses those. Here any control or blank character is refused outright,
    and what remains must be path characters only (letters, digits, ``. - _ ~ % /``): no colon, so
    no scheme; no "//" or backslash in front, so no other host; no "#", which the page adds itself; invisible format characters are not path characters either.
    """
    cleaned = "".join(c for c in href if ord(c) > 0x20 and not 0x7F <= ord(c) <= 0x9F)
    if cleaned != href or not _RELATIVE_PATH.fullmatch(href) or href.startswith("//"):
        raise ValueError(f"--graph must be a relative path to the graph page (letters, digits, . - _ ~ % /), "
                         f"not {href!r}")
    return href


def annotation_payload(doc: Document, graph_href: str = "graph.html",
                       findings: list[Finding] | None = None) -> dict[str, Any]:
    """``findings`` (from `kg check`) are marked where they stand, with their rule and message."""
    h = doc.header
    g = build_graph([doc])
    plan = next((n for n in g.nodes.values() if n.kind == "plan"), None)
    plan_id = plan.id if plan else None
    cites = []
    for c in doc.citations:
        cites.append({
            "node": doc_id(c.identifier, c.title, c.issuer, _year(c.date, c.year)),
            "relation": "nested" if c.cited_by else c.relation,
            "identifier": c.identifier, "title": c.title, "doc_type": c.doc_type, "date": c.date,
            "issuer": c.issuer, "subject": c.subject, "pinpoints": c.pinpoints, "effect": c.effect,
            "cited_by": c.cited_by, "kind": c.kind, "line": c.line,
        })
    tasks = [{"id": t.id, "label": t.id, "heading": t.heading, "action": t.action,
              "node": f"task:{plan_id}#{t.id}" if f"task:{plan_id}#{t.id}" in g.nodes else None}
             for t in doc.tasks]
    spans = [(c.start, c.end, "cite", i) for i, c in enumerate(doc.citations)]
    spans += [(t.start, t.end, "task", i) for i, t in enumerate(doc.tasks)]
    findings = findings or []
    spans += [(f.start, f.end, "finding", i) for i, f in enumerate(findings)]
    counts: dict[str, int] = {}
    for c in cites:
        counts[c["relation"]] = counts.get(c["relation"], 0) + 1
    return {
        "title": h.title or doc.source,
        "source": doc.source,
        "text_kind": doc.text_kind,
        "graph": check_graph_href(graph_href),
        "plan_node": plan_id,
        "header": {"doc_type": h.doc_type, "identifier": h.identifier, "date": h.date or h.date_partial,
                   "issuer": h.issuer, "title": h.title},
        "citations": cites,
        "tasks": tasks,
        "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message, "line": f.line,
                      "reference": f.reference} for f in findings],
        "counts": counts,
        "tree": _tree(doc.text, nest(len(doc.text), spans), 0, len(doc.text)),
    }


def render_annotation(doc: Document, graph_href: str = "graph.html",
                      findings: list[Finding] | None = None) -> str:
    data = annotation_payload(doc, graph_href, findings)
    app = (TEMPLATES / "annotate.js").read_text(encoding="utf-8")
    return page("annotate.html", f"{data['title']} — annotated", data, [app])
