"""Money is exact: integer fen, half up to the fen; a float cell is read through its shortest text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadretool.money import fen, money_text, month_text, parse_month, share_fen, to_fen, yuan


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (123456.78, 12345678),  # binary 123456.779999… is still 123456.78 yuan
        (0.1 + 0.2, 30),  # 0.30000000000000004 rounds to 30 fen
        ("1,234.50元", 123450),
        ("￥300", 30000),
        ("（50.00）", -5000),
        ("-12.345", -1235),  # half up, away from zero
        ("12.345", 1235),
        ("１２３．４５", 12345),
        ("−200", -20000),  # U+2212, the minus sign Word and WPS write
        ("－５０", -5000),
        (4040, 404000),
        ("", None),
        (None, None),
    ],
)
def test_cells_become_fen(cell: object, expected: int | None) -> None:
    assert to_fen(cell) == expected


@pytest.mark.parametrize("cell", ["三百元", "12.3.4", "N/A", True, float("nan")])
def test_text_that_is_not_money_is_refused(cell: object) -> None:
    with pytest.raises(ValueError):
        to_fen(cell)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_fen_text_round_trip(amount: int) -> None:
    text = money_text(amount)
    assert text is not None and text.count(".") == 1 and len(text.split(".")[1]) == 2
    assert to_fen(text) == amount
    assert fen(yuan(amount)) == amount


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_two_place_floats_are_read_exactly(amount: Decimal) -> None:
    assert to_fen(float(amount)) == int(amount * 100)


@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=1000))
def test_a_share_is_half_up_to_the_fen(total: int, per_mille: int) -> None:
    rate = Decimal(per_mille) / 1000
    exact = Decimal(total) * rate
    got = share_fen(total, rate)
    assert abs(Decimal(got) - exact) <= Decimal("0.5")
    assert got - exact != Decimal("-0.5")  # a half rounds up


@given(st.integers(min_value=1900 * 12, max_value=2200 * 12 + 11))
def test_months_round_trip(index: int) -> None:
    assert parse_month(month_text(index)) == index


@pytest.mark.parametrize("text", ["2026-11", "2026.11", "2026/11", "2026年11月", "202611", "２０２６－１１"])
def test_month_forms(text: str) -> None:
    assert month_text(parse_month(text)) == "2026-11"
    assert month_text(parse_month(dt.date(2026, 11, 30))) == "2026-11"


@pytest.mark.parametrize("text", ["2026-13", "11月", "2026-1-1", "下个月", ""])
def test_not_a_month(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month(text)
