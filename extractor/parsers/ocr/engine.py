"""The one interface an OCR engine implements, so that another engine can sit beside Tesseract.

An engine only reads words: the page pipeline around it (scaling, rulings, the ink it missed,
second readings, a page fed sideways; :mod:`.recognition`) and the dictionary check of what it
read (:mod:`.correction`) are the same whatever reads. An engine reports words in the pixels
of the image it was given, with a confidence from 0 to 100 and the (block, paragraph, line)
it put each word in: later steps group words into lines by that key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL import Image

    from .types import OcrWord


class OcrEngine(Protocol):
    """An OCR engine for Vietnamese page images (8-bit grayscale on white)."""

    name: str
    install_hint: str  # what to install to make it available, for messages ("install ... to read it")

    def unavailable_reason(self) -> str | None:
        """Why the engine cannot run here (one line), or None when it can read Vietnamese."""
        ...

    def read_words(self, image: Image.Image, dpi: float, timeout: float, *, block: bool = False,
                   raw_line: bool = False) -> list[OcrWord]:
        """The words of ``image``: a page laid out as it comes, with ``block`` one block of text
        (a strip of cut-out lines read again), with ``raw_line`` one line read as it stands
        (a name, see :mod:`.names`). Raises :class:`.types.OcrError`."""
        ...

    def orientation(self, image: Image.Image, timeout: float) -> int:
        """Degrees to turn the page clockwise to make it upright (0 if upright or unsure)."""
        ...
