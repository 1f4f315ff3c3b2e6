"""The seed read from every format gives the same citations as the .txt (issue 5's acceptance)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEED
from kg import extract
from test_ingest import seed_docx, seed_html, soffice_convert, to_tcvn3, to_vni


def _key(doc):
    return sorted((c.identifier, c.date, c.issuer, c.relation, c.cited_by)
                  for c in doc.citations if c.kind == "numbered")


@pytest.fixture(scope="module")
def seed_variants(tmp_path_factory) -> dict[str, Path]:
    text = SEED.read_text(encoding="utf-8")
    tmp = tmp_path_factory.mktemp("seed")
    out = {"docx": seed_docx(text, tmp / "seed.docx")}
    (tmp / "seed.html").write_text(seed_html(text), encoding="utf-8")
    out["html"] = tmp / "seed.html"
    (tmp / "seed-tcvn3.txt").write_bytes(to_tcvn3(text))
    out["tcvn3"] = tmp / "seed-tcvn3.txt"
    (tmp / "seed-vni.txt").write_bytes(to_vni(text))
    out["vni"] = tmp / "seed-vni.txt"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        soffice_convert([out["docx"]], "pdf", tmp / "pdf")
        out["pdf"] = tmp / "pdf" / "seed.pdf"
    return out


@pytest.mark.parametrize("fmt,kind", [("docx", "docx-text"), ("html", "html-text"), ("tcvn3", "text"),
                                      ("vni", "text"), ("pdf", "pdf-text")])
def test_seed_in_every_format_gives_the_same_19_citations(seed_variants, fmt, kind):
    if fmt not in seed_variants:
        pytest.skip("LibreOffice (soffice) is not installed: Debian package libreoffice-writer-nogui")
    base = extract(SEED)
    doc = extract(seed_variants[fmt])
    assert doc.text_kind == kind
    assert len(_key(doc)) == 19
    assert _key(doc) == _key(base)
    assert doc.header.issuer == base.header.issuer
    for c in doc.citations:  # offsets point into the text that was read from the file
        assert doc.text[c.start:c.end] == c.text
