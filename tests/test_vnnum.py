"""Vietnamese number and date notation, including property tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.vnnum import (
    end_of_month,
    end_of_quarter,
    format_number,
    parse_number,
    quarter_number,
    resolve_day_month,
    roman_numeral,
    roman_value,
)


def test_examples_from_the_guidelines() -> None:
    assert parse_number("39.079") == 39079
    assert parse_number("86,45") == 86.45
    assert parse_number("01") == 1
    assert parse_number("1.234.567,5") == 1234567.5


def test_codes_are_not_numbers() -> None:
    assert parse_number("7.3.1") is None
    assert parse_number("1.5") is None  # not a thousands group: a criterion code
    assert parse_number("12,5,3") is None


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_round_trip(n: int) -> None:
    assert parse_number(format_number(n)) == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_round_trip(d) -> None:
    value = float(d)
    assert abs(parse_number(format_number(value)) - value) < 1e-6


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_period_ends_are_last_days(day: dt.date) -> None:
    end = end_of_month(day.year, day.month)
    assert end is not None and end >= day and (end + dt.timedelta(days=1)).day == 1
    quarter_end = end_of_quarter(day.year, (day.month - 1) // 3 + 1)
    assert quarter_end is not None and quarter_end >= day and quarter_end.month in (3, 6, 9, 12)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=1, max_value=28), st.integers(min_value=1, max_value=12))
def test_day_month_without_year_is_never_before_the_issue_date(issued: dt.date, day: int, month: int) -> None:
    date = resolve_day_month(day, month, None, issued)
    assert date is not None and date >= issued and (date.month, date.day) == (month, day)
    assert date.year in (issued.year, issued.year + 1)


def test_explicit_year_wins() -> None:
    assert resolve_day_month(27, 10, 2023, dt.date(2024, 1, 1)) == dt.date(2023, 10, 27)


@pytest.mark.parametrize(("n", "numeral"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (1994, "MCMXCIV")])
def test_roman_numerals_written_and_read(n: int, numeral: str) -> None:
    assert roman_numeral(n) == numeral and roman_value(numeral) == n and roman_value(numeral.lower()) == n


@pytest.mark.parametrize("text", ["", "IIII", "VX", "IL", "ABC", "1"])
def test_what_is_no_roman_numeral(text: str) -> None:
    assert roman_value(text) is None


@pytest.mark.parametrize(("text", "quarter"), [("II", 2), ("iv", 4), ("3", 3), ("V", None), ("0", None), ("", None)])
def test_quarters_in_roman_or_arabic_numerals(text: str, quarter: int | None) -> None:
    assert quarter_number(text) == quarter
