"""One reader of numbers written in Chinese, for counts, levels, spans and the yuan of an amount."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_money import _capital_text

from cadretool.numerals import chinese_int, chinese_number

_ORDINARY = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("零", 0),
        ("一百零五", 105),
        ("十万", 100_000),
        ("三十五万", 350_000),
        ("一亿二千万", 120_000_000),
        ("壹仟伍佰", 1500),
        ("12", 12),
        ("1万2千", 12_000),
    ],
)
def test_numbers_as_written(text: str, number: int) -> None:
    assert chinese_int(text) == number


@pytest.mark.parametrize("text", ["", "一千五", "2万5", "千", "万", "一二", "5五", "多", "1.5"])
def test_what_is_not_a_whole_number_is_refused(text: str) -> None:
    assert chinese_int(text) is None


def test_a_figure_with_a_unit_keeps_its_fraction() -> None:
    assert chinese_number("1.5万") == 15000 and chinese_int("1.5") is None


@given(st.integers(min_value=0, max_value=10**11))
def test_every_number_in_numerals_or_figures_reads_back(n: int) -> None:
    capitals = _capital_text(n * 100).removesuffix("元整")
    assert chinese_int(capitals) == n
    assert chinese_int(capitals.translate(_ORDINARY)) == n
    assert chinese_int(str(n)) == n
