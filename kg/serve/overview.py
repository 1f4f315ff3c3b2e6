"""The first graph view of a whole corpus: the citing documents, and what they cite grouped by type
and issuer level, with counts; a click opens a neighbourhood.

Measured on the real corpus (67 documents, 4,398 nodes), every node drawn at once was a cloud of
unlabelled dots. Here the corpus's own documents stay nodes, each cited document joins the group
of its type and issuer level ("Luật · Central (412)"), and links carry their number of mentions:
about a hundred nodes, every label readable. It is read from the store (overview.rq, describe.rq),
so it needs no source file read again; the neighbourhoods (/graph?focus=, /graph?group=) do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import urlencode

from kg.graph.query import describe, run
from kg.resolve.issuers import level_of
from kg.viz.model import Edge, Graph, Node, type_group
from kg.serve.i18n import catalogue
from kg.viz.render import TYPE_STYLE

SHOWN_RELATIONS = {"based_on": "based_on"}  # everything else is drawn as "cites"


def group_id(tg: str, level: str | None) -> str:
    return f"group:{tg}:{level or ''}"


def overview(store, t=None) -> Graph:
    """`t`: the page's Messages (kg.serve.i18n), for the groups' names."""
    from pathlib import Path

    from kg.serve.i18n import Messages

    t = t or Messages()
    lang = t.lang
    rows = run(store, "overview")
    info = describe(store, sorted({r["citer"] for r in rows} | {r["cited"] for r in rows}))
    plans = {n for n, d in info.items() if d.get("in_corpus") and d.get("source")}
    g = Graph()
    members: dict[str, set[str]] = defaultdict(set)

    def where(node: str) -> str:
        if node in plans:
            return node
        d = info.get(node, {})
        gid = group_id(type_group(d.get("type")), level_of(d.get("issuer")) if d.get("issuer") else None)
        members[gid].add(node)
        return gid

    counts: Counter = Counter()
    for r in rows:
        a, b = where(r["citer"]), where(r["cited"])
        if a != b:
            counts[(a, b, SHOWN_RELATIONS.get(r["relation"], "cites"))] += int(r["mentions"])
    for p in sorted(plans):
        d = info[p]
        ident = d.get("id_local")
        named = d.get("title") or (d.get("label") if d.get("label") != d.get("source") else None)
        label = ident if ident and not ident.startswith("/") else _short(named or Path(d["source"]).name, 40)
        g.nodes[p] = Node(p, "plan", label, identifier=ident, title=d.get("title"), doc_type=d.get("type"),
                          type_group=type_group(d.get("type")), date=d.get("date"), issuer=d.get("issuer"),
                          level=level_of(d.get("issuer")) if d.get("issuer") else None, source=d.get("source"),
                          href="graph?" + urlencode({"focus": p, "depth": 1} | ({"lang": lang} if lang != "vi" else {})))
    for gid, docs in sorted(members.items()):
        _, tg, level = gid.split(":", 2)
        kind = t("type_other") if tg == "other" else TYPE_STYLE.get(tg, TYPE_STYLE["other"])[1]
        name = f"{kind} · {t('level_' + level) if 'level_' + level in catalogue() else level}"
        g.nodes[gid] = Node(gid, "document", f"{name} ({len(docs)})", title=name, type_group=tg, level=level or None,
                            mentions=len(docs), subject=f"{len(docs)} documents",
                            href="graph?" + urlencode({"group": f"{tg}:{level}"} | ({"lang": lang} if lang != "vi" else {})))
    for (a, b, rel), n in sorted(counts.items()):
        e = Edge(f"{rel}::{a}->{b}", a, b, rel, count=n)
        g.edges[e.id] = e
    return g


def in_group(g: Graph, group: str) -> list[str]:
    """The nodes of a full view that the overview's group `type:level` stands for."""
    tg, _, level = group.partition(":")
    return [k for k, n in g.nodes.items() if n.kind == "document" and (n.type_group or "other") == tg
            and (n.level or "") == level]


def _short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"
