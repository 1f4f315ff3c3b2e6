"""Files -> text. A reader per format; every failure is an ``IngestError`` naming file and reason.

The names are loaded on first use (PEP 562): ``kg.ingest.normalize``, which a lookup at the prompt
needs, must not bring in every reader (PDF, Word, HTML) with it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["IngestError", "Source", "read_source"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg.ingest import readers

        value = getattr(readers, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg.ingest' has no attribute {name!r}")
