"""One IRI per document, however it is cited, in the spirit of ELI URI templates.

    {BASE}/eli/vn/{type}/{year}/{number-symbol}                  central documents ("nd/2011/55-nd-cp")
    {BASE}/eli/vn/{jurisdiction}/{type}/{year}/{number-symbol}   local ones: every province has its
                                                                 own "01/QĐ-UBND", so the province
                                                                 is part of the identity
    {BASE}/eli/vn/{type}/title/{slug}[/{year}]                  laws and others cited by name

The identifier is compared by its key (case, look-alike Đ, spaces and dots do not matter), so
"42/2022/nq-hđnd" and "42/2022/NQ-HĐND" are one node, and a cited document that is itself in the
corpus gets the same IRI from its own header. Administrative numbers restart every year, so the
year of the date joins the identity of a number that carries none.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.extract.citations import identifier_key
from kg.grammar import code_key, grammar
from kg.ingest.normalize import fold_key, strip_accents

BASE = "https://w3id.org/vn-legal-kg"
ONTO = f"{BASE}/ontology#"
VOCAB = f"{BASE}/vocab/"

# Issuer codes of bodies that exist in every province: a symbol with one of them is local.
_LOCAL_CODES = {"UBND", "UB", "HĐND", "TU", "TTHĐND", "BTVTU", "CT.UBND", "BPC", "BKTNS", "BVHXH"}


def slug(s: str) -> str:
    s = strip_accents(fold_key(s))
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s or "x"


def _type_slug(doc_type: str | None) -> str:
    t = grammar().doc_type(doc_type) if doc_type else None
    return slug(t.name) if t else "van-ban"


def is_local(symbol: str | None, issuer: str | None) -> bool:
    if symbol:
        for code in re.split(r"[-/]", code_key(symbol)):
            if code in _LOCAL_CODES or (code.startswith("S") and grammar().issuer_by_code.get(code[1:]) is not None
                                        and grammar().issuer_by_code[code[1:]].template):
                return True
            i = grammar().issuer_by_code.get(code)
            if i is not None and i.template:
                return True
    if issuer and re.search(r"(tỉnh|thành phố|huyện|quận|xã|phường)\s", issuer) and not issuer.startswith("Bộ"):
        return True
    return False


def jurisdiction_of(issuer: str | None) -> str | None:
    if not issuer:
        return None
    for p in sorted(grammar().places, key=lambda p: -len(p.name)):
        if issuer.endswith(p.name):
            return p.name
    return None


def document_iri(identifier: str | None, *, title: str | None = None, doc_type: str | None = None,
                 year: int | None = None, date: str | None = None, issuer: str | None = None,
                 symbol: str | None = None, jurisdiction: str | None = None) -> str:
    if identifier:
        key = identifier_key(identifier)
        num_sym = slug(key.replace("/", "-"))
        has_year = bool(re.match(r"\d[\d.]*/(19|20)\d\d/", key))
        y = str(year) if has_year and year else (date[:4] if date else "nd")
        path = f"{_type_slug(doc_type)}/{y}/{num_sym}"
        if is_local(symbol or key, issuer):
            juris = jurisdiction_of(issuer) or jurisdiction or "unknown"
            path = f"{slug(juris)}/{path}"
        return f"{BASE}/eli/vn/{path}"
    t = slug(title or "untitled")
    y = f"/{year}" if year else (f"/{date[:4]}" if date else "")
    return f"{BASE}/eli/vn/{_type_slug(doc_type)}/title/{t}{y}"


def source_document_iri(source: str, sha256: str | None, header) -> str:
    """The citing document: by its own number when it has one, else by its content."""
    if header.identifier and header.number:
        return document_iri(header.identifier, doc_type=header.doc_type, year=header.year, date=header.date,
                            issuer=header.issuer, symbol=header.symbol, jurisdiction=header.jurisdiction)
    return f"{BASE}/doc/{(sha256 or slug(source))[:16]}"


def graph_iri(source: str) -> str:
    """The named graph that holds every triple read from one source file."""
    return f"{BASE}/source/{quote(source, safe='')}"


def agency_iri(name: str) -> str:
    return f"{BASE}/agency/{slug(name)}"


def id_key(identifier: str) -> str:
    """What loose user input and every mention are compared on (stored as kg:idKey)."""
    return strip_accents(identifier_key(identifier)).upper()


def loose_key(text: str) -> str:
    """User input such as "NQ 42/2022", "42/2022/nq-hdnd", "Nghị quyết 42/2022/NQ-HĐND" -> a key or prefix."""
    t = text.strip()
    m = re.search(r"\d[\d.]*\s*[/-]\s*[^\s]+", t)
    return id_key(re.sub(r"\s+", "", m.group(0))) if m else id_key(t)
