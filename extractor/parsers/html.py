"""HTML pages saved from government portals. Placeholder until the backend lands."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import ParsedDocument


class HtmlParser:
    format: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = ('.html', '.htm')

    def sniff(self, head: bytes) -> bool:
        return False

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        raise InputError("html files are not supported yet")
