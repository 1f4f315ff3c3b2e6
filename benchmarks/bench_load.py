"""Load: 20 concurrent clients send 500 mixed SPARQL queries to `kg serve` and to Oxigraph's server.

The question is the one the issue measured on rdflib-endpoint (a 3 ms lookup waited 11 s behind a
GROUP BY): do quick lookups stay quick while slow aggregates run? The mix is 80% lookups (who
cites a document, what a node rests on, a node's properties) and 20% aggregates (100-300 ms each
over the real corpus: counts by level and year, absent documents, most cited keys, triples by
predicate). The queries are fixed here, not the shipped .rq files, so the numbers stay comparable
while those change.

Both servers read the same snapshot of the same store: `oxigraph serve-read-only` opens the
store's current snapshot directly (it is an Oxigraph database), with --union-default-graph.
Before the load, each distinct aggregate and a sample of lookups are checked to give the same rows
on both. Loopback only, every process started and stopped here, a global deadline; exit status 1
when a query failed or the lookups' p95 through `kg serve` is 100 ms or more.

    python benchmarks/bench_load.py [--store DIR] [--clients 20] [--queries 500]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SEED = ROOT / "corpus" / "kh-khcn-tayninh-2023.txt"
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
DEADLINE_S = 900

P = """PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
LOOKUPS = {
    "cites": P + """SELECT ?kind ?label ?source ?line ?quote WHERE {
  ?cited kg:idKey $KEY .
  ?m a kg:Mention ; kg:cited ?cited ; kg:citing ?citer ; kg:quote ?quote ; kg:source ?source ; kg:line ?line .
  ?citer kg:kind ?kind ; rdfs:label ?label .
} ORDER BY ?source ?line ?quote""",
    "rests_on": P + """SELECT ?prop ?to ?label WHERE {
  VALUES ?prop { eli:based_on eli:cites kg:guides eli:amends kg:replaces eli:repeals }
  $NODE ?prop ?to . OPTIONAL { ?to rdfs:label ?label }
} ORDER BY ?prop ?to ?label""",
    "describe": P + "SELECT ?p ?o WHERE { $NODE ?p ?o } ORDER BY ?p ?o",
}
AGGREGATES = {
    "by_level_year": P + """SELECT ?level ?year (COUNT(?m) AS ?citations) WHERE {
  ?m a kg:Mention ; kg:cited ?cited .
  OPTIONAL { ?cited kg:issuerLevel ?lv } OPTIONAL { ?cited eli:date_document ?d }
  BIND(COALESCE(?lv, "unknown") AS ?level) BIND(IF(BOUND(?d), STR(YEAR(?d)), "unknown") AS ?year)
} GROUP BY ?level ?year ORDER BY ?level DESC(?year)""",
    "absent": P + """SELECT ?label (COUNT(DISTINCT ?doc) AS ?citing) WHERE {
  ?m a kg:Mention ; kg:cited ?cited ; kg:inDocument ?doc . ?cited rdfs:label ?label .
  FILTER NOT EXISTS { ?cited kg:inCorpus true }
} GROUP BY ?label ORDER BY DESC(?citing) ?label""",
    "top_cited": P + """SELECT ?key (COUNT(?m) AS ?n) WHERE { ?m kg:cited ?d . ?d kg:idKey ?key }
GROUP BY ?key ORDER BY DESC(?n) ?key LIMIT 25""",
    "by_predicate": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p",
}


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# -- processes ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    def __init__(self, argv: list[str]):
        self.lines: list[str] = []
        self.p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
        threading.Thread(target=lambda: [self.lines.append(x.rstrip()) for x in self.p.stderr], daemon=True).start()

    def stop(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.p.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                continue


def start_kg(store: Path) -> tuple[Proc, str]:
    p = Proc([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", "0", "--quiet"])
    end = time.monotonic() + 60
    while time.monotonic() < end:
        for line in p.lines:
            if line.startswith("kg serve: http://"):
                return p, line.split()[2].rstrip("/") + "/sparql"
        if p.p.poll() is not None:
            break
        time.sleep(0.05)
    p.stop()
    raise SystemExit("kg serve did not start:\n" + "\n".join(p.lines[-20:]))


def start_oxigraph(store: Path) -> tuple[Proc, str]:
    exe = shutil.which("oxigraph")
    if exe is None:
        raise SystemExit("the `oxigraph` binary is absent: pip install oxigraph")
    port = free_port()
    snapshot = os.path.realpath(store / "current")
    p = Proc([exe, "serve-read-only", "--location", snapshot, "--bind", f"127.0.0.1:{port}",
              "--union-default-graph"])
    url = f"http://127.0.0.1:{port}/query"
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            if post(url, "ASK {}")[0] == 200:
                return p, url
        except OSError:
            time.sleep(0.05)
    p.stop()
    raise SystemExit("oxigraph did not start:\n" + "\n".join(p.lines[-20:]))


# -- HTTP ---------------------------------------------------------------------------------------

def post(url: str, query: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    u = urlsplit(url)
    own = conn is None
    conn = conn or http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    try:
        conn.request("POST", u.path, body=query.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-query",
                              "Accept": "application/sparql-results+json"})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        if own:
            conn.close()


def rows(body: bytes) -> list:
    data = json.loads(body)
    return [sorted((k, v["type"], v["value"]) for k, v in b.items()) for b in data["results"]["bindings"]]


# -- the load -----------------------------------------------------------------------------------

def workload(store: Path, n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, name, query) × n: 80% lookups on keys and nodes taken from the store, 20% aggregates."""
    from kg.graph.store import Store

    s = Store.open_read(store)
    keys = sorted(r["key"] for r in s.query(P + "SELECT DISTINCT ?key WHERE { ?m kg:cited ?d . ?d kg:idKey ?key }"))
    nodes = sorted(r["s"] for r in s.query(P + "SELECT DISTINCT ?s WHERE { ?s eli:based_on|eli:cites ?o }"))
    s.close()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 5 == 4:
            name = rng.choice(sorted(AGGREGATES))
            out.append(("aggregate", name, AGGREGATES[name]))
        else:
            name = rng.choice(sorted(LOOKUPS))
            q = LOOKUPS[name].replace("$KEY", _lit(rng.choice(keys))).replace("$NODE", f"<{rng.choice(nodes)}>")
            out.append(("lookup", name, q))
    rng.shuffle(out)
    return out


def run_load(url: str, jobs: list[tuple[str, str, str]], clients: int, deadline: float) -> dict:
    todo = list(enumerate(jobs))
    lock = threading.Lock()
    results: list[tuple[str, str, int, float, str]] = []

    def client() -> None:
        u = urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        while time.monotonic() < deadline:
            with lock:
                if not todo:
                    break
                _, (kind, name, q) = todo.pop(0)
            t0 = time.perf_counter()
            try:
                status, body = post(url, q, conn)
                err = "" if status == 200 else body[:200].decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as e:
                status, err = 0, f"{type(e).__name__}: {e}"
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
            took = time.perf_counter() - t0
            with lock:
                results.append((kind, name, status, took, err))
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0

    def stat(sel) -> dict:
        lat = sorted(r[3] * 1000 for r in results if sel(r))
        if not lat:
            return {"n": 0}
        return {"n": len(lat), "p50_ms": round(statistics.median(lat), 1),
                "p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1), "max_ms": round(lat[-1], 1)}

    errors = [r for r in results if r[2] != 200]
    return {"queries": len(results), "unsent": len(jobs) - len(results), "errors": len(errors),
            "error_examples": sorted({f"{r[1]}: {r[2]} {r[4]}" for r in errors})[:5],
            "wall_s": round(wall, 2), "throughput_qps": round(len(results) / wall, 1),
            "lookups": stat(lambda r: r[0] == "lookup"), "aggregates": stat(lambda r: r[0] == "aggregate"),
            "all": stat(lambda r: True)}


def same_answers(a: str, b: str, jobs: list[tuple[str, str, str]]) -> list[str]:
    """Names of the queries whose rows differ between the two servers (checked before the load)."""
    seen, bad = set(), []
    sample = [j for j in jobs if j[0] == "aggregate"] + [j for j in jobs if j[0] == "lookup"][:30]
    for kind, name, q in sample:
        if q in seen:
            continue
        seen.add(q)
        (sa, ba), (sb, bb) = post(a, q), post(b, q)
        if sa != 200 or sb != 200 or rows(ba) != rows(bb):
            bad.append(f"{name} ({sa}/{sb})")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="a built store (default: build the real corpus, or the seed)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    deadline = time.monotonic() + DEADLINE_S
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    procs: list[Proc] = []
    try:
        store = args.store
        corpus = CORPUS if CORPUS.is_dir() else SEED
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        if store is None:
            from kg.graph.build import build

            store = tmp / "store"
            rep = build([str(corpus)], store, workers=min(4, os.cpu_count() or 1))
            print(f"built {corpus.name}: {len(rep.added)} documents, {rep.triples} triples in {rep.seconds:.1f} s",
                  file=sys.stderr)
        jobs = workload(store, args.queries)
        kg_proc, kg_url = start_kg(store)
        procs.append(kg_proc)
        ox_proc, ox_url = start_oxigraph(store)
        procs.append(ox_proc)
        differ = same_answers(kg_url, ox_url, jobs)
        from kg.graph.store import Store

        s = Store.open_read(store)
        triples = len(s)
        s.close()
        out = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
               "load_average_before": load_before, "triples": triples,
               "corpus": corpus.name if args.store is None else str(args.store), "clients": args.clients,
               "mix": "80% lookups (cites, rests_on, describe), 20% aggregates (by_level_year, absent, "
                      "top_cited, by_predicate)",
               "answers_differ": differ, "servers": {}}
        for name, url in (("kg serve", kg_url), ("oxigraph serve-read-only", ox_url)):
            warm = workload(store, 2 * args.clients, seed=1)
            run_load(url, warm, args.clients, deadline)  # let the pool grow, the caches fill
            out["servers"][name] = run_load(url, jobs, args.clients, deadline)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    finally:
        for p in procs:
            p.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{args.clients} clients, {args.queries} queries ({out['mix']}) on {out['corpus']}, "
          f"{out['cpus']} CPUs\n")
    print("| server | errors | throughput q/s | lookups p50 / p95 ms | aggregates p50 / p95 ms | wall s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in out["servers"].items():
        lk, ag = r["lookups"], r["aggregates"]
        print(f"| {name} | {r['errors']} | {r['throughput_qps']} | {lk.get('p50_ms')} / {lk.get('p95_ms')} | "
              f"{ag.get('p50_ms')} / {ag.get('p95_ms')} | {r['wall_s']} |")
    if differ:
        print(f"\nanswers differ between the servers: {differ}")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    kg = out["servers"]["kg serve"]
    ok = not differ and all(r["errors"] == 0 and r["unsent"] == 0 for r in out["servers"].values()) \
        and kg["lookups"].get("p95_ms", 1e9) < 100
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
