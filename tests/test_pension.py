"""`cadretool pension` (SPEC §7.1): the statutory schedule of the 2024 decision reproduces every
published check, months are merged and counted as the clerk would count them, statuses come out
as the spec defines them, and messy contribution files give findings naming file and row."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from conftest import CLI
from hypothesis import given
from hypothesis import strategies as st
from pensionfiles import cadre, write_cadres, write_contributions, write_rows_csv, write_rows_xlsx

from cadretool.money import month_index, month_text
from cadretool.output.schema import PensionOutput
from cadretool.pension import (
    build_schedule,
    minimum_months,
    months_covered,
    pension,
    read_flexible,
    retirement_months,
)
from cadretool.rules.jobparams import load_job_parameters
from cadretool.rules.ruleset import load_ruleset

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
AS_OF = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def schedule():
    from cadretool.pension import PARAMETERS

    ruleset = load_ruleset()
    return build_schedule(load_job_parameters(ruleset, "pension.yaml", PARAMETERS, AS_OF), ruleset)


def run_json(cli: CLI, roster: Path, contributions: Path, *extra: str) -> dict:
    run = cli("pension", roster, "-c", contributions, "--format", "json", *extra)
    assert run.exit_code == 0, run.stderr
    PensionOutput.model_validate(run.json)
    return run.json


def by_name(data: dict) -> dict[str, dict]:
    return {p["name"]: p for p in data["people"]}


# ---------------------------------------------------------------- the published checks

# (track written in 退休类别 or None for the default, sex by sequence parity, birth month, retirement month)
PUBLISHED = [
    ("男60", 1, "1964-12", "2024-12"),  # born before the first cohort: the original age
    ("男60", 1, "1965-01", "2025-02"),
    ("男60", 1, "1965-12", "2026-03"),
    ("男60", 1, "1976-08", "2039-07"),  # 35 months: the last cohort before the cap
    ("男60", 1, "1976-09", "2039-09"),  # 63 exactly
    ("男60", 1, "1990-05", "2053-05"),  # later: still 63
    ("女55", 2, "1970-01", "2025-02"),
    ("女55", 2, "1971-04", "2026-08"),
    ("女55", 2, "1981-09", "2039-09"),  # 58 exactly
    ("女50", 2, "1975-01", "2025-02"),
    ("女50", 2, "1976-06", "2027-03"),
    ("女50", 2, "1984-10", "2039-09"),  # 59 months
    ("女50", 2, "1984-11", "2039-11"),  # 55 exactly
    ("女50", 2, "1995-03", "2050-03"),  # later: still 55
    (None, 1, "1965-12", "2026-03"),  # a man with no 退休类别: 男60
    (None, 2, "1971-04", "2026-08"),  # a woman with no 退休类别: 女55, the village cadre default
    ("女工人", 2, "1976-06", "2027-03"),  # the alias of 女50
    ("女干部", 2, "1971-04", "2026-08"),  # the alias of 女55
]


def test_every_published_check_of_the_2024_decision(cli: CLI, tmp_path: Path) -> None:
    people = [
        cadre(f"人员{i}", born, 100 + 2 * i + (sex % 2), 退休类别=track or "")
        for i, (track, sex, born, _) in enumerate(PUBLISHED)
    ]
    roster = write_cadres(tmp_path / "干部.xlsx", people)
    records = write_contributions(tmp_path / "缴费.xlsx", [])
    data = run_json(cli, roster, records)
    got = by_name(data)
    for i, (_, _, born, expected) in enumerate(PUBLISHED):
        person = got[f"人员{i}"]
        assert person["birth_month"] == born
        assert person["retirement_month"] == expected, (born, person["track"])


def test_track_from_the_table_or_the_default(schedule) -> None:
    assert schedule.tracks == ("男60", "女55", "女50")
    birth = np.array([month_index(1965, 1)] * 3)
    got = retirement_months(birth, np.array([0, 1, -1]), schedule)
    assert [month_text(m) for m in got[:2]] == ["2025-02", "2020-01"]
    assert got[2] == -1  # no track: nobody can say


@pytest.mark.parametrize(
    ("year", "minimum"),
    [
        (2020, 180),
        (2025, 180),
        (2029, 180),
        (2030, 186),
        (2031, 192),
        (2035, 216),
        (2038, 234),
        (2039, 240),
        (2060, 240),
    ],
)
def test_minimum_contribution_by_retirement_year(schedule, year: int, minimum: int) -> None:
    for month in (1, 12):
        assert minimum_months(np.array([month_index(year, month)]), schedule)[0] == minimum


TRACK = st.integers(0, 2)
BIRTH = st.integers(month_index(1940, 1), month_index(2010, 12))


@given(track=TRACK, birth=BIRTH)
def test_retirement_is_monotone_in_birth_month(schedule, track: int, birth: int) -> None:
    months = retirement_months(np.array([birth, birth + 1]), np.array([track, track]), schedule)
    assert months[1] >= months[0] + 0  # a later birth never retires earlier
    assert months[1] - months[0] in (0, 1, 2)  # … and the step never jumps more than one month of delay


@given(track=TRACK, birth=BIRTH)
def test_retirement_age_is_never_beyond_the_cap(schedule, track: int, birth: int) -> None:
    age = retirement_months(np.array([birth]), np.array([track]), schedule)[0] - birth
    base = schedule.base_months[track]
    assert base <= age <= base + schedule.cap[track]


@given(track=TRACK)
def test_the_start_cohorts_are_exact(schedule, track: int) -> None:
    cohort = schedule.start_cohort[track]
    before, first = retirement_months(np.array([cohort - 1, cohort]), np.array([track, track]), schedule) - np.array(
        [cohort - 1, cohort]
    )
    assert before == schedule.base_months[track]  # born the month before: not delayed
    assert first == schedule.base_months[track] + 1  # the first cohort: one month


PERIODS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(24000, 24200), st.integers(0, 60)),
    max_size=30,
)


@given(periods=PERIODS, limit=st.integers(23990, 24300))
def test_months_covered_counts_each_month_once(periods: list[tuple[int, int, int]], limit: int) -> None:
    person = np.array([p for p, _, _ in periods], dtype="int64")
    start = np.array([s for _, s, _ in periods], dtype="int64")
    end = np.array([s + n for _, s, n in periods], dtype="int64")
    limits = np.full(5, limit, dtype="int64")
    cover = months_covered(person, start, end, [limits], 5)
    for who in range(5):
        months = {m for p, s, n in periods if p == who for m in range(s, s + n + 1)}
        assert cover.counts[0][who] == len({m for m in months if m <= limit})
        assert cover.latest[who] == (max(months) if months else -1)
        listed = sum(max(0, min(s + n, limit) - s + 1) for p, s, n in periods if p == who)
        assert cover.listed[who] == listed


# ---------------------------------------------------------------- the sample data

PENSION_ROW = re.compile(
    r"^\| (?P<case>[A-Za-z0-9-]+) \| (?P<sheet>[^!|]+)!(?P<row>\d+) \| (?P<name>[^|]+) \| [^|]+ \| [^|]+ \| [^|]+ \|"
    r" (?P<paid>\d+) \| (?P<retire>[\d-]+) \| (?P<at>\d+) \| (?P<min>\d+) \| (?P<short>\d+) \| (?P<status>[^|]+) \|$"
)


def sample_cases() -> list[dict[str, str]]:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    section = text.split("## 养老 / Pension", 1)[1].split("\n## ", 1)[0]
    return [m.groupdict() for line in section.splitlines() if (m := PENSION_ROW.match(line.strip()))]


def test_the_readme_lists_the_pension_cases() -> None:
    assert len(sample_cases()) == 7


@pytest.fixture(scope="module")
def sample():
    return pension([SAMPLES / "roster.xlsx"], load_ruleset(), contributions=[SAMPLES / "pension_contributions.xlsx"])


@pytest.mark.parametrize("case", sample_cases(), ids=lambda c: c["case"])
def test_every_expected_figure_of_the_sample(sample, case: dict[str, str]) -> None:
    people = sample.people
    person = people[(people["_sheet"] == case["sheet"]) & (people["_row"] == int(case["row"]))]
    assert len(person) == 1
    p = person.iloc[0]
    assert p["name"] == case["name"].strip()
    assert p["months_paid"] == int(case["paid"])
    assert month_text(p["retirement_month"]) == case["retire"]
    assert p["months_at_retirement"] == int(case["at"])
    assert p["minimum_months"] == int(case["min"])
    assert p["shortfall_months"] == int(case["short"])
    assert p["status"] == case["status"].strip()


def test_sample_run_reads_every_record_and_lists_cannot_reach_first(sample) -> None:
    assert sample.errors == [] and sample.unmatched == []
    statuses = list(sample.people["status"])
    first_other = next(i for i, s in enumerate(statuses) if s != "不能达标")
    assert set(statuses[first_other:]) <= {"可达标", "达标", "已退休"}
    overlaps = sample.findings[(sample.findings["rule"] == "Y05")]
    # PEN-6: three periods listing 210 months, 2015-07 … 2015-12 twice
    assert overlaps["message"].str.contains("列出210个月，重叠的6个月只计一次，共204个月").any()


def test_sample_json_keeps_to_the_schema(cli: CLI) -> None:
    data = run_json(cli, SAMPLES / "roster.xlsx", SAMPLES / "pension_contributions.xlsx")
    assert data["summary"]["people"] == len(data["people"]) == 578
    wu = by_name(data)["吴倩"]
    assert wu["status"] == "不能达标" and wu["shortfall_months"] == 75 and wu["retirement_month"] == "2027-10"
    assert data["people"][0]["status"] == "不能达标"
    assert {p["name"] for p in data["parameters"]} >= {"retirement_base_age", "minimum_contribution_months"}


# ---------------------------------------------------------------- months, statuses and as-of


def test_months_after_the_as_of_month_are_ignored_and_statuses_follow_the_spec(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)  # 男60, retires 2043-05 (min 240)
    b = cadre("乙", "1985-03", 13)
    c = cadre("丙", "1990-01", 15)
    d = cadre("丁", "1962-07", 17)  # retired 2022-07
    roster = write_cadres(tmp_path / "r.xlsx", [a, b, c, d])
    records = write_contributions(
        tmp_path / "c.xlsx",
        [
            (a["身份证号码"], "甲", "2000-01", "2030-12"),  # listed beyond the as-of month
            (b["身份证号码"], "乙", "2020-01", "2026-12"),  # still contributing: can reach
            (c["身份证号码"], "丙", "2010-01", "2015-12"),  # stopped long ago
            (d["身份证号码"], "丁", "1990-01", "2000-12"),
        ],
    )
    got = by_name(run_json(cli, roster, records))
    assert got["甲"]["months_paid"] == 27 * 12  # 2000-01 … 2026-12
    assert got["甲"]["status"] == "达标" and got["甲"]["shortfall_months"] == 0
    assert got["乙"]["status"] == "可达标" and got["乙"]["contributing"] is True
    assert got["丙"]["status"] == "不能达标"
    assert got["丙"]["months_at_retirement"] == 72 and got["丙"]["shortfall_months"] == 240 - 72
    assert got["丁"]["status"] == "已退休" and got["丁"]["retirement_month"] == "2022-07"
    assert got["丁"]["months_at_retirement"] == 132 and got["丁"]["minimum_months"] == 180
    # an earlier as-of date: months after it do not count, and 乙 stops "contributing"
    earlier = by_name(run_json(cli, roster, records, "--as-of", "2024-06-30"))
    assert earlier["甲"]["months_paid"] == 24 * 12 + 6
    assert earlier["乙"]["months_paid"] == 4 * 12 + 6 and earlier["乙"]["contributing"] is True


def test_nobody_in_the_records_is_a_finding_never_a_silent_zero(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    data = run_json(cli, roster, write_contributions(tmp_path / "c.xlsx", []))
    [person] = data["people"]
    assert person["months_paid"] == 0 and person["status"] == "不能达标"
    assert [f["rule"] for f in person["findings"]] == ["Y02"]


# ---------------------------------------------------------------- messy contribution files


def test_a_messy_gbk_csv_of_contributions(cli: CLI, tmp_path: Path) -> None:
    a = cadre("张明华", "1976-03", 21)
    b = cadre("李秀英", "1980-07", 22)
    c = cadre("王建国", "1985-11", 23)
    d = cadre("赵丽", "1982-02", 24)
    x = cadre("钱多", "1979-05", 25)  # in the file as 52270219790510025x with a lower-case x
    roster = write_cadres(tmp_path / "干部.xlsx", [a, b, c, d, x])
    rows = [
        ["城关镇村干部养老保险参保缴费情况"],
        ["填报单位：城关镇社保所"],
        ["序号", "姓名", "身份证号", "缴费起始时间", "缴费截止时间", "备注"],
        [1, "张明华", a["身份证号码"], "2005年3月", "至今", ""],
        [2, "张明华", a["身份证号码"], "2005.03", "2010.12", "重复登记"],
        [3, "李秀英", b["身份证号码"], "201503", "2015.02", "截止早于起始"],
        [4, "李秀英", b["身份证号码"], "2015-13", "2020-01", "月份写错"],
        [5, "李秀英", b["身份证号码"], "2016/1", "2016/12", ""],
        [6, "王建国", "5.22702E+17", "2018-01", "2026-12", "被Excel改成数字"],
        [7, "无名氏", "522702199001011234", "2018-01", "2026-12", "不在花名册"],
        [8, "赵丽", d["身份证号码"], "2012-1", "", "截止空白"],
        [9, "钱多", x["身份证号码"].lower(), "2020-01", "2026-12", ""],
        ["合计", "", "", "", "", ""],
    ]
    records = write_rows_csv(tmp_path / "社保缴费.csv", rows, encoding="gbk")
    data = run_json(cli, roster, records)
    got = by_name(data)
    assert got["张明华"]["months_paid"] == (2026 - 2005) * 12 + 10  # 至今 = the as-of month; row 5 inside row 4
    assert got["张明华"]["contributing"] is True
    assert [f["rule"] for f in got["张明华"]["findings"]] == ["Y05"]
    li = [f["message"] for f in got["李秀英"]["findings"] if f["rule"] == "Y01"]
    assert li == [
        "缴费记录（社保缴费.csv第6行）截止年月2015-02早于起始年月2015-03，此段未计入",
        "缴费记录（社保缴费.csv第7行）起始年月“2015-13”不是年月，此段未计入",
    ]
    assert got["李秀英"]["months_paid"] == 12
    wang = got["王建国"]
    assert [f["rule"] for f in wang["findings"]] == ["Y03"]
    assert "社保缴费.csv第9行" in wang["findings"][0]["message"] and "按本人计算" in wang["findings"][0]["message"]
    assert wang["months_paid"] == 9 * 12
    zhao = got["赵丽"]
    assert zhao["months_paid"] == 0
    assert "社保缴费.csv第11行）截止年月空白" in zhao["findings"][0]["message"]
    assert got["钱多"]["months_paid"] == 84 and got["钱多"]["findings"] == []
    [lost] = data["unmatched_contributions"]
    assert lost["row"] == 10 and lost["name"] == "无名氏"
    assert lost["reason"] == "花名册中没有此身份证号码；花名册中也没有“无名氏”"
    assert data["contributions"][0]["encoding"].lower() in ("gbk", "gb18030", "gb2312")


def test_date_cells_and_numbers_in_a_workbook_of_contributions(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    rows = [
        ["参保人姓名", "社会保障号码", "起始年月", "截止年月"],
        ["甲", a["身份证号码"], dt.date(2001, 10, 1), dt.date(2001, 12, 31)],  # date cells
        ["甲", a["身份证号码"], 2002.1, 2002.12],  # year.month numbers: 2002.1 is October
        ["甲", a["身份证号码"], 200301, 200303],  # 200301 as a number
    ]
    records = write_rows_xlsx(tmp_path / "c.xlsx", rows)
    [person] = run_json(cli, roster, records)["people"]
    assert person["months_paid"] == 3 + 3 + 3
    assert person["findings"] == []


def test_an_unreadable_contribution_file_is_one_line_and_the_roster_still_computed(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    broken = tmp_path / "缴费.xlsx"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    run = cli("pension", roster, "-c", broken, "--format", "json")
    assert run.exit_code == 2
    [line] = run.error_lines
    assert line.startswith("cadretool: 错误: ") and "缴费.xlsx" in line
    assert run.json["errors"][0]["path"].endswith("缴费.xlsx")
    assert run.json["people"][0]["findings"][0]["rule"] == "Y02"


# ---------------------------------------------------------------- flexible retirement


@pytest.mark.parametrize(
    ("text", "chosen", "problem"),
    [
        ("提前12个月", "2042-05", None),
        ("提前3年", "2040-05", None),
        ("-36", "2040-05", None),
        ("提前37个月", None, "超过最多提前的36个月"),
        ("延迟2年", "2045-05", None),
        ("延迟三年", "2046-05", None),
        ("延迟3年1个月", None, "超过最多延迟的36个月"),
        ("提前至2041-05", "2041-05", None),
        ("提前啥", None, "无法识别"),
        ("不申请", None, None),
    ],
)
def test_flexible_retirement(cli: CLI, tmp_path: Path, text: str, chosen: str | None, problem: str | None) -> None:
    a = cadre("甲", "1980-05", 11, 弹性退休=text)  # statutory 2043-05 (63), original age 60 in 2040-05
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    records = write_contributions(tmp_path / "c.xlsx", [(a["身份证号码"], "甲", "2000-01", "至今")])
    [person] = run_json(cli, roster, records)["people"]
    assert person["retirement_month"] == "2043-05"  # always shown
    assert person["chosen_retirement_month"] == chosen
    y07 = [f["message"] for f in person["findings"] if f["rule"] == "Y07"]
    assert (problem is None and not y07) or (problem is not None and problem in y07[0])


def test_early_retirement_needs_the_original_age_and_the_minimum(cli: CLI, tmp_path: Path) -> None:
    # a man born 1970-05 retires at 60 and 17 months (2031-10): 2 years early is below 60 (2030-05)
    a = cadre("甲", "1970-05", 11, 弹性退休="提前2年")
    # a man who stopped contributing with 150 months cannot go early: the minimum is not met
    b = cadre("乙", "1976-09", 13, 弹性退休="提前6个月")
    roster = write_cadres(tmp_path / "r.xlsx", [a, b])
    records = write_contributions(
        tmp_path / "c.xlsx",
        [(a["身份证号码"], "甲", "2005-01", "至今"), (b["身份证号码"], "乙", "2010-01", "2022-06")],
    )
    got = by_name(run_json(cli, roster, records))
    assert got["甲"]["chosen_retirement_month"] is None
    [msg] = [f["message"] for f in got["甲"]["findings"] if f["rule"] == "Y07"]
    assert "提前到2029-10，早于原法定退休年龄的2030-05" in msg and "超过" not in msg and "缴费" not in msg
    assert got["乙"]["chosen_retirement_month"] is None
    [msg] = [f["message"] for f in got["乙"]["findings"] if f["rule"] == "Y07"]
    assert "到2039-03缴费150个月，未达到2039年的最低缴费240个月" in msg
    # the statutory figures stay those of the statutory month
    assert got["乙"]["retirement_month"] == "2039-09" and got["乙"]["shortfall_months"] == 90


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("提前12个月", ("offset", -12)),
        ("提前1年6个月", ("offset", -18)),
        ("提前一年半", ("offset", -18)),
        ("延迟两年", ("offset", 24)),
        ("推迟6个月", ("offset", 6)),
        ("－12", ("offset", -12)),
        ("+24", ("offset", 24)),
        (-6.0, ("offset", -6)),
        ("延迟到2031年3月", ("month", month_index(2031, 3))),
        ("无", None),
        ("", None),
        ("一年半", "一年半"),  # neither way: cannot be read
        ("提前", "提前"),
    ],
)
def test_reading_a_flexible_request(text: object, expected: object) -> None:
    assert read_flexible(text) == expected


# ---------------------------------------------------------------- leaving allowance


def test_leaving_allowance_for_those_who_left_normally(cli: CLI, tmp_path: Path) -> None:
    people = [
        cadre(
            "甲",
            "1971-05",
            11,
            离任类型="正常离任",
            离任时间="2021.03",
            任正职年限="8.5",
            任副职年限="3",
            任委员年限="",
        ),
        cadre("乙", "1975-02", 13, 离任类型="换届离任", 任委员年限="10年"),
        cadre("丙", "1970-01", 15, 离任类型="罢免", 任正职年限="5"),
        cadre("丁", "1972-01", 17, 离任类型="正常离任"),
        cadre("戊", "1973-01", 19),  # serving
        cadre("己", "1974-01", 21, 离任时间="2020-12"),  # left, but how?
    ]
    roster = write_cadres(tmp_path / "r.xlsx", people)
    data = run_json(cli, roster, write_contributions(tmp_path / "c.xlsx", []))
    got = by_name(data)
    assert got["甲"]["leaving_allowance"] == {"monthly": "205.00", "from": got["甲"]["retirement_month"]}
    assert got["甲"]["retirement_month"] == "2033-01"  # 1971-05 + 60 years + 20 months
    assert got["乙"]["leaving_allowance"] == {"monthly": "100.00", "from": "2037-09"}
    assert got["丙"]["leaving_allowance"] is None
    assert got["丁"]["leaving_allowance"] is None
    assert any(f["rule"] == "Y08" and "年限均空白" in f["message"] for f in got["丁"]["findings"])
    assert got["戊"]["leaving_allowance"] is None and not [f for f in got["戊"]["findings"] if f["rule"] == "Y08"]
    assert any(f["rule"] == "Y08" and "离任类型空白" in f["message"] for f in got["己"]["findings"])


# ---------------------------------------------------------------- the workbook


def test_the_workbook_lists_who_cannot_reach_first(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    b = cadre("乙", "1985-03", 13, 离任类型="正常离任", 任委员年限=6)
    roster = write_cadres(tmp_path / "r.xlsx", [a, b])
    records = write_contributions(tmp_path / "c.xlsx", [(b["身份证号码"], "乙", "2010-01", "2015-06")])
    run = cli("pension", roster, "-c", records)
    assert run.exit_code == 0, run.stderr
    out = tmp_path / "r_养老测算.xlsx"
    assert f"已写出 {out}" in run.stdout.replace("\n", "")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["养老测算", "汇总", "未匹配缴费记录", "规则"]
    ws = book["养老测算"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    # 乙 has records and cannot make it: first; 甲 has none at all (Y02): after
    assert [r["姓名"] for r in rows] == ["乙", "甲"]
    assert rows[0]["状态"] == "不能达标" and rows[0]["已缴月数"] == 66 and rows[0]["缺口月数"] == 240 - 66
    assert (
        rows[0]["离任生活补贴(元/月)"] == 60
        and ws.cell(2, header.index("离任生活补贴(元/月)") + 1).number_format == "#,##0.00"
    )
    assert rows[0]["补贴起始年月"] == rows[0]["法定退休年月"] == "2048-03"
    assert rows[1]["需核实事项"].startswith("Y02 缴费记录中没有此人")
    rules = book["规则"]
    assert rules["A1"].value == "规则集" and rules["A3"].value == "SHA-256"
    # re-running over the folder does not read the result back as a roster
    again = cli("pension", tmp_path / "r*.xlsx", "-c", records, "--format", "json")
    assert again.json["summary"]["people"] == 2


def test_schema_and_masked_ids(cli: CLI, tmp_path: Path) -> None:
    schema = cli("schema", "pension")
    assert schema.exit_code == 0 and schema.json["title"] == "PensionOutput"
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    records = write_contributions(
        tmp_path / "c.xlsx",
        [(a["身份证号码"], "甲", "2000-01", "至今"), ("522702199001011234", "乙", "2000-01", "至今")],
    )
    data = run_json(cli, roster, records, "--mask-ids")
    assert data["people"][0]["id_number"] == a["身份证号码"][:6] + "********" + a["身份证号码"][-4:]
    assert data["unmatched_contributions"][0]["id_number"] == "522702********1234"
    assert "199001011234" not in cli("pension", roster, "-c", records, "--format", "json", "--mask-ids").stdout


def test_periods_written_in_one_cell_by_month_rows_or_with_a_count(cli: CLI, tmp_path: Path) -> None:
    a, b, c = cadre("甲", "1980-05", 11), cadre("乙", "1981-05", 13), cadre("丙", "1982-05", 15)
    roster = write_cadres(tmp_path / "r.xlsx", [a, b, c])
    # 缴费期间 in one cell
    one_cell = write_rows_xlsx(
        tmp_path / "期间.xlsx",
        [
            ["姓名", "身份证号码", "缴费期间"],
            ["甲", a["身份证号码"], "2015.03-2016.02"],
            ["甲", a["身份证号码"], "2020年1月至今"],
            ["甲", a["身份证号码"], "2018年"],
        ],
    )
    # one row a month, as the 社保 system exports it (费款所属期 as a number)
    monthly = write_rows_xlsx(
        tmp_path / "明细.xlsx",
        [["姓名", "身份证号码", "费款所属期"]] + [["乙", b["身份证号码"], 202401 + k] for k in range(6)],
    )
    # 起始年月 with 缴费月数
    counted = write_rows_xlsx(
        tmp_path / "月数.xlsx",
        [["姓名", "身份证号码", "起始年月", "截止年月", "缴费月数"], ["丙", c["身份证号码"], "2019.07", "", 18]],
    )
    got = by_name(
        run_json(cli, roster, one_cell, "-c", monthly, "-c", counted)  # several contribution files at once
    )
    assert got["甲"]["months_paid"] == 12 + 84 and got["甲"]["contributing"] is True
    assert [f["message"] for f in got["甲"]["findings"]] == [
        "缴费记录（期间.xlsx第4行）缴费期间“2018年”不是起止两个年月，此段未计入"
    ]
    assert got["乙"]["months_paid"] == 6 and got["乙"]["findings"] == []
    assert got["丙"]["months_paid"] == 18 and got["丙"]["findings"] == []


def test_a_roster_given_as_the_contributions_is_one_error(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    run = cli("pension", roster, "-c", roster, "--format", "json")
    assert run.exit_code == 2
    [line] = run.error_lines
    assert "r.xlsx" in line and "没有“起始年月”“截止年月”列" in line
    [person] = run.json["people"]
    assert [f["rule"] for f in person["findings"]] == ["Y02"] and run.json["unmatched_contributions"] == []


def test_a_roster_id_mangled_by_excel_still_gets_its_records_by_name(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    b = cadre("乙", "1981-05", 13)
    number = a["身份证号码"]
    a["身份证号码"] = float(number)  # the roster's cell is a number: digits lost
    roster = write_cadres(tmp_path / "r.xlsx", [a, b])
    records = write_contributions(
        tmp_path / "c.xlsx", [(number, "甲", "2010-01", "2019-12"), ("522702199001011234", "乙", "2010-01", "至今")]
    )
    data = run_json(cli, roster, records)
    got = by_name(data)
    assert got["甲"]["months_paid"] == 120
    assert {f["rule"] for f in got["甲"]["findings"]} == {"D02", "Y03"}
    assert "花名册中本人的身份证号码无法使用" in next(f["message"] for f in got["甲"]["findings"] if f["rule"] == "Y03")
    # 乙's number is valid and differs: someone else, never joined by name
    assert got["乙"]["months_paid"] == 0
    [lost] = data["unmatched_contributions"]
    assert lost["reason"] == "花名册中没有此身份证号码；花名册中的“乙”身份证号码与此不同"


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        (
            "pension.yaml",
            "{男60: 4, 女55: 4, 女50: 2}\n        reference: 《国务院",
            "{男60: 0, 女55: 4, 女50: 2}\n        reference: 《国务院",
            "retirement_step_months：应为正整数",
        ),
        ("pension.yaml", "{男60: 196501,", "{男60: 196513,", "男60 的 196513 不是 YYYYMM 年月"),
        ("pension.yaml", "{男60: 60, 女55: 55,", "{男60: -60, 女55: 55,", "男60 的 -60 不是退休年龄"),
        ("pension.yaml", "{男60: 36, 女55: 36,", "{男60: 36, 女55: -36,", "女55 的 -36 应为不小于0的整月数"),
        ("pension.yaml", "2039: 240}", "2039: 240.5}", "2039 年的 240.5 应为不小于0的整月数"),
        ("career.yaml", "{value: 2, reference", "{value: -2, reference", "career_min_principal_terms"),
        ("pension.yaml", "2039: 240}", "2039: 二百四十}", "“2039”的取值 '二百四十' 不是数字"),
        ("pension.yaml", "  flexible_delay_max_months:", "  flexible_delay_max:", "缺少参数 flexible_delay_max_months"),
        ("career.yaml", "{value: 正职,", "{value: 书记,", "“书记”不是职务类别"),
        ("tuition.yaml", "[本科=1/2,", "[本科=一半,", "“本科=一半”应写成 学历层次=分数"),
    ],
)
def test_job_rule_files_are_checked_naming_file_and_line(
    cli: CLI, tmp_path: Path, file: str, old: str, new: str, said: str
) -> None:
    from rulesets import copy_rules, edit

    rules = copy_rules(tmp_path)
    edit(rules / file, old, new)
    run = cli("rules", "check", rules)
    assert run.exit_code == 2
    [line] = run.error_lines
    assert re.search(rf"{file}:\d+:", line) and said in line, line


def test_a_period_with_no_id_and_no_name_is_listed_unmatched_not_dropped(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1980-05", 11)
    roster = write_cadres(tmp_path / "r.xlsx", [a])
    rows = [
        ["养老保险缴费记录"],
        ["身份证号码", "姓名", "起始年月", "截止年月"],
        [a["身份证号码"], "甲", "2010.1", "2010年12月"],
        ["", "", "2001.1", "2005.12"],  # who paid it was left out
        ["合计", "", "", ""],
    ]
    records = write_rows_csv(tmp_path / "缴费.csv", rows, encoding="gbk")
    data = run_json(cli, roster, records)
    assert by_name(data)["甲"]["months_paid"] == 12
    [lost] = data["unmatched_contributions"]
    assert (lost["row"], lost["start"], lost["end"], lost["name"]) == (4, "2001-01", "2005-12", None)
    assert lost["reason"] == "缺少身份证号码和姓名，无法对应到人员，未计入"
    assert data["summary"]["unmatched_contributions"] == 1
