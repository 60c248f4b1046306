"""PDF backend: the text layer in reading order, one block per visual line or task-table row.

Why it is built this way:

* **pypdfium2 does the reading.** Its text extraction is native and an order of magnitude
  faster than pdfplumber's pure-Python layout analysis, and it yields lines in content order,
  which for the Word/iText PDFs that provinces publish is reading order. pdfplumber never parses
  a page; only its table-lattice geometry is used, on rulings that pdfium lists.
* **Geometry is fetched only where it matters.** Every line gets a box from its first and last
  character (two calls): enough to sort lines and to recognise page numbers and running
  headers. Only page 1 (issuer | national motto), pages with a signature block ("Nơi nhận:" |
  "KT. CHỦ TỊCH") and the page after one get per-character boxes, so that a line pdfium glued
  across the gutter ("Số: 12/UBND   Lào Cai, ngày ...") can be cut, and each column of such a
  block read top to bottom, left column first.
* **Task tables are found by their rulings** (see "ruled tables" below): pages whose path
  objects draw a grid get per-character boxes inside it, and a table whose header names task
  columns (as :mod:`.pipe_tables` decides for TXT) becomes ``table_row`` blocks, followed over
  page breaks. Borderless layout tables and ruled tables of other kinds stay lines.
* **Stamped text counts.** When a notice is signed and registered, its number and date are
  often printed by a form field or signature widget; those appearances are flattened into the
  page (in memory) so that "Số: 193/UBND-KT" is read whole.
* **A garbage text layer is worse than none.** Signed PDFs from provincial systems often embed
  fonts whose ToUnicode map is wrong ("6Ӣ CÔNG 7+ѬѪ1*" for "SỞ CÔNG THƯƠNG"). Such pages are
  recognised by the share of words that cannot be Vietnamese (odd scripts, impossible casing,
  impossible syllables) and are dropped with a warning rather than passed on as text.
* Nothing here joins wrapped lines into paragraphs: a later stage does that for every format.
  Page furniture is kept, marked ``furniture=True``, so that it can be traced.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import difflib
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..diagnostics import Diagnostic, parse_warning
from ..errors import InputError
from ..letterhead import AUTHORITY, AUTHORITY_WORDS
from ..syllables import LETTERS, LOAN_LETTERS, SYLLABLE_SHAPE, TONE_MARKS, syllable_score
from ..tablevocab import is_task_header, join_cell
from . import glyphs, ocr
from .base import Block, ParsedDocument

if TYPE_CHECKING:
    from PIL import Image

# Bounds on hostile input: no real notice comes near them.
MAX_PAGES = 2000
MAX_PAGE_CHARS = 200_000

# Two columns are separated by at least this much white space (points); the gap between the
# issuer and the national motto in a header is ~50 pt, between justified words < 12 pt.
_MIN_GUTTER = 24.0
# Inside a line, a jump of this many line heights (or backwards) starts a new piece: a word
# space is ~0.25 of the height, a blank left for a hand-written date ~1.1, a gutter ~4.
_SPLIT_GAP_HEIGHTS = 0.8
# A two-column block ends at a vertical gap larger than this many line heights.
_ZONE_GAP_HEIGHTS = 1.5
# A line repeated at the same height (points) on this share of pages is a running header/footer.
_REPEAT_TOLERANCE = 4.0
_REPEAT_SHARE = 0.6
# How many lines at the top and bottom of a page may be running headers/footers.
_FURNITURE_BAND = 3

_PAGE_NUMBER = re.compile(
    r"^(?:(?:trang|page)\s*)?[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:/|của|of)\s*\d{1,4})?$", re.IGNORECASE
)
# A signature block somewhere on the page: "Nơi nhận" or an authority anywhere in a line (not
# "Q.": unanchored, a lone "Q. " is too common to mean a signer).
_SIGNATURE_HINT = re.compile(rf"Nơi\s*nhận|(?<!\w)(?:{'|'.join(w for w in AUTHORITY_WORDS if w != 'Q')})\.\s")
_RECIPIENTS = re.compile(r"^Nơi\s*nhận", re.IGNORECASE)
_SALUTATION = re.compile(r"^Kính\s*gửi", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[-+•–]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_SOFT_HYPHENS = ("\u00ad", "\x02")

_TEXT_ERRORS = (pdfium.PdfiumError, OSError, ValueError, MemoryError, RuntimeError, ctypes.ArgumentError)


# --------------------------------------------------------------------------- text quality

# Vietnamese letters without tone marks (and the loan letters of codes and names); tone marks
# are checked separately.
_VN_BASE = frozenset(LETTERS + LOAN_LETTERS)
_WORD_EDGES = "\"'“”‘’()[]{}<>«».,;:!?…*"
_WORD_PARTS = re.compile(r"[-/.,:;+&_=()\[\]]+")


@lru_cache(maxsize=1 << 16)
def _word_verdict(token: str) -> str | None:
    """``good`` (a Vietnamese syllable), ``odd`` (cannot be text), ``neutral`` or None.

    Mojibake from a broken ToUnicode map puts Cyrillic, Latin-1 symbols and capitals in the
    middle of words ("OXұW", "ng‡y", "CÙng"); real Vietnamese text, codes and English loans
    included, almost never does (< 2% of words in the corpus, > 75% on broken pages).
    """
    word = token.strip(_WORD_EDGES)
    verdicts: list[str] = []
    for part in _WORD_PARTS.split(word):
        if not any(c.isalpha() for c in part):
            continue
        decomposed = unicodedata.normalize("NFD", part)
        tones = sum(c in TONE_MARKS for c in decomposed)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        lower = base.lower()
        if any(not c.isalnum() or (c.isalpha() and c not in _VN_BASE) for c in lower):
            verdicts.append("odd")
        elif any(c.isdigit() for c in base):
            verdicts.append("neutral")  # codes: 1074/QĐ-BXD, Km2+571
        elif not (base == lower or base == base.upper() or base[1:] == lower[1:]) or tones > 1:
            verdicts.append("odd")  # "CÙng", "NLӇP": capitals inside a word, or two tones
        elif SYLLABLE_SHAPE.fullmatch(lower):
            verdicts.append("good")
        elif base.isascii() or (base == base.upper() and not tones):
            verdicts.append("neutral")  # English words, acronyms (UBND, HĐND)
        else:
            verdicts.append("odd")
    if not verdicts:
        return None
    if "odd" in verdicts:
        return "odd"
    return "good" if "good" in verdicts else "neutral"


def _word_counts(text: str) -> tuple[int, int]:
    """(Vietnamese words, impossible words) in ``text``. Verdicts are cached: a notice uses a
    few hundred distinct syllables, so nearly every word is a cache hit."""
    good = odd = 0
    for token in text.split():
        verdict = _word_verdict(token)
        if verdict == "good":
            good += 1
        elif verdict == "odd":
            odd += 1
    return good, odd


def _garbled(good: int, odd: int, *, page: bool) -> bool:
    judged = good + odd
    if page and judged >= 8:
        return odd >= 0.3 * judged
    return odd >= (3 if page else 2) and odd >= 0.5 * judged


def is_garbled(text: str) -> bool:
    """True when a page's text layer reads as mojibake rather than Vietnamese."""
    return _garbled(*_word_counts(text), page=True)


# --------------------------------------------------------------------------- geometry


@dataclass(slots=True)
class _Piece:
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
class _Row:
    """Pieces that share a baseline, left to right."""

    pieces: list[_Piece]
    top: float
    bottom: float
    furniture: bool = False
    # A task table stands in the page's rows as one row that carries the table's rows.
    table: list[_TableRow] | None = None

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    rows: list[_Row] = field(default_factory=list)
    layout: bool = False
    grids: list[_Grid] = field(default_factory=list)
    ocr: bool = False  # read by OCR: its words get the dictionary check (see ocr.correct_tokens)


class _Transform:
    """Maps PDF user space to reading space: x along the lines, y down the page.

    The orientation is the text's own, not the page's /Rotate: text drawn upright on a page
    that is merely displayed rotated still reads along user-space x, and a landscape table
    drawn sideways on a portrait page reads along its own baseline."""

    def __init__(self, page: pdfium.PdfPage, rotation: int) -> None:
        self.x0, self.y0, self.x1, self.y1 = page.get_cropbox()
        self.rotation = rotation

    def box(self, left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) in reading space."""
        r = self.rotation
        if r == 90:
            xs, ys = (bottom - self.y0, top - self.y0), (left - self.x0, right - self.x0)
        elif r == 180:
            xs, ys = (self.x1 - left, self.x1 - right), (bottom - self.y0, top - self.y0)
        elif r == 270:
            xs, ys = (self.y1 - bottom, self.y1 - top), (self.x1 - left, self.x1 - right)
        else:
            xs, ys = (left - self.x0, right - self.x0), (self.y1 - top, self.y1 - bottom)
        return min(xs), max(xs), min(ys), max(ys)

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) of the page in reading space."""
        width, height = self.x1 - self.x0, self.y1 - self.y0
        return (height, width) if self.rotation in (90, 270) else (width, height)


def _text_rotation(textpage: pdfium.PdfTextPage, text: str, spans: list[tuple[int, int]]) -> int:
    """0, 90, 180 or 270: the direction in which most lines run in user space (90: upwards),
    from the first and last character of up to 20 lines."""
    dx = dy = 0.0
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    for start, end in [span for span in spans if span[1] - span[0] >= 4][:20]:
        centres = []
        for index in (start, end - 1 if text[end - 1] != _PDFIUM_HYPHEN else end - 2):
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect)):
                break
            centres.append(((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2))
        if len(centres) == 2:
            dx += centres[1][0] - centres[0][0]
            dy += centres[1][1] - centres[0][1]
    if abs(dx) >= abs(dy):
        return 0 if dx >= 0 else 180
    return 90 if dy > 0 else 270


class _CharBoxes:
    """Loose character boxes (font ascent to descent), so that all characters on a line share
    one top and bottom whatever their glyph."""

    def __init__(self, textpage: pdfium.PdfTextPage, transform: _Transform) -> None:
        self._raw = textpage.raw
        self._rect = pdfium_c.FS_RECTF()
        self._ref = ctypes.byref(self._rect)
        self._transform = transform

    def __call__(self, index: int) -> tuple[float, float, float, float] | None:
        if not pdfium_c.FPDFText_GetLooseCharBox(self._raw, index, self._ref):
            return None
        r = self._rect
        if r.right - r.left <= 0 and r.top - r.bottom <= 0:
            return None
        return self._transform.box(r.left, r.top, r.right, r.bottom)


# pdfium joins a line ending in "letter-" to the next one starting lower-case, writing U+FFFE
# for the hyphen and no line break. We split there again and keep the hyphen: whether it was
# really a word split is decided later, with Vietnamese in mind (see _rejoin_hyphens).
_PDFIUM_HYPHEN = "\ufffe"


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character indexes of pdfium's lines, without surrounding white space; a
    line that pdfium joined at a hyphen ends with that U+FFFE marker."""
    spans = []
    for match in re.finditer(r"[^\r\n\ufffe]+\ufffe?", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _piece(text: str, boxes: list[tuple[float, float, float, float]]) -> _Piece:
    return _Piece(
        text=text,
        x0=min(b[0] for b in boxes),
        x1=max(b[1] for b in boxes),
        top=min(b[2] for b in boxes),
        bottom=max(b[3] for b in boxes),
    )


def _split_line(text: str, start: int, end: int, charbox: _CharBoxes) -> list[_Piece]:
    """Cut one pdfium line where the next character jumps far right (a column gutter or a
    tab stop) or back left, so that each piece lies within one column."""
    pieces: list[_Piece] = []
    piece_start = start
    piece_boxes: list[tuple[float, float, float, float]] = []
    previous: tuple[float, float, float, float] | None = None
    for index in range(start, end):
        if text[index].isspace() or text[index] == _PDFIUM_HYPHEN:
            continue
        box = charbox(index)
        if box is None:
            continue
        if previous is not None:
            height = max(previous[3] - previous[2], box[3] - box[2], 1.0)
            gap = box[0] - previous[1]
            if gap > _SPLIT_GAP_HEIGHTS * height or box[1] < previous[0] - height:
                chunk = text[piece_start:index].strip()
                if chunk and piece_boxes:
                    pieces.append(_piece(chunk, piece_boxes))
                piece_start, piece_boxes = index, []
        piece_boxes.append(box)
        previous = box
    chunk = text[piece_start:end].strip()
    if chunk and piece_boxes:
        pieces.append(_piece(chunk, piece_boxes))
    return pieces


def _line_piece(text: str, start: int, end: int, charbox: _CharBoxes) -> _Piece | None:
    """The whole pdfium line as one piece, boxed by its first and last visible characters."""
    boxes = []
    last = end - 2 if text[end - 1] == _PDFIUM_HYPHEN and end - 2 > start else end - 1
    for index in (start, last):
        box = charbox(index)
        if box is not None:
            boxes.append(box)
    if not boxes:
        for index in range(start, end):  # first/last are degenerate (rare): scan
            box = charbox(index)
            if box is not None:
                boxes.append(box)
                break
    if not boxes:
        return None
    return _piece(text[start:end], boxes)


def _rows(pieces: list[_Piece]) -> list[_Row]:
    """Group pieces that overlap vertically by at least half the smaller height."""
    rows: list[_Row] = []
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
        rows.append(_Row(pieces=[piece], top=piece.top, bottom=piece.bottom))
    for row in rows:
        row.pieces.sort(key=lambda p: p.x0)
    return rows


# --------------------------------------------------------------------------- reading order


@dataclass(slots=True)
class _Zone:
    start: int
    end: int  # exclusive
    gutter: tuple[float, float]
    header: bool = False


def _widest_gap(row: _Row) -> tuple[float, float] | None:
    best: tuple[float, float] | None = None
    reach = row.pieces[0].x1
    for piece in row.pieces[1:]:
        if piece.x0 - reach >= _MIN_GUTTER and (best is None or piece.x0 - reach > best[1] - best[0]):
            best = (reach, piece.x0)
        reach = max(reach, piece.x1)
    return best


def _sides(row: _Row, gutter: tuple[float, float]) -> tuple[list[_Piece], list[_Piece]] | None:
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


def _find_zone(rows: list[_Row], start: int, *, header: bool) -> _Zone | None:
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
    crossed: _Row | None = None
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


def _is_signature_anchor(row: _Row, width: float) -> bool:
    if _RECIPIENTS.match(row.pieces[0].text):
        return True
    return any(p.x0 > 0.4 * width and AUTHORITY.match(p.text) for p in row.pieces)


def _zones(page: _Page, *, continued: bool) -> list[_Zone]:
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


@dataclass(slots=True)
class _Line:
    text: str
    furniture: bool = False
    rows: list[_TableRow] | None = None  # a task table, read at this point


def _ordered_lines(page: _Page, *, continued: bool = False) -> tuple[list[_Line], bool]:
    """Rows top to bottom, except that a two-column block is read left column first. Also
    says whether the page ends inside a signature block, which then goes on overleaf."""
    lines: list[_Line] = []
    zones = _zones(page, continued=continued) if page.layout else []
    by_start = {zone.start: zone for zone in zones}
    index = 0
    while index < len(page.rows):
        zone = by_start.get(index)
        if zone is None:
            row = page.rows[index]
            lines.append(_Line("", rows=row.table) if row.table is not None else _Line(row.text, row.furniture))
            index += 1
            continue
        left_lines, right_lines = [], []
        for row in page.rows[zone.start : zone.end]:
            sides = _sides(row, zone.gutter)
            left, right = sides if sides is not None else (row.pieces, [])
            if left:
                left_lines.append(_Line(" ".join(p.text for p in left)))
            if right:
                right_lines.append(_Line(" ".join(p.text for p in right)))
        lines.extend(left_lines + right_lines)
        index = zone.end
    body_end = max((i + 1 for i, row in enumerate(page.rows) if not row.furniture), default=0)
    return lines, bool(zones) and not zones[-1].header and zones[-1].end >= body_end


# --------------------------------------------------------------------------- furniture


def _page_number_value(text: str) -> int | None:
    match = _PAGE_NUMBER.match(unicodedata.normalize("NFC", text).strip())
    return int(match.group(1)) if match else None


def _mark_page_numbers(pages: list[_Page]) -> None:
    """A bare number ("2", "- 2 -", "Trang 2", "2/5") that is the first or last line of its
    page, set apart from its neighbour, and that counts pages -- equal to the page's index, or
    off by the same amount on at least three pages. The last condition keeps a table's row
    numbers and quantities that happen to open or close a page."""
    candidates: list[tuple[_Page, _Row, int]] = []
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


def _mark_running_lines(pages: list[_Page]) -> None:
    """Lines near the top or bottom edge that recur at the same height on most pages."""
    if len(pages) < 2:
        return
    needed = max(2, math.ceil(_REPEAT_SHARE * len(pages)))
    seen: dict[str, list[tuple[int, float, _Row]]] = defaultdict(list)
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
        cluster: list[tuple[int, float, _Row]] = []
        for occurrence in [*occurrences, None]:
            if occurrence is not None and (not cluster or occurrence[1] - cluster[-1][1] <= _REPEAT_TOLERANCE):
                cluster.append(occurrence)
                continue
            if len({number for number, _, _ in cluster}) >= needed:
                for _, _, row in cluster:
                    row.furniture = True
            cluster = [occurrence] if occurrence is not None else []


# --------------------------------------------------------------------------- clean-up


def _clean(text: str) -> str:
    text = text.replace("\t", " ").replace(_PDFIUM_HYPHEN, "-")
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).strip()


_HARD_HYPHEN_END = re.compile(r"(?:^|\s)([a-z]{2,})-$")
_WORD_START = re.compile(r"^([a-z]+)(?=$|[\s.,;:!?)])")


def _rejoin_hyphens(lines: list[_Line]) -> None:
    """Rejoin a word split across two lines when that is certain: after a soft hyphen, or after
    a hard hyphen between two plain lower-case Latin fragments the first of which cannot be a
    Vietnamese syllable ("infor-" / "mation"). Vietnamese syllables are not hyphenated."""
    body = [line for line in lines if not line.furniture and (line.text or line.rows is not None)]
    for first, second in itertools.pairwise(body):
        if first.rows is not None or second.rows is not None:
            continue  # no word runs into or out of a table
        text = first.text
        if text.endswith(_SOFT_HYPHENS) and len(text) > 1 and text[-2].isalpha():
            match = re.match(r"^(\w+)(.*)$", second.text)
            if match and match.group(1)[0].islower():
                first.text = text[:-1] + match.group(1)
                second.text = match.group(2).lstrip()
            continue
        end = _HARD_HYPHEN_END.search(text)
        start = _WORD_START.match(second.text)
        if end and start and not SYLLABLE_SHAPE.fullmatch(end.group(1)):
            first.text = text[:-1] + start.group(1)
            second.text = second.text[start.end() :].lstrip()


# --------------------------------------------------------------------------- ruled tables
#
# Plans and conclusions list their tasks in ruled tables (STT | Nội dung | Cơ quan chủ trì | …).
# Such a table is found from its rulings, never from text alignment, so that the borderless
# letterhead and signature tables (no rulings) stay ordinary lines:
#
# * pdfium lists the page's path objects (~0.05 ms a page); a path thinner than _RULE_WIDTH is a
#   ruling by its bounds alone, other paths give their straight segments. Only a page with at
#   least two horizontal and two vertical rulings goes further.
# * There pdfplumber's lattice algorithm (snap and join edges, intersections, smallest cells,
#   tables: what ``page.find_tables()`` runs) is fed those edges directly. Letting pdfplumber
#   parse the page itself would cost its pdfminer layout (~50 ms a page, as much as the whole
#   pipeline spends on a notice); the geometry step alone costs well under a millisecond.
# * Cell text comes from pdfium's character boxes, each character going to the cell that holds
#   its centre, so it is the same text as the rest of the page. The page's ordinary lines are
#   still built as before: a table that turns out not to be a task table is left as they are.
# * Whether a table is a task table, or the continuation of one from the page before, is decided
#   once all pages are read (:func:`_link_tables`); only then do its rows replace the lines.

_RULE_WIDTH = 3.0  # points; a thicker path is a shape (shading, a frame) and gives its outline
_MAX_PATH_OBJECTS = 5000
_MAX_SEGMENTS = 512
_MAX_EDGES = 4000
_MAX_FORM_DEPTH = 4
_CELL_PAD = 6.0  # Word and LibreOffice inset cell text by ~5.5 pt on each side by default
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _object_matrix(obj: ctypes.c_void_p) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class _Rulings:
    """Horizontal and vertical strokes of a page, as pdfplumber edges in reading space."""

    def __init__(self, transform: _Transform) -> None:
        self.transform = transform
        self.edges: list[dict[str, float | str]] = []
        self.counts = {"h": 0, "v": 0}

    def add(self, points: list[tuple[float, float]]) -> bool:
        """An edge from a thin box around ``points`` (user space); False if it is not thin."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, top, bottom = self.transform.box(min(xs), max(ys), max(xs), min(ys))
        width, height = x1 - x0, bottom - top
        if width <= _RULE_WIDTH and height > width:
            middle = (x0 + x1) / 2
            edge = {"x0": middle, "x1": middle, "top": top, "bottom": bottom, "width": 0.0, "height": height,
                    "doctop": top, "orientation": "v", "object_type": "line"}
        elif height <= _RULE_WIDTH and width > height:
            middle = (top + bottom) / 2
            edge = {"x0": x0, "x1": x1, "top": middle, "bottom": middle, "width": width, "height": 0.0,
                    "doctop": middle, "orientation": "h", "object_type": "line"}
        else:
            return False
        self.edges.append(edge)
        self.counts[str(edge["orientation"])] += 1
        return True

    def add_path(self, obj: ctypes.c_void_p, outer: _Matrix) -> None:
        """The straight segments of a path that is not itself a thin line (a rectangle's sides)."""
        count = pdfium_c.FPDFPath_CountSegments(obj)
        if count <= 1 or count > _MAX_SEGMENTS:
            return
        matrix = _compose(_object_matrix(obj), outer)
        x, y = ctypes.c_float(), ctypes.c_float()
        start = previous = None
        for index in range(count):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
            if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                previous = None
                continue
            point = _apply(matrix, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
                self.add([previous, point])
            previous = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and previous is not None:
                self.add([previous, start])
                previous = start


def _page_rulings(page: pdfium.PdfPage, transform: _Transform) -> _Rulings:
    rulings = _Rulings(transform)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
    paths = 0
    # (container, is_form, matrix from the container's space to user space, depth)
    stack: list[tuple[ctypes.c_void_p, bool, _Matrix, int]] = [(page.raw, False, _IDENTITY, 0)]
    while stack:
        container, is_form, matrix, depth = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(container) if is_form else pdfium_c.FPDFPage_CountObjects(container)
        for index in range(max(count, 0)):
            obj = (pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject)(container, index)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
                stack.append((obj, True, _compose(_object_matrix(obj), matrix), depth + 1))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                paths += 1
                if paths > _MAX_PATH_OBJECTS or len(rulings.edges) > _MAX_EDGES:
                    return _Rulings(transform)  # a drawing, not a document with tables
                corners = [_apply(matrix, px, py) for px in (left.value, right.value) for py in (bottom.value, top.value)]
                if not rulings.add(corners):
                    rulings.add_path(obj, matrix)
    return rulings


@dataclass(slots=True)
class _CellLine:
    """One visual line of text inside a cell."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word_x1: float | None = None  # where the line's first word ends
    room: float = 0.0  # width the cell leaves for text

    def wraps_into(self, following: _CellLine) -> bool:
        """True when ``following`` goes on the same paragraph: its first word would not have
        fitted at the end of this line, so the line was broken for want of room."""
        word = (following.first_word_x1 or following.x1) - following.x0
        space = 0.2 * (self.bottom - self.top)
        return (self.x1 - self.x0) + space + word > self.room - 1.0


@dataclass(slots=True)
class _Cell:
    x0: float
    x1: float
    top: float
    bottom: float
    lines: list[_CellLine] = field(default_factory=list)

    def text(self) -> str:
        """Wrapped lines joined by a space; separate entries (a line that ended with room to
        spare) as :func:`extractor.tablevocab.join_cell` joins cell lines, so that TXT, DOCX and PDF
        cells read alike ("Đỗ Văn A; Vũ Thị B")."""
        entries: list[str] = []
        for index, line in enumerate(self.lines):
            if index and self.lines[index - 1].wraps_into(line):
                entries[-1] += " " + line.text
            else:
                entries.append(line.text)
        return join_cell(entries)


@dataclass(slots=True)
class _Grid:
    """A ruled table on one page. ``rows[r][c]`` is the cell that starts in column ``c`` and
    covers row ``r`` (a vertically merged cell sits in every row it spans: its value repeats);
    None where a cell spanning from the left covers the position, or nothing does: read as an
    empty cell, so that every row keeps the header's columns (DOCX drops it instead)."""

    x0: float
    x1: float
    top: float
    bottom: float
    xs: list[float]
    ys: list[float]
    owner: list[list[_Cell | None]]  # row, column -> the cell covering that position
    rows: list[list[_Cell | None]]

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    def locate(self, x: float, y: float) -> _Cell | None:
        if not (self.x0 <= x <= self.x1 and self.top <= y <= self.bottom):
            return None
        r = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owner[r][c]


def _nearest(values: list[float], value: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - value))


def _grids(found: list[dict[str, float | str]]) -> list[_Grid]:
    """Ruled tables of at least two columns, top to bottom, from edges in reading space."""
    from pdfplumber import table as lattice
    from pdfplumber.utils import filter_edges

    edges = lattice.merge_edges(found, 3, 3, 3, 3)
    edges = filter_edges(edges, min_length=3)
    cells = lattice.intersections_to_cells(lattice.edges_to_intersections(edges, 3, 3))
    grids: list[_Grid] = []
    for boxes in lattice.cells_to_tables(cells):
        xs = sorted({round(v, 2) for box in boxes for v in (box[0], box[2])})
        ys = sorted({round(v, 2) for box in boxes for v in (box[1], box[3])})
        if len(xs) < 3:  # one row is enough: the part of a table that a page break left over
            continue
        owner: list[list[_Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        rows: list[list[_Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for x0, top, x1, bottom in boxes:
            c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
            r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
            cell = _Cell(x0=x0, x1=x1, top=top, bottom=bottom)
            for r in range(r0, r1):
                rows[r][c0] = cell
                for c in range(c0, c1):
                    owner[r][c] = cell
        grids.append(_Grid(x0=xs[0], x1=xs[-1], top=ys[0], bottom=ys[-1], xs=xs, ys=ys, owner=owner, rows=rows))
    return sorted(grids, key=lambda g: (g.top, g.x0))


def _fill_grids(grids: list[_Grid], text: str, spans: list[tuple[int, int]], charbox: _CharBoxes) -> None:
    """Put the text of pdfium's lines that lie in a grid into its cells, character by character:
    a line may run across several cells of a row."""

    def grid_at(box: tuple[float, float, float, float] | None) -> bool:
        if box is None:
            return False
        x, y = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
        return any(g.x0 <= x <= g.x1 and g.top <= y <= g.bottom for g in grids)

    pieces: dict[int, tuple[_Cell, list[_CellLine]]] = {}
    for start, end in spans:
        if not (grid_at(charbox(start)) or grid_at(charbox(end - 1))):
            continue
        current: _CellLine | None = None
        current_cell: _Cell | None = None
        space = False
        for index in range(start, end):
            char = text[index]
            if char.isspace():
                space = True
                continue
            if char == _PDFIUM_HYPHEN:
                if current is not None:
                    current.text += "-"
                continue
            box = charbox(index)
            if box is None:
                continue
            x0, x1, top, bottom = box
            cell = next((c for g in grids if (c := g.locate((x0 + x1) / 2, (top + bottom) / 2)) is not None), None)
            if cell is None:
                current, space = None, False
                continue
            height = max(bottom - top, 1.0)
            if (
                current is not None
                and current_cell is cell
                and min(bottom, current.bottom) - max(top, current.top) >= 0.5 * min(height, current.bottom - current.top)
                and x0 >= current.x1 - height
            ):
                if space:
                    if current.first_word_x1 is None:
                        current.first_word_x1 = current.x1
                    current.text += " "
                current.text += char
                current.x1 = max(current.x1, x1)
                current.top, current.bottom = min(current.top, top), max(current.bottom, bottom)
            else:
                current, current_cell = _CellLine(text=char, x0=x0, x1=x1, top=top, bottom=bottom), cell
                pieces.setdefault(id(cell), (cell, []))[1].append(current)
            space = False
    # Pieces of a cell on one baseline make one line, left to right.
    for cell, cell_pieces in pieces.values():
        lines: list[list[_CellLine]] = []
        for piece in sorted(cell_pieces, key=lambda p: (p.top, p.x0)):
            if lines:
                anchor = lines[-1][0]
                overlap = min(anchor.bottom, piece.bottom) - max(anchor.top, piece.top)
                if overlap >= 0.5 * min(piece.bottom - piece.top, anchor.bottom - anchor.top):
                    lines[-1].append(piece)
                    continue
            lines.append([piece])
        for group in lines:
            group.sort(key=lambda p: p.x0)
            line = _CellLine(
                text=_clean(" ".join(p.text for p in group)),
                x0=group[0].x0, x1=max(p.x1 for p in group),
                top=min(p.top for p in group), bottom=max(p.bottom for p in group),
                first_word_x1=group[0].first_word_x1 if group[0].first_word_x1 is not None else group[0].x1,
            )
            if line.text:
                cell.lines.append(line)
    _set_room(grids)


def _set_room(grids: list[_Grid]) -> None:
    """The room a cell leaves for text: its width less the column's inset on both sides, the
    inset measured on the column's left-aligned lines (at most the usual default)."""
    for grid in grids:
        insets: dict[int, float] = {}
        for row in grid.rows:
            for c, cell in enumerate(row):
                for line in cell.lines if cell is not None else ():
                    insets[c] = min(insets.get(c, _CELL_PAD), max(line.x0 - cell.x0, 0.0))
        for row in grid.rows:
            for c, cell in enumerate(row):
                for line in cell.lines if cell is not None else ():
                    line.room = cell.x1 - cell.x0 - 2 * insets.get(c, _CELL_PAD)


def _read_grids(page: pdfium.PdfPage, transform: _Transform, text: str, spans: list[tuple[int, int]],
                charbox: _CharBoxes) -> list[_Grid]:
    """The page's ruled tables with their text; none when it has no grid of rulings. Finding
    tables only adds to what is read, so a failure here costs the tables, never the page."""
    rulings = _page_rulings(page, transform)
    if rulings.counts["h"] < 2 or rulings.counts["v"] < 2:
        return []
    try:
        grids = _grids(rulings.edges)
    except (ValueError, AssertionError, KeyError, IndexError, ZeroDivisionError):
        return []
    if grids:
        _fill_grids(grids, text, spans, charbox)
    return grids


@dataclass(slots=True)
class _TableRow:
    page: int
    cells: list[_Cell | None]

    def texts(self) -> tuple[str, ...]:
        return tuple(cell.text() if cell is not None else "" for cell in self.cells)


@dataclass(slots=True)
class _TaskTable:
    header: tuple[str, ...]
    columns: int
    rows: list[_TableRow]
    page: int = 0
    bottom: float = 0.0


def _same_header(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same header row, allowing for what OCR may have misread or missed in a cell."""
    x = [re.sub(r"\s+", " ", v).casefold() for v in a]
    y = [re.sub(r"\s+", " ", v).casefold() for v in b]
    if x == y:
        return True
    if len(x) != len(y):
        return False
    return difflib.SequenceMatcher(None, " | ".join(x), " | ".join(y), autojunk=False).ratio() >= 0.85


def _continue_table(table: _TaskTable, rows: list[_TableRow]) -> list[_TableRow]:
    """The rows of a table part that goes on from ``table`` on the next page: a header row that
    Word repeats on every page is dropped, and a row broken by the page (its first cell empty
    here) is merged into the row it continues. Returns the rows that remain."""
    if rows and _same_header(rows[0].texts(), table.header):
        rows = rows[1:]
    if not rows or len(table.rows) < 2:
        return rows
    first, previous = rows[0], table.rows[-1]
    texts = first.texts()
    # An empty first cell also marks a table whose index column is blank throughout: then the
    # row is a continuation only if its text goes on in lower case.
    if texts[0] or not any(texts):
        return rows
    if not previous.texts()[0] and not any(t[:1].islower() for t in texts if t):
        return rows
    for c, (old, new) in enumerate(zip(previous.cells, first.cells, strict=False)):
        if new is None or not new.lines:
            continue
        if old is None:
            previous.cells[c] = new
        else:  # a new cell, so that rows above sharing a merged cell keep their value
            previous.cells[c] = _Cell(x0=old.x0, x1=old.x1, top=old.top, bottom=old.bottom, lines=old.lines + new.lines)
    return rows[1:]


def _place_table(page: _Page, grid: _Grid, rows: list[_TableRow]) -> None:
    """Replace the page's lines inside the grid with one row standing for the table."""
    kept: list[_Row] = []
    position: int | None = None
    for row in page.rows:
        middle = (row.top + row.bottom) / 2
        if grid.top <= middle <= grid.bottom and row.table is None:
            outside = [p for p in row.pieces if not grid.x0 <= (p.x0 + p.x1) / 2 <= grid.x1]
            if len(outside) < len(row.pieces):
                if position is None:
                    position = len(kept)
                if outside:
                    kept.append(_Row(pieces=outside, top=row.top, bottom=row.bottom, furniture=row.furniture))
                continue
        kept.append(row)
    if position is None:
        position = next((i for i, row in enumerate(kept) if row.top > grid.top), len(kept))
    stand_in = _Piece(text="", x0=grid.x0, x1=grid.x1, top=grid.top, bottom=grid.bottom)
    kept.insert(position, _Row(pieces=[stand_in], top=grid.top, bottom=grid.bottom, table=rows))
    page.rows = kept


def _link_tables(pages: list[_Page]) -> None:
    """Turn task tables into rows, following a table over page breaks: a table at the top of a
    page, right after a page that ended in a task table with the same number of columns, is the
    rest of that table (Word gives it no header row unless asked to repeat it)."""
    open_table: _TaskTable | None = None
    previous_number = 0
    for page in pages:
        carried = open_table if page.number == previous_number + 1 else None
        previous_number = page.number
        open_table = None
        body = [row for row in page.rows if not row.furniture]
        for index, grid in enumerate(page.grids):
            rows = [_TableRow(page=page.number, cells=list(cells)) for cells in grid.rows]
            header = rows[0].texts()
            at_top = not any((row.top + row.bottom) / 2 < grid.top for row in body)
            task = is_task_header(list(header))
            if (
                index == 0 and carried is not None and at_top and grid.columns == carried.columns
                and (not task or _same_header(header, carried.header))  # a header Word repeats
            ):
                table = carried
                rows = _continue_table(table, rows)
                table.rows.extend(rows)
            elif task:
                table = _TaskTable(header=header, columns=grid.columns, rows=list(rows))
            else:
                open_table = None
                continue
            table.page, table.bottom = page.number, grid.bottom
            open_table = table
            _place_table(page, grid, rows)
        if open_table is not None and any((row.top + row.bottom) / 2 > open_table.bottom for row in body):
            open_table = None  # text after the table: it has ended


# --------------------------------------------------------------------------- OCR'd pages
#
# A page read by OCR becomes a _Page like any other: Tesseract's words, in points, are joined
# into pieces along Tesseract's own text lines (cut where a gutter opens, as _split_line cuts a
# pdfium line), pieces into rows by height, and rulings found in the pixels into grids. From
# there on nothing differs: reading order (two-column header and signature blocks), page
# numbers and running lines, task tables across pages.


def _ocr_edge(ruling: ocr.Ruling, k: float) -> dict[str, float | str]:
    """A ruling found in the pixels as a pdfplumber edge in points."""
    x0, x1, top, bottom = ruling.left * k, ruling.right * k, ruling.top * k, ruling.bottom * k
    orientation = "h" if ruling.horizontal else "v"
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "doctop": top, "orientation": orientation, "object_type": "line"}


def _union(words: list[_Piece]) -> _Piece:
    return _Piece(text=" ".join(w.text for w in words), x0=min(w.x0 for w in words), x1=max(w.x1 for w in words),
                  top=min(w.top for w in words), bottom=max(w.bottom for w in words))


def _fill_ocr_grids(grids: list[_Grid], lines: list[list[_Piece]]) -> None:
    """Put OCR'd words into the cells that hold their centres, one cell line per Tesseract line
    (and cell); lines of a cell that share a baseline are one line."""
    found: dict[int, tuple[_Cell, list[list[_Piece]]]] = {}
    for line in lines:
        parts: dict[int, list[_Piece]] = {}
        for word in line:
            x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            cell = next((c for g in grids if (c := g.locate(x, y)) is not None), None)
            if cell is not None:
                parts.setdefault(id(cell), []).append(word)
                found.setdefault(id(cell), (cell, []))
        for key, words in parts.items():
            found[key][1].append(words)
    for cell, groups in found.values():
        merged: list[list[_Piece]] = []
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
            text = _clean(box.text)
            if text:
                cell.lines.append(_CellLine(text=text, x0=box.x0, x1=box.x1, top=box.top, bottom=box.bottom,
                                            first_word_x1=words[0].x1))
    _set_room(grids)


def page_from_ocr(number: int, read: ocr.OcrPage) -> _Page:
    """The page as read by OCR, laid out like a text layer (points, y down)."""
    k = 72.0 / read.dpi
    page = _Page(number=number, width=read.width * k, height=read.height * k, layout=True, ocr=True)
    lines: dict[tuple[int, int, int], list[_Piece]] = {}
    # Collocations are checked on Tesseract's words, while their confidences are known (the
    # glyph repair votes with the words as read, before this).
    for word in ocr.fix_unsure_collocations(read.words):
        piece = _Piece(text=word.text, x0=word.left * k, x1=word.right * k, top=word.top * k, bottom=word.bottom * k)
        lines.setdefault(word.line, []).append(piece)
    if not lines:
        return page
    heights = sorted(_union(words).height for words in lines.values())
    typical = heights[len(heights) // 2]
    pieces: list[_Piece] = []
    for words in lines.values():
        words.sort(key=lambda w: w.x0)
        limit = _SPLIT_GAP_HEIGHTS * max(typical, _union(words).height)
        current = [words[0]]
        for word in words[1:]:
            if word.x0 - current[-1].x1 > limit or word.x1 < current[-1].x0:
                pieces.append(_union(current))
                current = []
            current.append(word)
        pieces.append(_union(current))
    for piece in pieces:
        piece.text = _clean(piece.text)
    page.rows = _rows([p for p in pieces if p.text])
    edges = [_ocr_edge(r, k) for r in read.rulings]
    if (
        sum(e["orientation"] == "h" for e in edges) >= 2 and sum(e["orientation"] == "v" for e in edges) >= 2
        and len(edges) <= _MAX_EDGES
    ):
        try:
            page.grids = _grids(edges)
        except (ValueError, AssertionError, KeyError, IndexError, ZeroDivisionError):
            page.grids = []
        if page.grids:
            _fill_ocr_grids(page.grids, list(lines.values()))
    _correct_page(page)
    return page


def _column_neighbours(rows: list[_Row]) -> dict[int, tuple[_Piece | None, _Piece | None]]:
    """For each piece, the nearest piece above and below it in the same column (overlapping it
    horizontally, less than two lines away): where its text comes from and goes on."""
    flat = [(r, piece) for r, row in enumerate(rows) for piece in row.pieces]
    out: dict[int, tuple[_Piece | None, _Piece | None]] = {}
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


def _correct_page(page: _Page) -> None:
    """The dictionary check of OCR'd words (ocr.correct_tokens), each line with the words that
    precede and follow it (in its row, else in its column), each table cell line with those of
    its cell."""
    neighbours = _column_neighbours(page.rows)
    firsts = {id(p): (p.text.split() or [None])[0] for row in page.rows for p in row.pieces}
    for row in page.rows:
        for position, piece in enumerate(row.pieces):
            above, below = neighbours[id(piece)]
            if position and piece.x0 - row.pieces[position - 1].x1 < _MIN_GUTTER:
                above = row.pieces[position - 1]
            if position + 1 < len(row.pieces) and row.pieces[position + 1].x0 - piece.x1 < _MIN_GUTTER:
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


def _render(document: pdfium.PdfDocument, index: int) -> tuple[Image.Image, float]:
    """The page as a grayscale image at ~300 dpi (less for a page too large for that), with its
    form fields and annotations drawn; and the resolution used."""
    page = document[index]
    try:
        width, height = page.get_size()
        scale = min(ocr.DPI / 72, math.sqrt(ocr.MAX_PIXELS / max(width * height, 1.0)))
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
        try:
            return bitmap.to_pil().copy(), scale * 72
        finally:
            bitmap.close()
    finally:
        page.close()


def _ocr_page(document: pdfium.PdfDocument, index: int) -> ocr.OcrPage:
    try:
        image, dpi = _render(document, index)
    except _TEXT_ERRORS as exc:
        raise ocr.OcrError(f"the page could not be rendered ({str(exc) or type(exc).__name__})") from None
    return ocr.recognise(image, dpi)


def _is_blank(document: pdfium.PdfDocument, index: int) -> bool:
    """Nothing is drawn on the page: no content objects, no annotations. A page pdfium cannot
    load is not blank: it goes on to be reported as unreadable."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return False
    try:
        return pdfium_c.FPDFPage_CountObjects(page.raw) <= 0 and pdfium_c.FPDFPage_GetAnnotCount(page.raw) <= 0
    finally:
        page.close()


def _image_share(page: pdfium.PdfPage) -> float:
    """The share of the page covered by its largest image (directly or in a form XObject)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
    x0, y0, x1, y1 = page.get_cropbox()
    area = max((x1 - x0) * (y1 - y0), 1.0)
    best = 0.0
    stack: list[tuple[ctypes.c_void_p, bool, int]] = [(page.raw, False, 0)]
    seen = 0
    while stack:
        container, is_form, depth = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(container) if is_form else pdfium_c.FPDFPage_CountObjects(container)
        for i in range(max(count, 0)):
            seen += 1
            if seen > _MAX_PATH_OBJECTS:
                return best
            obj = (pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject)(container, i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
                stack.append((obj, True, depth + 1))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                best = max(best, (right.value - left.value) * (top.value - bottom.value) / area)
    return best


# --------------------------------------------------------------------------- the parser


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError("PDF is encrypted (password-protected); remove the password and try again") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError("PDF is encrypted with an unsupported security handler; remove the protection") from None
        reason = str(exc).split("(PDFium:")[-1].strip(" .)") if "PDFium:" in str(exc) else str(exc)
        raise InputError(f"corrupt PDF: cannot be opened ({reason.lower() or 'unknown error'})") from None
    except (OSError, ValueError, MemoryError) as exc:
        raise InputError(f"corrupt PDF: cannot be opened ({type(exc).__name__})") from None


@dataclass(slots=True)
class _PageResult:
    page: _Page | None = None
    empty: bool = False
    garbled: bool = False
    garbled_lines: int = 0
    error: str | None = None
    signature: bool = False  # the page has a signature block, which may run over
    # A few words of text on a page that is mostly one image: a scan with its number and date
    # stamped on as text (or a scanner's partial OCR). The page is read by OCR when possible.
    scanned: bool = False


# A page with fewer words than this in its text layer, and an image over this share of its
# area, is a scan (see _PageResult.scanned).
_SCAN_MAX_WORDS = 40
_SCAN_IMAGE_SHARE = 0.6


# Annotations whose appearance is printed text: form fields and signature widgets (the
# document number and date are often stamped into the header that way when a notice is signed
# and registered), free-text notes and stamps.
_TEXT_ANNOTATIONS = frozenset({pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_FREETEXT, pdfium_c.FPDF_ANNOT_STAMP})


def _has_text_annotations(page: pdfium.PdfPage) -> bool:
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
        if not annotation:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annotation) in _TEXT_ANNOTATIONS:
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return False


def _load_page(document: pdfium.PdfDocument, index: int) -> tuple[pdfium.PdfPage, bool]:
    """The page, with the appearances of its text-bearing annotations merged into its content
    (in memory only) so that their text is read like any other; True if that happened."""
    page = document[index]
    if page.formenv is None or not _has_text_annotations(page):
        return page, False
    try:
        flattened = page.flatten(pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS
    except pdfium.PdfiumError:
        return page, False
    if flattened:
        page.close()
        page = document[index]
    return page, flattened


# --------------------------------------------------------------------------- broken fonts


def _glyph_keys(textpage: pdfium.PdfTextPage, count: int) -> list[glyphs.GlyphKey]:
    """(font name, code, shape) of every character: what identifies a glyph when the text is
    wrong (see :func:`_glyph_shape`)."""
    raw = textpage.raw
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    rect = pdfium_c.FS_RECTF()
    box = tuple(ctypes.c_double() for _ in range(4))
    origin = (ctypes.c_double(), ctypes.c_double())
    keys = []
    for i in range(count):
        length = pdfium_c.FPDFText_GetFontInfo(raw, i, buffer, 256, ctypes.byref(flags))
        name = buffer.value.decode("utf-8", errors="replace") if 0 < length <= 256 else ""
        keys.append((name, pdfium_c.FPDFText_GetUnicode(raw, i), _glyph_shape(raw, i, rect, box, origin)))
    return keys


def _glyph_shape(raw: ctypes.c_void_p, index: int, rect: pdfium_c.FS_RECTF, box: tuple[ctypes.c_double, ...],
                 origin: tuple[ctypes.c_double, ...]) -> tuple[int, ...]:
    """The glyph's advance width (1/20 em) and how far its ink reaches above and below the
    baseline (1/10 em): "ũ" and "ụ" differ there when a broken map gives them one code."""
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    if size <= 0 or not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect)):
        return ()
    width = round(20 * max(rect.right - rect.left, 0.0) / size)
    _, _, bottom, top = box  # FPDFText_GetCharBox order: left, right, bottom, top
    x, y = origin
    if not (pdfium_c.FPDFText_GetCharBox(raw, index, *(ctypes.byref(v) for v in box))
            and pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))):
        return (width,)
    return width, round(10 * (top.value - y.value) / size), round(10 * (bottom.value - y.value) / size)


def _gaps(textpage: pdfium.PdfTextPage, text: str) -> list[bool]:
    """Which characters separate words: spaces, and the line breaks pdfium generates. Not any
    white space: a font written by glyph index reports ":" (glyph 29) as U+001D."""
    raw = textpage.raw
    return [char == " " or char == _PDFIUM_HYPHEN or bool(pdfium_c.FPDFText_IsGenerated(raw, i))
            for i, char in enumerate(text)]


# A glyph that no OCR word covered stays unknown; lines with one are skipped like garbled lines
# (and named in a warning). A page with more of them than this share is read by OCR instead.
_UNDECODED = "\ufffd"
_MAX_UNDECODED_SHARE = 0.01


def _apply_repair(textpage: pdfium.PdfTextPage, text: str, repair: dict[glyphs.GlyphKey, str]) -> str | None:
    """The text with its glyphs decoded (unknown ones as U+FFFD); None if too many are unknown."""
    out = []
    unknown = 0
    for char, key, gap in zip(text, _glyph_keys(textpage, len(text)), _gaps(textpage, text), strict=True):
        if gap:
            out.append(char)
        elif (decoded := repair.get(key)) is not None:
            out.append(decoded)
        else:
            out.append(_UNDECODED)
            unknown += 1
    if unknown > _MAX_UNDECODED_SHARE * max(1, len(text)):
        return None
    return "".join(out)


def _glyph_words(document: pdfium.PdfDocument, index: int, read: ocr.OcrPage, votes: glyphs.GlyphVotes,
                 ) -> list[tuple[glyphs.GlyphKey, ...]]:
    """Votes from one page's OCR words laid over its text layer; the page's words as glyph
    code sequences, in text-layer order."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            count = min(textpage.count_chars(), MAX_PAGE_CHARS)
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
            keys = _glyph_keys(textpage, count)
            gaps = _gaps(textpage, text)
            charbox = _CharBoxes(textpage, _Transform(page, read.rotated))
            centres: list[tuple[float, float, int]] = []
            for i in range(count):
                if not gaps[i] and (box := charbox(i)) is not None:
                    centres.append(((box[2] + box[3]) / 2, (box[0] + box[1]) / 2, i))
        finally:
            textpage.close()
    finally:
        page.close()
    centres.sort()
    ys = [c[0] for c in centres]
    k = 72.0 / read.dpi
    loose: list[tuple[list[glyphs.GlyphKey], str]] = []
    for word in read.words:
        top, bottom, left, right = word.top * k, word.bottom * k, word.left * k, word.right * k
        slack = 0.15 * (bottom - top)
        lo, hi = bisect.bisect_left(ys, top - slack), bisect.bisect_right(ys, bottom + slack)
        inside = sorted((x, i) for _, x, i in centres[lo:hi] if left - slack <= x <= right + slack)
        under = [keys[i] for _, i in inside]
        if under and not votes.add_word(under, word.text):
            loose.append((under, word.text))
    known = {key: counter.most_common(1)[0][0] for key, counter in votes.counts.items()}
    for under, read_text in loose:
        votes.add_loose(under, read_text, known)
    words: list[tuple[glyphs.GlyphKey, ...]] = []
    current: list[glyphs.GlyphKey] = []
    for key, gap in zip(keys, gaps, strict=True):
        if gap:
            if current:
                words.append(tuple(current))
            current = []
        else:
            current.append(key)
    if current:
        words.append(tuple(current))
    return words


def _read_page(
    document: pdfium.PdfDocument, index: int, *, after_signature: bool = False,
    repair: dict[glyphs.GlyphKey, str] | None = None,
) -> _PageResult:
    """Text and geometry of one page; per-character boxes only where two columns may be: page 1,
    pages with a signature block and the page after one (the block may run over). With
    ``repair``, every character of the text layer is first replaced by the one its glyph code
    decodes to (see :mod:`.glyphs`); a page with a code that was not decoded reads as garbled."""
    page, flattened = _load_page(document, index)
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count > MAX_PAGE_CHARS:
                return _PageResult(error=f"too much text ({count} characters)")
            text = textpage.get_text_range() if count > 0 else ""
            if len(text) != count:  # non-BMP characters shift indexes; rebuild one per index
                text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
            if repair is not None:
                repaired = _apply_repair(textpage, text, repair)
                if repaired is None:
                    return _PageResult(garbled=True)
                text = repaired
            spans = _line_spans(text)
            if not spans:
                return _PageResult(empty=True)
            counts = [_word_counts(text[start:end]) for start, end in spans]
            if _garbled(sum(c[0] for c in counts), sum(c[1] for c in counts), page=True):
                return _PageResult(garbled=True)
            scanned = sum(len(text[start:end].split()) for start, end in spans[:_SCAN_MAX_WORDS]) < _SCAN_MAX_WORDS \
                and _image_share(page) >= _SCAN_IMAGE_SHARE
            transform = _Transform(page, _text_rotation(textpage, text, spans))
            width, height = transform.size
            result = _Page(number=index + 1, width=width, height=height)
            # Flattened annotation text comes last in content order, as one line spanning the
            # page: it must be cut and placed by geometry too.
            signature = bool(_SIGNATURE_HINT.search(unicodedata.normalize("NFC", text)))
            result.layout = index == 0 or flattened or signature or after_signature
            charbox = _CharBoxes(textpage, transform)
            pieces: list[_Piece] = []
            readable: list[tuple[int, int]] = []
            garbled_lines = 0
            for (start, end), (good, odd) in zip(spans, counts, strict=True):
                if _garbled(good, odd, page=False) or (repair is not None and _UNDECODED in text[start:end]):
                    garbled_lines += 1
                    continue
                readable.append((start, end))
                if result.layout:
                    pieces.extend(_split_line(text, start, end, charbox))
                elif (piece := _line_piece(text, start, end, charbox)) is not None:
                    pieces.append(piece)
            for piece in pieces:
                piece.text = _clean(piece.text)
            result.rows = _rows([p for p in pieces if p.text])
            if not result.rows:
                return _PageResult(empty=True)
            result.grids = _read_grids(page, transform, text, readable, charbox)
            return _PageResult(page=result, garbled_lines=garbled_lines, signature=signature, scanned=scanned)
        finally:
            textpage.close()
    finally:
        page.close()


def assemble_pages(pages: list[_Page]) -> list[Block]:
    """Blocks in reading order from pages read by pdfium or by OCR: page furniture marked, task
    tables linked over page breaks, two-column blocks read column by column."""
    _fix_ocr_acronyms(pages)
    _mark_page_numbers(pages)
    _mark_running_lines(pages)
    _link_tables(pages)

    blocks: list[Block] = []
    open_zone = False
    previous_number = 0
    for page in pages:
        lines, open_zone = _ordered_lines(page, continued=open_zone and page.number == previous_number + 1)
        previous_number = page.number
        _rejoin_hyphens(lines)
        for line in lines:
            if line.rows is not None:
                for row in line.rows:
                    cells = row.texts()
                    if any(cells):
                        blocks.append(Block(text=" | ".join(cells), page=row.page, kind="table_row", cells=cells))
            elif line.text:
                blocks.append(Block(text=line.text, page=page.number, kind="line", furniture=line.furniture))
    ocr_pages = {page.number for page in pages if page.ocr}
    return _repair_headings(_repair_labels(blocks, ocr_pages), ocr_pages) if ocr_pages else blocks


_ROMAN_VALUES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
_ROMAN_HEADING = re.compile(r"^([IVXHl1|\[\]!]{1,5})(\.?)\s+(\S+)")
_ROMAN_LOOKALIKE = ocr.ROMAN_LOOKALIKE


def _heading_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _repair_headings(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
    """Roman-numbered headings ("II. NHIỆM VỤ") that OCR misread ("I[.", "II NHIỆM", a third
    "I" lost): numerals are written with I, V, X only, and they count up."""
    out = list(blocks)
    previous = 0
    for i, block in enumerate(out):
        if block.kind != "line" or block.furniture:
            continue
        m = _ROMAN_HEADING.match(block.text)
        if m is None or not any(c in "IVX" for c in m.group(1)) or not _heading_word(m.group(3)):
            continue
        numeral = m.group(1).translate(_ROMAN_LOOKALIKE) if block.page in ocr_pages else m.group(1)
        value = _ROMAN_VALUES.index(numeral) + 1 if numeral in _ROMAN_VALUES else 0
        if block.page in ocr_pages and previous and value <= previous < len(_ROMAN_VALUES):
            value = previous + 1  # "I.", "II.", then "II." again: the third
        if not value:
            continue
        if block.page in ocr_pages:
            text = f"{_ROMAN_VALUES[value - 1]}. " + block.text[m.start(3):]
            if text != block.text:
                out[i] = replace(block, text=text)
        previous = value
    return out


_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_LETTER_LABEL = re.compile(r"^([a-zđ])\)\s")
_MISREAD_LABEL = re.compile(r"^(\S\)?)\s+(?=[^\W\d_])")
_LABEL_REACH = 40  # lines


def _repair_labels(blocks: list[Block], ocr_pages: set[int]) -> list[Block]:
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


def _cell_lines(page: _Page) -> list[_CellLine]:
    seen: set[int] = set()
    lines: list[_CellLine] = []
    for grid in page.grids:
        for cells in grid.rows:
            for cell in cells:
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    lines.extend(cell.lines)
    return lines


def _fix_ocr_acronyms(pages: list[_Page]) -> None:
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


_KIND_PROBLEM = {
    "garbled": "text layer unreadable (broken font encoding)",
    "empty": "no text layer (scanned?)",
    "scanned": "mostly an image (scanned?)",
}


class _OcrReader:
    """OCR for the pages of one PDF that have no usable text layer, and what to tell the user
    about them: which pages were read so, which could not be and why."""

    def __init__(self) -> None:
        self.pages: list[int] = []  # read by OCR
        self.blank: list[int] = []  # nothing drawn on them: not worth OCR
        self._recovered: list[int] = []  # garbage text layers replaced by OCR
        self._unread: dict[str, list[int]] = {kind: [] for kind in _KIND_PROBLEM}  # OCR not installed
        self._failed: dict[str, list[tuple[int, str]]] = {kind: [] for kind in _KIND_PROBLEM}
        self._nothing: list[int] = []  # OCR found no text
        self._low: list[tuple[int, float]] = []
        self._confidence_sum = 0.0
        self._words = 0
        self._repaired: list[int] = []  # garbage text layers repaired with the OCR's help
        self.last: ocr.OcrPage | None = None  # the OCR reading of the page last read

    def repaired(self, number: int) -> None:
        self._recovered.remove(number)
        self._repaired.append(number)

    def read(self, document: pdfium.PdfDocument, index: int, kind: str) -> _Page | None:
        number = index + 1
        if ocr.unavailable_reason() is not None:
            self._unread[kind].append(number)
            return None
        self.last = None
        try:
            read = _ocr_page(document, index)
        except ocr.OcrError as exc:
            self._failed[kind].append((number, str(exc)))
            return None
        page = page_from_ocr(number, read)
        if not page.rows:
            if kind == "empty":
                self._nothing.append(number)
            else:
                self._failed[kind].append((number, "it found no text"))
            return None
        if is_garbled(" ".join(row.text for row in page.rows)):
            self._failed[kind].append((number, "it found no readable text"))
            return None
        self.pages.append(number)
        self.last = read
        if kind == "garbled":
            self._recovered.append(number)
        confidence = read.confidence or 0.0
        if confidence < ocr.LOW_CONFIDENCE:
            self._low.append((number, confidence))
        self._confidence_sum += confidence * len(read.words)
        self._words += len(read.words)
        return page

    def confidence(self) -> float | None:
        return round(self._confidence_sum / self._words, 1) if self._words else None

    def warnings(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if self._repaired:
            out.append(parse_warning("text_layer_repaired", f"{_KIND_PROBLEM['garbled']}; repaired (its glyphs "
                                     "decoded with the help of OCR)", self._repaired))
        if self._recovered:
            out.append(parse_warning("text_layer_replaced_by_ocr", f"{_KIND_PROBLEM['garbled']}; read by OCR instead",
                                     self._recovered))
        for number in self._unread["garbled"]:
            out.append(parse_warning("page_unread_no_ocr", f"{_KIND_PROBLEM['garbled']}; skipped; {ocr.INSTALL_HINT}",
                                     [number]))
        if self._unread["empty"]:
            out.append(parse_warning("page_unread_no_ocr", f"{_KIND_PROBLEM['empty']}; skipped; {ocr.INSTALL_HINT}",
                                     self._unread["empty"]))
        if self._unread["scanned"]:
            out.append(parse_warning("scan_text_layer_only", f"{_KIND_PROBLEM['scanned']}; only its text layer was "
                                     f"read; {ocr.INSTALL_HINT}", self._unread["scanned"]))
        for kind, failures in self._failed.items():
            rest = "only its text layer was read" if kind == "scanned" else "skipped"
            for number, reason in failures:
                out.append(parse_warning("ocr_failed", f"{_KIND_PROBLEM[kind]}, and OCR failed ({reason}); {rest}",
                                         [number]))
        if blank := sorted(self.blank + self._nothing):
            out.append(parse_warning("page_blank", "no text (blank, damaged, or none found by OCR); skipped", blank))
        if self._low:
            scores = ", ".join(f"{c:.0f}" for _, c in self._low)
            out.append(parse_warning("ocr_low_confidence", f"read by OCR with low confidence ({scores} of 100); the "
                                     "text may be wrong", [n for n, _ in self._low]))
        return out

    def refusal(self) -> str | None:
        """Why no page could be read, when it is for want of a text layer."""
        if self._unread["garbled"]:
            return f"PDF text layer is unreadable (broken font encoding); {ocr.INSTALL_HINT}"
        if self._failed["garbled"]:
            return f"PDF text layer is unreadable (broken font encoding), and OCR failed ({self._failed['garbled'][0][1]})"
        if self._unread["empty"] or self._unread["scanned"]:
            return f"PDF has no text layer (scanned?); {ocr.INSTALL_HINT}"
        if failures := self._failed["empty"] + self._failed["scanned"]:
            return f"PDF has no text layer (scanned?), and OCR failed ({failures[0][1]})"
        if self._nothing or self.blank:
            return "PDF has no text: no text layer, and none found by OCR (blank pages?)"
        return None


@dataclass(frozen=True, slots=True)
class _BrokenPage:
    """A page whose text layer is garbage, read by OCR for now."""

    position: int  # in the list of pages read
    index: int
    after_signature: bool
    words: list[tuple[glyphs.GlyphKey, ...]]


def _repair_broken_pages(document: pdfium.PdfDocument, pages: list[_Page], broken: list[_BrokenPage],
                         votes: glyphs.GlyphVotes, reader: _OcrReader) -> list[Diagnostic]:
    """Pages whose glyph codes all decode are read from their repaired text layer instead of
    from OCR: same layout handling, and the characters as printed (see :mod:`.glyphs`)."""
    mapping = glyphs.decode(votes, [word for page in broken for word in page.words], syllable_score)
    warnings = []
    for page in broken:
        try:
            result = _read_page(document, page.index, after_signature=page.after_signature, repair=mapping)
        except _TEXT_ERRORS:
            continue
        if result.page is not None and not result.garbled:
            pages[page.position] = result.page
            reader.repaired(page.index + 1)
            if result.garbled_lines:
                warnings.append(parse_warning("lines_undecoded", f"{result.garbled_lines} line(s) with glyphs that "
                                              "could not be decoded skipped", [page.index + 1]))
    return warnings


class PdfParser:
    format: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        from . import sha256_of

        if not data:
            raise InputError("file is empty")
        if b"%PDF-" not in data[:1024]:
            raise InputError("corrupt PDF: no %PDF- header")
        # pdfium rebuilds a cut-off file from what is left and would return part of the text as
        # if it were all: a file that does not end with %%EOF (allowing for trailing padding) is
        # refused instead.
        if b"%%EOF" not in data.rstrip(b"\0\r\n\t\x0c ")[-1024:]:
            raise InputError("corrupt PDF: file is truncated (no %%EOF end marker)")
        warnings: list[Diagnostic] = []
        document = _open(data)
        reader = _OcrReader()
        try:
            with contextlib.suppress(pdfium.PdfiumError):
                document.init_forms()  # lets pages flatten form fields; cheap (~0.05 ms)
            page_count = len(document)
            if page_count == 0:
                raise InputError("corrupt PDF: it has no pages")
            if page_count > MAX_PAGES:
                raise InputError(f"PDF has too many pages ({page_count}; limit {MAX_PAGES})")
            pages: list[_Page] = []
            failed: list[int] = []
            signature = False
            votes = glyphs.GlyphVotes()
            broken: list[_BrokenPage] = []
            for index in range(page_count):
                before = signature
                try:
                    result = _read_page(document, index, after_signature=signature)
                except _TEXT_ERRORS as exc:
                    result = _PageResult(error=str(exc) or type(exc).__name__)
                number = index + 1
                signature = result.signature
                if result.error:
                    failed.append(number)
                    warnings.append(parse_warning("page_unreadable", f"could not be read ({result.error}); skipped",
                                                  [number]))
                    continue
                if result.page is not None and result.garbled_lines:
                    warnings.append(parse_warning(
                        "lines_unreadable", f"{result.garbled_lines} line(s) with unreadable text (broken font "
                        "encoding) skipped", [number]))
                if result.page is not None and not result.scanned:
                    pages.append(result.page)
                    continue
                # No usable text layer: none, garbage, or a few stamped words on a scan.
                if result.empty and _is_blank(document, index):
                    reader.blank.append(number)
                    continue
                kind = "garbled" if result.garbled else "scanned" if result.scanned else "empty"
                page = reader.read(document, index, kind)
                if page is None and result.page is not None:
                    page = result.page  # the stamped words are still worth having
                if page is not None:
                    if kind == "garbled" and reader.last is not None:
                        with contextlib.suppress(*_TEXT_ERRORS):
                            words = _glyph_words(document, index, reader.last, votes)
                            broken.append(_BrokenPage(len(pages), index, before, words))
                    pages.append(page)
                    signature = signature or any(_SIGNATURE_HINT.search(row.text) for row in page.rows)
            if broken:
                warnings.extend(_repair_broken_pages(document, pages, broken, votes, reader))
        finally:
            document.close()

        warnings.extend(reader.warnings())
        if not pages:
            raise InputError(reader.refusal() or f"corrupt PDF: no page could be read ({len(failed)} failed)")

        blocks = assemble_pages(pages)
        return ParsedDocument(
            path=str(path),
            format="pdf",
            sha256=sha256_of(data),
            pages=page_count,
            blocks=tuple(blocks),
            warnings=tuple(warnings),
            ocr_pages=tuple(reader.pages),
            ocr_confidence=reader.confidence(),
        )
