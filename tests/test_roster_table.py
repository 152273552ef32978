"""Reading messy rosters into one table: headers found, columns mapped, problems on their rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ids import make_id

from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def book(rows: list[list[object]], name: str = "花名册") -> RawWorkbook:
    return RawWorkbook(Path("test.xlsx"), "xlsx", [RawSheet(name, rows)])


def rules_of(roster, person: int) -> list[str]:
    p = roster.problems
    return sorted(p.loc[p["person"] == person, "rule"])


def test_title_rows_and_blank_rows_above_the_header(ruleset) -> None:
    rows = [
        ["龙昌镇村(社区)“两委”换届意向人选花名册", "", "", ""],
        ["填报单位（盖章）：龙昌镇党委", "", "", "填报时间：2026年11月"],
        ["", "", "", ""],
        ["序号", "姓　名", "身份证号码\n（18位）", "出生年月"],
        [1, "张三", make_id("19850312", 11), "1985.03"],
        [2, "李 四", make_id("19900101", 22), "1990.01"],
        ["", "", "", ""],
        ["填表人：王五", "", "", ""],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    sheet = roster.sheets[0]
    assert sheet.header_row == 4
    assert sheet.mapping() == {"姓名": "name", "身份证号码\n(18位)": "id_number", "出生年月": "birth_date"} or set(
        sheet.mapping().values()
    ) == {"name", "id_number", "birth_date"}
    assert list(roster.frame["_row"]) == [5, 6]
    assert list(roster.frame["name"]) == ["张三", "李四"]
    assert sheet.unmapped() == ["序号"]
    assert [r for r, _ in sheet.skipped_rows] == [8]  # the footer is listed, not silently lost
    assert roster.problems.empty


def test_two_row_merged_header(ruleset) -> None:
    rows = [
        ["牛场镇花名册", "", "", "", ""],
        ["基本情况", "", "", "负面清单（是/否）", ""],
        ["姓名", "性别", "身份证号码", "受过刑事处罚", "涉黑涉恶"],
        ["赵六", "男", make_id("19800101", 31), "否", "是"],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    sheet = roster.sheets[0]
    assert (sheet.header_row, sheet.header_rows) in {(2, 2), (3, 1)}
    assert roster.frame.at[0, "flag_N02"] == True  # noqa: E712
    assert roster.frame.at[0, "_row"] == 4


def test_vertically_merged_two_row_header(ruleset) -> None:
    # 姓名 spans two rows (its lower cell empty); the flag labels sit under a group label
    rows = [
        ["姓名", "身份证号码", "负面清单", ""],
        ["", "", "受过刑事处罚", "拉票贿选"],
        ["钱七", make_id("19880808", 41), "否", "是"],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    sheet = roster.sheets[0]
    assert sheet.header_rows == 2 and sheet.header_row == 1
    assert set(sheet.mapping().values()) == {"name", "id_number", "flag_N01", "flag_N06"}
    assert roster.frame.at[0, "flag_N06"] == True  # noqa: E712


def test_a_group_label_named_after_its_columns_leaf_first(ruleset) -> None:
    """职务 merged over 现任 and 拟任: the leaf is read before its parent, 现任职务 and 拟任职务, so
    the post rules are not left without their columns."""
    rows = [
        ["道坪镇村(社区)“两委”换届意向人选花名册", "", "", "", ""],
        ["姓名", "身份证号码", "职务", "", "政治面貌"],
        ["", "", "现任", "拟任", ""],
        ["王大明", make_id("19700315", 11), "村委会主任", "党支部书记、村委会主任", "中共党员"],
    ]
    merged = [(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3), (1, 4, 2, 4)]
    roster = read_roster([RawWorkbook(Path("t.xlsx"), "xlsx", [RawSheet("花名册", rows, merged)])], ruleset.columns)
    sheet = roster.sheets[0]
    assert {"current_post", "proposed_post"} <= set(sheet.mapping().values())
    assert roster.frame.at[0, "proposed_post"] == "一肩挑"
    assert roster.frame.at[0, "current_post"] == "主任"


def test_a_person_written_on_two_lines_is_one_person(ruleset) -> None:
    """姓名 and 身份证号码 merged over two rows (a second line of posts): one person, not a duplicate
    (no D05 on the real one); the second line is listed, while 村 merged over a block fills every row."""
    rows = [
        ["序号", "村(社区)", "姓名", "身份证号码", "现任职务", "拟任职务"],
        [1, "红岩村", "冯一", make_id("19800101", 11), "村委会主任", "党支部书记"],
        ["", "", "", "", "村监委委员", "村委会主任"],
        [2, "", "陈二", make_id("19950101", 12), "", "委员"],
    ]
    merged = [(1, 0, 2, 0), (1, 2, 2, 2), (1, 3, 2, 3), (1, 1, 3, 1)]
    roster = read_roster([RawWorkbook(Path("t.xlsx"), "xlsx", [RawSheet("花名册", rows, merged)])], ruleset.columns)
    assert list(roster.frame["name"]) == ["冯一", "陈二"]
    assert list(roster.frame["village"]) == ["红岩村", "红岩村"]
    assert [r for r, _ in roster.sheets[0].skipped_rows] == [3]
    assert "D05" not in set(roster.problems["rule"])


def test_year_month_number_column_reads_1985_1_as_october(ruleset) -> None:
    rows = [
        ["姓名", "身份证号码", "出生年月"],
        ["甲", make_id("19851012", 11), 1985.1],
        ["乙", make_id("19900305", 21), 1990.03],
        ["丙", make_id("19921201", 31), 1992.12],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    assert roster.problems.empty, roster.problems.to_dict("records")
    assert list(roster.frame["birth_date"].dt.month) == [10, 3, 12]


def test_data_problems_land_on_their_rows(ruleset) -> None:
    good = make_id("19850312", 11)
    rows = [
        ["姓名", "性别", "身份证号码", "出生年月", "文化程度"],
        ["甲", "男", good[:-1] + ("0" if good[-1] != "0" else "1"), "1985.03", "高中"],  # D01
        ["乙", "男", 5.22702e17, "1985.03", "高中"],  # D02
        ["丙", "女", make_id("19850312", 13), "1985.03", "高中"],  # D03: sequence is odd (male)
        ["丁", "男", make_id("19850312", 15), "1986.03", "高中"],  # D04
        ["戊", "男", good, "1985.03", "高中"],  # D05 with row 7
        ["戊", "男", good, "1985.03", "大学肄业"],  # D05 + D07
        ["己", "男", "522702850312111", "1985.03", "初中"],  # D08: 15 digits
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    assert rules_of(roster, 0) == ["D01"]
    assert rules_of(roster, 1) == ["D02"]
    assert rules_of(roster, 2) == ["D03"]
    assert rules_of(roster, 3) == ["D04"]
    assert rules_of(roster, 4) == ["D05"]
    assert rules_of(roster, 5) == ["D05", "D07"]
    assert rules_of(roster, 6) == ["D08"]
    d08 = roster.problems[roster.problems["rule"] == "D08"].iloc[0]
    assert d08["severity"] == "info"
    assert roster.frame.at[6, "id_number"] == make_id("19850312", 111)[:17] + roster.frame.at[6, "id_number"][-1]
    d04 = roster.problems[roster.problems["rule"] == "D04"].iloc[0]
    assert d04["message"] == "出生年月填写为1986.03，身份证号码显示为1985.03，按身份证号码计算年龄"
    d05 = roster.problems[(roster.problems["rule"] == "D05") & (roster.problems["person"] == 4)].iloc[0]
    assert "第7行" in d05["message"]
    # no message prints a whole ID number
    for message in roster.problems["message"]:
        assert good not in message


def test_full_width_and_ideographic_spaces(ruleset) -> None:
    ident = make_id("19850312", 11)
    full = ident.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    rows = [["姓名", "身份证号码", "出生年月"], ["\u3000王\u3000芳\u3000", f"\u3000{full}", "１９８５年３月"]]
    roster = read_roster([book(rows)], ruleset.columns)
    assert roster.problems.empty, roster.problems.to_dict("records")
    assert roster.frame.at[0, "name"] == "王芳"
    assert roster.frame.at[0, "id_number"] == ident


def test_duplicates_across_files(ruleset, tmp_path: Path) -> None:
    ident = make_id("19850312", 11)
    a = book([["姓名", "身份证号码"], ["甲", ident]], "甲镇")
    b = RawWorkbook(Path("other.xlsx"), "xlsx", [RawSheet("乙镇", [["姓名", "身份证号码"], ["甲", ident]])])
    roster = read_roster([a, b], ruleset.columns)
    assert sorted(roster.problems["rule"]) == ["D05", "D05"]
    assert "other.xlsx" in roster.problems.iloc[0]["message"]


def test_unknown_columns_are_kept_for_write_back(ruleset, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    for c, h in enumerate(["姓名", "身份证号码", "联系电话", "备注"]):
        ws.write_string(0, c, h)
    ws.write_string(1, 0, "甲")
    ws.write_string(1, 1, make_id("19850312", 11))
    ws.write_string(1, 2, "13800000000")
    ws.write_datetime(1, 3, dt.datetime(2026, 1, 2), wb.add_format({"num_format": "yyyy-mm-dd"}))
    wb.close()
    roster = read_roster([path], ruleset.columns)
    sheet = roster.sheets[0]
    assert sheet.unmapped() == ["联系电话", "备注"]
    assert sheet.raw.rows[1][2] == "13800000000"
    assert isinstance(sheet.raw.rows[1][3], dt.date | dt.datetime)


def test_gbk_csv_with_title_line(ruleset, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    text = "仙桥乡花名册,,\r\n姓名,身份证号码,政治面貌\r\n张三," + make_id("19850312", 11) + ",党员\r\n"
    path.write_bytes(text.encode("gbk"))
    roster = read_roster([path], ruleset.columns)
    assert roster.inputs[0].encoding == "gb18030"
    assert roster.sheets[0].header_row == 2
    assert roster.frame.at[0, "political_status"] == "中共党员"
    assert roster.frame.at[0, "_row"] == 3


def test_every_row_is_a_person_or_listed(ruleset) -> None:
    rows = [["姓名", "身份证号码", "备注"]] + [[f"人{i}", "", ""] for i in range(5)] + [["", "", "合计5人"]]
    roster = read_roster([book(rows)], ruleset.columns)
    assert len(roster.frame) == 5
    assert roster.sheets[0].skipped_rows[0][0] == 7
    # a missing ID is a data problem on the row, not a reason to drop it
    assert set(roster.problems["rule"]) == {"D06"}


def test_frame_types_rules_read(ruleset) -> None:
    rows = [
        ["姓名", "身份证号码", "是否本村户籍", "在村居住年限", "文化程度", "现任职务"],
        ["甲", make_id("19850312", 11), "是", "3年", "大学本科", "无"],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    row = roster.frame.iloc[0]
    assert row["hukou_local"] == True  # noqa: E712
    assert row["residence_years"] == 3.0
    assert row["education"] == "本科"
    assert row["current_post"] is None or pd.isna(row["current_post"])
    assert roster.problems.empty


def test_township_merged_down_over_a_block_of_people(ruleset, tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("龙昌镇")
    for c, h in enumerate(["乡镇", "村(社区)", "姓名", "身份证号码"]):
        ws.write_string(0, c, h)
    ws.merge_range(1, 0, 3, 0, "龙昌镇")
    ws.merge_range(1, 1, 2, 1, "红星村")
    ws.write_string(3, 1, "白云村")
    for r, (name, seq) in enumerate([("甲", 11), ("乙", 21), ("丙", 31)], start=1):
        ws.write_string(r, 2, name)
        ws.write_string(r, 3, make_id("19850312", seq))
    wb.close()
    roster = read_roster([path], ruleset.columns)
    assert list(roster.frame["township"]) == ["龙昌镇"] * 3
    assert list(roster.frame["village"]) == ["红星村", "红星村", "白云村"]
    assert roster.sheets[0].raw.rows[2][0] == ""  # the sheet itself is not rewritten


@pytest.mark.parametrize(
    "written, post",
    [
        ("村党支部书记、村委会主任", "一肩挑"),
        ("党支部副书记（拟）", "副书记"),
        ("社区居委会委员", "委员"),
        ("村民小组长", "村民组长"),
        ("村委会主任兼村监委主任", "主任"),
        ("村委会副主任兼妇女主任", "副主任"),
        ("党支部书记\n村委会主任", "一肩挑"),  # a line break between two titles
        ("党支部副书记兼村委会主任", "主任"),
        ("驻村第一书记", "第一书记"),
        ("村务监督委员会委员", "监委会委员"),
        ("村（居）委会主任", "主任"),
        ("村(社区)党组织书记、村(居)委会主任（一肩挑）", "一肩挑"),
        ("村“两委”委员", "委员"),
        ("党组书记", None),
        ("书记员", None),
        ("副书", None),
    ],
)
def test_posts_written_out_in_full(ruleset, written: str, post: str | None) -> None:
    rows = [["姓名", "身份证号码", "拟任职务"], ["甲", make_id("19850312", 11), written]]
    roster = read_roster([book(rows)], ruleset.columns)
    got = roster.frame.at[0, "proposed_post"]
    assert (None if got is None or pd.isna(got) else got) == post
    # a text that is not whole titles is not guessed: it is a data problem on the row
    assert list(roster.problems["rule"]) == ([] if post else ["D07"])


def test_totals_footers_examples_and_column_numbers_are_not_people(ruleset) -> None:
    rows = [
        ["序号", "姓名", "性别", "身份证号码"],
        [1, 2, 3, 4],  # the column-number row under a header
        ["示例", "张三", "男", "522702198001011234"],
        [1, "李明", "男", make_id("19850312", 11)],
        ["", "", "", ""],
        ["小计", "1人", "", ""],
        ["合计：1人", "", "", ""],
        ["制表人：王五", "", "审核人：", ""],
    ]
    roster = read_roster([book(rows)], ruleset.columns)
    assert list(roster.frame["name"]) == ["李明"]
    skipped = dict(roster.sheets[0].skipped_rows)
    assert sorted(skipped) == [2, 3, 6, 7, 8]
    assert skipped[2].startswith("列序号行") and skipped[3].startswith("填写示例行")
    assert skipped[6].startswith("合计行") and "制表人" in skipped[8]


HEADER_VARIANTS = {
    "name": ["姓名", "姓 名", "人员姓名"],
    "id_number": ["身份证号码", "公民身份号码", "身份证号", "身份证号码（18位）"],
    "birth_date": ["出生年月", "出生日期"],
    "political_status": ["政治面貌", "政治面目"],
}
TITLES = ["XX镇村(社区)“两委”换届意向人选花名册", "填报单位（盖章）：", "", "单位：人"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    titles=st.lists(st.sampled_from(TITLES), max_size=6),
    choice=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in HEADER_VARIANTS.items()}),
    order=st.permutations(list(HEADER_VARIANTS)),
    lead=st.integers(min_value=0, max_value=3),
    people=st.integers(min_value=1, max_value=5),
)
def test_header_found_below_any_title_rows(ruleset, titles, choice, order, lead, people) -> None:
    """Whatever title and blank rows sit above it, and whichever header words a clerk used,
    the header row is found, every column maps, and every person keeps their Excel row."""
    pad = [""] * lead  # the table need not start in column A
    rows = [[t] for t in titles]
    rows.append(pad + [choice[f] for f in order])
    for i in range(people):
        values = {
            "name": f"人{i}",
            "id_number": make_id("19850312", 11 + 2 * i),
            "birth_date": "1985.03",
            "political_status": "群众",
        }
        rows.append(pad + [values[f] for f in order])
    roster = read_roster([book(rows)], ruleset.columns)
    sheet = roster.sheets[0]
    assert sheet.header_row == len(titles) + 1
    assert set(sheet.mapping().values()) == set(order)
    assert list(roster.frame["_row"]) == [len(titles) + 2 + i for i in range(people)]
    assert roster.problems.empty, roster.problems.to_dict("records")
