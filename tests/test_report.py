"""`cadretool report`: the 一降两升 indicators on small rosters whose every figure is worked out by
hand below, the workbook a leader reads, the JSON contract, and the bad inputs a new user brings."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import badfiles
import openpyxl
import pytest
from conftest import CLI, ERROR_PREFIX
from rulesets import copy_rules, edit

from cadretool.output.schema import ReportOutput
from cadretool.roster.readers import is_result_workbook

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "文化程度",
    "乡镇(街道)",
    "村(社区)",
    "拟任职务",
    "推荐方式",
    "能力特长",
]
SHEETS = ["总览", "乡镇(街道)", "村(社区)", "推荐方式", "无人选的村(社区)", "需关注", "图表数据", "规则"]
RED = "FFFFC7CE"


def person(name: str, born: dt.date, seq: int, education: str, village: str, channel: str = "", tags: str = "", **more):
    values = {
        "姓名": name,
        "性别": "男" if seq % 2 else "女",
        "身份证号码": badfiles.id_number(born, seq),
        "文化程度": education,
        "乡镇(街道)": "城关镇",
        "村(社区)": village,
        "拟任职务": "委员",
        "推荐方式": channel,
        "能力特长": tags,
    }
    values.update(more)
    return values


# Ages at 2026-12-31 (current) and 2021-12-31 (baseline) in the comments: whole years, birthday counted on the day.
P2 = person("李二", dt.date(1986, 12, 31), 12, "高中", "东风村", "个人自荐")  # 40 now; 35 then
P4 = person("赵四", dt.date(1990, 3, 15), 41, "初中", "西山村", "组织推荐", "退役军人")  # 36 now; 31 then
CURRENT = [
    person("张一", dt.date(1996, 6, 1), 11, "本科", "东风村", "组织推荐", "大学生"),  # 30
    P2,
    person("王三", dt.date(1977, 1, 1), 31, "大专", "东风村", "群众推荐", "致富带头人、种养殖能手"),  # 49
    P4,
    person("钱五", dt.date(2000, 7, 8), 22, "硕士", "西山村", "", "无"),  # 26
]
BASELINE = [
    {**P2, "推荐方式": "组织推荐"},  # 35
    person("孙六", dt.date(1966, 5, 5), 51, "初中", "东风村", "组织推荐"),  # 55
    person("周七", dt.date(1971, 8, 8), 62, "大专", "东风村", "党员推荐", "返乡创业"),  # 50
    P4,  # 31
    person("吴八", dt.date(1995, 10, 10), 72, "大学本科", "西山村", "群团推荐"),  # 26
    person("郑九", dt.date(1960, 1, 1), 81, "小学", "北岭村", "组织推荐"),  # 61
    person("冯十", dt.date(1970, 2, 2), 92, "高中", "北岭村", "组织推荐", "专业技能"),  # 51
]


@pytest.fixture
def rosters(tmp_path: Path) -> tuple[Path, Path]:
    current = badfiles.write_roster_xlsx(tmp_path / "2026花名册.xlsx", CURRENT, HEADERS)
    baseline = badfiles.write_roster_xlsx(tmp_path / "2021花名册.xlsx", BASELINE, HEADERS)
    return current, baseline


def level(data: dict, kind: str, village: str | None = None) -> dict:
    [found] = [entry for entry in data["levels"] if entry["level"] == kind and entry["village"] == village]
    return found


def test_every_figure_as_worked_out_by_hand(cli: CLI, rosters: tuple[Path, Path]) -> None:
    current, baseline = rosters
    run = cli("report", current, "--baseline", baseline, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    ReportOutput.model_validate(data)
    assert (data["as_of"], data["baseline_as_of"]) == ("2026-12-31", "2021-12-31")
    county = level(data, "county")
    # now: ages 30 40 49 36 26 → 181/5; 本科 大专 硕士 → 3/5; 大学生 致富带头人 退役军人 → 3/5
    # then: ages 35 55 50 31 26 61 51 → 309/7 = 44.142…; 大专 本科 → 2/7; 返乡创业 退役军人 专业技能 → 3/7
    assert county["current"] == {"people": 5, "avg_age": 36.2, "college_pct": 60.0, "ability_pct": 60.0}
    assert county["baseline"] == {"people": 7, "avg_age": 44.14, "college_pct": 28.57, "ability_pct": 42.86}
    assert county["change"] == {
        "avg_age": -7.94,  # 181/5 − 309/7 = −278/35 = −7.943
        "college_pp": 31.43,  # 60 − 28.571
        "ability_pp": 17.14,  # 60 − 42.857
        "avg_age_relative_pct": -17.99,  # −278/35 ÷ 309/7 = −17.9935 %
        "college_relative_pct": 110.0,  # (3/5 − 2/7) ÷ 2/7
        "ability_relative_pct": 40.0,  # (3/5 − 3/7) ÷ 3/7
    }
    assert county["wrong_way"] == [] and county["villages"] == 3
    assert level(data, "township")["current"] == county["current"]
    east = level(data, "village", "东风村")
    assert east["current"] == {"people": 3, "avg_age": 39.67, "college_pct": 66.67, "ability_pct": 66.67}
    assert east["baseline"] == {"people": 3, "avg_age": 46.67, "college_pct": 33.33, "ability_pct": 33.33}
    # from the unrounded shares 2/3 and 1/3: 33.33 points, not 66.67 − 33.33 = 33.34
    assert east["change"]["college_pp"] == 33.33 and east["change"]["ability_pp"] == 33.33
    assert east["change"]["avg_age"] == -7.0 and east["change"]["avg_age_relative_pct"] == -15.0
    west = level(data, "village", "西山村")
    assert west["current"]["avg_age"] == 31.0 and west["baseline"]["avg_age"] == 28.5
    assert west["change"]["avg_age"] == 2.5 and west["wrong_way"] == ["avg_age"]
    north = level(data, "village", "北岭村")
    assert north["current"] == {"people": 0, "avg_age": None, "college_pct": None, "ability_pct": None}
    assert north["baseline"]["avg_age"] == 56.0 and north["change"]["avg_age"] is None
    assert data["channels"] == {"组织推荐": 2, "群众推荐": 1, "党员推荐": 0, "群团推荐": 0, "个人自荐": 1}
    assert data["baseline_channels"] == {"组织推荐": 5, "群众推荐": 0, "党员推荐": 1, "群团推荐": 1, "个人自荐": 0}
    assert data["channels_other"] == {"current": {"未填写": 1}, "baseline": {"未填写": 0}}
    assert data["villages_without_candidates"] == ["北岭村"]
    assert data["summary"] == {"people": 5, "baseline_people": 7, "villages": 3, "villages_without_candidates": 1}
    rules = sorted((f["rule"], f["level"], f["village"]) for f in data["findings"])
    assert rules == [("R01", "village", "西山村"), ("R04", "village", "北岭村")]
    assert data["errors"] == [] and data["warnings"] == []


def test_averages_and_shares_round_half_up(cli: CLI, tmp_path: Path) -> None:
    # eight people aged 30 ×7 and 31: 241/8 = 30.125 → 30.13 (binary floats would give 30.12); 1 in 8 → 12.5
    people = [person(f"人{i}", dt.date(1996, 1, 1), 2 * i + 1, "高中", "东风村") for i in range(7)]
    people.append(person("人七", dt.date(1995, 1, 1), 99, "大专", "东风村"))
    path = badfiles.write_roster_xlsx(tmp_path / "八人.xlsx", people, HEADERS)
    run = cli("report", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    county = level(run.json, "county")
    assert county["current"] == {"people": 8, "avg_age": 30.13, "college_pct": 12.5, "ability_pct": 0.0}
    # no baseline: the current figures only, nothing compared
    assert county["baseline"] is None and county["change"] is None
    assert run.json["baseline_channels"] is None and run.json["villages_without_candidates"] == []


def test_ages_at_each_rosters_own_as_of_date(cli: CLI, rosters: tuple[Path, Path]) -> None:
    current, baseline = rosters
    # the same day a year later for both: everyone one year older, the change unchanged
    run = cli("report", current, "-b", baseline, "--as-of", "2027-12-31", "--format", "json")
    county = level(run.json, "county")
    assert run.json["baseline_as_of"] == "2022-12-31"
    assert (county["current"]["avg_age"], county["baseline"]["avg_age"]) == (37.2, 45.14)
    # 2026-12-30: 李二 (born 1986-12-31) is still 39 the day before his birthday
    run = cli("report", current, "-b", baseline, "--as-of", "2026-12-30", "--baseline-as-of", "2026-12-30")
    data = cli("report", current, "--as-of", "2026-12-30", "--format", "json").json
    assert level(data, "village", "东风村")["current"]["avg_age"] == 39.33  # (30 + 39 + 49) / 3
    assert run.exit_code == 0


def test_the_workbook_a_leader_reads(cli: CLI, rosters: tuple[Path, Path], tmp_path: Path) -> None:
    current, baseline = rosters
    out = tmp_path / "指标.xlsx"
    run = cli("report", current, "--baseline", baseline, "-o", out)
    assert run.exit_code == 0, run.stderr
    assert f"已写出 {out}" in run.stdout.replace("\n", "")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    overview = book["总览"]
    figures = {overview.cell(r, 1).value: [overview.cell(r, c).value for c in range(2, 8)] for r in range(5, 10)}
    assert figures["人数"][:3] == [7, 5, -2]
    assert figures["平均年龄（岁）"] == [44.14, 36.2, -7.94, -17.99, "下降", "达成"]
    assert figures["大专及以上占比（%）"] == [28.57, 60, 31.43, 110, "上升", "达成"]
    assert figures["有能力特长的占比（%）"] == [42.86, 60, 17.14, 40, "上升", "达成"]
    assert figures["有人选的村(社区)"][:2] == [3, 2] and figures["有人选的村(社区)"][5] == "1个没有人选"
    assert overview["G9"].fill.fgColor.rgb == RED
    exceptions = [overview.cell(r, 9).value for r in range(5, 22) if overview.cell(r, 9).value]
    assert "平均年龄上升的村(社区)：1个" in exceptions
    assert any("北岭村" in line and "没有人选" in line for line in exceptions)
    channels = {overview.cell(r, 1).value: overview.cell(r, 3).value for r in range(12, 19)}
    assert channels == {
        "组织推荐": 2,
        "群众推荐": 1,
        "党员推荐": 0,
        "群团推荐": 0,
        "个人自荐": 1,
        "未填写": 1,
        None: None,
    }

    villages = book["村(社区)"]
    rows = {villages.cell(r, 2).value: r for r in range(3, villages.max_row + 1)}
    headers = [villages.cell(2, c).value or villages.cell(1, c).value for c in range(1, villages.max_column + 1)]
    age_change = headers.index("变化") + 1
    west, north = rows["西山村"], rows["北岭村"]
    assert villages.cell(west, age_change).value == 2.5
    assert villages.cell(west, age_change).fill.fgColor.rgb == RED
    assert villages.cell(rows["东风村"], age_change).fill.fgColor.rgb != RED
    assert villages.cell(west, villages.max_column).value == "平均年龄上升"
    assert villages.cell(north, 4).value == 0 and villages.cell(north, 4).fill.fgColor.rgb == RED
    assert villages.cell(north, villages.max_column).value == "本期没有人选"
    assert villages.cell(3, 1).value == "合计"
    without = book["无人选的村(社区)"]
    assert [c.value for c in without[2]] == ["城关镇", "北岭村", 2, "基期名册"]
    notes = book["需关注"]
    assert sorted(notes.cell(r, 1).value for r in range(2, notes.max_row + 1)) == ["R01", "R04"]
    rules = book["规则"]
    assert rules["A1"].value == "规则集" and rules["A3"].value == "SHA-256"
    assert is_result_workbook(out)  # a later `vet 各乡镇/` never reads it as a roster


def test_every_sheet_prints_a4_landscape_one_page_wide_with_headers_and_page_numbers(
    cli: CLI, rosters: tuple[Path, Path], tmp_path: Path
) -> None:
    current, baseline = rosters
    out = tmp_path / "指标.xlsx"
    assert cli("report", current, "-b", baseline, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) in ((1, 0), (None, 0)), ws.title
        assert "&P" in ws.oddFooter.right.text or "&P" in (ws.oddFooter.center.text or ""), ws.title
        if ws.title != "图表数据":
            assert ws.print_title_rows, ws.title
    assert book["村(社区)"].print_title_rows == "$1:$2"


def test_three_native_charts_on_the_first_sheet_within_a_page(
    cli: CLI, rosters: tuple[Path, Path], tmp_path: Path
) -> None:
    current, baseline = rosters
    out = tmp_path / "指标.xlsx"
    assert cli("report", current, "-b", baseline, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as zf:
        charts = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 3
        texts = [zf.read(n).decode("utf-8") for n in charts]
        drawing = zf.read("xl/drawings/drawing1.xml").decode("utf-8")
        sheet1_rels = zf.read("xl/worksheets/_rels/sheet1.xml.rels").decode("utf-8")
    assert "drawing1.xml" in sheet1_rels  # the drawing belongs to 总览, the first sheet
    titles = ["年龄分布", "文化程度构成", "推荐方式构成"]
    for text, title in zip(texts, titles, strict=True):
        assert "<c:barChart>" in text and title in text
        assert text.count("<c:ser>") == 2  # 基期 beside 本期
        assert "<c:f>图表数据!$A$" in text
    # side by side inside the printed columns A–N and rows of 总览, each well under a page high
    anchors = re.findall(
        r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?"
        r"<xdr:to><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>",
        drawing,
    )
    assert len(anchors) == 3
    area = openpyxl.load_workbook(out)["总览"].print_area
    printed = re.search(r"\$A\$1:\$N\$(\d+)", str(area))
    assert printed, area
    for first_col, first_row, last_col, end_row in (tuple(map(int, a)) for a in anchors):
        assert first_col < last_col <= 13 and end_row < int(printed.group(1))
        assert end_row - first_row <= 16
    assert [int(a[0]) for a in anchors] == sorted(int(a[0]) for a in anchors)
    data = openpyxl.load_workbook(out)["图表数据"]
    ages = {data.cell(r, 1).value: (data.cell(r, 2).value, data.cell(r, 3).value) for r in range(2, 10)}
    assert ages["30岁以下"] == (1, 1) and ages["60岁及以上"] == (1, 0) and ages["45–49岁"] == (0, 1)


def test_the_terminal_summary(cli: CLI, rosters: tuple[Path, Path], wide: None) -> None:
    current, baseline = rosters
    run = cli("report", current, "--baseline", baseline)
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert "平均年龄（岁）" in out and "44.14" in out and "36.20" in out and "-7.94岁" in out
    assert "-17.99%" in out and "+31.43个百分点" in out
    assert "没有人选的村(社区) 1 个" in out and "城关镇北岭村" in out
    assert "平均年龄上升 1 个" in out
    assert "组织推荐 2（基期 5）" in out
    written = current.with_name("2026花名册_指标报告.xlsx")
    assert written.is_file() and f"已写出 {written}" in out.replace("\n", "")
    assert run.stderr == ""


def test_a_village_list_in_another_spelling(cli: CLI, rosters: tuple[Path, Path], tmp_path: Path) -> None:
    current, baseline = rosters
    listing = tmp_path / "村名单.csv"
    # township without 镇, 村委会 / 村民委员会 / full-width spaces, a village nobody names, one missing
    listing.write_text(
        "序号,乡镇,村(社区)\n1,城关,东风村委会\n2,城关镇人民政府,西山村民委员会\n3,城关镇,南　坡\n", encoding="utf-8"
    )
    run = cli("report", current, "-b", baseline, "--villages", listing, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    assert data["villages_without_candidates"] == ["北岭村", "南坡"]
    detail = {v["village"]: v["source"] for v in data["villages_without_candidates_detail"]}
    assert detail == {"北岭村": "基期名册", "南坡": "村(社区)名单"}
    unmatched = [f for f in data["findings"] if f["rule"] == "R05"]
    assert [f["village"] for f in unmatched] == ["北岭村"]
    assert "不在村(社区)名单中" in unmatched[0]["message"]
    assert level(data, "county")["villages"] == 4
    # the roster's spelling is the one shown
    assert {e["village"] for e in data["levels"] if e["level"] == "village"} == {"东风村", "西山村", "北岭村", "南坡"}


@pytest.mark.parametrize(
    "text",
    [
        "村(社区)\n东风村\n西山村\n",  # one column with its header
        "东风村\n西山村\n",  # a name a line, no header
        "1,城关镇东风村\n2,城关镇西山村\n",  # 序号 and township + village in one cell
    ],
)
def test_a_village_list_with_one_column(cli: CLI, rosters: tuple[Path, Path], tmp_path: Path, text: str) -> None:
    current, _ = rosters
    listing = tmp_path / "村名单.txt"
    listing.write_text(text + "北岭村\n" if not text.startswith("1,") else text + "3,城关镇北岭村\n", encoding="gbk")
    data = cli("report", current, "--villages", listing, "--format", "json").json
    assert data["errors"] == []
    assert data["villages_without_candidates"] == ["北岭村"]
    assert [f["rule"] for f in data["findings"]] == ["R04"]


def test_a_baseline_with_no_village_in_common_is_said_loudly(cli: CLI, rosters: tuple[Path, Path], tmp_path) -> None:
    current, _ = rosters
    other = [{**p, "乡镇(街道)": "马场镇", "村(社区)": "高峰村"} for p in BASELINE]
    elsewhere = badfiles.write_roster_xlsx(tmp_path / "别的县.xlsx", other, HEADERS)
    run = cli("report", current, "--baseline", elsewhere, "--format", "json")
    assert run.exit_code == 0
    [warning] = run.json["warnings"]
    assert "别的县.xlsx" in warning and "没有一个相同的" in warning
    assert run.error_lines == [f"cadretool: 警告: {warning}"]
    assert [f["rule"] for f in run.json["findings"] if f["rule"] == "R06"] == ["R06"]


def test_rosters_of_different_shapes(cli: CLI, rosters: tuple[Path, Path], tmp_path: Path) -> None:
    current, _ = rosters
    # last term's roster: no ID numbers (出生年月 instead), no 文化程度, no 能力特长, no 推荐方式
    shape = ["姓名", "性别", "出生年月", "乡镇(街道)", "村(社区)"]
    old = [
        {"姓名": p["姓名"], "性别": p["性别"], "出生年月": "1970.05", "乡镇(街道)": "城关镇", "村(社区)": p["村(社区)"]}
        for p in BASELINE
    ]
    old[0]["出生年月"] = ""
    path = badfiles.write_roster_xlsx(tmp_path / "上届.xlsx", old, shape)
    run = cli("report", current, "-b", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    county = level(run.json, "county")
    assert county["baseline"] == {"people": 7, "avg_age": 51.0, "college_pct": None, "ability_pct": None}
    assert county["change"]["college_pp"] is None and county["change"]["avg_age"] == -14.8
    messages = [f["message"] for f in run.json["findings"] if f["rule"] == "R07"]
    assert "基期名册没有“文化程度”列：大专及以上占比无法统计" in messages
    assert "基期名册没有“能力特长”列：有能力特长的占比无法统计" in messages
    assert "基期名册没有“推荐方式”列：五荐人数无法统计" in messages
    assert any(m.startswith("基期名册中1人没有可用的身份证号码或出生年月") for m in messages)
    assert run.json["baseline_channels"] == dict.fromkeys(run.json["channels"], 0)


def test_a_roster_whose_sheets_differ(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "两张表.xlsx"
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for sheet, headers, people in (
        ("城关镇", HEADERS, CURRENT[:3]),
        ("新城镇", [h for h in HEADERS if h != "能力特长"], [{**p, "乡镇(街道)": "新城镇"} for p in CURRENT[3:]]),
    ):
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, headers)
        for r, p in enumerate(people, start=1):
            ws.write_row(r, 0, [str(p.get(h, r)) for h in headers])
    book.close()
    data = cli("report", path, "--format", "json").json
    # 能力特长 is known for the three people of 城关镇 only: 2 of 3
    assert level(data, "county")["current"]["ability_pct"] == 66.67
    assert level(data, "county")["current"]["college_pct"] == 60.0
    [note] = [f["message"] for f in data["findings"] if f["rule"] == "R07"]
    assert note == "本期名册的工作表“新城镇”没有“能力特长”列：这2人不计入有能力特长的占比"


def test_unreadable_ages_and_education_are_counted_and_said(cli: CLI, tmp_path: Path) -> None:
    people = [dict(p) for p in CURRENT]
    people[0]["身份证号码"] = ""  # no ID and no 出生年月 column: no age
    people[1]["文化程度"] = "大学肄业"  # outside the vocabulary (D07)
    people[2]["村(社区)"] = ""  # no village
    path = badfiles.write_roster_xlsx(tmp_path / "问题.xlsx", people, HEADERS)
    data = cli("report", path, "--format", "json").json
    county = level(data, "county")
    assert county["current"]["people"] == 5
    assert county["current"]["avg_age"] == 37.75  # (40 + 49 + 36 + 26) / 4
    assert county["current"]["college_pct"] == 60.0  # 本科 大专 硕士 of 5
    messages = sorted(f["message"] for f in data["findings"])
    assert "本期名册中1人没有可用的身份证号码或出生年月，未计入平均年龄（计入人数）" in messages
    assert "本期名册中1人的文化程度无法识别（D07），按非大专及以上计" in messages
    assert "本期名册中1人没有村(社区)（城关镇），只计入乡镇(街道)和全县的数字" in messages
    assert level(data, "township")["current"]["people"] == 5
    assert sum(e["current"]["people"] for e in data["levels"] if e["level"] == "village") == 4


def test_the_same_file_twice_is_a_warning(cli: CLI, rosters: tuple[Path, Path]) -> None:
    current, _ = rosters
    run = cli("report", current, "-b", current, "--baseline-as-of", "2026-12-31", "--format", "json")
    assert run.exit_code == 0
    assert any("同一个文件" in w for w in run.json["warnings"])
    county = level(run.json, "county")
    assert county["change"]["avg_age"] == 0.0 and county["wrong_way"] == []


# ---------------------------------------------------------------- bad input: one line naming the file


def test_an_unreadable_baseline_is_one_error_line_and_the_current_roster_is_still_reported(
    cli: CLI, rosters: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = rosters
    bad = badfiles.encrypted_xlsx(tmp_path)
    run = cli("report", current, "--baseline", bad, "--format", "json")
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and run.error_lines[0].startswith(ERROR_PREFIX)
    assert bad.name in run.error_lines[0] and "密码" in run.error_lines[0]
    assert level(run.json, "county")["current"]["people"] == 5
    assert run.json["errors"][0]["path"].endswith(bad.name)


@pytest.mark.parametrize("make", [badfiles.missing_path, badfiles.png_named_xlsx, badfiles.empty_csv])
def test_an_unreadable_village_list_is_one_error_line(
    cli: CLI, rosters: tuple[Path, Path], tmp_path: Path, make
) -> None:
    current, baseline = rosters
    bad = make(tmp_path)
    run = cli("report", current, "-b", baseline, "--villages", bad, "--format", "json")
    assert run.exit_code == 2
    [line] = run.error_lines
    assert line.startswith(ERROR_PREFIX) and bad.name in line
    assert run.json["villages_without_candidates"] == ["北岭村"]  # the rest is still reported


def test_a_village_list_with_no_village_names(cli: CLI, rosters: tuple[Path, Path], tmp_path: Path) -> None:
    current, _ = rosters
    listing = tmp_path / "名单.csv"
    listing.write_text("序号,备注\n1,无\n", encoding="utf-8")
    run = cli("report", current, "--villages", listing, "--format", "json")
    assert run.exit_code == 2
    [line] = run.error_lines
    assert "名单.csv" in line and "找不到村(社区)名称" in line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--baseline-as-of", "2027-01-01"], "晚于本期基准日"),
        (["--as-of", "2026-13-01"], "YYYY-MM-DD"),
        (["-o", "报告.csv"], ".xlsx"),
        (["--format", "csv"], "csv"),
    ],
)
def test_usage_errors(cli: CLI, rosters: tuple[Path, Path], args: list[str], words: str) -> None:
    current, baseline = rosters
    run = cli("report", current, "-b", baseline, *args)
    assert run.exit_code == 2
    assert words in run.stderr


def test_never_writes_over_an_input(cli: CLI, rosters: tuple[Path, Path]) -> None:
    current, baseline = rosters
    before = baseline.read_bytes()
    run = cli("report", current, "-b", baseline, "-o", baseline)
    assert run.exit_code == 2 and "输出文件不能与输入文件相同" in run.stderr
    assert baseline.read_bytes() == before


def test_a_rule_set_without_report_yaml_uses_the_default_and_says_so(cli: CLI, rosters, tmp_path: Path) -> None:
    current, baseline = rosters
    rules = copy_rules(tmp_path)
    (rules / "report.yaml").unlink()
    run = cli("report", current, "-b", baseline, "--rules", rules, "--format", "json")
    assert run.exit_code == 0
    assert any("没有 report.yaml" in n for n in run.json["notes"])


def test_ability_tags_and_the_college_threshold_are_rule_set_data(cli: CLI, rosters, tmp_path: Path) -> None:
    current, baseline = rosters
    rules = copy_rules(tmp_path)
    edit(rules / "report.yaml", "2021-01-01: {value: 大专,", "2021-01-01: {value: 本科,")
    edit(rules / "report.yaml", "value: [致富带头人,", "value: [种养殖能手, 致富带头人,")
    data = cli("report", current, "--rules", rules, "--format", "json").json
    county = level(data, "county")["current"]
    assert county["college_pct"] == 40.0  # 本科 and 硕士 of 5
    assert county["ability_pct"] == 60.0  # 种养殖能手 is on the same person as 致富带头人
    assert data["parameters"]["college_min_education"] == "本科"


def test_a_wrong_report_parameter_names_the_file_and_line(cli: CLI, rosters, tmp_path: Path) -> None:
    current, _ = rosters
    rules = copy_rules(tmp_path)
    edit(rules / "report.yaml", "2021-01-01: {value: 大专,", "2021-01-01: {value: 专科以上,")
    run = cli("report", current, "--rules", rules)
    assert run.exit_code == 2
    [line] = run.error_lines
    assert "report.yaml" in line and "college_min_education" in line and "专科以上" in line


def test_schema_command_publishes_the_report_schema(cli: CLI) -> None:
    run = cli("schema", "report")
    assert run.exit_code == 0
    assert run.json["title"] == "ReportOutput"
    assert {"levels", "channels", "villages_without_candidates"} <= set(run.json["required"])


def test_rules_check_checks_report_yaml(cli: CLI, tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    assert cli("rules", "check", rules).exit_code == 0
    edit(rules / "report.yaml", "      2021-01-01: {value: 5,", "      2021-01-01: {value: five,")
    run = cli("rules", "check", rules)
    assert run.exit_code == 2
    [line] = run.error_lines
    assert "report.yaml" in line and "term_years" in line


def test_a_person_listed_twice_is_counted_per_row_and_said(cli: CLI, tmp_path: Path) -> None:
    path = badfiles.write_roster_xlsx(tmp_path / "重复.xlsx", [*CURRENT, CURRENT[0]], HEADERS)
    data = cli("report", path, "--format", "json").json
    assert level(data, "county")["current"]["people"] == 6
    [message] = [f["message"] for f in data["findings"] if f["rule"] == "R07"]
    assert message.startswith("本期名册中有2行的身份证号码重复出现（D05）")


def test_without_a_baseline_the_workbook_shows_the_current_figures(cli: CLI, rosters, tmp_path: Path) -> None:
    current, _ = rosters
    out = tmp_path / "本期.xlsx"
    run = cli("report", current, "-o", out)
    assert run.exit_code == 0, run.stderr
    overview = openpyxl.load_workbook(out)["总览"]
    assert [overview.cell(6, c).value for c in range(1, 8)] == [
        "平均年龄（岁）",
        None,
        36.2,
        None,
        None,
        "下降",
        "无法比较",
    ]
    assert "未给出基期名册" in overview["A2"].value
    with zipfile.ZipFile(out) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 3 and all(c.count("<c:ser>") == 1 for c in charts)


def test_education_as_clerks_write_it(cli: CLI, tmp_path: Path) -> None:
    written = ["全日制本科", "初中毕业", "全日制大专", "大学专科", "中专(高中)", "高中文化"]
    people = [person(f"人{i}", dt.date(1990, 1, 1), 2 * i + 1, e, "东风村") for i, e in enumerate(written)]
    path = badfiles.write_roster_xlsx(tmp_path / "学历.xlsx", people, HEADERS)
    data = cli("report", path, "--format", "json").json
    assert level(data, "county")["current"]["college_pct"] == 50.0  # 本科, 大专, 大专 of 6
    assert [f for f in data["findings"] if f["rule"] == "R07"] == []  # every one read
