"""The rules of `kg check`: what a legal officer checks by hand in every "Căn cứ" and reference.

Each rule is a plain function over one extracted document (`Doc`) that yields `Hit`s; the
`@rule` decorator gives it an id, a severity and its one-line messages in Vietnamese and English.
Tables (which code fits which body, ranks of legal force, which types can be a legal basis) live in
``kg/check/data/*.yaml`` with their sources; the functions hold only the reading of the text.

Precision comes first: a checker that cries wolf is switched off. So every rule fires only on
what the text itself says (a date written in the citation, a type word written before the
number) and stays silent when the grammar does not know a code or a body.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from kg.check.registry import CitedRef, Status, ValidityProvider
from kg.resolve.issuers import level_of
from kg.grammar.symbols import code_type, identifier_key, parse_symbol
from kg.models import Form, Symbol
from kg.grammar import DocType, Issuer, code_key, grammar
from kg.ingest.normalize import fold_key, fold_string
from kg.models import Citation, Document

DATA = Path(__file__).parent / "data"
SEVERITIES = ("error", "warning", "info")


# -- the rule registry --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title_vi: str
    title_en: str
    messages: dict[str, tuple[str, str]]  # variant -> (vi, en) templates
    fn: Callable[["Doc"], Iterator["Hit"]]
    reference: tuple[str, str] | None = None  # the legal source, (vi, en)

    def message(self, variant: str, lang: str, params: dict[str, Any]) -> str:
        vi, en = self.messages.get(variant) or self.messages[""]
        return (en if lang == "en" else vi).format(**params)


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, title: tuple[str, str], messages: dict[str, tuple[str, str]] | tuple[str, str],
         reference: tuple[str, str] | None = None):
    """Register a rule function under its id; the function stays callable on its own."""
    if severity not in SEVERITIES:
        raise ValueError(severity)
    msgs = messages if isinstance(messages, dict) else {"": messages}

    def deco(fn):
        RULES[id] = Rule(id, severity, title[0], title[1], msgs, fn, reference)
        fn.rule_id = id
        return fn

    return deco


@dataclass
class Hit:
    """Where a rule fired (offsets into Document.text) and the values its message needs."""

    start: int
    end: int
    params: dict[str, Any] = field(default_factory=dict)
    variant: str = ""
    citation: Citation | None = None
    severity: str | None = None  # overrides the rule's severity for this hit


# -- tables -------------------------------------------------------------------------------------

def _load(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass
class Tables:
    classes: dict[str, str]  # code key -> issuer class
    state: frozenset[str]
    normative_issuers: dict[str, tuple[str, ...]]  # type code key -> allowed classes, in table order
    exclusive: dict[str, tuple[str, ...]]
    canonical: dict[str, frozenset[str]]  # code key -> accepted spellings
    known: frozenset[str]  # every code key the grammar knows (types, party types, issuers)
    type_accepts: dict[str, frozenset[str]]
    generic_words: frozenset[str]
    compounds: dict[str, str]  # "thông báo kết luận" -> "Thông báo"
    families: dict[str, str]  # issuer canonical name -> family
    near_miss_since: int
    always_normative: frozenset[str]
    normative_with_year: frozenset[str]
    basis_exempt: frozenset[str]
    ranks: list[dict]
    labels: dict[int, dict[str, str]]


def _strip_term(key: str) -> str:
    """ "QH15" -> "QH", "UBTVQH14" -> "UBTVQH": the Quốc hội term is not part of the body's code."""
    base = re.sub(r"\d+$", "", key)
    return base if base in ("QH", "UBTVQH") else key


@lru_cache(maxsize=1)
def tables() -> Tables:
    sym, basis = _load("symbols.yaml"), _load("legal_basis.yaml")
    g = grammar()
    classes: dict[str, str] = {}
    for cls, codes in sym["issuer_classes"].items():
        for c in codes:
            classes[code_key(c)] = cls
    for i in g.issuers:
        for c in i.codes:
            k = code_key(c)
            if k in classes:
                continue
            if i.department:
                classes[k] = "department"
            elif i.level == "central" and i.name.startswith("Bộ ") and not i.weak:
                classes[k] = "ministry"
    spellings: dict[str, set[str]] = {}
    for t in g.doc_types:
        for c in (*t.codes, *t.party):
            spellings.setdefault(code_key(c), set()).add(c)
    for i in g.issuers:
        for c in i.codes:
            spellings.setdefault(code_key(c), set()).add(c)
    for c in sym["mixed_case"]:
        spellings.setdefault(code_key(c), set()).add(c)
    for cls_codes in sym["issuer_classes"].values():
        for c in cls_codes:
            spellings.setdefault(code_key(c), set()).add(c)
    canonical = {}
    for k, ss in spellings.items():
        mixed = {s for s in ss if s != s.upper()}
        canonical[k] = frozenset(mixed if mixed else ss)  # "TTG" is a reading aid, "TTg" the spelling
    return Tables(
        classes=classes,
        state=frozenset(sym["state_classes"]),
        normative_issuers={code_key(k): tuple(v) for k, v in sym["normative_issuers"].items()},
        exclusive={code_key(k): tuple(v) for k, v in sym["exclusive_types"].items()},
        canonical=canonical,
        known=frozenset(spellings) | frozenset(classes),
        type_accepts={k: frozenset(code_key(c) for c in v) for k, v in sym["type_word_accepts"].items()},
        generic_words=frozenset(sym["generic_type_words"]),
        compounds={fold_key(k): v for k, v in sym["compound_type_words"].items()},
        families=dict(sym["issuer_families"]),
        near_miss_since=int(sym["near_miss_since"]),
        always_normative=frozenset(basis["always_normative"]),
        normative_with_year=frozenset(basis["normative_with_year"]),
        basis_exempt=frozenset(basis["basis_exempt"]),
        ranks=basis["ranks"],
        labels={int(k): v for k, v in basis["labels"].items()},
    )


def issuer_class(code: str | None) -> str | None:
    if not code:
        return None
    return tables().classes.get(_strip_term(code_key(code)))


# -- numbers and symbols ------------------------------------------------------------------------

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


# -- the document as the rules see it -------------------------------------------------------------

# Case spelled out (no IGNORECASE): the engine can then jump to the literal "gày"/"GÀY" fast.
_NGAY = r"(?:[Nn]gày|NGÀY)"
_DATE_NUM = re.compile(rf"{_NGAY}\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{4}})(?!\d)")
_DATE_LONG = re.compile(rf"{_NGAY}\s*(\d{{1,2}})\s*(?:tháng|THÁNG|Tháng)\s*(\d{{1,2}})\s*(?:năm|NĂM|Năm)\s*(\d{{4}})(?!\d)")
_DATE_BARE = re.compile(r"(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")  # what stands before: checked in code


def valid_date(d: int, m: int, y: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class Written:
    """A date as the text writes it, with its place."""

    start: int
    end: int
    text: str
    day: int
    month: int
    year: int

    @property
    def value(self) -> date | None:
        return valid_date(self.day, self.month, self.year)


@dataclass
class Cite:
    """A numbered citation with what the rules read again from its own text."""

    c: Citation
    sym: Symbol | None
    sym_span: tuple[int, int]  # original offsets of the số hiệu
    written_type: DocType | None  # the type word written right before the number
    written_type_text: str | None
    own_date: Written | None  # the date written in this citation (not one shared from a list)


class Doc:
    """One extracted document plus the readings every rule needs, computed once."""

    def __init__(self, doc: Document, provider: ValidityProvider | None = None, today: date | None = None):
        self.doc = doc
        self.text = doc.text
        self.provider = provider
        self.today = today or date.today()
        self.g = grammar()
        self.t = tables()
        self._nl = [m.start() for m in re.finditer("\n", self.text)]
        self.cites = [self._read(c) for c in doc.citations if c.kind == "numbered" and c.identifier]
        # documents cited by name in the "Căn cứ" preamble ("Nghị quyết Hội nghị Trung ương 6 khóa IX")
        self.named_basis = [Cite(c, None, (c.start, c.end), None, None, None) for c in doc.citations
                            if c.kind != "numbered" and c.relation == "based_on" and c.cited_by is None]
        h = doc.header
        self.header_sym = parse_symbol(h.identifier) if h.identifier else self._blank_number()
        self.day: date | None = _iso(h.date)
        self.latest: date | None = self.day or _month_end(h.date_partial) or (
            date(h.year, 12, 31) if h.year and not h.date_partial else None)

    _SO_LINE = re.compile(r"(?m)^[ \t]*Số[ \t]*:?[ \t]*(\d{0,5})[ \t]*/[ \t]*(?:((?:19|20)\d\d)[ \t]*/[ \t]*)?"
                          r"([^\W\d_][^\s,;]*)")

    def _blank_number(self) -> Symbol | None:
        """A draft leaves the number blank ("Số:      /2023/QĐ-UBND"); its year and codes still say
        whether it is normative, so they are read from the "Số:" line of the header."""
        m = self._SO_LINE.search(fold_string(self.text[:3000]))
        if not m:
            return None
        return parse_symbol(f"{m[1] or '0'}/" + (f"{m[2]}/" if m[2] else "") + m[3])

    # -- positions
    def line_col(self, off: int) -> tuple[int, int]:
        k = bisect.bisect_left(self._nl, off)
        start = self._nl[k - 1] + 1 if k else 0
        return k + 1, off - start + 1

    # -- reading a citation again
    def _read(self, c: Citation) -> Cite:
        raw = c.text
        folded = fold_string(raw)
        if len(folded) != len(raw):
            folded = raw
        sym = parse_symbol(c.identifier)
        s0, s1 = _find_spaced(folded, c.identifier) or (0, len(raw))
        before = " ".join(folded[:s0].split())
        before = re.sub(r"(?:\s*(?:số|sô|so)\b)?\s*:?\s*$", "", before, flags=re.IGNORECASE).strip()
        before = re.sub(r"^các\s+", "", before, flags=re.IGNORECASE)
        wt = self.g.doc_type(before) if before else None
        if wt is not None:
            lead = fold_key(fold_string(self.text[max(0, c.start - 40):c.start]))
            for compound, tname in self.t.compounds.items():
                head = compound[: -len(fold_key(before))].strip() if compound.endswith(fold_key(before)) else None
                if head and lead.endswith(head):
                    wt, before = self.g.doc_type(tname), compound
                    break
        own = None
        for rx in (_DATE_NUM, _DATE_LONG):
            dm = rx.search(folded, s1)
            if dm and (own is None or dm.start() < own.start):
                own = Written(c.start + dm.start(), c.start + dm.end(), raw[dm.start():dm.end()],
                              int(dm[1]), int(dm[2]), int(dm[3]))
        return Cite(c, sym, (c.start + s0, c.start + s1), wt, before or None, own)

    # -- what the citation says about the body
    def written_issuer(self, x: Cite) -> Issuer | None:
        """The issuing body the text names after the number ("... của UBND tỉnh"), if any."""
        from kg.resolve.issuers import issuer_re

        rel = x.sym_span[1] - x.c.start
        tail = fold_string(x.c.text)[rel:]
        of = re.search(r"(?:^|[\s,])(?:của|do)\s+", tail, re.IGNORECASE)
        if not of:
            return None
        m = issuer_re().match(tail, of.end())
        if not m:
            return None
        return self.g.issuer_by_phrase.get(fold_key(m.group("body")))

    def place_of(self, issuer_name: str | None) -> str | None:
        from kg.resolve.issuers import find_place

        p = find_place(issuer_name or "")
        return p.name if p else None


def _find_spaced(hay: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` stands in ``hay`` when spaces and line breaks may sit between its characters
    ("132/ 2008/NĐ - CP"): search the text with its whitespace taken out, then map back."""
    keep = [i for i, ch in enumerate(hay) if not ch.isspace()]
    k = "".join(hay[i] for i in keep).find("".join(needle.split()))
    if k < 0 or not needle.strip():
        return None
    return keep[k], keep[k + len("".join(needle.split())) - 1] + 1


def _iso(s: str | None) -> date | None:
    if not s:
        return None
    try:
        y, m, d = (int(x) for x in s[:10].split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(s: str | None) -> date | None:
    if not s:
        return None
    try:
        y, m = (int(x) for x in s.split("-")[:2])
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    except ValueError:
        return None
    return nxt - timedelta(days=1)


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "?"


def _quote(s: str) -> str:
    return " ".join(s.split())


def _issuer_family(i: Issuer | None) -> str | None:
    """Bodies that legitimately share one code count as one family: Chủ tịch UBND signs "QĐ-UBND",
    Bộ Chính trị and Ban Bí thư sign ".../TW"; each ministry is its own family."""
    if i is None:
        return None
    n = i.name
    if n in tables().families:
        return tables().families[n]
    if i.level == "party" or i.party_body:
        return "party"
    if i.department:
        return "department:" + n
    cls = next((issuer_class(c) for c in i.codes if issuer_class(c)), None)
    if cls in ("ministry", None):
        return "body:" + n
    return cls


def _code_family(code: str | None) -> str | None:
    if not code:
        return None
    k = _strip_term(code_key(code))
    i = grammar().issuer_by_code.get(k)
    if i is None or i.weak:
        return None
    return _issuer_family(i)


def _level(issuer_name: str | None) -> str:
    """Level of a local body (a council or committee: never central, even without its place)."""
    lvl = level_of(issuer_name)
    return lvl if lvl in ("district", "commune") else "province"


def rank_of(doc_type: str | None, sym: Symbol | None, issuer_name: str | None) -> int | None:
    """Legal force of a normative document (lower = stronger), from the rank table; None if unknown."""
    if not doc_type:
        return None
    cls = issuer_class(sym.issuer) if sym and sym.issuer else None
    if cls is None and sym and sym.form is Form.NORMATIVE and sym.type_code is None and sym.issuer:
        cls = issuer_class(sym.issuer)  # ".../QH13", ".../UBTVQH14"
    if cls is None and issuer_name:
        i = grammar().issuer_by_phrase.get(fold_key(re.split(r"\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s", issuer_name)[0]))
        if i is not None:
            cls = next((issuer_class(c) for c in i.codes if issuer_class(c)), None)
            if cls is None and i.name == "Chủ tịch Ủy ban nhân dân":
                cls = "committee"
    if cls == "council_standing":
        cls = "council"
    level = _level(issuer_name) if cls in ("council", "committee") else None
    for row in tables().ranks:
        if row["type"] != doc_type:
            continue
        if "issuer" in row and row["issuer"] != cls:
            continue
        if "level" in row and row["level"] != level:
            continue
        return int(row["rank"])
    return None


def symbol_rank(identifier: str | None) -> int | None:
    """Legal force read from a number alone ("58/2014/QH13" is a law or a resolution of the
    National Assembly: rank 1); None when the number does not tell."""
    sym = parse_symbol(identifier)
    if sym is None:
        return None
    dt = code_type(sym)
    if dt is None:
        cls = issuer_class(sym.issuer)
        return {"national_assembly": 1, "standing_committee": 2}.get(cls or "")
    if not is_normative(dt.name, sym):
        return None
    return rank_of(dt.name, sym, None)


def is_normative(doc_type: str | None, sym: Symbol | None) -> bool | None:
    """True/False when the type and number say so; None when they cannot tell (old numbers)."""
    t = tables()
    if not doc_type:
        return None
    if doc_type in t.always_normative:
        return True
    dt = grammar().doc_type(doc_type)
    if doc_type in t.normative_with_year:
        if sym is None:
            return None
        if sym.form is Form.NORMATIVE:
            return True
        if sym.form is Form.OLD:
            return None
        return False
    if dt is not None and not dt.normative:
        return False
    return None


# == 1. Form =====================================================================================

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
        body = _body_name(s.issuer)
        if s.form is Form.PARTY and cls in d.t.state:
            fix = f"{s.number}/{s.type_code}-{s.issuer}"
            yield Hit(*x.sym_span, dict(ident=x.c.identifier, body=body, fix=fix), citation=x.c)
        elif s.form in (Form.ADMINISTRATIVE, Form.NORMATIVE) and cls == "party" and s.type_code:
            fix = f"{s.number}-{s.type_code}/{s.issuer}"
            yield Hit(*x.sym_span, dict(ident=x.c.identifier, body=body, fix=fix), "reverse", x.c)


def _body_name(code: str) -> str:
    i = grammar().issuer_by_code.get(_strip_term(code_key(code)))
    return i.name if i else code


_CLASS_NAMES = {
    "government": ("Chính phủ", "the Government"), "prime_minister": ("Thủ tướng Chính phủ", "the Prime Minister"),
    "national_assembly": ("Quốc hội", "the National Assembly"), "standing_committee": ("UBTVQH", "the NA Standing Committee"),
    "president": ("Chủ tịch nước", "the President"), "council": ("Hội đồng nhân dân", "a People's Council"),
    "council_standing": ("Thường trực HĐND", "a People's Council standing board"),
    "committee": ("Ủy ban nhân dân", "a People's Committee"), "court": ("Tòa án nhân dân tối cao", "the Supreme Court"),
    "procuracy": ("Viện kiểm sát nhân dân tối cao", "the Supreme Procuracy"), "audit": ("Kiểm toán Nhà nước", "the State Audit"),
    "ministry": ("bộ, cơ quan ngang bộ", "a ministry"), "department": ("sở", "a provincial department"),
}


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
    return dict(ident=x.c.identifier, type=tname.lower(), type_en=(dt.en.lower() if dt else tname),
                body=_CLASS_NAMES.get(bad, (bad, bad))[0], body_en=_CLASS_NAMES.get(bad, (bad, bad))[1],
                allowed=", ".join(_CLASS_NAMES.get(a, (a, a))[0] for a in allowed),
                allowed_en=", ".join(_CLASS_NAMES.get(a, (a, a))[1] for a in allowed))


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
            k = _strip_term(code_key(code))
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
        if s.form is Form.PARTY and w.name == "Quy định" and k in {"QĐ", "QĐI"}:
            continue
        quote = _quote(d.text[x.c.start:x.sym_span[1]])
        yield Hit(x.c.start, x.sym_span[1], dict(quote=quote, word=x.written_type_text, code=s.type_code,
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
        sym_family = _code_family(code)
        if sym_family is None:
            continue
        said = d.written_issuer(x)
        said_family = _issuer_family(said)
        if said_family is None or said_family == sym_family:
            continue
        quote = _quote(x.c.text)
        meant = _body_name(code)
        yield Hit(x.c.start, x.c.end, dict(quote=quote, said=said.name, code=code, meant=meant), citation=x.c)


# == 2. Dates ====================================================================================

@rule("date.impossible", "error",
      ("Ngày không có thật", "Impossible date"),
      {"": ("“{quote}”: không có ngày {day} tháng {month} năm {year}",
            "“{quote}”: there is no day {day} in month {month} of {year}")})
def date_impossible(d: Doc) -> Iterator[Hit]:
    """31/02 or 00/13 cannot be the date of anything; the extractor drops such dates silently, so
    the raw text is read again here."""
    seen: set[int] = set()
    for rx in (_DATE_NUM, _DATE_LONG, _DATE_BARE):
        for m in rx.finditer(d.text):
            if m.start() in seen or (rx is _DATE_BARE and m.start() and d.text[m.start() - 1] in "0123456789/.-"):
                continue
            dd, mm, yy = int(m[1]), int(m[2]), int(m[3])
            if not 1900 <= yy <= 2100 or valid_date(dd, mm, yy):
                continue
            if rx is _DATE_BARE and not (1 <= mm <= 12 or 1 <= dd <= 31):
                continue  # "45/60/2020" is no date at all: a ratio, a code
            seen.update(range(m.start(), m.end()))
            yield Hit(m.start(), m.end(), dict(quote=_quote(m.group(0)), day=dd, month=mm, year=yy))


@rule("date.number-year", "error",
      ("Năm trong số hiệu khác năm ban hành", "Year in the number differs from the date"),
      {"": ("“{quote}”: số hiệu ghi năm {num_year} nhưng ngày ban hành là {when}",
            "“{quote}”: the number says {num_year} but the date is {when}")},
      ("Luật Ban hành VBQPPL 2015 Điều 10 khoản 1; Nghị định 34/2016/NĐ-CP Điều 58",
       "Law on Legal Documents 2015 art. 10(1); Decree 34/2016/NĐ-CP art. 58"))
def date_number_year(d: Doc) -> Iterator[Hit]:
    """A normative number carries its year of issue (numbering restarts each 1 January), so
    "46/2002/QĐ-UBND ngày 12/09/2022" has a wrong number or a wrong date."""
    for x in d.cites:
        s, w = x.sym, x.own_date
        if s is None or s.form is not Form.NORMATIVE or w is None or w.value is None:
            continue
        if w.year != s.year:
            quote = _quote(d.text[x.c.start:w.end])
            yield Hit(x.c.start, w.end, dict(quote=quote, num_year=s.year, when=_fmt(w.value)), citation=x.c)


@rule("date.after-citing", "error",
      ("Văn bản được dẫn ban hành sau văn bản dẫn", "Cited document dated after the citing one"),
      {"": ("“{quote}”: ngày {when} muộn hơn ngày của chính văn bản này ({own})",
            "“{quote}”: dated {when}, after this document itself ({own})")})
def date_after_citing(d: Doc) -> Iterator[Hit]:
    """A document cannot rest on one signed after it; when the day of the citing document is
    blank (a draft), the end of its month or year is the bound."""
    if d.latest is None:
        return
    h = d.doc.header
    own = _fmt(d.day) if d.day else ("/".join(reversed(h.date_partial.split("-")[:2])) if h.date_partial
                                     else str(h.year))
    for x in d.cites:
        w = x.own_date
        if w is None or w.value is None or w.value <= d.latest:
            continue
        quote = _quote(d.text[x.c.start:w.end])
        yield Hit(x.c.start, w.end, dict(quote=quote, when=_fmt(w.value), own=own), citation=x.c)


@rule("date.conflict", "warning",
      ("Một văn bản, hai ngày khác nhau", "One document, two dates"),
      {"": ("“{quote}”: cùng số hiệu {ident} nhưng dòng {first_line} ghi ngày {first}",
            "“{quote}”: the same number {ident} is dated {first} on line {first_line}")})
def date_conflict(d: Doc) -> Iterator[Hit]:
    """The same number with two dates in one text means one date is mistyped. A date whose year
    contradicts a normative number is `date.number-year`'s finding, not a second one here; numbers
    without a year repeat every year, so for them only dates of the same year and body count.
    Each further date is reported once, where it first appears."""
    seen: dict[tuple, dict[date, Cite]] = {}
    for x in d.cites:
        w = x.own_date
        if x.sym is None or w is None or w.value is None:
            continue
        if x.sym.form is Form.NORMATIVE and w.year != x.sym.year:
            continue
        key: tuple = (identifier_key(x.c.identifier),)
        if x.sym.form is not Form.NORMATIVE:
            key += (w.year, x.c.issuer)
        dates = seen.setdefault(key, {})
        if w.value in dates:
            continue
        if dates:
            v0, x0 = next(iter(dates.items()))
            quote = _quote(d.text[x.c.start:w.end])
            yield Hit(x.c.start, w.end, dict(quote=quote, ident=x.c.identifier, first=_fmt(v0),
                                              first_line=d.line_col(x0.c.start)[0]), citation=x.c)
        dates[w.value] = x


# == 3. Validity =================================================================================

_STATUS_WORDS = {
    "replaced": ("đã bị thay thế", "has been replaced"),
    "repealed": ("đã bị bãi bỏ", "has been repealed"),
    "expired": ("đã hết hiệu lực", "is no longer in force"),
    "partly": ("đã hết hiệu lực một phần", "is partly no longer in force"),
}


@rule("validity.out-of-force", "error",
      ("Dẫn văn bản đã hết hiệu lực", "Cites a document no longer in force"),
      {"": ("“{quote}” {status_vi}{by_vi}{since_vi} (theo {source})",
            "“{quote}” {status_en}{by_en}{since_en} (per {source})")},
      ("Nghị định 34/2016/NĐ-CP Điều 61 khoản 1 (căn cứ phải đang có hiệu lực)",
       "Decree 34/2016/NĐ-CP art. 61(1) (a basis must be in force)"))
def validity_out_of_force(d: Doc) -> Iterator[Hit]:
    """A plan or decision signed today should not rest on a document that a newer one replaced;
    the registry (or the graph) says which and since when. The text's own "thay thế"/"bãi bỏ"
    mentions, and mentions of the old document next to its replacement, are the writer knowing."""
    if d.provider is None:
        return
    when = d.day or d.latest or d.today
    cited = {identifier_key(x.c.identifier) for x in d.cites}
    own = identifier_key(d.doc.header.identifier) if d.doc.header.identifier else None
    done: set[str] = set()
    for x in d.cites:
        key = identifier_key(x.c.identifier)
        if key in done or x.c.effect in ("replaces", "repeals") or x.sym is None:
            continue
        ref = _ref(d, x)
        for st in d.provider.lookup(ref):
            if not st.out_of_force:
                continue
            by_keys = {identifier_key(b) for b in st.replaced_by}
            if own and own in by_keys:
                continue
            if x.c.relation != "based_on" and by_keys & cited:
                continue
            since = _iso(st.since)
            if since is None and (d.day or d.latest):
                continue  # no date of change, a dated citing document: cannot tell
            if since is not None and since > when:
                continue
            done.add(key)
            yield Hit(x.c.start, x.c.end, _validity_params(x, st, since), "",
                      x.c, "warning" if st.status == "partly" else None)
            break


def _ref(d: Doc, x: Cite) -> CitedRef:
    s = x.sym
    cls = issuer_class(s.issuer) if s and s.issuer else None
    local = cls in ("council", "council_standing", "committee", "department") or (
        cls == "party" and code_key(s.issuer or "") in ("TU", "HU", "BTVTU", "BTVHU"))
    place = d.place_of(x.c.issuer) if x.c.issuer else None
    when = x.own_date.value if x.own_date and x.own_date.value else _iso(x.c.date)
    return CitedRef(key=identifier_key(x.c.identifier), identifier=x.c.identifier,
                    date=when.isoformat() if when else None, jurisdiction=place, local=local,
                    yearless=s is not None and s.form is not Form.NORMATIVE)


def _named(ident: str, lang: str) -> str:
    """ "08/2026/QĐ-UBND" -> "Quyết định số 08/2026/QĐ-UBND": the reader sees what replaced it."""
    s = parse_symbol(ident)
    dt = code_type(s) if s else None
    if dt is None:
        return ident
    return f"{dt.name} số {ident}" if lang == "vi" else f"{dt.en} {ident}"


def _validity_params(x: Cite, st: Status, since: date | None) -> dict:
    by = ", ".join(_named(b, "vi") for b in st.replaced_by)
    by_en = ", ".join(_named(b, "en") for b in st.replaced_by)
    note = st.note if st.note and st.note != "unknown-change-date" else None
    return dict(
        quote=_quote(x.c.text), source=st.source,
        status_vi=_STATUS_WORDS[st.status][0], status_en=_STATUS_WORDS[st.status][1],
        by_vi=(f" bởi {by}" if by else "") + (f" ({note})" if note else ""),
        by_en=(f" by {by_en}" if by_en else "") + (f" ({note})" if note else ""),
        since_vi=(f" từ {_fmt(since)}" if since and st.note != "unknown-change-date"
                  else f" (trạng thái tại {_fmt(since)})" if since else " (không rõ từ ngày nào)"),
        since_en=(f" since {_fmt(since)}" if since and st.note != "unknown-change-date"
                  else f" (status as of {_fmt(since)})" if since else " (date unknown)"))


# == 4. Legal basis ==============================================================================

def _citing(d: Doc) -> tuple[bool, int | None]:
    h = d.doc.header
    norm = is_normative(h.doc_type, d.header_sym)
    if not norm:
        return False, None
    return True, rank_of(h.doc_type, d.header_sym, h.issuer)


REF_BASIS = ("Nghị định 34/2016/NĐ-CP Điều 61 khoản 1", "Decree 34/2016/NĐ-CP art. 61(1)")


@rule("basis.not-normative", "error",
      ("Căn cứ là văn bản hành chính", "Legal basis is not a normative document"),
      {"": ("“{quote}”: {what} không phải văn bản quy phạm pháp luật nên không làm căn cứ ban hành được "
            "(Nghị định 34/2016/NĐ-CP Điều 61 khoản 1); nếu cần, dẫn ở “Thực hiện ...”",
            "“{quote}”: {what_en} is not a normative document and cannot be a legal basis "
            "(Decree 34/2016/NĐ-CP art. 61(1)); cite it under “Thực hiện ...” instead")},
      REF_BASIS)
def basis_not_normative(d: Doc) -> Iterator[Hit]:
    """Only normative documents can be the "Căn cứ" of a normative document; a Kế hoạch, a Công văn,
    a party resolution belong in "Thực hiện ..." (the common local drafting error)."""
    norm, _ = _citing(d)
    if not norm:
        return
    for x in _basis_cites(d, named=True):
        what = _non_normative(d, x)
        if what is None:
            continue
        yield Hit(x.c.start, x.c.end, dict(quote=_quote(x.c.text), what=what[0], what_en=what[1]), citation=x.c)


def _basis_cites(d: Doc, named: bool = False) -> Iterator[Cite]:
    for x in d.cites:
        if x.c.relation == "based_on" and x.c.cited_by is None:
            yield x
    if named:
        yield from d.named_basis


def _non_normative(d: Doc, x: Cite) -> tuple[str, str] | None:
    s = x.sym
    if s is not None and (s.form is Form.PARTY or issuer_class(s.issuer) == "party"):
        return ("văn bản của Đảng", "a party document")
    if s is None and x.c.issuer:  # cited by name: the body the extractor resolved tells
        body = re.split(r"\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s", x.c.issuer)[0]
        if _issuer_family(d.g.issuer_by_phrase.get(fold_key(body))) == "party":
            return ("văn bản của Đảng", "a party document")
    dt = d.g.doc_type(x.c.doc_type) if x.c.doc_type else None
    if dt is None or dt.name in d.t.basis_exempt:
        return None
    if not dt.normative and dt.name not in d.t.normative_with_year:
        return (f"{dt.name.lower()} là văn bản hành chính", f"a {dt.en.lower()} is an administrative document")
    return None


@rule("basis.individual", "warning",
      ("Căn cứ là văn bản cá biệt", "Legal basis is an individual decision"),
      {"": ("“{quote}”: số hiệu không có năm nên đây là {type} cá biệt, không phải văn bản quy phạm pháp luật "
            "(Nghị định 34/2016/NĐ-CP Điều 61 khoản 1)",
            "“{quote}”: a number without a year makes this an individual {type_en}, not a normative document "
            "(Decree 34/2016/NĐ-CP art. 61(1))")},
      REF_BASIS)
def basis_individual(d: Doc) -> Iterator[Hit]:
    """A Quyết định or Nghị quyết numbered "1746/QĐ-TTg" is an individual (administrative) act;
    normative ones carry the year ("18/2011/QĐ-TTg"). Older than 1997 the rule was different."""
    norm, _ = _citing(d)
    if not norm:
        return
    for x in _basis_cites(d):
        s = x.sym
        if s is None or s.form is not Form.ADMINISTRATIVE or x.c.doc_type not in d.t.normative_with_year:
            continue
        if _non_normative(d, x) is not None:
            continue
        when = x.own_date.value if x.own_date and x.own_date.value else _iso(x.c.date)
        if when is not None and when.year < 1997:
            continue
        dt = d.g.doc_type(x.c.doc_type)
        yield Hit(x.c.start, x.c.end, dict(quote=_quote(x.c.text), type=x.c.doc_type.lower(),
                                            type_en=dt.en.lower() if dt else x.c.doc_type), citation=x.c)


@rule("basis.lower-rank", "error",
      ("Căn cứ có hiệu lực thấp hơn", "Legal basis of lower force"),
      {"": ("“{quote}” ({cited}) có hiệu lực pháp lý thấp hơn văn bản đang soạn ({citing}) nên không làm căn cứ được "
            "(Luật Ban hành VBQPPL 2015 Điều 4; Nghị định 34/2016/NĐ-CP Điều 61 khoản 1)",
            "“{quote}” ({cited_en}) has lower legal force than this document ({citing_en}) and cannot be its basis "
            "(Law on Legal Documents 2015 art. 4; Decree 34/2016/NĐ-CP art. 61(1))")},
      ("Luật Ban hành VBQPPL 2015 Điều 4; Nghị định 34/2016/NĐ-CP Điều 61 khoản 1",
       "Law on Legal Documents 2015 art. 4; Decree 34/2016/NĐ-CP art. 61(1)"))
def basis_lower_rank(d: Doc) -> Iterator[Hit]:
    """A basis must have higher legal force than the document built on it: a provincial decision
    cannot rest on a district one, nor a decree on a circular."""
    norm, rank = _citing(d)
    if not norm or rank is None:
        return
    for x in _basis_cites(d):
        if _non_normative(d, x) is not None or not is_normative(x.c.doc_type, x.sym):
            continue
        r = rank_of(x.c.doc_type, x.sym, x.c.issuer)
        if r is None or r <= rank:
            continue
        lab = d.t.labels
        yield Hit(x.c.start, x.c.end, dict(quote=_quote(x.c.text), cited=lab[r]["vi"], citing=lab[rank]["vi"],
                                            cited_en=lab[r]["en"], citing_en=lab[rank]["en"]), citation=x.c)
