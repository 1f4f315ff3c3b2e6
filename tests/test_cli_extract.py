"""`kg extract` from the command line: formats, folders, bad files and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from click.testing import CliRunner

from conftest import SEED
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
