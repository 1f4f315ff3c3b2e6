"""Read a file into text, whatever its format, or say clearly why it cannot be read.

Officers point kg at whatever they hold: gazette PDFs, Word files from colleagues, pages saved from
vbpl.vn or thuvienphapluat.vn, and old files typed in pre-Unicode Vietnamese fonts. Each reader
returns the text that citation offsets will point into (``Source.kind`` names which text that is),
always in NFC, or raises ``IngestError`` with a one-line reason the user can act on. A damaged file
is the user's to know about, not a crash, so library exceptions raised while parsing a file are
turned into ``IngestError`` here too.

The format is taken from the file's content first and its name second: a PDF saved as ``.txt`` or
a Word "web page" saved as ``.doc`` is read as what it is.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from kg.errors import InputError
from kg.ingest.names import display_path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_DATA = Path(__file__).with_name("data")


IngestError = InputError  # the name the readers have always raised


@dataclass
class Source:
    path: str
    text: str
    kind: str  # which text offsets point into: "text", "pdf-text", "docx-text", "html-text", "doc-text"
    encoding: str | None = None  # how the bytes were decoded, for text and HTML


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Legacy Vietnamese encodings
# ---------------------------------------------------------------------------------------------

# Windows-1252 where it defines a byte, Latin-1 elsewhere: legacy Vietnamese fonts were typed on
# Windows, so quotes and dashes in their files are Windows-1252 bytes.
_CP1252_LENIENT = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


_HIGH_1252 = {i: _CP1252_LENIENT[i] for i in range(128, 256)}


def _lenient_1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_HIGH_1252)


def _load_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=None)
def _legacy_table(name: str) -> tuple[dict[str, str], re.Pattern[str]]:
    """Byte sequences (as lenient-1252 text) -> Unicode letter, and a longest-first matcher."""
    table = {}
    for uni, hexes in _load_tsv(f"{name}.tsv"):
        seq = _lenient_1252(bytes(int(h, 16) for h in hexes.split()))
        table[seq] = uni
    pattern = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))
    return table, pattern


LEGACY_ENCODINGS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows"}


def decode_legacy(data: bytes, encoding: str) -> str:
    """Decode bytes typed in a legacy Vietnamese font ("tcvn3" or "vni") by its table alone."""
    table, pattern = _legacy_table(encoding)
    return _nfc(pattern.sub(lambda m: table[m.group(0)], _lenient_1252(data)))


_WORD = re.compile(r"[^\W\d_]+")


def _recase_tcvn3(text: str) -> str:
    """Restore capitals that TCVN3 cannot encode.

    TCVN3 has no codes for capitals with a tone mark: typists used the lower-case code in a
    capitals-only font (.VnTimeH), so "TỈNH" arrives as "TỉNH" and "SỞ KHOA HỌC" as "Sở KHOA HọC".
    Header parsing reads those capitals, so they are put back where the context shows the
    capitals font: a line whose plain letters are all capitals; a word with two or more capitals
    and no plain lower-case letter; and a word with one capital next to capitals on both sides,
    or leading or ending two words in capitals ("Sở KHOA HỌC", but not "Bộ KH&CN").
    """
    out = []
    for line in text.split("\n"):
        if line.isascii():
            out.append(line)
            continue
        ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            out.append(line.upper())
            continue
        parts = re.split(r"(\s+)", line)
        words = [_WORD.sub(_recase_word, w) for w in parts[0::2]]
        caps = [_all_caps(w) for w in words]
        for i, w in enumerate(words):
            if not _one_capital(w):
                continue
            left = i >= 1 and caps[i - 1]
            right = i + 1 < len(words) and caps[i + 1]
            left2 = left and i >= 2 and caps[i - 2]
            right2 = right and i + 2 < len(words) and caps[i + 2]
            if (left and right) or left2 or right2:
                words[i] = w.upper()
                caps[i] = True
        parts[0::2] = words
        out.append("".join(parts))
    return "\n".join(out)


def _recase_word(m: re.Match[str]) -> str:
    w = m.group(0)
    if sum(c.isupper() for c in w) >= 2 and not any(c.islower() and c.isascii() for c in w):
        return w.upper()
    return w


def _all_caps(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2 and not any(c.islower() for c in token)


def _one_capital(token: str) -> bool:
    return (sum(c.isupper() for c in token) == 1 and not any(c.islower() and c.isascii() for c in token)
            and any(c.islower() for c in token))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(row[0] for row in _load_tsv("vi_syllables.tsv"))


def _recognised(text: str, limit: int = 200_000) -> tuple[int, int]:
    """(accented words that are Vietnamese syllables, accented words): how right a decoding looks."""
    from kg.ingest.normalize import fold_key

    lexicon = _syllables()
    good = total = 0
    for w in _WORD.findall(text[:limit]):
        if w.isascii():
            continue
        total += 1
        good += fold_key(w) in lexicon
    return good, total


def _decode_as(data: bytes, name: str) -> str:
    if name == "windows-1258":
        return _nfc(data.decode("cp1258"))
    return decode_legacy(data, name)


def _decode_8bit(data: bytes, path: str, sample_size: int = 256 * 1024) -> tuple[str, str]:
    """Pick the legacy encoding under which the accented words read as Vietnamese, or refuse."""
    sample = data[:sample_size]
    scores: dict[str, tuple[int, int]] = {}
    for name in ("windows-1258", "tcvn3", "vni"):
        try:
            scores[name] = _recognised(_decode_as(sample, name))
        except UnicodeDecodeError:  # bytes Windows-1258 leaves undefined
            continue
    best = max(scores, key=lambda n: (scores[n][0], -scores[n][1]))
    good, total = scores[best]
    if total == 0:
        # High bytes only in punctuation: every candidate reads the letters the same.
        best = "windows-1258" if "windows-1258" in scores else "tcvn3"
    elif good < 0.6 * total:
        label = {"windows-1258": "Windows-1258", **LEGACY_ENCODINGS}[best]
        raise IngestError(
            path,
            f"unknown text encoding: not UTF-8 or UTF-16; closest guess {label}, but only "
            f"{100 * good // total}% of its accented words are Vietnamese; re-save the file as UTF-8",
        )
    text = _decode_as(data, best)
    return (_recase_tcvn3(text) if best == "tcvn3" else text), best


# ---------------------------------------------------------------------------------------------
# Bytes -> text
# ---------------------------------------------------------------------------------------------

_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
]


def _describe_binary(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[:2] == b"MZ":
        return "a Windows program"
    return "binary data"


def _utf16_without_bom(data: bytes) -> str | None:
    """Most UTF-16 text has a zero in every other byte (ASCII letters, spaces, digits)."""
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.02:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.02:
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")


def _check_not_binary(text: str, data: bytes, path: str) -> None:
    if len(_CONTROL.findall(text[:100_000])) > max(2, len(text[:100_000]) // 100):
        raise IngestError(path, f"binary file ({_describe_binary(data)}), not text")


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Bytes of a text file -> (NFC text, name of the encoding it was read in)."""
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only blank space)")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(data) % 4 == 0:
        try:
            return _nfc(data.decode("utf-32")), "utf-32"
        except UnicodeDecodeError:
            pass
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _decode_utf8(data[3:], path), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise IngestError(path, "damaged UTF-16 text (odd length or broken characters)") from None
    elif b"\x00" in data:
        enc16 = _utf16_without_bom(data)
        if enc16 is None:
            raise IngestError(path, f"binary file ({_describe_binary(data)}), not text")
        try:
            text, enc = data.decode(enc16), enc16
        except UnicodeDecodeError:
            raise IngestError(path, f"binary file ({_describe_binary(data)}), not text") from None
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = _decode_not_utf8(data, path)
    _check_not_binary(text, data, path)
    if not text.strip():
        raise IngestError(path, "empty file (only blank space)")
    return _nfc(text), enc


def _decode_utf8(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        lenient = _mostly_utf8(data)
        if lenient is None:
            raise IngestError(path, f"damaged UTF-8 text (invalid byte at offset {e.start})") from None
        return lenient


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a handful of broken bytes (a bad copy, a cut multi-byte character) is still
    UTF-8: losing the whole document over them would be worse than marking them with U+FFFD."""
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    multibyte = sum(1 for c in lenient if ord(c) > 0x7F) - bad
    if multibyte >= 20 and bad <= max(3, multibyte // 1000):
        return lenient
    return None


def _decode_not_utf8(data: bytes, path: str) -> tuple[str, str]:
    """Either UTF-8 with a few damaged bytes, or a legacy 8-bit encoding."""
    if any(data.startswith(m) for m, _ in _MAGIC):
        raise IngestError(path, f"binary file ({_describe_binary(data)}), not text")
    lenient = _mostly_utf8(data)
    if lenient is not None:
        return lenient, f"utf-8 ({lenient.count(chr(0xFFFD))} damaged characters replaced)"
    return _decode_8bit(data, path)


# ---------------------------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def _sniff(data: bytes) -> str | None:
    """What the bytes are, whatever the file is called: pdf, docx, zip, ole, rtf, html or None."""
    pos = data.find(b"%PDF-", 0, 1024)
    if pos == 0 or (pos > 0 and b" obj" in data[:65536]):  # the spec allows junk before the header
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip-damaged"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    head = data[:4096].lstrip(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return "html"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in z.namelist() else ""
        names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return "a ZIP archive"
    if "opendocument.text" in mimetype:
        return "an OpenDocument text (.odt); save it as .docx or PDF first"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook (.xlsx), not a Word document"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint file (.pptx), not a Word document"
    return "a ZIP archive, not a Word document"


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

_NO_TEXT_LAYER = "no text layer: this PDF is a scan; OCR it first"


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """pypdf logs every repair it makes; the user gets one clear reason instead."""
    logger = logging.getLogger(logger_name)
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)


def read_pdf_text(data: bytes, path: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    start = data.find(b"%PDF-")
    data = data[max(start, 0):]
    if data.rfind(b"%%EOF") == -1:
        raise IngestError(path, "truncated PDF: the end-of-file marker is missing (the download or copy was cut short)")
    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
        except PdfReadError as e:
            raise IngestError(path, f"damaged PDF: {e}") from None
        except Exception as e:  # pypdf raises plain errors on some malformed files
            raise IngestError(path, f"damaged PDF: {type(e).__name__}: {e}") from None
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many official PDFs only forbid editing: empty user password
            except DependencyError:
                raise IngestError(path, "encrypted PDF: reading it needs the Python package 'cryptography'") from None
            except Exception as e:
                raise IngestError(path, f"encrypted PDF that cannot be decrypted ({e})") from None
            if not opened:
                raise IngestError(path, "encrypted PDF: it needs a password to open; save an unprotected copy first")
        pages = []
        try:
            n = len(reader.pages)
        except FileNotDecryptedError:
            raise IngestError(path, "encrypted PDF: it needs a password to open; save an unprotected copy first") from None
        except Exception as e:
            raise IngestError(path, f"damaged PDF: {type(e).__name__}: {e}") from None
        if n == 0:
            raise IngestError(path, "PDF has no pages")
        for i in range(n):
            try:
                pages.append(reader.pages[i].extract_text() or "")
            except Exception as e:
                raise IngestError(path, f"damaged PDF: page {i + 1}: {type(e).__name__}: {e}") from None
    if not any(p.strip() for p in pages):
        raise IngestError(path, _NO_TEXT_LAYER)
    # A line holding only a form feed separates pages: page-furniture rules see whole lines and
    # the folder turns the form feed into a space.
    return _nfc("\n\f\n".join(pages))


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_IN_PARAGRAPH = {
    _W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText",
    _W + "footnoteRef", _W + "endnoteRef", _MC_FALLBACK,
}


def _paragraph_text(p) -> str:
    """The text Word shows for a paragraph: runs, tabs, breaks, footnote marks, text boxes."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag == _W + "sym":
                ch = chr(int(child.get(_W + "char", "20"), 16))
                out.append("•" if 0xE000 <= ord(ch) <= 0xF8FF else ch)
            elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
                out.append(f"[{child.get(_W + 'id')}]")
            elif tag == _W + "p":  # a paragraph inside a text box
                out.append("\n")
                walk(child)
            else:
                walk(child)

    walk(p)
    return "".join(out)


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letter numbering repeats the letter: a..z, aa..zz, aaa..
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    style: str | None = None


def _val(el, path: str, default: str | None = None) -> str | None:
    found = el.find(path)
    return found.get(_W + "val", default) if found is not None else default


class _Numbering:
    """Works out the numbers and bullets Word draws in front of list paragraphs.

    python-docx gives paragraph text without them, but "1.", "a)" and "-" are how Vietnamese
    documents mark their articles, points and tasks. Counters belong to the abstract list, as in
    Word, and a list instance with a start override restarts them.
    """

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for absn in numbering.iter(_W + "abstractNum"):
                levels = {}
                for lvl in absn.iter(_W + "lvl"):
                    levels[int(lvl.get(_W + "ilvl", "0"))] = _Level(
                        fmt=_val(lvl, _W + "numFmt", "decimal") or "decimal",
                        text=_val(lvl, _W + "lvlText", "") or "",
                        start=int(_val(lvl, _W + "start", "1") or 1),
                        style=_val(lvl, _W + "pStyle"),
                    )
                self.levels[absn.get(_W + "abstractNumId")] = levels
            for num in numbering.iter(_W + "num"):
                overrides = {}
                for ov in num.iter(_W + "lvlOverride"):
                    start = _val(ov, _W + "startOverride")
                    if start is not None:
                        overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
                self.nums[num.get(_W + "numId")] = (_val(num, _W + "abstractNumId") or "", overrides)
        try:
            for st in document.styles.element.iter(_W + "style"):
                num_pr = st.find(f"{_W}pPr/{_W}numPr")
                self.styles[st.get(_W + "styleId")] = (
                    _val(num_pr, _W + "numId") if num_pr is not None else None,
                    _val(num_pr, _W + "ilvl") if num_pr is not None else None,
                    _val(st, _W + "basedOn"),
                )
        except AttributeError:
            pass

    def _from_style(self, style_id: str | None) -> tuple[str | None, str | None]:
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl
            style_id = based_on
        return None, None

    def label(self, p) -> str:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        style_id = _val(p, f"{_W}pPr/{_W}pStyle")
        num_id = ilvl = None
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, _W + "numId"), _val(num_pr, _W + "ilvl")
        if num_id is None:
            num_id, style_ilvl = self._from_style(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl is None:  # a heading style linked to one level of the list
            ilvl = next((str(i) for i, lv in levels.items() if lv.style == style_id), "0")
        level = int(ilvl)
        counters = self.counters.setdefault(abs_id, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
        for k in range(level):  # a sub-item with no item above it counts from the start
            if counters[k] is None:
                counters[k] = levels.get(k, _Level()).start
        current = counters[level]
        counters[level] = levels.get(level, _Level()).start if current is None else current + 1
        for k in range(level + 1, len(counters)):
            counters[k] = None
        lv = levels.get(level, _Level())
        if lv.fmt == "bullet":
            text = lv.text
            text = "".join("•" if 0xE000 <= ord(c) <= 0xF8FF else c for c in text) or "•"
            return text + " "
        text = re.sub(
            r"%([1-9])",
            lambda m: _format_number(
                counters[int(m.group(1)) - 1] or levels.get(int(m.group(1)) - 1, _Level()).start,
                levels.get(int(m.group(1)) - 1, _Level()).fmt,
            ),
            lv.text,
        )
        return text + " " if text else ""


def _zip_cells(cells: list[list[str]]) -> list[str]:
    """A table row as the lines a reader sees: line k holds the k-th line of every cell.

    The two-cell header block of an official document ("UBND TỈNH ... | CỘNG HÒA ...") thus
    reads line by line as on paper, and each paragraph of a cell stays whole on its line.
    """
    height = max((len(c) for c in cells), default=0)
    lines = []
    for k in range(height):
        line = " | ".join(c[k] if k < len(c) else "" for c in cells).rstrip()
        if line.replace("|", "").strip():
            lines.append(line)
    return lines


def _docx_blocks(el) -> Iterator:
    for child in el:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _docx_blocks(child)


def _docx_lines(el, numbering: _Numbering) -> list[str]:
    lines: list[str] = []
    for block in _docx_blocks(el):
        if block.tag == _W + "p":
            text = numbering.label(block) + _paragraph_text(block)
            lines.extend(text.split("\n"))
        else:
            for tr in block.iter(_W + "tr"):
                if _nearest_table(tr) is not block:  # rows of a nested table belong to its cell
                    continue
                cells = []
                for tc in tr:
                    if tc.tag == _W + "tc":
                        cells.append([ln.strip() for ln in _docx_lines(tc, numbering) if ln.strip()])
                    elif tc.tag == _W + "sdt":
                        for inner in tc.iter(_W + "tc"):
                            cells.append([ln.strip() for ln in _docx_lines(inner, numbering) if ln.strip()])
                lines.extend(_zip_cells(cells))
    return lines


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent


def _docx_notes(document, kind: str) -> list[str]:
    """Footnotes matter here: consolidated texts and many plans list cited documents in them."""
    from lxml import etree

    lines = []
    for rel in document.part.rels.values():
        if not rel.reltype.endswith("/" + kind) or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob)
        for note in root.iter(_W + kind[:-1]):
            if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(_paragraph_text(p).strip() for p in note.iter(_W + "p")).strip()
            if text:
                lines.append(f"[{note.get(_W + 'id')}] {text}")
    return lines


def read_docx_text(data: bytes, path: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError(path, "damaged or truncated .docx (not a valid ZIP archive)") from None
    except KeyError as e:
        raise IngestError(path, f"damaged .docx: missing part {e}") from None
    except Exception as e:
        raise IngestError(path, f"damaged .docx: {type(e).__name__}: {e}") from None
    try:
        numbering = _Numbering(document)
        lines = _docx_lines(document.element.body, numbering)
        notes = _docx_notes(document, "footnotes") + _docx_notes(document, "endnotes")
    except Exception as e:
        raise IngestError(path, f"damaged .docx: {type(e).__name__}: {e}") from None
    if notes:
        lines += [""] + notes
    text = "\n".join(line.rstrip() for line in lines)
    if not text.strip():
        raise IngestError(path, "no text: the Word document is empty")
    return _nfc(text)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

# Where the document itself sits in pages saved from the two legal portals.
_SITE_BODIES = [
    "#divContentDoc .content1",  # thuvienphapluat.vn
    ".cldivContentDocVn .content1",
    "#divContentDoc",
    ".cldivContentDocVn",
    "div.toanvancontent",  # vbpl.vn
    "#toanvancontent",
    "div.fulltext",
    "#ctl00_Content_ThongTinVB_pnlDocContent",
]
_ENGLISH_MARK = re.compile(r"(?i)english|tieng[-_]?anh|contentdoc_?en\b|(?:^|[-_\s])en(?:$|[-_\s])|docen\b")
_BOILERPLATE = re.compile(
    r"(?i)(?:^|[-_\s])(?:menu|nav|navbar|navigation|sidebar|breadcrumbs?|footer|header|banner|"
    r"quangcao|qc|ads?|advert\w*|share|social|comments?|binhluan|login|dangnhap|search|timkiem|"
    r"popup|modal|cookie|toolbar|pagination|related\w*|lienquan|vblq|vanbanlienquan|tags?|tabs?-?header)"
    r"(?:$|[-_\s\d])"
)
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head",
              "button", "select", "input", "textarea", "form"]
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
    "nav", "ol", "p", "section", "ul", "caption", "tbody", "thead", "tfoot",
}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def _attr_text(tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([tag.get("id") or "", *classes])


def _is_english(tag) -> bool:
    lang = (tag.get("lang") or tag.get("xml:lang") or "").lower()
    return lang.startswith("en") or bool(_ENGLISH_MARK.search(_attr_text(tag)))


def _mostly_english(text: str) -> bool:
    words = _WORD.findall(text[:20_000])
    if len(words) < 30:
        return False
    accented = sum(not w.isascii() for w in words)
    common = sum(w.lower() in {"the", "of", "and", "to", "in", "on", "for", "shall", "is"} for w in words)
    return accented < 0.02 * len(words) and common > 0.08 * len(words)


class _HtmlText:
    """Block-aware text of an element: a line per paragraph, table rows as "cell | cell"."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []

    def newline(self) -> None:
        line = _SPACE.sub(" ", "".join(self.cur)).strip()
        if line:
            self.lines.append(line)
        self.cur = []

    def render(self, node) -> list[str]:
        self.walk(node)
        self.newline()
        return self.lines

    def walk(self, node) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.cur.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.newline()
            elif name == "pre":
                self.newline()
                self.lines.extend(ln.rstrip() for ln in child.get_text().split("\n") if ln.strip())
            elif name == "table":
                self.newline()
                self.table(child)
            elif name == "li":
                self.newline()
                parent = child.parent
                if parent is not None and parent.name == "ol":
                    items = [li for li in parent.find_all("li", recursive=False)]
                    start = int(parent.get("start", "1")) if str(parent.get("start", "1")).isdigit() else 1
                    self.cur.append(f"{start + items.index(child)}. ")
                else:
                    self.cur.append("- ")
                self.walk(child)
                self.newline()
            elif name in _BLOCK_TAGS:
                self.newline()
                self.walk(child)
                self.newline()
            else:
                self.walk(child)

    def table(self, table) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        for tr in rows:
            cells = [_HtmlText().render(td) for td in tr.find_all(["td", "th"], recursive=False)]
            self.lines.extend(_zip_cells(cells))


def _text_size(tag) -> int:
    total = len(_SPACE.sub("", tag.get_text()))
    links = sum(len(_SPACE.sub("", a.get_text())) for a in tag.find_all("a"))
    return total - links


def _main_element(soup):
    """The element holding a page's main text: a known portal body, else the densest block."""
    for selector in _SITE_BODIES:
        for found in soup.select(selector):
            text = found.get_text(" ", strip=True)
            if len(text) >= 40 and not _mostly_english(text):
                return found
    body = soup.body or soup
    body_size = _text_size(body)
    for tag in body.find_all(True):
        if tag.decomposed or tag.name in ("main", "article"):
            continue
        if tag.name in ("nav", "aside", "footer", "header") or _BOILERPLATE.search(_attr_text(tag)):
            # A wrapper named "has-sidebar" may hold the whole page: only small blocks are chrome.
            if _text_size(tag) <= 0.5 * body_size:
                tag.decompose()
    main = body.find("main") or body.find(attrs={"role": "main"})
    if main is not None and _text_size(main) > 0:
        return main
    node = body
    while True:
        children = [c for c in node.find_all(True, recursive=False)]
        if not children:
            return node
        best = max(children, key=_text_size)
        if _text_size(best) >= 0.8 * _text_size(node) and best.name not in ("p", "table", "tr", "li", "ul", "ol"):
            node = best
        else:
            return node


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)


def read_html_text(data: bytes, path: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup, Comment

    text, encoding = _decode_html(data, path)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:
        raise IngestError(path, f"damaged HTML: {type(e).__name__}: {e}") from None
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if not tag.decomposed and tag.name not in ("html", "body") and _is_english(tag):
            tag.decompose()
    root = _main_element(soup)
    lines = _HtmlText().render(root)
    out = "\n".join(lines)
    if not out.strip():
        raise IngestError(path, "no text: the page holds no document text")
    return _nfc(out), encoding


# ---------------------------------------------------------------------------------------------
# .doc / .rtf through a converter
# ---------------------------------------------------------------------------------------------

_NO_CONVERTER = (
    "old Word format ({what}): no converter on this machine; install LibreOffice "
    "(Debian: libreoffice-writer-nogui){alt}, or save the file as .docx"
)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(data: bytes, suffix: str, target: str, path: str, timeout: float = 180) -> bytes:
    """Convert bytes with LibreOffice headless; a private profile lets several run at once."""
    soffice = _soffice()
    if soffice is None:
        raise IngestError(path, "LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="kg-convert-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        out_dir = Path(tmp, "out")
        cmd = [
            soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
            "--norestore", "--nologo", "--convert-to", target, "--outdir", str(out_dir), str(src),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise IngestError(path, f"conversion with LibreOffice took over {timeout:.0f} s; gave up") from None
        except OSError as e:
            raise IngestError(path, f"cannot run LibreOffice: {e.strerror or e}") from None
        produced = sorted(out_dir.glob("input.*")) if out_dir.exists() else []
        if proc.returncode != 0 or not produced:
            last = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            detail = f" ({last[-1]})" if last else ""
            raise IngestError(path, f"LibreOffice could not convert this file{detail}")
        return produced[0].read_bytes()


def read_doc_text(data: bytes, path: str, what: str = ".doc") -> str:
    if _soffice():
        docx_bytes = convert_with_soffice(data, ".rtf" if what == "RTF" else ".doc", "docx", path)
        return read_docx_text(docx_bytes, path)
    if what != "RTF":
        for tool, args in (("antiword", ["-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["-d", "utf-8", "-w"])):
            exe = shutil.which(tool)
            if exe is None:
                continue
            with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
                tmp.write(data)
                tmp.flush()
                try:
                    proc = subprocess.run([exe, *args, tmp.name], capture_output=True, timeout=120,
                                          stdin=subprocess.DEVNULL)
                except (subprocess.TimeoutExpired, OSError) as e:
                    raise IngestError(path, f"{tool} failed: {e}") from None
            if proc.returncode == 0 and proc.stdout.strip():
                return _nfc(proc.stdout.decode("utf-8", errors="replace"))
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise IngestError(path, f"{tool} could not read this .doc" + (f" ({err[-1]})" if err else ""))
    alt = "" if what == "RTF" else " or antiword"
    raise IngestError(path, _NO_CONVERTER.format(what=what, alt=alt))


# ---------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------

_TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown", ".csv", ".tsv"}
_KIND_NAMES = {"pdf": "a PDF", "docx": "a Word .docx", "html": "an HTML page", "rtf": "an RTF document",
               "ole": "an old Office document", "zip": "a ZIP archive"}


def _human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never more than ``max_bytes`` + 1 (a file may grow while we read)."""
    with open(path, "rb") as f:
        return f.read(max_bytes + 1)


def _what_it_looks_like(data: bytes, fmt: str | None) -> str:
    if fmt in _KIND_NAMES:
        return _KIND_NAMES[fmt]
    if b"\x00" in data[:4096] or any(data.startswith(m) for m, _ in _MAGIC):
        return _describe_binary(data)
    return "plain text"


def read_source(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    name = display_path(str(path))  # the file is opened by its own name, named in UTF-8
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise IngestError(name, _os_reason(e, p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(name, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise IngestError(name, f"not a regular file ({kind})")
    if st.st_size > max_bytes:
        raise IngestError(name, f"file too large: {_human_size(st.st_size)}, over the limit of {_human_size(max_bytes)}")
    try:
        data = _read_bytes(p, max_bytes)
    except OSError as e:
        raise IngestError(name, _os_reason(e, p)) from None
    if len(data) > max_bytes:
        raise IngestError(name, f"file too large: over the limit of {_human_size(max_bytes)}")
    if not data:
        raise IngestError(name, "empty file")
    return read_bytes_as(data, name, p.suffix.lower())


def read_bytes_as(data: bytes, name: str, suffix: str) -> Source:
    """Read bytes by their content first and by the file's suffix second."""
    fmt = _sniff(data)
    if fmt == "pdf":
        return Source(name, read_pdf_text(data, name), "pdf-text")
    if fmt == "docx":
        return Source(name, read_docx_text(data, name), "docx-text")
    if fmt == "ole":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IngestError(name, "encrypted Word document: it needs a password; save an unprotected copy first")
        return Source(name, read_doc_text(data, name), "doc-text")
    if fmt == "rtf":
        return Source(name, read_doc_text(data, name, what="RTF"), "doc-text")
    if fmt == "zip":
        raise IngestError(name, f"not a readable document: {_zip_kind(data)}")
    if fmt == "zip-damaged":
        what = ".docx" if suffix == ".docx" else "ZIP archive"
        raise IngestError(name, f"damaged or truncated {what} (not a valid ZIP archive)")
    if suffix == ".pdf":
        raise IngestError(name, f"not a PDF: the file is {_what_it_looks_like(data, fmt)}")
    if suffix == ".docx":
        raise IngestError(name, f"not a Word .docx: the file is {_what_it_looks_like(data, fmt)}")
    if suffix in (".html", ".htm", ".xhtml") or (fmt == "html" and suffix not in _TEXT_SUFFIXES):
        text, encoding = read_html_text(data, name)
        return Source(name, text, "html-text", encoding)
    text, encoding = decode_bytes(data, name)
    return Source(name, text, "text", encoding)


def _os_reason(e: OSError, p: Path) -> str:
    import errno

    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if e.errno == errno.ENOENT:
        return "broken symbolic link (its target does not exist)" if p.is_symlink() else "no such file"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    if e.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot read: {e.strerror or e}"
