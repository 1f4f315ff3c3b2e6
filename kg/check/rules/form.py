"""`form.*`: a number/symbol that fits no grammar for its type and body, a type word or an
issuer phrase that contradicts the symbol, a code one keystroke from a known one, letter case.

Which code fits which body is ``kg/check/data/symbols.yaml``; symbols are parsed by
``kg.grammar.symbols`` (``Doc`` holds each citation's ``Symbol``), bodies grouped by
``kg.check.bodies``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from kg.check.bodies import body_name, code_family, issuer_family
from kg.check.doc import Cite, Doc, quote
from kg.check.rule import Hit, rule
from kg.check.tables import issuer_class, strip_term, tables
from kg.grammar import DocType, code_key, grammar
from kg.grammar.symbols import code_type
from kg.models import Form


def _edits1(a: str, b: str) -> bool:
    """Exactly one insertion, deletion or substitution apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


@lru_cache(maxsize=4096)
def near_miss(code: str, slot: str = "issuer", type_code: str | None = None) -> str | None:
    """The known code an unknown one was probably meant to be (a typo, an OCR slip, a lost hyphen).

    Only codes that fit the slot are candidates: type codes where the type stands, and where the
    body stands the bodies that may issue that type; one candidate, or no guess at all.
    """
    t = tables()
    k = code_key(code)
    if k in t.known or len(k) < 3:
        return None
    g = grammar()
    type_keys = {code_key(c) for d in g.doc_types for c in d.codes}
    for tc in sorted(type_keys, key=len, reverse=True):
        rest = k[len(tc):]
        if k.startswith(tc) and rest in t.classes and len(rest) >= 2:
            return f"{_spell(tc)}-{_spell(rest)}"
    if slot == "type":
        pool = type_keys
    else:
        allowed = t.normative_issuers.get(code_key(type_code)) if type_code else None
        pool = {c for c, cls in t.classes.items() if allowed is None or cls in allowed}
    cands = sorted(c for c in pool if len(c) >= 3 and _edits1(k, c))
    return _spell(cands[0]) if len(cands) == 1 else None


def _spell(key: str) -> str:
    return sorted(tables().canonical.get(key, {key}))[0]


REF_SYMBOL = ("Luật Ban hành VBQPPL 2015 Điều 10; Nghị định 30/2020/NĐ-CP Phụ lục I; Hướng dẫn 36-HD/VPTW",
              "Law on Legal Documents 2015 art. 10; Decree 30/2020/NĐ-CP annex I; Guideline 36-HD/VPTW")


@rule("form.symbol-family", "error",
      ("Số hiệu sai kiểu (Đảng / Nhà nước)", "Party-style vs state-style number"),
      {"": ("“{ident}” viết theo kiểu văn bản của Đảng (số-loại/cơ quan) nhưng {body} là cơ quan nhà nước: phải viết “{fix}”",
            "“{ident}” is written in the party style (number-TYPE/BODY) but {body} is a state body: it should read “{fix}”"),
       "reverse": ("“{ident}” viết theo kiểu văn bản nhà nước nhưng {body} là cơ quan của Đảng: phải viết “{fix}”",
                   "“{ident}” is written in the state style but {body} is a party body: it should read “{fix}”")},
      REF_SYMBOL)
def form_symbol_family(d: Doc) -> Iterator[Hit]:
    """A party document numbers "06-NQ/TU", a state body "68/NQ-HĐND"; mixing them is a typing slip
    that makes the reference unfindable (the seed's "50-NQ/CP" for the Government's resolution)."""
    for x in d.cites:
        s = x.sym
        if s is None or not s.issuer or len(s.issuer_codes) != 1:
            continue
        cls = issuer_class(s.issuer)
        body = body_name(s.issuer)
        if s.form is Form.PARTY and cls in d.t.state:
            fix = f"{s.number}/{s.type_code}-{s.issuer}"
            yield Hit(*x.sym_span, dict(ident=x.c.identifier, body=body, fix=fix), citation=x.c)
        elif s.form in (Form.ADMINISTRATIVE, Form.NORMATIVE) and cls == "party" and s.type_code:
            fix = f"{s.number}-{s.type_code}/{s.issuer}"
            yield Hit(*x.sym_span, dict(ident=x.c.identifier, body=body, fix=fix), "reverse", x.c)


@rule("form.type-issuer", "error",
      ("Loại văn bản không thuộc thẩm quyền cơ quan", "Type the body cannot issue"),
      {"": ("“{ident}”: {body} không ban hành {type} theo số hiệu văn bản quy phạm pháp luật ({allowed} mới ban hành loại này)",
            "“{ident}”: {body_en} does not issue a normative {type_en} ({allowed_en} does)"),
       "exclusive": ("“{ident}”: chỉ {allowed} ban hành {type}, không phải {body}",
                     "“{ident}”: only {allowed_en} issues a {type_en}, not {body_en}")},
      ("Luật Ban hành VBQPPL 2015 Điều 4 và Điều 10", "Law on Legal Documents 2015 arts. 4 and 10"))
def form_type_issuer(d: Doc) -> Iterator[Hit]:
    """Who may issue which normative type is closed by law (Điều 4): a "Nghị định" of a UBND or a
    "Thông tư" of a province cannot exist, so such a number is miswritten."""
    for x in d.cites:
        s = x.sym
        if s is None or not s.type_code or s.form not in (Form.NORMATIVE, Form.ADMINISTRATIVE):
            continue
        tk = code_key(s.type_code)
        dt = code_type(s)
        tname = dt.name if dt else s.type_code
        classes = [issuer_class(c) for c in s.issuer_codes]
        if not classes or any(c is None for c in classes):
            continue
        if tk in d.t.exclusive and any(c not in d.t.exclusive[tk] for c in classes):
            allowed = list(d.t.exclusive[tk])
            bad = next(c for c in classes if c not in d.t.exclusive[tk])
            yield Hit(*x.sym_span, _type_issuer_params(x, tname, dt, bad, allowed), "exclusive", x.c)
            continue
        if s.form is not Form.NORMATIVE or tk not in d.t.normative_issuers:
            continue
        allowed_set = d.t.normative_issuers[tk]
        bad = next((c for c in classes if c not in allowed_set), None)
        if bad is not None:
            yield Hit(*x.sym_span, _type_issuer_params(x, tname, dt, bad, list(allowed_set)), citation=x.c)


def _type_issuer_params(x: Cite, tname: str, dt: DocType | None, bad: str, allowed: list[str]) -> dict:
    names = tables().class_names
    return dict(ident=x.c.identifier, type=tname.lower(), type_en=(dt.en.lower() if dt else tname),
                body=names.get(bad, (bad, bad))[0], body_en=names.get(bad, (bad, bad))[1],
                allowed=", ".join(names.get(a, (a, a))[0] for a in allowed),
                allowed_en=", ".join(names.get(a, (a, a))[1] for a in allowed))


@rule("form.unknown-code", "warning",
      ("Mã trong số hiệu không có trong bảng mã", "Unknown code in a number"),
      {"": ("“{ident}”: mã “{code}” không phải mã loại văn bản hay cơ quan nào đã biết; có lẽ là “{guess}”",
            "“{ident}”: “{code}” is no known type or body code; probably “{guess}”")},
      REF_SYMBOL)
def form_unknown_code(d: Doc) -> Iterator[Hit]:
    """A code one keystroke away from a known one ("TT-BIC" for "TT-BTC", "TTBLĐTBXH" with its
    hyphen lost) is a typo or an OCR slip; codes far from every known one are left alone, since
    the table of bodies is never complete."""
    for x in d.cites:
        s = x.sym
        if s is None or s.form not in (Form.NORMATIVE, Form.ADMINISTRATIVE):
            continue
        year = s.year or (x.own_date.year if x.own_date else None)
        if year is None or year < d.t.near_miss_since:
            continue
        if s.form is Form.NORMATIVE:
            if s.type_code:
                slots = [(c, "issuer") for c in s.issuer_codes]
            elif s.issuer_codes and issuer_class(s.issuer_codes[0]) is None:
                slots = [(s.issuer_codes[0], "type")]  # a mistyped or glued type code: "TTBLĐTBXH"
            else:
                continue
        elif s.type_code:
            slots = [(c, "issuer") for c in s.issuer_codes[:1]]
        else:
            continue
        tc = s.type_code if s.form is Form.NORMATIVE else None
        for code, slot in slots:
            guess = near_miss(code, slot, tc)
            if guess:
                yield Hit(*x.sym_span, dict(ident=x.c.identifier, code=code, guess=guess), citation=x.c)
                break


@rule("form.case", "warning",
      ("Chữ hoa/thường trong ký hiệu", "Letter case in a symbol"),
      {"": ("“{ident}”: mã “{code}” phải viết là “{fix}”", "“{ident}”: the code “{code}” is written “{fix}”")},
      ("Nghị định 30/2020/NĐ-CP Phụ lục I, III", "Decree 30/2020/NĐ-CP annexes I, III"))
def form_case(d: Doc) -> Iterator[Hit]:
    """Symbols are in capitals except the fixed mixed-case codes (TTg, TTr, CTr, QyĐ ...): "QĐ-TTG"
    is not how the Prime Minister's decisions are numbered. A heading set in capitals is exempt."""
    for x in d.cites:
        s = x.sym
        if s is None or s.form is Form.OLD:
            continue
        shouting = _all_caps(x.c.text)
        if all(c == c.lower() for c in s.codes) and _lowered_line(d, x.c.start):
            continue  # a portal or corpus lower-cased the whole line, not the writer this symbol
        for code in s.codes:
            k = strip_term(code_key(code))
            spellings = d.t.canonical.get(k)
            if not spellings or code in spellings or re.sub(r"\d+$", "", code) in spellings:
                continue
            if shouting and code == code.upper():
                continue
            fix = sorted(spellings)[0]
            yield Hit(*x.sym_span, dict(ident=x.c.identifier, code=code, fix=fix), citation=x.c)
            break


def _lowered_line(d: Doc, off: int) -> bool:
    a = d.text.rfind("\n", 0, off) + 1
    b = d.text.find("\n", off)
    letters = [ch for ch in d.text[a:b if b >= 0 else len(d.text)] if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) < 0.03 * len(letters)


def _all_caps(s: str) -> bool:
    letters = [ch for ch in s if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


@rule("form.type-word", "error",
      ("Tên loại mâu thuẫn với ký hiệu", "Type word contradicts the symbol"),
      {"": ("“{quote}”: tên loại “{word}” nhưng ký hiệu “{code}” là của {symtype}",
            "“{quote}”: the text says “{word}” but the code “{code}” stands for {symtype_en}")},
      REF_SYMBOL)
def form_type_word(d: Doc) -> Iterator[Hit]:
    """A type word and a type code naming two documents at once ("Quyết định số 12/NQ-HĐND"):
    one of them is wrong, and the reader cannot tell which document is meant."""
    for x in d.cites:
        s, w = x.sym, x.written_type
        if s is None or w is None or not s.type_code or w.name in d.t.generic_words:
            continue
        st = code_type(s)
        if st is None:
            continue
        k = code_key(s.type_code)
        own = {code_key(c) for c in (w.codes if s.form is not Form.PARTY else w.party)}
        if st.name == w.name or k in own or k in d.t.type_accepts.get(w.name, ()):
            continue
        q = quote(d.text[x.c.start:x.sym_span[1]])
        yield Hit(x.c.start, x.sym_span[1], dict(quote=q, word=x.written_type_text, code=s.type_code,
                                                  symtype=st.name.lower(), symtype_en=f"a {st.en.lower()}"),
                  citation=x.c)


@rule("form.issuer-phrase", "error",
      ("Cơ quan ban hành mâu thuẫn với ký hiệu", "Issuer contradicts the symbol"),
      {"": ("“{quote}”: ghi “{said}” nhưng ký hiệu “{code}” là của {meant}",
            "“{quote}”: the text names “{said}” but the code “{code}” belongs to {meant}")},
      REF_SYMBOL)
def form_issuer_phrase(d: Doc) -> Iterator[Hit]:
    """The symbol and the words name different bodies ("Nghị quyết số 68/NQ-HĐND ... của UBND tỉnh"),
    so the citation points at no document for sure."""
    for x in d.cites:
        s = x.sym
        if s is None or s.form is Form.OLD or (len(s.issuer_codes) != 1 and s.form in (Form.NORMATIVE, Form.PARTY)):
            continue
        code = s.issuer
        sym_family = code_family(code)
        if sym_family is None:
            continue
        said = d.written_issuer(x)
        said_family = issuer_family(said)
        if said_family is None or said_family == sym_family:
            continue
        q = quote(x.c.text)
        meant = body_name(code)
        yield Hit(x.c.start, x.c.end, dict(quote=q, said=said.name, code=code, meant=meant), citation=x.c)
