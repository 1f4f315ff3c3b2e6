"""What the validity timeline costs on the real corpus, as ratios in one run.

    python benchmarks/bench_timeline.py [--corpus ../shared/corpus/real] [--repeat 3]
                                        [--out benchmarks/results/timeline.json]

Builds the corpus (plus the seed plan) into fresh stores with and without the timeline graph
(kg.graph.build's `timeline` switch; the build log is written either way), alternating, and times
the write phase and the whole build; then times the questions on the built store: `kg status`'s
timeline for every document the corpus acts on, `impact` with and without `--on`, `kg changes` for
the last build, the "Lược đồ" of the most acted-on document, and the deps queries that now follow
kg:restsOn against the eight properties they listed before (same edges, checked).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_OLD_DEPS = """PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?from ?to ?prop WHERE {
  VALUES ?start { $NODES }
  ?start (eli:based_on|eli:cites|kg:guides|eli:amends|kg:replaces|eli:repeals|eli:consolidates|eli:corrects|owl:sameAs|^owl:sameAs)* ?from .
  VALUES ?prop { eli:based_on eli:cites kg:guides eli:amends kg:replaces eli:repeals eli:consolidates eli:corrects }
  ?from ?prop ?to .
}"""


def _timed(fn, *a, **kw):
    t = time.perf_counter()
    out = fn(*a, **kw)
    return time.perf_counter() - t, out


def builds(files: list[str], repeat: int) -> dict:
    from kg.graph.build import build

    res: dict[str, list] = {"with": [], "without": []}
    for _ in range(repeat):
        for tag in ("without", "with"):
            with tempfile.TemporaryDirectory() as d:
                rep = build(files, Path(d) / "s", timeline=tag == "with")
                res[tag].append({"seconds": rep.seconds, "write": rep.phases.get("write", 0.0), "triples": rep.triples})
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("seconds", "write", "triples")} for k, v in res.items()}
    return {"runs": res, "median": med,
            "ratio_build": med["with"]["seconds"] / med["without"]["seconds"],
            "ratio_write": med["with"]["write"] / med["without"]["write"],
            "timeline_triples": med["with"]["triples"] - med["without"]["triples"]}


def questions(files: list[str]) -> dict:
    from kg.graph import changes, fill, named_query, query
    from kg.graph.build import build
    from kg.graph.lineage import lineage
    from kg.graph.store import Store
    from kg.graph.timeline import timelines

    out: dict = {}
    with tempfile.TemporaryDirectory() as d:
        build(files, Path(d) / "s")
        s = Store.open_read(Path(d) / "s")
        nodes = [r["node"] for r in s.query(named_query("acted_on"))]
        out["acted_on_documents"] = len(nodes)
        out["timelines_all_s"], lines = _timed(timelines, s, nodes)
        top = max(lines.values(), key=lambda t: len(t.acts))
        out["most_acted_on"] = top.identifier
        out["status_one_s"], _ = _timed(lambda: lines[top.node].on("2025-08-01"))
        ident = top.identifier
        out["impact_s"], plain = _timed(query.impact, s, ident)
        out["impact_on_s"], marked = _timed(query.impact, s, ident, on="2025-08-01")
        out["impact_rows"] = len(plain)
        out["impact_rows_marked"] = sum(bool(r["on_warning"]) for r in marked)
        out["ratio_impact_on"] = out["impact_on_s"] / out["impact_s"]
        out["changes_last_build_s"], rows = _timed(changes.changes, s)
        out["changes_rows"] = len(rows)
        out["lineage_s"], _ = _timed(lineage, s, ident)
        starts = [r["n"] for r in s.query("PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> "
                                          "SELECT DISTINCT ?n WHERE { ?n kg:inCorpus true }")]
        old_t, old = _timed(lambda: {(r["from"], r["to"], r["prop"]) for r in s.query(fill(_OLD_DEPS, {"NODES": starts}))})
        new_t, new = _timed(lambda: {(r["from"], r["to"], r["prop"])
                                     for r in s.query(fill(named_query("deps_transitive"), {"NODES": starts}))})
        out["deps_transitive"] = {"documents": len(starts), "edges": len(new), "same_edges": old == new,
                                  "eight_properties_s": old_t, "rests_on_s": new_t, "ratio": new_t / old_t}
        s.close()
    return out


def _shown(path: str) -> str:
    """A path as the results file records it: relative to the project, never this machine's own."""
    return os.path.relpath(path, ROOT)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "real"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "timeline.json"))
    a = ap.parse_args()
    corpus = Path(a.corpus)
    files = [str(ROOT / "corpus")] + ([str(corpus)] if corpus.exists() else [])
    res = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
           "inputs": [_shown(f) for f in files], "build": builds(files, a.repeat), "questions": questions(files)}
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    b, q = res["build"], res["questions"]
    print(f"build with timeline / without: {b['ratio_build']:.3f} (write phase {b['ratio_write']:.3f}), "
          f"+{b['timeline_triples']:.0f} triples")
    print(f"timelines of {q['acted_on_documents']} documents: {q['timelines_all_s']:.3f} s; impact --on / impact: "
          f"{q['ratio_impact_on']:.2f}; changes: {q['changes_last_build_s']:.3f} s; "
          f"deps_transitive restsOn / 8 properties: {q['deps_transitive']['ratio']:.3f} (same edges: "
          f"{q['deps_transitive']['same_edges']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
