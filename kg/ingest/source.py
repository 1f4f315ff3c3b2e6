"""What every reader returns and raises, and the limits every reader keeps.

One place for the shapes shared by the per-format readers (kg.ingest.text, legacy, pdf, docx,
html, doc) and their dispatcher (kg.ingest.readers), so no reader imports another for them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kg.errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_INFLATED = 256 * 1024 * 1024
DEFAULT_MAX_DEPTH = 2_000

IngestError = InputError  # the name the readers have always raised


@dataclass
class Source:
    path: str
    text: str
    kind: str  # which text offsets point into: "text", "pdf-text", "docx-text", "html-text", "doc-text"
    encoding: str | None = None  # how the bytes were decoded, for text and HTML


@dataclass(frozen=True)
class Limits:
    """How much a file may cost to read, whatever its format.

    ``max_bytes``: the file on disk. ``max_inflated``: what reading it may produce, decompressed
    (a .docx's ZIP members, a PDF's streams) or decoded (the text): a 20 kB .docx can inflate to
    gigabytes. ``max_depth``: how deeply elements may nest (HTML tags, Word tables and text
    boxes): a page of 8,000 nested <div>s is not a document. A file over a limit is refused,
    naming the limit, before the cost is paid.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_inflated: int = DEFAULT_MAX_INFLATED
    max_depth: int = DEFAULT_MAX_DEPTH


DEFAULT_LIMITS = Limits()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def human_size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{int(n)} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def too_deep(path: str, limits: Limits, what: str) -> InputError:
    return InputError(path, f"{what} nested more than {limits.max_depth} levels deep "
                            f"(the max_depth limit); refused before reading further")


def too_big(path: str, size: int, limits: Limits, what: str) -> InputError:
    return InputError(path, f"{what} inflates to {human_size(size)}, over the limit of "
                            f"{human_size(limits.max_inflated)} (max_inflated); refused without inflating it")
