"""End-to-end time of the lookup commands at the prompt, and the heavy modules each one imports.

    python benchmarks/bench_cli.py [--runs 10] [--baseline OTHER_CHECKOUT] [--out benchmarks/results/cli.json]

A lookup (`kg cites`, `kg deps`) on the bundled store should cost the interpreter's start plus a
few milliseconds: it never needs numpy, spaCy, pyvis, pypdf, networkx, rdflib or the page renderer.
Each command runs as a fresh process (`python -m kg.cli ...`, with this checkout first on the
path) on a store built in a temporary folder from corpus/; `python -c pass` is the floor, timed in
the same run so the machine's load shows in both. --baseline times another checkout of kg (for
example the main branch before a change) in the same run, interleaved run by run, so the two
columns share the noise. Figures are the median and the best of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus"
HEAVY = ("numpy", "scipy", "spacy", "pyvis", "pypdf", "networkx", "rdflib", "pyshacl", "jinja2", "docx", "bs4",
         "lxml", "kg.viz.render", "kg.extract.structure")
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "kg --help": ["-m", "kg.cli", "--help"],
    "kg cites 42/2022/NQ-HĐND": ["-m", "kg.cli", "cites", "42/2022/NQ-HĐND", "--store", "{store}"],
    "kg deps II.2.3": ["-m", "kg.cli", "deps", "II.2.3", "--store", "{store}"],
}
_DUMP = ("import atexit,sys,json\n"
         "atexit.register(lambda: sys.__stderr__.write('\\nKGMODS'+json.dumps(sorted(sys.modules))+'\\n'))\n")


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _argv(args: list[str], store: str) -> list[str]:
    return [sys.executable, *[a.replace("{store}", store) for a in args]]


def imported(root: Path, args: list[str], store: str) -> set[str]:
    """Every module the command leaves in sys.modules (dumped at exit by a sitecustomize-free hook)."""
    argv = _argv(args, store)
    if argv[1] == "-m":
        code = _DUMP + f"import runpy,sys; sys.argv={argv[2:]!r}; runpy.run_module({argv[2]!r}, run_name='__main__')"
    else:
        code = _DUMP + argv[2]
    p = subprocess.run([sys.executable, "-c", code], env=_env(root), capture_output=True, text=True, timeout=120,
                       cwd=Path(store).parent)
    for line in p.stderr.splitlines():
        if line.startswith("KGMODS"):
            return set(json.loads(line[6:]))
    raise RuntimeError(f"no module list from {args}: {p.stderr[-500:]}")


def heavy(mods: set[str]) -> list[str]:
    return sorted(h for h in HEAVY if h in mods)


def _once(root: Path, args: list[str], store: str) -> float:
    t = time.perf_counter()
    p = subprocess.run(_argv(args, store), env=_env(root), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=120, cwd=Path(store).parent)  # not a checkout: `-m` puts the cwd first on the path
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{args} failed ({p.returncode}): {p.stderr.decode()[-500:]}")
    return dt


def build_store(root: Path, where: Path) -> str:
    store = where / "store"
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEED), "--store", str(store)], env=_env(root),
                   check=True, capture_output=True, timeout=600, cwd=where)
    return str(store)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--baseline", default=None, help="another checkout of kg to time in the same run")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "cli.json"))
    args = ap.parse_args()
    roots = {"this": ROOT}
    if args.baseline:
        roots["baseline"] = Path(args.baseline).resolve()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-cli-"))
    try:
        store = build_store(ROOT, tmp)
        for root in roots.values():  # warm: compiled bytecode, the page cache
            for cmd in COMMANDS.values():
                _once(root, cmd, store)
        times: dict[tuple[str, str], list[float]] = {(r, c): [] for r in roots for c in COMMANDS}
        for _ in range(args.runs):
            for name, cmd in COMMANDS.items():
                for label, root in roots.items():
                    times[(label, name)].append(_once(root, cmd, store))
        rows = []
        for name, cmd in COMMANDS.items():
            for label, root in roots.items():
                ts = times[(label, name)]
                floor = statistics.median(times[(label, "python -c pass")])
                rows.append({"command": name, "code": label, "median_ms": round(statistics.median(ts) * 1000, 1),
                             "best_ms": round(min(ts) * 1000, 1), "runs": len(ts),
                             "median_over_python_start": round(statistics.median(ts) / floor, 2),
                             "heavy_imports": heavy(imported(root, cmd, store)) if name.startswith("kg") else []})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = {"python": platform.python_version(), "machine": platform.machine(), "runs": args.runs,
              "load_average_1min": round(os.getloadavg()[0], 2),  # the machine is shared: read times with it
              "baseline": str(roots.get("baseline", "")) and "given with --baseline", "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"load average {result['load_average_1min']}")
    print("| command | code | median ms | best ms | median / python start | heavy modules imported |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['command']} | {r['code']} | {r['median_ms']} | {r['best_ms']} | {r['median_over_python_start']} | "
              f"{', '.join(r['heavy_imports']) or '-'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
