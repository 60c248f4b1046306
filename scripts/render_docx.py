"""Render every corpus text (``corpus/txt/*.txt``) as a realistic DOCX in ``corpus/rendered/docx/``.

The DOCX files exercise the DOCX backend the way real notices do:

* the letterhead (issuer, "Số:", national motto, "Place, ngày ...") is a borderless two-column
  table: issuer lines over "Số:"/"V/v" on the left, motto over place and date on the right;
* body lines become paragraphs, one per non-blank text line (a later stage rejoins wraps);
* list labels "1.", "1.1.", "I.", "a)", "-" and "+" become real Word automatic numbering in
  numbering.xml, with the label removed from the text, whenever Word would display exactly the
  same label. Word counts letters a, b, c, d, e ... so a lettered list that uses the Vietnamese
  "đ)" or skips a letter keeps its labels as literal text, as does any label out of sequence;
* the closing block ("Nơi nhận:" list | authority, title and signer) is a two-column table;
* a task table (the TXT backend's ``table_row`` blocks: a header row naming task columns and
  its rows) becomes a real Word table with grid borders, one row per ``table_row`` block and
  one cell per cell, each cell's text in one paragraph (the DOCX backend joins a cell's
  paragraphs with spaces, so entries the TXT backend joined with "; " stay in one paragraph).

Other lines holding only "|" are cell separators left by the text extraction, not text: dropped.
Output is deterministic: fixed core properties and fixed zip timestamps, so re-running gives
identical bytes. Usage: ``python scripts/render_docx.py [--txt DIR] [--rendered ROOT]`` (defaults
``corpus/txt`` and ``corpus/rendered``; the DOCX go to ``ROOT/docx``), e.g. ``--txt
corpus/wide/txt --rendered corpus/wide/rendered`` for the wide set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from extractor.parsers.txt import TextParser, decode_text
from extractor.tablevocab import column_role

ROOT = Path(__file__).resolve().parent.parent
TXT_DIR = ROOT / "corpus" / "txt"
RENDERED = ROOT / "corpus" / "rendered"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
HEADER_SCAN_LINES = 16  # the letterhead sits within the first lines or not at all
TEXT_WIDTH_CM = 16.0  # A4 less the 3 cm and 2 cm side margins
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.\s+(\S.*)$")
_ROMAN = re.compile(r"^([IVX]{1,6})\.\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
_BULLET = re.compile(r"^([-+])\s+(\S.*)$")
_EMPHASIS = re.compile(r"(\*{1,2})([^*\s](?:[^*]*[^*\s])?)\1")
_DOC_TITLE = re.compile(r"^(THÔNG BÁO|KẾ HOẠCH|BÁO CÁO|GIẤY MỜI|QUYẾT ĐỊNH|CÔNG VĂN|TỜ TRÌNH|CHỈ THỊ)\b")


# --- text tests -----------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower-case ASCII skeleton of Vietnamese text, for robust keyword tests."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_motto(line: str) -> bool:
    return bool(re.search(r"cong\s+hoa\s+xa\s+hoi|doc\s+lap\s*\W+\s*tu\s+do", fold(line)))


def is_date_line(line: str) -> bool:
    return bool(re.search(r"\bngay\b.*\bthang\b.*nam\b", fold(line)))


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def to_roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += letters * count
    return out


def roman_value(text: str) -> int | None:
    return next((n for n in range(1, 40) if to_roman(n) == text), None)


# --- reading the text -------------------------------------------------------------------------
@dataclass
class Line:
    text: str  # as the TXT backend reads it (emphasis markers removed), stripped
    raw: str  # as written, to recover italic/bold spans
    cells: tuple[str, ...] = ()  # a task table's row (the TXT backend's table_row block)


def _key(text: str) -> str:
    """A line without whitespace and emphasis markers: the raw line and what the TXT backend
    reads from it share this key."""
    return re.sub(r"[\s*_#]", "", text)


def read_lines(path: Path) -> list[Line]:
    """Non-blank lines and task-table rows exactly as the TXT backend reads them, so both
    backends agree on text. Each line is matched, in order, to the raw line it comes from (for
    its emphasis); the lines a task table consumed hold no line blocks and are skipped."""
    data = path.read_bytes()
    parsed = TextParser().parse(path, data)
    raw_lines = [line.replace("\f", "") for line in decode_text(data).splitlines()]
    lines = []
    position = 0
    for block in parsed.blocks:
        if block.kind == "table_row":
            cells = tuple(cell.strip() for cell in block.cells)
            lines.append(Line(block.text.strip(), block.text.strip(), cells))
            continue
        text = block.text.strip()
        if not text.strip("|").strip():
            continue
        key = _key(text)
        found = next((i for i in range(position, len(raw_lines)) if _key(raw_lines[i]) == key), None)
        if found is not None:  # a line block is its raw line less emphasis markers...
            lines.append(Line(text, raw_lines[found].strip()))
            position = found + 1
            continue
        # ...or one piece of a raw line the TXT backend split into several lines: its
        # emphasis is not recovered, and the next piece may come from the same raw line.
        found = next((i for i in range(position, len(raw_lines)) if key in _key(raw_lines[i])), None)
        if found is None:
            raise ValueError(f"{path.name}: line not found in the raw text: {text!r}")
        lines.append(Line(text, text))
        position = found
    return lines


@dataclass
class Layout:
    issuer: list[Line] = field(default_factory=list)
    number: list[Line] = field(default_factory=list)  # "Số: ..." and a "V/v" subject beside it
    motto: list[Line] = field(default_factory=list)
    date: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    recipients: list[Line] = field(default_factory=list)  # "Nơi nhận:" and its list
    signature: list[Line] = field(default_factory=list)  # authority, title, signer
    tail: list[Line] = field(default_factory=list)  # appendices after the signature


def split_layout(lines: list[Line]) -> Layout:
    layout = Layout()
    end = _letterhead_end(lines)
    side = "issuer"
    for line in lines[:end]:
        if is_motto(line.text):
            layout.motto.append(line)
        elif is_date_line(line.text):
            layout.date.append(line)
        elif fold(line.text).startswith(("so:", "so ")) or fold(line.text).startswith("v/v"):
            side = "number"
            layout.number.append(line)
        else:  # issuer lines, or a wrapped "V/v" subject continuing beside the number
            getattr(layout, side).append(line)
    rest = lines[end:]
    start, stop = _closing_block(rest)
    layout.body = rest[:start]
    for line in rest[start:stop]:
        (layout.signature if layout.signature or _is_authority(line.text) else layout.recipients).append(line)
    layout.tail = rest[stop:]
    return layout


def _letterhead_end(lines: list[Line]) -> int:
    """Index after the letterhead: through the date line and any motto line right after it."""
    date = next((i for i, ln in enumerate(lines[:HEADER_SCAN_LINES]) if is_date_line(ln.text)), None)
    if date is None or any(_DOC_TITLE.match(ln.text) or fold(ln.text).startswith("kinh gui") for ln in lines[:date]):
        return 0
    if any(ln.cells for ln in lines[:date + 1]):  # a task table is body text, never the letterhead
        return 0
    end = date + 1
    while end < len(lines) and is_motto(lines[end].text):
        end += 1
    return end


def _is_authority(text: str) -> bool:
    return is_upper(text) and not text.startswith(("-", "+"))


def _closing_block(lines: list[Line]) -> tuple[int, int]:
    """(start, stop) of "Nơi nhận" + signature, or an empty range when there is none."""
    start = max((i for i, ln in enumerate(lines) if fold(ln.text).startswith("noi nhan")), default=None)
    if start is None:
        return len(lines), len(lines)
    authority = next((i for i in range(start + 1, len(lines)) if _is_authority(lines[i].text)), None)
    if authority is None:
        return len(lines), len(lines)
    stop = authority
    while stop < len(lines) and _is_authority(lines[stop].text):
        stop += 1
    if stop < len(lines) and len(lines[stop].text.split()) <= 5:  # the signer's name
        stop += 1
    if any(ln.cells for ln in lines[start:stop]):  # a task table is body text, never the closing
        return len(lines), len(lines)
    return start, stop


# --- numbering ----------------------------------------------------------------------------------
def _w(tag: str, **attrs: str) -> etree._Element:
    element = etree.Element(qn(f"w:{tag}"))
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _level(ilvl: int, fmt: str, text: str, indent_cm: float) -> etree._Element:
    lvl = _w("lvl", ilvl=str(ilvl))
    lvl.append(_w("start", val="1"))
    lvl.append(_w("numFmt", val=fmt))
    lvl.append(_w("suff", val="space"))  # Vietnamese notices put a space, not a tab, after labels
    lvl.append(_w("lvlText", val=text))
    lvl.append(_w("lvlJc", val="left"))
    p_pr = _w("pPr")
    p_pr.append(_w("ind", left="0", firstLine=str(int(indent_cm * 567))))
    lvl.append(p_pr)
    return lvl


class Lists:
    """Writes the abstract lists and list instances into numbering.xml and decides, line by line,
    whether Word's automatic numbering reproduces the written label exactly."""

    def __init__(self, document: DocumentObject) -> None:
        self.root = document.part.numbering_part.element
        ids = [int(e.get(qn("w:abstractNumId"))) for e in self.root.findall(qn("w:abstractNum"))]
        nums = [int(e.get(qn("w:numId"))) for e in self.root.findall(qn("w:num"))]
        self.next_abstract = max(ids, default=0) + 1
        self.next_num = max(nums, default=0) + 1
        self.outline = self._abstract([("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")])
        self.roman = self._abstract([("upperRoman", "%1.")])
        self.letter = self._abstract([("lowerLetter", "%1)")])
        self.bullet_num = self._num(self._abstract([("bullet", "-"), ("bullet", "+")]), None)
        self.outline_num: str | None = None
        self.outline_count: list[int | None] = [None, None, None]
        self.roman_num: str | None = None
        self.roman_count = 0
        self.letter_num: str | None = None

    def _abstract(self, levels: list[tuple[str, str]]) -> str:
        abstract_id = str(self.next_abstract)
        self.next_abstract += 1
        abstract = _w("abstractNum", abstractNumId=abstract_id)
        abstract.append(_w("multiLevelType", val="multilevel" if len(levels) > 1 else "singleLevel"))
        for ilvl, (fmt, text) in enumerate(levels):
            abstract.append(_level(ilvl, fmt, text, 1.0 + 0.5 * ilvl))
        first_num = self.root.find(qn("w:num"))  # schema order: every abstractNum before any num
        if first_num is None:
            self.root.append(abstract)
        else:
            first_num.addprevious(abstract)
        return abstract_id

    def _num(self, abstract_id: str, start: int | None) -> str:
        """A new list instance; with ``start`` it restarts level 0 there (w:startOverride)."""
        num_id = str(self.next_num)
        self.next_num += 1
        num = _w("num", numId=num_id)
        num.append(_w("abstractNumId", val=abstract_id))
        if start is not None:
            override = _w("lvlOverride", ilvl="0")
            override.append(_w("startOverride", val=str(start)))
            num.append(override)
        self.root.append(num)
        return num_id

    def decimal(self, label: str) -> tuple[str, int] | None:
        parts = [int(x) for x in label.split(".")]
        depth = len(parts) - 1
        count = self.outline_count
        if depth == 0:
            if self.outline_num and parts[0] == (count[0] or 0) + 1:
                pass
            elif 1 <= parts[0] <= 30 and (parts[0] == 1 or self.outline_num is None):
                self.outline_num = self._num(self.outline, parts[0])
            else:
                return None
        elif not (self.outline_num and count[:depth] == parts[:depth] and parts[depth] == (count[depth] or 0) + 1):
            return None
        count[depth] = parts[depth]
        for deeper in range(depth + 1, 3):
            count[deeper] = None
        return self.outline_num, depth

    def upper_roman(self, label: str) -> tuple[str, int] | None:
        value = roman_value(label)
        if value is None:
            return None
        if self.roman_num and value == self.roman_count + 1:
            pass
        elif value == 1:
            self.roman_num = self._num(self.roman, 1)
        else:
            return None
        self.roman_count = value
        return self.roman_num, 0

    def start_letter_group(self) -> None:
        self.letter_num = self._num(self.letter, 1)


def letter_groups(lines: list[Line]) -> dict[int, bool]:
    """For each "a)" line: True when its group (between decimal/roman headings) counts a, b, c ...
    exactly as Word would; groups with "đ)" or a gap keep literal labels."""
    verdict: dict[int, bool] = {}
    group: list[tuple[int, str]] = []

    def close() -> None:
        letters = [letter for _, letter in group]
        ok = letters == [chr(ord("a") + i) for i in range(len(letters))]
        verdict.update({i: ok for i, _ in group})
        group.clear()

    for index, line in enumerate(lines):
        if _DECIMAL.match(line.text) or _ROMAN.match(line.text):
            close()
        elif match := _LETTER.match(line.text):
            group.append((index, match.group(1)))
    close()
    return verdict


# --- writing ------------------------------------------------------------------------------------
def styled_pieces(line: Line) -> list[tuple[str, str]]:
    """The line's visible text split at Markdown emphasis ("*x*", "**x**"), each piece with its
    marker; the plain text alone when the split does not reproduce what the TXT backend reads."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _EMPHASIS.finditer(line.raw):
        pieces.append((line.raw[position:match.start()], ""))
        pieces.append((match.group(2), match.group(1)))
        position = match.end()
    pieces.append((line.raw[position:], ""))
    if "".join(piece for piece, _ in pieces) != line.text:
        return [(line.text, "")]
    return [(piece, marker) for piece, marker in pieces if piece]


def add_runs(paragraph: Paragraph, line: Line, text: str, *, bold: bool = False) -> None:
    """Write ``text`` (a suffix of the line: the line without its label) as runs."""
    skip = len(line.text) - len(text)
    for piece, marker in styled_pieces(line):
        cut = min(skip, len(piece))
        piece, skip = piece[cut:], skip - cut
        if piece:
            run = paragraph.add_run(piece)
            run.bold = bold or marker == "**" or None
            run.italic = marker == "*" or None


def set_numbering(paragraph: Paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def table_groups(lines: list[Line]) -> dict[int, list[Line]]:
    """Runs of task-table rows, keyed by the index of their first row: one Word table each (a
    change in the number of cells starts another table)."""
    groups: dict[int, list[Line]] = {}
    start = None
    for index, line in enumerate(lines):
        if not line.cells:
            start = None
        elif start is None or len(line.cells) != len(groups[start][0].cells):
            start = index
            groups[start] = [line]
        else:
            groups[start].append(line)
    return groups


def column_widths(rows: list[Line]) -> list[int]:
    """Column widths in EMU: a narrow numbering column ("TT", "STT"); every other column wide
    enough for its longest header word, the rest of the line shared after the length of the
    column's longest text (rounded, so the output stays byte-identical)."""
    width = len(rows[0].cells)
    header = rows[0].cells
    longest = [max(len(row.cells[col]) for row in rows) for col in range(width)]
    narrow = [column_role(header[col]) == "index" or longest[col] <= 4 for col in range(width)]
    word = [max((len(w) for w in header[col].split()), default=0) for col in range(width)]
    least = [1.2 if narrow[col] else max(1.6, 0.25 * word[col] + 0.5) for col in range(width)]
    weights = [0.0 if narrow[col] else max(longest[col] - 12, 0) ** 0.6 for col in range(width)]
    spare = max(TEXT_WIDTH_CM - sum(least), 0.0)
    total = sum(weights) or 1.0
    return [int(Cm(round(least[col] + spare * weights[col] / total, 2))) for col in range(width)]


def write_table(document: DocumentObject, rows: list[Line]) -> None:
    """A task table with grid borders: the header row bold, centred and repeated on each page;
    each cell's text in one paragraph, centred in columns of short values."""
    widths = column_widths(rows)
    short = [max(len(row.cells[col]) for row in rows[1:]) <= 12 if rows[1:] else True for col in range(len(widths))]
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    size = Pt(12 if len(widths) <= 6 else 10)
    for index, (row, line) in enumerate(zip(table.rows, rows, strict=True)):
        if index == 0:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, text, width, centred in zip(row.cells, line.cells, widths, short, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            centre = index == 0 or centred
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
            if text:
                run = paragraph.add_run(text)
                run.bold = index == 0 or None
                run.font.size = size


def write_body(document: DocumentObject, lines: list[Line], lists: Lists) -> None:
    letters_ok = letter_groups(lines)
    tables = table_groups(lines)
    title_seen = False
    for index, line in enumerate(lines):
        if line.cells:
            if index in tables:
                write_table(document, tables[index])
            continue
        text, numbered, heading = line.text, None, False
        if match := _DECIMAL.match(text):
            numbered = lists.decimal(match.group(1))
            heading = len(match.group(2)) < 90 and "." not in match.group(1)
        elif match := _ROMAN.match(text):
            numbered = lists.upper_roman(match.group(1))
            heading = True
        elif match := _LETTER.match(text):
            if letters_ok.get(index):
                if match.group(1) == "a":
                    lists.start_letter_group()
                numbered = (lists.letter_num, 0) if lists.letter_num else None
        elif match := _BULLET.match(text):
            numbered = (lists.bullet_num, 0 if match.group(1) == "-" else 1)
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        is_title = not title_seen and bool(_DOC_TITLE.match(text)) and is_upper(text)
        if is_title:
            title_seen = True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = None
        if numbered and match:
            set_numbering(paragraph, *numbered)
            add_runs(paragraph, line, match.group(2), bold=heading)
        else:
            add_runs(paragraph, line, text, bold=is_title or (heading and is_upper(text)))


def _cell_lines(cell: _Cell, lines: list[Line], *, bold: bool = False, center: bool = True,
                size: float | None = None) -> None:
    """Fill a table cell with one paragraph per line (the cell's first, empty paragraph reused)."""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        add_runs(paragraph, line, line.text, bold=bold)
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(size)


def write_letterhead(document: DocumentObject, layout: Layout) -> None:
    rows = [(layout.issuer, layout.motto), (layout.number, layout.date)]
    rows = [row for row in rows if row[0] or row[1]]
    if not rows:
        return
    table = document.add_table(rows=len(rows), cols=2)
    table.autofit = False
    for row, (left, right) in zip(table.rows, rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(6.5), Cm(9.5)
        is_head = left is layout.issuer
        _cell_lines(row.cells[0], left, bold=is_head, size=None if is_head else 13)
        _cell_lines(row.cells[1], right, bold=right is layout.motto)
        if right is layout.date:
            for paragraph in row.cells[1].paragraphs:
                for run in paragraph.runs:
                    run.italic = True


def write_closing(document: DocumentObject, layout: Layout) -> None:
    if not layout.signature:
        return
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    _cell_lines(left, layout.recipients, center=False, size=11)
    if left.paragraphs[0].runs:
        left.paragraphs[0].runs[0].bold = True
        left.paragraphs[0].runs[0].italic = True
    _cell_lines(right, layout.signature[:-1], bold=True)
    signer = right.add_paragraph()
    signer.paragraph_format.space_before = Pt(60)  # room for the signature and seal
    signer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_runs(signer, layout.signature[-1], layout.signature[-1].text, bold=True)


def set_defaults(document: DocumentObject) -> None:
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(6)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    props = document.core_properties
    props.author = props.last_modified_by = "notice-extractor corpus renderer"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.title = ""
    # python-docx's template carries a thumbnail of some other document: drop it.
    package_rels = document.part.package.rels
    for r_id in [k for k, rel in package_rels.items() if rel.reltype.endswith("/thumbnail")]:
        del package_rels[r_id]


def render(lines: list[Line]) -> bytes:
    document = Document()
    set_defaults(document)
    layout = split_layout(lines)
    write_letterhead(document, layout)
    lists = Lists(document)
    write_body(document, layout.body, lists)
    write_closing(document, layout)
    write_body(document, layout.tail, lists)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def deterministic_zip(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time; rewrite them with a fixed one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--txt", type=Path, default=TXT_DIR, help="folder of the texts (default corpus/txt)")
    parser.add_argument("--rendered", type=Path, default=RENDERED,
                        help="output root; the DOCX go to its docx/ (default corpus/rendered)")
    args = parser.parse_args(argv)
    target = args.rendered / "docx"
    target.mkdir(parents=True, exist_ok=True)
    count = changed = 0
    for path in sorted(args.txt.glob("*.txt")):
        if "mojibake" in path.name:
            continue
        data = render(read_lines(path))
        out = target / f"{path.stem}.docx"
        if not out.is_file() or out.read_bytes() != data:  # an unchanged file keeps its date,
            out.write_bytes(data)  # so render_pdf.py does not redo its PDF
            changed += 1
        count += 1
    print(f"rendered {count} DOCX files into {target} ({changed} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
