"""Short forms that point back to a full citation: a law named again without its number, an alias
the text defined ("(sau đây gọi là Quyết định 01)"), "Quyết định số 01 nêu trên"."""

from __future__ import annotations

import re

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, Span, in_spans
from kg.extract.find.registry import State, finder_pass
from kg.ingest.normalize import fold_key


@finder_pass("titles", 70)
def link_titles(r: Reader, state: State) -> None:
    """A law named without its number, after it was cited with number and title, is that law."""
    by_title = {fold_key(x.c.title): x.c for x in state.numbered if x.c.title}
    for x in state.numbered:  # "Pháp lệnh số 38/2001/PL-UBTVQH10 ... về phí và lệ phí" is "Pháp lệnh phí và lệ phí"
        if x.c.doc_type and x.c.subject and x.c.subject.lower().startswith("về "):
            by_title.setdefault(fold_key(f"{x.c.doc_type} {x.c.subject[3:]}"), x.c)
    for x in state.named:
        full = by_title.get(fold_key(x.c.title or ""))
        if full is None:
            continue
        x.c.identifier, x.c.number, x.c.year, x.c.symbol = full.identifier, full.number, full.year, full.symbol
        x.c.date, x.c.issuer, x.c.doc_type = x.c.date or full.date, full.issuer, full.doc_type
        x.c.kind = "short"


def _aliases(r: Reader, numbered: list[Found]) -> dict[tuple[str, str], Found]:
    """(type, number) of each alias the text defines, and the numbered citation it stands for."""
    aliases: dict[tuple[str, str], Found] = {}
    for m in P.short_form_re().finditer(r.F):
        before = [x for x in numbered if x.fend <= m.start() and m.start() - x.fend < 400]
        if not before:
            continue
        t = r.g.doc_type(m["type"])
        aliases[(t.name if t else "", m["num"].lstrip("0"))] = before[-1]
    return aliases


def _bare_refs(r: Reader, aliases: dict[tuple[str, str], Found], numbered: list[Found]):
    """Type word + bare number: only where an alias was defined or a back-reference word follows.

    Scanning for every type word followed by any number would cost more than the rest of the
    grammar together, so both scans are anchored on something rare.
    """
    F = r.F
    for (tname, num), target in aliases.items():
        t = r.g.doc_type(tname)
        words = P._alt([t.name, *t.words]) if t else P.type_words()
        rx = re.compile(rf"(?<![\w])(?:{words})(?:{P.WS}số)?{P.WS}0*{num}(?![\w/\-]|\.\d)", re.IGNORECASE)
        for m in rx.finditer(F, target.fend):
            yield m, target, m.end()
    backs = r.g.cues["short_form_back"]
    for b in (P.back_ref_re().finditer(F) if any(w in F for w in backs) else ()):
        pm = P.numbered_type_before_re().search(F, max(0, b.start() - 60), b.start())
        if pm is None:
            continue
        t = r.g.doc_type(pm["type"])
        s = pm.start("num")
        key = (t.name if t else "", pm["num"].lstrip("0"))
        if key in aliases:
            continue
        cands = [x for x in numbered if x.fend <= s and (x.c.number or "").lstrip("0") == key[1]
                 and (x.c.doc_type == key[0] or not key[0])]
        if cands:
            yield Span(pm.start("type"), b.end()), cands[-1], b.end()


@finder_pass("short", 80)
def short_forms(r: Reader, state: State) -> None:
    """Each short form, with what its full citation says."""
    found = state.numbered + state.named
    numbered = [x for x in found if x.c.identifier]
    aliases = _aliases(r, numbered)
    taken = sorted((x.fstart, x.fend) for x in found)
    for m, target, end in _bare_refs(r, aliases, numbered):
        s = m.start()
        if in_spans(taken, s) or s < r.ctx.header_end:
            continue
        tc = target.c
        c = r.make(s, end, identifier=tc.identifier, title=tc.title, doc_type=tc.doc_type, number=tc.number,
                   year=tc.year, symbol=tc.symbol, date=tc.date, issuer=tc.issuer, subject=None,
                   pinpoints=r.pin_before(s), relation=r.relation(s), cited_by=None, kind="short")
        state.short.append(Found(c, s, end, end, True))
