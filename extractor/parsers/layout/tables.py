"""Task tables: a page's ruled tables whose header names task columns, followed over page breaks.

A task table replaces the page's lines inside its grid with one row standing for the table;
its rows become ``table_row`` blocks. Word repeats a header row on each page only when asked
to, and breaks a row across pages: both are undone here, so that a table split over pages
reads as one. Ruled tables of other kinds stay lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ...tablevocab import is_task_header
from .grids import Cell, Grid
from .model import Page, Piece, Row


@dataclass(slots=True)
class TableRow:
    """One row of a task table: the cells under the header's columns, on the page it was read."""

    page: int
    cells: list[Cell | None]

    def texts(self) -> tuple[str, ...]:
        return tuple(cell.text() if cell is not None else "" for cell in self.cells)


@dataclass(slots=True)
class _TaskTable:
    header: tuple[str, ...]
    columns: int
    rows: list[TableRow]
    page: int = 0
    bottom: float = 0.0


def _same_header(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same header row, allowing for what OCR may have misread or missed in a cell."""
    x = [re.sub(r"\s+", " ", v).casefold() for v in a]
    y = [re.sub(r"\s+", " ", v).casefold() for v in b]
    if x == y:
        return True
    if len(x) != len(y):
        return False
    return difflib.SequenceMatcher(None, " | ".join(x), " | ".join(y), autojunk=False).ratio() >= 0.85


def _continue_table(table: _TaskTable, rows: list[TableRow]) -> list[TableRow]:
    """The rows of a table part that goes on from ``table`` on the next page: a header row that
    Word repeats on every page is dropped, and a row broken by the page (its first cell empty
    here) is merged into the row it continues. Returns the rows that remain."""
    if rows and _same_header(rows[0].texts(), table.header):
        rows = rows[1:]
    if not rows or len(table.rows) < 2:
        return rows
    first, previous = rows[0], table.rows[-1]
    texts = first.texts()
    # An empty first cell also marks a table whose index column is blank throughout: then the
    # row is a continuation only if its text goes on in lower case.
    if texts[0] or not any(texts):
        return rows
    if not previous.texts()[0] and not any(t[:1].islower() for t in texts if t):
        return rows
    for c, (old, new) in enumerate(zip(previous.cells, first.cells, strict=False)):
        if new is None or not new.lines:
            continue
        if old is None:
            previous.cells[c] = new
        else:  # a new cell, so that rows above sharing a merged cell keep their value
            previous.cells[c] = Cell(x0=old.x0, x1=old.x1, top=old.top, bottom=old.bottom, lines=old.lines + new.lines)
    return rows[1:]


def _place_table(page: Page, grid: Grid, rows: list[TableRow]) -> None:
    """Replace the page's lines inside the grid with one row standing for the table."""
    kept: list[Row] = []
    position: int | None = None
    for row in page.rows:
        middle = (row.top + row.bottom) / 2
        if grid.top <= middle <= grid.bottom and row.table is None:
            outside = [p for p in row.pieces if not grid.x0 <= (p.x0 + p.x1) / 2 <= grid.x1]
            if len(outside) < len(row.pieces):
                if position is None:
                    position = len(kept)
                if outside:
                    kept.append(Row(pieces=outside, top=row.top, bottom=row.bottom, furniture=row.furniture))
                continue
        kept.append(row)
    if position is None:
        position = next((i for i, row in enumerate(kept) if row.top > grid.top), len(kept))
    stand_in = Piece(text="", x0=grid.x0, x1=grid.x1, top=grid.top, bottom=grid.bottom)
    kept.insert(position, Row(pieces=[stand_in], top=grid.top, bottom=grid.bottom, table=rows))
    page.rows = kept


def link_tables(pages: list[Page]) -> None:
    """Turn task tables into rows, following a table over page breaks: a table at the top of a
    page, right after a page that ended in a task table with the same number of columns, is the
    rest of that table (Word gives it no header row unless asked to repeat it)."""
    open_table: _TaskTable | None = None
    previous_number = 0
    for page in pages:
        carried = open_table if page.number == previous_number + 1 else None
        previous_number = page.number
        open_table = None
        body = [row for row in page.rows if not row.furniture]
        for index, grid in enumerate(page.grids):
            rows = [TableRow(page=page.number, cells=list(cells)) for cells in grid.rows]
            header = rows[0].texts()
            at_top = not any((row.top + row.bottom) / 2 < grid.top for row in body)
            task = is_task_header(list(header))
            if (
                index == 0 and carried is not None and at_top and grid.columns == carried.columns
                and (not task or _same_header(header, carried.header))  # a header Word repeats
            ):
                table = carried
                rows = _continue_table(table, rows)
                table.rows.extend(rows)
            elif task:
                table = _TaskTable(header=header, columns=grid.columns, rows=list(rows))
            else:
                open_table = None
                continue
            table.page, table.bottom = page.number, grid.bottom
            open_table = table
            _place_table(page, grid, rows)
        if open_table is not None and any((row.top + row.bottom) / 2 > open_table.bottom for row in body):
            open_table = None  # text after the table: it has ended
