"""The one place a số hiệu is taken apart.

The forms live in ``data/symbols.yaml`` as templates of named tokens; this module compiles them
twice, into the scanner's regex (separators may carry spaces and line breaks, as printed text has
them) and into the exact regex for cleaned identifiers, and both give the same ``Symbol`` through
``symbol_of``. Everything else (the finder, the header, identity, ``kg check``, the spaCy
component) asks here instead of splitting symbols itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kg.grammar import DocType, Issuer, code_key, grammar, load
from kg.models import Form, Symbol

_TOKEN = re.compile(r"\{(\w+)(?::(\w+))?\}")


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    return load("symbols.yaml")


def _token(name: str, exact: bool) -> str:
    t = table()
    raw = t["tokens"][name]
    return raw.replace("{code}", t["tokens"]["code"]).replace("{hyphen}", _sep("hyphen", exact))


def _sep(name: str, exact: bool) -> str:
    return {"slash": "/", "hyphen": "-"}[name] if exact else table()["separators"][name]


def _compile_rest(form: str, template: str, exact: bool) -> str:
    """A template after its leading {num}: separators and named groups "<form>__<name>"."""
    out, pos = [], 0
    for m in _TOKEN.finditer(template):
        for ch in template[pos:m.start()]:
            out.append(_sep("slash" if ch == "/" else "hyphen", exact) if ch in "/-" else re.escape(ch))
        out.append(f"(?P<{form}__{m[2] or m[1]}>{_token(m[1], exact)})")
        pos = m.end()
    return "".join(out)


@lru_cache(maxsize=2)
def _regex(exact: bool) -> re.Pattern[str]:
    rests = []
    for f in table()["forms"]:
        tpl = f["template"]
        if not tpl.startswith("{num}"):
            raise ValueError(f"symbols.yaml: a form starts with its number: {tpl!r}")
        rests.append(_compile_rest(f["form"], tpl[len("{num}"):], exact))
    num = table()["tokens"]["num"]
    return re.compile(rf"(?P<num>{num})(?:{'|'.join(rests)})(?![\w])")


def scan_re() -> re.Pattern[str]:
    """The scanner's regex. No look-behind at the start: it would stop the engine from skipping
    ahead; callers check the character before a match (``patterns.starts_clean``)."""
    return _regex(False)


def split_codes(codes: str) -> list[str]:
    """ "QĐ-UBND" and the older "QĐ.UBND" both give [QĐ, UBND]."""
    flat = re.sub(r"\s+", "", codes)
    return [c for c in re.split(r"-|(?<=[^\W\d_])\.(?=[^\W\d_])", flat) if c]


def _term_base(code: str) -> str:
    return re.sub(r"\d+$", "", code_key(code))


def symbol_of(m: re.Match[str]) -> Symbol:
    """The Symbol of a match of either regex (whitespace inside is dropped). A scanned match is
    parsed once per distinct identifier (the cache of parse_symbol)."""
    if m.re is _regex(False):
        sym = parse_symbol(re.sub(r"\s+", "", m.group(0)))
        if sym is not None:
            return sym
    return _from_groups(m)


def _from_groups(m: re.Match[str]) -> Symbol:
    form = next(f["form"] for f in table()["forms"] if m.group(f"{f['form']}__codes") is not None)
    codes = split_codes(m[f"{form}__codes"])
    ident = re.sub(r"\s+", "", m.group(0))
    num = m["num"]
    year = m.groupdict().get(f"{form}__year")
    if form == "party":
        return Symbol(num, Form.PARTY, None, re.sub(r"\s+", "", m["party__type"]), tuple(codes),
                      ident[ident.index("-", len(num)) + 1:])
    if form == "old":
        return Symbol(num, Form.OLD, None, None, tuple(codes), ident[len(num) + 1:])
    symbol = ident.split("/", 2)[-1] if year else ident.split("/", 1)[1]
    g = grammar()
    first = code_key(codes[0]) if codes else ""
    if first in g.type_by_code:
        type_code, issuers = codes[0], tuple(codes[1:])
    else:
        type_code, issuers = None, tuple(codes)
    term = None
    if issuers and _term_base(issuers[0]) in table()["terms"]:
        digits = re.search(r"\d+$", issuers[0])
        term = digits.group(0) if digits else None
    return Symbol(num, Form(form), int(year) if year else None, type_code, issuers, symbol, term)


@lru_cache(maxsize=16384)
def parse_symbol(identifier: str | None) -> Symbol | None:
    """A cleaned identifier ("42/2022/NQ-HĐND") taken apart; None when it fits no form."""
    if not identifier:
        return None
    m = _regex(True).fullmatch(re.sub(r"\s+", "", identifier))
    return _from_groups(m) if m else None


def code_type(sym: Symbol | None) -> DocType | None:
    """The type the symbol's own type code names (QĐ, NQ, party NQ ...), nothing implied."""
    if sym is None or not sym.type_code:
        return None
    g = grammar()
    if sym.form is Form.PARTY:
        return g.type_by_party_code.get(code_key(sym.type_code))
    return g.type_by_code.get(code_key(sym.type_code))


def implied_type(sym: Symbol | None) -> DocType | None:
    """The type a symbol implies when no type word is written: its type code, a term code
    ("QH12": a law), or, for an administrative number without a type code, a letter."""
    if sym is None:
        return None
    t = code_type(sym)
    if t is not None or sym.form in (Form.PARTY, Form.OLD):
        return t
    g = grammar()
    if sym.issuer_codes and sym.type_code is None:
        term_type = table()["terms"].get(_term_base(sym.issuer_codes[0]))
        if term_type:
            return g.doc_type(term_type)
    if sym.form is Form.ADMINISTRATIVE:
        return g.doc_type(table()["untyped_administrative"])
    return None


def is_joint(doc_type: str | None) -> bool:
    return doc_type in table()["joint_types"]


@lru_cache(maxsize=8192)
def identifier_key(identifier: str) -> str:
    """Two spellings of one số hiệu compare equal: case, Đ look-alikes and spaces do not matter, nor
    a dot or a missing hyphen between the type code and the issuer's ("27/2016/TTBLĐTBXH")."""
    key = re.sub(r"(?<=[^\W\d_])\.(?=[^\W\d_])", "-", code_key(identifier))
    return _GLUED.sub(_unglue, key)


_GLUED = re.compile(r"(?<=/)([^\W\d_]{2,})(?=-|$)")


def _unglue(m: re.Match[str]) -> str:
    """ "TTBLĐTBXH" -> "TT-BLĐTBXH" when it is a type code glued to a known issuer code."""
    code = m.group(1)
    g = grammar()
    if code in g.type_by_code or code in g.issuer_by_code:
        return code
    for n in (2, 3, 4):
        head, tail = code[:n], code[n:]
        if head in g.type_by_code and tail in g.issuer_by_code:
            return f"{head}-{tail}"
    return code


@lru_cache(maxsize=4096)
def issuer_for_code(code: str) -> Issuer | None:
    """The body an issuer code names: the table, a term code without its term ("QH13"), or a
    ministry's letter code without its "B" ("LĐTBXH"), or a provincial department: S + a department's
    short code, or S + the code of the ministry it mirrors ("SVHTTDL" -> Sở Văn hóa, Thể thao và Du lịch)."""
    g = grammar()
    key = _term_base(code)
    found = g.issuer_by_code.get(key) or g.issuer_by_code.get(code_key(code))
    t = table()
    if found is None and len(key) > 1:  # a ministry's letters drop its "B": "2906/LĐTBXH-KHTC"
        found = g.issuer_by_code.get(t["ministry_prefix"] + key)
        if found is not None and not found.name.startswith(t["ministry_word"] + " "):
            found = None
    prefix = t["department_prefix"]
    if found is not None or not key.startswith(prefix) or len(key) <= len(prefix) + 1:
        return found
    rest = key[len(prefix):]
    if rest in g.issuer_by_code:
        return g.issuer_by_code[rest]
    ministry = g.issuer_by_code.get(t["ministry_prefix"] + rest)
    if ministry is None or not ministry.name.startswith(t["ministry_word"] + " "):
        return None
    name = t["department_word"] + ministry.name[len(t["ministry_word"]):]
    return Issuer(name, "province", (code,), template=name + " {unit} {place}", department=True)
