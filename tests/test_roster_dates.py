"""Dates as clerks type them, and the year.month column rule for number cells."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadretool.roster.dates import parse_date, parse_date_column
from cadretool.roster.text import clean_text

EXCEL_ORIGIN = dt.date(1899, 12, 30)
FULL_WIDTH = str.maketrans("0123456789.-/", "０１２３４５６７８９．－／")

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def day_forms(d: dt.date) -> list[str]:
    y, m, dd = d.year, d.month, d.day
    return [
        f"{y}.{m:02d}.{dd:02d}",
        f"{y}.{m}.{dd}",
        f"{y}-{m:02d}-{dd:02d}",
        f"{y}-{m}-{dd}",
        f"{y}/{m}/{dd}",
        f"{y}/{m:02d}/{dd:02d}",
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}日",
        f"{y}{m:02d}{dd:02d}",
        f"{y}-{m:02d}-{dd:02d} 00:00:00",
        f" {y} 年 {m} 月 {dd} 日 ",
    ]


def month_forms(d: dt.date) -> list[str]:
    y, m = d.year, d.month
    return [
        f"{y}.{m:02d}",
        f"{y}.{m}",
        f"{y}-{m}",
        f"{y}-{m:02d}",
        f"{y}/{m:02d}",
        f"{y}/{m}",
        f"{y}年{m}月",
        f"{y}年{m:02d}月",
        f"{y}{m:02d}",
    ]


@given(dates)
def test_every_day_form_parses_back(d: dt.date) -> None:
    for text in day_forms(d):
        assert parse_date(text) == d, text
        assert parse_date(text.translate(FULL_WIDTH)) == d, text
    assert parse_date(int(f"{d:%Y%m%d}")) == d


@given(dates)
def test_every_month_form_gives_first_of_month(d: dt.date) -> None:
    first = d.replace(day=1)
    for text in month_forms(d):
        assert parse_date(text) == first, text
        assert parse_date(text.translate(FULL_WIDTH)) == first, text
    assert parse_date(int(f"{d:%Y%m}")) == first
    # a number cell in a year.month column: March is 1985.03, October arrives as 1985.1
    assert parse_date(float(f"{d.year}.{d.month:02d}")) == first


@given(dates)
def test_real_date_cells(d: dt.date) -> None:
    assert parse_date(d) == d
    assert parse_date(dt.datetime(d.year, d.month, d.day, 13, 30)) == d
    assert parse_date(pd.Timestamp(d)) == d
    assert parse_date(np.datetime64(d, "D")) == d


@given(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2100, 12, 31)), st.floats(0, 0.99))
def test_excel_serials(d: dt.date, time_of_day: float) -> None:
    serial = (d - EXCEL_ORIGIN).days
    assert parse_date(serial) == d
    assert parse_date(float(serial)) == d
    assert parse_date(np.int64(serial)) == d
    assert parse_date(serial + time_of_day) == d


def test_serial_examples() -> None:
    assert parse_date(31121) == dt.date(1985, 3, 15)  # Excel: =DATE(1985,3,15) is 31121
    assert parse_date(35) is None  # an age typed into a date column is not a date in 1900
    assert parse_date(45658) == dt.date(2025, 1, 1)


@pytest.mark.parametrize(
    "value",
    [
        1985,
        1985.0,
        "1985",
        "1985年",
        "１９８５年",
        2000,
        None,
        "",
        "  ",
        float("nan"),
        pd.NaT,
        pd.NA,
        True,
        "1985-13",
        "1985-02-30",
        "1985.13",
        "1985.00",
        198513,
        19850230,
        "19850230",
        "abc",
        "85.03",
        "1985.3.40",
        "1985-03/12",
        0,
        -5,
        3_000_000,
        "1985.03.12.01",
        "1899-12-31",
        "2101-01-01",
    ],
)
def test_not_a_date(value: object) -> None:
    assert parse_date(value) is None


def test_one_point_one() -> None:
    assert parse_date(1985.1) == dt.date(1985, 10, 1)  # number: Excel dropped the 0 of 1985.10
    assert parse_date("1985.1") == dt.date(1985, 1, 1)  # text keeps its text meaning
    assert parse_date("1985.10") == dt.date(1985, 10, 1)
    assert parse_date("1985.3") == dt.date(1985, 3, 1)
    assert parse_date(1985.03) == dt.date(1985, 3, 1)
    assert parse_date(1985.12) == dt.date(1985, 12, 1)
    assert parse_date(1985.3) is None  # a number 1985.3 is "1985.30": no such month
    assert parse_date(1985.031) is None


def test_year_month_column() -> None:
    values = pd.Series(
        [1985.03, 1985.1, 1985.12, 1990.05, "1985.1", "1985.10", "1985.3", 1985.3, None, "  "],
        index=list("abcdefghij"),
        name="出生年月",
        dtype=object,
    )
    dates, bad = parse_date_column(values)
    assert str(dates.dtype) == "datetime64[ns]"
    assert str(bad.dtype) == "bool"
    assert list(dates.index) == list("abcdefghij")
    assert dates.name == "出生年月"
    expected = [
        "1985-03-01",
        "1985-10-01",
        "1985-12-01",
        "1990-05-01",
        "1985-01-01",
        "1985-10-01",
        "1985-03-01",
    ]
    assert dates.iloc[:7].tolist() == [pd.Timestamp(x) for x in expected]
    assert pd.isna(dates["h"]) and pd.isna(dates["i"]) and pd.isna(dates["j"])
    assert bad.tolist() == [False] * 7 + [True, False, False]


def test_float_column() -> None:
    dates, bad = parse_date_column(pd.Series([1985.1, 1990.05, np.nan, 1975.11]))
    assert dates.tolist()[:2] == [pd.Timestamp("1985-10-01"), pd.Timestamp("1990-05-01")]
    assert pd.isna(dates[2])
    assert dates[3] == pd.Timestamp("1975-11-01")
    assert not bad.any()


def test_text_column_keeps_text_meaning() -> None:
    values = pd.Series(["1985.1", "1985.10", "1985.01", "1985.12", None], dtype="str")
    dates, bad = parse_date_column(values)
    assert dates.iloc[:4].tolist() == [
        pd.Timestamp(x) for x in ["1985-01-01", "1985-10-01", "1985-01-01", "1985-12-01"]
    ]
    assert not bad.any()


def test_serial_column_with_times() -> None:
    # Serials with a time of day: the column is not a year.month column, so 1985.1 is ambiguous.
    values = pd.Series([31121.5, 32000.25, 33000.75, 1985.1, 31121])
    dates, bad = parse_date_column(values)
    assert dates[0] == pd.Timestamp("1985-03-15")
    assert dates[4] == pd.Timestamp("1985-03-15")
    assert pd.isna(dates[3])
    assert bad.tolist() == [False, False, False, True, False]


def test_mixed_cells() -> None:
    values = pd.Series(
        [
            dt.date(1970, 5, 6),
            pd.Timestamp("1971-02-03 10:00"),
            31121,
            198503,
            19850312,
            "1985年3月",
            "不详",
            1985,
            True,
        ],
        dtype=object,
    )
    dates, bad = parse_date_column(values)
    assert dates.iloc[:6].tolist() == [
        pd.Timestamp(x) for x in ["1970-05-06", "1971-02-03", "1985-03-15", "1985-03-01", "1985-03-12", "1985-03-01"]
    ]
    assert bad.tolist() == [False] * 6 + [True, True, True]


def test_datetime_column_passes_through() -> None:
    values = pd.Series(pd.to_datetime(["1985-03-12 08:00", None, "2000-01-01 00:00"]))
    dates, bad = parse_date_column(values)
    assert str(dates.dtype) == "datetime64[ns]"
    assert dates[0] == pd.Timestamp("1985-03-12")
    assert pd.isna(dates[1])
    assert not bad.any()
    tz = pd.Series(pd.to_datetime(["1985-03-12 08:00"]).tz_localize("Asia/Shanghai"))
    assert parse_date_column(tz)[0][0] == pd.Timestamp("1985-03-12")


def test_empty_column() -> None:
    dates, bad = parse_date_column(pd.Series([], dtype=object))
    assert len(dates) == 0 and len(bad) == 0
    assert str(dates.dtype) == "datetime64[ns]"


text_cells = st.one_of(
    st.builds(lambda d, i: (day_forms(d) + month_forms(d))[i % 20], dates, st.integers(0, 19)),
    st.text(max_size=12),
    st.none(),
)


@settings(max_examples=200)
@given(st.lists(text_cells, max_size=25))
def test_text_column_agrees_with_parse_date(values: list[str | None]) -> None:
    dates, bad = parse_date_column(pd.Series(values, dtype=object))
    for value, got, flagged in zip(values, dates, bad, strict=True):
        expected = parse_date(value)
        if expected is None:
            assert pd.isna(got)
            assert flagged == (clean_text(value) is not None)  # blank cells are not "unreadable"
        else:
            assert got == pd.Timestamp(expected)
            assert not flagged


def test_parse_date_column_on_a_large_mixed_column() -> None:
    rng = np.random.default_rng(3)
    years = rng.integers(1950, 2005, 20_000)
    months = rng.integers(1, 13, 20_000)
    text = [f"{y}.{m:02d}" if i % 2 else f"{y}年{m}月" for i, (y, m) in enumerate(zip(years, months, strict=True))]
    numbers = years + months / 100
    for series in (pd.Series(text), pd.Series(numbers), pd.Series(text[:10_000] + list(numbers[:10_000]))):
        dates, bad = parse_date_column(series)
        assert not bad.any()


def test_a_column_that_writes_one_digit_months_reads_1985_1_as_january() -> None:
    # 1985.3, 1990.6: the clerk types the month with one digit, so 1985.1 is January, not 1985.10
    dates, bad = parse_date_column(pd.Series([1985.3, 1985.1, 1990.6, 1979.9, None], dtype=object))
    assert dates.iloc[:4].tolist() == [
        pd.Timestamp(x) for x in ["1985-03-01", "1985-01-01", "1990-06-01", "1979-09-01"]
    ]
    assert not bad.any()
    # with one two-digit month the column writes 1985.10 as 1985.1: October, and 1985.3 is asked about
    dates, bad = parse_date_column(pd.Series([1985.3, 1985.1, 1990.06], dtype=object))
    assert dates[1] == pd.Timestamp("1985-10-01") and bad.tolist() == [True, False, False]
    # a column of .1 only says nothing about its style: October, as for one cell
    assert parse_date_column(pd.Series([1985.1, 1990.1]))[0][0] == pd.Timestamp("1985-10-01")


@given(
    year=st.integers(1940, 2010),
    months=st.lists(st.integers(1, 9), min_size=1, max_size=8),
)
def test_one_digit_month_numbers_read_as_typed(year: int, months: list[int]) -> None:
    values = pd.Series([float(f"{year}.{m}") for m in months], dtype=object)
    dates, bad = parse_date_column(values)
    if any(m > 1 for m in months):
        assert dates.tolist() == [pd.Timestamp(year, m, 1) for m in months]
        assert not bad.any()
