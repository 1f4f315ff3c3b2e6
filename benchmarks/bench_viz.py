"""Time to a usable first view of the graph page in headless Chromium, and the README screenshots.

    python benchmarks/bench_viz.py [--synthetic 10000] [--out benchmarks/results/viz.json] [--img docs/img]

The whole real corpus (../shared/corpus/real) is extracted, built into one view and rendered;
then Debian's chromium (playwright, offline) opens the page and we wait for the first drawn frame
(``window.kgReady``, set on vis-network's first ``afterDrawing``) and for a search to focus a node.
The issue's bar: under 10 s. ``--synthetic N`` adds a generated graph of about N nodes (hubs and a
long tail like the real one) to see how far the precomputed layout carries. Screenshots of the
seed's graph and annotated text go to docs/img.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SEED = ROOT / "corpus" / "kh-khcn-tayninh-2023.txt"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def synthetic(n: int, seed: int = 7):
    """About n nodes: plans citing a Zipf-like spread of documents, issuers, some nesting."""
    from kg.viz.model import Edge, Graph, Node, Quote

    rnd = random.Random(seed)
    g = Graph()
    n_plans, n_agencies = max(1, n // 25), max(1, n // 50)
    n_docs = n - n_plans - n_agencies
    types = ["Luật", "Nghị định", "Quyết định", "Thông tư", "Nghị quyết", "Kế hoạch", "Chỉ thị"]
    for i in range(n_agencies):
        g.nodes[f"a{i}"] = Node(f"a{i}", "agency", f"Cơ quan {i}", title=f"Cơ quan {i}", level="province")
    for i in range(n_docs):
        t = types[i % len(types)]
        g.nodes[f"d{i}"] = Node(f"d{i}", "document", f"{i}/2020/X-Y", identifier=f"{i}/2020/X-Y", doc_type=t,
                                type_group="decree", year=2000 + i % 25, issuer=f"Cơ quan {i % n_agencies}",
                                level="central", subject=f"về việc số {i}")

    def edge(s: str, t: str, rel: str) -> None:
        eid = f"{rel}:{s}->{t}"
        g.edges[eid] = Edge(eid, s, t, rel, quotes=[Quote(f"Căn cứ văn bản {t} của {s}.", "x.txt", 1)], count=1)

    for i in range(n_docs):
        edge(f"a{i % n_agencies}", f"d{i}", "issued")
    weights = [1 / (k + 1) ** 0.9 for k in range(n_docs)]
    for p in range(n_plans):
        g.nodes[f"p{p}"] = Node(f"p{p}", "plan", f"Kế hoạch {p}", year=2023, issuer="Cơ quan 0")
        for d in set(rnd.choices(range(n_docs), weights, k=30)):
            edge(f"p{p}", f"d{d}", "based_on" if rnd.random() < 0.2 else "cites")
    for i in range(n_docs // 4):
        a, b = rnd.randrange(n_docs), rnd.randrange(n_docs)
        if a != b:
            edge(f"d{a}", f"d{b}", "nested")
    # documents no plan reached still hang on their issuer, as in the real graph
    return g


def first_view(browser, path: Path) -> dict:
    """Seconds from navigation to the first drawn frame, and to a search that focused a node."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 850}, offline=True)
    page = ctx.new_page()
    left: list[str] = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else (left.append(r.request.url), r.abort()))
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.kgReady", timeout=120_000, polling=50)
    drawn = time.perf_counter() - t0
    in_page = page.evaluate("() => window.kgReady") / 1000
    t1 = time.perf_counter()
    label = page.evaluate("""() => { const d = JSON.parse(document.getElementById('kg-data').textContent);
        const n = d.nodes.find(n => n.kind === 'document'); return n.identifier || n.label; }""")
    page.fill("#kg-search", label)
    page.press("#kg-search", "Enter")
    page.wait_for_function("window.kgView.selected()", timeout=60_000)
    search = time.perf_counter() - t1
    ctx.close()
    return {"first_view_s": round(drawn, 2), "first_frame_in_page_s": round(in_page, 2),
            "search_and_focus_s": round(search, 2), "requests_left": len(left)}


def screenshots(browser, out: Path) -> list[str]:
    import kg
    from kg.viz.annotate import render_annotation
    from kg.viz.model import build_graph
    from kg.viz.render import render_graph

    out.mkdir(parents=True, exist_ok=True)
    doc = kg.extract(SEED.relative_to(ROOT))  # the page shows the path: keep it short

    tmp = Path(tempfile.mkdtemp())
    (tmp / "graph.html").write_text(render_graph(build_graph([doc]), doc.header.title or "seed"), encoding="utf-8")
    (tmp / "seed.html").write_text(render_annotation(doc), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    page = ctx.new_page()
    page.goto((tmp / "graph.html").as_uri())
    page.wait_for_function("window.kgReady")
    page.fill("#kg-search", "42/2022/NQ-HĐND")
    page.press("#kg-search", "Enter")
    page.evaluate("() => window.kgView.network.fit({animation: false})")
    page.evaluate("() => { document.getElementById('kg-filters').open = false; document.getElementById('kg-legend').open = true; }")
    page.wait_for_timeout(300)
    shots = [out / "seed-graph.png", out / "seed-annotated.png"]
    page.screenshot(path=str(shots[0]))
    page.goto((tmp / "seed.html").as_uri())
    page.wait_for_function("window.kgReady")
    link = page.locator("#kg-doc .kg-cite", has_text="1341/KH-UBND").first
    link.evaluate("(a) => window.scrollBy(0, a.getBoundingClientRect().top - 250)")
    link.hover()
    page.wait_for_timeout(200)
    page.screenshot(path=str(shots[1]))
    ctx.close()
    return [str(s.relative_to(ROOT)) if s.is_relative_to(ROOT) else str(s) for s in shots]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, action="append", default=[], help="also a generated graph of ~N nodes")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "viz.json"))
    ap.add_argument("--img", default=str(ROOT / "docs" / "img"))
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skip: {CORPUS} is absent (../shared is not beside the project)")
        return 0
    if not CHROMIUM.exists():
        print(f"skip: {CHROMIUM} is absent (apt-get install -y chromium)")
        return 0
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import kg
    from kg.viz.model import build_graph
    from kg.viz.render import render_graph
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    rows = []
    t = time.perf_counter()
    docs = [kg.extract(p) for p in sorted(CORPUS.rglob("*.txt"))]
    extract_s = time.perf_counter() - t
    inputs = [("real corpus", lambda: build_graph(docs))]
    inputs += [(f"synthetic {n}", (lambda n=n: synthetic(n))) for n in args.synthetic]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, make in inputs:
            t = time.perf_counter()
            g = make()
            build_s = time.perf_counter() - t
            t = time.perf_counter()
            html = render_graph(g, name)
            render_s = time.perf_counter() - t
            path = tmp / f"{name.replace(' ', '-')}.html"
            path.write_text(html, encoding="utf-8")
            row = {"input": name, "nodes": len(g.nodes), "edges": len(g.edges), "build_s": round(build_s, 2),
                   "render_s": round(render_s, 2), "html_MB": round(len(html.encode()) / 1e6, 2)}
            if name == "real corpus":
                row["docs"] = len(docs)
                row["extract_s"] = round(extract_s, 2)
            row.update(first_view(browser, path))
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False))
        shots = screenshots(browser, Path(args.img))
        browser.close()
    result = {"python": platform.python_version(), "machine": platform.machine(),
              "chromium": "Debian /usr/bin/chromium, headless", "rows": rows, "screenshots": shots,
              "bar_first_view_s": 10}
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    ok = all(r["first_view_s"] < 10 and r["requests_left"] == 0 for r in rows if r["input"] == "real corpus")
    print(f"wrote {args.out}; real corpus first view under 10 s: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
