"""The whole-column rules agree with a plain per-person reading of the policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ids import make_id

from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet_roster

RULESET = load_ruleset()
HEADER = [
    "姓名",
    "身份证号码",
    "现任职务",
    "拟任职务",
    "政治面貌",
    "文化程度",
    "是否本村户籍",
    "健康状况",
    "是否签订承诺书",
    "处分类型",
    "处分日期",
]
SANCTIONS = {
    "党纪警告": 12,
    "党纪严重警告": 18,
    "撤销党内职务": 24,
    "政务警告": 6,
    "记过": 12,
    "记大过": 18,
    "撤职": 24,
}


def whole_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def whole_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


people_strategy = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2012, 12, 31)),
        st.booleans(),  # incumbent
        st.sampled_from(sorted(SANCTIONS)),
        st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=people_strategy, as_of=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_age_and_sanction_rules_match_the_policy_person_by_person(people, as_of) -> None:
    rows = [HEADER]
    for i, (birth, incumbent, sanction, when) in enumerate(people):
        rows.append(
            [
                f"人{i}",
                make_id(birth, 2 * i + 1),
                "委员" if incumbent else "",
                "委员",
                "中共党员",
                "高中",
                "是",
                "健康",
                "是",
                sanction,
                when.isoformat(),
            ]
        )
    roster = read_roster([RawWorkbook(Path("p.xlsx"), "xlsx", [RawSheet("s", rows)])], RULESET.columns)
    result = vet_roster(roster, RULESET, as_of=as_of)
    findings = result.findings
    for i, (birth, incumbent, sanction, when) in enumerate(people):
        got = set(findings.loc[findings["person"] == i, "rule"])
        age = whole_years(birth, as_of)
        assert ("Q01" in got) == (age < 18), (birth, as_of)
        assert ("Q02" in got) == (age > 60)
        assert ("Q03" in got) == (age > (55 if incumbent else 45))
        in_period = when <= as_of and whole_months(when, as_of) < SANCTIONS[sanction]
        assert ("N03" in got) == in_period, (sanction, when, as_of)
        expected = "ineligible" if (age < 18 or age > 60 or in_period) else ("review" if "Q03" in got else "eligible")
        assert result.people.at[i, "status"] == expected
