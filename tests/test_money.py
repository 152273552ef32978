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
        # the Chinese ways: a receipt's capitals, ordinary numerals, figures with a unit
        ("壹仟元", 100000),
        ("人民币壹仟伍佰元整", 150000),
        ("叁仟零伍元陆角", 300560),
        ("壹佰零捌元伍角贰分", 10852),
        ("壹万元零伍分", 1000005),
        ("三百元", 30000),
        ("一万二千", 1200000),
        ("十万", 10000000),
        ("三十五万", 35000000),
        ("两千", 200000),
        ("一百零五", 10500),
        ("五角", 50),
        ("1.5万", 1500000),
        ("3千元", 300000),
        ("1万2千", 1200000),
        ("12000元整", 1200000),
        ("（壹仟元）", -100000),
        ("零元", 0),
    ],
)
def test_cells_become_fen(cell: object, expected: int | None) -> None:
    assert to_fen(cell) == expected


@pytest.mark.parametrize(
    "cell", ["12.3.4", "N/A", True, float("nan"), "一千五", "2万5", "九百多", "千元", "万", "一二", "300元/月"]
)
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


_CAPITALS = "零壹贰叁肆伍陆柒捌玖"


def _capital_text(fen_amount: int) -> str:
    """An amount as a receipt writes it in capitals (壹万零伍元陆角整), written independently of
    the reader: four places a group (仟佰拾 and 万, 亿), a 零 for each run of missing places."""
    yuan_part, rest = divmod(fen_amount, 100)
    jiao, fen_part = divmod(rest, 10)

    def group(n: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
            digit = n // value % 10
            if digit:
                out += ("零" if zero and out else "") + _CAPITALS[digit] + unit
                zero = False
            else:
                zero = True
        return out

    text, pending_zero = "", False
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        part = yuan_part // value % 10**4
        if part:
            text += ("零" if text and (pending_zero or part < 1000) else "") + group(part) + unit
            pending_zero = False
        elif text:
            pending_zero = True
    text = (text or "零") + "元"
    if jiao or fen_part:
        if jiao:
            text += _CAPITALS[jiao] + "角"
        if fen_part:
            text += ("零" if not jiao else "") + _CAPITALS[fen_part] + "分"
    else:
        text += "整"
    return text


@given(st.integers(min_value=0, max_value=10**13))
def test_amounts_in_capitals_are_read_exactly(amount: int) -> None:
    assert to_fen(_capital_text(amount)) == amount


def test_the_capitals_writer_writes_as_a_receipt_does() -> None:
    assert _capital_text(100000560) == "壹佰万零伍元陆角"
    assert _capital_text(100500560) == "壹佰万伍仟零伍元陆角"
    assert _capital_text(1234567) == "壹万贰仟叁佰肆拾伍元陆角柒分"
    assert _capital_text(10000000000) == "壹亿元整"


@given(st.text(alphabet="零〇一二两三五九十百千万亿壹贰伍玖拾佰仟元圆角分整1057.²-（）¥, 多约", max_size=12))
def test_any_text_is_an_amount_or_refused_with_a_reason(text: str) -> None:
    try:
        amount = to_fen(text)
    except ValueError as err:
        assert "金额" in str(err)
    else:
        assert amount is None or isinstance(amount, int)
