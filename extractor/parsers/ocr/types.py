"""What OCR yields, whichever engine reads: words with boxes and confidences, rulings, pages.

Kept apart from the engines and the correction so that every module of the package (and the
layout code that turns a read page into lines) can import the types without importing
Tesseract's runner, and without the import circle reading and re-reading once had.
"""

from __future__ import annotations

from dataclasses import dataclass

DPI = 300  # rendering resolution for PDF pages
PAGE_TIMEOUT = 60.0  # seconds of OCR per page (a dense A4 page takes 1-3 s with Tesseract)
MAX_PIXELS = 36_000_000  # what is OCR'd at most: A3 at 300 dpi; larger pages are scaled down
MAX_IMAGE_PIXELS = 120_000_000  # an image file larger than this is refused before decoding
LOW_CONFIDENCE = 60.0  # pages below this mean word confidence are named in a warning
# Words below this confidence are marked for a reader to check (the record's
# source.ocr_doubtful_words): Tesseract's wrong words mostly score under it, its right ones over.
DOUBTFUL_WORD = 60.0


class OcrError(Exception):
    """OCR could not read a page; ``str()`` is one line fit for a user."""


class OcrUnavailable(OcrError):
    """The OCR engine (Tesseract) or its Vietnamese model is not installed."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as the engine read it, its box in pixels of the image read."""

    text: str
    confidence: float  # 0-100
    left: float
    top: float
    right: float
    bottom: float
    line: tuple[int, int, int]  # the engine's (block, paragraph, line): words of one text line share it


@dataclass(frozen=True, slots=True)
class Ruling:
    """A straight ruling in pixels: horizontal (``top == bottom``) or vertical (``left == right``)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.top == self.bottom


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page read by OCR. Coordinates are pixels of the image as read (turned upright if it
    had to be); ``dpi`` converts them to points."""

    width: int
    height: int
    dpi: float
    words: tuple[OcrWord, ...]
    rulings: tuple[Ruling, ...] = ()
    rotated: int = 0  # degrees the image was turned (clockwise) before it was read

    @property
    def confidence(self) -> float | None:
        """Mean word confidence (0-100), or None when no word was read."""
        if not self.words:
            return None
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)
