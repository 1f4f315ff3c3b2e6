"""A graph on a real SPARQL 1.1 server: Oxigraph's own server process, started and stopped here.

`kg build --endpoint` writes the real corpus to it; `kg cites/deps/impact --endpoint` must then
give the rows the embedded store gives. Both write paths (Graph Store Protocol, SPARQL Update) and
both ways of getting the union default graph (server option, request parameter) are exercised.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEED, graph_lines, need_shared
from kg.cli import main
from kg.graph.build import build
from kg.graph.remote import EndpointError, RemoteStore, endpoints
from kg.graph.store import Store
from servers import free_port, oxigraph_serve


# the shipped most_cited takes 15 s on the real corpus; this picks the same kind of keys in 0.2 s
MOST_CITED_KEYS = """PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
SELECT ?key (COUNT(?m) AS ?n) WHERE { ?m kg:cited ?d . ?d kg:idKey ?key }
GROUP BY ?key ORDER BY DESC(?n) ?key LIMIT 5"""


@pytest.fixture(scope="module")
def union_server(tmp_path_factory):
    """`oxigraph serve --union-default-graph`: the setup docs/serve.md recommends."""
    p, url = oxigraph_serve(tmp_path_factory.mktemp("ox-union"), "--union-default-graph")
    yield url
    p.stop()


@pytest.fixture
def plain_server(tmp_path):
    """Oxigraph as it starts by default: the default graph is its own, empty graph."""
    p, url = oxigraph_serve(tmp_path / "ox-plain")
    yield url
    p.stop()


def cli(*args: str):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_endpoint_urls():
    assert endpoints("http://127.0.0.1:7878") == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                                  "http://127.0.0.1:7878/store")
    assert endpoints("http://h:3030/ds/query") == ("http://h:3030/ds/query", "http://h:3030/ds/update", None)
    assert endpoints("http://h:8890/sparql") == ("http://h:8890/sparql", "http://h:8890/sparql", None)
    with pytest.raises(ValueError):
        endpoints("file:///etc/passwd")


def _seed_lines(tmp_path) -> list[bytes]:
    d = tmp_path / "embedded"
    build([str(SEED)], d)
    return graph_lines(Store.open_read(d).dump())


def test_seed_through_update_without_server_union(tmp_path, plain_server):
    """Only SPARQL endpoints (.../query, .../update): writes go as SPARQL Update, and the union
    default graph is asked for per request, found by probing."""
    url = plain_server + "/query"
    rep = build([str(SEED)], endpoint=url)
    assert rep.added == [str(SEED)] and not rep.failed
    remote = RemoteStore(url)
    assert remote.gsp_url is None
    assert graph_lines(remote.dump()) == _seed_lines(tmp_path)
    assert json.loads(cli("cites", "42/2022/NQ-HĐND", "--endpoint", url, "--format", "json"))
    assert remote.union_mode() == "param"
    again = build([str(SEED)], endpoint=url)
    assert again.unchanged == [str(SEED)] and again.added == again.updated == []


def test_seed_through_graph_store_protocol(tmp_path, plain_server):
    rep = build([str(SEED)], endpoint=plain_server)
    assert not rep.failed
    remote = RemoteStore(plain_server)
    assert remote.gsp_url == plain_server + "/store"
    assert graph_lines(remote.dump()) == _seed_lines(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("42/2022", "45/2022"), encoding="utf-8")
    build([str(SEED), str(other)], endpoint=plain_server)
    assert set(remote.manifest()) >= {str(SEED), str(other)}
    other.unlink()
    rep = build([str(SEED)], endpoint=plain_server, prune=True)
    assert rep.removed == [str(other)]
    assert str(other) not in remote.manifest()
    assert not any("45/2022" in r["k"] for r in remote.query(
        'SELECT ?k WHERE { ?d <https://w3id.org/vn-legal-kg/ontology#idKey> ?k }'))


def test_real_corpus_cites_the_same_rows_as_the_embedded_store(tmp_path, union_server):
    need_shared(CORPUS)
    d = tmp_path / "store"
    local = build([str(CORPUS)], d, workers=2)
    remote = build([str(CORPUS)], endpoint=union_server, workers=2)
    assert len(local.added) == len(remote.added) >= 60 and not remote.failed
    assert RemoteStore(union_server).union_mode() == "server"
    assert len(RemoteStore(union_server)) == len(Store.open_read(d))
    top = json.loads(cli("sparql", MOST_CITED_KEYS, "--store", str(d), "--format", "json"))
    ids = [r["key"] for r in top] + ["Luật Ngân sách nhà nước"]
    for ident in ids:
        want = cli("cites", ident, "--store", str(d), "--format", "json")
        got = cli("cites", ident, "--endpoint", union_server, "--format", "json")
        assert json.loads(got) == json.loads(want) and json.loads(want), ident
    want = cli("impact", ids[0], "--store", str(d), "--format", "json")
    assert cli("impact", ids[0], "--endpoint", union_server, "--format", "json") == want


def test_errors_name_the_server_and_the_reason(plain_server):
    with pytest.raises(EndpointError, match="HTTP 400"):
        RemoteStore(plain_server).query("SELEC")
    dead = f"http://127.0.0.1:{free_port()}"
    r = CliRunner().invoke(main, ["cites", "42/2022/NQ-HĐND", "--endpoint", dead])
    assert r.exit_code == 1 and "cannot reach the SPARQL endpoint" in r.output
    r = CliRunner().invoke(main, ["cites", "x", "--endpoint", plain_server, "--store", "somewhere"])
    assert r.exit_code == 2 and "not both" in r.output
