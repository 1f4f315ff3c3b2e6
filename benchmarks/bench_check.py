"""Cost of `kg check` beside the citation engine it runs on, and of loading the registry tables.

    python benchmarks/bench_check.py [--repeat 3] [--out FILE.json]

The rules re-read each citation's own text (type word, date, issuer phrase) and scan the text
once for impossible dates, so their cost should stay a fraction of extraction. Inputs: the real
corpus (../shared/corpus/real) and the three tables of ../shared/corpus/registry. One core.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=None, help="also write the results as JSON here")
    args = ap.parse_args()
    if not (SHARED / "real").exists():
        print(f"skip: {SHARED / 'real'} is absent (../shared is not beside the project)")
        return 0
    sys.path.insert(0, str(ROOT))
    from kg.check import Providers, check_document, load_registry
    from kg.extract import extract_citations

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((SHARED / "real").rglob("*.txt"))]
    mb = sum(len(t.encode("utf-8")) for _, t in texts) / 1e6
    docs = [extract_citations(t, n) for n, t in texts]
    t_extract = _best(lambda: [extract_citations(t, n) for n, t in texts], args.repeat)
    t_check = _best(lambda: [check_document(d) for d in docs], args.repeat)
    tables = sorted((SHARED / "registry").glob("*.csv"))
    t0 = time.perf_counter()
    provider = Providers([load_registry(p) for p in tables])
    t_load = time.perf_counter() - t0
    t_check_reg = _best(lambda: [check_document(d, provider) for d in docs], args.repeat)
    findings = sum(len(check_document(d)) for d in docs)
    result = {
        "python": platform.python_version(), "documents": len(texts), "mb": round(mb, 3),
        "citations": sum(len(d.citations) for d in docs), "findings": findings,
        "extract_s": round(t_extract, 3), "check_s": round(t_check, 3),
        "check_with_registries_s": round(t_check_reg, 3), "load_registries_s": round(t_load, 3),
        "check_mb_per_s": round(mb / t_check, 1) if t_check else None,
    }
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
