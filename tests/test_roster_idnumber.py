"""Resident ID numbers (GB 11643-1999): validation, 15 -> 18 conversion, Excel damage, masking."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadretool.roster.idnumber import IdCheck, check_digit, check_id, check_ids, is_valid, mask_id, normalize_id

TODAY = dt.date.today()
REGIONS = ["522702", "520281", "110101"]  # 福泉市, 盘州市 (created 2017), 东城区

regions = st.one_of(st.sampled_from(REGIONS), st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)


def make_id(region: str, born: dt.date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def test_standard_example() -> None:
    # The worked example of GB 11643-1999.
    assert check_digit("11010519491231002") == "X"
    r = check_id("11010519491231002X")
    assert r == IdCheck("11010519491231002X", "valid", "", dt.date(1949, 12, 31), "女")


def test_check_digit_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        check_digit("1234")
    with pytest.raises(ValueError):
        check_digit("１１０１０５１９４９１２３１００２")


def test_region_newer_than_birth_is_valid() -> None:
    # 520281 (盘州市) was created in 2017; IDs keep the code in force when issued.
    number = make_id("520281", dt.date(1950, 3, 12), 123)
    r = check_id(number)
    assert r.status == "valid"
    assert r.birth_date == dt.date(1950, 3, 12)
    assert r.sex == "男"


def test_region_is_never_validated() -> None:
    number = make_id("999999", dt.date(1980, 1, 1), 2)
    assert check_id(number).status == "valid"


@given(regions, births, seqs)
def test_generated_numbers_are_valid(region: str, born: dt.date, seq: int) -> None:
    number = make_id(region, born, seq)
    r = check_id(number)
    assert r.status == "valid"
    assert r.number == number
    assert r.reason == ""
    assert r.birth_date == born
    assert r.sex == ("男" if seq % 2 else "女")
    assert is_valid(number)


@given(regions, births, seqs, st.integers(0, 16), st.integers(1, 9))
def test_single_digit_change_is_detected(region: str, born: dt.date, seq: int, pos: int, delta: int) -> None:
    number = make_id(region, born, seq)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    r = check_id(changed)
    assert r.status == "invalid"
    assert r.number is None
    assert not is_valid(changed)


@given(regions, births, seqs, st.sampled_from("0123456789X"))
def test_wrong_check_character_is_detected(region: str, born: dt.date, seq: int, ch: str) -> None:
    number = make_id(region, born, seq)
    if ch == number[-1]:
        return
    r = check_id(number[:-1] + ch)
    assert r.status == "invalid"
    assert "校验码" in r.reason


@given(regions, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), seqs)
def test_fifteen_digit_conversion_round_trip(region: str, born: dt.date, seq: int) -> None:
    old = f"{region}{born:%y%m%d}{seq:03d}"
    expected = make_id(region, born, seq)
    for raw in (old, int(old)):  # an int-typed 15-digit value is a genuine old ID
        r = check_id(raw)
        assert r.status == "converted"
        assert r.number == expected
        assert r.birth_date == born
        assert r.sex == ("男" if seq % 2 else "女")
        assert "15" in r.reason


def test_fifteen_digit_with_bad_date_is_invalid() -> None:
    r = check_id("522702500230123")
    assert r.status == "invalid"
    assert r.reason == "出生日期无效"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_typed_id_is_always_mangled(value: float) -> None:
    r = check_id(value)
    assert r.status == "mangled"
    assert r.number is None


@given(regions, births, seqs)
def test_float_of_a_valid_id_is_mangled(region: str, born: dt.date, seq: int) -> None:
    number = make_id(region, born, seq)
    if number.endswith("X"):
        number = number[:-1] + "0"
    for raw in (float(number), np.float64(number), int(float(number))):
        r = check_id(raw)
        assert r.status == "mangled"
        assert "数字" in r.reason or "000" in r.reason


def test_numbers_from_excel_are_flagged_never_repaired() -> None:
    r = check_id(522702195003121000)
    assert r.status == "mangled"
    assert r.number is None
    assert "000" in r.reason
    r = check_id(522702195003121234)
    assert r.status == "mangled"
    assert "15位" in r.reason
    assert check_id(5.22702195003121e17).status == "mangled"
    assert check_id(np.int64(522702195003121000)).status == "mangled"


@pytest.mark.parametrize(
    "text", ["5.22702E+17", "5.22702e17", "5.22702195003121E+17", "５．２２７０２Ｅ＋１７", " 5.22702E+17 "]
)
def test_scientific_notation_text_is_mangled(text: str) -> None:
    r = check_id(text)
    assert r.status == "mangled"
    assert r.reason == "以科学计数法保存，已丢失位数"
    assert r.number is None


def test_float_text_is_mangled() -> None:
    assert check_id("522702195003121000.0").status == "mangled"


def _id_ending_000() -> str:
    born = dt.date(1970, 1, 1)
    while True:
        for seq in range(0, 1000, 100):
            number = make_id("522702", born, seq)
            if number.endswith("000"):
                return number
        born += dt.timedelta(days=1)


def test_text_ending_000_with_correct_check_is_valid() -> None:
    number = _id_ending_000()
    assert check_id(number).status == "valid"


def test_text_ending_000_with_wrong_check_is_invalid_not_mangled() -> None:
    number = make_id("522702", dt.date(1950, 3, 12), 100)
    if number.endswith("0"):
        number = make_id("522702", dt.date(1950, 3, 12), 200)
    wrong = number[:15] + "000"
    r = check_id(wrong)
    assert r.status == "invalid"
    assert "校验码" in r.reason
    assert "000" in r.reason


def test_normalisation() -> None:
    number = "11010519491231002X"
    for raw in (
        "11010519491231002x",
        " 110105 19491231 002X ",
        "\u3000110105194912310０２Ｘ\u3000",
        "'11010519491231002X",
        "１１０１０５１９４９１２３１００２ｘ",
        "11010519491231002X\u200b",
        "\ufeff11010519491231002X",
        "11010519491231002×",
    ):
        r = check_id(raw)
        assert r.status == "valid", raw
        assert r.number == number


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("52270219500312123", "长度为17位，应为18位"),
        ("5227021950031212345", "长度为19位，应为18位"),
        ("52270219500312123A", "含非法字符"),
        ("522702-19500312-1234", "含非法字符"),
        ("无", "含非法字符"),
        ("5227021950X312123X", "X只能出现在末位"),
        ("522702195002301234", "出生日期无效"),
        ("522702195013011234", "出生日期无效"),
        ("522702189912311234", "出生日期无效"),
        (f"522702{TODAY.year + 1}01011234", "出生日期无效"),
    ],
)
def test_invalid_reasons(raw: str, reason: str) -> None:
    r = check_id(raw)
    assert r.status == "invalid"
    assert r.reason == reason
    assert r.number is None
    assert r.birth_date is None and r.sex is None
    # the reason names the problem without printing the number
    assert raw not in r.reason


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", float("nan"), np.nan, pd.NA, "'"])
def test_missing(raw: object) -> None:
    r = check_id(raw)
    assert r.status == "missing"
    assert r.number is None


@given(regions, births, seqs)
def test_mask_never_reveals_the_middle(region: str, born: dt.date, seq: int) -> None:
    number = make_id(region, born, seq)
    masked = mask_id(number)
    assert masked == number[:6] + "********" + number[-4:]
    assert number[6:14] not in masked


@given(st.text(max_size=30))
def test_mask_any_text_keeps_at_most_two_each_side(text: str) -> None:
    masked = mask_id(text)
    assert masked is not None
    s = text.strip()
    assert len(masked) == len(s)
    if len(s) == 18 and s[:17].isascii() and s[:17].isdigit():
        return
    assert set(masked[2:-2]) <= {"*"}
    if len(s) <= 4:
        assert set(masked) <= {"*"}


def test_mask_examples() -> None:
    assert mask_id(None) is None
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("110105491231002") == "11***********02"
    assert mask_id("abc") == "***"


def test_check_ids_columns_and_index() -> None:
    good = make_id("522702", dt.date(1975, 6, 1), 31)
    values = pd.Series(
        [good, None, "110101500312123", 5.22702e17, "52270219500312123", good.lower(), "  "],
        index=[10, 11, 12, 13, 14, 15, 16],
        dtype=object,
    )
    df = check_ids(values)
    assert list(df.columns) == ["id_number", "id_status", "id_reason", "id_birth_date", "id_sex", "id_text"]
    assert list(df.index) == [10, 11, 12, 13, 14, 15, 16]
    # the number as written, cleaned, for showing and joining a number that is not valid
    assert df["id_text"].tolist() == [normalize_id(v) for v in values]
    assert df["id_text"].tolist()[5] == good
    assert str(df["id_birth_date"].dtype) == "datetime64[ns]"
    assert df["id_status"].tolist() == [
        "valid",
        "missing",
        "converted",
        "mangled",
        "invalid",
        "valid",
        "missing",
    ]
    assert df.loc[10, "id_number"] == good
    assert df.loc[15, "id_number"] == good
    assert df.loc[11, "id_number"] is None
    assert df.loc[10, "id_birth_date"] == pd.Timestamp("1975-06-01")
    assert pd.isna(df.loc[13, "id_birth_date"])
    assert df.loc[10, "id_sex"] == "男"
    assert df.loc[12, "id_sex"] == "男"
    assert df.loc[14, "id_sex"] is None


def test_check_ids_on_string_dtype_and_empty() -> None:
    good = make_id("110101", dt.date(1990, 2, 28), 8)
    df = check_ids(pd.Series([good, None, "x"], dtype="str"))
    assert df["id_status"].tolist() == ["valid", "missing", "invalid"]
    assert df["id_sex"].tolist() == ["女", None, None]
    empty = check_ids(pd.Series([], dtype=object))
    assert len(empty) == 0
    assert str(empty["id_birth_date"].dtype) == "datetime64[ns]"


cells = st.one_of(
    st.builds(make_id, regions, births, seqs),
    st.builds(lambda n, p: n[:p] + "7" + n[p + 1 :], st.builds(make_id, regions, births, seqs), st.integers(0, 17)),
    st.builds(lambda n: n.lower(), st.builds(make_id, regions, births, seqs)),
    st.from_regex(r"[0-9]{15}", fullmatch=True),
    st.from_regex(r"[0-9]{18}", fullmatch=True),
    st.integers(min_value=0, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=False),
    st.none(),
    st.text(max_size=20),
)


@settings(max_examples=200)
@given(st.lists(cells, max_size=30))
def test_check_ids_matches_check_id(values: list[object]) -> None:
    df = check_ids(pd.Series(values, dtype=object))
    for (_, row), raw in zip(df.iterrows(), values, strict=True):
        r = check_id(raw)
        assert row["id_status"] == r.status
        assert row["id_number"] == r.number
        assert row["id_reason"] == r.reason
        assert row["id_sex"] == r.sex
        expected = pd.Timestamp(r.birth_date) if r.birth_date else None
        assert (pd.isna(row["id_birth_date"]) and expected is None) or row["id_birth_date"] == expected


def test_check_ids_on_a_large_column() -> None:
    rng = np.random.default_rng(7)
    numbers = [
        make_id(REGIONS[i % 3], dt.date(1950, 1, 1) + dt.timedelta(days=int(d)), int(s))
        for i, (d, s) in enumerate(zip(rng.integers(0, 18000, 20_000), rng.integers(0, 1000, 20_000), strict=True))
    ]
    series = pd.Series(numbers)
    df = check_ids(series)
    assert (df["id_status"] == "valid").all()


BIG = [make_id(REGIONS[i % 3], dt.date(1950, 1, 1) + dt.timedelta(days=i % 18000), i % 1000) for i in range(10_500)]


@settings(max_examples=25, deadline=None)
@given(st.lists(cells, max_size=30), st.booleans())
def test_check_ids_on_a_big_column_matches_check_id(values: list[object], text_only: bool) -> None:
    """A national column (checked through pyarrow) gives each cell what check_id gives it: text
    and blanks only, as a big CSV has, or numbers among them, as an xlsx may."""
    if text_only:
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    df = check_ids(pd.Series(values + BIG, dtype=object))
    for (_, row), raw in zip(df.head(len(values)).iterrows(), values, strict=True):
        r = check_id(raw)
        assert (row["id_status"], row["id_number"], row["id_reason"], row["id_sex"]) == (
            r.status,
            r.number,
            r.reason,
            r.sex,
        )
        expected = pd.Timestamp(r.birth_date) if r.birth_date else None
        assert (pd.isna(row["id_birth_date"]) and expected is None) or row["id_birth_date"] == expected
    assert (df["id_status"].iloc[len(values) :] == "valid").all()
