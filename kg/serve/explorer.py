"""What the explorer pages show, read from the store through the query workers.

The graph view and the annotated texts need the documents' own text, which the store does not
hold, so their sources (the files listed in the store's manifest) are read again, as
`kg viz --store` does: the pages are exactly the offline pages `kg viz` and `kg annotate` write.
Only files named in the manifest are ever read, so a request cannot make the server open any other
path. Relative sources are found from the folder `kg serve` was started in (where `kg build` ran).

The rendered graph is kept per snapshot: a build swaps the snapshot and the next request redraws.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable

from kg.graph.build import file_hash, pipeline_hash
from kg.graph.store import MANIFEST

KG = "https://w3id.org/vn-legal-kg/ontology#"
PREFIXES = (f"PREFIX kg: <{KG}>\nPREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")

DOCUMENTS = PREFIXES + f"""SELECT ?source ?sha ?label ?identifier ?node WHERE {{
  GRAPH <{MANIFEST.value}> {{ ?m kg:source ?source ; kg:sha256 ?sha }}
  OPTIONAL {{ ?node kg:source ?source ; kg:inCorpus true ; rdfs:label ?label OPTIONAL {{ ?node eli:id_local ?identifier }} }}
}} ORDER BY ?source"""

OVERVIEW_FROM = 4  # source documents from which the whole graph opens on the grouped overview


class PageError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _literal(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def rows_from_json(body: bytes) -> list[dict[str, Any]]:
    data = json.loads(body)
    if "boolean" in data:  # ASK: one row, as Store.query gives it
        return [{"result": bool(data["boolean"])}]
    out = []
    for b in data.get("results", {}).get("bindings", []):
        row: dict[str, Any] = {}
        for k in data["head"]["vars"]:
            v = b.get(k)
            if v is None:
                row[k] = None
            elif v.get("datatype", "").endswith("#integer"):
                row[k] = int(v["value"])
            else:
                row[k] = v["value"]
        out.append(row)
    return out


class Explorer:
    def __init__(self, run: Callable[[str], list[dict[str, Any]]], snapshot: Callable[[], str],
                 root: Path | None = None, max_bytes: int = 50 * 1024 * 1024, confined: bool = False):
        self.run = run
        self.snapshot = snapshot
        self.root = root or Path.cwd()
        self.confined = confined  # only files below root: when clients may write the manifest
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._graph: tuple[str, Any, list[str]] | None = None  # (snapshot, view model, failures)
        self._page: tuple[str, str] | None = None  # (snapshot, the whole graph's page): layout takes seconds

    # -- the store ---------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        # "<ontology>", "<links>": graphs a build makes, not documents
        rows = [r for r in self.run(DOCUMENTS) if r["source"] and not r["source"].startswith("<")]
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            seen.setdefault(r["source"], r)
        return list(seen.values())

    def store(self):
        """The query workers as a store, for kg.graph.query and kg.graph.lookup."""
        from kg.serve.views import RowsStore

        return RowsStore(self.run)

    def _path(self, source: str) -> Path:
        p = Path(source)
        p = p if p.is_absolute() else self.root / p
        if self.confined and not p.resolve().is_relative_to(self.root.resolve()):
            # with updates allowed a client can write the manifest, so it could name any file
            raise PageError(403, f"{source}: outside the folder kg serve runs in; with --allow-update only "
                                 "files below it are shown")
        return p

    # -- documents read again ----------------------------------------------------------------
    def _extract(self, source: str):
        from kg.extract import extract_text
        from kg.ingest.readers import IngestError, read_source

        path = self._path(source)
        if not path.is_file():
            raise PageError(404, f"{source}: the file is not there (start `kg serve` in the folder "
                                 "where `kg build` was run)")
        try:
            src = read_source(path, max_bytes=self.max_bytes)
        except IngestError as e:
            raise PageError(422, f"{source}: {e.reason}") from None
        return extract_text(src.text, source, src.kind)

    def stale(self, source: str, sha: str) -> bool:
        """The file, or kg's extractor, changed since the build: the page is read from the file as it
        is now (what a reader wants to check), and says that the graph lags behind."""
        return file_hash(str(self._path(source)), pipeline_hash()) != sha

    def view(self) -> tuple[Any, list[str]]:
        """The graph view model of every document in the store, and the sources that could not be read."""
        from kg.viz.model import build_graph

        snap = self.snapshot()
        with self._lock:
            if self._graph is not None and self._graph[0] == snap:
                return self._graph[1], self._graph[2]
            docs, failed = [], []
            for r in self.documents():
                try:
                    docs.append(self._extract(r["source"]))
                except PageError as e:
                    failed.append(e.message)
            g = build_graph(docs)
            self._graph = (snap, g, failed)
            return g, failed

    def graph_page(self, focus: str | None = None, depth: int = 2, group: str | None = None, t=None) -> str:
        """The graph page: a corpus opens on its overview (kg.serve.overview, read from the store,
        cached per snapshot); `focus` and `group` open a neighbourhood of the full view."""
        from kg.viz.model import ego, find, only_kinds
        from kg.viz.render import render_graph

        snap = self.snapshot()
        lang = t.lang if t else "vi"
        whole = not focus and not group
        if whole and self._page is not None and self._page[0] == (snap, lang):
            return self._page[1]
        n = len(self.documents())
        if whole and n >= OVERVIEW_FROM:
            from kg.serve.overview import overview

            g = overview(self.store(), t)
            docs = sum(x.mentions for x in g.nodes.values() if x.id.startswith("group:"))
            title = (t("graph_overview", docs=docs + n, groups=len(g.nodes) - n) if t else
                     f"kg: {n} documents in the store")
            html = render_graph(g, title)
            self._page = ((snap, lang), html)
            return html
        g, failed = self.view()
        if not g.nodes:
            raise PageError(404, "no document of the store could be read: " + "; ".join(failed[:3]))
        centers: list[str] = []
        if group:
            from kg.serve.overview import in_group

            g = only_kinds(g, ("plan", "document"))
            centers = in_group(g, group)
            if not centers:
                raise PageError(404, f"no document in the group {group!r}")
            g, depth = ego(g, centers, 1), 1
        elif focus:
            centers = self.centers(g, focus) or find(g, focus)[:20]  # find: the page's own ids, from links
            if not centers:
                raise PageError(404, f"no node has the number/symbol, id or title {focus!r}")
            g = ego(g, centers, depth)
        html = render_graph(g, f"kg: {n} document{'s' if n != 1 else ''} in the store", focus=centers[:50], depth=depth)
        if whole:
            self._page = ((snap, lang), html)
        return html

    def text(self, source: str) -> tuple[Any, bool]:
        """The extracted document and whether it is stale; only sources the store lists are read."""
        known = {r["source"]: r for r in self.documents()}
        if source not in known:
            raise PageError(404, f"{source!r} is not a source of this store; the list is on the start page")
        return self._extract(source), self.stale(source, known[source]["sha"])

    def warm(self) -> None:
        """Draw the whole graph's first view once, in the background, when the server starts: the
        first officer to open /graph does not wait for it."""
        from kg.serve.i18n import Messages

        try:
            if len(self.documents()) >= OVERVIEW_FROM:  # a few documents draw fast enough on demand
                self.graph_page(t=Messages())
        except Exception:  # noqa: BLE001 - the request that needs it will report what is wrong
            pass

    def centers(self, g, focus: str) -> list[str]:
        """The graph view's nodes for what was typed, through the one resolver (kg.graph.lookup);
        several different things are a choice for the user (Choices), never a guess."""
        from kg.graph.lookup import lookup
        from kg.resolve.identity import id_key

        res = lookup(self.store(), focus, limit=20)
        if res.ambiguous and not all(m.kind == "document" for m in res.matches):
            raise Choices(res)
        by_key = {id_key(n.identifier): k for k, n in g.nodes.items() if n.identifier}
        out: list[str] = []
        for m in res.matches:
            if m.kind == "agency":
                hit = [f"agency:{m.label}"]
            elif m.kind == "task":
                tid = m.label.split()[0]
                hit = [k for k, n in g.nodes.items() if n.kind == "task" and n.source == m.source
                       and k.endswith("#" + tid)]
            else:
                hit = [k for k, n in g.nodes.items() if n.kind == "plan" and m.source and n.source == m.source]
                hit = hit or [by_key[id_key(m.label)]] if id_key(m.label) in by_key else hit
                hit = hit or [k for k, n in g.nodes.items() if n.title and n.title == m.label]
            out += [h for h in hit if h in g.nodes and h not in out]
        return out


class Choices(PageError):
    """What was typed names several things: the page lists them for the user to choose."""

    def __init__(self, res):
        super().__init__(300, res.choices())
        self.res = res
