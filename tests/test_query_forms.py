"""The fast forms of describe.rq and quote.rq give the rows of their plain forms, on the real corpus.

Why: both queries were rewritten for Oxigraph's evaluation order (patterns reordered, a subquery
where an inline join read every graph; benchmarks/bench_scale.py). The plain forms below are the
queries as they were before (the type's label joined inline; the quote patterns after the UNION):
they say what the rows must be, and the shipped forms must give exactly those rows for every node
and every link of a real store. (A form with one VALUES outside the UNION would be plainer still,
but Oxigraph then evaluates every branch over the whole graph: 15 s per 100 nodes here.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, need_shared
from kg.graph import fill, iri, named_query
from kg.graph.build import build
from kg.graph.store import Store

_PREFIXES = """PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

PLAIN_DESCRIBE = _PREFIXES + """SELECT DISTINCT ?node ?field ?value WHERE {
  { VALUES ?node { $NODES } ?node kg:kind ?value BIND("kind" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node rdfs:label ?value BIND("label" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node kg:taskId ?value BIND("task_id" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:id_local ?value BIND("id_local" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:title|kg:subject ?value BIND("title" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node kg:source ?value BIND("source" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:date_document ?value BIND("date" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:jurisdiction ?value BIND("place" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:type_document ?ty . ?ty skos:prefLabel ?value .
          FILTER(LANG(?value) = "vi") BIND("type" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node kg:inCorpus ?value BIND("in_corpus" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:passed_by ?ag . ?ag skos:prefLabel ?value BIND("issuer" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node eli:is_part_of ?doc . ?doc rdfs:label ?value BIND("doc_label" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node (owl:sameAs|^owl:sameAs)* ?same . ?by kg:replaces ?same .
          ?by eli:type_document ?type . ?type kg:normative true . ?by rdfs:label ?value BIND("replaced_by" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node (owl:sameAs|^owl:sameAs)* ?same . ?by eli:repeals ?same .
          ?by eli:type_document ?type . ?type kg:normative true . ?by rdfs:label ?value BIND("repealed_by" AS ?field) }
  UNION { VALUES ?node { $NODES } ?node (owl:sameAs|^owl:sameAs)* ?same . ?by eli:amends ?same .
          ?by eli:type_document ?type . ?type kg:normative true . ?by rdfs:label ?value BIND("amended_by" AS ?field) }
}"""

PLAIN_QUOTE = _PREFIXES + """SELECT DISTINCT ?citer ?cited ?how ?quote ?source ?line WHERE {
  { VALUES (?citer ?cited) { $PAIRS } ?m kg:citing ?citer ; kg:cited ?cited BIND(0 AS ?how) }
  UNION { VALUES (?citer ?cited) { $PAIRS } ?m kg:nestedIn ?citer ; kg:cited ?cited BIND(1 AS ?how) }
  UNION { VALUES (?citer ?cited) { $PAIRS } ?m kg:inDocument ?citer ; kg:cited ?cited BIND(2 AS ?how) }
  ?m kg:quote ?quote ; kg:source ?source ; kg:line ?line .
}"""

_BATCH = 200


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Store:
    d = tmp_path_factory.mktemp("real-store")
    rep = build([str(need_shared(CORPUS))], d)
    assert rep.added and not rep.failed
    return Store.open_read(d)


def _rows(rows: list[dict]) -> set[tuple]:
    return {tuple((k, type(v).__name__, str(v)) for k, v in sorted(r.items())) for r in rows}


def test_describe_gives_the_plain_forms_rows_for_every_node(real_store):
    nodes = sorted({r["n"] for r in real_store.query(_PREFIXES + "SELECT DISTINCT ?n WHERE { ?n rdfs:label ?l }")})
    assert len(nodes) > 1000, "the real corpus gives thousands of documents and tasks"
    fields: set[str] = set()
    for i in range(0, len(nodes), _BATCH):
        part = {"NODES": nodes[i:i + _BATCH]}
        fast = real_store.query(fill(named_query("describe"), part, None))
        plain = real_store.query(fill(PLAIN_DESCRIBE, part, None))
        assert _rows(fast) == _rows(plain), f"nodes {i}..{i + _BATCH}"
        fields |= {r["field"] for r in fast}
    # every branch was exercised (a branch that silently lost its rows would pass on the others)
    assert {"kind", "label", "task_id", "id_local", "title", "source", "date", "place", "type", "in_corpus",
            "issuer", "doc_label", "replaced_by", "amended_by"} <= fields


def test_quote_gives_the_plain_forms_rows_for_every_link(real_store):
    edges = real_store.query(_PREFIXES + """SELECT DISTINCT ?a ?b WHERE {
        ?a ?p ?b . ?p rdfs:subPropertyOf kg:restsOn . FILTER(isIRI(?b)) }""")
    pairs = sorted({(r["a"], r["b"]) for r in edges})
    assert len(pairs) > 500
    hows: set[int] = set()
    for i in range(0, len(pairs), _BATCH):
        block = " ".join(f"({iri(a)} {iri(b)})" for a, b in pairs[i:i + _BATCH])
        fast = real_store.query(named_query("quote").replace("$PAIRS", block))
        plain = real_store.query(PLAIN_QUOTE.replace("$PAIRS", block))
        assert _rows(fast) == _rows(plain), f"pairs {i}..{i + _BATCH}"
        hows |= {r["how"] for r in fast}
    assert hows == {0, 1, 2}
