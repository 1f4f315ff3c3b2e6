"""The questions legal staff ask, as named SPARQL queries (kg/graph/queries/*.rq) and a walk.

`cites`: which tasks and documents cite X, each with its quoted sentence. `deps`: what a task or
document rests on, directly or through the documents it implements. `impact`: everything that
rests on X, transitively: what to review when X is replaced. A walk fetches the edges of the whole
chain in one query (so a remote store costs one round trip), then orders them here, breadth
first, so each row can say at what depth and through which document it was reached, and whether
a document on the way has been replaced, repealed or amended according to the graph.

Every row carries kind (task | document), id, label, source and quote.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from kg.graph import fill, iri, named_query, relation_properties

from kg.errors import NotFound  # re-exported: callers import it from here
from kg.grammar import grammar
from kg.ingest.normalize import fold_key, strip_accents
from kg.resolve.identity import loose_key

_TASK_ID = re.compile(r"(?:[IVXLC]+|\d+|PL\d+)(?:\.[\w~]+)*")
_BATCH = 200




def run(store, name: str, iris: dict[str, list[str]] | None = None,
        literals: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    return store.query(fill(named_query(name), iris, literals))


def _batched(store, name: str, param: str, values: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(0, len(values), _BATCH):
        rows += run(store, name, iris={param: values[i:i + _BATCH]})
    return rows


# -- resolving what the user typed --------------------------------------------------------------

def _plain_types() -> dict[str, list[str]]:
    """Every type word and code without diacritics ("nghi dinh", "ND") -> the type's codes: what a
    user types on a keyboard without Vietnamese input still names the type."""
    out: dict[str, list[str]] = {}
    for t in grammar().doc_types:
        codes = [strip_accents(c).upper() for c in (*t.codes, *t.party)]
        for w in (t.name, *t.words):
            out.setdefault(strip_accents(fold_key(w)).lower(), codes)
        for c in codes:
            out.setdefault(c.lower(), codes)
    return out


def _type_codes(text: str) -> list[str]:
    """Type codes a user may have typed: "NQ", "NĐ", or the words "Nghị quyết", "nghi dinh"."""
    table = _plain_types()
    words = strip_accents(fold_key(re.sub(r"\d.*$", "", text))).lower().replace("số", "").split()
    words = [w for w in words if w != "so"]
    codes: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):  # the longest type phrase first ("nghi quyet lien tich")
            hit = table.get(" ".join(words[i:j]))
            if hit:
                codes += hit
                i = j
                break
        else:
            i += 1
    return codes


def resolve(store, text: str) -> list[str]:
    """Loose input -> the identifier keys (or titles) it names.

    "42/2022/NQ-HĐND", "42/2022/nq-hdnd", "Nghị quyết 42/2022/NQ-HĐND" and "NQ 42/2022" all name
    42/2022/NQ-HĐND; "Nghị định 55" names every Nghị định numbered 55; a law's title names the law.
    """
    if not text.strip():
        raise NotFound("give a number/symbol (42/2022/NQ-HĐND), a task id or words of a title")
    want = loose_key(text)
    if run(store, "lookup", literals={"KEYS": [want]}):
        return [want]
    if re.search(r"\d", text):
        num = want if "/" in want or "-" in want else (re.search(r"\d[\d.]*", text).group(0))
        rows = run(store, "keys_prefix", literals={"PREFIX": [num]})
        pref = [r["key"] for r in rows if r["key"][len(num):len(num) + 1] in ("/", "-", "")]
        codes = _type_codes(text)
        if codes:
            narrowed = [k for k in pref if any(c in re.split(r"[-/.]", k) for c in codes)]
            if not narrowed:
                narrowed = [k for k in pref if all(c in k for c in codes)]
            if pref and not narrowed:  # the type the user wrote is not among them: say so, do not swap it
                raise NotFound(f"no document numbered like {text!r} of that type in the graph; numbered alike: "
                               + ", ".join(sorted(set(pref))[:5]))
            pref = narrowed
        if pref:
            return sorted(set(pref))
        if re.search(r"\d[\d.]*\s*[/-]", text):
            raise NotFound(f"no document numbered like {text!r} in the graph")
    t = fold_key(text)  # a title, which may hold a year ("... năm 2023")
    titles = [r["key"] for r in run(store, "titles")]
    hits = [k for k in titles if fold_key(k) == t] or [k for k in titles if t in fold_key(k)]
    if not hits:
        plain = strip_accents(t)
        hits = [k for k in titles if plain in strip_accents(fold_key(k))]
    if not hits:
        raise NotFound(f"no document titled like {text!r} in the graph")
    return sorted(set(hits))


def nodes_for(store, text: str) -> list[str]:
    """A task ("II.2.4", "SOURCE#II.2.4", words of its text), a document id or title, or an IRI -> nodes."""
    if re.match(r"https?://", text):
        try:
            node = iri(text)
        except ValueError as e:
            raise NotFound(str(e)) from None
        rows = store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")
        if not rows or not rows[0].get("result"):
            raise NotFound(f"no node {text} in the graph")
        return [text]
    src, _, tid = text.rpartition("#")
    if _TASK_ID.fullmatch(tid or text):
        rows = run(store, "tasks", literals={"IDS": [tid or text]})
        if src:
            rows = [r for r in rows if r["source"] == src or r["source"].endswith(src)]
        if rows:
            if len({r["source"] for r in rows}) > 1:
                raise NotFound(f"task {text!r} is in several documents: "
                               + ", ".join(sorted({r['source'] for r in rows})) + "; write SOURCE#TASK")
            return [r["node"] for r in rows]
        if "." in text or re.fullmatch(r"[IVXLC]+", text):  # "II.9.9" can only be a task ("55" may be a number)
            raise NotFound(f"no task {text!r} in the graph")
    try:
        keys = resolve(store, text)
    except NotFound:
        if len(text) < 12:
            raise
        return [_one_task(store, text)]
    return sorted({r["node"] for r in run(store, "nodes_by_key", literals={"KEYS": keys})})


def _plain(s: str) -> str:
    return strip_accents(fold_key(s)).replace("đ", "d")


def task_search(store, text: str) -> list[dict[str, Any]]:
    """Tasks whose text holds every word of ``text`` (diacritics optional), best first: the whole
    phrase as typed, then the phrase without diacritics, then the words as typed, then shorter."""
    words = [w for w in re.findall(r"\w+", fold_key(text))]
    if not words:
        raise NotFound("give some words of the task")
    plain_words = [_plain(w) for w in words]
    phrase, plain_phrase = " ".join(words), " ".join(plain_words)
    scored = []
    for r in run(store, "task_search"):
        label = " ".join(fold_key(r["label"]).split())
        plain = _plain(label)
        toks = set(re.findall(r"\w+", plain))
        if not all(w in toks for w in plain_words):
            continue
        exact = set(re.findall(r"\w+", label))
        rank = (phrase not in label, plain_phrase not in plain, -sum(w in exact for w in words), len(label),
                r["source"], r["id"])
        scored.append((rank, r))
    return [r for _, r in sorted(scored, key=lambda x: x[0])]


def _one_task(store, text: str) -> str:
    hits = task_search(store, text)
    if not hits:
        raise NotFound(f"no task matches {text!r} (every word must be in the task's text)")
    if len(hits) > 1:
        best = [r for r in hits if fold_key(text) in " ".join(fold_key(r["label"]).split())]
        if len(best) == 1:
            return best[0]["node"]
        raise NotFound(f"{len(hits)} tasks match {text!r}; best first: "
                       + ", ".join(f"{r['source']}#{r['id']}" for r in hits[:5]) + "; name one as SOURCE#TASK")
    return hits[0]["node"]


# -- the three questions ----------------------------------------------------------------------

def relation_labels(store) -> dict[str, dict[str, str]]:
    """notation -> {vi, en, property}, read from the vocabulary graph in the store."""
    return {r["notation"]: r for r in run(store, "relation_labels")}


_ONE = ("kind", "label", "task_id", "id_local", "title", "type", "source", "date", "place", "issuer", "doc_label",
        "in_corpus")
_MANY = ("replaced_by", "repealed_by", "amended_by")


def describe(store, nodes: list[str]) -> dict[str, dict[str, Any]]:
    """node -> what the graph knows of it (describe.rq's rows, one per fact, folded per node)."""
    facts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in _batched(store, "describe", "NODES", sorted(set(nodes))):
        facts[r["node"]][r["field"]].add(r["value"])
    out = {}
    for node, f in facts.items():
        d: dict[str, Any] = {k: (min(f[k], key=str) if f.get(k) else None) for k in _ONE}
        d["id"] = d["task_id"] or d["id_local"] or d["label"]
        for k in _MANY:
            d[k] = "; ".join(sorted(f.get(k, ())))
        out[node] = d
    return out


def cites(store, text: str, on: str | None = None) -> list[dict[str, Any]]:
    keys = resolve(store, text)
    labels = relation_labels(store)
    rows = run(store, "cites", literals={"KEYS": keys})
    info = describe(store, [r["citer"] for r in rows] + [r["cited"] for r in rows])
    out = []
    for r in rows:
        citer, cited = info.get(r["citer"], {}), info.get(r["cited"], {})
        out.append({"kind": citer.get("kind") or "document", "id": citer.get("id") or r["source"],
                    "label": _label(citer), "source": r["source"], "line": r["line"], "relation": r["relation"],
                    "relation_vi": (labels.get(r["relation"]) or {}).get("vi"), "cited": cited.get("label"),
                    "cited_date": cited.get("date"), "cited_place": cited.get("place"),
                    "document": citer.get("doc_label"), "quote": r["quote"], "surface": r["surface"],
                    "chain": [r["cited"], r["citer"]]})
    return _on(store, out, on, "cites")


class _SameAs:
    """Spellings of one document (kg.graph.links) collapse to one node in walks and rows."""

    def __init__(self, store):
        self.canon: dict[str, str] = {}
        for r in run(store, "same_as"):
            self.canon[r["a"]] = r["b"]

    def __call__(self, node: str) -> str:
        seen = 0
        while node in self.canon and seen < 8:
            node, seen = self.canon[node], seen + 1
        return node


def _walk(store, start: list[str], direction: str, transitive: bool):
    """Breadth first over the chain's edges; yields (node, depth, parent, prop, raw edge)."""
    same = _SameAs(store)
    name = "impact" if direction == "in" else ("deps_transitive" if transitive else "deps")
    edges = _batched(store, name, "NODES", start)
    adj: dict[str, list[tuple[str, str, tuple[str, str]]]] = defaultdict(list)
    # one pair may be joined twice (a citation, and the act its sentence performs): the act first
    plain = {relation_properties()["based_on"], relation_properties()["cites"]}
    for e in sorted(edges, key=lambda e: (e["from"], e["to"], e["prop"] in plain, e["prop"])):
        a, b = same(e["from"]), same(e["to"])
        if a == b:
            continue
        if direction == "out":
            adj[a].append((b, e["prop"], (e["from"], e["to"])))
        else:
            adj[b].append((a, e["prop"], (e["from"], e["to"])))
    starts = [same(s) for s in start]
    seen = set(starts)
    frontier, depth = list(dict.fromkeys(starts)), 0
    while frontier:
        depth += 1
        nxt = []
        for node in frontier:
            for other, prop, raw in adj.get(node, ()):
                if other in seen:
                    continue
                seen.add(other)
                nxt.append(other)
                yield other, depth, node, prop, raw
        if not transitive:
            break
        frontier = nxt


def _status(info: dict[str, Any]) -> str:
    parts = []
    for key, word in (("replaced_by", "replaced by"), ("repealed_by", "repealed by"), ("amended_by", "amended by")):
        if info.get(key):
            parts.append(f"{word} {info[key]}")
    return "; ".join(parts)


def _label(info: dict[str, Any]) -> str | None:
    """A document's number and what it is about; a task's text."""
    label, title = info.get("label"), info.get("title")
    if title and label and title != label and info.get("kind") != "task":
        return f"{label}: {title}"
    return label or title


def _quotes(store, wanted: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """quote.rq for the (citer, cited) links of a walk, in batches of pairs (a VALUES block of
    tuples, which `fill` does not write)."""
    pairs = sorted(wanted)
    rows: list[dict[str, Any]] = []
    for i in range(0, len(pairs), _BATCH):
        block = " ".join(f"({iri(a)} {iri(b)})" for a, b in pairs[i:i + _BATCH])
        rows += store.query(named_query("quote").replace("$PAIRS", block))
    return rows


def _rows(store, walked: list[tuple], start: list[str]) -> list[dict[str, Any]]:
    info = describe(store, [n for n, *_ in walked] + [p for _, _, p, _, _ in walked] + list(start))
    prop_to_rel = {r["property"]: (n, r.get("vi")) for n, r in relation_labels(store).items() if r.get("property")}
    wanted = {raw for *_, raw in walked}
    quotes: dict[tuple[str, str], dict[str, Any]] = {}
    rows = _quotes(store, wanted)
    for r in sorted(rows, key=lambda r: (r["how"], r["line"], r["quote"])):  # own mention first, then nested
        if (r["citer"], r["cited"]) in wanted:
            quotes.setdefault((r["citer"], r["cited"]), r)
    parent: dict[str, str] = {}
    out = []
    for node, depth, via, prop, raw in walked:
        parent[node] = via
        chain = [node]
        while chain[-1] in parent and len(chain) < 64:
            chain.append(parent[chain[-1]])
        chain.reverse()
        r, v = info.get(node, {}), info.get(via, {})
        ids = [info.get(n, {}).get("id") or n for n in chain]
        warnings = [f"{info.get(n, {}).get('id') or n}: {_status(info.get(n, {}))}" for n in chain[1:]
                    if n != node and _status(info.get(n, {}))]
        rel, rel_vi = prop_to_rel.get(prop, (re.sub(r"^.*[#/]", "", prop), None))
        q = quotes.get(raw, {})
        out.append({"kind": r.get("kind") or "document", "id": r.get("id") or node, "label": _label(r),
                    "source": r.get("source") or q.get("source"), "depth": depth, "relation": rel,
                    "relation_vi": rel_vi, "via": v.get("id") or via, "path": " > ".join(ids),
                    "status": _status(r), "warning": "; ".join(warnings), "document": r.get("doc_label"),
                    "quote": q.get("quote"), "line": q.get("line"), "node": node, "chain": chain})
    return out


def _items(store, start: list[str]) -> dict[str, str]:
    """item node -> the start node it is an item of (at any depth)."""
    out: dict[str, str] = {}
    for r in sorted(_batched(store, "deps_items", "NODES", start), key=lambda r: (r["start"], r["item"])):
        out.setdefault(r["item"], r["start"])
    return out


def deps(store, text: str, transitive: bool = False, on: str | None = None) -> list[dict[str, Any]]:
    """What a task or document rests on; for a parent task also what its items rest on, each such
    row marked `through` the item ("Tiếp tục:" rests on what its "+" items cite)."""
    start = nodes_for(store, text)
    items = _items(store, start)
    walked = list(_walk(store, start + sorted(items), "out", transitive))
    rows = _rows(store, walked, start + sorted(items))
    ids = {n: i.get("id") or n for n, i in describe(store, sorted(items)).items()}
    parent = {node: via for node, _, via, *_ in walked}
    for r, (node, *_) in zip(rows, walked):
        root, hops = parent[node], 0
        while root in parent and hops < 64:
            root, hops = parent[root], hops + 1
        r["through"] = ids.get(root, root) if root in items else None
    return _on(store, rows, on, "deps")


_INVOLVED = ("lead", "partner", "advised", "reports_to", "assigned", "guidance")


def agencies_named(store, text: str) -> list[dict[str, Any]]:
    """Agencies whose name matches ``text`` loosely: the same name (diacritics, case and
    abbreviations aside), else every agency whose name holds all its words."""
    from kg.extract.agencies import find_mentions
    from kg.ingest.normalize import fold_string
    from kg.resolve.issuers import Jurisdiction

    from kg.extract.agencies import gazetteer

    by_phrase = gazetteer().by_phrase  # "UBND" -> Ủy ban nhân dân, "Sở KH&CN" ...
    text = " ".join(by_phrase[fold_key(w)][0].name if len(w) <= 6 and w.isalpha() and _plain(w) == fold_key(w)
                    and fold_key(w) in by_phrase else w for w in text.split())  # an abbreviation, in any case
    words = re.findall(r"\w+", _plain(text))
    if not words:
        raise NotFound("give an agency's name (Sở Tài chính, UBND tỉnh Tây Ninh)")
    rows = run(store, "agencies")
    spelled = {m.name for m in find_mentions(fold_string(text), 0, len(fold_string(text)), Jurisdiction(), None)}
    same = [r for r in rows if r["name"] in spelled or _plain(r["name"]) == _plain(text)]
    if same:
        return same
    hits = [r for r in rows if all(w in re.findall(r"\w+", _plain(r["name"])) for w in words)]
    if not hits:
        raise NotFound(f"no agency named like {text!r} in the graph")
    first = [r for r in hits if _plain(r["name"]).startswith(" ".join(words))]  # "Sở Khoa học": not its Văn phòng
    return sorted(first or hits, key=lambda r: (len(r["name"]), r["name"]))


def agency(store, text: str) -> list[dict[str, Any]]:
    """The tasks an agency leads, partners on, is advised on (or reported to, assigned) and the
    regulations each rests on (its own citations and its items')."""
    named = agencies_named(store, text)
    rows = _batched(store, "agency_tasks", "NODES", [r["agency"] for r in named])
    names = {r["agency"]: r["name"] for r in named}
    tasks = sorted({r["task"] for r in rows})
    items = _items(store, tasks)
    rests: dict[str, list[str]] = defaultdict(list)
    same = _SameAs(store)
    edges = _batched(store, "deps", "NODES", tasks + sorted(items))
    info = describe(store, sorted({same(e["to"]) for e in edges}))
    for e in sorted(edges, key=lambda e: (e["from"], e["to"])):
        owner = items.get(e["from"], e["from"])
        label = info.get(same(e["to"]), {}).get("label") or e["to"]
        if label not in rests[owner]:
            rests[owner].append(label)
    order = {r: i for i, r in enumerate(_INVOLVED)}
    out = [{"agency": names[r["agency"]], "role": r["role"], "kind": "task", "id": r["id"], "label": r["label"],
            "source": r["source"], "rests_on": "; ".join(rests.get(r["task"], [])), "node": r["task"]}
           for r in rows]
    return sorted(out, key=lambda r: (r["agency"], order.get(r["role"], 9), r["source"], r["id"]))


def impact(store, text: str, on: str | None = None) -> list[dict[str, Any]]:
    rows = impact_nodes(store, nodes_for(store, text))
    return _on(store, rows, on, "impact")


def impact_nodes(store, start: list[str]) -> list[dict[str, Any]]:
    """Everything that rests on the given nodes, transitively (the walk of `impact`)."""
    return _rows(store, list(_walk(store, start, "in", True)), start)


def _on(store, rows: list[dict[str, Any]], on: str | None, walk: str) -> list[dict[str, Any]]:
    """With a date, every document on the way not in force on it is marked (kg.graph.timeline)."""
    if on is not None:
        from kg.graph.timeline import mark_rows

        mark_rows(store, rows, on, walk)
    for r in rows:
        r.pop("chain", None)
    return rows


STATS = ("stats", "most_cited", "by_level_year", "tasks_without_basis", "absent_documents")


def _stats_order() -> dict[str, Any]:
    """Sort keys that repeat each stats query's ORDER BY in Python. Servers order ties, aggregate
    aliases and mixed types (a year or "unknown") each their own way (Virtuoso ignores ORDER BY on
    a SAMPLE alias), so the same graph gives the same rows in the same order on every store."""
    whats = re.findall(r'\("([^"]+)" AS \?what\)', named_query("stats"))
    return {"stats": lambda r: (whats.index(r["what"]) if r["what"] in whats else len(whats), r["what"]),
            "by_level_year": lambda r: (str(r["level"]), isinstance(r["year"], int), -(r["year"] or 0)
                                        if isinstance(r["year"], int) else 0),
            "tasks_without_basis": lambda r: (str(r["source"]), str(r["id"])),
            "absent_documents": lambda r: (-int(r["citing_documents"]), str(r["id"]), str(r["date"]))}


MOST_CITED = 25


def top_with_ties(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The n most cited, and every row tied with the n-th (same documents and mentions)."""
    def rank(r):
        return (-int(r["citing_documents"]), -int(r["mentions"]))

    rows = sorted(rows, key=lambda r: (*rank(r), str(r["id"])))
    if len(rows) <= n:
        return rows
    last = rank(rows[n - 1])
    return [r for i, r in enumerate(rows) if i < n or rank(r) == last]


def stats(store) -> dict[str, list[dict[str, Any]]]:
    order = _stats_order()
    out = {name: sorted(run(store, name), key=order[name]) if name in order else run(store, name) for name in STATS}
    out["most_cited"] = top_with_ties(out["most_cited"], MOST_CITED)
    info = describe(store, [r["node"] for r in out["most_cited"] + out["absent_documents"]])
    for r in out["most_cited"] + out["absent_documents"]:
        # the smallest label by code point, not by the server's collation (Virtuoso's MIN folds case
        # and punctuation), so every store shows the same spelling
        r["id"] = info.get(r["node"], {}).get("label") or r["id"]
    out["absent_documents"] = sorted(({k: v for k, v in r.items() if k != "node"} for r in out["absent_documents"]),
                                     key=order["absent_documents"])
    out["most_cited"] = [{"id": r["id"], "type": info.get(r["node"], {}).get("type"),
                          "issuer": info.get(r["node"], {}).get("issuer"), "citing_documents": r["citing_documents"],
                          "mentions": r["mentions"], "in_corpus": bool(info.get(r["node"], {}).get("in_corpus"))}
                         for r in out["most_cited"]]
    out["most_cited"].sort(key=lambda r: (-int(r["citing_documents"]), -int(r["mentions"]), str(r["id"])))
    return out
