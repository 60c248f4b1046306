"""DOCX backend: body paragraphs and tables in reading order, Word list numbering rebuilt.

Why the XML is read here with lxml instead of through python-docx: python-docx opens the zip
itself (no size caps while inflating), hides ``w:sdt``/``w:ins`` content and does not compute
list numbers, so we would need the raw XML for the numbering anyway. Reading the four parts we
need (package rels, document, numbering, styles) ourselves lets every byte pass through one
size-capped reader and one hardened XML parser, and is fast: 2-20 ms per corpus notice.

Safety model (hostile input must fail with a one-line :class:`InputError`, in bounded memory):

* the zip directory is checked first: member count, declared sizes, compression ratio;
* each part is inflated through a reader that stops at the cap whatever the header claims;
* XML is parsed with entities unresolved, no DTD loading, no network and libxml2's default
  depth/size limits; any part that carries a DOCTYPE at all is refused, so neither entity
  expansion ("billion laughs") nor external entities (``file:///etc/passwd``) can take effect;
* only parts inside the zip are ever read; relationship targets leaving the package are ignored.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from lxml import etree

from ..diagnostics import Diagnostic, parse_warning
from ..errors import InputError
from ..tablevocab import is_header_row
from .base import Block, ParsedDocument

# --- limits -------------------------------------------------------------------------------
MAX_MEMBERS = 2000  # a real notice has ~20 parts; thousands of entries is a directory bomb
MAX_PART_BYTES = 100 * 1024 * 1024  # uncompressed size of any single part
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # declared uncompressed size of the whole package
MAX_RATIO = 200  # deflate tops out near 1000:1; real XML parts stay well under 50:1 ...
RATIO_CHECK_FROM = 1024 * 1024  # ... and tiny members may legitimately compress far better
MAX_TABLE_DEPTH = 32  # tables nested deeper than this are not a notice
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --- names --------------------------------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# ISO 29500 "Strict" files use another namespace for the same vocabulary.
W_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


P, TBL, TR, TC, R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
PPR, RPR, TCPR, TRPR, SECT_PR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr"), _w("sectPr")
VAL = _w("val")
MC_ALTERNATE, MC_CHOICE = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"

# Subtrees whose text Word does not show in the flow of the paragraph: deleted or moved-away
# revisions, drawings/text boxes (floating; in the notices they hold only decorative rules),
# field instructions, ruby annotations, footnote marks and property blocks.
_SKIP_IN_PARAGRAPH = frozenset(
    _w(n) for n in (
        "pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "rt",
        "footnoteReference", "endnoteReference", "commentReference", "instrText", "delText",
    )
)
# Containers that only wrap block content (content controls, custom XML, revision marks).
_BLOCK_WRAPPERS = frozenset((SDT, SDT_CONTENT, CUSTOM_XML, _w("ins"), _w("moveTo")))


# --- zip handling -------------------------------------------------------------------------
def _open_zip(data: bytes) -> zipfile.ZipFile:
    """Open the package and refuse, from its directory alone, what cannot be a real DOCX."""
    if data.startswith(OLE_MAGIC):
        raise InputError("encrypted DOCX or legacy .doc (Word 97-2003) file; save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise InputError(f"corrupt DOCX: not a readable zip archive ({exc})") from None
    except NotImplementedError as exc:  # a zip format version or feature zipfile does not read
        raise InputError(f"corrupt DOCX: unsupported zip archive ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"corrupt DOCX: {len(infos)} zip entries (limit {MAX_MEMBERS}); refused as a zip bomb")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise InputError("corrupt DOCX: the zip holds duplicate part names")
    total = 0
    for info in infos:
        _check_declared_size(info)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"DOCX would inflate to {total // 2**20} MiB (limit {MAX_TOTAL_BYTES // 2**20}); refused as a zip bomb"
        )
    return archive


def _check_declared_size(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise InputError(
            f"DOCX part {info.filename} would inflate to {info.file_size // 2**20} MiB "
            f"(limit {MAX_PART_BYTES // 2**20}); refused as a zip bomb"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
        raise InputError(f"DOCX part {info.filename} compresses {ratio:.0f}:1; refused as a zip bomb")


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """Inflate one part, never past the cap: the header's sizes are checked but not trusted."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:  # the zip's own "encrypted" flag
        raise InputError(f"encrypted DOCX: part {name} needs a password")
    try:
        with archive.open(info) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except RuntimeError as exc:  # zipfile's word for members it cannot open (method, version)
        raise InputError(f"corrupt DOCX: part {name} cannot be opened ({exc})") from None
    except NotImplementedError as exc:
        raise InputError(f"corrupt DOCX: part {name} uses an unsupported compression ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise InputError(f"corrupt DOCX: part {name} cannot be read ({exc})") from None
    if len(data) > MAX_PART_BYTES:
        raise InputError(f"DOCX part {name} inflates past {MAX_PART_BYTES // 2**20} MiB; refused as a zip bomb")
    return data


_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _declares_dtd(data: bytes) -> bool:
    """True when the XML prolog holds a DOCTYPE (checked before parsing, for a clear message;
    the parsed tree is checked again, and libxml2 caps entity amplification in any case)."""
    head = data[: 1 << 20]
    if head.startswith((b"\xff\xfe", b"<\x00")):
        head = head.decode("utf-16-le", "ignore").encode()
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        head = head.decode("utf-16-be", "ignore").encode()
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0  # UTF-8 BOM (also left by decoding UTF-16)
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    return head[position:].lstrip().startswith(b"<!DOCTYPE")


def _parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part with a parser that cannot expand entities or fetch anything."""
    if _declares_dtd(data):
        raise InputError(f"DOCX part {name} declares a DTD (DOCTYPE/ENTITY); refused as potentially hostile")
    data = data.replace(W_STRICT_NS, W_NS.encode())
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        cause = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(f"corrupt DOCX: {name} is not well-formed XML ({cause})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputError(f"DOCX part {name} declares a DTD (DOCTYPE/ENTITY); refused as potentially hostile")
    return root


def _read_xml(archive: zipfile.ZipFile, name: str | None) -> etree._Element | None:
    if name is None:
        return None
    data = _read_member(archive, name)
    return None if data is None else _parse_xml(data, name)


def _relationship_targets(archive: zipfile.ZipFile, source: str) -> dict[str, str]:
    """Map relationship type suffix (``officeDocument``, ``styles``, ...) to an in-package part."""
    folder, base = posixpath.split(source)
    rels = _read_xml(archive, posixpath.join(folder, "_rels", f"{base}.rels"))
    targets: dict[str, str] = {}
    if rels is None:
        return targets
    for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        path = posixpath.normpath(path)
        if path.startswith(("../", "/")) or path == "..":
            continue  # points outside the package: never followed
        targets.setdefault((rel.get("Type") or "").rsplit("/", 1)[-1], path)
    return targets


@dataclass
class _Package:
    document: etree._Element
    styles: etree._Element | None
    numbering: etree._Element | None
    legacy_encodings: tuple[str, ...] = ()  # TCVN3/VNI runs converted to Unicode


# A run or style set in a pre-Unicode Vietnamese font (.VnTime: TCVN3; VNI-Times: VNI).
_LEGACY_FONT_ATTR = re.compile(rb'(?:ascii|hAnsi)="\s*(?:\.vn|vn(?:time|arial)|vni)', re.IGNORECASE)


def _load_package(data: bytes) -> _Package:
    archive = _open_zip(data)
    main = _relationship_targets(archive, "").get("officeDocument", "word/document.xml")
    if main not in archive.NameToInfo:
        main = "word/document.xml"
    raw_document = _read_member(archive, main)
    document = None if raw_document is None else _parse_xml(raw_document, main)
    if document is None or document.tag != _w("document"):
        raise InputError("not a Word document (the zip has no word/document.xml)")
    parts = _relationship_targets(archive, main)
    numbering = _read_xml(archive, parts.get("numbering"))
    # Styles matter for style-linked lists and for legacy fonts set by a style; otherwise they
    # are not parsed (a byte search for legacy font names is all they cost).
    raw_styles = _read_member(archive, parts["styles"]) if "styles" in parts else None
    legacy = bool(_LEGACY_FONT_ATTR.search(raw_document) or (raw_styles and _LEGACY_FONT_ATTR.search(raw_styles)))
    styles = None
    if raw_styles is not None and (numbering is not None or legacy):
        styles = _parse_xml(raw_styles, parts["styles"])
    encodings = _convert_legacy_runs(document, styles) if legacy else ()
    return _Package(document, styles, numbering, encodings)


# --- legacy fonts ---------------------------------------------------------------------------
def _run_font(r_pr: etree._Element | None) -> str | None:
    """The font a run property block names for Latin text ("" for a theme font: not legacy)."""
    fonts = r_pr.find(_w("rFonts")) if r_pr is not None else None
    if fonts is None:
        return None
    name = fonts.get(_w("hAnsi")) or fonts.get(_w("ascii"))
    if name:
        return name
    return "" if fonts.get(_w("hAnsiTheme")) or fonts.get(_w("asciiTheme")) else None


def _style_fonts(styles: etree._Element | None) -> tuple[dict[str, str | None], str | None, str | None]:
    """Font of every style (through w:basedOn), the document default font and default paragraph style."""
    if styles is None:
        return {}, None, None
    default_font = _run_font(styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{RPR}"))
    own: dict[str, tuple[str | None, str | None]] = {}
    default_style = None
    for style in styles.iter(_w("style")):
        style_id = style.get(_w("styleId"))
        if not style_id:
            continue
        own[style_id] = (_run_font(style.find(RPR)), _child_val(style, "basedOn"))
        if style.get(_w("type")) == "paragraph" and _on_attr(style.get(_w("default"))):
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


def _convert_legacy_runs(document: etree._Element, styles: etree._Element | None) -> tuple[str, ...]:
    """Rewrite, in place, the text of runs set in TCVN3 or VNI fonts as Unicode.

    A run's font is its own w:rFonts, else its character style's, else its paragraph style's,
    else the document default. Done on the tree before anything reads it, so that table
    classification and the body walk both see Unicode."""
    from .legacy_encodings import VNI, convert, font_encoding

    style_fonts, default_font, default_style = _style_fonts(styles)
    found: dict[str, None] = {}
    pending: list[tuple[etree._Element, tuple[str, bool]]] = []  # text nodes in order, per paragraph
    paragraph_fonts: dict[etree._Element, str | None] = {}
    for run in document.iter(R):
        paragraph = next(run.iterancestors(P), None)
        if paragraph not in paragraph_fonts:
            p_pr = paragraph.find(PPR) if paragraph is not None else None
            p_style = _child_val(p_pr, "pStyle") or default_style
            paragraph_fonts[paragraph] = style_fonts.get(p_style or "")
        r_pr = run.find(RPR)
        font = _run_font(r_pr)
        if font is None:
            font = style_fonts.get(_child_val(r_pr, "rStyle") or "")
        if font is None:
            font = paragraph_fonts[paragraph]
        if font is None:
            font = default_font
        encoding = font_encoding(font)
        if encoding is None:
            continue
        found[encoding[0]] = None
        pending.extend((t, encoding) for t in run.iter(_w("t")))
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


# --- small XML helpers --------------------------------------------------------------------
def _on(element: etree._Element | None) -> bool:
    """An OOXML on/off property: present and not switched off."""
    return element is not None and element.get(VAL, "true") not in ("0", "false", "off")


def _int(value: str | None, default: int, low: int = 0, high: int = 10**6) -> int:
    try:
        return min(max(int(value or ""), low), high)
    except ValueError:
        return default


def _child_val(parent: etree._Element | None, *path: str) -> str | None:
    element = parent
    for name in path:
        if element is None:
            return None
        element = element.find(_w(name))
    return None if element is None else element.get(VAL)


def _content_children(element: etree._Element) -> Iterator[etree._Element]:
    """Children of a body, cell, table or row, seen through content controls and wrappers."""
    for child in element:
        if child.tag in _BLOCK_WRAPPERS:
            yield from _content_children(child)
        else:
            yield child


def _plain_text(element: etree._Element) -> str:
    """Visible text without numbering or page bookkeeping (used to classify tables)."""
    return " ".join("".join(t.text or "" for t in element.iter(_w("t"))).split())


# --- styles and numbering -----------------------------------------------------------------
@dataclass(frozen=True)
class _Style:
    style_id: str
    based_on: str | None
    num_id: str | None
    ilvl: str | None


def _load_styles(root: etree._Element | None) -> tuple[dict[str, _Style], str | None]:
    """Paragraph styles (for style-linked lists) and the id of the default paragraph style."""
    styles: dict[str, _Style] = {}
    default: str | None = None
    if root is None:
        return styles, default
    for style in root.iter(_w("style")):
        style_id = style.get(_w("styleId"))
        if not style_id:
            continue
        num_pr = style.find(f"{PPR}/{_w('numPr')}")
        styles[style_id] = _Style(
            style_id=style_id,
            based_on=_child_val(style, "basedOn"),
            num_id=_child_val(num_pr, "numId"),
            ilvl=_child_val(num_pr, "ilvl"),
        )
        if style.get(_w("type")) == "paragraph" and _on_attr(style.get(_w("default"))):
            default = style_id
    return styles, default


def _on_attr(value: str | None) -> bool:
    return value is not None and value not in ("0", "false", "off")


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    restart: int | None  # w:lvlRestart (1-based level after which to restart; 0 = never)
    is_legal: bool
    pstyle: str | None
    hidden: bool
    pad: int  # zero-padding width of custom formats such as "001, 002, 003, ..."


def _parse_level(lvl: etree._Element) -> _Level:
    # Word 2010+ writes custom formats ("001, 002, 003, ...") inside mc:AlternateContent.
    fmt_el = next(
        (e for e in (lvl.find(_w("numFmt")), lvl.find(f"{MC_ALTERNATE}/{MC_CHOICE}/{_w('numFmt')}"),
                     lvl.find(f"{MC_ALTERNATE}/{{{MC_NS}}}Fallback/{_w('numFmt')}")) if e is not None),
        None,
    )
    fmt = fmt_el.get(VAL, "decimal") if fmt_el is not None else "decimal"
    pad = 0
    if fmt == "custom" and fmt_el is not None:
        first = (fmt_el.get(_w("format")) or "").split(",")[0].strip()
        pad, fmt = (len(first), "decimal") if first.isdigit() else (0, "decimal")
    restart = _child_val(lvl, "lvlRestart")
    return _Level(
        start=_int(_child_val(lvl, "start"), 0),
        fmt=fmt,
        text=_child_val(lvl, "lvlText") or "",
        restart=None if restart is None else _int(restart, 0, 0, 9),
        is_legal=_on(lvl.find(_w("isLgl"))),
        pstyle=_child_val(lvl, "pStyle"),
        hidden=_on(lvl.find(f"{RPR}/{_w('vanish')}")),
        pad=pad,
    )


def _levels(parent: etree._Element) -> dict[int, _Level]:
    return {_int(lvl.get(_w("ilvl")), 0, 0, 8): _parse_level(lvl) for lvl in parent.findall(_w("lvl"))}


@dataclass(frozen=True)
class _Num:
    abstract_id: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, _Level]


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def format_number(n: int, fmt: str, pad: int = 0) -> str:
    """Render one counter as Word shows it.

    Letters follow Word's Latin sequence a, b, c, d, e, f, ...: Vietnamese drafting uses
    a, b, c, d, đ, e, g, ... but Word cannot count that way, and we report what Word shows.
    Absurd counters (hostile ``w:start``) fall back to decimal so output stays small.
    """
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26 * 30:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        pad = max(pad, 2)
    return str(n).zfill(pad) if n >= 0 else str(n)


class _Numbering:
    """Word list numbering: definitions from numbering.xml plus the running counters.

    Counters are kept per abstract list, so several ``w:num`` instances of one abstract list
    continue each other (what Word does), except that a ``w:num`` carrying a
    ``w:startOverride`` restarts that level the first time it is used.
    """

    def __init__(self, root: etree._Element | None, styles: dict[str, _Style]) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.styles = styles
        self.counters: dict[str, list[int | None]] = {}
        self.used_overrides: set[tuple[str, int]] = set()
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        links: dict[str, str] = {}
        for abstract in root.iter(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId")) or ""
            self.abstracts[abstract_id] = _levels(abstract)
            link = _child_val(abstract, "numStyleLink")
            if link:
                links[abstract_id] = link
        for num in root.iter(_w("num")):
            overrides: dict[int, int] = {}
            level_overrides: dict[int, _Level] = {}
            for override in num.findall(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")), 0, 0, 8)
                start = _child_val(override, "startOverride")
                if start is not None:
                    overrides[ilvl] = _int(start, 0)
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    level_overrides[ilvl] = _parse_level(lvl)
            abstract_id = _child_val(num, "abstractNumId") or ""
            self.nums[num.get(_w("numId")) or ""] = _Num(abstract_id, overrides, level_overrides)
        # An abstract list that only says "use numbering style X" (w:numStyleLink) is that
        # style's list: same levels and the same counters.
        alias: dict[str, str] = {}
        for abstract_id, style_id in links.items():
            style = self.styles.get(style_id)
            target = self.nums.get(style.num_id or "") if style else None
            if target and target.abstract_id in self.abstracts and target.abstract_id != abstract_id:
                alias[abstract_id] = target.abstract_id
        self.nums = {
            num_id: replace(num, abstract_id=alias.get(num.abstract_id, num.abstract_id))
            for num_id, num in self.nums.items()
        }

    def resolve(self, p_pr: etree._Element | None, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) for a paragraph: its own w:numPr, else its style chain's."""
        num_pr = p_pr.find(_w("numPr")) if p_pr is not None else None
        num_id = _child_val(num_pr, "numId")
        ilvl = _child_val(num_pr, "ilvl")
        chain = self._style_chain(style_id)
        for style in chain:
            num_id = style.num_id if num_id is None else num_id
            ilvl = style.ilvl if ilvl is None else ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        if ilvl is None:  # style-linked list: the level whose w:pStyle names this style (or a base)
            levels = self.abstracts.get(self.nums[num_id].abstract_id, {})
            by_style = {lv.pstyle: i for i, lv in levels.items() if lv.pstyle}
            ilvl = next((str(by_style[s.style_id]) for s in chain if s.style_id in by_style), "0")
        return num_id, _int(ilvl, 0, 0, 8)

    def _style_chain(self, style_id: str | None) -> list[_Style]:
        """The style and its w:basedOn ancestors, nearest first (cycles cut)."""
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            chain.append(self.styles[style_id])
            style_id = self.styles[style_id].based_on
        return chain

    def _level(self, num: _Num, ilvl: int) -> _Level | None:
        return num.level_overrides.get(ilvl) or self.abstracts.get(num.abstract_id, {}).get(ilvl)

    def _start(self, num: _Num, ilvl: int) -> int:
        if ilvl in num.start_overrides:
            return num.start_overrides[ilvl]
        level = self._level(num, ilvl)
        return level.start if level else 0

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counter for this paragraph and return the label Word displays."""
        num = self.nums[num_id]
        level = self._level(num, ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(num.abstract_id, [None] * 9)
        if ilvl in num.start_overrides and (num_id, ilvl) not in self.used_overrides:
            self.used_overrides.add((num_id, ilvl))
            counters[ilvl] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(num, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            deeper_level = self._level(num, deeper)
            restart_after = deeper if deeper_level is None or deeper_level.restart is None else deeper_level.restart
            if ilvl < restart_after:  # w:lvlRestart="0" never restarts; default: any shallower level
                counters[deeper] = None
        if level.hidden:
            return None
        return self._render(num, level, counters)

    def _render(self, num: _Num, level: _Level, counters: list[int | None]) -> str | None:
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return None if not glyph else ("+" if glyph == "+" else "-")

        def placeholder(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = self._level(num, ref)
            value = counters[ref]
            value = self._start(num, ref) if value is None else value
            if level.is_legal:
                return str(value)
            return format_number(value, ref_level.fmt if ref_level else "decimal", ref_level.pad if ref_level else 0)

        label = re.sub(r"%([1-9])", placeholder, level.text).strip()
        return label or None


# --- the body walk ------------------------------------------------------------------------
@dataclass
class _Segment:
    """Text of a paragraph up to a hard page break, and the page it starts on."""

    parts: list[str] = field(default_factory=list)
    page: int | None = None


class _BodyReader:
    """Walks ``w:body`` once, in document order, keeping the page and list counters."""

    def __init__(self, package: _Package) -> None:
        styles, self.default_style = _load_styles(package.styles)
        self.numbering = _Numbering(package.numbering, styles)
        body = package.document.find(_w("body"))
        self.body = body if body is not None else etree.Element(_w("body"))
        # Word writes w:lastRenderedPageBreak wherever a page began at the last save, hard breaks
        # included; when present it is the truth and explicit breaks are not counted again.
        self.rendered = next(self.body.iter(_w("lastRenderedPageBreak")), None) is not None
        sections = [s for s in self.body.iter(SECT_PR) if s.getparent().tag in (PPR, _w("body"))]
        # Keyed by the element itself: holding the proxies keeps lxml from handing out new ones.
        self.next_section_type: dict[etree._Element, str] = {
            s: (_child_val(n, "type") or "nextPage") for s, n in itertools.pairwise(sections)
        }
        self.page = 1
        self.saw_break = False
        self.saw_content = False
        self.warnings: list[Diagnostic] = []

    def _new_page(self) -> None:
        self.page += 1
        self.saw_break = True

    def blocks(self) -> list[Block]:
        return list(self._container(self.body, depth=0))

    def _container(self, element: etree._Element, depth: int, *, flatten: bool = False) -> Iterator[Block]:
        """Paragraphs and tables of a body or cell; ``flatten`` reads nested tables as plain
        paragraphs, cell after cell (inside a data cell, whose text becomes one value)."""
        for child in _content_children(element):
            if child.tag == P:
                yield from self._paragraph(child)
            elif child.tag == TBL and flatten:
                for row in _table_rows(child, depth + 1):
                    for cell in _row_cells(row):
                        yield from self._container(cell, depth + 1, flatten=True)
            elif child.tag == TBL:
                yield from self._table(child, depth + 1)
            elif child.tag == _w("altChunk"):
                self.warnings.append(parse_warning("foreign_content_skipped",
                                                   "embedded foreign content (w:altChunk) was skipped"))

    # paragraphs ---------------------------------------------------------------------------
    def _paragraph(self, p: etree._Element) -> list[Block]:
        p_pr = p.find(PPR)
        break_before = p_pr.find(_w("pageBreakBefore")) if p_pr is not None else None
        if not self.rendered and self.saw_content and _on(break_before):
            self._new_page()
        style_id = _child_val(p_pr, "pStyle") or self.default_style
        resolved = self.numbering.resolve(p_pr, style_id)
        label = self.numbering.next_label(*resolved) if resolved else None
        segments = [_Segment(page=None)]
        self._inline(p, segments)
        blocks = []
        for segment in segments:
            text = "".join(segment.parts).strip()
            if not text:
                continue
            block_label = label if not blocks else None
            if block_label:
                text = f"{block_label} {text}"
            blocks.append(Block(text=text, page=segment.page, kind="paragraph", list_label=block_label))
        if blocks:
            self.saw_content = True
        section = p_pr.find(SECT_PR) if p_pr is not None else None
        if section is not None and not self.rendered and self.next_section_type.get(section) not in (
            None, "continuous", "nextColumn",
        ):
            self._new_page()
        return blocks

    def _inline(self, element: etree._Element, segments: list[_Segment]) -> None:
        """Collect visible run text in order; a hard page break opens a new segment."""
        for child in element:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == R and _on(child.find(f"{RPR}/{_w('vanish')}")):
                continue  # hidden text
            if tag == MC_ALTERNATE:
                choice = child.find(MC_CHOICE)
                if choice is not None:
                    self._inline(choice, segments)
                continue
            if tag == _w("t"):
                self._append(segments, child.text or "")
            elif tag in (_w("tab"), _w("ptab"), _w("cr")):
                self._append(segments, " ")
            elif tag == _w("br"):
                if child.get(_w("type")) == "page":
                    if not self.rendered:
                        self._new_page()
                    segments.append(_Segment())
                else:  # soft line break / column break: the paragraph goes on
                    self._append(segments, " ")
            elif tag == _w("noBreakHyphen"):
                self._append(segments, "-")
            elif tag == _w("sym"):
                self._append(segments, _symbol(child.get(_w("char"))))
            elif tag == _w("lastRenderedPageBreak"):
                self._new_page()
            elif len(child):
                self._inline(child, segments)

    def _append(self, segments: list[_Segment], text: str) -> None:
        segment = segments[-1]
        if segment.page is None and text.strip():
            segment.page = self.page
        segment.parts.append(text)

    # tables -------------------------------------------------------------------------------
    def _table(self, tbl: etree._Element, depth: int) -> Iterator[Block]:
        rows = _table_rows(tbl, depth)
        if _is_data_table(rows):
            yield from self._data_rows(rows, depth)
            return
        # Layout table (letterhead, signature, "Nơi nhận" box): read like paragraphs, row by
        # row, left cell before right cell; a letterhead band spread over several rows is read
        # column by column so that issuer lines and the national motto each stay together.
        for band in _layout_bands(rows):
            columns = [_row_cells(row) for row in band]
            for index in range(max(map(len, columns), default=0)):
                for cells in columns:
                    if index < len(cells):
                        yield from self._container(cells[index], depth)

    def _data_rows(self, rows: list[etree._Element], depth: int) -> Iterator[Block]:
        above: dict[int, str] = {}  # grid column -> text of the cell that started a vertical merge
        for row in rows:
            cells: list[str] = []
            page: int | None = None
            column = _int(_child_val(row.find(TRPR), "gridBefore"), 0, 0, 64)
            for cell in _row_cells(row):
                tc_pr = cell.find(TCPR)
                span = _int(_child_val(tc_pr, "gridSpan"), 1, 1, 64)
                v_merge = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
                text, cell_page = self._cell_text(cell, depth)
                if v_merge is not None and v_merge.get(VAL, "continue") == "continue":
                    # A vertically merged continuation cell repeats the value above on purpose,
                    # so every row stands on its own; its own (empty) text is dropped.
                    text = above.get(column, "")
                else:
                    above[column] = text
                page = page if page is not None else cell_page
                cells.append(text)
                column += span
            if any(cells):
                yield Block(text=" | ".join(cells), page=page or self.page, kind="table_row", cells=tuple(cells))

    def _cell_text(self, cell: etree._Element, depth: int) -> tuple[str, int | None]:
        """A data cell's paragraphs (nested tables flattened) joined by spaces."""
        blocks = list(self._container(cell, depth, flatten=True))
        page = next((b.page for b in blocks if b.page is not None), None)
        return " ".join(b.text for b in blocks), page


def _symbol(code: str | None) -> str:
    """A ``w:sym`` character; private-use glyphs (Symbol/Wingdings fonts) are decoration."""
    if not code or not re.fullmatch(r"[0-9A-Fa-f]{1,5}", code):
        return ""
    value = int(code, 16)
    if 0xE000 <= value <= 0xF8FF or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return ""
    return chr(value)


def _table_rows(tbl: etree._Element, depth: int) -> list[etree._Element]:
    if depth > MAX_TABLE_DEPTH:  # keeps recursion bounded whatever the nesting
        raise InputError(f"DOCX tables are nested more than {MAX_TABLE_DEPTH} deep; refused")
    return [r for r in _content_children(tbl) if r.tag == TR]


def _row_cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in _content_children(row) if c.tag == TC]


def _fold(text: str) -> str:
    """Lower-case ASCII skeleton of Vietnamese text ("CỘNG HOÀ" and "Cộng hòa" compare equal)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


_NATIONAL_TITLE = re.compile(r"cong\s+hoa\s+xa\s+hoi")
_MOTTO = re.compile(r"doc\s+lap\s*\W+\s*tu\s+do")
MAX_BAND_ROWS = 4


def _layout_bands(rows: list[etree._Element]) -> list[list[etree._Element]]:
    """Group rows to read together: a letterhead whose issuer and motto lines sit in separate
    rows ("UBND TỈNH | CỘNG HÒA ..." then "SỞ CÔNG THƯƠNG | Độc lập ...") forms one band, from
    the national title row to the motto row. Every other row is a band of its own."""
    bands: list[list[etree._Element]] = []
    open_band = False
    for row in rows:
        folded = [_fold(_plain_text(cell)) for cell in _row_cells(row)]
        has_motto = any(_MOTTO.search(t) for t in folded)
        if open_band and len(bands[-1]) < MAX_BAND_ROWS:
            bands[-1].append(row)
            open_band = not has_motto
            continue
        bands.append([row])
        open_band = any(_NATIONAL_TITLE.search(t) for t in folded) and not has_motto
    return bands


def _is_data_table(rows: list[etree._Element]) -> bool:
    """Column headers in the first row (or the second, under a one-cell caption row)."""
    for row in rows[:2]:
        texts = [_plain_text(c) for c in _row_cells(row)]
        if is_header_row(texts):
            return True
        if sum(1 for t in texts if t) > 1:
            return False
    return False


# --- the backend --------------------------------------------------------------------------
class DocxParser:
    format: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)

    def sniff(self, head: bytes) -> bool:
        # OLE files (encrypted DOCX, legacy .doc) are claimed too, to explain them properly.
        if head.startswith(OLE_MAGIC):
            return True
        return head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head)

    def parse(self, path: Path, data: bytes) -> ParsedDocument:
        from . import sha256_of

        package = _load_package(data)
        reader = _BodyReader(package)
        blocks = reader.blocks()
        if not blocks:
            raise InputError("DOCX holds no text in its body")
        # Without any page marker the whole document counts as one page.
        pages = reader.page if reader.saw_break else 1
        warnings = [parse_warning("legacy_encoding", f"runs in legacy {e.upper()} fonts were converted to Unicode")
                    for e in package.legacy_encodings]
        uses_lists = any(next(part.iter(_w("numPr")), None) is not None
                         for part in (package.document, package.styles) if part is not None)
        if package.numbering is None and uses_lists:
            # Lists number themselves in Word: without the numbering part "1.", "a)" are lost,
            # and with them the items the labels would have opened.
            warnings.append(parse_warning("numbering_missing", "the numbering part (word/numbering.xml) is missing: "
                                          "automatic list numbers are lost"))
        return ParsedDocument(
            path=str(path), format="docx", sha256=sha256_of(data), pages=pages,
            blocks=tuple(blocks), warnings=tuple(dict.fromkeys([*warnings, *reader.warnings])),
        )
