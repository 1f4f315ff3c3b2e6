"""Score extraction against hand annotations that follow ../shared/gold/GUIDELINE.md.

The unit is the distinct cited document (the guideline makes one entry per document and
relation), so a citation repeated ten times counts once, as legal staff would count it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.citations import identifier_key
from kg.ingest.normalize import fold_key, fold_string
from kg.models import Document


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    field_ok: dict[str, int] = field(default_factory=lambda: {"date": 0, "issuer": 0, "relation": 0, "doc_type": 0})
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_rate(self, name: str) -> float:
        return self.field_ok[name] / self.tp if self.tp else 1.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for k, v in other.field_ok.items():
            self.field_ok[k] += v
        self.misses += other.misses
        self.extras += other.extras
        self.wrong += other.wrong


def _norm_issuer(s: str | None) -> str:
    return fold_key(s or "")


def score_numbered(doc: Document, gold: dict) -> Score:
    """Distinct numbered documents: identifier match; then date, issuer, type on the matched ones."""
    s = Score()
    got: dict[str, list] = {}
    for c in doc.citations:
        if c.identifier:
            got.setdefault(identifier_key(c.identifier), []).append(c)
    want: dict[str, list] = {}
    for g in gold.get("citations", []):
        if g.get("identifier"):
            want.setdefault(identifier_key(g["identifier"]), []).append(g)
    for k, gs in want.items():
        if k not in got:
            s.fn += 1
            s.misses.append(f"{doc.source}: missed {gs[0]['identifier']}")
            continue
        s.tp += 1
        cs = got[k]
        g = gs[0]
        dates = {c.date for c in cs if c.date}
        gdates = {x.get("date") for x in gs if x.get("date")}
        if (gdates & dates) or (not gdates and not dates) or (not gdates):
            s.field_ok["date"] += 1
        else:
            s.wrong.append(f"{doc.source}: {g['identifier']} date {sorted(dates)} != {sorted(gdates)}")
        iss = {_norm_issuer(c.issuer) for c in cs if c.issuer}
        giss = {_norm_issuer(x.get("issuer")) for x in gs if x.get("issuer")}
        if (giss & iss) or not giss:
            s.field_ok["issuer"] += 1
        else:
            s.wrong.append(f"{doc.source}: {g['identifier']} issuer {sorted(iss)} != {sorted(giss)}")
        rels = {c.relation for c in cs}
        grels = {x.get("relation") for x in gs}
        if rels == grels:
            s.field_ok["relation"] += 1
        else:
            s.wrong.append(f"{doc.source}: {g['identifier']} relation {sorted(rels)} != {sorted(grels)}")
        types = {fold_key(c.doc_type or "") for c in cs}
        if fold_key(g.get("doc_type") or "") in types:
            s.field_ok["doc_type"] += 1
        else:
            s.wrong.append(f"{doc.source}: {g['identifier']} type {sorted(types)} != {g.get('doc_type')}")
    for k, cs in got.items():
        if k not in want:
            s.fp += 1
            s.extras.append(f"{doc.source}: extra {cs[0].identifier} line {cs[0].line}")
    return s


def _title_key(t: str, n: int = 5) -> str:
    """First words of a title; abbreviations expanded on both sides ("Luật tổ chức HĐND và UBND")."""
    from kg.extract.patterns import law_abbreviations

    rx, table = law_abbreviations()
    t = rx.sub(lambda m: table[m.group(0)], fold_string(t))
    return " ".join(fold_key(t).replace(",", " ").split()[:n])


def score_named(doc: Document, gold: dict) -> Score:
    """Documents cited by name: the first five words of the title decide a match."""
    s = Score()
    got = {_title_key(c.title) for c in doc.citations if c.kind == "named" and c.title}
    want = {_title_key(g.get("title") or g.get("text") or "")
            for g in gold.get("named", gold.get("named_references", []))}
    want.discard("")
    for w in want:
        if w in got:
            s.tp += 1
        else:
            s.fn += 1
            s.misses.append(f"{doc.source}: missed named '{w}'")
    for g in got - want:
        s.fp += 1
        s.extras.append(f"{doc.source}: extra named '{g}'")
    return s


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
