"""A bracketed footnote at the document's end, after an appendix, belongs to the task that carries
its marker, even when the marker is glued to a word ("khoáng sản1") as a converter writes Word's
footnotes; its citations go to that task and its text is no row of the appendix. Table-driven from
lines of the blind plan kh-ct11 (Lào Cai, 2026 draft) and the real dispatch cd-220 (2025)."""

from __future__ import annotations

import pytest

from kg.extract import extract_text

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: /KH-UBND\nLào Cai, ngày   tháng 01 năm 2026\nKẾ HOẠCH\n"
         "Thực hiện Chỉ thị số 11-CT/TU\n\nII. NHIỆM VỤ, GIẢI PHÁP\n\n1. Công tác tuyên truyền\n\n")
_APPENDIX = ("\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n"
             "Phụ lục\nMỘT SỐ NHIỆM VỤ TRỌNG TÂM\n(Kèm theo Kế hoạch số    /KH-UBND của UBND tỉnh Lào Cai)\n\n"
             "1. Đẩy nhanh công tác bồi thường, giải phóng mặt bằng đối với các dự án khoáng sản.\n\n")

# (the task with the marker, the footnote at the end, the citation the note holds)
CASES = [
    ("1.1. Tổ chức quán triệt sâu rộng các chủ trương, chính sách, pháp luật của Nhà nước về địa chất, "
     "khoáng sản1 đến cán bộ, công chức, viên chức và Nhân dân trên địa bàn tỉnh.\n",
     "[1] Đặc biệt: Nghị quyết số 10-NQ/TW ngày 10/02/2022 của Bộ Chính trị về định hướng chiến lược địa chất, "
     "khoáng sản và công nghiệp khai khoáng đến năm 2030, tầm nhìn đến năm 2045.\n", "II.1.1", "10-NQ/TW"),
    ("1.1. Tổ chức quán triệt các nhiệm vụ được giao[1]. Chính phủ đã ban hành các văn bản hướng dẫn.\n",
     "[1] Chỉ thị số 38-CT/TTg ngày 29/9/2020 của Thủ tướng Chính phủ về tăng cường quản lý khoáng sản.\n",
     "II.1.1", "38-CT/TTg"),
]


@pytest.mark.parametrize("task,note,task_id,ident", CASES)
def test_end_footnote_goes_to_its_marker(task, note, task_id, ident):
    doc = extract_text(_HEAD + task + _APPENDIX + note)
    cits = [c for c in doc.citations if c.identifier == ident]
    assert cits and all(c.task == task_id for c in cits), [(c.identifier, c.task) for c in cits]
    assert not any(ident in t.text for t in doc.tasks if t.id.startswith("PL1"))
