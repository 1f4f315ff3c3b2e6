"""The An Giang tracking sheet (preset ``angiang``): old -> new pairs that stand in free text.

Sở Tư pháp An Giang lists, row by row, a document to handle and the document that handled it;
which is old and which new, and whether it was replaced or repealed, is written in words. The
citation extractor reads both cells; this module only decides which pairs are facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.check.bodies import place_in
from kg.check.facts import Registry, Status
from kg.check.tables import registry_config
from kg.grammar.symbols import identifier_key, parse_symbol
from kg.ingest.normalize import fold_key
from kg.models import Citation


@dataclass(frozen=True)
class _Words:
    """The sheet's words (``registry.yaml``, ``angiang``), compiled once."""

    change_cue: re.Pattern[str]  # "thay thế" / "bãi bỏ" before the old documents
    starts_with_type: re.Pattern[str]  # a row that is itself the citation of the old document
    not_handled: str  # folded start of a row where nothing was done


@lru_cache(maxsize=1)
def _words() -> _Words:
    w = registry_config()["angiang"]
    return _Words(re.compile(w["change_cue"], re.IGNORECASE), re.compile(w["starts_with_type"]),
                  fold_key(w["not_handled"]))


def read_angiang(path: Path, rows: list[dict[str, str]], mapping: dict[str, str]) -> Registry:
    """Old -> new pairs from the Sở Tư pháp sheet: only rows already handled count.

    A handled row names the old document either as the whole of ``ten_van_ban`` ("Quyết định số
    48/2020/QĐ-UBND ngày ... của UBND tỉnh ...") or in its "(thay thế Nghị quyết số ...; ...)" /
    "bãi bỏ ..." tail, and the new document in ``vbqppl_da_ban_hanh``; both are read with the
    citation extractor. Pending rows (planned replacements) give nothing: nothing changed yet.
    """
    from kg.extract import extract_citations

    default_place = mapping.get("jurisdiction")
    reg = Registry(as_of=mapping.get("as_of"))
    for i, row in enumerate(rows, start=2):
        new_cell = (row.get("vbqppl_da_ban_hanh") or "").strip()
        if not new_cell or fold_key(new_cell).startswith(_words().not_handled):
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
        normative = [c for c in fresh if c.year and _has_year(c.identifier)]
        by_cits = normative or fresh[:1]
        if "het_hieu_luc_theo_thoi_gian" in flags:
            status, by = "expired", ()
            note = "hết hiệu lực theo thời gian" + (f"; công bố tại {fresh[0].doc_type or ''} số {fresh[0].identifier}"
                                                   if fresh else "")
        else:
            cue = _words().change_cue.search(ten)
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
            place = place_in(c.issuer) or place_in(ten) or default_place
            reg.add(Status(identifier=c.identifier, status=status, replaced_by=by, since=since, date=c.date,
                           jurisdiction=place, source=f"{path.name}:{i}", note=note))
    return reg


def _has_year(identifier: str) -> bool:
    """A number with its year (NN/YYYY/...): the normative shape, as the grammar parses it."""
    sym = parse_symbol(identifier)
    return sym is not None and sym.year is not None


def _starts_with_citation(text: str, c: Citation) -> bool:
    return c.start <= 3 and bool(_words().starts_with_type.match(text))


def _old_documents(ten: str) -> list[Citation]:
    """The document(s) a row is about: the row's own citation, or those after "thay thế"/"bãi bỏ"."""
    from kg.extract import extract_citations

    cits = [c for c in extract_citations(ten).citations if c.kind == "numbered" and c.identifier]
    if not cits:
        return []
    if _starts_with_citation(ten, cits[0]):
        return [cits[0]]
    cue = _words().change_cue.search(ten)
    if cue is None:
        return []
    return [c for c in cits if c.start > cue.start() and c.cited_by is None]
