"""WordprocessingML names and the small helpers every part of the DOCX reader uses on them."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..ooxml import W_NS

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute ("p" -> "{...main}p")."""
    return f"{{{W_NS}}}{name}"


P, TBL, TR, TC, R = w("p"), w("tbl"), w("tr"), w("tc"), w("r")
SDT, SDT_CONTENT, CUSTOM_XML = w("sdt"), w("sdtContent"), w("customXml")
PPR, RPR, TCPR, TRPR, SECT_PR = w("pPr"), w("rPr"), w("tcPr"), w("trPr"), w("sectPr")
VAL = w("val")
MC_ALTERNATE, MC_CHOICE = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"

# Containers that only wrap block content (content controls, custom XML, revision marks).
_BLOCK_WRAPPERS = frozenset((SDT, SDT_CONTENT, CUSTOM_XML, w("ins"), w("moveTo")))


def on(element: etree._Element | None) -> bool:
    """An OOXML on/off property: present and not switched off."""
    return element is not None and element.get(VAL, "true") not in ("0", "false", "off")


def xml_int(value: str | None, default: int, low: int = 0, high: int = 10**6) -> int:
    """An integer attribute clamped to [low, high]; ``default`` when it is not a number."""
    try:
        return min(max(int(value or ""), low), high)
    except ValueError:
        return default


def child_val(parent: etree._Element | None, *path: str) -> str | None:
    """The ``w:val`` of the element at ``path`` under ``parent`` (None if any step is missing)."""
    element = parent
    for name in path:
        if element is None:
            return None
        element = element.find(w(name))
    return None if element is None else element.get(VAL)


def content_children(element: etree._Element) -> Iterator[etree._Element]:
    """Children of a body, cell, table or row, seen through content controls and wrappers."""
    for child in element:
        if child.tag in _BLOCK_WRAPPERS:
            yield from content_children(child)
        else:
            yield child


def plain_text(element: etree._Element) -> str:
    """Visible text without numbering or page bookkeeping (used to classify tables)."""
    return " ".join("".join(t.text or "" for t in element.iter(w("t"))).split())


def on_attr(value: str | None) -> bool:
    """An on/off attribute value that is present and not switched off."""
    return value is not None and value not in ("0", "false", "off")
