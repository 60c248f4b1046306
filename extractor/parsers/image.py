"""Scanned pages as images (PNG, JPEG, TIFF), read by OCR. Placeholder until the backend lands."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..errors import InputError
from .base import ParsedDocument


class ImageParser:
    format: ClassVar[str] = "image"
    suffixes: ClassVar[tuple[str, ...]] = ('.png', '.jpg', '.jpeg', '.tif', '.tiff')

    def sniff(self, head: bytes) -> bool:
        return False

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        raise InputError("image files are not supported yet")
