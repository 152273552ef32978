"""Money and months, exactly: integer fen end to end, half-up rounding to the fen.

A spreadsheet hands money over as text ("1,234.50元", "￥300") or as a binary float
(123456.78 is really 123456.779999…); a float becomes money through its shortest decimal
text (`repr`), never through binary arithmetic. Months are whole numbers (year × 12 +
month − 1), so month arithmetic is integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from cadretool.numerals import DIGITS, NUMERALS, chinese_number

FEN = Decimal("0.01")
_MONEY_TEXT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_MONEY_NOISE = re.compile(r"[,，\s¥￥]|人民币|^RMB|[整正]$", re.IGNORECASE)  # 元 is taken out by the reading
# full-width forms as ASCII (１２００, －５０), and the minus sign a word processor writes (−200)
_HALF_WIDTH = {**{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}, 0x2212: ord("-")}
_MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-./年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")


def to_decimal(value: Any) -> Decimal | None:
    """A money or number cell as an exact Decimal; None for a blank; ValueError for text that
    is not an amount. Floats go through their shortest decimal text."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(f"“{value}”不是金额")
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("不是有限的金额")
        return Decimal(repr(value))
    text = str(value).strip().translate(_HALF_WIDTH)
    if not text:
        return None
    negative = text.startswith(("(", "（")) and text.endswith((")", "）"))
    lean = _MONEY_NOISE.sub("", text.strip("()（）"))
    if _CHINESE_AMOUNT.search(lean):  # 壹仟元整, 三千五百元, 1.5万
        amount = chinese_amount(lean)
        if amount is None:
            raise ValueError(f"“{value}”不是金额：请写成数字（如1500）或完整的大写（如壹仟伍佰元）")
        return -amount if negative else amount
    cleaned = lean.replace("元", "").replace("圆", "")
    if not _MONEY_TEXT.match(cleaned):
        raise ValueError(f"“{value}”不是金额")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{value}”不是金额") from None
    return -amount if negative else amount


# amounts written the Chinese way: capital numerals on a receipt (壹仟伍佰元整), ordinary ones
# (三千五百元), and Arabic figures with a unit (1.5万, 3千元); the yuan are read by numerals.py
_CN_FRACTION = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01")}
_CHINESE_AMOUNT = re.compile("[" + NUMERALS + "".join(_CN_FRACTION) + "]")


def chinese_amount(text: str) -> Decimal | None:
    """An amount in yuan written with Chinese numerals or units, None where it is not one.

    壹仟伍佰元整 → 1500, 叁仟零伍元陆角 → 3005.6, 一万二千 → 12000, 1.5万 → 15000, 3千元 → 3000,
    二十五 → 25, 五角 → 0.5. A figure that leaves its unit unsaid (一千五, 2万5: 1005 or 1500?)
    is not read: the clerk is asked rather than the amount guessed. `text` comes without ¥,
    人民币, separators and a closing 整; 元 (圆) is where the yuan end."""
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    whole, mark, fraction = text.replace("圆", "元").partition("元")
    if not mark:  # no 元: yuan alone (三百, 1.5万) or jiao and fen alone (五角, 陆角柒分)
        whole, fraction = ("", text) if any(ch in _CN_FRACTION for ch in text) else (text, "")
    if not whole and not fraction:
        return None
    amount = chinese_number(whole) if whole else Decimal(0)
    if amount is None:
        return None
    rest = fraction.lstrip("零〇")
    while rest:  # a figure and its unit, each: 陆角, 柒分 (零 between them: 零伍分)
        figure, unit = rest[0], rest[1:2]
        value = DIGITS.get(figure, int(figure) if figure in "0123456789" else None)
        if value is None or unit not in _CN_FRACTION:
            return None
        amount += value * _CN_FRACTION[unit]
        rest = rest[2:].lstrip("零〇")
    return sign * amount


def fen(amount: Decimal) -> int:
    """A Decimal amount in yuan as whole fen, rounded half up (away from zero at .5)."""
    return int((amount / FEN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_fen(value: Any) -> int | None:
    """A money cell as whole fen (half up), None for a blank; ValueError for text that is not money."""
    amount = to_decimal(value)
    return None if amount is None else fen(amount)


def yuan(fen_amount: int) -> Decimal:
    """Whole fen as a Decimal amount in yuan with two places."""
    return (Decimal(fen_amount) * FEN).quantize(FEN)


def money_text(fen_amount: int | None) -> str | None:
    """The JSON and CSV form of money: a string with two decimals ("4040.00"), None for none."""
    if fen_amount is None:
        return None
    sign = "-" if fen_amount < 0 else ""
    whole, cents = divmod(abs(fen_amount), 100)
    return f"{sign}{whole}.{cents:02d}"


def share_fen(total_fen: int, rate: Decimal) -> int:
    """`rate` of an amount in fen, rounded half up to the fen (a pool, an uplift, a reimbursement)."""
    return int((Decimal(total_fen) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_index(year: int, month: int) -> int:
    """A month as one whole number, so months add and subtract as integers."""
    return year * 12 + month - 1


def month_of(date: dt.date) -> int:
    return month_index(date.year, date.month)


def month_text(index: int) -> str:
    """2026-11"""
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def parse_month(value: Any) -> int:
    """A month written as 2026-11, 2026.11, 2026/11, 2026年11月, 202611 or a date; ValueError otherwise."""
    if isinstance(value, dt.datetime | dt.date):
        return month_of(value)
    text = str(value).strip().translate(_HALF_WIDTH)
    m = _MONTH_TEXT.match(text)
    if m is None:
        raise ValueError(f"“{value}”不是年月（应为 YYYY-MM，如 2026-11）")
    year = int(m.group(1))
    month = int(m.group(2) or m.group(3))
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError(f"“{value}”不是年月（应为 YYYY-MM，如 2026-11）")
    return month_index(year, month)
