"""SHACL validation of the graph with violations a person can read.

The shapes run as SPARQL in the store (kg.graph.shacl: 2-3 s on the real corpus); pyshacl,
which copies the graph into rdflib first (13-26 s there), is the fallback for any shape that
module does not translate, and the reference its tests compare with.

The shapes (ontology/shapes.ttl) say what every well-formed graph holds: a mention names one cited
document, one citer, its offsets and its sentence; a task belongs to a document; a date is a date.
Violations are grouped by message with a few example nodes, because one extractor slip repeats
across hundreds of mentions and a list of hundreds of identical lines hides the second problem.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.graph import ONTOLOGY_DIR

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _data_graph(store):
    from rdflib import Graph
    from rdflib.term import BNode, Literal, URIRef

    def term(t):
        v = t.value
        kind = type(t).__name__
        if kind == "NamedNode":
            return URIRef(v)
        if kind == "BlankNode":
            return BNode(v)
        if t.language:
            return Literal(v, lang=t.language)
        if t.datatype.value == _XSD_STRING:  # rdflib tells "x" from "x"^^xsd:string; RDF 1.1 does not
            return Literal(v)
        return Literal(v, datatype=URIRef(t.datatype.value))

    g = Graph()
    for q in store.triples():
        g.add((term(q.subject), term(q.predicate), term(q.object)))
    return g


def validate(store, engine: str = "sparql") -> tuple[bool, list[dict[str, Any]]]:
    """(conforms, one row per violation: severity, focus node, path, value, message).

    Conforms when no row is a Violation (warnings are allowed, as pyshacl's allow_warnings)."""
    if engine == "sparql":
        from kg.graph.shacl import Unsupported, run

        try:
            rows = run(ONTOLOGY_DIR / "shapes.ttl", ONTOLOGY_DIR, store)
        except Unsupported:
            return validate(store, "pyshacl")
        rows.sort(key=lambda r: (r["severity"] != "Violation", r["message"], r["focus"], r["value"]))
        return not any(r["severity"] == "Violation" for r in rows), rows
    from pyshacl import validate as shacl
    from rdflib import Graph, Namespace

    from kg.graph.vocab import ontology_graph

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    conforms, report, _text = shacl(_data_graph(store), shacl_graph=shapes, ont_graph=ontology_graph(),
                                    inference="none", allow_warnings=True)
    SH = Namespace("http://www.w3.org/ns/shacl#")
    rows = []
    for r in report.subjects(predicate=None, object=SH.ValidationResult):
        rows.append({"severity": str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                     "focus": str(report.value(r, SH.focusNode)),
                     "path": str(report.value(r, SH.resultPath) or "").rsplit("#", 1)[-1],
                     "value": str(report.value(r, SH.value) or ""),
                     "constraint": str(report.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                     "message": str(report.value(r, SH.resultMessage) or "")})
    rows.sort(key=lambda r: (r["severity"] != "Violation", r["message"], r["focus"], r["value"]))
    return bool(conforms), rows


def grouped(rows: list[dict[str, Any]], examples: int = 3) -> list[dict[str, Any]]:
    """One line per (severity, message): how many nodes, and a few of them."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in rows:
        generic = r["message"].startswith(("Less than", "More than")) or "<" in r["message"]
        message = f"{r['constraint']} on {r['path']}" if generic else r["message"]
        groups[(r["severity"], r["path"], message)].append(r["focus"] + (f" = {r['value']}" if r["value"] else ""))
    return [{"severity": s, "path": p, "message": m, "count": len(f), "examples": "; ".join(f[:examples])}
            for (s, p, m), f in groups.items()]
