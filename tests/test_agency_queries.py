"""Questions that follow the tree (issue 15): `kg deps` on a parent task includes what its items
rest on, `kg deps` by words matches like a person expects, `kg agency NAME` lists what an agency
has to do and under which documents. Over the seed's graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from kg.cli import main
from kg.graph import query as Q
from kg.graph.build import build
from kg.graph.store import Store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    d: Path = tmp_path_factory.mktemp("store")
    rep = build([str(SEED)], d)
    assert not rep.failed
    return d


@pytest.fixture(scope="module")
def store(store_dir) -> Store:
    return Store.open_read(store_dir)


def test_deps_of_a_parent_task_goes_through_its_items(store):
    # "- Tiếp tục triển khai:" with its "+" items cites nothing itself; its items do
    rows = Q.deps(store, "II.1.2")
    assert rows, "the parent task rests on what its items rest on"
    assert all(r["through"] and r["through"].startswith("II.1.2.") for r in rows)
    assert "1962/KH-UBND" in {r["id"] for r in rows}
    own = Q.deps(store, "II.2.5.1")  # a task that cites by itself: no 'through'
    assert own and all(r["through"] is None for r in own)


@pytest.mark.parametrize("words", ["Kế hoạch hỗ trợ hệ sinh thái", "ke hoach ho tro he sinh thai",
                                   "HỆ SINH THÁI hỗ trợ kế hoạch"])
def test_task_search_diacritics_optional_all_words_best_first(store, words):
    hits = Q.task_search(store, words)
    assert hits and hits[0]["id"] == "II.2.5.1", [h["id"] for h in hits[:3]]


def test_no_task_matches_said_plainly(store):
    with pytest.raises(Q.NotFound, match="no task matches"):
        Q.deps(store, "những từ không có trong kế hoạch nào")


@pytest.mark.parametrize("name", ["UBND tỉnh Tây Ninh", "ubnd tinh tay ninh", "Ủy ban nhân dân tỉnh Tây Ninh"])
def test_agency_lists_the_tasks_it_is_advised_on_with_their_bases(store, name):
    rows = Q.agency(store, name)
    assert {r["agency"] for r in rows} == {"Ủy ban nhân dân tỉnh Tây Ninh"}
    advised = {r["id"]: r for r in rows if r["role"] == "advised"}
    assert "II.6.1" in advised and "13/2021/TT-BKHCN" in advised["II.6.1"]["rests_on"]
    assert not any(r["role"] in ("mentioned", "recipient", "signer") for r in rows)


def test_agency_cli_and_unknown_name(store_dir):
    r = CliRunner().invoke(main, ["agency", "UBND tỉnh Tây Ninh", "--store", str(store_dir), "--format", "csv"])
    assert r.exit_code == 0 and "II.6.1" in r.output and "rests_on" in r.output.splitlines()[0]
    r = CliRunner().invoke(main, ["agency", "Sở Không Có Thật", "--store", str(store_dir)])
    assert r.exit_code != 0 and "no agency named like" in r.output
