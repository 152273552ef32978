"""Numbers written in Chinese, one reader for every job: counts (两届, 十二年), levels and steps
(十二级, 三档), flexible-retirement spans (三个月, 一年半), and the yuan of an amount (三千五百,
壹仟伍佰, 1.5万). Figures may be ordinary numerals, a receipt's capitals or Arabic figures, with
the units 十 百 千 万 亿."""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {**dict.fromkeys("零〇", 0), **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}
DIGITS.update({c: i for i, c in enumerate("壹贰叁肆伍陆柒捌玖", 1)})
DIGITS.update({"两": 2, "貳": 2, "陸": 6, "參": 3, "叄": 3})
_SMALL = {**dict.fromkeys("十拾", 10), **dict.fromkeys("百佰", 100), **dict.fromkeys("千仟", 1000)}
_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
NUMERALS = "".join([*DIGITS, *_SMALL, *_BIG])  # every character a number can be written with
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.ASCII)


def chinese_number(text: str) -> Decimal | None:
    """The number `text` writes (二十五 → 25, 一百零五 → 105, 十万 → 100000, 一亿二千万, 1.5万 →
    15000, 零 → 0), None where it is not one. A figure that leaves its unit unsaid (一千五, 2万5:
    1005 or 1500?) is not read: the writer is asked rather than the number guessed."""
    total = section = Decimal(0)
    number: Decimal | None = None
    last_unit, after_zero, zeros_only = 0, False, bool(text)
    unit_unsaid = False  # a figure closing the number right after 百, 千, 万 … (一千五)
    for token in _TOKEN.findall(text):
        if token in ("零", "〇"):
            after_zero = True
            continue
        zeros_only = False
        if token in _SMALL or token in _BIG:
            small = token in _SMALL
            unit = _SMALL[token] if small else _BIG[token]
            opens_ten = unit == 10 and last_unit == 0 and total == section == 0  # 十五, 十万
            if number is None and not opens_ten and (small or section == 0):
                return None  # a unit with no figure before it (千, 万)
            if small:
                section += (number if number is not None else 1) * unit
            elif unit > 10_000:
                total = (total + section + (number or 0)) * unit
                section = Decimal(0)
            else:
                total += (section + (number or 0)) * unit
                section = Decimal(0)
            number, last_unit, after_zero = None, unit, False
            continue
        if number is not None:
            return None  # two figures in a row
        if token in DIGITS:
            number = Decimal(DIGITS[token])
        elif token[0] in "0123456789":
            number = Decimal(token)
        else:
            return None
        unit_unsaid = last_unit > 10 and not after_zero
    if zeros_only:
        return Decimal(0)
    if (number is None and last_unit == 0) or (number is not None and unit_unsaid):
        return None
    return total + section + (number or 0)


def chinese_int(text: str) -> int | None:
    """A whole number written in figures or Chinese numerals (12, 十二, 两), None otherwise."""
    number = chinese_number(text)
    return int(number) if number is not None and number == number.to_integral_value() else None
