"""kg: which task rests on which regulation, from Vietnamese legal and administrative documents.

The pipeline shows in the package layout: ``kg.ingest`` (files -> text) -> ``kg.extract``
(citations, header, structure) -> ``kg.resolve`` (identity, issuers, IRIs) -> ``kg.graph`` (RDF,
store, queries) -> ``kg.analyze`` / ``kg.viz`` / ``kg.serve``.
"""

from kg.extract import extract, extract_file
from kg.models import Citation, Document, Header, Task

__all__ = ["extract", "extract_file", "Citation", "Document", "Header", "Task"]
__version__ = "0.1.0"
