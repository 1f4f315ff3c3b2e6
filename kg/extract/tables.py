"""Task tables: each row of "STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |
Sản phẩm" is a task with its lead, partners, deadline and product.

Ingest hands tables over in three shapes, all read here on the folded text:

- pipe rows: markdown ("| 1 | ... |", with its "|---|" rule) and the DOCX/HTML readers' rows
  ("1 | Nội dung | Sở X"), where a row whose first cell is empty continues the row above (the
  readers write line k of every cell on line k);
- rows flattened one cell per line by a converter: a header of short label lines, then per row
  its STT alone on a line and its cells, the content cell wrapped over several lines;
- pdftotext -layout columns: a header line whose labels stand two or more spaces apart gives the
  column boundaries, and every line of a row is cut at them.

Column kinds come from the header's words (kg/grammar/data/tables.yaml); a table without an STT,
a content and a lead column (a budget, a list of units) is not read as tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.grammar import load
from kg.ingest.normalize import folded_key


@dataclass
class Cell:
    text: str
    start: int  # folded offsets
    end: int


@dataclass
class Row:
    stt: str
    start: int
    end: int
    cells: dict[str, Cell] = field(default_factory=dict)
    group: bool = False  # "I | NHÓM GIẢI PHÁP ...": a heading row over the rows below it


@dataclass
class Table:
    start: int
    end: int
    columns: list[str]
    rows: list[Row]


@lru_cache(maxsize=1)
def _grammar():
    d = load("tables.yaml")
    cols = [(k, re.compile(p)) for k, p in d["columns"]]
    return cols, re.compile(d["stt"]), re.compile(d["column_numbers"]), d["max_header_cell"], d["min_columns"]


def column_kind(cell: str) -> str | None:
    """The kind of a header cell, or None when it is no column label."""
    cols, *_ = _grammar()
    c = " ".join(folded_key(cell).strip(" *:|").split())
    if not c or len(c) > _grammar()[3]:
        return None
    return next((k for k, rx in cols if rx.search(c)), None)


def _is_task_header(kinds: list[str | None]) -> bool:
    ks = [k for k in kinds if k]
    return (len(ks) >= _grammar()[4] and ks[0] == "stt" and "text" in ks and "lead" in ks
            and sum(1 for k in kinds if k is None) <= 1)


def _lines(F: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    while pos < end:
        nl = F.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append((pos, stop))
        pos = stop + 1
    return out


def _trim(F: str, a: int, b: int) -> tuple[int, int]:
    while a < b and F[a] in " \t|*":
        a += 1
    while b > a and F[b - 1] in " \t|*":
        b -= 1
    return a, b


def _pipe_cells(F: str, a: int, b: int) -> list[tuple[int, int]]:
    s = F[a:b]
    lo, hi = 0, len(s)
    while lo < hi and s[lo] in " \t":
        lo += 1
    if s[lo:lo + 1] == "|":
        lo += 1
    while hi > lo and s[hi - 1] in " \t":
        hi -= 1
    if s[hi - 1:hi] == "|" and hi - 1 >= lo:
        hi -= 1
    cells, cur = [], lo
    for i in range(lo, hi + 1):
        if i == hi or s[i] == "|":
            cells.append(_trim(F, a + cur, a + i))
            cur = i + 1
    return cells


def _stt(F: str, a: int, b: int, raw=None) -> str | None:
    s = F[a:b].strip(" \t*")
    if not s and raw is not None:  # folding blanks a line of digits alone (a page number)
        s = raw(a, b).strip(" \t*")
    return s.rstrip(".") if s and _grammar()[1].match(s) else None


def _row_id(stt: str, group: str | None) -> tuple[str, bool]:
    """"I" is a group; "1" under group "I" is "I.1"."""
    roman = bool(re.fullmatch(r"[IVX]+|[A-H]", stt))
    if roman:
        return stt, True
    return (f"{group}.{stt}" if group else stt), False


def _pipe_table(F: str, lines: list[tuple[int, int]], i: int, raw) -> tuple[Table, int] | None:
    cells = _pipe_cells(F, *lines[i])
    kinds = [column_kind(F[a:b]) for a, b in cells]
    if not _is_task_header(kinds):
        return None
    rows: list[Row] = []
    group = None
    j = i + 1
    while j < len(lines):
        a, b = lines[j]
        line = F[a:b]
        if not line.strip():
            j += 1
            if j < len(lines) and "|" not in F[slice(*lines[j])]:
                break
            continue
        if "|" not in line:
            break
        cs = _pipe_cells(F, a, b)
        if all(set(F[x:y]) <= set("-: ") for x, y in cs):  # the markdown rule
            j += 1
            continue
        stt = _stt(F, *cs[0], raw) if cs else None
        if stt is None and rows and not F[cs[0][0]:cs[0][1]].strip():
            r = rows[-1]  # line k of the row's cells
            for k, (x, y) in zip(kinds, cs):
                if k and k != "stt" and y > x:
                    c = r.cells.get(k)
                    r.cells[k] = Cell(f"{c.text} {F[x:y]}" if c else F[x:y], c.start if c else x, y)
            r.end = b
        elif stt is not None:
            rid, is_group = _row_id(stt, group)
            group = rid if is_group else group
            r = Row(rid, a, b, group=is_group)
            for k, (x, y) in zip(kinds, cs):
                if k and k != "stt" and y > x:
                    r.cells[k] = Cell(F[x:y], x, y)
            rows.append(r)
        j += 1
    if not rows:
        return None
    return Table(lines[i][0], rows[-1].end, [k or "" for k in kinds], rows), j


def _header_run(F: str, lines: list[tuple[int, int]], i: int) -> list[str] | None:
    """The column kinds of a flattened header starting at line i ("STT" alone on its line)."""
    kinds: list[str] = []
    j = i
    while j < len(lines):
        a, b = lines[j]
        s = F[a:b].strip()
        if not s:
            j += 1
            if kinds and kinds[-1] != "stt":
                break
            continue
        k = column_kind(s)
        if k is None or (kinds and k == "stt"):
            break
        kinds.append(k)
        j += 1
    return kinds if _is_task_header(kinds) else None


def _flat_table(F: str, lines: list[tuple[int, int]], i: int, is_agency, raw) -> tuple[Table, int] | None:
    kinds = _header_run(F, lines, i)
    if kinds is None:
        return None
    cols = kinds[1:]
    j, seen = i, 0
    while seen < len(kinds):  # past the header's lines
        seen += bool(F[slice(*lines[j])].strip())
        j += 1
    numbers = _grammar()[2]
    while j < len(lines) and _stt(F, *lines[j], raw) is None and (
            not F[slice(*lines[j])].strip() or numbers.match(F[slice(*lines[j])].strip())):
        j += 1
    rows: list[Row] = []
    group, cur = None, []
    limit = len(cols) + 8  # a row's lines at most: a cell wrapped, never a whole section

    def close():
        if cur:
            rows[-1].end = cur[-1][1]
            _fill_flat(F, rows[-1], cols, cur, is_agency)

    while j < len(lines):
        a, b = lines[j]
        stt = _stt(F, a, b, raw)
        if stt is not None and (not rows or cur or rows[-1].group):
            close()
            rid, is_group = _row_id(stt, group)
            group = rid if is_group else group
            rows.append(Row(rid, a, b, group=is_group))
            cur = []
        elif not rows:
            break
        elif F[a:b].strip():
            if len(cur) >= limit or (len(cur) >= len(cols) and re.match(r"\s*\[\d{1,3}\]", F[a:b])):
                break  # a footnote under the table, or lines that are no cell
            cur.append((a + len(F[a:b]) - len(F[a:b].lstrip()), b))
        j += 1
    close()
    if not rows:
        return None
    return Table(lines[i][0], rows[-1].end, kinds, rows), j


def _fill_flat(F: str, row: Row, cols: list[str], cur: list[tuple[int, int]], is_agency) -> None:
    """Give the lines of one flattened row to its columns; the content cell takes the lines up to
    the first that opens with an agency (the lead cell), the rest one per column."""
    if row.group or "text" not in cols:
        row.cells["text"] = Cell(" ".join(F[a:b].strip() for a, b in cur), cur[0][0], cur[-1][1])
        return
    t = cols.index("text")
    rest = cols[t + 1:]
    n_text = max(1, len(cur) - len(rest))
    if len(cur) > len(rest) + 1:
        first = next((k for k in range(1, len(cur)) if is_agency(*cur[k])), None)
        if first is not None:
            n_text = first
    parts = [cur[:n_text]] + [[x] for x in cur[n_text:n_text + len(rest)]]
    extra = cur[n_text + len(rest):]
    if extra:  # more lines than cells: a wrapped agency list, its cell goes on
        parts[-1] = parts[-1] + extra
    for k, ls in zip(cols[t:], parts):
        if ls:
            row.cells[k] = Cell(" ".join(F[a:b].strip() for a, b in ls), ls[0][0], ls[-1][1])


_GAP = re.compile(r"\S(?:\S| (?=\S))*")


def _snap(line: str, c: int) -> int:
    """A column boundary that falls inside a word moves past it (a cell wider than its header)."""
    while 0 < c < len(line) and not line[c - 1].isspace() and not line[c].isspace():
        c += 1
    return c


def _layout_table(F: str, lines: list[tuple[int, int]], i: int, raw) -> tuple[Table, int] | None:
    """pdftotext -layout: labels two or more spaces apart on one line give the columns."""
    a, b = lines[i]
    heads = [(m.start(), m.end()) for m in _GAP.finditer(F[a:b])]
    kinds = [column_kind(F[a + x:a + y]) for x, y in heads]
    if len(heads) < 3 or not _is_task_header(kinds):
        return None
    bounds = [x for x, _ in heads[1:]]
    rows: list[Row] = []
    group = None
    j = i + 1
    while j < len(lines):
        x, y = lines[j]
        line = F[x:y]
        if not line.strip():
            j += 1
            continue
        if len(line) - len(line.lstrip()) < 0 or ("  " not in line.strip() and not rows):
            break
        cuts = [0] + [_snap(line, max(0, c - 1)) for c in bounds] + [len(line)]
        pieces = [(x + cuts[k], x + max(cuts[k], min(len(line), cuts[k + 1]))) for k in range(len(cuts) - 1)]
        pieces = [_trim(F, p, q) for p, q in pieces]
        stt = _stt(F, *pieces[0], raw)
        if stt is not None:
            rid, is_group = _row_id(stt, group)
            group = rid if is_group else group
            rows.append(Row(rid, x, y, group=is_group))
        elif not rows or F[slice(*pieces[0])].strip():
            break
        r = rows[-1]
        for k, (p, q) in zip(kinds, pieces):
            if k and k != "stt" and q > p:
                c = r.cells.get(k)
                r.cells[k] = Cell(f"{c.text} {F[p:q]}" if c else F[p:q], c.start if c else p, q)
        r.end = y
        j += 1
    if not rows:
        return None
    return Table(a, rows[-1].end, kinds, rows), j


def find_tables(F: str, start: int, end: int, is_agency=lambda a, b: False, raw=None) -> list[Table]:
    """The task tables of F[start:end], in order. ``is_agency(a, b)``: does the line F[a:b] open
    with an agency (tells a flattened row's lead cell from its wrapped content); ``raw(a, b)``:
    the source text of a folded span (an STT alone on its line is folded away as a page number)."""
    lines = _lines(F, start, end)
    out: list[Table] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        s = F[a:b].strip(" \t*")
        found = None
        if "|" in s:
            found = _pipe_table(F, lines, i, raw)
        elif column_kind(s) == "stt":
            found = _flat_table(F, lines, i, is_agency, raw)
        elif "  " in s and re.match(r"(?:STT|TT)\b", s):
            found = _layout_table(F, lines, i, raw)
        if found:
            out.append(found[0])
            i = max(found[1], i + 1)
        else:
            i += 1
    return out
