"""Namespaces, and the SKOS scheme of document types generated from the grammar table.

`python -m kg.graph.vocab` rewrites ontology/doc-types.ttl from kg/grammar/data/doc_types.yaml;
a test checks the two agree, so the table stays the one place a type is defined.
"""

from __future__ import annotations

import sys

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.grammar import grammar, load
from kg.graph import ELI_NS, ONTOLOGY_DIR, relation_properties
from kg.resolve.identity import BASE, ONTO, VOCAB

ELI = Namespace(ELI_NS)
KG = Namespace(ONTO)
KGV = Namespace(VOCAB)
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")

_PREFIX = {"eli": ELI, "kg": KG}


def _curie(c: str) -> URIRef:
    p, local = c.split(":", 1)
    return _PREFIX[p][local]


def relation_table() -> list[dict]:
    return load("relations.yaml")["relations"]


# relation id -> (concept, the property of the direct edge), from grammar/data/relations.yaml
RELATIONS = {r["id"]: (KGV[r["concept"]], URIRef(relation_properties()[r["id"]])) for r in relation_table()}


def relations_graph() -> Graph:
    """The relation scheme and its properties, each rdfs:subPropertyOf kg:restsOn (generated)."""
    g = bind(Graph())
    table = load("relations.yaml")
    scheme, top = KGV["relations"], table["changes"]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Quan hệ giữa văn bản", lang="vi")))
    g.add((scheme, SKOS.prefLabel, Literal("Relations between documents", lang="en")))
    g.add((KG.restsOn, RDF.type, OWL.ObjectProperty))
    g.add((KG.restsOn, RDFS.label, Literal("rests on", lang="en")))
    g.add((KG.restsOn, RDFS.label, Literal("dựa trên", lang="vi")))
    g.add((KG.restsOn, RDFS.comment, Literal("Any relation of one document (or task) to another that it rests on "
                                             "or acts on; every relation property below is a sub-property, and the "
                                             "graph states it beside each edge so queries follow one property.", lang="en")))
    for r in [{**top, "id": "changes"}, *table["relations"]]:
        c, prop = KGV[r["concept"]], _curie(r["property"])
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.notation, Literal(r["id"])))
        g.add((c, SKOS.prefLabel, Literal(r["vi"], lang="vi")))
        g.add((c, SKOS.prefLabel, Literal(r["en"], lang="en")))
        g.add((c, SKOS.exactMatch, prop))
        if r.get("broader"):
            g.add((c, SKOS.broader, KGV[r["broader"]]))
        else:
            g.add((c, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, c))
        for k, p in (("alt", SKOS.altLabel), ("definition", SKOS.definition)):
            if r.get(k):
                g.add((c, p, Literal(r[k], lang="vi")))
        if r.get("close"):
            g.add((c, SKOS.closeMatch, _curie(r["close"])))
        if r["id"] != "changes":
            g.add((prop, RDFS.subPropertyOf, KG.restsOn))
        if r["property"].startswith("kg:"):
            g.add((prop, RDF.type, OWL.ObjectProperty))
            g.add((prop, RDFS.label, Literal(r["en"], lang="en")))
            g.add((prop, RDFS.label, Literal(r["vi"], lang="vi")))
            if r.get("parent"):
                g.add((prop, RDFS.subPropertyOf, _curie(r["parent"])))
            if r.get("comment"):
                g.add((prop, RDFS.comment, Literal(r["comment"], lang="en")))
    return g


def type_concept(name: str | None) -> URIRef | None:
    t = grammar().doc_type(name) if name else None
    return KGV[f"type/{t.skos}"] if t and t.skos else None


def bind(g: Graph) -> Graph:
    for p, ns in (("eli", ELI), ("kg", KG), ("kgv", KGV), ("skos", SKOS), ("prov", PROV), ("oa", OA)):
        g.bind(p, ns)
    return g


def doc_types_graph() -> Graph:
    g = bind(Graph())
    scheme = KGV["types"]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Loại văn bản", lang="vi")))
    g.add((scheme, SKOS.prefLabel, Literal("Document types", lang="en")))
    for t in grammar().doc_types:
        c = KGV[f"type/{t.skos}"]
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, RDF.type, ELI.ResourceType))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.prefLabel, Literal(t.name, lang="vi")))
        g.add((c, SKOS.prefLabel, Literal(t.en, lang="en")))
        for code in t.codes:
            g.add((c, SKOS.notation, Literal(code)))
        for code in t.party:
            g.add((c, SKOS.altLabel, Literal(f"{code} (Đảng)", lang="vi")))
        g.add((c, KG.normative, Literal(t.normative, datatype=XSD.boolean)))
        if t.rank is not None:
            g.add((c, KG.rank, Literal(t.rank, datatype=XSD.integer)))
    g.add((KG.normative, RDF.type, OWL.DatatypeProperty))
    g.add((KG.normative, RDFS.label, Literal("văn bản quy phạm pháp luật", lang="vi")))
    g.add((KG.rank, RDF.type, OWL.DatatypeProperty))
    g.add((KG.rank, RDFS.label, Literal("thứ bậc hiệu lực", lang="vi")))
    return g


def ontology_graph() -> Graph:
    """The whole vocabulary: kg.ttl, the generated types and the SHACL shapes' targets."""
    g = bind(Graph())
    g.parse(ONTOLOGY_DIR / "kg.ttl")
    g += doc_types_graph()
    g += relations_graph()
    return g


GENERATED = {"doc-types.ttl": ("doc_types.yaml", doc_types_graph), "relations.ttl": ("relations.yaml", relations_graph)}


def main() -> int:
    for name, (table, make) in GENERATED.items():
        out = ONTOLOGY_DIR / name
        out.write_text(f"# Generated by `python -m kg.graph.vocab` from kg/grammar/data/{table}. Base: {BASE}\n"
                       + make().serialize(format="turtle"), encoding="utf-8")
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
