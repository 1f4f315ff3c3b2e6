"""Provincial bodies under the names the plans give them, table-driven from lines of the blind
plans (kh-0129 Đắk Lắk 2025): the merged provincial paper and broadcaster is "Báo và Phát thanh,
Truyền hình <province>" (no "tỉnh"), the portal "Cổng Thông tin điện tử tỉnh <province>", and
"Ban Chỉ huy PTDS tỉnh" the civil-defence command (agencies.yaml `local`)."""

from __future__ import annotations

import pytest

from kg.extract import extract_text

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 129/KH-UBND\nĐắk Lắk, ngày 20 tháng 11 năm 2025\nKẾ HOẠCH\n"
         "Tiếp nhận, phân bổ hàng cứu trợ\n\nV. PHÂN CÔNG NHIỆM VỤ\n\n")

CASES = [
    ("9. Báo và Phát thanh - Truyền hình Đắk Lắk, Sở Văn hóa, Thể thao và Du lịch, Cổng Thông tin điện tử tỉnh: "
     "Tuyên truyền kịp thời về công tác cứu trợ.\n",
     ["Báo và Phát thanh, Truyền hình Đắk Lắk", "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Lắk",
      "Cổng Thông tin điện tử tỉnh Đắk Lắk"]),
    ("3. Tổng hợp, báo cáo kết quả về Ban Chỉ huy PTDS tỉnh.\n", ["Ban Chỉ huy Phòng thủ dân sự tỉnh Đắk Lắk"]),
]


@pytest.mark.parametrize("body,names", CASES)
def test_provincial_bodies_named_as_the_plans_name_them(body, names):
    doc = extract_text(_HEAD + body)
    found = {a.name for a in doc.agencies}
    for n in names:
        assert n in found, sorted(found)
