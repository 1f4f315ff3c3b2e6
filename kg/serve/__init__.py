"""`kg serve`: the graph for a team, over HTTP: a SPARQL 1.1 Protocol endpoint and the explorer pages.

Built around one measured problem: an endpoint that runs queries one at a time (rdflib-endpoint
does; a 3 ms lookup waited 11 s behind a GROUP BY) is useless to a department the moment someone
asks for statistics. Here every query runs in its own worker process (kg.serve.pool), so lookups
never wait behind aggregates, and a query past the deadline is stopped for real by ending its
process. Read-only unless `allow_update`; SERVICE and LOAD refused so the server never fetches a
URL for a client; results capped in size; every refusal is a 4xx with the reason.

Modules: lexer (keywords the server refuses), protocol (requests -> operations), formats
(content negotiation), worker and pool (running queries), explorer and pages (HTML), http (routes).
"""

from __future__ import annotations

from pathlib import Path


def serve(store_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, *, allow_update: bool = False,
          timeout: float = 30.0, max_bytes: int = 50 * 1024 * 1024, workers: int = 32, quiet: bool = False,
          ready=None, worker_memory_mb: int | None = 1024, reserve: int | None = None,
          request_deadline: float = 30.0) -> None:
    """Serve until interrupted; `ready(server)` is called once the socket is listening."""
    from kg.serve.http import App, make_server

    app = App(store_dir, allow_update=allow_update, timeout=timeout, max_bytes=max_bytes, workers=workers,
              worker_memory_mb=worker_memory_mb, reserve=reserve, request_deadline=request_deadline)
    try:
        srv = make_server(app, host, port, quiet=quiet)
    except BaseException:
        app.close()
        raise
    try:
        if ready is not None:
            ready(srv)
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        app.close()


__all__ = ["serve"]
