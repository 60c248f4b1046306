"""The task list as people read it: a spreadsheet that prints, and a CSV that opens in Excel.

``batch`` writes ``tasks.xlsx``/``tasks.csv`` with it, and a register export can reuse it: the
writers take *plain rows* (one list of values per task, in :data:`HEADERS` order), so they know
nothing about records. :func:`task_row` makes such a row from a notice and one of its tasks.

Why the care: the sheet is printed and carried to meetings. Printed as it was, 378 tasks took 61
A4 pages, the first ones showing nothing but the row number, with internal labels
(``table/39``, ``1./¶8``) and table pipes in the text. Now:

* A4 landscape, fitted to one page wide (as many pages tall as needed), the header row repeated
  on every page, narrow margins, page numbers in the footer; frozen header and a filter on
  screen.
* Nine columns in the order a tracking sheet uses: STT, Văn bản (số/ký hiệu, ngày), Trích yếu,
  Nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn, Trạng thái, Ghi chú; set widths, text
  wrapped, top-aligned.
* Thời hạn is a real date (``dd/mm/yyyy``) when the task has one; a limit with no one date
  ("hằng tháng") is shown as written. Trạng thái is "Quá hạn" when the earliest deadline is
  before the day the sheet is made for (``today``), else "Chưa hoàn thành".
* Section labels as a reader writes them ("Mục 2.1", "Mục II.1.a", "Điều 2, khoản 1", "Bảng,
  dòng 3", "Đoạn 8") in Ghi chú, with the deadline as written and the criteria; a task-table
  row's cells one per line instead of joined by ``" | "``.
* The CSV has the same columns, UTF-8 with a BOM (Excel detects the encoding), ISO dates
  (``YYYY-MM-DD``: read as dates in every locale, unlike ``dd/mm/yyyy``), and a text cell starting
  with ``= + - @`` gets a leading apostrophe so that a bulleted task is not taken for a formula.

Deterministic: the same rows give the same bytes (the workbook's time stamps are fixed).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from ..write import FILE_MODE

SHEET_TITLE = "Nhiệm vụ"

# (header, width in characters); the order of the CSV and spreadsheet columns. The widths add up
# to what fits an A4 landscape page at about 80 % (fitted to the page width).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 5),
    ("Văn bản", 14),
    ("Trích yếu", 24),
    ("Nhiệm vụ", 52),
    ("Đơn vị chủ trì", 18),
    ("Đơn vị phối hợp", 16),
    ("Thời hạn", 11),
    ("Trạng thái", 10),
    ("Ghi chú", 16),
)
HEADERS = tuple(name for name, _ in COLUMNS)
DEADLINE_COLUMN = HEADERS.index("Thời hạn")
STATUS_COLUMN = HEADERS.index("Trạng thái")
OPEN, OVERDUE = "Chưa hoàn thành", "Quá hạn"
DATE_FORMAT = "dd/mm/yyyy"
FONT_NAME, FONT_SIZE = "Times New Roman", 11  # the font of Vietnamese administrative documents
LINE_POINTS = 13.5  # one line of 11 pt Times New Roman as Excel spaces it (LibreOffice: 12.2)
_EXCEL_CELL_LIMIT = 32767
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CELL_SEPARATOR = " | "  # how the pipeline joins a table row's cells in a task's text


# --------------------------------------------------------------------------- labels


_ARTICLE = re.compile(r"^Điều\s+(\d+)[.:]?$")
_PART = re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG)\s+\S+")
_PARAGRAPH = re.compile(r"^¶(\d+)$")
_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3})*)[.)]?$")
_ROMAN = re.compile(r"^([IVXLC]+)[.)]?$")
_LETTER = re.compile(r"^([a-zA-ZđĐ])[.)]$")
_BULLETS = frozenset("-–—+•·●▪■◦*")


def _chain(values: list[str]) -> str:
    """'2', '2.1' → '2.1'; 'II', '1', 'a' → 'II.1.a': a number that repeats its parent replaces it."""
    out: list[str] = []
    for value in values:
        if out and value.startswith(out[-1] + "."):
            out[-1] = value
        else:
            out.append(value)
    return ".".join(out)


def section_label(section: str, text: str = "", paragraph: int | None = None) -> str:
    """A task's section path as a reader cites it.

    ``2./2.1.`` → "Mục 2.1"; ``II./1./a)`` → "Mục II.1.a"; ``III./1./-`` → "Mục III.1" (a bullet
    has no number to cite); ``Điều 2./1./a)`` → "Điều 2, khoản 1, điểm a"; ``¶8`` → "Đoạn 8";
    ``table/3`` → "Bảng, dòng 3" when 3 is the row's own number (its first cell, in ``text``),
    else "Bảng" (the pipeline then numbers the row by its paragraph).

    An unlabelled paragraph under a heading (``1./¶8``) is numbered in the whole document (8);
    a reader counts within the section, so it is cited by ``paragraph``, its place under its
    heading ("Mục 1, đoạn 2", see :func:`paragraph_in_section`), or by the section alone.
    """
    section = section.strip()
    if not section:
        return ""
    if section.startswith("table/"):
        row = section[len("table/"):]
        first_cell = text.split(_CELL_SEPARATOR.strip(), 1)[0].strip()
        return f"Bảng, dòng {row}" if row and first_cell == row else "Bảng"
    head = ""
    chain: list[str] = []
    paragraphs: list[str] = []
    for part in section.split("/"):
        part = part.strip()
        if not part or part in _BULLETS:
            continue
        if m := _PARAGRAPH.match(part):
            paragraphs.append(m.group(1))
        elif m := _ARTICLE.match(part):
            head = f"Điều {m.group(1)}"
        elif _PART.match(part):
            head = part.rstrip(".:")
        elif m := _NUMBER.match(part) or _ROMAN.match(part) or _LETTER.match(part):
            chain.append(m.group(1))
        else:
            chain.append(part.rstrip(".:)"))
    pieces: list[str] = []
    if head.startswith("Điều"):
        pieces.append(head)
        numbers = [c for c in chain if c[0].isdigit()]
        letters = [c for c in chain if not c[0].isdigit()]
        if len(numbers) <= 1 and len(letters) <= 1 and chain == numbers + letters:
            pieces += [f"khoản {n}" for n in numbers] + [f"điểm {x}" for x in letters]
        elif chain:
            pieces.append(f"mục {_chain(chain)}")
    else:
        if head:
            pieces.append(head)
        if chain:
            pieces.append(f"mục {_chain(chain)}")
    if paragraphs and not pieces:
        pieces.append(f"đoạn {paragraphs[-1]}")
    elif paragraphs and paragraph:
        pieces.append(f"đoạn {paragraph}")
    label = ", ".join(pieces)
    return label[:1].upper() + label[1:]


def paragraph_in_section(record_text: str, task: dict[str, Any]) -> int | None:
    """Which paragraph under its nearest heading the task opens (1 = the first), counted in the
    record's text (one paragraph a line); None when the heading is not found before it."""
    headings = task.get("headings") or []
    span = task.get("span") or {}
    start = span.get("start")
    if not headings or not record_text or not isinstance(start, int):
        return None
    heading = headings[-1]
    at = record_text.rfind(heading, 0, start)
    if at < 0:
        return None
    count = record_text.count("\n", at + len(heading), start)
    return count or None


def sheet_task_text(section: str, text: str, elsewhere: Iterable[str] = ()) -> str:
    """The task as shown: a task-table row's cells one per line (not joined by pipes), without
    the empty ones, the row's own number (Ghi chú cites it) and cells that are exactly what
    another column shows (``elsewhere``: its units, its deadline)."""
    if section.startswith("table/"):
        cells = [c.strip() for c in text.split(_CELL_SEPARATOR.strip())]
    elif _CELL_SEPARATOR in text:  # a table's row read as a paragraph
        cells = [c.strip() for c in text.split(_CELL_SEPARATOR)]
    else:
        return text
    cells = [c for c in cells if c]
    if len(cells) > 1 and section.startswith("table/") and cells[0] == section[len("table/"):]:
        cells = cells[1:]
    shown = set(elsewhere)
    return "\n".join(cells[:1] + [c for c in cells[1:] if c not in shown])


# --------------------------------------------------------------------------- rows


def document_symbol(notice: dict[str, Any]) -> str:
    """'1105/TB-UBND'; either half alone when the other is unknown."""
    number, symbol = notice.get("number"), notice.get("symbol")
    if number and symbol:
        return f"{number}/{symbol}"
    return symbol or number or ""


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def document_cell(notice: dict[str, Any]) -> str:
    """'Văn bản': number/symbol and date, one per line; the file's name when neither is known
    (a reader must still find the document)."""
    lines = [document_symbol(notice)]
    issued = notice.get("issued_date")
    if issued:
        lines.append(f"ngày {_day(dt.date.fromisoformat(issued))}")
    lines = [line for line in lines if line]
    if not lines:
        lines = [Path(notice["source"]["path"]).name]
    return "\n".join(lines)


def earliest_deadline(task: dict[str, Any]) -> dt.date | None:
    dates = [d["date"] for d in task.get("deadlines") or [] if d.get("date")]
    return dt.date.fromisoformat(min(dates)) if dates else None


def status(first: dt.date | None, today: dt.date) -> str:
    """'Quá hạn' once the earliest deadline has passed (a deadline today is not yet missed)."""
    return OVERDUE if first is not None and first < today else OPEN


def task_row(seq: int, notice: dict[str, Any], task: dict[str, Any], today: dt.date, record_text: str = "") -> list[Any]:
    """One row in :data:`HEADERS` order: plain values, dates as ``datetime.date``, None for blank.
    ``record_text`` (the record's ``text``) lets a paragraph be cited within its section."""
    deadlines = task.get("deadlines") or []
    first = earliest_deadline(task)
    phrases = [d["text"] for d in deadlines]
    shown_deadline: dt.date | str | None = first
    if first is None and phrases:
        shown_deadline = phrases[0]  # a recurring or relative limit: no one date to show
    section = task.get("section") or ""
    paragraph = paragraph_in_section(record_text, task) if "¶" in section else None
    notes = [section_label(section, task["text"], paragraph)]
    if phrases and not (first is None and len(phrases) == 1):
        notes.append("Thời hạn ghi: " + "; ".join(phrases))
    criteria = [c["code"] for c in task.get("criteria") or []]
    if criteria:
        notes.append("Tiêu chí " + ", ".join(dict.fromkeys(criteria)))
    responsible = "; ".join(task.get("responsible_units") or [])
    coordinating = "; ".join(task.get("coordinating_units") or [])
    return [
        seq,
        document_cell(notice),
        notice.get("subject") or "",
        sheet_task_text(task.get("section") or "", task["text"], (responsible, coordinating, *phrases)),
        responsible,
        coordinating,
        shown_deadline,
        status(first, today),
        "\n".join(n for n in notes if n),
    ]


# --------------------------------------------------------------------------- row heights


# Advance widths of Times New Roman (and of Liberation Serif, its metric twin that LibreOffice
# uses), in thousandths of an em, for printable ASCII; a Vietnamese letter takes its base
# letter's width ('ư' and 'ơ' a little more).
_ASCII = "".join(chr(c) for c in range(32, 127))
_WIDTHS = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541)
_EM: dict[str, int] = dict(zip(_ASCII, _WIDTHS, strict=True)) | {"đ": 500, "Đ": 722, "ư": 542, "ơ": 529, "Ư": 776}
_OTHER = 1000  # a character not in the table: counted wide, never narrow
DIGIT_PIXELS = 7  # a column width unit: the default font's digit (Times New Roman 11 pt) at 96 dpi
CELL_PADDING_PIXELS = 8  # the cell's margins and its border
MAX_ROW_POINTS = 409.0  # Excel's limit


@cache
def _char_em(char: str) -> float:
    width = _EM.get(char)
    if width is None:
        base = unicodedata.normalize("NFD", char)[:1]
        width = _EM.get(base, _OTHER) if base != char else _OTHER
    return width / 1000


def _text_points(text: str, size: float = FONT_SIZE) -> float:
    return sum(_char_em(c) for c in text) * size


def wrapped_lines(value: Any, width: float, *, bold: bool = False) -> int:
    """How many lines ``value`` takes in a wrapped cell ``width`` wide: words laid greedily, each
    measured in Times New Roman.

    Rows get their height from this: a spreadsheet file does not store the height that fits
    wrapped text, and LibreOffice prints rows without one a single line tall, cutting the task
    off. The estimate errs on the generous side (a little paper) rather than the short one
    (hidden text): bold text and unknown characters count wide, and 2 % of the line is spare.
    """
    if value is None or isinstance(value, dt.date | int | float):
        return 1
    available = (width * DIGIT_PIXELS + 5 - CELL_PADDING_PIXELS) * 0.75 * 0.98  # pixels to points
    scale = 1.1 if bold else 1.0
    space = _char_em(" ") * FONT_SIZE * scale
    lines = 0
    for paragraph in str(value).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            n = _text_points(word) * scale
            if used and used + space + n <= available:
                used += space + n
                continue
            if used:
                lines += 1
            over = int(n // available) if n > available else 0  # a word longer than the line breaks inside
            lines += over
            used = n - over * available
    return lines


def row_points(values: Sequence[Any], *, bold: bool = False) -> float:
    """The height, in points, that shows every line of the row's tallest cell."""
    lines = max(wrapped_lines(v, width, bold=bold) for v, (_, width) in zip(values, COLUMNS, strict=False))
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 3)


# --------------------------------------------------------------------------- files


class PendingFile:
    """A file being written under a temporary name in its target's folder; :meth:`commit`
    renames it into place, so a crash never leaves a half-written file under the real name."""

    def __init__(self, target: Path, *, encoding: str = "utf-8", newline: str | None = "\n", text: bool = True) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, FILE_MODE)  # as every other output: mkstemp makes 0600
        self.tmp = Path(name)
        if text:
            self.fh: TextIO | None = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        else:
            os.close(fd)
            self.fh = None

    def finish(self) -> None:
        if self.fh is not None:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
        else:
            with self.tmp.open("rb") as fh:
                os.fsync(fh.fileno())

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        if self.fh is not None and not self.fh.closed:
            self.fh.close()
        self.tmp.unlink(missing_ok=True)


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def open_task_csv(target: Path) -> tuple[PendingFile, Any]:
    """A pending ``tasks.csv`` (UTF-8 with BOM) and its writer, the header row written."""
    pending = PendingFile(target, encoding="utf-8-sig", newline="")
    assert pending.fh is not None
    writer = csv.writer(pending.fh)
    writer.writerow(HEADERS)
    return pending, writer


class TaskSheet:
    """The printable task sheet through openpyxl's write-only mode: rows go straight to disk,
    so memory stays flat over any number of tasks. :meth:`append` rows, then :meth:`save`."""

    def __init__(self, title: str = SHEET_TITLE) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import Cell, WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.worksheet import Worksheet

        self._illegal = ILLEGAL_CHARACTERS_RE
        self.book = Workbook(write_only=True)
        self.book.properties.creator = "notice-extractor"
        _default_font(self.book, Font(name=FONT_NAME, size=FONT_SIZE, family=1))
        sheet: Any = self.book.create_sheet(title)
        self.sheet = sheet
        sheet.freeze_panes = "A2"
        for n, (_, width) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        self._last_column = get_column_letter(len(COLUMNS))
        # Printing: A4 landscape, one page wide, as many tall as needed, header on every page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_title_rows = "1:1"
        sheet.print_options.gridLines = False
        margins = sheet.page_margins
        margins.left = margins.right = 0.4
        margins.top, margins.bottom, margins.header, margins.footer = 0.5, 0.6, 0.3, 0.3
        sheet.oddFooter.center.text = "Trang &P / &N"
        # Styles are resolved once into prototype style arrays that every data cell copies:
        # setting font/alignment per cell costs more than writing the cell.
        thin = Side(style="thin", color="808080")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)

        plain = Font(name=FONT_NAME, size=FONT_SIZE)

        def prototype(alignment: Alignment, number_format: str | None = None, font: Font = plain) -> Any:
            cell = WriteOnlyCell(sheet)
            cell.alignment, cell.border, cell.font = alignment, box, font
            if number_format:
                cell.number_format = number_format
            return cell._style

        wrap = Alignment(vertical="top", wrap_text=True)
        centred = Alignment(vertical="top", horizontal="center", wrap_text=True)
        self._text_style = prototype(wrap)
        self._number_style = prototype(centred)
        self._date_style = prototype(centred, DATE_FORMAT)
        self._overdue_style = prototype(centred, font=Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="C00000"))
        self._new_cell = Cell
        header = []
        for name in HEADERS:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
            cell.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
            cell.fill = PatternFill("solid", fgColor="D9E1F2")
            cell.border = box
            header.append(cell)
        self.rows = -1
        self._append(header, row_points(HEADERS, bold=True))
        self.rows = 0

    def append(self, values: Sequence[Any]) -> None:
        """One row in :data:`HEADERS` order; ``datetime.date`` values become date cells."""
        row: list[Any] = []
        for n, value in enumerate(values):
            if isinstance(value, str):
                value = self._illegal.sub("", value)[:_EXCEL_CELL_LIMIT]
            if value is None or value == "":
                value = None  # blank, but boxed like its neighbours
            if isinstance(value, dt.date):
                style = self._date_style
            elif n == STATUS_COLUMN and value == OVERDUE:
                style = self._overdue_style
            elif isinstance(value, int | float) or n in (STATUS_COLUMN, DEADLINE_COLUMN):
                style = self._number_style
            else:
                style = self._text_style
            cell = self._new_cell(self.sheet, row=1, column=1, value=value, style_array=style)
            if isinstance(value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that starts with '=' is text, not a formula
            row.append(cell)
        self._append(row, row_points(values))
        self.rows += 1

    def _append(self, cells: list[Any], height: float) -> None:
        number = self.rows + 2  # the sheet's 1-based row number, the header being row 1
        dimensions = self.sheet.row_dimensions
        dimensions[number].height = height
        self.sheet.append(cells)  # written out now, with its height
        del dimensions[number]  # (kept, they would grow with the sheet)

    def abandon(self) -> None:
        """Drop the half-written sheet now and quietly: left to the garbage collector, openpyxl's
        row writer would print tracebacks at exit after a write failed (a full disk)."""
        sheet: Any = self.sheet
        for generator in (getattr(sheet, "_rows", None), getattr(getattr(sheet, "_writer", None), "xf", None)):
            try:
                if generator is not None:
                    generator.close()
            except Exception:  # the stream is already broken; there is nothing left to save
                pass
        sheet._rows = None

    def save(self, path: Path) -> None:
        self.sheet.auto_filter.ref = f"A1:{self._last_column}{self.rows + 1}"
        self.book.save(path)
        fix_timestamps(path)


def _default_font(book: Any, font: Any) -> None:
    """Make ``font`` the workbook's default (the Normal style's): column widths are counted in
    the default font's digits, so with Calibri they would change with the machine (LibreOffice
    without Calibri measures in a wider substitute), and the row heights estimated here for
    Times New Roman text would be wrong."""
    from openpyxl.utils.indexed_list import IndexedList

    book._fonts = IndexedList([font])
    book._named_styles["Normal"].font = font


def write_task_sheet(path: Path, rows: Iterable[Sequence[Any]], *, title: str = SHEET_TITLE) -> int:
    """Write ``rows`` (each in :data:`HEADERS` order) as a printable ``.xlsx`` at ``path``,
    atomically; returns the number of rows."""
    sheet = TaskSheet(title)
    pending = PendingFile(path, text=False)
    try:
        for row in rows:
            sheet.append(row)
        sheet.save(pending.tmp)
        pending.finish()
        pending.commit()
    except BaseException:
        sheet.abandon()
        pending.discard()
        raise
    return sheet.rows


def write_task_csv(path: Path, rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` as ``tasks.csv`` is written (UTF-8 with BOM, ISO dates), atomically."""
    pending, writer = open_task_csv(path)
    count = 0
    try:
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
            count += 1
        pending.finish()
        pending.commit()
    except BaseException:
        pending.discard()
        raise
    return count


# openpyxl stamps the workbook and every zip entry with the time of saving; the same rows must
# give the same bytes. SOURCE_DATE_EPOCH (the reproducible-builds convention) sets the stamp.
_STAMP = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "946684800")), tz=dt.UTC)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fix_timestamps(path: Path) -> None:
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    stamp = _STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_STAMP.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, data)
