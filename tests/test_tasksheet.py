"""The printable task sheet (runners/tasksheet.py): labels a reader writes, rows from records,
and the writers on plain rows, read back with openpyxl and csv."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.runners.tasksheet import (
    HEADERS,
    OPEN,
    OVERDUE,
    paragraph_in_section,
    section_label,
    sheet_task_text,
    task_row,
    wrapped_lines,
    write_task_csv,
    write_task_sheet,
)

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(("section", "label"), [
    ("2./2.1.", "Mục 2.1"),
    ("II./1./a)", "Mục II.1.a"),
    ("II./1./1.1./-/+", "Mục II.1.1"),
    ("III./1./-", "Mục III.1"),
    ("8.", "Mục 8"),
    ("Điều 2.", "Điều 2"),
    ("Điều 2./1./a)", "Điều 2, khoản 1, điểm a"),
    ("Phần I/1./a)", "Phần I, mục 1.a"),
    ("¶8", "Đoạn 8"),
    ("-", ""),
    ("", ""),
])
def test_section_labels_as_a_reader_writes_them(section: str, label: str) -> None:
    assert section_label(section) == label


def test_table_rows_and_paragraphs_under_a_heading() -> None:
    assert section_label("table/3", "3 | Rà soát hồ sơ | Sở Tài chính") == "Bảng, dòng 3"
    # The pipeline numbers a row without its own number by its paragraph: no row number to cite.
    assert section_label("table/39", "| Rà soát hồ sơ | Sở Tài chính |") == "Bảng"
    # A paragraph's number counts the whole document; under a heading it is cited by its place there.
    assert section_label("1./¶8", paragraph=2) == "Mục 1, đoạn 2"
    assert section_label("1./¶8") == "Mục 1"
    text = "Số: 1/TB\n1. Các cơ quan\nTiếp tục tham mưu.\nĐối với tiêu chí 1.5, yêu cầu.\n2. Khác"
    second = text.index("Đối với")
    assert paragraph_in_section(text, {"headings": ["1. Các cơ quan"], "span": {"start": second}}) == 2
    assert paragraph_in_section(text, {"headings": ["3. Không có"], "span": {"start": second}}) is None
    assert paragraph_in_section(text, {"headings": [], "span": {"start": second}}) is None


def test_table_cells_are_shown_one_per_line_without_pipes_or_repeats() -> None:
    text = "4 | Tham mưu kế hoạch đấu giá | Sở Nông nghiệp và Môi trường | Các Sở, ban, ngành | Quý II/2026"
    shown = sheet_task_text("table/4", text, ("Sở Nông nghiệp và Môi trường", "", "Quý II/2026"))
    assert shown == "Tham mưu kế hoạch đấu giá\nCác Sở, ban, ngành"
    assert sheet_task_text("table/39", "| Rà soát vào điểm | Nguyễn Thị Loan |") == "Rà soát vào điểm\nNguyễn Thị Loan"
    assert sheet_task_text("1./a)", "a) Rà soát | đối chiếu") == "a) Rà soát\nđối chiếu"
    assert sheet_task_text("1./a)", "a) Rà soát hồ sơ.") == "a) Rà soát hồ sơ."


def _notice(**fields: object) -> dict:
    return {"number": "1105", "symbol": "TB-UBND", "issued_date": "2024-03-12", "subject": "Kết luận cuộc họp",
            "source": {"path": "/archive/a.pdf"}, **fields}


def _task(*deadlines: tuple[str | None, str], **fields: object) -> dict:
    return {"section": "2./2.1.", "text": "2.1. Sở Tài chính rà soát hồ sơ.", "responsible_units": ["Sở Tài chính"],
            "coordinating_units": ["Sở Nội vụ", "Sở Tư pháp"], "criteria": [{"code": "3.2"}],
            "deadlines": [{"date": d, "text": t} for d, t in deadlines], **fields}


def test_a_row_in_column_order_with_status_on_the_earliest_deadline() -> None:
    row = task_row(7, _notice(), _task(("2026-06-30", "trong quý II/2026"), ("2026-02-28", "trước ngày 28/02/2026")),
                   TODAY)
    assert dict(zip(HEADERS, row, strict=True)) == {
        "STT": 7,
        "Văn bản": "1105/TB-UBND\nngày 12/03/2024",
        "Trích yếu": "Kết luận cuộc họp",
        "Nhiệm vụ": "2.1. Sở Tài chính rà soát hồ sơ.",
        "Đơn vị chủ trì": "Sở Tài chính",
        "Đơn vị phối hợp": "Sở Nội vụ; Sở Tư pháp",
        "Thời hạn": dt.date(2026, 2, 28),
        "Trạng thái": OVERDUE,
        "Ghi chú": "Mục 2.1\nThời hạn ghi: trong quý II/2026; trước ngày 28/02/2026\nTiêu chí 3.2",
    }
    # A deadline on the day itself is not missed yet; no deadline is never overdue.
    assert task_row(1, _notice(), _task(("2026-03-01", "trước ngày 01/3/2026")), TODAY)[7] == OPEN
    assert task_row(1, _notice(), _task(), TODAY)[7] == OPEN
    # A recurring limit has no date: shown as written, once.
    recurring = task_row(1, _notice(), _task((None, "hằng tháng, trước ngày 18")), TODAY)
    assert recurring[6] == "hằng tháng, trước ngày 18" and recurring[7] == OPEN and "Thời hạn ghi" not in recurring[8]
    # A document without number, symbol or date is still found: by its file.
    assert task_row(1, _notice(number=None, symbol=None, issued_date=None), _task(), TODAY)[1] == "a.pdf"


def test_wrapped_lines_grow_with_text_and_shrink_with_width() -> None:
    words = "Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan rà soát hồ sơ " * 6
    assert wrapped_lines(None, 10) == wrapped_lines(dt.date(2026, 1, 1), 10) == wrapped_lines("Sở", 10) == 1
    assert wrapped_lines(words, 50) < wrapped_lines(words, 20) < wrapped_lines(words + words, 20)
    assert wrapped_lines("a\nb\nc", 50) == 3
    assert wrapped_lines("x" * 500, 10) > 5  # a word longer than the column breaks inside


def _rows() -> list[list]:
    return [
        task_row(1, _notice(), _task(("2026-02-28", "trước ngày 28/02/2026")), TODAY),
        task_row(2, _notice(), _task(section="table/3", text="3 | =SUM(A1) | Sở Tài chính"), TODAY),
        task_row(3, _notice(), _task(text="- Rà soát, bổ sung " * 60), TODAY),
    ]


def test_the_sheet_from_plain_rows_prints_and_reads_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "tasks.xlsx"
    assert write_task_sheet(path, iter(_rows())) == 3
    sheet = load_workbook(path).active
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape", int(sheet.PAPERSIZE_A4), 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2" and tuple(c.value for c in sheet[1]) == HEADERS
    date = sheet.cell(2, HEADERS.index("Thời hạn") + 1)
    assert date.is_date and date.value == dt.datetime(2026, 2, 28) and date.number_format == "dd/mm/yyyy"
    task = sheet.cell(3, HEADERS.index("Nhiệm vụ") + 1)
    assert task.value == "=SUM(A1)" and task.data_type == "s"  # text, never a formula; units in their column
    assert sheet.cell(3, HEADERS.index("Ghi chú") + 1).value == "Bảng, dòng 3\nTiêu chí 3.2"
    assert all(c.alignment.wrap_text for c in sheet[4])
    short, long = sheet.row_dimensions[2].height, sheet.row_dimensions[4].height
    assert 13 <= short < long
    assert list(tmp_path.iterdir()) == [path]  # no temporary left behind


def test_the_same_rows_give_the_same_bytes(tmp_path: Path) -> None:
    write_task_sheet(tmp_path / "a.xlsx", _rows())
    write_task_sheet(tmp_path / "b.xlsx", _rows())
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_the_csv_opens_as_utf8_with_iso_dates_and_no_formulas(tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    assert write_task_csv(path, _rows()) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSTT,V\xc4\x83n b\xe1\xba\xa3n,")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == HEADERS and len(rows) == 4
    assert rows[1][HEADERS.index("Thời hạn")] == "2026-02-28" and rows[1][HEADERS.index("Trạng thái")] == OVERDUE
    assert rows[2][HEADERS.index("Nhiệm vụ")].startswith("'=SUM")  # Excel shows it as text
    assert rows[3][HEADERS.index("Nhiệm vụ")].startswith("'- Rà soát")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def rows() -> Iterator[list]:
        yield _rows()[0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_task_sheet(tmp_path / "tasks.xlsx", rows())
    with pytest.raises(OSError):
        write_task_csv(tmp_path / "tasks.csv", rows())
    assert list(tmp_path.iterdir()) == []
