"""The PDF side of the broken-font repair: glyph codes of the text layer, OCR votes laid over them.

:mod:`.glyphs` decodes glyph codes from votes; this module feeds it from pdfium: each
character's glyph key (font, code, shape), which characters separate words, the votes of a
page's OCR words over the characters under them, and the text layer rewritten with the
decoded characters (:func:`apply_repair`).
"""

from __future__ import annotations

import bisect
import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import ocr
from ..layout import JOINED_HYPHEN
from . import glyphs
from .adapter import MAX_PAGE_CHARS, CharBoxes, Transform


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
    return [char == " " or char == JOINED_HYPHEN or bool(pdfium_c.FPDFText_IsGenerated(raw, i))
            for i, char in enumerate(text)]


# A glyph that no OCR word covered stays unknown; lines with one are skipped like garbled lines
# (and named in a warning). A page with more of them than this share is read by OCR instead.
UNDECODED = "\ufffd"
_MAX_UNDECODED_SHARE = 0.01


def apply_repair(textpage: pdfium.PdfTextPage, text: str, repair: dict[glyphs.GlyphKey, str]) -> str | None:
    """The text with its glyphs decoded (unknown ones as U+FFFD); None if too many are unknown."""
    out = []
    unknown = 0
    for char, key, gap in zip(text, _glyph_keys(textpage, len(text)), _gaps(textpage, text), strict=True):
        if gap:
            out.append(char)
        elif (decoded := repair.get(key)) is not None:
            out.append(decoded)
        else:
            out.append(UNDECODED)
            unknown += 1
    if unknown > _MAX_UNDECODED_SHARE * max(1, len(text)):
        return None
    return "".join(out)


def glyph_words(document: pdfium.PdfDocument, index: int, read: ocr.OcrPage, votes: glyphs.GlyphVotes,
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
            charbox = CharBoxes(textpage, Transform(page, read.rotated))
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
