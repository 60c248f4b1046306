"""PDF backend: the text layer in reading order, one block per visual line.

Why it is built this way:

* **pypdfium2 does the reading.** Its text extraction is native and an order of magnitude
  faster than pdfplumber's pure-Python layout analysis, and it yields lines in content order,
  which for the Word/iText PDFs that provinces publish is reading order. pdfplumber is not used.
* **Geometry is fetched only where it matters.** Every line gets a box from its first and last
  character (two calls): enough to sort lines and to recognise page numbers and running
  headers. Only page 1 (issuer | national motto), pages with a signature block ("Nơi nhận:" |
  "KT. CHỦ TỊCH") and the page after one get per-character boxes, so that a line pdfium glued
  across the gutter ("Số: 12/UBND   Lào Cai, ngày ...") can be cut, and each column of such a
  block read top to bottom, left column first.
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

import contextlib
import ctypes
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from .base import Block, ParsedDocument

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
_SIGNATURE_HINT = re.compile(r"Nơi\s*nhận|(?<!\w)(?:KT|TM|TL|TUQ)\.\s")
_RECIPIENTS = re.compile(r"^Nơi\s*nhận", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\.\s")
_SALUTATION = re.compile(r"^Kính\s*gửi", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[-+•–]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_SOFT_HYPHENS = ("\u00ad", "\x02")

_TEXT_ERRORS = (pdfium.PdfiumError, OSError, ValueError, MemoryError, RuntimeError, ctypes.ArgumentError)


# --------------------------------------------------------------------------- text quality

# Vietnamese letters without tone marks; tone marks are checked separately.
_VN_BASE = frozenset("aăâbcdđeêghiklmnoôơpqrstuưvxy" "fjwz")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Structure of a Vietnamese syllable: onset, vowel nucleus, coda (tone marks removed).
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
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
        tones = sum(c in _TONE_MARKS for c in decomposed)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        lower = base.lower()
        if any(not c.isalnum() or (c.isalpha() and c not in _VN_BASE) for c in lower):
            verdicts.append("odd")
        elif any(c.isdigit() for c in base):
            verdicts.append("neutral")  # codes: 1074/QĐ-BXD, Km2+571
        elif not (base == lower or base == base.upper() or base[1:] == lower[1:]) or tones > 1:
            verdicts.append("odd")  # "CÙng", "NLӇP": capitals inside a word, or two tones
        elif _SYLLABLE.fullmatch(lower):
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
            if overlap >= 0.5 * min(piece.height, anchor.height):
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
        if sides is None:
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
    return any(p.x0 > 0.4 * width and _AUTHORITY.match(p.text) for p in row.pieces)


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
            lines.append(_Line(row.text, row.furniture))
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
    body = [line for line in lines if not line.furniture and line.text]
    for first, second in itertools.pairwise(body):
        text = first.text
        if text.endswith(_SOFT_HYPHENS) and len(text) > 1 and text[-2].isalpha():
            match = re.match(r"^(\w+)(.*)$", second.text)
            if match and match.group(1)[0].islower():
                first.text = text[:-1] + match.group(1)
                second.text = match.group(2).lstrip()
            continue
        end = _HARD_HYPHEN_END.search(text)
        start = _WORD_START.match(second.text)
        if end and start and not _SYLLABLE.fullmatch(end.group(1)):
            first.text = text[:-1] + start.group(1)
            second.text = second.text[start.end() :].lstrip()


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


def _read_page(document: pdfium.PdfDocument, index: int, *, after_signature: bool = False) -> _PageResult:
    """Text and geometry of one page; per-character boxes only where two columns may be: page 1,
    pages with a signature block and the page after one (the block may run over)."""
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
            spans = _line_spans(text)
            if not spans:
                return _PageResult(empty=True)
            counts = [_word_counts(text[start:end]) for start, end in spans]
            if _garbled(sum(c[0] for c in counts), sum(c[1] for c in counts), page=True):
                return _PageResult(garbled=True)
            transform = _Transform(page, _text_rotation(textpage, text, spans))
            width, height = transform.size
            result = _Page(number=index + 1, width=width, height=height)
            # Flattened annotation text comes last in content order, as one line spanning the
            # page: it must be cut and placed by geometry too.
            signature = bool(_SIGNATURE_HINT.search(unicodedata.normalize("NFC", text)))
            result.layout = index == 0 or flattened or signature or after_signature
            charbox = _CharBoxes(textpage, transform)
            pieces: list[_Piece] = []
            garbled_lines = 0
            for (start, end), (good, odd) in zip(spans, counts, strict=True):
                if _garbled(good, odd, page=False):
                    garbled_lines += 1
                    continue
                if result.layout:
                    pieces.extend(_split_line(text, start, end, charbox))
                elif (piece := _line_piece(text, start, end, charbox)) is not None:
                    pieces.append(piece)
            for piece in pieces:
                piece.text = _clean(piece.text)
            result.rows = _rows([p for p in pieces if p.text])
            if not result.rows:
                return _PageResult(empty=True)
            return _PageResult(page=result, garbled_lines=garbled_lines, signature=signature)
        finally:
            textpage.close()
    finally:
        page.close()


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


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
        warnings: list[str] = []
        document = _open(data)
        try:
            with contextlib.suppress(pdfium.PdfiumError):
                document.init_forms()  # lets pages flatten form fields; cheap (~0.05 ms)
            page_count = len(document)
            if page_count == 0:
                raise InputError("corrupt PDF: it has no pages")
            if page_count > MAX_PAGES:
                raise InputError(f"PDF has too many pages ({page_count}; limit {MAX_PAGES})")
            pages: list[_Page] = []
            empty: list[int] = []
            garbled: list[int] = []
            failed: list[int] = []
            signature = False
            for index in range(page_count):
                try:
                    result = _read_page(document, index, after_signature=signature)
                except _TEXT_ERRORS as exc:
                    result = _PageResult(error=str(exc) or type(exc).__name__)
                number = index + 1
                signature = result.signature
                if result.error:
                    failed.append(number)
                    warnings.append(f"page {number}: could not be read ({result.error}); skipped")
                elif result.garbled:
                    garbled.append(number)
                    warnings.append(f"page {number}: text layer unreadable (broken font encoding); skipped")
                elif result.empty or result.page is None:
                    empty.append(number)
                else:
                    pages.append(result.page)
                    if result.garbled_lines:
                        warnings.append(
                            f"page {number}: {result.garbled_lines} line(s) with unreadable text (broken font "
                            "encoding) skipped"
                        )
        finally:
            document.close()

        if not pages:
            if garbled:
                raise InputError("PDF text layer is unreadable (broken font encoding); OCR is not supported yet")
            if failed and not empty:
                raise InputError(f"corrupt PDF: no page could be read ({len(failed)} failed)")
            raise InputError("PDF has no text layer (scanned?); OCR is not supported yet")
        if empty:
            warnings.append(f"page(s) {_page_list(empty)}: no text layer (scanned?); skipped, OCR is not supported yet")

        _mark_page_numbers(pages)
        _mark_running_lines(pages)

        blocks: list[Block] = []
        open_zone = False
        previous_number = 0
        for page in pages:
            lines, open_zone = _ordered_lines(page, continued=open_zone and page.number == previous_number + 1)
            previous_number = page.number
            _rejoin_hyphens(lines)
            blocks.extend(
                Block(text=line.text, page=page.number, kind="line", furniture=line.furniture)
                for line in lines
                if line.text
            )
        return ParsedDocument(
            path=str(path),
            format="pdf",
            sha256=sha256_of(data),
            pages=page_count,
            blocks=tuple(blocks),
            warnings=tuple(warnings),
        )
