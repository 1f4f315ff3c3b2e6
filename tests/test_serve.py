"""`kg serve`: the SPARQL 1.1 Protocol over the seed's store, its refusals, its deadlines, the explorer.

Real server processes on 127.0.0.1 (tests/servers.py), queried as a user would: curl where the
issue says curl, urllib otherwise, Chromium (offline, every request checked) for the pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from conftest import SEED
from kg.graph.build import build
from kg.serve.formats import NotAcceptable, negotiate
from kg.serve.lexer import fetches, query_form
from kg.serve.protocol import HttpError, check, parse
from servers import kg_serve

LOOKUP = ('PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> '
          'SELECT ?key WHERE { ?d kg:idKey ?key } ORDER BY ?key LIMIT 3')
# cross products of the seed with itself: seconds of work (SLOW), or hours (HEAVY) for deadlines
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?x { 1 2 3 4 5 6 } }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("serve") / "store"
    rep = build([str(SEED)], d)
    assert not rep.failed
    return d


@pytest.fixture(scope="module")
def server(seed_store):
    p, url = kg_serve(seed_store)
    yield url
    p.stop()


@pytest.fixture(scope="module")
def strict(tmp_path_factory, seed_store):
    """A second server: updates allowed, a 1 s deadline and a 20 kB result limit."""
    d = tmp_path_factory.mktemp("strict") / "store"
    shutil.copytree(seed_store, d, symlinks=True)
    p, url = kg_serve(d, "--allow-update", "--timeout", "1", "--max-result-mb", "0.02", "--workers", "4")
    yield url, d
    p.stop()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    """(status, content type, body text) without raising on 4xx/5xx."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def get(base: str, query: str, accept: str = "application/sparql-results+json", **params):
    qs = urlencode({"query": query, **params})
    return http(f"{base}/sparql?{qs}", headers={"Accept": accept})


# -- the protocol, from curl ------------------------------------------------------------------

def test_curl_gets_json_and_csv(server):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    out = subprocess.run([curl, "-sS", "--fail-with-body", "-G", f"{server}/sparql", "--data-urlencode",
                          f"query={LOOKUP}", "-H", "Accept: application/sparql-results+json"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    res = json.loads(out)
    assert res["head"]["vars"] == ["key"]
    keys = [b["key"]["value"] for b in res["results"]["bindings"]]
    assert len(keys) == 3 and keys == sorted(keys)
    csv = subprocess.run([curl, "-sS", "--fail-with-body", "-X", "POST", f"{server}/sparql", "--data-urlencode",
                          f"query={LOOKUP}", "-H", "Accept: text/csv"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    assert csv.splitlines() == ["key", *keys]


def test_curl_sees_the_refusals(server):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")

    def status(*args: str) -> tuple[str, str]:
        r = subprocess.run([curl, "-sS", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, text=True,
                           timeout=30)
        body, _, code = r.stdout.rpartition("\n")
        return code, body

    code, body = status("-X", "POST", f"{server}/sparql", "--data-urlencode",
                        "update=INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert code == "403" and "read-only" in body
    code, body = status("-G", f"{server}/sparql", "--data-urlencode",
                        "query=SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert code == "400" and "SERVICE" in body and "never fetches" in body


@pytest.mark.parametrize("accept, ctype, check_body", [
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: "<sparql" in b),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.startswith("?key\n")),
    ("text/csv", "text/csv", lambda b: b.startswith("key\r\n")),
    ("*/*", "application/sparql-results+json", lambda b: json.loads(b)["head"]["vars"] == ["key"]),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json", lambda b: "bindings" in b),
])
def test_results_by_accept(server, accept, ctype, check_body):
    status, got, body = get(server, LOOKUP, accept)
    assert status == 200 and got.startswith(ctype) and check_body(body)


def test_post_forms_ask_construct_and_format_parameter(server):
    form = urlencode({"query": LOOKUP}).encode()
    s1, _, b1 = http(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    s2, _, b2 = http(f"{server}/sparql", LOOKUP.encode(), {"Content-Type": "application/sparql-query"})
    assert s1 == s2 == 200 and json.loads(b1) == json.loads(b2)
    s, _, b = get(server, "ASK { ?s ?p ?o }")
    assert s == 200 and json.loads(b)["boolean"] is True
    s, ct, b = get(server, "CONSTRUCT WHERE { ?s a ?t } LIMIT 2", "text/turtle")
    assert s == 200 and ct.startswith("text/turtle") and " a " in b or "rdf-syntax-ns#type" in b
    s, ct, b = get(server, LOOKUP, "application/json", format="csv")
    assert s == 200 and ct.startswith("text/csv")


@pytest.mark.parametrize("req, status, words", [
    (dict(query="SELEC"), 400, "syntax"),
    (dict(query="select * { service <http://127.0.0.1:9/> { ?s ?p ?o } }"), 400, "SERVICE"),
    (dict(query="SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://x/> { ?s ?p ?o } } }"), 400, "SERVICE"),
    # escapes in a prefixed name once made the lexer see a comment or a string where the engine sees none
    (dict(query="PREFIX ex: <http://e/>\nSELECT * { VALUES ?x { ex:a\\# } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
     400, "SERVICE"),
    (dict(query="PREFIX ex: <http://e/> SELECT * { VALUES ?x { ex:a\\' } SERVICE <http://127.0.0.1:9/> {} } #'"),
     400, "SERVICE"),
    (dict(query="ASK {}", accept="image/png"), 406, "cannot answer"),
    (dict(query="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", accept="text/csv"), 406, "graph"),
    (dict(query="ASK {}", format="pdf"), 406, "format"),
])
def test_errors_are_statuses_with_a_message(server, req, status, words):
    accept = req.pop("accept", "application/sparql-results+json")
    s, ct, body = get(server, req.pop("query"), accept, **req)
    assert s == status and ct.startswith("text/plain") and words.lower() in body.lower(), body


def test_http_level_errors(server):
    assert http(f"{server}/sparql")[0] == 400  # no query
    assert http(f"{server}/nowhere")[0] == 404
    assert http(f"{server}/sparql", b"x", {"Content-Type": "text/plain"})[0] == 415
    assert http(f"{server}/sparql", method="PUT", data=b"")[0] == 405
    s, _, body = http(f"{server}/sparql", b"q" * (3 << 19) + b"q" * 7, {"Content-Type": "application/sparql-query"})
    assert s == 413 and "larger" in body
    # DNS rebinding: a request that names another host is not answered
    s, _, body = http(f"{server}/sparql?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    assert s == 421


# -- deadlines, limits, and not blocking ------------------------------------------------------------

def test_a_slow_query_does_not_stall_lookups(server):
    """A cross product runs (seconds); lookups sent meanwhile still answer in milliseconds."""
    done = {}

    def slow():
        done["slow"] = get(server, SLOW)[0]

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    lat = []
    for _ in range(20):
        t0 = time.perf_counter()
        assert get(server, LOOKUP)[0] == 200
        lat.append(time.perf_counter() - t0)
    slow_still_running = t.is_alive()
    t.join(60)
    assert slow_still_running, "the slow query finished too early to show anything"
    assert done["slow"] == 200
    lat.sort()
    assert lat[len(lat) // 2] < 0.05 and lat[-2] < 0.2, lat


def test_timeout_stops_the_query_and_the_server_goes_on(strict):
    url, _ = strict
    t0 = time.perf_counter()
    s, _, body = get(url, HEAVY)
    took = time.perf_counter() - t0
    assert s == 503 and "stopped after 1 s" in body and took < 5
    assert get(url, LOOKUP)[0] == 200


def test_result_size_limit(strict):
    url, _ = strict
    s, _, body = get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert s == 422 and "LIMIT" in body
    assert get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")[0] == 200


def test_updates_when_allowed_but_never_load_nor_from_another_origin(strict):
    url, _ = strict
    ask = "ASK { <urn:kg:test> <urn:kg:p> 1 }"
    assert json.loads(get(url, ask)[2])["boolean"] is False
    upd = "INSERT DATA { GRAPH <urn:kg:g> { <urn:kg:test> <urn:kg:p> 1 } }"
    s, _, body = http(f"{url}/sparql", upd.encode(), {"Content-Type": "application/sparql-update",
                                                       "Origin": "http://evil.example"})
    assert s == 403 and "origin" in body
    s, _, _ = http(f"{url}/sparql", upd.encode(), {"Content-Type": "application/sparql-update"})
    assert s == 204
    assert json.loads(get(url, ask)[2])["boolean"] is True  # the workers follow the new snapshot
    for load in (b"LOAD <http://127.0.0.1:9/x.ttl>",
                 b"PREFIX ex: <http://e/>\nINSERT DATA { ex:a\\# ex:b ex:c } ; LOAD <http://127.0.0.1:9/x.ttl>"):
        s, _, body = http(f"{url}/sparql", load, {"Content-Type": "application/sparql-update"})
        assert s == 400 and "LOAD" in body, load


def test_with_updates_allowed_documents_are_read_only_below_the_servers_folder(strict, tmp_path):
    """A client that may write can write the manifest: /doc must not become a way to read any file."""
    url, _ = strict
    secret = tmp_path / "secret.txt"
    secret.write_text("Quyết định số 1/QĐ-UBND: SECRET-CONTENT\n", encoding="utf-8")
    if secret.resolve().is_relative_to(Path.cwd().resolve()):
        pytest.skip("the test's temporary folder lies inside the folder the server runs in")
    base = "https://w3id.org/vn-legal-kg"
    upd = (f'INSERT DATA {{ GRAPH <{base}/manifest> {{ <urn:kg:x> <{base}/ontology#source> "{secret}" ; '
           f'<{base}/ontology#sha256> "x" ; <{base}/ontology#graph> <urn:kg:g> }} }}')
    s, _, _ = http(f"{url}/sparql", upd.encode(), {"Content-Type": "application/sparql-update"})
    assert s == 204
    s, _, body = http(f"{url}/text?source={quote(str(secret))}")  # the page that reads a source's text
    assert s == 403 and "SECRET-CONTENT" not in body and "outside" in body
    s, _, body = http(f"{url}/doc?source={quote(str(secret))}")  # the document page reads the store only
    assert s == 404 and "SECRET-CONTENT" not in body


def test_a_body_the_server_does_not_read_closes_the_connection(server):
    """Else the unread body would be answered as a request of its own (request smuggling)."""
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(server)
    inner = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for method in (b"PUT", b"GET"):
        with socket.create_connection((u.hostname, u.port), timeout=10) as c:
            c.sendall(method + b" /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                      + str(len(inner)).encode() + b"\r\n\r\n" + inner)
            got = b""
            while chunk := c.recv(65536):
                got += chunk
        assert got.count(b"HTTP/1.1 ") == 1, got


def test_a_raw_utf8_request_line_is_read_as_utf8(server):
    """curl -g sends "HĐND" unencoded; http.server reads the line as Latin-1."""
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(server)
    with socket.create_connection((u.hostname, u.port), timeout=30) as c:
        c.sendall("GET /graph?focus=42/2022/NQ-HĐND&depth=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .encode("utf-8"))
        got = b""
        while chunk := c.recv(65536):
            got += chunk
    assert got.startswith(b"HTTP/1.1 200"), got[:200]


def test_a_graph_that_is_no_iri_is_a_400(server):
    s, _, body = get(server, "ASK {}", **{"default-graph-uri": "not an iri"})
    assert s == 400 and "not an IRI" in body


def test_a_build_while_serving_is_picked_up(strict, tmp_path):
    url, store = strict
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("42/2022", "45/2022"), encoding="utf-8")
    ask = 'ASK { ?d <https://w3id.org/vn-legal-kg/ontology#idKey> "45/2022/NQ-HDND" }'
    assert json.loads(get(url, ask)[2])["boolean"] is False
    assert not build([str(SEED), str(other)], store).failed
    assert json.loads(get(url, ask)[2])["boolean"] is True
    assert str(other) in http(url + "/")[2]
    s, _, body = http(f"{url}/sparql", b"INSERT DATA { <urn:a> <urn:b> ", {"Content-Type": "application/sparql-update"})
    assert s == 400 and "syntax" in body.lower()


def test_read_only_store_answers_from_many_threads():
    """What the workers rely on: pyoxigraph's read-only store queried from several threads at once
    gives the serial answers (and evaluates in parallel: the GIL is released)."""
    import tempfile

    from kg.graph.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        build([str(SEED)], tmp)
        s = Store.open_read(tmp)
        queries = [LOOKUP, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                   "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"] * 8
        want = [s.query(q) for q in queries]
        got: dict[int, list] = {}
        threads = [threading.Thread(target=lambda i=i, q=q: got.__setitem__(i, s.query(q)))
                   for i, q in enumerate(queries)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [got[i] for i in range(len(queries))] == want


# -- the explorer -------------------------------------------------------------------------------

def test_explorer_pages(server):
    s, ct, home = http(server + "/")
    assert s == 200 and ct.startswith("text/html") and SEED.name in home
    assert f">{SEED}<" not in home  # the file's name is shown, its path only in the tooltip
    s, _, page = http(f"{server}/doc?source={quote(str(SEED))}")
    assert s == 200 and 'id="kg-cited-by"' in page and 'id="kg-rests-on"' in page
    s, _, page = http(f"{server}/text?source={quote(str(SEED))}")
    assert s == 200 and "kg-doc" in page
    for bad in ("/doc?source=/etc/passwd", "/text?source=/etc/passwd"):
        s, _, _ = http(server + bad, headers={"Accept": "text/html"})
        assert s == 404  # only sources the store lists are ever read
    s, _, page = http(server + "/doc?node=javascript:alert(1)", headers={"Accept": "text/html"})
    assert s == 400
    s, _, page = http(server + "/query")
    assert s == 200 and "connect-src 'self'" in page and "most_cited" in page
    s, _, page = http(server + "/graph")
    assert s == 200 and "kg-graph" in page
    s, _, page = http(server + "/graph?focus=42/2022/NQ-H%C4%90ND&depth=1")
    assert s == 200


# -- pure parts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, refused", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * { service<http://x/>{} }", True),
    (r"SELECT * { \u0053ERVICE <http://x/> {} }", True),
    ("SELECT * { ?s ?p \"unterminated SERVICE }", True),
    ("SELECT ?service WHERE { ?service a \"SERVICE\" } # SERVICE", False),
    ("PREFIX ex: <http://x/SERVICE> SELECT * { ex:SERVICE a <urn:SERVICE> }", False),
    ("SELECT * { ?s ?p '''a ' SERVICE '' b''' }", False),
    ("PREFIX ex: <http://e/>\nSELECT * { VALUES ?x { ex:a\\# } SERVICE <http://x/> {} }", True),
    ("PREFIX ex: <http://e/> SELECT * { VALUES ?x { ex:a\\' } SERVICE <http://x/> {} } #'", True),
    ("SELECT * { SERVICE # a comment between\n ?endpoint {} }", True),
])
def test_service_is_found_only_as_a_keyword(text, refused):
    assert fetches(text, "SERVICE") == refused


def test_query_form_and_protocol_parsing():
    assert query_form("PREFIX a: <urn:select> CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    op = parse("GET", "query=ASK%7B%7D&default-graph-uri=urn:g", None, b"")
    assert op.query == "ASK{}" and op.default_graphs == ["urn:g"]
    assert parse("POST", "", "application/sparql-update", b"CLEAR ALL").update == "CLEAR ALL"
    for args, status in [(("GET", "update=CLEAR%20ALL", None, b""), 400),
                         (("POST", "", "application/x-www-form-urlencoded", b"query=a&update=b"), 400),
                         (("POST", "", "text/plain", b"ASK{}"), 415),
                         (("GET", "query=a&query=b", None, b""), 400)]:
        with pytest.raises(HttpError) as e:
            parse(*args)
        assert e.value.status == status
    with pytest.raises(HttpError) as e:
        check(parse("POST", "", "application/sparql-update", b"CLEAR ALL"), allow_update=False)
    assert e.value.status == 403


def test_negotiation():
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml") == ("application/sparql-results+xml", None)
    assert negotiate(None) == ("application/sparql-results+json", "text/turtle")
    assert negotiate("text/turtle") == (None, "text/turtle")
    with pytest.raises(NotAcceptable):
        negotiate("image/png")


# -- the explorer in a real browser -------------------------------------------------------------------

from test_viz_browser import browser  # noqa: E402,F401 - Debian's chromium, skipped with the reason when absent


class Visit:
    """A page of the server with every request checked: only the server itself may be asked."""

    def __init__(self, browser, base: str):
        from test_viz_browser import HOOKS

        self.base = base
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.left: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.ctx.route("**/*", self._route)
        self.ctx.add_init_script(HOOKS)
        self.page = self.ctx.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def open(self, path: str, ready: str = "body") -> None:
        resp = self.page.goto(self.base + path)
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        self.page.wait_for_selector(ready, timeout=30000)

    def assert_quiet(self) -> None:
        assert not self.left, f"requests left the server: {self.left}"
        assert self.requests and all(u.startswith(self.base + "/") for u in self.requests)
        assert self.page.evaluate("() => window.__kgAlerts") == [] and not self.dialogs
        assert self.page.evaluate("() => window.pwned") is None
        assert self.page.evaluate("() => window.__kgViolations") == []
        assert not self.errors, self.errors
        assert not self.console, self.console


@pytest.mark.browser
def test_explorer_in_chromium(browser, server):
    v = Visit(browser, server)
    try:
        v.open("/")
        assert v.page.locator("#kg-documents a").count() == 1
        v.assert_quiet()
        v.open("/query", "body[data-ready='1']")
        v.page.get_by_role("button", name="by_level_year", exact=True).click()
        v.page.click("#kg-run")
        v.page.wait_for_selector("#kg-results table tbody tr")
        assert "dòng" in v.page.inner_text("#kg-status")  # Vietnamese by default
        v.page.fill("#kg-sparql", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        v.page.click("#kg-run")
        v.page.wait_for_selector("#kg-results .kg-error")
        assert "HTTP 400" in v.page.inner_text("#kg-status")
        assert v.console == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
        v.console.clear()
        v.assert_quiet()
        v.open("/graph", "body[data-ready='1']")
        assert v.page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent).nodes.length") > 10
        v.assert_quiet()
        v.open(f"/text?source={quote(str(SEED))}", "body[data-ready='1']")
        hrefs = v.page.eval_on_selector_all("#kg-doc a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith("/graph#node=") for h in hrefs)
        v.assert_quiet()
        v.open(f"/doc?source={quote(str(SEED))}", "#kg-cited-by")
        v.assert_quiet()
    finally:
        v.ctx.close()


@pytest.mark.browser
def test_hostile_document_runs_nothing_in_any_page(browser, tmp_path):
    from test_viz import write_hostile

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile = write_hostile(corpus)
    d = tmp_path / "store"
    assert not build([str(hostile)], d).failed
    p, url = kg_serve(d)
    v = Visit(browser, url)
    try:
        v.open("/")
        assert "<img" in v.page.inner_text("#kg-documents")  # shown as text, not markup
        v.assert_quiet()
        v.open("/graph", "body[data-ready='1']")
        v.assert_quiet()
        v.open(f"/text?source={quote(str(hostile))}", "body[data-ready='1']")
        v.assert_quiet()
        v.open(f"/doc?source={quote(str(hostile))}", "#kg-facts")
        v.assert_quiet()
        v.open("/search?q=" + quote("<img src=x onerror=alert(1)>"), "#kg-count")
        v.assert_quiet()
        v.open("/query", "body[data-ready='1']")
        v.page.fill("#kg-sparql", "PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> "
                                  "SELECT ?s WHERE { ?d kg:source ?s }")
        v.page.click("#kg-run")
        v.page.wait_for_selector("#kg-results table tbody tr")
        assert "<img" in v.page.inner_text("#kg-results")
        v.assert_quiet()
    finally:
        v.ctx.close()
        p.stop()
