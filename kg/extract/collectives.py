"""Collective bodies: "các Sở, ban, ngành tỉnh", "Giám đốc các Sở, ban, ngành", "UBND các xã,
phường", "UBND cấp xã" -- one agency each, kept as the collective the text names (the
`collectives` table of agencies.yaml says which nouns make one and how it is named)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.grammar import load
from kg.ingest.normalize import fold_key, fold_string


_SAME = {"sở, ngành": "sở, ban, ngành"}  # one collective, written short


def _alt(words) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in fold_string(x).split()) for x in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _grammar():
    d = load("agencies.yaml")["collectives"]
    kind = rf"(?:{_alt(d['kinds'])})(?![\w-])"
    sep = r"(?:\s*[,;]\s*|\s+và\s+)"
    qual = rf"(?:\s+(?P<qual>{_alt(d['qualifiers'])})(?!\w))?"
    unit = r"(?:\s+(?P<unit>tỉnh|thành phố|tp\.?)(?![\w])(?:\s+(?P<place>(?-i:[A-ZĐÀ-Ỹ]\w*(?:\s+[A-ZĐÀ-Ỹ]\w*){0,2})))?)?"
    persons = rf"(?:(?:{_alt(d['persons'])})\s+)?"
    # "các Sở, ban, ngành ..."; without "các" only as a list that opens with a capital ("Sở, ban,
    # ngành có liên quan" in a table's cell), never one body ("Sở Tài chính")
    kinds_re = re.compile(rf"(?:{persons}các\s+|(?=(?-i:[A-ZĐÀ-Ỹ])\w+\s*,\s*{kind}))"
                          rf"(?P<kinds>{kind}(?:{sep}(?!các\b){kind})*){qual}{unit}", re.IGNORECASE)
    heads = {fold_key(p): h["head"] for h in d["division_heads"] for p in (h["head"], *h["phrases"])}
    divs = load("agencies.yaml")["divisions"]
    div = _alt([*divs["commune"], *divs["district"]])
    div_re = re.compile(
        rf"{persons}(?P<head>{_alt(heads)})\s+(?:các\s+(?P<divs>(?:{div})(?:\s*,\s*(?:{div}))*)|cấp\s+(?P<level>xã|huyện)"
        rf"|(?P<bare>(?:{div})\s*,\s*(?:{div})(?:\s*,\s*(?:{div}))*))(?![\w])(?:\s+(?:trên\s+địa\s+bàn\s+)?(?:tỉnh|thành phố)(?!\w))?",
        re.IGNORECASE)
    return kinds_re, div_re, heads, {fold_key(k) for k in d["local"]}, d["levels"]


def collective_at(F: str, pos: int, end: int, place) -> tuple[int, str, str] | None:
    """(end, canonical name, level) of a collective body that starts at F[pos], or None."""
    kinds_re, div_re, heads, local, levels = _grammar()
    m = div_re.match(F, pos, end)
    if m:
        if place is None:
            return None
        head = heads.get(fold_key(m["head"]), m["head"])
        d = m["divs"] or m["bare"]
        d = ", ".join(x.strip().lower() for x in d.split(",")) if d else levels[m["level"].lower()]
        return m.end(), f"{head} các {d} {place.unit} {place.name}", "commune" if "xã" in d else "district"
    m = kinds_re.match(F, pos, end)
    if not m:
        return None
    kinds = [k.strip() for k in re.split(r"\s*[,;]\s*|\s+và\s+", m["kinds"]) if k.strip()]
    first = fold_key(kinds[0])
    if len(kinds) == 1 and first not in ("sở", "bộ", "đoàn thể", "tổ chức chính trị - xã hội", "cơ quan báo chí",
                                         "doanh nghiệp viễn thông", "quân khu", "địa phương"):
        return None  # "các cơ quan" alone, "các ban": too vague to be a body
    if first in local and place is not None:
        words = ", ".join(fold_key(k) for k in kinds)
        words = _SAME.get(words, words)
        stop = m.end()
        return stop, f"Các {words} {place.unit} {place.name}", "province"
    words = ", ".join(k if fold_key(k) == "bộ" else fold_key(k) for k in kinds)  # "Các Bộ, ngành", "Các doanh nghiệp"
    stop = m.end("qual") if m["qual"] else m.end("kinds")
    name = f"Các {words}" + (f" {' '.join(m['qual'].split())}" if m["qual"] else "")
    return stop, name, "central" if first == "bộ" else "unit"
