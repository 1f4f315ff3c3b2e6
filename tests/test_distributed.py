"""Distributed extraction: a process pool and a Dask cluster give the serial build's graph exactly.

The cluster is a real one on loopback (a scheduler and two worker processes talking TCP), started
and stopped here; the same pure function (kg.graph.build.document_ntriples) runs on it.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import graph_lines, CORPUS, SEED, need_shared
from kg.batch import run_batch
from kg.cli import main
from kg.graph.build import build, document_ntriples
from kg.graph.store import Store

FOLDERS = ("congbao-hrmaster", "tvpldocx-hoangit", "wordseg-nguyenquocbao97")  # text, DOCX, short files


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="Dask is not installed: pip install 'dask[distributed]'")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    need_shared(CORPUS)
    d = tmp_path_factory.mktemp("inputs")
    for name in FOLDERS:
        shutil.copytree(CORPUS / name, d / name)
    shutil.copy(SEED, d / SEED.name)
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a PDF at all")
    return [str(d)]


def _lines(store_dir) -> list[bytes]:
    return graph_lines(Store.open_read(store_dir).dump())


def _same_graph(a, b) -> bool:
    """Equal N-Quads line sets (no blank nodes here), else rdflib's isomorphism as the judge."""
    la, lb = _lines(a), _lines(b)
    if la == lb:
        return True
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    da, db = Dataset(), Dataset()
    da.parse(data=b"\n".join(la), format="nquads")
    db.parse(data=b"\n".join(lb), format="nquads")
    return isomorphic(da, db)


def test_pool_and_cluster_builds_equal_the_serial_build(tmp_path, inputs, cluster):
    serial = build(inputs, tmp_path / "serial")
    pooled = build(inputs, tmp_path / "pooled", workers=2)
    dask = build(inputs, tmp_path / "dask", scheduler=cluster)
    assert len(serial.added) >= 15 and sorted(dask.added) == sorted(pooled.added) == sorted(serial.added)
    failed = [(f.path, f.reason) for f in serial.failed]
    assert [f[0].rsplit("/", 1)[-1] for f in failed] == ["broken.pdf"]
    assert [(f.path, f.reason) for f in pooled.failed] == [(f.path, f.reason) for f in dask.failed] == failed
    assert _same_graph(tmp_path / "serial", tmp_path / "pooled")
    assert _same_graph(tmp_path / "serial", tmp_path / "dask")


def test_cluster_reports_failures_per_file_like_run_batch(tmp_path, cluster):
    from kg.graph.distributed import run_on_dask

    good = tmp_path / "good.txt"
    good.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    paths = [str(good), str(bad), str(tmp_path / "missing.txt")]
    got = run_on_dask(paths, document_ntriples, cluster)
    want = run_batch(paths, document_ntriples)
    assert [p for p, _ in got.ok] == [p for p, _ in want.ok] == [str(good)]
    assert [(f.path, f.reason) for f in got.failed] == [(f.path, f.reason) for f in want.failed]
    assert len(got.failed) == 2


def test_cli_build_on_the_cluster(tmp_path, cluster):
    r = CliRunner().invoke(main, ["build", str(SEED), "--store", str(tmp_path / "s"), "--scheduler", cluster,
                                  "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "added 1" in r.output


def test_unreachable_scheduler_is_one_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from servers import free_port

    monkeypatch.setenv("KG_DASK_TIMEOUT", "2")
    r = CliRunner().invoke(main, ["build", str(SEED), "--store", str(tmp_path / "s"), "--scheduler",
                                  f"tcp://127.0.0.1:{free_port()}", "--no-progress"])
    assert r.exit_code == 1 and "Dask scheduler" in r.output
