"""The SPARQL 1.1 Protocol's request forms -> one operation, and the server's refusals.

Kept apart from the socket code so that every rule (what is a query, what is an update, what the
server will not do) is a pure function with its own tests. Each refusal says what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from kg.serve.lexer import fetches, uses

MAX_BODY = 1 << 20  # a SPARQL request larger than 1 MiB is a mistake or an attack


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Operation:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None  # ?format=json|xml|csv|tsv|turtle...


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise HttpError(400, f"give one {name!r} parameter, not {len(values)}")
    return values[0] if values else None


def _params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "the parameters are not valid UTF-8 URL encoding") from None


def parse(method: str, url_query: str, content_type: str | None, body: bytes) -> Operation:
    """GET ?query=, POST form (query= or update=), POST application/sparql-query or -update."""
    url = _params(url_query)
    op = Operation(default_graphs=url.get("default-graph-uri", []), named_graphs=url.get("named-graph-uri", []),
                   format=_one(url, "format"))
    if method == "GET":
        if "update" in url:
            raise HttpError(400, "a SPARQL update must be sent with POST, not GET")
        op.query = _one(url, "query")
        if op.query is None:
            raise HttpError(400, "no query: send ?query=SELECT ... (or POST it); the query page is at /query")
        return op
    if method != "POST":
        raise HttpError(405, f"{method} is not a SPARQL protocol method; use GET or POST", {"Allow": "GET, POST"})
    mt = (content_type or "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8") from None
    if mt == "application/x-www-form-urlencoded":
        form = _params(text)
        op.query, op.update = _one(form, "query"), _one(form, "update")
        op.default_graphs += form.get("default-graph-uri", [])
        op.named_graphs += form.get("named-graph-uri", [])
        op.format = op.format or _one(form, "format")
    elif mt == "application/sparql-query":
        op.query = text
    elif mt == "application/sparql-update":
        op.update = text
    else:
        raise HttpError(415, f"POST a form (application/x-www-form-urlencoded), application/sparql-query or "
                             f"application/sparql-update, not {mt or 'no Content-Type'!r}")
    if "query" in url or "update" in url:
        raise HttpError(400, "with POST, put the query or update in the body, not in the URL")
    if op.query is not None and op.update is not None:
        raise HttpError(400, "give either a query or an update, not both")
    if op.query is None and op.update is None:
        raise HttpError(400, "no query or update in the request body")
    return op


def check(op: Operation, allow_update: bool) -> None:
    """What the server refuses whatever the store holds: a 4xx with the reason."""
    text = op.query if op.query is not None else op.update or ""
    if op.update is not None and not allow_update:
        raise HttpError(403, "this server is read-only: SPARQL Update is refused (start `kg serve --allow-update` "
                             "to accept updates, or change the graph with `kg build`)")
    if fetches(text, "SERVICE"):
        raise HttpError(400, "SERVICE (federated query) is refused: this server never fetches URLs for a client; "
                             "run federated queries from your own machine")
    if op.update is not None and fetches(text, "LOAD"):
        raise HttpError(400, "LOAD is refused: this server never fetches URLs for a client; "
                             "load files with `kg build` instead")
    if op.update is not None and (op.default_graphs or op.named_graphs):
        raise HttpError(400, "default-graph-uri and named-graph-uri apply to queries, not updates")
