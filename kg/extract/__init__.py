"""Text -> Document: header, citations, structure. ``extract`` is the one entry point."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import IO

from kg.extract.find import Context, find_citations
from kg.extract.header import own_keys, read_header
from kg.extract.preamble import basis_zones
from kg.ingest import read_source
from kg.ingest.readers import read_bytes_as
from kg.ingest.normalize import fold
from kg.models import Document


def _citations(text: str, source: str, text_kind: str):
    folded = fold(text)
    read = read_header(folded)
    header = read.header
    ctx = Context(jurisdiction=read.jurisdiction, own_keys=own_keys(header), own_spans=read.own_spans,
                  header_end=read.header_end, own_title=header.title,
                  basis_zones=basis_zones(folded.text, read.header_end, letter=header.doc_type in (None, "Công văn")))
    doc = Document(source=source, text=text, text_kind=text_kind,
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), header=header)
    doc.citations, found = find_citations(folded, ctx, header.date)
    doc.effects, doc.reported_effects = found.effects, found.reported
    doc.effective, doc.effective_rule = found.effective, found.effective_rule
    return doc, folded, ctx


def extract_citations(text: str, source: str = "<text>", text_kind: str = "text") -> Document:
    """Header and citations only: the citation engine, without the structure stage."""
    return _citations(text, source, text_kind)[0]


def extract_text(text: str, source: str = "<text>", text_kind: str = "text") -> Document:
    """Header, citations, sections, tasks and agencies of one text."""
    from kg.extract.structure import attach_structure

    doc, folded, ctx = _citations(text, source, text_kind)
    attach_structure(doc, folded, ctx)
    return doc


def extract(document: str | os.PathLike | IO, source: str | None = None) -> Document:
    """Text is text: a ``str`` is always the document's text, never a file name (untrusted text
    handed to the API must not become a file read). A ``Path`` (any ``os.PathLike``) is read from
    disk in every format ingest knows; an open file is read too, text or bytes (bytes go through
    the same format and encoding detection as a file). ``extract_file`` is the same as a Path."""
    if isinstance(document, str):
        return extract_text(document, source or "<text>")
    if isinstance(document, os.PathLike):
        return extract_file(document, source)
    if hasattr(document, "read"):
        data = document.read()
        name = source or str(getattr(document, "name", "<stream>"))
        if isinstance(data, str):
            return extract_text(data, name)
        src = read_bytes_as(bytes(data), name, Path(name).suffix.lower())
        return extract_text(src.text, name, src.kind)
    raise TypeError(f"kg.extract takes text (str), a path (pathlib.Path) or a file object, not {type(document).__name__}")


def extract_file(path: str | os.PathLike, source: str | None = None) -> Document:
    """Read one file (any format ingest knows) and extract it."""
    src = read_source(Path(path))
    return extract_text(src.text, source or src.path, src.kind)
