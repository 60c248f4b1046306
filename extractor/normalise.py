"""Normalisation: clean NFC lines for the whole document, with the spaces that web copies
lose between words put back (values are reported as written after this); matching elsewhere
uses :func:`extractor.vntext.fold`."""

from __future__ import annotations

from dataclasses import dataclass

from .parsers.base import Block, ParsedDocument
from .vntext import clean_line, unglue


@dataclass(frozen=True, slots=True)
class Line:
    """A cleaned source block: text, page, and its kind as the parser gave it."""

    text: str
    page: int | None
    kind: str
    cells: tuple[str, ...] = ()
    blank_before: bool = False
    # Index of the parser block this line was cleaned from: the map back to the source.
    block: int = -1
    # Its place on the page, as the parser measured it (Block.indent, Block.short_by).
    indent: float | None = None
    short_by: float | None = None


@dataclass(frozen=True, slots=True)
class NormalisedDocument:
    source: ParsedDocument
    lines: tuple[Line, ...]


def normalise(doc: ParsedDocument) -> NormalisedDocument:
    lines: list[Line] = []
    blank = False
    for index, block in enumerate(doc.blocks):
        if block.furniture:
            continue
        text = unglue(clean_line(block.text))
        if not text.strip("|").strip():  # empty, or an empty table row drawn with bars
            blank = True
            continue
        cells = tuple(clean_line(c) for c in block.cells) if isinstance(block, Block) else ()
        lines.append(Line(text=text, page=block.page, kind=block.kind, cells=cells, blank_before=blank, block=index,
                          indent=block.indent, short_by=block.short_by))
        blank = False
    return NormalisedDocument(source=doc, lines=tuple(lines))
