"""Offline HTML views of the graph and of one annotated text, safe against hostile document text.

``build_graph`` (Documents -> view model) is separate from ``render_graph`` (view model -> page) so
that a loader from the RDF store can feed the same pages.
"""

from kg.viz.model import Graph, build_graph, ego, find, only_kinds
from kg.viz.render import render_graph


def render_annotation(doc, graph_href: str = "graph.html", findings=None) -> str:
    from kg.viz.annotate import render_annotation as _render

    return _render(doc, graph_href, findings)


__all__ = ["Graph", "build_graph", "ego", "find", "only_kinds", "render_graph", "render_annotation"]
