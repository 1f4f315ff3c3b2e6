"""Invariants of the citation engine, over generated input (hypothesis).

The example budget is the hypothesis profile's (tests/conftest.py): small and fixed in CI,
`KG_HYPOTHESIS_PROFILE=long` for a fuzz run.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kg.extract import extract_text

PIECES = st.sampled_from([
    "Quyết định số ", "Nghị định ", "số ", "42/2022/NQ-HĐND", "06-NQ/TU", "ngày 09/12/2022", " của ", "UBND tỉnh",
    "Căn cứ ", "Luật ", "Đất đai", "\n", " ", ";", ".", "(sau đây gọi tắt là Chỉ thị 27)", "Chỉ thị 27", "nêu trên",
    "Điều 6 ", "khoản 1 ", "ngày 25 tháng 5 năm 2020", "Số: ", "“", "”", "-", "/", "TT- BTC", "Ð", "_", "hoá",
])


@given(st.text(max_size=400))
def test_never_raises_on_any_string(text):
    doc = extract_text(text)
    for c in doc.citations:
        assert text[c.start:c.end] == c.text


@given(st.lists(PIECES, max_size=40).map("".join))
def test_offsets_exact_on_citation_like_text(text):
    doc = extract_text(text)
    for c in doc.citations:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text


SEED_LINES = [
    "Căn cứ Nghị quyết số 06-NQ/TU ngày 09/12/2022 của Tỉnh ủy Tây Ninh về phương hướng, nhiệm vụ năm 2023;",
    "Quyết định số 01/QĐ-UBND ngày 07/01/2023 của UBND tỉnh về việc ban hành những nhiệm vụ;",
    "- Triển khai Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh Quy định mức hỗ trợ.",
    "- Rà soát theo Thông tư số 01/2021/TT-BKHCN ngày 01/3/2021 của Bộ KH&CN hướng dẫn chức năng.",
    "Kế hoạch số 1341/KH-UBND ngày 24/6/2020 của UBND tỉnh về thực hiện Nghị quyết số 50-NQ/CP ngày 17/4/2020 "
    "của Chính phủ ban hành Chương trình hành động.",
]
HEADER = "UBND TỈNH TÂY NINH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 1/KH-KHCN\nTây Ninh, ngày 01 tháng 02 năm 2023\n\n"


def _key(doc):
    return [(c.identifier, c.date, c.issuer, c.relation, c.cited_by) for c in doc.citations]


@given(st.integers(min_value=12, max_value=90), st.sampled_from(["\n", " \n", " \n\n", "\n \n"]))
def test_same_citations_whatever_the_line_wrapping(width, brk):
    body = "\n".join(SEED_LINES)
    baseline = _key(extract_text(HEADER + body))
    wrapped_lines = []
    for line in SEED_LINES:
        words, cur = line.split(" "), ""
        out = []
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        out.append(cur)
        wrapped_lines.append(brk.join(out))
    assert _key(extract_text(HEADER + "\n".join(wrapped_lines))) == baseline
    assert len(baseline) >= 6


def test_linear_time_on_a_pathological_line():
    import time

    text = "Quyết định số " * 20000 + "1/" * 20000
    t = time.perf_counter()
    extract_text(text)
    assert time.perf_counter() - t < 20  # a guard against catastrophic backtracking, not a benchmark


SYMBOL_PIECES = st.sampled_from([
    "1", "23", "123456", "0", ".", "1.234", "/", "-", " ", "\n", " - ", "2022", "/2022/", "NQ", "HĐND",
    "QĐ", "-UBND", "TW", "06-NQ/TU", "42/2022/NQ-HĐND", "số ", "a", "Đ", "\t", "09/12/2022", "206-CP",
])


@given(st.lists(SYMBOL_PIECES, max_size=30).map("".join))
def test_anchored_symbol_scan_equals_finditer(text):
    """The separator-anchored scan is an optimisation of SYMBOL.finditer, never a different answer."""
    from kg.extract.patterns import SYMBOL, symbols
    assert [m.span() for m in symbols(text)] == [m.span() for m in SYMBOL.finditer(text)]


@given(st.lists(PIECES, max_size=40).map("".join))
def test_to_dict_serialises_and_extraction_is_deterministic(text):
    import json

    first = json.dumps(extract_text(text).to_dict(), ensure_ascii=False, sort_keys=True)
    assert json.dumps(extract_text(text).to_dict(), ensure_ascii=False, sort_keys=True) == first
    first.encode("utf-8")  # strict: no lone surrogate reaches the output
