"""Read a file into text, whatever its format, or say clearly why it cannot be read."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class IngestError(Exception):
    """A file that cannot be read: ``path`` and a one-line ``reason`` for the user."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Source:
    path: str
    text: str
    kind: str  # which text offsets point into: "text", "pdf-text", "docx-text", "html-text"
    encoding: str | None = None


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise IngestError(path, f"not UTF-8 text (byte {e.start})") from None


def read_source(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(str(path), e.strerror or str(e)) from None
    if len(data) > max_bytes:
        raise IngestError(str(path), f"file is {len(data)} bytes, over the limit of {max_bytes}")
    text, enc = decode_bytes(data, str(path))
    return Source(str(path), text, "text", enc)
