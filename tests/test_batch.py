"""A folder mixing good files with every kind of bad one: all good files processed, each bad file
named with a specific reason, and nothing dropped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg import batch
from kg.batch import SUPPORTED, BatchResult, Failure, collect_inputs, run_batch, summary_table
from kg.ingest import readers
from kg.ingest.readers import Source

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / ".." / "shared" / "seeds" / "000_05cdd5c929cf9e53.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer, written by hand (standard font, so ASCII only)."""
    esc = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in lines]
    content = "BT /F1 11 Tf 14 TL 50 800 Td " + " ".join(f"({ln}) '" for ln in esc) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PDF_LINES = ["Can cu Quyet dinh so 01/QD-UBND ngay 07/01/2023;", "Nghi quyet so 06-NQ/TU ngay 09/12/2022."]


def word_count(source: Source) -> int:
    """A picklable processing function, so the batch can use worker processes."""
    if "explode" in source.text:
        raise ValueError("boom on purpose")
    return len(source.text.split())


@pytest.fixture
def mixed_folder(tmp_path: Path) -> tuple[Path, dict[str, str], set[str]]:
    """(folder, {bad path: expected reason start}, {good paths})."""
    import docx
    from pypdf import PdfWriter

    root = tmp_path / "inbox"
    sub = root / "sub"
    sub.mkdir(parents=True)
    good: set[str] = set()

    def put(rel: str, data: bytes) -> str:
        path = root / rel
        path.write_bytes(data)
        return str(path)

    seed = SEED.read_bytes() if SEED.exists() else "Căn cứ Quyết định số 01/QĐ-UBND;\n".encode() * 20
    good.add(put("a-seed.txt", seed))
    good.add(put("notes.md", "# Ghi chú\n\nTheo Kế hoạch số 1962/KH-UBND.\n".encode()))
    good.add(put("sub/page.html", (FIXTURES / "tvpl_saved_page.html").read_bytes()))
    good.add(put("gazette.pdf", text_pdf(PDF_LINES)))
    document = docx.Document()
    document.add_paragraph("Căn cứ Nghị định số 55/2011/NĐ-CP;")
    document.save(root / "sub" / "letter.docx")
    good.add(str(root / "sub" / "letter.docx"))

    bad = {
        put("empty.txt", b""): "empty file",
        put("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300)): "binary file (a PNG image), not text",
        put("cut.pdf", text_pdf(PDF_LINES)[:300]): "truncated PDF",
        put("huge.txt", b"Quyet dinh so 01/QD-UBND. " * 40_000): "file too large",
        put("sub/scan.pdf", _blank_pdf()): "no text layer: this PDF is a scan; OCR it first",
        put("explode.txt", b"this text makes the processing function explode"): "internal error: ValueError: boom on purpose",
    }
    writer = PdfWriter()
    writer.append(root / "gazette.pdf")
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    writer.write(root / "locked.pdf")
    bad[str(root / "locked.pdf")] = "encrypted PDF: it needs a password"

    locked = root / "unreadable.txt"
    locked.write_text("Quyết định số 02/QĐ-UBND", encoding="utf-8")
    locked.chmod(0)
    bad[str(locked)] = "cannot read: permission denied"

    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    bad[str(root / "loop-a.txt")] = "symbolic link loop"
    bad[str(root / "loop-b.txt")] = "symbolic link loop"
    (sub / "back").symlink_to(root, target_is_directory=True)
    bad[str(sub / "back")] = "symbolic link loop: it leads back to a folder that contains it"
    (root / "gone.pdf").symlink_to(root / "deleted.pdf")
    bad[str(root / "gone.pdf")] = "broken symbolic link"
    os.mkfifo(root / "pipe.txt")
    bad[str(root / "pipe.txt")] = "not a regular file (a named pipe)"
    return root, bad, good


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _deny_unreadable(monkeypatch):
    """Root reads even chmod-000 files: make the reader's open fail as it would for a user."""
    if os.geteuid() != 0:
        return
    real = readers._read_bytes

    def read(path, max_bytes):
        if Path(path).name == "unreadable.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, max_bytes)

    monkeypatch.setattr(readers, "_read_bytes", read)


def everything_in(root: Path) -> set[str]:
    """Every entry under ``root`` (links listed, not followed)."""
    out = set()
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            out.add(os.path.join(folder, name))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_mixed_folder_nothing_dropped(mixed_folder, monkeypatch, workers):
    root, bad, good = mixed_folder
    (root / "readme.rtf.bak").write_bytes(b"not a document type we read")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    _deny_unreadable(monkeypatch)
    if workers > 1 and os.geteuid() == 0:
        # The simulated permission error lives in this process only; workers=1 covers that case.
        os.unlink(root / "unreadable.txt")
        del bad[str(root / "unreadable.txt")]

    result = run_batch([str(root)], word_count, max_bytes=500_000, workers=workers)

    assert {p for p, _ in result.ok} == good
    assert all(n > 0 for _, n in result.ok)
    reasons = {f.path: f.reason for f in result.failed}
    assert set(reasons) == set(bad)
    for path, expected in bad.items():
        assert reasons[path].startswith(expected), (path, reasons[path])
        assert "\n" not in reasons[path] and "Traceback" not in reasons[path]
    assert set(result.skipped) == {str(root / "readme.rtf.bak"), str(root / ".hidden.txt")}
    covered = [p for p, _ in result.ok] + list(reasons) + result.skipped
    assert len(covered) == len(set(covered))
    assert set(covered) == everything_in(root)


def test_mixed_folder_summary(mixed_folder, monkeypatch, capsys):
    root, bad, good = mixed_folder
    _deny_unreadable(monkeypatch)
    result = run_batch([str(root)], word_count, max_bytes=500_000, progress=True)
    table = summary_table(result)
    lines = table.splitlines()
    assert lines[:4] == [
        f"ok       {len(good):>2}",
        f"failed   {len(bad):>2}",
        "skipped   0",
        f"total    {len(good) + len(bad):>2}",
    ]
    for f in result.failed:
        assert f"{f.path}: {f.reason}" in lines
    err = capsys.readouterr().err
    assert f"[1/{len(result.ok) + len(result.failed) - 4}]" in err  # loops, dead link, folder loop: no read
    assert "FAILED: empty file" in err


def test_collect_inputs_order_duplicates_and_missing(tmp_path):
    for rel in ["b/2.txt", "b/1.pdf", "a.docx", "c/skip.xlsx", "c/d/deep.htm", "Z.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    odd = tmp_path / "c" / "saved.aspx"
    odd.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "b" / "2.txt")

    files, failures, skipped = collect_inputs(
        [str(tmp_path), str(tmp_path / "b" / "1.pdf"), str(odd), str(tmp_path / "nope.txt")]
    )
    rel = [os.path.relpath(f, tmp_path) for f in files]
    assert rel == ["Z.md", "a.docx", "b/1.pdf", "b/2.txt", "c/d/deep.htm", "c/saved.aspx"]
    assert skipped == [str(tmp_path / "c" / "saved.aspx"), str(tmp_path / "c" / "skip.xlsx")]
    assert failures == [Failure(str(tmp_path / "nope.txt"), "no such file or folder")]
    assert set(SUPPORTED) == {".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm"}


def test_a_failing_function_does_not_stop_the_batch(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"văn bản số {i}", encoding="utf-8")

    def fragile(source: Source) -> str:
        if source.path.endswith("1.txt"):
            raise KeyError("missing")
        return source.text

    result = run_batch([str(tmp_path)], fragile, workers=2)  # a closure: threads, not processes
    assert [os.path.basename(p) for p, _ in result.ok] == ["0.txt", "2.txt"]
    assert result.failed == [Failure(str(tmp_path / "1.txt"), "internal error: KeyError: 'missing'")]
    assert not result.all_ok


def test_summary_of_a_clean_batch():
    result: BatchResult[int] = BatchResult(ok=[("a.txt", 1)], failed=[], skipped=["b.xls"])
    assert summary_table(result) == ("ok       1\nfailed   0\nskipped  1\ntotal    2\n"
                                     "skipped (not a document format kg reads, or hidden): b.xls")
    assert result.all_ok and batch.SUPPORTED == SUPPORTED
