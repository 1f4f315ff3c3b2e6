"""Run a function over many files so that no file is silently dropped.

Officers point ``kg`` at folders of mixed files. Every input ends up in exactly one of three lists:
``ok`` (read and processed), ``failed`` (with a one-line reason) or ``skipped`` (not a document
type we read, found while walking a folder). A bad file never stops the batch: reading errors
carry the reader's reason, and a bug in the processing function is reported as an internal error
for that file alone.
"""

from __future__ import annotations

import errno
import os
import pickle
import stat
import sys
from collections import deque
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from kg.ingest.names import display_path
from kg.ingest.readers import DEFAULT_MAX_BYTES, IngestError, Limits, Source, read_source

T = TypeVar("T")

SUPPORTED = (".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm")


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class BatchResult(Generic[T]):
    ok: list[tuple[str, T]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def all_ok(self) -> bool:
        return not self.failed


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _stat_failure(path: str, e: OSError) -> Failure:
    if e.errno == errno.ELOOP:
        return Failure(path, "symbolic link loop")
    if e.errno == errno.ENOENT:
        if os.path.islink(path):
            return Failure(path, "broken symbolic link (its target does not exist)")
        return Failure(path, "no such file or folder")
    if e.errno in (errno.EACCES, errno.EPERM):
        return Failure(path, "cannot access: permission denied")
    return Failure(path, f"cannot access: {e.strerror or e}")


def _hidden(name: str) -> bool:
    # Dot-files and Word's "~$name.docx" lock files are not documents.
    return name.startswith(".") or name.startswith("~$")


def collect_inputs(paths: Iterable[str]) -> tuple[list[str], list[Failure], list[str]]:
    """(files, failures, skipped) for the given files and folders.

    Folders are walked recursively in sorted order and give their files with a supported suffix;
    their other files, hidden files and hidden folders are listed as skipped. A file named
    explicitly is taken whatever its suffix. Missing paths, broken links and symbolic link loops
    (a link to a file that links back, or a link to a folder that contains it) become failures.
    The same file reached twice (named twice, or through a link) is kept once.
    """
    files: list[str] = []
    failures: list[Failure] = []
    skipped: list[str] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def add_file(path: str, st: os.stat_result) -> None:
        key = (st.st_dev, st.st_ino)
        if key not in seen_files:
            seen_files.add(key)
            files.append(path)

    def walk(folder: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            failures.append(Failure(folder, f"cannot list folder: {e.strerror or e}"))
            return
        for entry in entries:
            path = entry.path
            if _hidden(entry.name):
                skipped.append(path)
                continue
            try:
                st = os.stat(path)
            except OSError as e:
                supported = os.path.splitext(entry.name)[1].lower() in SUPPORTED
                if e.errno == errno.ELOOP or supported or entry.is_dir(follow_symlinks=False):
                    failures.append(_stat_failure(path, e))
                else:
                    skipped.append(path)
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    failures.append(Failure(path, "symbolic link loop: it leads back to a folder that contains it"))
                elif key not in seen_dirs:
                    seen_dirs.add(key)
                    walk(path, ancestors | {key})
            elif os.path.splitext(entry.name)[1].lower() in SUPPORTED:
                add_file(path, st)
            else:
                skipped.append(path)

    for raw in paths:
        path = os.fspath(raw)
        try:
            st = os.stat(path)
        except OSError as e:
            failures.append(_stat_failure(path, e))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key not in seen_dirs:
                seen_dirs.add(key)
                walk(path, frozenset({key}))
        else:
            add_file(path, st)
    return files, failures, skipped


def _process(path: str, fn: Callable[[Source], T], max_bytes: int,
             limits: Limits | None = None) -> tuple[bool, object]:
    """(True, value) or (False, reason); never raises, so one file cannot stop the batch."""
    try:
        source = read_source(path, max_bytes=max_bytes, limits=limits)
    except IngestError as e:
        return False, e.reason
    except MemoryError:  # this file was too much for the machine, not the batch's end
        return False, "out of memory while reading this file"
    except Exception as e:  # a reader bug: still this file's failure, not the batch's
        return False, f"internal error: {type(e).__name__}: {_one_line(e)}"
    try:
        return True, fn(source)
    except IngestError as e:
        return False, e.reason
    except Exception as e:
        return False, f"internal error: {type(e).__name__}: {_one_line(e)}"


def _executor(fn: Callable, workers: int) -> Executor:
    """Processes when the function can be sent to them (PDF parsing is pure Python), else threads."""
    try:
        pickle.dumps(fn)
    except Exception:
        return ThreadPoolExecutor(max_workers=workers)
    return ProcessPoolExecutor(max_workers=workers)


def _outcomes(files: list[str], fn: Callable[[Source], T], max_bytes: int, workers: int,
              limits: Limits | None = None) -> Iterator[tuple[str, bool, object]]:
    """(path, ok, value or reason) per file, in input order, each as soon as it and those before it
    are done. With workers, at most 2 x workers files are in flight: results are handed on, not
    piled up, so a batch's memory does not grow with its length."""
    if workers <= 1 or len(files) <= 1:
        for path in files:
            yield (path, *_process(path, fn, max_bytes, limits))
        return
    with _executor(fn, workers) as pool:
        pending: deque = deque()
        todo = iter(files)
        for path in todo:
            pending.append((path, pool.submit(_process, path, fn, max_bytes, limits)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            path, future = pending.popleft()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_process, nxt, fn, max_bytes, limits)))
            try:
                ok, value = future.result()
            except Exception as e:  # a result that cannot travel back, a worker that died
                ok, value = False, f"internal error: {type(e).__name__}: {_one_line(e)}"
            yield path, ok, value


def stream_batch(
    paths: Iterable[str],
    fn: Callable[[Source], T],
    result: BatchResult,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int = 1,
    progress: bool = False,
    keep: bool = True,
    limits: Limits | None = None,
) -> Iterator[tuple[str, T]]:
    """Yield (path, value) of every good file as soon as it is done, in input order.

    Why a generator: a caller that writes each result as it comes (``kg extract``) never loses
    what was done to a failure, a kill or a memory error late in the batch. Failures, skipped
    files and the ok paths go into ``result`` as they happen (their values too when ``keep``),
    so its summary is right however far the batch got.
    """
    files, failures, skipped = collect_inputs(paths)
    result.failed.extend(Failure(display_path(f.path), f.reason) for f in failures)
    result.skipped.extend(display_path(p) for p in skipped)
    total = len(files)
    for i, (path, ok, value) in enumerate(_outcomes(files, fn, max_bytes, workers, limits), 1):
        if ok:
            result.ok.append((path, value if keep else None))  # type: ignore[arg-type]
        else:
            result.failed.append(Failure(display_path(path), _one_line(value)))
        if progress:
            status = "ok" if ok else f"FAILED: {_one_line(value)}"
            print(f"[{i}/{total}] {display_path(path)}: {status}", file=sys.stderr, flush=True)
        if ok:
            yield path, value  # type: ignore[misc]


def run_batch(
    paths: Iterable[str],
    fn: Callable[[Source], T],
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int = 1,
    progress: bool = False,
    limits: Limits | None = None,
) -> BatchResult[T]:
    """Read every input and apply ``fn``; results come back in input order."""
    result: BatchResult[T] = BatchResult()
    for _ in stream_batch(paths, fn, result, max_bytes=max_bytes, workers=workers, progress=progress,
                          limits=limits):
        pass
    return result


def summary_table(result: BatchResult) -> str:
    """Counts, then one "path: reason" line per failure, for the end of a batch run."""
    counts = [
        ("ok", len(result.ok)),
        ("failed", len(result.failed)),
        ("skipped", len(result.skipped)),
        ("total", len(result.ok) + len(result.failed) + len(result.skipped)),
    ]
    width = max(len(str(n)) for _, n in counts)
    lines = [f"{name:<8} {n:>{width}}" for name, n in counts]
    if result.skipped:
        lines.append(skipped_line(result.skipped))
    if result.failed:
        lines.append("")
        lines.append("failed:")
        lines.extend(f"{display_path(f.path)}: {f.reason}" for f in result.failed)
    return "\n".join(lines)


def skipped_line(skipped: list[str], show: int = 5) -> str:
    """Files a folder walk passed over (not a format kg reads, or hidden), named so none vanishes."""
    more = f" and {len(skipped) - show} more" if len(skipped) > show else ""
    shown = ", ".join(display_path(p) for p in skipped[:show])
    return f"skipped (not a document format kg reads, or hidden): {shown}{more}"
