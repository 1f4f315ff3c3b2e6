"""kg/resolve: one place for an issuer's level, a province at a date, a regional body, a document's
identity across the 2025 reorganisation. Table-driven, from real names and lines."""

from __future__ import annotations

import pytest

import kg
from kg.grammar import grammar
from kg.graph.mapping import cited_iri
from kg.resolve.issuers import Jurisdiction, canonical_body, level_of


@pytest.mark.parametrize("name,level", [
    ("Bộ Tài chính", "central"),
    ("Thủ tướng Chính phủ", "central"),
    ("Ủy ban nhân dân tỉnh Tây Ninh", "province"),
    ("Ủy ban nhân dân thành phố Cần Thơ", "province"),
    ("Ủy ban nhân dân huyện Châu Thành", "district"),
    ("Ủy ban nhân dân thành phố Tam Kỳ", "district"),  # a city that is no province
    ("Ủy ban nhân dân xã Tân Phú", "commune"),
    ("Ủy ban nhân dân đặc khu Phú Quốc", "commune"),  # "đặc khu" comes from the unit-word table only
    ("Tỉnh ủy Tây Ninh", "party"),
    ("Ban Chấp hành Trung ương Đảng", "party"),
])
def test_level_of(name, level):
    assert level_of(name) == level


@pytest.mark.parametrize("place,when,was", [
    ("Huế", "2023-08-21", "Thừa Thiên Huế"),   # renamed on 1 January 2025
    ("Huế", 2024, "Thừa Thiên Huế"),
    ("Huế", "2025-03-01", "Huế"),
    ("Lào Cai", 2019, "Lào Cai"),               # a successor carries on its own former unit
    ("Vĩnh Long", "2022-07-07", "Vĩnh Long"),
    ("Tây Ninh", None, "Tây Ninh"),             # no date: nothing to change
])
def test_province_at_a_date(place, when, was):
    assert Jurisdiction(grammar().place(place)).at(when).name == was


@pytest.mark.parametrize("phrase,name", [
    ("Kho bạc Nhà nước khu vực XI", "Kho bạc Nhà nước khu vực XI"),
    ("Ngân hàng Nhà nước khu vực 8", "Ngân hàng Nhà nước khu vực 8"),
    ("Kiểm toán nhà nước khu vực II", "Kiểm toán nhà nước khu vực II"),
    ("Ngân hàng Nhà nước", "Ngân hàng Nhà nước Việt Nam"),
])
def test_regional_units_keep_their_region(phrase, name):
    assert canonical_body(phrase, Jurisdiction(grammar().place("Điện Biên"))) == name


HUE = ("HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HUẾ\nSố: 30/2025/NQ-HĐND\nThành phố Huế, ngày 18 tháng 11 năm 2025\n\n"
       "NGHỊ QUYẾT\nSửa đổi\n\nCăn cứ Nghị quyết số 20/2023/NQ-HĐND ngày 21 tháng 8 năm 2023 của Hội đồng nhân dân "
       "tỉnh Thừa Thiên Huế;\n\nQUYẾT NGHỊ:\nĐiều 1. Sửa đổi, bổ sung một số điều của Nghị quyết số 20/2023/NQ-HĐND\n"
       "1. Sửa đổi khoản 2 Điều 5 như sau:\n“2. Mới.”\n")


def test_one_node_across_the_reorganisation():
    """Issue 14: the dated mention names HĐND tỉnh Thừa Thiên Huế, the undated one is cited from
    today's thành phố Huế: one document, issued by the body of its own date."""
    doc = kg.extract(HUE)
    cits = [c for c in doc.citations if c.identifier == "20/2023/NQ-HĐND"]
    assert len(cits) == 2
    assert {c.issuer for c in cits} == {"Hội đồng nhân dân tỉnh Thừa Thiên Huế"}
    iris = {cited_iri(c, doc) for c in cits}
    assert len(iris) == 1 and "/thua-thien-hue/" in iris.pop()


def test_a_ministrys_letter_code():
    text = ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 2638/LĐTBXH-KHTC\nHà Nội, ngày 03 tháng 7 năm 2019\n\n"
            "V/v xây dựng dự toán\n\nBộ đã hướng dẫn tại Công văn số 2906/LĐTBXH-KHTC ngày 13/7/2017 của Bộ về việc "
            "xây dựng dự toán.\n")
    c = next(c for c in kg.extract(text).citations if c.identifier == "2906/LĐTBXH-KHTC")
    assert c.issuer == "Bộ Lao động - Thương binh và Xã hội"
