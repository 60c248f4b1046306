"""DOCX backend (:class:`DocxParser`): body paragraphs and tables in reading order, Word list numbering rebuilt.

Why the XML is read here with lxml instead of through python-docx: python-docx opens the zip
itself (no size caps while inflating), hides ``w:sdt``/``w:ins`` content and does not compute
list numbers, so we would need the raw XML for the numbering anyway. Reading the four parts we
need (package rels, document, numbering, styles) ourselves lets every byte pass through one
size-capped reader and one hardened XML parser (:mod:`..ooxml`), and is fast: 2-20 ms per
corpus notice.
"""

from __future__ import annotations

from typing import ClassVar

from ...diagnostics import parse_warning
from ...errors import InputError
from ..base import Backend, ParsedDocument
from ..ooxml import OLE_MAGIC
from .body import BodyReader
from .package import load_package
from .wordml import w


class DocxParser(Backend):
    format: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)

    def sniff(self, head: bytes) -> bool:
        # OLE files (encrypted DOCX, legacy .doc) are claimed too, to explain them properly.
        if head.startswith(OLE_MAGIC):
            return True
        return head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head)

    def read(self, data: bytes) -> ParsedDocument:
        package = load_package(data)
        reader = BodyReader(package)
        blocks = reader.blocks()
        if not blocks:
            raise InputError("DOCX holds no text in its body")
        # Without any page marker the whole document counts as one page.
        pages = reader.page if reader.saw_break else 1
        warnings = [parse_warning("legacy_encoding", f"runs in legacy {e.upper()} fonts were converted to Unicode")
                    for e in package.legacy_encodings]
        uses_lists = any(next(part.iter(w("numPr")), None) is not None
                         for part in (package.document, package.styles) if part is not None)
        if package.numbering is None and uses_lists:
            # Lists number themselves in Word: without the numbering part "1.", "a)" are lost,
            # and with them the items the labels would have opened.
            warnings.append(parse_warning("numbering_missing", "the numbering part (word/numbering.xml) is missing: "
                                          "automatic list numbers are lost"))
        return ParsedDocument(
            pages=pages,
            blocks=tuple(blocks), warnings=tuple(dict.fromkeys([*warnings, *reader.warnings])),
        )
