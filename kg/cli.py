"""The `kg` command line: a thin layer over the library; every command has --format and clean errors.

Exit status: 0 when everything asked for succeeded, 1 when some input failed or findings were
reported, 2 on usage errors (click's own). No traceback reaches the user unless --debug is given.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import click

from kg import __version__
from kg.errors import KgError

FORMATS = click.Choice(["table", "json", "csv"])


class _Failure(click.ClickException):
    """How a KgError reaches the terminal: "Error: <message>", with the error's exit status."""

    def __init__(self, err: KgError):
        super().__init__(err.message)
        self.exit_code = err.exit_code


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn unexpected exceptions into one clear line (or the traceback with --debug)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*a: Any, **kw: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return fn(*a, **kw)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, BrokenPipeError):
            raise
        except KgError as e:
            if (ctx.find_root().params or {}).get("debug"):
                traceback.print_exc()
            raise _Failure(e) from None
        except KeyboardInterrupt:
            raise _Failure(KgError("interrupted")) from None
        except Exception as e:  # noqa: BLE001 - the user gets one line, --debug the traceback
            if (ctx.find_root().params or {}).get("debug"):
                traceback.print_exc()
            raise _Failure(KgError(f"internal error: {type(e).__name__}: {e}")) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """kg: which task rests on which regulation, from Vietnamese legal documents."""


WIDTH = 60  # a table cell's characters before it is shortened (with "…", and a line saying so)


def _full(ctx: click.Context, _param, value: bool) -> bool:
    ctx.meta["kg.full"] = ctx.meta.get("kg.full", False) or value
    return value


# Kept out of the commands' arguments: emit_rows reads it from the context.
FULL = click.option("--full", is_flag=True, expose_value=False, callback=_full,
                    help="Table: every row and every cell whole (no shortening).")


def emit_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None,
              limit: int | None = None) -> None:
    """Print rows as a table, JSON or CSV: the one output helper every query command uses.

    A table never cuts without saying so: rows past `limit` end in "… N more rows", shortened
    cells in a line counting them; --full prints everything. JSON and CSV are always whole."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(r.get(k)) for k in columns})
        click.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no rows)")
        return
    ctx = click.get_current_context(silent=True)
    full = bool(ctx and ctx.meta.get("kg.full"))
    shown = rows if full or limit is None else rows[:limit]
    cells = [[_cell(r.get(k)) for k in columns] for r in shown]
    cap = None if full else WIDTH
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    widths = [w if cap is None else min(cap, w) for w in widths]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    click.echo("  ".join("-" * w for w in widths))
    cut = 0
    for row in cells:
        cut += sum(len(v) > w for v, w in zip(row, widths))
        click.echo("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(row, widths)))
    if len(shown) < len(rows):
        click.echo(f"… {len(rows) - len(shown)} more rows ({len(rows)} in all): --full shows them, "
                   "--format csv or json gives them whole")
    if cut:
        click.echo(f"({cut} cell{'s' if cut != 1 else ''} shortened to {WIDTH} characters, marked …: "
                   "--full shows them whole)")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell(x) for x in v)
    return " ".join(str(v).split())


# -- extract ----------------------------------------------------------------------------------

def _outline(doc) -> str:
    """The plan as an indented outline of tasks with their citations, for a terminal."""
    out = [f"{doc.source}: {doc.header.doc_type or '?'} {doc.header.identifier or ''} "
           f"{doc.header.date or doc.header.date_partial or ''} - {doc.header.issuer or '?'}"]
    if doc.header.title:
        out.append(f"  {doc.header.title}")
    by_task: dict[str | None, list[int]] = {}
    for i, c in enumerate(doc.citations):
        by_task.setdefault(c.task, []).append(i)

    def cite_line(i: int, indent: str) -> str:
        c = doc.citations[i]
        rel = "căn cứ" if c.relation == "based_on" else "cites"
        bits = [c.identifier or c.title or "?", c.doc_type or "", c.date or "", c.issuer or ""]
        nested = f"  (in {c.cited_by})" if c.cited_by else ""
        return f"{indent}[{rel}] " + " | ".join(b for b in bits if b) + nested

    for i in by_task.get(None, []):
        out.append(cite_line(i, "  "))
    depth: dict[str, int] = {}
    sections = sorted(doc.sections, key=lambda s: s.start)
    k = 0
    for t in doc.tasks:
        while k < len(sections) and sections[k].start <= t.start:
            sec = sections[k]
            out.append(f"{'  ' * (sec.id.count('.') + 1)}{sec.id} {' '.join(sec.heading.split())}".rstrip())
            k += 1
        d = depth[t.parent] + 1 if t.parent in depth else (t.section or "").count(".") + 2
        depth[t.id] = d
        text = " ".join(t.text.split())
        roles = ", ".join(f"{a.role}: {a.name}" for a in t.agencies if a.role != "mentioned")
        out.append(f"{'  ' * d}{t.id} {text[:100]}{'…' if len(text) > 100 else ''}")
        if roles:
            out.append(f"{'  ' * (d + 2)}<{roles}>")
        for i in by_task.get(t.id, []):
            out.append(cite_line(i, "  " * (d + 2)))
    return "\n".join(out)


CITATION_COLUMNS = ["line", "relation", "kind", "identifier", "title", "doc_type", "date", "issuer", "pinpoints",
                    "cited_by", "task", "subject"]


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table", "csv"]), default="json",
              show_default=True, help="jsonl: one citation per line, with its source.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="Refuse larger files.")
@click.option("--max-inflated-mb", type=click.FloatRange(0.001), default=256.0, show_default=True,
              help="Refuse files that decompress or decode to more (a .docx zip bomb, a PDF's text).")
@click.option("--max-depth", type=click.IntRange(1), default=2000, show_default=True,
              help="Refuse files nested deeper (HTML elements, Word tables).")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes to extract with.")
@_guard
def extract(paths: tuple[str, ...], fmt: str, max_bytes: int, max_inflated_mb: float, max_depth: int,
            workers: int) -> None:
    """Extract header, citations, tasks and agencies from files or folders.

    One file gives one JSON object, several give a list, written document by document as each
    is done (so a failure late in a batch loses nothing before it); jsonl gives one citation per
    line. Offsets point into the text named by `text_kind` ("text" for a text file, "pdf-text"
    for the text read from a PDF ...). File names that are not UTF-8 are written with \\xNN.
    """
    from kg.batch import BatchResult, stream_batch, summary_table
    from kg.ingest.source import Limits

    limits = Limits(max_bytes=max_bytes, max_inflated=int(max_inflated_mb * 1024 * 1024), max_depth=max_depth)
    result: BatchResult = BatchResult()
    single = fmt == "json" and len(paths) == 1 and Path(paths[0]).is_file()
    out = _writer("json-one" if single else fmt)
    try:
        for _, doc in stream_batch(list(paths), _extract_source, result, max_bytes=max_bytes, workers=workers,
                                   keep=False, limits=limits):
            out.send(doc)
    finally:
        out.close()  # closes the JSON array whatever ended the batch: what was written stays valid
    if result.failed or len(paths) > 1 or any(Path(p).is_dir() for p in paths):
        click.echo(summary_table(result), err=True)
    if result.failed:
        sys.exit(1)


def _writer(fmt: str):
    """A coroutine that writes each document as it is sent, and the closing bracket when closed."""
    gen = {"json-one": _write_one, "json": _write_array, "jsonl": _write_lines, "csv": _write_csv,
           "table": _write_outline}[fmt]()
    next(gen)
    return gen


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _write_one():
    written = False
    try:
        doc = yield
        _out(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n")
        written = True
        while True:  # only one document is sent; anything more would be a bug upstream
            yield
    finally:
        if not written:
            _out("[]\n")  # the file failed: an empty list, as before


def _write_array():
    """The same bytes as json.dumps(list, indent=1), written element by element."""
    n = 0
    try:
        while True:
            doc = yield
            body = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1).replace("\n", "\n ")
            _out(("[\n " if n == 0 else ",\n ") + body)
            n += 1
    finally:
        _out("[]\n" if n == 0 else "\n]\n")


def _write_lines():
    while True:
        doc = yield
        d = doc.to_dict()
        _out("".join(json.dumps({"source": d["source"], "text_kind": d["text_kind"], **c}, ensure_ascii=False)
                     + "\n" for c in d["citations"]))


def _write_csv():
    w = csv.DictWriter(sys.stdout, fieldnames=["source", *CITATION_COLUMNS], extrasaction="ignore")
    w.writeheader()
    sys.stdout.flush()
    while True:
        d = (yield).to_dict()
        for c in d["citations"]:
            w.writerow({"source": _cell(d["source"]), **{k: _cell(c.get(k)) for k in CITATION_COLUMNS}})
        sys.stdout.flush()


def _write_outline():
    while True:
        doc = yield
        _out(_outline(doc) + "\n\n")


def _extract_source(src):
    from kg.extract import extract_text

    return extract_text(src.text, src.path, src.kind)


def _load_commands() -> None:
    import importlib

    from kg.commands import MODULES

    for name in MODULES:  # every command is always there: a missing package is an error, not a gap
        importlib.import_module(f"kg.commands.{name}")


_load_commands()


def run() -> None:
    """The console entry point: `kg ... | head` ends quietly when the pipe closes."""
    import os

    try:
        main()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    # `python -m kg.cli`: run the imported module's group, on which kg.commands registered themselves
    from kg.cli import run as _run

    _run()
