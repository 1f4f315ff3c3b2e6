"""Extraction on a Dask cluster: the same pure per-file function, mapped over many machines.

A national corpus outgrows one machine's cores; extraction is a pure function of one file, so
nothing but the mapping changes: each file goes through `kg.batch._process` (read, extract, never
raise) on a worker, exactly as in `run_batch`, and the results come back to the one process that
writes the store. A file that fails, or a worker that dies under it, is that file's failure with a
reason; it never stops the batch.

The workers read the files themselves (only paths travel), so the paths must be readable at the
same place on every worker: a shared or network filesystem, as clusters have. A path the worker
cannot see is reported as that file's failure, with the worker's address.
"""

from __future__ import annotations

import os
from typing import Callable, TypeVar

from kg.batch import BatchResult, Failure, _one_line, _process, collect_inputs
from kg.ingest.readers import DEFAULT_MAX_BYTES, Source

T = TypeVar("T")


def _on_worker(path: str, fn: Callable[[Source], T], max_bytes: int) -> tuple[bool, object]:
    if not os.path.exists(path):
        try:
            from distributed import get_worker

            where = get_worker().address
        except Exception:  # noqa: BLE001 - only for the message
            where = "the worker"
        return False, f"not readable on {where}: the cluster needs the files on a shared filesystem"
    return _process(path, fn, max_bytes)


def run_on_dask(paths: list[str], fn: Callable[[Source], T], scheduler_address: str,
                max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False) -> BatchResult[T]:
    """Like kg.batch.run_batch, on the cluster at `scheduler_address` (tcp://HOST:PORT); results in
    input order."""
    try:
        from distributed import Client
    except ImportError:
        raise RuntimeError("--scheduler needs Dask: pip install 'dask[distributed]'") from None

    files, failures, skipped = collect_inputs(paths)
    result: BatchResult[T] = BatchResult(ok=[], failed=list(failures), skipped=skipped)
    if not files:
        return result
    try:
        client = Client(scheduler_address, timeout=float(os.environ.get("KG_DASK_TIMEOUT", "30")),
                        set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise RuntimeError(f"cannot reach the Dask scheduler at {scheduler_address}: {e}") from None
    try:
        futures = client.map(_on_worker, files, fn=fn, max_bytes=max_bytes, pure=False)
        for i, (path, fut) in enumerate(zip(files, futures), 1):
            try:
                ok, value = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died, a result that cannot travel
                ok, value = False, f"internal error on the cluster: {type(e).__name__}: {_one_line(e)}"
            if ok:
                result.ok.append((path, value))  # type: ignore[arg-type]
            else:
                result.failed.append(Failure(path, _one_line(value)))
            if progress:
                import sys

                print(f"[{i}/{len(files)}] {path}: {'ok' if ok else 'FAILED'}", file=sys.stderr, flush=True)
            fut.release()
    finally:
        client.close()
    return result
