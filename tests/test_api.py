"""kg.extract takes text as text (issue 19): a str is never tried as a file name, a Path is read,
an open file is read; anything else is a clear TypeError."""

from __future__ import annotations

import io

import pytest

import kg
from tests.conftest import SEED

CAN_CU = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Căn cứ Nghị định số "
          "55/2011/NĐ-CP ngày 04 tháng 7 năm 2011 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và "
          "tổ chức bộ máy của tổ chức pháp chế; ")


@pytest.mark.parametrize("n", [1, 4, 40])  # a realistic "Căn cứ" line, then one far longer than any file name
def test_a_long_one_line_text_is_text(n):
    doc = kg.extract(CAN_CU * n)
    assert doc.source == "<text>"
    assert "55/2011/NĐ-CP" in {c.identifier for c in doc.citations}


def test_a_path_like_string_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Nghị định số 99/2099/NĐ-CP", encoding="utf-8")
    doc = kg.extract(str(secret))
    assert doc.text == str(secret) and doc.citations == []
    assert kg.extract("/etc/passwd").text == "/etc/passwd"


def test_paths_and_files_are_read(tmp_path):
    by_path = kg.extract(SEED)
    assert kg.extract_file(str(SEED)).citations == by_path.citations
    with open(SEED, encoding="utf-8") as f:
        assert [c.identifier for c in kg.extract(f).citations] == [c.identifier for c in by_path.citations]
    data = SEED.read_bytes()
    doc = kg.extract(io.BytesIO(data), source="seed.txt")
    assert doc.source == "seed.txt" and len(doc.citations) == len(by_path.citations)


def test_anything_else_is_a_type_error():
    with pytest.raises(TypeError, match="text \\(str\\), a path"):
        kg.extract(42)
