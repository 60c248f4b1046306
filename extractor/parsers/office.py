"""Legacy word-processor files (.doc, .rtf, .odt), converted through LibreOffice. Placeholder until the backend lands."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import ParsedDocument


class OfficeParser:
    format: ClassVar[str] = "office"
    suffixes: ClassVar[tuple[str, ...]] = ('.doc', '.rtf', '.odt')

    def sniff(self, head: bytes) -> bool:
        return False

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        raise InputError("office files are not supported yet")
