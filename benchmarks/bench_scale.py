"""A national corpus, measured: build it on a local Dask cluster into both stores, then ask it.

    python benchmarks/bench_scale.py --docs 400 --docs 4000      # about 1 M and 10 M triples
    python benchmarks/bench_scale.py --quick                     # 12 documents, a smoke run (tests)

Why this corpus: query times depend on the shape of the graph (hubs cited by every plan, the same
header issued again and again, mentions per document), so the documents are made from the real
corpus (../shared/corpus/real) and not from random triples. Every synthetic document keeps one real
document's header and "Căn cứ" preamble as they are (so identities repeat as they do in life: the
same national laws, the same provincial numbers) and gets a body of runs of real lines taken from
the whole corpus, as long as a real body, with a fixed seed. Files are written as .txt under a work
folder, and `kg build` reads them as a user's build would.

What is timed, each as a user runs it: `kg build --scheduler` with a scheduler and two workers as
separate processes (`dask scheduler`, `dask worker`) into (a) the embedded store and (b) an
`oxigraph serve --union-default-graph` process; the unchanged rebuild; then in-process library
calls (kg.graph.query) for `cites`, `deps --transitive` and `impact`, p50/p95 over 100 different
documents each, on both stores; `kg stats`; the explorer's document page (`kg serve`, GET /doc)
for 100 documents; and a few end-to-end CLI runs. Peak resident memory is sampled for every process
(the build, the scheduler, each worker, the servers with their query workers, this process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
OUT = ROOT / "benchmarks" / "results" / "scale.json"
RUN = 20  # lines per run of body text: long enough to keep a task with its bullets
LOOKUP_BUDGET_MS = 50.0

sys.path.insert(0, str(ROOT))


# -- the corpus -----------------------------------------------------------------------------------

def _preamble_end(text: str, doc) -> int:
    """Offset where the header and "Căn cứ" preamble end: the line after the last legal basis, or
    the first 12 lines when the document gives none."""
    ends = [c.end for c in doc.citations if c.relation == "based_on"]
    if ends:
        cut = text.find("\n", max(ends))
        return len(text) if cut < 0 else cut + 1
    lines = text.splitlines(keepends=True)
    return sum(len(x) for x in lines[:12])


def read_real(corpus: Path) -> list[tuple[str, list[str]]]:
    """(header and preamble, body lines) of every real document."""
    from kg.batch import collect_inputs
    from kg.extract import extract_text
    from kg.ingest import read_source

    files, _, _ = collect_inputs([str(corpus)])
    out = []
    for f in sorted(files):
        src = read_source(f)
        cut = _preamble_end(src.text, extract_text(src.text, src.path, src.kind))
        body = [x for x in src.text[cut:].splitlines() if x.strip()]
        out.append((src.text[:cut], body))
    return out


def make_corpus(real: list[tuple[str, list[str]]], n: int, folder: Path, seed: int = 18) -> list[str]:
    """`n` documents: a real head each (in turn, so every head repeats n/66 times), a body of
    runs of real lines from anywhere in the corpus, as long as a randomly chosen real body."""
    rng = random.Random(seed)
    pool = [body for _, body in real if body]
    paths = []
    for i in range(n):
        head, _ = real[i % len(real)]
        want = len(rng.choice(pool))
        lines: list[str] = []
        while len(lines) < want:
            body = rng.choice(pool)
            a = rng.randrange(max(1, len(body) - RUN))
            lines += body[a:a + RUN]
        p = folder / f"d{i // 1000:02d}" / f"doc{i:05d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(head + "\n".join(lines[:want]) + "\n", encoding="utf-8")
        paths.append(str(p.relative_to(folder)))
    return paths


# -- processes and their memory -------------------------------------------------------------------

class Peaks:
    """Peak RSS per named process (with its children: a server's query workers), sampled."""

    def __init__(self, every: float = 0.2):
        self.procs: dict[str, psutil.Process] = {}
        self.peak_mb: dict[str, float] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._t.start()

    def watch(self, name: str, pid: int) -> None:
        self.procs[name] = psutil.Process(pid)

    def _rss(self, p: psutil.Process) -> float:
        try:
            total = p.memory_info().rss
            for c in p.children(recursive=True):
                try:
                    total += c.memory_info().rss
                except psutil.Error:
                    pass
            return total / 2**20
        except psutil.Error:
            return 0.0

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            for name, p in list(self.procs.items()):
                self.peak_mb[name] = round(max(self.peak_mb.get(name, 0.0), self._rss(p)), 1)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._t.join()
        self.peak_mb["bench (this process)"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return dict(sorted(self.peak_mb.items()))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        import signal

        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(10)


def wait_http(url: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def cluster(work: Path, peaks: Peaks) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and two single-threaded workers, each its own process, over TCP on loopback."""
    port = free_port()
    addr = f"tcp://127.0.0.1:{port}"
    log = work / "dask.log"
    procs = [start(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], work, log)]
    peaks.watch("dask scheduler", procs[0].pid)
    time.sleep(2)
    for i in (1, 2):
        procs.append(start(["dask", "worker", addr, "--nworkers", "1", "--nthreads", "1", "--memory-limit", "0",
                            "--no-dashboard", "--no-nanny"], work, log))
        peaks.watch(f"dask worker {i}", procs[-1].pid)
    from distributed import Client

    with Client(addr, timeout=60) as c:
        c.wait_for_workers(2, timeout=60)
    return addr, procs


def kg(args: list[str], cwd: Path, peaks: Peaks | None = None, name: str = "") -> tuple[float, str]:
    """One `kg` command as a user runs it: (seconds, stderr+stdout)."""
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if peaks is not None:
        peaks.watch(name, p.pid)
    out, err = p.communicate()
    dt = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"kg {' '.join(args[:3])} failed: {err.decode()[-800:]}")
    return dt, err.decode("utf-8", "replace") + out.decode("utf-8", "replace")[:2000]


# -- the questions --------------------------------------------------------------------------------

def _ms(xs: list[float]) -> dict[str, float]:
    s = sorted(xs)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]
    return {"n": len(s), "p50_ms": round(statistics.median(s) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(s[-1] * 1000, 1)}


def samples(store, k: int, seed: int = 18) -> dict[str, list[str]]:
    """100 different cited documents (for cites, impact) and 100 different corpus documents (deps)."""
    rng = random.Random(seed)
    keys = sorted({r["k"] for r in store.query(
        "PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> SELECT DISTINCT ?k WHERE { ?m kg:cited ?d . ?d kg:idKey ?k }")})
    docs = sorted({r["d"] for r in store.query(
        "PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> SELECT DISTINCT ?d WHERE { ?d kg:inCorpus true }")})
    srcs = sorted({r["s"] for r in store.query(
        "PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> SELECT DISTINCT ?s WHERE { ?d kg:inCorpus true ; kg:source ?s }")})
    pick = lambda xs: rng.sample(xs, min(k, len(xs)))  # noqa: E731
    return {"keys": pick(keys), "docs": pick(docs), "sources": pick(srcs), "impact": pick(keys)}


def time_lookups(store, s: dict[str, list[str]]) -> dict[str, dict]:
    from kg.graph import query

    out = {}
    for name, fn, items in (("cites", query.cites, s["keys"]),
                            ("deps --transitive", lambda st, x: query.deps(st, x, True), s["docs"]),
                            ("impact", query.impact, s["impact"])):
        times, rows = [], []
        for x in items:
            t = time.perf_counter()
            rows.append(len(fn(store, x)))
            times.append(time.perf_counter() - t)
        out[name] = {**_ms(times), "rows_p50": statistics.median(rows), "rows_max": max(rows),
                     "slowest": items[times.index(max(times))]}
    return out


def time_stats(store, runs: int) -> dict:
    from kg.graph import query

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        query.stats(store)
        times.append(time.perf_counter() - t)
    return {**_ms(times), "per_query_s": _per_stat(store)}


def _per_stat(store) -> dict[str, float]:
    from kg.graph.query import STATS, run

    out = {}
    for name in STATS:
        t = time.perf_counter()
        run(store, name)
        out[name] = round(time.perf_counter() - t, 2)
    return out


def time_doc_pages(work: Path, store_dir: Path, sources: list[str], peaks: Peaks) -> dict:
    port = free_port()
    p = start([sys.executable, "-m", "kg.cli", "serve", "--store", str(store_dir), "--host", "127.0.0.1", "--port",
               str(port), "--quiet"], work, work / "serve.log")
    peaks.watch("kg serve (with its query workers)", p.pid)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/")
        times, sizes = [], []
        for src in sources:
            t = time.perf_counter()
            with urllib.request.urlopen(f"{base}/doc?{urllib.parse.urlencode({'source': src})}", timeout=120) as r:
                sizes.append(len(r.read()))
            times.append(time.perf_counter() - t)
        return {**_ms(times), "kb_p50": round(statistics.median(sizes) / 1024, 1)}
    finally:
        stop(p)


def cli_runs(work: Path, where: list[str], s: dict[str, list[str]]) -> dict[str, float]:
    out = {}
    for name, args in (("kg cites", ["cites", s["keys"][0]]), ("kg deps --transitive", ["deps", s["docs"][0], "--transitive"]),
                       ("kg impact", ["impact", s["impact"][0]]), ("kg stats", ["stats"])):
        out[name] = round(min(kg([*args, *where, "--format", "json"], work)[0] for _ in range(2)), 2)
    return out


# -- one size -------------------------------------------------------------------------------------

def _triples(summary: str) -> int:
    m = re.search(r"(\d+) triples in", summary)
    return int(m.group(1)) if m else 0


def one_size(real, n: int, work: Path, k: int, stats_runs: int, server: bool) -> dict:
    print(f"== {n} documents", file=sys.stderr, flush=True)
    corpus = work / "corpus"
    paths = make_corpus(real, n, corpus)
    mb = sum((corpus / p).stat().st_size for p in paths) / 1e6
    peaks = Peaks()
    addr, dask = cluster(work, peaks)
    res: dict = {"documents": n, "text_mb": round(mb, 1)}
    ox = None
    try:
        store = work / "store"
        dt, out = kg(["build", "corpus", "--store", str(store), "--scheduler", addr, "--no-progress"], work, peaks,
                     "kg build (embedded)")
        triples = _triples(out)
        res["embedded"] = {"triples": triples, "build_s": round(dt, 1), "docs_per_s": round(n / dt, 1),
                           "triples_per_s": round(triples / dt), "summary": out.strip().splitlines()[0]}
        dt, out = kg(["build", "corpus", "--store", str(store), "--scheduler", addr, "--no-progress"], work)
        res["embedded"]["rebuild_unchanged_s"] = round(dt, 2)
        print(f"   embedded: {res['embedded']}", file=sys.stderr, flush=True)
        if server:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            ox = start(["oxigraph", "serve", "--location", str(work / "ox"), "--bind", f"127.0.0.1:{port}",
                        "--union-default-graph"], work, work / "oxigraph.log")
            peaks.watch("oxigraph serve", ox.pid)
            wait_http(url + "/query?query=ASK%7B%7D")
            dt, out = kg(["build", "corpus", "--endpoint", url, "--scheduler", addr, "--no-progress"], work, peaks,
                         "kg build --endpoint")
            t2 = _triples(out)
            res["oxigraph"] = {"triples": t2, "build_s": round(dt, 1), "docs_per_s": round(n / dt, 1),
                               "triples_per_s": round(t2 / dt)}
            dt, _ = kg(["build", "corpus", "--endpoint", url, "--scheduler", addr, "--no-progress"], work)
            res["oxigraph"]["rebuild_unchanged_s"] = round(dt, 2)
            print(f"   oxigraph: {res['oxigraph']}", file=sys.stderr, flush=True)
    finally:
        for p in dask:
            stop(p)
    try:
        from kg.graph.remote import RemoteStore
        from kg.graph.store import Store

        local = Store.open_read(store)
        s = samples(local, k)
        res["embedded"]["lookups"] = time_lookups(local, s)
        res["embedded"]["stats"] = time_stats(local, stats_runs)
        print(f"   embedded lookups: {res['embedded']['lookups']} stats {res['embedded']['stats']}", file=sys.stderr,
              flush=True)
        res["embedded"]["cli_s"] = cli_runs(work, ["--store", str(store)], s)
        del local
        res["embedded"]["doc_page"] = time_doc_pages(work, store, s["sources"], peaks)
        print(f"   doc page: {res['embedded']['doc_page']}", file=sys.stderr, flush=True)
        if ox is not None:
            remote = RemoteStore(url)
            res["oxigraph"]["lookups"] = time_lookups(remote, s)
            res["oxigraph"]["stats"] = time_stats(remote, 1)
            res["oxigraph"]["cli_s"] = cli_runs(work, ["--endpoint", url], s)
            print(f"   oxigraph lookups: {res['oxigraph']['lookups']}", file=sys.stderr, flush=True)
    finally:
        if ox is not None:
            stop(ox)
    res["peak_rss_mb"] = peaks.stop()
    return res


def machine() -> dict:
    return {"cpus": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30),
            "python": platform.python_version(), "platform": platform.platform()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, action="append", help="documents per size (repeatable; default 400 and 4000)")
    ap.add_argument("--queries", type=int, default=100, help="different documents per lookup")
    ap.add_argument("--no-server", action="store_true", help="the embedded store only")
    ap.add_argument("--quick", action="store_true", help="12 documents, 5 queries, no server: a smoke run")
    ap.add_argument("--append", action="store_true", help="add these sizes to the results file's")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one, removed)")
    ap.add_argument("--out", type=Path, default=None, help=f"results JSON (default {OUT.relative_to(ROOT)}; "
                                                           "--quick writes none unless given)")
    a = ap.parse_args()
    sizes = [12] if a.quick else (a.docs or [400, 4000])
    k = 5 if a.quick else a.queries
    real = read_real(CORPUS)
    rows: list[dict] = []
    t0 = time.perf_counter()
    out = a.out or (None if a.quick else OUT)
    commands = []
    if a.append and out and out.exists():  # sizes measured by an earlier run stay, with its command
        old = json.loads(out.read_text(encoding="utf-8"))
        rows, commands = old["sizes"], old.get("commands") or [old["command"]]
    commands.append("python benchmarks/bench_scale.py " + " ".join(sys.argv[1:]))
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"kg-scale-{n}-", dir=a.work))
        try:
            rows.append(one_size(real, n, work, k, 1 if a.quick else 3, server=not (a.quick or a.no_server)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result = {"commands": commands, "machine": machine(), "real_documents": len(real),
                  "seconds_last_run": round(time.perf_counter() - t0), "sizes": rows}
        if out:  # after every size: a long run that is stopped keeps what it measured
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
