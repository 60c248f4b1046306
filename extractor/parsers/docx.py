"""DOCX backend (python-docx). Placeholder until the real backend lands."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import ParsedDocument


class DocxParser:
    format: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        raise InputError("DOCX support is not built yet")
