"""Cell text cleaning and header matching keys."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadretool.roster.text import clean_text, clean_text_series, factorize_typed, header_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２３ＡＢ", "123AB"),
        ("（中共党员）", "(中共党员)"),
        ("张　三", "张三"),
        ("王 小 明", "王小明"),
        ("  王\u3000\u3000小明\xa0", "王小明"),
        ("\u200b李四\ufeff", "李四"),
        ("李\u200b四", "李四"),
        ("Zhang   San", "Zhang San"),
        ("福泉市\n牛场镇", "福泉市牛场镇"),
        ("阿不都 · 热合曼", "阿不都·热合曼"),
        ("本科 (在职)", "本科 (在职)"),
        ("A 张三", "A 张三"),
        ("2 组", "2 组"),
        ("ｘ", "x"),
        ("甲，乙：丙！", "甲,乙:丙!"),  # U+FF01..U+FF5E forms are full-width ASCII
        ("\t \u3000\xa0\u200b", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        (np.nan, None),
        (pd.NA, None),
        (pd.NaT, None),
        (3.0, "3"),
        (np.float64(3.0), "3"),
        (3, "3"),
        (np.int64(45), "45"),
        (1985.1, "1985.1"),
        (-2.0, "-2"),
        (dt.date(1985, 3, 12), "1985-03-12"),
        (dt.datetime(1985, 3, 12), "1985-03-12"),
        (pd.Timestamp("1985-03-12"), "1985-03-12"),
        (pd.Timestamp("1985-03-12 08:30"), "1985-03-12 08:30:00"),
    ],
)
def test_clean_text_examples(raw: object, expected: str | None) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "、。“”《》【】〔〕「」",  # Chinese punctuation outside U+FF01..U+FF5E stays as it is
        "①②㈠",  # no NFKC beyond full-width ASCII
        "\uf900\uf901",  # CJK compatibility ideographs are not folded
        "ｶﾀｶﾅ",  # half-width katakana untouched
        "Ⅳ级",
    ],
)
def test_clean_text_leaves_other_characters_alone(text: str) -> None:
    assert clean_text(text) == text


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text())
def test_clean_text_has_no_outer_or_double_spaces(text: str) -> None:
    out = clean_text(text)
    if out is None:
        return
    assert out == out.strip()
    assert "  " not in out
    assert not any(ch in out for ch in "\u3000\xa0\u200b\ufeff\t\n\r")
    assert not any("\uff01" <= ch <= "\uff5e" for ch in out)


cells = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["张　三", "王 小 明", "１２３", " 本科 ", "", "  "]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_infinity=False),
    st.none(),
    st.booleans(),
    st.dates(),
)


@settings(max_examples=200)
@given(st.lists(cells, max_size=30))
def test_series_matches_scalar(values: list[object]) -> None:
    index = pd.RangeIndex(100, 100 + len(values))
    out = clean_text_series(pd.Series(values, index=index, dtype=object, name="x"))
    assert out.dtype == object
    assert out.name == "x"
    assert list(out.index) == list(index)
    assert out.tolist() == [clean_text(v) for v in values]


def test_series_on_string_and_numeric_dtypes() -> None:
    assert clean_text_series(pd.Series(["张　三", None, " a "], dtype="str")).tolist() == ["张三", None, "a"]
    assert clean_text_series(pd.Series([1.0, np.nan, 2.5])).tolist() == ["1", None, "2.5"]
    assert clean_text_series(pd.Series([1, 2])).tolist() == ["1", "2"]
    assert clean_text_series(pd.Series([], dtype=object)).tolist() == []


def test_factorize_typed_keeps_types_apart() -> None:
    codes, uniques = factorize_typed(pd.Series([1, 1.0, True, "1", None, 1, np.nan], dtype=object))
    assert [type(u) for u in uniques] == [int, float, bool, str]
    assert codes.tolist() == [0, 1, 2, 3, -1, 0, -1]


def test_clean_text_series_on_a_large_column() -> None:
    names = pd.Series([f" 张　{i}三 " for i in range(20_000)])
    out = clean_text_series(names)
    assert out[0] == "张 0三"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("身份证号码", "身份证号码"),
        ("身 份 证 号 码", "身份证号码"),
        ("身份证号码\n（18位）", "身份证号码18位"),
        ("公民身份号码", "公民身份号码"),
        ("【姓名】", "姓名"),
        ("出生年月(年.月)", "出生年月年月"),
        ("村（社区）", "村社区"),
        ("乡镇/街道", "乡镇街道"),
        ("*姓名", "姓名"),
        ("“两委”职务", "两委职务"),
        ("入党时间：", "入党时间"),
        ("ID_Number", "idnumber"),
        ("ＩＤ－Ｎｏ．", "idno"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_header_key_examples(header: str, key: str) -> None:
    assert header_key(header) == key


def test_header_key_prefix() -> None:
    assert header_key("身份证号码(18位)").startswith("身份证号码")
    assert header_key("身 份 证 号 码") == header_key("身份证号码")


@given(st.text())
def test_header_key_is_stable(text: str) -> None:
    key = header_key(text)
    assert header_key(key) == key
    assert not any(ch.isspace() for ch in key)


def test_a_repeated_value_is_one_object_in_every_cell() -> None:
    from cadretool.roster.text import repeated

    column = repeated("城关镇花名册.xlsx", 1000)
    assert column.tolist() == ["城关镇花名册.xlsx"] * 1000
    assert len({id(v) for v in column}) == 1  # not a thousand copies of the text


@given(
    st.lists(st.sampled_from(["是", "否", "中共党员", "群众", " ", "合计"]), max_size=60),
    st.lists(st.booleans(), max_size=60),
)
def test_a_column_read_coded_factorizes_as_its_texts_do(texts: list[str], kept: list[bool]) -> None:
    """A big CSV's column comes coded (a Categorical whose texts may include ones only footer rows
    had): its codes and distinct texts are the ones its cells give, the unused texts left out."""
    column = pd.Categorical(texts, categories=sorted(set(texts) | {"填表人"}))
    keep = np.array([k for k, _ in zip(kept + [True] * len(texts), texts, strict=False)], dtype=bool)
    codes, kinds = factorize_typed(column[keep])
    cells = np.array(texts, dtype=object)[keep]
    assert [kinds[c] for c in codes] == cells.tolist()
    assert sorted(kinds) == sorted(set(cells.tolist()))
