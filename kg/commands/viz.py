"""`kg viz` and `kg annotate`: the pages legal staff open in a browser, offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli import KgError, _extract_source, _guard, main
from kg.viz.kinds import KINDS


def _kinds(values: tuple[str, ...]) -> list[str] | None:
    """--kinds plan,document or --kinds plan --kinds document."""
    out = [k.strip() for v in values for k in v.split(",") if k.strip()]
    bad = [k for k in out if k not in KINDS]
    if bad:
        raise click.BadParameter(f"unknown kind {', '.join(bad)}; choose from {', '.join(KINDS)}",
                                 param_hint="--kinds")
    return out or None


def _write(path: str, html: str) -> None:
    Path(path).write_text(html, encoding="utf-8")
    click.echo(f"wrote {path} ({len(html.encode('utf-8')) // 1024} kB)", err=True)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", required=True, help="The HTML file to write.")
@click.option("--store", "store_dir", default=None, type=click.Path(file_okay=False),
              help="Draw the documents built into this store (its sources are read again) instead of PATHS.")
@click.option("--focus", "focus", multiple=True, help="Keep only what lies within --depth links of this number/symbol, id or title (repeatable).")
@click.option("--depth", type=click.IntRange(1, 8), default=2, show_default=True, help="Links around --focus.")
@click.option("--kinds", multiple=True, help=f"Node kinds to keep ({', '.join(KINDS)}); comma-separated or repeated.")
@click.option("--title", default=None, help="Page title.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="Refuse larger files.")
@_guard
def viz(paths: tuple[str, ...], output: str, store_dir: str | None, focus: tuple[str, ...], depth: int,
        kinds: tuple[str, ...], title: str | None, max_bytes: int) -> None:
    """Write the graph of the documents in PATHS (files or folders) as one offline HTML page.

    Search, filters (kind, relation, issuer, year), an ego view and the legend work without a
    network; no document text can run as script in it.
    """
    from kg.batch import run_batch, summary_table
    from kg.viz.model import build_graph, ego, find, only_kinds
    from kg.viz.render import render_graph

    wanted = _kinds(kinds)
    if store_dir is not None or not paths:
        from kg.graph.store import Store

        try:
            manifest = Store.open_read(store_dir).manifest()
        except FileNotFoundError as e:
            raise KgError(str(e)) from None
        paths = tuple(sorted(p for p in manifest if not p.startswith("<"))) + paths
        if not paths:
            raise KgError("the store holds no document")
    result = run_batch(list(paths), _extract_source, max_bytes=max_bytes, workers=1)
    docs = [d for _, d in result.ok]
    if result.failed or len(paths) > 1 or any(Path(p).is_dir() for p in paths):
        click.echo(summary_table(result), err=True)
    if not docs:
        raise KgError("no document could be read")
    g = build_graph(docs)
    if wanted:
        g = only_kinds(g, wanted)
    centers: list[str] = []
    for f in focus:
        hits = find(g, f)
        if not hits:
            raise KgError(f"--focus {f!r}: no node has that number/symbol, id or title")
        centers.extend(h for h in hits[:20] if h not in centers)
    if centers:
        g = ego(g, centers, depth)
    if title is None:
        title = (docs[0].header.title or docs[0].source) if len(docs) == 1 else f"kg: {len(docs)} documents"
    _write(output, render_graph(g, title, focus=centers, depth=depth))
    click.echo(f"{len(g.nodes)} nodes, {len(g.edges)} links", err=True)
    if result.failed:
        sys.exit(1)


@main.command()
@click.argument("file")
@click.option("-o", "--output", required=True, help="The HTML file to write.")
@click.option("--graph", "graph_href", default="graph.html", show_default=True,
              help="Relative path of the graph page the highlights link to.")
@click.option("--check/--no-check", "run_check", default=True, show_default=True,
              help="Mark the findings of `kg check` in the text.")
@click.option("--registry", "registries", multiple=True, metavar="FILE.csv",
              help="A validity table for the check (as in `kg check`); repeatable.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the findings' explanations.")
@_guard
def annotate(file: str, output: str, graph_href: str, run_check: bool, registries: tuple[str, ...],
             lang: str) -> None:
    """Write FILE's own text with every citation highlighted (by relation) and its tasks outlined.

    Hovering a citation shows what was read there; clicking it opens its node in the graph page.
    What `kg check` finds is underlined where it stands, with its explanation on hover.
    """
    import kg
    from kg.viz.annotate import check_graph_href, render_annotation

    try:
        check_graph_href(graph_href)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--graph") from None
    if not Path(file).is_file():
        raise KgError(f"{file}: no such file")
    doc = kg.extract(Path(file))
    findings = None
    if run_check:
        from kg.check import check_document
        from kg.commands.check import _provider

        findings = check_document(doc, _provider(registries, None, None, None), lang)
        click.echo(f"kg check: {len(findings)} finding(s) marked", err=True)
    _write(output, render_annotation(doc, graph_href, findings))
