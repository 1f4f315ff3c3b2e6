"""PDF -> text (pypdf): the text layer page by page, or why there is none (a scan, encrypted, cut short)."""

from __future__ import annotations

import contextlib
import io
import logging
from typing import Iterator

from kg.ingest.source import DEFAULT_LIMITS, IngestError, Limits, nfc as _nfc, too_big

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


def read_pdf_text(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text layer, page by page, stopped once it passes ``limits.max_inflated`` characters
    (pypdf itself caps each decompressed stream; nesting is bounded by pypdf's own parser)."""
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
        size = 0
        for i in range(n):
            try:
                pages.append(reader.pages[i].extract_text() or "")
            except Exception as e:
                raise IngestError(path, f"damaged PDF: page {i + 1}: {type(e).__name__}: {e}") from None
            size += len(pages[-1])
            if size > limits.max_inflated:
                raise too_big(path, size, limits, f"the text of this PDF (up to page {i + 1})")
    if not any(p.strip() for p in pages):
        raise IngestError(path, _NO_TEXT_LAYER)
    # A line holding only a form feed separates pages: page-furniture rules see whole lines and
    # the folder turns the form feed into a space.
    return _nfc("\n\f\n".join(pages))


