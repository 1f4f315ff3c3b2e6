"""Validity facts from a graph built with ``kg build`` (`kg check --store DIR`).

The graph records the replacements and repeals its documents state; this module keeps those that
can be true (see ``graph_registry``) and hands them to the check as a ``Registry``. The legal
force it compares comes from ``kg.check.force``, the module the basis rules use too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.check.facts import Registry, Status
from kg.check.force import is_normative, symbol_rank
from kg.check.tables import registry_config
from kg.grammar.symbols import code_type, parse_symbol
from kg.ingest.normalize import fold_key


@dataclass
class _Fact:
    """One (document, changing document, status) of the graph, over all its mentions."""

    row: dict  # the first query row, for dates, province and source
    whole: bool = False  # some mention changes the whole document
    parts: set[str] = field(default_factory=set)  # pinpoints of partial changes


_GRAPH_QUERY = """
PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?m ?ident ?date ?juris ?rel ?by_id ?by_date ?by_src ?pin ?partial ?sc ?quote WHERE {
  VALUES ?rel { $RELATIONS }
  ?m kg:inDocument ?by ; kg:cited ?node ; kg:relation ?rel .
  FILTER NOT EXISTS { ?m kg:nestedIn ?outer }
  ?by kg:inCorpus true ; eli:id_local ?by_id .
  ?node eli:id_local ?ident .
  OPTIONAL { ?m kg:pinpoint ?pin }
  OPTIONAL { ?m kg:partial ?partial }
  OPTIONAL { ?m kg:scope ?sc }
  OPTIONAL { ?m kg:quote ?quote }
  OPTIONAL { ?node eli:date_document ?date }
  OPTIONAL { ?node eli:jurisdiction ?juris }
  OPTIONAL { ?by eli:date_document ?by_date }
  OPTIONAL { ?by kg:source ?by_src }
}"""


def graph_registry(store) -> Registry:
    """Replacements and repeals the built graph knows (``kg build``), as registry facts.

    The graph's edges come from cue words next to a citation ("thay thế", "bãi bỏ", "hết hiệu
    lực"), so a fact is kept only when it can be true: the replacing document is a numbered
    normative document of the corpus, newer than the one it replaces and of no lower legal force
    (a decree does not repeal a law; a plan that mentions a replacement is not the replacing
    document), and the sentence is no phrase substitution ("thay thế cụm từ ...") or passive
    ("... được thay thế bởi ...": the cited document is then the new one). A change aimed at an article ("bãi bỏ khoản 2 Điều 20 Thông tư số ..."), or made by
    a document that also amends it ("sửa đổi, bổ sung ...; thay thế, bãi bỏ một số quy định của
    ..."), makes the document "partly" out of force, not wholly; so does an operative act the
    graph marks kg:partial with its kg:scope (the mapping's effect mentions).
    """
    from kg.graph.vocab import RELATIONS

    q = _GRAPH_QUERY.replace("$RELATIONS", " ".join(f"<{RELATIONS[r][0]}>" for r in ("replaces", "repeals", "amends")))
    rows = store.query(q)
    amended = {(r["ident"], r["by_id"]) for r in rows if str(r["rel"]) == str(RELATIONS["amends"][0])}
    not_a_change = [fold_key(w) for w in registry_config().get("graph_not_a_change", [])]
    facts: dict[tuple[str, str, str], _Fact] = {}
    for r in rows:
        if str(r["rel"]) == str(RELATIONS["amends"][0]):
            continue
        sentence = fold_key(str(r.get("quote") or ""))
        if any(w in sentence for w in not_a_change):
            continue
        by, ident = r["by_id"], r["ident"]
        sym = parse_symbol(by)
        dt = code_type(sym) if sym else None
        if not (sym and dt and is_normative(dt.name, sym)):
            continue
        mine, theirs = symbol_rank(by), symbol_rank(ident)
        if mine is not None and theirs is not None and mine > theirs:
            continue
        if r.get("date") and r.get("by_date") and str(r["by_date"]) <= str(r["date"]):
            continue
        status = "replaced" if str(r["rel"]).endswith("thay-the") else "repealed"
        f = facts.setdefault((ident, by, status), _Fact(r))
        # an act read from the operative text (kg/graph/mapping.py `_effect`) says itself whether it
        # is partial (kg:partial) and on which provisions (kg:scope); a cue-word edge has its pinpoint
        stated = r.get("partial")
        parts = [str(x) for x in (r.get("pin"), r.get("sc")) if x]
        f.parts.update(parts)
        if stated is not None and str(stated).lower() in ("false", "0"):
            f.whole = True  # "Quyết định này thay thế Quyết định số ...": the act is on the whole
        elif not parts and stated is None and (ident, by) not in amended:  # an amender changes parts only
            f.whole = True  # one mention of the whole document is enough
    reg = Registry()
    for (ident, by, status), f in facts.items():
        r, whole = f.row, f.whole
        reg.add(Status(identifier=ident, status=status if whole else "partly", replaced_by=(by,),
                       since=r.get("by_date"), date=r.get("date"), jurisdiction=r.get("juris"),
                       source=f"graph: {r.get('by_src') or by}",
                       note=None if whole else "; ".join(sorted(f.parts))[:120]))
    return reg


_TIMELINE_STATUS = {"replaces": "replaced", "repeals": "repealed"}


def timeline_registry(store) -> Registry:
    """The graph's validity timeline (kg.graph.timeline) as registry facts: each whole replacement
    or repeal, and each partial one ("partly", naming the provisions), with the day it takes effect
    and the act named in the source ("timeline: 158/2025/NĐ-CP bãi bỏ, FILE:LINE")."""
    from kg.graph import named_query
    from kg.graph.timeline import act_label, timelines

    nodes = [r["node"] for r in store.query(named_query("acted_on"))]
    reg = Registry()
    for t in timelines(store, nodes).values():
        if not t.identifier:
            continue
        for f in t.acts:
            if f.act not in _TIMELINE_STATUS or not f.by:
                continue
            reg.add(Status(identifier=t.identifier, status="partly" if f.scope else _TIMELINE_STATUS[f.act],
                           replaced_by=(f.by,), since=f.date,
                           source=f"timeline: {f.by} {act_label(f.act)}, {f.source}:{f.line}",
                           note="; ".join(f.scope)[:120] if f.scope else None))
    return reg
