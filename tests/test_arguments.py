"""Arguments a user (or an attacker's file) hands the CLI: links and queries taken for what they are.

Reproducers from issue 19: `kg annotate --graph` refused "javascript:" but took "\\x01javascript:"
and "java\\tscript:"; `kg sparql "<a long one-line query>"` tried the text as a file name and died
with "OSError: File name too long".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from kg.cli import main
from kg.graph.build import build
from kg.viz.annotate import check_graph_href


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("args") / "store"
    assert not build([str(SEED)], d).failed
    return d


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("href", ["\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:x",
                                  "\x00javascript:x", "javascript\x0b:x", "\\\\evil\\g.html", "g\u200b.html",
                                  "vbscript:x", "g.html?x=javascript:y", " graph.html", "graph.html "])
def test_graph_link_refuses_what_browsers_read_as_a_scheme(href):
    """Browsers strip controls and tabs before reading the scheme: so an allow-list of path characters."""
    with pytest.raises(ValueError):
        check_graph_href(href)
    assert check_graph_href("out/đồ-thị_1.html") == "out/đồ-thị_1.html"
    assert check_graph_href("../graph.html") == "../graph.html"


def test_annotate_refuses_a_control_character_scheme(tmp_path):
    r = _cli("annotate", SEED, "-o", tmp_path / "a.html", "--graph", "\x01javascript:alert(1)")
    assert r.exit_code == 2 and "relative path" in r.output
    assert not (tmp_path / "a.html").exists()


def test_sparql_long_one_line_query_is_text_not_a_path(seed_store):
    pad = " ".join(f"?v{i}" for i in range(200))
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {pad}"
    assert len(q) > 1000 and "\n" not in q
    r = _cli("sparql", q, "--store", seed_store, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["n"] > 0
    r = _cli("sparql", "ASK" + " " * 400 + "{ ?s ?p ?o }", "--store", seed_store, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == [{"result": True}], r.output


def test_sparql_rq_path_rule(seed_store, tmp_path):
    r = _cli("sparql", tmp_path / "missing" / "query.rq", "--store", seed_store)
    assert r.exit_code == 1 and "no such file" in r.output
    q = tmp_path / ("x" * 300 + ".rq")  # a name too long for the filesystem: refused by name, no traceback
    r = _cli("sparql", q, "--store", seed_store)
    assert r.exit_code == 1 and "cannot read" in r.output and "Traceback" not in r.output
