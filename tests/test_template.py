"""The blank roster template: headers, dropdowns, text ID cells, instructions, and a round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import RuleSet, default_rules_dir, load_ruleset
from cadretool.template import write_template

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(region: str, birth: str, sequence: int) -> str:
    """A valid GB 11643 ID number: region, yyyymmdd, 3-digit sequence (odd = male), check character."""
    body = f"{region}{birth}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset()


@pytest.fixture()
def template(tmp_path: Path, ruleset: RuleSet) -> Path:
    path = tmp_path / "template.xlsx"
    write_template(path, ruleset)
    return path


def headers_of(ws) -> list[str]:
    return [c.value for c in ws[3]]


def validation_for(ws, column: int):
    """The data validation covering row 4 of a column (1-based), or None."""
    cell = ws.cell(4, column).coordinate
    for dv in ws.data_validations.dataValidation:
        if cell in dv.sqref:
            return dv
    return None


def test_make_id_check_character() -> None:
    assert make_id("11010519491231", "", 2)[-1] == "X"  # GB 11643 example 11010519491231002X


def test_template_layout(template: Path, ruleset: RuleSet) -> None:
    book = openpyxl.load_workbook(template)
    ws = book["花名册"]
    assert ws["A1"].value.endswith("“两委”换届意向人选花名册")
    assert ws["A2"].value.startswith("填报单位")
    headers = headers_of(ws)
    assert headers[0] == "序号" and headers[-1] == "备注"
    assert headers[1:5] == ["姓名", "性别", "民族", "身份证号码"]
    for rule in ruleset.negative:
        assert rule.label in headers
    id_col = headers.index("身份证号码") + 1
    letter = ws.cell(3, id_col).column_letter
    assert ws.column_dimensions[letter].number_format == "@"
    assert ws.freeze_panes == "C4"
    id_dv = validation_for(ws, id_col)
    assert id_dv is not None and id_dv.type == "textLength" and id_dv.formula1 == "18"
    assert "文本" in id_dv.prompt
    for header, field in (("政治面貌", "political_status"), ("文化程度", "education")):
        dv = validation_for(ws, headers.index(header) + 1)
        assert dv is not None and dv.type == "list"
        values = ruleset.columns.fields[field].vocabulary.values
        assert dv.formula1.strip('"').split(",") == values
    assert validation_for(ws, headers.index("受过刑事处罚") + 1).formula1 == '"是,否"'
    pay = validation_for(ws, headers.index("岗位等级") + 1)
    assert (pay.type, pay.formula1, pay.formula2) == ("whole", "1", "13")
    assert "1985.03" in validation_for(ws, headers.index("出生年月") + 1).prompt
    assert "词表" not in book.sheetnames  # the default vocabularies all fit in a literal list
    notes = book["填表说明"]
    column_names = [row[0] for row in notes.iter_rows(values_only=True)]
    assert "身份证号码" in column_names
    row = next(r for r in notes.iter_rows(values_only=True) if r[0] == "政治面貌")
    assert "中共党员" in row[1] and "Q06" in row[2]


PEOPLE = [
    {
        "姓名": "张建国",
        "性别": "男",
        "民族": "汉族",
        "身份证号码": make_id("522702", "19850312", 131),
        "出生年月": "1985.03",
        "政治面貌": "中共党员",
        "入党时间": "2008.06",
        "转正时间": "2009.06",
        "文化程度": "本科",
        "学历类别": "全日制",
        "乡镇(街道)": "红旗镇",
        "村(社区)": "新华村",
        "现任职务": "书记",
        "拟任职务": "一肩挑",
        "推荐方式": "组织推荐",
        "是否本村户籍": "是",
        "在村居住年限": 38,
        "健康状况": "健康",
        "是否签订承诺书": "是",
        "上年度考核等次": "优秀",
        "近一年外出月数": 0,
        "村级意见": "通过",
        "乡镇初审意见": "通过",
        "岗位等级": 5,
        "档次": 2,
        "任正职届数": 1,
        "考核优秀次数": 2,
        "能力特长": "致富带头人",
    },
    {
        "姓名": "李晓梅",
        "性别": "女",
        "民族": "布依族",
        "身份证号码": make_id("522702", "19921005", 242),
        "出生年月": "1992.10",
        "政治面貌": "共青团员",
        "文化程度": "大专",
        "学历类别": "在职",
        "乡镇(街道)": "红旗镇",
        "村(社区)": "新华村",
        "拟任职务": "委员",
        "推荐方式": "群众推荐",
        "是否本村户籍": "是",
        "在村居住年限": 30,
        "健康状况": "健康",
        "是否签订承诺书": "是",
        "近一年外出月数": 1.5,
        "村级意见": "通过",
        "乡镇初审意见": "通过",
        "能力特长": "电商",
    },
    {
        "姓名": "王德明",
        "性别": "男",
        "民族": "汉族",
        "身份证号码": make_id("522702", "19780120", 355),
        "出生年月": "1978-01-20",
        "政治面貌": "群众",
        "文化程度": "高中",
        "学历类别": "全日制",
        "乡镇(街道)": "红旗镇",
        "村(社区)": "新华村",
        "现任职务": "副主任",
        "拟任职务": "副主任",
        "推荐方式": "党员推荐",
        "是否本村户籍": "否",
        "在村居住年限": 6,
        "健康状况": "良好",
        "是否签订承诺书": "是",
        "上年度考核等次": "称职",
        "近一年外出月数": 0,
        "村级意见": "通过",
        "乡镇初审意见": "通过",
        "岗位等级": 8,
        "档次": 1,
        "任正职届数": 0,
        "考核优秀次数": 0,
    },
]


def test_filled_template_reads_back_clean(template: Path, ruleset: RuleSet, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template)
    ws = book["花名册"]
    headers = headers_of(ws)
    by_header = {f.headers[0]: f for f in ruleset.columns.fields.values()}
    for i, person in enumerate(PEOPLE):
        row = {**person, **{rule.label: "否" for rule in ruleset.negative}}
        for header, value in row.items():
            field = by_header.get(header) or ruleset.columns.fields[ruleset.columns.match_header(header)]
            if field.vocabulary is not None:  # chosen from the dropdown
                assert value in field.vocabulary.values, (header, value)
            ws.cell(4 + i, headers.index(header) + 1, value)
        ws.cell(4 + i, 1, i + 1)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    roster = read_roster([filled], ruleset.columns)
    assert roster.errors == []
    assert len(roster.frame) == 3
    assert roster.problems.empty, roster.problems.to_string()
    frame = roster.frame
    assert list(frame["name"]) == ["张建国", "李晓梅", "王德明"]
    assert [d.strftime("%Y-%m") for d in frame["birth_date"]] == ["1985-03", "1992-10", "1978-01"]
    assert frame["current_post"].isna().tolist() == [False, True, False]
    assert not frame["flag_N01"].any()


def test_template_follows_changed_rule_set(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules, ignore=shutil.ignore_patterns("tests"))
    columns = rules / "columns.yaml"
    text = columns.read_text(encoding="utf-8")
    assert "headers: [民族]" in text
    text = text.replace("headers: [民族]", "headers: [族别, 民族]")
    # a vocabulary too long for a literal dropdown list goes to the hidden 词表 sheet
    extra = "".join(f"      其他推荐方式{i:02d}: []\n" for i in range(40))
    head = "  channel:\n    contains: true\n    values:\n"
    text = text.replace(head, head + extra)
    columns.write_text(text, encoding="utf-8")
    ruleset = load_ruleset(rules)

    path = tmp_path / "template.xlsx"
    write_template(path, ruleset)
    book = openpyxl.load_workbook(path)
    ws = book["花名册"]
    headers = headers_of(ws)
    assert "族别" in headers and "民族" not in headers
    assert book["词表"].sheet_state == "hidden"
    values = ruleset.columns.fields["recommended_by"].vocabulary.values
    dv = validation_for(ws, headers.index("推荐方式") + 1)
    assert dv.formula1.replace("'", "") == f"词表!$A$1:$A${len(values)}"
    assert [c.value for c in book["词表"]["A"]] == values
