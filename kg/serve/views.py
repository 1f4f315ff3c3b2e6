"""What the explorer's pages for a document, a task and an agency show, read from the store.

The same questions as the command line (`kg cites`, `kg deps`, `kg agency`), asked through the
same functions of kg.graph.query over the server's query workers: a page and `kg deps` cannot
disagree. Nothing here re-reads a source file; only the annotated text does (kg.serve.explorer).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from kg.graph.query import _batched, agency as agency_rows, deps, describe, relation_labels, run

RELATION_ORDER = ("based_on", "implements", "cites")


class RowsStore:
    """The query workers seen as a store: what kg.graph.query needs is `query(text) -> rows`."""

    def __init__(self, run_query: Callable[[str], list[dict[str, Any]]]):
        self.query = run_query


@dataclass
class Group:
    """Rows that share a citing document (the document page) or a depth (the task page)."""

    title: str
    node: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)


def _rel_label(labels: dict, notation: str, lang: str) -> str:
    return (labels.get(notation) or {}).get(lang) or (labels.get(notation) or {}).get("vi") or notation


def document(store, node: str, lang: str) -> dict[str, Any]:
    """A document: what it is, who rests on it (grouped by citing document, then relation), and
    what it rests on when the store holds its text."""
    info = describe(store, [node]).get(node)
    if info is None:
        return {}
    labels = relation_labels(store)
    mentions = _batched(store, "cited_by", "NODES", [node])
    citers = describe(store, sorted({m["citer"] for m in mentions}))
    groups: dict[str, Group] = {}
    for m in sorted(mentions, key=lambda m: (str(m["source"]), RELATION_ORDER.index(m["relation"])
                                             if m["relation"] in RELATION_ORDER else 9, m["line"])):
        c = citers.get(m["citer"], {})
        doc_title = c.get("doc_label") if c.get("kind") == "task" else c.get("label")
        g = groups.setdefault(m["source"], Group(doc_title or m["source"], m["source"]))
        g.rows.append({"kind": c.get("kind") or "document", "node": m["citer"], "id": c.get("id"),
                       "label": c.get("label"), "relation": m["relation"],
                       "relation_label": _rel_label(labels, m["relation"], lang), "quote": m["quote"],
                       "source": m["source"], "line": m["line"]})
    rests = deps(store, node) if info.get("in_corpus") else []
    return {"node": node, "info": info, "groups": list(groups.values()), "cited_by": len(mentions),
            "rests_on": _labelled(rests, labels, lang)}


def _labelled(rows: list[dict[str, Any]], labels: dict, lang: str) -> list[dict[str, Any]]:
    for r in rows:
        r["relation_label"] = _rel_label(labels, r.get("relation") or "", lang)
    return rows


def task(store, node: str, lang: str) -> dict[str, Any]:
    """A task: its words, section and document, agencies with roles, and what it rests on,
    directly and through the documents it implements, each with the sentence it was read from."""
    info = describe(store, [node]).get(node)
    if info is None or info.get("kind") != "task":
        return {}
    labels = relation_labels(store)
    agencies = [{"node": r["agency"], "name": r["name"], "role": r["role"],
                 "role_label": r.get(f"role_{lang}") or r.get("role_vi") or r["role"]}
                for r in run(store, "task_agencies", iris={"NODES": [node]})]
    walked = _labelled(deps(store, node, transitive=True), labels, lang)
    return {"node": node, "info": info, "agencies": agencies,
            "direct": [r for r in walked if r["depth"] == 1], "through": [r for r in walked if r["depth"] > 1]}


def agency(store, node: str, name: str) -> dict[str, Any]:
    """An agency: the tasks it leads or partners on, and the regulations those tasks rest on."""
    rows = [r for r in agency_rows(store, name) if r["agency"] == name]
    regs: dict[str, int] = defaultdict(int)
    for r in rows:
        for reg in filter(None, (x.strip() for x in (r.get("rests_on") or "").split(";"))):
            regs[reg] += 1
    return {"node": node, "name": name, "tasks": rows,
            "regulations": sorted(regs.items(), key=lambda kv: (-kv[1], kv[0]))}
