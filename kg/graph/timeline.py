"""A document's validity in time: the one place that decides whether it is in force on a date.

Three kinds of fact feed it, each kept with its source and words: the document's own "có hiệu
lực" clause (eli:first_date_entry_in_force), the acts the corpus's operative texts perform on it
(amends, replaces, repeals, suspends, whole or on named provisions, effective on a date;
timeline.rq), and rows of registry tables the user supplies (kg.check's readers). `Timeline.on`
gives the status on a date from each source apart, then one status: where a source with evidence
(an act, a registry row) disagrees with another, the status is "disputed" and both are shown,
never one chosen silently. A document the corpus does not act on and no table names is "in force"
as far as the graph knows, which counts as no evidence against a table.

The build writes what does not depend on the date into a graph of its own (`timeline_ntriples`,
ELI's eli:date_no_longer_in_force, eli:repealed_by, eli:amended_by, eli:changed_by), so SPARQL
users read it without this module; the statuses on a date are computed here.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from kg.graph import named_query
from kg.resolve.identity import BASE

TIMELINE_GRAPH = f"{BASE}/graph/timeline"
TIMELINE_SOURCE = "<timeline>"
_ELI = "http://data.europa.eu/eli/ontology#"
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_BATCH = 200


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).parent / "data" / "validity.yaml").read_text(encoding="utf-8"))


def label(status: str, lang: str = "vi") -> str:
    return table()["statuses"].get(status, {}).get(lang, status)


def act_label(act: str | None, lang: str = "vi") -> str | None:
    """What an act is called: the relation table's words (kg/grammar/data/relations.yaml)."""
    from kg.graph.vocab import relation_table

    if act == "entry_into_force":
        return "có hiệu lực" if lang == "vi" else "enters into force"
    return next((r[lang] for r in relation_table() if r["id"] == act), act)


@dataclass(frozen=True)
class Fact:
    """One dated fact about a document, with where it comes from and the words that make it true."""

    kind: str  # entry | act | registry
    date: str | None  # the day it takes effect (ISO), None when no source says
    act: str | None = None  # amends | replaces | repeals | suspends, or the registry's status word
    by: str | None = None  # the acting document's number, or the registry's replacing documents
    scope: tuple[str, ...] = ()  # provisions a partial act falls on; () is the whole document
    source: str = ""  # file (or table) it was read from
    line: int | None = None
    quote: str = ""
    by_node: str | None = None  # the acting document's IRI (acts only)

    @property
    def status(self) -> str:
        """What this fact makes of the document from its date on."""
        if self.kind == "entry":
            return "in_force"
        if self.kind == "registry":
            return table()["registry"].get(self.act or "", "unknown")
        return table()["acts"][self.act]["part" if self.scope else "whole"]

    def evidence(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        what = f"{self.act} {self.by}" if self.by else (self.act or self.kind)
        if self.kind == "registry":
            what = f"registry: {self.act}" + (f" by {self.by}" if self.by else "")
        scope = f" ({'; '.join(self.scope)})" if self.scope else ""
        return f"{what}{scope}, {self.date or '?'} [{where}]"


@dataclass
class StatusOn:
    """The status of one document on one day, from each source and as one answer."""

    on: str
    status: str
    status_vi: str
    decided_by: list[Fact] = field(default_factory=list)  # the facts that make the status
    gone: list[str] = field(default_factory=list)  # provisions no longer in force
    amended: list[str] = field(default_factory=list)  # provisions (or "whole") amended by then
    sources: dict[str, str] = field(default_factory=dict)  # source kind ("corpus", a table) -> status

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["decided_by"] = [asdict(f) for f in self.decided_by]
        return d

    def evidence(self) -> str:
        return "; ".join(f.evidence() for f in self.decided_by)


@dataclass
class Timeline:
    """Everything known about one document's validity, in date order."""

    node: str
    identifier: str | None
    entry: list[Fact] = field(default_factory=list)
    acts: list[Fact] = field(default_factory=list)
    registry: list[Fact] = field(default_factory=list)

    def facts(self) -> list[Fact]:
        return sorted(self.entry + self.acts + self.registry, key=lambda f: (f.date or "9999", f.kind, f.by or ""))

    def replaced_by(self) -> list[str]:
        return sorted({f.by for f in self.acts if f.act in ("replaces", "repeals") and not f.scope and f.by})

    def no_longer_in_force(self) -> str | None:
        """The first day a whole repeal or replacement of the corpus takes effect."""
        days = [f.date for f in self.acts if f.status == "not_in_force" and f.date]
        return min(days) if days else None

    def on(self, day: str | date | None = None) -> StatusOn:
        day = (day or date.today()).isoformat() if isinstance(day, (date, type(None))) else str(day)
        verdicts: dict[str, tuple[str, list[Fact]]] = {"corpus": self._corpus_on(day)}
        for name, facts in _by_table(self.registry).items():
            verdicts[name] = _registry_on(facts, day)
        evident = {k: v for k, v in verdicts.items() if v[1] and (k != "corpus" or any(f.kind == "act" for f in v[1])
                                                                  or v[0] == "not_yet")}
        statuses = {v[0] for v in evident.values()}
        if len(statuses) > 1:
            status = "disputed"
        elif statuses:
            status = statuses.pop()
        else:
            status = verdicts["corpus"][0]
        decided = [f for k, v in (evident or verdicts).items() for f in v[1]]
        past = [f for f in self.acts if f.date is None or f.date <= day]
        gone = sorted({p for f in past if f.status == "partly" for p in f.scope})
        amended = sorted({p for f in past if f.act == "amends" for p in (f.scope or ("whole",))})
        return StatusOn(on=day, status=status, status_vi=label(status), decided_by=decided, gone=gone,
                        amended=amended, sources={k: v[0] for k, v in verdicts.items()})

    def _corpus_on(self, day: str) -> tuple[str, list[Fact]]:
        entry = min((f for f in self.entry if f.date), key=lambda f: f.date, default=None)
        if entry is not None and day < entry.date:
            return "not_yet", [entry]
        past = [f for f in self.acts if f.date is None or f.date <= day]
        for st in ("not_in_force", "suspended", "partly"):
            hit = [f for f in past if f.status == st]
            if hit:
                return st, hit
        amends = [f for f in past if f.act == "amends"]
        return "in_force", amends or ([entry] if entry else [])

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node, "identifier": self.identifier, "facts": [asdict(f) for f in self.facts()],
                "replaced_by": self.replaced_by(), "no_longer_in_force": self.no_longer_in_force()}


def _by_table(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.source.rsplit(":", 1)[0], []).append(f)
    return out


def _registry_on(facts: list[Fact], day: str) -> tuple[str, list[Fact]]:
    """A table's word on the day: a change it dates later than the day does not count yet."""
    for f in facts:
        if f.status in ("not_in_force", "partly") and (f.date is None or f.date <= day):
            return f.status, [f]
    known = [f for f in facts if f.status != "unknown"]
    if known:
        return "in_force", known
    return "unknown", []


# -- reading the facts --------------------------------------------------------------------------

def _rows(store, name: str, nodes: list[str]) -> list[dict[str, Any]]:
    from kg.graph import fill

    out: list[dict[str, Any]] = []
    for i in range(0, len(nodes), _BATCH):
        out += store.query(fill(named_query(name), {"NODES": nodes[i:i + _BATCH]}))
    return out


def _registry_facts(registries: Iterable, identifier: str | None) -> list[Fact]:
    """Rows of the user's tables (kg.check.registry.load_registry) about one number."""
    from kg.grammar.symbols import identifier_key

    if not identifier:
        return []
    key = identifier_key(identifier)
    out = []
    for reg in registries:
        for s in reg.entries.get(key, ()):
            out.append(Fact(kind="registry", date=s.since, act=s.status, by=", ".join(s.replaced_by) or None,
                            source=s.source, quote=s.note or ""))
    return out


def timelines(store, nodes: list[str], registries: Iterable = ()) -> dict[str, Timeline]:
    """node -> its Timeline, for document nodes (spellings joined by owl:sameAs share their facts)."""
    from kg.graph.query import describe

    nodes = sorted(set(nodes))
    info = describe(store, nodes)
    out = {n: Timeline(n, (info.get(n) or {}).get("id_local")) for n in nodes}
    for r in _rows(store, "entry_into_force", nodes):
        f = Fact(kind="entry", date=str(r["entry"]), act="entry_into_force", source=r.get("source") or "")
        if f not in out[r["start"]].entry:
            out[r["start"]].entry.append(f)
    seen: set[tuple[str, str, int, str]] = set()
    by_mention: dict[tuple[str, str], dict[str, Any]] = {}
    for r in _rows(store, "timeline", nodes):
        m = by_mention.setdefault((r["start"], r["m"]), {**r, "scopes": []})
        if r.get("scope") and r.get("partial"):
            m["scopes"].append(r["scope"])
    for (start, _m), r in sorted(by_mention.items()):
        when = r.get("effective") or r.get("by_entry") or r.get("by_date")
        f = Fact(kind="act", date=str(when) if when else None, act=r["act"], by=r["by_id"],
                 scope=tuple(sorted(set(r["scopes"]))), source=r["source"], line=r["line"], quote=r["quote"], by_node=r["by"])
        key = (start, f.act, f.line or 0, f.by or "")
        if key in seen:
            continue
        seen.add(key)
        out[start].acts.append(f)
    registries = list(registries)
    for t in out.values():
        t.registry = _registry_facts(registries, t.identifier)
        t.acts.sort(key=lambda f: (f.date or "9999", f.by or "", f.line or 0))
    return out


def timeline(store, text: str, registries: Iterable = ()) -> Timeline:
    """The timeline of what the user typed ("158/2025/NĐ-CP", "NĐ 115/2015"): the resolver `kg cites`
    uses, spellings of one document joined."""
    from kg.graph.query import _SameAs, nodes_for

    from kg.errors import NotFound
    from kg.graph.query import describe

    same = _SameAs(store)
    nodes = sorted({same(n) for n in nodes_for(store, text)})
    docs = [n for n, i in describe(store, nodes).items() if i.get("kind") != "task"]
    if not docs:
        raise NotFound(f"{text!r} is a task, not a document: `kg deps {text} --on DATE` shows what it rests on")
    found = timelines(store, docs, registries)
    best = max(found.values(), key=lambda t: (len(t.acts) + len(t.entry), t.identifier is not None))
    return best


def timeline_ntriples(store) -> tuple[bytes, str]:
    """What does not depend on the day, in ELI's words, for the build's timeline graph."""
    nodes = [r["node"] for r in store.query(named_query("acted_on"))]
    lines: list[str] = []
    for node, t in timelines(store, nodes).items():
        end = t.no_longer_in_force()
        if end:
            lines.append(f'<{node}> <{_ELI}date_no_longer_in_force> "{end}"^^<{_XSD_DATE}> .')
        for f in t.acts:
            by = f.by_node
            prop = {"amends": "amended_by", "replaces": "repealed_by", "repeals": "repealed_by"}.get(f.act, "changed_by")
            targets = [f"{node}/{_slug(p)}" for p in f.scope] or [node]
            for target in targets:
                lines.append(f"<{target}> <{_ELI}{prop}> <{by}> .")
                lines.append(f"<{target}> <{_ELI}changed_by> <{by}> .")
    nt = "".join(sorted(set(line + "\n" for line in lines))).encode("utf-8")
    return nt, hashlib.sha256(nt).hexdigest()


def _slug(p: str) -> str:
    from kg.resolve.identity import slug

    return slug(p)


# -- `--on DATE` on the walks ---------------------------------------------------------------------

def _pairs(chain: list[str], walk: str) -> list[tuple[str, str]]:
    """(citer, basis) along a row's chain: impact and cites walk towards citers, deps away."""
    steps = list(zip(chain, chain[1:]))
    return [(b, a) for a, b in steps] if walk in ("impact", "cites") else steps


def mark_rows(store, rows: list[dict[str, Any]], on: str, walk: str) -> list[dict[str, Any]]:
    """Add to each row of `kg cites/deps/impact`: `on_status` (the row's document on the day),
    `on_warning` (every document on the way not wholly in force on the day, naming the act and
    its evidence) and `at_signing` (a basis already out of force, or partly, on the day the task's
    or document's text was signed)."""
    from kg.graph import fill
    from kg.graph.query import describe

    nodes = sorted({n for r in rows for n in r.get("chain", [])})
    info = describe(store, nodes)
    docs = [n for n in nodes if (info.get(n) or {}).get("kind") != "task"]
    lines = timelines(store, docs)
    signed: dict[str, str] = {}
    for i in range(0, len(nodes), _BATCH):
        for r in store.query(fill(named_query("signed"), {"NODES": nodes[i:i + _BATCH]})):
            signed[r["node"]] = min(signed.get(r["node"], "9999"), str(r["date"]))
    cache: dict[tuple[str, str], StatusOn] = {}

    def status(node: str, day: str) -> StatusOn | None:
        if node not in lines:
            return None
        if (node, day) not in cache:
            cache[(node, day)] = lines[node].on(day)
        return cache[(node, day)]

    def name(node: str) -> str:
        return (info.get(node) or {}).get("id") or node

    for r in rows:
        chain = r.get("chain", [])
        own = status(r.get("node") or (chain[-1] if chain else ""), on) if walk != "cites" else status(chain[0], on)
        r["on"] = on
        r["on_status"] = own.status_vi if own else None
        warn = []
        for n in chain:
            st = status(n, on)
            if st and st.status != "in_force":
                warn.append(f"{name(n)}: {st.status_vi} ({st.evidence()})")
        r["on_warning"] = "; ".join(dict.fromkeys(warn))
        flags = []
        for citer, basis in _pairs(chain, walk):
            day = signed.get(citer)
            st = status(basis, day) if day else None
            if st and st.status in ("not_in_force", "partly", "suspended", "disputed"):
                flags.append(f"{name(basis)} {st.status_vi} khi {name(citer)} được ký ({day}): {st.evidence()}")
        r["at_signing"] = "; ".join(dict.fromkeys(flags))
    return rows
