"""Fold a text for matching while keeping a map back to the original.

Every grammar rule is written for one clean form of Vietnamese: NFC, modern tone placement
("hóa", "Ủy"), "Đ" (not the look-alike Latin Eth "Ð"), plain spaces, plain hyphens, no word-join
underscores, no page furniture. Real text is rarely in that form, so the extractor matches on a
folded copy and reports offsets in the original. Every fold here keeps the length, except NFC
composition of decomposed input, which is the only case that needs an explicit offset map.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# One-character folds: look-alikes, spaces, dashes, word-segmentation joins, invisible marks.
_CHAR_FOLDS = {
    "\u00d0": "Đ",  # Latin capital Eth, typed for Đ in many portals
    "\u00f0": "đ",
    "\u0189": "Đ",  # African D
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\u000b": " ", "\u000c": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "_": " ",  # word-segmented corpora join syllables: "Nghị_định"
    "\u00ad": " ", "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ",  # soft hyphen, zero widths, BOM
    "\r": "\n",
}


def _translate(s: str) -> str:
    """str.translate is slow on non-ASCII text; a few C-speed replaces of what is there are not."""
    for ch, rep in _CHAR_FOLDS.items():
        if ch in s:
            s = s.replace(ch, rep)
    return s

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


def _old_tone_pairs() -> dict[str, str]:
    """Old-style placement ("hoá", "uỷ") -> modern ("hóa", "ủy"), same length."""
    pairs: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
                old = f + unicodedata.normalize("NFC", s + tone)
                new = unicodedata.normalize("NFC", f + tone) + s
                pairs[old] = new
    return pairs


_OLD_TONES = _old_tone_pairs()
# Only at the end of a syllable ("hoá" but not "toán") and not after q ("quý" is already modern).
# One scan per leading letter: a regex that starts with one literal character skips ahead in C at
# memchr speed, where a leading character class is tried at every position (measured: 3 ms
# against 22 ms on the real corpus).
_OLD_TONE_RES = tuple(
    re.compile(rf"{lead}[{''.join(sorted(k[1] for k in _OLD_TONES if k[0] == lead))}](?![^\W\d_])")
    for lead in "oOuU"
)


# Lines that are page furniture, not text: page numbers, gazette running headers, OCR page breaks,
# digital-signature stamps. They are blanked (replaced by spaces) so a citation broken across a
# page joins up again.
_FURNITURE = (
    r"-?[ \t]*\d{1,3}[ \t]*-?"
    r"|(?:trang|page)[ \t]+\d{1,4}(?:[ \t]*/[ \t]*\d{1,4})?"
    r"|#+[ \t]*page[ \t]+\d{1,4}"
    r"|-{2,}[ \t]*page[ \t]+break[ \t]*-{2,}"
    r"|công[ \t]+báo[ \t]*/[ \t]*số[ \t]+[^\n]{0,60}"
    r"|(?:người ký|email|cơ quan|thời gian ký)[ \t]*:[^\n]{0,120}"
)
# Anchored on the line break, a literal the regex engine skips to in C, and a first-letter check:
# one pass over the text instead of a Python call per line.
_FURNITURE_RE = re.compile(rf"(?i)\n[ \t]*(?=[-\d#tpcne])(?:{_FURNITURE})[ \t]*(?=\n|\Z)")


def _blank_furniture(text: str) -> str:
    """Blank page-furniture lines (keeping their line breaks and every length)."""
    padded = "\n" + text
    if not _FURNITURE_RE.search(padded):
        return text
    return _FURNITURE_RE.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), padded)[1:]


@dataclass
class Folded:
    """A folded copy of ``original``; ``orig(i)`` maps an index of ``text`` back."""

    original: str
    text: str
    _map: array | None = None  # None: the fold kept every length

    def orig(self, i: int) -> int:
        if self._map is None:
            return i
        return self._map[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.orig(start), self.orig(end)


def _nfc_with_map(text: str) -> tuple[str, array | None]:
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    offsets = array("l")
    seg_start = 0
    # Compose cluster by cluster (a starter and the combining marks after it).
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            comp = unicodedata.normalize("NFC", text[seg_start:i])
            out.append(comp)
            offsets.extend([seg_start] * len(comp))
            seg_start = i
    offsets.append(len(text))
    return "".join(out), offsets


def _fix_tones(text: str) -> str:
    hits = sorted(m.start() for rx in _OLD_TONE_RES for m in rx.finditer(text))
    parts: list[str] = []
    last = 0
    for i in hits:  # i: the o/u before the toned vowel
        if i > 0 and text[i - 1] in "qQ":  # "quý", "quá" are already modern
            continue
        parts.append(text[last:i])
        parts.append(_OLD_TONES[text[i:i + 2]])
        last = i + 2
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def fold_string(s: str) -> str:
    """The same folds for a short string (a query, a table entry), without the offset map."""
    return _fix_tones(_translate(unicodedata.normalize("NFC", s)))


@lru_cache(maxsize=4096)
def fold_key(s: str) -> str:
    """A comparison key: folded, lower-case, single spaces."""
    return " ".join(fold_string(s).lower().split())


def folded_key(s: str) -> str:
    """``fold_key`` of text that is already folded (a slice of ``Folded.text``): the folds are
    idempotent, so only case and spaces are left. Not cached: the structure stage keys every line
    of a document once, and caching those would push the grammar's own keys out of ``fold_key``'s
    cache (the cost per line stepped up once a plan had more distinct lines than the cache holds)."""
    return " ".join(s.lower().split())


def fold(original: str) -> Folded:
    text, offsets = _nfc_with_map(original)
    text = _translate(text)
    text = _fix_tones(text)
    text = _blank_furniture(text)
    return Folded(original, text, offsets)


_BARE = {ord(c): None for c in "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"}


@lru_cache(maxsize=4096)
def strip_accents(s: str) -> str:
    """ASCII-ish key for loose user input ("42/2022/nq-hdnd" finds "42/2022/NQ-HĐND")."""
    d = unicodedata.normalize("NFD", s).translate(_BARE)
    return unicodedata.normalize("NFC", d).replace("đ", "d").replace("Đ", "D")
