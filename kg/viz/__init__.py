"""Offline HTML views of the graph and of one annotated text, safe against hostile document text.

``build_graph`` (Documents -> view model) is separate from ``render_graph`` (view model -> page) so
that a loader from the RDF store can feed the same pages. The names are loaded on first use
(PEP 562): the command line reads ``kg.viz.kinds`` for its help without importing numpy.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"Graph": "kg.viz.model", "build_graph": "kg.viz.model", "ego": "kg.viz.model", "find": "kg.viz.model",
         "only_kinds": "kg.viz.model", "render_graph": "kg.viz.render"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg.viz' has no attribute {name!r}")


def render_annotation(doc, graph_href: str = "graph.html", findings=None) -> str:
    from kg.viz.annotate import render_annotation as _render

    return _render(doc, graph_href, findings)


__all__ = ["Graph", "build_graph", "ego", "find", "only_kinds", "render_graph", "render_annotation"]
