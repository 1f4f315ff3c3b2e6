"""Graph commands: build the store, ask it the legal staff's questions, export and validate it.

The store is `.kg/store` under the current directory unless --store or $KG_STORE says otherwise,
so an officer who builds in a folder can ask from the same folder without options.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from kg.cli import FORMATS, FULL, KgError, _guard, emit_rows, main

STORE = click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
                     help="Store directory (default .kg/store, or $KG_STORE).")
FMT = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
ON_COLUMNS = ["on_status", "on_warning", "at_signing"]


def _day(_ctx, _param, value: str | None) -> str | None:
    """--on DATE: ISO (2026-03-01) or dd/mm/yyyy; a clear message otherwise."""
    if value is None:
        return None
    from kg.check.registry import parse_date

    iso = parse_date(value)
    if iso is None or not re.fullmatch(r"\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\s*", value):
        raise click.BadParameter(f"{value!r} is not a date (2026-03-01 or 01/03/2026)", param_hint="--on")
    return iso


ON = click.option("--on", "on", default=None, metavar="DATE", callback=_day,
                  help="Mark every document on the way not in force on DATE (kg.graph.timeline).")
WALK_COLUMNS = ["depth", "kind", "id", "label", "relation_vi", "via", "status", "warning", "document", "source",
                "quote"]


def _endpoint(ctx: click.Context, _param, value: str | None) -> str | None:
    if value:
        from kg.graph.remote import endpoints

        try:
            endpoints(value)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--endpoint") from None
    ctx.meta["kg.endpoint"] = value
    return value


# Kept out of the commands' arguments (expose_value=False): `_open` and `build` read it from the context.
ENDPOINT = click.option("--endpoint", default=None, expose_value=False, callback=_endpoint, metavar="URL",
                        help="A SPARQL 1.1 server holding the graph (Oxigraph, Fuseki, Virtuoso) instead of --store.")


def _open(store_dir: str | None):
    from kg.graph.store import Store

    endpoint = click.get_current_context().meta.get("kg.endpoint")
    if endpoint:
        if store_dir:
            raise click.UsageError("give --store or --endpoint, not both")
        from kg.graph.remote import RemoteStore

        return RemoteStore(endpoint)
    try:
        return Store.open_read(store_dir)
    except FileNotFoundError as e:
        raise KgError(str(e)) from None


def _lookup(fn, *args):
    from kg.graph.query import NotFound

    try:
        return fn(*args)
    except NotFound as e:
        raise KgError(str(e)) from None


@main.command()
@click.argument("paths", nargs=-1, required=True)
@STORE
@ENDPOINT
@click.option("--prune", is_flag=True, help="Remove the graphs of files that are gone.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Extraction processes.")
@click.option("--force", is_flag=True, help="Extract every file again, changed or not.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://HOST:PORT) to extract on.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress on stderr: a bar on a terminal, a line every few seconds otherwise "
                   "(default: both, silent for work under 2 s off a terminal).")
@_guard
def build(paths, store_dir, prune, workers, force, scheduler, max_bytes, progress):
    """Extract files and folders into the graph store, incrementally (unchanged files are skipped).

    The previous graph stays readable until the new one is complete; a build that is interrupted
    changes nothing.
    """
    from kg.graph.build import build as do_build

    try:
        endpoint = click.get_current_context().meta.get("kg.endpoint")
        if endpoint and store_dir:
            raise click.UsageError("give --store or --endpoint, not both")
        rep = do_build(list(paths), store_dir, prune=prune, workers=workers, scheduler=scheduler, max_bytes=max_bytes,
                       progress=progress, force=force,
                       endpoint=endpoint)
    except RuntimeError as e:
        raise KgError(str(e)) from None
    click.echo(rep.summary(), err=True)
    if rep.failed:
        sys.exit(1)


@main.command()
@click.argument("identifier")
@STORE
@ENDPOINT
@FMT
@ON
@FULL
@_guard
def cites(identifier, store_dir, fmt, on):
    """Which tasks and documents cite IDENTIFIER ("42/2022/NQ-HĐND", "NQ 42/2022", a law's title)."""
    from kg.graph.query import cites as q

    rows = _lookup(q, _open(store_dir), identifier, on)
    emit_rows(rows, fmt, ["kind", "id", "label", "relation_vi", "cited", "document", "source", "line", "quote",
                          *ON_COLUMNS] if on else
              ["kind", "id", "label", "relation_vi", "cited", "document", "source", "line", "quote"])


@main.command()
@click.argument("node")
@STORE
@ENDPOINT
@click.option("--transitive", is_flag=True, help="Follow chains of documents (what they rest on, and so on).")
@FMT
@ON
@FULL
@_guard
def deps(node, store_dir, transitive, fmt, on):
    """What a task ("II.2.4", "SOURCE#II.2.4", words of it) or a document rests on."""
    from kg.graph.query import deps as q

    emit_rows(_lookup(q, _open(store_dir), node, transitive, on), fmt,
              [*WALK_COLUMNS, "through", *(ON_COLUMNS if on else [])])


@main.command()
@click.argument("name")
@STORE
@ENDPOINT
@FMT
@FULL
@_guard
def agency(name, store_dir, fmt):
    """The tasks agency NAME leads, partners on or is advised on, and what each rests on
    ("Sở Tài chính", "sở tai chinh tỉnh Tây Ninh", "UBND tỉnh Tây Ninh")."""
    from kg.graph.query import agency as q

    emit_rows(_lookup(q, _open(store_dir), name), fmt, ["agency", "role", "id", "label", "source", "rests_on"])


@main.command()
@click.argument("identifier")
@STORE
@ENDPOINT
@FMT
@ON
@FULL
@_guard
def impact(identifier, store_dir, fmt, on):
    """Everything that rests on IDENTIFIER, transitively: what to review when it is replaced."""
    from kg.graph.query import impact as q

    emit_rows(_lookup(q, _open(store_dir), identifier, on), fmt, WALK_COLUMNS + (ON_COLUMNS if on else []))


_RQ_PATH = re.compile(r"[^\n{}]{1,4096}\.rq")  # a path ends in .rq; a query never does


def _query_text(arg: str) -> str:
    """The SPARQL that `kg sparql ARG` runs, by an explicit rule that never stats a query:
    a shipped query's name; else a path ending in ``.rq`` (read, or "no such file"); else one word
    is a misspelt name; anything else is the query text itself. Only a ``.rq`` path reaches the
    filesystem, so a long one-line query is never tried as a file name (ENAMETOOLONG)."""
    from kg.graph import named_query, query_names

    if arg in query_names():
        return named_query(arg)
    if _RQ_PATH.fullmatch(arg.strip()):
        path = Path(arg.strip())
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KgError(f"{arg}: no such file") from None
        except (OSError, UnicodeDecodeError) as e:
            raise KgError(f"{arg}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    if re.fullmatch(r"[\w-]+", arg):  # one word is a query's name, never SPARQL
        raise click.BadParameter(f"no shipped query named {arg!r}; `kg sparql list` shows them",
                                 param_hint="QUERY")
    return arg


@main.command()
@click.argument("query")
@STORE
@ENDPOINT
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Fill $NAME of a shipped query (repeatable; an http(s) value is an IRI).")
@FMT
@FULL
@_guard
def sparql(query, store_dir, params, fmt):
    """Run SPARQL: text, a .rq file, or the name of a shipped query (`kg sparql list` shows them)."""
    from kg.graph import fill, named_query, parameters, query_names

    if query == "list":
        emit_rows([{"name": n, "parameters": " ".join(parameters(named_query(n))),
                    "about": named_query(n).splitlines()[0].lstrip("# ")} for n in query_names()], fmt)
        return
    text = _query_text(query)
    given: dict[str, list[str]] = {}
    for p in params:
        name, eq, value = p.partition("=")
        if not eq:
            raise click.BadParameter(f"{p!r} is not NAME=VALUE", param_hint="--param")
        given.setdefault(name.upper(), []).append(value)
    store = _open(store_dir) if given else None
    iris, lits = {}, {}
    for name, values in given.items():  # typed as for `kg cites`: the one resolver (kg.graph.lookup)
        from kg.graph.lookup import param_values

        for value in _lookup(param_values, store, name, values) if name in parameters(text) else values:
            (iris if value.startswith(("http://", "https://")) else lits).setdefault(name, []).append(value)
    unknown = sorted((set(iris) | set(lits)) - set(parameters(text)))
    if unknown:
        raise click.BadParameter(f"the query has no ${', $'.join(unknown)}; it takes "
                                 + (", ".join("$" + n for n in parameters(text)) or "no parameter"), param_hint="--param")
    try:
        text = fill(text, iris, lits)
    except ValueError as e:
        raise KgError(str(e)) from None
    missing = [n for n in parameters(text) if n in parameters(named_query(query))] if query in query_names() else []
    if missing:
        raise KgError(f"query {query!r} takes {', '.join('$' + m for m in missing)}: give -p NAME=VALUE")
    store = store or _open(store_dir)
    try:
        rows = store.query(text)
    except (SyntaxError, ValueError, OSError) as e:
        raise KgError(f"SPARQL error: {e}") from None
    emit_rows(rows, fmt)


@main.command()
@STORE
@ENDPOINT
@FMT
@FULL
@_guard
def stats(store_dir, fmt):
    """Most cited documents, citations by issuer level and year, tasks without legal basis, absent documents."""
    from kg.graph.query import stats as q

    res = q(_open(store_dir))
    if fmt == "json":
        click.echo(json.dumps(res, ensure_ascii=False, indent=2))
        return
    for name, rows in res.items():
        if fmt == "table":
            click.echo(f"\n== {name.replace('_', ' ')} ({len(rows)})")  # the count of rows below, all
        else:
            click.echo(f"# {name}")
        emit_rows(rows, fmt, limit=25 if name != "most_cited" else None)


@main.command()
@STORE
@click.option("--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "nq", "trig", "annotations", "graphml",
                                                    "gexf", "csv"]), default="ttl", show_default=True)
@click.option("--graphs", is_flag=True, help="jsonld: keep one named graph per source (default: their union).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write (default stdout).")
@_guard
def export(store_dir, fmt, graphs, output):
    """Export the graph: RDF (ttl, nt, jsonld: all graphs merged; nq, trig, jsonld --graphs: one graph
    per source), every citation as a W3C Web Annotation (annotations), or the document/task
    projection (graphml, gexf for Gephi; csv for Excel)."""
    store = _open(store_dir)
    if fmt in ("graphml", "gexf", "csv"):
        from kg.analyze import export as ex
        from kg.analyze import projection

        data = ex(projection(store), fmt)
    elif fmt == "jsonld":
        from kg.analyze.export import jsonld

        data = jsonld(store.triples(), graphs=graphs)
    elif fmt == "annotations":
        from kg.analyze.annotations import annotations

        data = annotations(store)
    else:
        data = store.serialize(fmt)
    if output:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@main.command()
@STORE
@click.option("--all", "show_all", is_flag=True, help="One line per violation instead of one per kind.")
@_guard
def validate(store_dir, show_all):
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); list violations readably."""
    from kg.graph.validate import grouped
    from kg.graph.validate import validate as v

    ok, rows = v(_open(store_dir))
    if show_all:
        for r in rows:
            click.echo(f"{r['severity']}: {r['focus']} {r['path']}: {r['message']}" + (f" ({r['value']})" if r["value"] else ""))
    else:
        for r in grouped(rows):
            click.echo(f"{r['severity']}: {r['message'] or r['path']} ({r['count']} nodes), e.g. {r['examples']}")
    violations = sum(r["severity"] == "Violation" for r in rows)
    click.echo("conforms" if ok else f"{violations} violation(s)", err=True)
    if not ok:
        sys.exit(1)


@main.command()
@STORE
@click.option("--top", type=int, default=20, show_default=True)
@FMT
@FULL
@_guard
def analyze(store_dir, top, fmt):
    """networkx analytics: most cited by in-degree and PageRank, cycles, components."""
    from kg.analyze import components, cycles, most_cited, projection

    g = projection(_open(store_dir))
    rows = most_cited(g, top)
    emit_rows(rows, fmt, ["id", "kind", "in_degree", "pagerank", "rests_on"])
    if fmt == "table":
        cyc = cycles(g)
        comp = components(g)
        click.echo(f"\n{g.number_of_nodes()} nodes, {g.number_of_edges()} edges; {len(comp)} components "
                   f"(largest {comp[0] if comp else 0}); {len(cyc)} cycles")
        for c in cyc[:10]:
            click.echo("  cycle: " + " -> ".join(c))
