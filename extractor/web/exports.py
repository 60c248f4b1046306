"""The register's current view and the dashboard's figures as files a clerk opens in Excel.

The task list goes through the batch's own writers (:mod:`extractor.runners.tasksheet`): the
same nine columns (STT, Văn bản, Trích yếu, Nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời
hạn, Trạng thái, Ghi chú), the same printable A4 landscape sheet and the same CSV (UTF-8 with a
BOM, ISO dates, formulas defused), so a sheet from the register and one from ``batch`` read
alike. Trạng thái is the register's (it knows what is done); Ghi chú gives the section as a
reader cites it, the deadline as written and the clerk's note.

The dashboard's two small tables are written here with openpyxl, printable the same way.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..register import TaskView, UnitCount
from ..runners.tasksheet import csv_value, section_label, sheet_task_text, write_task_csv, write_task_sheet
from .labels import STATUS_LABELS, month_label

UNIT_COLUMNS = ("Đơn vị chủ trì", "Chưa hoàn thành", "Quá hạn", "Đã hoàn thành", "Tổng")
MONTH_COLUMNS = ("Tháng", "Nhiệm vụ chưa hoàn thành đến hạn")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def task_rows(tasks: Iterable[TaskView]) -> list[list[Any]]:
    """One row per task in the tracking sheet's columns (``tasksheet.HEADERS``)."""
    rows = []
    for n, t in enumerate(tasks, start=1):
        responsible, coordinating = "; ".join(t.responsible), "; ".join(t.coordinating)
        notes = [section_label(t.section, t.text)]
        if t.deadline and t.due:
            notes.append(f"Thời hạn ghi: {t.deadline}")
        if t.note:
            notes.append(f"Ghi chú: {t.note}")
        rows.append([n, t.notice, t.subject or "",
                     sheet_task_text(t.section, t.text, (responsible, coordinating, t.deadline or "")),
                     responsible, coordinating, t.due or t.deadline, STATUS_LABELS[t.status],
                     "\n".join(x for x in notes if x)])
    return rows


def _through_file(write: Callable[[Path, list[list[Any]]], int], rows: list[list[Any]], suffix: str) -> bytes:
    """What ``write`` (a writer that takes a path) produces for ``rows``, as bytes."""
    with tempfile.TemporaryDirectory(prefix="notice-export-") as folder:
        path = Path(folder) / f"export{suffix}"
        write(path, rows)
        return path.read_bytes()


def tasks_xlsx(tasks: Iterable[TaskView]) -> bytes:
    return _through_file(write_task_sheet, task_rows(tasks), ".xlsx")


def tasks_csv(tasks: Iterable[TaskView]) -> bytes:
    return _through_file(write_task_csv, task_rows(tasks), ".csv")


def unit_rows(counts: Iterable[UnitCount]) -> list[list[Any]]:
    return [[c.name, c.open, c.overdue, c.done, c.open + c.overdue + c.done] for c in counts]


def month_rows(months: Iterable[tuple[str, int]], *, iso: bool = False) -> list[list[Any]]:
    """'06/2026' in a sheet; '2026-06' in a CSV, where Excel would take '06/2026' for a date."""
    return [[m if iso else month_label(m), n] for m, n in months]


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(list(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "Trang &P / &N"


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dashboard_xlsx(counts: Sequence[UnitCount], months: Sequence[tuple[str, int]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Theo đơn vị"
    _sheet(ws, UNIT_COLUMNS, unit_rows(counts), (45, 16, 12, 14, 10))
    _sheet(book.create_sheet("Theo tháng"), MONTH_COLUMNS, month_rows(months), (12, 30))
    return _bytes(book)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def units_csv(counts: Iterable[UnitCount]) -> bytes:
    return csv_bytes(UNIT_COLUMNS, unit_rows(counts))


def months_csv(months: Iterable[tuple[str, int]]) -> bytes:
    return csv_bytes(MONTH_COLUMNS, month_rows(months, iso=True))
