"""Ruled tables on a page: the grid of cells their rulings make, and the text lines in each cell.

Plans and conclusions list their tasks in ruled tables (STT | Nội dung | Cơ quan chủ trì | …).
Such a table is found from its rulings, never from text alignment, so that the borderless
letterhead and signature tables (no rulings) stay ordinary lines. The rulings come as
pdfplumber edges in reading space: from pdfium's path objects for a text PDF
(:mod:`..pdf.rulings`), from long runs of ink for a scan (:mod:`..ocr.rulings`). pdfplumber's
lattice algorithm (snap and join edges, intersections, smallest cells, tables: what
``page.find_tables()`` runs) is fed those edges directly: letting pdfplumber parse the page
itself would cost its pdfminer layout (~50 ms a page, as much as the whole pipeline spends on
a notice); the geometry step alone costs well under a millisecond.

Whether a table is a task table, or the continuation of one from the page before, is decided
once all pages are read (:mod:`.tables`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ...tablevocab import join_cell

MAX_EDGES = 4000  # more rulings than this on a page: a drawing, not a document with tables
_CELL_PAD = 6.0  # Word and LibreOffice inset cell text by ~5.5 pt on each side by default


@dataclass(slots=True)
class CellLine:
    """One visual line of text inside a cell."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word_x1: float | None = None  # where the line's first word ends
    room: float = 0.0  # width the cell leaves for text

    def wraps_into(self, following: CellLine) -> bool:
        """True when ``following`` goes on the same paragraph: its first word would not have
        fitted at the end of this line, so the line was broken for want of room."""
        word = (following.first_word_x1 or following.x1) - following.x0
        space = 0.2 * (self.bottom - self.top)
        return (self.x1 - self.x0) + space + word > self.room - 1.0


@dataclass(slots=True)
class Cell:
    """One cell of a ruled table: its box and the text lines found in it."""

    x0: float
    x1: float
    top: float
    bottom: float
    lines: list[CellLine] = field(default_factory=list)

    def text(self) -> str:
        """Wrapped lines joined by a space; separate entries (a line that ended with room to
        spare) as :func:`extractor.tablevocab.join_cell` joins cell lines, so that TXT, DOCX and PDF
        cells read alike ("Đỗ Văn A; Vũ Thị B")."""
        entries: list[str] = []
        for index, line in enumerate(self.lines):
            if index and self.lines[index - 1].wraps_into(line):
                entries[-1] += " " + line.text
            else:
                entries.append(line.text)
        return join_cell(entries)


@dataclass(slots=True)
class Grid:
    """A ruled table on one page. ``rows[r][c]`` is the cell that starts in column ``c`` and
    covers row ``r`` (a vertically merged cell sits in every row it spans: its value repeats);
    None where a cell spanning from the left covers the position, or nothing does: read as an
    empty cell, so that every row keeps the header's columns (DOCX drops it instead)."""

    x0: float
    x1: float
    top: float
    bottom: float
    xs: list[float]
    ys: list[float]
    owner: list[list[Cell | None]]  # row, column -> the cell covering that position
    rows: list[list[Cell | None]]

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    def locate(self, x: float, y: float) -> Cell | None:
        if not (self.x0 <= x <= self.x1 and self.top <= y <= self.bottom):
            return None
        r = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owner[r][c]


def _nearest(values: list[float], value: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - value))


def grids_from_edges(found: list[dict[str, float | str]]) -> list[Grid]:
    """Ruled tables of at least two columns, top to bottom, from edges in reading space."""
    from pdfplumber import table as lattice
    from pdfplumber.utils import filter_edges

    edges = lattice.merge_edges(found, 3, 3, 3, 3)
    edges = filter_edges(edges, min_length=3)
    cells = lattice.intersections_to_cells(lattice.edges_to_intersections(edges, 3, 3))
    grids: list[Grid] = []
    for boxes in lattice.cells_to_tables(cells):
        xs = sorted({round(v, 2) for box in boxes for v in (box[0], box[2])})
        ys = sorted({round(v, 2) for box in boxes for v in (box[1], box[3])})
        if len(xs) < 3:  # one row is enough: the part of a table that a page break left over
            continue
        owner: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        rows: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for x0, top, x1, bottom in boxes:
            c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
            r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
            cell = Cell(x0=x0, x1=x1, top=top, bottom=bottom)
            for r in range(r0, r1):
                rows[r][c0] = cell
                for c in range(c0, c1):
                    owner[r][c] = cell
        grids.append(Grid(x0=xs[0], x1=xs[-1], top=ys[0], bottom=ys[-1], xs=xs, ys=ys, owner=owner, rows=rows))
    return sorted(grids, key=lambda g: (g.top, g.x0))


def set_room(grids: list[Grid]) -> None:
    """The room a cell leaves for text: its width less the column's inset on both sides, the
    inset measured on the column's left-aligned lines (at most the usual default)."""
    for grid in grids:
        insets: dict[int, float] = {}
        for row in grid.rows:
            for c, cell in enumerate(row):
                for line in cell.lines if cell is not None else ():
                    insets[c] = min(insets.get(c, _CELL_PAD), max(line.x0 - cell.x0, 0.0))
        for row in grid.rows:
            for c, cell in enumerate(row):
                for line in cell.lines if cell is not None else ():
                    line.room = cell.x1 - cell.x0 - 2 * insets.get(c, _CELL_PAD)
