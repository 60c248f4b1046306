"""Runs set in pre-Unicode Vietnamese fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``), rewritten as Unicode.

Done on the XML tree before anything reads it, so that table classification and the body walk
both see Unicode. The font of a run is resolved as Word does: the run's own, its character
style's, its paragraph style's, the document default.
"""

from __future__ import annotations

import itertools

from lxml import etree

from ..legacy_encodings import VNI, convert, font_encoding
from .wordml import PPR, RPR, P, R, child_val, on_attr, w


def _run_font(r_pr: etree._Element | None) -> str | None:
    """The font a run property block names for Latin text ("" for a theme font: not legacy)."""
    fonts = r_pr.find(w("rFonts")) if r_pr is not None else None
    if fonts is None:
        return None
    name = fonts.get(w("hAnsi")) or fonts.get(w("ascii"))
    if name:
        return name
    return "" if fonts.get(w("hAnsiTheme")) or fonts.get(w("asciiTheme")) else None


def _style_fonts(styles: etree._Element | None) -> tuple[dict[str, str | None], str | None, str | None]:
    """Font of every style (through w:basedOn), the document default font and default paragraph style."""
    if styles is None:
        return {}, None, None
    default_font = _run_font(styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{RPR}"))
    own: dict[str, tuple[str | None, str | None]] = {}
    default_style = None
    for style in styles.iter(w("style")):
        style_id = style.get(w("styleId"))
        if not style_id:
            continue
        own[style_id] = (_run_font(style.find(RPR)), child_val(style, "basedOn"))
        if style.get(w("type")) == "paragraph" and on_attr(style.get(w("default"))):
            default_style = style_id
    resolved: dict[str, str | None] = {}
    for style_id in own:
        current: str | None = style_id
        seen: set[str] = set()
        font = None
        while current and current in own and current not in seen:
            seen.add(current)
            font, current = own[current]
            if font is not None:
                break
        resolved[style_id] = font
    return resolved, default_font, default_style


def convert_legacy_runs(document: etree._Element, styles: etree._Element | None) -> tuple[str, ...]:
    """Rewrite, in place, the text of runs set in TCVN3 or VNI fonts as Unicode.

    A run's font is its own w:rFonts, else its character style's, else its paragraph style's,
    else the document default. Done on the tree before anything reads it, so that table
    classification and the body walk both see Unicode."""
    style_fonts, default_font, default_style = _style_fonts(styles)
    found: dict[str, None] = {}
    pending: list[tuple[etree._Element, tuple[str, bool]]] = []  # text nodes in order, per paragraph
    paragraph_fonts: dict[etree._Element, str | None] = {}
    for run in document.iter(R):
        paragraph = next(run.iterancestors(P), None)
        if paragraph not in paragraph_fonts:
            p_pr = paragraph.find(PPR) if paragraph is not None else None
            p_style = child_val(p_pr, "pStyle") or default_style
            paragraph_fonts[paragraph] = style_fonts.get(p_style or "")
        r_pr = run.find(RPR)
        font = _run_font(r_pr)
        if font is None:
            font = style_fonts.get(child_val(r_pr, "rStyle") or "")
        if font is None:
            font = paragraph_fonts[paragraph]
        if font is None:
            font = default_font
        encoding = font_encoding(font)
        if encoding is None:
            continue
        found[encoding[0]] = None
        pending.extend((t, encoding) for t in run.iter(w("t")))
    # VNI writes a toned vowel as two characters; Word may split a run between them ("Co" +
    # "âng"): a modifier that starts a text node goes back to the node before it.
    for (first, enc1), (second, enc2) in itertools.pairwise(pending):
        if enc1[0] == enc2[0] == VNI and first.text and second.text and convert(first.text[-1] + second.text[0], VNI) != \
                convert(first.text[-1], VNI) + convert(second.text[0], VNI):
            first.text, second.text = first.text + second.text[0], second.text[1:]
    for node, (encoding, upper) in pending:
        if node.text:
            node.text = convert(node.text, encoding, upper=upper)
    return tuple(found)
