"""What the document does to other documents, from its own operative text only.

An effect is a claim that THIS document performs an act, so it needs the words that perform it
(cues.yaml, "effects"): a clause that opens with the verb ("Bãi bỏ khoản 2 Điều 1 Nghị quyết số
…"), or whose subject is the document itself ("Quyết định này thay thế …"), with the target right
after the verb or in the list the clause opens ("… cụ thể như sau:" + numbered items); or a clause
whose documents "hết hiệu lực kể từ ngày …". A task to act ("tham mưu … sửa đổi"), a report of
another's act ("đã được sửa đổi, bổ sung bởi …") and implementing ("triển khai") open their clause
with other words: they stay citations. Reported acts between two other documents are kept apart
(`ReportedEffect`), never as acts of this one.

Partial acts keep their provisions: the pinpoint before the target ("Bãi bỏ khoản 2 Điều 1 …"), or,
for an article that amends "một số điều của" a document, the provisions its items name ("1. Sửa
đổi, bổ sung khoản 5 và khoản 6 Điều 3 như sau:"); text inserted in quotes is not read as acts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from kg.extract import patterns as P
from kg.extract.provisions import Prov, parse, parse_provisions, qualify, render
from kg.grammar import grammar, load
from kg.ingest.normalize import fold_key
from kg.models import Act, Citation, Effect, ReportedEffect

_ITEM = re.compile(r"[ \t]*(?:\*\*)?(?:-|\+|•|Điều[ \t]+\d+[a-zđ]?\.|\d+(?:\.\d+)*[.)]|[a-zđ][)])(?:\*\*)?[ \t]+")
_ARTICLE = re.compile(r"(?m)^[ \t#*]*Điều[ \t]+(\d+[a-zđ]?)\.(?:\*\*)?")
_CLAUSE_END = re.compile(r"[.;:](?=\s)|[.;:]\Z")


@dataclass
class _Cues:
    verbs: list[tuple[str, Act]]  # folded cue, act; longest first
    phrase: list[str]
    after: re.Pattern[str]
    opener: re.Pattern[str]
    self_subject: re.Pattern[str]
    objects: frozenset[str]
    partial: re.Pattern[str]
    passive: re.Pattern[str]
    in_force: re.Pattern[str]
    signing: re.Pattern[str]
    document_word: re.Pattern[str]


def _alt(words) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> _Cues:
    c = grammar().cues
    verbs = sorted(((fold_key(w), Act(a)) for a, ws in c["effects"].items() for w in ws), key=lambda t: -len(t[0]))
    verb_alt = _alt([*c["phrase_acts"], *(w for ws in c["effects"].values() for w in ws)])
    types = _alt([t.name for t in grammar().doc_types] + ["văn bản"])
    return _Cues(
        verbs=verbs, phrase=[fold_key(w) for w in c["phrase_acts"]],
        after=re.compile(rf"(?<!đã\s)(?:{_alt(c['effects_after'])})(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+ngày\b",
                         re.IGNORECASE),
        opener=re.compile(rf"(?:{verb_alt})(?![\w])", re.IGNORECASE),
        self_subject=re.compile(rf"(?:{types})\s+này\s*(?:(?:,|và|đồng\s+thời)\s*|có\s+hiệu\s+lực[^.;:]{{0,120}}?\s+và\s+)?"
                                rf"(?=(?:{verb_alt})(?![\w]))", re.IGNORECASE),
        objects=frozenset(fold_key(w) for w in c["effect_object_words"]),
        partial=re.compile(rf"(?:{_alt(c['effect_partial'])})\b", re.IGNORECASE),
        passive=re.compile(rf"(?:{_alt(c['reported_passive'])})\s+(?P<verb>{verb_alt})[\s,]*(?:{_alt(c['effect_partial'])})?"
                           rf"[\s\w,]{{0,40}}?\s(?:{_alt(c['reported_by'])})\s*\Z", re.IGNORECASE),
        in_force=re.compile(rf"(?:{types})(?:\s+này)?\s+(?:{_alt(c['in_force'])})\s+(?:(?:kể\s+)?từ|sau)\s+", re.IGNORECASE),
        signing=re.compile(rf"(?:kể\s+)?từ\s+(?:{_alt(c['signing'])})", re.IGNORECASE),
        document_word=re.compile(rf"\b(?:{types})\b", re.IGNORECASE),
    )


def act_of(verb: str) -> Act:
    k = fold_key(verb)
    if any(k.startswith(p) for p in cues().phrase):
        return Act(grammar().cues["phrase_act"])
    return next(a for w, a in cues().verbs if k.startswith(w))


# -- the document's own entry into force --------------------------------------------------------

def _in_force_matches(F: str, start: int):
    """ "… này có hiệu lực …", found from the literal "hiệu lực" (the type words before it would make
    the engine try every position)."""
    rx = cues().in_force
    i = F.find("hiệu lực", start)
    while i >= 0:
        m = rx.search(F, max(start, i - 60), i + 40)
        if m and m.start() <= i < m.end():
            yield m
        i = F.find("hiệu lực", i + 8)


def entry_into_force(F: str, start: int, signed: str | None) -> tuple[str | None, str | None]:
    """(ISO date, the words) of "… này có hiệu lực (thi hành) kể từ ngày …" in the body."""
    for m in _in_force_matches(F, start):
        tail = F[m.end():m.end() + 80].replace("*", "")  # markdown bold around the date
        cut = re.search(r"[.;]\s|\n\s*\n|(?<=\d{4})\b|(?<=ngày ký)\b", tail)
        words = " ".join(F[m.start():m.end() + (cut.end() if cut else 60)].split())
        d = _date_at(tail)
        if d:
            return d, words
        n = re.match(r"(\d{1,3})\s+ngày\s+kể\s+từ\s+ngày\s+ký", tail)
        if n and signed:
            return (date.fromisoformat(signed) + timedelta(days=int(n[1]))).isoformat(), words
        if cues().signing.match(F, m.end() - 4 if F[m.end() - 4:m.end()].strip() == "từ" else m.end()) or \
                re.match(r"(?:ngày\s+)?(?:ký|ban\s+hành|thông\s+qua)", tail):
            return signed, words
    return None, None


def _date_at(s: str) -> str | None:
    for rx in (P.DATE_DMY, P.DATE_LONG):
        m = rx.match(s.lstrip())
        if m:
            d, mo, y = int(m["d"]), int(m["m"]), int(m["y"])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


# -- clauses -------------------------------------------------------------------------------------------

def _quoted(F: str) -> list[tuple[int, int]]:
    """Text inserted by an amendment: “…” after "như sau:" (it may run over many lines)."""
    out, pos = [], 0
    while True:
        a = F.find("“", pos)
        if a < 0:
            return out
        b = F.find("”", a)
        if b < 0:
            return out
        out.append((a, b + 1))
        pos = b + 1


def _in(spans: list[tuple[int, int]], i: int) -> bool:
    k = bisect.bisect_right(spans, (i, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= i < spans[k][1]


def clause_start(F: str, pos: int, floor: int = 0) -> int:
    """Where the clause holding `pos` starts: after the last ". ; :" before it, or at the start of
    the line that opens an item or a paragraph (hard-wrapped lines do not start clauses)."""
    lo = max(floor, pos - 800)
    best = lo
    for m in _CLAUSE_END.finditer(F, lo, pos):
        best = m.end()
    line = F.rfind("\n", lo, pos)
    while line >= best:
        j = line - 1  # the last character before the line break, past " \t*" (no copy of F[:line])
        while j >= 0 and F[j] in " \t*":
            j -= 1
        prev_end = F[j] if j >= 0 else ""
        prev_line = F[F.rfind("\n", 0, line) + 1:line]
        if (_ITEM.match(F, line + 1) or prev_end in ("", "\n", ".", ";", ":") or F[line - 1:line] == "\n"
                or prev_line.isupper()):  # a heading line ("I. NHIỆM VỤ") ends the clause above it
            return max(best, line + 1)
        line = F.rfind("\n", lo, line)
    return best


def _strip_item(s: str) -> str:
    s = s.lstrip(" \t\n")
    m = _ITEM.match(s)
    s = s[m.end():] if m else s
    return s.replace("**", "").lstrip(" *#")


_ASIDE = re.compile(r"\s*(?:\([^()]{0,200}\))?\s*")


def _provision_subject(text: str) -> int:
    """ "Mẫu VC02 (Giấy đăng ký …) thay thế mẫu VC02 …": a provision of this document, with what it
    is in brackets, as the subject of the act; where its verb would start (0 when there is none)."""
    provs, n = parse(text)
    if not provs:
        return 0
    return _ASIDE.match(text, n).end()


@dataclass
class _Clause:
    act: Act | None
    partial: bool
    lead: bool  # ends with ":": the act falls on the list below
    start: int
    lists_documents: bool = False  # "Bãi bỏ các văn bản sau:" (not "Bổ sung khoản 5a … như sau:")


def read_clause(F: str, start: int, end: int) -> _Clause:
    """The act a clause performs on what follows its verb (None if it performs none)."""
    text = _strip_item(F[start:end])
    off = len(F[start:end]) - len(text)
    c = cues()
    s = c.self_subject.match(text)
    at = s.end() if s else _provision_subject(text)
    v = c.opener.match(text, at)
    lead = F[start:end].rstrip().endswith(":")
    if v is None:
        if lead and re.search(rf"(?<!đã\s)(?:{_alt(grammar().cues['effects_after'])})", text, re.IGNORECASE):
            return _Clause(Act(grammar().cues["effects_after_act"]), False, True, start + off, True)
        return _Clause(None, False, lead, start + off)
    obj = text[v.end():]
    lists = not parse(obj)[0] and (len(obj.split()) < 3 or c.document_word.search(obj) is not None)
    return _Clause(act_of(v.group(0)), bool(c.partial.search(text, v.end())), lead, start + off, lists)


def _gap_provisions(gap: str) -> tuple[bool, list[str]]:
    """(gap holds only object words, the provisions it names). Other verbs of the same act may stand
    there ("Sửa đổi, bãi bỏ, thay thế một số điều, phụ lục của Thông tư số …")."""
    gap = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", gap)
    gap = cues().opener.sub(" ", gap)
    found: list[str] = []
    rest = gap
    objs = cues().objects
    while True:
        provs, n = parse_provisions(rest)
        if provs:
            found += provs
            rest = rest[n:]
            continue
        toks = rest.split()
        if not toks:
            return True, found
        for k in (4, 3, 2, 1):
            if fold_key(" ".join(toks[:k]).strip(",.:;()")) in objs or not toks[0].strip(",.:;()*"):
                rest = " ".join(toks[k:]) if fold_key(" ".join(toks[:k]).strip(",.:;()")) in objs else " ".join(toks[1:])
                break
        else:
            return False, found


# -- the acts ---------------------------------------------------------------------------------------

@dataclass
class Findings:
    effects: list[Effect]
    reported: list[ReportedEffect]
    effective: str | None
    effective_rule: str | None


class _Acts:
    """Collects (target, act) -> Effect, merging the provisions of one act on one target."""

    def __init__(self, fd, effective: str | None):
        self.fd, self.effective = fd, effective
        self.by_key: dict[tuple[str, Act], Effect] = {}

    def add(self, target: Citation, act: Act, scope: list[str] | str, a: int, b: int, index: int | None) -> None:
        key = (target.key, act)
        e = self.by_key.get(key)
        if e is None:
            o0, o1 = self.fd.f.span(a, b)
            ev = " ".join(self.fd.f.original[o0:o1].split())
            own = re.search(r"kể\s+từ\s+ngày\s+(.{0,40})", self.fd.F[a:b])
            eff = (_date_at("ngày " + own[1]) if own else None) or self.effective
            self.by_key[key] = Effect(act, target.identifier, None if target.identifier else target.title,
                                      scope if scope == "whole" else list(scope), eff, ev[:400], o0, o1,
                                      citation=index)
            return
        if scope == "whole" or e.scope == "whole":
            e.scope = "whole"  # an act on the whole document covers its provisions
        else:
            e.scope += [p for p in scope if p not in e.scope]


def _own_scope(c: Citation) -> list[str] | str:
    provs = [p for pin in c.pinpoints for p in parse_provisions(pin)[0]]
    return provs or "whole"


def _item_line_start(F: str, cs: int) -> int:
    ls = F.rfind("\n", 0, cs) + 1
    m = _ITEM.match(F, ls)
    return ls if m and m.end() >= cs - 1 and not F[m.end():cs].strip() else cs


def _marker(F: str, ls: int) -> str:
    m = _ITEM.match(F, ls)
    if not m:
        return ""
    s = m.group(0).strip(" \t*")
    return "Điều" if s.startswith("Điều") else ("1" if s[0].isdigit() else ("a" if s[0].isalpha() else s[0]))


_ORDER = {"Điều": 4, "1": 3, "a": 2}


def _skip_back(F: str, pos: int, floor: int) -> int:
    """The end of the text before `pos` once blanks and markdown stars are skipped (no slicing:
    this runs at every line of a list)."""
    while pos > floor and F[pos - 1] in " \t\n*":
        pos -= 1
    return pos


def _inherited(F: str, cs: int, floor: int, memo: dict[int, tuple]) -> tuple[_Clause | None, int]:
    """The act of the list lead above an item or a ";"-separated member ("… cụ thể như sau:").

    Walks back over the items of the same list (same kind of marker, their continuation lines
    skipped) or the ";"-separated members of one paragraph, to the line that ends with ":". Every
    line visited remembers the answer, so the items of one long list cost one walk together."""
    pos = _item_line_start(F, cs)
    family = _marker(F, pos)
    seen: list[int] = []
    answer: tuple[_Clause | None, int] = (None, pos)
    while pos > floor:
        if (pos, family) in memo:
            answer = memo[(pos, family)]
            break
        seen.append(pos)
        end = _skip_back(F, pos, floor)
        if end == floor:
            break
        if F[end - 1] == ":":
            start = _item_line_start(F, clause_start(F, end - 1, floor))
            cl = read_clause(F, start, end)
            ok = cl.act is not None and not P.SYMBOL.search(F, start, end) and cl.lists_documents
            answer = (cl if ok else None, start)  # a lead that names its target, or a provision of it, lists none
            break
        if not family:
            if F[end - 1] != ";":
                break
            pos = _item_line_start(F, clause_start(F, end - 1, floor))
            continue
        line = F.rfind("\n", floor, end) + 1  # the previous line: an item of the list, or its continuation
        fam = _marker(F, line)
        if fam and _ORDER.get(fam, 1) > _ORDER.get(family, 1):
            break  # a larger unit (the article) begins: no lead above this list
        pos = line
    for p in seen:
        memo[(p, family)] = answer
    return answer


def _reported(fd, found) -> list[ReportedEffect]:
    F, out = fd.F, []
    c = cues()
    by_key = {x.c.key: x for x in found}
    prev = None
    for x in found:
        w = F[max(0, x.fstart - 120):x.fstart]
        m = c.passive.search(w)
        if m and prev is not None and not x.c.cited_by:
            out.append(ReportedEffect(act_of(m["verb"]), x.c.key, prev.c.key,
                                      evidence=_ev(fd, prev.fstart, x.fend), line=_line(fd, prev.fstart)))
        if x.c.cited_by and x.c.cited_by in by_key:
            h = by_key[x.c.cited_by]
            win_start = max(h.head_end, x.fstart - 80)
            v = None
            for v in c.opener.finditer(F, win_start, x.fstart):
                pass
            if v is not None:
                ok, provs = _gap_provisions(F[v.end():x.fstart])
                if ok:
                    out.append(ReportedEffect(act_of(v.group(0)), h.c.key, x.c.key, provs or "whole",
                                              evidence=_ev(fd, h.fstart, x.fend), line=_line(fd, h.fstart)))
        if not x.c.cited_by:
            prev = x
    return out


def _ev(fd, a: int, b: int) -> str:
    o0, o1 = fd.f.span(a, b)
    return " ".join(fd.f.original[o0:o1].split())[:400]


def _line(fd, a: int) -> int:
    return fd.f.original.count("\n", 0, fd.f.span(a, a)[0]) + 1


def _clause_end(F: str, pos: int) -> int:
    m = re.compile(r"[.;](?=\s)|:\s*\n|\n\s*\n").search(F, pos, min(len(F), pos + 600))
    return m.start() + 1 if m else min(len(F), pos + 300)


def find_effects(fd, found: list, header_end: int, signed: str | None) -> Findings:
    """`fd` is the citation finder (folded text and offsets); `found` its citations in text order."""
    F = fd.F
    effective, rule = entry_into_force(F, header_end, signed)
    quotes = _quoted(F)
    acts = _Acts(fd, effective)
    partial_targets: list[tuple[int, Citation]] = []
    prev_effect: tuple | None = None
    memo: dict[int, tuple] = {}
    for i, x in enumerate(found):
        c = x.c
        if c.cited_by or c.relation == "based_on" or x.fstart < header_end or _in(quotes, x.fstart):
            continue
        cs = clause_start(F, x.fstart, header_end)
        cl = read_clause(F, cs, x.fstart)
        got = None
        if cl.act is not None:
            v = cues().opener.search(F, cl.start, x.fstart)
            verb_end = v.end() if v else cl.start
            j = i - 1  # the same document named earlier in this clause, after the verb:
            while j >= 0 and found[j].fstart >= verb_end and not (found[j].c.key == c.key and found[j].fend <= x.fstart):
                j -= 1
            if j >= 0 and found[j].fstart >= verb_end:  # "Bãi bỏ Điều 4 Thông tư số X và các biểu mẫu: VC02 …
                verb_end = found[j].fend                 # ban hành kèm theo Thông tư số X"
            ok, provs = _gap_provisions(F[verb_end:x.fstart])
            if ok:
                got = (cl.act, provs or ([] if cl.partial else "whole"), cs)
        if got is None:
            tail_end = _clause_end(F, x.fend)
            if cues().after.search(F, x.head_end, tail_end) and not cues().opener.match(_strip_item(F[cs:x.fstart])):
                got = (Act(grammar().cues["effects_after_act"]), _own_scope(c), cs)
        if got is None and prev_effect is not None:
            p_start, p_act, p_lead = prev_effect
            sep = F[header_end:cs].rstrip(" \t\n*")
            if sep.endswith((";", ",")) or re.search(r"\s(?:và|hoặc)\Z", sep):
                if clause_start(F, header_end + len(sep) - 1, header_end) <= p_start:
                    got = (p_act, _own_scope(c), p_lead)
        if got is None and prev_effect is not None and i and found[i - 1].c.key == c.key:
            # "Bãi bỏ Điều 4 … Thông tư số X và các biểu mẫu: VC02, VC03 ban hành kèm theo Thông tư số X":
            # the list after the colon is more of the act just read on the same document
            ok, provs = _gap_provisions(F[found[i - 1].fend:x.fstart])
            if ok and provs and F[header_end:cs].rstrip(" \t*").endswith(":"):
                got = (prev_effect[1], provs, prev_effect[2])
        if got is None:
            lead, ls = _inherited(F, cs, header_end, memo)
            if lead is not None:
                got = (lead.act, _own_scope(c), ls)
        if got is None:
            prev_effect = None
            continue
        act, scope, a = got
        b = _clause_end(F, x.fend)
        if scope == []:
            partial_targets.append((x.fstart, c))
        else:
            acts.add(c, act, scope, a, b, i)
        c.effect = act.value
        prev_effect = (x.fstart, act, a)
    _article_items(fd, acts, partial_targets, quotes, header_end)
    return Findings(list(acts.by_key.values()), _reported(fd, found), effective, rule)


_ITEM_LINE = re.compile(r"(?m)^[ \t]*(?:\*\*)?(?:\d+(?:\.\d+)*[.)]|[a-zđ][)]|-|\+)(?:\*\*)?[ \t]+")
_ART_THIS = re.compile(r"Điều\s+này", re.IGNORECASE)


def _articles(F: str, start: int, quotes) -> list[tuple[int, int]]:
    """The document's own articles: "Điều 1.", "Điều 2." … in sequence (an inserted "Điều 21a." or a
    quoted article of the amended document is inside one of them)."""
    heads, want = [], 1
    for m in _ARTICLE.finditer(F, start):
        if not _in(quotes, m.start()) and m[1] == str(want):
            heads.append(m.start())
            want += 1
    return [(a, heads[k + 1] if k + 1 < len(heads) else len(F)) for k, a in enumerate(heads)]


def _article_items(fd, acts: _Acts, partial_targets: list[tuple[int, Citation]], quotes, header_end: int) -> None:
    """The items of an article that acts on "một số điều" of a document name the provisions; an
    item under "Sửa đổi, bổ sung một số khoản của Điều 9" names khoản of Điều 9."""
    F = fd.F
    last_target: Citation | None = None
    for a, b in _articles(F, header_end, quotes):
        targets = [c for pos, c in partial_targets if a <= pos < b]
        lead_end = F.find("\n", a)
        lead = re.sub(r"^Điều\s+\d+[a-zđ]?\.\s*", "", _strip_item(F[a:lead_end if lead_end > 0 else b]))
        if targets:
            last_target = targets[0]
        elif last_target is None or not cues().opener.match(lead):
            continue
        target = targets[0] if targets else last_target
        context: dict[str, Prov] = {}
        for m in _ITEM_LINE.finditer(F, a, b):
            if _in(quotes, m.start()):
                continue
            family = _marker(F, m.start())
            end = _item_clause_end(F, m.end(), b)
            text = F[m.end():end]
            here = _context(text)
            if here is not None:
                context[family] = here
                continue
            outer = next((context[f] for f in ("1", "a") if f != family and f in context), None)
            for act, provs in _item_acts(text):
                done = [render(qualify(p, outer)) if outer and p[-1][0] < outer[-1][0] else render(p) for p in provs]
                if done:
                    acts.add(target, act, done, m.start(), end, None)
    for _, c in partial_targets:  # an act on "một số điều" whose items named nothing
        if not any(k[0] == c.key for k in acts.by_key):
            acts.add(c, Act(c.effect), [], 0, 0, None)


def _context(text: str) -> Prov | None:
    """ "Sửa đổi, bổ sung một số khoản của Điều 9": the article the items below act in."""
    c = cues()
    v = c.opener.match(text)
    if v is None or not c.partial.search(text, v.end()):
        return None
    of = re.search(r"\bcủa\s+", text[v.end():])
    provs = parse(text[v.end() + of.end():])[0] if of else []
    return provs[0] if provs else ()


def _item_clause_end(F: str, a: int, limit: int) -> int:
    m = re.compile(r"như\s+sau|:\s*(?:\n|“)|\.\s*\n|\.\s*$", re.IGNORECASE).search(F, a, min(limit, a + 1500))
    return m.start() if m else min(limit, a + 300)


def _place_provisions(where: list[Prov], k: int, provs: list[Prov], pending: list[tuple[int, Prov]],
                      out: list[tuple[Act, list[Prov]]]) -> None:
    """Provisions an item names, in order. A part of an annex (mục, tiểu mục, with what is under them)
    waits for the annex the words after it name ("bãi bỏ điểm 6 tiểu mục 2.5 mục 2 Bản mô tả … tại
    Phụ lục VI"); an annex named with none waiting is itself acted on ("… tại Phụ lục I, Phụ lục II")."""
    inner = _annex_inner_ranks()
    if pending and where and all(p[-1][0] == _annex_rank() for p in where):
        for j, p in pending:
            out[j][1].extend(qualify(p, a) for a in where[:1])
        pending.clear()
        return
    for p in where:
        if p[-1][0] in inner:
            pending.append((k, p))
        else:
            provs.append(p)


@lru_cache(maxsize=1)
def _annex_rank() -> int:
    return max(x["rank"] for x in load("provisions.yaml")["levels"])


@lru_cache(maxsize=1)
def _annex_inner_ranks() -> frozenset[int]:
    """The levels that stand inside an annex, not in the articles (provisions.yaml: annex_parts)."""
    t = load("provisions.yaml")
    return frozenset(x["rank"] for x in t["levels"] if x["word"] in t["annex_parts"])


def _item_acts(text: str) -> list[tuple[Act, list[Prov]]]:
    """(act, provisions) of an item's opening words: "Bãi bỏ khoản 1 Điều 6 và sửa đổi Điều này",
    "Điều 5 được sửa đổi, bổ sung như sau", "Thay thế cụm từ “…” bằng cụm từ “…” tại khoản 2 Điều 5"."""
    text = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)
    arts = re.findall(r"Điều\s+(\d+[a-zđ]?)", text)
    if arts:
        text = _ART_THIS.sub(f"Điều {arts[0]}", text)
    c = cues()
    if c.opener.match(text) is None:
        provs, n = parse(text)
        pv = re.match(rf"\s*(?:được|bị)\s+(?P<v>{c.opener.pattern})", text[n:], re.IGNORECASE) if provs else None
        return [(act_of(pv["v"]), provs)] if pv else []
    vs = list(c.opener.finditer(text))
    out: list[tuple[Act, list[Prov]]] = []
    pending: list[tuple[int, Prov]] = []  # inside an annex whose name comes later: (act index, provision)
    for k, v in enumerate(vs):
        seg = text[v.end():vs[k + 1].start() if k + 1 < len(vs) else len(text)]
        provs: list[Prov] = []
        out.append((act_of(v.group(0)), provs))
        for where in [parse(seg)[0]] + [parse(seg[t.end():])[0] for t in re.finditer(r"\btại\s+", seg)]:
            _place_provisions(where, k, provs, pending, out)
    for k, p in pending:  # no annex named after them
        out[k][1].append(p)
    # "Sửa đổi điểm c và bổ sung điểm g khoản 3 Điều 8": the larger levels written last hold for all
    tail = next((p for _, ps in reversed(out) for p in reversed(ps)), None)
    if tail is not None:  # only bare siblings of the last one's smallest level ("điểm c" beside "điểm g …")
        out = [(a, [qualify(p, tail) if len(p) == 1 and p[0][0] == tail[0][0] else p for p in ps]) for a, ps in out]
    return out
