"""The graph view model, the page it renders to and the annotated text, without a browser.

The browser tests (test_viz_browser.py) check behaviour; these check structure: every citation
becomes an edge, identity merges do not lose links, and no document string can reach the HTML
outside the escaped JSON block.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.models import Agency, AgencyRole, Citation, Document, Header, Task
from kg.viz.annotate import annotation_payload, check_graph_href, nest, render_annotation
from kg.resolve.issuers import level_of as issuer_level
from kg.viz.model import build_graph, ego, find, fold_search, only_kinds, sentence_around
from kg.viz.render import positions, render_graph, script_json, vis_js

from conftest import SEED

HOSTILE_NAME = "<img src=x onerror=alert(9)> href.txt"
HOSTILE_TEXT = """ỦY BAN NHÂN DÂN TỈNH TÂY NINH
Số: 12/KH-UBND
Tây Ninh, ngày 01 tháng 02 năm 2023

KẾ HOẠCH
<img src=x onerror=alert(1)> </script><script>window.pwned=2</script> href

Căn cứ Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh về <img src=x onerror=alert(3)> quy định mức hỗ trợ;
Căn cứ Quyết định số 01/QĐ-UBND ngày 07/01/2023 của UBND tỉnh về </script><script>alert(4)</script> ban hành chương trình;
Căn cứ Nghị định số 55/2011/NĐ-CP ngày 04/7/2011 của Chính phủ về <a href=javascript:alert(5)>bấm vào đây</a> href <!-- chức năng;

I. NỘI DUNG
1. Triển khai Thông tư số 13/2021/TT-BKHCN ngày 30/12/2021 của Bộ Khoa học và Công nghệ về <svg onload=alert(6)></svg> href=javascript:alert(6) hướng dẫn báo cáo.
2. Thực hiện Kế hoạch số 1962/KH-UBND ngày 20/8/2020 của UBND tỉnh về triển khai Quyết định số 696/QĐ-TTg ngày 25/5/2020 của Thủ tướng Chính phủ về <iframe src=javascript:alert(7)></iframe><style>*{background:url(http://example.invalid/x)}</style> khoa học.
"""
PAYLOADS = ("<img", "<svg", "<iframe", "<script>window.pwned", "<script>alert", "<a href=javascript", "<style>*")


def write_hostile(folder: Path) -> Path:
    """A corpus file written to run script in any page that trusts document text (name included)."""
    p = folder / HOSTILE_NAME
    p.write_text(HOSTILE_TEXT, encoding="utf-8")
    return p


def tasks_doc() -> Document:
    """A plan with tasks and agencies, as the structure stage will give (doc.tasks may be empty today)."""
    text = ("Căn cứ Luật Khoa học và Công nghệ;\n1. Triển khai Nghị quyết số 42/2022/NQ-HĐND của HĐND tỉnh.\n"
            "a) Sở Khoa học và Công nghệ chủ trì, phối hợp Sở Tài chính.\n")
    law = text.index("Luật")
    nq = text.index("Nghị quyết")
    cites = [
        Citation(None, "Luật Khoa học và Công nghệ", "Luật", None, None, None, None, "Quốc hội", None, [],
                 "based_on", None, law, law + 26, text[law:law + 26], kind="named"),
        Citation("42/2022/NQ-HĐND", None, "Nghị quyết", "42", 2022, "NQ-HĐND", "2022-12-09",
                 "Hội đồng nhân dân tỉnh Tây Ninh", None, [], "cites", None, nq, nq + 30, text[nq:nq + 30],
                 task="1"),
    ]
    tasks = [
        Task("1", "II", "Triển khai Nghị quyết", None, "Triển khai", text[text.index("1."):], text.index("1."),
             len(text), citations=[1]),
        Task("1.a", "II", None, "1", "chủ trì", text[text.index("a)"):], text.index("a)"), len(text),
             agencies=[AgencyRole("Sở Khoa học và Công nghệ tỉnh Tây Ninh", "lead"),
                       AgencyRole("Sở Tài chính tỉnh Tây Ninh", "partner")]),
    ]
    return Document(source="tasks.txt", text=text,
                    header=Header(doc_type="Kế hoạch", identifier="7/KH-SKHCN", number="7", symbol="KH-SKHCN",
                                  year=2023, date="2023-03-01", issuer="Sở Khoa học và Công nghệ tỉnh Tây Ninh",
                                  title="Kế hoạch thử"),
                    citations=cites, tasks=tasks,
                    agencies=[Agency("Sở Tài chính tỉnh Tây Ninh", [], "province"),
                              Agency("Công an tỉnh Tây Ninh", [], "province")])


def many_plans(n: int = 90) -> list[Document]:
    """n plans like tasks_doc, each with its own number and its own cited resolution: a graph
    bigger than what the page shows whole."""
    docs = []
    for i in range(n):
        d = tasks_doc()
        d.source = f"plan{i}.txt"
        d.header.identifier, d.header.number = f"{i + 1}/KH-SKHCN", str(i + 1)
        d.citations[1].identifier = f"{i + 1}/2022/NQ-HĐND"
        docs.append(d)
    return docs


@pytest.fixture(scope="module")
def seed_graph(seed_doc):
    return build_graph([seed_doc])


# -- model ----------------------------------------------------------------------------------------

def test_every_seed_citation_is_an_edge(seed_doc, seed_graph):
    g = seed_graph
    plans = [n for n in g.nodes.values() if n.kind == "plan"]
    assert len(plans) == 1
    cited = {}
    for e in g.edges.values():
        if e.relation in ("based_on", "cites", "nested"):
            cited.setdefault(e.target, set()).add(e.relation)
    for c in seed_doc.citations:
        node = next(n for n in g.nodes.values() if (c.identifier and n.identifier == c.identifier)
                    or (not c.identifier and n.title == c.title))
        want = "nested" if c.cited_by else c.relation
        assert want in cited.get(node.id, set()), (c.key, cited.get(node.id))
    based_on = {e.target for e in g.edges.values() if e.relation == "based_on"}
    assert len(based_on) == len({c.key for c in seed_doc.citations if c.relation == "based_on"})


def test_nested_runs_from_outer_to_inner(seed_graph):
    g = seed_graph
    label = {n.id: n.label for n in g.nodes.values()}
    nested = {(label[e.source], label[e.target]) for e in g.edges.values() if e.relation == "nested"}
    assert ("1962/KH-UBND", "696/QĐ-TTg") in nested
    assert ("1341/KH-UBND", "50-NQ/CP") in nested
    assert ("50-NQ/CP", "52-NQ/TW") in nested


def test_tooltip_fields_and_quote(seed_graph):
    g = seed_graph
    [nid] = find(g, "42/2022/NQ-HĐND")
    n = g.nodes[nid]
    assert (n.doc_type, n.date, n.issuer, n.level) == ("Nghị quyết", "2022-12-09", "Hội đồng nhân dân tỉnh Tây Ninh",
                                                     "province")
    assert n.subject and "tài sản trí tuệ" in n.subject
    [edge] = [e for e in g.edges.values() if e.target == nid and e.relation == "cites" and not e.via]
    q = edge.quotes[0]
    assert "42/2022/NQ-HĐND" in q.text and q.line > 1 and len(q.text) < 800


def test_issuers_become_agencies(seed_graph):
    agencies = {n.title for n in seed_graph.nodes.values() if n.kind == "agency"}
    assert {"Sở Khoa học và Công nghệ tỉnh Tây Ninh", "Thủ tướng Chính phủ", "Tỉnh ủy Tây Ninh"} <= agencies
    assert issuer_level("Thủ tướng Chính phủ") == "central"
    assert issuer_level("Tỉnh ủy Tây Ninh") == "party"
    assert issuer_level("Ủy ban nhân dân huyện Bến Cầu") == "district"


def test_tasks_and_agency_roles():
    g = build_graph([tasks_doc()])
    kinds = {n.id: n.kind for n in g.nodes.values()}
    plan = next(k for k, v in kinds.items() if v == "plan")
    rel = {(e.source, e.target): (e.relation, e.role) for e in g.edges.values()}
    t1, t1a = f"task:{plan}#1", f"task:{plan}#1.a"
    assert kinds[t1] == kinds[t1a] == "task"
    assert rel[(plan, t1)] == ("part", None) and rel[(t1, t1a)] == ("part", None)
    [nq] = find(g, "42/2022/NQ-HĐND")
    assert rel[(t1, nq)] == ("cites", None)  # the task rests on it ...
    [up] = [e for e in g.edges.values() if (e.source, e.target) == (plan, nq)]
    assert up.via == [t1] and not up.direct  # ... and the plan through it, for views without tasks
    assert rel[("agency:Sở Tài chính tỉnh Tây Ninh", t1a)] == ("role", "partner")
    assert rel[("agency:Công an tỉnh Tây Ninh", plan)] == ("role", "mentioned")
    assert ("agency:Sở Tài chính tỉnh Tây Ninh", plan) not in rel  # its role is on the task


def test_partial_mentions_join_the_one_node_they_can_mean():
    def doc(src, date):
        c = Citation("68/NQ-HĐND", None, "Nghị quyết", "68", None, "NQ-HĐND", date, "Hội đồng nhân dân tỉnh Tây Ninh",
                     None, [], "based_on", None, 0, 10, "x")
        return Document(source=src, text="x" * 20, citations=[c])

    g = build_graph([doc("a.txt", "2022-12-09"), doc("b.txt", None)])
    docs = [n for n in g.nodes.values() if n.kind == "document"]
    assert len(docs) == 1 and docs[0].mentions == 2
    assert docs[0].aliases == ["doc:68/NQ-HĐND@Hội đồng nhân dân tỉnh Tây Ninh"]
    assert g.resolve(docs[0].aliases[0]) == docs[0].id
    assert sum(1 for e in g.edges.values() if e.relation == "based_on") == 2
    # the same number from two provinces stays two documents
    other = Citation("68/NQ-HĐND", None, "Nghị quyết", "68", None, "NQ-HĐND", "2022-12-09",
                     "Hội đồng nhân dân tỉnh Long An", None, [], "cites", None, 0, 10, "x")
    g2 = build_graph([doc("a.txt", "2022-12-09"), Document(source="c.txt", text="x" * 20, citations=[other])])
    assert sum(1 for n in g2.nodes.values() if n.kind == "document") == 2


def test_search_folds_diacritics_and_ego_depth(seed_graph):
    g = seed_graph
    assert fold_search("HĐND tỉnh") == "hdnd tinh"
    assert find(g, "42/2022/nq-hdnd") == find(g, "42/2022/NQ-HĐND")
    assert find(g, "tài sản trí tuệ")
    [nid] = find(g, "42/2022/NQ-HĐND")
    one = ego(g, [nid], 1)
    assert {n.label for n in one.nodes.values()} >= {"42/2022/NQ-HĐND", "Hội đồng nhân dân tỉnh Tây Ninh"}
    assert len(ego(g, [nid], 2).nodes) > len(one.nodes)
    assert {n.kind for n in only_kinds(g, ["plan", "document"]).nodes.values()} == {"plan", "document"}


def test_big_graph_opens_on_its_skeleton():
    from kg.viz.render import SMALL, graph_payload

    g = build_graph(many_plans())
    assert len(g.nodes) > SMALL
    data = graph_payload(g, "big")
    assert data["initial"] == {"kinds": ["plan", "document"], "relations": ["based_on", "cites", "nested"]}
    pos = {n["id"]: (n["x"], n["y"]) for n in data["vis_nodes"]}
    assert set(pos) == set(g.nodes) and len(set(pos.values())) == len(pos)


def test_sentence_is_bounded():
    text = "Mở đầu. " + "a " * 2000 + "Căn cứ X; tiếp. " + "b " * 2000
    i = text.index("X")
    s = sentence_around(text, i, i + 1)
    assert "X" in s and len(s) < 800


def test_layout_places_every_node_apart(seed_graph):
    pos = positions(seed_graph)
    assert set(pos) == set(seed_graph.nodes)
    assert len(set(pos.values())) == len(pos)


# -- page -----------------------------------------------------------------------------------------

def _scripts(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)


def test_page_is_self_contained(seed_graph):
    html = render_graph(seed_graph, "Seed")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<link" not in html and "@import" not in html
    assert "bootstrap" not in html.lower() and "cdnjs" not in html
    assert vis_js()[:2000] in html  # vis-network from the pyvis package, inline
    scripts = _scripts(html)
    assert [a.strip() for a, _ in scripts] == ['type="application/json" id="kg-data"', "", ""]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for _, body in scripts[1:]:  # each script runs only because its hash is listed
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    data = json.loads(scripts[0][1])
    assert {n["kind"] for n in data["nodes"]} >= {"plan", "document", "agency"}
    assert data["legend"]["relations"] and data["options"]["physics"]["enabled"] is False


def test_script_json_cannot_close_its_block():
    s = script_json({"a": "</script><script>alert(1)</script><!-- &amp; \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s)["a"].startswith("</script>")


def test_hostile_text_stays_in_the_json_block(tmp_path):
    doc = kg.extract(write_hostile(tmp_path))
    assert any("<img src=x" in (c.subject or "") for c in doc.citations)  # the attack reaches the model
    for html in (render_graph(build_graph([doc]), doc.header.title or "x"), render_annotation(doc)):
        scripts = _scripts(html)
        outside = html
        for attrs, body in scripts:
            outside = outside.replace(body, "")
        for p in PAYLOADS:
            assert p not in outside, p
            assert p not in scripts[0][1], p
        assert "&lt;img src=x" in html.split("</title>")[0]  # the title element, escaped
        assert len(scripts) in (2, 3)


def test_annotation_tree_keeps_the_text(seed_doc):
    data = annotation_payload(seed_doc)

    def flat(items):
        return "".join(it if isinstance(it, str) else flat(it["k"]) for it in items)

    assert flat(data["tree"]) == seed_doc.text
    count = json.dumps(data["tree"]).count('"c":')
    assert count == len(seed_doc.citations)
    rels = {c["relation"] for c in data["citations"]}
    assert rels == {"based_on", "cites", "nested"}
    g = build_graph([seed_doc])
    assert all(g.resolve(c["node"]) for c in data["citations"])  # every highlight lands on a node


def test_check_findings_sit_inside_their_citation(seed_doc):
    from kg.check import check_document

    data = annotation_payload(seed_doc, findings=check_document(seed_doc))
    assert [f["rule"] for f in data["findings"]] == ["form.symbol-family"]

    def holders(items, inside=None):  # (citation index, finding index) for every finding node
        for it in items:
            if isinstance(it, dict):
                if "f" in it:
                    yield inside, it["f"]
                yield from holders(it["k"], it.get("c", inside))

    [(ci, fi)] = list(holders(data["tree"]))
    assert fi == 0 and data["citations"][ci]["identifier"] == "50-NQ/CP"


def test_nest_cuts_crossing_spans():
    tree = nest(100, [(0, 50, "task", 0), (10, 20, "cite", 0), (15, 30, "cite", 1), (40, 60, "cite", 2)])
    [task] = tree
    assert [(c.start, c.end) for c in task.children] == [(10, 20), (40, 50)]
    assert [(c.start, c.end) for c in task.children[0].children] == [(15, 20)]


def test_annotation_outlines_tasks():
    data = annotation_payload(tasks_doc())
    assert [t["id"] for t in data["tasks"]] == ["1", "1.a"]
    assert json.dumps(data["tree"]).count('"t":') == 2
    assert all(t["node"] for t in data["tasks"])


def test_graph_keeps_only_tasks_that_say_something():
    doc = tasks_doc()
    doc.tasks.append(Task("2", "II", None, None, None, "Báo cáo định kỳ.", 0, 5))
    g = build_graph([doc])
    assert not any(n.id.endswith("#2") for n in g.nodes.values())
    assert annotation_payload(doc)["tasks"][-1]["node"] is None  # outlined, but not linked
    plan = next(n.id for n in g.nodes.values() if n.kind == "plan")
    assert {n.owner for n in g.nodes.values() if n.kind == "task"} == {plan}


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JAVASCRIPT:x", " http://x/g.html", "//evil/g.html",
                                  "data:text/html,x", "g.html#node=x"])
def test_graph_link_must_be_relative(href):
    with pytest.raises(ValueError):
        check_graph_href(href)
    assert check_graph_href("../graph.html") == "../graph.html"


# -- commands -------------------------------------------------------------------------------------

def test_cli_viz_and_annotate(tmp_path):
    out = tmp_path / "g.html"
    r = CliRunner().invoke(main, ["viz", str(SEED), "-o", str(out), "--focus", "42/2022/NQ-HĐND", "--depth", "1"])
    assert r.exit_code == 0, r.output
    data = json.loads(_scripts(out.read_text(encoding="utf-8"))[0][1])
    assert data["focus"] and {n["label"] for n in data["nodes"]} >= {"42/2022/NQ-HĐND"}
    assert len(data["nodes"]) < 10

    r = CliRunner().invoke(main, ["viz", str(SEED), "-o", str(out), "--kinds", "plan,document"])
    assert r.exit_code == 0, r.output
    data = json.loads(_scripts(out.read_text(encoding="utf-8"))[0][1])
    assert {n["kind"] for n in data["nodes"]} == {"plan", "document"}

    r = CliRunner().invoke(main, ["viz", str(SEED), "-o", str(out), "--focus", "999/NOPE"])
    assert r.exit_code == 1 and "no node" in r.output
    r = CliRunner().invoke(main, ["viz", str(SEED), "-o", str(out), "--kinds", "bogus"])
    assert r.exit_code == 2

    ann = tmp_path / "a.html"
    r = CliRunner().invoke(main, ["annotate", str(SEED), "-o", str(ann)])
    assert r.exit_code == 0, r.output
    assert "kg-data" in ann.read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["annotate", str(SEED), "-o", str(ann), "--graph", "javascript:alert(1)"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["annotate", str(tmp_path / "missing.txt"), "-o", str(ann)])
    assert r.exit_code == 1 and "no such file" in r.output


def test_cli_viz_folder_with_hostile_file(tmp_path):
    write_hostile(tmp_path)
    out = tmp_path / "g.html"
    r = CliRunner().invoke(main, ["viz", str(tmp_path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "<img src=x onerror=alert(9)>" not in html
