"""Who issued the document, from its header's upper-case issuer lines, and where it belongs.

Known bodies come from the gazetteer (``kg/resolve/issuers``); an unknown one starts at an org word
of ``kg/grammar/data/header.yaml`` ("SỞ", "CỤC", "TRUNG TÂM" ...). A joint document (Thông tư liên
tịch) has all its issuers, joined by " - ".
"""

from __future__ import annotations

import re

from kg.extract.header_text import ZONE_MAX, join_spaced, rules, sentence_case
from kg.grammar import Place, grammar
from kg.grammar.symbols import is_joint
from kg.models import Header
from kg.resolve.issuers import Jurisdiction, find_place, issuer_at, level_of


def _issuer_lines(V: str, start: int, end: int) -> list[str]:
    """The upper-case lines of the issuer block, minus the motto, rules and the gazette's lines."""
    R, g = rules(), grammar()
    out = []
    for ln in R.motto.sub(" ", V[start:end]).splitlines():
        ln = " ".join(ln.split())
        if (ln and ln.isupper() and not re.fullmatch(r"[\d\W]+", ln) and not R.not_issuer.search(ln)
                and g.doc_type(ln) is None):
            out.append(join_spaced(ln))
    return out


def read_issuers(h: Header, V: str, number: tuple[int, int] | None, end: int) -> Place | None:
    """Issuer and parent from the lines above the number (a joint document's issuers all of them),
    else from the last upper-case lines after it; the place those lines name, if any."""
    joined = " ".join(_issuer_lines(V, 0, number[0] if number else end))
    place = find_place(joined) if joined else None
    juris = Jurisdiction(place)
    bodies = bodies_of(joined, juris)
    if not bodies:
        tail = _issuer_lines(V, number[1] if number else 0, end)
        bodies = bodies_of(" ".join(tail[-2:]), juris)[-1:]
    if bodies and is_joint(h.doc_type) and len(bodies) > 1:
        h.issuer = " - ".join(bodies)
    elif bodies:
        h.issuer = bodies[-1]
        h.parent_issuer = bodies[-2] if len(bodies) > 1 else None
    return place


def bodies_of(text: str, juris: Jurisdiction) -> list[str]:
    """Split the issuer lines into bodies, known ones by the gazetteer, others by an org word."""
    bodies: list[str] = []
    pos, n = 0, len(text)
    org = rules().org
    while pos < n:
        m = re.compile(r"\S").search(text, pos)
        if not m:
            break
        pos = m.start()
        r = issuer_at(text, pos, n, juris)
        if r and r[0]:
            bodies.append(r[0])
            pos = r[1]
        elif org.match(text, pos):
            end = _next_known(text, pos + 1, juris)
            bodies.append(_unknown_body(text[pos:end], juris))
            pos = end
        else:
            nxt = text.find(" ", pos)
            pos = n if nxt < 0 else nxt + 1
    return list(dict.fromkeys(bodies))


def _next_known(text: str, pos: int, juris: Jurisdiction) -> int:
    for i in range(pos, len(text)):
        if text[i - 1] == " ":
            r = issuer_at(text, i, len(text), juris)
            if r and r[0]:
                return i
    return len(text)


def _unknown_body(words: str, juris: Jurisdiction) -> str:
    name = sentence_case(words.strip(" ,-")).strip()
    name = name[:1].upper() + name[1:]
    if name.startswith("Sở ") and juris.place and juris.place.name not in name:
        name += f" {juris.place.unit} {juris.place.name}"
    return name


def jurisdiction(h: Header, F: str, place: Place | None) -> Place | None:
    """The issuer lines' province; else the place/date line's for a local body; else, with no header
    at all (corpus extracts, bare bodies), the province the text keeps naming."""
    g = grammar()
    if (place is None and h.place and h.issuer and re.search(r"nhân dân|Sở |ủy", h.issuer)
            and level_of(h.issuer) != "central" and not is_joint(h.doc_type)):
        place = g.place(re.sub(r"^Thành phố\s+", "", h.place))
    if place is not None or h.issuer is not None:
        return place
    counts: dict[str, int] = {}
    for m in re.finditer(r"(?:tỉnh|thành\s+phố|TP\.?)\s+([A-ZĐÀ-Ỹ][^\s,.;:()]*(?:\s+[A-ZĐÀ-Ỹ][^\s,.;:()]*){0,3})",
                         F[: min(len(F), ZONE_MAX)]):
        p = find_place(m.group(1))
        if p is not None:
            counts[p.name] = counts.get(p.name, 0) + 1
    return g.place(max(counts, key=counts.get)) if counts else None
