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


def _render(template: str, title: str, *, scripts: list[str] = (), data: Any = None, connect: bool = False,
            **kw: Any) -> tuple[str, str]:
    """(html, its CSP) — the CSP also goes out as a header, where frame-ancestors works too."""
    from kg.viz.render import script_json

    policy = csp(list(scripts), connect)
    extra = {"data": Markup(script_json(data))} if data is not None else {}
    html = _env().get_template(template).render(
        title=title, csp=Markup(policy), css=Markup(_asset("common.css", VIZ_TEMPLATES) + _asset("serve.css")),
        scripts=[Markup(s) for s in scripts], **extra, **kw)
    return html, policy


def index(documents: list[dict[str, Any]], triples: int, snapshot: str) -> tuple[str, str]:
    return _render("index.html", "kg: the graph of legal documents", documents=documents, triples=triples,
                   snapshot=snapshot)


def error(status: int, message: str) -> tuple[str, str]:
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    return _render("error.html", f"{status} {reason}", status=status, reason=reason, message=message)


def query_page(queries: list[dict[str, Any]]) -> tuple[str, str]:
    return _render("query.html", "kg: SPARQL query", scripts=[_asset("query.js")], data={"queries": queries},
                   connect=True)


def named_queries() -> list[dict[str, Any]]:
    from kg.graph import named_query, parameters, query_names

    out = []
    for name in query_names():
        text = named_query(name)
        about = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
        out.append({"name": name, "about": about, "text": text, "params": ["$" + p for p in parameters(text)]})
    return out


_BODY_OPEN = re.compile(r"<body[^>]*>")


def document_page(doc, cited_by: list[dict[str, Any]], known: set[str], stale: bool = False) -> str:
    """kg.viz's annotated text (with `kg check`'s findings), the explorer's links on top, what cites it below.

    The added parts are plain escaped HTML (no script), so the page's own CSP still holds; the
    page's data block escapes `<`, so "</body>" can only be the real end of the body.
    """
    from kg.check import check_document
    from kg.viz.annotate import render_annotation

    html = render_annotation(doc, "/graph", check_document(doc))  # the findings of `kg check`, marked
    env = _env()
    nav = ('<style>' + _asset("serve.css") + '</style>'
           '<nav id="kg-nav"><a href="/">kg</a> <a href="/graph">Graph</a> <a href="/query">Query</a></nav>')
    if stale:
        nav += ('<p id="kg-stale">This file, or kg\'s extractor, changed since the graph was built: the text '
                'below is read as it is now, the graph (and "cited by") as it was. Run <code>kg build</code> '
                'to bring them together.</p>')
    section = env.get_template("cited_by.html").render(rows=cited_by, known=known)
    m = _BODY_OPEN.search(html)
    head, tail = (html[:m.end()], html[m.end():]) if m else ("", html)
    before, _, after = tail.rpartition("</body>")
    return head + nav + before + section + "</body>" + after
