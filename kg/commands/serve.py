"""`kg serve`: the store over HTTP for a team (SPARQL 1.1 Protocol at /sparql, explorer pages)."""

from __future__ import annotations

import click

from kg.cli import KgError, _guard, main


@main.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
              help="Store directory (default .kg/store, or $KG_STORE).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the graph to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (refused with 403 otherwise).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-result-mb", type=click.FloatRange(0.001, 10_000), default=50.0, show_default=True,
              help="Largest result sent, in MB (422 beyond, with the advice to add LIMIT).")
@click.option("--workers", type=click.IntRange(1, 256), default=32, show_default=True,
              help="Most queries running at once (one process each, started on demand).")
@click.option("--reserve", type=click.IntRange(0, 255), default=None,
              help="Workers kept for new queries while long ones run (default: a quarter of --workers, at least 1).")
@click.option("--worker-memory-mb", type=click.IntRange(0, 1_000_000), default=1024, show_default=True,
              help="Memory one query worker may allocate; a query past it gets 503 (0: no limit).")
@click.option("--request-deadline", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a request's line, headers and body may take to arrive; slower ones are dropped.")
@click.option("--quiet", is_flag=True, help="No line per request on stderr.")
@_guard
def serve(store_dir, host, port, allow_update, timeout, max_result_mb, workers, reserve, worker_memory_mb,
          request_deadline, quiet):
    """Serve the graph: SPARQL 1.1 Protocol at /sparql and the explorer (graph, query page, documents).

    Read-only unless --allow-update. SERVICE and LOAD are refused: the server never fetches a URL.
    """
    from kg.graph.store import default_store_dir
    from kg.serve import serve as run
    from kg.serve.pool import PoolError

    d = store_dir or str(default_store_dir())

    def ready(srv):
        h, p = srv.server_address[:2]
        shown = f"[{h}]" if ":" in h else h
        click.echo(f"kg serve: http://{shown}:{p}/ (SPARQL at /sparql) over {d}; "
                   f"{'updates allowed' if allow_update else 'read-only'}, timeout {timeout:g} s; Ctrl+C stops",
                   err=True)
        if h not in ("127.0.0.1", "::1", "localhost"):
            click.echo("kg serve: listening beyond this machine: anyone who can reach it can read the graph",
                       err=True)

    import signal

    def stop(*_):  # a service manager's SIGTERM ends it like Ctrl+C: workers and sockets closed
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (embedded): leave signals alone
        pass
    try:
        run(d, host, port, allow_update=allow_update, timeout=timeout, max_bytes=int(max_result_mb * 1024 * 1024),
            workers=workers, quiet=quiet, ready=ready, worker_memory_mb=worker_memory_mb or None, reserve=reserve,
            request_deadline=request_deadline)
    except FileNotFoundError as e:
        raise KgError(str(e)) from None
    except PoolError as e:
        raise KgError(e.message) from None
    except OSError as e:
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    except KeyboardInterrupt:
        click.echo("kg serve: stopped", err=True)
