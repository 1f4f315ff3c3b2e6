"""What the projection says about the corpus: hubs, chains, cycles, islands.

In-degree counts who cites a document directly; PageRank also credits being cited by documents
that are themselves cited, which is how a law that every decree rests on outranks a plan cited
by three tasks.
"""

from __future__ import annotations

from typing import Any

import networkx as nx


def most_cited(g: nx.DiGraph, n: int = 20) -> list[dict[str, Any]]:
    pr = nx.pagerank(g) if g.number_of_nodes() else {}
    rows = [{"id": g.nodes[v]["label"], "kind": g.nodes[v]["kind"], "in_degree": g.in_degree(v),
             "pagerank": round(pr.get(v, 0.0), 5), "rests_on": len(nx.descendants(g, v)), "iri": v}
            for v in g.nodes]
    rows.sort(key=lambda r: (-r["in_degree"], -r["pagerank"], r["id"]))
    return rows[:n]


def closure(g: nx.DiGraph, node: str, reverse: bool = False) -> set[str]:
    """Everything a node rests on through any chain (reverse: everything that rests on it)."""
    return set(nx.ancestors(g, node) if reverse else nx.descendants(g, node))


def cycles(g: nx.DiGraph, limit: int = 50) -> list[list[str]]:
    """Chains that come back to where they started: usually two spellings of one document, or a
    plan and the decision that approves it citing each other."""
    out = []
    for c in nx.simple_cycles(g):
        out.append([g.nodes[v]["label"] for v in c])
        if len(out) >= limit:
            break
    return out


def components(g: nx.DiGraph) -> list[int]:
    """Sizes of the groups of documents linked by any chain, largest first."""
    return sorted((len(c) for c in nx.weakly_connected_components(g)), reverse=True)
