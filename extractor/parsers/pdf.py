"""PDF backend (pypdfium2 + pdfplumber). Placeholder until the real backend lands."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import ParsedDocument


class PdfParser:
    format: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        raise InputError("PDF support is not built yet")
