"""Agencies named in a text, under one canonical name each, and the role each plays in a task.

Legal staff read "Tham mưu UBND tỉnh: ..." as work the Sở prepares for the provincial People's
Committee, and "phối hợp với Tỉnh đoàn" as a partnership. So a mention is resolved the way the
citation engine resolves issuers (local bodies completed with the header's jurisdiction, the
issuers.yaml bodies reused as they are), and its role is read from the cue words right around it
(actions.yaml), never from a fixed list of sentences.

Scanning is literal-first: one case-sensitive regex of the words an agency name can start with
finds the candidates, and only there are the longer anchored patterns tried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.collectives import collective_at
from kg.grammar import Issuer, grammar, load
from kg.grammar import units as division_units
from kg.ingest.normalize import fold_key, fold_string
from kg.models import Agency, AgencyRole
from kg.resolve.issuers import Jurisdiction, localize

_PROVINCE_UNITS = {"tỉnh", "thành phố", "tp", "tp."}
# A collective body opens with "các" or the person who stands for it ("Giám đốc các Sở"), or a body
# (found by the scans above).
_COLL_CAND = re.compile(r"(?:các|Các|CÁC|Giám đốc|Thủ trưởng|Chủ tịch|Lãnh đạo|Người đứng đầu)\s")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Mention:
    """One agency named in the folded text (offsets are folded)."""

    start: int
    end: int
    name: str
    level: str
    surface: str


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in fold_string(phrase).split())


def _alt(phrases) -> str:
    return "|".join(_words(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass
class _Gaz:
    """The gazetteer compiled: phrase -> body, the anchored patterns and the candidate scanner."""

    by_phrase: dict[str, tuple[Issuer, str]]
    body_re: dict[str, re.Pattern[str]]  # by the first word of the phrase, lower-case
    heads: dict[str, set[str]]  # first word -> which readers can start there
    named_re: re.Pattern[str]
    named_level: dict[str, tuple[str, bool]]
    unit_re: re.Pattern[str]
    division_re: re.Pattern[str]
    division_level: dict[str, str]
    cand_re: re.Pattern[str]
    div_cand_re: re.Pattern[str]
    stop_re: re.Pattern[str]
    data: dict


@lru_cache(maxsize=1)
def gazetteer() -> _Gaz:
    g, data = grammar(), load("agencies.yaml")
    by_phrase: dict[str, tuple[Issuer, str]] = {}
    by_name = {i.name: i for i in g.issuers}
    for i in g.issuers:
        level = "party" if i.party_body or i.level == "party" else i.level
        for p in (i.name, *i.phrases):
            by_phrase.setdefault(fold_key(p), (i, level))
    for group in ("central", "local", "departments"):
        for r in data.get(group, []):
            known = by_name.get(r["name"])
            if known is None:
                template = r.get("template") or (r["name"] + " {unit} {place}" if group == "departments" else None)
                known = Issuer(r["name"], r.get("level", "province"), (), tuple(r.get("phrases", [])),
                               template=template, party_body=r.get("level") == "party")
                by_name[r["name"]] = known
            level = r.get("level", "party" if known.party_body else known.level)
            for p in (r["name"], *r.get("phrases", [])):
                by_phrase[fold_key(p)] = (known, level)  # this file's phrases win over a shorter issuer's
    places = sorted({n for p in g.places for n in (p.name, *p.aliases)}, key=len, reverse=True)
    place = "|".join(_words(p) for p in places)
    unit_words = f"(?:{division_units().alternation()})"
    name_word = r"[A-ZĐÀ-Ỹ][^\s,;.:()]*"
    tail = (rf"(?![\w&])(?:\s+(?P<unit>{unit_words}))?"
            rf"(?:\s+(?P<place>{place})\b|(?<=[a-zđ])\s+(?P<other>{name_word}(?:\s+{name_word}){{0,2}}))?")
    groups: dict[str, list[str]] = {}
    for p in by_phrase:
        if len(p) > 1:
            groups.setdefault(p.split()[0], []).append(p)
    body_re = {w: re.compile(rf"(?P<body>{_alt(ps)}){tail}", re.IGNORECASE) for w, ps in groups.items()}
    named = {r["head"]: (r.get("level", "unit"), bool(r.get("local"))) for r in data["named_heads"]}
    named_re = re.compile(rf"(?P<head>{_alt(named)})\s+(?=[A-ZĐÀ-Ỹ])")
    units = [u for u in data["units"] if not u.get("skip")]
    unit_re = re.compile(rf"(?P<head>{_alt(u['head'] for u in units)})\s+(?P<of>{_alt(w for u in units for w in u['of'])})(?![\w&])")
    div_level = {fold_key(w): lvl for lvl, ws in data["divisions"].items() for w in ws}
    division_re = re.compile(rf"(?P<unit>{_alt(div_level)})\s+(?P<name>[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ0-9]\w*){{0,3}})")
    firsts = {fold_string(p).split()[0] for p in [*(i.name for i in by_name.values()),
                                                   *(p for i in by_name.values() for p in i.phrases),
                                                   *named, *(u["head"] for u in units), *data["self_words"]]}
    # Literal-first scans (a look-behind in front would cost the engine its fast prefix search):
    # capitalised first words of names, and division words before a capital.
    cand_re = re.compile(rf"(?:{_alt(w for w in firsts if w[:1].isupper())})(?![\w&])")
    div_cand_re = re.compile(rf"(?:{_alt(div_level)})\s+(?=[A-ZĐÀ-Ỹ])")
    heads: dict[str, set[str]] = {}
    for kind, words in (("body", groups), ("named", named), ("unit", [u["head"] for u in units])):
        for w in words:
            heads.setdefault(fold_key(w).split()[0], set()).add(kind)
    cues = load("actions.yaml")
    stops = [*data["name_stop_words"], *(a.lower() for a in cues["actions"]),
             *(c for r in cues["roles"].values() for c in (*r["after"], *r["before"]))]
    stop_re = re.compile(rf"(?:{_alt(stops)})(?![\w])")
    return _Gaz(by_phrase, body_re, heads, named_re, named, unit_re, division_re, div_level, cand_re, div_cand_re, stop_re, data)


def _localize(issuer: Issuer, juris: Jurisdiction, unit: str | None, other: str | None,
              place_name: str | None) -> str | None:
    place = grammar().place(place_name) if place_name else None
    if issuer.template and "{youth}" in issuer.template:
        p = place or juris.place
        if p is None:
            return None
        return issuer.template.replace("{youth}", "Thành đoàn" if p.city else "Tỉnh đoàn").replace("{place}", p.name)
    if other and not (unit and fold_key(unit) not in _PROVINCE_UNITS):
        other = None  # "HĐND tỉnh Quy định ...": a capital word after the body is not a place
    if place is None and other is None:
        place = juris.place
    return localize(issuer, place, unit, other)


def _body_at(F: str, pos: int, end: int, juris: Jurisdiction) -> Mention | None:
    gz = gazetteer()
    w = _WORD.match(F, pos)
    rx = gz.body_re.get(w.group().lower().rstrip(",;.:)")) if w else None
    m = rx.match(F, pos, end) if rx else None
    if not m:
        return None
    hit = gz.by_phrase.get(fold_key(m["body"]))
    if hit is None:
        return None
    issuer, level = hit
    every = re.match(r"\s+các\s+cấp(?!\w)", F[m.end("body"):m.end("body") + 16])
    if every:  # "Mặt trận Tổ quốc Việt Nam các cấp": the body at every level, one collective
        base = issuer.name if issuer.template is None else " ".join(m["body"].split())
        return Mention(pos, m.end("body") + every.end(), f"{base} các cấp", level, F[pos:m.end("body") + every.end()])
    if re.match(r"\s+(?:các|cấp|những)\b", F[m.end("body"):m.end("body") + 8]):
        return None  # "UBND các xã, phường", "UBND cấp huyện": a kind of body, not one body
    if issuer.template is None:
        return Mention(pos, m.end("body"), issuer.name, level, m["body"])
    unit, other = m["unit"], m["other"]
    if unit and fold_key(unit) not in _PROVINCE_UNITS and not other:
        return None  # "UBND xã, phường": which one is not said
    stop = m.end()
    if other and not (unit and fold_key(unit) not in _PROVINCE_UNITS):
        stop = m.end("unit") if unit else m.end("body")
    if unit and fold_key(unit) in ("các",):
        return None
    name = _localize(issuer, juris, unit, other, m["place"])
    if name is None:
        return None
    if unit and other and fold_key(unit) not in _PROVINCE_UNITS:
        level = gz.division_level.get(fold_key(unit), level)
    return Mention(pos, stop, name, level, F[pos:stop])


def _name_end(F: str, pos: int, end: int) -> int:
    """Where a proper name that starts at ``pos`` ends (see name_* in agencies.yaml)."""
    gz = gazetteer()
    data = gz.data
    joiners, stops_cap, max_lower = set(data["name_joiners"]), set(data["name_stops"]), data["name_max_lower"]
    last, lower_run, i = pos, 0, pos
    for w in re.finditer(r"[^\s,;.:()“”\"]+", F[pos:min(end, pos + 160)]):
        s, e = pos + w.start(), pos + w.end()
        if F[last:s].strip():  # punctuation in between
            break
        word = w.group()
        if word[0].isupper():
            if word in stops_cap and i > pos:
                break
            lower_run, last, i = 0, e, e
        elif word in joiners:
            nxt = re.match(r"\s+([^\s]+)", F[e:e + 40])
            if not nxt or not nxt.group(1)[:1].isupper():
                break
            last = e
        elif word[0].isdigit() or gz.stop_re.match(F, s) or lower_run >= max_lower:
            break
        else:
            lower_run, last, i = lower_run + 1, e, e
    return i


def _named_at(F: str, pos: int, end: int, juris: Jurisdiction) -> Mention | None:
    gz = gazetteer()
    m = gz.named_re.match(F, pos, end)
    if not m or not F[m.end():m.end() + 1].isupper():
        return None
    stop = _name_end(F, m.end(), end)
    if stop <= m.end():
        return None
    level, local = gz.named_level[" ".join(m["head"].split())]
    name = " ".join(F[pos:stop].split())
    if local:
        place = juris.place
        tail = re.match(r"\s+(tỉnh|thành\s+phố)\s+", F[stop:stop + 20])
        if place is None:
            return None
        name = f"{name} {place.unit} {place.name}"
        if tail:
            p = grammar().place(F[stop + tail.end():stop + tail.end() + 30].split(",")[0].strip(" .;"))
            stop = stop + tail.end() + len(p.name) if p else stop
    elif juris.place is not None:
        own = re.match(r"\s+(?:tỉnh|thành\s+phố)(?![\w])(?!\s+[A-ZĐÀ-Ỹ])", F[stop:stop + 30])
        if own:  # "Trung tâm Thông tin tỉnh": the province's own
            name, stop = f"{name} {juris.place.unit} {juris.place.name}", stop + own.end()
    return Mention(pos, stop, name, level, F[pos:stop])


def _unit_at(F: str, pos: int, end: int, juris: Jurisdiction, issuer: str | None) -> Mention | None:
    """ "Văn phòng Sở" inside a Sở's own text is that Sở's office."""
    m = gazetteer().unit_re.match(F, pos, end)
    if not m:
        return None
    host = _body_at(F, m.start("of"), end, juris) or _named_at(F, m.start("of"), end, juris)
    if host is not None and host.end > m.end():
        return Mention(pos, host.end, f"{' '.join(m['head'].split())} {host.name}", "unit", F[pos:host.end])
    if issuer and issuer.startswith(m["of"] + " "):
        return Mention(pos, m.end(), f"{' '.join(m['head'].split())} {issuer}", "unit", F[pos:m.end()])
    return None


def _division_at(F: str, pos: int, end: int) -> Mention | None:
    gz = gazetteer()
    m = gz.division_re.match(F, pos, end)
    if not m or not m["name"][0].isupper():
        return None
    before = fold_key(F[max(0, pos - 14):pos])
    if any(before.endswith(w) for w in gz.data["place_words"]):
        return None
    level = gz.division_level[fold_key(m["unit"])]
    name, stop = f"{fold_key(m['unit'])} {m['name']}", m.end()
    if level == "commune":  # commune names repeat across districts: keep the district that follows
        d = re.match(r"\s*[,(]\s*(?P<u>huyện|quận|thị xã|thành phố)\s+(?P<n>[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*){0,3})\)?", F[stop:stop + 60])
        if d:
            name, stop = f"{name}, {d['u']} {d['n']}", stop + d.end()
    return Mention(pos, stop, name, level, F[pos:stop])


def find_mentions(F: str, start: int, end: int, juris: Jurisdiction, issuer: str | None) -> list[Mention]:
    """Every agency named in F[start:end], left to right, longest first where they overlap."""
    gz = gazetteer()
    out: list[Mention] = []
    self_words = set(gz.data["self_words"])
    cands = sorted([*((m.start(), m.group(), False) for m in gz.cand_re.finditer(F, start, end)),
                    *((m.start(), m.group(), True) for m in gz.div_cand_re.finditer(F, start, end)),
                    *((m.start(), m.group(), None) for m in _COLL_CAND.finditer(F, start, end))])
    pos = start
    for p, word, division in cands:
        if p < pos or (p > 0 and (F[p - 1].isalnum() or F[p - 1] in "&/-_")):
            continue
        coll = collective_at(F, p, end, juris.place) if division is not True else None
        if coll is not None:
            out.append(Mention(p, coll[0], coll[1], coll[2], F[p:coll[0]]))
            pos = coll[0]
            continue
        if division is None:
            continue
        if division:
            best = _division_at(F, p, end)
        else:
            kinds = gz.heads.get(word.lower(), ())
            found = [m for m in (_unit_at(F, p, end, juris, issuer) if "unit" in kinds else None,
                                 _body_at(F, p, end, juris) if "body" in kinds else None) if m]
            if not found and "named" in kinds:  # a head noun and a proper name: only what the gazetteer lacks
                found = [m for m in [_named_at(F, p, end, juris)] if m]
            best = max(found, key=lambda m: m.end) if found else None
            if best is None and word in self_words and issuer and issuer.startswith(word + " "):
                before = fold_key(F[max(0, p - 10):p])
                if not before.endswith(("lãnh đạo", "các", "những", "thuộc")):
                    best = Mention(p, p + len(word), issuer, "province", word)
        if best is None:
            continue
        q = re.match(r"\s*\((?:huyện|quận|thị xã|tỉnh|thành phố)\s[^()]{1,40}\)", F[best.end:best.end + 60])
        if q:  # "(huyện Châu Thành)" places the agency before it; it is not an agency itself
            best = replace(best, end=best.end + q.end())
        out.append(best)
        pos = best.end
    return out


def agencies_of(mentions: list[Mention], extra: list[tuple[str, str]]) -> list[Agency]:
    """One Agency per canonical name, with the spellings it was found under."""
    seen: dict[str, Agency] = {}
    for name, level in extra:
        seen.setdefault(name, Agency(name, [], level))
    for m in mentions:
        a = seen.setdefault(m.name, Agency(m.name, [], m.level))
        alias = " ".join(m.surface.split())
        if alias != m.name and alias not in a.aliases:
            a.aliases.append(alias)
    return list(seen.values())
