"""Validity tables for `kg check --registry FILE.csv`: a user's CSV read through a column mapping.

A table is read into a ``Registry`` (``kg.check.facts``) with a preset for the three tables in
``../shared/corpus/registry`` (``binhduong``, ``angiang``, ``tvpl``), an explicit mapping
(``--registry-columns``) or the default column names of ``registry.yaml``. The An Giang sheet,
whose relations stand in free text, has its own reader (``kg.check.angiang``); the graph's facts
come from ``kg.check.graph_facts``. The provider names are re-exported here, where callers have
always found them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from kg.check.angiang import read_angiang
from kg.check.bodies import place_in
from kg.check.facts import (OUT_OF_FORCE, CitedRef, FunctionProvider, Providers, Registry, Status,
                            ValidityProvider, from_function)
from kg.check.tables import registry_config
from kg.ingest.normalize import fold_key

__all__ = ["OUT_OF_FORCE", "CitedRef", "FunctionProvider", "Providers", "Registry", "Status", "ValidityProvider",
           "from_function", "load_registry", "parse_columns", "parse_date", "presets", "status_of"]


def presets() -> list[str]:
    return sorted(registry_config()["presets"])


def status_of(text: str | None) -> str:
    """A status cell in words -> one of the five statuses (or "unknown")."""
    t = fold_key(text or "")
    if not t:
        return "unknown"
    for word, status in registry_config()["status_words"]:
        if fold_key(word) in t:
            return status
    return "unknown"


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d\d)\b")
_ISO = re.compile(r"((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b")


def parse_date(text: str | None) -> str | None:
    """dd/mm/yyyy, d-m-yyyy or ISO in a cell -> ISO; None when there is no valid date."""
    if not text:
        return None
    m = _ISO.search(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY.search(text)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_columns(spec: str | None) -> dict[str, str]:
    """ "identifier=so_hieu,status=tinh_trang" -> mapping; the CLI's --registry-columns."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"column mapping {part!r}: expected KEY=COLUMN")
        k, v = (x.strip() for x in part.split("=", 1))
        if k not in registry_config()["default_columns"] and k not in ("jurisdiction", "as_of"):
            raise ValueError(f"column mapping: unknown key {k!r}; keys are "
                             + ", ".join([*registry_config()["default_columns"], "jurisdiction", "as_of"]))
        out[k] = v
    return out


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _pick(columns: list[str], candidates: list[str]) -> str | None:
    keys = {fold_key(c): c for c in columns}
    for c in candidates:
        if fold_key(c) in keys:
            return keys[fold_key(c)]
    return None


def _detect_preset(columns: list[str]) -> str | None:
    """The shared tables are recognised by their columns (``registry.yaml``, ``detect``), so
    --registry-preset is rarely needed."""
    cols = set(columns)
    for preset, needed in registry_config()["detect"]:
        if set(needed) <= cols:
            return preset
    return None


def load_registry(path: str | Path, preset: str | None = None, columns: dict[str, str] | None = None) -> Registry:
    """Read one CSV table: with a preset, an explicit mapping, or the default column names."""
    path = Path(path)
    names, rows = _read_rows(path)
    preset = preset or (None if columns else _detect_preset(names))
    mapping: dict[str, str] = {}
    if preset:
        if preset not in registry_config()["presets"]:
            raise ValueError(f"unknown registry preset {preset!r}; choose from {', '.join(presets())}")
        mapping.update(registry_config()["presets"][preset])
    mapping.update(columns or {})
    if mapping.get("reader") == "angiang":
        return read_angiang(path, rows, mapping)
    for key, cands in registry_config()["default_columns"].items():
        if key not in mapping:
            col = _pick(names, cands)
            if col:
                mapping[key] = col
    for key in ("identifier", "status", "replaced_by", "date", "change_date", "issuer"):
        col = mapping.get(key)
        if col is not None and col not in names:
            raise ValueError(f"{path.name}: no column {col!r} (for {key}); columns are {', '.join(names)}")
    if "identifier" not in mapping:
        raise ValueError(f"{path.name}: no identifier column; name it with --registry-columns identifier=COLUMN "
                         f"(columns are {', '.join(names)})")
    reg = Registry(as_of=mapping.get("as_of"))
    fixed_place = mapping.get("jurisdiction")
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        ident = re.sub(r"\s+", "", row.get(mapping["identifier"]) or "")
        if not re.match(r"\d", ident):
            continue
        status = status_of(row.get(mapping["status"])) if mapping.get("status") else "unknown"
        by = _identifiers(row.get(mapping["replaced_by"], "")) if mapping.get("replaced_by") else ()
        if by and status in ("unknown", "in_force"):
            status = "replaced"
        place = fixed_place or (place_in(row.get(mapping["issuer"], "")) if mapping.get("issuer") else None)
        reg.add(Status(
            identifier=ident, status=status, replaced_by=by,
            since=parse_date(row.get(mapping["change_date"])) if mapping.get("change_date") else None,
            date=parse_date(row.get(mapping["date"])) if mapping.get("date") else None,
            jurisdiction=place, source=f"{path.name}:{i}"))
    return reg


def _identifiers(text: str | None) -> tuple[str, ...]:
    """Identifiers of the documents a free-text cell names ("Quyết định số 08/2026/QĐ-UBND ...")."""
    if not text or not text.strip():
        return ()
    from kg.extract import extract_citations

    found = [c.identifier for c in extract_citations(text).citations if c.identifier and c.cited_by is None]
    if found:
        return tuple(dict.fromkeys(found))
    bare = re.sub(r"\s+", "", text)
    return (bare,) if re.match(r"\d+[/\-]", bare) else ()


