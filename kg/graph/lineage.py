"""A document's "Lược đồ" as data: what a document page renders (the explorer owns the page).

vbpl.vn shows, beside a document, the documents it rests on and acts on and those that rest on or
act on it, grouped by relation (căn cứ, dẫn chiếu, hướng dẫn, sửa đổi bổ sung, thay thế, bãi bỏ),
and its validity. `lineage` returns the same: relations in and out by type, each with the other
document, its date and the sentence, plus the status on a day and the timeline (kg.graph.timeline).
"""

from __future__ import annotations

from typing import Any

from kg.graph import fill, named_query


def lineage(store, text: str, on: str | None = None, registries=()) -> dict[str, Any]:
    """{"id", "status": {...}, "timeline": [...], "in": {relation: [rows]}, "out": {relation: [rows]}}:
    relation keys are the notations of kgv:relations; each group carries its Vietnamese label."""
    from kg.graph.timeline import timeline

    return lineage_of(store, timeline(store, text, registries), on)


def lineage_of(store, t, on: str | None = None) -> dict[str, Any]:
    """The same for a Timeline already in hand (the explorer's page has the node, not typed words)."""
    from kg.graph.query import relation_labels

    labels = relation_labels(store)
    out: dict[str, Any] = {"id": t.identifier, "node": t.node, "status": t.on(on).to_dict(),
                           "timeline": t.to_dict()["facts"], "in": {}, "out": {}}
    seen = set()
    for r in store.query(fill(named_query("lineage"), {"NODES": [t.node]})):
        key = (r["direction"], r["relation"], r["other_id"], r["source"], r["line"])
        if key in seen or r["other"] == t.node:
            continue
        seen.add(key)
        group = out[r["direction"]].setdefault(r["relation"], {"relation_vi": (labels.get(r["relation"]) or {}).get("vi"),
                                                               "rows": []})
        group["rows"].append({"id": r["other_id"], "node": r["other"], "date": r.get("other_date"),
                              "source": r["source"], "line": r["line"], "quote": r["quote"]})
    return out
