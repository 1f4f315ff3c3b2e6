"""Content negotiation for SPARQL results: Accept header (or `format=`) -> a pyoxigraph format.

It imports nothing but pyoxigraph because the query workers load it too, and they should start
fast. Two answers are negotiated at once, one for solutions and booleans (SELECT, ASK), one for
graphs (CONSTRUCT, DESCRIBE), since the form of a query is only certain once the engine has parsed
it; the worker picks the one that applies.
"""

from __future__ import annotations

import pyoxigraph as ox

RESULTS = {  # media type -> format; the first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
SHORT = {  # ?format= for browsers and shell users, as Fuseki and Virtuoso accept
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"),
    "nt": (None, "application/n-triples"), "ntriples": (None, "application/n-triples"),
    "rdfxml": (None, "application/rdf+xml"), "jsonld": (None, "application/ld+json"),
}
CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "application/n-triples"}


class NotAcceptable(ValueError):
    pass


def _ranges(accept: str) -> list[tuple[float, int, str]]:
    """(q, order, media range), best first; q=0 ranges are dropped."""
    out = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mt = bits[0].lower()
        if not mt:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            out.append((-q, i, mt))
    return [(-q, i, mt) for q, i, mt in sorted(out)]


def _pick(accept: str, table: dict) -> str | None:
    default = next(iter(table))
    for _q, _i, mt in _ranges(accept or "*/*"):
        if mt in table:
            return mt
        if mt == "*/*":
            return default
        if mt.endswith("/*"):
            hit = next((t for t in table if t.startswith(mt[:-1])), None)
            if hit:
                return hit
    return None


def negotiate(accept: str | None, short: str | None = None) -> tuple[str | None, str | None]:
    """(media type for solutions, media type for graphs); raise NotAcceptable when neither fits."""
    if short:
        if short.lower() not in SHORT:
            raise NotAcceptable(f"format={short!r} is not one of {', '.join(SHORT)}")
        return SHORT[short.lower()]
    res, gr = _pick(accept or "*/*", RESULTS), _pick(accept or "*/*", GRAPHS)
    if res is None and gr is None:
        raise NotAcceptable(f"cannot answer in {accept!r}: results are offered as "
                            f"{', '.join(RESULTS)}; graphs as {', '.join(GRAPHS)}")
    return res, gr


def content_type(media: str) -> str:
    return media + "; charset=utf-8" if media in CHARSET or media.endswith("json") or media.endswith("xml") else media
