"""An elastic pool of query worker processes with a deadline per query.

Every request takes a whole worker for its query: a 1 ms lookup never queues behind a GROUP BY as
long as a worker is free, and the pool keeps `spare` workers idle, growing on demand up to `size`,
so that one is. A query past its deadline gets its worker killed (the only way to stop a query
inside pyoxigraph) and the client a 503; a replacement starts in the background. Idle workers
beyond `spare` are let go after a minute, so a quiet server holds only a few processes.

Priorities: a query still running after `slow_after` (50 ms) has its process niced (+10), so that
on a busy machine the lookups that arrive meanwhile get the CPU first, whatever the number of
aggregates running. Measured on 2 busy cores, 20 clients, one query in five an aggregate: lookups
took 42 ms (p50) and 103 ms (p95) without it, 11 and 48 ms with it (benchmarks/bench_load.py).
The worker gets its priority back afterwards, or, where only root may do that, is replaced.

Capacity for lookups: at most `long_lane` queries (all workers but `reserve`, a quarter by
default) may run past `slow_after` at once; one more is refused with 503 and Retry-After, so the
reserved workers are always there for the next short query (with 4 workers and 4 slow queries a
lookup waited 14 s). Memory: each worker runs under `memory_mb` (kg.serve.worker.limit_memory); a
query past it ends its worker, and the client gets 503 while a replacement starts.

Workers are forked from a forkserver that has pyoxigraph and kg imported already, not from the
threaded HTTP server itself (forking a process with threads is unsafe), so a new worker is ready in
tens of milliseconds. kg.cli is preloaded too: multiprocessing runs the parent's main module again
in every child, and under `python -m kg.cli` that re-imported the command line (130 ms) per worker.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from typing import Any


class PoolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _context():
    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["__main__", "kg.serve.worker", "kg.cli"])
        return ctx
    except ValueError:  # no forkserver on this platform
        return mp.get_context("spawn")


SLOW_NICE = 10  # CFS weight 110 against 1024: a lookup gets ~90% of a core from a long aggregate


def _nice(w: "_Worker", value: int) -> bool:
    """Set a worker's CPU priority; False where the OS refuses (raising it back needs privileges)."""
    if not hasattr(os, "setpriority"):
        return value == 0
    try:
        os.setpriority(os.PRIO_PROCESS, w.proc.pid, value)
    except (PermissionError, ProcessLookupError, OSError):
        return False
    w.nice = value
    return True


class _Worker:
    def __init__(self, ctx, store_dir: str, registry: set, memory_mb: int | None = None):
        from kg.serve.worker import main

        self.registry = registry
        registry.add(self)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=main, args=(child, store_dir, memory_mb), daemon=True, name="kg-query")
        self.proc.start()
        child.close()
        self.idle_since = time.monotonic()
        self.nice = 0
        self.long = False  # running past slow_after: in the long lane

    def hello(self, timeout: float) -> tuple:
        if not self.conn.poll(timeout):
            self.kill()
            raise PoolError(503, f"a query worker did not start within {timeout:.0f} s")
        try:
            return self.conn.recv()
        except EOFError:
            self.kill()
            raise PoolError(500, "a query worker died while starting") from None

    def kill(self) -> None:
        self.registry.discard(self)
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            self.conn.close()
        except OSError:  # closed by another thread at shutdown
            pass


def default_reserve(size: int) -> int:
    """Workers kept from long queries for the ones that arrive next: a quarter, at least one."""
    return 0 if size <= 1 else max(1, size // 4)


class Pool:
    def __init__(self, store_dir: str, size: int = 32, spare: int = 2, start_timeout: float = 60.0,
                 slow_after: float = 0.05, memory_mb: int | None = None, reserve: int | None = None):
        self.store_dir = str(store_dir)
        self.slow_after = slow_after
        self.size = max(1, size)
        self.memory_mb = memory_mb
        reserve = default_reserve(self.size) if reserve is None else reserve
        self.long_lane = max(1, self.size - max(0, reserve))  # most queries running long at once
        self._long = 0
        self.spare = max(1, min(spare, self.size))
        self.start_timeout = start_timeout
        self._ctx = _context()
        self._idle: deque[_Worker] = deque()
        self._count = 0  # slots taken: idle, busy and starting workers
        self._starting = 0
        self._all: set[_Worker] = set()  # busy ones too: a shutdown must stop their queries
        self._cv = threading.Condition()
        self._closed = False
        self.triples = 0
        with self._cv:
            self._count = self.spare
        for _ in range(self.spare):  # synchronously: a store that cannot be opened stops the start
            self._release(self._fill())
        self._janitor = threading.Thread(target=self._reap, daemon=True, name="kg-pool-janitor")
        self._janitor.start()

    # -- slots and workers -------------------------------------------------------------------
    def _fill(self) -> _Worker:
        """A ready worker for a slot already counted; the slot is given back if it fails."""
        try:
            w = _Worker(self._ctx, self.store_dir, self._all, self.memory_mb)
            msg = w.hello(self.start_timeout)
            if msg[0] != "ready":
                w.kill()
                raise PoolError(500, f"cannot open the store: {msg[1]}")
        except BaseException:
            self._free_slot()
            raise
        self.triples = msg[1]
        return w

    def _free_slot(self) -> None:
        with self._cv:
            self._count -= 1
            self._cv.notify()

    def _grow(self) -> None:
        """Keep a worker ready for the next request, started in the background: no request waits
        for a fork it did not need."""
        with self._cv:
            if self._closed or len(self._idle) + self._starting >= self.spare or self._count >= self.size:
                return
            self._count += 1
            self._starting += 1

        def run() -> None:
            try:
                w = self._fill()
            except Exception:  # noqa: BLE001 - the next request tries again
                w = None
            with self._cv:
                self._starting -= 1
            if w is not None:
                self._release(w)

        threading.Thread(target=run, daemon=True, name="kg-pool-grow").start()

    def _release(self, w: _Worker) -> None:
        with self._cv:
            if not self._closed:
                w.idle_since = time.monotonic()
                self._idle.append(w)
                self._cv.notify()
                return
            self._count -= 1
        w.kill()

    def _acquire(self, deadline: float) -> _Worker:
        with self._cv:
            while True:
                if self._closed:
                    raise PoolError(503, "the server is shutting down")
                if self._idle:
                    w: _Worker | None = self._idle.pop()  # the most recently used: its caches are warm
                    break
                if self._count < self.size:
                    self._count += 1
                    w = None
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PoolError(503, f"all {self.size} query workers stayed busy; try again shortly")
                self._cv.wait(left)
        self._grow()
        return w if w is not None else self._fill()

    # -- running -----------------------------------------------------------------------------
    def run(self, job: dict[str, Any], timeout: float) -> tuple:
        """The worker's reply, or PoolError (503 on timeout, memory, or when every worker stays busy)."""
        deadline = time.monotonic() + timeout
        w = self._acquire(deadline)
        try:
            reply = self._exchange(w, job, deadline, timeout)
        except PoolError:
            self._retire(w)
            raise
        finally:
            self._leave_long_lane(w)
        if len(reply) > 3 or (w.nice and not _nice(w, 0)):  # "retire", or the nice value cannot come back
            self._retire(w)
        else:
            self._release(w)
        return reply[:3]

    def _exchange(self, w: _Worker, job: dict[str, Any], deadline: float, timeout: float) -> tuple:
        try:
            w.conn.send(job)
            ready = w.conn.poll(max(0.0, min(self.slow_after, deadline - time.monotonic())))
            if not ready and time.monotonic() < deadline:
                self._enter_long_lane(w)
                _nice(w, SLOW_NICE)  # a long query yields the CPU to the quick ones that arrive meanwhile
                ready = w.conn.poll(max(0.0, deadline - time.monotonic()))
            if not ready:
                raise PoolError(503, f"the query was stopped after {timeout:g} s (the server's --timeout); "
                                     "narrow it or add LIMIT")
            return w.conn.recv()
        except (EOFError, OSError):
            raise self._died(w) from None

    def _enter_long_lane(self, w: _Worker) -> None:
        """Long queries may hold at most `long_lane` workers: the others stay for new queries, so a
        lookup never waits behind a wall of aggregates (with 4 workers and 4 slow queries a lookup
        waited 14 s). A long query past that is refused now, while its client can retry."""
        with self._cv:
            if self._long >= self.long_lane:
                raise PoolError(503, f"the server is busy with {self._long} long queries (the most it runs at "
                                     f"once with {self.size} workers); try again shortly")
            self._long += 1
            w.long = True

    def _leave_long_lane(self, w: _Worker) -> None:
        with self._cv:
            if w.long:
                self._long -= 1
                w.long = False

    def _retire(self, w: _Worker) -> None:
        """Kill a worker whose query was stopped (or that died) and start its replacement."""
        w.kill()
        self._free_slot()
        self._grow()

    def _died(self, w: _Worker) -> PoolError:
        w.proc.join(2)
        code = w.proc.exitcode
        if self._closed:
            return PoolError(503, "the server is shutting down")
        if code is not None and code < 0 and -code in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV):
            from kg.serve.worker import MEMORY  # a failed allocation aborts the Rust query engine

            return PoolError(503, MEMORY.format(mb=self.memory_mb))
        return PoolError(500, f"the query worker died while running this query (exit status {code})")

    def _reap(self) -> None:
        while not self._closed:
            time.sleep(5)
            now = time.monotonic()
            gone = []
            with self._cv:
                while len(self._idle) > self.spare and now - self._idle[0].idle_since > 60:
                    gone.append(self._idle.popleft())
                    self._count -= 1
            for w in gone:
                w.kill()

    def stats(self) -> dict[str, int]:
        with self._cv:
            return {"workers": self._count, "idle": len(self._idle), "max": self.size, "long": self._long,
                    "long_lane": self.long_lane}

    def close(self) -> None:
        """Stop every worker, busy ones included: their clients get a 503 or a closed socket."""
        with self._cv:
            self._closed = True
            self._idle.clear()
            self._cv.notify_all()
        for w in list(self._all):
            w.kill()
