"""PDF backend (:class:`PdfParser`): the text layer in reading order, one block per visual line
or task-table row.

Why it is built this way:

* **pypdfium2 does the reading** (:mod:`.adapter`). Its text extraction is native and an order
  of magnitude faster than pdfplumber's pure-Python layout analysis, and it yields lines in
  content order, which for the Word/iText PDFs that provinces publish is reading order.
  pdfplumber never parses a page; only its table-lattice geometry is used, on rulings that
  pdfium lists (:mod:`.rulings`, :mod:`..layout.grids`).
* **Geometry is fetched only where it matters** (:mod:`.pages`). Every line gets a box from its
  first and last character (two calls): enough to sort lines and to recognise page numbers and
  running headers. Only page 1 (issuer | national motto), pages with a signature block ("Nơi
  nhận:" | "KT. CHỦ TỊCH") and the page after one get per-character boxes, so that a line
  pdfium glued across the gutter ("Số: 12/UBND   Lào Cai, ngày ...") can be cut, and each
  column of such a block read top to bottom, left column first (:mod:`..layout.zones`).
* **Task tables are found by their rulings**: pages whose path objects draw a grid get
  per-character boxes inside it, and a table whose header names task columns (as
  :func:`extractor.tablevocab.is_task_header` decides for every format) becomes ``table_row``
  blocks, followed over page breaks (:mod:`..layout.tables`). Borderless layout tables and
  ruled tables of other kinds stay lines.
* **Stamped text counts.** When a notice is signed and registered, its number and date are
  often printed by a form field or signature widget; those appearances are flattened into the
  page (in memory) so that "Số: 193/UBND-KT" is read whole.
* **A garbage text layer is worse than none** (:mod:`.quality`). Signed PDFs from provincial
  systems often embed fonts whose ToUnicode map is wrong ("6Ӣ CÔNG 7+ѬѪ1*" for "SỞ CÔNG
  THƯƠNG"). Such pages are read by OCR instead (:mod:`.ocr_reader`), and then repaired from
  their own glyph codes where OCR's votes decode them all (:mod:`.glyphs`, :mod:`.repair`);
  without OCR they are dropped with a warning rather than passed on as text. A font that is
  only partly broken ("ng‡y", "th·ng" here and there, whole lines of it dropped) is repaired the
  same way, from an OCR reading of its page, which is otherwise not used.
* **A scan's hidden text layer must be Vietnamese.** A scanner's OCR in another language leaves
  the words without their marks; such a page is read by OCR as if it had no text layer.
* Nothing here joins wrapped lines into paragraphs: a later stage does that for every format.
  Page furniture is kept, marked ``furniture=True``, so that it can be traced.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import ClassVar

import pypdfium2 as pdfium

from ...diagnostics import Diagnostic, parse_warning
from ...errors import InputError
from ...syllables import syllable_score
from .. import ocr
from ..base import Backend, ParsedDocument
from ..layout import Page, assemble_pages
from . import glyphs
from .adapter import TEXT_ERRORS, is_blank, open_document
from .ocr_reader import OcrReader
from .pages import SIGNATURE_HINT, PageResult, read_page
from .repair import glyph_words

MAX_PAGES = 2000  # a bound on hostile input: no real notice comes near it


@dataclass(frozen=True, slots=True)
class _BrokenPage:
    """A page whose text layer is garbage, read by OCR for now."""

    position: int  # in the list of pages read
    index: int
    after_signature: bool
    words: list[tuple[glyphs.GlyphKey, ...]]
    # A readable page with some broken lines: its OCR reading (for the votes only), and how many
    # lines its text layer lost, to be named if the repair fails.
    partial: ocr.OcrPage | None = None
    lost_lines: int = 0


def _repair_broken_pages(document: pdfium.PdfDocument, pages: list[Page], broken: list[_BrokenPage],
                         votes: glyphs.GlyphVotes, reader: OcrReader) -> list[Diagnostic]:
    """Pages whose glyph codes all decode are read from their repaired text layer instead of
    from OCR: same layout handling, and the characters as printed (see :mod:`.glyphs`)."""
    mapping = glyphs.decode(votes, [word for page in broken for word in page.words], syllable_score)
    warnings = []
    for page in broken:
        try:
            result = read_page(document, page.index, after_signature=page.after_signature, repair=mapping)
        except TEXT_ERRORS:
            result = PageResult(error="repair failed")
        repaired = result.page is not None and not result.garbled
        if page.partial is not None and not (repaired and result.garbled_lines < page.lost_lines):
            warnings.append(_lines_unreadable(page.lost_lines, page.index + 1))
            continue
        if repaired and result.page is not None:
            pages[page.position] = result.page
            if page.partial is not None:
                reader.partly_repaired(page.index + 1, page.partial)
            else:
                reader.repaired(page.index + 1)
            if result.garbled_lines:
                warnings.append(parse_warning("lines_undecoded", f"{result.garbled_lines} line(s) with glyphs that "
                                              "could not be decoded skipped", [page.index + 1]))
    return warnings


def _lines_unreadable(count: int, number: int) -> Diagnostic:
    return parse_warning("lines_unreadable", f"{count} line(s) with unreadable text (broken font encoding) skipped",
                         [number])


class PdfParser(Backend):
    format: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes) -> ParsedDocument:
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
        document = open_document(data)
        reader = OcrReader()
        try:
            with contextlib.suppress(pdfium.PdfiumError):
                document.init_forms()  # lets pages flatten form fields; cheap (~0.05 ms)
            page_count = len(document)
            if page_count == 0:
                raise InputError("corrupt PDF: it has no pages")
            if page_count > MAX_PAGES:
                raise InputError(f"PDF has too many pages ({page_count}; limit {MAX_PAGES})")
            pages: list[Page] = []
            failed: list[int] = []
            signature = False
            votes = glyphs.GlyphVotes()
            broken: list[_BrokenPage] = []
            for index in range(page_count):
                before = signature
                try:
                    result = read_page(document, index, after_signature=signature)
                except TEXT_ERRORS as exc:
                    result = PageResult(error=str(exc) or type(exc).__name__)
                number = index + 1
                signature = result.signature
                if result.error:
                    failed.append(number)
                    warnings.append(parse_warning("page_unreadable", f"could not be read ({result.error}); skipped",
                                                  [number]))
                    continue
                if result.page is not None and not (result.scanned or result.foreign):
                    if result.garbled_lines:  # a partly broken font: repaired with OCR's help, if it can be
                        read = reader.read_for_votes(document, index)
                        words = None
                        if read is not None:
                            with contextlib.suppress(*TEXT_ERRORS):
                                words = glyph_words(document, index, read, votes)
                        if words is None:
                            warnings.append(_lines_unreadable(result.garbled_lines, number))
                        else:
                            broken.append(_BrokenPage(len(pages), index, before, words, read, result.garbled_lines))
                    pages.append(result.page)
                    continue
                # No usable text layer: none, garbage, or a few stamped words on a scan.
                if result.empty and is_blank(document, index):
                    reader.blank.append(number)
                    continue
                kind = ("garbled" if result.garbled else "scanned" if result.scanned else "foreign" if result.foreign
                        else "empty")
                page = reader.read(document, index, kind)
                if page is None and result.page is not None:
                    page = result.page  # the stamped words, or the foreign layer, are still worth having
                if page is not None:
                    if kind == "garbled" and reader.last is not None:
                        with contextlib.suppress(*TEXT_ERRORS):
                            words = glyph_words(document, index, reader.last, votes)
                            broken.append(_BrokenPage(len(pages), index, before, words))
                    pages.append(page)
                    signature = signature or any(SIGNATURE_HINT.search(row.text) for row in page.rows)
            if broken:
                warnings.extend(_repair_broken_pages(document, pages, broken, votes, reader))
        finally:
            document.close()

        warnings.extend(reader.warnings())
        if not pages:
            raise InputError(reader.refusal() or f"corrupt PDF: no page could be read ({len(failed)} failed)")

        blocks = assemble_pages(pages)
        return ParsedDocument(
            pages=page_count,
            blocks=tuple(blocks),
            warnings=tuple(warnings),
            ocr_pages=tuple(reader.pages),
            ocr_confidence=reader.confidence(),
            doubtful_words=reader.doubtful_words(),
        )
