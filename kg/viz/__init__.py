"""Offline HTML views of the graph and of one annotated text, safe against hostile document text.

``build_graph`` (Documents -> view model) is separate from ``render_graph`` (view model -> page) so
that a loader from the RDF store can feed the same pages. The names are loaded on first use
(PEP 562): the command line reads ``kg.viz.kinds`` for its help without importing numpy.
"""

from __future__ import annotations

from kg.lazy import lazy_names

_LAZY = {"Graph": "kg.viz.model", "build_graph": "kg.viz.model", "ego": "kg.viz.model", "find": "kg.viz.model",
         "only_kinds": "kg.viz.model", "render_graph": "kg.viz.render"}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


def render_annotation(doc, graph_href: str = "graph.html", findings=None) -> str:
    from kg.viz.annotate import render_annotation as _render

    return _render(doc, graph_href, findings)


__all__ = ["Graph", "build_graph", "ego", "find", "only_kinds", "render_graph", "render_annotation"]
