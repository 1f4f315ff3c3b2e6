"""The knowledge graph: Documents -> RDF (mapping), the store, builds, and the questions.

The SPARQL lives in `queries/*.rq` beside this file, as data: legal staff's questions are read,
reviewed and run (`kg sparql NAME`) without reading Python. Parameters are written `$NAME` and
filled by `fill` with escaped literals or IRIs, never pasted raw.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

QUERIES = Path(__file__).parent / "queries"
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"


@lru_cache(maxsize=None)
def named_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.rq"))


def parameters(text: str) -> list[str]:
    return sorted(set(re.findall(r"\$([A-Z]+)\b", text)))


def literal(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def iri(s: str) -> str:
    if not s or re.search(r'[\s<>"{}|^`\\]', s):
        raise ValueError(f"not an IRI: {s!r}")
    return f"<{s}>"


def fill(text: str, iris: dict[str, list[str]] | None = None, literals: dict[str, list[str]] | None = None) -> str:
    """A named query with its $PARAMETERS replaced: IRIs as <...>, strings as escaped literals.

    An empty list gives an empty VALUES block, which matches nothing (UNDEF would match all)."""
    values = {k: " ".join(iri(v) for v in vs) for k, vs in (iris or {}).items()}
    values.update({k: " ".join(literal(v) for v in vs) for k, vs in (literals or {}).items()})
    if not values:
        return text
    # one pass over the query: a value that holds "$OTHER" is never filled again
    return re.sub(r"\$([A-Z]+)\b", lambda m: values.get(m.group(1), m.group(0)), text)


ELI_NS = "http://data.europa.eu/eli/ontology#"


@lru_cache(maxsize=None)
def relation_properties() -> dict[str, str]:
    """Relation id -> IRI of the property of its direct edge (grammar/data/relations.yaml).

    Plain strings, without rdflib: a lookup at the prompt orders its edges by them, and importing
    rdflib would cost it more than the query. kg.graph.vocab builds its RELATIONS from this."""
    from kg.grammar import load
    from kg.resolve.identity import ONTO

    prefixes = {"eli": ELI_NS, "kg": ONTO}
    out = {}
    for r in load("relations.yaml")["relations"]:
        prefix, local = r["property"].split(":", 1)
        out[r["id"]] = prefixes[prefix] + local
    return out
