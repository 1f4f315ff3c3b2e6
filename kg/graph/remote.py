"""A store on a SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso) for a team sharing one graph.

It has the methods kg's builds and questions use on the embedded Store (query, replace_graph,
drop_graph, drop_source, graphs, manifest, len, dump), spoken over plain HTTP with urllib:
SPARQL 1.1 Query, SPARQL 1.1 Update, and the Graph Store Protocol where the server has one.
Not rdflib's SPARQLUpdateStore: measured, queries through its Graph with the identifier
DATASET_DEFAULT_GRAPH_ID return 0 rows, and it hides which request goes where.

The default graph. The embedded store answers with the default graph = the union of the named
graphs (one per source document), and every shipped query relies on it (a citation in one
document's graph joins the cited document's label in another's). A remote server must do the same,
and none does by default in the same way, so the first query with data checks it: a manifest triple
must be visible without GRAPH. If it is not, the Oxigraph `union-default-graph` request parameter is
tried; if that fails too, the error says how to configure the server (Oxigraph
`--union-default-graph`, Fuseki TDB2 `tdb2:unionDefaultGraph true`; Virtuoso does it already).
Rewriting the queries into GRAPH ?g patterns was the other choice, rejected: joins across documents
would need one GRAPH variable per triple pattern and every query would change.

Writes: one SPARQL Update request per document replaces its named graph and its manifest entry
together (a transaction on Oxigraph and Fuseki), so a build killed half-way leaves each document
either old or new, and the next build redoes whatever the manifest does not show as done. When the
server has a Graph Store Protocol endpoint (Oxigraph's /store), the graph goes there as N-Triples
with PUT, which skips parsing SPARQL, and the manifest entry follows in an update.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from typing import Any, Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.errors import EndpointError  # re-exported: callers import it from here

from kg.graph.store import _GRAPH, _SHA, _SOURCE, MANIFEST, _ntriples, _py
from kg.resolve.identity import BASE

RESULTS_JSON = "application/sparql-results+json"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _value(term: Any) -> Any:
    """A result term as the embedded Store gives it. Virtuoso stores xsd:boolean as a number and
    answers "1"^^xsd:boolean for true, which would otherwise read as False."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN:
        return term.value in ("true", "1")
    return _py(term)


def _canonical(term: Any) -> Any:
    """The literal in its canonical form ("1"^^xsd:boolean -> "true"), for dumps that must equal
    the embedded store's line for line."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in ("0", "1"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term
_OURS = f'FILTER(STRSTARTS(STR(?g), "{BASE}/"))'  # Virtuoso keeps its own system graphs beside ours




def _sibling(url: str, last: str) -> str:
    p = urlsplit(url)
    path = p.path.rsplit("/", 1)[0] + "/" + last
    return urlunsplit((p.scheme, p.netloc, path, "", ""))


def endpoints(url: str) -> tuple[str, str, str | None]:
    """(query URL, update URL, Graph Store Protocol URL or None) from the one URL a user gives.

    http://host:7878 (no path): an Oxigraph server, /query /update /store.
    .../query: its sibling .../update (Oxigraph, Fuseki's /ds/query).
    anything else (.../sparql for Virtuoso, /ds for Fuseki): the same URL for both.
    $KG_UPDATE_ENDPOINT and $KG_GSP_ENDPOINT override the guesses.
    """
    p = urlsplit(url)
    if p.scheme not in ("http", "https") or not p.netloc:
        raise ValueError(f"--endpoint must be an http(s) URL, not {url!r}")
    base = urlunsplit((p.scheme, p.netloc, p.path.rstrip("/"), "", ""))
    if p.path in ("", "/"):
        q, u, g = base + "/query", base + "/update", base + "/store"
    elif p.path.rstrip("/").endswith("/query"):
        q, u, g = base, _sibling(base, "update"), None
    else:
        q, u, g = base, base, None
    return q, os.environ.get("KG_UPDATE_ENDPOINT") or u, os.environ.get("KG_GSP_ENDPOINT") or g


def _opener(urls: Iterable[str]) -> urllib.request.OpenerDirector:
    """Basic or digest credentials from $KG_ENDPOINT_USER / $KG_ENDPOINT_PASSWORD (Virtuoso's
    /sparql-auth wants digest, Fuseki basic); no proxy: a team server is on the team's network."""
    handlers: list[Any] = [urllib.request.ProxyHandler({})]
    user = os.environ.get("KG_ENDPOINT_USER")
    if user:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for u in urls:
            mgr.add_password(None, u, user, os.environ.get("KG_ENDPOINT_PASSWORD", ""))
        handlers += [urllib.request.HTTPBasicAuthHandler(mgr), urllib.request.HTTPDigestAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


_BLOCK = 1000  # triples per GRAPH block of an INSERT DATA


def _insert_data(g: str, nt: bytes) -> str:
    """INSERT DATA with the triples in GRAPH blocks of 1,000: Virtuoso's SPARQL parser runs out of
    stack ("SP030: memory exhausted") on one block of a real document's 5,000 triples, and takes
    any number of blocks in one operation, so the document still goes in one request."""
    lines = nt.decode("utf-8").splitlines()
    blocks = (f"GRAPH {g} {{\n" + "\n".join(lines[i:i + _BLOCK]) + "\n}" for i in range(0, len(lines), _BLOCK))
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


class RemoteStore:
    """The GraphStore interface (kg.graph.store) on a SPARQL 1.1 server."""

    def __init__(self, url: str, *, timeout: float | None = None, union: str = "auto"):
        self.url = url
        self.query_url, self.update_url, self.gsp_url = endpoints(url)
        self.timeout = timeout or float(os.environ.get("KG_ENDPOINT_TIMEOUT", "300"))
        self.union = union  # auto | server | param
        self._opener = _opener(u for u in (self.query_url, self.update_url, self.gsp_url) if u)
        self.path = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # -- HTTP --------------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=self.timeout) as r:
                return r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            words = " ".join(e.read(600).decode("utf-8", "replace").split())
            raise EndpointError(f"{method} {url}: HTTP {e.code} {e.reason}: {words}") from None
        except urllib.error.URLError as e:
            raise EndpointError(f"cannot reach the SPARQL endpoint {url}: {e.reason}") from None
        except TimeoutError:
            raise EndpointError(f"{url} did not answer within {self.timeout:g} s") from None
        except (http.client.HTTPException, ConnectionError) as e:  # a cut answer, a reset connection
            raise EndpointError(f"{method} {url}: the connection broke: {type(e).__name__}: {e}") from None

    def _post_query(self, url: str, sparql: str, accept: str) -> tuple[str, bytes]:
        """A query as an HTML form POST (`query=`): the one form every server takes. Virtuoso 7
        never answers a POST with `Content-Type: application/sparql-query` (measured: the request
        hangs until the client gives up), Oxigraph and Fuseki take both."""
        return self._request("POST", url, urlencode({"query": sparql}).encode("ascii"),
                             {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    def _select(self, sparql: str, accept: str = RESULTS_JSON, union: bool = True) -> tuple[str, bytes]:
        url = self.query_url
        if union and self.union_mode() == "param":
            url += ("&" if "?" in url else "?") + "union-default-graph"
        return self._post_query(url, sparql, accept)

    def update(self, sparql: str) -> None:
        self._request("POST", self.update_url, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"})

    # -- the default graph -------------------------------------------------------------------
    def _ask(self, sparql: str, param: bool) -> bool:
        url = self.query_url + (("&" if "?" in self.query_url else "?") + "union-default-graph" if param else "")
        ctype, body = self._post_query(url, sparql, RESULTS_JSON)
        return bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))

    def union_mode(self) -> str:
        if self.union != "auto":
            return self.union
        probe = f"ASK {{ ?m <{_GRAPH.value}> ?g }}"
        if not self._ask(f"ASK {{ GRAPH <{MANIFEST.value}> {{ ?m <{_GRAPH.value}> ?g }} }}", False):
            return "server"  # nothing built yet: nothing to tell apart; ask again once there is
        if self._ask(probe, False):
            self.union = "server"
        elif self._ask(probe, True):
            self.union = "param"
        else:
            raise EndpointError(
                f"{self.query_url} does not query the union of its named graphs by default, and kg's queries "
                "need it: start Oxigraph with `oxigraph serve --union-default-graph`, give Fuseki a TDB2 dataset "
                "with `tdb2:unionDefaultGraph true` (Virtuoso does it by default)")
        return self.union

    # -- reading -----------------------------------------------------------------------------
    def query(self, sparql: str) -> list[dict[str, Any]]:
        """Rows as the embedded Store gives them: plain values, booleans as [{"result": b}]."""
        ctype, body = self._select(sparql, f"{RESULTS_JSON}, application/n-triples;q=0.9")
        media = ctype.split(";")[0].strip().lower()
        if media in ("application/n-triples", "text/plain", "text/turtle"):
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            return [{"s": t.subject.value, "p": t.predicate.value, "o": _value(t.object)}
                    for t in ox.parse(body, format=fmt)]
        res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(res, (bool, ox.QueryBoolean)):
            return [{"result": bool(res)}]
        names = [v.value for v in res.variables]
        return [{n: _value(sol[n]) for n in names} for sol in res]

    def graphs(self) -> list[str]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return sorted(r["g"] for r in rows if r["g"] != MANIFEST.value)

    def manifest(self) -> dict[str, tuple[str, str]]:
        """source path -> (content hash, named graph), as the embedded Store keeps it."""
        out: dict[str, list[str]] = {}
        for r in self.query(f"SELECT ?m ?p ?o WHERE {{ GRAPH <{MANIFEST.value}> {{ ?m ?p ?o }} }}"):
            rec = out.setdefault(r["m"], ["", "", ""])
            if r["p"] == _SOURCE.value:
                rec[0] = r["o"]
            elif r["p"] == _SHA.value:
                rec[1] = r["o"]
            elif r["p"] == _GRAPH.value:
                rec[2] = r["o"]
        return {src: (sha, g) for src, sha, g in out.values() if src}

    def __len__(self) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return int(rows[0]["n"]) if rows else 0

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        """Every quad in kg's graphs, fetched as JSON results. Not TSV, though it is more compact:
        Virtuoso writes IRIs in TSV as quoted strings, which would come back as literals."""
        where = (f"GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {ox.NamedNode(graph)} }}" if graph
                 else f"GRAPH ?g {{ ?s ?p ?o }} {_OURS}")
        _, body = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", RESULTS_JSON, union=False)
        return [ox.Quad(sol["s"], sol["p"], _canonical(sol["o"]), sol["g"])
                for sol in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)]

    def triples(self) -> Iterable[ox.Quad]:
        return (q for q in self.quads() if q.graph_name != MANIFEST)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: str | None = None) -> bytes:
        quads = self.quads(graph)
        if not fmt.supports_datasets:
            return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=fmt)
        return ox.serialize(quads, format=fmt)

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def _manifest_node(source: str) -> str:
        return f"{BASE}/manifest/{hashlib.sha1(source.encode('utf-8')).hexdigest()}"

    def _record_update(self, source: str, sha256: str, graph_iri: str) -> str:
        node = self._manifest_node(source)
        lit = ox.Literal(source)
        return (f"DELETE WHERE {{ GRAPH <{MANIFEST.value}> {{ <{node}> ?p ?o }} }} ;\n"
                f"INSERT DATA {{ GRAPH <{MANIFEST.value}> {{ <{node}> <{_SOURCE.value}> {lit} ; "
                f"<{_SHA.value}> {ox.Literal(sha256)} ; <{_GRAPH.value}> <{graph_iri}> }} }}")

    def replace_graph(self, graph_iri: str, triples: bytes | Iterable, source: str | None = None,
                      sha256: str | None = None) -> None:
        """The graph's triples become exactly these; with `source`, the manifest records it."""
        nt = _ntriples(triples)
        g = f"<{ox.NamedNode(graph_iri).value}>"
        if self.gsp_url:
            url = f"{self.gsp_url}?{urlencode({'graph': graph_iri})}"
            self._request("PUT", url, nt, {"Content-Type": "application/n-triples"})
            if source is not None:
                self.update(self._record_update(source, sha256 or "", graph_iri))
            return
        parts = [f"DROP SILENT GRAPH {g}"]
        if nt.strip():  # Virtuoso refuses an empty `INSERT DATA { GRAPH <g> { } }` as a syntax error
            parts.append(_insert_data(g, nt))
        if source is not None:
            parts.append(self._record_update(source, sha256 or "", graph_iri))
        self.update(" ;\n".join(parts))

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{ox.NamedNode(graph_iri).value}>")

    def record(self, source: str, sha256: str, graph_iri: str) -> None:
        self.update(self._record_update(source, sha256, graph_iri))

    def forget(self, source: str) -> None:
        self.update(f"DELETE WHERE {{ GRAPH <{MANIFEST.value}> {{ <{self._manifest_node(source)}> ?p ?o }} }}")

    def drop_source(self, source: str) -> None:
        rec = self.manifest().get(source)
        if rec and rec[1]:
            self.drop_graph(rec[1])
        self.forget(source)

    # -- the build protocol of the embedded Store: every write above is already final ---------
    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass


def open_store(store_dir=None, endpoint: str | None = None, *, write: bool = False):
    """The store a command means: the server at `endpoint`, else the embedded one in `store_dir`."""
    if endpoint:
        return RemoteStore(endpoint)
    from kg.graph.store import Store

    return Store.begin_build(store_dir) if write else Store.open_read(store_dir)


__all__ = ["RemoteStore", "EndpointError", "endpoints", "open_store"]
