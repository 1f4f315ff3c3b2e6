"""`kg serve` under hostile load: memory per worker, workers that outlive their server, long queries
taking every worker, requests that trickle in (issue 19). Real server processes (tests/servers.py).

Reproducers: an ORDER BY over a cartesian product grew a worker by ~400 MB/s with no limit;
SIGKILL of the server left busy workers running; with --workers 4, four slow queries made a
lookup wait 14 s; a body sent a byte at a time held a thread forever.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import SEED
from kg.graph.build import build
from servers import kg_serve
from test_serve import HEAVY, LOOKUP, get

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("limits") / "store"
    assert not build([str(SEED)], d).failed
    return d


def group_pids(pgid: int) -> set[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.add(int(entry))
    return out


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def in_thread(fn, *args) -> tuple[threading.Thread, dict]:
    """Run fn in a thread; its result (or the error of a connection the test's end closed) in box["r"]."""
    box: dict = {}

    def run() -> None:
        try:
            box["r"] = fn(*args)
        except OSError as e:
            box["r"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, box


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


@needs_proc
def test_runaway_order_by_gets_503_under_the_memory_limit_and_lookups_go_on(store):
    p, url = kg_serve(store, "--worker-memory-mb", "400", "--timeout", "120")
    try:
        peak = 0.0
        t, box = in_thread(get, url, RUNAWAY)
        answered = 0
        started = time.monotonic()
        while t.is_alive() and time.monotonic() - started < 100:
            peak = max([peak] + [rss_mb(pid) for pid in group_pids(p.p.pid) if pid != p.p.pid])
            status, _, _ = get(url, LOOKUP)
            answered += status == 200
            time.sleep(0.05)
        t.join(5)
        status, _, body = box["r"]
        assert status == 503 and "--worker-memory-mb" in body, body
        assert time.monotonic() - started < 100  # stopped by its memory, long before the 120 s timeout
        assert answered >= 1  # lookups were answered while it grew
        assert peak < 400 + 150, f"a worker reached {peak:.0f} MB"  # the limit, plus the shared store pages
        assert get(url, LOOKUP)[0] == 200  # its worker was replaced
    finally:
        p.stop()


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_server(store, sig):
    p, url = kg_serve(store, "--timeout", "300")
    t, _ = in_thread(get, url, HEAVY)  # a worker busy in Rust: it never reads its pipe
    time.sleep(1.5)
    workers = group_pids(p.p.pid) - {p.p.pid}
    assert len(workers) >= 2
    os.kill(p.p.pid, sig)  # the server alone, not its group
    end = time.monotonic() + 10
    while time.monotonic() < end and group_pids(p.p.pid) & workers:
        time.sleep(0.1)
    left = group_pids(p.p.pid) & workers
    p.stop()
    assert not left, f"workers outlived the server: {left}"


def test_lookups_keep_a_worker_while_long_queries_take_the_rest(store):
    """--workers 4: four queries of minutes; a lookup still answers (it waited 14 s before)."""
    p, url = kg_serve(store, "--workers", "4", "--timeout", "60")
    try:
        slow = [in_thread(get, url, HEAVY) for _ in range(4)]
        time.sleep(1.0)  # all four past the 50 ms mark: long
        refused = [box["r"] for t, box in slow if not t.is_alive()]
        assert len(refused) == 1 and refused[0][0] == 503 and "busy" in refused[0][2]  # the lane holds three
        for _ in range(5):
            assert get(url, LOOKUP)[0] == 200
        assert sum(t.is_alive() for t, _ in slow) == 3  # answered while the three long ones still ran
    finally:
        p.stop()


def _connect(url: str) -> socket.socket:
    u = urlsplit(url)
    return socket.create_connection((u.hostname, u.port), timeout=30)


def _trickle(sock: socket.socket, head: bytes, drip: bytes, limit: float) -> float:
    """Send head, then drip a byte every 0.2 s; seconds until the server closed the connection."""
    t0 = time.monotonic()
    sock.sendall(head)
    for b in drip:
        if time.monotonic() - t0 > limit:
            break
        try:
            sock.sendall(bytes([b]))
        except OSError:
            return time.monotonic() - t0
        sock.settimeout(0.2)
        try:
            if sock.recv(1 << 16) == b"":
                return time.monotonic() - t0
        except TimeoutError:
            pass
        except OSError:
            return time.monotonic() - t0
    return time.monotonic() - t0


def test_a_trickled_body_or_header_is_dropped_at_the_deadline(store):
    p, url = kg_serve(store, "--request-deadline", "2")
    try:
        body = b"query=" + b"x" * 200
        head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body))
        with _connect(url) as s:
            assert _trickle(s, head, body, limit=20) < 6
        with _connect(url) as s:  # headers a byte at a time
            assert _trickle(s, b"GET /healthz HTTP/1.1\r\n", b"X-Slow: " + b"y" * 200, limit=20) < 6
        assert get(url, LOOKUP)[0] == 200
    finally:
        p.stop()
