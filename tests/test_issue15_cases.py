"""Every case quoted under "Why" of issue 15, table-driven (in the style of eyecite's FindTest):
each row is the quoted line inside a plan's usual frame, and what legal staff read in it.

The lines come from real plans outside the team's corpus, tried as a new user would; the frame is
the header every plan of a province carries, so that local bodies take the province's name.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_text

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH {U}\nSố: 12/KH-UBND\n{P}, ngày 01 tháng 8 năm 2025\nKẾ HOẠCH\n"
         "Triển khai thực hiện nhiệm vụ năm 2025\n\nThực hiện chỉ đạo của Ủy ban nhân dân tỉnh, kế hoạch như sau:\n")


def _doc(body: str, province: str = "Quảng Trị"):
    return extract_text(_head(province) + body)


def _head(province: str, kind: str = "KẾ HOẠCH") -> str:
    return _HEAD.replace("{U}", province.upper()).replace("{P}", province).replace("KẾ HOẠCH", kind)


def _roles(doc) -> set[tuple[str, str, str]]:
    return {(t.id, a.name, a.role) for t in doc.tasks for a in t.agencies}


# (body, task id, agency, role): the role the clause gives; None: the agency has no role there.
ROLE_CASES = [
    # "... trong phạm vi do Bộ Quốc phòng quản lý" made Bộ Quốc phòng `assigned`
    ("III. TỔ CHỨC THỰC HIỆN\n1. Bộ Chỉ huy Quân sự tỉnh chủ trì rà soát đất quốc phòng trong phạm vi do "
     "Bộ Quốc phòng quản lý.\n", "III.1", "Bộ Quốc phòng", None),
    ("III. TỔ CHỨC THỰC HIỆN\n1. Bộ Chỉ huy Quân sự tỉnh chủ trì rà soát đất quốc phòng trong phạm vi do "
     "Bộ Quốc phòng quản lý.\n", "III.1", "Bộ Chỉ huy Quân sự tỉnh Quảng Trị", "lead"),
    # "... báo cáo kết quả về Công an tỉnh" made Công an tỉnh `advised`, the bodies doing the work missing
    ("III. TỔ CHỨC THỰC HIỆN\n1. Giám đốc các Sở, ban, ngành; Chủ tịch UBND các xã, phường tổ chức thực hiện "
     "và báo cáo kết quả về Công an tỉnh trước ngày 15/12/2025.\n", "III.1", "Công an tỉnh Quảng Trị", "reports_to"),
    ("III. TỔ CHỨC THỰC HIỆN\n1. Giám đốc các Sở, ban, ngành; Chủ tịch UBND các xã, phường tổ chức thực hiện "
     "và báo cáo kết quả về Công an tỉnh trước ngày 15/12/2025.\n", "III.1", "Các sở, ban, ngành tỉnh Quảng Trị", "lead"),
    ("III. TỔ CHỨC THỰC HIỆN\n1. Giám đốc các Sở, ban, ngành; Chủ tịch UBND các xã, phường tổ chức thực hiện "
     "và báo cáo kết quả về Công an tỉnh trước ngày 15/12/2025.\n", "III.1",
     "Ủy ban nhân dân các xã, phường tỉnh Quảng Trị", "lead"),
    # "Phòng An ninh chính trị nội bộ" was cut to "... nội"
    ("II. NHIỆM VỤ\n1. Phòng An ninh chính trị nội bộ Công an tỉnh chủ trì theo dõi tình hình.\n", "II.1",
     "Phòng An ninh chính trị nội bộ Công an tỉnh Quảng Trị", "lead"),
    # "Tham mưu UBND tỉnh", "phối hợp với", "theo hướng dẫn của": the cue words of the grammar
    ("II. NHIỆM VỤ\n1. Sở Tài chính tham mưu UBND tỉnh bố trí kinh phí theo hướng dẫn của Bộ Tài chính.\n", "II.1",
     "Ủy ban nhân dân tỉnh Quảng Trị", "advised"),
    ("II. NHIỆM VỤ\n1. Sở Tài chính tham mưu UBND tỉnh bố trí kinh phí theo hướng dẫn của Bộ Tài chính.\n", "II.1",
     "Bộ Tài chính", "guidance"),
    ("II. NHIỆM VỤ\n1. Giao Sở Nội vụ thực hiện, gửi kết quả về Sở Tư pháp.\n", "II.1", "Sở Nội vụ tỉnh Quảng Trị", "lead"),
    ("II. NHIỆM VỤ\n1. Giao Sở Nội vụ thực hiện, gửi kết quả về Sở Tư pháp.\n", "II.1", "Sở Tư pháp tỉnh Quảng Trị",
     "reports_to"),
]


@pytest.mark.parametrize("body, tid, name, role", ROLE_CASES)
def test_role_from_the_clause(body, tid, name, role):
    doc = _doc(body)
    assert tid in {t.id for t in doc.tasks}, [t.id for t in doc.tasks]
    got = {(a.name, a.role) for t in doc.tasks if t.id == tid for a in t.agencies if a.role != "mentioned"}
    if role is None:
        assert name not in {n for n, _ in got}, got
    else:
        assert (name, role) in got, got


# a clause naming about ten bodies ("Văn phòng Tỉnh ủy, ... các Sở, ban, ngành, đoàn thể ...") yielded one
TEN = ("III. TỔ CHỨC THỰC HIỆN\n1. Đề nghị Văn phòng Tỉnh ủy, Ban Tổ chức Tỉnh ủy, Ban Tuyên giáo và Dân vận "
       "Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Tỉnh đoàn, Hội Nông dân tỉnh, "
       "Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh, các Sở, ban, ngành, đoàn thể tỉnh và UBND các xã, phường phối hợp "
       "triển khai thực hiện.\n")


def test_a_list_of_bodies_gives_every_body():
    doc = _doc(TEN)
    names = {a.name for t in doc.tasks if t.id == "III.1" for a in t.agencies if a.role != "mentioned"}
    want = {"Văn phòng Tỉnh ủy Quảng Trị", "Ban Tổ chức Tỉnh ủy Quảng Trị", "Ủy ban Kiểm tra Tỉnh ủy Quảng Trị",
            "Tỉnh đoàn Quảng Trị", "Hội Nông dân tỉnh Quảng Trị", "Công an tỉnh Quảng Trị",
            "Bộ Chỉ huy Quân sự tỉnh Quảng Trị", "Các sở, ban, ngành, đoàn thể tỉnh Quảng Trị",
            "Ủy ban nhân dân các xã, phường tỉnh Quảng Trị"}
    assert want <= names, want - names
    assert len(names) >= 10


# (body, the tasks' ids and first words): boundaries
BOUNDARY_CASES = [
    # a point "a) Thay thế cụm từ “tỉnh Thừa⏎Thiên Huế” bằng …" was split into two tasks at the line break
    ("Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 10/2024/QĐ-UBND\n1. Sửa đổi Điều 2 như sau:\n"
     "a) Thay thế cụm từ “tỉnh Thừa\nThiên Huế” bằng cụm từ “thành phố Huế”.\nb) Bãi bỏ khoản 3.\n",
     [("Điều 1.1.a", "Thay thế cụm từ “tỉnh Thừa Thiên Huế” bằng"), ("Điều 1.1.b", "Bãi bỏ khoản 3")]),
    # quoted clauses of another document became odd sibling tasks ("Điều 1.1~2")
    ("Điều 1. Sửa đổi, bổ sung Quyết định số 10/2024/QĐ-UBND như sau:\n1. Sửa đổi khoản 1 Điều 3 như sau:\n"
     "“1. Sở Tài chính chủ trì thẩm định.\n2. Sở Tư pháp phối hợp.”\n2. Bãi bỏ Điều 5.\n"
     "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n",
     [("Điều 1.1", "Sửa đổi khoản 1 Điều 3 như sau: “1. Sở Tài chính chủ trì thẩm định. 2. Sở Tư pháp phối hợp.”"),
      ("Điều 1.2", "Bãi bỏ Điều 5"), ("Điều 2", "Quyết định này có hiệu lực")]),
]


@pytest.mark.parametrize("body, want", BOUNDARY_CASES)
def test_boundaries(body, want):
    doc = extract_text(_head("Huế", "QUYẾT ĐỊNH").replace("TỈNH HUẾ", "THÀNH PHỐ HUẾ") + body)
    tasks = {t.id: t for t in doc.tasks}
    for tid, start in want:
        assert tid in tasks, sorted(tasks)
        assert " ".join(tasks[tid].text.split()).startswith(start), tasks[tid].text
    assert not any("~" in t for t in tasks), sorted(tasks)


def test_footnote_belongs_to_the_task_with_its_marker():
    body = ("II. NHIỆM VỤ\n1. Rà soát văn bản theo quy định của pháp luật1.\n"
            "2. Tổ chức tập huấn cho cán bộ, công chức.\n"
            "1 Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15.\n")
    doc = _doc(body)
    c = next(c for c in doc.citations if c.identifier == "64/2025/QH15")
    assert c.task == "II.1"
    assert [t.id for t in doc.tasks if t.id.startswith("II.")] == ["II.1", "II.2"]


# Many plans give their tasks as a TABLE: "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối
# hợp | Thời gian hoàn thành | Sản phẩm", in DOCX tables, markdown tables, or one cell per line.
_ROW = ("Rà soát quy hoạch theo Quyết định số 25/2025/QĐ-UBND", "Sở Xây dựng", "Sở Tài chính; UBND các xã, phường",
        "Quý IV/2025", "Báo cáo")
TABLES = {
    "markdown": ("PHỤ LỤC\nNHIỆM VỤ\n| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |\n"
                 "|---|---|---|---|---|---|\n| 1 | " + " | ".join(_ROW) + " |\n| 2 | Tập huấn | Sở Nội vụ | | 2026 | Hội nghị |\n"),
    "docx": ("PHỤ LỤC\nNHIỆM VỤ\nSTT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm\n"
             "1 | " + " | ".join(_ROW) + "\n2 | Tập huấn | Sở Nội vụ | | 2026 | Hội nghị\n"),
    "flattened": ("PHỤ LỤC\nNHIỆM VỤ\nSTT\nNội dung nhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\n"
                  "Sản phẩm\n1\n" + "\n".join(_ROW) + "\n2\nTập huấn\nSở Nội vụ\nSở Tư pháp\n2026\nHội nghị\n"),
    "layout": ("PHỤ LỤC\nNHIỆM VỤ\nSTT   Nội dung nhiệm vụ                 Cơ quan chủ trì   Cơ quan phối hợp   Thời gian hoàn thành   Sản phẩm\n"
               "1     Rà soát quy hoạch theo Quyết      Sở Xây dựng       Sở Tài chính;      Quý IV/2025            Báo cáo\n"
               "      định số 25/2025/QĐ-UBND                             UBND các xã, phường\n"
               "2     Tập huấn                          Sở Nội vụ         Sở Tư pháp         2026                   Hội nghị\n"),
}


@pytest.mark.parametrize("form", sorted(TABLES))
def test_task_table_rows_are_tasks(form):
    body = "I. NHIỆM VỤ\n1. Thực hiện các nhiệm vụ tại Phụ lục kèm theo.\n" + TABLES[form]
    doc = _doc(body)
    rows = {t.id: t for t in doc.tasks if t.kind == "row"}
    assert set(rows) >= {"1", "2"} or set(rows) >= {"PL1.1", "PL1.2"} or len(rows) == 2, sorted(rows)
    r1 = next(t for t in rows.values() if t.text.startswith("Rà soát quy hoạch"))
    assert r1.lead == ["Sở Xây dựng tỉnh Quảng Trị"]
    assert "Sở Tài chính tỉnh Quảng Trị" in r1.partners
    assert r1.deadline == "Quý IV/2025" and r1.product == "Báo cáo"
    assert any(doc.citations[i].identifier == "25/2025/QĐ-UBND" for i in r1.citations)


def test_a_budget_table_is_not_read_as_tasks():
    body = ("I. KINH PHÍ\n| STT | Nội dung | Kinh phí (triệu đồng) | Nguồn vốn |\n|---|---|---|---|\n"
            "| 1 | Tập huấn | 200 | Ngân sách tỉnh |\n")
    assert not [t for t in _doc(body).tasks if t.kind == "row"]
