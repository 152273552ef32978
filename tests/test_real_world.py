"""Rosters as clerks really make them: one sheet per village, Excel-saved CSVs, placeholders,
hidden sheets, missing columns, a second run over the same folder."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from ids import make_id
from typer.testing import CliRunner

from cadretool.cli import app
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet

runner = CliRunner()


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def write_book(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        if name in hidden:
            ws.hide()
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif v is not None:
                    ws.write_number(r, c, v)
    wb.close()
    return path


HEADER = [
    "姓名",
    "性别",
    "身份证号码",
    "拟任职务",
    "现任职务",
    "政治面貌",
    "文化程度",
    "是否本村户籍",
    "健康状况",
    "是否签订承诺书",
]


def person(name: str, gender: str, birth: str, seq: int, post: str = "委员") -> list[object]:
    return [name, gender, make_id(birth, seq), post, post, "中共党员", "高中", "是", "健康", "是"]


def test_one_sheet_per_village_names_the_village(ruleset, tmp_path: Path) -> None:
    """No 村 column: the sheet name is the village, the title the township, and G01/G02 apply."""
    title = ["道坪镇村(社区)“两委”换届人选花名册"]
    book = write_book(
        tmp_path / "道坪镇.xlsx",
        {
            "岩寨村": [title, HEADER, person("甲", "男", "19700101", 11), person("乙", "男", "19720202", 21)],
            "新桥村": [title, HEADER, person("丙", "女", "19950101", 32), person("丁", "男", "19800101", 41)],
        },
    )
    result = vet([book], ruleset)
    assert set(result.people["village"]) == {"岩寨村", "新桥村"}
    assert set(result.people["township"]) == {"道坪镇"}
    groups = result.group_findings
    assert set(groups.loc[groups["village"] == "岩寨村", "rule"]) == {"G01", "G02"}
    assert groups.loc[groups["village"] == "新桥村"].empty
    assert any("取自工作表名" in note for note in result.roster.sheets[0].notes)


def test_excel_saved_csv_reads_1986_1_as_october(ruleset, tmp_path: Path) -> None:
    rows = ["马场坪街道花名册,,", "姓名,身份证号码,出生年月"]
    rows += [
        f"人{i},{make_id(f'1986{m:02d}15', i)},1986.{m:02d}".replace(".10", ".1")
        for i, m in enumerate([3, 10, 12, 1, 10], start=1)
    ]
    path = tmp_path / "导出.csv"
    path.write_bytes("\r\n".join(rows).encode("gbk"))
    roster = read_roster([path], ruleset.columns)
    assert list(roster.frame["birth_date"].dt.month) == [3, 10, 12, 1, 10]
    assert roster.problems.empty, roster.problems.to_dict("records")


def test_placeholders_in_date_cells_are_blank_not_problems(ruleset) -> None:
    rows = [
        ["姓名", "身份证号码", "政治面貌", "入党时间", "转正时间", "在村居住年限"],
        ["甲", make_id("19850312", 11), "群众", "/", "—", "3年6个月"],
    ]
    roster = read_roster([RawWorkbook(Path("a.xlsx"), "xlsx", [RawSheet("s", rows)])], ruleset.columns)
    assert roster.problems.empty, roster.problems.to_dict("records")
    assert roster.frame.at[0, "residence_years"] == 3.5


def test_roster_without_current_post_column_asks_instead_of_guessing(ruleset, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "现任职务"]
    row = person("甲", "男", "19760101", 11)
    del row[4]
    book = write_book(tmp_path / "r.xlsx", {"s": [header, row]})
    result = vet([book], ruleset)
    d06 = result.findings[result.findings["rule"] == "D06"]
    assert any("现任职务" in m and "Q03" in m for m in d06["message"])
    assert result.people.at[0, "status"] == "review"


def test_hidden_sheet_is_not_vetted_but_written_back_hidden(ruleset, tmp_path: Path) -> None:
    book = write_book(
        tmp_path / "r.xlsx",
        {
            "本届": [HEADER, person("甲", "男", "19850101", 11)],
            "2021届(勿删)": [HEADER, person("老", "男", "19550101", 21)],
        },
        hidden=("2021届(勿删)",),
    )
    result = vet([book], ruleset)
    assert list(result.people["name"]) == ["甲"]
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["vet", str(book), "-o", str(out), "--quiet"]).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["本届", "2021届(勿删)"]
    assert wb["2021届(勿删)"].sheet_state == "hidden"


def test_second_run_over_a_shell_glob_skips_the_first_results(tmp_path: Path, monkeypatch) -> None:
    book = write_book(tmp_path / "村.xlsx", {"s": [HEADER, person("甲", "男", "19850101", 11)]})
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["vet", book.name, "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["vet", book.name, "村_审查结果.xlsx", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["people"] == 1
    assert "已跳过" in result.stderr


def test_explain_finds_a_person_by_an_invalid_number_as_written(tmp_path: Path) -> None:
    bad = make_id("19850312", 11)[:-1] + ("0" if make_id("19850312", 11)[-1] != "0" else "1")
    book = write_book(
        tmp_path / "r.xlsx", {"s": [HEADER, ["甲", "男", bad, "委员", "委员", "中共党员", "高中", "是", "健康", "是"]]}
    )
    result = runner.invoke(app, ["explain", str(book), "--id", bad, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    person_out = json.loads(result.stdout)["people"][0]
    assert person_out["id_number"] == bad
    assert "D01" in {other["rule"] for other in person_out["other_findings"]}
