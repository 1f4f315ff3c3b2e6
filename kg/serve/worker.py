"""One query worker: a process that owns a read-only handle on the store and runs one query at a time.

Why processes: a SPARQL query in pyoxigraph runs in Rust and cannot be interrupted from Python,
so the only deadline that really stops a runaway query (and frees its core) is killing the process
running it. One query per process means a kill never takes an innocent query with it.

Why this is cheap: pyoxigraph releases the GIL while it evaluates (measured: 1 ms lookups kept
their 0.5 ms median while a 15 s GROUP BY ran in another thread), and RocksDB lets any number of
read-only handles share one store, so workers neither wait on each other nor copy the data.

A build swaps the store's `current` link to a new snapshot and deletes the old one; every job
checks the link first and reopens when it moved, so the server follows builds without a restart.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.serve.formats import GRAPHS, RESULTS, content_type

# Under `python -m kg.cli serve`, multiprocessing runs kg.cli again as each worker's __main__ while
# the forkserver already holds it (preloaded, kg.serve.pool): harmless, but runpy warns every time.
warnings.filterwarnings("ignore", message="'kg.cli' found in sys.modules", category=RuntimeWarning)


class TooLarge(Exception):
    pass


class _Capped:
    """A file-like sink that stops the serializer once the result passes the size limit."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, b: bytes) -> int:
        self.size += len(b)
        if self.size > self.limit:
            raise TooLarge()
        self.parts.append(bytes(b))
        return len(b)

    def flush(self) -> None:
        pass


class Handle:
    """The store as of the latest snapshot, reopened when `current` moves."""

    def __init__(self, store_dir: str):
        self.current = Path(store_dir) / "current"
        self.target: str | None = None
        self.store: ox.Store | None = None

    def get(self) -> ox.Store:
        target = os.path.realpath(self.current)
        if self.store is None or target != self.target:
            if not os.path.isdir(target):
                raise FileNotFoundError(f"no graph at {self.current.parent}: run `kg build` first")
            self.store, self.target = ox.Store.read_only(target), target
        return self.store

    def drop(self) -> None:
        self.store = self.target = None


def execute(handle: Handle, job: dict[str, Any]) -> tuple:
    """("ok", content type, body) or ("err", HTTP status, message)."""
    kw: dict[str, Any] = {"use_default_graph_as_union": True}
    default, named = job.get("default_graphs") or [], job.get("named_graphs") or []
    if default or named:  # SPARQL 1.1 Protocol: the request's graphs are the whole dataset
        try:
            kw = {"default_graph": [ox.NamedNode(g) for g in default],
                  "named_graphs": [ox.NamedNode(g) for g in named]}
        except ValueError as e:
            return ("err", 400, f"default-graph-uri or named-graph-uri is not an IRI: {e}")
    for attempt in (1, 2):
        try:
            res = handle.get().query(job["query"], **kw)
            return _serialize(res, job)
        except SyntaxError as e:
            return ("err", 400, f"SPARQL syntax error: {e}")
        except TooLarge:
            return ("err", 422, f"the result is larger than the server's limit of {job['max_bytes']} bytes; "
                                "add LIMIT (and OFFSET to page) or select fewer variables")
        except (OSError, RuntimeError) as e:
            if attempt == 1 and isinstance(e, OSError) and handle.target and not os.path.isdir(handle.target):
                handle.drop()  # the snapshot was replaced under us: retry on the new one
                continue
            return ("err", 400 if isinstance(e, RuntimeError) else 500, f"query failed: {e}")
        except ValueError as e:
            return ("err", 400, f"query failed: {e}")
    return ("err", 500, "the store changed twice during one query; try again")


def _serialize(res: Any, job: dict[str, Any]) -> tuple:
    sink = _Capped(job["max_bytes"])
    if isinstance(res, ox.QueryTriples):
        media = job.get("graph_type")
        if not media:
            return ("err", 406, "a CONSTRUCT or DESCRIBE query answers with a graph: ask for one of "
                                + ", ".join(GRAPHS))
        res.serialize(sink, format=GRAPHS[media])
    else:
        media = job.get("results_type")
        if not media:
            return ("err", 406, "a SELECT or ASK query answers with results: ask for one of " + ", ".join(RESULTS))
        res.serialize(sink, format=RESULTS[media])
    return ("ok", content_type(media), b"".join(sink.parts))


def update(store_dir: str, text: str) -> tuple:
    """An update goes into a fresh snapshot that replaces `current` atomically, as a build does."""
    from kg.graph.store import Store

    try:
        snap = Store.begin_build(store_dir)
    except RuntimeError as e:  # a `kg build` holds the store's lock
        return ("err", 409, str(e))
    try:
        snap._s.update(text)  # Store has no update method: the server is its only writer of raw SPARQL
    except SyntaxError as e:
        snap.abort()
        return ("err", 400, f"SPARQL syntax error: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        snap.abort()
        return ("err", 400, f"update failed: {e}")
    snap.commit()
    snap.close()
    return ("ok", "text/plain; charset=utf-8", b"")


def die_with_parent() -> None:
    """End this worker when the process that started it ends, whatever signal ended that.

    A worker busy in a Rust query never reads its pipe, so it cannot notice EOF: killing the
    server with SIGKILL left such workers running (one grew to 12.8 GB). Its parent is the pool's
    forkserver, which exits once nothing holds its "alive" pipe; multiprocessing hands that pipe
    to every child, so a busy worker kept the forkserver alive and the forkserver kept it: the
    worker closes it here. When the forkserver exits, the kernel sends this process SIGKILL
    (PR_SET_PDEATHSIG, Linux); elsewhere, and for a parent already gone, a thread watches.
    """
    import threading
    import time

    _close_forkserver_alive_fd()
    parent = os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="kg-parent-watch").start()


def _close_forkserver_alive_fd() -> None:
    try:
        from multiprocessing import forkserver

        fd = forkserver._forkserver._forkserver_alive_fd
        if fd is not None:
            forkserver._forkserver._forkserver_alive_fd = None
            os.close(fd)
    except (AttributeError, OSError):  # not started by a forkserver
        pass


def limit_memory(memory_mb: int | None) -> None:
    """Cap this worker's heap (RLIMIT_DATA: what it allocates, not the store's shared mappings;
    RLIMIT_AS where the former is missing). A query past it fails its allocation and this
    process ends or answers MemoryError; the pool answers 503 and starts a fresh worker."""
    if not memory_mb:
        return
    import resource

    which = getattr(resource, "RLIMIT_DATA", None) or resource.RLIMIT_AS
    limit = int(memory_mb) * 1024 * 1024
    try:
        _, hard = resource.getrlimit(which)
        resource.setrlimit(which, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ValueError, OSError):
        pass


MEMORY = ("the query needed more memory than a query worker may use ({mb} MB, the server's "
          "--worker-memory-mb); narrow it or add LIMIT")


def main(conn, store_dir: str, memory_mb: int | None = None) -> None:
    """The worker loop: say hello (or why the store cannot be opened), then answer jobs until EOF."""
    die_with_parent()
    limit_memory(memory_mb)
    handle = Handle(store_dir)
    try:
        n = len(handle.get())
        conn.send(("ready", n))
    except Exception as e:  # noqa: BLE001 - the parent reports it as the reason the server cannot start
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = _answer(handle, store_dir, job)
        except MemoryError:  # the allocation that failed is gone; the process may be fragmented: retire it
            reply = ("err", 503, MEMORY.format(mb=memory_mb), "retire")
        except Exception as e:  # noqa: BLE001 - one bad job must not kill the worker
            reply = ("err", 500, f"internal error: {type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (OSError, ValueError, MemoryError):
            return


def _answer(handle: Handle, store_dir: str, job: dict[str, Any]) -> tuple:
    if job.get("update") is not None:
        reply = update(store_dir, job["update"])
        handle.drop()
        return reply
    return execute(handle, job)
