"""The page-layout model shared by the backends that read pages by geometry (PDF, scans, images).

A backend only has to lay out each page -- pieces of text with their boxes, grouped into rows,
and the page's ruled tables -- as a :class:`Page`; everything after is format-neutral and
lives here, one concern a module:

* :mod:`.model` -- :class:`Piece`, :class:`Row`, :class:`Page`, :class:`Line`; rows from pieces;
* :mod:`.zones` -- reading order: two-column blocks (letterhead, signature) column by column;
* :mod:`.furniture` -- page numbers and running headers/footers;
* :mod:`.grids` -- ruled tables as grids of cells, from ruling edges;
* :mod:`.tables` -- task tables, linked over page breaks;
* :mod:`.text` -- clean-up, words split over a line end;
* :mod:`.from_ocr` -- a page read by OCR as a :class:`Page`;
* :mod:`.ocr_fixes` -- repairs of OCR damage that need the whole document;
* :mod:`.assemble` -- :func:`assemble_pages`, the blocks in reading order;
* :mod:`.bands` -- letterhead bands of layout tables, for the DOCX and HTML backends.
"""

from __future__ import annotations

from .assemble import assemble_pages
from .bands import letterhead_bands
from .from_ocr import page_from_ocr
from .grids import MAX_EDGES, Cell, CellLine, Grid, grids_from_edges, set_room
from .model import MIN_GUTTER, SPLIT_GAP_HEIGHTS, Line, Page, Piece, Row, group_rows, piece_of
from .tables import TableRow
from .text import JOINED_HYPHEN, clean

__all__ = [
    "JOINED_HYPHEN",
    "MAX_EDGES",
    "MIN_GUTTER",
    "SPLIT_GAP_HEIGHTS",
    "Cell",
    "CellLine",
    "Grid",
    "Line",
    "Page",
    "Piece",
    "Row",
    "TableRow",
    "assemble_pages",
    "clean",
    "grids_from_edges",
    "group_rows",
    "letterhead_bands",
    "page_from_ocr",
    "piece_of",
    "set_room",
]
