"""Time limits that are not one date: recurring ("trước ngày 18 hằng tháng", "trước 16 giờ thứ
Sáu hằng tuần", "hằng năm trước ngày 10/12") and relative ("trong 10 ngày kể từ ngày nhận").

Shared by the extraction (which records the rule and its first due date after the notice's
date) and the register (which gives the next due date after today, or counts from the day a
notice was received).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

Every = Literal["week", "month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class Recurrence:
    every: Every
    day: int | None = None  # day of the month (month, quarter, year)
    month: int | None = None  # month of the year (year)
    weekday: int | None = None  # 1 = Monday … 7 = Sunday (week)


@dataclass(frozen=True, slots=True)
class Relative:
    days: int
    working_days: bool
    counted_from: Literal["issue", "receipt"]


def _day_in(year: int, month: int, day: int) -> dt.date:
    """The day of that month, or its last day when the month is shorter ("ngày 31 hằng tháng")."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_due(rule: Recurrence, on_or_after: dt.date) -> dt.date | None:
    """The first due date of ``rule`` on or after a day."""
    d = on_or_after
    if rule.every == "week" and rule.weekday:
        return d + dt.timedelta(days=(rule.weekday - 1 - d.weekday()) % 7)
    if rule.every == "month" and rule.day:
        due = _day_in(d.year, d.month, rule.day)
        if due < d:
            year, month = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
            due = _day_in(year, month, rule.day)
        return due
    if rule.every == "quarter" and rule.day:
        for k in range(5):  # the quarter's last month, this quarter or the next ones
            month = ((d.month - 1) // 3 * 3 + 3 + 3 * k - 1) % 12 + 1
            year = d.year + ((d.month - 1) // 3 * 3 + 3 + 3 * k - 1) // 12
            due = _day_in(year, month, rule.day)
            if due >= d:
                return due
    if rule.every == "year" and rule.day and rule.month:
        due = _day_in(d.year, rule.month, rule.day)
        return due if due >= d else _day_in(d.year + 1, rule.month, rule.day)
    return None


def add_days(start: dt.date, rule: Relative) -> dt.date:
    """``start`` plus the rule's days; working days skip Saturdays and Sundays (public holidays
    are not known here)."""
    if not rule.working_days:
        return start + dt.timedelta(days=rule.days)
    d, left = start, rule.days
    while left > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d
