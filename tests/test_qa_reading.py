"""Rosters and department sheets written the way township clerks and departments really write
them, beyond the first round of reading fixes: health answers and lists under one negation,
evidence that says a person has *no* record, and more.

Each test writes the file a user would have and runs `cadretool vet --format json`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import badfiles
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
