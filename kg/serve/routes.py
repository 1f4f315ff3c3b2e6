"""The explorer's pages as routes of the HTTP handler (kg.serve.http): each gets the request's query
parameters and its own path (for the language switch), reads through the query workers, and
answers HTML from kg.serve.pages. Kept apart from http.py, which is about the protocol.
"""

from __future__ import annotations

from kg.serve import explorer, pages
from kg.serve.i18n import Messages, lang_of
from kg.serve.protocol import HttpError


class PageRoutes:
    """Mixed into the request handler: `self.app`, `self._html` and `self._send` come from it."""

    def _index(self, params, here) -> None:
        app, t = self.app, Messages(lang_of(params))
        self._html(200, pages.index(app.explorer.documents(), app.pool.triples, app.snapshot(), t, here))

    def _query(self, params, here) -> None:
        t = Messages(lang_of(params))
        self._html(200, pages.query_page(pages.named_queries(t), t, here))

    def _search(self, params, here) -> None:
        from kg.graph.lookup import Lookup, lookup

        t = Messages(lang_of(params))
        q = (params.get("q") or [""])[0].strip()
        res = _linked(lookup(self.app.explorer.store(), q), t) if q else Lookup("")
        self._html(200, pages.search(q, res, t, here))

    def _search_json(self, params, here) -> None:
        """What the search box shows as the user types: the same resolver, as JSON."""
        import json

        from kg.graph.lookup import lookup

        t = Messages(lang_of(params))
        q = (params.get("q") or [""])[0].strip()
        try:
            limit = min(200, max(1, int((params.get("limit") or ["20"])[0])))
        except ValueError:
            raise HttpError(400, "limit must be a number") from None
        res = _linked(lookup(self.app.explorer.store(), q, limit=limit), t)
        body = {"q": q, "total": res.total, "reason": res.reason,
                "more": t("search_cut", shown=len(res.matches), total=res.total),
                "matches": [{"kind": m.kind, "node": m.node, "label": m.label, "detail": m.detail, "href": m.href}
                            for m in res.matches]}
        self._send(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _node(self, params, kind: str) -> str:
        from kg.graph import iri

        node = (params.get("node") or [""])[0]
        try:
            iri(node)
        except ValueError:
            node = ""
        if not node.startswith(("http://", "https://")):
            raise HttpError(400, f"which {kind}? /{kind}?node=IRI, as the search page links it")
        return node

    def _doc(self, params, here) -> None:
        from kg.serve import views

        t = Messages(lang_of(params))
        source = (params.get("source") or [""])[0]
        if source and not params.get("node"):  # the old form: a source file, as listed on the start page
            found = [d for d in self.app.explorer.documents() if d["source"] == source and d.get("node")]
            if not found:
                raise HttpError(404, f"{source!r} is not a source of this store; the list is on the start page")
            params = {**params, "node": [found[0]["node"]]}
        node = self._node(params, "doc")
        view = views.document(self.app.explorer.store(), node, t.lang)
        if not view:
            raise HttpError(404, f"no document {node} in the graph")
        self._html(200, pages.view_page("document.html", view["info"].get("label") or node, t, here, view=view,
                                        lineage=_lineage(self.app.explorer.store(), node)))

    def _task(self, params, here) -> None:
        from kg.serve import views

        t = Messages(lang_of(params))
        node = self._node(params, "task")
        store = self.app.explorer.store()
        view = views.task(store, node, t.lang)
        if not view:
            raise HttpError(404, f"no task {node} in the graph")
        doc_node = next((d["node"] for d in self.app.explorer.documents()
                         if d["source"] == view["info"].get("source") and d.get("node")), None)
        self._html(200, pages.view_page("task.html", f"{view['info'].get('task_id')} — {view['info'].get('doc_label')}",
                                        t, here, view=view, doc_node=doc_node))

    def _agency(self, params, here) -> None:
        from kg.serve import views

        t = Messages(lang_of(params))
        node = self._node(params, "agency")
        store = self.app.explorer.store()
        from kg.graph import iri

        try:
            name = self.app.rows(explorer.PREFIXES + f"SELECT ?name WHERE {{ {iri(node)} skos:prefLabel ?name }} LIMIT 1")
        except ValueError as e:
            raise HttpError(400, str(e)) from None
        if not name:
            raise HttpError(404, f"no agency {node} in the graph")
        view = views.agency(store, node, name[0]["name"])
        roles = {r["role"]: r["label"] for r in self.app.rows(explorer.PREFIXES + ROLE_LABELS.replace("$LANG", t.lang))}
        self._html(200, pages.view_page("agency.html", name[0]["name"], t, here, view=view, roles=roles))

    def _text(self, params, here) -> None:
        t = Messages(lang_of(params))
        source = (params.get("source") or [""])[0]
        if not source:
            raise HttpError(400, "which document? /text?source=PATH, as the document page links it")
        doc, stale = self.app.explorer.text(source)
        self._html(200, pages.text_page(doc, t, here, stale))

    def _changes(self, params, here) -> None:
        t = Messages(lang_of(params))
        view = _changes_view(self.app.store_dir, params, t.lang)
        self._html(200, pages.view_page("changes.html", t("changes_title"), t, here, view=view))

    def _graph(self, params, here) -> None:
        focus = (params.get("focus") or [""])[0].strip() or None
        try:
            depth = min(8, max(1, int((params.get("depth") or ["2"])[0])))
        except ValueError:
            raise HttpError(400, "depth must be a number from 1 to 8") from None
        group = (params.get("group") or [""])[0].strip() or None
        t = Messages(lang_of(params))
        html = self.app.explorer.graph_page(focus, depth, group, t)
        self._html(200, _with_nav(html, t))


def _changes_view(store_dir, params, lang: str) -> dict:
    """The acts of every build in the log, filtered like /changes.atom (kg.serve.feed.entries)."""
    from kg.graph import changes
    from kg.graph.store import Store
    from kg.serve.feed import entries

    agency, document = (params.get("agency") or [None])[0], (params.get("document") or [None])[0]
    store = Store.open_read(store_dir)
    try:
        rows = changes.changes(store, "1970-01-01") if changes.builds(store) else []
    finally:
        store.close()
    from kg.graph.timeline import act_label

    found = [{**e, "act_label": act_label(e["act"], lang)} for e in entries(rows, agency, document)]
    return {"entries": found, "agency": agency or "", "document": document or ""}


PAGES = {"/": "_index", "/search": "_search", "/search.json": "_search_json", "/doc": "_doc", "/task": "_task",
         "/agency": "_agency", "/text": "_text", "/graph": "_graph", "/query": "_query", "/changes": "_changes"}
# The ontology's own names for an agency's roles, in the page's language.
ROLE_LABELS = """SELECT ?role ?label WHERE { ?p rdfs:subPropertyOf kg:involves ; rdfs:label ?label .
  FILTER(LANG(?label) = "$LANG") BIND(STRAFTER(STR(?p), "#") AS ?role) }"""


def _linked(res, t, graph: bool = False):
    """Each match with the link to its page (or to its neighbourhood graph, for a choice of focus)."""
    for m in res.matches:
        page = {"document": "/doc", "task": "/task", "agency": "/agency"}[m.kind]
        m.href = t.href("/graph", focus=m.node) if graph else t.href(page, node=m.node)
    return res


def _with_nav(html: str, t) -> str:
    from markupsafe import escape

    m = pages._BODY_OPEN.search(html)
    if not m:
        return html
    nav = ('<nav id="kg-nav" style="padding:4px 14px;background:#fff;border-bottom:1px solid #ddd;display:flex;gap:14px">'
           + "".join(f'<a href="{escape(t.href(p))}">{escape(t(k))}</a>' for p, k in
                     (("/", "nav_home"), ("/search", "nav_search"), ("/query", "nav_query"))) + '</nav>')
    return html[:m.end()] + nav + html[m.end():]


def _lineage(store, node: str) -> dict | None:
    """The document's status today and its "Lược đồ" (kg.graph.lineage), or None for a node that is
    not a document."""
    from kg.graph.lineage import lineage_of
    from kg.graph.timeline import timelines

    t = timelines(store, [node]).get(node)
    return lineage_of(store, t) if t is not None else None
