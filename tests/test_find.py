"""Table-driven citation cases from real lines of ../shared/corpus/real and, at the end, of
../shared/corpus/blind (eyecite's FindTest style).

Each case is a line as it stands in a real document (word-segmented, hard-wrapped, OCR'd ...),
optionally under a header that gives the citing document's province, and the citations it must
yield: every field listed must match; fields not listed are not checked. The list is complete:
an extra citation fails the case.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_text

TAY_NINH = "UBND TỈNH TÂY NINH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 12/KH-KHCN\nTây Ninh, ngày 01 tháng 02 năm 2023\n\n"
NGHE_AN = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 5/QĐ-UBND\nNghệ An, ngày 01 tháng 02 năm 2006\n\n"
CENTRAL = "CHÍNH PHỦ\nSố: 1/2025/NĐ-CP\nHà Nội, ngày 01 tháng 02 năm 2025\n\n"
QUANG_NGAI = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 44/2025/QĐ-UBND\nQuảng Ngãi, ngày 21 tháng 11 năm 2025\n\n"
LAO_CAI = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/BC-UBND\nLào Cai, ngày 20 tháng 12 năm 2025\n\n"
DAK_LAK = "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 0129/KH-UBND\nĐắk Lắk, ngày 21 tháng 11 năm 2025\n\n"
HA_NOI = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 310/KH-UBND\nHà Nội, ngày 02 tháng 10 năm 2025\n\n"
# A letter (công văn) answering in sections: no preamble, "Căn cứ" paragraphs inside each answer
LETTER = ("BỘ TÀI CHÍNH\nCỤC THUẾ\nSố: 9/CT-CS\nV/v chính sách thuế\nHà Nội, ngày 03 tháng 12 năm 2025\n\n"
          "Kính gửi: Công ty cổ phần A.\n\n1. Về chính sách thuế\nCăn cứ Điều 9 Luật Thuế giá trị gia tăng số "
          "48/2024/QH15 ngày 26/11/2024 của Quốc hội.\nCông ty thực hiện theo quy định.\n\n2. Về thời điểm lập hóa đơn\n")

CASES: list[tuple[str, str, list[dict]]] = [
    # -- forms of the số hiệu ------------------------------------------------------------------
    ("normative decree, ISO date from dd/mm/yyyy", CENTRAL +
     "Căn cứ Nghị định số 29/2008/NĐ-CP ngày 14 tháng 3 năm 2008 của Chính phủ quy định về khu công nghiệp;",
     [dict(identifier="29/2008/NĐ-CP", doc_type="Nghị định", number="29", year=2008, symbol="NĐ-CP",
           date="2008-03-14", issuer="Chính phủ", relation="based_on")]),
    ("party resolution with a comma before the date", CENTRAL +
     "- Căn cứ Quy định số 232-QĐ/TW, ngày 20/01/2025 của Ban Chấp hành Trung ương Đảng về thi hành",
     [dict(identifier="232-QĐ/TW", doc_type="Quy định", date="2025-01-20",
           issuer="Ban Chấp hành Trung ương Đảng")]),
    ("party conclusion after another date", CENTRAL +
     "ngày 14/6/2024 và Kết luận số 118-KL/TW, ngày 18/01/2025 của Bộ Chính trị.",
     [dict(identifier="118-KL/TW", doc_type="Kết luận", date="2025-01-18", issuer="Bộ Chính trị")]),
    ("ordinance of the Standing Committee (UBTVQH)", CENTRAL +
     "Thực hiện Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh Xử lý vi phạm hành chính số "
     "04/2008/UBTVQH12 ngày 02/4/2008;",
     [dict(identifier="04/2008/UBTVQH12", date="2008-04-02", issuer="Ủy ban Thường vụ Quốc hội",
           title="Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh Xử lý vi phạm hành chính"),
      # the ordinance it amends is named in its title (the gold's convention, real and blind)
      dict(kind="named", title="Pháp lệnh Xử lý vi phạm hành chính", date=None)]),
    ("joint circular, issuers joined", CENTRAL +
     "- Thông tư liên tịch số 92/2008/TTLT-BTC-BTP ngày 17/10/2008 của Bộ Tài chính, Bộ Tư pháp hướng dẫn",
     [dict(identifier="92/2008/TTLT-BTC-BTP", doc_type="Thông tư liên tịch", date="2008-10-17",
           issuer="Bộ Tài chính - Bộ Tư pháp")]),
    ("a list of issuers after 'liên Bộ'", CENTRAL +
     "Căn_cứ Thông_tư liên_tịch số 03/2006/TTLT-BYT-BTC-BLĐTB&XH ngày 26/01/2006 về việc bổ_sung Thông_tư "
     "liên_bộ số 14/TTLB ngày 30/9/1995 của liên_Bộ Y_tế - Bộ Tài_chính - Bộ LĐTB&XH - Ban Vật_giá Chính_phủ",
     [dict(identifier="03/2006/TTLT-BYT-BTC-BLĐTB&XH", issuer="Bộ Y tế - Bộ Tài chính - Bộ Lao động - Thương binh và Xã hội"),
      dict(identifier="14/TTLB", doc_type="Thông tư liên bộ", date="1995-09-30", cited_by="03/2006/TTLT-BYT-BTC-BLĐTB&XH",
           issuer="Bộ Y tế - Bộ Tài chính - Bộ Lao động - Thương binh và Xã hội - Ban Vật giá Chính phủ")]),
    ("issuer before 'tại Tờ trình'", TAY_NINH +
     "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 126/TTr-SNV ngày 02/3/2023.",
     [dict(identifier="126/TTr-SNV", doc_type="Tờ trình", issuer="Sở Nội vụ tỉnh Tây Ninh")]),
    ("joint circular without issuer phrase: from the symbol", CENTRAL +
     "Thực hiện Thông tư liên tịch số 01/2014/TTLT-UBDT-BTC về chính sách",
     [dict(identifier="01/2014/TTLT-UBDT-BTC", issuer="Ủy ban Dân tộc - Bộ Tài chính")]),
    ("consolidated text (VBHN)", CENTRAL +
     "Văn bản hợp nhất số 10/VBHN-BGDĐT ngày 14 tháng 3 năm 2014 của Bộ Giáo dục và Đào tạo về Quy chế",
     [dict(identifier="10/VBHN-BGDĐT", doc_type="Văn bản hợp nhất", date="2014-03-14",
           issuer="Bộ Giáo dục và Đào tạo")]),
    ("official letter: symbol with no type code is a Công văn", TAY_NINH +
     "Thực hiện văn bản số 574/UBND-NC ngày 03/3/2023 của UBND tỉnh về việc rà soát",
     [dict(identifier="574/UBND-NC", doc_type="Công văn", date="2023-03-03",
           issuer="Ủy ban nhân dân tỉnh Tây Ninh")]),
    ("old Government style 206-CP needs its type word", CENTRAL +
     "Nghị định số 206-CP ngày 30 tháng 5 năm 1979 của Hội đồng Chính phủ",
     [dict(identifier="206-CP", doc_type="Nghị định", date="1979-05-30")]),
    ("zero-padded number kept as printed", TAY_NINH +
     "Thực hiện Kế hoạch số 0134/KH-UBND ngày 25/11/2025 của UBND tỉnh Đắk Lắk;",
     [dict(identifier="0134/KH-UBND", number="0134", issuer="Ủy ban nhân dân tỉnh Đắk Lắk")]),
    ("lower-case legacy symbols in word-segmented text", NGHE_AN +
     "kèm theo các quyết_định số 124/2004/qđ-ub , quyết_định số 97/2005/qđ-ub , quyết_định số "
     "08/2006/qđ-ubnd của ubnd tỉnh .",
     [dict(identifier="124/2004/qđ-ub", doc_type="Quyết định", year=2004),
      dict(identifier="97/2005/qđ-ub", year=2005),
      dict(identifier="08/2006/qđ-ubnd", issuer="Ủy ban nhân dân tỉnh Nghệ An")]),
    ("word-segmented ordinance, Nghị_định joins", CENTRAL +
     "Căn_cứ Pháp_lệnh số 38/2001/PL-UBTVQH10 ngày 28/8/2001 về phí và lệ_phí ; Căn_cứ Nghị_định số "
     "57/2002/NĐ-CP của Chính_phủ về Quy_định chi_tiết",
     [dict(identifier="38/2001/PL-UBTVQH10", doc_type="Pháp lệnh", date="2001-08-28", relation="based_on"),
      dict(identifier="57/2002/NĐ-CP", doc_type="Nghị định", date=None, issuer="Chính phủ", relation="based_on")]),
    ("stray space after the hyphen (OCR, gazette)", CENTRAL +
     "Căn cứ Thông tư số 184/2015/TT- BTC ngày 17/11/2015 của Bộ Tài chính quy định",
     [dict(identifier="184/2015/TT-BTC", issuer="Bộ Tài chính", date="2015-11-17")]),
    ("type without 'số'", TAY_NINH +
     "- Hỗ trợ các hoạt động về khởi nghiệp theo Nghị quyết\n\n16/2021/NQ-HĐND ngày 09/12/2021 của HĐND tỉnh quy định",
     [dict(identifier="16/2021/NQ-HĐND", date="2021-12-09", issuer="Hội đồng nhân dân tỉnh Tây Ninh",
           relation="cites")]),
    ("citation broken across a hard line break", CENTRAL +
     "ngày 06/01/2025 của Chính phủ về sửa đổi, bổ sung một số điều của Nghị định số\n78/2025/NĐ-CP ngày 01/4/2025",
     [dict(identifier="78/2025/NĐ-CP", date="2025-04-01")]),
    ("OCR: a garbled symbol is kept as written", CENTRAL +
     "Thực hiện Chỉ thị số 41 /CT-TTs ngày 04/3/2020",
     [dict(identifier="41/CT-TTs", doc_type="Chỉ thị", date="2020-03-04")]),
    ("look-alike Latin Eth Ð folded to Đ", TAY_NINH +
     "Thực hiện Quyết định số 1707/QÐ-UBND ngày 20/7/2022 của UBND tỉnh",
     [dict(identifier="1707/QĐ-UBND", doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh Tây Ninh")]),
    ("type word right after an opening parenthesis", CENTRAL +
     "(được sửa đổi, bổ sung một số điều tại Nghị định số 187/2025/NĐ-CP) quy định (Nghị định số 55/2011/NĐ-CP)",
     [dict(identifier="187/2025/NĐ-CP", text="Nghị định số 187/2025/NĐ-CP"),
      dict(identifier="55/2011/NĐ-CP", text="Nghị định số 55/2011/NĐ-CP")]),
    # -- lists, shared dates, nesting, pinpoints ------------------------------------------------
    ("one date shared by a list", TAY_NINH +
     "Thực hiện các Quyết định số 01/QĐ-UBND và 02/QĐ-UBND ngày 07/01/2023 của UBND tỉnh;",
     [dict(identifier="01/QĐ-UBND", doc_type="Quyết định", date="2023-01-07", issuer="Ủy ban nhân dân tỉnh Tây Ninh"),
      dict(identifier="02/QĐ-UBND", doc_type="Quyết định", date="2023-01-07", issuer="Ủy ban nhân dân tỉnh Tây Ninh")]),
    ("nested in the subject of another citation", TAY_NINH +
     "+ Kế hoạch số 1341/KH-UBND ngày 24/6/2020 của UBND tỉnh về thực hiện Nghị quyết số 50-NQ/CP ngày "
     "17/4/2020 của Chính phủ ban hành Chương trình hành động thực hiện Nghị quyết số 52-NQ/TW ngày "
     "27/9/2019 của Bộ Chính trị về một số chủ trương.",
     [dict(identifier="1341/KH-UBND", cited_by=None),
      dict(identifier="50-NQ/CP", issuer="Chính phủ", cited_by="1341/KH-UBND"),
      dict(identifier="52-NQ/TW", issuer="Bộ Chính trị", date="2019-09-27", cited_by="50-NQ/CP")]),
    ("pinpoint before the type word", TAY_NINH +
     "- Triển khai nhiệm vụ theo quy định tại Điều 6 Nghị định 55/2011/NĐ-CP ngày 04/7/2011 của Chính phủ như:",
     [dict(identifier="55/2011/NĐ-CP", pinpoints=["Điều 6"], date="2011-07-04")]),
    ("several points and a clause", NGHE_AN +
     "6 / Sửa_đổi điểm 3 khoản 2 Điều 1 Quyết_định số 08/2006/QĐ-UBND ngày 24/02/2006 của UBND tỉnh Gia_Lai :",
     [dict(identifier="08/2006/QĐ-UBND", pinpoints=["điểm 3 khoản 2 Điều 1"], issuer="Ủy ban nhân dân tỉnh Gia Lai",
           date="2006-02-24")]),
    ("clause of a resolution of the National Assembly", CENTRAL +
     "Căn cứ điểm 13 của Nghị quyết số 142/2024/QH15 ngày 29 tháng 6 năm 2024\ncủa Quốc hội về Nghị quyết kỳ họp thứ 7;",
     [dict(identifier="142/2024/QH15", pinpoints=["điểm 13"], issuer="Quốc hội", date="2024-06-29")]),
    ("issuer names another province", TAY_NINH +
     "Căn_cứ Quyết_định số 07/2005/QĐ-UB ngày 13 tháng 01 năm 2005 của UBND tỉnh Nghệ_An Về việc ban_hành Đề_án",
     [dict(identifier="07/2005/QĐ-UB", issuer="Ủy ban nhân dân tỉnh Nghệ An", date="2005-01-13")]),
    ("council resolution with session words after the issuer", TAY_NINH +
     "Nghị quyết số 68/NQ-HĐND ngày 09/12/2022 của Hội đồng nhân dân tỉnh khoá X kỳ họp thứ 6 về Kế hoạch",
     [dict(identifier="68/NQ-HĐND", issuer="Hội đồng nhân dân tỉnh Tây Ninh", subject="về Kế hoạch")]),
    ("minister's decision: the ministry is the issuer", CENTRAL +
     "Quyết định số 33/2007/QĐ-BGDĐT ngày 20/6/2007 của Bộ trưởng Bộ Giáo dục và Đào tạo",
     [dict(identifier="33/2007/QĐ-BGDĐT", issuer="Bộ Giáo dục và Đào tạo")]),
    ("submission in 'Xét đề nghị' is cites", TAY_NINH +
     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nXét đề nghị của Giám đốc Sở Nội vụ tại "
     "Tờ trình số 1161/TTr-SNV ngày 05 tháng 8 năm 2010.",
     [dict(title="Luật Tổ chức chính quyền địa phương", kind="named", date="2015-06-19", relation="based_on",
           issuer="Quốc hội"),
      dict(identifier="1161/TTr-SNV", doc_type="Tờ trình", relation="cites", date="2010-08-05")]),
    # -- laws and other documents cited by name --------------------------------------------------
    ("laws by name with a year and with a date", CENTRAL +
     "Căn_cứ Luật tổ_chức HĐND và UBND ngày 26 tháng 11 năm 2003 ;\nCăn_cứ Luật Đầu_tư ngày 29 tháng 11 năm 2005 ;",
     [dict(kind="named", title="Luật tổ chức Hội đồng nhân dân và Ủy ban nhân dân", date="2003-11-26"),
      dict(kind="named", title="Luật Đầu tư", date="2005-11-29", year=2005)]),
    ("law with a comma in its title, year only", CENTRAL +
     "Căn cứ Luật Phòng, chống tham nhũng năm 2018;",
     [dict(kind="named", title="Luật Phòng, chống tham nhũng", year=2018, date=None)]),
    ("title and number: one numbered citation with the title", CENTRAL +
     "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;",
     [dict(identifier="63/2025/QH15", title="Luật Tổ chức Chính phủ", doc_type="Luật", issuer="Quốc hội")]),
    ("party conference resolution by name", TAY_NINH +
     "về tiếp tục thực hiện Nghị quyết Hội nghị trung ương 6 khóa IX về phát triển khoa học và công nghệ",
     [dict(kind="named", title="Nghị quyết Hội nghị trung ương 6 khóa IX", issuer="Ban Chấp hành Trung ương Đảng")]),
    ("named programme after an implementing verb", TAY_NINH +
     "+ Kế hoạch triển khai “Chương trình phát triển tài sản trí tuệ đến năm 2030 trên địa bàn tỉnh Tây Ninh”.",
     [dict(kind="named", doc_type="Chương trình",
           title="Chương trình phát triển tài sản trí tuệ đến năm 2030 trên địa bàn tỉnh Tây Ninh")]),
    # -- short forms ---------------------------------------------------------------------------
    ("short form defined then used", TAY_NINH +
     "Thực hiện Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024 của Thủ tướng Chính phủ (sau đây gọi tắt là Chỉ thị 27);"
     " các sở triển khai Chỉ thị 27 đúng tiến độ.",
     [dict(identifier="27/CT-TTg", kind="numbered", date="2024-08-15", issuer="Thủ tướng Chính phủ"),
      dict(identifier="27/CT-TTg", kind="short", text="Chỉ thị 27"),
      dict(identifier="27/CT-TTg", kind="short", text="Chỉ thị 27")]),
    ("back reference with 'nêu trên'", TAY_NINH +
     "Thực hiện Quyết định số 01/QĐ-UBND ngày 07/01/2023 của UBND tỉnh. Các phòng thực hiện Quyết định số 01 nêu trên.",
     [dict(identifier="01/QĐ-UBND", kind="numbered"),
      dict(identifier="01/QĐ-UBND", kind="short", date="2023-01-07")]),
    ("typed effects: a list, and the passive", CENTRAL +
     "Điều 3. Bãi bỏ Quyết định số 12/2010/QĐ-TTg ngày 01/01/2010 của Thủ tướng Chính phủ; Quyết định số "
     "13/2011/QĐ-TTg ngày 02/02/2011 của Thủ tướng Chính phủ.\nThông tư số 5/2010/TT-BTC đã được thay thế bởi "
     "Thông tư số 6/2015/TT-BTC.",
     [dict(identifier="12/2010/QĐ-TTg", effect="repeals"), dict(identifier="13/2011/QĐ-TTg", effect="repeals"),
      dict(identifier="5/2010/TT-BTC", effect=None), dict(identifier="6/2015/TT-BTC", effect=None)]),
    # -- not citations ---------------------------------------------------------------------------
    ("the document's own number is not a citation",
     "UBND TỈNH TÂY NINH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 155/QĐ-KHCN\nTây Ninh, ngày 15 tháng 12 năm 2021\n", []),
    ("days, periods, amounts, standards, phones, forms", TAY_NINH +
     "sự kiện chào mừng ngày KH&CN 18/5; giai đoạn 2021-2030; mức 1.000.000 đồng/tháng; TCVN ISO 9001:2015;"
     " điện thoại 0276.3822.123; theo Mẫu số 01/TK-CN; 3 lần/năm; Quý I/2026.", []),
    ("a document still to be drafted", TAY_NINH +
     "+ Xây dựng Nghị quyết về chính sách hỗ trợ chuyển giao, đổi mới công nghệ trên địa bàn tỉnh.", []),
    ("an OCR'd header without 'Số:': the number beside place and date is the document's own",
     "THỦ TƯỚNG CHÍNHPHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n—— Độc lập - Tự do - Hạnh phúc\n\n"
     "| CONG THONG TIN BIEN TỦ CHÍNH PHÙ 41 /CT-TTs Ha Nội, ngàyháng 3 năm 2020\n\nDEN i: : _¬ CHỈ THỊ\n"
     "Về một số nhiệm vụ, giải pháp cấp bách\n", []),
    ("a placeholder number in a form", CENTRAL + "Căn cứ Quyết định số …/QĐ-UBND ngày …tháng … năm …", []),
    ("a plan cited by name, with a numbered decision in its subject: both are cited", TAY_NINH +
     "5.1.2\nTriển khai Kế hoạch của Ủy ban nhân dân tỉnh về thực\nhiện Quyết định số 1968/QĐ-TTg ngày "
     "22/11/2021 của Thủ tướng Chính phủ phê\nduyệt Đề án \"Đẩy mạnh ứng dụng công nghệ thông tin và chuyển đổi số",
     [dict(kind="named", doc_type="Kế hoạch", issuer="Ủy ban nhân dân tỉnh Tây Ninh"),
      dict(identifier="1968/QĐ-TTg", date="2021-11-22", issuer="Thủ tướng Chính phủ")]),
    ("a letter's \"Căn cứ\" paragraph in its second answer is a legal basis too", LETTER +
     "Căn cứ Nghị định số 52/2013/NĐ-CP ngày 16/5/2013 của Chính phủ về thương mại điện tử;",
     [dict(identifier="48/2024/QH15", relation="based_on", pinpoints=["Điều 9"]),
      dict(identifier="52/2013/NĐ-CP", relation="based_on", date="2013-05-16", issuer="Chính phủ")]),
    ("a joint submission's issuers before 'tại Tờ trình liên ngành số'", NGHE_AN +
     "Theo đề_nghị của Sở Tư_pháp và Sở Tài_chính tại Tờ_trình liên_ngành số 415/TTLN-TP-TC ngày 16 tháng 5 năm "
     "2005 về việc ban_hành Kế_hoạch",
     [dict(identifier="415/TTLN-TP-TC", doc_type="Tờ trình", date="2005-05-16", relation="cites",
           issuer="Sở Tư pháp tỉnh Nghệ An - Sở Tài chính tỉnh Nghệ An")]),
    ("'của liên Bộ:' and a list of ministries", NGHE_AN +
     "1 . Bãi_bỏ phần B2 ( theo Quyết_định số 3204/2000/QĐ-BYT ngày 11/9/2000 của Bộ Y_tế đã bãi_bỏ Thông_tư số "
     "11/TTLB ngày 19/9/1997 của liên_Bộ : Bộ Y_tế - Bộ Tài_chính - Bộ Lao_động TB&XH và Ban Vật_giá Chính_phủ ) .",
     [dict(identifier="3204/2000/QĐ-BYT", issuer="Bộ Y tế", date="2000-09-11"),
      dict(identifier="11/TTLB", doc_type="Thông tư liên bộ", date="1997-09-19",
           issuer="Bộ Y tế - Bộ Tài chính - Bộ Lao động - Thương binh và Xã hội - Ban Vật giá Chính phủ")]),
    ("the symbol says which kind of Thông tư (liên bộ), word-segmented", NGHE_AN +
     "a ) Mức thu một phần viện_phí của các danh_mục quy_định trong Thông_tư số 14/TTLB thì được tính tiền thuốc",
     [dict(identifier="14/TTLB", doc_type="Thông tư liên bộ")]),
    ("a national technical regulation (QCVN) is a standard, not a citation", CENTRAL +
     "QCVN:01/2008/BLĐTBXH: Quy chuẩn kỹ thuật quốc gia về an toàn lao động nồi hơi, bình chịu áp lực", []),
    ("a dot between type and issuer codes (QĐ.UBND), word-segmented", NGHE_AN +
     "2 . Điều_chỉnh mức thu một phần viện_phí của một_số danh_mục quy_định tại Quyết_định số 77/2006/QĐ.UBND "
     "ngày 17/8/2006 ( Có thi tiết tại phụ_lục kèm theo",
     [dict(identifier="77/2006/QĐ.UBND", doc_type="Quyết định", date="2006-08-17",
           issuer="Ủy ban nhân dân tỉnh Nghệ An", pinpoints=[])]),
    ("a standard's number:year with its body, beside a real citation", CENTRAL +
     "- Tiêu chuẩn cơ sở 661: 2018/BVTV quy trình công nhận\nQuyết định số 146/QĐ-BVTV-KH ngày 16/01/2018",
     [dict(identifier="146/QĐ-BVTV-KH", date="2018-01-16")]),
    ("this document itself", TAY_NINH + "Các phòng triển khai thực hiện nghiêm túc nội dung của Kế hoạch này.", []),
    # -- lines of ../shared/corpus/blind the blind scoring missed (issue 14) --------------------------
    ("qd-44 quangngai: laws in lower case inside an amending law's title, a listed title misprinted in a tone",
     QUANG_NGAI + "Căn cứ Luật Quản lý, sử dụng\ntài sản công ngày 21 tháng 6 năm 2017; Luật Đầu tư theo phướng thức "
     "đối tác\ncông tư ngày 18 tháng 6 năm 2020; Luật sửa đổi, bổ sung một số điều của luật chứng\nkhoán, luật kế toán, "
     "luật kiểm toán độc lập, luật ngân sách nhà nước, luật quản\nlý, sử dụng tài sản công, luật quản lý thuế, luật thuế "
     "thu nhập cá nhân, luật dự\ntrữ quốc gia, luật xử lý vi phạm hành chính ngày 29 tháng 11 năm 2024;",
     [dict(kind="named", title="Luật Quản lý, sử dụng tài sản công", date="2017-06-21", issuer="Quốc hội"),
      dict(kind="named", title="Luật Đầu tư theo phương thức đối tác công tư", date="2020-06-18"),
      dict(kind="named", date="2024-11-29", relation="based_on",
           title="Luật sửa đổi, bổ sung một số điều của luật chứng khoán, luật kế toán, luật kiểm toán độc lập, "
                 "luật ngân sách nhà nước, luật quản lý, sử dụng tài sản công, luật quản lý thuế, luật thuế thu nhập "
                 "cá nhân, luật dự trữ quốc gia, luật xử lý vi phạm hành chính"),
      *[dict(kind="named", title=t, issuer="Quốc hội", relation="based_on") for t in (
          "Luật chứng khoán", "Luật kế toán", "Luật kiểm toán độc lập", "Luật ngân sách nhà nước",
          "Luật quản lý, sử dụng tài sản công", "Luật quản lý thuế", "Luật thuế thu nhập cá nhân",
          "Luật dự trữ quốc gia", "Luật xử lý vi phạm hành chính")]]),
    ("cv-2638: a lower-case ordinance after 'hướng dẫn thi hành một số điều của'", CENTRAL +
     "Nghị định số 56/2013/NĐ-CP ngày 22/5/2013 của Chính phủ quy định chi tiết, hướng dẫn thi hành một số điều của "
     "Pháp lệnh quy định danh hiệu vinh dự Nhà nước “Bà mẹ Việt Nam anh hùng”; các Quyết định",
     [dict(identifier="56/2013/NĐ-CP"),
      dict(kind="named", title="Pháp lệnh quy định danh hiệu vinh dự Nhà nước", issuer="Ủy ban Thường vụ Quốc hội")]),
    ("kh-141 bacninh: the Constitution before a comma", TAY_NINH +
     "luật đồng bộ, thống nhất, minh bạch, khả thi, chất lượng cao, phù hợp với Hiến\npháp, pháp luật",
     [dict(kind="named", title="Hiến pháp", issuer="Quốc hội")]),
    ("kh-141 bacninh: a title that opens with 'Ban hành'", TAY_NINH +
     "trong xây dựng và tổ chức thi hành pháp luật; Luật Ban hành văn bản QPPL và các\nvăn bản hướng dẫn thi hành",
     [dict(kind="named", title="Luật Ban hành văn bản QPPL")]),
    ("nd-148: a law's title up to its number, then the law by name is that numbered law", CENTRAL +
     "Căn cứ Luật Cơ quan đại diện nước Cộng hòa xã hội chủ nghĩa Việt Nam \nở nước ngoài số 33/2009/QH12 được sửa "
     "đổi, bổ sung bởi Luật số 19/2017/QH14;\n\n1. Theo quy định tại các Điều 5, 6, \n7, 9 Luật Cơ quan đại diện "
     "nước Cộng hòa xã hội chủ nghĩa Việt Nam ở nước \nngoài; thực hiện nhiệm vụ",
     [dict(identifier="33/2009/QH12", relation="based_on",
           title="Luật Cơ quan đại diện nước Cộng hòa xã hội chủ nghĩa Việt Nam ở nước ngoài"),
      dict(identifier="19/2017/QH14"),
      dict(identifier="33/2009/QH12", relation="cites", pinpoints=["các Điều 5, 6, 7, 9"])]),
    ("cv-snnmt laocai: two misprints of one law, cited by number then by name", LAO_CAI +
     "Căn cứ Luật Địa chất và koáng sản số 54/2024/QH15 ngày 29/11/2024, có hiệu lực thi hành từ ngày 01 tháng 7 "
     "năm 2025;\n\nThực hiện các quy định tại Điều 60 Luật Địa chất và khoán sản.",
     [dict(identifier="54/2024/QH15", relation="based_on", title="Luật Địa chất và khoáng sản"),
      dict(identifier="54/2024/QH15", relation="cites", pinpoints=["Điều 60"])]),
    ("qd-2853 hcm: a scheme's title in quotation marks", TAY_NINH +
     "Ban hành kèm theo Quyết định này Kế hoạch triển khai thực hiện Đề án “Nâng cao nhận\nthức cộng đồng và Quản lý "
     "rủi ro thiên tai dựa vào cộng đồng, đến năm 2030” trên địa bàn",
     [dict(kind="named", doc_type="Đề án",
           title="Đề án Nâng cao nhận thức cộng đồng và Quản lý rủi ro thiên tai dựa vào cộng đồng, đến năm 2030")]),
    ("kh-310 hanoi: a named plan continuing a list of cited documents", HA_NOI +
     "Kế hoạch số 139/KH-UBND ngày 16/5/2025\ncủa UBND Thành phố về thực hiện Nghị quyết số 71/NQ -CP ngày 01/4/2025 "
     "của\nChính phủ và Kế hoạch hành động của Ban Thường vụ Thành ủy Hà Nội về triển khai\nNghị quyết số 57-NQ/TW "
     "ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển\nkhoa học. UBND thành phố",
     [dict(identifier="139/KH-UBND"), dict(identifier="71/NQ-CP"),
      dict(kind="named", doc_type="Kế hoạch"), dict(identifier="57-NQ/TW", issuer="Bộ Chính trị")]),
    ("kh-141 bacninh: a recurring plan is no one document", TAY_NINH +
     "Thời gian thực hiện: Theo\nKế hoạch bồi dưỡng công chức, viên chức hàng năm.", []),
    ("bc-khoangsan laocai: a former province's body named in the sentence; a letter's drafting unit", LAO_CAI +
     "Ngày 30/12/2023, UBND tỉnh Yên Bái đã có Văn bản số 4516/UBND-TNMT gửi Bộ Tài nguyên và Môi trường.",
     [dict(identifier="4516/UBND-TNMT", issuer="Ủy ban nhân dân tỉnh Yên Bái")]),
    ("bc-khoangsan laocai: the inspectorate's conclusions (KL-TT)", LAO_CAI +
     "[2] Kết luận số 10/KL-TT ngày 09/9/2025 và Kết luận số 17/KL-TT ngày 05/11/2025.",
     [dict(identifier="10/KL-TT", issuer="Thanh tra tỉnh Lào Cai"),
      dict(identifier="17/KL-TT", issuer="Thanh tra tỉnh Lào Cai", date="2025-11-05")]),
    ("bc-khoangsan laocai: a central department's code (KSVN)", LAO_CAI +
     "Năm 2025, ngành thuế tiếp nhận Văn bản số 343/KSVN-KHTCKT ngày 18/02/2025 (Cục Thuế tỉnh Lào Cai trước sáp nhập);",
     [dict(identifier="343/KSVN-KHTCKT", issuer="Cục Khoáng sản Việt Nam", date="2025-02-18")]),
    ("tb-648: the Government Office's letter conveys the Prime Minister's words", CENTRAL +
     "khẩn\ntrương rà soát lại việc thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ tại\nCông văn số 7683/VPCP-QHĐP "
     "ngày 18 tháng 8 năm 2025, báo cáo",
     [dict(identifier="7683/VPCP-QHĐP", issuer="Văn phòng Chính phủ", date="2025-08-18")]),
    ("kh-0129 daklak: a joint coordination rule of three provincial bodies", DAK_LAK +
     "Căn cứ Quy chế phối hợp số\n49/QCPH-UBND-UBMT-HCTĐ ngày 24/01/2025 về thực hiện công tác vận động, tiếp nhận,",
     [dict(identifier="49/QCPH-UBND-UBMT-HCTĐ", doc_type="Quy chế", relation="based_on",
           issuer="Ủy ban nhân dân tỉnh Đắk Lắk - Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Lắk - Hội Chữ thập đỏ tỉnh Đắk Lắk")]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_find(name: str, text: str, expected: list[dict]) -> None:
    doc = extract_text(text)
    got = doc.citations
    assert len(got) == len(expected), [(c.identifier or c.title, c.kind, c.text) for c in got]
    for c, want in zip(got, expected):
        for field, value in want.items():
            assert getattr(c, field) == value, (field, c)
        assert text[c.start:c.end] == c.text


def test_offsets_point_into_the_original_text_when_it_is_decomposed() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", TAY_NINH + "Triển khai Nghị quyết số 42/2022/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh Quy định")
    doc = extract_text(text)
    (c,) = doc.citations
    assert c.identifier == "42/2022/NQ-HĐND"
    assert c.issuer == "Hội đồng nhân dân tỉnh Tây Ninh"
    assert text[c.start:c.end] == c.text
    assert unicodedata.normalize("NFC", c.text).startswith("Nghị quyết số 42/2022/NQ-HĐND")


def test_finder_passes_registered_in_order():
    """Each pass is one registered function of kg/extract/find/, run in its order."""
    from kg.extract.find.registry import PASSES, passes

    assert [p.name for p in passes()] == ["numbered", "lists", "laws", "party", "fixed", "programmes",
                                          "titles", "short", "nesting"]
    for p in PASSES.values():
        assert p.fn.__module__.startswith("kg.extract.find.") and p.doc and p.fn.pass_name == p.name


def test_finder_pass_registered_twice_is_refused():
    from kg.extract.find.registry import PASSES, finder_pass

    with pytest.raises(ValueError):
        finder_pass("numbered", 10)(lambda r, state: None)
    assert PASSES["numbered"].fn.__module__ == "kg.extract.find.numbered"
