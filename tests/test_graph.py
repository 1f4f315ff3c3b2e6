"""The knowledge graph: identity, provenance, the store, incremental and atomic builds, questions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEED, need_shared
from kg import extract
from kg.cli import main
from kg.graph import query as Q
from kg.graph.build import build
from kg.graph.mapping import document_graph
from kg.graph.store import Store
from kg.resolve.identity import document_iri


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("store")
    rep = build([str(SEED)], d)
    assert rep.added == [str(SEED)] and not rep.failed
    return d


def test_cites_returns_exactly_the_task_with_its_quote(seed_store):
    rows = Q.cites(Store.open_read(seed_store), "42/2022/NQ-HĐND")
    assert [(r["kind"], r["id"]) for r in rows] == [("task", "II.2.3")]
    assert rows[0]["label"].startswith("Triển khai Nghị quyết số 42/2022/NQ-HĐND")
    assert rows[0]["quote"].startswith("Triển khai Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022")
    assert rows[0]["relation"] == "cites" and rows[0]["source"] == str(SEED)


@pytest.mark.parametrize("loose", ["NQ 42/2022", "42/2022/nq-hdnd", "Nghị quyết 42/2022/NQ-HĐND", "42/2022/NQ-HÐND"])
def test_loose_input(seed_store, loose):
    rows = Q.cites(Store.open_read(seed_store), loose)
    assert [r["id"] for r in rows] == ["II.2.3"]


def test_impact_reaches_the_task_through_the_chain(seed_store):
    rows = Q.impact(Store.open_read(seed_store), "52-NQ/TW")
    by_id = {r["id"]: r for r in rows}
    assert by_id["50-NQ/CP"]["via"] == "52-NQ/TW"
    assert by_id["1341/KH-UBND"]["via"] == "50-NQ/CP"
    task = by_id["II.2.5.1"]
    assert task["kind"] == "task" and task["via"] == "1341/KH-UBND" and task["depth"] == 3


def test_deps_of_the_task_lists_all_three(seed_store):
    rows = Q.deps(Store.open_read(seed_store), "II.2.5.1", transitive=True)
    ids = [r["id"] for r in rows]
    assert {"1341/KH-UBND", "50-NQ/CP", "52-NQ/TW"} <= set(ids)
    direct = Q.deps(Store.open_read(seed_store), "II.2.5.1")
    assert "52-NQ/TW" not in [r["id"] for r in direct]  # reached only through the chain


def test_validate_passes_on_the_seed(seed_store):
    r = CliRunner().invoke(main, ["validate", "--store", str(seed_store)])
    assert r.exit_code == 0, r.output


def test_every_link_keeps_its_provenance(seed_store):
    store = Store.open_read(seed_store)
    rows = store.query("""PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
        SELECT ?s ?e ?surface ?quote ?source WHERE { ?m a kg:Mention ; kg:start ?s ; kg:end ?e ;
        kg:surface ?surface ; kg:quote ?quote ; kg:source ?source }""")
    text = SEED.read_text(encoding="utf-8")
    assert len(rows) == len(extract(SEED).citations)
    for r in rows:
        assert text[r["s"]:r["e"]] == r["surface"]
        assert " ".join(r["surface"].split())[:20] in r["quote"]


def test_identity():
    tn = dict(issuer="Ủy ban nhân dân tỉnh Tây Ninh", doc_type="Quyết định", date="2023-01-07", symbol="QĐ-UBND")
    na = dict(tn, issuer="Ủy ban nhân dân tỉnh Nghệ An")
    assert document_iri("01/QĐ-UBND", **tn) != document_iri("01/QĐ-UBND", **na)
    assert document_iri("01/QĐ-UBND", **tn) == document_iri("01/qđ-ubnd", **tn) == document_iri("01/QÐ-UBND", **tn)
    assert document_iri("55/2011/NĐ-CP", doc_type="Nghị định", year=2011) == document_iri(
        "55/2011/NĐ-CP", doc_type="Nghị định", year=2011, date="2011-07-04", issuer="Chính phủ")
    assert "/tay-ninh/" in document_iri("01/QĐ-UBND", **tn)


def test_a_cited_document_in_the_corpus_is_the_same_node():
    need_shared(CORPUS)
    cited = extract(CORPUS / "tvpl-tnt305" / "kh-165-ubnd-cantho-2025.txt")
    c = next(c for c in cited.citations if c.identifier == "27/CT-TTg")
    from kg.graph.mapping import cited_iri
    from kg.resolve.identity import source_document_iri

    own = extract("ỦY BAN NHÂN DÂN\nTHỦ TƯỚNG CHÍNH PHỦ\nSố: 27/CT-TTg\nHà Nội, ngày 15 tháng 8 năm 2024\n\nCHỈ THỊ\n"
                  "Về việc tăng cường thực hiện công tác dân số\n")
    assert source_document_iri("x", "y", own.header) == cited_iri(c, cited)


def test_named_graph_per_source_and_rebuild_replaces_it(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    text = SEED.read_text(encoding="utf-8")
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("42/2022/NQ-HĐND", "43/2022/NQ-HĐND"), encoding="utf-8")
    d = tmp_path / "store"
    build([str(a), str(b)], d)
    s = Store.open_read(d)
    assert len(s.graphs()) == 3  # two sources and the vocabulary
    n = len(s)
    del s
    b.write_text(text.replace("42/2022/NQ-HĐND", "44/2022/NQ-HĐND"), encoding="utf-8")
    rep = build([str(a), str(b)], d)
    assert rep.updated == [str(b)] and rep.unchanged == [str(a)]
    s = Store.open_read(d)
    assert len(s) == n
    assert Q.resolve(s, "44/2022/NQ-HĐND")
    with pytest.raises(Q.NotFound):  # the old graph of b.txt is gone, nothing else cited 43
        Q.cites(s, "43/2022/NQ-HĐND")


def test_corpus_builds_incrementally_and_the_noop_rebuild_is_isomorphic(tmp_path):
    need_shared(CORPUS)
    src = tmp_path / "real"
    shutil.copytree(CORPUS, src)
    d = tmp_path / "store"
    first = build([str(src)], d)
    assert not first.failed and len(first.added) == 66
    dump1 = Store.open_read(d).dump()
    again = build([str(src)], d)
    assert again.added == again.updated == [] and len(again.unchanged) == 66
    assert Store.open_read(d).dump() == dump1 or _isomorphic(dump1, Store.open_read(d).dump())
    touched = src / "tvpl-tnt305" / "qd-89-2025-ubnd-laichau.txt"
    touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build([str(src)], d)
    assert third.updated == [str(touched)] and third.added == []
    touched.unlink()
    fourth = build([str(src)], d, prune=True)
    assert fourth.removed == [str(touched)]


def _isomorphic(a: bytes, b: bytes) -> bool:
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    da, db = Dataset(), Dataset()
    da.parse(data=a, format="nquads")
    db.parse(data=b, format="nquads")
    return isomorphic(da, db)


def test_a_killed_build_leaves_the_previous_graph_readable(tmp_path, monkeypatch):
    d = tmp_path / "store"
    build([str(SEED)], d)
    before = Store.open_read(d).dump()
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("42/2022", "45/2022"), encoding="utf-8")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "commit", boom)
    with pytest.raises(KeyboardInterrupt):
        build([str(SEED), str(other)], d)
    monkeypatch.undo()
    assert Store.open_read(d).dump() == before
    rep = build([str(SEED), str(other)], d)  # the next build cleans up and goes on
    assert rep.added == [str(other)]
    assert len(list(d.glob("snap-*"))) == 1


def test_typed_relations_from_the_text(tmp_path):
    text = ("BỘ TÀI CHÍNH\nSố: 5/2024/TT-BTC\nHà Nội, ngày 01 tháng 02 năm 2024\n\nTHÔNG TƯ\nQuy định thử\n\n"
            "Điều 1. Thông tư này thay thế Thông tư số 184/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính.\n"
            "Điều 2. Bãi bỏ Quyết định số 12/2010/QĐ-BTC ngày 01/01/2010 của Bộ Tài chính.\n")
    f = tmp_path / "tt.txt"
    f.write_text(text, encoding="utf-8")
    d = tmp_path / "store"
    build([str(f)], d)
    s = Store.open_read(d)
    rows = s.query("""PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?p ?l WHERE { ?d kg:inCorpus true ; ?p ?x . ?x eli:id_local ?l .
        FILTER(?p IN (kg:replaces, eli:repeals)) }""")
    got = {(r["p"].rsplit("#", 1)[-1], r["l"]) for r in rows}
    assert got == {("replaces", "184/2015/TT-BTC"), ("repeals", "12/2010/QĐ-BTC")}
    dep = Q.impact(s, "184/2015/TT-BTC")
    assert dep and dep[0]["relation"] == "thay thế"
    old = Q.deps(s, "5/2024/TT-BTC")
    assert {r["id"]: r["replaced_by"] for r in old}["184/2015/TT-BTC"] == "5/2024/TT-BTC"


def test_cli_formats_and_errors(seed_store, tmp_path):
    r = CliRunner().invoke(main, ["cites", "42/2022/NQ-HĐND", "--store", str(seed_store), "--format", "json"])
    rows = json.loads(r.stdout)
    assert {"kind", "id", "label", "source", "quote"} <= set(rows[0])
    r = CliRunner().invoke(main, ["cites", "99/2099/NQ-HĐND", "--store", str(seed_store)])
    assert r.exit_code == 1 and "no document" in r.output
    r = CliRunner().invoke(main, ["cites", "x", "--store", str(tmp_path / "nowhere")])
    assert r.exit_code == 1 and "kg build" in r.output
    p = subprocess.run([sys.executable, "-m", "kg.cli", "impact", "52-NQ/TW", "--store", str(seed_store), "--format",
                        "csv"], capture_output=True, text=True)
    assert p.returncode == 0 and "II.2.5.1" in p.stdout
    r = CliRunner().invoke(main, ["sparql", "most_cited", "--store", str(seed_store), "--format", "csv"])
    assert r.exit_code == 0 and "42/2022/NQ-HĐND" in r.stdout
    r = CliRunner().invoke(main, ["sparql", "SELEC nonsense", "--store", str(seed_store)])
    assert r.exit_code == 1 and "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "nq", "graphml", "gexf", "csv"])
def test_export(seed_store, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    r = CliRunner().invoke(main, ["export", "--store", str(seed_store), "--format", fmt, "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    if fmt in ("ttl", "nt", "jsonld", "nq"):
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=data, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "nq": "nquads"}[fmt])
        assert len(ds) > 500 or sum(1 for _ in ds.quads((None, None, None, None))) > 500
    elif fmt in ("graphml", "gexf"):
        import networkx as nx

        g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
        assert g.number_of_edges() >= 19
    else:
        assert data.decode("utf-8").count("\n") >= 19


def test_analytics(seed_store):
    from kg.analyze import most_cited, projection

    g = projection(Store.open_read(seed_store))
    top = most_cited(g, 50)
    assert any(r["id"] == "42/2022/NQ-HĐND" and r["in_degree"] >= 1 and r["pagerank"] > 0 for r in top)


def test_mapping_needs_no_store():
    graph, g = document_graph(extract(SEED))
    assert graph.startswith("https://w3id.org/vn-legal-kg/source/") and len(g) > 500


def test_viz_from_the_store(seed_store, tmp_path):
    out = tmp_path / "g.html"
    r = CliRunner().invoke(main, ["viz", "--store", str(seed_store), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    import re

    assert "42/2022/NQ-HĐND" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # nothing is loaded from a network
