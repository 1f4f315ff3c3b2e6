"""A fuzz target for the command line: `kg extract` over folders of generated files (issue 19).

Names with odd bytes (not UTF-8, spaces, controls), text in several encodings, HTML, .docx whole
or cut short, empty and binary files. Every file must be processed or refused by name, and the
output must be valid UTF-8 JSON (--format json) and JSON lines (--format jsonl). The budget is the
hypothesis profile's (tests/conftest.py), a fifth of it here since every example runs the CLI
twice; `KG_HYPOTHESIS_PROFILE=long` makes it a long fuzz run.
"""

from __future__ import annotations

import io
import json
import os
import tempfile

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.ingest.names import display_path

SUFFIXES = [b".txt", b".md", b".html", b".htm", b".docx", b".pdf", b".doc"]
VI = ["Căn cứ ", "Quyết định số ", "01/QĐ-UBND", " ngày 07/01/2023", " của UBND tỉnh", "\n", "Điều 5. ",
      "- ", "Số: 206-CP", "Nghị quyết số 42/2022/NQ-HĐND", "Ð", "hoá", "“", "\t", " "]


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Căn cứ Nghị định số 55/2011/NĐ-CP ngày 04/7/2011 của Chính phủ;")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX = _docx()

texts = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(VI), max_size=30).map("".join))
encoded = st.tuples(texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"])).map(
    lambda t: t[0].encode(t[1], errors="replace"))
html = texts.map(lambda t: f"<html><body><div><p>{t}</p></div></body></html>".encode("utf-8"))
docx_cut = st.integers(min_value=0, max_value=len(DOCX)).map(lambda n: DOCX[:n] if n else DOCX)
contents = st.one_of(encoded, html, docx_cut, st.binary(max_size=200), st.just(b""), st.just(b"   \n"))
names = st.binary(min_size=1, max_size=10).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
files = st.lists(st.tuples(names, st.sampled_from(SUFFIXES), contents), min_size=1, max_size=5)


def _write(folder: bytes, spec) -> list[str]:
    paths = []
    for i, (name, suffix, data) in enumerate(spec):
        path = folder + b"/" + b"%02d-" % i + name + suffix  # a number first: unique, never hidden
        with open(path, "wb") as f:
            f.write(data)
        paths.append(os.fsdecode(path))
    return paths


def _run(folder: str, fmt: str):
    r = CliRunner().invoke(main, ["extract", folder, "--format", fmt])
    assert r.exit_code in (0, 1), (r.exit_code, r.output, r.exception)
    return r.stdout_bytes.decode("utf-8"), r.stderr_bytes.decode("utf-8")  # strict: valid UTF-8


@settings(max_examples=max(5, settings().max_examples // 5))
@given(files)
def test_every_file_processed_or_refused_by_name_and_the_output_is_utf8_json(spec):
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:
        paths = _write(os.fsencode(tmp), spec)
        out, err = _run(tmp, "json")
        docs = json.loads(out)
        processed = {d["source"] for d in docs}
        refused = err.split("\nfailed:\n", 1)[1].splitlines() if "\nfailed:\n" in err else []
        for p in paths:
            shown = display_path(p)
            assert shown in processed or any(line.startswith(shown + ": ") for line in refused), (shown, err)
        assert len(processed) + len(refused) == len(paths)
        out, _ = _run(tmp, "jsonl")
        lines = [json.loads(line) for line in out.splitlines()]
        assert {x["source"] for x in lines} <= processed
        assert len(lines) == sum(len(d["citations"]) for d in docs)
