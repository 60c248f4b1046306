"""Field extractors: criteria, deadlines (GUIDELINES rules), figures, references."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from extractor.deadline_rules import Recurrence, Relative, add_days, next_due
from extractor.steps.fields import find_criteria, find_deadlines, find_figures, find_references

ISSUED = dt.date(2023, 10, 24)


def test_criteria_codes() -> None:
    text = "Tiêu chí 1.3, kiểm tra công tác CCHC; tiêu chí 5.5.1, kiểm tra; Tiêu chí thành phần 6.1.1 và TCTP 8.1.1; Tiêu chí 9, kết quả"
    assert [c.code for c in find_criteria(text)] == ["1.3", "5.5.1", "6.1.1", "8.1.1", "9"]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("chậm nhất ngày 27/10/2023", "2023-10-27"),
    ("trước ngày 27/10/2023", "2023-10-27"),
    ("xong trước 27/10", "2023-10-27"),
    ("gửi trước ngày 20/9", "2024-09-20"),  # before the issue date: next year
    ("trong tháng 11/2023", "2023-11-30"),
    ("hoàn thành trong quý IV/2023", "2023-12-31"),
    ("trong 6 tháng đầu năm 2024", "2024-06-30"),
    ("từ nay đến cuối năm 2023", "2023-12-31"),
    ("trước 31/12", "2023-12-31"),
    ("chậm nhất đến ngày 01 tháng 7 năm 2028", "2028-07-01"),
    ("trước 15h00 ngày 15/6/2026", "2026-06-15"),
    ("Thời gian hoàn thành: Quý IV/2023", "2023-12-31"),
])
def test_deadlines(phrase: str, expected: str) -> None:
    found = find_deadlines(f"Phòng Nội vụ thực hiện {phrase}.", ISSUED)
    assert [d.date.isoformat() for d in found] == [expected]


@pytest.mark.parametrize("phrase", [
    "tính đến 18/10/2023, tổng số hồ sơ",
    "theo Báo cáo số 719/BC-VP ngày 09/10/2023",
    "Ngày 20/10/2023, đồng chí Chủ tịch đã chủ trì cuộc họp",
    "thường xuyên theo dõi",
])
def test_not_deadlines(phrase: str) -> None:
    assert find_deadlines(phrase, ISSUED) == []


def test_figures_in_vietnamese_notation() -> None:
    text = "tổng số hồ sơ là 39.079 hồ sơ, đã cập nhật 33.784 hồ sơ (tỷ lệ 86,45%); mỗi đơn vị 01 sáng kiến"
    figures = find_figures(text, [])
    assert [f.value for f in figures] == [39079, 33784, 86.45, 1]
    assert figures[0].unit == "hồ sơ" and figures[2].unit == "%"


@pytest.mark.parametrize("text", [
    "Cụm công nghiệp Phú Thịnh 1 và Bảo Hưng 2",
    "theo QCVN 01:2019/BCT",
    "bản đồ tỷ lệ 1/500",
    "năm 2023",
    "trong 9 tháng qua",
])
def test_not_figures(text: str) -> None:
    assert find_figures(text, []) == []


def test_references() -> None:
    refs = find_references("tại Kế hoạch số 206/KH-UBND ngày 28/6/2023 của UBND huyện")
    assert [(r.doc_type, r.number, r.symbol, r.date) for r in refs] == [
        ("Kế hoạch", "206", "KH-UBND", dt.date(2023, 6, 28))]


@pytest.mark.parametrize(("text", "kind", "date", "rule"), [
    ("Các phòng báo cáo trước ngày 18 hằng tháng.", "recurring", "2026-04-18", {"every": "month", "day": 18}),
    ("gửi báo cáo trước 16 giờ thứ Sáu hằng tuần", "recurring", "2026-04-10", {"every": "week", "weekday": 5}),
    ("Các Sở định kỳ hàng năm (trước ngày 10/12) báo cáo", "recurring", "2026-12-10",
     {"every": "year", "day": 10, "month": 12}),
    ("trả lời trong 10 ngày kể từ ngày nhận được văn bản", "relative", None,
     {"days": 10, "working_days": False, "counted_from": "receipt"}),
    ("hoàn thành trong thời hạn 05 ngày làm việc, kể từ ngày ban hành", "relative", "2026-04-17",
     {"days": 5, "working_days": True, "counted_from": "issue"}),
])
def test_recurring_and_relative_limits_keep_their_rule(text: str, kind: str, date: str | None, rule: dict) -> None:
    """Issued on Friday 10 April 2026: a recurring limit's date is its first due date from then."""
    (found,) = find_deadlines(text, dt.date(2026, 4, 10))
    assert (found.kind, found.date.isoformat() if found.date else None) == (kind, date)
    value = found.recurrence or found.relative
    assert value is not None and {k: v for k, v in dataclasses.asdict(value).items() if v is not None} == rule


def test_next_due_dates() -> None:
    monthly = Recurrence(every="month", day=31)
    assert next_due(monthly, dt.date(2026, 2, 3)) == dt.date(2026, 2, 28)  # the month's last day
    assert next_due(monthly, dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
    assert next_due(Recurrence(every="month", day=5), dt.date(2026, 12, 6)) == dt.date(2027, 1, 5)
    assert next_due(Recurrence(every="week", weekday=1), dt.date(2026, 4, 10)) == dt.date(2026, 4, 13)
    assert next_due(Recurrence(every="year", day=10, month=12), dt.date(2026, 12, 11)) == dt.date(2027, 12, 10)
    assert next_due(Recurrence(every="quarter", day=20), dt.date(2026, 4, 10)) == dt.date(2026, 6, 20)
    assert next_due(Recurrence(every="quarter", day=20), dt.date(2026, 12, 21)) == dt.date(2027, 3, 20)
    assert add_days(dt.date(2026, 4, 10), Relative(days=5, working_days=True, counted_from="receipt")) == dt.date(2026, 4, 17)
