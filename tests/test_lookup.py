"""One resolver for what people type (kg.graph.lookup), the same in the CLI, `kg sparql -p` and the
explorer: table-driven from the seed's own citations, typed the ways officers type them. Also the
command line's tables, which never cut without saying so, and `most_cited`'s ties."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED
from kg.graph.build import build
from kg.graph.lookup import lookup, one, param_values
from kg.graph.query import NotFound, cites, top_with_ties
from kg.graph.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("lookup") / "store"
    assert not build([str(SEED)], d).failed
    return d


# (typed, kind of the first match, its label, whether it is the only match)
CASES = [
    ("nghi dinh 55/2011/nd-cp", "document", "55/2011/NĐ-CP", True),   # no diacritics, lower case
    ("nghi dinh 55/2011", "document", "55/2011/NĐ-CP", True),         # type words without diacritics
    ("NĐ 55/2011", "document", "55/2011/NĐ-CP", True),                # the type code and number/year
    ("nghị định 55", "document", "55/2011/NĐ-CP", True),              # the number alone, with the type
    ("Nghị quyết 42", "document", "42/2022/NQ-HĐND", True),
    ("42/2022/NQ-HĐND", "document", "42/2022/NQ-HĐND", True),         # Đ as typed
    ("42/2022/NQ-HDND", "document", "42/2022/NQ-HĐND", True),         # D for Đ
    ("Chương trình phát triển tài sản trí tuệ đến năm 2030", "document",
     "Chương trình phát triển tài sản trí tuệ đến năm 2030 trên địa bàn tỉnh Tây Ninh", True),  # a title
    ("II.2.3", "task", "II.2.3 Triển khai Nghị quyết số 42/2022/NQ-HĐND", True),  # a task's number
    ("hỗ trợ đăng ký bảo hộ", "task", "II.2.3 Triển khai Nghị quyết số 42/2022/NQ-HĐND", False),  # its words
    ("Sở Khoa học và Công nghệ tỉnh Tây Ninh", "agency", "Sở Khoa học và Công nghệ tỉnh Tây Ninh", False),
]


@pytest.mark.parametrize("typed, kind, label, only", CASES)
def test_lookup_table(store, typed, kind, label, only):
    res = lookup(Store.open_read(store), typed)
    assert res.matches, res.reason
    first = res.matches[0]
    assert first.kind == kind and first.label.startswith(label)
    assert res.ambiguous is not only
    assert res.total == len(res.matches)


@pytest.mark.parametrize("typed", ["Quyết định 42", "thong tu 55/2011"])
def test_a_number_of_another_type_is_not_swapped(store, typed):
    """"Quyết định 42" when only a Nghị quyết is numbered 42: the reason names it, nothing is guessed."""
    with pytest.raises(NotFound) as e:
        cites(Store.open_read(store), typed)
    assert "numbered alike" in str(e.value)


def test_ambiguity_is_a_choice_list(store):
    with pytest.raises(NotFound) as e:
        one(Store.open_read(store), "tài sản trí tuệ")
    assert "things match" in str(e.value) and "II.2.8" in str(e.value)


@pytest.mark.parametrize("name, typed, want", [
    ("KEYS", "nghi dinh 55/2011/nd-cp", ["55/2011/ND-CP"]),
    ("KEYS", "NĐ 55/2011", ["55/2011/ND-CP"]),
    ("KEYS", "42/2022/NQ-HĐND", ["42/2022/NQ-HDND"]),
    ("NODES", "Nghị quyết 42", ["https://w3id.org/vn-legal-kg/eli/vn/tay-ninh/nghi-quyet/2022/42-2022-nq-hdnd"]),
])
def test_query_parameters_go_through_the_resolver(store, name, typed, want):
    assert param_values(Store.open_read(store), name, [typed]) == want


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_cli_cites_and_sparql_param_agree(store):
    a = kg("cites", "nghi dinh 55/2011", "--store", str(store), "--format", "csv")
    b = kg("sparql", "cites", "-p", "KEYS=NĐ 55/2011", "--store", str(store), "--format", "csv")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert "II.3.3" in a.stdout and "55/2011/NĐ-CP" in b.stdout
    c = kg("sparql", "describe", "-p", "NODES=tài sản trí tuệ", "--store", str(store))
    assert c.returncode == 1 and "things match" in c.stderr and "Traceback" not in c.stderr


def test_tables_say_what_they_cut(store):
    r = kg("cites", "Nghị quyết 42", "--store", str(store))
    assert r.returncode == 0 and "shortened to 60 characters" in r.stdout and "--full" in r.stdout
    full = kg("cites", "Nghị quyết 42", "--store", str(store), "--full")
    assert "shortened" not in full.stdout and "…" not in full.stdout.replace("….", "")
    st = kg("stats", "--store", str(store))
    for block in st.stdout.split("\n== ")[1:]:
        header, _, body = block.partition("\n")
        n = int(header.rsplit("(", 1)[1].rstrip(")"))
        lines = [x for x in body.splitlines()[2:] if x.strip() and not x.startswith(("…", "("))]
        more = [x for x in body.splitlines() if x.startswith("… ")]
        shown_more = int(more[0].split()[1]) if more else 0
        assert len(lines) + shown_more == n, header  # the header's count is what is shown and said


def test_most_cited_keeps_the_ties_at_its_limit():
    rows = [{"id": f"d{i}", "citing_documents": 30 - i, "mentions": 1} for i in range(24)]
    rows += [{"id": f"tie{i}", "citing_documents": 2, "mentions": 5} for i in range(3)]
    rows += [{"id": "less", "citing_documents": 1, "mentions": 9}]
    kept = top_with_ties(rows, 25)
    assert [r["id"] for r in kept[24:]] == ["tie0", "tie1", "tie2"] and len(kept) == 27
