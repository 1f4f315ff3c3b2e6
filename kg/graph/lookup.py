"""What a person types -> the nodes it names: the one resolver behind every way of asking.

`kg cites`, `kg deps`, `kg impact`, `kg sparql -p KEYS=… / NODES=…`, the explorer's search box and
`/graph?focus=` all come here, so "nghi dinh 55/2011/nd-cp", "NĐ 55/2011", "Nghị quyết 42",
"42/2022/NQ-HĐND" (with Đ or D), a law's title, a task's words or an agency's name mean the same
thing everywhere. Numbers go through `kg.graph.query.resolve` (the identity keys of kg.resolve),
tasks through its task search, agencies through its agency names.

Several matches are returned as a list of choices, best first, for the caller to show: a page
lists them, the command line names them; nothing here picks one of several for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import NotFound
from kg.graph.query import (_TASK_ID, _plain, agencies_named, describe, nodes_for, resolve, run, task_search)
from kg.ingest.normalize import fold_key

KINDS = ("document", "task", "agency")


@dataclass
class Match:
    """One thing the input may mean, with what a person needs to tell it from the others."""

    kind: str  # document | task | agency
    node: str  # its IRI in the graph
    label: str
    detail: str = ""  # a document's title, a task's document, an agency's role count
    source: str | None = None  # the file a task (or a document of the corpus) was read from
    in_corpus: bool = False


@dataclass
class Lookup:
    text: str
    matches: list[Match] = field(default_factory=list)
    total: int = 0  # matches before `limit`: a list says when it was cut
    reason: str = ""  # why nothing matched, or why a number fell back to words

    @property
    def ambiguous(self) -> bool:
        return len({m.node for m in self.matches}) > 1

    def nodes(self) -> list[str]:
        return list(dict.fromkeys(m.node for m in self.matches))

    def choices(self, n: int = 8) -> str:
        """The matches as one line for an error message: the command line's choice list."""
        shown = "; ".join(f"{m.label}" + (f" ({m.detail})" if m.detail else "") for m in self.matches[:n])
        more = f"; … {self.total - n} more" if self.total > n else ""
        return shown + more


def _documents(store, nodes: list[str]) -> list[Match]:
    info = describe(store, nodes)
    out = []
    for n in nodes:
        d = info.get(n, {})
        title = d.get("title") if d.get("title") != d.get("label") else ""
        out.append(Match("document", n, d.get("label") or n, title or "", d.get("source"), bool(d.get("in_corpus"))))
    return sorted(out, key=lambda m: (not m.in_corpus, m.label))


def document_search(store, text: str) -> list[str]:
    """Documents whose number or title holds every word (diacritics optional), best first."""
    words = [_plain(w) for w in re.findall(r"\w+", fold_key(text))]
    if not words:
        return []
    scored = []
    for r in run(store, "documents_search"):
        hay = _plain(" ".join(x for x in (r["label"], r.get("title")) if x))
        toks = set(re.findall(r"\w+", hay))
        if all(w in toks for w in words):
            scored.append(((" ".join(words) not in hay, len(hay), r["label"]), r["node"]))
    return list(dict.fromkeys(n for _, n in sorted(scored)))


def lookup(store, text: str, kinds: tuple[str, ...] = KINDS, limit: int = 50) -> Lookup:
    """Everything `text` may name, documents first, then tasks, then agencies.

    A number/symbol that names documents gives only those (the tasks citing them are the
    document's page); otherwise the words are looked for in titles, tasks and agency names."""
    text = text.strip()
    res = Lookup(text)
    if not text:
        res.reason = "give a number/symbol (42/2022/NQ-HĐND), a task id, or words of a title, task or agency"
        return res
    found: list[Match] = []
    numbered = bool(re.search(r"\d", text))
    if re.match(r"https?://", text) or (_TASK_ID.fullmatch(text.rpartition("#")[2]) and "." in text):
        try:  # an IRI or a task id: nodes_for decides, as `kg deps` does
            nodes = nodes_for(store, text)
        except NotFound as e:
            res.reason = str(e)
            return res
        found = _described(store, nodes)
    else:
        if "document" in kinds:
            try:
                keys = resolve(store, text)
                nodes = sorted({r["node"] for r in run(store, "nodes_by_key", literals={"KEYS": keys})})
                found = _documents(store, nodes)
            except NotFound as e:
                res.reason = str(e)
                if not numbered or len(text) >= 12:
                    found = _documents(store, document_search(store, text)[:limit * 2])
        if not found or not numbered:
            extra: list[Match] = []
            if "agency" in kinds and not numbered:
                try:
                    extra += [Match("agency", r["agency"], r["name"]) for r in agencies_named(store, text)]
                except NotFound:
                    pass
            if "task" in kinds and len(text) >= 3:
                try:
                    extra += [Match("task", r["node"], f"{r['id']} {r['label']}", r["source"], r["source"])
                              for r in task_search(store, text)]
                except NotFound:
                    pass
            found += extra
    found = [m for m in found if m.kind in kinds]
    if not numbered:  # the words as typed (with their diacritics) before the same letters without them
        phrase = " ".join(fold_key(text).split())
        found.sort(key=lambda m: phrase not in " ".join(fold_key(m.label).split()))
    res.total = len(found)
    res.matches = found[:limit]
    if found and not numbered:
        res.reason = ""
    elif not found and not res.reason:
        res.reason = f"nothing in the graph is numbered, titled or named like {text!r}"
    return res


def _described(store, nodes: list[str]) -> list[Match]:
    info = describe(store, nodes)
    out = []
    for n in nodes:
        d = info.get(n, {})
        kind = d.get("kind") or ("agency" if "/agency/" in n else "document")
        label = f"{d.get('task_id')} {d.get('label')}" if kind == "task" else (d.get("label") or n)
        out.append(Match(kind, n, label, d.get("doc_label") or d.get("title") or "", d.get("source"),
                         bool(d.get("in_corpus"))))
    return out


def one(store, text: str, kinds: tuple[str, ...] = KINDS) -> Match:
    """Exactly one node, or NotFound naming the choices: for callers that need a single node."""
    res = lookup(store, text, kinds)
    if not res.matches:
        raise NotFound(res.reason)
    if res.ambiguous:
        raise NotFound(f"{res.total} things match {text!r}; say which: {res.choices()}")
    return res.matches[0]


def param_values(store, name: str, values: list[str]) -> list[str]:
    """Values for a named query's $NAME typed as a person would: $KEYS takes identifier keys
    ("nghi dinh 55/2011/nd-cp" -> 55/2011/ND-CP, as `kg cites`), $NODES takes IRIs (a number, a
    task or an agency's name -> its node, or the choices); $PREFIX the key prefix; others as given."""
    if name == "KEYS":
        return [k for v in values for k in resolve(store, v)]
    if name == "PREFIX":
        from kg.resolve.identity import loose_key

        return [loose_key(v) for v in values]
    if name == "NODES":
        out = []
        for v in values:
            if re.match(r"https?://", v):
                out.append(v)
                continue
            res = lookup(store, v)
            if not res.matches:
                raise NotFound(res.reason)
            kinds = {m.kind for m in res.matches}
            if res.ambiguous and not (kinds == {"document"} and re.search(r"\d", v)):
                raise NotFound(f"{res.total} things match {v!r}; give one of: {res.choices()}")
            out += res.nodes()
        return out
    return values
