"""Every reader bounds what a file may cost: decompressed size and nesting (issue 19).

Reproducers: a .docx zip bomb of 2 GiB inflated reached 4.26 GB before being refused; nested
<div> HTML took 7 s at 2,000 levels and 156 s at 8,000; a 50 MB page ran 15 minutes at 5.65 GB.
The refusals are tested here; the growth of the costs with the input is measured by
benchmarks/bench_growth.py and by the cost-ratio property at the end.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from kg.ingest.html import read_html_text
from kg.ingest.readers import IngestError, read_source
from kg.ingest.source import DEFAULT_LIMITS, Limits

GOOD_LINE = "Căn cứ Quyết định số 01/QĐ-UBND ngày 07/01/2023 của UBND tỉnh;"


def small_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(GOOD_LINE)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def bomb_docx(path: Path, inflated: int) -> Path:
    """A real .docx with one more member: `inflated` bytes of zeros, deflated to a few MB."""
    base = zipfile.ZipFile(io.BytesIO(small_docx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for item in base.infolist():
            z.writestr(item, base.read(item))
        chunk = bytes(1 << 24)
        with z.open("word/media/image1.bin", "w", force_zip64=True) as f:
            for _ in range(inflated // len(chunk)):
                f.write(chunk)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return bomb_docx(tmp_path_factory.mktemp("bomb") / "bomb.docx", 2 << 30)


def nested_html(levels: int, tail: str = "</div>") -> str:
    return "<html><body>" + "<div>" * levels + f"<p>{GOOD_LINE}</p>" + tail * levels + "</body></html>"


def test_zip_bomb_is_refused_naming_file_and_limit(bomb):
    assert bomb.stat().st_size < 20 << 20
    t = time.perf_counter()
    with pytest.raises(IngestError) as e:
        read_source(bomb)
    assert time.perf_counter() - t < 5  # refused from the directory, not by inflating 2 GiB
    assert str(bomb) in str(e.value) and "max_inflated" in e.value.reason and "256.0 MB" in e.value.reason


def test_a_member_that_lies_about_its_size_fails_its_check(tmp_path):
    """zipfile stops a member at its declared size: a forged small size cannot inflate more."""
    good = small_docx()
    z = zipfile.ZipFile(io.BytesIO(good))
    names = z.namelist()
    assert read_source(_write(tmp_path / "ok.docx", good)).text == GOOD_LINE
    forged = _forge_size(good, "word/document.xml", 10)
    with pytest.raises(IngestError) as e:
        read_source(_write(tmp_path / "forged.docx", forged))
    assert "damaged" in e.value.reason and names


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _forge_size(data: bytes, member: str, size: int) -> bytes:
    """The same ZIP with one member's declared uncompressed size set to `size` everywhere."""
    import struct

    out = bytearray(data)
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo(member)
    struct.pack_into("<I", out, info.header_offset + 22, size)  # local header
    pos = data.find(b"PK\x01\x02")  # central directory entries
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", out, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_a_low_limit_is_a_named_option(tmp_path):
    p = _write(tmp_path / "small.docx", small_docx())
    with pytest.raises(IngestError) as e:
        read_source(p, limits=Limits(max_inflated=1000))
    assert "max_inflated" in e.value.reason
    assert read_source(p).text == GOOD_LINE


@pytest.mark.parametrize("levels", [2_001, 8_000])
def test_deep_html_is_refused_naming_the_limit(levels):
    t = time.perf_counter()
    with pytest.raises(IngestError) as e:
        read_html_text(nested_html(levels).encode(), "deep.html")
    assert time.perf_counter() - t < 10
    assert e.value.path == "deep.html" and f"{DEFAULT_LIMITS.max_depth} levels" in e.value.reason


def test_deep_html_within_the_limit_is_read_without_recursion():
    """1,900 levels: Python's recursion limit is 1,000; the walk keeps its own stack."""
    text, _ = read_html_text(nested_html(1_900).encode(), "deep.html")
    assert text == GOOD_LINE
    text, _ = read_html_text(nested_html(8_000).encode(), "deep.html", Limits(max_depth=9_000))
    assert text == GOOD_LINE


def test_ordered_list_numbers_are_kept():
    html = "<html><body><ol start='3'>" + "".join(f"<li>mục {i}</li>" for i in range(5)) + "</ol></body></html>"
    text, _ = read_html_text(html.encode(), "list.html")
    assert text.splitlines() == [f"{3 + i}. mục {i}" for i in range(5)]


def test_unclosed_paragraphs_are_not_nesting():
    """<p> closes the one before it: 5,000 of them are 5,000 lines, not 5,000 levels."""
    html = "<html><body>" + "".join(f"<p>dòng {i}" for i in range(5_000)) + "</body></html>"
    text, _ = read_html_text(html.encode(), "flat.html")
    assert len(text.splitlines()) == 5_000


def test_batch_with_bomb_and_50mb_page_stays_under_1gb_and_writes_the_rest(bomb, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_LINE + "\n", encoding="utf-8")
    (folder / "b-bomb.docx").write_bytes(bomb.read_bytes())
    (folder / "c-deep.html").write_text(nested_html(9_900_000, tail=""), encoding="utf-8")
    assert (folder / "c-deep.html").stat().st_size > 45 << 20
    (folder / "d.txt").write_text(GOOD_LINE + "\n", encoding="utf-8")
    probe = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True); "
             "sys.stdout.buffer.write(p.stdout); sys.stderr.buffer.write(p.stderr); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "kg.cli", "extract", str(folder),
                        "--format", "jsonl"], capture_output=True, cwd=ROOT, timeout=300)
    peak_kb = int(p.stderr.decode().strip().splitlines()[-1])
    assert peak_kb < 1 << 20, f"peak RSS {peak_kb / 1024:.0f} MB"
    print(f"peak RSS of the batch: {peak_kb / 1024:.0f} MB")
    sources = {Path(json.loads(ln)["source"]).name for ln in p.stdout.decode("utf-8").splitlines()}
    assert sources == {"a.txt", "d.txt"}
    err = p.stderr.decode("utf-8")
    assert "b-bomb.docx: " in err and "max_inflated" in err
    assert "c-deep.html: " in err and "max_depth" in err


# -- cost ratio per doubling, counted in calls (deterministic, unlike time) ------------------------

def _calls(fn, *args) -> int:
    """Python and C function calls made by fn(*args): a cost that does not depend on the machine."""
    count = 0

    def tick(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tick)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return count


def _table(rows: int) -> bytes:
    row = "<tr>" + "".join(f"<td>{i}. {GOOD_LINE}</td>" for i in range(4)) + "</tr>"
    return f"<html><body><table>{row * rows}</table></body></html>".encode()


def _paragraphs(n: int) -> bytes:
    import docx

    d = docx.Document()
    for i in range(n):
        d.add_paragraph(f"{i}. {GOOD_LINE}")
    t = d.add_table(rows=max(1, n // 10), cols=2)
    for row in t.rows:
        for cell in row.cells:
            cell.text = GOOD_LINE
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("shape, make, suffix, base", [
    ("nested <div>", lambda n: nested_html(n).encode(), ".html", 200),
    ("a huge table", _table, ".html", 50),
    ("a long .docx", _paragraphs, ".docx", 100),
])
def test_ingest_cost_per_doubling_is_linear(shape, make, suffix, base):
    from kg.ingest.readers import read_bytes_as

    limits = Limits(max_depth=10 ** 6)
    read_bytes_as(make(base), "warm" + suffix, suffix, limits)
    costs = [_calls(read_bytes_as, make(base * k), "x" + suffix, suffix, limits) for k in (1, 2, 4, 8)]
    ratios = [b / a for a, b in zip(costs, costs[1:])]
    assert max(ratios) <= 2.3, f"{shape}: calls {costs}, ratios {ratios}"
