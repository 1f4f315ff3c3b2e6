"""networkx analytics on a projection of the graph: documents and tasks, linked by what rests on what.

SPARQL answers "who cites X"; questions about the shape of the whole web of references (which
documents everything hangs on, what chains close into cycles, which groups of documents never
touch) are graph algorithms, so the graph is projected into a networkx DiGraph and analysed
there: `projection` builds it, `metrics` measures it, `export` writes it for Gephi and Excel.
"""

from kg.analyze.export import export
from kg.analyze.metrics import closure, components, cycles, most_cited
from kg.analyze.projection import projection

__all__ = ["projection", "most_cited", "closure", "cycles", "components", "export"]
