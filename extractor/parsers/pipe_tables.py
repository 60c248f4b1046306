"""Tables in plain text. Text exported from Word or PDF writes a table one cell per line with a
line holding only "|" between cells; a row's last cell and the next row's first cell are then
separated by a line break only (or a blank line). Markdown writes "a | b | c" on one line.

Rows of a table whose header names task columns (:func:`extractor.tablevocab.is_task_header`) become ``table_row``
blocks; other "|" lines (layout tables of the header block) are left as they are.
"""

from __future__ import annotations

import re

from ..tablevocab import is_task_header, join_cell
from .base import Block

_BAR = re.compile(r"^\s*\|\s*$")
_MD_ROW = re.compile(r"^\s*\|?[^|]+(?:\|[^|]*){2,}\|?\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _md_cells(line: str) -> list[str]:
    return [re.sub(r"\s+", " ", _CELL_BREAK.sub(" ", c)).strip() for c in line.strip().strip("|").split("|")]


def _layout_row_lines(line: str) -> list[str]:
    """A Markdown row of a layout table (the two-column letterhead): each cell's lines in turn,
    left column first, as the columns are read on paper."""
    return [piece.strip() for cell in line.strip().strip("|").split("|") for piece in _CELL_BREAK.split(cell) if piece.strip()]


def _split_boundary(chunk: list[str]) -> tuple[list[str], list[str]]:
    """Lines between two bars that hold a row's last cell and the next row's first cell."""
    blanks = [i for i, line in enumerate(chunk) if not line.strip()]
    if blanks:
        cut = blanks[-1]
        # A blank line at the very end: the next row starts with an empty cell.
        return chunk[:cut], chunk[cut + 1:]
    if len(chunk) >= 2:
        return chunk[:-1], chunk[-1:]
    return chunk, []


def rebuild_tables(lines: list[str], page_of: list[int]) -> list[Block]:
    """Blocks of ``lines``, with task tables turned into ``table_row`` blocks."""
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        # Markdown-style rows on one line.
        if _MD_ROW.match(lines[i]) and not _BAR.match(lines[i]):
            cells = _md_cells(lines[i])
            if is_task_header(cells):
                j = i + 1
                rows = [cells]
                while j < n and _MD_ROW.match(lines[j]):
                    if not _MD_RULE.match(lines[j]):
                        rows.append(_md_cells(lines[j]))
                    j += 1
                blocks.extend(Block(text=" | ".join(r), page=page_of[i], kind="table_row", cells=tuple(r)) for r in rows)
                i = j
                continue
            if lines[i].lstrip().startswith("|") or lines[i].rstrip().endswith("|"):
                # A Markdown layout row ("| ỦY BAN … <br> Số: … | CỘNG HÒA … |"): its cells' lines.
                if not _MD_RULE.match(lines[i]):
                    blocks.extend(Block(text=t, page=page_of[i], kind="line") for t in _layout_row_lines(lines[i]))
                i += 1
                continue
        # One cell per line, bars between cells.
        if i + 1 < n and _BAR.match(lines[i + 1]) and lines[i].strip():
            header, j = _read_header(lines, i)
            if header and is_task_header(header):
                rows, j = _read_rows(lines, j, len(header))
                blocks.append(Block(text=" | ".join(header), page=page_of[i], kind="table_row", cells=tuple(header)))
                blocks.extend(Block(text=" | ".join(c for c in r), page=page_of[min(i, n - 1)], kind="table_row",
                                    cells=tuple(r)) for r in rows)
                i = j
                continue
        blocks.append(Block(text=lines[i], page=page_of[i], kind="line"))
        i += 1
    return blocks


def _read_header(lines: list[str], i: int) -> tuple[list[str], int]:
    """Header cells from line ``i``: single lines separated by bars up to a blank line."""
    cells = [lines[i].strip()]
    j = i + 1
    while j + 1 < len(lines) and _BAR.match(lines[j]) and lines[j + 1].strip() and not _BAR.match(lines[j + 1]):
        cells.append(lines[j + 1].strip())
        j += 2
        if j < len(lines) and not _BAR.match(lines[j]):
            break
    return cells, j


def _read_rows(lines: list[str], j: int, width: int) -> tuple[list[list[str]], int]:
    """Rows of ``width`` cells after the header; returns them and the index past the table."""
    # Gather chunks between bars until the bars stop.
    chunks: list[list[str]] = []
    current: list[str] = []
    k = j
    last_bar = j
    while k < len(lines):
        if _BAR.match(lines[k]):
            chunks.append(current)
            current = []
            last_bar = k
        else:
            current.append(lines[k])
            if sum(1 for x in current if x.strip()) > 12 and k - last_bar > 12:
                break  # no bar for long: the table has ended
        k += 1
    # After the last bar: the last cell (up to a blank line), then ordinary text again.
    tail: list[str] = []
    k = last_bar + 1
    while k < len(lines) and lines[k].strip() and len(tail) < 3:
        tail.append(lines[k])
        k += 1
    end = k
    chunks.append(tail)
    # The first chunk holds the rest of the header's last cell line break and the first row's
    # first cell; the split of every width-th chunk separates rows.
    cells: list[list[str]] = []
    first_after_header = _split_boundary(chunks[0])[1] if chunks else []
    row: list[str] = [join_cell(first_after_header)]
    for idx, chunk in enumerate(chunks[1:], start=1):
        if len(row) == width - 1 and idx < len(chunks) - 1:
            last, nxt = _split_boundary(chunk)
            row.append(join_cell(last))
            cells.append(row)
            row = [join_cell(nxt)]
        else:
            row.append(join_cell(chunk))
    if any(c for c in row):
        cells.append((row + [""] * width)[:width])
    return [r for r in cells if any(c for c in r)], end
