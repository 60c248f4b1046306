"""The one interface every format parser implements, and the block model they all yield.

A parser turns a file's bytes into a :class:`ParsedDocument`: an ordered list of
:class:`Block` (a line or paragraph of text, or one table row), each with the page it sits
on. Parsers do no interpretation beyond reading order: joining wrapped lines, normalising
and structure are later stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from ..diagnostics import Diagnostic

BlockKind = Literal["line", "paragraph", "table_row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text in reading order.

    ``kind`` tells later stages how final the boundaries are: a ``line`` may be a fragment of
    a wrapped paragraph (TXT, PDF); a ``paragraph`` is a paragraph as the author made it
    (DOCX); a ``table_row`` holds its cells in ``cells`` and their text joined by " | " in
    ``text``.
    """

    text: str
    page: int | None = None
    kind: BlockKind = "line"
    cells: tuple[str, ...] = ()
    # Label that the source's own automatic numbering produced (DOCX lists), e.g. "1.1." or "a)".
    # It is already included at the start of ``text``; kept apart so it can be traced.
    list_label: str | None = None
    # True when the block is a header/footer/page number the parser could recognise as such.
    furniture: bool = False


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    path: str
    format: str
    sha256: str
    pages: int | None
    blocks: tuple[Block, ...]
    warnings: tuple[Diagnostic, ...] = field(default=())
    # Pages (1-based) whose text came from OCR, and the mean word confidence (0-100) there.
    ocr_pages: tuple[int, ...] = field(default=())
    ocr_confidence: float | None = None


class Parser(Protocol):
    """A format backend. ``formats`` names what it writes into ``ParsedDocument.format``."""

    format: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file look like this format (magic numbers)."""
        ...

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        """Read the document; raise :class:`extractor.errors.InputError` for bad input."""
        ...
