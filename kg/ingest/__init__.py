"""Files -> text. A reader per format; every failure is an ``IngestError`` naming file and reason."""

from kg.ingest.readers import IngestError, Source, read_source

__all__ = ["IngestError", "Source", "read_source"]
