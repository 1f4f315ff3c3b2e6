"""`kg validate` runs the shapes as SPARQL in the store; pyshacl is the reference it must agree with.

Each case is a small graph in Turtle: a well-formed citation (a plan, a task, the cited resolution,
the mention with its target and selectors) with one defect written into it. Both engines validate
the same store; their violations must be the same (severity, focus node, value, constraint and,
where the shape gives one, the message), and the defect must be found. The real corpus (a store of
a few of its documents) is compared too, when ../shared is beside the project.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import CORPUS, ROOT, need_shared
from kg.graph.shacl import ONTOLOGY_FILES, Compiler, Ontology, Shapes, Unsupported
from kg.graph.store import Store
from kg.graph.validate import ONTOLOGY_DIR, validate

PREFIXES = """@prefix kg: <https://w3id.org/vn-legal-kg/ontology#> . @prefix kgv: <https://w3id.org/vn-legal-kg/vocab/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <https://w3id.org/vn-legal-kg/test/> .
"""
GOOD = {
    "doc": ':d a eli:LegalResource ; rdfs:label "42/2022/NQ-HĐND" ; kg:kind "document" ; '
           'eli:date_document "2022-12-09"^^xsd:date ; eli:type_document <https://w3id.org/vn-legal-kg/vocab/type/NghiQuyet> .',
    "plan": ':p a eli:LegalResource ; rdfs:label "Kế hoạch 1341/KH-UBND" ; kg:kind "document" ; kg:inCorpus true ; '
            'kg:source "kh.txt" .',
    "task": ':t a kg:Task ; eli:is_part_of :p ; kg:taskId "II.2.3" ; rdfs:label "Triển khai Nghị quyết" ; '
            'kg:kind "task" ; kg:start 10 ; kg:end 90 ; eli:cites :d .',
    "mention": ':m a kg:Mention ; kg:cited :d ; oa:hasBody :d ; kg:citing :t ; kg:inDocument :p ; '
               'kg:relation kgv:dan-chieu ; kg:source "kh.txt" ; kg:line 3 ; '
               'kg:quote "Triển khai Nghị quyết số 42/2022/NQ-HĐND" ; oa:hasTarget :tg .',
    "target": ':tg a oa:SpecificResource ; oa:hasSource :p ; oa:hasSelector :ps, :qs .',
    "position": ':ps a oa:TextPositionSelector ; oa:start 30 ; oa:end 45 .',
    "quote": ':qs a oa:TextQuoteSelector ; oa:exact "42/2022/NQ-HĐND" ; oa:prefix "số " .',
    "agency": ':a a kg:Agency ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Sở Khoa học và Công nghệ" .',
}

# (case, parts replaced or added, a constraint component the defect must raise; None: conforms)
CASES = [
    ("well formed", {}, None),
    ("mention without cited", {"mention": GOOD["mention"].replace("kg:cited :d ;", "")}, "MinCountConstraintComponent"),
    ("two cited", {"extra": ":m kg:cited :p ."}, "MaxCountConstraintComponent"),
    ("cited is a task", {"extra": ":m kg:cited :t ."}, "ClassConstraintComponent"),
    ("cited typed by a subclass in the data", {"extra": ":Sub rdfs:subClassOf eli:LegalResource . :d2 a :Sub ; "
                                                        "rdfs:label \"x\" . :m2 a kg:Mention ."}, "MinCountConstraintComponent"),
    ("citing neither task nor document", {"mention": GOOD["mention"].replace("kg:citing :t", "kg:citing :a")},
     "OrConstraintComponent"),
    ("relation outside the scheme", {"mention": GOOD["mention"].replace("kgv:dan-chieu", ":nope")},
     "NodeConstraintComponent"),
    ("line as a string", {"mention": GOOD["mention"].replace("kg:line 3", 'kg:line "3"')},
     "DatatypeConstraintComponent"),
    ("empty quote", {"mention": GOOD["mention"].replace('kg:quote "Triển khai Nghị quyết số 42/2022/NQ-HĐND"',
                                                        'kg:quote ""')}, "MinLengthConstraintComponent"),
    ("target without quote selector", {"target": ':tg a oa:SpecificResource ; oa:hasSource :p ; oa:hasSelector :ps .'},
     "NodeConstraintComponent"),
    ("target with two position selectors", {"extra": ":tg oa:hasSelector :ps2 . :ps2 a oa:TextPositionSelector ; "
                                                     "oa:start 1 ; oa:end 2 ."}, "NodeConstraintComponent"),
    ("start after end", {"position": ":ps a oa:TextPositionSelector ; oa:start 50 ; oa:end 45 ."},
     "LessThanConstraintComponent"),
    ("negative start", {"position": ":ps a oa:TextPositionSelector ; oa:start -1 ; oa:end 45 ."},
     "MinInclusiveConstraintComponent"),
    ("task ends before it starts", {"task": GOOD["task"].replace("kg:end 90", "kg:end 5")},
     "LessThanOrEqualsConstraintComponent"),
    ("task kind wrong", {"task": GOOD["task"].replace('kg:kind "task"', 'kg:kind "document"')},
     "HasValueConstraintComponent"),
    ("task of no document", {"task": GOOD["task"].replace("eli:is_part_of :p ;", "")}, "MinCountConstraintComponent"),
    ("two dates (a warning)", {"extra": ':d eli:date_document "2022-12-10"^^xsd:date .'}, "MaxCountConstraintComponent"),
    ("date as a string", {"doc": GOOD["doc"].replace('"2022-12-09"^^xsd:date', '"2022-12-09"')},
     "DatatypeConstraintComponent"),
    ("type not a concept", {"doc": GOOD["doc"].replace("<https://w3id.org/vn-legal-kg/vocab/type/NghiQuyet>", ":nope")}, "ClassConstraintComponent"),
    ("rests on a task", {"extra": ":t eli:based_on :t ."}, "ClassConstraintComponent"),
    ("rests-on subject is an agency", {"extra": ":a kg:guides :d ."}, "OrConstraintComponent"),
    ("corpus document without source", {"plan": GOOD["plan"].replace('kg:source "kh.txt" ', "")},
     "MinCountConstraintComponent"),
    ("agency without a name", {"agency": ":a a kg:Agency ."}, "MinCountConstraintComponent"),
    ("sameAs to two documents", {"extra": ":d3 owl:sameAs :d, :p ; a eli:LegalResource ; rdfs:label \"y\" ."},
     "MaxCountConstraintComponent"),
]


def _store(tmp_path: Path, parts: dict[str, str], split: bool = False) -> Store:
    """The case's graph in one named graph, or (split) each part in a graph of its own, as sources are."""
    graphs = {"all": "\n".join({**GOOD, **parts}.values())} if not split else {**GOOD, **parts}
    st = Store.begin_build(tmp_path / "s")
    vocab = [t for name in ONTOLOGY_FILES for t in ox.parse(path=str(ONTOLOGY_DIR / name))]
    st.replace_graph("https://w3id.org/vn-legal-kg/graph/vocabulary",  # as a build stores the schemes
                     ox.serialize(vocab, format=ox.RdfFormat.N_TRIPLES), None, None)
    for name, ttl in graphs.items():
        triples = list(ox.parse(PREFIXES + ttl, format=ox.RdfFormat.TURTLE))
        st.replace_graph(f"https://w3id.org/vn-legal-kg/source/{name}",
                         ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), name, "h")
    st.commit()
    return Store.open_read(tmp_path / "s")


def _key(r: dict) -> tuple:
    return r["severity"], r["focus"], r["value"], r["constraint"]


def _same(a: list[dict], b: list[dict]) -> None:
    assert collections.Counter(map(_key, a)) == collections.Counter(map(_key, b))
    given = {t.object.value for t in ox.parse(path=str(ONTOLOGY_DIR / "shapes.ttl"))
             if isinstance(t.object, ox.Literal)}
    assert {(_key(r), r["message"]) for r in a if r["message"] in given} == \
           {(_key(r), r["message"]) for r in b if r["message"] in given}


@pytest.mark.parametrize("name, parts, expect", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("split", [False, True], ids=["one graph", "a graph per part"])
def test_sparql_agrees_with_pyshacl(tmp_path: Path, name: str, parts: dict, expect: str | None, split: bool):
    st = _store(tmp_path, parts, split)
    ok, rows = validate(st)
    ref_ok, ref = validate(st, engine="pyshacl")
    _same(rows, ref)
    assert ok == ref_ok
    if expect is None:
        assert ok and rows == []
    else:
        assert expect in {r["constraint"] for r in rows}, rows
        assert ok == all(r["severity"] == "Warning" for r in rows)


def test_the_ontology_read_is_the_one_pyshacl_gets():
    """kg.graph.shacl reads ontology files; pyshacl got kg.graph.vocab.ontology_graph(): the same triples."""
    from kg.graph.vocab import ontology_graph

    ours = {str(t) for name in ONTOLOGY_FILES for t in ox.parse(path=str(ONTOLOGY_DIR / name))}
    theirs = {ox.Triple(*(_ox(x) for x in t)).__str__() for t in ontology_graph()}
    assert ours == theirs


def _ox(term):
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise AssertionError(f"unexpected term {term!r}")


def test_an_untranslated_constraint_falls_back_to_pyshacl(tmp_path: Path):
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/vn-legal-kg/ontology#> .\n"
                           "kg:S a sh:NodeShape ; sh:targetClass kg:Task ; "
                           "sh:property [ sh:path kg:taskId ; sh:pattern \"^[IVX]\" ] .\n", encoding="utf-8")
    st = _store(tmp_path, {})
    comp = Compiler(Shapes.parse(shapes_file), Ontology.load(ONTOLOGY_DIR, st))
    with pytest.raises(Unsupported):
        list(comp.queries(ox.NamedNode("https://w3id.org/vn-legal-kg/ontology#S")))


def test_real_corpus_agrees_with_pyshacl(tmp_path: Path):
    files = sorted(need_shared(CORPUS).rglob("*.txt"))[:6]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, files), "--store", str(tmp_path / "s")],
                   cwd=tmp_path, env=env, check=True, capture_output=True, timeout=600)
    st = Store.open_read(tmp_path / "s")
    ok, rows = validate(st)
    ref_ok, ref = validate(st, engine="pyshacl")
    assert ok == ref_ok
    _same(rows, ref)
