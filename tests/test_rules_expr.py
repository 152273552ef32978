"""The rule expression language: parsing, checking, whole-column evaluation with unknowns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadretool.rules import expr as ex

SCOPE = ex.Scope(
    kinds={
        "age": ex.NUMBER,
        "education": "ordered:education",
        "birth_date": ex.DATE,
        "as_of": ex.DATE,
        "hukou_local": ex.BOOL,
        "political_status": ex.TEXT,
        "min_age": ex.NUMBER,
        "posts": ex.LIST,
        "table": ex.TABLE,
        "health": ex.TEXT,
    },
    ranks={"education": {"小学": 1, "初中": 2, "高中": 3, "中专": 3, "大专": 4}},
    vocab_values={"political_status": {"中共党员", "群众"}},
)


def env(frame: pd.DataFrame, **scalars: object) -> ex.Env:
    def resolve(name: str) -> object:
        if name in scalars:
            return scalars[name]
        return frame[name]

    return ex.Env(frame.index, resolve, SCOPE.kinds, SCOPE.ranks)


def run(text: str, frame: pd.DataFrame, **scalars: object) -> list[object]:
    node = ex.parse(text)
    ex.check(node, SCOPE)
    value = ex.evaluate(node, env(frame, **scalars))
    return [None if pd.isna(v) else (bool(v) if isinstance(v, np.bool_ | bool) else v) for v in value]


def test_precedence_and_or_not() -> None:
    node = ex.parse("not a or b and c")
    assert isinstance(node, ex.Binary) and node.op == "or"
    assert isinstance(node.left, ex.Unary) and node.left.op == "not"
    assert isinstance(node.right, ex.Binary) and node.right.op == "and"


def test_arithmetic_precedence() -> None:
    frame = pd.DataFrame({"age": [10.0]})
    node = ex.parse("age + 2 * 3 - 4 / 2")
    assert list(ex.evaluate(node, env(frame))) == [14.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("age >=", "不完整"),
        ("age >= 18 18", "多余"),
        ("age $ 3", "无法识别"),
        ("18 <= age <= 60", "不能连写"),
        ("(age >= 18", ")"),
        ("", "为空"),
        ("gender == 男", "文字取值需加引号，如 '男'"),
        ("age = 18", "相等写作 =="),
        ("age >= 18 && age <= 60", "并且写作 and"),
        ("between（age, 18, 60)", "请用英文括号"),
        ("age ＞ 18", "请用英文括号和符号"),
    ],
)
def test_syntax_errors_have_positions(text: str, message: str) -> None:
    with pytest.raises(ex.ExprError) as err:
        ex.check(ex.parse(text), SCOPE)
    assert message in err.value.message
    assert 0 <= err.value.pos <= len(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("agee >= 18", "未知的字段"),
        ("age >= '十八'", "不能比较"),
        ("political_status >= '群众'", "文本只能用"),
        ("foo(age)", "未知的函数"),
        ("age_at(birth_date)", "需要2个参数"),
        ("age and hukou_local", "需要真假值"),
        ("political_status == '党员'", "不是 political_status 的取值"),
    ],
)
def test_check_errors(text: str, message: str) -> None:
    with pytest.raises(ex.ExprError) as err:
        ex.check(ex.parse(text), SCOPE)
    assert message in err.value.message


def test_nothing_is_evaluated_as_python() -> None:
    for text in ("__import__('os').system('x')", "age.__class__", "[x for x in age]", "lambda: 1"):
        with pytest.raises(ex.ExprError):
            ex.check(ex.parse(text), SCOPE)


def test_unknown_values_follow_kleene_logic() -> None:
    frame = pd.DataFrame(
        {
            "hukou_local": pd.array([True, False, None, None, False], dtype="boolean"),
            "age": [np.nan, np.nan, 30.0, np.nan, 30.0],
        }
    )
    got = run("hukou_local or age >= min_age", frame, min_age=18)
    assert got == [True, None, True, None, True]
    got = run("hukou_local and age >= min_age", frame, min_age=18)
    assert got == [None, False, None, None, False]


def test_ordered_vocabulary_compares_by_rank() -> None:
    frame = pd.DataFrame({"education": ["小学", "中专", "大专", None]})
    assert run("education >= '高中'", frame) == [False, True, True, None]


def test_in_list_and_contains_any() -> None:
    frame = pd.DataFrame({"political_status": ["中共党员", "群众", None], "health": ["健康", "患有严重疾病", None]})
    assert run("political_status in ['中共党员']", frame) == [True, False, None]
    assert run("political_status not in ['中共党员']", frame) == [False, True, None]
    assert run("contains_any(health, posts)", frame, posts=["严重疾病"]) == [False, True, None]


def test_if_coalesce_present_missing() -> None:
    frame = pd.DataFrame({"hukou_local": pd.array([True, False, None], dtype="boolean"), "age": [40.0, 50.0, np.nan]})
    assert run("age <= if(hukou_local, 45, 55)", frame) == [True, True, None]
    assert run("present(age)", frame) == [True, True, False]
    assert run("missing(age)", frame) == [False, False, True]
    assert run("coalesce(age, 1) >= 1", frame) == [True, True, True]


def whole_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2040, 12, 31))


@given(st.lists(dates, min_size=1, max_size=30), dates)
def test_age_is_whole_years_with_birthday_on_the_day(births: list[dt.date], as_of: dt.date) -> None:
    frame = pd.DataFrame({"birth_date": pd.to_datetime(births)})
    node = ex.parse("age_at(birth_date, as_of)")
    got = ex.evaluate(node, env(frame, as_of=pd.Timestamp(as_of)))
    assert [int(v) for v in got] == [whole_years(b, as_of) for b in births]


@given(dates, dates)
def test_months_between_counts_whole_months(start: dt.date, end: dt.date) -> None:
    frame = pd.DataFrame({"birth_date": pd.to_datetime([start])})
    got = ex.evaluate(ex.parse("months_between(birth_date, as_of)"), env(frame, as_of=pd.Timestamp(end)))
    expected = (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)
    assert int(got.iloc[0]) == expected


def test_influence_period_boundary() -> None:
    # a 12-month period from 2025-01-15 ends on 2026-01-14: in period that day, over the next
    frame = pd.DataFrame({"birth_date": pd.to_datetime(["2025-01-15"])})
    node = ex.parse("months_between(birth_date, as_of) < 12")
    assert list(ex.evaluate(node, env(frame, as_of=pd.Timestamp("2026-01-14")))) == [True]
    assert list(ex.evaluate(node, env(frame, as_of=pd.Timestamp("2026-01-15")))) == [False]


@given(st.integers(min_value=-1000, max_value=1000), st.integers(min_value=-1000, max_value=1000))
def test_integer_arithmetic_and_comparison_round_trip(a: int, b: int) -> None:
    frame = pd.DataFrame({"age": [float(a)]})
    assert run(f"age - {abs(b)} < age", frame) == [b != 0]
    assert run(f"age + {abs(b)} >= age", frame) == [True]


@given(st.lists(st.one_of(st.none(), dates), min_size=1, max_size=20), st.integers(min_value=-240, max_value=240))
def test_add_months_matches_calendar_arithmetic(starts: list[dt.date | None], n: int) -> None:
    frame = pd.DataFrame({"birth_date": pd.to_datetime(starts)})
    got = ex.evaluate(
        ex.parse(f"add_months(birth_date, {n})" if n >= 0 else f"add_months(birth_date, 0 - {-n})"), env(frame)
    )
    for start, value in zip(starts, got, strict=True):
        if start is None:
            assert pd.isna(value)
        else:
            assert value == pd.Timestamp(start) + pd.DateOffset(months=n)
