"""Score extraction against hand annotations that follow ../shared/gold/GUIDELINE.md.

The unit is the distinct cited document (the guideline makes one entry per document and
relation), so a citation repeated ten times counts once, as legal staff would count it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.grammar.symbols import identifier_key
from kg.ingest.normalize import fold_key, fold_string
from kg.models import Act, Document


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


# -- the document's own header ----------------------------------------------------------------

HEADER_FIELDS = ("doc_type", "identifier", "date", "issuer")


def score_header(doc: Document, gold: dict) -> dict[str, tuple[int, int]]:
    """Per header field: (right, 1). A field the text leaves blank is right only when kg leaves it blank."""
    h, g = doc.header, gold.get("header") or {}
    out: dict[str, tuple[int, int]] = {}
    for f in HEADER_FIELDS:
        got, want = getattr(h, f, None), g.get(f)
        if f == "identifier":  # a blank number ("/KH-UBND", or null in the gold) is no number
            got, want = (x if x and x[:1].isdigit() else None for x in (got, want))
            ok = (identifier_key(got) if got else None) == (identifier_key(want) if want else None)
        else:
            ok = fold_key(got or "") == fold_key(want or "")
        out[f] = (int(ok), 1)
    want_eff = (g.get("effective") or {}).get("date") if isinstance(g.get("effective"), dict) else g.get("effective")
    if "effective" in g:
        out["effective"] = (int(doc.effective == want_eff), 1)
    return out


# -- effects: what the document does to another --------------------------------------------------

def _provision(p: str) -> str:
    return " ".join(fold_key(p).split())


def _scope(scope) -> frozenset[str] | str:
    """A scope as a set of single provisions: "điểm b, điểm c khoản 5 Điều 13" counts as the two
    provisions it names, however the annotator grouped them."""
    from kg.extract.provisions import parse_provisions

    if scope in (None, "whole") or scope == []:
        return "whole"
    out = set()
    for p in scope:
        one, n = parse_provisions(p)
        out |= {_provision(x) for x in one} if one and n >= len(p.rstrip()) else {_provision(p)}
    return frozenset(out)


def _target_key(ident: str | None, title: str | None) -> str:
    return identifier_key(ident) if ident else _title_key(title or "")


def predicted_effects(doc: Document) -> dict[tuple[str, str], dict]:
    """(target, act) -> {"scope", "effective", "label"} from the document's effects (or, for an
    extractor that only types citations, from each citation's effect, its pinpoints as scope)."""
    out: dict[tuple[str, str], dict] = {}
    effects = doc.effects
    if effects or not any(c.effect for c in doc.citations):
        rows = [(e.target, e.target_title, Act(e.act).value, e.scope, e.effective) for e in effects]
    else:
        rows = [(c.identifier, c.title, c.effect, c.pinpoints or "whole", None) for c in doc.citations if c.effect]
    for ident, title, act, scope, effective in rows:
        key = (_target_key(ident, title), act)
        cur = out.setdefault(key, {"scope": _scope(scope), "effective": effective, "label": ident or title})
        new = _scope(scope)
        if cur["scope"] != new:
            cur["scope"] = "whole" if "whole" in (cur["scope"], new) else cur["scope"] | new
    return out


def score_effects(doc: Document, gold: dict) -> Score:
    """An effect counts when its target, act and scope are all right (the issue's rule)."""
    s = Score(field_ok={"effective": 0})
    got = predicted_effects(doc)
    want = {(_target_key(g.get("target"), g.get("target") if not any(ch.isdigit() for ch in g.get("target") or "")
                         else None), g["act"]): g for g in gold.get("effects", [])}
    for key, g in want.items():
        p = got.get(key)
        if p is not None and p["scope"] == _scope(g.get("scope")):
            s.tp += 1
            if p["effective"] == g.get("effective"):
                s.field_ok["effective"] += 1
            continue
        s.fn += 1
        s.misses.append(f"{doc.source}: missed {g['act']} {g.get('target')} {g.get('scope')}"
                        + (f" (got scope {sorted(p['scope']) if p['scope'] != 'whole' else 'whole'})" if p else ""))
    for key, p in got.items():
        g = want.get(key)
        if g is None or p["scope"] != _scope(g.get("scope")):
            s.fp += 1
            s.extras.append(f"{doc.source}: extra {key[1]} {p['label']} "
                            f"{sorted(p['scope']) if p['scope'] != 'whole' else 'whole'}")
    return s


# -- structure: tasks, citations on tasks, roles ------------------------------------------------------

def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


def in_scope(tid: str, scope) -> bool:
    return scope is None or any(tid == s or tid.startswith(s + ".") for s in scope)


def score_structure(doc: Document, gold: dict) -> dict[str, int]:
    """Counts for task boundaries (an annotated start found, in order, each task once), ids, roles
    (task, agency, role), agencies found, citations on the right task, and table rows read."""
    pred = [t for t in doc.tasks if t.kind not in ("recipients", "signature") and in_scope(t.id, gold.get("scope"))]
    used: set[int] = set()
    matched: dict[str, object] = {}
    for gid, start in gold["tasks"]:
        k = next((i for i, t in enumerate(pred) if i not in used and _norm(t.text).startswith(_norm(start))), None)
        if k is not None:
            used.add(k)
            matched[gid] = pred[k]
    gold_roles = {(g[0], g[1], g[2]) for g in gold["roles"]}
    scoped = {g[0] for g in gold["roles"]}
    pred_roles = {(gid, a.name, a.role) for gid, t in matched.items() for a in t.agencies
                  if a.role != "mentioned" and gid in scoped}
    names = {a.name for a in doc.agencies}
    cit_ok = cit_n = 0
    for tid, ident in gold.get("citations", []):
        cit_n += 1
        want_task = matched.get(tid).id if tid is not None and tid in matched else None
        if tid is not None and want_task is None:
            continue
        key = _target_key(ident if any(ch.isdigit() for ch in ident) else None, ident)
        if any(_target_key(c.identifier, c.title) == key and c.task == want_task for c in doc.citations):
            cit_ok += 1
    rows = gold.get("table_rows", [])
    return {"tp": len(matched), "pred": len(pred), "gold": len(gold["tasks"]),
            "ids": sum(1 for gid, t in matched.items() if t.id == gid),
            "role_tp": len(gold_roles & pred_roles), "role_pred": len(pred_roles), "role_gold": len(gold_roles),
            "ag_found": sum(1 for a in gold["agencies"] if a in names), "ag_gold": len(gold["agencies"]),
            "cit_ok": cit_ok, "cit_gold": cit_n,
            "rows_found": sum(1 for r in rows if r["id"] in matched), "rows_gold": len(rows)}


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 1.0
