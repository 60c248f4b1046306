"""A page read by OCR as a layout :class:`~.model.Page`, like a page read from a text layer.

OCR's words, in points, are joined into pieces along the engine's own text lines (cut where a
gutter opens, as :func:`..pdf.adapter.split_line` cuts a pdfium line), pieces into rows by
height, and rulings found in the pixels into grids. From there on nothing differs: reading
order (two-column header and signature blocks), page numbers and running lines, task tables
across pages. The words also get the dictionary check (:func:`..ocr.correct_tokens`), each
line with the words around it in reading order.
"""

from __future__ import annotations

from .. import ocr
from .grids import MAX_EDGES, Cell, CellLine, Grid, grids_from_edges, set_room
from .model import MIN_GUTTER, SPLIT_GAP_HEIGHTS, Page, Piece, Row, group_rows
from .text import clean


def _ocr_edge(ruling: ocr.Ruling, k: float) -> dict[str, float | str]:
    """A ruling found in the pixels as a pdfplumber edge in points."""
    x0, x1, top, bottom = ruling.left * k, ruling.right * k, ruling.top * k, ruling.bottom * k
    orientation = "h" if ruling.horizontal else "v"
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "doctop": top, "orientation": orientation, "object_type": "line"}


def _union(words: list[Piece]) -> Piece:
    return Piece(text=" ".join(w.text for w in words), x0=min(w.x0 for w in words), x1=max(w.x1 for w in words),
                 top=min(w.top for w in words), bottom=max(w.bottom for w in words))


def _fill_ocr_grids(grids: list[Grid], lines: list[list[Piece]]) -> None:
    """Put OCR'd words into the cells that hold their centres, one cell line per Tesseract line
    (and cell); lines of a cell that share a baseline are one line."""
    found: dict[int, tuple[Cell, list[list[Piece]]]] = {}
    for line in lines:
        parts: dict[int, list[Piece]] = {}
        for word in line:
            x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            cell = next((c for g in grids if (c := g.locate(x, y)) is not None), None)
            if cell is not None:
                parts.setdefault(id(cell), []).append(word)
                found.setdefault(id(cell), (cell, []))
        for key, words in parts.items():
            found[key][1].append(words)
    for cell, groups in found.values():
        merged: list[list[Piece]] = []
        for words in sorted(groups, key=lambda ws: min(w.top for w in ws)):
            box = _union(words)
            if merged:
                last = _union(merged[-1])
                if min(last.bottom, box.bottom) - max(last.top, box.top) >= 0.5 * min(last.height, box.height):
                    merged[-1].extend(words)
                    continue
            merged.append(list(words))
        for words in merged:
            words.sort(key=lambda w: w.x0)
            box = _union(words)
            text = clean(box.text)
            if text:
                cell.lines.append(CellLine(text=text, x0=box.x0, x1=box.x1, top=box.top, bottom=box.bottom,
                                            first_word_x1=words[0].x1))
    set_room(grids)


def page_from_ocr(number: int, read: ocr.OcrPage) -> Page:
    """The page as read by OCR, laid out like a text layer (points, y down)."""
    k = 72.0 / read.dpi
    page = Page(number=number, width=read.width * k, height=read.height * k, layout=True, ocr=True)
    lines: dict[tuple[int, int, int], list[Piece]] = {}
    # Collocations are checked on Tesseract's words, while their confidences are known (the
    # glyph repair votes with the words as read, before this).
    for word in ocr.fix_unsure_collocations(read.words):
        piece = Piece(text=word.text, x0=word.left * k, x1=word.right * k, top=word.top * k, bottom=word.bottom * k)
        lines.setdefault(word.line, []).append(piece)
    if not lines:
        return page
    heights = sorted(_union(words).height for words in lines.values())
    typical = heights[len(heights) // 2]
    pieces: list[Piece] = []
    for words in lines.values():
        words.sort(key=lambda w: w.x0)
        limit = SPLIT_GAP_HEIGHTS * max(typical, _union(words).height)
        current = [words[0]]
        for word in words[1:]:
            if word.x0 - current[-1].x1 > limit or word.x1 < current[-1].x0:
                pieces.append(_union(current))
                current = []
            current.append(word)
        pieces.append(_union(current))
    for piece in pieces:
        piece.text = clean(piece.text)
    page.rows = group_rows([p for p in pieces if p.text])
    edges = [_ocr_edge(r, k) for r in read.rulings]
    if (
        sum(e["orientation"] == "h" for e in edges) >= 2 and sum(e["orientation"] == "v" for e in edges) >= 2
        and len(edges) <= MAX_EDGES
    ):
        try:
            page.grids = grids_from_edges(edges)
        except (ValueError, AssertionError, KeyError, IndexError, ZeroDivisionError):
            page.grids = []
        if page.grids:
            _fill_ocr_grids(page.grids, list(lines.values()))
    _correct_page(page)
    return page


def _column_neighbours(rows: list[Row]) -> dict[int, tuple[Piece | None, Piece | None]]:
    """For each piece, the nearest piece above and below it in the same column (overlapping it
    horizontally, less than two lines away): where its text comes from and goes on."""
    flat = [(r, piece) for r, row in enumerate(rows) for piece in row.pieces]
    out: dict[int, tuple[Piece | None, Piece | None]] = {}
    for r, piece in flat:
        above = below = None
        for other_r, other in flat:
            reach = 2 * max(piece.height, other.height)
            if other_r == r or min(piece.x1, other.x1) - max(piece.x0, other.x0) < -reach:
                continue  # another column
            if other_r < r and piece.top - other.bottom < reach and (above is None or other.bottom > above.bottom):
                above = other
            elif other_r > r and other.top - piece.bottom < reach and (below is None or other.top < below.top):
                below = other
        out[id(piece)] = (above, below)
    return out


def _correct_page(page: Page) -> None:
    """The dictionary check of OCR'd words (ocr.correct_tokens), each line with the words that
    precede and follow it (in its row, else in its column), each table cell line with those of
    its cell."""
    neighbours = _column_neighbours(page.rows)
    firsts = {id(p): (p.text.split() or [None])[0] for row in page.rows for p in row.pieces}
    for row in page.rows:
        for position, piece in enumerate(row.pieces):
            above, below = neighbours[id(piece)]
            if position and piece.x0 - row.pieces[position - 1].x1 < MIN_GUTTER:
                above = row.pieces[position - 1]
            if position + 1 < len(row.pieces) and row.pieces[position + 1].x0 - piece.x1 < MIN_GUTTER:
                below = row.pieces[position + 1]
            before = (above.text.split() or [None])[-1] if above is not None else None
            after = firsts[id(below)] if below is not None else None
            piece.text = " ".join(ocr.correct_tokens(piece.text.split(), before, after))
    seen: set[int] = set()
    for grid in page.grids:
        for cells in grid.rows:
            for cell in cells:
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                for index, line in enumerate(cell.lines):
                    before = (cell.lines[index - 1].text.split() or [None])[-1] if index else None
                    after = (cell.lines[index + 1].text.split() or [None])[0] if index + 1 < len(cell.lines) else None
                    line.text = " ".join(ocr.correct_tokens(line.text.split(), before, after))
