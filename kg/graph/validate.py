"""SHACL validation of the graph (pyshacl) with violations a person can read."""

from __future__ import annotations

from typing import Any

from kg.graph.store import Store
from kg.graph.vocab import ONTOLOGY_DIR, ontology_graph


def validate(store: Store) -> tuple[bool, list[dict[str, Any]]]:
    import pyoxigraph as ox
    from pyshacl import validate as shacl
    from rdflib import Dataset, Graph, Namespace

    ds = Dataset()
    ds.parse(data=store.dump(ox.RdfFormat.N_QUADS), format="nquads")
    data = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    conforms, report, _text = shacl(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference="none",
                                    allow_warnings=True)
    SH = Namespace("http://www.w3.org/ns/shacl#")
    rows = []
    for r in report.subjects(predicate=None, object=SH.ValidationResult):
        rows.append({"severity": str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                     "focus": str(report.value(r, SH.focusNode)),
                     "path": str(report.value(r, SH.resultPath) or ""),
                     "message": str(report.value(r, SH.resultMessage) or "")})
    return bool(conforms), rows
