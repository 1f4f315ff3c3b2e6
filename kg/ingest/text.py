"""Bytes of a text file -> text: BOMs, UTF-8 (a few damaged bytes tolerated), UTF-16, legacy 8-bit.

Also names what a binary file looks like, so a PNG saved as .txt is refused as "a PNG image".
"""

from __future__ import annotations

import codecs
import re

from kg.ingest.legacy import decode_8bit as _decode_8bit
from kg.ingest.source import IngestError, nfc as _nfc

MAGIC = [
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


def describe_binary(data: bytes) -> str:
    for magic, what in MAGIC:
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
        raise IngestError(path, f"binary file ({describe_binary(data)}), not text")


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
            raise IngestError(path, f"binary file ({describe_binary(data)}), not text")
        try:
            text, enc = data.decode(enc16), enc16
        except UnicodeDecodeError:
            raise IngestError(path, f"binary file ({describe_binary(data)}), not text") from None
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
    if any(data.startswith(m) for m, _ in MAGIC):
        raise IngestError(path, f"binary file ({describe_binary(data)}), not text")
    lenient = _mostly_utf8(data)
    if lenient is not None:
        return lenient, f"utf-8 ({lenient.count(chr(0xFFFD))} damaged characters replaced)"
    return _decode_8bit(data, path)


