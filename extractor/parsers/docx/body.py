"""The body walk of a Word document: paragraphs and tables in reading order, with their pages.

Data tables (a header row of column names) become ``table_row`` blocks, a vertically merged
cell repeating its value in every row it spans; layout tables (letterhead, signature, "Nơi
nhận" box) are read like paragraphs, a letterhead band column by column
(:func:`..layout.letterhead_bands`). Pages come from Word's rendered page breaks when it wrote
them, else from hard breaks and section breaks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ...diagnostics import Diagnostic, parse_warning
from ...errors import InputError
from ...tablevocab import is_header_row
from ..base import Block
from ..layout.bands import letterhead_bands
from .numbering import Numbering, load_styles
from .package import Package
from .wordml import (
    MC_ALTERNATE,
    MC_CHOICE,
    PPR,
    RPR,
    SECT_PR,
    TBL,
    TC,
    TCPR,
    TR,
    TRPR,
    VAL,
    P,
    R,
    child_val,
    content_children,
    on,
    plain_text,
    w,
    xml_int,
)

MAX_TABLE_DEPTH = 32  # tables nested deeper than this are not a notice

# Subtrees whose text Word does not show in the flow of the paragraph: deleted or moved-away
# revisions, drawings/text boxes (floating; in the notices they hold only decorative rules),
# field instructions, ruby annotations, footnote marks and property blocks.
_SKIP_IN_PARAGRAPH = frozenset(
    w(n) for n in (
        "pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "rt",
        "footnoteReference", "endnoteReference", "commentReference", "instrText", "delText",
    )
)
# Containers that only wrap block content (content controls, custom XML, revision marks).


@dataclass
class _Segment:
    """Text of a paragraph up to a hard page break, and the page it starts on."""

    parts: list[str] = field(default_factory=list)
    page: int | None = None


class BodyReader:
    """Walks ``w:body`` once, in document order, keeping the page and list counters."""

    def __init__(self, package: Package) -> None:
        styles, self.default_style = load_styles(package.styles)
        self.numbering = Numbering(package.numbering, styles)
        body = package.document.find(w("body"))
        self.body = body if body is not None else etree.Element(w("body"))
        # Word writes w:lastRenderedPageBreak wherever a page began at the last save, hard breaks
        # included; when present it is the truth and explicit breaks are not counted again.
        self.rendered = next(self.body.iter(w("lastRenderedPageBreak")), None) is not None
        sections = [s for s in self.body.iter(SECT_PR) if s.getparent().tag in (PPR, w("body"))]
        # Keyed by the element itself: holding the proxies keeps lxml from handing out new ones.
        self.next_section_type: dict[etree._Element, str] = {
            s: (child_val(n, "type") or "nextPage") for s, n in itertools.pairwise(sections)
        }
        self.page = 1
        self.saw_break = False
        self.saw_content = False
        self.warnings: list[Diagnostic] = []

    def _new_page(self) -> None:
        self.page += 1
        self.saw_break = True

    def blocks(self) -> list[Block]:
        return list(self._container(self.body, depth=0))

    def _container(self, element: etree._Element, depth: int, *, flatten: bool = False) -> Iterator[Block]:
        """Paragraphs and tables of a body or cell; ``flatten`` reads nested tables as plain
        paragraphs, cell after cell (inside a data cell, whose text becomes one value)."""
        for child in content_children(element):
            if child.tag == P:
                yield from self._paragraph(child)
            elif child.tag == TBL and flatten:
                for row in table_rows(child, depth + 1):
                    for cell in row_cells(row):
                        yield from self._container(cell, depth + 1, flatten=True)
            elif child.tag == TBL:
                yield from self._table(child, depth + 1)
            elif child.tag == w("altChunk"):
                self.warnings.append(parse_warning("foreign_content_skipped",
                                                   "embedded foreign content (w:altChunk) was skipped"))

    # paragraphs ---------------------------------------------------------------------------
    def _paragraph(self, p: etree._Element) -> list[Block]:
        p_pr = p.find(PPR)
        break_before = p_pr.find(w("pageBreakBefore")) if p_pr is not None else None
        if not self.rendered and self.saw_content and on(break_before):
            self._new_page()
        style_id = child_val(p_pr, "pStyle") or self.default_style
        resolved = self.numbering.resolve(p_pr, style_id)
        label = self.numbering.next_label(*resolved) if resolved else None
        segments = [_Segment(page=None)]
        self._inline(p, segments)
        blocks = []
        for segment in segments:
            text = "".join(segment.parts).strip()
            if not text:
                continue
            block_label = label if not blocks else None
            if block_label:
                text = f"{block_label} {text}"
            blocks.append(Block(text=text, page=segment.page, kind="paragraph", list_label=block_label))
        if blocks:
            self.saw_content = True
        section = p_pr.find(SECT_PR) if p_pr is not None else None
        if section is not None and not self.rendered and self.next_section_type.get(section) not in (
            None, "continuous", "nextColumn",
        ):
            self._new_page()
        return blocks

    def _inline(self, element: etree._Element, segments: list[_Segment]) -> None:
        """Collect visible run text in order; a hard page break opens a new segment."""
        for child in element:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == R and on(child.find(f"{RPR}/{w('vanish')}")):
                continue  # hidden text
            if tag == MC_ALTERNATE:
                choice = child.find(MC_CHOICE)
                if choice is not None:
                    self._inline(choice, segments)
                continue
            if tag == w("t"):
                self._append(segments, child.text or "")
            elif tag in (w("tab"), w("ptab"), w("cr")):
                self._append(segments, " ")
            elif tag == w("br"):
                if child.get(w("type")) == "page":
                    if not self.rendered:
                        self._new_page()
                    segments.append(_Segment())
                else:  # soft line break / column break: the paragraph goes on
                    self._append(segments, " ")
            elif tag == w("noBreakHyphen"):
                self._append(segments, "-")
            elif tag == w("sym"):
                self._append(segments, _symbol(child.get(w("char"))))
            elif tag == w("lastRenderedPageBreak"):
                self._new_page()
            elif len(child):
                self._inline(child, segments)

    def _append(self, segments: list[_Segment], text: str) -> None:
        segment = segments[-1]
        if segment.page is None and text.strip():
            segment.page = self.page
        segment.parts.append(text)

    # tables -------------------------------------------------------------------------------
    def _table(self, tbl: etree._Element, depth: int) -> Iterator[Block]:
        rows = table_rows(tbl, depth)
        if _is_data_table(rows):
            yield from self._data_rows(rows, depth)
            return
        # Layout table (letterhead, signature, "Nơi nhận" box): read like paragraphs, row by
        # row, left cell before right cell; a letterhead band spread over several rows is read
        # column by column so that issuer lines and the national motto each stay together.
        by_row = [row_cells(row) for row in rows]
        for band in letterhead_bands([[plain_text(cell) for cell in row] for row in by_row]):
            columns = [by_row[i] for i in band]
            for index in range(max(map(len, columns), default=0)):
                for cells in columns:
                    if index < len(cells):
                        yield from self._container(cells[index], depth)

    def _data_rows(self, rows: list[etree._Element], depth: int) -> Iterator[Block]:
        above: dict[int, str] = {}  # grid column -> text of the cell that started a vertical merge
        for row in rows:
            cells: list[str] = []
            page: int | None = None
            column = xml_int(child_val(row.find(TRPR), "gridBefore"), 0, 0, 64)
            for cell in row_cells(row):
                tc_pr = cell.find(TCPR)
                span = xml_int(child_val(tc_pr, "gridSpan"), 1, 1, 64)
                v_merge = tc_pr.find(w("vMerge")) if tc_pr is not None else None
                text, cell_page = self._cell_text(cell, depth)
                if v_merge is not None and v_merge.get(VAL, "continue") == "continue":
                    # A vertically merged continuation cell repeats the value above on purpose,
                    # so every row stands on its own; its own (empty) text is dropped.
                    text = above.get(column, "")
                else:
                    above[column] = text
                page = page if page is not None else cell_page
                cells.append(text)
                column += span
            if any(cells):
                yield Block(text=" | ".join(cells), page=page or self.page, kind="table_row", cells=tuple(cells))

    def _cell_text(self, cell: etree._Element, depth: int) -> tuple[str, int | None]:
        """A data cell's paragraphs (nested tables flattened) joined by spaces."""
        blocks = list(self._container(cell, depth, flatten=True))
        page = next((b.page for b in blocks if b.page is not None), None)
        return " ".join(b.text for b in blocks), page


def _symbol(code: str | None) -> str:
    """A ``w:sym`` character; private-use glyphs (Symbol/Wingdings fonts) are decoration."""
    if not code or not re.fullmatch(r"[0-9A-Fa-f]{1,5}", code):
        return ""
    value = int(code, 16)
    if 0xE000 <= value <= 0xF8FF or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return ""
    return chr(value)


def table_rows(tbl: etree._Element, depth: int) -> list[etree._Element]:
    """The rows of a table; :class:`InputError` for tables nested past :data:`MAX_TABLE_DEPTH`."""
    if depth > MAX_TABLE_DEPTH:  # keeps recursion bounded whatever the nesting
        raise InputError(f"DOCX tables are nested more than {MAX_TABLE_DEPTH} deep; refused")
    return [r for r in content_children(tbl) if r.tag == TR]


def row_cells(row: etree._Element) -> list[etree._Element]:
    """The cells of a table row, seen through content controls."""
    return [c for c in content_children(row) if c.tag == TC]


def _is_data_table(rows: list[etree._Element]) -> bool:
    """Column headers in the first row (or the second, under a one-cell caption row)."""
    for row in rows[:2]:
        texts = [plain_text(c) for c in row_cells(row)]
        if is_header_row(texts):
            return True
        if sum(1 for t in texts if t) > 1:
            return False
    return False
