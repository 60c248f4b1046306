"""One page image read by OCR: the steps around the engine, the same whichever engine reads.

1. The image is made 8-bit grayscale and scaled to at most :data:`.types.MAX_PIXELS`
   (:mod:`.images`).
2. Ruled tables are found in the pixels and whitened (:mod:`.rulings`).
3. The engine reads the page; ink it left out is cut out and read again as a block
   (:mod:`.recover`); italic runs and barely read lines get a second reading (:mod:`.reread`).
4. **A page the wrong way up** (a scan fed sideways) reads as junk with low confidence; then
   the engine's orientation detection is asked, and the page read again turned upright.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..base import DoubtfulWord
from .engine import OcrEngine
from .images import fit, grayscale
from .names import reread_names
from .recover import recover
from .reread import reread
from .rulings import erase_rulings, find_rulings
from .tesseract import TesseractEngine
from .types import DOUBTFUL_WORD, PAGE_TIMEOUT, OcrError, OcrPage, OcrUnavailable, OcrWord

if TYPE_CHECKING:
    from PIL import Image

DEFAULT_ENGINE: OcrEngine = TesseractEngine()


def recognise(image: Image.Image, dpi: float, *, timeout: float = PAGE_TIMEOUT, tables: bool = True,
              engine: OcrEngine = DEFAULT_ENGINE) -> OcrPage:
    """Read one page image. Raises :class:`.types.OcrUnavailable` or :class:`.types.OcrError`."""
    if (reason := engine.unavailable_reason()) is not None:
        raise OcrUnavailable(reason)
    image, dpi = fit(grayscale(image), dpi)
    page = _read(image, dpi, timeout, tables=tables, engine=engine)
    if _doubtful(page):
        # Sideways or upside down? Ask OSD, and keep the better reading.
        turn = engine.orientation(image, timeout)
        if turn:
            from PIL import Image as PILImage

            turned = image.transpose({90: PILImage.Transpose.ROTATE_270, 180: PILImage.Transpose.ROTATE_180,
                                      270: PILImage.Transpose.ROTATE_90}[turn])
            again = replace(_read(turned, dpi, timeout, tables=tables, engine=engine), rotated=turn)
            if len(again.words) >= len(page.words) / 2 and (again.confidence or 0) > (page.confidence or 0) + 10:
                page = again
    return page


def _read_strip(engine: OcrEngine, strip: Image.Image, dpi: float, timeout: float, *, raw_line: bool = False) -> list[OcrWord]:
    """A strip of words (or one raw line) to read again; nothing when the engine fails on it
    (the page's own reading stands)."""
    try:
        return engine.read_words(strip, dpi, timeout, block=not raw_line, raw_line=raw_line)
    except OcrError:
        return []


def _doubtful(page: OcrPage) -> bool:
    return bool(page.words) and (page.confidence or 0) < 50


def _read(image: Image.Image, dpi: float, timeout: float, *, tables: bool, engine: OcrEngine = DEFAULT_ENGINE) -> OcrPage:
    rulings = find_rulings(image, dpi) if tables else []
    cleaned = erase_rulings(image, rulings, dpi)
    words = engine.read_words(cleaned, dpi, timeout)

    def read_block(strip: Image.Image) -> list[OcrWord]:
        return _read_strip(engine, strip, dpi, timeout)

    def read_line(strip: Image.Image) -> list[OcrWord]:
        return _read_strip(engine, strip, dpi, timeout, raw_line=True)

    words += recover(cleaned, words, dpi, read_block)
    words = reread(cleaned, words, read_block)
    words = reread_names(cleaned, words, read_line)
    return OcrPage(width=image.width, height=image.height, dpi=dpi, words=tuple(words), rulings=tuple(rulings))


def doubtful_words(page: int, read: OcrPage) -> list[DoubtfulWord]:
    """The words of a read page that Tesseract was unsure of (under :data:`.types.DOUBTFUL_WORD`;
    words with a letter or digit), in its reading order, each with the number of words of the
    same text read before it on the page, and in all (to find it again in the document's text)."""
    counts = Counter(word.text for word in read.words)
    seen: dict[str, int] = {}
    out = []
    for word in read.words:
        seen[word.text] = rank = seen.get(word.text, -1) + 1
        if word.confidence < DOUBTFUL_WORD and any(c.isalnum() for c in word.text):
            out.append(DoubtfulWord(page=page, text=word.text, rank=rank, count=counts[word.text],
                                    confidence=round(word.confidence, 1)))
    return out
