"""`kg check`: every rule on real lines (must fire / must not fire) and on crafted cases.

Real lines are read from ../shared/corpus/real at test time (never copied here); a finding is
matched by (rule, line). Crafted cases put a line into a small normative draft or plan, because
the date and legal-basis rules depend on the citing document's own type and date.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEED, SHARED, need_shared
from kg.check import RULES, Status, check_document, check_text, from_function, load_registry
from kg.check.registry import Providers, parse_date, status_of
from kg.check.rules import near_miss
from kg.cli import main

REGISTRY = SHARED / "corpus" / "registry"
ANGIANG = REGISTRY / "angiang_stp_vbqppl_xu_ly_2025_2026.csv"
BINHDUONG = REGISTRY / "binhduong_vbcddh_2014_2022.csv"
TVPL = REGISTRY / "tvpl_metadata_2025.csv"


# -- helpers ------------------------------------------------------------------------------------

_cache: dict[str, list] = {}


def findings_of(path: Path, provider=None) -> list:
    """Findings for a real file (cached: several cases look at one file)."""
    key = str(path)
    if provider is None and key in _cache:
        return _cache[key]
    from kg.extract import extract_citations
    from kg.ingest import read_source

    src = read_source(path)
    out = check_document(extract_citations(src.text, str(path), src.kind), provider)
    if provider is None:
        _cache[key] = out
    return out


def real_line(rel: str, line: int) -> str:
    """One line of a real document, read where it lives."""
    return need_shared(CORPUS / rel).read_text(encoding="utf-8").splitlines()[line - 1]


NORM = """ỦY BAN NHÂN DÂN
TỈNH TÂY NINH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 15/2023/QĐ-UBND
Tây Ninh, ngày 10 tháng 3 năm 2023

QUYẾT ĐỊNH
Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ

ỦY BAN NHÂN DÂN TỈNH TÂY NINH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
{basis}
Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.

QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý nhiệm vụ khoa học và công nghệ.
{body}
"""
"""A provincial normative decision (rank: quyết định UBND cấp tỉnh), dated 10/3/2023."""

PLAN = """UBND TỈNH TÂY NINH
SỞ KHOA HỌC VÀ CÔNG NGHỆ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-KHCN
Tây Ninh, ngày 20 tháng 02 năm 2023

KẾ HOẠCH
Hoạt động khoa học và công nghệ năm 2023

Căn cứ Kế hoạch số 1962/KH-UBND ngày 20/8/2020 của UBND tỉnh;
I. MỤC ĐÍCH
{body}
"""
"""An administrative plan of a provincial department, dated 20/02/2023: no legal-basis rules apply."""


def draft(template: str, basis: str = "", body: str = "") -> str:
    return template.replace("{basis}", basis).replace("{body}", body)


def rules_at(findings, line: int) -> set[str]:
    return {f.rule for f in findings if f.line == line}


# -- the seed -----------------------------------------------------------------------------------

def test_seed_has_the_50_nq_cp_finding_and_nothing_else():
    from kg.extract import extract_citations

    doc = extract_citations(SEED.read_text(encoding="utf-8"), str(SEED))
    numbered = [c for c in doc.citations if c.kind == "numbered"]
    assert len(numbered) == 19
    fs = check_document(doc)
    assert [(f.rule, f.text, f.line) for f in fs] == [("form.symbol-family", "50-NQ/CP", 150)]
    assert "50/NQ-CP" in fs[0].message and fs[0].severity == "error"
    assert fs[0].column == 10 and doc.text[fs[0].start:fs[0].end] == "50-NQ/CP"
    en = check_document(doc, lang="en")[0].message
    assert "party style" in en and "50/NQ-CP" in en


# -- real lines: (file under ../shared/corpus/real, line, rule, must fire?) ----------------------

REAL = [
    # form.symbol-family: party style kept for party bodies and mass organisations, old "206-CP" style
    ("luatvietnam-hieuhan/ct-01-tld-2014.txt", None, "form.symbol-family", False),  # 03-NQ/ĐCT (trade union)
    ("congbao-hrmaster/nd-162-2026-nd-cp.txt", None, "form.symbol-family", False),  # 206-CP (1979)
    ("dvhcvn-20250701/nq-60-nq-tw-2025.txt", None, "form.symbol-family", False),  # 232-QĐ/TW
    # form.type-issuer: joint circulars, HĐND resolutions, Chủ tịch UBND's QĐ-UBND (None: the whole file)
    ("congbao-hrmaster/ttlt-01-2022-vksndtc-tandtc-bca-bqp-bldtbxh.txt", None, "form.type-issuer", False),
    ("luatvietnam-hieuhan/qd-5134-ubnd-hcm-2010.txt", None, "form.type-issuer", False),
    ("tvpl-tnt305/nq-51-2025-hdnd-hanoi.txt", None, "form.type-issuer", False),
    # form.unknown-code: a hyphen lost ("TTBLĐTBXH"), an OCR slip ("TT- BIC" for BTC); old codes pass
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 197, "form.unknown-code", True),
    ("tesseract-teije05/cv-9885-tchq-txnk-2016-ocr.txt", 16, "form.unknown-code", True),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", None, "form.unknown-code", False),  # 09/1998/TTLT-TDTT-BCA
    ("tesseract-teije05/cv-9885-tchq-txnk-2016-ocr.txt", 9, "form.unknown-code", False),  # 2566/HQHCM-TXNK
    # form.case: a line lower-cased by the corpus, a heading in capitals
    ("wordseg-nguyenquocbao97/qd-boithuong-gialai-ws.txt", 1, "form.case", False),
    ("wordseg-nguyenquocbao97/nq-dinhmuc-ngansach-baclieu-2007-ws.txt", 1, "form.case", False),
    ("tvpl-tnt305/cd-220-ttg-2025.txt", None, "form.case", False),
    # form.type-word: "Quyết định Số: 63/2006/TT-BVHTTDL"; "Tờ trình số 2219/TT-UBND" (TTr);
    # but "Thông báo kết luận số 30-TB/TGV", party "Quy định số 232-QĐ/TW", "văn bản số ..." pass
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 267, "form.type-word", True),
    ("wordseg-nguyenquocbao97/qd-boithuong-gialai-ws.txt", 9, "form.type-word", True),
    ("tvpl-tnt305/tb-624-vpcp-2025.txt", None, "form.type-word", False),
    ("dvhcvn-20250701/nq-60-nq-tw-2025.txt", None, "form.type-word", False),
    ("tvpl-tnt305/cv-5706-ct-cs-2025.txt", None, "form.type-word", False),
    # form.issuer-phrase: bodies that sign with another's code
    ("tvpl-tnt305/kh-165-ubnd-cantho-2025.txt", None, "form.issuer-phrase", False),  # BCH Đảng bộ, /TU
    ("tvpldocx-hoangit/qd-595-bhxh-2017.txt", None, "form.issuer-phrase", False),  # Hội đồng Chính phủ, /CP
    ("luatvietnam-hieuhan/qd-5134-ubnd-hcm-2010.txt", None, "form.issuer-phrase", False),  # Chủ tịch UBND
    # date.impossible: a table cell "0/6/2013"
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 189, "date.impossible", True),
    ("congbao-hrmaster/nd-158-2025-nd-cp.txt", None, "date.impossible", False),
    # date.number-year: "24/2003/NĐ-CP ngày 13/3/2013", "75/2021/NĐ-CP ngày 24/7/2023", a VBHN's slip
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 164, "date.number-year", True),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 1262, "date.number-year", True),
    ("tvpl-tnt305/vbhn-92-bqp-2025.txt", 227, "date.number-year", True),
    ("tvpl-tnt305/tt-112-2025-tt-btc.txt", 329, "date.number-year", True),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 82, "date.number-year", False),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 1272, "date.number-year", False),
    # date.after-citing: decrees citing laws and resolutions passed before them
    ("congbao-hrmaster/nd-158-2025-nd-cp.txt", None, "date.after-citing", False),
    ("tvpl-tnt305/cv-5155-sgddt-hcm-2025.txt", None, "date.after-citing", False),
    # date.conflict: "113/2013/NĐ-CP" dated 02/10 and 01/12; "613/QĐ-TTg" 06/5 and 01/6
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 421, "date.conflict", True),
    ("tvpldocx-hoangit/qd-595-bhxh-2017.txt", 358, "date.conflict", True),
    # ... but a date shared from a list ("97/2010/TT-BTC" before "139/2010/TT-BTC ngày 21/9/2010"),
    # or the right date after a wrong-year one (date.number-year's finding), is no conflict
    ("luatvietnam-hieuhan/ttlt-01-2014-ubdt-btc.txt", None, "date.conflict", False),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 1272, "date.conflict", False),
    # basis.*: official normative documents rest on higher normative ones; a plan may cite a plan
    ("tvpl-tnt305/nq-51-2025-hdnd-hanoi.txt", None, "basis.lower-rank", False),
    ("tvpl-tnt305/nq-08-2025-nq-cp.txt", None, "basis.lower-rank", False),  # a resolution of the Government on decrees
    ("tvpl-tnt305/qd-161-2025-ubnd-ninhbinh.txt", None, "basis.not-normative", False),
    ("tvpl-tnt305/kh-0134-ubnd-daklak-2025.txt", 89, "basis.not-normative", False),
    ("luatvietnam-hieuhan/ttlt-01-2014-ubdt-btc.txt", None, "basis.individual", False),
]


@pytest.mark.parametrize("rel,line,rule,fires", REAL, ids=[f"{r[2]}-{Path(r[0]).stem}-{r[1]}-{r[3]}" for r in REAL])
def test_real_lines(rel, line, rule, fires):
    fs = findings_of(need_shared(CORPUS / rel))
    hit = any(f.rule == rule and (line is None or f.line == line) for f in fs)
    assert hit is fires, [(f.rule, f.line, f.message) for f in fs if f.rule == rule]


REVIEWED = {
    # every finding over ../shared/corpus/real, each read and judged a real inconsistency of the text
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 197, "form.unknown-code"),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 222, "form.unknown-code"),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 669, "form.unknown-code"),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 713, "form.unknown-code"),
    ("congbao-hrmaster/qd-169-bldtbxh-2025.txt", 1262, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 164, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 172, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 180, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 189, "date.impossible"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 240, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 263, "date.number-year"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 267, "form.type-word"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 275, "form.type-word"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 421, "date.conflict"),
    ("luatvietnam-hieuhan/qd-01-bvhttdl-2014.txt", 461, "date.conflict"),
    ("tesseract-teije05/cv-9885-tchq-txnk-2016-ocr.txt", 16, "form.unknown-code"),
    ("tvpl-tnt305/tt-112-2025-tt-btc.txt", 329, "date.number-year"),
    ("tvpl-tnt305/vbhn-92-bqp-2025.txt", 227, "date.number-year"),
    ("tvpldocx-hoangit/qd-595-bhxh-2017.txt", 358, "date.conflict"),
    ("wordseg-nguyenquocbao97/qd-boithuong-gialai-ws.txt", 9, "form.type-word"),
    ("wordseg-nguyenquocbao97/qd-khukinhte-cuakhau-ttg-2008-ws.txt", 42, "date.conflict"),
}


def test_every_finding_on_the_real_corpus_was_reviewed():
    """Precision guard: a new finding on the real corpus is a false alarm until someone reads it."""
    root = need_shared(CORPUS)
    got = set()
    for p in sorted(root.rglob("*.txt")):
        for f in findings_of(p):
            got.add((p.relative_to(root).as_posix(), f.line, f.rule))
    assert got - REVIEWED == set(), "new findings to review"
    assert REVIEWED - got == set(), "reviewed findings no longer found"


# -- crafted cases: (rule, template, basis line, body line, must fire?) --------------------------

CRAFTED = [
    ("form.symbol-family", PLAN, "", "- Thực hiện Nghị quyết số 50-NQ/CP ngày 17/4/2020 của Chính phủ.", True),
    ("form.symbol-family", PLAN, "", "- Thực hiện Nghị quyết số 12/NQ-TW ngày 17/4/2020 của Ban Chấp hành Trung ương.", True),
    ("form.symbol-family", PLAN, "", "- Thực hiện Nghị quyết số 12-NQ/TW ngày 17/4/2020 của Bộ Chính trị.", False),
    ("form.symbol-family", PLAN, "", "- Thực hiện Nghị quyết số 50/NQ-CP ngày 17/4/2020 của Chính phủ.", False),
    ("form.type-issuer", PLAN, "", "- Thực hiện Nghị định số 12/2020/NĐ-UBND ngày 17/4/2020.", True),
    ("form.type-issuer", PLAN, "", "- Thực hiện Thông tư số 05/2021/TT-UBND ngày 17/4/2021.", True),
    ("form.type-issuer", PLAN, "", "- Thực hiện Quyết định số 10/2021/QĐ-HĐND ngày 17/4/2021.", True),
    ("form.type-issuer", PLAN, "", "- Thực hiện Quyết định số 10/QĐ-HĐND ngày 17/4/2021 của HĐND tỉnh.", False),
    ("form.type-issuer", PLAN, "", "- Thực hiện Quyết định số 10/2021/QĐ-UBND ngày 17/4/2021.", False),
    ("form.unknown-code", PLAN, "", "- Thực hiện Thông tư số 184/2015/TT-BIC ngày 17/11/2015 của Bộ Tài chính.", True),
    ("form.unknown-code", PLAN, "", "- Thực hiện Thông tư số 02/2016/TTBNV ngày 17/11/2016.", True),
    ("form.unknown-code", PLAN, "", "- Thực hiện Thông tư số 184/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính.", False),
    ("form.unknown-code", PLAN, "", "- Thực hiện Quyết định số 12/QĐ-TTXVN ngày 17/11/2015.", False),
    ("form.case", PLAN, "", "- Thực hiện Quyết định số 1579/QĐ-TTG ngày 17/4/2020 của Thủ tướng Chính phủ.", True),
    ("form.case", PLAN, "", "- Thực hiện Quyết định số 12/Qđ-UBND ngày 17/4/2020 của UBND tỉnh.", True),
    ("form.case", PLAN, "", "- Thực hiện Quyết định số 1579/QĐ-TTg ngày 17/4/2020 của Thủ tướng Chính phủ.", False),
    ("form.case", PLAN, "", "- THỰC HIỆN QUYẾT ĐỊNH SỐ 1579/QĐ-TTG NGÀY 17/4/2020 CỦA THỦ TƯỚNG CHÍNH PHỦ.", False),
    ("form.type-word", PLAN, "", "- Thực hiện Quyết định số 12/NQ-HĐND ngày 17/4/2020.", True),
    ("form.type-word", PLAN, "", "- Thực hiện Kế hoạch số 12/QĐ-UBND ngày 17/4/2020.", True),
    ("form.type-word", PLAN, "", "- Thực hiện Thông tư số 01/2014/TTLT-UBDT-BTC ngày 10/01/2014.", False),
    ("form.type-word", PLAN, "", "- Thực hiện văn bản số 12/QĐ-UBND ngày 17/4/2020.", False),
    ("form.issuer-phrase", PLAN, "", "- Thực hiện Nghị quyết số 68/NQ-HĐND ngày 09/12/2022 của UBND tỉnh.", True),
    ("form.issuer-phrase", PLAN, "", "- Thực hiện Quyết định số 12/QĐ-BYT ngày 09/12/2022 của Bộ Tài chính.", True),
    ("form.issuer-phrase", PLAN, "", "- Thực hiện Nghị quyết số 68/NQ-HĐND ngày 09/12/2022 của Thường trực HĐND tỉnh.", False),
    ("form.issuer-phrase", PLAN, "", "- Thực hiện Quyết định số 12/QĐ-BYT ngày 09/12/2022 của Bộ trưởng Bộ Y tế.", False),
    ("date.impossible", PLAN, "", "- Thực hiện Nghị quyết số 68/NQ-HĐND ngày 31/02/2022 của HĐND tỉnh.", True),
    ("date.impossible", PLAN, "", "- Thực hiện Nghị quyết số 68/NQ-HĐND ngày 29 tháng 2 năm 2022 của HĐND tỉnh.", True),
    ("date.impossible", PLAN, "", "- Thực hiện Nghị quyết số 68/NQ-HĐND ngày 29 tháng 2 năm 2020 của HĐND tỉnh.", False),
    ("date.number-year", PLAN, "", "- Thực hiện Quyết định số 46/2002/QĐ-UBND ngày 12/09/2022 của UBND tỉnh.", True),
    ("date.number-year", PLAN, "", "- Thực hiện Quyết định số 46/2022/QĐ-UBND ngày 12/09/2022 của UBND tỉnh.", False),
    ("date.number-year", PLAN, "", "- Thực hiện Quyết định số 46/QĐ-UBND ngày 12/09/2022 của UBND tỉnh.", False),
    ("date.after-citing", PLAN, "", "- Thực hiện Quyết định số 46/QĐ-UBND ngày 12/09/2023 của UBND tỉnh.", True),
    ("date.after-citing", PLAN, "", "- Thực hiện Quyết định số 46/QĐ-UBND ngày 12/02/2023 của UBND tỉnh.", False),
    ("date.conflict", PLAN, "", "- Theo Quyết định số 46/QĐ-UBND ngày 12/01/2023 của UBND tỉnh.\n"
                                 "- Theo Quyết định số 46/QĐ-UBND ngày 15/01/2023 của UBND tỉnh.", True),
    ("date.conflict", PLAN, "", "- Theo Quyết định số 46/QĐ-UBND ngày 12/01/2023 của UBND tỉnh.\n"
                                 "- Theo Quyết định số 46/QĐ-UBND ngày 15/01/2022 của UBND tỉnh.", False),
    ("basis.not-normative", NORM, "Căn cứ Kế hoạch số 1962/KH-UBND ngày 20/8/2020 của UBND tỉnh;", "", True),
    ("basis.not-normative", NORM, "Căn cứ Nghị quyết số 06-NQ/TU ngày 09/12/2022 của Tỉnh ủy Tây Ninh;", "", True),
    ("basis.not-normative", NORM, "Căn cứ Công văn số 574/UBND-NC ngày 09/12/2022 của UBND tỉnh;", "", True),
    ("basis.not-normative", NORM, "Căn cứ Nghị quyết Hội nghị Trung ương 6 khóa IX về khoa học và công nghệ;", "", True),
    ("basis.not-normative", NORM, "Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;", "", False),
    ("basis.not-normative", NORM, "Căn cứ Nghị định số 08/2014/NĐ-CP ngày 27/01/2014 của Chính phủ;", "", False),
    ("basis.not-normative", PLAN, "", "- Căn cứ Kế hoạch số 1341/KH-UBND ngày 24/6/2020 của UBND tỉnh.", False),
    ("basis.individual", NORM, "Căn cứ Quyết định số 1746/QĐ-TTg ngày 30/12/2022 của Thủ tướng Chính phủ;", "", True),
    ("basis.individual", NORM, "Căn cứ Quyết định số 18/2011/QĐ-TTg ngày 18/3/2011 của Thủ tướng Chính phủ;", "", False),
    ("basis.lower-rank", NORM, "Căn cứ Quyết định số 12/2020/QĐ-UBND ngày 20/8/2020 của UBND huyện Châu Thành;", "", True),
    ("basis.lower-rank", NORM, "Căn cứ Nghị quyết số 12/2020/NQ-HĐND ngày 20/8/2020 của HĐND huyện Châu Thành;", "", True),
    ("basis.lower-rank", NORM, "Căn cứ Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022 của Hội đồng nhân dân tỉnh;", "", False),
    ("basis.lower-rank", NORM, "Căn cứ Thông tư số 03/2015/TT-BKHCN ngày 09/3/2015 của Bộ trưởng Bộ Khoa học và Công nghệ;", "", False),
]


@pytest.mark.parametrize("rule,template,basis,body,fires", CRAFTED,
                         ids=[f"{c[0]}-{i}-{c[4]}" for i, c in enumerate(CRAFTED)])
def test_crafted(rule, template, basis, body, fires):
    fs = check_text(draft(template, basis, body))
    got = [f for f in fs if f.rule == rule]
    assert bool(got) is fires, [(f.rule, f.message) for f in fs]
    if fires:
        assert all(f.message and f.text and f.line > 1 and f.column >= 1 for f in got)


def test_a_draft_with_a_blank_number_is_still_a_normative_document():
    """Drafts leave the number and day blank ("Số:      /2023/QĐ-UBND"): the rules must still apply."""
    text = draft(NORM, basis="Căn cứ Kế hoạch số 12/KH-UBND ngày 20/8/2020 của UBND tỉnh;\n"
                             "Căn cứ Quyết định số 30/2023/QĐ-UBND ngày 20/4/2023 của UBND tỉnh;")
    text = text.replace("Số: 15/2023/QĐ-UBND", "Số:      /2023/QĐ-UBND").replace("ngày 10 tháng 3", "ngày      tháng 3")
    got = {(f.rule, f.line) for f in check_text(text)}
    assert {("basis.not-normative", 16), ("date.after-citing", 17)} <= got
    assert "03/2023" in next(f.message for f in check_text(text) if f.rule == "date.after-citing")


def test_real_basis_lines_in_a_normative_draft():
    """Real "Căn cứ" lines of plans are fine there and wrong under a normative decision."""
    line = real_line("tvpl-tnt305/kh-0134-ubnd-daklak-2025.txt", 89)
    assert "18/KH-UBND" in line
    fs = check_text(draft(NORM, basis=line.strip()))
    assert "basis.not-normative" in {f.rule for f in fs}
    line = real_line("luatvietnam-hieuhan/ttlt-01-2014-ubdt-btc.txt", 18)
    assert not check_text(draft(NORM, basis=line.strip()), rules=["basis.not-normative", "basis.lower-rank",
                                                                  "basis.individual"])


def test_every_rule_has_a_case_that_fires_and_one_that_does_not():
    fired = {c[0] for c in CRAFTED if c[4]} | {r[2] for r in REAL if r[3]} | {"validity.out-of-force"}
    passed = {c[0] for c in CRAFTED if not c[4]} | {r[2] for r in REAL if not r[3]} | {"validity.out-of-force"}
    assert set(RULES) <= fired and set(RULES) <= passed


def test_rules_have_both_languages():
    for r in RULES.values():
        assert r.title_vi and r.title_en and r.severity in ("error", "warning", "info")
        for vi, en in r.messages.values():
            assert vi and en and vi != en



def test_near_miss_guesses_only_when_one_code_fits():
    assert near_miss("BIC", "issuer", "TT") == "BTC"
    assert near_miss("TTBLĐTBXH", "type") == "TT-BLĐTBXH"
    assert near_miss("BTC", "issuer", "TT") is None  # known
    assert near_miss("HQHCM", "issuer") is None  # far from everything


# -- validity and registries --------------------------------------------------------------------

def test_status_words_and_dates():
    assert status_of("Văn bản hết hiệu lực") == "expired"
    assert status_of("Văn bản còn hiệu lực một phần") == "partly"
    assert status_of("Văn bản đang có hiệu lực") == "in_force"
    assert status_of("Đã biết") == "unknown"
    assert status_of("Bị thay thế") == "replaced"
    assert parse_date("04/09/2021") == "2021-09-04" and parse_date("2021-09-04") == "2021-09-04"
    assert parse_date("31/02/2021") is None


def test_shared_registries_load():
    ag = load_registry(need_shared(ANGIANG))
    facts = {(s.identifier, s.jurisdiction): s for s in ag.statuses()}
    s = facts[("48/2020/QĐ-UBND", "An Giang")]
    assert (s.status, s.replaced_by, s.since) == ("replaced", ("08/2026/QĐ-UBND",), "2026-02-12")
    assert facts[("02/2021/NQ-HĐND", "Kiên Giang")].replaced_by == ("07/2025/NQ-HĐND",)
    assert facts[("35/2007/QĐ-UBND", "An Giang")].status == "repealed"
    assert len(ag) >= 60
    bd = load_registry(need_shared(BINHDUONG))
    assert sum(1 for s in bd.statuses() if s.status == "expired") == 17
    tv = load_registry(need_shared(TVPL))
    assert len(tv) == 282 and not any(s.out_of_force for s in tv.statuses())


ANGIANG_DRAFT = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 120/KH-UBND
An Giang, ngày 16 tháng 3 năm {year}

KẾ HOẠCH
Triển khai công tác chăn nuôi

Căn cứ Quyết định số 48/2020/QĐ-UBND ngày 29/10/2020 của Ủy ban nhân dân tỉnh An Giang quy định về mật độ chăn nuôi;
Căn cứ Nghị quyết số 02/2021/NQ-HĐND ngày 06/10/2021 của Hội đồng nhân dân tỉnh Kiên Giang quy định mức phụ cấp;
Căn cứ Quyết định số 07/2025/QĐ-UBND ngày 12/9/2025 của UBND tỉnh An Giang quy định về phân cấp;

I. MỤC ĐÍCH
{body}
"""


def test_registry_flags_a_replaced_document():
    reg = load_registry(need_shared(ANGIANG))
    fs = check_text(ANGIANG_DRAFT.format(year=2026, body=""), provider=reg)
    got = {f.identifier: f for f in fs if f.rule == "validity.out-of-force"}
    assert set(got) == {"48/2020/QĐ-UBND", "02/2021/NQ-HĐND"}
    assert "Quyết định số 08/2026/QĐ-UBND" in got["48/2020/QĐ-UBND"].message
    assert "12/02/2026" in got["48/2020/QĐ-UBND"].message and got["48/2020/QĐ-UBND"].severity == "error"
    en = check_text(ANGIANG_DRAFT.format(year=2026, body=""), provider=reg, lang="en")
    assert any("replaced by Resolution 07/2025/NQ-HĐND" in f.message for f in en)


def test_registry_respects_date_province_and_the_texts_own_words():
    reg = load_registry(need_shared(ANGIANG))
    # signed before the replacement: nothing to say
    assert not [f for f in check_text(ANGIANG_DRAFT.format(year=2024, body=""), provider=reg)
                if f.rule == "validity.out-of-force"]
    # another province's 48/2020/QĐ-UBND is another document
    other = ANGIANG_DRAFT.format(year=2026, body="").replace("Ủy ban nhân dân tỉnh An Giang quy định về mật độ",
                                                             "Ủy ban nhân dân tỉnh Tây Ninh quy định về mật độ")
    ids = {f.identifier for f in check_text(other, provider=reg) if f.rule == "validity.out-of-force"}
    assert "48/2020/QĐ-UBND" not in ids
    # the text itself says it replaces it
    says = ANGIANG_DRAFT.format(year=2026, body="Kế hoạch này thay thế Quyết định số 48/2020/QĐ-UBND ngày "
                                                "29/10/2020 của Ủy ban nhân dân tỉnh An Giang.")
    lines = {f.line for f in check_text(says, provider=reg) if f.identifier == "48/2020/QĐ-UBND"}
    assert lines == {11}  # the "Căn cứ" line, not the "thay thế" line


def test_binhduong_status_without_a_date_of_change():
    """The crawl's "hết hiệu lực" has no date: a document dated after the crawl is told, an older one not."""
    reg = load_registry(need_shared(BINHDUONG))
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\nSố: 12/KH-UBND\nBình Dương, ngày 05 tháng 3 năm {year}\n\n"
            "KẾ HOẠCH\nVề sáng kiến\n\nI. NỘI DUNG\n- Theo Quyết định số 2563/QĐ-UBND ngày 25/09/2017 "
            "của UBND tỉnh Bình Dương.\n- Theo Quyết định số 2563/QĐ-UBND ngày 25/09/2019 của UBND tỉnh Bình Dương.\n")
    fs = [f for f in check_text(text.format(year=2024), provider=reg) if f.rule == "validity.out-of-force"]
    assert [(f.identifier, f.line) for f in fs] == [("2563/QĐ-UBND", 10)]  # the 2019 one is another decision
    assert not [f for f in check_text(text.format(year=2020), provider=reg) if f.rule == "validity.out-of-force"]


def test_an_undated_draft_is_checked_as_of_today():
    reg = load_registry(need_shared(BINHDUONG))
    text = "KẾ HOẠCH\n\n- Theo Quyết định số 2563/QĐ-UBND ngày 25/09/2017 của UBND tỉnh Bình Dương.\n"
    assert [f.rule for f in check_text(text, provider=reg, today=date(2024, 1, 5))] == ["validity.out-of-force"]
    assert check_text(text, provider=reg, today=date(2023, 6, 1)) == []  # before the table was taken


def test_users_own_table_with_a_column_mapping(tmp_path):
    p = tmp_path / "mine.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["so_van_ban", "trang_thai", "van_ban_moi", "het_hieu_luc_tu"])
        w.writerow(["55/2011/NĐ-CP", "Hết hiệu lực", "Nghị định số 120/2020/NĐ-CP ngày 07/10/2020", "01/12/2020"])
    reg = load_registry(p, columns={"identifier": "so_van_ban", "status": "trang_thai",
                                    "replaced_by": "van_ban_moi", "change_date": "het_hieu_luc_tu"})
    seed = SEED.read_text(encoding="utf-8")
    fs = [f for f in check_text(seed, provider=reg) if f.rule == "validity.out-of-force"]
    assert [(f.identifier, f.line) for f in fs] == [("55/2011/NĐ-CP", 203)]
    assert "120/2020/NĐ-CP" in fs[0].message and "01/12/2020" in fs[0].message


def test_a_function_provider_is_how_the_graph_plugs_in():
    def graph(key: str):
        if key == "13/2021/TT-BKHCN":
            return Status("13/2021/TT-BKHCN", "partly", ("02/2023/TT-BKHCN",), "2023-01-15", source="graph")
        return None

    seed = SEED.read_text(encoding="utf-8")
    fs = [f for f in check_text(seed, provider=Providers([from_function(graph)])) if f.rule == "validity.out-of-force"]
    assert [(f.identifier, f.severity) for f in fs] == [("13/2021/TT-BKHCN", "warning")]
    assert "một phần" in fs[0].message


# -- the command --------------------------------------------------------------------------------

def test_cli_seed_text_json_and_exit_codes():
    r = CliRunner().invoke(main, ["check", str(SEED)])
    assert r.exit_code == 1, r.output
    assert ":150:10: lỗi [form.symbol-family]" in r.stdout
    r = CliRunner().invoke(main, ["check", str(SEED), "--format", "json", "--lang", "en"])
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert [(x["rule"], x["line"], x["column"], x["text"]) for x in rows] == [("form.symbol-family", 150, 10, "50-NQ/CP")]
    assert "party style" in rows[0]["message"]
    r = CliRunner().invoke(main, ["check", str(SEED), "--rule", "date.conflict"])
    assert r.exit_code == 0 and r.stdout == ""


def test_cli_fail_on_and_usage(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(draft(PLAN, body="- Thực hiện Quyết định số 1579/QĐ-TTG ngày 17/4/2020 của Thủ tướng Chính phủ."),
                 encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(p)]).exit_code == 1  # a warning, --fail-on warning
    assert CliRunner().invoke(main, ["check", str(p), "--fail-on", "error"]).exit_code == 0
    assert CliRunner().invoke(main, ["check", str(p), "--registry-preset", "tvpl"]).exit_code == 2
    assert CliRunner().invoke(main, ["check", str(p), "--rule", "no.such"]).exit_code == 2
    assert CliRunner().invoke(main, ["check"]).exit_code == 2
    r = CliRunner().invoke(main, ["check", "--list-rules"])
    assert r.exit_code == 0 and all(rid in r.stdout for rid in RULES)


def test_cli_registry_flags_a_replaced_document(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(ANGIANG_DRAFT.format(year=2026, body=""), encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(p), "--registry", str(need_shared(ANGIANG)),
                                  "--registry-preset", "angiang", "--format", "json"])
    assert r.exit_code == 1, r.output
    rows = json.loads(r.stdout)
    assert {x["identifier"] for x in rows if x["rule"] == "validity.out-of-force"} == {"48/2020/QĐ-UBND", "02/2021/NQ-HĐND"}


# -- the graph as a validity provider ---------------------------------------------------------

REPLACING = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 08/2026/QĐ-UBND
An Giang, ngày 12 tháng 02 năm 2026

QUYẾT ĐỊNH
Quy định mật độ chăn nuôi trên địa bàn tỉnh An Giang

ỦY BAN NHÂN DÂN TỈNH AN GIANG

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường.

QUYẾT ĐỊNH:
Điều 1. Quy định mật độ chăn nuôi trên địa bàn tỉnh An Giang.
Điều 2. Thay thế cụm từ “Quyết định số 27/2020/QĐ-UBND” bằng cụm từ “Quyết định này” tại Điều 1.
Điều 3. Quyết định này có hiệu lực từ ngày 01 tháng 3 năm 2026 và thay thế Quyết định số 48/2020/QĐ-UBND ngày 29/10/2020 của Ủy ban nhân dân tỉnh An Giang.
"""

MENTIONING_PLAN = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
Số: 77/KH-UBND
An Giang, ngày 20 tháng 02 năm 2026

KẾ HOẠCH
Tuyên truyền

I. NỘI DUNG
- Phổ biến việc thay thế Quyết định số 52/2024/QĐ-UBND ngày 24/10/2024 của Ủy ban nhân dân tỉnh An Giang.
"""


def test_the_built_graph_names_what_replaced_a_document(tmp_path):
    from kg.check.graph_facts import graph_registry
    from kg.graph.build import build
    from kg.graph.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qd-08-2026.txt").write_text(REPLACING, encoding="utf-8")
    (docs / "kh-77-2026.txt").write_text(MENTIONING_PLAN, encoding="utf-8")
    (docs / "draft.txt").write_text(ANGIANG_DRAFT.format(year=2026, body=""), encoding="utf-8")
    build([str(docs)], tmp_path / "store")
    reg = graph_registry(Store.open_read(tmp_path / "store"))
    facts = {(s.identifier, s.status, s.replaced_by) for s in reg.statuses()}
    # the decision's own "thay thế" counts; a phrase substitution and a plan's mention do not
    assert facts == {("48/2020/QĐ-UBND", "replaced", ("08/2026/QĐ-UBND",))}
    r = CliRunner().invoke(main, ["check", str(docs), "--store", str(tmp_path / "store"), "--format", "json",
                                  "--rule", "validity.out-of-force"])
    rows = json.loads(r.stdout)
    assert [(Path(x["file"]).name, x["identifier"]) for x in rows] == [("draft.txt", "48/2020/QĐ-UBND")]
    assert r.exit_code == 1
    assert CliRunner().invoke(main, ["check", str(docs), "--store", str(tmp_path / "none")]).exit_code == 2


PARTLY_REPEALING = REPLACING.replace("Số: 08/2026/QĐ-UBND", "Số: 09/2026/QĐ-UBND").replace(
    "Điều 3. Quyết định này có hiệu lực từ ngày 01 tháng 3 năm 2026 và thay thế Quyết định số 48/2020/QĐ-UBND "
    "ngày 29/10/2020 của Ủy ban nhân dân tỉnh An Giang.",
    "Điều 3. Bãi bỏ Điều 12 Quyết định số 48/2020/QĐ-UBND ngày 29/10/2020 của Ủy ban nhân dân tỉnh An Giang.\n"
    "Điều 4. Quyết định này có hiệu lực từ ngày 01 tháng 3 năm 2026.")


def test_the_built_graph_keeps_a_partial_act_partial(tmp_path):
    """An operative repeal of one article (the mapping's kg:partial true, kg:scope "Điều 12") makes
    the document partly out of force in `kg check --store`, never wholly repealed."""
    from kg.check.graph_facts import graph_registry
    from kg.graph.build import build
    from kg.graph.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qd-09-2026.txt").write_text(PARTLY_REPEALING, encoding="utf-8")
    build([str(docs)], tmp_path / "store")
    reg = graph_registry(Store.open_read(tmp_path / "store"))
    facts = {(s.identifier, s.status, s.replaced_by, s.note) for s in reg.statuses()}
    assert facts == {("48/2020/QĐ-UBND", "partly", ("09/2026/QĐ-UBND",), "Điều 12")}
