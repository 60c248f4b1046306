"""Repairs of OCR damage that only the whole document shows: acronyms, Roman numerals, list
letters and numbers.

Each line's words are checked as they are read (:mod:`..ocr.correction`); what needs the
document is done here, once all its pages are laid out: an acronym misread once takes the
spelling the document uses elsewhere; Roman-numbered headings, numbered and lettered list items
whose labels OCR misread take the numbers and letters that fit between their neighbours.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from ...vnnum import roman_numeral, roman_value
from .. import ocr
from ..base import Block
from .grids import CellLine
from .model import Page

MAX_SECTIONS = 15  # Roman-numbered sections of a notice: I to XV
_ROMAN_HEADING = re.compile(r"^([IVXHLl1|\[\]!]{1,5})(\.?)\s+(\S+)")
# A capital "L" for "I" only in a heading written "L. Về …": "L" is no Roman numeral of a notice.
_ROMAN_LOOKALIKE = {**ocr.ROMAN_LOOKALIKE, ord("L"): "I"}


def _heading_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _roman_heading(block: Block, ocr: bool) -> tuple[re.Match[str], int] | None:
    """The heading's label and its value (0: no numeral), if the line is a Roman-numbered heading:
    a heading in capitals ("II NHIỆM VỤ"), or one in sentence case with its period ("I. Về …")."""
    m = _ROMAN_HEADING.match(block.text)
    if m is None or not (_heading_word(m.group(3)) or (m.group(2) and m.group(3)[:1].isupper())):
        return None
    if not any(c in "IVX" for c in m.group(1)) and not (ocr and m.group(1) == "L" and m.group(2)):
        return None
    numeral = m.group(1).translate(_ROMAN_LOOKALIKE) if ocr else m.group(1)
    value = roman_value(numeral) or 0
    return m, value if value <= MAX_SECTIONS else 0


def repair_headings(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
    """Roman-numbered headings ("II. NHIỆM VỤ") that OCR misread ("I[.", "II NHIỆM", "L. Về", a
    third "I" lost, a stroke added): numerals are written with I, V, X only, they count up, and
    they start at I."""
    out = list(blocks)
    previous = 0
    found: list[tuple[int, re.Match[str], int]] = []  # the OCR'd headings: block, label, value
    for i, block in enumerate(out):
        if block.kind != "line" or block.furniture:
            continue
        heading = _roman_heading(block, block.page in ocr_pages)
        if heading is None:
            continue
        m, value = heading
        if block.page in ocr_pages and previous and value <= previous < MAX_SECTIONS:
            value = previous + 1  # "I.", "II.", then "II." again: the third
        if not value:
            continue
        if block.page in ocr_pages:
            found.append((i, m, value))
        previous = value
    values = [value for _, _, value in found]
    if len(values) >= 2 and values == list(range(2, len(values) + 2)) and not _first_misread(out[:found[0][0]]):
        # "II. ĐÁNH GIÁ", "III. NHIỆM VỤ" and no "I.": a stroke too many on the first, and the
        # second taken as the third; sections are numbered from I.
        found = [(i, m, value - 1) for i, m, value in found]
    for i, m, value in found:
        text = f"{roman_numeral(value)}. " + out[i].text[m.start(3):]
        if text != out[i].text:
            out[i] = replace(out[i], text=text)
    return out


def _first_misread(blocks: list[Block]) -> bool:
    """Whether a line before the first heading could be heading I misread beyond repair ("1.
    ĐÁNH GIÁ", "[. ĐÁNH GIÁ"): then the headings after it are numbered right."""
    return any(b.kind == "line" and (m := _ROMAN_HEADING.match(b.text)) is not None and _heading_word(m.group(3))
               for b in blocks)


_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_LETTER_LABEL = re.compile(r"^([a-zđ])\)\s")
_MISREAD_LABEL = re.compile(r"^(\S\)?)\s+(?=[^\W\d_])")
_LABEL_REACH = 40  # lines


def repair_labels(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
    """Lettered list items whose labels OCR misread ("ø) Thường xuyên", "4 Thông báo" between
    "e)" and "h)") get the letters that fit between their neighbours' labels, when there are
    just as many such lines as missing letters."""
    lines = [i for i, b in enumerate(blocks) if b.kind == "line" and not b.furniture]
    letters = [(p, m.group(1)) for p, i in enumerate(lines) if (m := _LETTER_LABEL.match(blocks[i].text))]
    out = list(blocks)
    for (first, a), (last, b) in itertools.pairwise(letters):
        missing = _LETTERS.index(b) - _LETTERS.index(a) - 1
        if missing <= 0 or last - first > _LABEL_REACH:
            continue
        suspects = []
        for p in range(first + 1, last):
            block = out[lines[p]]
            m = _MISREAD_LABEL.match(block.text)
            if m and block.page in ocr_pages and not (m.group(1)[0].isdigit() and m.group(1).endswith(")")):
                suspects.append((lines[p], m))
        if len(suspects) != missing:
            continue
        for offset, (i, m) in enumerate(suspects):
            letter = _LETTERS[_LETTERS.index(a) + 1 + offset]
            out[i] = replace(out[i], text=f"{letter}) " + out[i].text[m.end():])
    return out


_NUMBER_LABEL = re.compile(r"^(\d{1,2})\.\s")
_COMMA_LABEL = re.compile(r"^(\d{1,2}),\s+(?=[^\W\d_])")


def repair_numbers(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
    """A numbered item whose period OCR read as a comma ("2, Khó khăn" after "1. Quy định"):
    the number that follows the last item's, at the start of a line and before a capital."""
    out = list(blocks)
    previous = 0
    for i, block in enumerate(out):
        if block.kind != "line" or block.furniture:
            continue
        if m := _NUMBER_LABEL.match(block.text):
            previous = int(m.group(1))
        elif (m := _COMMA_LABEL.match(block.text)) and block.page in ocr_pages and previous \
                and int(m.group(1)) == previous + 1 and block.text[m.end()].isupper():
            out[i] = replace(block, text=f"{m.group(1)}. " + block.text[m.end():])
            previous += 1
    return out


def _cell_lines(page: Page) -> list[CellLine]:
    seen: set[int] = set()
    lines: list[CellLine] = []
    for grid in page.grids:
        for cells in grid.rows:
            for cell in cells:
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    lines.extend(cell.lines)
    return lines


def fix_ocr_acronyms(pages: list[Page]) -> None:
    """OCR'd acronyms misread once take the spelling the document uses (ocr.fix_acronyms)."""
    if not any(page.ocr for page in pages):
        return
    reference = [p.text for page in pages for row in page.rows for p in row.pieces]
    reference += [line.text for page in pages for line in _cell_lines(page)]
    for page in pages:
        if not page.ocr:
            continue
        pieces = [p for row in page.rows for p in row.pieces]
        for piece, text in zip(pieces, ocr.fix_acronyms([p.text for p in pieces], reference), strict=True):
            piece.text = text
        lines = _cell_lines(page)
        for line, text in zip(lines, ocr.fix_acronyms([line.text for line in lines], reference), strict=True):
            line.text = text
