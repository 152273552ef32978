"""`cadretool inspect`: what a township clerk sees before sending a roster up.

The header row and the rows are the numbers the clerk sees in Excel (or the CSV line
numbers); every data problem points at the row to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import badfiles
import pytest
from conftest import CLI

GOOD_ROSTERS = ["roster_xlsx", "roster_gbk_csv", "roster_bom_csv", "roster_two_row_header"]

EXPECTED_FIELDS = {
    "姓名": "name",
    "性别": "gender",
    "身份证号码": "id_number",
    "出生年月": "birth_date",
    "政治面貌": "political_status",
    "入党时间": "party_join_date",
    "转正时间": "party_full_date",
    "文化程度": "education",
    "乡镇(街道)": "township",
    "村(社区)": "village",
    "现任职务": "current_post",
    "拟任职务": "proposed_post",
    "是否本村户籍": "hukou_local",
    "健康状况": "health",
    "是否签订承诺书": "pledge_signed",
}


def _only_sheet(data: dict[str, Any]) -> dict[str, Any]:
    [inp] = data["inputs"]
    [sheet] = inp["sheets"]
    return sheet


@pytest.mark.parametrize("fixture", GOOD_ROSTERS)
def test_inspect_finds_the_header_and_maps_the_columns(cli: CLI, fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    run = cli("inspect", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    data = run.json
    assert data["schema_version"] == 1
    assert data["command"] == "inspect"
    assert data["summary"] == {"files": 1, "sheets": 1, "people": 4, "problems": 0}
    sheet = _only_sheet(data)
    if fixture == "roster_two_row_header":
        assert (sheet["header_row"], sheet["header_rows"]) == (2, 2)  # rows 2–3, merged
    else:
        assert (sheet["header_row"], sheet["header_rows"]) == (badfiles.HEADER_ROW, 1)
    assert sheet["rows"] == 4
    mapped = {c["header"]: c["field"] for c in sheet["columns"] if c["field"]}
    assert mapped == EXPECTED_FIELDS
    assert sheet["unmapped"] == ["序号", "备注"]
    id_column = next(c for c in sheet["columns"] if c["field"] == "id_number")
    assert id_column["column"] == "D"  # the column letter the clerk sees


@pytest.mark.parametrize(
    ("fixture", "encoding"), [("roster_gbk_csv", {"gbk", "gb18030"}), ("roster_bom_csv", {"utf-8-sig"})]
)
def test_inspect_reports_the_csv_encoding(
    cli: CLI, fixture: str, encoding: set[str], request: pytest.FixtureRequest
) -> None:
    run = cli("inspect", request.getfixturevalue(fixture), "--format", "json")
    [inp] = run.json["inputs"]
    assert inp["format"] == "csv"
    assert inp["encoding"] in encoding


def test_inspect_table_names_the_header_row_and_unmapped_columns(cli: CLI, roster_xlsx: Path) -> None:
    run = cli("inspect", roster_xlsx)
    assert run.exit_code == 0, run.stderr
    assert "表头在第 3 行" in run.stdout
    assert "4 人" in run.stdout
    assert "备注" in run.stdout
    assert "没有发现数据问题" in run.stdout


def test_a_footer_row_is_listed_as_skipped_not_counted(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people() + [{"序号": "填表人：王五    审核人：李六"}]
    path = badfiles.write_roster_xlsx(tmp_path / "带落款.xlsx", rows)
    run = cli("inspect", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    sheet = _only_sheet(run.json)
    assert sheet["rows"] == 4
    [footer] = sheet["skipped_rows"]
    assert int(footer["row"]) == 8
    assert "填表人" in footer["reason"]


def test_skipped_row_numbers_are_json_numbers(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people() + [{"序号": "填表人：王五"}]
    run = cli("inspect", badfiles.write_roster_xlsx(tmp_path / "带落款.xlsx", rows), "--format", "json")
    assert _only_sheet(run.json)["skipped_rows"][0]["row"] == 8


# ---------------------------------------------------------------- data problems on their rows


def _people_with_problems(id_as_text_for_csv: bool = False) -> list[dict[str, object]]:
    """Row 4: wrong check character; row 5: ID mangled by Excel; row 6: gender disagrees
    with the ID; row 7: an old 15-digit ID."""
    rows = badfiles.people()
    rows[0]["身份证号码"] = badfiles.wrong_check_char(str(rows[0]["身份证号码"]))
    rows[1]["身份证号码"] = "5.22702E+17" if id_as_text_for_csv else 5.22702e17
    rows[2]["性别"] = "女"  # the ID says 男
    rows[3]["身份证号码"] = "522702850130424"  # 赵丽, born 1985-01-30, sequence 424
    return rows


@pytest.fixture(params=["xlsx", "csv"])
def roster_with_problems(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "xlsx":
        return badfiles.write_roster_xlsx(tmp_path / "有问题.xlsx", _people_with_problems())
    # Excel saves a number-formatted ID into CSV as the text 5.22702E+17
    return badfiles.write_roster_csv(tmp_path / "有问题.csv", _people_with_problems(id_as_text_for_csv=True))


def test_inspect_lists_each_data_problem_on_its_excel_row(cli: CLI, roster_with_problems: Path) -> None:
    run = cli("inspect", roster_with_problems, "--format", "json")
    assert run.exit_code == 0, run.stderr  # data problems never stop a run
    data = run.json
    assert data["summary"]["people"] == 4  # and never drop a row
    found = {(p["row"], p["rule"], p["severity"]) for p in data["problems"]}
    assert found == {(4, "D01", "review"), (5, "D02", "review"), (6, "D03", "review"), (7, "D08", "info")}
    by_rule = {p["rule"]: p for p in data["problems"]}
    assert by_rule["D01"]["name"] == "张明华"
    assert "校验码" in by_rule["D01"]["message"]
    shown = by_rule["D02"]["id_number"]
    assert shown is None or not (len(shown) == 18 and shown[:17].isdigit())  # shown as written, never "repaired"
    assert "女" in by_rule["D03"]["message"] and "男" in by_rule["D03"]["message"]
    converted = "522702" + "19850130424"
    assert by_rule["D08"]["id_number"] == converted + badfiles.check_char(converted)
    assert data["summary"]["problems"] == 4


def test_inspect_table_shows_the_problem_rows(cli: CLI, roster_with_problems: Path, wide: None) -> None:
    run = cli("inspect", roster_with_problems)
    assert run.exit_code == 0, run.stderr
    assert "D01 1 处" in run.stdout and "D08 1 处" in run.stdout
    line_d03 = next(line for line in run.stdout.splitlines() if "D03" in line and "王建国" in line)
    assert "│ 6 " in line_d03


# ---------------------------------------------------------------- --mask-ids


def _every_full_id(rows: list[dict[str, object]]) -> list[str]:
    ids = [str(r["身份证号码"]) for r in badfiles.people()]
    ids += [str(r["身份证号码"]) for r in rows if isinstance(r["身份证号码"], str)]
    converted = "52270219850130424"
    return ids + [converted + badfiles.check_char(converted)]


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_mask_ids_never_shows_a_whole_number(cli: CLI, tmp_path: Path, fmt: str, wide: None) -> None:
    rows = _people_with_problems()
    path = badfiles.write_roster_xlsx(tmp_path / "有问题.xlsx", rows)
    run = cli("inspect", path, "--format", fmt, "--mask-ids")
    assert run.exit_code == 0, run.stderr
    for number in _every_full_id(rows):
        assert number not in run.stdout
        assert number[6:14] not in run.stdout  # not even the birth date part
    assert "522702********" in run.stdout


def test_a_skipped_row_is_said_once_in_plain_words(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people() + [{"序号": "合计", "姓名": "4人"}, {"序号": "填表人：王五"}]
    run = cli("inspect", badfiles.write_roster_xlsx(tmp_path / "带合计.xlsx", rows))
    assert run.exit_code == 0, run.stderr
    lines = [line.strip() for line in run.stdout.splitlines() if line.strip().startswith("第 ")]
    assert [line.split("：")[0] for line in lines] == ["第 8 行", "第 9 行"]
    assert all(line.count("未计入") == 1 for line in lines), lines
