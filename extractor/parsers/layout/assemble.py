"""Blocks in reading order from laid-out pages: the one way out of the layout model.

Page numbers and running lines are marked as furniture, task tables linked over page breaks
and read row by row, two-column blocks read column by column, words split over a line end
joined again; pages read by OCR get the document-level repairs of :mod:`.ocr_fixes`.
"""

from __future__ import annotations

from ..base import Block
from .furniture import mark_page_numbers, mark_running_lines
from .model import Page
from .ocr_fixes import fix_ocr_acronyms, repair_headings, repair_labels, repair_numbers
from .tables import link_tables
from .text import rejoin_hyphens
from .zones import ordered_lines


def assemble_pages(pages: list[Page]) -> list[Block]:
    """Blocks in reading order from pages read by pdfium or by OCR: page furniture marked, task
    tables linked over page breaks, two-column blocks read column by column."""
    fix_ocr_acronyms(pages)
    mark_page_numbers(pages)
    mark_running_lines(pages)
    link_tables(pages)

    blocks: list[Block] = []
    open_zone = False
    previous_number = 0
    for page in pages:
        lines, open_zone = ordered_lines(page, continued=open_zone and page.number == previous_number + 1)
        previous_number = page.number
        rejoin_hyphens(lines)
        # The page's text block: where its body lines start and end (a line's indent and how
        # short it stops are measured from these).
        body = [line for line in lines if line.text and not line.furniture and line.x0 is not None and line.x1 is not None]
        left = min((line.x0 for line in body if line.x0 is not None), default=None)
        right = max((line.x1 for line in body if line.x1 is not None), default=None)
        for line in lines:
            if line.rows is not None:
                for row in line.rows:
                    cells = row.texts()
                    if any(cells):
                        blocks.append(Block(text=" | ".join(cells), page=row.page, kind="table_row", cells=cells))
            elif line.text:
                indent = short_by = None
                if left is not None and right is not None and line.x0 is not None and line.x1 is not None:
                    indent, short_by = round(line.x0 - left, 1), round(right - line.x1, 1)
                blocks.append(Block(text=line.text, page=page.number, kind="line", furniture=line.furniture,
                                    indent=indent, short_by=short_by))
    ocr_pages = {page.number for page in pages if page.ocr}
    return repair_headings(repair_numbers(repair_labels(blocks, ocr_pages), ocr_pages), ocr_pages) if ocr_pages else blocks
