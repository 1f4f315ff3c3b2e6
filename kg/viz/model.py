"""The view model: what the graph page shows, built from extracted Documents.

The renderer reads only this structure, never Documents or the RDF store, so a loader from the
store can later fill the same nodes and edges and every page keeps working. It is plain dataclasses
(``to_dict`` gives JSON) on purpose.

Identity of a cited document inside one view: its number/symbol, plus the issuer (local bodies
all use "NQ-HĐND", "QĐ-UBND"), plus the year when the symbol has none ("01/QĐ-UBND" comes back
every January). A mention that lacks the issuer or the date joins the one node it can only mean;
the ids it would have had are kept as aliases so that links from an annotated text still land.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Iterable

from kg.extract.quote import quote_of, sentence_around  # noqa: F401  (sentence_around: re-exported)
from kg.models import Citation, Document, Task
from kg.resolve.issuers import level_of
from kg.viz.kinds import KINDS  # noqa: F401  (re-exported; the CLI reads kg.viz.kinds)

# based_on/cites/nested are the citation relations; the others tie tasks and agencies in.
RELATIONS = ("based_on", "cites", "nested", "part", "issued", "role")
MAX_QUOTES = 5  # per edge: the first few sentences are evidence enough, the count says the rest

TYPE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("law", ("hiến pháp", "bộ luật", "luật", "pháp lệnh", "lệnh")),
    ("decree", ("nghị định",)),
    ("resolution", ("nghị quyết", "nghị quyết liên tịch")),
    ("decision", ("quyết định",)),
    ("circular", ("thông tư", "thông tư liên tịch", "thông tư liên bộ")),
    ("directive", ("chỉ thị",)),
    ("plan", ("kế hoạch", "chương trình", "đề án", "chiến lược")),
)
LEVELS = ("central", "party", "province", "district", "commune", "unit")


@dataclass
class Quote:
    """The sentence a link was read from: the evidence a reader checks."""

    text: str
    source: str
    line: int = 0


@dataclass
class Node:
    id: str
    kind: str  # plan | document | task | agency
    label: str
    identifier: str | None = None
    title: str | None = None
    doc_type: str | None = None
    type_group: str | None = None
    date: str | None = None
    year: int | None = None
    issuer: str | None = None
    level: str | None = None  # issuer level for documents, own level for agencies
    subject: str | None = None
    source: str | None = None  # the file a plan (or a task) was read from
    text: str | None = None  # a task's own words, shortened
    owner: str | None = None  # a task's plan: the filters on the plan apply to its tasks
    href: str | None = None  # the overview's link to the node's neighbourhood (kg.serve.overview)
    mentions: int = 0
    aliases: list[str] = field(default_factory=list)


@dataclass
class Edge:
    id: str
    source: str
    target: str
    relation: str  # one of RELATIONS
    role: str | None = None  # an agency's role for relation "role"
    effect: str | None = None
    pinpoints: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    count: int = 0  # mentions behind the edge (quotes keep only MAX_QUOTES)
    # A plan -> document edge also stands for its tasks' citations ("via" those tasks), so that a
    # view without tasks still shows what the plan rests on; `direct` when the plan's own text cites.
    via: list[str] = field(default_factory=list)
    direct: bool = False


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"nodes": [asdict(n) for n in self.nodes.values()],
                "edges": [asdict(e) for e in self.edges.values()]}

    @classmethod
    def from_dict(cls, d: dict) -> "Graph":
        """The inverse of to_dict: what a loader from the store (or a JSON file) fills."""
        nodes = [Node(**n) for n in d.get("nodes", [])]
        edges = [Edge(**{**e, "quotes": [Quote(**q) for q in e.get("quotes", [])]}) for e in d.get("edges", [])]
        return cls({n.id: n for n in nodes}, {e.id: e for e in edges})

    def resolve(self, node_id: str) -> str | None:
        """The node an id (or an alias left by a merge) stands for."""
        if node_id in self.nodes:
            return node_id
        for n in self.nodes.values():
            if node_id in n.aliases:
                return n.id
        return None


# -- small helpers --------------------------------------------------------------------------------

def fold_search(s: str | None) -> str:
    """Lower-case, no diacritics, đ -> d: what a search box compares ("HDND" finds "HĐND")."""
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(ch for ch in s if not unicodedata.combining(ch)).lower().split())


def _key(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def type_group(doc_type: str | None) -> str:
    k = _key(doc_type or "")
    for group, names in TYPE_GROUPS:
        if k in names:
            return group
    return "other"


def _short(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


_YEAR_IN_ID = re.compile(r"(?:^|/)(?:19|20)\d\d(?:/|$)")


def doc_id(identifier: str | None, title: str | None, issuer: str | None, year: int | None) -> str:
    """The node id of a document; see the module docstring for why issuer and year take part."""
    if identifier:
        ident = "".join(identifier.split())
        nid = f"doc:{ident}"
        if issuer:
            nid += f"@{issuer}"
        if year and not _YEAR_IN_ID.search(ident):
            nid += f"@{year}"
        return nid
    return f"named:{_key(title or '?')}"


def _year(date: str | None, year: int | None) -> int | None:
    if year:
        return year
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    return None


# -- building -------------------------------------------------------------------------------------

class _Builder:
    def __init__(self) -> None:
        self.g = Graph()
        self.parts: dict[str, tuple[str, str | None, int | None]] = {}  # doc id -> (ident, issuer, year)

    def node(self, nid: str, kind: str, label: str, **fields) -> Node:
        n = self.g.nodes.get(nid)
        if n is None:
            n = self.g.nodes[nid] = Node(nid, kind, label)
        elif kind == "plan" and n.kind == "document":
            n.kind, n.label = "plan", label  # a cited document that is also an input
        for k, v in fields.items():
            if v not in (None, "", []) and getattr(n, k) in (None, "", []):
                setattr(n, k, v)
        return n

    def edge(self, src: str, dst: str, relation: str, role: str | None = None,
             quote: Quote | None = None, c: Citation | None = None) -> Edge | None:
        if src == dst:
            return None
        eid = f"{relation}:{role or ''}:{src}->{dst}"
        e = self.g.edges.get(eid)
        if e is None:
            e = self.g.edges[eid] = Edge(eid, src, dst, relation, role)
        e.count += 1
        if quote and len(e.quotes) < MAX_QUOTES and all(q.text != quote.text for q in e.quotes):
            e.quotes.append(quote)
        if c is not None:
            e.pinpoints.extend(p for p in c.pinpoints if p not in e.pinpoints)
            e.effect = e.effect or c.effect
        return e

    def agency(self, name: str, level: str | None = None) -> str:
        nid = f"agency:{name}"
        self.node(nid, "agency", _short(name, 48), title=name, level=level or level_of(name))
        return nid

    def document(self, c: Citation) -> str:
        year = _year(c.date, c.year)
        nid = doc_id(c.identifier, c.title, c.issuer, year)
        label = c.identifier or _short(c.title, 32) or "?"
        n = self.node(nid, "document", label, identifier=c.identifier, title=c.title, doc_type=c.doc_type,
                      type_group=type_group(c.doc_type), date=c.date, year=year, issuer=c.issuer,
                      level=level_of(c.issuer), subject=c.subject)
        n.mentions += 1
        if c.identifier:
            self.parts[nid] = ("".join(c.identifier.split()), c.issuer, year)
        if c.issuer:
            self.edge(self.agency(c.issuer), nid, "issued")
        return nid

    def add(self, doc: Document) -> None:
        h = doc.header
        year = _year(h.date, h.year)
        if h.identifier and h.number:
            pid = doc_id(h.identifier, None, h.issuer, year)
            self.parts[pid] = ("".join(h.identifier.split()), h.issuer, year)
        else:
            pid = f"plan:{doc.source}"
        label = h.identifier if h.identifier and h.number else _short(h.title or doc.source, 36)
        self.node(pid, "plan", label, identifier=h.identifier, title=h.title, doc_type=h.doc_type,
                  type_group=type_group(h.doc_type), date=h.date or h.date_partial, year=year, issuer=h.issuer,
                  level=level_of(h.issuer), source=doc.source)
        if h.issuer:
            self.edge(self.agency(h.issuer), pid, "issued")

        tasks = {t.id: t for t in doc.tasks}
        shown = _tasks_worth_showing(doc)
        task_ids = {t.id: f"task:{pid}#{t.id}" for t in doc.tasks if t.id in shown}
        for t in doc.tasks:
            if t.id in shown:
                self._task(doc, t, pid, task_ids)
        owner: dict[int, str] = {}
        for t in doc.tasks:
            for i in t.citations:
                if t.id in task_ids:
                    owner.setdefault(i, task_ids[t.id])

        cited = [self.document(c) for c in doc.citations]
        line_of = _line_index(doc.text)
        for i, c in enumerate(doc.citations):
            quote = Quote(quote_of(doc, c), doc.source, c.line or line_of(c.start))
            outer = _outer(doc.citations, cited, i)
            if outer is not None:
                self.edge(outer, cited[i], "nested", quote=quote, c=c)
                continue
            src = (task_ids.get(c.task) if c.task in tasks else owner.get(i)) or pid
            rel = c.relation if c.relation in RELATIONS else "cites"
            e = self.edge(src, cited[i], rel, quote=quote, c=c)
            if src == pid:
                if e is not None:
                    e.direct = True
                continue
            up = self.edge(pid, cited[i], rel, quote=quote, c=c)
            if up is not None:
                up.count -= 1  # the same mention, counted on the task's edge
                if src not in up.via:
                    up.via.append(src)

        linked = {f"agency:{ar.name}" for t in doc.tasks if t.id in task_ids for ar in t.agencies}
        for a in doc.agencies:
            aid = self.agency(a.name, a.level)
            if aid not in linked:
                self.edge(aid, pid, "role", role="mentioned")

    def _task(self, doc: Document, t: Task, pid: str, task_ids: dict[str, str]) -> None:
        nid = task_ids[t.id]
        words = t.text or t.action or t.heading  # its own words: a section heading names many tasks
        self.node(nid, "task", _short(f"{t.id} {words}", 30), title=t.heading, source=doc.source,
                  text=_short(t.text, 600), subject=t.action, owner=pid)
        parent = task_ids.get(t.parent) if t.parent else None
        self.edge(parent or pid, nid, "part")
        for ar in t.agencies:
            self.edge(self.agency(ar.name), nid, "role", role=ar.role)

    def merge_partial(self) -> None:
        """Fold a mention lacking issuer or year into the one fuller node it can only mean."""
        by_ident: dict[str, list[str]] = {}
        for nid, (ident, _, _) in self.parts.items():
            by_ident.setdefault(ident, []).append(nid)
        for nid, (ident, issuer, year) in list(self.parts.items()):
            if issuer and (year or _YEAR_IN_ID.search(ident)):
                continue
            fits = [o for o in by_ident[ident] if o != nid and o in self.g.nodes
                    and (issuer is None or self.parts[o][1] == issuer)
                    and (year is None or self.parts[o][2] in (None, year))]
            if len(fits) == 1 and nid in self.g.nodes:
                self._fold(nid, fits[0])

    def _fold(self, old: str, new: str) -> None:
        a, b = self.g.nodes.pop(old), self.g.nodes[new]
        b.aliases.extend([old, *a.aliases])
        for n in self.g.nodes.values():
            if n.owner == old:
                n.owner = new
        b.mentions += a.mentions
        if a.kind == "plan":
            b.kind, b.source = "plan", b.source or a.source
        for k in ("identifier", "title", "doc_type", "type_group", "date", "year", "issuer", "level", "subject"):
            if getattr(b, k) in (None, "") and getattr(a, k) not in (None, ""):
                setattr(b, k, getattr(a, k))
        for eid, e in list(self.g.edges.items()):
            if old not in (e.source, e.target):
                continue
            del self.g.edges[eid]
            src, dst = (new if e.source == old else e.source), (new if e.target == old else e.target)
            if src == dst:
                continue
            m = self.edge(src, dst, e.relation, e.role)
            if m is not None:
                m.count += e.count - 1
                m.quotes.extend(q for q in e.quotes if len(m.quotes) < MAX_QUOTES and q not in m.quotes)
                m.pinpoints.extend(p for p in e.pinpoints if p not in m.pinpoints)
                m.effect = m.effect or e.effect
                m.via.extend(v for v in e.via if v not in m.via)
                m.direct = m.direct or e.direct


NOT_TASKS = ("signature", "recipients")  # the signature block and "Nơi nhận": parts of the page, not work


def _tasks_worth_showing(doc: Document) -> set[str]:
    """Tasks that cite something or name an agency, and the tasks above them (never the signature
    block or the recipients: who signs is the document's issuer, not a task).

    A law's hundreds of clauses that cite nothing would bury the few that do; the annotated text
    still outlines every task.
    """
    parent = {t.id: t.parent for t in doc.tasks}
    cited = {c.task for c in doc.citations if c.task}
    keep: set[str] = set()
    for t in doc.tasks:
        if t.kind in NOT_TASKS:
            continue
        if t.citations or t.agencies or t.id in cited:
            tid: str | None = t.id
            while tid is not None and tid not in keep and tid in parent:
                keep.add(tid)
                tid = parent[tid]
    return keep


def _outer(cits: list[Citation], ids: list[str], i: int) -> str | None:
    """The node of the citation in whose subject citation i stands (nearest one before it)."""
    by = cits[i].cited_by
    if not by:
        return None
    for j in range(i - 1, -1, -1):
        if cits[j].key == by:
            return ids[j]
    return None


def _line_index(text: str):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    return line


def build_graph(docs: Iterable[Document]) -> Graph:
    """One view of many documents: shared cited documents and agencies become one node each."""
    b = _Builder()
    for d in docs:
        b.add(d)
    b.merge_partial()
    return b.g


# -- views ----------------------------------------------------------------------------------------

def subgraph(g: Graph, keep: set[str]) -> Graph:
    return Graph({k: n for k, n in g.nodes.items() if k in keep},
                 {k: e for k, e in g.edges.items() if e.source in keep and e.target in keep})


def only_kinds(g: Graph, kinds: Iterable[str]) -> Graph:
    kinds = set(kinds)
    return subgraph(g, {k for k, n in g.nodes.items() if n.kind in kinds})


def ego(g: Graph, centers: Iterable[str], depth: int = 2) -> Graph:
    """Everything within `depth` links of the centers, whatever the direction of the links."""
    adj: dict[str, set[str]] = {}
    for e in g.edges.values():
        adj.setdefault(e.source, set()).add(e.target)
        adj.setdefault(e.target, set()).add(e.source)
    seen = {c: 0 for c in centers if c in g.nodes}
    todo = deque(seen)
    while todo:
        n = todo.popleft()
        if seen[n] >= depth:
            continue
        for m in adj.get(n, ()):
            if m not in seen:
                seen[m] = seen[n] + 1
                todo.append(m)
    return subgraph(g, set(seen))


def find(g: Graph, query: str) -> list[str]:
    """Node ids for a number/symbol, an id or alias, or words of a title; best matches first."""
    if g.resolve(query):
        return [g.resolve(query)]  # type: ignore[list-item]
    q = fold_search(query)
    q_tight = q.replace(" ", "")
    exact, partial = [], []
    for n in g.nodes.values():
        ident = fold_search(n.identifier).replace(" ", "")
        if ident and ident == q_tight:
            exact.append(n.id)
            continue
        hay = fold_search(" ".join(x for x in (n.identifier, n.label, n.title, n.subject, n.issuer) if x))
        if q and (all(w in hay for w in q.split()) or (q_tight and q_tight in hay.replace(" ", ""))):
            partial.append(n.id)
    return exact or partial
