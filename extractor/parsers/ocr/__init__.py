"""OCR of page images: words with boxes and confidences, behind one engine interface.

Used for scans (PDF pages without a text layer, PNG/JPEG/TIFF files) and for PDF pages whose
text layer is garbage (a broken ToUnicode map: the glyphs are right, the text behind them is
not). What comes out is geometry, not blocks: :func:`extractor.parsers.layout.page_from_ocr`
turns words into lines, read in the same order, with the same furniture and task-table
handling, as a text layer.

The package, one concern a module:

* :mod:`.types` -- what an engine yields (:class:`OcrWord`, :class:`Ruling`, :class:`OcrPage`)
  and the errors; :mod:`.engine` -- the :class:`OcrEngine` protocol; :mod:`.tesseract` -- the
  Tesseract CLI as that engine (the only one today; another would sit beside it);
* :mod:`.recognition` -- one page through the steps around the engine: :mod:`.images`
  (grayscale, size bounds), :mod:`.rulings` (ruled tables in the pixels), :mod:`.recover` (ink
  the engine left out), :mod:`.reread` (italic and barely read words read again);
* :mod:`.correction` -- the dictionary check of what was read, on Vietnamese syllable
  knowledge shared with the rest of the extractor (:mod:`extractor.syllables`).

Callers use what this module exports; the default engine answers :func:`unavailable_reason`.
"""

from __future__ import annotations

from .correction import ROMAN_LOOKALIKE, correct_tokens, fix_acronyms, fix_unsure_collocations
from .engine import OcrEngine
from .recognition import DEFAULT_ENGINE, doubtful_words, recognise
from .tesseract import TesseractEngine
from .types import (
    DOUBTFUL_WORD,
    DPI,
    LOW_CONFIDENCE,
    MAX_IMAGE_PIXELS,
    MAX_PIXELS,
    PAGE_TIMEOUT,
    OcrError,
    OcrPage,
    OcrUnavailable,
    OcrWord,
    Ruling,
)

INSTALL_HINT = DEFAULT_ENGINE.install_hint

__all__ = [
    "DEFAULT_ENGINE",
    "DOUBTFUL_WORD",
    "DPI",
    "INSTALL_HINT",
    "LOW_CONFIDENCE",
    "MAX_IMAGE_PIXELS",
    "MAX_PIXELS",
    "PAGE_TIMEOUT",
    "ROMAN_LOOKALIKE",
    "OcrEngine",
    "OcrError",
    "OcrPage",
    "OcrUnavailable",
    "OcrWord",
    "Ruling",
    "TesseractEngine",
    "available",
    "correct_tokens",
    "doubtful_words",
    "fix_acronyms",
    "fix_unsure_collocations",
    "recognise",
    "unavailable_reason",
]


def unavailable_reason() -> str | None:
    """Why OCR cannot run here (one line), or None when the default engine reads Vietnamese."""
    return DEFAULT_ENGINE.unavailable_reason()


def available() -> bool:
    """Whether OCR can run here."""
    return unavailable_reason() is None
