"""The pages in a real browser: Debian's chromium driven by playwright (no browser download).

What the issue asks, checked on behaviour rather than pixels: offline and requesting nothing; the
seed's documents, agencies (and tasks when the structure stage gives them) shown; search focuses
42/2022/NQ-HĐND; each filter changes what is shown; the ego view; the legend; the annotated text
linking into the graph; and a hostile corpus file whose pages run no script at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

import kg
from kg.check import Finding, check_document
from kg.viz.annotate import render_annotation
from kg.viz.model import build_graph
from kg.viz.render import render_graph

from conftest import SEED
from test_viz import HOSTILE_NAME, many_plans, tasks_doc, write_hostile

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Runs before any page script: a payload that calls alert/confirm/prompt or sets a flag is seen.
HOOKS = """
window.__kgAlerts = [];
window.__kgViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__kgViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
['alert', 'confirm', 'prompt', 'print'].forEach(function (f) {
  window[f] = function (m) { window.__kgAlerts.push(f + ':' + String(m)); };
});
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Opened:
    """A page opened offline, with every request, dialog and script error recorded."""

    def __init__(self, browser, path: Path, fragment: str = ""):
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
        self.requests: list[str] = []
        self.left: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []  # a CSP violation (blocked script, image or fetch) lands here
        self.ctx.on("request", lambda r: self.requests.append(r.url))
        self.ctx.route("**/*", self._route)
        self.ctx.add_init_script(HOOKS)
        self.page = self.ctx.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)
        self.page.goto(path.resolve().as_uri() + fragment)
        self.page.wait_for_selector("body[data-ready='1']", timeout=20000)

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.left.append(route.request.url)
            route.abort()

    def _dialog(self, d):
        self.dialogs.append(d.message)
        d.dismiss()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def shown(self) -> list[dict]:
        return self.js("""() => { const d = JSON.parse(document.getElementById('kg-data').textContent);
            const s = new Set(window.kgView.shownNodes()); return d.nodes.filter(n => s.has(n.id)); }""")

    def shown_edges(self) -> list[dict]:
        return self.js("""() => { const d = JSON.parse(document.getElementById('kg-data').textContent);
            const s = new Set(window.kgView.shownEdges()); return d.edges.filter(e => s.has(e.id)); }""")

    def assert_quiet(self) -> None:
        assert not self.left, f"requests left the page: {self.left}"
        assert all(u.startswith("file://") for u in self.requests), self.requests
        assert self.js("() => window.__kgAlerts") == [] and not self.dialogs
        assert self.js("() => window.pwned") is None
        # escaping, not only the CSP, keeps payloads inert: nothing even tried to run or load
        assert self.js("() => window.__kgViolations") == []
        assert not self.errors, self.errors
        assert not self.console, self.console

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, seed_doc):
    """The seed's graph and annotated text side by side, as `kg viz` and `kg annotate` write them."""
    d = tmp_path_factory.mktemp("site")
    (d / "graph.html").write_text(render_graph(build_graph([seed_doc]), "Seed"), encoding="utf-8")
    (d / "seed.html").write_text(render_annotation(seed_doc, "graph.html", check_document(seed_doc)), encoding="utf-8")
    return d


@pytest.fixture
def graph(browser, site):
    o = Opened(browser, site / "graph.html")
    yield o
    o.close()


def test_the_hooks_would_catch_a_payload(browser, tmp_path):
    """Control: without our page, the same payloads do fire, so a quiet page means something."""
    ctx = browser.new_context(offline=True)
    ctx.add_init_script(HOOKS)
    page = ctx.new_page()
    page.set_content("<img src=x onerror=alert(1)><script>window.pwned=2</script>")
    page.wait_for_function("window.__kgAlerts.length > 0")
    assert page.evaluate("() => [window.__kgAlerts, window.pwned]") == [["alert:1"], 2]
    # and a script refused by a policy is reported
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">"
                       "<script>window.pwned=3</script>", encoding="utf-8")
    page = ctx.new_page()
    page.goto(control.as_uri())
    for _ in range(50):  # the event is queued; wait_for_function would need eval, which the policy forbids
        if page.evaluate("() => window.__kgViolations.length"):
            break
        page.wait_for_timeout(20)
    assert page.evaluate("() => [window.__kgViolations.length, window.pwned]") == [1, None]
    ctx.close()


def test_seed_graph_offline_with_every_citation(graph, seed_doc):
    graph.assert_quiet()
    assert graph.requests == [(graph.page.url.split("#")[0])]
    shown = graph.shown()
    kinds = {n["kind"] for n in shown}
    assert {"plan", "document", "agency"} <= kinds
    labels = {n["label"] for n in shown}
    for c in seed_doc.citations:
        if c.identifier:
            assert c.identifier in labels
    edges = graph.shown_edges()
    rels = {e["relation"] for e in edges}
    assert {"based_on", "cites", "nested", "issued"} <= rels
    ids = {n["id"] for n in shown}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    if seed_doc.tasks:  # once the structure stage gives them
        assert "task" in kinds
    incoming = {(e["target"], e["relation"]) for e in edges}
    for c in seed_doc.citations:  # every citation of the seed is a visible edge
        node = next(n for n in shown if n["kind"] in ("plan", "document")
                    and (n.get("identifier") == c.identifier if c.identifier else n.get("title") == c.title))
        assert (node["id"], "nested" if c.cited_by else c.relation) in incoming, c.key
    legend = graph.js("() => Array.from(document.querySelectorAll('#kg-legend-body li')).map(li => li.textContent)")
    assert any("căn cứ" in t for t in legend) and any("Agency" in t for t in legend)
    assert any("Nghị quyết" in t for t in legend) and any("Central" in t for t in legend)


def test_search_finds_and_focuses(graph):
    page = graph.page
    page.fill("#kg-search", "42/2022/NQ-HĐND")
    first = page.locator("#kg-results button").first
    assert first.text_content() == "42/2022/NQ-HĐND"
    page.press("#kg-search", "Enter")
    sel = graph.js("() => window.kgView.selected()")
    assert sel and sel.startswith("doc:42/2022/NQ-HĐND")
    info = page.locator("#kg-info").text_content()
    assert "Hội đồng nhân dân tỉnh Tây Ninh" in info and "Triển khai Nghị quyết số 42/2022/NQ-HĐND" in info
    centre = graph.js("""(id) => { const n = window.kgView.network; const v = n.getViewPosition();
        const p = n.getPositions([id])[id]; return Math.hypot(v.x - p.x, v.y - p.y); }""", sel)
    assert centre < 1
    page.fill("#kg-search", "42/2022/nq-hdnd")  # without diacritics, as typed on any keyboard
    assert page.locator("#kg-results button").first.text_content() == "42/2022/NQ-HĐND"
    page.fill("#kg-search", "tài sản trí tuệ")
    assert page.locator("#kg-results button").count() >= 2
    graph.assert_quiet()


def test_filters_change_what_is_shown(graph):
    page = graph.page
    total_nodes, total_edges = len(graph.shown()), len(graph.shown_edges())

    page.uncheck("#kg-kinds input[data-key=agency]")
    assert "agency" not in {n["kind"] for n in graph.shown()}
    page.check("#kg-kinds input[data-key=agency]")
    assert len(graph.shown()) == total_nodes

    for rel in ("nested", "based_on", "cites"):
        page.uncheck(f"#kg-relations input[data-key={rel}]")
        edges = graph.shown_edges()
        assert rel not in {e["relation"] for e in edges} and len(edges) < total_edges
        page.check(f"#kg-relations input[data-key={rel}]")
    assert len(graph.shown_edges()) == total_edges

    page.select_option("#kg-issuer", "Thủ tướng Chính phủ")
    docs = [n for n in graph.shown() if n["kind"] in ("plan", "document")]
    assert docs and {n["issuer"] for n in docs} == {"Thủ tướng Chính phủ"}
    assert {n["title"] for n in graph.shown() if n["kind"] == "agency"} == {"Thủ tướng Chính phủ"}
    page.select_option("#kg-issuer", "")

    page.fill("#kg-year-from", "2022")
    years = [n.get("year") for n in graph.shown() if n["kind"] in ("plan", "document")]
    assert all(y is None or y >= 2022 for y in years) and None in years
    page.uncheck("#kg-undated")
    years = [n.get("year") for n in graph.shown() if n["kind"] in ("plan", "document")]
    assert years and all(y and y >= 2022 for y in years)
    page.fill("#kg-year-to", "2022")
    assert {n.get("year") for n in graph.shown() if n["kind"] in ("plan", "document")} == {2022}

    page.click("#kg-reset")
    assert len(graph.shown()) == total_nodes and len(graph.shown_edges()) == total_edges
    assert "of" in page.locator("#kg-stats").text_content()
    graph.assert_quiet()


def test_ego_view_with_depth(graph):
    page = graph.page
    [nid] = graph.js("() => window.kgView.search('42/2022/NQ-HĐND').slice(0, 1)")
    graph.js("(id) => window.kgView.focus(id)", nid)
    near = {nid}
    for e in graph.shown_edges():  # one link away, by the links on screen
        if nid in (e["source"], e["target"]):
            near |= {e["source"], e["target"]}
    page.fill("#kg-depth", "1")
    page.click("#kg-ego-on")
    one = {n["label"] for n in graph.shown()}
    assert {n["id"] for n in graph.shown()} == near
    assert {"42/2022/NQ-HĐND", "Hội đồng nhân dân tỉnh Tây Ninh"} <= one
    page.fill("#kg-depth", "2")
    page.dispatch_event("#kg-depth", "change")
    two = {n["label"] for n in graph.shown()}
    assert one < two and len(two) < len(graph.js("() => JSON.parse(document.getElementById('kg-data').textContent).nodes"))
    assert "depth 2" in page.locator("#kg-ego-status").text_content()
    page.click("#kg-ego-off")
    assert len(graph.shown()) > len(two)


def test_hover_shows_fields_and_quote(graph):
    page = graph.page
    [nid] = graph.js("() => window.kgView.search('42/2022/NQ-HĐND').slice(0, 1)")
    xy = graph.js("""(id) => { const n = window.kgView.network; const p = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('kg-graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""", nid)
    page.mouse.move(xy[0] + 40, xy[1] + 40)
    page.mouse.move(*xy)
    page.wait_for_selector("#kg-tip:not([hidden])", timeout=5000)
    tip = page.locator("#kg-tip").text_content()
    assert "42/2022/NQ-HĐND" in tip and "Nghị quyết" in tip and "2022-12-09" in tip
    assert "Triển khai Nghị quyết số 42/2022/NQ-HĐND" in tip  # the quoted sentence


def test_annotated_text_links_into_the_graph(browser, site, seed_doc):
    o = Opened(browser, site / "seed.html")
    page = o.page
    o.assert_quiet()
    assert page.locator("#kg-doc .kg-cite").count() == len(seed_doc.citations)
    assert page.locator("#kg-doc .kg-cite-based_on").count() == 6
    assert page.locator("#kg-doc .kg-cite-nested").count() == sum(1 for c in seed_doc.citations if c.cited_by)
    assert o.js("""() => { const d = document.getElementById('kg-doc').cloneNode(true);
        d.querySelectorAll('.kg-task-label').forEach(b => b.remove()); return d.textContent; }""") == seed_doc.text
    # the one kg check finding of the seed is underlined inside its citation, explained on hover
    assert page.locator("#kg-doc .kg-finding").count() == 1
    flagged = page.locator("#kg-doc .kg-cite", has=page.locator(".kg-finding-error"))
    assert "50-NQ/CP" in flagged.text_content()
    page.locator("#kg-doc .kg-finding-error").hover()
    page.wait_for_selector("#kg-tip:not([hidden])")
    tip = page.locator("#kg-tip").text_content()
    assert "form.symbol-family" in tip and "50/NQ-CP" in tip and "Chính phủ" in tip  # the finding and the fields
    link = page.locator("#kg-doc .kg-cite", has_text="42/2022/NQ-HĐND").first
    link.hover()
    page.wait_for_selector("#kg-tip:not([hidden])")
    tip = page.locator("#kg-tip").text_content()
    assert "Hội đồng nhân dân tỉnh Tây Ninh" in tip and "2022-12-09" in tip and "trích dẫn" in tip
    link.click()
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_function("window.kgView && window.kgView.selected()")
    assert page.url.split("#")[0].endswith("/graph.html")
    assert page.evaluate("() => window.kgView.selected()").startswith("doc:42/2022/NQ-HĐND")
    o.assert_quiet()
    o.close()


def test_tasks_are_nodes_and_outlined(browser, tmp_path):
    doc = tasks_doc()
    (tmp_path / "graph.html").write_text(render_graph(build_graph([doc]), "Tasks"), encoding="utf-8")
    (tmp_path / "t.html").write_text(render_annotation(doc), encoding="utf-8")
    o = Opened(browser, tmp_path / "graph.html")
    shown = o.shown()
    assert sum(n["kind"] == "task" for n in shown) == 2
    assert {e["relation"] for e in o.shown_edges()} >= {"part", "role", "cites"}
    plan_to_nq = [e for e in o.shown_edges() if e["target"].startswith("doc:42/2022") and e["source"].startswith("doc:7/")]
    assert plan_to_nq == []  # the task's edge is drawn, not the plan's summary of it
    o.page.uncheck("#kg-kinds input[data-key=task]")
    assert not any(n["kind"] == "task" for n in o.shown())
    plan_to_nq = [e for e in o.shown_edges() if e["target"].startswith("doc:42/2022") and e["source"].startswith("doc:7/")]
    assert [e["relation"] for e in plan_to_nq] == ["cites"]  # without tasks the plan still rests on it
    o.assert_quiet()
    o.close()
    a = Opened(browser, tmp_path / "t.html")
    assert a.page.locator("#kg-doc .kg-task").count() == 2
    assert a.page.locator("#kg-doc .kg-task .kg-cite").count() == 1
    a.assert_quiet()
    a.close()


def test_big_graph_opens_on_documents_and_reveals_on_request(browser, tmp_path):
    (tmp_path / "graph.html").write_text(render_graph(build_graph(many_plans()), "Big"), encoding="utf-8")
    o = Opened(browser, tmp_path / "graph.html")
    assert {n["kind"] for n in o.shown()} == {"plan", "document"}
    assert {e["relation"] for e in o.shown_edges()} == {"based_on", "cites"}  # plans rest on what their tasks cite
    assert not o.page.is_checked("#kg-kinds input[data-key=task]")
    task = next(n["id"] for n in o.js("() => JSON.parse(document.getElementById('kg-data').textContent).nodes")
                if n["kind"] == "task")
    assert o.js("(id) => window.kgView.focus(id)", task)
    assert task in {n["id"] for n in o.shown()} and o.js("() => window.kgView.selected()") == task
    assert o.page.is_checked("#kg-kinds input[data-key=task]")
    o.assert_quiet()
    o.close()


def test_hash_opens_a_node_even_by_alias(browser, site, seed_doc):
    data = json.loads((site / "graph.html").read_text(encoding="utf-8").split('id="kg-data">')[1].split("</script>")[0])
    target = next(n for n in data["nodes"] if n["label"] == "696/QĐ-TTg")
    o = Opened(browser, site / "graph.html", "#node=" + quote(target["id"], safe=""))
    assert o.js("() => window.kgView.selected()") == target["id"]
    o.close()


def _no_injected_markup(o: Opened, scripts: int) -> None:
    counts = o.js("""() => ({
        bad: document.querySelectorAll('img, svg, iframe, object, embed, frame, base, link, meta[http-equiv=refresh]').length,
        handlers: Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes)
                  .some(a => a.name.startsWith('on'))).length,
        scripts: document.scripts.length,
        styles: document.querySelectorAll('style').length,
        hrefs: Array.from(document.querySelectorAll('[href]')).map(e => e.getAttribute('href')),
    })""")
    assert counts["bad"] == 0 and counts["handlers"] == 0
    assert counts["scripts"] == scripts and counts["styles"] == 1
    assert all(h.startswith("graph.html#node=") for h in counts["hrefs"]), counts["hrefs"]


def test_hostile_corpus_runs_nothing(browser, tmp_path):
    path = write_hostile(tmp_path)
    doc = kg.extract(path)
    (tmp_path / "graph.html").write_text(render_graph(build_graph([doc]), doc.header.title), encoding="utf-8")
    # a finding that quotes hostile text, on the first citation: the finding path escapes it too
    c = doc.citations[0]
    findings = [Finding(rule="form.symbol-family", severity="error", file=str(path), line=c.line, column=1,
                        text=c.text, message=f"“{c.text}” <img src=x onerror=alert(4)></script><script>alert(5)</script>",
                        start=c.start, end=c.end, reference="<b onmouseover=alert(6)>x</b>")]
    (tmp_path / "hostile.html").write_text(render_annotation(doc, findings=findings), encoding="utf-8")

    o = Opened(browser, tmp_path / "graph.html")
    page = o.page
    ids = [n["id"] for n in o.shown()]
    for nid in ids:  # every info panel, every tooltip: each path by which text reaches the DOM
        o.js("(id) => window.kgView.focus(id)", nid)
        xy = o.js("""(id) => { const n = window.kgView.network; const p = n.canvasToDOM(n.getPositions([id])[id]);
            const r = document.getElementById('kg-graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""", nid)
        page.mouse.move(xy[0] + 30, xy[1] + 30)
        page.mouse.move(*xy)
    for q in ("<img", "onerror", "script", "href", HOSTILE_NAME[:10]):
        page.fill("#kg-search", q)
    [plan] = [n["id"] for n in o.shown() if n["kind"] == "plan"]
    o.js("(id) => window.kgView.focus(id)", plan)
    info = page.locator("#kg-info").text_content()
    assert "<img src=x onerror=alert(1)>" in info and HOSTILE_NAME in info  # shown as text, not run
    assert page.title().startswith("Kế hoạch <img src=x")
    page.wait_for_timeout(200)
    o.assert_quiet()
    _no_injected_markup(o, scripts=3)
    o.close()

    a = Opened(browser, tmp_path / "hostile.html")
    for i in range(a.page.locator("#kg-doc .kg-cite").count()):
        a.page.locator("#kg-doc .kg-cite").nth(i).hover()
    assert a.page.locator("#kg-doc .kg-finding").count() == 1
    a.page.locator("#kg-doc .kg-finding").hover()
    assert "alert(5)</script>" in a.page.locator("#kg-tip").text_content()  # shown as text, not run
    assert "<img src=x onerror=alert(3)>" in a.page.locator("#kg-doc").text_content()
    a.page.wait_for_timeout(200)
    a.assert_quiet()
    _no_injected_markup(a, scripts=2)
    a.close()


def test_seed_labels_do_not_overlap(graph):
    """Every shown node's box (shape and label, as vis-network measures it) is clear of every other:
    on the seed, 31 pairs lay on each other before the layout moved labels apart."""
    n, overlaps, pairs = graph.js("""() => { const net = window.kgView.network; const ids = window.kgView.shownNodes();
      const boxes = ids.map(id => [id, net.getBoundingBox(id)]); let n = 0; const pairs = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i][1], b = boxes[j][1];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          n++; if (pairs.length < 5) pairs.push([boxes[i][0], boxes[j][0]]); } }
      return [ids.length, n, pairs]; }""")
    assert n > 40 and overlaps == 0, pairs


def test_signature_block_is_not_a_node(graph, seed_doc):
    kinds = {t.id: t.kind for t in seed_doc.tasks}
    assert "signature" in kinds.values()  # the seed has one: the test would otherwise prove nothing
    shown = graph.shown()
    assert not [n for n in shown if n["kind"] == "task" and n["id"].rsplit("#", 1)[-1] in
                {i for i, k in kinds.items() if k in ("signature", "recipients")}]
