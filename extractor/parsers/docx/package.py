"""The parts of a Word package the reader needs: document, styles, numbering (through :mod:`..ooxml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ...errors import InputError
from ..ooxml import open_zip, parse_xml, read_member, read_xml, relationship_targets
from .legacy_fonts import convert_legacy_runs
from .wordml import w


@dataclass
class Package:
    document: etree._Element
    styles: etree._Element | None
    numbering: etree._Element | None
    legacy_encodings: tuple[str, ...] = ()  # TCVN3/VNI runs converted to Unicode


# A run or style set in a pre-Unicode Vietnamese font (.VnTime: TCVN3; VNI-Times: VNI).
_LEGACY_FONT_ATTR = re.compile(rb'(?:ascii|hAnsi)="\s*(?:\.vn|vn(?:time|arial)|vni)', re.IGNORECASE)


def load_package(data: bytes) -> Package:
    archive = open_zip(data)
    main = relationship_targets(archive, "").get("officeDocument", "word/document.xml")
    if main not in archive.NameToInfo:
        main = "word/document.xml"
    raw_document = read_member(archive, main)
    document = None if raw_document is None else parse_xml(raw_document, main)
    if document is None or document.tag != w("document"):
        raise InputError("not a Word document (the zip has no word/document.xml)")
    parts = relationship_targets(archive, main)
    numbering = read_xml(archive, parts.get("numbering"))
    # Styles matter for style-linked lists and for legacy fonts set by a style; otherwise they
    # are not parsed (a byte search for legacy font names is all they cost).
    raw_styles = read_member(archive, parts["styles"]) if "styles" in parts else None
    legacy = bool(_LEGACY_FONT_ATTR.search(raw_document) or (raw_styles and _LEGACY_FONT_ATTR.search(raw_styles)))
    styles = None
    if raw_styles is not None and (numbering is not None or legacy):
        styles = parse_xml(raw_styles, parts["styles"])
    encodings = convert_legacy_runs(document, styles) if legacy else ()
    return Package(document, styles, numbering, encodings)
