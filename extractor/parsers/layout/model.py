"""The layout model every page is read into, whatever read it: pieces, rows, pages, lines.

A text PDF page (pdfium's characters), a scanned page (OCR's words) and an image file all
become a :class:`Page` of :class:`Row` of :class:`Piece`, in points with y growing downwards;
from there on reading order, page furniture and task tables are handled by the same code
(:mod:`.assemble`), so a scan and its text PDF read alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grids import Grid
    from .tables import TableRow

# Two columns are separated by at least this much white space (points); the gap between the
# issuer and the national motto in a header is ~50 pt, between justified words < 12 pt.
MIN_GUTTER = 24.0
# Inside a line, a jump of this many line heights (or backwards) starts a new piece: a word
# space is ~0.25 of the height, a blank left for a hand-written date ~1.1, a gutter ~4.
SPLIT_GAP_HEIGHTS = 0.8


@dataclass(slots=True)
class Piece:
    """A run of text on one line, in display coordinates (points, y grows downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(slots=True)
class Row:
    """Pieces that share a baseline, left to right."""

    pieces: list[Piece]
    top: float
    bottom: float
    furniture: bool = False
    # A task table stands in the page's rows as one row that carries the table's rows.
    table: list[TableRow] | None = None

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass(slots=True)
class Page:
    """One page: its rows top to bottom, its ruled tables, and how it was read (``layout``: with
    per-character boxes, so two-column blocks can be found; ``ocr``: by OCR)."""

    number: int
    width: float
    height: float
    rows: list[Row] = field(default_factory=list)
    layout: bool = False
    grids: list[Grid] = field(default_factory=list)
    ocr: bool = False  # read by OCR: its words get the dictionary check (see ocr.correct_tokens)


@dataclass(slots=True)
class Line:
    """A line of a page in reading order (or, with ``rows``, a task table read at that point)."""

    text: str
    furniture: bool = False
    rows: list[TableRow] | None = None  # a task table, read at this point
    # Where the line starts and ends on the page (points), for a line of the page's width; None
    # for a line of a two-column block, whose margins are its column's.
    x0: float | None = None
    x1: float | None = None


def piece_of(text: str, boxes: list[tuple[float, float, float, float]]) -> Piece:
    """The piece of ``text`` whose characters have the (x0, x1, top, bottom) ``boxes``."""
    return Piece(
        text=text,
        x0=min(b[0] for b in boxes),
        x1=max(b[1] for b in boxes),
        top=min(b[2] for b in boxes),
        bottom=max(b[3] for b in boxes),
    )


def group_rows(pieces: list[Piece]) -> list[Row]:
    """Group pieces that overlap vertically by at least half the smaller height."""
    rows: list[Row] = []
    for piece in sorted(pieces, key=lambda p: (p.top, p.x0)):
        row = rows[-1] if rows else None
        if row is not None:
            # Measured against the row's first piece, not its union, so that a signature line
            # set between two lines of "Nơi nhận" does not chain them into one row.
            anchor = row.pieces[0]
            overlap = min(anchor.bottom, piece.bottom) - max(anchor.top, piece.top)
            # Nor may a tall anchor (a signature title in 14 pt beside 11 pt recipients) take in
            # a piece that sits below another piece of the row, in the same column.
            stacked = any(min(other.x1, piece.x1) > max(other.x0, piece.x0)
                          and piece.top >= other.bottom - 0.3 * min(other.height, piece.height) for other in row.pieces)
            if overlap >= 0.5 * min(piece.height, anchor.height) and not stacked:
                row.pieces.append(piece)
                row.top = min(row.top, piece.top)
                row.bottom = max(row.bottom, piece.bottom)
                continue
        rows.append(Row(pieces=[piece], top=piece.top, bottom=piece.bottom))
    for row in rows:
        row.pieces.sort(key=lambda p: p.x0)
    return rows
