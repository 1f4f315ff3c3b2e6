"""Issuing bodies: from what the text says (or the symbol implies) to one canonical full name.

"UBND tỉnh" in a Tây Ninh plan is "Ủy ban nhân dân tỉnh Tây Ninh": local bodies are completed with
the citing document's jurisdiction, read from its own header, unless the text names a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.grammar import Grammar, Issuer, Place, grammar, load, units
from kg.grammar.symbols import issuer_for_code
from kg.ingest.normalize import fold_key
from kg.models import Form, Symbol

_TITLES = (r"(?:(?:Bộ\s+trưởng|Thủ\s+trưởng|Chủ\s+nhiệm|Tổng\s+Giám\s+đốc|Giám\s+đốc|Tổng\s+Kiểm\s+toán"
           r"|Chánh\s+án|Viện\s+trưởng|Thống\s+đốc|Tổng\s+Thanh\s+tra|Cục\s+trưởng)\s+)?")
_MEETING = r"(?:Hội\s+nghị\s+(?:lần\s+thứ\s+\S+\s+)?)?"
_NAME_WORD = r"[A-ZĐÀ-Ỹ][^\s,;.:()]*"


@dataclass(frozen=True)
class Jurisdiction:
    """Where the citing document belongs: a province or city, or nowhere (central bodies)."""

    place: Place | None = None

    @property
    def name(self) -> str | None:
        return self.place.name if self.place else None

    def at(self, when: str | int | None) -> Jurisdiction:
        """The unit this place was at a date (ISO) or in a year: a successor of the 2025
        reorganisation (reorganisation.yaml), before its date, is the former unit it continues.
        "Huế" in 2023 is Thừa Thiên Huế; an unknown date changes nothing."""
        if self.place is None or when is None:
            return self
        unit = _successors().get(self.place.name)
        if unit is None:
            return self
        since = str(unit["since"])
        before = str(when) < since if isinstance(when, str) and len(str(when)) == 10 else int(str(when)[:4]) < int(since[:4])
        if not before or unit["continues"] == self.place.name:
            return self
        former = grammar().place(unit["continues"])
        return Jurisdiction(former) if former else self


@lru_cache(maxsize=1)
def _successors() -> dict[str, dict]:
    return {u["name"]: u for u in load("reorganisation.yaml")["units"]}


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


@lru_cache(maxsize=1)
def _phrase_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    g = grammar()
    phrases = sorted({p for i in g.issuers for p in (i.name, *i.phrases) if len(p) > 2},
                     key=len, reverse=True)
    places = sorted({n for p in g.places for n in (p.name, *p.aliases)}, key=len, reverse=True)
    body = "|".join(_words(p) for p in phrases)
    unit_words = f"(?:{units().alternation()})"
    place = "|".join(_words(p) for p in places)
    issuer = re.compile(
        rf"{_TITLES}{_MEETING}(?P<body>{body})"
        rf"(?:\s+(?P<unit>{unit_words}))?"
        rf"(?:\s+(?P<place>{place})\b|(?<=[a-zđ])\s+(?P<other>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}))?",
        re.IGNORECASE,
    )
    place_re = re.compile(rf"\b(?P<unit>{unit_words})?\s*(?P<place>{place})\b", re.IGNORECASE)
    return issuer, place_re


def issuer_re() -> re.Pattern[str]:
    return _phrase_re()[0]


def place_re() -> re.Pattern[str]:
    return _phrase_re()[1]


def localize(issuer: Issuer, place: Place | None, unit_word: str | None = None,
             other: str | None = None) -> str | None:
    """Fill a local body's template with its place; None when the place cannot be known."""
    if issuer.template is None:
        return issuer.name
    if other and unit_word and fold_key(unit_word) not in ("tỉnh", "thành phố", "tp", "tp."):
        # district or commune level: "Ủy ban nhân dân huyện Châu Thành"
        base = issuer.template.split(" {unit}")[0].replace("{party}", "Huyện ủy")
        return f"{base} {fold_unit(unit_word)} {other}"
    if place is None:
        return None
    party = "Thành ủy" if place.city else "Tỉnh ủy"
    return (issuer.template.replace("{unit}", place.unit).replace("{place}", place.name)
            .replace("{party}", party).replace("  ", " "))


def fold_unit(unit: str) -> str:
    u = fold_key(unit)
    return "thành phố" if u in ("tp", "tp.") else u


def issuer_at(text: str, pos: int, endpos: int, juris: Jurisdiction) -> tuple[str | None, int] | None:
    """Match an issuer phrase starting at ``pos``; returns (canonical name or None, end)."""
    m = issuer_re().match(text, pos, endpos)
    if not m:
        return None
    g = grammar()
    issuer = g.issuer_by_phrase.get(fold_key(m.group("body")))
    if issuer is None:
        return None
    region = _regional(text, m, endpos)
    if region is not None:
        return region
    place = g.place(m.group("place")) if m.group("place") else None
    other = m.group("other")
    unit = m.group("unit")
    end = m.end()
    if issuer.template is None:
        return issuer.name, m.end("body")
    if other and not (unit and fold_key(unit) not in ("tỉnh", "thành phố", "tp", "tp.")):
        end = m.end("unit") if unit else m.end("body")  # "HĐND tỉnh Quy định ...": not a place
        other = None
    if place is None and other is None:
        place = juris.place
    return localize(issuer, place, unit, other), end


@lru_cache(maxsize=1)
def _region_re() -> tuple[frozenset[str], re.Pattern[str]]:
    r = load("issuers.yaml")["regional"]
    return (frozenset(fold_key(b) for b in r["bodies"]),
            re.compile(rf"\s+{_words(r['word'])}\s+(?P<label>{r['label']})(?![\w])", re.IGNORECASE))


def _regional(text: str, m: re.Match[str], endpos: int) -> tuple[str, int] | None:
    """ "Kho bạc Nhà nước khu vực XI": the regional unit, by its region."""
    bodies, rx = _region_re()
    body = " ".join(m.group("body").split())
    if fold_key(body) not in bodies:
        return None
    r = rx.match(text, m.end("body"), endpos)
    return (f"{body} {load('issuers.yaml')['regional']['word']} {r['label']}", r.end()) if r else None


@lru_cache(maxsize=4096)
def issuer_from_codes(codes: tuple[str, ...], party: bool, juris: Jurisdiction) -> str | None:
    """The issuer a symbol implies: "NĐ-CP" -> Chính phủ, "NQ-HĐND" -> HĐND of the jurisdiction."""
    names: list[str] = []
    for c in codes:
        i = issuer_for_code(c)
        if i is None:
            continue
        name = localize(i, juris.place)
        if name:
            names.append(name)
    if not names:
        return None
    return " - ".join(dict.fromkeys(names))


def issuing_codes(sym: Symbol) -> tuple[str, ...]:
    """The codes of the bodies that issued a document. After a type code every issuer code counts
    ("TTLT-BTC-BTP"); a letter's symbol has no type code, and there only the first is its issuer,
    the rest the unit of that body that drafted it ("4516/UBND-TNMT", "2906/LĐTBXH-KHTC")."""
    codes = tuple(sym.issuer_codes)
    if sym.form is Form.ADMINISTRATIVE and sym.type_code is None and len(codes) > 1:
        return codes[:1]
    return codes


def speaker_or_symbol(before: str | None, codes: tuple[str, ...], party: bool, juris: Jurisdiction) -> str | None:
    """ "ý kiến chỉ đạo của Thủ tướng Chính phủ tại Công văn số 7683/VPCP-QHĐP": the body named
    before "tại" spoke through the document; its symbol says who issued it, unless the named body
    is that one or one inside it ("Chủ tịch UBND tỉnh" for "QĐ-UBND", "Ban Thường vụ Tỉnh ủy" for
    "KH/TU"). Only between central bodies of the state, whose codes are exact."""
    if before is None or not codes:
        return before
    by_code = issuer_from_codes(codes, party, juris)
    if by_code is None or fold_key(by_code) in fold_key(before):
        return before
    if level_of(before) != "central" or level_of(by_code) != "central":
        return before  # a local or party symbol's code says less than the words ("SNN", "TW")
    return by_code


def former_unit_nearby(text: str, start: int, issuer: str | None, juris: Jurisdiction) -> str | None:
    """A local body the symbol implies ("UBND" -> of the citing province), when the same paragraph
    names that body of a former unit the province succeeds ("UBND tỉnh Yên Bái đã có Văn bản số
    4516/UBND-TNMT" in a Lào Cai text after 1 July 2025): the nearest such naming before the
    citation decides; a former unit's body cannot have acted under the successor's name."""
    place = juris.place
    unit = _successors().get(place.name) if place else None
    if issuer is None or unit is None:
        return issuer
    suffix = f" {place.unit} {place.name}"
    if not issuer.endswith(suffix):
        return issuer
    body = issuer[:-len(suffix)]
    blank = text.rfind("\n\n", max(0, start - 400), start)
    ws = blank + 2 if blank >= 0 else max(0, start - 400)
    window = text[ws:start]
    if not any(n in window for n in unit["former"] if n != place.name):
        return issuer  # no former unit named: the cheap test first
    last = None
    for m in issuer_re().finditer(text, ws, start):
        r = issuer_at(text, m.start(), start, juris)
        if r and r[0] and r[0].startswith(body + " "):
            last = r[0]
    if last is None:
        return issuer
    for name in unit["former"]:
        p = grammar().place(name)
        if p is not None and name != place.name and last == f"{body} {p.unit} {p.name}":
            return last
    return issuer


def canonical_body(phrase: str, juris: Jurisdiction) -> str | None:
    """A whole phrase (from a header or a table) to a canonical name."""
    r = issuer_at(phrase, 0, len(phrase), juris)
    return r[0] if r else None


def find_place(text: str) -> Place | None:
    m = place_re().search(text)
    return grammar().place(m.group("place")) if m else None


def known(g: Grammar | None = None) -> list[Issuer]:
    return (g or grammar()).issuers


def level_of(issuer: str | None) -> str | None:
    """central | party | province | district | commune, from a canonical issuer or agency name: the
    one place a level is decided (the graph's kg:issuerLevel, the viz's colours, kg check's ranks).
    A body the tables list nationally keeps its level; a party word makes it party; else the unit
    word before its place ("Ủy ban nhân dân huyện Châu Thành": district; "thành phố" that is not a
    province: district); a name with no place is central."""
    if not issuer:
        return None
    g = grammar()
    known = g.issuer_by_phrase.get(fold_key(issuer))
    if known is not None and known.template is None:
        return known.level
    u = units()
    if re.search(rf"\b(?:{'|'.join(_words(w) for w in u.party_words)})\b", issuer, re.IGNORECASE):
        return "party"
    m = _unit_re().search(issuer)  # the first unit word is the body's own ("UBND xã Y huyện Z": xã)
    if m is None:
        return "central"
    level = u.level(m["unit"]) or "province"
    if level == "province" and fold_key(m["unit"]) == "thành phố" and g.place(m["rest"].strip()) is None:
        return "district"
    return level


@lru_cache(maxsize=1)
def _unit_re() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?P<unit>{units().alternation()})\s+(?P<rest>\S.*)$", re.IGNORECASE)
