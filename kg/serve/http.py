"""The HTTP server: the standard library's ThreadingHTTPServer, a thread per connection.

A thread per connection is enough because no thread does real work: queries run in the worker
pool (kg.serve.pool), so a thread only waits on a pipe. No framework was needed for five routes,
and none of the extra dependencies would have bought a timeout that actually stops a query.

When bound to a loopback address, requests must name a loopback host (a web page the user visits
cannot reach the server through DNS rebinding), and an update must not come from another origin
(a page cannot post one through the user's browser).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.serve import pages
from kg.serve.explorer import Choices, Explorer, PageError, rows_from_json
from kg.serve.i18n import Messages, lang_of
from kg.serve.formats import NotAcceptable, negotiate
from kg.serve.pool import Pool, PoolError
from kg.serve.protocol import MAX_BODY, HttpError, check, parse
from kg.serve.routes import PAGES, PageRoutes, _linked

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


class App:
    """Everything a request needs, shared by the handler threads."""

    def __init__(self, store_dir: str | Path, *, allow_update: bool = False, timeout: float = 30.0,
                 max_bytes: int = 50 * 1024 * 1024, workers: int = 32, spare: int = 2, root: Path | None = None,
                 worker_memory_mb: int | None = None, reserve: int | None = None, request_deadline: float = 30.0):
        self.store_dir = Path(store_dir)
        if not (self.store_dir / "current").exists():
            raise FileNotFoundError(f"no graph at {self.store_dir}: "
                                    f"run `kg build PATH... --store {self.store_dir}` first")
        self.allow_update = allow_update
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.request_deadline = request_deadline
        self.pool = Pool(str(self.store_dir), size=workers, spare=spare, memory_mb=worker_memory_mb, reserve=reserve)
        self.explorer = Explorer(self.rows, self.snapshot, root=root, confined=allow_update)
        import threading

        threading.Thread(target=self.explorer.warm, daemon=True, name="kg-warm").start()

    def snapshot(self) -> str:
        return os.path.basename(os.path.realpath(self.store_dir / "current"))

    def job(self, query: str, results_type: str | None, graph_type: str | None = None, **kw) -> dict:
        return {"query": query, "results_type": results_type, "graph_type": graph_type,
                "max_bytes": self.max_bytes, **kw}

    def rows(self, query: str) -> list[dict]:
        """The explorer's own queries, under the same deadline as a client's."""
        reply = self.pool.run(self.job(query, "application/sparql-results+json"), self.timeout)
        if reply[0] != "ok":
            raise PageError(reply[1], reply[2])
        return rows_from_json(reply[2])

    def close(self) -> None:
        self.pool.close()


class DeadlineReader:
    """The request's bytes, read straight from the socket, under one deadline for the whole request.

    A socket timeout alone restarts with every byte: a body sent a byte at a time held a thread
    forever. Before every receive the socket's timeout is set to what is left of the deadline,
    so the request line, headers and body together cannot take longer (TimeoutError after it).
    """

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = bytearray()
        self.deadline = float("inf")

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def _fill(self) -> bool:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive within the server's deadline")
        self.sock.settimeout(min(left, 3600.0))
        chunk = self.sock.recv(1 << 16)
        self.buf += chunk
        return bool(chunk)

    def readline(self, limit: int = -1) -> bytes:
        while True:
            end = self.buf.find(b"\n")
            if end >= 0:
                cut = end + 1
            elif 0 <= limit <= len(self.buf):
                cut = limit
            elif self._fill():
                continue
            else:
                cut = len(self.buf)  # the client closed: what is left
            return self._take(cut if limit < 0 else min(cut, limit))

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self.buf) < n) and self._fill():
            pass
        return self._take(len(self.buf) if n < 0 else min(n, len(self.buf)))

    def _take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def close(self) -> None:
        pass


class Handler(PageRoutes, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: with Nagle on, a keep-alive client's delayed ACK
    # added 40 ms to every answer (measured: 48 ms for a 0.3 ms lookup)
    disable_nagle_algorithm = True
    server_version = "kg-serve"
    sys_version = ""
    timeout = 60  # seconds a connection may idle or trickle a request: no client holds a thread forever
    app: App  # set on the subclass made by make_server

    # -- plumbing ----------------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the buffered file over the socket: reading goes through the deadline instead
        self.rfile = DeadlineReader(self.connection)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        """Each request (its line, headers and body) must arrive within the app's deadline."""
        self.rfile.start(self.app.request_deadline)  # type: ignore[attr-defined]
        super().handle_one_request()

    def log_message(self, fmt: str, *args) -> None:  # one line per request on stderr, no reverse DNS
        if not getattr(self.server, "quiet", False):
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, html_and_csp: tuple[str, str] | str) -> None:
        if isinstance(html_and_csp, tuple):
            html, policy = html_and_csp
            headers = {"Content-Security-Policy": policy + "; frame-ancestors 'none'"}
        else:
            html, headers = html_and_csp, {}
        headers["X-Frame-Options"] = "DENY"
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8", headers)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        """HTML for a browser at a page, plain text for a SPARQL client: both carry the message."""
        if self.path.startswith("/sparql") or "text/html" not in (self.headers.get("Accept") or ""):
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)
        else:
            self._html(status, pages.error(status, message))

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:  # type: ignore[attr-defined]
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[: host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in LOOPBACK_NAMES or _is_loopback(name.strip("[]"))

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        if not origin or origin == "null":
            return origin is None
        return urlsplit(origin).netloc.lower() == (self.headers.get("Host") or "").lower()

    def _body(self) -> bytes:
        if self.command != "POST":
            if self.headers.get("Content-Length", "0").strip() not in ("", "0") or self.headers.get("Transfer-Encoding"):
                # a body we do not read would be taken for the next request (request smuggling)
                self.close_connection = True
            return b""
        length = self.headers.get("Content-Length")
        try:
            n = int(length) if length is not None else -1
        except ValueError:
            n = -2
        if n < 0 or n > MAX_BODY:
            self.close_connection = True  # the body is not taken: this connection cannot go on
            left = n if MAX_BODY < n <= 16 * MAX_BODY else 0  # read it away: the client then sees our answer
            while left > 0:
                chunk = self.rfile.read(min(1 << 16, left))
                if not chunk:
                    break
                left -= len(chunk)
            if n == -1:
                raise HttpError(411, "send a Content-Length with POST")
            if n == -2:
                raise HttpError(400, "Content-Length is not a number")
            raise HttpError(413, f"the request body is larger than {MAX_BODY} bytes")
        return self.rfile.read(n)

    # -- routes ------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        url = urlsplit(_utf8(self.path))
        try:
            body = self._body()
        except TimeoutError:  # a body trickled past the deadline: drop the connection, free the thread
            self.close_connection = True
            self.log_message("request body not received within %gs: dropped", self.app.request_deadline)
            return
        except HttpError as e:
            self.connection.settimeout(self.timeout)
            self._error(e.status, e.message, e.headers)
            return
        self.connection.settimeout(self.timeout)  # the answer's writes get the ordinary timeout
        try:
            if not self._host_ok():
                raise HttpError(421, "this server answers only to localhost or 127.0.0.1")
            if url.path == "/sparql":
                self._sparql(url.query, body)
            elif self.command not in ("GET", "HEAD"):
                raise HttpError(405, f"{self.command} is only for /sparql", {"Allow": "GET, HEAD"})
            elif url.path in PAGES:
                getattr(self, PAGES[url.path])(parse_qs(url.query), self.path)
            elif url.path == "/changes.atom":  # the alerts of `kg changes` (kg/serve/feed.py)
                from kg.serve.feed import changes_atom

                self._send(200, changes_atom(self.app.store_dir, parse_qs(url.query)), "application/atom+xml; charset=utf-8")
            elif url.path == "/healthz":
                self._send(200, b"ok\n", "text/plain; charset=utf-8")
            else:
                raise HttpError(404, f"nothing at {url.path}: the pages are {', '.join(PAGES)}; "
                                     "the SPARQL endpoint is /sparql")
        except HttpError as e:
            self._error(e.status, e.message, e.headers)
        except Choices as e:
            t = Messages(lang_of(parse_qs(url.query)))
            self._html(200, pages.search(e.res.text, _linked(e.res, t, graph=True), t, self.path))
        except (PoolError, PageError) as e:
            headers = {"Retry-After": "1"} if e.status == 503 and "busy" in e.message else None
            self._error(e.status, e.message, headers)
        except BrokenPipeError:
            pass
        except Exception as e:  # noqa: BLE001 - a bug answers 500 with its name; the server stays up
            self._error(500, f"internal error: {type(e).__name__}: {e}")

    def _sparql(self, url_query: str, body: bytes) -> None:
        app = self.app
        if self.command == "GET" and not url_query and "text/html" in (self.headers.get("Accept") or ""):
            self._send(303, b"", "text/plain", {"Location": "/query"})
            return
        op = parse(self.command, url_query, self.headers.get("Content-Type"), body)
        check(op, app.allow_update)
        if op.update is not None:
            if not self._same_origin():
                raise HttpError(403, "an update from another origin (a web page) is refused: send it from this "
                                     "server's own pages or a non-browser client")
            reply = app.pool.run({"update": op.update}, app.timeout)
        else:
            try:
                res, gr = negotiate(self.headers.get("Accept"), op.format)
            except NotAcceptable as e:
                raise HttpError(406, str(e)) from None
            reply = app.pool.run(app.job(op.query, res, gr, default_graphs=op.default_graphs,
                                         named_graphs=op.named_graphs), app.timeout)
        if reply[0] == "ok":
            self._send(200 if op.query is not None else 204, reply[2] if op.query is not None else b"", reply[1],
                       {"Vary": "Accept"})
        else:
            raise HttpError(reply[1], reply[2])

def _utf8(path: str) -> str:
    """http.server reads the request line as Latin-1; a client that sends raw UTF-8 ("curl -g
    '...?focus=42/2022/NQ-HĐND'") means UTF-8, as percent-encoded URLs do."""
    try:
        return path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Server6(Server):
    address_family = socket.AF_INET6


def make_server(app: App, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False) -> Server:
    handler = type("BoundHandler", (Handler,), {"app": app})
    bare = host.strip("[]")
    srv = (Server6 if ":" in bare else Server)((bare, port), handler)
    srv.loopback_only = _is_loopback(host)  # type: ignore[attr-defined]
    srv.quiet = quiet  # type: ignore[attr-defined]
    return srv
