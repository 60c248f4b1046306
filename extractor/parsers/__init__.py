"""Format backends behind one interface; :func:`parse_file` picks one by content, then suffix."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import Block, ParsedDocument, Parser, sha256_of
from .docx import DocxParser
from .html import HtmlParser
from .image import ImageParser
from .office import OfficeParser
from .pdf import PdfParser
from .txt import TextParser

# Larger inputs are refused before reading: no real notice comes near this.
MAX_INPUT_BYTES = 50 * 1024 * 1024

# Sniffing goes in this order: the first backend that recognises the content reads it.
PARSERS: tuple[Parser, ...] = (PdfParser(), ImageParser(), OfficeParser(), DocxParser(), HtmlParser(), TextParser())
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(s for p in PARSERS for s in p.suffixes)

__all__ = ["PARSERS", "SUPPORTED_SUFFIXES", "Block", "ParsedDocument", "Parser", "parse_file", "sha256_of"]


def choose_parser(path: Path, head: bytes) -> Parser:
    """Content decides (a PDF named .docx is read as a PDF); the suffix only breaks ties."""
    for parser in PARSERS:
        if parser.format != "txt" and parser.sniff(head):
            return parser
    suffix = path.suffix.lower()
    for parser in PARSERS:
        if suffix in parser.suffixes:
            if parser.format != "txt":
                raise InputError(f"not a valid {parser.format.upper()} file (content does not match its extension)")
            return parser
    text_parser = next(p for p in PARSERS if p.format == "txt")
    if not suffix and text_parser.sniff(head):
        return text_parser  # no extension: plain text is the one format we can tell by content
    raise InputError(f"unsupported file type {suffix or '(no extension)'!r}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")


def parse_file(path: Path) -> ParsedDocument:
    """The document in the file at ``path``, read by the backend its content calls for, and
    stamped with the path, its SHA-256 and the backend's format; :class:`InputError` otherwise."""
    try:
        if not path.is_file():
            raise InputError("not a regular file" if path.exists() else "file not found")
        size = path.stat().st_size
        if size == 0:
            raise InputError("file is empty")
        if size > MAX_INPUT_BYTES:
            raise InputError(f"file is too large ({size // (1024 * 1024)} MiB; limit {MAX_INPUT_BYTES // (1024 * 1024)} MiB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from None
    except InputError as exc:
        raise exc.with_path(str(path)) from None
    try:
        parser = choose_parser(path, data[:8192])
        return parser.parse(path, data)
    except InputError as exc:
        raise exc.with_path(str(path)) from None
