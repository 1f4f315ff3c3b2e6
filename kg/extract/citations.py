"""The citation finder now lives in kg/extract/find/ (one module per pass); this name stays for the
modules that import `Context` from here."""

from kg.extract.find import Context, find_citations

__all__ = ["Context", "find_citations"]
