"""kg: which task rests on which regulation, from Vietnamese legal and administrative documents.

The pipeline shows in the package layout: ``kg.ingest`` (files -> text) -> ``kg.extract``
(citations, header, structure) -> ``kg.resolve`` (identity, issuers, IRIs) -> ``kg.graph`` (RDF,
store, queries) -> ``kg.analyze`` / ``kg.viz`` / ``kg.serve``.

The names below are loaded on first use (PEP 562), so that ``import kg.cli`` for a lookup at the
prompt does not compile the whole extraction grammar first.
"""

from __future__ import annotations

import sys
import types
import sys
import types
from typing import Any

from kg.lazy import lazy_names

__all__ = ["extract", "extract_file", "Citation", "Document", "Header", "Task"]
__version__ = "0.1.0"

_LAZY = {"extract": "kg.extract", "extract_file": "kg.extract", "Citation": "kg.models", "Document": "kg.models",
         "Header": "kg.models", "Task": "kg.models"}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


class _Package(types.ModuleType):
    """``kg.extract`` stays the function when the subpackage of that name is first imported.

    The import system sets a subpackage as an attribute of its parent once it has loaded; eager
    imports here used to rebind the name to the function afterwards, and lazy ones must too."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "extract" and isinstance(value, types.ModuleType):
            value = value.extract
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
