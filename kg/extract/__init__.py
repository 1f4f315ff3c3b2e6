"""Text -> Document: header, citations, structure. ``extract`` is the one entry point."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.extract.find import Context, find_citations
from kg.extract.header import own_keys, read_header
from kg.extract.preamble import basis_zones
from kg.ingest import read_source
from kg.ingest.normalize import fold
from kg.models import Document


def _citations(text: str, source: str, text_kind: str):
    folded = fold(text)
    header, juris, own_spans, header_end = read_header(folded)
    ctx = Context(jurisdiction=juris, own_keys=own_keys(header), own_spans=own_spans,
                  header_end=header_end,
                  basis_zones=basis_zones(folded.text, header_end, letter=header.doc_type in (None, "Công văn")))
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
    doc, folded, ctx = _citations(text, source, text_kind)
    try:
        from kg.extract.structure import attach_structure
    except ModuleNotFoundError as e:  # the structure stage is optional while it is being built
        if e.name != "kg.extract.structure":
            raise
        return doc
    attach_structure(doc, folded, ctx)
    return doc


def extract(text_or_path: str | Path, source: str | None = None) -> Document:
    """A path (str or Path naming an existing file) is read; any other string is the text itself."""
    if isinstance(text_or_path, Path) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path and len(text_or_path) < 4096
        and Path(text_or_path).is_file()
    ):
        src = read_source(text_or_path)
        return extract_text(src.text, source or src.path, src.kind)
    return extract_text(str(text_or_path), source or "<text>")
