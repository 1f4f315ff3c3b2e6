"""A numbered heading that only labels who or when for the unit above it ("2. Cơ quan chủ trì, phối
hợp", "a) Cơ quan chủ trì", "3. Thời gian thực hiện: ...") is a heading, not a task, and the agency
lines under it are no tasks either (actions.yaml `attribute_headings`).

Table-driven from the lines of a national plan (Kế hoạch 252/KH-BCĐQG1237, 2013, in the blind
corpus), whose every Roman unit has "1. Nội dung, biện pháp" with lettered tasks, then "2. Cơ quan
chủ trì, phối hợp" with its agency bullets and "3. Thời gian thực hiện: ...".
"""

from __future__ import annotations

import pytest

from kg.extract import extract_text

_HEAD = ("BAN CHỈ ĐẠO QUỐC GIA 1237\nSố: 252/KH-BCĐQG1237\nHà Nội, ngày 25 tháng 10 năm 2013\nKẾ HOẠCH\n"
         "Triển khai thực hiện Đề án\n\n")
_UNIT = ("I. CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI THỰC HIỆN\n\n1. Nội dung, biện pháp\n\n"
         "a) Tổ chức triển khai thực hiện các chủ trương của Đảng, văn bản quy định của Nhà nước.\n\n"
         "{attr}\n\n")

# (the attribute block under the unit, the ids that are sections, the ids that must not be tasks)
CASES = [
    ("2. Cơ quan chủ trì, phối hợp\n\na) Cơ quan chủ trì\n\n- Ban Chỉ đạo quốc gia.\n\n"
     "- Các Bộ, ngành liên quan.\n\nb) Cơ quan phối hợp\n\n- Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp.",
     {"I.2", "I.2.a", "I.2.b"}, {"I.2.a.1", "I.2.a.2", "I.2.b.1"}),
    ("2. Cơ quan chủ trì\n\n- Ban Chỉ đạo quốc gia.\n\n- Bộ Quốc phòng.", {"I.2"}, {"I.2.1", "I.2.2"}),
    ("2. Chủ trì thực hiện\n\n- Ban Chỉ đạo quốc gia.\n\n- Bộ Quốc phòng.", {"I.2"}, {"I.2.1", "I.2.2"}),
    ("3. Thời gian thực hiện: Tháng 12/2013 và thường xuyên.", {"I.3"}, {"I.3"}),
    ("2. Cơ quan chủ trì, phối hợp\n\na) Cơ quan chủ trì: Bộ Quốc phòng; Bộ Tài chính.\n\n"
     "b) Đơn vị thực hiện: Các Đội chuyên trách của quân đội.", {"I.2", "I.2.a", "I.2.b"}, {"I.2.a", "I.2.b"}),
]


@pytest.mark.parametrize("attr,sections,not_tasks", CASES)
def test_attribute_headings_are_no_tasks(attr, sections, not_tasks):
    doc = extract_text(_HEAD + _UNIT.replace("{attr}", attr))
    tasks = {t.id for t in doc.tasks}
    assert sections <= {s.id for s in doc.sections}
    assert not tasks & not_tasks
    assert "I.1.a" in tasks  # the unit's own task stays one


# Headings that only start like a label, and tasks that name a lead, stay what they were.
KEPT = [
    ("1. Cơ quan chủ trì tổ chức sơ kết, tổng kết việc thực hiện kế hoạch; báo cáo Ủy ban nhân dân tỉnh.", "I.1"),
    ("1. Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan triển khai thực hiện.", "I.1"),
]


@pytest.mark.parametrize("line,task_id", KEPT)
def test_tasks_that_start_with_a_label_word_stay_tasks(line, task_id):
    doc = extract_text(_HEAD + "I. TỔ CHỨC THỰC HIỆN\n\n" + line + "\n")
    assert task_id in {t.id for t in doc.tasks}
