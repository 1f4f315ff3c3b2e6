"""HTML -> text: the document's body from pages saved from vbpl.vn or thuvienphapluat.vn, not the site's
menus, related-document boxes or English translation.
"""

from __future__ import annotations

import codecs
import re

from kg.ingest.docx import zip_cells as _zip_cells
from kg.ingest.legacy import WORD as _WORD
from kg.ingest.source import DEFAULT_LIMITS, IngestError, Limits, nfc as _nfc, too_deep
from kg.ingest.text import decode_bytes

# Where the document itself sits in pages saved from the two legal portals.
_SITE_BODIES = [
    "#divContentDoc .content1",  # thuvienphapluat.vn
    ".cldivContentDocVn .content1",
    "#divContentDoc",
    ".cldivContentDocVn",
    "div.toanvancontent",  # vbpl.vn
    "#toanvancontent",
    "div.fulltext",
    "#ctl00_Content_ThongTinVB_pnlDocContent",
]
_ENGLISH_MARK = re.compile(r"(?i)english|tieng[-_]?anh|contentdoc_?en\b|(?:^|[-_\s])en(?:$|[-_\s])|docen\b")
_BOILERPLATE = re.compile(
    r"(?i)(?:^|[-_\s])(?:menu|nav|navbar|navigation|sidebar|breadcrumbs?|footer|header|banner|"
    r"quangcao|qc|ads?|advert\w*|share|social|comments?|binhluan|login|dangnhap|search|timkiem|"
    r"popup|modal|cookie|toolbar|pagination|related\w*|lienquan|vblq|vanbanlienquan|tags?|tabs?-?header)"
    r"(?:$|[-_\s\d])"
)
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head",
              "button", "select", "input", "textarea", "form"]
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
    "nav", "ol", "p", "section", "ul", "caption", "tbody", "thead", "tfoot",
}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def _attr_text(tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([tag.get("id") or "", *classes])


def _is_english(tag) -> bool:
    lang = (tag.get("lang") or tag.get("xml:lang") or "").lower()
    return lang.startswith("en") or bool(_ENGLISH_MARK.search(_attr_text(tag)))


def _mostly_english(text: str) -> bool:
    words = _WORD.findall(text[:20_000])
    if len(words) < 30:
        return False
    accented = sum(not w.isascii() for w in words)
    common = sum(w.lower() in {"the", "of", "and", "to", "in", "on", "for", "shall", "is"} for w in words)
    return accented < 0.02 * len(words) and common > 0.08 * len(words)


_END = object()  # an exhausted iterator on the walk's stack
_NEWLINE = object()  # "end the line here", pushed after a block's children
MAX_TABLE_NESTING = 32  # deeper tables are read as blocks: a cell's table is rendered by recursion


class _HtmlText:
    """Block-aware text of an element: a line per paragraph, table rows as "cell | cell".

    The walk keeps its own stack instead of recursing (8,000 nested <div>s are 8,000 levels) and
    numbers each <ol>'s items as it meets them (looking each one up in its list was quadratic).
    """

    def __init__(self, table_depth: int = 0) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.table_depth = table_depth
        self.numbers: dict[int, int] = {}  # id(<ol>) -> the number of its last item

    def newline(self) -> None:
        line = _SPACE.sub(" ", "".join(self.cur)).strip()
        if line:
            self.lines.append(line)
        self.cur = []

    def render(self, node) -> list[str]:
        self.walk(node)
        self.newline()
        return self.lines

    def walk(self, node) -> None:
        from bs4 import Comment, NavigableString, Tag

        stack = [iter(node.children)]
        while stack:
            child = next(stack[-1], _END)
            if child is _END:
                stack.pop()
            elif child is _NEWLINE:
                self.newline()
            elif isinstance(child, Comment):
                continue
            elif isinstance(child, NavigableString):
                self.cur.append(str(child))
            elif isinstance(child, Tag):
                inner = self.element(child)
                if inner is not None:
                    stack.append(inner)

    def element(self, tag):
        """Write what a tag starts; the iterator over what to walk inside it, or None."""
        name = tag.name
        if name == "br":
            self.newline()
        elif name == "pre":
            self.newline()
            self.lines.extend(ln.rstrip() for ln in tag.get_text().split("\n") if ln.strip())
        elif name == "table" and self.table_depth < MAX_TABLE_NESTING:
            self.newline()
            self.table(tag)
        elif name == "li":
            self.newline()
            self.cur.append(self.item_label(tag))
            return _then_newline(tag)
        elif name in _BLOCK_TAGS or name == "table":
            self.newline()
            return _then_newline(tag)
        else:
            return iter(tag.children)
        return None

    def item_label(self, li) -> str:
        parent = li.parent
        if parent is None or parent.name != "ol":
            return "- "
        key = id(parent)
        if key not in self.numbers:
            start = str(parent.get("start", "1"))
            self.numbers[key] = (int(start) if start.isdigit() else 1) - 1
        self.numbers[key] += 1
        return f"{self.numbers[key]}. "

    def table(self, table) -> None:
        for tr in _rows(table):
            cells = [_HtmlText(self.table_depth + 1).render(td) for td in tr.find_all(["td", "th"], recursive=False)]
            self.lines.extend(_zip_cells(cells))


def _then_newline(tag):
    from itertools import chain

    return chain(tag.children, (_NEWLINE,))


def _rows(table):
    """A table's own rows (directly or in its thead/tbody/tfoot), not those of tables in its cells."""
    for child in table.find_all(True, recursive=False):
        if child.name == "tr":
            yield child
        elif child.name in ("thead", "tbody", "tfoot"):
            yield from child.find_all("tr", recursive=False)


def _tags(root, prune=lambda tag: False):
    """Every tag under root in document order, without recursion; a tag for which ``prune`` is true
    is yielded but not entered (it is about to be removed)."""
    from bs4 import Tag

    stack = [iter(root.children)]
    while stack:
        child = next(stack[-1], _END)
        if child is _END:
            stack.pop()
        elif isinstance(child, Tag):
            if prune(child):
                yield child
                continue
            yield child
            stack.append(iter(child.children))


def _decompose_where(root, wanted) -> None:
    """Remove every tag for which ``wanted`` holds, one pass, never entering a removed one."""
    doomed = list(_tags(root, prune=wanted))
    for tag in doomed:
        if wanted(tag):
            tag.decompose()


def _sizes(root) -> dict[int, int]:
    """id(tag) -> characters of text in it outside links, for every tag, in one bottom-up pass.

    This was measured twice per tag and level (get_text of the subtree each time): quadratic
    in the nesting, 156 s for 8,000 nested <div>s.
    """
    from bs4 import NavigableString
    from bs4.element import PreformattedString

    order = [root, *_tags(root)]
    sizes: dict[int, int] = {}
    for tag in reversed(order):  # children before their parents
        n = 0
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    n += len(_SPACE.sub("", child))
            elif child.name != "a":  # link text does not make a block the main one
                n += sizes.get(id(child), 0)
        sizes[id(tag)] = n if tag.name != "a" else len(_SPACE.sub("", tag.get_text()))
    return sizes


_SELECTOR_PART = re.compile(r"(?P<tag>[a-z]\w*)?(?:#(?P<id>[\w-]+))?(?:\.(?P<cls>[\w-]+))?")


def _select(soup, selector: str) -> list:
    """The few CSS forms the portal bodies need ("#a .b", "div.c"), by id and class lookups:
    soupsieve's descendant matching walks every ancestor of every element (quadratic when deep)."""
    found = [soup]
    for part in selector.split():
        m = _SELECTOR_PART.fullmatch(part)
        kw = {k: v for k, v in (("id", m["id"]), ("class_", m["cls"])) if v}
        seen: set[int] = set()
        nxt = []
        for scope in found:
            for tag in scope.find_all(m["tag"] or True, **kw):
                if id(tag) not in seen:
                    seen.add(id(tag))
                    nxt.append(tag)
        found = nxt
    return found


def _portal_body(soup):
    for selector in _SITE_BODIES:
        for found in _select(soup, selector):
            text = found.get_text(" ", strip=True)
            if len(text) >= 40 and not _mostly_english(text):
                return found
    return None


def _main_element(soup):
    """The element holding a page's main text: a known portal body, else the densest block."""
    found = _portal_body(soup)
    if found is not None:
        return found
    body = soup.body or soup
    sizes = _sizes(body)
    body_size = sizes[id(body)]

    def chrome(tag) -> bool:
        # A wrapper named "has-sidebar" may hold the whole page: only small blocks are chrome.
        if tag.name in ("main", "article"):
            return False
        named = tag.name in ("nav", "aside", "footer", "header") or _BOILERPLATE.search(_attr_text(tag))
        return bool(named) and sizes.get(id(tag), 0) <= 0.5 * body_size

    _decompose_where(body, chrome)
    sizes = _sizes(body)  # once more, without the chrome
    main = body.find("main") or body.find(attrs={"role": "main"})
    if main is not None and sizes.get(id(main), 0) > 0:
        return main
    node = body
    while True:
        children = node.find_all(True, recursive=False)
        if not children:
            return node
        best = max(children, key=lambda c: sizes.get(id(c), 0))
        if sizes.get(id(best), 0) >= 0.8 * sizes.get(id(node), 0) and best.name not in ("p", "table", "tr", "li", "ul", "ol"):
            node = best
        else:
            return node


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)


def read_html_text(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str]:
    from bs4 import BeautifulSoup, Comment

    text, encoding = _decode_html(data, path)
    _check_depth(text, path, limits)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:
        raise IngestError(path, f"damaged HTML: {type(e).__name__}: {e}") from None
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    _decompose_where(soup, lambda tag: tag.name not in ("html", "body") and _is_english(tag))
    root = _main_element(soup)
    lines = _HtmlText().render(root)
    out = "\n".join(lines)
    if not out.strip():
        raise IngestError(path, "no text: the page holds no document text")
    return _nfc(out), encoding


def _check_depth(text: str, path: str, limits: Limits, chunk: int = 1 << 20) -> None:
    """Refuse a page nested deeper than ``limits.max_depth`` before building its tree.

    libxml2's pull parser (C) reads the page as the tree builder will, implied end tags
    included, and stops at the first element past the limit: a 50 MB page of nested <div>s is
    refused after its first few kilobytes instead of becoming gigabytes of Python objects.
    """
    from lxml import etree

    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, no_network=True,
                                   huge_tree=True)
    depth = 0
    for i in range(0, len(text), chunk):
        try:
            parser.feed(text[i:i + chunk])
        except etree.LxmlError:
            return  # the tree builder reports damaged HTML itself
        for event, el in parser.read_events():
            if event == "start":
                depth += 1
                if depth > limits.max_depth:
                    raise too_deep(path, limits, "HTML elements")
            else:
                depth -= 1
                el.clear()
