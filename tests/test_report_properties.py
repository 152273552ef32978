"""Properties of the 一降两升 arithmetic: a roster against itself changes nothing, a younger person
lowers the average, ages move with the as-of date, the rounding is exact half-up, and a village is
one village however it is spelt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ids import make_id

from cadretool.report import report, round_ratio, village_key
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.rules.ruleset import load_ruleset

RULESET = load_ruleset()
AS_OF = dt.date(2026, 12, 31)
HEADER = ["姓名", "身份证号码", "文化程度", "乡镇(街道)", "村(社区)", "推荐方式", "能力特长"]
PLACES = [("城关镇", "东风村"), ("城关镇", "东风社区"), ("城关镇", "西山村"), ("河口乡", "东风村")]
EDUCATION = ["", "小学", "初中", "高中", "中专", "大专", "本科", "研究生", "大学肄业"]
TAGS = ["", "大学生", "致富带头人、农村电商", "种养殖能手", "无", "非退役军人"]
CHANNELS = ["", "组织推荐", "群众推荐", "党员推荐", "群团推荐", "自荐", "乡镇推荐"]

people_strategy = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2005, 12, 31)),
        st.sampled_from(EDUCATION),
        st.sampled_from(TAGS),
        st.sampled_from(CHANNELS),
        st.integers(0, len(PLACES) - 1),
    ),
    min_size=1,
    max_size=25,
)


def book(people: list[tuple], name: str = "名册.xlsx") -> RawWorkbook:
    rows: list[list[object]] = [HEADER]
    for i, (birth, education, tags, channel, place) in enumerate(people):
        township, village = PLACES[place]
        rows.append([f"人{i}", make_id(birth, 2 * i + 1), education, township, village, channel, tags])
    return RawWorkbook(Path(name), "xlsx", [RawSheet("花名册", rows)])


def county(result) -> dict:
    return result.levels.iloc[0].to_dict()


@settings(max_examples=30, deadline=None)
@given(people=people_strategy)
def test_a_roster_against_itself_changes_nothing(people) -> None:
    result = report([book(people)], RULESET, baseline=[book(people, "上届.xlsx")], as_of=AS_OF, baseline_as_of=AS_OF)
    levels = result.levels
    for name in ("people", "avg_age", "college_pct", "ability_pct"):
        assert levels["cur_" + name].fillna(-1).tolist() == levels["base_" + name].fillna(-1).tolist()
    for change in ("chg_avg_age", "chg_college_pp", "chg_ability_pp", "chg_avg_age_rel"):
        assert set(levels[change].dropna()) <= {0.0}
    assert not levels[["age_up", "college_down", "ability_down"]].any().any()
    assert result.villages_without.empty
    assert set(result.findings["rule"]) <= {"R07"}  # only what the figures could not use (大学肄业)
    assert (result.channels["current"] == result.channels["baseline"]).all()
    assert int(result.channels["current"].sum()) == len(people)  # every person in one channel row


@settings(max_examples=30, deadline=None)
@given(people=people_strategy, place=st.integers(0, len(PLACES) - 1))
def test_adding_a_younger_person_lowers_the_average(people, place) -> None:
    youngest = max(p[0] for p in people)
    newcomer = (dt.date(youngest.year + 1, 1, 1), "高中", "", "组织推荐", place)
    result = report(
        [book([*people, newcomer])], RULESET, baseline=[book(people, "上届.xlsx")], as_of=AS_OF, baseline_as_of=AS_OF
    )
    levels = result.levels
    township, village = PLACES[place]
    his = (
        (levels["level"] == "county")
        | ((levels["level"] == "township") & (levels["township"] == township))
        | ((levels["level"] == "village") & (levels["township"] == township) & (levels["village"] == village))
    )
    # a full year younger than everyone, among at most 26: the average falls by at least 1/26 of a year
    mine = levels[his & (levels["base_people"] > 0)]
    assert (mine["chg_avg_age"] < 0).all() and not mine["age_up"].any()
    assert (levels.loc[his, "cur_people"] == levels.loc[his, "base_people"] + 1).all()
    others = levels[~his]
    assert set(others["chg_avg_age"].dropna()) <= {0.0}


@settings(max_examples=25, deadline=None)
@given(people=people_strategy, years=st.integers(0, 10))
def test_ages_move_with_the_as_of_date_by_whole_years(people, years) -> None:
    earlier = dt.date(AS_OF.year - years, 12, 31)
    result = report([book(people)], RULESET, baseline=[book(people, "上届.xlsx")], as_of=AS_OF, baseline_as_of=earlier)
    row = county(result)
    assert row["chg_avg_age"] == years
    assert row["chg_college_pp"] == 0 and row["chg_ability_pp"] == 0
    assert row["age_up"] == (years > 0)


@given(num=st.integers(-(10**12), 10**12), den=st.integers(1, 10**9), scale=st.sampled_from([1, 100]))
def test_rounding_is_exact_half_up_from_integers(num, den, scale) -> None:
    hundredths = Fraction(num * scale, den) * 100
    whole, rest = divmod(abs(hundredths.numerator), hundredths.denominator)
    rounded = whole + (2 * rest >= hundredths.denominator)  # a half goes away from zero
    expected = Decimal(rounded if hundredths >= 0 else -rounded).scaleb(-2)
    assert round_ratio([num], [den], scale)[0] == float(expected)


def test_rounding_of_halves_and_zero_denominators() -> None:
    assert round_ratio([241, -241, 1, 2, 5], [8, 8, 8, 3, 0]).tolist()[:4] == [30.13, -30.13, 0.13, 0.67]
    assert str(round_ratio([1], [0])[0]) == "nan"
    assert round_ratio([1, 2], [3, 3], 100).tolist() == [33.33, 66.67]


stems = st.text(alphabet="东西南北山河水田坪坝冷龙凤", min_size=1, max_size=4)


@given(stem=stems, kind=st.sampled_from(["村", "社区"]), spacer=st.sampled_from(["", " ", "\u3000"]))
def test_a_village_is_one_village_however_it_is_spelt(stem, kind, spacer) -> None:
    base = village_key(stem + kind)
    variants = {
        "村": ["村委会", "村民委员会", "村委"],
        "社区": ["社区居委会", "居委会", "居民委员会", "社区居民委员会"],
    }[kind]
    for suffix in [kind, *variants]:
        spaced = spacer.join(stem + suffix)
        assert village_key(spaced) == base, spaced
        assert village_key(f"{stem}{suffix}（原{stem}村）") == base
    other = "社区" if kind == "村" else "村"
    assert village_key(stem + other) != base  # a township's 仙桥社区 and 仙桥村 are two places
