"""Graph commands: build the store, ask it the legal staff's questions, export and validate it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli import FORMATS, KgError, _guard, emit_rows, main

STORE = click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
                     help="Store directory (default .kg/store, or $KG_STORE).")
FMT = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)


def _open(store_dir: str | None):
    from kg.graph.store import Store

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
@click.option("--prune", is_flag=True, help="Remove the graphs of files that are gone.")
@click.option("--workers", type=int, default=1, show_default=True, help="Extraction processes.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://HOST:PORT) to extract on.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True)
@click.option("--progress/--no-progress", default=True, help="Progress bar on stderr.")
@_guard
def build(paths, store_dir, prune, workers, scheduler, max_bytes, progress):
    """Extract files and folders into the graph store, incrementally (unchanged files are skipped)."""
    from kg.graph.build import build as do_build

    rep = do_build(list(paths), store_dir, prune=prune, workers=workers, scheduler=scheduler, max_bytes=max_bytes,
                   progress=progress and sys.stderr.isatty())
    click.echo(rep.summary(), err=True)
    if rep.failed:
        sys.exit(1)


@main.command()
@click.argument("identifier")
@STORE
@FMT
@_guard
def cites(identifier, store_dir, fmt):
    """Which tasks and documents cite IDENTIFIER ("42/2022/NQ-HĐND", "NQ 42/2022", a law's title)."""
    from kg.graph.query import cites as q

    rows = _lookup(q, _open(store_dir), identifier)
    emit_rows(rows, fmt, ["kind", "id", "label", "source", "line", "relation", "cited", "quote"])


@main.command()
@click.argument("node")
@STORE
@click.option("--transitive", is_flag=True, help="Follow chains of documents (what they rest on, and so on).")
@FMT
@_guard
def deps(node, store_dir, transitive, fmt):
    """What a task ("II.2.4", "SOURCE#II.2.4") or document rests on."""
    from kg.graph.query import deps as q

    rows = _lookup(q, _open(store_dir), node, transitive)
    emit_rows(rows, fmt, ["depth", "kind", "id", "label", "relation", "via", "replaced_by", "source", "quote"])


@main.command()
@click.argument("identifier")
@STORE
@FMT
@_guard
def impact(identifier, store_dir, fmt):
    """Everything that rests on IDENTIFIER, transitively: what to review when it is replaced."""
    from kg.graph.query import impact as q

    rows = _lookup(q, _open(store_dir), identifier)
    emit_rows(rows, fmt, ["depth", "kind", "id", "label", "relation", "via", "document", "replaced_by", "source",
                          "quote"])


@main.command()
@click.argument("query")
@STORE
@FMT
@_guard
def sparql(query, store_dir, fmt):
    """Run a SPARQL query: text, a .rq file, or the name of a shipped query (see `kg sparql list`)."""
    from kg.graph import query as Q

    if query == "list":
        emit_rows([{"name": n, "about": Q.named_query(n).splitlines()[0].lstrip("# ")} for n in Q.names()], fmt)
        return
    if query in Q.names():
        text = Q.named_query(query)
        if "$" in text:
            raise KgError(f"query {query!r} takes parameters; use the command that wraps it")
    elif Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    else:
        text = query
    store = _open(store_dir)
    try:
        rows = store.query(text)
    except (SyntaxError, ValueError, OSError) as e:
        raise KgError(f"SPARQL error: {e}") from None
    emit_rows(rows, fmt)


@main.command()
@STORE
@FMT
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
            click.echo(f"\n== {name.replace('_', ' ')} ({len(rows)})")
        emit_rows(rows[:25] if fmt == "table" else rows, fmt)


@main.command()
@STORE
@click.option("--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "nq", "graphml", "gexf", "csv"]),
              default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write (default stdout).")
@_guard
def export(store_dir, fmt, output):
    """Export the graph: RDF (ttl, jsonld, nt, nq) or the document projection (graphml, gexf for Gephi; csv)."""
    store = _open(store_dir)
    if fmt in ("graphml", "gexf", "csv"):
        from kg.analyze import export as ex
        from kg.analyze import projection

        data = ex(projection(store), fmt)
    else:
        import pyoxigraph as ox
        from rdflib import Dataset, Graph

        nq = store.dump(ox.RdfFormat.N_QUADS)
        if fmt == "nq":
            data = nq
        else:
            ds = Dataset()
            ds.parse(data=nq, format="nquads")
            if fmt == "jsonld":
                data = ds.serialize(format="json-ld", encoding="utf-8")
            else:  # Turtle and N-Triples have no named graphs: the union of all
                union = Graph()
                for s_, p_, o_, _g in ds.quads((None, None, None, None)):
                    union.add((s_, p_, o_))
                data = union.serialize(format="turtle" if fmt == "ttl" else "nt", encoding="utf-8")
    if output:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@STORE
@_guard
def validate(store_dir):
    """Check the graph against the SHACL shapes in ontology/shapes.ttl; list violations readably."""
    from kg.graph.validate import validate as v

    ok, rows = v(_open(store_dir))
    for r in rows:
        click.echo(f"{r['severity']}: {r['focus']} {r['path']}: {r['message']}")
    click.echo("conforms" if ok else f"{len(rows)} violation(s)", err=True)
    if not ok:
        sys.exit(1)


@main.command()
@STORE
@click.option("--top", type=int, default=20, show_default=True)
@FMT
@_guard
def analyze(store_dir, top, fmt):
    """networkx analytics: most cited by in-degree and PageRank, cycles, components."""
    from kg.analyze import components, cycles, most_cited, projection

    g = projection(_open(store_dir))
    rows = most_cited(g, top)
    emit_rows(rows, fmt, ["id", "kind", "in_degree", "pagerank"])
    if fmt == "table":
        cyc = cycles(g)
        comp = components(g)
        click.echo(f"\n{g.number_of_nodes()} nodes, {g.number_of_edges()} edges; {len(comp)} components "
                   f"(largest {comp[0] if comp else 0}); {len(cyc)} cycles")
        for c in cyc[:10]:
            click.echo("  cycle: " + " -> ".join(c))
