"""Throughput of the citation engine, beside a bare single-regex scan of the same text (the floor).

    python benchmarks/bench_extract.py [--mb 100] [--out benchmarks/results/extract.json]
    python benchmarks/bench_extract.py --quick --gate   # CI: ratios and accuracy against the recorded ones
    python benchmarks/bench_extract.py --quick --record # after a change that rightly moves them

Three inputs: the real corpus (../shared/corpus/real, 66 documents), a large corpus built from
its lines (shuffled with a fixed seed into ~20 kB documents), and a pathological 10 MB line of
repeated "Quyết định số " (time must stay linear). One core, one process; peak RSS reported.
The engine here is the citation engine (`kg.extract.extract_citations`: folding, header,
preamble, citations); the full `extract` with the structure stage is timed too.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
FLOOR = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][\w-]*")


def _mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def _time(fn, texts: list[str], repeat: int = 1, clock=time.perf_counter) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = clock()
        for x in texts:
            fn(x)
        best = min(best, clock() - t)
    return best


def _floor(text: str) -> int:
    return sum(1 for _ in FLOOR.finditer(text))


ACCURACY = ROOT / "benchmarks" / "results" / "accuracy.json"


def quick(repeat: int) -> dict[str, float]:
    """The real corpus's ratios to the floor: the three timed in turn, best of `repeat` each, in
    CPU time of this process: on a busy machine wall time counts the waits for a core, which a
    short floor scan often escapes and a long extraction never does."""
    from kg.extract import extract_citations, extract_text

    real = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]
    extract_text(real[0])  # compile the grammar once, outside the timings
    best = {"floor": float("inf"), "citations": float("inf"), "full": float("inf")}
    for _ in range(repeat):
        for name, fn in (("floor", _floor), ("citations", extract_citations), ("full", extract_text)):
            best[name] = min(best[name], _time(fn, real, clock=time.process_time))
    return {"citations_to_floor": round(best["citations"] / best["floor"], 2),
            "full_to_floor": round(best["full"] / best["floor"], 2),
            "floor_MBps": round(_mb(real) / best["floor"], 1)}


def gate(args) -> int:
    from benchmarks import gate as g
    from benchmarks.score_blind import score_all

    ratios = quick(args.repeat)
    out = Path(args.out)
    recorded = json.loads(out.read_text(encoding="utf-8"))
    accuracy = g.accuracy_figures(score_all())
    print(f"this run:  citations {ratios['citations_to_floor']}x the floor, full extract "
          f"{ratios['full_to_floor']}x (floor {ratios['floor_MBps']} MB/s, best of {args.repeat})")
    if args.record:
        row = next(r for r in recorded["rows"] if r["input"] == "real corpus")
        row.update({k: ratios[k] for k in g.RATIOS})
        out.write_text(json.dumps(recorded, ensure_ascii=False, indent=1), encoding="utf-8")
        ACCURACY.write_text(json.dumps(accuracy, indent=1) + "\n", encoding="utf-8")
        print(f"recorded in {out} and {ACCURACY}")
        return 0
    was = g.recorded_ratios(recorded)
    print(f"recorded:  citations {was['citations_to_floor']}x, full extract {was['full_to_floor']}x")
    was_acc = json.loads(ACCURACY.read_text(encoding="utf-8")) if ACCURACY.exists() else {}
    failures = g.check(ratios, was, accuracy, was_acc)
    for f in failures:
        print(f"gate: FAIL {f}")
    print("gate: " + ("failed" if failures else f"passed ({len(was_acc)} accuracy figures held)"))
    return 1 if failures else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100.0, help="size of the corpus built from real lines")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "extract.json"))
    ap.add_argument("--quick", action="store_true", help="the real corpus only, as ratios (with --gate or --record)")
    ap.add_argument("--gate", action="store_true", help="fail when a ratio grew >15%% or an accuracy figure dropped")
    ap.add_argument("--record", action="store_true", help="write this run's ratios and accuracy as the recorded ones")
    ap.add_argument("--repeat", type=int, default=5, help="runs per side in --quick (the best counts)")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skip: {CORPUS} is absent (../shared is not beside the project)")
        return 0
    sys.path.insert(0, str(ROOT))
    if args.quick or args.gate or args.record:
        return gate(args)
    from kg.extract import extract_citations, extract_text

    real = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]
    extract_citations(real[0])  # compile the grammar once, outside the timings
    rows = []

    def row(name: str, texts: list[str], repeat: int) -> dict:
        mb = _mb(texts)
        t_floor = _time(_floor, texts, repeat)
        t_cit = _time(extract_citations, texts, repeat)
        t_full = _time(extract_text, texts, repeat)
        n = sum(len(extract_citations(x).citations) for x in texts) if mb < 10 else None
        r = {"input": name, "docs": len(texts), "MB": round(mb, 2), "floor_MBps": round(mb / t_floor, 1),
             "citations_MBps": round(mb / t_cit, 1), "full_extract_MBps": round(mb / t_full, 1),
             "ratio_floor_to_citations": round(t_cit / t_floor, 1), "citations_found": n}
        rows.append(r)
        return r

    row("real corpus", real, 3)
    lines = [ln for t in real for ln in t.splitlines() if ln.strip()]
    rnd = random.Random(20231)
    big: list[str] = []
    size = 0
    while size < args.mb * 1e6:
        rnd.shuffle(lines)
        for i in range(0, len(lines), 200):
            doc = "\n".join(lines[i:i + 200])
            big.append(doc)
            size += len(doc.encode("utf-8"))
            if size >= args.mb * 1e6:
                break
    row(f"{args.mb:.0f} MB from real lines", big, 1)
    del big

    line = "Quyết định số " * (10_000_000 // len("Quyết định số ".encode("utf-8")))
    t = time.perf_counter()
    extract_text(line)
    patho = round(time.perf_counter() - t, 2)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"python": platform.python_version(), "machine": platform.machine(), "rows": rows,
              "pathological_10MB_line_s": patho, "peak_rss_MB": round(peak_mb)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    print(f"\npathological 10 MB line of 'Quyết định số ': {patho} s; peak RSS {result['peak_rss_MB']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
