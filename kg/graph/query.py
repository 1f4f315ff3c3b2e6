"""The questions legal staff ask, as named SPARQL queries (kg/graph/queries/*.rq) and a walk.

`cites`: which tasks and documents cite X, each with its quoted sentence. `deps`: what a task or
document rests on, directly or through the documents it implements. `impact`: everything that
rests on X, transitively: what to review when X is replaced. The walks go one SPARQL query per
step, so each row can say through which document it was reached and whether a document on the
way has been replaced or repealed according to the graph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.graph.store import Store
from kg.ingest.normalize import fold_key, strip_accents
from kg.resolve.identity import id_key, loose_key

QUERIES = Path(__file__).parent / "queries"


@lru_cache(maxsize=None)
def named_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.rq"))


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _iri(s: str) -> str:
    if re.search(r'[\s<>"{}|^`\\]', s):
        raise ValueError(f"not an IRI: {s!r}")
    return f"<{s}>"


def run(store: Store, name: str, **params: list[str]) -> list[dict[str, Any]]:
    q = named_query(name)
    for k, values in params.items():
        fmt = _iri if k == "NODES" else _lit
        q = q.replace(f"${k}", " ".join(fmt(v) for v in values) or "UNDEF")
    return store.query(q)


# -- resolving what the user typed --------------------------------------------------------------

class NotFound(LookupError):
    pass


def resolve(store: Store, text: str) -> list[str]:
    """Loose input -> the identifier keys (or titles) it names.

    "42/2022/NQ-HĐND", "42/2022/nq-hdnd", "Nghị quyết 42/2022/NQ-HĐND" and "NQ 42/2022" all name
    42/2022/NQ-HĐND; a law's title names the law.
    """
    rows = run(store, "keys")
    keys = {r["key"] for r in rows}
    want = loose_key(text)
    if want in keys:
        return [want]
    if re.search(r"\d", text):
        # "NQ 42/2022": the number prefix, narrowed by a type code or word if one was typed
        pref = [k for k in keys if k.startswith(want) and k[len(want):len(want) + 1] in ("/", "-", "")]
        codes = [strip_accents(c).upper() for c in re.findall(r"[A-Za-zĐđ]{2,}", text)]
        codes = [c for c in codes if c not in ("SO",)]
        if codes:
            narrowed = [k for k in pref if all(c in k for c in codes)]
            pref = narrowed or pref
        if pref:
            return sorted(pref)
        raise NotFound(f"no document numbered like {text!r} in the graph")
    t = fold_key(text)
    titles = [r["key"] for r in rows if fold_key(r["key"]) == t or fold_key(r["label"]) == t]
    if not titles:
        titles = [r["key"] for r in rows if t in fold_key(r["label"])]
    if not titles:
        raise NotFound(f"no document titled like {text!r} in the graph")
    return sorted(set(titles))


def _nodes_for(store: Store, text: str) -> list[str]:
    """Task ids ("II.2.4", "corpus/x.txt#II.2.4") or document ids -> node IRIs."""
    src, _, tid = text.rpartition("#")
    if re.fullmatch(r"(?:[IVXLC]+|\d+|PL\d+)(?:\.[\w~]+)*", tid or text):
        rows = run(store, "tasks", IDS=[tid or text])
        if src:
            rows = [r for r in rows if r["source"] == src or r["source"].endswith(src)]
        if rows:
            if len({r["source"] for r in rows}) > 1:
                raise NotFound(f"task {text!r} is in several documents: "
                               + ", ".join(sorted({r['source'] for r in rows})) + "; write SOURCE#TASK")
            return [r["node"] for r in rows]
    keys = resolve(store, text)
    rows = store.query(named_query("keys"))
    return sorted({r["node"] for r in rows if r["key"] in keys})


# -- the three questions ----------------------------------------------------------------------

def cites(store: Store, text: str) -> list[dict[str, Any]]:
    keys = resolve(store, text)
    rows = run(store, "cites", KEYS=keys)
    return [{"kind": r["kind"], "id": r["id"], "label": r["label"], "source": r["source"], "line": r["line"],
             "relation": r["relation"], "cited": r["cited_label"], "quote": r["quote"]} for r in rows]


_PROP_NAMES = {"based_on": "căn cứ", "cites": "trích dẫn", "guides": "hướng dẫn", "amends": "sửa đổi, bổ sung",
               "replaces": "thay thế", "repeals": "bãi bỏ", "consolidates": "hợp nhất", "corrects": "đính chính"}


def _walk(store: Store, start: list[str], direction: str, transitive: bool, limit: int = 10000):
    """Breadth-first over typed edges; yields (node, depth, via node, property local name)."""
    seen = set(start)
    frontier = list(start)
    depth = 0
    while frontier and len(seen) < limit:
        depth += 1
        rows = []
        for i in range(0, len(frontier), 200):
            rows += run(store, "edges_out" if direction == "out" else "edges_in", NODES=frontier[i:i + 200])
        nxt = []
        for r in rows:
            node, via = (r["to"], r["from"]) if direction == "out" else (r["from"], r["to"])
            if node in seen:
                continue
            seen.add(node)
            nxt.append(node)
            prop = re.sub(r"^.*[#/]", "", r["prop"])
            yield node, depth, via, prop
        if not transitive:
            break
        frontier = nxt


def _rows(store: Store, walked: list[tuple[str, int, str, str]]) -> list[dict[str, Any]]:
    nodes = sorted({n for n, *_ in walked} | {v for _, _, v, _ in walked})
    info: dict[str, dict[str, Any]] = {}
    for i in range(0, len(nodes), 200):
        for r in run(store, "describe", NODES=nodes[i:i + 200]):
            info[r["node"]] = r
    out = []
    for node, depth, via, prop in walked:
        r = info.get(node, {})
        v = info.get(via, {})
        out.append({"kind": r.get("kind") or "document", "id": r.get("id") or node, "label": r.get("label"),
                    "source": r.get("source"), "depth": depth, "relation": _PROP_NAMES.get(prop, prop),
                    "via": v.get("id"), "replaced_by": r.get("replaced_by") or None,
                    "document": r.get("doc_label"), "quote": _quote(store, via, node)})
    return out


def _quote(store: Store, citer: str, cited: str) -> str | None:
    q = (f"PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#> SELECT ?q WHERE {{ "
         f"{{ ?m kg:citing {_iri(citer)} ; kg:cited {_iri(cited)} ; kg:quote ?q }} UNION "
         f"{{ ?m kg:nestedIn {_iri(citer)} ; kg:cited {_iri(cited)} ; kg:quote ?q }} UNION "
         f"{{ ?m kg:inDocument {_iri(citer)} ; kg:cited {_iri(cited)} ; kg:quote ?q }} }} LIMIT 1")
    rows = store.query(q)
    return rows[0]["q"] if rows else None


def deps(store: Store, text: str, transitive: bool = False) -> list[dict[str, Any]]:
    start = _nodes_for(store, text)
    return _rows(store, list(_walk(store, start, "out", transitive)))


def impact(store: Store, text: str) -> list[dict[str, Any]]:
    start = _nodes_for(store, text)
    return _rows(store, list(_walk(store, start, "in", True)))


def stats(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {name: run(store, name) for name in ("most_cited", "by_level_year", "tasks_without_basis",
                                                 "absent_documents")}


def id_of(identifier: str) -> str:
    return id_key(identifier)
