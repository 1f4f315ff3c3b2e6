"""One IRI per document, however it is cited, in the spirit of ELI URI templates.

    {BASE}/eli/vn/{type}/{year}/{number-symbol}                  national numbering ("nghi-dinh/2011/55-2011-nd-cp")
    {BASE}/eli/vn/{jurisdiction}/{type}/{year}/{number-symbol}   provincial numbering: every province has its
                                                                 own "01/QĐ-UBND", so the province is part
                                                                 of the identity
    {BASE}/eli/vn/{type}/title/{slug}[/{year}]                  laws and others cited by name

Why each part is what it is:

* number-symbol is compared by its key (case, look-alike Đ, spaces, "QĐ.UBND" for "QĐ-UBND" do not
  matter), so every spelling of one số hiệu gives one node;
* type comes from the type code inside the symbol when there is one (QĐ, NQ, KH ...), because the
  type word around a citation varies ("Kết luận số 30-TB/TGV") while the symbol does not;
* year: administrative numbers restart every year, so the year of the number, else of the date,
  is part of the identity; a citation that gives neither gets "nd" (no date) and the build links
  it to the one dated node with the same number, if there is exactly one (`kg.graph.links`);
* jurisdiction: symbols of bodies that exist in every province (UBND, HĐND, Tỉnh ủy, the Sở) are
  scoped by the province of the issuer, else of the citing document.

BASE is a w3id.org path (a permanent-identifier service, not any agency's domain); see ontology/README.md.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.grammar import code_key, grammar
from kg.grammar.symbols import code_type, identifier_key, issuer_for_code, parse_symbol
from kg.ingest.normalize import fold_key, strip_accents

BASE = "https://w3id.org/vn-legal-kg"
ONTO = f"{BASE}/ontology#"
VOCAB = f"{BASE}/vocab/"
ELI_BASE = f"{BASE}/eli/vn/"
NO_DATE = "nd"
UNKNOWN_PLACE = "unknown"



def slug(s: str) -> str:
    s = strip_accents(fold_key(s))
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s or "x"


def issuer_codes(key: str) -> list[str]:
    """The issuer codes of a number/symbol key: "01/2023/QĐ-UBND" -> ["UBND"]."""
    sym = parse_symbol(key)
    return [code_key(c) for c in sym.issuer_codes] if sym else []


def type_of(key: str | None, doc_type: str | None = None):
    """The document type: the symbol's type code first, then the words around the citation."""
    t = code_type(parse_symbol(key)) if key else None
    return t or (grammar().doc_type(doc_type) if doc_type else None)


def type_slug(key: str | None, doc_type: str | None = None) -> str:
    t = type_of(key, doc_type)
    return slug(t.name) if t else "van-ban"


def jurisdiction_of(issuer: str | None) -> str | None:
    """The province an issuer's canonical name ends with ("... tỉnh Tây Ninh" -> "Tây Ninh")."""
    if not issuer:
        return None
    for p in _places_longest_first():
        if issuer.endswith(" " + p) or issuer == p:
            return p
    return None


_PLACES: list[str] = []


def _places_longest_first() -> list[str]:
    if not _PLACES:
        _PLACES.extend(sorted((p.name for p in grammar().places), key=len, reverse=True))
    return _PLACES


def _local_code(code: str) -> bool:
    i = issuer_for_code(code)
    return i is not None and i.template is not None


def _central_issuer(issuer: str) -> bool:
    return any(i.name == issuer and i.template is None for i in grammar().issuers)


def _central_code(code: str) -> bool:
    i = issuer_for_code(code)
    return i is not None and i.template is None


def scope(key: str | None, issuer: str | None, citing_jurisdiction: str | None = None) -> str | None:
    """The province whose numbering the document belongs to; None for national numbering.

    A symbol that names a central body and no local one ("21-NQ/TW", "55/2011/NĐ-CP") is national
    whatever issuer phrase stands beside it: that phrase is then an extraction slip, and trusting it
    would split one document into a node per province that cites it."""
    codes = issuer_codes(key) if key else []
    if codes and any(_central_code(c) for c in codes) and not any(_local_code(c) for c in codes):
        return None
    place = jurisdiction_of(issuer)
    if place:
        return place
    if issuer and _central_issuer(issuer):
        return None
    if any(_local_code(c) for c in codes):
        return citing_jurisdiction or UNKNOWN_PLACE
    return None


def is_local(key: str | None, issuer: str | None) -> bool:
    return scope(key, issuer, UNKNOWN_PLACE) is not None


def _year(key: str, year: int | None, date: str | None) -> str:
    sym = parse_symbol(key)
    if sym and sym.year:
        return str(sym.year)
    if date:
        return date[:4]
    if year:
        return str(year)
    return NO_DATE


def document_iri(identifier: str | None, *, title: str | None = None, doc_type: str | None = None,
                 year: int | None = None, date: str | None = None, issuer: str | None = None,
                 symbol: str | None = None, jurisdiction: str | None = None) -> str:
    """The node of a document. `jurisdiction` is the citing document's, for local symbols without a place."""
    if identifier:
        key = identifier_key(identifier)
        path = f"{type_slug(key, doc_type)}/{_year(key, year, date)}/{slug(key.replace('/', '-'))}"
        place = scope(key, issuer, jurisdiction)
        if place:
            path = f"{slug(place)}/{path}"
        return ELI_BASE + path
    t = slug(title or "untitled")
    y = f"/{year}" if year else (f"/{date[:4]}" if date else "")
    return f"{ELI_BASE}{type_slug(None, doc_type)}/title/{t}{y}"


def parts(iri: str) -> tuple[str | None, str, str, str] | None:
    """(place, type, year, number-symbol) of a numbered document IRI; None for other IRIs."""
    if not iri.startswith(ELI_BASE):
        return None
    p = iri[len(ELI_BASE):].split("/")
    if len(p) == 3 and p[1] != "title":
        return None, p[0], p[1], p[2]
    if len(p) == 4 and p[2] != "title":
        return p[0], p[1], p[2], p[3]
    return None


def source_document_iri(source: str, sha256: str | None, header) -> str:
    """The citing document: by its own number when it has one (so citations of it land on it), else by content."""
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
