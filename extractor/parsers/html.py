"""HTML pages saved from government portals: the notice in the page, without the site around it.

Steps:

1. decode: byte-order mark, else the charset the page declares (``<meta charset>`` or
   ``http-equiv``), else UTF-8, else what the TXT backend would guess (Windows-1258 ...);
2. parse with lxml's HTML parser (no network, comments and processing instructions dropped)
   and remove what is never content: scripts, styles, forms' controls, embedded objects;
3. remove the site's chrome: ``nav``/``aside``/``menu``/``header``/``footer`` elements, ARIA
   navigation roles, and elements whose class or id names a menu, sidebar, breadcrumb, share bar
   and the like, but never an element holding most of the page's text (ASP.NET pages wrap
   everything in one ``<form>``);
4. pick the main content: the largest ``article``/``main``/content-named element when it
   holds at least half the text, else the deepest container holding 85% of the text not in links;
5. walk it: block elements make ``paragraph`` blocks, pieces split by ``<br>`` and lines of
   ``<pre>`` make ``line`` blocks; a table whose header names task columns
   (:func:`~extractor.tablevocab.is_task_header`) gives ``table_row`` blocks (a cell
   spanning rows repeats in each), other tables are read cell by cell, a letterhead band
   (national title ... motto) column by column as in the DOCX backend
   (:func:`~extractor.parsers.layout.letterhead_bands`).

Text set in legacy fonts (``<font face=".VnTime">``, ``font-family: VNI-Times``) is converted
from TCVN3/VNI; other legacy text is found by the same statistics as in plain text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import ClassVar

import lxml.html
from lxml import etree

from ..diagnostics import legacy_warning, parse_warning
from ..errors import InputError
from ..tablevocab import is_task_header, join_cell
from ..vnnum import roman_numeral
from .base import Backend, Block, ParsedDocument
from .layout.bands import letterhead_bands
from .legacy_encodings import convert, font_encoding, repair_text
from .txt import decode_text_detailed

_JUNK = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "button",
         "select", "input", "textarea", "option", "link", "meta", "head", "map", "audio", "video")
_CHROME_TAGS = frozenset(("nav", "aside", "menu", "header", "footer", "dialog"))
_CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"))
_CHROME_WORDS = frozenset((
    "nav", "navbar", "navigation", "menu", "mainmenu", "topmenu", "submenu", "megamenu", "header", "footer", "sidebar",
    "breadcrumb", "breadcrumbs", "banner", "share", "social", "related", "comment", "comments", "advert", "ads",
    "login", "search", "searchbox", "topbar", "toolbar", "cookie", "copyright", "pagination", "pager", "tags",
    "widget", "hotline", "weblink", "lienket", "tinlienquan", "tinkhac", "print", "sitemap",
))
_CONTENT_WORDS = frozenset((
    "content", "article", "detail", "details", "post", "entry", "body", "main", "noidung", "chitiet", "vanban",
    "news", "text", "story",
))
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "address", "figure", "figcaption", "center", "hr", "table", "tr", "body", "html", "caption",
    "fieldset", "legend", "details", "summary", "form", "header", "footer", "nav", "aside", "pre",
))
_Encoding = tuple[str, bool] | None  # (TCVN3 or VNI, capitals font) of text in a legacy font
_CONTAINERS = frozenset((
    "div", "section", "article", "main", "form", "center", "table", "tbody", "thead", "tr", "td", "th", "font", "span",
))
_MAIN_SHARE = 0.5  # an article/main/content element holding this share of the text is the content
_DEEPEST_SHARE = 0.85  # else the deepest element holding this share
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_TAG = re.compile(rb"<(?:html|head|body|div|p|table|meta|title|article|span|br)[\s/>]", re.IGNORECASE)
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)", re.IGNORECASE)


# --- decoding -------------------------------------------------------------------------------
def decode_html(data: bytes) -> str:
    """The page's text: BOM, declared charset, UTF-8, then the plain-text guesses."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        name = {"windows-1258": "cp1258", "x-user-defined": "latin-1", "iso-8859-1": "cp1252", "latin1": "cp1252"}.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: guess as for plain text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_text_detailed(data)[0]


# --- cleaning -------------------------------------------------------------------------------
def _tokens(element: etree._Element) -> list[str]:
    value = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return [t for t in re.split(r"\s+", value) if t]


def _is_chrome(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _CHROME_TAGS:
        # A header or footer inside the article belongs to it (its title, its date).
        return not (tag in ("header", "footer") and any(a.tag in ("article", "main") for a in element.iterancestors()))
    if (element.get("role") or "").lower() in _CHROME_ROLES:
        return True
    for token in _tokens(element):
        parts = set(re.split(r"[-_]", token)) | {token.replace("-", "").replace("_", "")}
        if parts & _CHROME_WORDS and not parts & _CONTENT_WORDS:
            return True
    return False


def _text_length(element: etree._Element) -> int:
    return len(_SPACE.sub("", element.text_content()))


def _link_length(element: etree._Element) -> int:
    return sum(_text_length(a) for a in element.iter("a"))


def _clean(root: etree._Element) -> None:
    for element in list(root.iter(*_JUNK)):
        if element.getparent() is not None:
            element.drop_tree()
    total = max(_text_length(root), 1)

    def visit(element: etree._Element) -> None:
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            if _is_chrome(child) and _text_length(child) < 0.5 * total:
                child.drop_tree()
            else:
                visit(child)

    visit(root)


def _main_content(root: etree._Element) -> etree._Element:
    body = root.find("body")
    body = body if body is not None else root
    total = max(_text_length(body) - _link_length(body), 1)
    named = [
        e for e in body.iter()
        if isinstance(e.tag, str) and (e.tag in ("article", "main") or (e.get("role") or "").lower() == "main"
                                       or any(set(re.split(r"[-_]", t)) & _CONTENT_WORDS for t in _tokens(e)))
    ]
    if named:
        best = max(named, key=lambda e: _text_length(e) - _link_length(e))
        if _text_length(best) - _link_length(best) >= _MAIN_SHARE * total:
            return _deepest(best, (_text_length(best) - _link_length(best)) * _DEEPEST_SHARE)
    return _deepest(body, total * _DEEPEST_SHARE)


def _deepest(element: etree._Element, needed: float) -> etree._Element:
    """The deepest descendant (or ``element``) whose non-link text is at least ``needed``; the
    walk goes into layout tables (old portals lay pages out with them), not into task tables."""
    while True:
        for child in element:
            if isinstance(child.tag, str) and child.tag in _CONTAINERS and _text_length(child) - _link_length(child) >= needed \
                    and not (child.tag == "table" and _is_task_table(child)):
                element = child
                break
        else:
            return element


def _is_task_table(table: etree._Element) -> bool:
    rows = list(_own_rows(table))[:2]
    return any(is_task_header([_SPACE.sub(" ", c.text_content()).strip() for c in r if c.tag in ("td", "th")]) for r in rows)


# --- the walk -------------------------------------------------------------------------------
@dataclass
class _Walker:
    blocks: list[Block] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    broken: bool = False  # the current block was split by <br>
    legacy_font: bool = False  # some text was set in a TCVN3/VNI font (and converted)
    list_prefix: str = ""  # label of the decimal list item we are in ("1."), for nested lists
    bullet_depth: int = 0

    def flush(self, *, line: bool = False) -> None:
        text = _SPACE.sub(" ", "".join(self.parts)).strip()
        self.parts = []
        if text:
            self.blocks.append(Block(text=text, page=1, kind="line" if (line or self.broken) else "paragraph"))
        if not line:
            self.broken = False

    def text(self, value: str | None, encoding: _Encoding) -> None:
        if value:
            self.parts.append(convert(value, encoding[0], upper=encoding[1]) if encoding else value)

    def walk(self, element: etree._Element, encoding: _Encoding) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        encoding = _element_encoding(element, encoding)
        if encoding:
            self.legacy_font = True
        if tag == "br":
            self.broken = True
            self.flush(line=True)
        elif tag == "table":
            self.flush()
            self.blocks.extend(self._table(element, encoding))
        elif tag == "pre":
            self.flush()
            for line in _inline_text(element, encoding, keep_lines=True).splitlines():
                if line.strip():
                    self.blocks.append(Block(text=line.strip(), page=1, kind="line"))
        elif tag in ("ol", "ul"):
            self.flush()
            self._list(element, encoding)
        elif tag:
            block = tag in _BLOCK_TAGS
            if block:
                self.flush()
            self.text(element.text, encoding)
            for child in element:
                self.walk(child, encoding)
                self.text(child.tail, encoding)
            if block:
                self.flush()

    # lists --------------------------------------------------------------------------------
    def _list(self, element: etree._Element, encoding: _Encoding) -> None:
        """Items of an ol/ul, each labelled as a browser shows it ("1.", "a.", "II.", "-"); an
        ordered list inside a decimal item continues its label ("1.1.") as the source did."""
        style = _list_style(element)
        number = _span(element.get("start"), low=0) if element.get("start") else 1
        self.text(element.text, encoding)
        for child in element:
            if child.tag == "li":
                if child.get("value"):
                    number = _span(child.get("value"), low=0)
                label = _list_label(style, number, self.list_prefix, nested_bullet=self.bullet_depth > 0)
                first = len(self.blocks)
                saved = (self.list_prefix, self.bullet_depth)
                self.list_prefix = label[:-1] if style == "decimal" and label else ""
                self.bullet_depth += style in ("disc", "circle", "square")
                self.walk(child, encoding)
                self.flush()
                self.list_prefix, self.bullet_depth = saved
                if label and first < len(self.blocks):
                    block = self.blocks[first]
                    self.blocks[first] = replace(block, text=f"{label} {block.text}", list_label=label)
                number += 1
            elif isinstance(child.tag, str):
                self.walk(child, encoding)
            self.text(child.tail, encoding)
        self.flush()

    # tables -------------------------------------------------------------------------------
    def _cell_text(self, cell: etree._Element, encoding: _Encoding) -> str:
        """A cell's blocks; separate entries (lines, paragraphs) joined as the TXT backend does."""
        walker = _Walker()
        walker.walk(cell, encoding)
        walker.flush()
        self.legacy_font |= walker.legacy_font
        return join_cell([b.text for b in walker.blocks])

    def _table(self, table: etree._Element, encoding: _Encoding) -> Iterator[Block]:
        rows = [r for r in _own_rows(table)]
        cells = [[c for c in r if c.tag in ("td", "th")] for r in rows]
        texts = [[self._cell_text(c, encoding) for c in row] for row in cells]
        if any(is_task_header(t) for t in texts[:2] if len(t) > 1):
            yield from _task_rows(cells, texts)
            return
        # Layout table: cell by cell, row by row; a letterhead band column by column.
        for band in letterhead_bands(texts):
            width = max((len(cells[i]) for i in band), default=0)
            for column in range(width):
                for i in band:
                    if column < len(cells[i]):
                        walker = _Walker()
                        walker.walk(cells[i][column], encoding)
                        walker.flush()
                        self.legacy_font |= walker.legacy_font
                        yield from walker.blocks


def _element_encoding(element: etree._Element, inherited: _Encoding) -> _Encoding:
    """The legacy encoding of an element's text: its own font's, else its parent's."""
    style = _FONT_FAMILY.search(element.get("style") or "")
    for name in (style.group(1) if style else None, element.get("face")):
        if name and name.strip():
            return font_encoding(name)  # a Unicode font inside a legacy one ends it
    return inherited


def _own_rows(table: etree._Element) -> Iterator[etree._Element]:
    """Rows of this table (under thead/tbody/tfoot too), not of tables nested in its cells."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (r for r in child if r.tag == "tr")


def _inline_text(element: etree._Element, encoding: _Encoding, *, keep_lines: bool = False) -> str:
    parts: list[str] = []

    def visit(node: etree._Element, enc: _Encoding) -> None:
        enc = _element_encoding(node, enc)
        if node.tag == "br":
            parts.append("\n")
        if node.text:
            parts.append(convert(node.text, enc[0], upper=enc[1]) if enc else node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child, enc)
            if child.tail:
                parts.append(convert(child.tail, enc[0], upper=enc[1]) if enc else child.tail)

    visit(element, encoding)
    text = "".join(parts)
    return text if keep_lines else _SPACE.sub(" ", text).strip()


def _task_rows(cells: list[list[etree._Element]], texts: list[list[str]]) -> Iterator[Block]:
    carried: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) of a cell spanning rows
    for row_cells, row_texts in zip(cells, texts, strict=True):
        out: list[str] = []
        column = 0
        queue = list(zip(row_cells, row_texts, strict=True))
        while queue or column in carried:
            if column in carried:
                left, text = carried[column]
                out.append(text)
                if left <= 1:
                    del carried[column]
                else:
                    carried[column] = (left - 1, text)
                column += 1
                continue
            cell, text = queue.pop(0)
            rowspan = _span(cell.get("rowspan"))
            if rowspan > 1:
                carried[column] = (rowspan - 1, text)
            out.append(text)
            column += 1
        if any(out):
            yield Block(text=" | ".join(out), page=1, kind="table_row", cells=tuple(out))


def _span(value: str | None, low: int = 1) -> int:
    try:
        return min(max(int((value or "1").strip()), low), 1000)
    except ValueError:
        return 1


_LIST_TYPES = {"1": "decimal", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([-\w]+)", re.IGNORECASE)


def _list_style(element: etree._Element) -> str:
    declared = _LIST_STYLE.search(element.get("style") or "")
    if declared:
        return declared.group(1).lower().replace("latin", "alpha")
    if element.tag == "ul":
        return "disc"
    return _LIST_TYPES.get(element.get("type") or "1", "decimal")


def _list_label(style: str, number: int, prefix: str, *, nested_bullet: bool) -> str:
    if style in ("disc", "circle", "square"):
        return "+" if nested_bullet else "-"
    if style == "none":
        return ""
    if style in ("lower-alpha", "upper-alpha") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return f"{letter if style == 'lower-alpha' else letter.upper()}."
    if style in ("lower-roman", "upper-roman") and 1 <= number < 4000:
        return f"{roman_numeral(number).lower() if style == 'lower-roman' else roman_numeral(number)}."
    return f"{prefix}{number}." if prefix else f"{number}."


def _repair(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Legacy text that no font named: the plain-text statistics, over all blocks and cells."""
    pieces = [c for b in blocks for c in (b.cells if b.kind == "table_row" else (b.text,))]
    text, encoding = repair_text("\n".join(pieces))
    if encoding is None:
        return blocks, None
    fixed = iter(text.split("\n"))
    out = []
    for block in blocks:
        if block.kind == "table_row":
            cells = tuple(next(fixed) for _ in block.cells)
            out.append(Block(text=" | ".join(cells), page=block.page, kind=block.kind, cells=cells))
        else:
            out.append(Block(text=next(fixed), page=block.page, kind=block.kind))
    return out, encoding


# --- the backend --------------------------------------------------------------------------
class HtmlParser(Backend):
    format: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def sniff(self, head: bytes) -> bool:
        if head.startswith(codecs.BOM_UTF8):
            head = head[3:]
        start = head[:1024].lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return True
        # A saved fragment or a page with a preamble: markup first, and HTML's own tags.
        return start.startswith(b"<") and _HTML_TAG.search(head[:4096]) is not None

    def read(self, data: bytes) -> ParsedDocument:
        # Control characters are not XML (lxml refuses them when it edits the tree): a page
        # saved by a browser holds none; a damaged one loses them.
        text = _XML_CONTROLS.sub("", _XML_DECLARATION.sub("", decode_html(data), count=1))
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, default_doctype=False)
        try:
            root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"not a readable HTML page ({exc})") from None
        _clean(root)
        main = _main_content(root)
        walker = _Walker()
        walker.walk(main, None)
        walker.flush()
        blocks, legacy = (walker.blocks, None) if walker.legacy_font else _repair(walker.blocks)
        if not blocks:
            raise InputError("HTML page holds no text")
        warnings = (legacy_warning(legacy),) if legacy else ()
        if walker.legacy_font:
            warnings = (parse_warning("legacy_encoding", "text set in legacy TCVN3/VNI fonts was converted to Unicode"),)
        return ParsedDocument(
            pages=None, blocks=tuple(blocks), warnings=warnings,
        )
