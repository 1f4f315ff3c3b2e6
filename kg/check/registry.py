"""Validity facts for `kg check`: is a cited document still in force, and what replaced it?

The check asks a *provider*; it never reads a table itself. A provider answers one question: given
a cited document (its identifier key, plus the date and province the citation gives, which tell
two "01/QĐ-UBND" apart), which validity facts are known about it. Two kinds exist today:

* ``Registry``: a user's CSV table read through a small column mapping, with presets for the
  three tables in ``../shared/corpus/registry`` (``binhduong``, ``angiang``, ``tvpl``);
* ``graph_registry``: the replacements and repeals of a graph built with ``kg build``;
* ``from_function``: wraps any ``key -> Status`` function (another source, a test double).

Statuses are the words of the portals reduced to five: replaced, repealed, expired, partly (hết
hiệu lực một phần), in_force; anything else is "unknown" and never reported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Protocol

import yaml

from kg.grammar.symbols import code_type, identifier_key
from kg.ingest.normalize import fold_key

DATA = Path(__file__).parent / "data"

OUT_OF_FORCE = ("replaced", "repealed", "expired", "partly")


@dataclass(frozen=True)
class Status:
    """One fact about one document: its status, what changed it and since when."""

    identifier: str
    status: str  # replaced | repealed | expired | partly | in_force | unknown
    replaced_by: tuple[str, ...] = ()
    since: str | None = None  # ISO date from which the status holds (None: not known)
    date: str | None = None  # issue date of the document itself, when the table gives it
    jurisdiction: str | None = None  # province of a local document; None for central ones
    source: str = ""  # where the fact comes from, for the message ("FILE.csv:12": table and row)
    note: str | None = None

    @property
    def out_of_force(self) -> bool:
        return self.status in OUT_OF_FORCE


@dataclass(frozen=True)
class CitedRef:
    """What a citation tells about the cited document, enough to pick the right table row."""

    key: str  # identifier_key of the số hiệu
    identifier: str
    date: str | None = None  # ISO issue date as cited
    jurisdiction: str | None = None  # province of the issuer as cited
    local: bool = False  # issued by a local body: rows of another province do not match
    yearless: bool = False  # number carries no year (administrative, party): numbers repeat yearly


class ValidityProvider(Protocol):
    def lookup(self, ref: CitedRef) -> list[Status]:
        """Every fact known about the cited document (an empty list when none)."""
        ...


@dataclass
class FunctionProvider:
    """A provider over a plain function ``key -> Status | [Status] | None`` (the graph's shape)."""

    fn: Callable[[str], Status | Iterable[Status] | None]

    def lookup(self, ref: CitedRef) -> list[Status]:
        got = self.fn(ref.key)
        if got is None:
            return []
        return [got] if isinstance(got, Status) else list(got)


def from_function(fn: Callable[[str], Status | Iterable[Status] | None]) -> FunctionProvider:
    return FunctionProvider(fn)


@dataclass
class Providers:
    """Several providers asked in turn (a registry table and the graph): all facts are kept."""

    items: list[ValidityProvider] = field(default_factory=list)

    def lookup(self, ref: CitedRef) -> list[Status]:
        return [s for p in self.items for s in p.lookup(ref)]


@dataclass
class Registry:
    """Facts from tables, by identifier key; rows are matched with the citation's year and province."""

    entries: dict[str, list[Status]] = field(default_factory=dict)
    knows_places: bool = False  # some row names a province: central rows then match central citations only
    as_of: str | None = None  # status with no change date: counted from this date
    name: str = "registry"

    def add(self, s: Status) -> None:
        self.entries.setdefault(identifier_key(s.identifier), []).append(s)
        if s.jurisdiction:
            self.knows_places = True

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def statuses(self) -> Iterable[Status]:
        for v in self.entries.values():
            yield from v

    def lookup(self, ref: CitedRef) -> list[Status]:
        out = []
        for s in self.entries.get(ref.key, ()):
            if self.knows_places:
                if s.jurisdiction:
                    if not ref.local or not ref.jurisdiction or fold_key(ref.jurisdiction) != fold_key(s.jurisdiction):
                        continue
                elif ref.local:
                    continue  # a central row cannot be a province's document
            if ref.yearless:  # "1707/QĐ-UBND" exists every year: the year must agree
                if not (s.date and ref.date and s.date[:4] == ref.date[:4]):
                    continue
            if s.since is None and self.as_of and s.out_of_force:
                s = _with_since(s, self.as_of)
            out.append(s)
        return out


def _with_since(s: Status, since: str) -> Status:
    return Status(s.identifier, s.status, s.replaced_by, since, s.date, s.jurisdiction, s.source,
                  s.note or "unknown-change-date")


# -- reading tables -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def config() -> dict:
    with open(DATA / "registry.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def presets() -> list[str]:
    return sorted(config()["presets"])


def status_of(text: str | None) -> str:
    """A status cell in words -> one of the five statuses (or "unknown")."""
    t = fold_key(text or "")
    if not t:
        return "unknown"
    for word, status in config()["status_words"]:
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
        if k not in config()["default_columns"] and k not in ("jurisdiction", "as_of"):
            raise ValueError(f"column mapping: unknown key {k!r}; keys are "
                             + ", ".join([*config()["default_columns"], "jurisdiction", "as_of"]))
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
    """The shared tables are recognised by their columns, so --registry-preset is rarely needed."""
    cols = set(columns)
    if {"ten_van_ban", "vbqppl_da_ban_hanh"} <= cols:
        return "angiang"
    if {"so_ky_hieu_norm", "hieu_luc"} <= cols:
        return "binhduong"
    if {"so_hieu", "tinh_trang", "noi_ban_hanh"} <= cols:
        return "tvpl"
    return None


def load_registry(path: str | Path, preset: str | None = None, columns: dict[str, str] | None = None) -> Registry:
    """Read one CSV table: with a preset, an explicit mapping, or the default column names."""
    path = Path(path)
    names, rows = _read_rows(path)
    preset = preset or (None if columns else _detect_preset(names))
    mapping: dict[str, str] = {}
    if preset:
        if preset not in config()["presets"]:
            raise ValueError(f"unknown registry preset {preset!r}; choose from {', '.join(presets())}")
        mapping.update(config()["presets"][preset])
    mapping.update(columns or {})
    if mapping.get("reader") == "angiang":
        return _read_angiang(path, rows, mapping)
    for key, cands in config()["default_columns"].items():
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
    reg = Registry(as_of=mapping.get("as_of"), name=path.name)
    fixed_place = mapping.get("jurisdiction")
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        ident = re.sub(r"\s+", "", row.get(mapping["identifier"]) or "")
        if not re.match(r"\d", ident):
            continue
        status = status_of(row.get(mapping["status"])) if mapping.get("status") else "unknown"
        by = _identifiers(row.get(mapping["replaced_by"], "")) if mapping.get("replaced_by") else ()
        if by and status in ("unknown", "in_force"):
            status = "replaced"
        place = fixed_place or (_place_in(row.get(mapping["issuer"], "")) if mapping.get("issuer") else None)
        reg.add(Status(
            identifier=ident, status=status, replaced_by=by,
            since=parse_date(row.get(mapping["change_date"])) if mapping.get("change_date") else None,
            date=parse_date(row.get(mapping["date"])) if mapping.get("date") else None,
            jurisdiction=place, source=f"{path.name}:{i}"))
    return reg


def _place_in(text: str | None) -> str | None:
    from kg.resolve.issuers import find_place

    p = find_place(text or "")
    return p.name if p else None


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


# -- the An Giang tracking sheet ----------------------------------------------------------------

_CUE = re.compile(r"\b(thay\s+thế|bãi\s+bỏ)\b", re.IGNORECASE)


def _read_angiang(path: Path, rows: list[dict[str, str]], mapping: dict[str, str]) -> Registry:
    """Old -> new pairs from the Sở Tư pháp sheet: only rows already handled count.

    A handled row names the old document either as the whole of ``ten_van_ban`` ("Quyết định số
    48/2020/QĐ-UBND ngày ... của UBND tỉnh ...") or in its "(thay thế Nghị quyết số ...; ...)" /
    "bãi bỏ ..." tail, and the new document in ``vbqppl_da_ban_hanh``; both are read with the
    citation extractor. Pending rows (planned replacements) give nothing: nothing changed yet.
    """
    from kg.extract import extract_citations

    default_place = mapping.get("jurisdiction")
    reg = Registry(as_of=mapping.get("as_of"), name=path.name)
    for i, row in enumerate(rows, start=2):
        new_cell = (row.get("vbqppl_da_ban_hanh") or "").strip()
        if not new_cell or fold_key(new_cell).startswith("đề xuất không"):
            continue
        flags = {k[len("xu_ly_"):] for k, v in row.items() if k.startswith("xu_ly_") and (v or "").strip()}
        if "giu_nguyen" in flags:
            continue
        ten = row.get("ten_van_ban") or ""
        olds = _old_documents(ten)
        if not olds:
            continue
        new_cits = [c for c in extract_citations(new_cell).citations if c.kind == "numbered" and c.cited_by is None]
        old_keys = {identifier_key(c.identifier) for c in olds}
        fresh = [c for c in new_cits if identifier_key(c.identifier) not in old_keys and c.effect != "corrects"]
        normative = [c for c in fresh if c.year and re.search(r"/(?:19|20)\d\d/", c.identifier)]
        by_cits = normative or fresh[:1]
        if "het_hieu_luc_theo_thoi_gian" in flags:
            status, by = "expired", ()
            note = "hết hiệu lực theo thời gian" + (f"; công bố tại {fresh[0].doc_type or ''} số {fresh[0].identifier}"
                                                   if fresh else "")
        else:
            cue = _CUE.search(ten)
            word = fold_key(cue.group(1)) if cue and not _starts_with_citation(ten, olds[0]) else None
            if "bai_bo" in flags or word == "bãi bỏ":
                status = "repealed"
            elif "thay_the" in flags or word == "thay thế":
                status = "replaced"
            else:
                continue
            by, note = tuple(c.identifier for c in by_cits), None
        since = next((c.date for c in by_cits if c.date), None) or (fresh[0].date if fresh else None)
        for c in olds:
            place = _place_in(c.issuer) or _place_in(ten) or default_place
            reg.add(Status(identifier=c.identifier, status=status, replaced_by=by, since=since, date=c.date,
                           jurisdiction=place, source=f"{path.name}:{i}", note=note))
    return reg


def _starts_with_citation(text: str, c) -> bool:
    return c.start <= 3 and bool(re.match(r"\s*(?:Quyết|Nghị|Chỉ)", text))


def _old_documents(ten: str) -> list:
    """The document(s) a row is about: the row's own citation, or those after "thay thế"/"bãi bỏ"."""
    from kg.extract import extract_citations

    cits = [c for c in extract_citations(ten).citations if c.kind == "numbered" and c.identifier]
    if not cits:
        return []
    if _starts_with_citation(ten, cits[0]):
        return [cits[0]]
    cue = _CUE.search(ten)
    if cue is None:
        return []
    return [c for c in cits if c.start > cue.start() and c.cited_by is None]


# -- the graph ----------------------------------------------------------------------------------

_GRAPH_QUERY = """
PREFIX kg: <https://w3id.org/vn-legal-kg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?m ?ident ?date ?juris ?rel ?by_id ?by_date ?by_src ?pin ?quote WHERE {
  VALUES ?rel { $RELATIONS }
  ?m kg:inDocument ?by ; kg:cited ?node ; kg:relation ?rel .
  FILTER NOT EXISTS { ?m kg:nestedIn ?outer }
  ?by kg:inCorpus true ; eli:id_local ?by_id .
  ?node eli:id_local ?ident .
  OPTIONAL { ?m kg:pinpoint ?pin }
  OPTIONAL { ?m kg:quote ?quote }
  OPTIONAL { ?node eli:date_document ?date }
  OPTIONAL { ?node eli:jurisdiction ?juris }
  OPTIONAL { ?by eli:date_document ?by_date }
  OPTIONAL { ?by kg:source ?by_src }
}"""


def graph_registry(store) -> Registry:
    """Replacements and repeals the built graph knows (``kg build``), as registry facts.

    The graph's edges come from cue words next to a citation ("thay thế", "bãi bỏ", "hết hiệu
    lực"), so a fact is kept only when it can be true: the replacing document is a numbered
    normative document of the corpus, newer than the one it replaces and of no lower legal force
    (a decree does not repeal a law; a plan that mentions a replacement is not the replacing
    document), and the sentence is no phrase substitution ("thay thế cụm từ ...") or passive
    ("... được thay thế bởi ...": the cited document is then the new one). A change aimed at an article ("bãi bỏ khoản 2 Điều 20 Thông tư số ..."), or made by
    a document that also amends it ("sửa đổi, bổ sung ...; thay thế, bãi bỏ một số quy định của
    ..."), makes the document "partly" out of force, not wholly.
    """
    from kg.check.rules import is_normative, symbol_rank
    from kg.grammar.symbols import parse_symbol
    from kg.graph.vocab import RELATIONS

    q = _GRAPH_QUERY.replace("$RELATIONS", " ".join(f"<{RELATIONS[r][0]}>" for r in ("replaces", "repeals", "amends")))
    rows = store.query(q)
    amended = {(r["ident"], r["by_id"]) for r in rows if str(r["rel"]) == str(RELATIONS["amends"][0])}
    not_a_change = [fold_key(w) for w in config().get("graph_not_a_change", [])]
    facts: dict[tuple, dict] = {}
    for r in rows:
        if str(r["rel"]) == str(RELATIONS["amends"][0]):
            continue
        sentence = fold_key(str(r.get("quote") or ""))
        if any(w in sentence for w in not_a_change):
            continue
        by, ident = r["by_id"], r["ident"]
        sym = parse_symbol(by)
        dt = code_type(sym) if sym else None
        if not (sym and dt and is_normative(dt.name, sym)):
            continue
        mine, theirs = symbol_rank(by), symbol_rank(ident)
        if mine is not None and theirs is not None and mine > theirs:
            continue
        if r.get("date") and r.get("by_date") and str(r["by_date"]) <= str(r["date"]):
            continue
        status = "replaced" if str(r["rel"]).endswith("thay-the") else "repealed"
        f = facts.setdefault((ident, by, status), {"row": r, "whole": False, "parts": set()})
        if r.get("pin"):
            f["parts"].add(str(r["pin"]))
        elif (ident, by) not in amended:  # a document that amends another changes only parts of it
            f["whole"] = True  # one mention of the whole document is enough
    reg = Registry(name="graph")
    for (ident, by, status), f in facts.items():
        r, whole = f["row"], f["whole"]
        reg.add(Status(identifier=ident, status=status if whole else "partly", replaced_by=(by,),
                       since=r.get("by_date"), date=r.get("date"), jurisdiction=r.get("juris"),
                       source=f"graph: {r.get('by_src') or by}",
                       note=None if whole else "; ".join(sorted(f["parts"]))[:120]))
    return reg
