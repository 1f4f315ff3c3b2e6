"""Links between nodes that name one document: the only cross-document step of a build.

Each source document is mapped alone (so builds are incremental and can run in parallel), and a
citation that gives no date ("Nghị quyết 57-NQ/TW") cannot know the year that is part of the IRI:
it gets ".../nghi-quyet/nd/57-nq-tw". After the per-file graphs are in, this step looks at every
numbered node and, where a number and place have only one year in the whole graph, says
`owl:sameAs` from the other spellings to one node (the document's own, when its text is in the
corpus). Numbers with two years stay apart: that is two documents, not two spellings. The links
live in their own named graph, recomputed by every build that changed something, so they never
outlive the mentions they came from.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from kg.graph import named_query
from kg.resolve.identity import BASE, NO_DATE, parts

LINKS_GRAPH = f"{BASE}/graph/links"
LINKS_SOURCE = "<links>"
_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"



def same_as(nodes: dict[str, bool]) -> list[tuple[str, str]]:
    """(other, canonical) pairs from {node IRI: text in corpus}."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for n in nodes:
        p = parts(n)
        if p is not None:
            place, _type, _year, numsym = p
            groups[(place, numsym)].append(n)
    pairs = []
    for members in groups.values():
        if len(members) < 2:
            continue
        years = {parts(n)[2] for n in members} - {NO_DATE}
        if len(years) > 1:
            continue  # two documents with one number in different years
        canonical = min(members, key=lambda n: (not nodes[n], parts(n)[2] == NO_DATE, n))
        pairs += [(n, canonical) for n in sorted(members) if n != canonical]
    return pairs


def links_ntriples(store) -> tuple[bytes, str]:
    """The links graph for what the store holds now, and its hash."""
    nodes = {r["n"]: bool(r["in"]) for r in store.query(named_query("nodes"))}
    nt = "".join(f"<{a}> <{_SAME_AS}> <{b}> .\n" for a, b in same_as(nodes)).encode("utf-8")
    return nt, hashlib.sha256(nt).hexdigest()
