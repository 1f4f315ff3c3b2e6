"""The graph as files other tools open: compacted JSON-LD, W3C Web Annotations, and the
document/task projection as GraphML and GEXF for Gephi, CSV (one edge a row) for Excel.

JSON-LD is written here, not by pyoxigraph, whose writer gives expanded JSON-LD only, with the
named graphs at the top: a plain `rdflib.Graph()` loads 0 triples from it. The file carries kg's
published context (ontology/context.jsonld) embedded as its `@context`, so it loads with no network,
and is compacted against it (prefixed names, plain strings for plain literals, one value without an
array). By default the triples are the union of the named graphs, which a plain Graph and a Dataset
read alike; `graphs=True` keeps one named graph per source for those who want the provenance.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from functools import lru_cache
from typing import Any, Iterable

import networkx as nx

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """kg's JSON-LD context, as shipped in ontology/context.jsonld (the `@context` object)."""
    from kg.graph.vocab import ONTOLOGY_DIR

    return json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))["@context"]


@lru_cache(maxsize=1)
def _prefixes() -> list[tuple[str, str]]:
    """(namespace, prefix), longest namespace first, so kg: wins over the base it sits under."""
    ns = [(v, k) for k, v in context().items() if isinstance(v, str) and not k.startswith("@")]
    return sorted(ns, key=lambda t: -len(t[0]))


def compact_iri(iri: str) -> str:
    for ns, prefix in _prefixes():
        if iri.startswith(ns):
            rest = iri[len(ns):]
            if rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
    return iri


def _term_id(term: Any) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact_iri(term.value)


def _value(term: Any) -> Any:
    import pyoxigraph as ox

    if not isinstance(term, ox.Literal):
        return {"@id": _term_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    dt = term.datatype.value
    if dt in (_XSD_STRING, _LANG_STRING):
        return term.value
    return {"@value": term.value, "@type": compact_iri(dt)}


def _nodes(triples: Iterable[tuple[Any, Any, Any]]) -> list[dict[str, Any]]:
    """Node objects, one per subject, keys and values sorted: the same graph gives the same bytes."""
    props: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        key = "@type" if p.value == _RDF_TYPE else compact_iri(p.value)
        v = _term_id(o) if key == "@type" else json.dumps(_value(o), ensure_ascii=False, sort_keys=True)
        props[_term_id(s)][key].add(v)
    out = []
    for sid in sorted(props):
        node: dict[str, Any] = {"@id": sid}
        for key in sorted(props[sid], key=lambda k: (k != "@type", k)):
            vals = sorted(props[sid][key])
            if key != "@type":
                vals = [json.loads(v) for v in vals]
            node[key] = vals[0] if len(vals) == 1 else vals
        out.append(node)
    return out


def jsonld(quads: Iterable[Any], graphs: bool = False) -> bytes:
    """Compacted JSON-LD of kg's quads (the manifest left out by the caller's `triples()`)."""
    if graphs:
        by_graph: dict[str, list] = defaultdict(list)
        for q in quads:
            by_graph[q.graph_name.value].append((q.subject, q.predicate, q.object))
        body = [{"@id": compact_iri(g), "@graph": _nodes(by_graph[g])} for g in sorted(by_graph)]
    else:
        body = _nodes({(q.subject, q.predicate, q.object) for q in quads})
    doc = {"@context": context(), "@graph": body}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
