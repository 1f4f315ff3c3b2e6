"""`kg extract` from the command line: formats, folders, bad files and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import ROOT, SEED
from kg.cli import main


def test_one_file_gives_one_json_object():
    r = CliRunner().invoke(main, ["extract", str(SEED)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["document"]["issuer"] == "Sở Khoa học và Công nghệ tỉnh Tây Ninh"
    c = next(c for c in d["citations"] if c["identifier"] == "42/2022/NQ-HĐND")
    assert (c["doc_type"], c["number"], c["year"], c["symbol"], c["date"], c["relation"]) == (
        "Nghị quyết", "42", 2022, "NQ-HĐND", "2022-12-09", "cites")
    text = SEED.read_text(encoding="utf-8")
    assert text[c["start"]:c["end"]] == c["text"]
    assert d["text_kind"] == "text"


def test_table_and_csv():
    r = CliRunner().invoke(main, ["extract", str(SEED), "--format", "table"])
    assert r.exit_code == 0 and "[căn cứ] 06-NQ/TU" in r.stdout and "(in 50-NQ/CP)" in r.stdout
    r = CliRunner().invoke(main, ["extract", str(SEED), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert sum(1 for x in rows if x["kind"] == "numbered") == 19


def test_bad_files_are_named_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 50)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    p = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(tmp_path), str(tmp_path / "missing.txt")],
                       capture_output=True, text=True)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    docs = json.loads(p.stdout)
    assert [d["source"] for d in docs] == [str(good)]
    for name in ("empty.txt", "binary.txt", "broken.pdf", "missing.txt"):
        assert name in p.stderr
    assert "failed" in p.stderr


def test_usage_error_exits_2():
    r = CliRunner().invoke(main, ["extract", str(SEED), "--format", "yaml"])
    assert r.exit_code == 2


# -- streamed output (issue 19: a failure late in a batch lost the whole batch's JSON) ------------

def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kg.cli", "extract", *map(str, args)], capture_output=True, **kw)


def test_json_array_is_written_as_before_and_jsonl_is_one_citation_a_line(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c.txt").write_text("Không có trích dẫn nào ở đây.\n", encoding="utf-8")
    p = _run(tmp_path)
    docs = json.loads(p.stdout)
    assert p.stdout.decode("utf-8") == json.dumps(docs, ensure_ascii=False, indent=1) + "\n"  # same bytes as a dump
    assert [Path(d["source"]).name for d in docs] == ["a.txt", "b.txt", "c.txt"]
    p = _run(tmp_path, "--format", "jsonl")
    lines = [json.loads(ln) for ln in p.stdout.decode("utf-8").splitlines()]
    assert len(lines) == sum(len(d["citations"]) for d in docs)
    assert {Path(x["source"]).name for x in lines} == {"a.txt", "b.txt"}
    assert all(x["text_kind"] == "text" and "identifier" in x for x in lines)
    p = _run(tmp_path / "missing.txt")  # one file that fails: an empty list, as before
    assert p.returncode == 1 and json.loads(p.stdout) == []


def test_a_name_that_is_not_utf8_is_processed_and_written_as_utf8(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.txt"
    with open(raw, "wb") as f:
        f.write(SEED.read_bytes())
    for fmt in ("json", "jsonl", "csv"):
        p = _run(tmp_path, "--format", fmt)
        assert p.returncode == 0, p.stderr
        out = p.stdout.decode("utf-8")  # strict: valid UTF-8
        assert "caf\\\\xe9 \\\\xff.txt" in out if fmt != "csv" else "caf\\xe9 \\xff.txt" in out
        assert b"internal error" not in p.stderr
    store = tmp_path.parent / (tmp_path.name + "-store")
    p = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path), "--store", str(store)],
                       capture_output=True, cwd=ROOT)
    assert p.returncode == 0 and b"failed 0" in p.stderr, p.stderr
    p = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path), "--store", str(store)],
                       capture_output=True, cwd=ROOT)
    assert b"unchanged 1" in p.stderr, p.stderr  # the manifest knows it by its written name


def _slow_batch(tmp_path: Path) -> Path:
    """A good file, then one that takes seconds to extract: time to interrupt the batch between them."""
    (tmp_path / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(SEED.read_text(encoding="utf-8") * 150, encoding="utf-8")
    return tmp_path


def _interrupt_after_first(tmp_path: Path, fmt: str, sig: int) -> tuple[bytes, int]:
    p = subprocess.Popen([sys.executable, "-m", "kg.cli", "extract", str(_slow_batch(tmp_path)), "--format", fmt],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    first = p.stdout.read1(1 << 16)  # the first document arrives before the batch ends
    time.sleep(0.3)
    p.send_signal(sig)
    rest = p.stdout.read()
    return first + rest, p.wait(30)


def test_a_batch_killed_late_keeps_what_was_written(tmp_path):
    out, _ = _interrupt_after_first(tmp_path, "jsonl", signal.SIGKILL)
    lines = out.decode("utf-8").splitlines()
    assert lines and all(Path(json.loads(ln)["source"]).name == "a.txt" for ln in lines)


def test_an_interrupted_json_array_is_closed_and_valid(tmp_path):
    out, code = _interrupt_after_first(tmp_path, "json", signal.SIGINT)
    docs = json.loads(out)
    assert code == 1 and [Path(d["source"]).name for d in docs] == ["a.txt"]
