"""The pdfium adapter: what the PDF backend asks of pypdfium2, in reading-space points.

Opening a document (and telling encrypted or corrupt files apart), loading a page with its
stamped annotations flattened, the text's own orientation, loose character boxes, pdfium's
lines as spans of the page text, pieces cut at column gutters, whether a page is blank or
mostly one image, and rendering a page for OCR. Everything above this module works on
:mod:`..layout` objects, never on pdfium handles.

**Geometry is fetched only where it matters.** Every line gets a box from its first and last
character (two calls, :func:`line_piece`): enough to sort lines and to recognise page numbers
and running headers. Where two columns may be, each character's box is fetched, so that a line
pdfium glued across the gutter ("Số: 12/UBND   Lào Cai, ngày ...") can be cut
(:func:`split_line`).
"""

from __future__ import annotations

import ctypes
import math
import re
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...errors import InputError
from .. import ocr
from ..layout import JOINED_HYPHEN, SPLIT_GAP_HEIGHTS, Piece, piece_of

if TYPE_CHECKING:
    from PIL import Image

# What pdfium and ctypes raise on a damaged page: the page is reported, the document goes on.
TEXT_ERRORS = (pdfium.PdfiumError, OSError, ValueError, MemoryError, RuntimeError, ctypes.ArgumentError)
# Bounds on hostile input: no real notice comes near them.
MAX_PAGE_CHARS = 200_000  # characters of text on one page
MAX_PATH_OBJECTS = 5000  # page objects walked on one page: more is a drawing, not a notice
MAX_FORM_DEPTH = 4  # form XObjects nested in form XObjects


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The document, or an :class:`InputError` that says why it cannot be opened."""
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


class Transform:
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


def text_rotation(textpage: pdfium.PdfTextPage, text: str, spans: list[tuple[int, int]]) -> int:
    """0, 90, 180 or 270: the direction in which most lines run in user space (90: upwards),
    from the first and last character of up to 20 lines."""
    dx = dy = 0.0
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    for start, end in [span for span in spans if span[1] - span[0] >= 4][:20]:
        centres = []
        for index in (start, end - 1 if text[end - 1] != JOINED_HYPHEN else end - 2):
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect)):
                break
            centres.append(((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2))
        if len(centres) == 2:
            dx += centres[1][0] - centres[0][0]
            dy += centres[1][1] - centres[0][1]
    if abs(dx) >= abs(dy):
        return 0 if dx >= 0 else 180
    return 90 if dy > 0 else 270


class CharBoxes:
    """Loose character boxes (font ascent to descent), so that all characters on a line share
    one top and bottom whatever their glyph."""

    def __init__(self, textpage: pdfium.PdfTextPage, transform: Transform) -> None:
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
# (JOINED_HYPHEN) for the hyphen and no line break. We split there again and keep the hyphen:
# whether it was really a word split is decided later, with Vietnamese in mind (see
# ..layout.text.rejoin_hyphens).


def line_spans(text: str) -> list[tuple[int, int]]:
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


def split_line(text: str, start: int, end: int, charbox: CharBoxes) -> list[Piece]:
    """Cut one pdfium line where the next character jumps far right (a column gutter or a
    tab stop) or back left, so that each piece lies within one column."""
    pieces: list[Piece] = []
    piece_start = start
    piece_boxes: list[tuple[float, float, float, float]] = []
    previous: tuple[float, float, float, float] | None = None
    for index in range(start, end):
        if text[index].isspace() or text[index] == JOINED_HYPHEN:
            continue
        box = charbox(index)
        if box is None:
            continue
        if previous is not None:
            height = max(previous[3] - previous[2], box[3] - box[2], 1.0)
            gap = box[0] - previous[1]
            if gap > SPLIT_GAP_HEIGHTS * height or box[1] < previous[0] - height:
                chunk = text[piece_start:index].strip()
                if chunk and piece_boxes:
                    pieces.append(piece_of(chunk, piece_boxes))
                piece_start, piece_boxes = index, []
        piece_boxes.append(box)
        previous = box
    chunk = text[piece_start:end].strip()
    if chunk and piece_boxes:
        pieces.append(piece_of(chunk, piece_boxes))
    return pieces


def line_piece(text: str, start: int, end: int, charbox: CharBoxes) -> Piece | None:
    """The whole pdfium line as one piece, boxed by its first and last visible characters."""
    boxes = []
    last = end - 2 if text[end - 1] == JOINED_HYPHEN and end - 2 > start else end - 1
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
    return piece_of(text[start:end], boxes)


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


def load_page(document: pdfium.PdfDocument, index: int) -> tuple[pdfium.PdfPage, bool]:
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


def render(document: pdfium.PdfDocument, index: int) -> tuple[Image.Image, float]:
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


# A sheet scanned blank (the back of a one-sided page, in a duplex scan) is an image all the same:
# it counts as blank when, rendered small, under this share of its pixels are dark inside the
# margins that Vietnamese administrative documents keep clear (Nghị định 30/2020/NĐ-CP: 20-35
# mm; at 7% of the sheet the inner area leaves out punch holes and the scanner's edge shadows).
# The faint show-through of the other side is far lighter than _DARK; the emptiest page of text
# in the corpus (a few lines of a signature) has 0.14% dark pixels.
_INK_DPI = 50
_INK_MARGIN = 0.07
_DARK = 160
_MAX_INK_SHARE = 0.0002


def is_blank(document: pdfium.PdfDocument, index: int) -> bool:
    """Nothing is drawn on the page (no content objects, no annotations), or what is drawn leaves
    no ink where text would be: a blank sheet scanned. A page pdfium cannot load is not blank:
    it goes on to be reported as unreadable."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return False
    try:
        if pdfium_c.FPDFPage_CountObjects(page.raw) <= 0 and pdfium_c.FPDFPage_GetAnnotCount(page.raw) <= 0:
            return True
        bitmap = page.render(scale=_INK_DPI / 72, grayscale=True, may_draw_forms=True)
        try:
            image = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    except TEXT_ERRORS:
        return False
    finally:
        page.close()
    width, height = image.size
    inner = image.crop((round(width * _INK_MARGIN), round(height * _INK_MARGIN),
                        round(width * (1 - _INK_MARGIN)), round(height * (1 - _INK_MARGIN))))
    dark = sum(inner.histogram()[:_DARK])
    return dark < _MAX_INK_SHARE * max(inner.width * inner.height, 1)


def image_share(page: pdfium.PdfPage) -> float:
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
            if seen > MAX_PATH_OBJECTS:
                return best
            obj = (pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject)(container, i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                stack.append((obj, True, depth + 1))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                best = max(best, (right.value - left.value) * (top.value - bottom.value) / area)
    return best
