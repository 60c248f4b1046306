"""The one interface every format parser implements, and the block model they all yield.

A parser turns a file's bytes into a :class:`ParsedDocument`: an ordered list of
:class:`Block` (a line or paragraph of text, or one table row), each with the page it sits
on. Parsers do no interpretation beyond reading order: joining wrapped lines, normalising
and structure are later stages.

What is the file's rather than its content's -- its path, the SHA-256 of its bytes, the
format that read it -- is stamped on in one place (:func:`stamp`, from :meth:`Backend.parse`),
so a backend that reads through another (LibreOffice's conversion read as DOCX) still names
the file and the format it was given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
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
    # For a line laid out on a page (PDF, scan): how far (points) it starts right of the page's
    # text block and stops short of its right edge; None when unknown (text, DOCX, a column).
    indent: float | None = None
    short_by: float | None = None


@dataclass(frozen=True, slots=True)
class DoubtfulWord:
    """A word OCR read with low confidence, as read: its page, its text, how many words of the
    same text OCR read before it on that page and in all (to find it again among them), its
    confidence."""

    page: int
    text: str
    rank: int
    count: int
    confidence: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedDocument:
    # The file's path, format and digest: empty as a backend reads, filled in by stamp().
    path: str = ""
    format: str = ""
    sha256: str = ""
    pages: int | None
    blocks: tuple[Block, ...]
    warnings: tuple[Diagnostic, ...] = field(default=())
    # Pages (1-based) whose text came from OCR, and the mean word confidence (0-100) there.
    ocr_pages: tuple[int, ...] = field(default=())
    ocr_confidence: float | None = None
    # Words of those pages read with low confidence (under ocr.DOUBTFUL_WORD), in reading order.
    doubtful_words: tuple[DoubtfulWord, ...] = field(default=())


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


def sha256_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes (hex): what identifies a document in its record."""
    return hashlib.sha256(data).hexdigest()


def stamp(document: ParsedDocument, path: Path, data: bytes, format: str) -> ParsedDocument:
    """``document`` as read from the file at ``path`` holding ``data``, in ``format``."""
    return replace(document, path=str(path), format=format, sha256=sha256_of(data))


class Backend:
    """What the format backends share: :meth:`parse` is :meth:`read` plus :func:`stamp`.

    A backend implements ``sniff`` and ``read`` (the content of the bytes, raising
    :class:`extractor.errors.InputError` for bad input) and names its ``format`` and
    ``suffixes``; it never computes the file's identity itself."""

    format: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file look like this format (magic numbers)."""
        raise NotImplementedError

    def read(self, data: bytes) -> ParsedDocument:
        """The document in ``data``, not yet stamped with the file's path, digest and format."""
        raise NotImplementedError

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        """Read the document and stamp it as the file at ``path``."""
        return stamp(self.read(data), path, data, self.format)
