"""OCR for the pages of one PDF that have no usable text layer, and what to tell the user about them.

A page with no text layer, a garbage one, a few stamped words on a scan, or a scan's hidden OCR
layer in another language is rendered and read by OCR (:mod:`..ocr`), then laid out like any other page (:func:`..layout.page_from_ocr`). The
reader keeps count of what happened to each such page -- read, repaired, unread for want of
Tesseract, failed, blank, read with low confidence -- and turns it into warnings, or into the
reason the whole document is refused.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ...diagnostics import Diagnostic, parse_warning
from .. import ocr
from ..base import DoubtfulWord
from ..layout import Page, page_from_ocr
from .adapter import TEXT_ERRORS, render
from .quality import is_garbled


def _ocr_page(document: pdfium.PdfDocument, index: int) -> ocr.OcrPage:
    try:
        image, dpi = render(document, index)
    except TEXT_ERRORS as exc:
        raise ocr.OcrError(f"the page could not be rendered ({str(exc) or type(exc).__name__})") from None
    return ocr.recognise(image, dpi)


_KIND_PROBLEM = {
    "garbled": "text layer unreadable (broken font encoding)",
    "empty": "no text layer (scanned?)",
    "scanned": "mostly an image (scanned?)",
    "foreign": "scan whose hidden text layer is not Vietnamese (words without their marks: OCR in another language?)",
}


class OcrReader:
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
        self._partly: list[int] = []  # text layers with some garbage lines, repaired so
        self._replaced: list[int] = []  # foreign text layers replaced by OCR
        self.last: ocr.OcrPage | None = None  # the OCR reading of the page last read
        self._doubtful: dict[int, list[DoubtfulWord]] = {}  # page -> words OCR was unsure of

    def repaired(self, number: int) -> None:
        self._recovered.remove(number)
        self._repaired.append(number)

    def read_for_votes(self, document: pdfium.PdfDocument, index: int) -> ocr.OcrPage | None:
        """The OCR reading of a page whose text layer is mostly readable, to repair the rest of it
        from; None when OCR is unavailable or fails (the page keeps its text layer)."""
        if ocr.unavailable_reason() is not None:
            return None
        try:
            return _ocr_page(document, index)
        except ocr.OcrError:
            return None

    def partly_repaired(self, number: int, read: ocr.OcrPage) -> None:
        """A page whose broken lines were repaired from ``read``: it counts as read with OCR's help."""
        self.pages.append(number)
        self.pages.sort()
        self._partly.append(number)
        self._count(number, read)

    def _count(self, number: int, read: ocr.OcrPage) -> None:
        confidence = read.confidence or 0.0
        if confidence < ocr.LOW_CONFIDENCE:
            self._low.append((number, confidence))
        self._confidence_sum += confidence * len(read.words)
        self._words += len(read.words)

    def read(self, document: pdfium.PdfDocument, index: int, kind: str) -> Page | None:
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
        elif kind == "foreign":
            self._replaced.append(number)
        self._count(number, read)
        self._doubtful[number] = ocr.doubtful_words(number, read)
        return page

    def doubtful_words(self) -> tuple[DoubtfulWord, ...]:
        """The doubtful words of the pages whose text is OCR's (not of those repaired from their
        own text layer), in page order."""
        return tuple(w for number in sorted(self._doubtful) if number not in self._repaired for w in self._doubtful[number])

    def confidence(self) -> float | None:
        return round(self._confidence_sum / self._words, 1) if self._words else None

    def warnings(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if self._repaired:
            out.append(parse_warning("text_layer_repaired", f"{_KIND_PROBLEM['garbled']}; repaired (its glyphs "
                                     "decoded with the help of OCR)", self._repaired))
        if self._partly:
            out.append(parse_warning("text_layer_repaired", "some lines of the text layer unreadable (broken font "
                                     "encoding); repaired (their glyphs decoded with the help of OCR)", self._partly))
        if self._recovered:
            out.append(parse_warning("text_layer_replaced_by_ocr", f"{_KIND_PROBLEM['garbled']}; read by OCR instead",
                                     self._recovered))
        if self._replaced:
            out.append(parse_warning("text_layer_not_vietnamese", f"{_KIND_PROBLEM['foreign']}; read by OCR instead",
                                     self._replaced))
        if self._unread["foreign"]:
            out.append(parse_warning("text_layer_not_vietnamese", f"{_KIND_PROBLEM['foreign']}; only its text layer "
                                     f"was read; {ocr.INSTALL_HINT}", self._unread["foreign"]))
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
            rest = "only its text layer was read" if kind in ("scanned", "foreign") else "skipped"
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
