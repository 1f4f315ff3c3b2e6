"""Progress of long command-line work (extraction, the store write): a bar on a terminal, a line
every few seconds otherwise (a log, CI), through rich rather than our own drawing.

Work that ends within `quiet_for` seconds prints nothing off a terminal, so short builds and
their tests keep a clean stderr; on a terminal the bar shows from the start.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def _terminal(stream) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def track(items: Iterable[T], total: int, label: str, enabled: bool | None = None, stream=None,
          every: float = 5.0, quiet_for: float = 2.0) -> Iterator[T]:
    """Yield `items`, showing how many of `total` are done. enabled None: always, as a bar on a
    terminal or as periodic lines otherwise (True, asked for: from the first item on; None: only
    for work that lasts); False: nothing."""
    stream = stream or sys.stderr
    if enabled is True:
        quiet_for = 0.0
    if enabled is False or total <= 0:
        yield from items
        return
    if _terminal(stream):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(file=stream), transient=False) as bar:
            task = bar.add_task(label, total=total)
            for x in items:
                yield x
                bar.advance(task)
        return
    t0 = last = time.monotonic()
    done = 0
    for x in items:
        yield x
        done += 1
        now = time.monotonic()
        if now - t0 >= quiet_for and (now - last >= every or done == total):
            _line(stream, label, done, total, now - t0)
            last = now
    if enabled is True and done < total:  # fewer items than announced (failed files yield none): say where it ended
        _line(stream, label, done, total, time.monotonic() - t0)


def _line(stream, label: str, done: int, total: int, seconds: float) -> None:
    stream.write(f"{label}: {done}/{total} ({100 * done // total}%) after {seconds:.0f} s\n")
    stream.flush()


@contextmanager
def phase(label: str, enabled: bool | None = None, stream=None, quiet_for: float = 2.0, every: float = 5.0):
    """A step without a count (linking spellings, committing): a spinner on a terminal, a line when
    it took long otherwise."""
    stream = stream or sys.stderr
    if enabled is False:
        yield
        return
    t0 = time.monotonic()
    if _terminal(stream):
        from rich.console import Console

        with Console(file=stream).status(label):
            yield
    else:
        import threading

        stop = threading.Event()

        def tick() -> None:  # a line every few seconds while the step runs
            while not stop.wait(every):
                stream.write(f"{label}: still working after {time.monotonic() - t0:.0f} s\n")
                stream.flush()

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
    took = time.monotonic() - t0
    if took >= quiet_for or _terminal(stream):
        stream.write(f"{label}: done in {took:.1f} s\n")
        stream.flush()
