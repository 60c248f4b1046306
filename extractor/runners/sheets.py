"""The batch's tabular outputs: ``tasks.jsonl``, ``tasks.csv``, ``tasks.xlsx``, ``failures.jsonl``
and the counts behind ``summary.json``.

Rows are streamed: the caller feeds one record (or one failure) at a time, in input order, and
nothing but a few counters is kept, so memory does not grow with the archive. Every file is
written to a temporary name beside its target and renamed into place by :meth:`Tables.commit`:
a crash never leaves a half-written table under its real name.

Formats:

* ``tasks.jsonl``: one task per line, ``{"notice_id", "number", "symbol", "issued_date",
  "issuer", "source", "task": {...the task object as in the notice's JSON...}}``.
* ``tasks.csv``: UTF-8 with a BOM (Excel reads Vietnamese correctly), the columns of the
  spreadsheet; several units or deadlines in one cell are joined by ``"; "``; dates ISO
  ``YYYY-MM-DD``. A text cell starting with ``= + - @`` gets a leading apostrophe, so that Excel
  does not take a bulleted task (``- Rà soát …``) for a formula.
* ``tasks.xlsx``: the same columns with Vietnamese headers; bold frozen header row, filter,
  wrapped task text, dates as real Excel dates (``DD/MM/YYYY``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from ..write import FILE_MODE

TASKS_JSONL = "tasks.jsonl"
TASKS_CSV = "tasks.csv"
TASKS_XLSX = "tasks.xlsx"
FAILURES_JSONL = "failures.jsonl"
SHEET_TITLE = "Nhiệm vụ"

# (header, width in characters); the order of the CSV and spreadsheet columns.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 7),
    ("Nhiệm vụ", 80),
    ("Đơn vị chủ trì", 32),
    ("Đơn vị phối hợp", 32),
    ("Thời hạn", 12),
    ("Thời hạn (nguyên văn)", 30),
    ("Tiêu chí", 12),
    ("Văn bản", 18),
    ("Ngày ban hành", 14),
    ("Cơ quan ban hành", 32),
    ("Tệp nguồn", 48),
    ("Mục", 10),
    ("Mã nhiệm vụ", 28),
)
HEADERS = tuple(name for name, _ in COLUMNS)
_TASK_COLUMN = HEADERS.index("Nhiệm vụ")
_WRAPPED = frozenset({_TASK_COLUMN, HEADERS.index("Đơn vị chủ trì"), HEADERS.index("Đơn vị phối hợp"),
                      HEADERS.index("Thời hạn (nguyên văn)"), HEADERS.index("Cơ quan ban hành")})
_DATE_FORMAT = "DD/MM/YYYY"
_EXCEL_CELL_LIMIT = 32767
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def document_symbol(notice: dict[str, Any]) -> str:
    """'Văn bản': '1105/TB-UBND'; either half alone when the other is unknown."""
    number, symbol = notice.get("number"), notice.get("symbol")
    if number and symbol:
        return f"{number}/{symbol}"
    return symbol or number or ""


def task_cells(seq: int, notice: dict[str, Any], task: dict[str, Any]) -> list[Any]:
    """One spreadsheet row: plain values, dates as ``datetime.date`` (None when absent)."""
    deadlines = task.get("deadlines") or []
    first = min((d["date"] for d in deadlines), default=None)
    issued = notice.get("issued_date")
    return [
        seq,
        task["text"],
        "; ".join(task.get("responsible_units") or []),
        "; ".join(task.get("coordinating_units") or []),
        dt.date.fromisoformat(first) if first else None,
        "; ".join(d["text"] for d in deadlines),
        ", ".join(c["code"] for c in task.get("criteria") or []),
        document_symbol(notice),
        dt.date.fromisoformat(issued) if issued else None,
        notice.get("issuer") or "",
        notice["source"]["path"],
        task.get("section") or "",
        task["id"],
    ]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


class _Pending:
    """A file being written under a temporary name in the target's folder."""

    def __init__(self, target: Path, *, encoding: str = "utf-8", newline: str | None = "\n", text: bool = True) -> None:
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, FILE_MODE)  # as the records: mkstemp makes 0600
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


class _Workbook:
    """tasks.xlsx through openpyxl's write-only mode: rows go straight to disk."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import Cell, WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self._illegal = ILLEGAL_CHARACTERS_RE
        self.book = Workbook(write_only=True)
        self.book.properties.creator = "notice-extractor"
        self.sheet = self.book.create_sheet(SHEET_TITLE)
        self.sheet.freeze_panes = "A2"
        for n, (_, width) in enumerate(COLUMNS, start=1):
            self.sheet.column_dimensions[get_column_letter(n)].width = width
        self._last_column = get_column_letter(len(COLUMNS))
        # Styles are resolved once into prototype style arrays that every data cell copies:
        # setting font/alignment per cell costs more than writing the cell.
        def prototype(alignment: Alignment, number_format: str | None = None) -> Any:
            cell = WriteOnlyCell(self.sheet)
            cell.alignment = alignment
            if number_format:
                cell.number_format = number_format
            return cell._style

        top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
        self._styles = [prototype(wrap if n in _WRAPPED else top) for n in range(len(COLUMNS))]
        self._date_style = prototype(top, _DATE_FORMAT)
        self._new_cell = Cell
        bold = Font(bold=True)
        header_alignment = Alignment(vertical="center", wrap_text=True)
        header = []
        for name in HEADERS:
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font = bold
            cell.alignment = header_alignment
            header.append(cell)
        self.sheet.append(header)
        self.rows = 0

    def append(self, values: list[Any]) -> None:
        row: list[Any] = []
        for n, value in enumerate(values):
            if isinstance(value, str):
                value = self._illegal.sub("", value)[:_EXCEL_CELL_LIMIT]
            if value is None or value == "":
                row.append(None)  # an empty cell is not written at all
                continue
            style = self._date_style if isinstance(value, dt.date) else self._styles[n]
            cell = self._new_cell(self.sheet, row=1, column=1, value=value, style_array=style)
            if isinstance(value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that starts with '=' is text, not a formula
            row.append(cell)
        self.sheet.append(row)
        self.rows += 1

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
        _fix_timestamps(path)


# openpyxl stamps the workbook and every zip entry with the time of saving; the same run must
# give the same bytes. SOURCE_DATE_EPOCH (the reproducible-builds convention) sets the stamp.
_STAMP = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "946684800")), tz=dt.UTC)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fix_timestamps(path: Path) -> None:
    import zipfile

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


class Tables:
    """Streams the batch's tables; :meth:`commit` renames them all into place at the end."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self._pending: list[_Pending] = []
        try:
            self._jsonl = self._open(TASKS_JSONL)
            self._failures = self._open(FAILURES_JSONL)
            self._csv_file = self._open(TASKS_CSV, encoding="utf-8-sig", newline="")
            self._xlsx_file = self._open(TASKS_XLSX, text=False)
            assert self._csv_file.fh is not None
            self._csv = csv.writer(self._csv_file.fh)
            self._csv.writerow(HEADERS)
            self._book = _Workbook()
        except BaseException:
            self.discard()
            raise
        self.documents = self.succeeded = self.failed = self.tasks = 0
        self.units: Counter[str] = Counter()
        self.without_unit = 0
        self.months: Counter[str] = Counter()

    def _open(self, name: str, **kwargs: Any) -> _Pending:
        pending = _Pending(self.out_dir / name, **kwargs)
        self._pending.append(pending)
        return pending

    def add_record(self, record: dict[str, Any]) -> None:
        """A succeeded notice: one row per task in every table."""
        notice = record["notice"]
        head = {
            "notice_id": notice["id"],
            "number": notice.get("number"),
            "symbol": notice.get("symbol"),
            "issued_date": notice.get("issued_date"),
            "issuer": notice.get("issuer"),
            "source": notice["source"]["path"],
        }
        assert self._jsonl.fh is not None
        for task in record["tasks"]:
            self.tasks += 1
            self._jsonl.fh.write(json.dumps({**head, "task": task}, ensure_ascii=False) + "\n")
            cells = task_cells(self.tasks, notice, task)
            self._csv.writerow([_csv_value(v) for v in cells])
            self._book.append(cells)
            units = task.get("responsible_units") or []
            self.units.update(dict.fromkeys(units, 1))
            if not units:
                self.without_unit += 1
            self.months.update(d["date"][:7] for d in task.get("deadlines") or [])
        self.documents += 1
        self.succeeded += 1

    def add_failure(self, path: str, stage: str | None, error: str | None) -> None:
        assert self._failures.fh is not None
        self._failures.fh.write(json.dumps({"path": path, "stage": stage, "error": error}, ensure_ascii=False) + "\n")
        self.documents += 1
        self.failed += 1

    def counts(self) -> dict[str, Any]:
        """The deterministic part of summary.json."""
        return {
            "documents": self.documents,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "tasks": self.tasks,
            "tasks_per_responsible_unit": dict(sorted(self.units.items(), key=lambda kv: (-kv[1], kv[0]))),
            "tasks_without_responsible_unit": self.without_unit,
            "deadlines_per_month": dict(sorted(self.months.items())),
        }

    def commit(self) -> None:
        """Finish every file, then rename them into place."""
        try:
            self._book.save(self._xlsx_file.tmp)
            for pending in self._pending:
                pending.finish()
            for pending in self._pending:
                pending.commit()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        if getattr(self, "_book", None) is not None:
            self._book.abandon()
        for pending in self._pending:
            pending.discard()
