"""The one symbol parser (kg/grammar/symbols.py): forms from data, the same Symbol for a scanned
match and a cleaned identifier, the implied type, the issuer a code names."""

from __future__ import annotations

import pytest

from kg.extract.patterns import SYMBOL
from kg.grammar.symbols import identifier_key, implied_type, issuer_for_code, parse_symbol, symbol_of
from kg.models import Form


@pytest.mark.parametrize("ident,form,year,type_code,issuers,symbol,implied", [
    ("42/2022/NQ-HĐND", Form.NORMATIVE, 2022, "NQ", ("HĐND",), "NQ-HĐND", "Nghị quyết"),
    ("58/2010/QH12", Form.NORMATIVE, 2010, None, ("QH12",), "QH12", "Luật"),
    ("04/2008/UBTVQH12", Form.NORMATIVE, 2008, None, ("UBTVQH12",), "UBTVQH12", "Nghị quyết"),
    ("06-NQ/TU", Form.PARTY, None, "NQ", ("TU",), "NQ/TU", "Nghị quyết"),
    ("1147-QĐ/BTGDVTW", Form.PARTY, None, "QĐ", ("BTGDVTW",), "QĐ/BTGDVTW", "Quyết định"),
    ("574/UBND-NC", Form.ADMINISTRATIVE, None, None, ("UBND", "NC"), "UBND-NC", "Công văn"),
    ("1579/QĐ-TTg", Form.ADMINISTRATIVE, None, "QĐ", ("TTg",), "QĐ-TTg", "Quyết định"),
    ("01/2014/TTLT-UBDT-BTC", Form.NORMATIVE, 2014, "TTLT", ("UBDT", "BTC"), "TTLT-UBDT-BTC", "Thông tư liên tịch"),
    ("92/VBHN-BQP", Form.ADMINISTRATIVE, None, "VBHN", ("BQP",), "VBHN-BQP", "Văn bản hợp nhất"),
    ("07/QĐ.UBND", Form.ADMINISTRATIVE, None, "QĐ", ("UBND",), "QĐ.UBND", "Quyết định"),
    ("124/2004/qđ-ub", Form.NORMATIVE, 2004, "qđ", ("ub",), "qđ-ub", "Quyết định"),
    ("206-CP", Form.OLD, None, None, ("CP",), "CP", None),
])
def test_parse_symbol(ident, form, year, type_code, issuers, symbol, implied):
    s = parse_symbol(ident)
    assert (s.form, s.year, s.type_code, s.issuer_codes, s.symbol) == (form, year, type_code, issuers, symbol)
    t = implied_type(s)
    assert (t.name if t else None) == implied


@pytest.mark.parametrize("text,ident", [
    ("Nghị định số\n78/2025/NĐ-CP ngày", "78/2025/NĐ-CP"),  # a hard line break after "số"
    ("Thông tư 184/2015/TT- BTC", "184/2015/TT-BTC"),        # a stray space after the hyphen
    ("Nghị quyết 06 - NQ/TU", "06-NQ/TU"),
])
def test_scanned_match_and_identifier_give_one_symbol(text, ident):
    m = next(m for m in SYMBOL.finditer(text))
    assert symbol_of(m) == parse_symbol(ident)


def test_not_a_symbol():
    assert parse_symbol("2021-2025") is None or parse_symbol("2021-2025").form is Form.OLD
    assert parse_symbol("ngày 18/5") is None
    assert parse_symbol("") is None


@pytest.mark.parametrize("code,name", [
    ("QH13", "Quốc hội"),                       # a term code without its term
    ("SKHCN", "Sở Khoa học và Công nghệ"),       # S + a department's own short code
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),  # S + the code of the ministry it mirrors
    ("TTg", "Thủ tướng Chính phủ"),
])
def test_issuer_for_code(code, name):
    assert issuer_for_code(code).name == name


def test_unknown_code():
    assert issuer_for_code("SZZZQ") is None


def test_identifier_key_spellings():
    assert identifier_key("27/2016/TTBLĐTBXH") == identifier_key("27/2016/TT-BLĐTBXH")
    assert identifier_key("07/QĐ.UBND") == identifier_key("07/qđ-ubnd")
