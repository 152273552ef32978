"""Rosters and department sheets written the way township clerks and departments really write
them, beyond the first round of reading fixes: health answers and lists under one negation,
evidence that says a person has *no* record, and more.

Each test writes the file a user would have and runs `cadretool vet --format json`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import badfiles
import openpyxl
import pytest
from conftest import CLI
from test_evidence import person, rules_of, vet_json, write_sheet
from test_reading_verdicts import rules, vet_people, write_roster

# ---------------------------------------------------------------- 1. health: lists, clauses and answers

HEALTHY = [
    "无精神疾病及重大疾病",
    "无高血压、糖尿病等重大疾病",
    "无严重疾病、重病",
    "无其他重大疾病",
    "无影响履职的重大疾病",
    "没得重病",
    "不属于重病",
    "重大疾病：无",
    "是否患有重大疾病：否",
    "严重疾病（无）",
    "身体健康无慢性病",
    "有高血压但能正常工作",
]
ILL = [
    "有无重大疾病：有",
    "是否患有重大疾病：是",
    "未治愈的重病",
    "患有无法治愈的重病",
    "无高血压，但患有重大疾病",
    "偏瘫，生活不能自理",
    "身体不好和重病",
]


def test_health_written_as_a_list_or_an_answer_is_read_as_the_clerk_meant(cli: CLI, tmp_path: Path) -> None:
    people = [{"姓名": f"人{i}", "健康状况": text} for i, text in enumerate(HEALTHY + ILL)]
    out = {p["name"]: p for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    verdicts = {text: (out[f"人{i}"]["status"], rules(out[f"人{i}"])) for i, text in enumerate(HEALTHY + ILL)}
    assert verdicts == {
        **{text: ("eligible", []) for text in HEALTHY},
        **{text: ("ineligible", ["Q09"]) for text in ILL},
    }


# ---------------------------------------------------------------- 2. evidence that says "no record"

ROSTER_IDS = [badfiles.person_id(i) for i in range(4)]
NAMES = ["张明华", "李秀英", "王建国", "赵丽"]


@pytest.mark.parametrize(
    "written",
    [
        "未受过刑事处罚",
        "无刑事处罚记录",
        "无涉黑涉恶情况",
        "经查，无赌博吸毒行为",
        "不属于失信被执行人",
        "非失信被执行人",
        "无违法信访和涉黑涉恶",
        "未发现涉及赌博",
        "/",
        "—",
    ],
)
def test_a_record_saying_the_person_has_no_such_record_is_no_hit(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, written: str
) -> None:
    evidence = write_sheet(
        tmp_path / "公安.xlsx",
        ["姓名", "公民身份号码", "问题类型", "来源单位"],
        [["赵丽", ROSTER_IDS[3], written, "县公安局"]],
    )
    data = vet_json(cli, roster_xlsx, evidence)
    zhao = person(data, "赵丽")
    assert (zhao["status"], [(f["rule"], f["severity"]) for f in zhao["findings"]]) == ("eligible", [("E02", "info")])
    assert data["unmatched_evidence"] == []


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("聚众赌博", "N05"),
        ("无赌博，但有吸毒", "N05"),
        ("未经批准参与非法宗教活动", "N05"),
        ("受过刑事处罚（盗窃罪）", "N01"),
    ],
)
def test_a_record_naming_an_item_plainly_is_still_a_hit(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, written: str, rule: str
) -> None:
    evidence = write_sheet(
        tmp_path / "公安.xlsx", ["姓名", "公民身份号码", "问题类型"], [["赵丽", ROSTER_IDS[3], written]]
    )
    zhao = person(vet_json(cli, roster_xlsx, evidence), "赵丽")
    assert (zhao["status"], rules_of(zhao)) == ("ineligible", [rule])


def test_a_sanction_sheet_writing_none_as_a_dash_or_a_no_is_nothing_found(
    cli: CLI, roster_xlsx: Path, tmp_path: Path
) -> None:
    rows = [
        [1, NAMES[0], ROSTER_IDS[0], "/", None],
        [2, NAMES[1], ROSTER_IDS[1], "否", None],
        [3, NAMES[2], ROSTER_IDS[2], "无处分", None],
        [4, NAMES[3], ROSTER_IDS[3], "党内严重警告处分", dt.date(2026, 2, 1)],
    ]
    evidence = write_sheet(
        tmp_path / "纪委监委.xlsx",
        ["序号", "姓名", "身份证号码", "处分类型", "处分时间"],
        [[c if c is not None else "" for c in r] for r in rows],
        title="纪委监委党风廉政意见回复",
    )
    data = vet_json(cli, roster_xlsx, evidence)
    found = {p["name"]: [(f["rule"], f["severity"]) for f in p["findings"]] for p in data["people"]}
    assert found == {
        "张明华": [("E02", "info")],
        "李秀英": [("E02", "info")],
        "王建国": [("E02", "info")],
        "赵丽": [("N03", "disqualify")],
    }


# ---------------------------------------------------------------- 3. flag columns asked as a question


@pytest.mark.parametrize(
    ("header", "rule"),
    [
        ("是否失信被执行人", "N10"),
        ("有无刑事处罚记录", "N01"),
        ("是否涉黑涉恶", "N02"),
        ("是否存在拉票贿选行为", "N06"),
        ("是否为不合格党员", "N08"),
        ("是否参与黄赌毒", "N05"),
        ("是否长期外出\n（是/否）", "N09"),
    ],
)
def test_a_flag_column_headed_as_a_question_is_read(cli: CLI, tmp_path: Path, header: str, rule: str) -> None:
    people = [{"姓名": "甲", header: "是"}, {"姓名": "乙", header: "否"}, {"姓名": "丙", header: "无此情形"}]
    out = {p["name"]: (p["status"], rules(p)) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {"甲": ("ineligible", [rule]), "乙": ("eligible", []), "丙": ("eligible", [])}


# ---------------------------------------------------------------- 4. "none" written as a phrase


def test_none_written_as_a_phrase_or_with_a_remark_is_no_value(cli: CLI, tmp_path: Path) -> None:
    optional = ["上年度考核等次", "处分类型", "受过刑事处罚", "涉黑涉恶", "近一年外出月数", "入党时间", "推荐方式"]
    phrases = [
        ["无（新进）", "未受过任何处分", "无此情形", "不存在", "未外出", "", "/（未推荐）"],
        ["新进", "无违纪违法情况", "未发现", "不涉及", "无", "", "无"],
        ["未考核（新任）", "从未受过处分", "否", "没有", "0", "", ""],
    ]
    people = [{"姓名": f"人{i}", **dict(zip(optional, row, strict=True))} for i, row in enumerate(phrases)]
    people.append(
        {"姓名": "群", "政治面貌": "群众", "入党时间": "未入党", "转正时间": "未转正", "现任职务": "无（新进）"}
    )
    out = {p["name"]: (p["status"], rules(p)) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {"人0": ("eligible", []), "人1": ("eligible", []), "人2": ("eligible", []), "群": ("eligible", [])}


def test_a_negated_phrase_in_a_required_yes_no_column_is_a_no(cli: CLI, tmp_path: Path) -> None:
    people = [
        {"姓名": "甲", "是否签订承诺书": "未签订"},
        {"姓名": "乙", "是否签订承诺书": "尚未签订承诺书"},
        {"姓名": "丙", "是否签订承诺书": "无法确定"},  # 无法 negates nothing: asked for, not read as 否
        {"姓名": "丁", "是否本村户籍": "不是本村户籍", "在村居住年限": "未居住"},  # years unknown: asked for
    ]
    out = {p["name"]: rules(p) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {"甲": ["Q10"], "乙": ["Q10"], "丙": ["D06", "D07"], "丁": ["D06"]}


# ---------------------------------------------------------------- 5. more posts clerks write

POSTS = [
    # (现任职务, 拟任职务, 出生年月, 政治面貌, expected rule ids)
    ("", "组织委员", "1990.06", "群众", ["Q06"]),  # a party branch committee member
    ("", "村党支部纪检委员", "1990.06", "中共党员", []),
    ("宣传委员", "宣传委员", "1972.06", "中共党员", []),  # an incumbent: 54 is within 55
    ("村民监督委员会主任", "村委委员", "1976.06", "群众", ["Q03"]),  # not a two-committee post
    ("驻村工作队队员", "村委委员", "1976.06", "群众", ["Q03"]),
    ("村级后备力量", "村委委员", "1976.06", "群众", ["Q03"]),  # no post at all: a new entrant
    ("无（新进）", "村委委员", "1976.06", "群众", ["Q03"]),
]


def test_more_posts_clerks_write_are_read(cli: CLI, tmp_path: Path) -> None:
    people = [
        {"姓名": f"人{i}", "现任职务": current, "拟任职务": proposed, "出生年月": born, "政治面貌": status}
        for i, (current, proposed, born, status, _) in enumerate(POSTS)
    ]
    out = {p["name"]: p for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert {case[:2]: rules(out[f"人{i}"]) for i, case in enumerate(POSTS)} == {case[:2]: case[-1] for case in POSTS}


# ---------------------------------------------------------------- 6. more footers


@pytest.mark.parametrize("column", ["序号", "姓名"])
def test_dates_times_and_counts_under_the_table_are_not_people(cli: CLI, tmp_path: Path, column: str) -> None:
    footers = ["2026年11月20日", "2026.11.20", "报送时间：2026.11.20", "共12人", "共 3 名", "上报日期：2026年11月"]
    footer = [[f if column == "序号" else "", f if column == "姓名" else ""] for f in ["", *footers]]
    path = write_roster(tmp_path / "r.xlsx", [{"姓名": "甲"}, {"姓名": "乙"}], footer=footer)
    run = cli("vet", path, "--format", "json", "-o", tmp_path / "o.xlsx")
    assert [p["name"] for p in run.json["people"]] == ["甲", "乙"]
    [sheet] = cli("inspect", path, "--format", "json").json["inputs"][0]["sheets"]
    assert [s["row"] for s in sheet["skipped_rows"]] == list(range(6, 6 + len(footers)))


# ---------------------------------------------------------------- 7. court and petition sheets


def test_a_court_charge_with_its_sentence_is_a_criminal_record(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(
        tmp_path / "法院.xlsx",
        ["序号", "姓名", "公民身份号码", "案号", "案由", "判决日期", "处理结果"],
        [
            [1, NAMES[0], ROSTER_IDS[0], "(2015)黔2702刑初88号", "盗窃罪", "2015-06-10", "判处有期徒刑六个月"],
            [2, NAMES[1], ROSTER_IDS[1], "(2020)黔2702刑初9号", "危险驾驶罪", "2020-03-01", "判处拘役二个月，并处罚金"],
            [3, NAMES[2], ROSTER_IDS[2], "", "无", "", "未发现涉诉记录"],
            [4, NAMES[3], ROSTER_IDS[3], "(2023)黔2702民初5号", "民间借贷纠纷", "2023-01-01", "调解结案"],
        ],
        title="福泉市人民法院联审情况反馈",
    )
    data = vet_json(cli, roster_xlsx, evidence)
    found = {p["name"]: [(f["rule"], f["severity"]) for f in p["findings"]] for p in data["people"]}
    assert found == {
        "张明华": [("N01", "disqualify")],
        "李秀英": [("N01", "disqualify")],
        "王建国": [("E02", "info")],
        "赵丽": [("E03", "review")],  # a civil case names no item: the analyst decides
    }
    assert "判处有期徒刑六个月" in person(data, "张明华")["findings"][0]["message"]


def test_a_petition_office_sheet_names_its_item_in_the_matter_column(
    cli: CLI, roster_xlsx: Path, tmp_path: Path
) -> None:
    evidence = write_sheet(
        tmp_path / "信访局.xlsx",
        ["身份证号", "姓名", "信访事项", "处理结果", "处理日期", "来源单位"],
        [
            [ROSTER_IDS[0], NAMES[0], "越级非访", "训诫", "2023-05-01", "市信访局"],
            [ROSTER_IDS[1], NAMES[1], "缠访闹访扰乱秩序", "行政拘留五日", "2024-03-01", "市信访局"],
            [ROSTER_IDS[2], NAMES[2], "违法信访", "训诫", "2019-01-01", "市信访局"],  # over 5 years
            [ROSTER_IDS[3], NAMES[3], "正常信访", "已办结", "2025-01-01", "市信访局"],
        ],
    )
    data = vet_json(cli, roster_xlsx, evidence)
    found = {p["name"]: [(f["rule"], f["severity"]) for f in p["findings"]] for p in data["people"]}
    assert found == {
        "张明华": [("N07", "disqualify")],
        "李秀英": [("N07", "disqualify")],
        "王建国": [("E02", "info")],
        "赵丽": [("E02", "info")],
    }


# ---------------------------------------------------------------- 8. the cadre form's birth date with the age after it


@pytest.mark.parametrize("written", ["1985.06\n（41岁）", "1985.06(41岁)", "1985年6月（41周岁）", "1985-06-15 (41岁)"])
def test_a_birth_date_followed_by_the_age_is_read(cli: CLI, tmp_path: Path, written: str) -> None:
    path = write_roster(tmp_path / "r.xlsx", [{"姓名": "甲", "出生年月": "1985.06"}])
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book.active[2]]
    book.active.cell(row=3, column=header.index("出生年月") + 1, value=written)
    book.save(path)
    [out] = vet_people(cli, path)
    assert (out["status"], rules(out)) == ("eligible", [])


def test_a_title_naming_no_village_gives_no_village(cli: CLI, tmp_path: Path) -> None:
    """道坪镇村“两委”换届… names the township only: the village stays blank (G rules say so),
    never the word 村."""
    import xlsxwriter
    from badfiles import HEADERS, people

    headers = [h for h in HEADERS if h not in ("乡镇(街道)", "村(社区)")]
    path = tmp_path / "名册.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sheet1")
    ws.write_string(0, 0, "道坪镇村“两委”换届意向人选花名册")
    ws.write_row(2, 0, headers)
    for r, someone in enumerate(people(), start=3):
        ws.write_row(r, 0, [str(someone.get(h, r)) for h in headers])
    book.close()
    run = cli("vet", path, "--format", "json")
    assert {(p["township"], p["village"]) for p in run.json["people"]} == {("道坪镇", None)}
