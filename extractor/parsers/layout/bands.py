"""Letterhead bands of layout tables: the rows of a two-column letterhead, to read column by column.

DOCX and HTML notices often set the letterhead in a borderless table, issuer on the left and
the national motto on the right, sometimes one line per row ("UBND TỈNH | CỘNG HÒA ..." then
"SỞ CÔNG THƯƠNG | Độc lập ..."). Read row by row, issuer and motto lines would interleave; the
rows from the national title to the motto form one band, read column by column, so that the
issuer's lines and the motto each stay together. Titles and mottos are matched without
diacritics, as OCR'd and ASCII copies write them too.
"""

from __future__ import annotations

import re

from ...syllables import skeleton

_NATIONAL_TITLE = re.compile(r"cong\s+hoa\s+xa\s+hoi")
_MOTTO = re.compile(r"doc\s+lap\s*\W+\s*tu\s+do")
MAX_BAND_ROWS = 4


def letterhead_bands(rows: list[list[str]]) -> list[list[int]]:
    """Indexes of the rows to read together, given each row's cell texts: a letterhead band from
    the national title row to the motto row (at most :data:`MAX_BAND_ROWS`); every other row is
    a band of its own."""
    bands: list[list[int]] = []
    open_band = False
    for index, cells in enumerate(rows):
        folded = [skeleton(text) for text in cells]
        has_motto = any(_MOTTO.search(t) for t in folded)
        if open_band and len(bands[-1]) < MAX_BAND_ROWS:
            bands[-1].append(index)
            open_band = not has_motto
            continue
        bands.append([index])
        open_band = any(_NATIONAL_TITLE.search(t) for t in folded) and not has_motto
    return bands
