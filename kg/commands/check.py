"""`kg check`: lint a draft's citations like a legal officer would, before it is signed.

Exit status follows linters: 0 when nothing at or above --fail-on was found, 1 when something was
(or an input could not be read), 2 on usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli import KgError, _guard, emit_rows, main  # noqa: F401  (emit_rows: the shared output helper)

_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"}


def _read_for_check(src):
    """Header and citations are all the rules need; the structure stage is skipped."""
    from kg.extract import extract_citations

    return extract_citations(src.text, src.path, src.kind)


def _provider(registries: tuple[str, ...], preset: str | None, columns: str | None, store: str | None):
    from kg.check.graph_facts import graph_registry, timeline_registry
    from kg.check.registry import Providers, load_registry, parse_columns

    if not registries and (preset or columns):
        raise click.UsageError("--registry-preset and --registry-columns need --registry FILE.csv")
    if not registries and not store:
        return None
    try:
        mapping = parse_columns(columns)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--registry-columns") from None
    items = []
    for path in registries:
        if not Path(path).is_file():
            raise click.BadParameter(f"no such file: {path}", param_hint="--registry")
        try:
            reg = load_registry(path, preset, mapping or None)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--registry") from None
        click.echo(f"registry {Path(path).name}: {len(reg)} rows", err=True)
        items.append(reg)
    if store:
        from kg.graph.store import Store

        try:
            graph = Store.open_read(store)
        except FileNotFoundError as e:
            raise click.BadParameter(str(e), param_hint="--store") from None
        timeline = timeline_registry(graph)  # the graph's validity timeline first: it names the act and line
        click.echo(f"timeline {store}: {len(timeline)} acts", err=True)
        items.append(timeline)
        reg = graph_registry(graph)
        click.echo(f"graph {store}: {len(reg)} replacements and repeals", err=True)
        items.append(reg)
    return Providers(items)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--store", default=None, metavar="DIR",
              help="A graph built with `kg build`: its documents that replace or repeal others count too.")
@click.option("--registry", "registries", multiple=True, metavar="FILE.csv",
              help="A validity table (CSV) to look cited documents up in; repeatable.")
@click.option("--registry-preset", type=click.Choice(["binhduong", "angiang", "tvpl"]), default=None,
              help="Column mapping of a known table (guessed from the columns when omitted).")
@click.option("--registry-columns", default=None, metavar="KEY=COL,...",
              help="Column mapping of your own table: identifier=,status=,replaced_by=,date=,change_date=,issuer=.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["warning", "error"]), default="warning", show_default=True,
              help="Lowest severity that makes the exit status 1.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the explanations.")
@click.option("--rule", "only", multiple=True, help="Run only these rule ids (repeatable); see --list-rules.")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--max-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="Refuse larger files.")
@_guard
def check(paths: tuple[str, ...], store: str | None, registries: tuple[str, ...], registry_preset: str | None,
          registry_columns: str | None, fmt: str, fail_on: str, lang: str, only: tuple[str, ...],
          list_rules: bool, max_bytes: int) -> None:
    """Check the citations of documents (files or folders): form of numbers, dates, validity, legal basis.

    Each finding gives the rule id, severity, file:line:column, the quoted text and a one-line
    explanation (Vietnamese, or English with --lang en).
    """
    from kg.batch import run_batch, summary_table
    from kg.check import RULES, at_or_above, check_document

    if list_rules:
        for r in RULES.values():
            click.echo(f"{r.id:24} {r.severity:8} {r.title_en if lang == 'en' else r.title_vi}")
        return
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...'.")
    unknown = [r for r in only if r not in RULES]
    if unknown:
        raise click.BadParameter(f"unknown rule {', '.join(unknown)}; see --list-rules", param_hint="--rule")
    provider = _provider(registries, registry_preset, registry_columns, store)
    result = run_batch(list(paths), _read_for_check, max_bytes=max_bytes, workers=1)
    findings = []
    for _, doc in result.ok:
        findings.extend(check_document(doc, provider, lang, list(only) or None))
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            sev = f.severity if lang == "en" else _SEVERITY_VI[f.severity]
            click.echo(f"{f.file}:{f.line}:{f.column}: {sev} [{f.rule}] {f.message}")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    files = len(result.ok)
    if lang == "en":
        summary = f"{len(findings)} findings ({counts['error']} errors, {counts['warning']} warnings) in {files} files"
    else:
        summary = f"{len(findings)} phát hiện ({counts['error']} lỗi, {counts['warning']} cảnh báo) trong {files} tệp"
    click.echo(summary, err=True)
    if result.failed or len(paths) > 1 or any(Path(p).is_dir() for p in paths):
        if result.failed:
            click.echo(summary_table(result), err=True)
    if result.failed or any(at_or_above(f.severity, fail_on) for f in findings):
        sys.exit(1)
    if not result.ok:
        raise KgError("no document could be read")
