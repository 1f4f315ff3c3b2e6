"""Folding keeps every length but NFC's, and the offset map brings each index back."""

from __future__ import annotations

import unicodedata

import pytest

from kg.ingest.normalize import fold, fold_key, fold_string, strip_accents


@pytest.mark.parametrize("raw,folded", [
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("hoá, khoá, thuỷ lợi, HOÁ", "hóa, khóa, thủy lợi, HÓA"),
    ("quý, quá, toán, hoàn", "quý, quá, toán, hoàn"),  # not at a syllable end, or after q: unchanged
    ("QÐ-UBND", "QĐ-UBND"),  # Latin capital Eth
    ("Nghị_định số\u00a0197/2004/NĐ–CP", "Nghị định số 197/2004/NĐ-CP"),
])
def test_fold_string(raw, folded):
    assert fold_string(raw) == folded


def test_fold_keeps_length_and_blanks_page_furniture():
    text = "của Quốc \n \n4 \nCÔNG BÁO/Số 851 + 852/Ngày 01-7-2025 \n  \nhội về"
    f = fold(text)
    assert len(f.text) == len(text)
    assert "CÔNG BÁO" not in f.text and "4" not in f.text
    assert f.text.startswith("của Quốc") and f.text.endswith("hội về")


def test_nfd_input_maps_back():
    nfc = "Căn cứ Nghị định số 55/2011/NĐ-CP"
    nfd = unicodedata.normalize("NFD", nfc)
    f = fold(nfd)
    assert f.text == nfc
    i = f.text.index("55/2011")
    assert nfd[f.orig(i):f.orig(i + 12)] == "55/2011/NĐ-C" or unicodedata.normalize(
        "NFC", nfd[f.orig(i):f.orig(i + 12)]) == "55/2011/NĐ-C"
    assert f.orig(len(f.text)) == len(nfd)


def test_keys_for_loose_input():
    assert fold_key("  Uỷ  ban ") == "ủy ban"
    assert strip_accents("42/2022/NQ-HĐND").lower() == "42/2022/nq-hdnd"
