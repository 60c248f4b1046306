"""One page of a text PDF read into the layout model: its lines, pieces and ruled tables.

Per-character boxes only where two columns may be: page 1 (issuer | national motto), pages
with a signature block ("Nơi nhận:" | "KT. CHỦ TỊCH") and the page after one (the block may
run over), and pages whose stamped annotations were flattened. Lines that read as mojibake are
skipped (:mod:`.quality`); a page that is mostly one image with a few stamped words is flagged
as a scan, for OCR, and so is a scan whose hidden OCR layer is not Vietnamese (its words bare
of marks: a scanner's OCR in another language), since the image is what was signed. Cell text of ruled tables comes from pdfium's character boxes, each
character going to the cell that holds its centre, so it is the same text as the rest of the
page; the page's ordinary lines are still built as before, so a table that turns out not to
be a task table is left as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...letterhead import AUTHORITY_WORDS
from ..layout import JOINED_HYPHEN, Cell, CellLine, Grid, Page, Piece, clean, grids_from_edges, group_rows, set_room
from . import glyphs
from .adapter import (
    MAX_PAGE_CHARS,
    CharBoxes,
    Transform,
    image_share,
    line_piece,
    line_spans,
    load_page,
    split_line,
    text_rotation,
)
from .quality import garbled, unmarked, word_counts
from .repair import UNDECODED, apply_repair
from .rulings import page_rulings

# A signature block somewhere on the page: "Nơi nhận" or an authority anywhere in a line (not
# "Q.": unanchored, a lone "Q. " is too common to mean a signer).
SIGNATURE_HINT = re.compile(rf"Nơi\s*nhận|(?<!\w)(?:{'|'.join(w for w in AUTHORITY_WORDS if w != 'Q')})\.\s")


@dataclass(slots=True)
class PageResult:
    """What reading one page gave: the page, or why there is none (empty, garbled, an error)."""

    page: Page | None = None
    empty: bool = False
    garbled: bool = False
    garbled_lines: int = 0
    error: str | None = None
    signature: bool = False  # the page has a signature block, which may run over
    # A few words of text on a page that is mostly one image: a scan with its number and date
    # stamped on as text (or a scanner's partial OCR). The page is read by OCR when possible.
    scanned: bool = False
    # Mostly one image, under a text layer that is not Vietnamese (:func:`.quality.unmarked`):
    # the layer is a scanner's OCR in another language; the image is read by OCR when possible.
    foreign: bool = False


# A page with fewer words than this in its text layer, and an image over this share of its
# area, is a scan (see PageResult.scanned).
_SCAN_MAX_WORDS = 40
_SCAN_IMAGE_SHARE = 0.6


def _fill_grids(grids: list[Grid], text: str, spans: list[tuple[int, int]], charbox: CharBoxes) -> None:
    """Put the text of pdfium's lines that lie in a grid into its cells, character by character:
    a line may run across several cells of a row."""

    def grid_at(box: tuple[float, float, float, float] | None) -> bool:
        if box is None:
            return False
        x, y = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
        return any(g.x0 <= x <= g.x1 and g.top <= y <= g.bottom for g in grids)

    pieces: dict[int, tuple[Cell, list[CellLine]]] = {}
    for start, end in spans:
        if not (grid_at(charbox(start)) or grid_at(charbox(end - 1))):
            continue
        current: CellLine | None = None
        current_cell: Cell | None = None
        space = False
        for index in range(start, end):
            char = text[index]
            if char.isspace():
                space = True
                continue
            if char == JOINED_HYPHEN:
                if current is not None:
                    current.text += "-"
                continue
            box = charbox(index)
            if box is None:
                continue
            x0, x1, top, bottom = box
            cell = next((c for g in grids if (c := g.locate((x0 + x1) / 2, (top + bottom) / 2)) is not None), None)
            if cell is None:
                current, space = None, False
                continue
            height = max(bottom - top, 1.0)
            if (
                current is not None
                and current_cell is cell
                and min(bottom, current.bottom) - max(top, current.top) >= 0.5 * min(height, current.bottom - current.top)
                and x0 >= current.x1 - height
            ):
                if space:
                    if current.first_word_x1 is None:
                        current.first_word_x1 = current.x1
                    current.text += " "
                current.text += char
                current.x1 = max(current.x1, x1)
                current.top, current.bottom = min(current.top, top), max(current.bottom, bottom)
            else:
                current, current_cell = CellLine(text=char, x0=x0, x1=x1, top=top, bottom=bottom), cell
                pieces.setdefault(id(cell), (cell, []))[1].append(current)
            space = False
    # Pieces of a cell on one baseline make one line, left to right.
    for cell, cell_pieces in pieces.values():
        lines: list[list[CellLine]] = []
        for piece in sorted(cell_pieces, key=lambda p: (p.top, p.x0)):
            if lines:
                anchor = lines[-1][0]
                overlap = min(anchor.bottom, piece.bottom) - max(anchor.top, piece.top)
                if overlap >= 0.5 * min(piece.bottom - piece.top, anchor.bottom - anchor.top):
                    lines[-1].append(piece)
                    continue
            lines.append([piece])
        for group in lines:
            group.sort(key=lambda p: p.x0)
            line = CellLine(
                text=clean(" ".join(p.text for p in group)),
                x0=group[0].x0, x1=max(p.x1 for p in group),
                top=min(p.top for p in group), bottom=max(p.bottom for p in group),
                first_word_x1=group[0].first_word_x1 if group[0].first_word_x1 is not None else group[0].x1,
            )
            if line.text:
                cell.lines.append(line)
    set_room(grids)


def _read_grids(page: pdfium.PdfPage, transform: Transform, text: str, spans: list[tuple[int, int]],
                charbox: CharBoxes) -> list[Grid]:
    """The page's ruled tables with their text; none when it has no grid of rulings. Finding
    tables only adds to what is read, so a failure here costs the tables, never the page."""
    rulings = page_rulings(page, transform)
    if rulings.counts["h"] < 2 or rulings.counts["v"] < 2:
        return []
    try:
        grids = grids_from_edges(rulings.edges)
    except (ValueError, AssertionError, KeyError, IndexError, ZeroDivisionError):
        return []
    if grids:
        _fill_grids(grids, text, spans, charbox)
    return grids


def read_page(
    document: pdfium.PdfDocument, index: int, *, after_signature: bool = False,
    repair: dict[glyphs.GlyphKey, str] | None = None,
) -> PageResult:
    """Text and geometry of one page; per-character boxes only where two columns may be: page 1,
    pages with a signature block and the page after one (the block may run over). With
    ``repair``, every character of the text layer is first replaced by the one its glyph code
    decodes to (see :mod:`.glyphs`); a page with a code that was not decoded reads as garbled."""
    page, flattened = load_page(document, index)
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count > MAX_PAGE_CHARS:
                return PageResult(error=f"too much text ({count} characters)")
            text = textpage.get_text_range() if count > 0 else ""
            if len(text) != count:  # non-BMP characters shift indexes; rebuild one per index
                text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count))
            if repair is not None:
                repaired = apply_repair(textpage, text, repair)
                if repaired is None:
                    return PageResult(garbled=True)
                text = repaired
            spans = line_spans(text)
            if not spans:
                return PageResult(empty=True)
            counts = [word_counts(text[start:end]) for start, end in spans]
            if garbled(sum(c[0] for c in counts), sum(c[1] for c in counts), page=True):
                return PageResult(garbled=True)
            few = sum(len(text[start:end].split()) for start, end in spans[:_SCAN_MAX_WORDS]) < _SCAN_MAX_WORDS
            scanned = few and image_share(page) >= _SCAN_IMAGE_SHARE
            foreign = not few and unmarked(text) and image_share(page) >= _SCAN_IMAGE_SHARE
            transform = Transform(page, text_rotation(textpage, text, spans))
            width, height = transform.size
            result = Page(number=index + 1, width=width, height=height)
            # Flattened annotation text comes last in content order, as one line spanning the
            # page: it must be cut and placed by geometry too.
            signature = bool(SIGNATURE_HINT.search(unicodedata.normalize("NFC", text)))
            result.layout = index == 0 or flattened or signature or after_signature
            charbox = CharBoxes(textpage, transform)
            pieces: list[Piece] = []
            readable: list[tuple[int, int]] = []
            garbled_lines = 0
            for (start, end), (good, odd) in zip(spans, counts, strict=True):
                if garbled(good, odd, page=False) or (repair is not None and UNDECODED in text[start:end]):
                    garbled_lines += 1
                    continue
                readable.append((start, end))
                if result.layout:
                    pieces.extend(split_line(text, start, end, charbox))
                elif (piece := line_piece(text, start, end, charbox)) is not None:
                    pieces.append(piece)
            for piece in pieces:
                piece.text = clean(piece.text)
            result.rows = group_rows([p for p in pieces if p.text])
            if not result.rows:
                return PageResult(empty=True)
            result.grids = _read_grids(page, transform, text, readable, charbox)
            return PageResult(page=result, garbled_lines=garbled_lines, signature=signature, scanned=scanned,
                              foreign=foreign)
        finally:
            textpage.close()
    finally:
        page.close()
