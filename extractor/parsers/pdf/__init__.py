"""The PDF backend as a package, one concern a module (the reasons are in :mod:`.backend`):

* :mod:`.backend` -- :class:`PdfParser`: pages read, scans and broken text layers sent to OCR,
  broken fonts repaired, blocks assembled by the layout model (:mod:`..layout`);
* :mod:`.adapter` -- the pdfium adapter: opening, pages, character boxes, rendering;
* :mod:`.pages` -- one page of a text layer read into the layout model;
* :mod:`.rulings` -- rulings from the page's path objects, for ruled tables;
* :mod:`.quality` -- whether a text layer reads as Vietnamese or as mojibake;
* :mod:`.ocr_reader` -- OCR of pages without a usable text layer, and its warnings;
* :mod:`.glyphs` and :mod:`.repair` -- decoding a broken font's glyph codes from OCR votes.
"""

from __future__ import annotations

from .backend import PdfParser
from .quality import is_garbled

__all__ = ["PdfParser", "is_garbled"]
