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
from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

from kg.ingest.doc import convert_with_soffice, read_doc_text
from kg.ingest.docx import read_docx_text
from kg.ingest.html import read_html_text
from kg.ingest.legacy import LEGACY_ENCODINGS, decode_legacy
from kg.ingest.names import display_path
from kg.ingest.pdf import read_pdf_text
from kg.ingest.source import (DEFAULT_LIMITS, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_INFLATED,
                              IngestError, Limits, Source, human_size as _human_size)
from kg.ingest.text import MAGIC as _MAGIC, decode_bytes, describe_binary as _describe_binary

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "DEFAULT_MAX_INFLATED", "IngestError", "LEGACY_ENCODINGS",
           "Limits", "Source", "convert_with_soffice", "decode_bytes", "decode_legacy", "read_bytes_as",
           "read_doc_text", "read_docx_text", "read_html_text", "read_pdf_text", "read_source"]

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
        small = "mimetype" in z.namelist() and z.getinfo("mimetype").file_size < 1024  # never inflate a bomb
        mimetype = z.read("mimetype").decode("ascii", "replace") if small else ""
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



_TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown", ".csv", ".tsv"}
_KIND_NAMES = {"pdf": "a PDF", "docx": "a Word .docx", "html": "an HTML page", "rtf": "an RTF document",
               "ole": "an old Office document", "zip": "a ZIP archive"}



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


def read_source(path: str | Path, max_bytes: int | None = None, limits: Limits | None = None) -> Source:
    """Read one file by its content; ``limits`` bound what it may cost (``max_bytes`` overrides
    their file size limit, as callers have always passed it)."""
    limits = limits or DEFAULT_LIMITS
    if max_bytes is not None and max_bytes != limits.max_bytes:
        limits = replace(limits, max_bytes=max_bytes)
    name = display_path(str(path))  # the file is opened by its own name, named in UTF-8
    p = Path(path)
    data = _checked_bytes(p, name, limits.max_bytes)
    return read_bytes_as(data, name, p.suffix.lower(), limits)


def _checked_bytes(p: Path, name: str, max_bytes: int) -> bytes:
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
    return data


def read_bytes_as(data: bytes, name: str, suffix: str, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read bytes by their content first and by the file's suffix second."""
    fmt = _sniff(data)
    if fmt in _BY_CONTENT:
        return _BY_CONTENT[fmt](data, name, limits)
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
        text, encoding = read_html_text(data, name, limits)
        return Source(name, text, "html-text", encoding)
    text, encoding = decode_bytes(data, name)
    return Source(name, text, "text", encoding)


def _ole(data: bytes, name: str, limits: Limits) -> Source:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise IngestError(name, "encrypted Word document: it needs a password; save an unprotected copy first")
    return Source(name, read_doc_text(data, name, limits=limits), "doc-text")


_BY_CONTENT = {
    "pdf": lambda data, name, limits: Source(name, read_pdf_text(data, name, limits), "pdf-text"),
    "docx": lambda data, name, limits: Source(name, read_docx_text(data, name, limits), "docx-text"),
    "ole": _ole,
    "rtf": lambda data, name, limits: Source(name, read_doc_text(data, name, "RTF", limits), "doc-text"),
}


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
