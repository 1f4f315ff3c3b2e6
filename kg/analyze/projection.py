"""The store -> a networkx DiGraph: an edge u -> v when u rests on v (căn cứ, dẫn chiếu, sửa đổi ...).

Spellings of one document (owl:sameAs, kg.graph.links) become one node, so in-degree counts a
document once however it was cited.
"""

from __future__ import annotations

import networkx as nx

from kg.graph import named_query


def projection(store) -> nx.DiGraph:
    canon = {r["a"]: r["b"] for r in store.query(named_query("same_as"))}
    names = {r["node"]: (r["label"], r["kind"]) for r in store.query(named_query("node_labels"))}
    g = nx.DiGraph()
    for r in sorted(store.query(named_query("projection")), key=lambda r: (r["from"], r["to"], r["prop"])):
        a, b = canon.get(r["from"], r["from"]), canon.get(r["to"], r["to"])
        if a == b:
            continue
        for node in (a, b):
            if node not in g:
                label, kind = names.get(node, (None, None))
                g.add_node(node, label=label or node, kind=kind or "document")
        g.add_edge(a, b, relation=r["prop"].rsplit("#", 1)[-1])
    return g
