"""Validity commands: `kg status X [--on DATE]` (one screen: what X is, its status on the day, the
acts on it with their words, what replaced it) and `kg changes [--since DATE|BUILD]` (the acts
that reached the graph, and the tasks resting on what they changed)."""

from __future__ import annotations

import json
from datetime import date

import click

from kg.cli import FORMATS, _guard, emit_rows, main


def _graph():
    """kg.commands.graph, imported when a command runs: importing it here would close a cycle while
    kg.cli loads the command modules."""
    import kg.commands.graph as g

    return g


def _day(ctx, param, value):
    return _graph()._day(ctx, param, value)


def _endpoint(ctx, param, value):
    return _graph()._endpoint(ctx, param, value)


STORE = click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
                     help="Store directory (default .kg/store, or $KG_STORE).")
ENDPOINT = click.option("--endpoint", default=None, expose_value=False, callback=_endpoint, metavar="URL",
                        help="A SPARQL 1.1 server holding the graph instead of --store.")



ON = click.option("--on", "on", default=None, metavar="DATE", callback=_day,
                  help="Status on this date (2026-03-01 or 01/03/2026); default today.")
REGISTRY = click.option("--registry", "registries", multiple=True, metavar="FILE.csv",
                        help="A validity table (the CSV presets of `kg check`); its rows are shown beside the corpus's acts.")


def _registries(paths: tuple[str, ...]) -> list:
    from kg.check.registry import load_registry

    out = []
    for p in paths:
        try:
            out.append(load_registry(p))
        except (OSError, ValueError) as e:
            raise click.BadParameter(f"{p}: {getattr(e, 'strerror', None) or e}", param_hint="--registry") from None
    return out


def status_report(store, text: str, on: str | None = None, registries=()) -> dict:
    """The Python API of `kg status`: what X is, its status on the day, the facts in date order."""
    from kg.graph.query import describe
    from kg.graph.timeline import act_label, timeline

    t = timeline(store, text, registries)
    info = describe(store, [t.node]).get(t.node, {})
    st = t.on(on or date.today().isoformat())
    facts = [{"date": f.date, "kind": f.kind, "act": f.act, "act_vi": f"bảng: {_label(f.status)}" if f.kind == "registry" else act_label(f.act), "by": f.by,
              "scope": "; ".join(f.scope), "status_vi": _label(f.status), "source": f.source, "line": f.line,
              "quote": f.quote} for f in t.facts()]
    return {"id": info.get("id") or t.identifier or t.node, "type": info.get("type"), "title": info.get("title"),
            "date": info.get("date"), "issuer": info.get("issuer"), "in_corpus": bool(info.get("in_corpus")),
            "node": t.node, "on": st.on, "status": st.status, "status_vi": st.status_vi, "sources": st.sources,
            "evidence": st.evidence(), "gone": st.gone, "amended": st.amended,
            "replaced_by": t.replaced_by(), "no_longer_in_force": t.no_longer_in_force(), "timeline": facts}


def _label(status: str) -> str:
    from kg.graph.timeline import label

    return label(status)


def _screen(r: dict) -> None:
    what = " ".join(x for x in (r["type"], r["id"]) if x)
    click.echo(f"{what}" + (f" ngày {r['date']}" if r["date"] else "") + (f" của {r['issuer']}" if r["issuer"] else ""))
    if r["title"]:
        click.echo(f"  {r['title']}")
    click.echo(f"Tình trạng ngày {r['on']} (status on {r['on']}): {r['status_vi']} ({r['status']})")
    if len(r["sources"]) > 1 or r["status"] == "disputed":
        for src, s in r["sources"].items():
            click.echo(f"  theo {'kho văn bản' if src == 'corpus' else src}: {_label(s)}")
    if r["evidence"]:
        click.echo(f"  căn cứ (evidence): {r['evidence']}")
    if r["gone"]:
        click.echo(f"  hết hiệu lực (provisions gone): {'; '.join(r['gone'])}")
    if r["amended"]:
        click.echo(f"  đã sửa đổi, bổ sung (amended): {'; '.join(r['amended'])}")
    if r["replaced_by"]:
        click.echo(f"Bị thay thế / bãi bỏ bởi (replaced by): {', '.join(r['replaced_by'])}")
    click.echo("Dòng thời gian (timeline):")
    emit_rows(r["timeline"], "table", ["date", "act_vi", "by", "scope", "status_vi", "source", "line", "quote"])


@main.command()
@click.argument("identifier")
@STORE
@ENDPOINT
@ON
@REGISTRY
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def status(identifier, store_dir, on, registries, fmt):
    """Is IDENTIFIER in force (today or --on DATE), which acts changed it, and what replaced it."""
    r = _graph()._lookup(status_report, _graph()._open(store_dir), identifier, on, _registries(registries))
    if fmt == "json":
        click.echo(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        _screen(r)


@main.command()
@STORE
@ENDPOINT
@click.option("--since", default=None, metavar="DATE|BUILD",
              help="Acts from the builds after this build id, or from this date on (default: the last build).")
@click.option("--builds", "list_builds", is_flag=True, help="List the builds in the log and exit.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@_guard
def changes(store_dir, since, list_builds, fmt):
    """What changed under the tasks: the acts that reached the graph since DATE or BUILD, and the
    tasks and documents resting on each changed document, with the tasks' agencies."""
    from kg.graph import changes as ch

    g = _graph()
    store = g._open(store_dir)
    if list_builds:
        rows = [{"build": b.id, "time": b.time, "added": len(b.added), "updated": len(b.updated),
                 "removed": len(b.removed)} for b in g._lookup(ch.builds, store)]
        emit_rows(rows, fmt, ["build", "time", "added", "updated", "removed"])
        return
    rows = g._lookup(ch.changes, store, since)
    if fmt == "table":
        for line in ch.summary(rows):
            click.echo(line)
        click.echo("")
    emit_rows(rows, fmt, ["by", "act", "target", "scope", "effective", "depth", "kind", "id", "agency", "document",
                          "via", "quote"])
