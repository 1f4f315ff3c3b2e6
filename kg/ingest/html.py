"""HTML -> text: the document's body from pages saved from vbpl.vn or thuvienphapluat.vn, not the site's
menus, related-document boxes or English translation.
"""

from __future__ import annotations

import codecs
import re

from kg.ingest.docx import zip_cells as _zip_cells
from kg.ingest.legacy import WORD as _WORD
from kg.ingest.source import DEFAULT_LIMITS, IngestError, Limits, nfc as _nfc
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


class _HtmlText:
    """Block-aware text of an element: a line per paragraph, table rows as "cell | cell"."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []

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

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.cur.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.newline()
            elif name == "pre":
                self.newline()
                self.lines.extend(ln.rstrip() for ln in child.get_text().split("\n") if ln.strip())
            elif name == "table":
                self.newline()
                self.table(child)
            elif name == "li":
                self.newline()
                parent = child.parent
                if parent is not None and parent.name == "ol":
                    items = [li for li in parent.find_all("li", recursive=False)]
                    start = int(parent.get("start", "1")) if str(parent.get("start", "1")).isdigit() else 1
                    self.cur.append(f"{start + items.index(child)}. ")
                else:
                    self.cur.append("- ")
                self.walk(child)
                self.newline()
            elif name in _BLOCK_TAGS:
                self.newline()
                self.walk(child)
                self.newline()
            else:
                self.walk(child)

    def table(self, table) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        for tr in rows:
            cells = [_HtmlText().render(td) for td in tr.find_all(["td", "th"], recursive=False)]
            self.lines.extend(_zip_cells(cells))


def _text_size(tag) -> int:
    total = len(_SPACE.sub("", tag.get_text()))
    links = sum(len(_SPACE.sub("", a.get_text())) for a in tag.find_all("a"))
    return total - links


def _main_element(soup):
    """The element holding a page's main text: a known portal body, else the densest block."""
    for selector in _SITE_BODIES:
        for found in soup.select(selector):
            text = found.get_text(" ", strip=True)
            if len(text) >= 40 and not _mostly_english(text):
                return found
    body = soup.body or soup
    body_size = _text_size(body)
    for tag in body.find_all(True):
        if tag.decomposed or tag.name in ("main", "article"):
            continue
        if tag.name in ("nav", "aside", "footer", "header") or _BOILERPLATE.search(_attr_text(tag)):
            # A wrapper named "has-sidebar" may hold the whole page: only small blocks are chrome.
            if _text_size(tag) <= 0.5 * body_size:
                tag.decompose()
    main = body.find("main") or body.find(attrs={"role": "main"})
    if main is not None and _text_size(main) > 0:
        return main
    node = body
    while True:
        children = [c for c in node.find_all(True, recursive=False)]
        if not children:
            return node
        best = max(children, key=_text_size)
        if _text_size(best) >= 0.8 * _text_size(node) and best.name not in ("p", "table", "tr", "li", "ul", "ol"):
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


def read_html_text(data: bytes, path: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup, Comment

    text, encoding = _decode_html(data, path)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:
        raise IngestError(path, f"damaged HTML: {type(e).__name__}: {e}") from None
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if not tag.decomposed and tag.name not in ("html", "body") and _is_english(tag):
            tag.decompose()
    root = _main_element(soup)
    lines = _HtmlText().render(root)
    out = "\n".join(lines)
    if not out.strip():
        raise IngestError(path, "no text: the page holds no document text")
    return _nfc(out), encoding


