"""The questions legal staff ask a built graph: cites, deps, impact, sparql, stats, export, validate.

Stores are real (pyoxigraph on disk in tmp_path), built with `kg build`'s own code; the CLI runs
through click's runner and, once, as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from kg import extract
from kg.cli import main
from kg.graph import query as Q
from kg.graph import query_names
from kg.graph.build import build
from kg.graph.store import Store

ROW_KEYS = {"kind", "id", "label", "source", "quote"}


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("store")
    rep = build([str(SEED)], d)
    assert rep.added == [str(SEED)] and not rep.failed
    return d


@pytest.fixture(scope="module")
def seed_has_tasks() -> bool:
    """The structure stage may not be there: then citations hang on the document itself."""
    return bool(extract(SEED).tasks)


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- kg cites -------------------------------------------------------------------------------------

def test_cites_returns_exactly_the_task_with_its_quote(seed_store, seed_has_tasks):
    rows = Q.cites(Store.open_read(seed_store), "42/2022/NQ-HĐND")
    assert len(rows) == 1
    r = rows[0]
    if seed_has_tasks:
        assert (r["kind"], r["id"]) == ("task", "II.2.3")
        assert r["label"].startswith("Triển khai Nghị quyết số 42/2022/NQ-HĐND")
        assert r["document"] == "Kế hoạch hoạt động khoa học và công nghệ năm 2023"
    else:
        assert (r["kind"], r["id"]) == ("document", str(SEED))
    assert r["quote"].startswith("Triển khai Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022")
    assert r["relation"] == "cites" and r["relation_vi"] == "dẫn chiếu" and r["source"] == str(SEED)
    assert r["cited_place"] == "Tây Ninh" and r["cited_date"] == "2022-12-09"


@pytest.mark.parametrize("loose", ["NQ 42/2022", "42/2022/nq-hdnd", "Nghị quyết 42/2022/NQ-HĐND", "42/2022/NQ-HÐND",
                                   "nghị quyết số 42/2022", " 42/2022/NQ-HĐND "])
def test_loose_input_names_the_document(seed_store, loose):
    assert Q.resolve(Store.open_read(seed_store), loose) == ["42/2022/NQ-HDND"]
    assert len(Q.cites(Store.open_read(seed_store), loose)) == 1


def test_loose_input_by_number_and_type_word_and_by_title(seed_store):
    s = Store.open_read(seed_store)
    assert Q.resolve(s, "Nghị định 55") == ["55/2011/ND-CP"]
    assert Q.resolve(s, "TT 13/2021") == ["13/2021/TT-BKHCN"]
    assert Q.resolve(s, "Quyết định 01") == ["01/QD-UBND"]
    titled = Q.resolve(s, "chuong trinh phat trien tai san tri tue")  # no accents, part of a title
    assert titled and all("tài sản trí tuệ" in t for t in titled)
    with pytest.raises(Q.NotFound):
        Q.resolve(s, "99/2099/NQ-HĐND")
    # the type written is kept: the seed cites Nghị định 55/2011 but no Nghị quyết 55/2011
    with pytest.raises(Q.NotFound, match="55/2011/ND-CP"):  # ...and the near match is named
        Q.resolve(s, "NQ 55/2011")
    for blank in ("", "   "):
        with pytest.raises(Q.NotFound):
            Q.resolve(s, blank)
    with pytest.raises(Q.NotFound, match="no task 'II.9.9'"):
        Q.nodes_for(s, "II.9.9")
    for unknown in ("https://nowhere.example/x", 'https://x/"bad'):  # an IRI must name a node of the graph
        with pytest.raises(Q.NotFound):
            Q.nodes_for(s, unknown)


def test_cites_of_a_base_document_says_can_cu(seed_store):
    rows = Q.cites(Store.open_read(seed_store), "68/NQ-HĐND")
    assert [(r["kind"], r["relation"], r["relation_vi"]) for r in rows] == [("document", "based_on", "căn cứ")]
    # one "Căn cứ" lists several bases; the quote is this one's clause
    assert rows[0]["quote"].startswith("Nghị quyết số 68/NQ-HĐND ngày 09/12/2022 của Hội đồng nhân dân tỉnh")


# -- kg impact / kg deps --------------------------------------------------------------------------

def test_impact_reaches_the_task_through_the_chain(seed_store, seed_has_tasks):
    rows = Q.impact(Store.open_read(seed_store), "52-NQ/TW")
    by_id = {r["id"]: r for r in rows}
    assert by_id["50-NQ/CP"]["via"] == "52-NQ/TW" and by_id["50-NQ/CP"]["depth"] == 1
    assert by_id["1341/KH-UBND"]["via"] == "50-NQ/CP" and by_id["1341/KH-UBND"]["depth"] == 2
    assert by_id["1341/KH-UBND"]["quote"] and "1341/KH-UBND" in by_id["1341/KH-UBND"]["quote"]
    if seed_has_tasks:
        task = by_id["II.2.5.1"]
        assert task["kind"] == "task" and task["via"] == "1341/KH-UBND" and task["depth"] == 3
        assert task["path"] == "52-NQ/TW > 50-NQ/CP > 1341/KH-UBND > II.2.5.1"
        assert task["document"] == "Kế hoạch hoạt động khoa học và công nghệ năm 2023"
    for r in rows:
        assert ROW_KEYS <= set(r) and r["source"] == str(SEED)


def test_deps_of_the_task_lists_all_three(seed_store, seed_has_tasks):
    if not seed_has_tasks:
        pytest.skip("the extractor yields no tasks: deps of a task needs the structure stage")
    s = Store.open_read(seed_store)
    rows = Q.deps(s, "II.2.5.1", transitive=True)
    by_id = {r["id"]: r for r in rows}
    assert {"1341/KH-UBND", "50-NQ/CP", "52-NQ/TW"} <= set(by_id)
    assert [by_id[i]["depth"] for i in ("1341/KH-UBND", "50-NQ/CP", "52-NQ/TW")] == [1, 2, 3]
    direct = [r["id"] for r in Q.deps(s, "II.2.5.1")]
    assert "1341/KH-UBND" in direct and "52-NQ/TW" not in direct  # reached only through the chain
    # the same task named by its source, or by words of its text
    assert [r["id"] for r in Q.deps(s, f"{SEED.name}#II.2.5.1")] == direct
    assert [r["id"] for r in Q.deps(s, "Triển khai: Kế hoạch hỗ trợ hệ sinh thái")] == direct


def test_deps_of_a_document_lists_its_bases(seed_store):
    rows = Q.deps(Store.open_read(seed_store), "Kế hoạch hoạt động khoa học và công nghệ năm 2023")
    ids = {r["id"] for r in rows if r["relation"] == "based_on"}
    assert {"06-NQ/TU", "68/NQ-HĐND", "01/QĐ-UBND", "02/QĐ-UBND", "2505/QĐ-UBND", "155/QĐ-KHCN"} <= ids


def _typed_corpus(tmp_path: Path) -> Path:
    """A circular replacing another, the old circular itself, and a plan whose task cites the old one."""
    d = tmp_path / "typed"
    d.mkdir()
    (d / "tt-5-2024.txt").write_text(
        "BỘ TÀI CHÍNH\nSố: 5/2024/TT-BTC\nHà Nội, ngày 01 tháng 02 năm 2024\n\nTHÔNG TƯ\nQuy định thử\n\n"
        "Điều 1. Thông tư này thay thế Thông tư số 184/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính.\n"
        "Điều 2. Bãi bỏ Quyết định số 12/2010/QĐ-BTC ngày 01/01/2010 của Bộ Tài chính.\n", encoding="utf-8")
    (d / "tt-184-2015.txt").write_text(
        "BỘ TÀI CHÍNH\nSố: 184/2015/TT-BTC\nHà Nội, ngày 17 tháng 11 năm 2015\n\nTHÔNG TƯ\nQuy định cũ\n\n"
        "Căn cứ Nghị định số 87/2010/NĐ-CP ngày 13/8/2010 của Chính phủ;\n\nĐiều 1. Phạm vi.\n", encoding="utf-8")
    (d / "kh-7-2016.txt").write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH\nSố: 7/KH-UBND\nTây Ninh, ngày 05 tháng 3 năm 2016\n\nKẾ HOẠCH\n"
        "Triển khai thử\n\nI. NHIỆM VỤ\n1. Triển khai Thông tư số 184/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính "
        "trên địa bàn tỉnh.\n", encoding="utf-8")
    return d


def test_typed_relations_and_replaced_documents_on_the_path(tmp_path):
    d = tmp_path / "store"
    build([str(_typed_corpus(tmp_path))], d)
    s = Store.open_read(d)
    rel = {r["relation"]: r["relation_vi"] for r in Q.impact(s, "184/2015/TT-BTC")}
    assert rel.get("replaces") == "thay thế"
    deps = {r["id"]: r for r in Q.deps(s, "5/2024/TT-BTC")}
    assert deps["184/2015/TT-BTC"]["status"] == "replaced by 5/2024/TT-BTC"
    assert deps["12/2010/QĐ-BTC"]["status"] == "repealed by 5/2024/TT-BTC"
    # what rests on the decree reaches the plan through the replaced circular, and says so
    impact = {r["id"]: r for r in Q.impact(s, "87/2010/NĐ-CP")}
    assert impact["184/2015/TT-BTC"]["status"] == "replaced by 5/2024/TT-BTC"
    plan_rows = [r for r in impact.values() if r["depth"] == 2 and r["source"].endswith("kh-7-2016.txt")]
    assert plan_rows and all("184/2015/TT-BTC: replaced by 5/2024/TT-BTC" in r["warning"] for r in plan_rows)
    # 184/2015 is described in three graphs (its own and two citing ones): still one row per mention
    assert len(Q.cites(s, "184/2015/TT-BTC")) == 2
    replaced = _cli("sparql", "replaced", "--store", d, "--format", "json")
    assert {(r["id"], r["relation"]) for r in json.loads(replaced.stdout)} == {
        ("184/2015/TT-BTC", "replaces"), ("12/2010/QĐ-BTC", "repeals")}


def test_cli_formats_rows_and_errors(seed_store, tmp_path):
    for cmd in (["cites", "42/2022/NQ-HĐND"], ["impact", "52-NQ/TW"], ["deps", "Kế hoạch hoạt động khoa học"]):
        r = _cli(*cmd, "--store", seed_store, "--format", "json")
        assert r.exit_code == 0, r.output
        rows = json.loads(r.stdout)
        assert rows and all(ROW_KEYS <= set(row) for row in rows)
        assert all(row["kind"] in ("task", "document") for row in rows)
        c = _cli(*cmd, "--store", seed_store, "--format", "csv")
        assert list(csv.DictReader(io.StringIO(c.stdout)))[0]["id"] == rows[0]["id"]
        t = _cli(*cmd, "--store", seed_store)
        assert t.exit_code == 0 and rows[0]["id"][:20] in t.stdout
    r = _cli("cites", "99/2099/NQ-HĐND", "--store", seed_store)
    assert r.exit_code == 1 and "no document" in r.output
    r = _cli("cites", "x", "--store", tmp_path / "nowhere")
    assert r.exit_code == 1 and "kg build" in r.output and "Traceback" not in r.output


def test_kg_impact_as_a_subprocess(seed_store, seed_has_tasks):
    kg = shutil.which("kg")
    cmd = [kg] if kg else [sys.executable, "-m", "kg.cli"]
    p = subprocess.run([*cmd, "impact", "52-NQ/TW", "--store", str(seed_store), "--format", "csv"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    ids = [r["id"] for r in csv.DictReader(io.StringIO(p.stdout))]
    assert ids[:2] == ["50-NQ/CP", "1341/KH-UBND"]
    assert ("II.2.5.1" in ids) == seed_has_tasks


def test_store_from_the_environment(seed_store, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(seed_store))
    r = _cli("cites", "42/2022/NQ-HĐND", "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 1


def test_sparql_text_file_named_and_parameters(seed_store, tmp_path):
    r = _cli("sparql", "list", "--store", seed_store, "--format", "json")
    listed = {row["name"]: row for row in json.loads(r.stdout)}
    assert set(listed) == set(query_names()) >= {"cites", "deps", "deps_transitive", "impact", "stats", "most_cited"}
    assert listed["cites"]["parameters"] == "KEYS"
    r = _cli("sparql", "most_cited", "--store", seed_store, "--format", "csv")
    assert r.exit_code == 0 and "42/2022/NQ-HĐND" in r.stdout
    r = _cli("sparql", "cites", "-p", "KEYS=42/2022/NQ-HDND", "--store", seed_store, "--format", "json")
    assert r.exit_code == 0 and [row["source"] for row in json.loads(r.stdout)] == [str(SEED)]
    r = _cli("sparql", "cites", "--store", seed_store)
    assert r.exit_code == 1 and "$KEYS" in r.output
    q = tmp_path / "count.rq"
    q.write_text("PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>\n"
                 "SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Mention }", encoding="utf-8")
    for arg in (str(q), q.read_text(encoding="utf-8")):
        r = _cli("sparql", arg, "--store", seed_store, "--format", "json")
        assert json.loads(r.stdout) == [{"n": len(extract(SEED).citations)}]
    r = _cli("sparql", "ASK { ?s ?p ?o }", "--store", seed_store, "--format", "json")
    assert json.loads(r.stdout) == [{"result": True}]
    r = _cli("sparql", "SELEC nonsense", "--store", seed_store)
    assert r.exit_code == 1 and "SPARQL error" in r.output and "Traceback" not in r.output
    r = _cli("sparql", "most_citd", "--store", seed_store)  # a misspelt name is not sent as SPARQL
    assert r.exit_code == 2 and "no shipped query named 'most_citd'" in r.output
    r = _cli("sparql", "cites", "-p", "KEYS=42/2022/NQ-HDND", "-p", "KEY=x", "--store", seed_store)
    assert r.exit_code == 2 and "no $KEY" in r.output and "$KEYS" in r.output  # a parameter the query lacks


def test_every_shipped_query_runs(seed_store):
    from kg.graph import fill, named_query, parameters

    s = Store.open_read(seed_store)
    for name in query_names():
        text = named_query(name)
        assert text.startswith("#"), f"{name}.rq starts with a comment saying what it answers"
        params = parameters(text)
        iris = {p: ["https://w3id.org/vn-legal-kg/x"] for p in params if p in ("NODES",)}
        lits = {p: ["x"] for p in params if p not in ("NODES", "PAIRS")}
        if "PAIRS" in params:
            text = text.replace("$PAIRS", "(<https://w3id.org/vn-legal-kg/x> <https://w3id.org/vn-legal-kg/y>)")
        s.query(fill(text, iris, lits))


def test_stats(seed_store, seed_has_tasks):
    r = _cli("stats", "--store", seed_store, "--format", "json")
    res = json.loads(r.stdout)
    assert set(res) == {"stats", "most_cited", "by_level_year", "tasks_without_basis", "absent_documents"}
    counts = {row["what"]: row["count"] for row in res["stats"]}
    assert counts["documents in the corpus"] == 1 and counts["citation mentions"] == len(extract(SEED).citations)
    assert any(row["id"] == "42/2022/NQ-HĐND" for row in res["absent_documents"])
    assert {row["level"] for row in res["by_level_year"]} >= {"province", "central", "party"}
    if seed_has_tasks:
        assert res["tasks_without_basis"] and counts["tasks"] > 0
    t = _cli("stats", "--store", seed_store)
    assert t.exit_code == 0 and "== most cited" in t.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "nq", "trig", "graphml", "gexf", "csv"])
def test_export(seed_store, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    r = _cli("export", "--store", seed_store, "--format", fmt, "-o", out)
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    if fmt in ("ttl", "nt", "jsonld", "nq", "trig"):
        import pyoxigraph as ox

        parsed = list(ox.parse(data, format={"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                                             "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS,
                                             "trig": ox.RdfFormat.TRIG}[fmt]))
        assert len(parsed) > 1500
        assert b"/manifest/" not in data  # the store's bookkeeping stays in the store
    elif fmt in ("graphml", "gexf"):
        import networkx as nx

        g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
        assert g.number_of_edges() >= 19
        assert any(d.get("label") == "42/2022/NQ-HĐND" for _, d in g.nodes(data=True))
    else:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) >= 19 and any(row["target_id"] == "42/2022/NQ-HĐND" for row in rows)


def test_validate_passes_on_the_seed_and_reports_a_broken_graph(seed_store, tmp_path):
    r = _cli("validate", "--store", seed_store)
    assert r.exit_code == 0, r.output
    assert "conforms" in r.output
    broken = Store.begin_build(tmp_path / "b")
    broken.replace_graph("https://w3id.org/vn-legal-kg/source/x",
                         b'<https://w3id.org/vn-legal-kg/m> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                         b'<https://w3id.org/vn-legal-kg/ontology#Mention> .\n', "x", "h")
    broken.commit()
    r = _cli("validate", "--store", tmp_path / "b")
    assert r.exit_code == 1
    assert "a citation mention names exactly one cited document" in r.output
    assert "Traceback" not in r.output


def test_analytics(seed_store):
    from kg.analyze import closure, components, cycles, most_cited, projection

    g = projection(Store.open_read(seed_store))
    top = most_cited(g, 100)
    row = next(r for r in top if r["id"] == "42/2022/NQ-HĐND")
    assert row["in_degree"] >= 1 and row["pagerank"] > 0
    node_52 = next(n for n, d in g.nodes(data=True) if d["label"] == "52-NQ/TW")
    assert {g.nodes[n]["label"] for n in closure(g, node_52, reverse=True)} >= {"50-NQ/CP", "1341/KH-UBND"}
    assert components(g)[0] > 10 and cycles(g) == []
    r = _cli("analyze", "--store", seed_store)
    assert r.exit_code == 0 and "components" in r.stdout


def test_viz_from_the_store(seed_store, tmp_path):
    out = tmp_path / "g.html"
    r = _cli("viz", "--store", seed_store, "-o", out)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "42/2022/NQ-HĐND" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # nothing is loaded from a network
