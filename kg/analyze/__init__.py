"""networkx analytics on a projection of the graph: documents and tasks, linked by what rests on what.

Algorithms are plain networkx functions on the projected DiGraph, as networkx itself does it:
most cited (in-degree, PageRank), transitive closure, cycles, components; and exports Gephi and
Excel open (GraphML, GEXF, CSV).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import networkx as nx

from kg.graph.store import Store

_EDGES = """
PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?from ?to ?prop ?fl ?tl ?fk ?tk WHERE {
  VALUES ?prop { eli:based_on eli:cites kg:guides eli:amends kg:replaces eli:repeals eli:consolidates eli:corrects }
  ?from ?prop ?to .
  OPTIONAL { ?from rdfs:label ?fl } OPTIONAL { ?to rdfs:label ?tl }
  OPTIONAL { ?from kg:kind ?fk } OPTIONAL { ?to kg:kind ?tk }
}
"""


def projection(store: Store) -> nx.DiGraph:
    """Tasks and documents as nodes; an edge u -> v when u rests on v (căn cứ, cites, amends ...)."""
    g = nx.DiGraph()
    for r in store.query(_EDGES):
        for node, label, kind in ((r["from"], r["fl"], r["fk"]), (r["to"], r["tl"], r["tk"])):
            if node not in g:
                g.add_node(node, label=label or node, kind=kind or "document")
        rel = r["prop"].rsplit("#", 1)[-1]
        g.add_edge(r["from"], r["to"], relation=rel)
    return g


def most_cited(g: nx.DiGraph, n: int = 20) -> list[dict[str, Any]]:
    pr = nx.pagerank(g) if g.number_of_nodes() else {}
    rows = [{"id": g.nodes[v]["label"], "kind": g.nodes[v]["kind"], "in_degree": g.in_degree(v),
             "pagerank": round(pr.get(v, 0.0), 5), "iri": v} for v in g.nodes]
    rows.sort(key=lambda r: (-r["in_degree"], -r["pagerank"], r["id"]))
    return rows[:n]


def cycles(g: nx.DiGraph, limit: int = 50) -> list[list[str]]:
    out = []
    for c in nx.simple_cycles(g):
        out.append([g.nodes[v]["label"] for v in c])
        if len(out) >= limit:
            break
    return out


def components(g: nx.DiGraph) -> list[int]:
    return sorted((len(c) for c in nx.weakly_connected_components(g)), reverse=True)


def closure_size(g: nx.DiGraph, node: str) -> int:
    """How many documents a node rests on, through any chain."""
    return len(nx.descendants(g, node))


def export(g: nx.DiGraph, fmt: str) -> bytes:
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue()
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(g, buf)
        return buf.getvalue()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["source_id", "source_kind", "relation", "target_id", "target_kind", "source_iri", "target_iri"])
        for u, v, d in g.edges(data=True):
            w.writerow([g.nodes[u]["label"], g.nodes[u]["kind"], d["relation"], g.nodes[v]["label"],
                        g.nodes[v]["kind"], u, v])
        return buf.getvalue().encode("utf-8")
    raise ValueError(f"unknown format {fmt}")
