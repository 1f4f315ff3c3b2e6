"""Pass 1: numbered citations, anchored on the số hiệu and read outwards (type word and pinpoint
before it; date, issuer and subject after it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract import patterns as P
from kg.extract.find.readers import Found, Reader, clean, in_spans, type_before
from kg.extract.find.registry import State, finder_pass
from kg.grammar import DocType, code_key, grammar
from kg.grammar.symbols import identifier_key, implied_type, is_joint, symbol_of
from kg.ingest.normalize import fold_key
from kg.models import Form, Symbol
from kg.resolve.issuers import former_unit_nearby, issuer_from_codes, issuing_codes, speaker_or_symbol

_YEAR = re.compile(r"(?:19|20)\d\d")
_SPACES = re.compile(r"\s+")


@dataclass
class _Head:
    """What stands before a số hiệu: where the citation starts, the type word, the pinpoint."""

    start: int
    written: DocType | None  # the type the text wrote
    doc_type: DocType | None  # the type written or, failing that, the one the symbol implies
    pins: list[str]


def _known_admin_symbol(codes: list[str]) -> bool:
    g = grammar()
    return len(codes) > 1 or any(code_key(c) in g.type_by_code or code_key(c) in g.issuer_by_code for c in codes)


def _head(r: Reader, s: int, sym: Symbol, tdoc: DocType | None) -> _Head | None:
    """The head of the citation whose số hiệu starts at s; None when the number cites nothing."""
    F = r.F
    admin, old = sym.form is Form.ADMINISTRATIVE, sym.form is Form.OLD
    tb = type_before(F, s)
    pin = r.pin_at(tb[0]) if tb is not None and tb[0] > 0 else None
    if tb is not None and F[max(0, tb[0] - 5):tb[0]].lower().rstrip().endswith("pháp"):
        tb = None  # "pháp luật số ...": the word names the law in general, not a type
    if old and tb is None:
        return None
    if tb is None:
        if P.stopper_re().search(F, max(0, s - 40), s):
            return None
        codes = list(sym.issuer_codes) if tdoc is None or tdoc.name == "Công văn" else list(sym.codes)
        if admin and not _known_admin_symbol(codes):
            return None
    written = r.g.doc_type(tb[1]) if tb else None
    if written is not None and written.name == "Công văn" and fold_key(tb[1]) == "văn bản" and tdoc:
        written = None  # "văn bản số 12/QĐ-UBND": the symbol says which type
    if written is not None and tdoc is not None and tdoc.name.startswith(written.name + " "):
        written = tdoc  # "Thông tư số 03/TTLT": the symbol names the kind of Thông tư (liên tịch)
    return _Head(tb[0] if tb else s, written, written or tdoc, [clean(pin["pin"])] if pin else [])


def _read(r: Reader, m: re.Match[str]) -> Found | None:
    """The numbered citation around one số hiệu match, or None."""
    F, ctx, s = r.F, r.ctx, m.start()
    if not P.starts_clean(F, s, "/.-") or in_spans(ctx.own_spans, s):
        return None
    sym = symbol_of(m)
    if sym.form is Form.ADMINISTRATIVE and _YEAR.fullmatch(sym.number) and P.STANDARD_BEFORE.search(F, max(0, s - 8), s):
        return None  # "QCVN 01:2021/BYT": a standard's year
    tdoc = implied_type(sym)
    head = _head(r, s, sym, tdoc)
    if head is None:
        return None
    ident = _SPACES.sub("", m.group(0))
    if identifier_key(ident) in ctx.own_keys:
        return None
    codes, party = sym.issuer_codes, sym.form is Form.PARTY
    joint = len(codes) > 1 or (tdoc is not None and is_joint(tdoc.name))
    tail = r.tail(m.end(), joint)
    juris = ctx.jurisdiction.at(tail.date or sym.year)  # the province as it was at the document's date
    if juris is not ctx.jurisdiction:
        tail = r.tail(m.end(), joint, juris)
    date, issuer = tail.date, tail.issuer
    if issuer is None:
        issuer = speaker_or_symbol(r.issuer_before(head.start, juris), issuing_codes(sym), party, juris)
    if issuer is None:
        issuer = former_unit_nearby(F, head.start, issuer_from_codes(issuing_codes(sym), party, juris), juris)
    subject, sspan = r.subject(tail.end)
    end = tail.end if (tail.got_date or tail.got_issuer) else m.end()
    doc_type = head.doc_type
    c = r.make(head.start, end, identifier=ident, title=None, doc_type=doc_type.name if doc_type else None,
               number=sym.number, year=sym.year or (int(date[:4]) if date and not party else None),
               symbol=sym.symbol, date=date, issuer=issuer, subject=subject, pinpoints=head.pins,
               relation=r.relation(head.start), cited_by=None)
    return Found(c, head.start, end, tail.end, head.written is not None, tail.got_date, tail.got_issuer, sspan, s)


@finder_pass("numbered", 10)
def numbered(r: Reader, state: State) -> None:
    """Every số hiệu that cites another document, with what the text says around it."""
    out = []
    for m in P.symbols(r.F):
        x = _read(r, m)
        if x is not None:
            out.append(x)
    state.numbered = out
    state.taken = sorted((x.fstart, x.fend) for x in out)
