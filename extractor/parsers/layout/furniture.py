"""Page furniture: page numbers and running headers/footers, recognised across a document's pages.

Furniture is kept, marked ``furniture=True``, so that it can be traced; later stages leave it
out of the text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict

from .model import Page, Row

# A line repeated at the same height (points) on this share of pages is a running header/footer.
_REPEAT_TOLERANCE = 4.0
_REPEAT_SHARE = 0.6
# How many lines at the top and bottom of a page may be running headers/footers.
_FURNITURE_BAND = 3

_PAGE_NUMBER = re.compile(
    r"^(?:(?:trang|page)\s*)?[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:/|của|of)\s*\d{1,4})?$", re.IGNORECASE
)


def _page_number_value(text: str) -> int | None:
    match = _PAGE_NUMBER.match(unicodedata.normalize("NFC", text).strip())
    return int(match.group(1)) if match else None


def mark_page_numbers(pages: list[Page]) -> None:
    """A bare number ("2", "- 2 -", "Trang 2", "2/5") that is the first or last line of its
    page, set apart from its neighbour, and that counts pages -- equal to the page's index, or
    off by the same amount on at least three pages. The last condition keeps a table's row
    numbers and quantities that happen to open or close a page."""
    candidates: list[tuple[Page, Row, int]] = []
    for page in pages:
        rows = page.rows
        ends = [(0, 1)] + ([(len(rows) - 1, len(rows) - 2)] if len(rows) > 1 else [])
        for index, neighbour in ends:
            row = rows[index]
            value = _page_number_value(row.text)
            if value is None:
                continue
            if 0 <= neighbour < len(rows):
                other = rows[neighbour]
                gap = other.top - row.bottom if neighbour > index else row.top - other.bottom
                in_margin = row.bottom < 0.1 * page.height or row.top > 0.9 * page.height
                if gap < 0.4 * row.height and not in_margin:
                    continue
            candidates.append((page, row, value))
    offsets: dict[int, set[int]] = defaultdict(set)
    for page, _, value in candidates:
        offsets[value - page.number].add(page.number)
    # Numbering recurs: one match in a long document is a coincidence (a table cell "13" on
    # page 13), but a two-page notice numbers only its second page.
    needed = min(2, max(1, len(pages) - 1))
    accepted = {
        offset for offset, numbers in offsets.items() if len(numbers) >= (needed if offset == 0 else max(3, needed))
    }
    for page, row, value in candidates:
        if value - page.number in accepted:
            row.furniture = True


def mark_running_lines(pages: list[Page]) -> None:
    """Lines near the top or bottom edge that recur at the same height on most pages."""
    if len(pages) < 2:
        return
    needed = max(2, math.ceil(_REPEAT_SHARE * len(pages)))
    seen: dict[str, list[tuple[int, float, Row]]] = defaultdict(list)
    for page in pages:
        rows = [r for r in page.rows if not r.furniture]
        band = rows[:_FURNITURE_BAND] + rows[max(_FURNITURE_BAND, len(rows) - _FURNITURE_BAND) :]
        for row in band:
            key = re.sub(r"\d+", "#", unicodedata.normalize("NFC", row.text).casefold())
            key = re.sub(r"\s+", " ", key).strip()
            # Bare numbers are page numbers or table cells, judged above, not running headers.
            if sum(c.isalpha() for c in key) >= 2:
                seen[key].append((page.number, row.top, row))
    for occurrences in seen.values():
        if len({number for number, _, _ in occurrences}) < needed:
            continue
        occurrences.sort(key=lambda o: o[1])
        # Cluster by height: the same text at different places is not a running header.
        cluster: list[tuple[int, float, Row]] = []
        for occurrence in [*occurrences, None]:
            if occurrence is not None and (not cluster or occurrence[1] - cluster[-1][1] <= _REPEAT_TOLERANCE):
                cluster.append(occurrence)
                continue
            if len({number for number, _, _ in cluster}) >= needed:
                for _, _, row in cluster:
                    row.furniture = True
            cluster = [occurrence] if occurrence is not None else []
