"""Files -> text. A reader per format; every failure is an ``IngestError`` naming file and reason.

The names are loaded on first use (PEP 562): ``kg.ingest.normalize``, which a lookup at the prompt
needs, must not bring in every reader (PDF, Word, HTML) with it.
"""

from __future__ import annotations

from kg.lazy import lazy_names

__all__ = ["IngestError", "Source", "read_source"]


__getattr__, __dir__ = lazy_names(__name__, {name: "kg.ingest.readers" for name in __all__})
