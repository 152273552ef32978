"""Dates as clerks type them: real date cells, Excel serials, 1985.03, 1985年3月, 198503 ...

Year-month values give the first day of the month. Year-only values are too vague for an
age check and give None. Number cells in a year.month column are read with two decimals,
because Excel drops the trailing zero of 1985.10 (so the number 1985.1 is October) — unless
the column writes every month with one digit (1985.3, 1990.6), where 1985.1 is January; text
keeps its text meaning ("1985.1" is January).
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re

import numpy as np
import pandas as pd

from cadretool.parts import across_parts
from cadretool.roster.text import clean_text, factorize_typed

__all__ = ["parse_date", "parse_date_column"]

YEAR_MIN = 1900
YEAR_MAX = 2100
_EXCEL_ORIGIN = _dt.date(1899, 12, 30)  # 1900 date system, as pandas/xlrd use it
_SERIAL_MAX = 2958465  # 9999-12-31
# a small number in a date column (an age, a count) is junk, not a date in 1900
_SERIAL_MIN = 7306  # 1920-01-01

# A time of day after a full date, as in "1985-03-12 00:00:00" (text written from a date cell).
_TIME = re.compile(r"(?<=\d)(?: +|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# Same separator throughout: 1985.03, 1985.3.12, 1985-03-12, 1985/3/12.
_SEPARATED = re.compile(r"(\d{4})([./-])(\d{1,2})(?:\2(\d{1,2}))?")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})(?:月(?:(\d{1,2})[日号]?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
# the age the cadre form writes after a birth date: 1980.05（46岁）, 1980.05 (46周岁)
_AGE = re.compile(r"\s*[(（]\s*\d{1,3}\s*周?岁\s*[)）]$")

_TS_MIN = pd.Timestamp.min.date() + _dt.timedelta(days=1)
_TS_MAX = pd.Timestamp.max.date()


def _ymd(year: int, month: int, day: int = 1) -> _dt.date | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _from_serial(n: int) -> _dt.date | None:
    if _SERIAL_MIN <= n <= _SERIAL_MAX:
        return _EXCEL_ORIGIN + _dt.timedelta(days=n)
    return None


def _parse_int(n: int) -> _dt.date | None:
    if 19000101 <= n <= 21001231:
        return _ymd(n // 10000, n // 100 % 100, n % 100)
    if 190001 <= n <= 210012:
        return _ymd(n // 100, n % 100)
    if YEAR_MIN <= n <= YEAR_MAX:
        return None  # a bare year
    return _from_serial(n)


def _looks_year_month(x: float) -> bool:
    """A non-integral number between 1900 and 2100 with at most two decimals."""
    return YEAR_MIN <= x < YEAR_MAX + 1 and abs(x * 100 - round(x * 100)) < 1e-6


def _parse_float(x: float, year_month: bool, one_digit_months: bool = False) -> _dt.date | None:
    if not math.isfinite(x):
        return None
    if x.is_integer():
        return _parse_int(int(x))
    if YEAR_MIN <= x < YEAR_MAX + 1:
        if not year_month or not _looks_year_month(x):
            return None  # ambiguous in a serial column; 3+ decimals are no year.month
        year, month = divmod(round(x * 100), 100)  # 1985.1 -> 198510 -> October
        if one_digit_months and month % 10 == 0:
            month //= 10  # 1985.5 and 1985.1 were typed as May and January
        return _ymd(year, month)
    if x > 0:
        return _from_serial(math.floor(x))  # time of day is dropped
    return None


def _parse_text(text: str) -> _dt.date | None:
    cleaned = clean_text(text)
    if cleaned is None:
        return None
    s = "".join(_AGE.sub("", _TIME.sub("", cleaned)).split())
    m = _SEPARATED.fullmatch(s)
    if m:
        return _ymd(int(m[1]), int(m[3]), int(m[4]) if m[4] else 1)
    m = _CHINESE.fullmatch(s)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]) if m[3] else 1)
    m = _COMPACT.fullmatch(s)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]) if m[3] else 1)
    return None


def _parse(value: object, year_month: bool, one_digit_months: bool = False) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool | np.bool_):
        return None
    try:
        if pd.isna(value):  # NaN, NA, NaT
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, np.datetime64):
        try:
            value = pd.Timestamp(value)
        except (ValueError, OverflowError):
            return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, numbers.Integral):
        return _parse_int(int(value))
    if isinstance(value, numbers.Real):
        return _parse_float(float(value), year_month, one_digit_months)
    return None


def parse_date(value: object) -> _dt.date | None:
    """Parse one cell into a date; None when blank, year-only, invalid or unrecognised.

    A lone number such as 1985.1 is read as a year.month number (October); use
    :func:`parse_date_column` to let the whole column decide.
    """
    return _parse(value, year_month=True)


def _voters(uniques: list[object]) -> set[float]:
    """The column's distinct non-integral numbers: they decide how its numbers read."""
    found = set()
    for u in uniques:
        if isinstance(u, bool | np.bool_ | numbers.Integral) or not isinstance(u, numbers.Real):
            continue
        x = float(u)
        if math.isfinite(x) and not x.is_integer():
            found.add(x)
    return found


def _is_year_month_column(voters: set[float]) -> bool:
    """Decide from the column's non-integral numbers whether they are year.month values."""
    votes_for = votes_against = 0
    for x in voters:
        if _looks_year_month(x):
            votes_for += 1
        else:
            votes_against += 1  # e.g. serials with a time of day, 31120.5
    return votes_for >= votes_against


def _one_digit_months(voters: set[float]) -> bool:
    """Whether a year.month number column writes one-digit months (1985.3, never 1985.03 or
    1985.11): then its 1985.1 was typed as January, not as 1985.10 with the zero dropped."""
    hundredths = {round(x * 100) % 100 for x in voters}
    return hundredths <= set(range(10, 100, 10)) and bool(hundredths - {10})


def parse_date_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a date column.

    Returns (dates as datetime64[ns] with NaT, boolean Series marking cells that were
    non-blank but could not be read as a date). Both keep the input's index and name.
    """
    index, name = values.index, values.name
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = values.dt.normalize().astype("datetime64[ns]")
        return dates, pd.Series(False, index=index, name=name, dtype=bool)

    codes, uniques = factorize_typed(values)
    voters = set().union(*across_parts("date column numbers", _voters(uniques)))  # the whole column's
    year_month = _is_year_month_column(voters)
    one_digit = year_month and _one_digit_months(voters)
    nat = np.datetime64("NaT", "D")
    parsed = np.empty(len(uniques) + 1, dtype="datetime64[D]")
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        d = _parse(u, year_month, one_digit)
        if d is not None and not _TS_MIN <= d <= _TS_MAX:
            d = None  # outside what datetime64[ns] can hold
        parsed[i] = nat if d is None else np.datetime64(d, "D")
        # Whitespace-only text is blank, not unreadable.
        bad[i] = d is None and not (isinstance(u, str) and clean_text(u) is None)
    parsed[-1] = nat  # code -1: blank cells
    dates = pd.Series(parsed[codes].astype("datetime64[ns]"), index=index, name=name, copy=False)
    unparseable = pd.Series(bad[codes], index=index, name=name, dtype=bool, copy=False)
    return dates, unparseable
