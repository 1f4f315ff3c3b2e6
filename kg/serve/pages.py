"""The explorer's HTML: the start page, the query page, error pages, and the document page.

The same rules as kg.viz's pages: no request leaves the server's origin (no CDN, no font, no
image), text goes through Jinja's escaping or `textContent`, JSON sits in a script block with
`<`, `>` and `&` escaped, and a Content-Security-Policy lets only our own scripts run (by hash).
The query page is the one page that may `fetch`, and only from this server (`connect-src 'self'`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
VIZ_TEMPLATES = Path(__file__).parents[1] / "viz" / "templates"


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader

    # the viz templates too: every page shares their <head> (head.html)
    return Environment(loader=FileSystemLoader([str(TEMPLATES), str(VIZ_TEMPLATES)]), autoescape=True)


@lru_cache(maxsize=None)
def _asset(name: str, folder: Path = TEMPLATES) -> str:
    return (folder / name).read_text(encoding="utf-8").replace("\r\n", "\n")


def csp(scripts: list[str], connect: bool = False) -> str:
    from kg.viz.render import script_hash  # kg.viz's rule, one hash per inline script

    return ("default-src 'none'; script-src " + (" ".join(script_hash(s) for s in scripts) or "'none'")
            + ("; connect-src 'self'" if connect else "")
            + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'")


def _render(template: str, title: str, *, t=None, here: str = "/", scripts: list[str] = (), data: Any = None,
            connect: bool = False, **kw: Any) -> tuple[str, str]:
    """(html, its CSP) — the CSP also goes out as a header, where frame-ancestors works too.
    `here` is the page's own path and query: the language switch links to it in the other language."""
    from kg.serve.i18n import Messages
    from kg.viz.render import script_json

    t = t or Messages()
    policy = csp(list(scripts), connect)
    extra = {"data": Markup(script_json(data))} if data is not None else {}
    html = _env().get_template(template).render(
        title=title, csp=Markup(policy), css=Markup(_asset("common.css", VIZ_TEMPLATES) + _asset("serve.css")),
        scripts=[Markup(s) for s in scripts], t=t, switch=switch_link(here, t.other()), **extra, **kw)
    return html, policy


def switch_link(here: str, lang: str) -> str:
    """The same page in the other language."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    u = urlsplit(here)
    q = [(k, v) for k, v in parse_qsl(u.query, keep_blank_values=True) if k != "lang"]
    if lang != "vi":
        q.append(("lang", lang))
    return u.path + ("?" + urlencode(q) if q else "")


def _search_data(t) -> dict[str, Any]:
    return {"lang": t.lang, "kinds": {k: t("kind_" + k) for k in ("document", "task", "agency")}}


def index(documents: list[dict[str, Any]], triples: int, snapshot: str, t=None, here: str = "/") -> tuple[str, str]:
    """The start page: the search box and the sources by number and title (the file's name, not
    its path: the path is in the tooltip)."""
    for d in documents:
        d["name"] = Path(d["source"]).name
    t = t or _messages()
    return _render("index.html", t("app"), t=t, here=here, documents=documents, triples=triples,
                   snapshot=snapshot, scripts=[_asset("search.js")], data=_search_data(t), connect=True)


def search(q: str, res, t, here: str) -> tuple[str, str]:
    return _render("search.html", t("nav_search") + (f": {q}" if q else ""), t=t, here=here, q=q, res=res,
                   scripts=[_asset("search.js")], data=_search_data(t), connect=True)


def view_page(template: str, title: str, t, here: str, **kw) -> tuple[str, str]:
    return _render(template, title, t=t, here=here, **kw)


def _messages():
    from kg.serve.i18n import Messages

    return Messages()


def error(status: int, message: str, t=None) -> tuple[str, str]:
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    return _render("error.html", f"{status} {reason}", t=t, status=status, reason=reason, message=message)


def query_page(queries: list[dict[str, Any]], t=None, here: str = "/query") -> tuple[str, str]:
    t = t or _messages()
    msgs = {"params": t("query_params", params="{params}"), "rows": t("query_rows", **{"from": "{from}"}, to="{to}",
                                                                        n="{n}"),
            "count": t("rows", n="{n}"), "running": t("query_running")}
    return _render("query.html", t("query_title"), t=t, here=here, scripts=[_asset("query.js")],
                   data={"queries": queries, "messages": msgs, "lang": t.lang}, connect=True)


def named_queries(t=None) -> list[dict[str, Any]]:
    """The shipped questions with a description for an officer from the catalogue (the .rq
    comments, which explain the SPARQL to a developer, only when the catalogue has none)."""
    from kg.graph import named_query, parameters, query_names
    from kg.serve.i18n import catalogue

    t = t or _messages()
    out = []
    for name in query_names():
        text = named_query(name)
        if "q_" + name in catalogue():
            about = t("q_" + name)
        else:
            about = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
        out.append({"name": name, "about": about, "text": text, "params": ["$" + p for p in parameters(text)]})
    return out


_BODY_OPEN = re.compile(r"<body[^>]*>")


def text_page(doc, t, here: str, stale: bool = False) -> str:
    """kg.viz's annotated text (with `kg check`'s findings), full width, lines numbered (#L12),
    with the explorer's links on top. The added parts are plain escaped HTML (no script), so
    the page's own CSP still holds; the page's data block escapes `<`, so "</body>" can only be
    the real end of the body."""
    from markupsafe import escape

    from kg.check import check_document
    from kg.viz.annotate import render_annotation

    html = render_annotation(doc, "/graph", check_document(doc, lang=t.lang))
    nav = ('<style>' + _asset("serve.css") + '</style><nav id="kg-nav">'
           + "".join(f'<a href="{escape(t.href(p))}">{escape(t(k))}</a>' for p, k in
                     (("/", "nav_home"), ("/search", "nav_search"), ("/graph", "nav_graph"), ("/query", "nav_query")))
           + f'<a id="kg-lang" href="{escape(switch_link(here, t.other()))}">{escape(t("switch_lang"))}</a></nav>')
    if stale:
        nav += f'<p id="kg-stale">{escape(t("stale"))}</p>'
    m = _BODY_OPEN.search(html)
    head, tail = (html[:m.end()], html[m.end():]) if m else ("", html)
    return head.replace('<body class="kg-annotate-page">', '<body class="kg-annotate-page kg-wide-text">') + nav + tail
