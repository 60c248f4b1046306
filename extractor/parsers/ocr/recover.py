"""Words in the ink that the page reading left out.

Tesseract's page layout analysis now and then drops a whole line (often one beside a column
gap, as in a signature block) or a lone number in a table cell. Ink that no word covers is cut
out, the pieces are stacked into one strip, and the strip is read as a block of text; each
word found is moved back to where its ink is on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .reread import stack

if TYPE_CHECKING:
    from PIL import Image

    from .types import OcrWord

_MAX_REGIONS = 80
_RECOVER_CONFIDENCE = 50.0


def _regions(cleaned: Image.Image, words: list[OcrWord], dpi: float) -> tuple[list[tuple[int, int, int, int]], int]:
    """Boxes (x0, y0, x1, y1) around ink that no word covers, and the line height used."""
    import numpy as np

    heights = sorted(w.bottom - w.top for w in words if any(c.isalpha() for c in w.text))
    line = int(heights[len(heights) // 2]) if heights else int(12 * dpi / 72)
    line = max(line, 8)
    ink = np.asarray(cleaned, dtype=np.uint8) < 128
    pad = max(2, line // 5)
    for w in words:
        ink[max(0, int(w.top) - pad): int(w.bottom) + pad, max(0, int(w.left) - pad): int(w.right) + pad] = False
    rows = np.flatnonzero(ink.sum(axis=1) >= 2)
    if rows.size == 0:
        return [], line
    regions: list[tuple[int, int, int, int]] = []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for y in rows[1:].tolist():
        if y - bands[-1][1] <= max(2, line // 4):
            bands[-1][1] = y
        else:
            bands.append([y, y])
    for y0, y1 in bands:
        height = y1 - y0 + 1
        if height < 0.35 * line or height > 4 * line:
            continue  # a speck, a rule left over, or a picture (stamp, signature, logo)
        columns = np.flatnonzero(ink[y0 : y1 + 1].any(axis=0))
        groups: list[list[int]] = [[int(columns[0]), int(columns[0])]]
        for x in columns[1:].tolist():
            if x - groups[-1][1] <= 1.5 * line:
                groups[-1][1] = x
            else:
                groups.append([x, x])
        for x0, x1 in groups:
            patch = ink[y0 : y1 + 1, x0 : x1 + 1]
            if x1 - x0 + 1 >= 0.3 * line and patch.sum() >= 0.05 * line * line:
                regions.append((x0, y0, x1 + 1, y1 + 1))
    return regions[:_MAX_REGIONS], line


def recover(cleaned: Image.Image, words: list[OcrWord], dpi: float,
            read: Callable[[Image.Image], list[OcrWord]]) -> list[OcrWord]:
    """Words in the ink the page reading left out (see above); ``read`` reads a strip as one
    block of text, returning nothing when it fails."""

    regions, line = _regions(cleaned, words, dpi)
    if not regions:
        return []
    margin = line
    strip, offsets = stack([cleaned.crop(region) for region in regions], margin)
    found = read(strip)
    out = []
    for word in found:
        middle = (word.top + word.bottom) / 2
        index = min(range(len(regions)), key=lambda i: abs(offsets[i] + (regions[i][3] - regions[i][1]) / 2 - middle))
        x0, y0, _, _ = regions[index]
        if word.confidence < _RECOVER_CONFIDENCE:
            continue
        dx, dy = x0 - margin, y0 - offsets[index]
        moved = replace(word, left=word.left + dx, right=word.right + dx, top=word.top + dy, bottom=word.bottom + dy,
                        line=(100_000 + index, 0, word.line[2]))
        if any(_abut(moved, other, 0.12 * line) for other in words):
            continue  # the rest of a word that was read (a letter its box left out)
        if len(moved.text) == 1 and moved.text.isalpha() and any(
                _abut(moved, other, 0.6 * line) and other.right <= moved.left for other in words):
            continue  # a letter just after a word: the end of that word ("UBND" read as "UBN")
        out.append(moved)
    return out


def _abut(word: OcrWord, other: OcrWord, reach: float) -> bool:
    """``word`` is within ``reach`` of ``other`` on the same text line."""
    if min(word.bottom, other.bottom) - max(word.top, other.top) < 0.3 * min(word.bottom - word.top, other.bottom - other.top):
        return False
    return word.left - other.right < reach and other.left - word.right < reach
