"""Word .docx -> text: paragraphs with the numbers and bullets Word draws, tables as rows, notes.

The ZIP is checked before python-docx opens it: python-docx reads every member into memory, so
a 20 kB file declaring gigabytes of members is refused from its central directory alone.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterator

from kg.ingest.source import DEFAULT_LIMITS, IngestError, Limits, nfc as _nfc, too_big, too_deep

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_IN_PARAGRAPH = {
    _W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText",
    _W + "footnoteRef", _W + "endnoteRef", _MC_FALLBACK,
}


def _paragraph_text(p) -> str:
    """The text Word shows for a paragraph: runs, tabs, breaks, footnote marks, text boxes."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag == _W + "sym":
                ch = chr(int(child.get(_W + "char", "20"), 16))
                out.append("•" if 0xE000 <= ord(ch) <= 0xF8FF else ch)
            elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
                out.append(f"[{child.get(_W + 'id')}]")
            elif tag == _W + "p":  # a paragraph inside a text box
                out.append("\n")
                walk(child)
            else:
                walk(child)

    walk(p)
    return "".join(out)


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letter numbering repeats the letter: a..z, aa..zz, aaa..
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    style: str | None = None


def _val(el, path: str, default: str | None = None) -> str | None:
    found = el.find(path)
    return found.get(_W + "val", default) if found is not None else default


class _Numbering:
    """Works out the numbers and bullets Word draws in front of list paragraphs.

    python-docx gives paragraph text without them, but "1.", "a)" and "-" are how Vietnamese
    documents mark their articles, points and tasks. Counters belong to the abstract list, as in
    Word, and a list instance with a start override restarts them.
    """

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for absn in numbering.iter(_W + "abstractNum"):
                levels = {}
                for lvl in absn.iter(_W + "lvl"):
                    levels[int(lvl.get(_W + "ilvl", "0"))] = _Level(
                        fmt=_val(lvl, _W + "numFmt", "decimal") or "decimal",
                        text=_val(lvl, _W + "lvlText", "") or "",
                        start=int(_val(lvl, _W + "start", "1") or 1),
                        style=_val(lvl, _W + "pStyle"),
                    )
                self.levels[absn.get(_W + "abstractNumId")] = levels
            for num in numbering.iter(_W + "num"):
                overrides = {}
                for ov in num.iter(_W + "lvlOverride"):
                    start = _val(ov, _W + "startOverride")
                    if start is not None:
                        overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
                self.nums[num.get(_W + "numId")] = (_val(num, _W + "abstractNumId") or "", overrides)
        try:
            for st in document.styles.element.iter(_W + "style"):
                num_pr = st.find(f"{_W}pPr/{_W}numPr")
                self.styles[st.get(_W + "styleId")] = (
                    _val(num_pr, _W + "numId") if num_pr is not None else None,
                    _val(num_pr, _W + "ilvl") if num_pr is not None else None,
                    _val(st, _W + "basedOn"),
                )
        except AttributeError:
            pass

    def _from_style(self, style_id: str | None) -> tuple[str | None, str | None]:
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl
            style_id = based_on
        return None, None

    def label(self, p) -> str:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        style_id = _val(p, f"{_W}pPr/{_W}pStyle")
        num_id = ilvl = None
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, _W + "numId"), _val(num_pr, _W + "ilvl")
        if num_id is None:
            num_id, style_ilvl = self._from_style(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl is None:  # a heading style linked to one level of the list
            ilvl = next((str(i) for i, lv in levels.items() if lv.style == style_id), "0")
        level = int(ilvl)
        counters = self.counters.setdefault(abs_id, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
        for k in range(level):  # a sub-item with no item above it counts from the start
            if counters[k] is None:
                counters[k] = levels.get(k, _Level()).start
        current = counters[level]
        counters[level] = levels.get(level, _Level()).start if current is None else current + 1
        for k in range(level + 1, len(counters)):
            counters[k] = None
        lv = levels.get(level, _Level())
        if lv.fmt == "bullet":
            text = lv.text
            text = "".join("•" if 0xE000 <= ord(c) <= 0xF8FF else c for c in text) or "•"
            return text + " "
        text = re.sub(
            r"%([1-9])",
            lambda m: _format_number(
                counters[int(m.group(1)) - 1] or levels.get(int(m.group(1)) - 1, _Level()).start,
                levels.get(int(m.group(1)) - 1, _Level()).fmt,
            ),
            lv.text,
        )
        return text + " " if text else ""


def zip_cells(cells: list[list[str]]) -> list[str]:
    """A table row as the lines a reader sees: line k holds the k-th line of every cell.

    The two-cell header block of an official document ("UBND TỈNH ... | CỘNG HÒA ...") thus
    reads line by line as on paper, and each paragraph of a cell stays whole on its line.
    """
    height = max((len(c) for c in cells), default=0)
    lines = []
    for k in range(height):
        line = " | ".join(c[k] if k < len(c) else "" for c in cells).rstrip()
        if line.replace("|", "").strip():
            lines.append(line)
    return lines


def _docx_blocks(el) -> Iterator:
    for child in el:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _docx_blocks(child)


class _TooDeep(Exception):
    pass


def _docx_lines(el, numbering: _Numbering, depth_left: int = 2_000) -> list[str]:
    """Paragraphs and table rows; a table inside a cell is read by recursion, ``depth_left`` deep."""
    if depth_left <= 0:
        raise _TooDeep()
    lines: list[str] = []
    for block in _docx_blocks(el):
        if block.tag == _W + "p":
            text = numbering.label(block) + _paragraph_text(block)
            lines.extend(text.split("\n"))
        else:
            for tr in block.iter(_W + "tr"):
                if _nearest_table(tr) is not block:  # rows of a nested table belong to its cell
                    continue
                cells = []
                for tc in tr:
                    if tc.tag == _W + "tc":
                        cells.append([ln.strip() for ln in _docx_lines(tc, numbering, depth_left - 1) if ln.strip()])
                    elif tc.tag == _W + "sdt":
                        for inner in tc.iter(_W + "tc"):
                            cells.append([ln.strip() for ln in _docx_lines(inner, numbering, depth_left - 1) if ln.strip()])
                lines.extend(zip_cells(cells))
    return lines


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent


def _docx_notes(document, kind: str) -> list[str]:
    """Footnotes matter here: consolidated texts and many plans list cited documents in them."""
    from lxml import etree

    lines = []
    for rel in document.part.rels.values():
        if not rel.reltype.endswith("/" + kind) or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob)
        for note in root.iter(_W + kind[:-1]):
            if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(_paragraph_text(p).strip() for p in note.iter(_W + "p")).strip()
            if text:
                lines.append(f"[{note.get(_W + 'id')}] {text}")
    return lines


def check_zip(data: bytes, path: str, limits: Limits, what: str = ".docx") -> None:
    """Refuse a ZIP whose members inflate past ``limits.max_inflated``, from its central directory.

    python-docx reads every member into memory, so a 20 kB .docx of 2 GiB of zeros reached
    4.26 GB before being refused. The sizes the directory declares are what zipfile will inflate
    at most (it stops a member at its declared size and fails its CRC if it lied), so summing
    them bounds the memory before a byte is inflated.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IngestError(path, f"damaged or truncated {what} (not a valid ZIP archive)") from None
    total = sum(m.file_size for m in members)
    if total > limits.max_inflated:
        raise too_big(path, total, limits, f"this {what}")


def read_docx_text(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> str:
    check_zip(data, path, limits)
    document = _open_docx(data, path)
    try:
        numbering = _Numbering(document)
        lines = _docx_lines(document.element.body, numbering, limits.max_depth)
        notes = _docx_notes(document, "footnotes") + _docx_notes(document, "endnotes")
    except _TooDeep:
        raise too_deep(path, limits, "Word tables and text boxes") from None
    except Exception as e:
        raise IngestError(path, f"damaged .docx: {type(e).__name__}: {e}") from None
    if notes:
        lines += [""] + notes
    text = "\n".join(line.rstrip() for line in lines)
    if not text.strip():
        raise IngestError(path, "no text: the Word document is empty")
    return _nfc(text)


def _open_docx(data: bytes, path: str):
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError(path, "damaged or truncated .docx (not a valid ZIP archive)") from None
    except KeyError as e:
        raise IngestError(path, f"damaged .docx: missing part {e}") from None
    except Exception as e:
        if "Excessive depth" in str(e):  # libxml2 stops at 256 levels unless told otherwise
            raise IngestError(path, "Word XML nested more than 256 levels deep (the XML parser's limit); "
                                    "refused before reading further") from None
        raise IngestError(path, f"damaged .docx: {type(e).__name__}: {e}") from None
