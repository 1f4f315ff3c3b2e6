"""Exports other tools read, loaded in those tools: rdflib for JSON-LD, the Web Annotation context
for annotations, networkx for GraphML and GEXF. The seed plan and a few real documents are built
once; every export comes from the `kg export` command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from conftest import CORPUS, ROOT, SEED, need_shared
from kg.cli import main
from kg.graph.build import build
from kg.graph.store import Store
from kg.ingest import read_source

ANNO = json.loads((ROOT / "ontology" / "anno.jsonld").read_text(encoding="utf-8"))["@context"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The seed and the congbao folder of the real corpus (normative texts with articles)."""
    d = tmp_path_factory.mktemp("export")
    paths = [str(SEED)]
    if CORPUS.exists():
        shutil.copytree(CORPUS / "congbao-hrmaster", d / "congbao")
        paths.append(str(d / "congbao"))
    build(paths, d / "store")
    return d / "store"


def export(store: Path, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / ("out." + args[0])
    r = CliRunner().invoke(main, ["export", "--store", str(store), "--format", *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def _union(store: Path) -> set[tuple[str, str, str]]:
    """The store's triples outside the manifest, as N-Triples terms (what every loader must give)."""
    from rdflib import Graph as G

    g = G()
    g.parse(data=Store.open_read(store).serialize("nt"), format="nt")
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in g}


def _n3(triples) -> set[tuple[str, str, str]]:
    return {(s.n3(), p.n3(), o.n3()) for s, p, o, *_ in triples}


def test_jsonld_is_compacted_with_kgs_context_and_loads_in_a_plain_graph(store, tmp_path):
    out = export(store, tmp_path, "jsonld")
    doc = json.loads(out.read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == shipped  # embedded: loading needs no network
    node = next(n for n in doc["@graph"] if n.get("kg:source") == str(SEED) and "eli:LegalResource" in n["@type"])
    assert node["@id"].startswith("lkg:") and node["rdfs:label"] and isinstance(node["kg:inCorpus"], dict)
    g = Graph()
    g.parse(out, format="json-ld")
    want = _union(store)
    assert len(want) > 2000 and _n3(g) == want
    ds = Dataset()
    ds.parse(out, format="json-ld")
    assert _n3(ds.quads((None, None, None, None))) == want  # all in the default graph, the same triples
    labels = {str(o) for s, p, o in g if str(p).endswith("rdf-schema#label")}
    assert "Kế hoạch hoạt động khoa học và công nghệ năm 2023" in labels


def test_jsonld_with_graphs_keeps_one_named_graph_per_source(store, tmp_path):
    out = export(store, tmp_path, "jsonld", "--graphs")
    ds = Dataset()
    ds.parse(out, format="json-ld")
    nq = Dataset()
    nq.parse(data=Store.open_read(store).serialize("nq"), format="nquads")
    got = {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in ds.quads((None, None, None, None))}
    want = {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in nq.quads((None, None, None, None))}
    assert got == want
    graphs = {q[3] for q in got}
    assert len(graphs) >= 3 and any("kh-khcn-tayninh-2023" in g for g in graphs)


def _expand_terms(obj, ctx: dict, path: str = "") -> None:
    """Every key of the annotation is a term of the Web Annotation context, a JSON-LD keyword, or a
    kg: name: nothing would be dropped when a tool expands it."""
    if isinstance(obj, list):
        for x in obj:
            _expand_terms(x, ctx, path)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            assert k in ctx or k.startswith("@") or k.startswith("kg:"), f"{path}/{k} is not in anno.jsonld"
            if k in ("type", "motivation", "purpose"):
                for t in v if isinstance(v, list) else [v]:
                    assert t in ctx, f"{path}/{k}={t} is not a term of anno.jsonld"
            _expand_terms(v, ctx, f"{path}/{k}")


def test_annotations_follow_the_web_annotation_model_and_point_into_the_source_text(store, tmp_path):
    out = export(store, tmp_path, "annotations")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    _expand_terms({k: v for k, v in doc.items() if k != "@context"}, ANNO)
    items = doc["first"]["items"]
    assert doc["total"] == len(items) >= 100
    texts: dict[str, str] = {}
    for a in items:
        assert a["type"] == "Annotation" and a["motivation"] == "linking"
        quote_sel, pos = a["target"]["selector"]
        assert quote_sel["type"] == "TextQuoteSelector" and pos["type"] == "TextPositionSelector"
        src = a["kg:sourceFile"]
        text = texts.setdefault(src, read_source(src).text)
        s, e = pos["start"], pos["end"]
        assert text[s:e] == quote_sel["exact"], (src, s)
        assert text[s - len(quote_sel["prefix"]):s] == quote_sel["prefix"]
        assert text[e:e + len(quote_sel["suffix"])] == quote_sel["suffix"]
        cited, relation = a["body"]
        assert cited["purpose"] == "identifying" and cited["source"].startswith("https://w3id.org/vn-legal-kg/")
        assert relation["purpose"] == "classifying" and relation["label"]
    seed = [a for a in items if a["kg:sourceFile"] == str(SEED)]
    basis = [a for a in seed if a["target"]["selector"][0]["exact"].startswith("Nghị quyết số 06-NQ/TU")]
    assert basis and basis[0]["body"][1]["label"] == "based_on"
    assert basis[0]["body"][0]["source"].endswith("/nghi-quyet/2022/06-nq-tu")


def test_annotations_load_as_rdf_with_the_shipped_context(store, tmp_path):
    """Expanded against the local copy of anno.jsonld: the annotations become oa: triples."""
    out = export(store, tmp_path, "annotations")
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["@context"] = [ANNO, doc["@context"][1]]
    g = Graph()
    g.parse(data=json.dumps(doc), format="json-ld")
    oa = "http://www.w3.org/ns/oa#"
    annos = {s for s, p, o in g if str(p).endswith("#type") and str(o) == oa + "Annotation"}
    assert len(annos) == doc["total"]
    assert any(str(p) == oa + "hasSelector" for _, p, _ in g)
    exacts = [str(o) for _, p, o in g if str(p) == oa + "exact"]
    assert len(exacts) == doc["total"]


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_keep_vietnamese_labels_and_relations(store, tmp_path, fmt, read):
    g = read(export(store, tmp_path, fmt))
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert "Kế hoạch hoạt động khoa học và công nghệ năm 2023" in labels
    assert any(lab and "Nghị quyết" in lab or lab == "42/2022/NQ-HĐND" for lab in labels)
    rels = {d.get("relation") for _, _, d in g.edges(data=True)}
    assert {"based_on", "cites"} <= rels
    kinds = {d.get("kind") for _, d in g.nodes(data=True)}
    assert {"document", "task"} <= kinds
    assert g.number_of_edges() > 50


def test_annotations_need_the_real_corpus_too(store, tmp_path):
    need_shared(CORPUS)
    doc = json.loads(export(store, tmp_path, "annotations").read_text(encoding="utf-8"))
    assert len({a["kg:sourceFile"] for a in doc["first"]["items"]}) >= 3
