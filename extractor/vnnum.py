"""Vietnamese notation for numbers and dates.

Roman numerals number parts and sections ("I.", "II.", "Phần IV"): :func:`roman_numeral`
writes one (Word's and HTML's list counters), :func:`roman_value` reads one. Numbers: "." groups thousands and "," marks decimals ("39.079" = 39079, "86,45" = 86.45,
"01" = 1). Dates: "27/10/2023", "27-10-2023", "ngày 27 tháng 10 năm 2023", day-month without
a year, and the last day of periods ("tháng 11/2023", "quý IV/2023", "6 tháng đầu năm 2024").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")


def parse_number(text: str) -> float | None:
    """Value of a number written the Vietnamese way; None when it is not one.

    A lone "." followed by exactly three digits is a thousands separator ("39.079"); other
    dots make it not a plain number (a code such as "7.3.1" or a decimal written the English
    way is not read as a figure).
    """
    t = text.strip()
    if _GROUPED.match(t):
        return float(t.replace(".", "").replace(",", "."))
    if _PLAIN.match(t):
        return float(t.replace(",", "."))
    return None


def format_number(value: float) -> str:
    """Inverse of :func:`parse_number` (used by tests): 39079 -> "39.079", 86.45 -> "86,45"."""
    whole, _, frac = f"{value:.10f}".rstrip("0").rstrip(".").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def end_of_month(year: int, month: int) -> dt.date | None:
    if not (1 <= month <= 12) or not (1900 <= year <= 2200):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, quarter: int) -> dt.date | None:
    return end_of_month(year, quarter * 3) if 1 <= quarter <= 4 else None


def quarter_number(text: str) -> int | None:
    """A quarter written "II" or "2": 1 to 4."""
    t = text.strip()
    value = int(t) if t.isdigit() else roman_value(t)
    return value if value is not None and 1 <= value <= 4 else None


def resolve_day_month(day: int, month: int, year: int | None, issued: dt.date | None) -> dt.date | None:
    """A date; without a year, the notice's year, rolled to the next when it would fall before
    the issue date (a deadline is never in the past)."""
    if year is not None:
        if year < 100:
            year += 2000
        return safe_date(year, month, day)
    if issued is None:
        return None
    date = safe_date(issued.year, month, day)
    if date is not None and date < issued:
        date = safe_date(issued.year + 1, month, day)
    return date


_ROMAN_LETTERS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_numeral(n: int) -> str:
    """``n`` (1 or more) in Roman numerals, upper case: 4 -> "IV"."""
    out = []
    for value, letters in _ROMAN_LETTERS:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral as written (either case), or None if it is not one."""
    upper = text.upper()
    total, at = 0, 0
    for value, letters in _ROMAN_LETTERS:
        while upper.startswith(letters, at):
            total, at = total + value, at + len(letters)
    return total if upper and at == len(upper) and roman_numeral(total) == upper else None
