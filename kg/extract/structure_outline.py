"""The outline of one body: its lines read into a tree of units.

A text is cut into units by the marks Vietnamese drafting puts at the start of a line (PHẦN,
Chương, Mục, Điều, A., I., 1., 1.1., a), (1), bullets). A mark only counts where a line can start a
new unit: web text wraps mid-sentence ("năm 2022 \\n- 2023" is not a bullet), so a mark after an
unfinished line must look like the start of one. Lines without a mark go on the unit before them,
unless they open a new sentence after a finished one: then they are a paragraph of their own, so
that no text belongs to a unit it does not belong to and none is lost ("the tasks of a section
cover its body without gaps or overlaps").

Levels come from the kind of mark, with bullets nested by order of appearance ("-" then "+");
indentation nests nothing. Which units are sections and which tasks is structure_emit's to say.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract.structure_grammar import label_re, words
from kg.grammar import load
from kg.ingest.normalize import folded_key

_OUTLINE = load("outline.yaml")  # the marks and the words of a wrapped line, as data
# (kind, rank, pattern): rank orders the levels; bullets share a rank and nest by appearance.
_MARKS = [(m["kind"], m["rank"], m["pattern"]) for m in _OUTLINE["marks"]]
_MARK_RE = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|\*\*)?(?:" + "|".join(
    f"(?P<k{i}>{p.replace('?P<l>', f'?P<l{i}>')})" for i, (_, _, p) in enumerate(_MARKS)) + ")")
SECTION_KINDS = set(_OUTLINE["section_kinds"])
_STRONG = SECTION_KINDS | {"article"}
_CLOSED = tuple(".;:!?…\"”)")
_CONNECTORS = set(_OUTLINE["connectors"])  # a line ending in one is a name or phrase cut by the wrap
_QUOTE_LINES = 60  # a quoted passage longer than this is taken for an unbalanced quote
_NAME_WORDS = set(_OUTLINE["name_words"])  # end a phrase too


@dataclass
class Node:
    kind: str
    rank: float
    label: str
    start: int  # folded offset of the mark (or of the paragraph)
    text_start: int  # after the mark
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    end: int = 0
    last_line: str = ""  # the last line of its own text, to judge what the next line does
    first_line_len: int = 0
    lines: int = 0
    id: str = ""
    is_section: bool = False
    attribute: bool = False  # a heading that labels the unit above: what is under it is no task

    @property
    def lead_end(self) -> int:
        return self.children[0].start if self.children else self.end


def mark(line: str) -> tuple[str, float, str, int] | None:
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


class Builder:
    """Reads the lines of one body into a tree of units."""

    def __init__(self, F: str, wrap: int, joined: frozenset[int] = frozenset()):
        self.F, self.wrap = F, wrap
        self.joined = joined  # line breaks inside an agency's name ("Ủy ban Mặt trận\nTổ quốc"): no new sentence
        self.root = Node("root", -1, "", 0, 0)
        self.stack: list[Node] = [self.root]
        self.prev = ""  # the previous non-blank line
        self.quote = self.depth = 0  # lines inside an open “ and how many are open
        self.block = False  # the open quote is a quoted provision
        self.attr_re = words()[2]
        self.label_re = label_re()

    def _heading_like(self, node: Node, line: str) -> bool:
        """A short first line of a numbered unit that does not run on: a title."""
        if node.kind in SECTION_KINDS and line.strip().isupper():
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

    def _push(self, node: Node) -> None:
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
            if tail.endswith(":") or top.kind in SECTION_KINDS or (top.kind == "article" and top.children):
                break
            if top.kind != "article" and self._heading_like(top, tail):
                break
            if top.kind == "article" or (top.kind not in ("bullet", "para") and not top.children
                                         and top.parent is not None and top.parent.kind == "article"):
                return False  # one more paragraph of an article (or clause) with no list yet
            st.pop()
        node = Node("para", 9.5, "", start, start)
        node.parent = st[-1]
        st[-1].children.append(node)
        st.append(node)
        nl = self.F.find("\n", start)
        node.lines, node.last_line = 1, self.F[start:nl if nl >= 0 else len(self.F)]
        node.first_line_len = len(node.last_line.strip())
        return True

    def feed(self, start: int, end: int) -> Node:
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
        m = mark(line)
        top = self.stack[-1]
        if m is not None:
            kind, rank, label, off = m
            rest = line[off:]
            if self._accept(kind, rest):
                if kind == "bullet" and self.attr_re.match(folded_key(rest)[:60]) and len(self.stack) > 1:
                    self._more(top, line)  # "- Cơ quan chủ trì: ..." describes the unit above
                    return
                ind = len(line) - len(line.lstrip(" \t#*"))
                node = Node(kind, rank, label, pos + ind, pos + off)
                node.lines, node.last_line, node.first_line_len = 1, line, len(rest.strip())
                self._push(node)
                return
        s = line.strip()
        if len(self.stack) > 1 and self.label_re.match(folded_key(self.F[pos:pos + 120])):
            self._more(top, line)  # "Đơn vị chủ trì thực hiện: ..." under a task: what the task says of itself
            return
        prev = self.prev.rstrip()
        if pos - 1 in self.joined and len(self.stack) > 1:
            self._more(self.stack[-1], line)
            return
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
    def _more(node: Node, line: str) -> None:
        if node.lines == 1 and node.first_line_len == 0:  # "2." alone on its line: this is its first line
            node.first_line_len = len(line.strip())
        else:
            node.lines += 1
        node.last_line = line


def close(node: Node, end: int, F: str) -> None:
    """Give each unit its end: the start of what follows it, less trailing blanks."""
    kids = node.children
    for i, k in enumerate(kids):
        close(k, kids[i + 1].start if i + 1 < len(kids) else end, F)
    e = end
    while e > node.start and F[e - 1].isspace():
        e -= 1
    node.end = e


def clamp(node: Node, spans: list[tuple[int, int]], F: str) -> None:
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
