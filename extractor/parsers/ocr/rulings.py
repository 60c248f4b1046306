"""Ruled tables found in the pixels of a page image.

Long straight runs of ink become the same edges that pdfium's path objects give for a text
PDF, so task tables in scans are read cell by cell too (see :mod:`..layout.from_ocr`). The
rulings are whitened before OCR: Tesseract reads a cell border next to a word as "|", "l" or
"1".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .types import Ruling

if TYPE_CHECKING:
    from PIL import Image

# A run of ink at least this long (points) is a ruling, not part of a letter.
_MIN_RULE_H = 20.0
_MIN_RULE_V = 14.0
_MAX_RULE_THICKNESS = 4.0  # points; thicker dark runs are shapes (a black border, a photo)
_MAX_RUNS = 60_000  # more long runs than this: a photo or halftone, not a document with tables


def _runs(mask, min_length: int):  # type: ignore[no-untyped-def]
    """(row, start, end) of horizontal runs of True at least ``min_length`` long."""
    import numpy as np

    rows, width = mask.shape
    padded = np.zeros((rows, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    start_rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    long = (ends - starts) >= min_length
    return start_rows[long], starts[long], ends[long]


def _segments(rows, starts, ends, max_thickness: float) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    """Runs in consecutive rows that overlap make one stroke: (along0, along1, across0, across1).
    Thick filled strokes (a black band, a photo) are dropped; a slightly skewed thin ruling
    (a staircase of runs) is kept."""
    strokes: list[list[float]] = []  # [start, end, first row, last row, ink]
    open_strokes: list[list[float]] = []
    for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        open_strokes = [s for s in open_strokes if s[3] >= row - 1]
        for stroke in open_strokes:
            if stroke[3] < row and min(stroke[1], end) - max(stroke[0], start) >= 0.5 * min(stroke[1] - stroke[0], end - start):
                stroke[0], stroke[1] = min(stroke[0], start), max(stroke[1], end)
                stroke[3] = row
                stroke[4] += end - start
                break
        else:
            stroke = [start, end, row, row, end - start]
            strokes.append(stroke)
            open_strokes.append(stroke)
    out = []
    for start, end, first, last, ink in strokes:
        thickness = last - first + 1
        if thickness > max_thickness and ink / ((end - start) * thickness) > 0.5:
            continue
        # The ruling's position across: the middle of its ink (for a staircase, of its extent).
        middle = (first + last + 1) / 2
        out.append((start, end, middle, thickness))
    return out


def find_rulings(image: Image.Image, dpi: float) -> list[Ruling]:
    """Long thin straight strokes of ink: the borders of ruled tables (and underlines, which
    form no grid and are ignored later)."""
    import numpy as np

    pixels = np.asarray(image, dtype=np.uint8)
    ink = pixels < 128
    per_point = dpi / 72
    rulings: list[Ruling] = []
    for horizontal in (True, False):
        mask = ink if horizontal else ink.T
        rows, starts, ends = _runs(mask, int((_MIN_RULE_H if horizontal else _MIN_RULE_V) * per_point))
        if len(rows) > _MAX_RUNS:
            return []
        for start, end, middle, _ in _segments(rows, starts, ends, _MAX_RULE_THICKNESS * per_point):
            if horizontal:
                rulings.append(Ruling(left=start, top=middle, right=end, bottom=middle))
            else:
                rulings.append(Ruling(left=middle, top=start, right=middle, bottom=end))
    return rulings


def erase_rulings(image: Image.Image, rulings: list[Ruling], dpi: float) -> Image.Image:
    """A copy with the rulings painted white, so that Tesseract does not read them as letters."""
    from PIL import ImageDraw

    if not rulings:
        return image
    cleaned = image.copy()
    draw = ImageDraw.Draw(cleaned)
    half = max(2.0, 0.8 * dpi / 72)  # rulings are ~0.5-1 pt; a little more takes anti-aliasing
    for r in rulings:
        draw.rectangle((r.left - half, r.top - half, r.right + half, r.bottom + half), fill=255)
    return cleaned
