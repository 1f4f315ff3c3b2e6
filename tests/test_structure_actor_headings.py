"""Actor headings and the lines of an agency's name, table-driven from lines of the blind plans
(kh-0129 Đắk Lắk 2025, kh-556 Đồng Tháp 2025, kh-153 Cần Thơ 2025):

- "11. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh ...:" is the actor's task with its items, as
  "1. Sở Công Thương:" is (actions.yaml actor_openers), not a section;
- a line break inside an agency's name ("3. Đề nghị Ủy ban Mặt trận⏎Tổ quốc Việt Nam tỉnh ...")
  does not start a paragraph;
- an item under an actor heading that opens with "Phối hợp" makes the actor a partner of it.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_text

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 129/KH-UBND\nĐắk Lắk, ngày 20 tháng 11 năm 2025\nKẾ HOẠCH\n"
         "Tiếp nhận, phân bổ hàng cứu trợ\n\nV. PHÂN CÔNG NHIỆM VỤ\n\n1. Sở Công Thương:\n\n"
         "- Chủ trì điều phối toàn bộ nguồn hàng hỗ trợ từ nguồn ngân sách.\n\n")
MTTQ = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Lắk"

# (body after the frame, task id, text the task starts with, (agency, role) it must carry or None)
CASES = [
    ("11.\nĐề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội:\n\n"
     "- Thực hiện vai trò cơ quan thường trực Ban Vận động cấp tỉnh theo Quy chế phối hợp.\n",
     "V.11", "Đề nghị Ủy ban Mặt trận", (MTTQ, "assigned")),
    ("11.\nĐề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội:\n\n"
     "- Thực hiện vai trò cơ quan thường trực Ban Vận động cấp tỉnh theo Quy chế phối hợp.\n",
     "V.11.1", "Thực hiện vai trò", (MTTQ, "assigned")),
    ("3. Đề nghị Ủy ban Mặt trận\nTổ quốc Việt Nam tỉnh và các Đoàn thể tỉnh bằng nhiều hình thức và phương pháp\n"
     "thích hợp, tổ chức tuyên truyền và vận động đoàn viên, hội viên và Nhân dân.\n",
     "V.3", "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các Đoàn thể", None),
    ("2. Công an tỉnh:\n\n- Phối hợp chính quyền địa phương, Mặt trận cơ sở và các đoàn thể giám sát việc "
     "phân bố và sử dụng nguồn hỗ trợ.\n", "V.2.1", "Phối hợp chính quyền", ("Công an tỉnh Đắk Lắk", "partner")),
    ("2. Công an tỉnh:\n\n- Chủ trì bảo đảm an ninh trật tự tại các điểm tiếp nhận.\n", "V.2.1", "Chủ trì bảo đảm",
     ("Công an tỉnh Đắk Lắk", "lead")),
]


@pytest.mark.parametrize("body,task_id,starts,role", CASES)
def test_actor_headings(body, task_id, starts, role):
    doc = extract_text(_HEAD + body)
    tasks = {t.id: t for t in doc.tasks}
    assert task_id in tasks, sorted(tasks)
    t = tasks[task_id]
    assert " ".join(t.text.split()).startswith(starts)
    if role:
        assert role in {(a.name, a.role) for a in t.agencies}
    assert not any(s.id == task_id for s in doc.sections)
