"""Every format and encoding an officer may hold reads back to the same document text.

The seed plan and real corpus texts are turned into DOCX (python-docx), PDF and .doc (LibreOffice
headless, once per module), HTML (inside a hand-written thuvienphapluat-like page) and the legacy
TCVN3 and VNI encodings (with this module's own converter tables, written independently of the
reader's data files), then read back: every numbered citation of the seed must survive.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import doc as doc_reader
from kg.ingest import readers
from kg.ingest.normalize import fold_key
from kg.ingest.readers import IngestError, decode_bytes, decode_legacy, read_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SEED = SHARED / "seeds" / "000_05cdd5c929cf9e53.txt"
REAL = SHARED / "corpus" / "real"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NO_SHARED = "../shared (seed and real corpus) is absent next to the project"

SEED_IDS = [
    "06-NQ/TU", "68/NQ-HĐND", "01/QĐ-UBND", "02/QĐ-UBND", "2505/QĐ-UBND", "155/QĐ-KHCN",
    "1962/KH-UBND", "696/QĐ-TTg", "42/2022/NQ-HĐND", "1341/KH-UBND", "50-NQ/CP", "52-NQ/TW",
    "1364/QĐ-UBND", "16/2021/NQ-HĐND", "55/2011/NĐ-CP", "41/2022/NQ-HĐND", "996/QĐ-TTg",
    "13/2021/TT-BKHCN", "01/2021/TT-BKHCN",
]
# Numbered identifiers as printed: "55/2011/NĐ-CP", "06-NQ/TU", "155/QĐ-KHCN".
ID_RE = re.compile(r"\b\d{1,5}(?:/\d{4})?[-/][A-ZĐ][A-ZĐ0-9]*(?:[-/][A-ZĐ][A-ZĐ0-9]*)+")


def folded(text: str) -> str:
    return fold_key(" ".join(text.split()))


def missing_ids(text: str, ids=SEED_IDS) -> list[str]:
    f = folded(text)
    return [i for i in ids if fold_key(i) not in f]


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(NO_SHARED)
    return SEED.read_text(encoding="utf-8")


def real_files(per_folder: int = 1) -> list[Path]:
    if not REAL.exists():
        return []
    out = []
    for folder in sorted(p for p in REAL.iterdir() if p.is_dir()):
        out += sorted(folder.glob("*.txt"))[:per_folder]
    return out


# --------------------------------------------------------------------------------------------
# The tests' own converter tables (written from the published charts, not from kg/ingest/data)
# --------------------------------------------------------------------------------------------

TONES = ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]  # sắc, huyền, hỏi, ngã, nặng
# TCVN3: for each vowel, the code of the bare letter (None: ASCII) then sắc, huyền, hỏi, ngã, nặng.
TCVN3_ROWS = {
    "a": (None, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9), "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB), "e": (None, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6), "i": (None, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (None, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4), "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE), "u": (None, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9), "y": (None, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
}
TCVN3 = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
for _v, _codes in TCVN3_ROWS.items():
    for _tone, _code in zip([""] + TONES, _codes):
        if _code is not None:
            TCVN3[unicodedata.normalize("NFC", _v + _tone)] = _code

# VNI: base letter, then one byte for circumflex/breve with the tone, or for the tone alone.
VNI_TONE = dict(zip(TONES, "ùøûõï"))
VNI_CIRCUMFLEX = dict(zip([""] + TONES, "âáàåãä"))
VNI_BREVE = dict(zip([""] + TONES, "êéèúüë"))
VNI_I = dict(zip(TONES, "íìæóò"))


@lru_cache(maxsize=None)
def vni_letter(ch: str) -> str | None:
    """The VNI spelling (as Latin-1 characters) of one Vietnamese letter, or None if plain."""
    lower = ch.lower()
    if lower == "đ":
        seq = "ñ"
    else:
        d = unicodedata.normalize("NFD", lower)
        base, marks = d[0], d[1:]
        tone = next((m for m in marks if m in TONES), "")
        mod = next((m for m in marks if m not in TONES), "")
        allowed = {"": "aeiouy", "\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}
        if len(marks) > 2 or base not in allowed.get(mod, "") or (not tone and not mod):
            return None
        if base == "i" and mod:
            return None
        if base == "i":
            seq = VNI_I[tone]
        elif base == "y" and tone == "\u0323":
            seq = "î"
        elif mod == "\u0302":
            seq = base + VNI_CIRCUMFLEX[tone]
        elif mod == "\u0306":
            seq = base + VNI_BREVE[tone]
        elif mod == "\u031b":
            seq = {"o": "ô", "u": "ö"}[base] + (VNI_TONE[tone] if tone else "")
        else:
            seq = base + VNI_TONE[tone]
    return seq.upper() if ch != lower else seq


@lru_cache(maxsize=None)
def _plain(ch: str) -> bool:
    """Bytes kept as Windows-1252 must not collide with letter codes: ASCII and 0x80-0xA0 only."""
    try:
        b = ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return b[0] < 0x80 or 0x80 <= b[0] <= 0xA0


@lru_cache(maxsize=None)
def _survives(ch: str, encoding: str) -> bool:
    if encoding == "tcvn3":
        return ch in TCVN3 or ch.lower() in TCVN3 or _plain(ch)
    return vni_letter(ch) is not None or _plain(ch)


def representable(text: str, encoding: str) -> str:
    """What of ``text`` survives the legacy encoding: other characters become "?"."""
    return "".join(ch if ch.isascii() or _survives(ch, encoding) else "?" for ch in text)


def to_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in representable(text, "tcvn3"):
        if ch.isascii():
            out.append(ord(ch))
        elif ch in TCVN3:
            out.append(TCVN3[ch])
        elif ch.lower() in TCVN3:  # a capital with a tone: the lower-case code in a capitals font
            out.append(TCVN3[ch.lower()])
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def to_vni(text: str) -> bytes:
    out = bytearray()
    for ch in representable(text, "vni"):
        if ch.isascii():
            out.append(ord(ch))
            continue
        seq = vni_letter(ch)
        out += seq.encode("latin-1") if seq is not None else ch.encode("cp1252")
    return bytes(out)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has â ê ô ơ ư ă đ as letters and the five tones as combining bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in d[1:] if m in TONES)
        rest = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in TONES))
        out += rest.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def test_own_tables_agree_with_published_charts():
    # Known spellings, from the charts and from files typed at the time.
    assert to_tcvn3("Việt Nam") == b"Vi\xd6t Nam"
    assert to_tcvn3("Đảng của dân") == b"\xa7\xb6ng c\xf1a d\xa9n"
    assert to_vni("Việt Nam") == b"Vie\xe4t Nam"
    assert to_vni("Xin chào các bạn") == "Xin chaøo caùc baïn".encode("latin-1")
    assert to_vni("Đường") == "Ñöôøng".encode("latin-1")
    assert len(TCVN3) == 74 and len(set(TCVN3.values())) == 74


# --------------------------------------------------------------------------------------------
# Plain text and encodings
# --------------------------------------------------------------------------------------------


def test_seed_txt(seed_text):
    src = read_source(SEED)
    assert src.kind == "text" and src.encoding == "utf-8"
    assert src.text == seed_text
    assert missing_ids(src.text) == []


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
        (to_cp1258, "windows-1258"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "nfd", "cp1258"],
)
def test_unicode_encodings_read_back_as_nfc(tmp_path, seed_text, encode, encoding):
    path = tmp_path / "seed.txt"
    path.write_bytes(encode(seed_text))
    src = read_source(path)
    assert src.encoding == encoding
    assert unicodedata.is_normalized("NFC", src.text)
    assert src.text == seed_text
    assert missing_ids(src.text) == []


def test_tcvn3_seed(tmp_path, seed_text):
    path = tmp_path / "seed-abc.txt"
    path.write_bytes(to_tcvn3(seed_text))
    src = read_source(path)
    assert src.encoding == "tcvn3"
    assert missing_ids(src.text) == []
    # Capitals with a tone have no TCVN3 code ("SỞ" is typed "Sở" in a capitals font); they come
    # back from context, so the header reads as in the Unicode seed.
    assert src.text == seed_text


def test_vni_seed(tmp_path, seed_text):
    path = tmp_path / "seed-vni.txt"
    path.write_bytes(to_vni(seed_text))
    src = read_source(path)
    assert src.encoding == "vni"
    assert src.text == seed_text
    assert missing_ids(src.text) == []


def test_legacy_encodings_of_real_corpus():
    files = sorted(REAL.glob("*/*.txt")) if REAL.exists() else []
    if not files:
        pytest.skip(NO_SHARED)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name, encode in (("tcvn3", to_tcvn3), ("vni", to_vni)):
            expected = representable(text, name)
            decoded, encoding = decode_bytes(encode(text), str(path))
            assert encoding == name, path
            if name == "vni":
                assert decoded == expected, path
            else:
                assert fold_key(decoded) == fold_key(expected), path


VIET_LOWER = "".join(ch for ch in TCVN3 if ch.islower())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIET_LOWER + "abcdeghiklmnopqrstuvxy ,.;:()/-0123456789\n", max_size=60))
def test_tcvn3_table_round_trip(text):
    assert decode_legacy(to_tcvn3(text), "tcvn3") == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIET_LOWER + VIET_LOWER.upper() + "abcdeghiklmnopqrstuvxyADHNQTUY ,.;/-0123\n",
               max_size=60))
def test_vni_table_round_trip(text):
    assert decode_legacy(to_vni(text), "vni") == unicodedata.normalize("NFC", text)


def test_unknown_8bit_encoding_is_refused_naming_the_guess(tmp_path):
    path = tmp_path / "russian.txt"
    path.write_bytes(("Постановление правительства о порядке работы с документами. " * 40).encode("cp1251"))
    with pytest.raises(IngestError) as e:
        read_source(path)
    assert "unknown text encoding" in e.value.reason
    assert re.search(r"closest guess (Windows-1258|TCVN3 \(ABC\)|VNI Windows)", e.value.reason)
    assert "\n" not in e.value.reason


def test_utf8_with_a_few_broken_bytes_is_still_read(tmp_path, seed_text):
    data = bytearray(seed_text.encode("utf-8"))
    at = data.index(b"\n", 5000)
    data[at:at] = b"\xff"
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    src = read_source(path)
    assert src.encoding == "utf-8 (1 damaged characters replaced)"
    assert missing_ids(src.text) == []


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n ", "empty file (only blank space)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "binary file (a PNG image)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "binary file (a JPEG image)"),
        (bytes(range(256)) * 8, "binary file (binary data)"),
        (b"text\x01\x02\x03\x04\x05\x06" * 50, "binary file"),
    ],
    ids=["empty", "blank", "png", "jpeg", "nul-bytes", "control-chars"],
)
def test_bad_text_files(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as e:
        read_source(path)
    assert e.value.reason.startswith(reason)
    assert e.value.path == str(path)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Quyet dinh so 01/QD-UBND\n" * 100)
    assert read_source(path, max_bytes=10_000).text.startswith("Quyet")
    with pytest.raises(IngestError, match="file too large: 2.4 KB, over the limit of 1000 bytes"):
        read_source(path, max_bytes=1000)


def test_files_that_are_not_files(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(IngestError, match="is a folder"):
        read_source(tmp_path)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(IngestError, match="broken symbolic link"):
        read_source(tmp_path / "broken.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(IngestError, match="symbolic link loop"):
        read_source(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(IngestError, match=r"not a regular file \(a named pipe\)"):
        read_source(tmp_path / "pipe.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop root from reading")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Quyết định số 01/QĐ-UBND", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(IngestError, match="permission denied"):
        read_source(path)


def test_unreadable_file_as_any_user(tmp_path, monkeypatch):
    """Root reads any file, so the failing open is simulated where the reader opens files."""
    path = tmp_path / "locked.txt"
    path.write_text("Quyết định số 01/QĐ-UBND", encoding="utf-8")

    def deny(p, max_bytes):
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(readers, "_read_bytes", deny)
    with pytest.raises(IngestError, match="cannot read: permission denied"):
        read_source(path)


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def seed_docx(seed_text: str, path: Path) -> Path:
    """The seed as an officer's Word file: a header table, body paragraphs, bullets as lists."""
    import docx

    lines = [ln.strip() for ln in seed_text.splitlines() if ln.strip()]
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left = ["UBND TỈNH TÂY NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: /KH-KHCN"]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "Tây Ninh, ngày tháng 02 năm 2023"]
    for cell, texts in zip(header.rows[0].cells, (left, right)):
        cell.paragraphs[0].text = texts[0]
        for t in texts[1:]:
            cell.add_paragraph(t)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("KẾ HOẠCH"))
    for line in lines[start:]:
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.startswith("+ "):
            document.add_paragraph(line[2:], style="List Bullet 2")
        else:
            document.add_paragraph(line)
    document.save(path)
    return path


def text_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(_XML_BAD.sub(" ", line))
    document.save(path)
    return path


def test_seed_docx(tmp_path, seed_text):
    src = read_source(seed_docx(seed_text, tmp_path / "seed.docx"))
    assert src.kind == "docx-text" and src.encoding is None
    assert missing_ids(src.text) == []
    lines = src.text.splitlines()
    assert lines[0] == "UBND TỈNH TÂY NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[1] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ | Độc lập – Tự do – Hạnh phúc"
    # Bullets are drawn by Word from the list definition; they are kept as text.
    assert "• Nâng cao trách nhiệm của phòng, đơn vị trong công tác tham mưu, triển" in lines


def test_docx_numbering_tables_and_footnotes(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Căn cứ các văn bản sau:")
    document.add_paragraph("Nghị định số 55/2011/NĐ-CP;", style="List Number")
    document.add_paragraph("Thông tư số 13/2021/TT-BKHCN;", style="List Number")
    document.add_paragraph("Thông tư số 01/2021/TT-BKHCN.", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Triển khai Kế hoạch số 1962/KH-UBND", "Sở KH&CN"]):
        cell.text = text
    body = document.add_paragraph("Thực hiện Quyết định số 996/QĐ-TTg")
    path = tmp_path / "lists.docx"
    document.save(path)
    add_footnote(path, body_text="Thực hiện Quyết định số 996/QĐ-TTg",
                 note="Quyết định số 696/QĐ-TTg ngày 01/6/2020 của Thủ tướng Chính phủ.")

    text = read_source(path).text
    lines = text.splitlines()
    assert lines[:4] == [
        "Căn cứ các văn bản sau:",
        "1. Nghị định số 55/2011/NĐ-CP;",
        "2. Thông tư số 13/2021/TT-BKHCN;",
        "3. Thông tư số 01/2021/TT-BKHCN.",
    ]
    assert "TT | Nhiệm vụ | Cơ quan chủ trì" in lines
    assert "1 | Triển khai Kế hoạch số 1962/KH-UBND | Sở KH&CN" in lines
    assert "Thực hiện Quyết định số 996/QĐ-TTg[1]" in lines
    assert lines[-1] == "[1] Quyết định số 696/QĐ-TTg ngày 01/6/2020 của Thủ tướng Chính phủ."


def add_footnote(path: Path, body_text: str, note: str) -> None:
    """python-docx cannot write footnotes: add the part, its relation and a reference by hand."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/footnotes.xml"] = footnotes.encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    )
    run = f"<w:t>{body_text}</w:t></w:r>".encode("utf-8")
    assert run in parts["word/document.xml"]
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        run, run + b'<w:r><w:footnoteReference w:id="1"/></w:r>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.parent.name)
def test_real_corpus_docx_round_trip(tmp_path, path):
    text = path.read_text(encoding="utf-8")
    src = read_source(text_docx(text, tmp_path / (path.stem + ".docx")))
    assert folded(src.text) == folded(_XML_BAD.sub(" ", text))


def test_damaged_docx(tmp_path, seed_text):
    data = seed_docx(seed_text, tmp_path / "seed.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="damaged or truncated .docx"):
        read_source(tmp_path / "cut.docx")
    (tmp_path / "fake.docx").write_text("Quyết định số 01/QĐ-UBND", encoding="utf-8")
    with pytest.raises(IngestError, match="not a Word .docx: the file is plain text"):
        read_source(tmp_path / "fake.docx")


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def test_thuvienphapluat_page_gives_the_document_only():
    src = read_source(FIXTURES / "tvpl_saved_page.html")
    assert src.kind == "html-text" and src.encoding == "utf-8"
    lines = src.text.splitlines()
    assert lines[0] == "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Số: 123/QĐ-UBND | Tây Ninh, ngày 15 tháng 3 năm 2024" in lines
    assert ("Căn cứ Nghị định số 55/2011/NĐ-CP ngày 04 tháng 7 năm 2011 của Chính phủ quy định "
            "chức năng, nhiệm vụ, quyền hạn;") in lines
    assert "16/2021/NQ-HĐND" in src.text
    for chrome in ("Đăng nhập", "Tìm kiếm", "Hotline", "Trang chủ", "Tóm tắt", "Văn bản liên quan",
                   "77/2088", "88/2077", "66/2066", "44/2044", "Pursuant", "99/2099", "DECISION",
                   "Quảng cáo", "Chia sẻ", "THƯ VIỆN PHÁP LUẬT", "LawID"):
        assert chrome not in src.text, chrome


def test_vbpl_page_gives_the_document_only():
    src = read_source(FIXTURES / "vbpl_saved_page.html")
    lines = src.text.splitlines()
    assert lines[0] == "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "1. Rà soát các văn bản theo Thông tư số 13/2021/TT-BKHCN;" in lines
    assert "- Sở Khoa học và Công nghệ chủ trì." in lines
    for chrome in ("Toàn văn", "Thuộc tính", "Lược đồ", "555/QĐ-TTg", "English", "Bộ Tư pháp", "_spPageContextInfo"):
        assert chrome not in src.text, chrome


def test_generic_page_gives_the_main_text():
    src = read_source(FIXTURES / "generic_page.html")
    assert src.text.splitlines()[0] == "Triển khai Nghị quyết số 52-NQ/TW về chuyển đổi số"
    assert missing_ids(src.text, ["1341/KH-UBND", "52-NQ/TW", "50-NQ/CP"]) == []
    for chrome in ("Giới thiệu", "Tin liên quan", "33-NQ/TW", "Bản quyền", "CỔNG THÔNG TIN"):
        assert chrome not in src.text, chrome


def seed_html(seed_text: str) -> str:
    """The seed placed where thuvienphapluat puts a document, inside the hand-written page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((FIXTURES / "tvpl_saved_page.html").read_text(encoding="utf-8"), "lxml")
    holder = soup.select_one("#divContentDoc .content1 > div > div")
    holder.clear()
    for line in seed_text.splitlines():
        if line.strip():
            p = soup.new_tag("p")
            p.string = line
            holder.append(p)
    return str(soup)


def test_seed_html(tmp_path, seed_text):
    path = tmp_path / "seed.html"
    path.write_text(seed_html(seed_text), encoding="utf-8")
    src = read_source(path)
    assert missing_ids(src.text) == []
    assert folded(src.text) == folded(seed_text)


def test_html_in_windows_1258_and_under_other_names(tmp_path, seed_text):
    page = seed_html(seed_text).replace('content="text/html; charset=utf-8"', 'content="text/html; charset=windows-1258"')
    (tmp_path / "seed.htm").write_bytes(to_cp1258(page))
    src = read_source(tmp_path / "seed.htm")
    assert src.encoding == "windows-1258"
    assert folded(src.text) == folded(seed_text)
    # Pages saved as .aspx, or Word "web pages" saved as .doc, are read as HTML too.
    for name in ("Quyet-dinh-123-QD-UBND-123456.aspx", "webpage.doc"):
        (tmp_path / name).write_text(page.replace("windows-1258", "utf-8"), encoding="utf-8")
        src = read_source(tmp_path / name)
        assert src.kind == "html-text" and missing_ids(src.text) == []


# --------------------------------------------------------------------------------------------
# PDF and .doc, made by LibreOffice headless once for the module
# --------------------------------------------------------------------------------------------

LONG_REAL = "tvpl-tnt305/kh-179-ubnd-dongnai-2025.txt"  # a 100 000-character plan with task tables


def soffice_convert(sources: list[Path], target: str, out_dir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (out_dir / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
         target, "--outdir", str(out_dir), *map(str, sources)],
        check=True, capture_output=True, timeout=300, stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed: Debian package libreoffice-writer-nogui")
    if not SEED.exists():
        pytest.skip(NO_SHARED)
    tmp = tmp_path_factory.mktemp("converted")
    sources = [seed_docx(SEED.read_text(encoding="utf-8"), tmp / "seed.docx")]
    for path in [REAL / LONG_REAL, *real_files()]:
        if path.exists() and not (tmp / (path.stem + ".docx")).exists():
            sources.append(text_docx(path.read_text(encoding="utf-8"), tmp / (path.stem + ".docx")))
    pdf_dir, doc_dir = tmp / "pdf", tmp / "doc"
    soffice_convert(sources, "pdf", pdf_dir)
    soffice_convert(sources[:1], "doc", doc_dir)
    out = {p.stem + ".pdf": pdf_dir / (p.stem + ".pdf") for p in sources}
    out["seed.doc"] = doc_dir / "seed.doc"
    return out


def test_seed_pdf(converted):
    src = read_source(converted["seed.pdf"])
    assert src.kind == "pdf-text" and src.encoding is None
    assert unicodedata.is_normalized("NFC", src.text)
    assert missing_ids(src.text) == []


def test_real_corpus_pdf_keeps_every_identifier(converted):
    checked = 0
    for path in [REAL / LONG_REAL, *real_files()]:
        if path.stem + ".pdf" not in converted:
            continue
        ids = sorted(set(ID_RE.findall(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")))))
        text = read_source(converted[path.stem + ".pdf"]).text
        assert missing_ids(text, ids) == [], path
        checked += 1
    assert checked >= 2


def test_a_long_pdf_is_read_whole(converted):
    """Every page's text arrives (its speed is measured by benchmarks/bench_ingest.py, not here: a
    timed test fails on a busy machine)."""
    from pypdf import PdfReader

    path = converted[Path(LONG_REAL).stem + ".pdf"]
    reader = PdfReader(path)
    text = " ".join(read_source(path).text.split())
    assert len(reader.pages) >= 20
    last = " ".join(reader.pages[-1].extract_text().split())[:60]
    assert last and last in text  # the last page too


def test_damaged_and_protected_pdfs(converted, tmp_path, seed_text):
    from pypdf import PdfWriter

    data = converted["seed.pdf"].read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated PDF"):
        read_source(tmp_path / "cut.pdf")

    writer = PdfWriter(clone_from=converted["seed.pdf"])
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    writer.write(tmp_path / "locked.pdf")
    with pytest.raises(IngestError, match="encrypted PDF: it needs a password"):
        read_source(tmp_path / "locked.pdf")

    # Only an owner password (printing or editing forbidden): readable like any PDF.
    writer = PdfWriter(clone_from=converted["seed.pdf"])
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(tmp_path / "owner-only.pdf")
    assert missing_ids(read_source(tmp_path / "owner-only.pdf").text) == []

    # A PDF saved under a text name is still a PDF.
    shutil.copy(converted["seed.pdf"], tmp_path / "seed.txt")
    assert read_source(tmp_path / "seed.txt").kind == "pdf-text"


def test_scanned_pdf_has_no_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    writer.write(tmp_path / "scan.pdf")
    with pytest.raises(IngestError) as e:
        read_source(tmp_path / "scan.pdf")
    assert e.value.reason == "no text layer: this PDF is a scan; OCR it first"


def test_not_a_pdf(tmp_path):
    (tmp_path / "error.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="not a PDF: the file is an HTML page"):
        read_source(tmp_path / "error.pdf")


def test_doc_through_libreoffice(converted):
    src = read_source(converted["seed.doc"])
    assert src.kind == "doc-text"
    assert missing_ids(src.text) == []


def test_doc_without_converter(tmp_path, monkeypatch):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    (tmp_path / "old.doc").write_bytes(data)
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as e:
        read_source(tmp_path / "old.doc")
    assert e.value.reason.startswith("old Word format (.doc): no converter on this machine")
    assert "libreoffice-writer-nogui" in e.value.reason


def test_encrypted_office_file(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    (tmp_path / "locked.docx").write_bytes(data)
    with pytest.raises(IngestError, match="encrypted Word document"):
        read_source(tmp_path / "locked.docx")


def test_doc_through_antiword_when_there_is_no_libreoffice(tmp_path, monkeypatch):
    fake = tmp_path / "antiword"
    fake.write_text('#!/bin/sh\nprintf "Căn cứ Quyết định số 1364/QĐ-UBND\\n"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: str(fake) if name == "antiword" else None)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    src = read_source(tmp_path / "old.doc")
    assert src.kind == "doc-text"
    assert missing_ids(src.text, ["1364/QĐ-UBND"]) == []


def test_rtf_through_libreoffice(tmp_path, converted):
    rtf = r"{\rtf1\ansi\uc1 C\u259?n c\u7913? Quy\u7871?t \u273?\u7883?nh s\u7889? 1364/Q\u272?-UBND\par}"
    (tmp_path / "letter.rtf").write_text(rtf, encoding="ascii")
    src = read_source(tmp_path / "letter.rtf")
    assert src.kind == "doc-text"
    assert "Căn cứ Quyết định số 1364/QĐ-UBND" in src.text
