"""The plan as legal staff read it: sections, the tasks in them, and who does what.

A text is cut into units by the marks Vietnamese drafting puts at the start of a line (PHẦN,
Chương, Mục, Điều, A., I., 1., 1.1., a), (1), bullets). A mark only counts where a line can start a
new unit: web text wraps mid-sentence ("năm 2022 \\n- 2023" is not a bullet), so a mark after an
unfinished line must look like the start of one. Lines without a mark go on the unit before them,
unless they open a new sentence after a finished one: then they are a paragraph of their own, so
that no text belongs to a unit it does not belong to and none is lost ("the tasks of a section
cover its body without gaps or overlaps").

Levels come from the kind of mark, with bullets nested by order of appearance ("-" then "+").
Headings (Roman parts, short numbered titles with units under them) are sections; everything
else, and everything inside an article, is a task. The body is cut off at "Nơi nhận" / the
signature; documents sent along after it (the plan a decision issues, an appendix) are read as
bodies of their own, their ids prefixed "PL1.", "PL2." ...
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.agencies import Mention, agencies_of, find_mentions, gazetteer
from kg.extract.roles import cues as agency_cues  # the role words of actions.yaml
from kg.extract.roles import is_assigning, roles
from kg.extract.citations import Context
from kg.extract.footnotes import find_footnotes, masked
from kg.extract.rows import emit_rows
from kg.extract.tables import find_tables
from kg.grammar import load
from kg.ingest.normalize import Folded, fold_key, fold_string, folded_key
from kg.models import AgencyRole, Document, Section, Task

_UP = "A-ZĐÀ-Ỹ"
# (kind, rank, pattern): rank orders the levels; bullets share a rank and nest by appearance.
_MARKS = [
    ("part", 0, rf"(?:PHẦN|Phần)\s+(?P<l>[IVXL]+|\d+|thứ\s+\w+)\b\s*[.:]?"),
    ("chapter", 1, r"(?:CHƯƠNG|Chương)\s+(?P<l>[IVXL]+|\d+)\b\s*[.:]?"),
    ("mục", 2, r"(?:MỤC|Mục)\s+(?P<l>\d+)\b\s*[.:]?"),
    ("article", 3, r"Điều\s+(?P<l>\d+[a-z]?)\s*[.:]"),
    ("upper", 4, rf"(?P<l>[A-H])\s*[.)](?=\s+[{_UP}])"),
    ("roman", 5, r"(?P<l>[IVX]{1,6})\s*[.)/](?!\d)"),
    ("multi", 6, r"(?P<l>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s|$)"),
    ("arabic.", 6, r"(?P<l>\d{1,3})\s*\.(?![\d/])"),
    ("arabic)", 6, r"(?P<l>\d{1,3})\s*\)"),
    ("paren", 7, r"\((?P<l>\d{1,2}|[a-zđ])\)"),
    ("letter", 8, r"(?P<l>[a-zđ])\s*\)"),
    ("bullet", 9, r"(?P<l>[-+•*·▪◦►➢✓])(?![-*])"),
]
_MARK_RE = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|\*\*)?(?:" + "|".join(
    f"(?P<k{i}>{p.replace('?P<l>', f'?P<l{i}>')})" for i, (_, _, p) in enumerate(_MARKS)) + ")")
_SECTION_KINDS = {"part", "chapter", "mục", "upper", "roman"}
_STRONG = _SECTION_KINDS | {"article"}
_CLOSED = tuple(".;:!?…\"”)")
_CONNECTORS = {"của", "và", "với", "tại", "theo", "số", "ngày", "năm", "tháng", "các", "những", "cho", "về",
               "từ", "đến", "giữa", "điều", "khoản", "điểm", "chương", "mục", "trong", "trên", "hoặc", "là",
               "được", "để", "thuộc", "quyết", "nghị", "định", "luật", "thông", "tư", "kèm", "theo:",
               "sở", "bộ", "ban", "ủy", "hội", "cục", "chi", "trung", "văn", "tổng"}  # a name cut by the wrap
_QUOTE_LINES = 60  # a quoted passage longer than this is taken for an unbalanced quote
_NAME_WORDS = {"luật", "định", "tư", "nghị", "quyết", "điều", "khoản", "điểm", "chương", "mục"}  # end a phrase too


@lru_cache(maxsize=1)
def _words():
    """The grammar words of actions.yaml, compiled once."""
    a = load("actions.yaml")
    actions = sorted(a["actions"], key=len, reverse=True)
    action_re = re.compile(r"(?:" + "|".join(r"\s+".join(map(re.escape, fold_key(x).split())) for x in actions) + r")(?!\w)")
    canon = {fold_key(x): x for x in actions}
    attr_re = re.compile(r"(?:" + "|".join(re.escape(fold_key(x)) for x in sorted(a["attribute_labels"], key=len, reverse=True)) + r")\s*:")
    cond_re = re.compile("|".join(a["conditions"]))
    period_re = re.compile("|".join(a["periods"]))
    rec_re = re.compile(r"(?m)^[ \t]*(?:" + "|".join(a["recipients_openers"]) + ")")
    sig_re = re.compile(r"(?m)^[ \t]*(?:(?:" + "|".join(a["signature_openers"]) + r")|(?:" +
                        "|".join(re.escape(t) for t in sorted(a["signer_titles"], key=len, reverse=True)) + r")[ \t]*$)")
    att_re = re.compile(r"(?m)^[ \t]*(?:(?:" + "|".join(re.escape(t) for t in a["attachment_titles"]) + r")\b[^\n]{0,120}|"
                        + "|".join(a["attachment_lines"]) + r")$")
    stop_re = re.compile(r"(?m)^[ \t]*[-+•*]?[ \t]*(?:" + "|".join(a["recipients_stop"]) + ")")
    return action_re, canon, attr_re, cond_re, period_re, rec_re, sig_re, att_re, stop_re, a


_LEAD_CLAUSE = re.compile(r"[.;]\s+chủ trì\b")  # "...; Chủ trì thực hiện ...": the item's agency leads it


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern[str]:
    """A line without a mark that labels the task above ("Thời gian thực hiện: ...")."""
    return re.compile(r"[ \t]*[-+•*]?[ \t]*(?:" + "|".join(load("actions.yaml")["attribute_lines"]) + ")")


@dataclass
class _Node:
    kind: str
    rank: float
    label: str
    start: int  # folded offset of the mark (or of the paragraph)
    text_start: int  # after the mark
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    end: int = 0
    last_line: str = ""  # the last line of its own text, to judge what the next line does
    first_line_len: int = 0
    lines: int = 0
    id: str = ""
    is_section: bool = False

    @property
    def lead_end(self) -> int:
        return self.children[0].start if self.children else self.end


def _mark(line: str) -> tuple[str, float, str, int] | None:
    m = _MARK_RE.match(line)
    if not m:
        return None
    for i, (kind, rank, _) in enumerate(_MARKS):
        if m.group(f"k{i}") is not None:
            label = m.group(f"l{i}")
            if kind == "multi":
                rank = 6 + 0.1 * label.count(".")
            return kind, rank, label, m.end()
    return None


def _last_word(s: str) -> str:
    w = s.rstrip().rsplit(None, 1)
    return w[-1].lower() if w else ""


class _Builder:
    """Reads the lines of one body into a tree of units."""

    def __init__(self, F: str, wrap: int):
        self.F, self.wrap = F, wrap
        self.root = _Node("root", -1, "", 0, 0)
        self.stack: list[_Node] = [self.root]
        self.prev = ""  # the previous non-blank line
        self.quote = self.depth = 0  # lines inside an open “ and how many are open
        self.block = False  # the open quote is a quoted provision
        self.attr_re = _words()[2]
        self.label_re = _label_re()

    def _heading_like(self, node: _Node, line: str) -> bool:
        """A short first line of a numbered unit that does not run on: a title."""
        if node.kind in _SECTION_KINDS and line.strip().isupper():
            return True
        return (node.lines == 1 and node.kind not in ("bullet", "para", "root")
                and node.first_line_len < max(20, 0.6 * self.wrap)
                and not line.rstrip().endswith((",", "-")) and _last_word(line) not in _CONNECTORS)

    def _accept(self, kind: str, rest: str) -> bool:
        """Does a mark after ``self.prev`` start a unit, or is it a wrapped line?"""
        prev = self.prev.rstrip()
        if not prev or prev.endswith(_CLOSED) or self._heading_like(self.stack[-1], prev):
            return not (kind == "bullet" and rest[:1].isdigit() and not prev.endswith(_CLOSED))
        last = _last_word(prev)
        if last in _CONNECTORS and not (kind == "bullet" and last in _NAME_WORDS and rest.lstrip()[:1].isupper()):
            return False  # "- Thường xuyên ..." after "... pháp luật" starts a bullet; "của\n- 2023" does not
        if kind in _STRONG or (kind != "bullet" and not rest.strip()):  # "1." alone on its line
            return True
        first = rest.lstrip()[:1]
        return bool(first) and (first.isupper() or first in "“\"(") and not (kind == "bullet" and first.isdigit())

    def _push(self, node: _Node) -> None:
        st = self.stack
        while len(st) > 1 and st[-1].rank > node.rank:
            st.pop()
        if len(st) > 1 and st[-1].rank == node.rank:
            same = [i for i in range(len(st) - 1, 0, -1) if st[i].rank == node.rank]
            match = next((i for i in same if (st[i].kind, st[i].kind == "bullet" and st[i].label)
                          == (node.kind, node.kind == "bullet" and node.label)), None)
            if match is not None:
                del st[match:]
            elif node.kind != "bullet" or node.rank != 9:
                del st[same[-1]:]
        node.parent = st[-1]
        st[-1].children.append(node)
        st.append(node)

    def _paragraph(self, start: int) -> bool:
        """Place a paragraph that opens a new sentence; False when it only goes on the unit above."""
        st = self.stack
        while len(st) > 1:
            top = st[-1]
            tail = top.last_line.rstrip()
            if tail.endswith(":") or top.kind in _SECTION_KINDS or (top.kind == "article" and top.children):
                break
            if top.kind != "article" and self._heading_like(top, tail):
                break
            if top.kind == "article" or (top.kind not in ("bullet", "para") and not top.children
                                         and top.parent is not None and top.parent.kind == "article"):
                return False  # one more paragraph of an article (or clause) with no list yet
            st.pop()
        node = _Node("para", 9.5, "", start, start)
        node.parent = st[-1]
        st[-1].children.append(node)
        st.append(node)
        nl = self.F.find("\n", start)
        node.lines, node.last_line = 1, self.F[start:nl if nl >= 0 else len(self.F)]
        node.first_line_len = len(node.last_line.strip())
        return True

    def feed(self, start: int, end: int) -> _Node:
        F, pos = self.F, start
        while pos < end:
            nl = F.find("\n", pos, end)
            stop = end if nl < 0 else nl
            line = F[pos:stop]
            if line.strip():
                if self.quote and len(self.stack) > 1:
                    self._more(self.stack[-1], line)  # inside a quoted passage: the unit quoting it goes on
                elif line.lstrip()[:1] == "“" and self.prev.rstrip().endswith(":") and len(self.stack) > 1:
                    self._more(self.stack[-1], line)  # "... như sau:" then “1. ...”: the text it inserts
                    self.block = True
                else:
                    self._line(pos, line)
                self._track_quote(line)
                self.prev = line
            pos = stop + 1
        return self.root

    def _line(self, pos: int, line: str) -> None:
        m = _mark(line)
        top = self.stack[-1]
        if m is not None:
            kind, rank, label, off = m
            rest = line[off:]
            if self._accept(kind, rest):
                if kind == "bullet" and self.attr_re.match(folded_key(rest)[:60]) and len(self.stack) > 1:
                    self._more(top, line)  # "- Cơ quan chủ trì: ..." describes the unit above
                    return
                ind = len(line) - len(line.lstrip(" \t#*"))
                node = _Node(kind, rank, label, pos + ind, pos + off)
                node.lines, node.last_line, node.first_line_len = 1, line, len(rest.strip())
                self._push(node)
                return
        s = line.strip()
        if len(self.stack) > 1 and self.label_re.match(folded_key(self.F[pos:pos + 120])):
            self._more(top, line)  # "Đơn vị chủ trì thực hiện: ..." under a task: what the task says of itself
            return
        prev = self.prev.rstrip()
        opens = s[:1].isupper() or s[:1] in "“\""
        if top.kind == "root" or (opens and prev and (prev.endswith((".", "!", "?", ":", "…", "”", "\""))
                                                      or self._heading_like(top, prev))
                                  and not (prev.isupper() and s.isupper()) and top.first_line_len):
            if self._paragraph(pos + len(line) - len(line.lstrip())):
                return
        self._more(self.stack[-1], line)

    def _track_quote(self, line: str) -> None:
        """Lines since a “ was opened and not closed (0: none open). A quoted phrase or provision
        never breaks at a hard line break; a quote left open gives up after _QUOTE_LINES lines."""
        depth = self.depth + line.count("“") - line.count("”")
        self.depth = max(0, depth)
        # an inline quote goes on over a line break only mid-sentence (a phrase cut by the wrap);
        # a quoted provision (a block after "như sau:") until it closes
        limit = _QUOTE_LINES if self.block else (0 if line.rstrip().endswith((".", ";", "!", "?", ":")) else 3)
        self.quote = self.quote + 1 if self.depth and self.quote < limit else 0
        if not self.quote:
            self.depth, self.block = 0, False

    @staticmethod
    def _more(node: _Node, line: str) -> None:
        if node.lines == 1 and node.first_line_len == 0:  # "2." alone on its line: this is its first line
            node.first_line_len = len(line.strip())
        else:
            node.lines += 1
        node.last_line = line


def _close(node: _Node, end: int, F: str) -> None:
    """Give each unit its end: the start of what follows it, less trailing blanks."""
    kids = node.children
    for i, k in enumerate(kids):
        _close(k, kids[i + 1].start if i + 1 < len(kids) else end, F)
    e = end
    while e > node.start and F[e - 1].isspace():
        e -= 1
    node.end = e


def _clamp(node: _Node, spans: list[tuple[int, int]], F: str) -> None:
    """A unit before a table ends where the table starts (its rows are tasks of their own)."""
    if not spans:
        return
    starts = [a for a, _ in spans]
    todo = [node]
    while todo:
        n = todo.pop()
        k = bisect.bisect_right(starts, n.start)
        if k < len(starts) and n.end > starts[k]:
            e = starts[k]
            while e > n.start and F[e - 1].isspace():
                e -= 1
            n.end = e
        todo.extend(n.children)


def _line_agency(F: str, mentions: list[Mention], m_starts: list[int]):
    """Does the line F[a:b] open with an agency? (a flattened table's lead cell)"""
    heads = gazetteer().cand_re  # the first words of agency names: "Ban Quản lý ..." not in the gazetteer

    def test(a: int, b: int) -> bool:
        a += len(F[a:b]) - len(F[a:b].lstrip())
        k = bisect.bisect_left(m_starts, a)
        return (k < len(mentions) and mentions[k].start == a) or bool(heads.match(F, a, b))
    return test


def _own(F: str, node: _Node) -> str:
    return " ".join(F[node.text_start:node.lead_end].split())


def _label_id(parent_id: str, node: _Node, ordinal: int, para: int) -> str:
    k, lab = node.kind, node.label
    if k == "para":
        part = f"p{para}"
    elif k == "bullet":
        part = str(ordinal)
    elif k == "part":
        part = f"Phần {lab}"
    elif k == "chapter":
        part = f"Chương {lab}"
    elif k == "mục":
        part = f"Mục {lab}"
    elif k == "article":
        return f"{parent_id.split('.')[0]}.Điều {lab}" if parent_id.startswith("PL") else f"Điều {lab}"
    elif k == "multi":
        head, _, last = lab.rpartition(".")
        part = last if parent_id.endswith(head) else lab
    else:
        part = lab
    return f"{parent_id}.{part}" if parent_id else part


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _renumber_repeats(kids: list[_Node]) -> None:
    """A Roman heading printed with the number of the one before it (I, II, III, IV, IV) is the
    next one (V) when that number is printed nowhere after it; else it keeps "~2" (see below)."""
    romans = [k for k in kids if k.kind == "roman"]
    for i in range(1, len(romans)):
        a, b = romans[i - 1], romans[i]
        if a.label == b.label and a.label in _ROMAN[:-1]:
            nxt = _ROMAN[_ROMAN.index(a.label) + 1]
            if all(r.label != nxt for r in romans[i + 1:]) and all(r.label != nxt for r in romans[:i]):
                b.label = nxt


def _assign_ids(root: _Node, seen: set[str], last: dict[str, int]) -> None:
    """Ids from the marks, in document order; a numbering that restarts inside one part gets
    "~2", "~3" ... The counter per base id (``last``) keeps this linear however often a heading
    repeats, and the walk is iterative, so deep nesting costs no recursion."""
    def ordinals(node: _Node) -> list[tuple[_Node, int, int]]:
        _renumber_repeats(node.children)
        bullets = paras = 0
        out = []
        for k in node.children:
            bullets += k.kind == "bullet"
            paras += k.kind == "para"
            out.append((k, bullets, paras))
        return out[::-1]

    todo = ordinals(root)
    while todo:
        k, bullets, paras = todo.pop()
        base = nid = _label_id(k.parent.id if k.parent else "", k, bullets, paras)
        n = last.get(base, 1)
        while nid in seen:
            n += 1
            nid = f"{base}~{n}"
        last[base] = n
        seen.add(nid)
        k.id = nid
        todo.extend(ordinals(k))


@dataclass
class _Zone:
    start: int
    end: int
    prefix: str  # "" for the document's own body, "PL1" ... for what is sent along


def _zones(F: str, ctx: Context) -> tuple[list[_Zone], tuple[int, int] | None, tuple[int, int] | None]:
    """The bodies to read, the recipients' block and the signature block (folded spans)."""
    *_, rec_re, sig_re, att_re, stop_re, _a = _words()
    def first_mark(lo: int) -> int | None:
        hi = min([m.start() for rx in (rec_re, sig_re) for m in [rx.search(F, lo)] if m] + [len(F)])
        for m in re.finditer(r"(?m)^[^\n]*\S[^\n]*$", F[lo:hi]):
            mk = _mark(m.group())
            if mk and mk[0] != "bullet":
                return lo + m.start()
        return None

    # The "Căn cứ" preamble counts only before the first mark: a "Căn cứ" paragraph inside the body
    # ("c) Căn cứ nhiệm vụ ...") does not move the body's start.
    pre = ctx.header_end
    m0 = first_mark(pre)
    pre = max([pre, *(b for a, b in ctx.basis_zones if m0 is None or a < m0)])
    first = first_mark(pre)
    start = first if first is not None else pre
    ends = [m.start() for rx in (rec_re, sig_re) for m in [rx.search(F, start)] if m]
    body_end = min(ends) if ends else len(F)
    rec = rec_re.search(F, start)
    recipients = None
    if rec:
        s = stop_re.search(F, rec.end())
        sig = sig_re.search(F, rec.end())
        e = min([x for x in (s and s.start(), sig and sig.start(), rec.end() + 1500) if x] + [len(F)])
        recipients = (rec.start(), e)
    sig = sig_re.search(F, body_end)
    signature = (sig.start(), min(len(F), F.find("\n\n\n", sig.start()) % (len(F) + 1), sig.start() + 200)) if sig else None
    zones = [_Zone(start, body_end, "")]
    atts: list[re.Match[str]] = []
    for m in att_re.finditer(F, body_end):
        alone = not m.group().strip().isupper()  # "Phụ lục" alone on its line, in title case
        if (alone and "kèm theo" not in folded_key(F[m.end():m.end() + 400])) or not ("kèm theo" in folded_key(F[m.end():m.end() + 600])
                                                   or len(m.group().strip()) < 14):
            continue
        between = F[atts[-1].end():m.start()] if atts else "x"
        if between.isupper() or not between.strip():
            continue  # the title goes on over several upper-case lines
        atts.append(m)
    for i, m in enumerate(atts):
        z_end = atts[i + 1].start() if i + 1 < len(atts) else len(F)
        paren = re.search(r"kèm\s+theo[^)]*\)", F[m.end():min(z_end, m.end() + 800)], re.IGNORECASE)
        z_start = m.end() + paren.end() if paren else m.end()
        cut = [x.start() for rx in (rec_re, sig_re) for x in [rx.search(F, z_start, z_end)] if x]
        if min(cut + [z_end]) > z_start:
            zones.append(_Zone(z_start, min(cut + [z_end]), f"PL{i + 1}"))
    return zones, recipients, signature


def _subject_spans(doc: Document, folded: Folded) -> list[tuple[int, int]]:
    """Original spans of each citation with its subject, where agencies are the cited ones' own."""
    out = []
    T = doc.text
    for c in doc.citations:
        e = c.end
        if c.subject:
            last = c.subject.rsplit(None, 1)[-1]
            at = T.find(last, c.end + len(c.subject) - len(last))  # the text has at least its spaces
            e = at + len(last) if at >= 0 else c.end
        out.append((c.start, e))
    return sorted(out)


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    k = bisect.bisect_right(spans, (a, float("inf")))
    return any(s <= a and b <= e for s, e in spans[max(0, k - 4):k])


class _Spotter:
    """Matches of one pattern over the whole lower-cased text, handed out per task span."""

    def __init__(self, rx: re.Pattern[str], low: str, F: str, lo: int, hi: int, spans, orig):
        self.hits = [(m.start(), m.end(), " ".join(F[m.start():m.end()].strip(" ()").split()))
                     for m in rx.finditer(low, lo, hi) if not low[m.start() - 1].isalnum()
                     and not _inside(spans, orig(m.start()), orig(m.end()))]
        self.starts = [h[0] for h in self.hits]

    def within(self, a: int, b: int) -> list[str]:
        out: list[str] = []
        for s, e, v in self.hits[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]:
            if e <= b and v not in out:
                out.append(v)
        return out


def attach_structure(doc: Document, folded: Folded, ctx: Context) -> None:
    """Fill doc.sections, doc.tasks, doc.agencies, each Citation.task and each Task.citations."""
    F, orig = folded.text, folded.orig
    doc.sections, doc.tasks, doc.agencies = [], [], []
    for c in doc.citations:
        c.task = None
    action_re, canon, _attr, cond_re, period_re, *_ = _words()
    juris, issuer = ctx.jurisdiction, doc.header.issuer
    zones, recipients, signature = _zones(F, ctx)
    notes = [n for z in zones for n in find_footnotes(F, z.start, z.end)]
    F = masked(F, notes)  # the outline reads around the footnotes; their citations go to the marker
    lens = sorted(len(x) for x in F.splitlines() if x.strip()) or [80]
    wrap = lens[int(len(lens) * 0.9)]
    mentions = find_mentions(F, ctx.header_end, len(F), juris, issuer)
    m_starts = [m.start for m in mentions]
    subjects = _subject_spans(doc, folded)
    low = F.lower() if len(F.lower()) == len(F) else F  # one case fold; the grammar words are lower-case
    lo = min((z.start for z in zones), default=0)
    conds, periods = (_Spotter(rx, low, F, lo, len(F), subjects, orig) for rx in (cond_re, period_re))

    def in_span(a: int, b: int) -> list[Mention]:
        i, j = bisect.bisect_left(m_starts, a), bisect.bisect_left(m_starts, b)
        return [m for m in mentions[i:j] if m.end <= b and not _inside(subjects, orig(m.start), orig(m.end))]

    seen: set[str] = set()
    last: dict[str, int] = {}
    line_agency = _line_agency(F, mentions, m_starts)
    raw = (lambda a, b: doc.text[orig(a):orig(b)])
    for z in zones:
        tables = find_tables(F, z.start, z.end, line_agency, raw)
        builder, pos = _Builder(F, wrap), z.start
        for t in tables:  # the rows are read as tasks of their own, not as lines of the outline
            builder.feed(pos, t.start)
            pos = t.end
        root = builder.feed(pos, z.end)
        _close(root, z.end, F)
        _clamp(root, [(t.start, t.end) for t in tables], F)
        root.id = z.prefix
        _classify(root, F, in_span)
        _assign_ids(root, seen, last)
        _emit(root, doc, F, orig, None, None, None, False, [], in_span, action_re, canon, conds, periods, low)
        for t in tables:
            emit_rows(doc, t, z.prefix, F, orig, in_span, seen, action_re, canon, periods)
    doc.tasks.sort(key=lambda t: t.start)  # stable: outer before inner at one start
    _attach_citations(doc, [(orig(n.start), orig(n.end), orig(n.marker)) for n in notes])
    extra = []
    if recipients:
        rs = [AgencyRole(m.name, "recipient") for m in in_span(*recipients)]
        doc.tasks.append(Task("Nơi nhận", None, None, None, None, " ".join(F[recipients[0]:recipients[1]].split()),
                              orig(recipients[0]), orig(recipients[1]), kind="recipients",
                              agencies=list({r.name: r for r in rs}.values())))
    if signature:
        text = " ".join(F[signature[0]:signature[1]].split())
        title = next((t for t in sorted(_words()[-1]["signer_titles"], key=len, reverse=True) if t in text), None)
        doc.tasks.append(Task("Người ký", None, None, None, title.capitalize() if title else None, text,
                              orig(signature[0]), orig(signature[1]), kind="signature",
                              agencies=[AgencyRole(issuer, "signer")] if issuer else []))
    for name in (doc.header.parent_issuer, issuer):
        if name:
            lv = find_mentions(name, 0, len(name), juris, issuer)
            extra.append((name, lv[0].level if lv and lv[0].name == name else "province"))
    doc.agencies = agencies_of(mentions, extra)


def _classify(root: _Node, F: str, in_span) -> None:
    """Which numbered units are headings (sections) and which are tasks."""
    def walk(n: _Node, under_task: bool) -> None:
        for k in n.children:
            if under_task or k.kind in ("article", "bullet", "para"):
                k.is_section = False
            elif k.kind in _SECTION_KINDS:
                k.is_section = True
            else:
                own = _own(F, k)
                subj = in_span(k.text_start, k.lead_end)
                k.is_section = bool(k.children) and len(own) <= 150 and not own.endswith(";") and not (
                    subj and not F[k.text_start:subj[0].start].strip())
            walk(k, under_task or not k.is_section)
    walk(root, False)


def _action(low: str, k: _Node, subj: list[Mention], action_re, canon, parent_action: str | None) -> str | None:
    """The verb that opens the task, after its actor if it names one; a bare item of a list
    ("+ Kế hoạch số ...") under "Tiếp tục triển khai:" does what the list's lead-in says."""
    at = k.text_start
    if subj and not low[at:subj[0].start].strip(" \t\n-"):
        at = subj[0].end
    m = action_re.match(" ".join(low[at:min(k.lead_end, at + 160)].split()).lstrip(" ,:("))
    if m:
        return canon.get(" ".join(m.group().split()))
    return parent_action


def _title(own: str) -> str | None:
    t = re.split(r"(?<=[^\d\s])[.:](?=\s|$)", own, maxsplit=1)[0].strip()
    return t if t and len(t) <= 150 else None


def _emit(n: _Node, doc: Document, F: str, orig, section: _Node | None, parent_task: str | None,
          article: _Node | None, assigning: bool, inherited: list[AgencyRole], in_span, action_re, canon,
          conds: _Spotter, periods: _Spotter, low: str, parent_action: str | None = None) -> None:
    for k in n.children:
        own = _own(F, k)
        if k.is_section:
            heading = own.rstrip(" .:")
            doc.sections.append(Section(k.id, heading, orig(k.start), orig(k.end),
                                        section.id if section else None))
            _emit(k, doc, F, orig, k, None, None, is_assigning(heading) or assigning, [], in_span, action_re,
                  canon, conds, periods, low)
            continue
        art = k if k.kind == "article" else article
        depth = 0
        p = k
        while p is not None and p is not art:
            depth, p = depth + 1, p.parent
        kind = ("article" if k is art else "clause" if art and depth == 1 else "point" if art
                else "paragraph" if k.kind == "para" else "task")
        title = _title(own) if k.kind == "article" else None
        heading = (art and _title(_own(F, art))) or (section and _own(F, section).rstrip(" .:")) or None
        assigning_here = assigning or (k.kind == "article" and is_assigning(title))
        subj = in_span(k.text_start, k.lead_end)
        act = _action(low, k, subj, action_re, canon, parent_action)
        ar = roles(F, k.text_start, k.lead_end, subj, assigning_here)
        names = {(a.name, a.role) for a in ar}
        leads = (bool(act) and any(r == "lead" and fold_key(act).startswith(c) for c, r in agency_cues().before)
                 or bool(_LEAD_CLAUSE.search(low, k.text_start, k.lead_end)))
        for a in inherited:  # "1. Sở KH&CN:" then "a) Chủ trì, phối hợp ...": the agency leads that point
            if a.role in ("lead", "assigned"):  # the heading's actor: an item under an agency's heading
                a = AgencyRole(a.name, "lead" if leads else "assigned")
            if (a.name, a.role) not in names:
                ar.append(a)
                names.add((a.name, a.role))
        t = Task(k.id, section.id if section else None, heading, parent_task,
                 act, own, orig(k.start), orig(k.end), kind=kind,
                 conditions=conds.within(k.text_start, k.lead_end),
                 periods=periods.within(k.text_start, k.lead_end), agencies=ar)
        doc.tasks.append(t)
        only_actor = len(subj) == 1 and not (F[k.text_start:subj[0].start] + F[subj[0].end:k.lead_end]).strip(" \n:.")
        passed = [a for a in ar if a.role != "mentioned"] if own.endswith(":") or only_actor else []
        _emit(k, doc, F, orig, section, k.id, art, assigning_here, passed, in_span, action_re, canon, conds,
              periods, low, act if own.endswith(":") else None)


def _attach_citations(doc: Document, notes: list[tuple[int, int, int]] = ()) -> None:
    """Each citation to the innermost task holding it (a footnote's, to the task of its marker);
    tasks are in document order, outer first."""
    tasks = doc.tasks
    starts = [t.start for t in tasks]
    by_id = {t.id: t for t in tasks}
    note_starts = [a for a, _, _ in notes]
    for i, c in enumerate(doc.citations):
        at = c.start
        j = bisect.bisect_right(note_starts, at) - 1
        if j >= 0 and notes[j][0] <= at < notes[j][1]:
            at = notes[j][2]
        k = bisect.bisect_right(starts, at) - 1
        t = tasks[k] if k >= 0 else None
        while t is not None and not (t.start <= at < t.end):
            t = by_id.get(t.parent) if t.parent else None
        c.task = t.id if t else None
        if t:
            t.citations.append(i)
