"""Validity in time (issue 16), end to end on real text: a plan (tests/fixtures/timeline, written
from real "Căn cứ" lines) rests on Nghị định 115/2015, 135/2020, 88/2020 and 142/2003; the real
Nghị định 02/2014/NĐ-CP replaces 142/2003 (first build), the real Nghị định 158/2025/NĐ-CP
repeals 115/2015, partly repeals 135/2020 and amends 88/2020 from 1 July 2025 (second build)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, need_shared

FIX = ROOT / "tests" / "fixtures" / "timeline"
PLAN = FIX / "kh-bhxh-tayninh-2025.txt"
REPLACES = CORPUS / "luatvietnam-hieuhan" / "nd-02-2014-nd-cp.txt"
REPEALS = CORPUS / "congbao-hrmaster" / "nd-158-2025-nd-cp.txt"


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """One store built twice: the plan and 02/2014 first, then 158/2025 added."""
    from kg.graph.build import build
    from kg.graph.store import Store

    need_shared(REPEALS)
    d = tmp_path_factory.mktemp("tl") / "store"
    first = build([str(PLAN), str(REPLACES)], d)
    before = {"status": {}, "changes": None}
    s = Store.open_read(d)
    from kg.graph import changes
    from kg.graph.timeline import timeline

    before["status"]["115"] = timeline(s, "115/2015/NĐ-CP").on("2025-08-01")
    before["changes"] = changes.changes(s)
    s.close()
    second = build([str(REPEALS)], d)
    return {"dir": d, "first": first, "second": second, "before": before}


@pytest.fixture(scope="module")
def store(stores):
    from kg.graph.store import Store

    return Store.open_read(stores["dir"])


# identifier, day, status, the act's document (None: no act decides), provisions gone
CASES = [
    ("115/2015/NĐ-CP", "2025-06-30", "in_force", None, []),
    ("115/2015/NĐ-CP", "2025-07-01", "not_in_force", "158/2025/NĐ-CP", []),
    ("135/2020/NĐ-CP", "2025-06-30", "in_force", None, []),
    ("135/2020/NĐ-CP", "2025-07-01", "partly", "158/2025/NĐ-CP", ["khoản 1 Điều 7", "khoản 2 Điều 8", "khoản 3 Điều 7"]),
    ("88/2020/NĐ-CP", "2025-07-01", "in_force", "158/2025/NĐ-CP", []),
    ("142/2003/NĐ-CP", "2014-02-24", "in_force", None, []),
    ("142/2003/NĐ-CP", "2014-02-25", "not_in_force", "02/2014/NĐ-CP", []),
    ("158/2025/NĐ-CP", "2025-06-30", "not_yet", None, []),
    ("158/2025/NĐ-CP", "2025-07-01", "in_force", None, []),
]


@pytest.mark.parametrize("ident,day,status,by,gone", CASES)
def test_status_on_a_day_before_and_after_each_act(store, ident, day, status, by, gone):
    from kg.graph.timeline import timeline

    st = timeline(store, ident).on(day)
    assert st.status == status
    assert st.gone == gone
    assert [f.by for f in st.decided_by if f.kind == "act"][:1] == ([by] if by else [])


def test_amended_provisions_are_named(store):
    from kg.graph.timeline import timeline

    st = timeline(store, "88/2020/NĐ-CP").on("2025-07-01")
    assert "khoản 1 Điều 2" in st.amended and "Điều 39" in st.amended
    assert timeline(store, "88/2020/NĐ-CP").on("2025-06-30").amended == []


def test_each_act_keeps_its_source_line_and_quote(store):
    from kg.graph.timeline import timeline

    [f] = timeline(store, "142/2003/NĐ-CP").acts
    assert (f.act, f.by, f.date, f.line) == ("replaces", "02/2014/NĐ-CP", "2014-02-25", 375)
    assert f.source.endswith("nd-02-2014-nd-cp.txt")
    assert "thay thế Nghị định số 142/2003/NĐ-CP" in f.quote


def test_registry_that_disagrees_is_shown_beside_the_corpus(store):
    """The table says 115/2015 is in force; 158/2025 repeals it: both are shown, none chosen."""
    from kg.check.registry import load_registry
    from kg.graph.timeline import timeline

    reg = load_registry(FIX / "registry.csv")
    st = timeline(store, "115/2015/NĐ-CP", [reg]).on("2025-08-01")
    assert st.status == "disputed" and st.status_vi == "các nguồn không thống nhất"
    assert st.sources == {"corpus": "not_in_force", "registry.csv": "in_force"}
    assert {f.kind for f in st.decided_by} == {"act", "registry"}
    before = timeline(store, "115/2015/NĐ-CP", [reg]).on("2025-06-30")
    assert before.status == "in_force"  # both agree before the act
    agree = timeline(store, "142/2003/NĐ-CP", [reg]).on("2020-01-01")
    assert agree.status == "not_in_force" and agree.sources == {"corpus": "not_in_force", "registry.csv": "not_in_force"}


def test_kg_status_screen_and_json(stores):
    d = str(stores["dir"])
    r = kg("status", "NĐ 135/2020", "--store", d, "--on", "01/08/2025")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Nghị định 135/2020/NĐ-CP ngày 2020-11-18 của Chính phủ"
    assert lines[2] == "Tình trạng ngày 2025-08-01 (status on 2025-08-01): hết hiệu lực một phần (partly)"
    assert "  hết hiệu lực (provisions gone): khoản 1 Điều 7; khoản 2 Điều 8; khoản 3 Điều 7" in lines
    j = json.loads(kg("status", "115/2015/NĐ-CP", "--store", d, "--on", "2025-08-01", "--format", "json").stdout)
    assert (j["status"], j["replaced_by"], j["no_longer_in_force"]) == ("not_in_force", ["158/2025/NĐ-CP"], "2025-07-01")
    assert j["timeline"][0]["line"] == 1966 and j["timeline"][0]["act_vi"] == "bãi bỏ"
    disputed = kg("status", "115/2015/NĐ-CP", "--store", d, "--on", "2025-08-01", "--registry", str(FIX / "registry.csv"))
    assert "  theo kho văn bản: hết hiệu lực" in disputed.stdout.splitlines()
    assert "  theo registry.csv: còn hiệu lực" in disputed.stdout.splitlines()
    bad = kg("status", "115/2015/NĐ-CP", "--store", d, "--on", "2025-02-30")
    assert bad.returncode == 2 and "is not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_impact_on_marks_the_act_and_flags_a_basis_gone_at_signing(store):
    from kg.graph import query

    rows = {r["id"]: r for r in query.impact(store, "115/2015/NĐ-CP", on="2025-08-01")}
    task = rows["I.1"]
    assert task["on_warning"].startswith("115/2015/NĐ-CP: hết hiệu lực (repeals 158/2025/NĐ-CP, 2025-07-01 [")
    # the plan was signed on 15 August 2025, after the repeal took effect
    assert task["at_signing"].startswith("115/2015/NĐ-CP hết hiệu lực khi I.1 được ký (2025-08-15)")
    before = {r["id"]: r for r in query.impact(store, "115/2015/NĐ-CP", on="2025-06-30")}
    assert before["I.1"]["on_warning"] == ""
    assert "chain" not in task and "on_status" not in query.impact(store, "115/2015/NĐ-CP")[0]


def test_deps_and_cites_on_a_day(store):
    from kg.graph import query

    deps = {r["id"]: r for r in query.deps(store, "I.3", on="2025-08-01")}
    assert deps["142/2003/NĐ-CP"]["on_status"] == "hết hiệu lực"
    assert "replaces 02/2014/NĐ-CP" in deps["142/2003/NĐ-CP"]["at_signing"]
    partly = {r["id"]: r for r in query.deps(store, "I.4", on="2025-08-01")}
    assert partly["135/2020/NĐ-CP"]["on_status"] == "hết hiệu lực một phần"
    cites = [r for r in query.cites(store, "135/2020/NĐ-CP", on="2025-08-01") if r["id"] == "I.4"]
    assert cites and cites[0]["on_status"] == "hết hiệu lực một phần"


def test_cli_impact_on(stores):
    r = kg("impact", "142/2003/NĐ-CP", "--store", str(stores["dir"]), "--on", "2025-08-01", "--format", "json")
    rows = {x["id"]: x for x in json.loads(r.stdout)}
    assert rows["I.3"]["on_status"] is None and "02/2014/NĐ-CP" in rows["I.3"]["on_warning"]


def test_changes_after_the_second_build(stores, store):
    from kg.graph import changes

    first = stores["before"]["changes"]
    assert {(r["by"], r["act"], r["target"]) for r in first if r["id"] == "I.3"} == {
        ("02/2014/NĐ-CP", "replaces", "142/2003/NĐ-CP")}
    assert stores["before"]["status"]["115"].status == "in_force"  # no act on it yet
    rows = changes.changes(store)  # the last build: 158/2025 came in
    plan = {(r["act"], r["target"], r["id"], r["agency"]) for r in rows if r.get("document") == "999/KH-UBND"}
    assert plan == {("repeals", "115/2015/NĐ-CP", "I.1", "Sở Nội vụ tỉnh Tây Ninh"),
                    ("amends", "88/2020/NĐ-CP", "I.2", "Sở Nội vụ tỉnh Tây Ninh"),
                    ("repeals", "135/2020/NĐ-CP", "I.4", "Sở Nội vụ tỉnh Tây Ninh")}
    assert all(r["by"] == "158/2025/NĐ-CP" for r in rows)
    assert not [r for r in rows if r["id"] == "158/2025/NĐ-CP"]  # the actor is not "resting on" its target
    builds = changes.builds(store)
    assert len(builds) == 2 and builds[1].added == [str(REPEALS)]
    since_first = changes.changes(store, builds[0].id)
    assert {r["target"] for r in since_first} == {r["target"] for r in rows}
    assert {r["target"] for r in changes.changes(store, builds[0].time[:10])} >= {"142/2003/NĐ-CP", "115/2015/NĐ-CP"}
    line = [s for s in changes.summary(rows) if s.startswith("158/2025/NĐ-CP bãi bỏ 115/2015/NĐ-CP")][0]
    assert "I.1 (Sở Nội vụ tỉnh Tây Ninh)" in line


def test_kg_changes_cli_and_bad_since(stores):
    d = str(stores["dir"])
    r = kg("changes", "--store", d, "--format", "json")
    assert r.returncode == 0 and {x["by"] for x in json.loads(r.stdout)} == {"158/2025/NĐ-CP"}
    bad = kg("changes", "--store", d, "--since", "yesterday")
    assert bad.returncode == 1 and "--since takes a date" in bad.stderr and "Traceback" not in bad.stderr


def test_timeline_graph_in_eli_terms(store):
    rows = store.query("""PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?end ?by WHERE { ?d eli:id_local "115/2015/NĐ-CP" ; eli:date_no_longer_in_force ?end ;
        eli:repealed_by ?b . ?b eli:id_local ?by }""")
    assert {(r["end"], r["by"]) for r in rows} == {("2025-07-01", "158/2025/NĐ-CP")}
    part = store.query("""PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT DISTINCT ?p WHERE { ?d eli:id_local "135/2020/NĐ-CP" . ?p eli:is_part_of ?d ; eli:repealed_by ?b }""")
    assert len(part) == 3
    whole = store.query("""PREFIX eli: <http://data.europa.eu/eli/ontology#>
        ASK { ?d eli:id_local "135/2020/NĐ-CP" ; eli:date_no_longer_in_force ?x }""")
    assert whole[0]["result"] is False  # a partial repeal does not end the document


def test_build_log_survives_a_fresh_snapshot(tmp_path):
    """--force rebuilds every source into an empty snapshot: the log is carried over."""
    from kg.graph import changes
    from kg.graph.build import build
    from kg.graph.store import Store

    d = tmp_path / "s"
    build([str(PLAN)], d)
    build([str(PLAN)], d, force=True)
    s = Store.open_read(d)
    assert [len(b.updated) for b in changes.builds(s)] == [0, 1]


def test_atom_feed_from_a_real_server_parses_and_lists_the_same_acts(stores, store):
    """`kg serve`'s /changes.atom, parsed by feedparser: valid Atom, the acts of `kg changes`."""
    feedparser = pytest.importorskip("feedparser")
    import urllib.request

    from kg.graph import changes
    from tests.servers import kg_serve

    rows = changes.changes(store, "1970-01-01")
    want = {(r["by"], r["act"], r["target"]) for r in rows}
    proc, base = kg_serve(stores["dir"])
    try:
        body = urllib.request.urlopen(f"{base}/changes.atom", timeout=30).read()
        only = urllib.request.urlopen(f"{base}/changes.atom?agency=so%20noi%20vu", timeout=30).read()
        doc = urllib.request.urlopen(f"{base}/changes.atom?document=142/2003/N%C4%90-CP", timeout=30).read()
    finally:
        proc.stop()
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    words = {"repeals": "bãi bỏ", "replaces": "thay thế", "amends": "sửa đổi, bổ sung"}
    assert sorted(titles) == sorted({f"{b} {words[a]} {t}" + next(
        (f" ({r['scope']})" for r in rows if (r["by"], r["act"], r["target"]) == (b, a, t) and r["scope"]), "")
        for b, a, t in want})
    assert all(e.id.startswith("urn:kg:act:") and e.updated for e in feed.entries)
    nv = feedparser.parse(only)
    assert {e.title.split(" (")[0] for e in nv.entries} == {"158/2025/NĐ-CP bãi bỏ 115/2015/NĐ-CP",
                                                            "158/2025/NĐ-CP sửa đổi, bổ sung 88/2020/NĐ-CP",
                                                            "158/2025/NĐ-CP bãi bỏ 135/2020/NĐ-CP"}
    assert "I.1 của 999/KH-UBND (Sở Nội vụ tỉnh Tây Ninh)" in [e for e in nv.entries if "115/2015" in e.title][0].summary
    assert [e.title for e in feedparser.parse(doc).entries] == ["02/2014/NĐ-CP thay thế 142/2003/NĐ-CP"]


def test_lineage_data_for_a_document_page(store):
    """The "Lược đồ" a page renders: relations in and out by type, with date and sentence, and status."""
    from kg.graph.lineage import lineage

    l = lineage(store, "115/2015/NĐ-CP", "2025-08-01")
    assert l["status"]["status"] == "not_in_force"
    assert l["in"]["repeals"]["relation_vi"] == "bãi bỏ"
    [rep] = l["in"]["repeals"]["rows"]
    assert (rep["id"], rep["date"], rep["line"]) == ("158/2025/NĐ-CP", "2025-06-25", 1966)
    assert {r["id"] for r in l["in"]["based_on"]["rows"]} == {"999/KH-UBND"}
    out = lineage(store, "158/2025/NĐ-CP")["out"]
    assert {"115/2015/NĐ-CP", "143/2018/NĐ-CP"} <= {r["id"] for r in out["repeals"]["rows"]}
    assert "88/2020/NĐ-CP" in {r["id"] for r in out["amends"]["rows"]}


def test_kg_check_reads_the_timeline_naming_the_act(stores):
    r = kg("check", str(PLAN), "--store", str(stores["dir"]))
    assert r.returncode == 1
    found = [line for line in r.stdout.splitlines() if "[validity.out-of-force]" in line]
    assert len(found) == 3
    assert found[0].endswith("đã bị bãi bỏ bởi Nghị định số 158/2025/NĐ-CP từ 01/07/2025 (theo timeline: "
                             f"158/2025/NĐ-CP bãi bỏ, {REPEALS}:1966)")
    assert "cảnh báo [validity.out-of-force]" in found[1] and "(khoản 1 Điều 7; khoản 2 Điều 8; khoản 3 Điều 7)" in found[1]
    assert "đã bị thay thế bởi Nghị định số 02/2014/NĐ-CP từ 25/02/2014 (theo timeline: 02/2014/NĐ-CP thay thế" in found[2]


@pytest.mark.parametrize("arg,message", [("I.1", "'I.1' is a task, not a document"),
                                         ("45/2099/NĐ-CP", "no ")])
def test_kg_status_bad_input_is_one_line(stores, arg, message):
    r = kg("status", arg, "--store", str(stores["dir"]))
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_document_page_shows_status_and_lineage(stores, store):
    """The explorer's document page renders the status and the "Lược đồ" of kg.graph.lineage."""
    import re
    import urllib.parse
    import urllib.request

    from kg.graph.lineage import lineage
    from tests.servers import kg_serve

    node = lineage(store, "115/2015/NĐ-CP")["node"]
    proc, base = kg_serve(stores["dir"])
    try:
        html = urllib.request.urlopen(f"{base}/doc?node={urllib.parse.quote(node, safe='')}", timeout=30).read().decode()
        en = urllib.request.urlopen(f"{base}/doc?lang=en&node={urllib.parse.quote(node, safe='')}", timeout=30).read().decode()
    finally:
        proc.stop()
    status = re.search(r'<p id="kg-status-now">(.*?)</p>', html, re.S).group(1)
    assert "hết hiệu lực" in status.lower() or "không còn hiệu lực" in status.lower(), status
    timeline = re.search(r'<table class="kg-table kg-wide" id="kg-timeline">(.*?)</table>', html, re.S).group(1)
    assert "158/2025/NĐ-CP" in timeline and "#L1966" in timeline
    assert "bãi bỏ" in html and "999/KH-UBND" in html
    assert "not in force" in re.search(r'<p id="kg-status-now">(.*?)</p>', en, re.S).group(1)


def test_changes_page_lists_the_feeds_acts(stores, store):
    """/changes shows, as a page, the acts of /changes.atom with what rests on them, filtered alike."""
    import re
    import urllib.request

    feedparser = pytest.importorskip("feedparser")
    from tests.servers import kg_serve

    proc, base = kg_serve(stores["dir"])
    try:
        page = urllib.request.urlopen(f"{base}/changes", timeout=30).read().decode()
        only = urllib.request.urlopen(f"{base}/changes?agency=so%20noi%20vu", timeout=30).read().decode()
        feed = feedparser.parse(urllib.request.urlopen(f"{base}/changes.atom", timeout=30).read())
    finally:
        proc.stop()
    rows = re.findall(r"<tr><td>(.*?)</td>", re.search(r'<table[^>]*id="kg-changes">(.*?)</table>', page, re.S).group(1))
    assert len(rows) == len(feed.entries) and f"({len(rows)})" in page
    assert any("158/2025/NĐ-CP bãi bỏ 115/2015/NĐ-CP" in r for r in rows)
    table = re.search(r'<table[^>]*id="kg-changes">(.*?)</table>', only, re.S).group(1)
    assert "115/2015/NĐ-CP" in table and "Sở Nội vụ tỉnh Tây Ninh" in table and "142/2003" not in table
