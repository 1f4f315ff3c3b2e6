"""The role each agency plays in one task, read from the words of the clause that names it.

"Sở X chủ trì", "giao Sở X thực hiện" make X the lead; "phối hợp với X", "cùng với X" a partner;
"tham mưu X", "trình X", "đề xuất X" make X the body advised; "báo cáo (kết quả) về X", "gửi về X"
the body reported to; "theo hướng dẫn của X" guidance; a task under an agency's heading that names
no role of its own is `assigned` to it. An agency merely mentioned ("trong phạm vi do X quản lý",
"của X") is `mentioned`, which queries do not count. A list of bodies shares the role of its
first ("phối hợp với Sở A, Sở B và UBND các xã"). Every cue lives in actions.yaml (`roles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.agencies import Mention
from kg.grammar import load
from kg.ingest.normalize import fold_key
from kg.models import AgencyRole


@dataclass
class _Cues:
    after: list[tuple[str, str]]  # (cue, role), longest first
    before: list[tuple[str, str]]
    patterns: list[tuple[re.Pattern[str], str]]
    do_before: tuple[str, ...]
    via: dict[str, set[str]]  # role -> the words that carry it on to the next agency
    fillers: tuple[str, ...]
    list_words: set[str]
    assigned_headings: tuple[str, ...]
    # The same cues compiled: `after` reversed (a cue that ends the words before an agency is one
    # anchored match on the reversed words), `before` as is; each with its role, the first listed
    # (longest) winning as in the lists. One C-level match instead of a loop over every cue.
    after_rev: re.Pattern[str] = re.compile("(?!)")
    after_role: dict[str, str] = field(default_factory=dict)
    before_re: re.Pattern[str] = re.compile("(?!)")
    before_role: dict[str, str] = field(default_factory=dict)


def _compiled(pairs: list[tuple[str, str]], reverse: bool) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of the cues, longest first, each ending at a word boundary (not followed,
    or in the reversed text not preceded, by a letter or digit)."""
    role: dict[str, str] = {}
    for cue, r in pairs:
        role.setdefault(cue, r)
    alts = "|".join(re.escape(c[::-1] if reverse else c) for c in role)
    return re.compile(rf"(?:{alts})(?![^\W_])"), role


@lru_cache(maxsize=1)
def cues() -> _Cues:
    c = load("actions.yaml")
    roles = c["roles"]
    after = sorted(((fold_key(w), r) for r, d in roles.items() for w in d["after"]), key=lambda x: -len(x[0]))
    before = sorted(((fold_key(w), r) for r, d in roles.items() for w in d["before"]), key=lambda x: -len(x[0]))
    patterns = [(re.compile(p), r) for r, d in roles.items() for p in d.get("patterns", [])]
    via = {r: {fold_key(w) for w in d.get("via", [])} for r, d in roles.items()}
    after_rev, after_role = _compiled(after, reverse=True)
    before_re, before_role = _compiled(before, reverse=False)
    return _Cues(after, before, patterns, tuple(fold_key(w) for w in roles["mentioned"].get("do_before", [])), via,
                 tuple(sorted((fold_key(w) for w in c["fillers"]), key=len, reverse=True)),
                 {fold_key(w) for w in c["list_words"]}, tuple(fold_key(w) for w in c["assigned_headings"]),
                 after_rev, after_role, before_re, before_role)


def _strip_fillers(gap: str, fillers: tuple[str, ...]) -> str:
    changed = True
    while changed and gap:
        changed = False
        for f in fillers:
            if gap.endswith(f) and (len(gap) == len(f) or not gap[-len(f) - 1].isalnum() or not f[0].isalnum()):
                gap, changed = gap[:-len(f)].rstrip(), True
                break
    return gap


def _ends_with(g: str, cue: str) -> bool:
    return g.endswith(cue) and (len(g) == len(cue) or not g[-len(cue) - 1].isalnum())


def _after_cue(gap: str, cz: _Cues) -> str | None:
    """The role the words before an agency give it (the longest cue wins)."""
    best: tuple[int, str] | None = None
    for g in (gap.rstrip(" :(-"), _strip_fillers(gap, cz.fillers)):
        m = cz.after_rev.match(g[::-1])
        if m and (best is None or len(m.group()) > best[0]):
            best = (len(m.group()), cz.after_role[m.group()[::-1]])
    if best is not None:
        return best[1]
    for rx, role in cz.patterns:
        if rx.search(gap.rstrip(" :-")):
            return role
    return None


def _before_cue(tail: str, cz: _Cues) -> str | None:
    m = cz.before_re.match(tail.lstrip(" (,"))
    return cz.before_role[m.group()] if m else None


def is_assigning(heading: str | None) -> bool:
    """Is this the part of the text that hands out the work ("Tổ chức thực hiện")?"""
    if not heading:
        return False
    h = fold_key(heading)
    return any(h.startswith(w) or h == w for w in cues().assigned_headings)


_OPENERS = ("giao", "đề nghị", "yêu cầu")  # "Đề nghị Ủy ban MTTQ tỉnh ...": the body addressed does it


def _bare(F: str, start: int, end: int, mentions: list[Mention], cz: _Cues) -> bool:
    """Is the task only its actors ("Sở Công Thương:", "Đề nghị UBMTTQ tỉnh và các đoàn thể:")?"""
    pos, rest = start, []
    for m in mentions:
        rest.append(F[pos:m.start])
        pos = m.end
    rest.append(F[pos:end])
    words = " ".join(" ".join(rest).lower().replace(",", " ").replace(";", " ").replace(":", " ").split())
    for w in (*_OPENERS, *cz.list_words, *cz.fillers):
        words = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", " ", words)
    return not words.strip(" .-")


def roles(F: str, start: int, end: int, mentions: list[Mention], assigning: bool) -> list[AgencyRole]:
    """The role of each agency named in one task's own words F[start:end] (one pass: each
    mention reads only the words between it and the one before, and a few words after it)."""
    cz = cues()
    out: list[AgencyRole] = []
    prev_end, prev_role = start, None

    def key(a: int, b: int) -> str:  # F is folded already: lower-case and single spaces make the key
        return " ".join(F[a:b].lower().split())

    for i, m in enumerate(mentions):
        gap = key(max(prev_end, m.start - 120), m.start)
        tail = key(m.end, min(end, m.end + 40))
        role = _before_cue(tail, cz)
        if role is None and _ends_with(gap.rstrip(), "do") and tail.startswith(cz.do_before):
            role = "mentioned"  # "trong phạm vi do Bộ Quốc phòng quản lý"
        if role is None:
            role = _after_cue(gap, cz)
        if prev_role and gap.strip() in cz.via.get(prev_role, ()):
            role = prev_role  # "báo cáo UBND tỉnh (qua Sở X)"
        if role in (None, "mentioned") and prev_role and prev_role != "mentioned" and all(
                w in cz.list_words for w in gap.replace(",", " , ").replace(";", " ; ").split()):
            role = prev_role  # one more body of the list
        opens = i == 0 and not _strip_fillers(key(start, m.start), cz.fillers + _OPENERS)
        if (role is None or role == "assigned" and gap.strip() in _OPENERS) and opens:
            role = "assigned" if assigning and _bare(F, start, end, mentions, cz) else "lead"  # "Sở Công Thương:" heads its items
        role = role or "mentioned"
        if not any(a.name == m.name and a.role == role for a in out):
            out.append(AgencyRole(m.name, role))
        prev_end, prev_role = m.end, role
    return out
