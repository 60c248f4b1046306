"""Reading order on a page: rows top to bottom, but two-column blocks one column at a time.

Only page 1 (issuer | national motto), signature blocks ("Nơi nhận:" | "KT. CHỦ TỊCH") and the
rest of a signature block that runs over a page break are read as two columns: each column
of such a block is read top to bottom, left column first. Everything else is read row by row,
so that a table-like layout elsewhere keeps its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...letterhead import AUTHORITY
from .model import MIN_GUTTER, Line, Page, Piece, Row

# A two-column block ends at a vertical gap larger than this many line heights.
_ZONE_GAP_HEIGHTS = 1.5
_RECIPIENTS = re.compile(r"^Nơi\s*nhận", re.IGNORECASE)
_SALUTATION = re.compile(r"^Kính\s*gửi", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[-+•–]")


@dataclass(slots=True)
class _Zone:
    start: int
    end: int  # exclusive
    gutter: tuple[float, float]
    header: bool = False


def _widest_gap(row: Row) -> tuple[float, float] | None:
    best: tuple[float, float] | None = None
    reach = row.pieces[0].x1
    for piece in row.pieces[1:]:
        if piece.x0 - reach >= MIN_GUTTER and (best is None or piece.x0 - reach > best[1] - best[0]):
            best = (reach, piece.x0)
        reach = max(reach, piece.x1)
    return best


def _sides(row: Row, gutter: tuple[float, float]) -> tuple[list[Piece], list[Piece]] | None:
    """The row's pieces left and right of the gutter, or None if one crosses it."""
    left_edge, right_edge = gutter
    middle = (left_edge + right_edge) / 2
    left, right = [], []
    for piece in row.pieces:
        fits_left, fits_right = piece.x1 <= right_edge, piece.x0 >= left_edge
        if fits_left and (not fits_right or (piece.x0 + piece.x1) / 2 <= middle):
            left.append(piece)
        elif fits_right:
            right.append(piece)
        else:
            return None
    return left, right


def _find_zone(rows: list[Row], start: int, *, header: bool) -> _Zone | None:
    """The two-column block that starts at ``rows[start]``: its gutter is the widest gap of
    the first split line among the next three; it extends while no line crosses the gutter and
    no blank of more than ~1.5 lines opens (the body, or "Kính gửi", follows)."""
    gutter = None
    for row in rows[start : start + 3]:
        if not row.furniture and (gutter := _widest_gap(row)):
            break
    if gutter is None:
        return None
    left_edge, right_edge = gutter
    end = start
    last_two_sided = start
    crossed: Row | None = None
    heights: list[float] = []
    for index in range(start, len(rows)):
        row = rows[index]
        if row.furniture:
            break
        if heights:
            limit = _ZONE_GAP_HEIGHTS * sorted(heights)[len(heights) // 2]
            if row.top - rows[index - 1].bottom > limit:
                break
        if header and _SALUTATION.match(row.text):
            break
        sides = _sides(row, (left_edge, right_edge))
        if sides is None or row.table is not None:
            crossed = row
            break
        left, right = sides
        new_left = max([left_edge, *(p.x1 for p in left)])
        new_right = min([right_edge, *(p.x0 for p in right)])
        if new_left >= new_right:
            crossed = row
            break
        left_edge, right_edge = new_left, new_right
        heights.append(row.height)
        if right:
            last_two_sided = index
        end = index + 1
    if end == start:
        return None
    if header and crossed is not None:
        # Left-only lines that run straight into a full-width line starting at the same x open
        # that paragraph ("V/v ..." set across the page below the columns): not the left column.
        while end - 1 > last_two_sided and abs(rows[end - 1].pieces[0].x0 - crossed.pieces[0].x0) <= 2.0:
            end -= 1
    if not header:
        # After the signer's name only the recipients list goes on: "- item" lines, or lines
        # aligned with it; anything else ("Phụ lục số 01:") is the next part of the document.
        list_x0 = min(row.pieces[0].x0 for row in rows[start:end])
        for index in range(last_two_sided + 1, end):
            first = rows[index].pieces[0]
            if not (_LIST_ITEM.match(first.text) or abs(first.x0 - list_x0) <= 2.0):
                end = index
                break
        # A title line set just above "Nơi nhận:" on the right ("TM. ỦY BAN NHÂN DÂN").
        while start > 0:
            previous = rows[start - 1]
            if previous.furniture or rows[start].top - previous.bottom > _ZONE_GAP_HEIGHTS * previous.height:
                break
            if not all(p.x0 >= left_edge for p in previous.pieces):
                break
            start -= 1
    return _Zone(start=start, end=end, gutter=(left_edge, right_edge), header=header)


def _is_signature_anchor(row: Row, width: float) -> bool:
    if _RECIPIENTS.match(row.pieces[0].text):
        return True
    return any(p.x0 > 0.4 * width and AUTHORITY.match(p.text) for p in row.pieces)


def _zones(page: Page, *, continued: bool) -> list[_Zone]:
    """Two-column blocks of the page: the header on page 1, signature blocks anywhere, and --
    when the previous page ended inside a signature block (``continued``) -- its rest at the
    top of this page."""
    rows = page.rows
    zones: list[_Zone] = []
    position = 0
    first = next((i for i, row in enumerate(rows) if not row.furniture), None)
    if first is not None and (page.number == 1 or continued):
        zone = _find_zone(rows, first, header=page.number == 1)
        if zone is not None:
            zones.append(zone)
            position = zone.end
    while position < len(rows):
        anchor = next(
            (i for i in range(position, len(rows)) if not rows[i].furniture and _is_signature_anchor(rows[i], page.width)),
            None,
        )
        if anchor is None:
            break
        zone = _find_zone(rows, anchor, header=False)
        if zone is None:
            position = anchor + 1
            continue
        zone.start = max(zone.start, position)
        zones.append(zone)
        position = zone.end
    return zones


def ordered_lines(page: Page, *, continued: bool = False) -> tuple[list[Line], bool]:
    """Rows top to bottom, except that a two-column block is read left column first. Also
    says whether the page ends inside a signature block, which then goes on overleaf."""
    lines: list[Line] = []
    zones = _zones(page, continued=continued) if page.layout else []
    by_start = {zone.start: zone for zone in zones}
    index = 0
    while index < len(page.rows):
        zone = by_start.get(index)
        if zone is None:
            row = page.rows[index]
            lines.append(Line("", rows=row.table) if row.table is not None else
                         Line(row.text, row.furniture, x0=min((p.x0 for p in row.pieces), default=None),
                              x1=max((p.x1 for p in row.pieces), default=None)))
            index += 1
            continue
        left_lines, right_lines = [], []
        for row in page.rows[zone.start : zone.end]:
            sides = _sides(row, zone.gutter)
            left, right = sides if sides is not None else (row.pieces, [])
            if left:
                left_lines.append(Line(" ".join(p.text for p in left)))
            if right:
                right_lines.append(Line(" ".join(p.text for p in right)))
        lines.extend(left_lines + right_lines)
        index = zone.end
    body_end = max((i + 1 for i, row in enumerate(page.rows) if not row.furniture), default=0)
    return lines, bool(zones) and not zones[-1].header and zones[-1].end >= body_end
