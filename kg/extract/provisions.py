"""Pinpoint lists -> the provisions they name, one by one.

"điểm b, điểm đ và điểm e khoản 3 Điều 7" names three provisions; "Điều 4, 5, 6, khoản 4 Điều 7"
four; "khoản 5a vào sau khoản 5 Điều 24" the inserted khoản 5a Điều 24. The scope of a partial act
is this list, so an act is compared provision by provision. The levels and words are in
grammar/data/provisions.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.grammar import load
from kg.ingest.normalize import fold_key


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, int], dict[str, str], re.Pattern[str]]:
    t = load("provisions.yaml")
    rank = {fold_key(w): x["rank"] for x in t["levels"] for w in (x["word"], *x.get("aliases", []))}
    spelled = {fold_key(w): x["word"] for x in t["levels"] for w in (x["word"], *x.get("aliases", []))}
    words = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(rank, key=len, reverse=True))
    joiners = "|".join(re.escape(j) if not j.isalpha() else rf"\b{j}\b" for j in t["joiners"])
    beside = "|".join(r"\s+".join(map(re.escape, b.split())) for b in t["beside"])
    token = re.compile(
        rf"\s*(?:(?P<beside>{beside})\s+|(?P<join>{joiners})\s*|(?:(?:các|của|tại)\s+)?)"
        rf"(?:(?P<word>{words})\s*:?\s+(?:số\s+)?)?(?P<label>{t['label']})(?![\w)])",
        re.IGNORECASE)
    first = re.compile(rf"(?:các\s+)?(?:{words})\s*:?\s+(?:số\s+)?{t['label']}(?![\w])", re.IGNORECASE)
    return token, rank, spelled, first


def starts_with_provision(text: str) -> bool:
    return _table()[3].match(text.lstrip()) is not None


Prov = tuple[tuple[int, str, str], ...]  # (rank, level word, label), smallest level first


def render(p: Prov) -> str:
    return " ".join(f"{w} {lab}" for _, w, lab in p)


def qualify(p: Prov, by: Prov) -> Prov:
    """p completed with the larger levels of `by`: "khoản 2" under "Điều 9" -> "khoản 2 Điều 9"."""
    top = p[-1][0]
    return p + tuple(x for x in by if x[0] > top)


def parse(text: str) -> tuple[list[Prov], int]:
    """The provisions named at the start of `text`, and where that pinpoint phrase ends.

    Each item is a level word with a label (a bare label after a joiner keeps the level before
    it); an item right after another, at a larger level, qualifies every provision before it that
    has only smaller levels; a joined item starts a new provision. An inserted provision ("khoản
    5a vào sau khoản 5 Điều 24") takes the larger levels of the one it stands beside.
    """
    token, rank, spelled, first = _table()
    if not first.match(text, len(text) - len(text.lstrip())):
        return [], 0
    provs: list[list[tuple[int, str, str]]] = []
    beside_from: int | None = None
    pos, last_word = 0, ""
    while True:
        m = token.match(text, pos)
        if not m or (m["word"] is None and m["join"] is None and provs):
            break
        if m["word"] is None and not last_word:
            break
        word = fold_key(m["word"]) if m["word"] else last_word
        item = (rank[word], spelled[word], m["label"])
        joined = m["join"] is not None or m["beside"] is not None
        if m["beside"] is not None:
            beside_from = len(provs)
        if provs and not joined and item[0] > provs[-1][-1][0]:
            for k in range(len(provs) - 1, -1, -1):
                p = provs[k]
                if p[-1][0] >= item[0] or (beside_from is not None and k < beside_from):
                    break
                p.append(item)
        else:
            provs.append([item])
        last_word = word
        pos = m.end()
    out = [tuple(p) for p in provs]
    if beside_from is not None and beside_from < len(out):
        ref = out[beside_from]
        out = [qualify(p, ref) for p in out[:beside_from]]
    return out, pos


def parse_provisions(text: str) -> tuple[list[str], int]:
    provs, end = parse(text)
    return [render(p) for p in provs], end
