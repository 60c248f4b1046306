"""Plain text and Markdown: decode robustly, one block per line."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import ClassVar

from charset_normalizer import from_bytes

from ..diagnostics import legacy_warning, parse_warning
from ..errors import InputError
from .base import Backend, ParsedDocument
from .legacy_encodings import plausibility, repair_text
from .pipe_tables import rebuild_tables

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Vietnamese letters outside ASCII: a decoding that yields many of them is probably right.
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
# Emphasis markers at a word's edge (``*Tiêu chí 3.2*:``, ``**TL. CHỦ TỊCH``); plain-text
# notices exported from Markdown carry them too, and they must not leak into values.
_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{2,3})(?=[^\s*_])|(?<=[^\s*_])(\*{1,3}|_{2,3})(?![\w*])")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Markdown exports (docling, markitdown, MinerU, hand transcriptions) break lines inside a
# table cell with "<br>" and quote stamps with ">"; a flattened two-column letterhead keeps its
# columns apart with TABs. Each piece is a line of its own.
# A web copy may also run the header's lines together: "Số: 19046/BTC-TCHQ V/v hướng dẫn …",
# "Hà Nội, ngày 29 tháng 12 năm 2014 Kính gửi: Cục Hải quan …".
_LINE_BREAKS = re.compile(r"<br\s*/?>|(?<=\S)\t+(?=\S)|(?<=\S)\s+(?=Kính gửi\s*:|V/v\s)", re.IGNORECASE)
_PAGE_MARK = re.compile(r"^\s*[-=]{2,}\s*(?:PAGE|Page|page|TRANG|Trang)\s+\d+\s*[-=]{2,}\s*$")
_MARKDOWN_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte for ASCII-range characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    for nuls, codec in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
        if nuls > 0.3 * half:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> str:
    return decode_text_detailed(data)[0]


def decode_text_detailed(data: bytes) -> tuple[str, str | None]:
    """The text of ``data`` and the legacy encoding (TCVN3, VNI) it was converted from, if any."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return repair_text(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(f"text starts with a {codec} byte-order mark but is not valid {codec} ({exc.reason})") from None
    text = _utf16_without_bom(data)
    if text is not None:
        return repair_text(text)
    try:
        # Ordinary UTF-8 costs one scan for legacy fingerprints; text pasted from a .VnTime or
        # VNI-Times document into a UTF-8 editor is converted.
        return repair_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    damaged = _mostly_utf8(data)
    if damaged is not None:
        return damaged, None
    best = from_bytes(data, cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1"]).best()
    candidates: list[str] = []
    for codec in ("cp1258",) + ((best.encoding,) if best else ()):
        try:
            candidates.append(data.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    if not candidates:
        raise InputError("text encoding could not be detected (not UTF-8, UTF-16 or Windows-1258)")
    # Windows-1258 writes tones as combining marks; the stage that normalises composes them.
    chosen = max(candidates, key=lambda s: len(_VIETNAMESE.findall(unicodedata.normalize("NFC", s))))
    # TCVN3 and VNI files are single bytes too: read as Windows-1252, they are converted when
    # that gives better Vietnamese than the Windows-1258 (or guessed) reading.
    legacy, encoding = repair_text(_cp1252(data))
    if encoding and plausibility(legacy) > plausibility(unicodedata.normalize("NFC", chosen)):
        return legacy, encoding
    return chosen, None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few undecodable bytes (a copy cut inside a character, a stray byte): read
    with U+FFFD in their place, rather than refusing the file or guessing a legacy code page
    for all of it. None when the bytes are not mostly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 0x7F) - bad
    if bad and bad <= max(3, len(text) // 1000) and multibyte >= 10 * bad:
        return text
    return None


def _invalid_utf8(data: bytes) -> int:
    """How many undecodable byte runs UTF-8 decoding of ``data`` replaced (0 for valid UTF-8)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    return 0


# Windows-1252 over Latin-1: the bytes 0x80-0x9F it defines (curly quotes, dashes, ...).
_CP1252_C1 = {i: bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(0x80, 0xA0)}


def _cp1252(data: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined read as Latin-1."""
    return data.decode("latin-1").translate(_CP1252_C1)


def split_line(line: str) -> list[str]:
    """A source line as the lines it stands for: "<br>" and inner TABs break it; a Markdown
    quote mark goes (a quoted incoming stamp is read like any other line)."""
    if not ("<" in line or "\t" in line or ">" in line[:4] or "V/v" in line or "Kính gửi" in line):
        return [line]
    line = _MARKDOWN_QUOTE.sub("", line)
    if line.lstrip().startswith("|"):
        return [line]  # a Markdown table row: its cells are read by rebuild_tables
    return _LINE_BREAKS.split(line)


def strip_markdown(line: str) -> str:
    if "*" not in line and "_" not in line and "#" not in line:
        return line
    line = _MARKDOWN_HEADING.sub("", line)
    return _MARKDOWN_EMPHASIS.sub("", line)


class TextParser(Backend):
    format: ClassVar[str] = "txt"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".md", ".markdown", ".text")

    def sniff(self, head: bytes) -> bool:
        if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return True
        if _utf16_without_bom(head[: len(head) - len(head) % 2]) is not None:
            return True
        # Binary formats carry NULs or many control bytes; text does not.
        sample = head[:4096]
        return b"\x00" not in sample and len(_CONTROL.findall(sample.decode("latin-1"))) < 0.01 * max(len(sample), 1)

    def read(self, data: bytes) -> ParsedDocument:
        text, legacy = decode_text_detailed(data)
        if _CONTROL.search(text[:4096]) and len(_CONTROL.findall(text)) > 0.01 * len(text):
            raise InputError("file is not readable text (control characters: a binary file, or text in a broken font encoding)")
        if not text.strip():
            raise InputError("file holds no text")
        lines: list[str] = []
        pages: list[int] = []
        page = 1
        for raw_line in text.splitlines():
            if _PAGE_MARK.match(raw_line):
                if not any(x.strip() for x in lines):
                    continue  # "--- PAGE 1 ---" opens the first page
                raw_line = "\f"  # "--- PAGE 2 ---" written by OCR and PDF-to-text exports
            if "\f" in raw_line:
                page += raw_line.count("\f")
                raw_line = raw_line.replace("\f", "")
            for piece in split_line(raw_line):
                # Markdown is recognised by its marks in any text file: "# II. NỘI DUNG" is a heading.
                lines.append(strip_markdown(piece))
                pages.append(page)
        blocks = rebuild_tables(lines, pages)
        return ParsedDocument(
            pages=page if page > 1 else None, blocks=tuple(blocks),
            warnings=(legacy_warning(legacy),) if legacy else (
                (parse_warning("invalid_utf8", f"{bad} byte(s) were not valid UTF-8 and were read as \ufffd"),)
                if (bad := _invalid_utf8(data)) else ()),
        )
