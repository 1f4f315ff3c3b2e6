"""The projection as files people open: GraphML and GEXF for Gephi, CSV (one edge a row) for Excel."""

from __future__ import annotations

import csv
import io

import networkx as nx


def export(g: nx.DiGraph, fmt: str) -> bytes:
    if fmt in ("graphml", "gexf"):
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, buf)
        return buf.getvalue()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["source_id", "source_kind", "relation", "target_id", "target_kind", "source_iri", "target_iri"])
        for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
            w.writerow([g.nodes[u]["label"], g.nodes[u]["kind"], d["relation"], g.nodes[v]["label"],
                        g.nodes[v]["kind"], u, v])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
    raise ValueError(f"unknown format {fmt}")
