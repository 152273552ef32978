"""Every output of one vet run says the same thing: finding order, ID text, verdict columns,
and every column the clerk typed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import badfiles
import openpyxl
from badfiles import HEADERS, people, person_id, write_roster_xlsx, wrong_check_char
from conftest import CLI


def _roster(tmp_path: Path) -> Path:
    rows = people()
    # a 群众 proposed as 书记 with a criminal record: Q06 and N01 both disqualify
    rows[2].update({"拟任职务": "书记", "受过刑事处罚": "是"})
    rows[3]["身份证号码"] = wrong_check_char(person_id(3))  # D01: shown as written everywhere
    return write_roster_xlsx(tmp_path / "城关镇.xlsx", rows, headers=[*HEADERS, "受过刑事处罚"])


def _verdicts_from_xlsx(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["花名册"]
    header = [c.value for c in ws[3]]
    name, failed = header.index("姓名"), header.index("不符合条款")
    return {row[name]: row[failed] or "" for row in ws.iter_rows(min_row=4, values_only=True) if row[name]}


def test_clauses_in_one_order_in_xlsx_csv_and_json(cli: CLI, tmp_path: Path) -> None:
    roster = _roster(tmp_path)
    xlsx, table = tmp_path / "out.xlsx", tmp_path / "out.csv"
    assert cli("vet", roster, "-o", xlsx).exit_code == 0
    assert cli("vet", roster, "-o", table).exit_code == 0
    in_xlsx = _verdicts_from_xlsx(xlsx)
    with table.open(encoding="utf-8-sig") as fh:
        in_csv = {r["姓名"]: r["不符合条款"] for r in csv.DictReader(fh)}
    assert in_xlsx["王建国"] == in_csv["王建国"] == "Q06；N01"  # the rule set's order, everywhere
    run = cli("vet", roster, "--format", "json")
    person = next(p for p in run.json["people"] if p["name"] == "王建国")
    assert [f["rule"] for f in person["findings"] if f["severity"] == "disqualify"] == ["Q06", "N01"]


def test_invalid_id_shown_as_written_in_json_and_finding_csv(cli: CLI, tmp_path: Path) -> None:
    roster = _roster(tmp_path)
    written = wrong_check_char(person_id(3))
    as_json = next(p for p in cli("vet", roster, "--format", "json").json["people"] if p["name"] == "赵丽")
    assert as_json["id_number"] == written
    rows = list(csv.DictReader(io.StringIO(cli("vet", roster, "--format", "csv").stdout)))
    d01 = [r for r in rows if r["rule"] == "D01"]
    assert d01 and all(r["id_number"] == written for r in d01)
    masked = list(csv.DictReader(io.StringIO(cli("vet", roster, "--format", "csv", "--mask-ids").stdout)))
    assert {r["id_number"] for r in masked if r["rule"] == "D01"} == {written[:6] + "********" + written[-4:]}


def test_csv_output_keeps_repeated_and_unnamed_columns(cli: CLI, tmp_path: Path) -> None:
    headers = [*HEADERS, "联系电话", "备注", "联系电话", ""]
    rows = people()
    for n, row in enumerate(rows):
        row["联系电话"] = f"1380000000{n}"
    path = tmp_path / "城关镇.xlsx"
    write_roster_xlsx(path, rows, headers=headers)
    # second 备注, second 联系电话 and a column with no header, written by hand
    book = openpyxl.load_workbook(path)
    ws = book.active
    width = len(HEADERS)
    for r in range(4, 4 + len(rows)):
        ws.cell(r, width + 2, f"第二备注{r}")
        ws.cell(r, width + 3, f"1390000000{r}")
        ws.cell(r, width + 4, f"无表头{r}")
    book.save(path)
    out = tmp_path / "out.csv"
    assert cli("vet", path, "-o", out).exit_code == 0
    with out.open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        table = list(reader)
        columns = reader.fieldnames or []
    letter = openpyxl.utils.get_column_letter(width + 4)
    for name in ("备注", "联系电话", "备注_2", "联系电话_2", f"列{letter}"):
        assert name in columns
    assert [r["备注_2"] for r in table] == [f"第二备注{r}" for r in range(4, 8)]
    assert [r["联系电话_2"] for r in table] == [f"1390000000{r}" for r in range(4, 8)]
    assert [r[f"列{letter}"] for r in table] == [f"无表头{r}" for r in range(4, 8)]
    assert columns[-4:] == ["审查结论", "不符合条款", "不符合说明", "需核实事项"]


def test_summary_counts_villages_for_slate_rules_with_no_hits(cli: CLI, tmp_path: Path) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")  # 东风村 has a young woman: no G finding
    out = tmp_path / "out.xlsx"
    assert cli("vet", roster, "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in ("G01", "G02", "Q01")}
    assert rows["G01"][3] == 0 and rows["G02"][3] == 0  # 村数 is 0, not blank
    assert rows["Q01"][3] is None  # a person rule has no 村数


def test_json_file_reports_the_unreadable_input_too(cli: CLI, tmp_path: Path) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")
    missing = tmp_path / "没有这个文件.xlsx"
    out = tmp_path / "result.json"
    run = cli("vet", roster, missing, "--format", "json", "--json", out)
    assert run.exit_code == 2
    on_stdout = run.json["errors"]
    in_file = json.loads(out.read_text(encoding="utf-8"))["errors"]
    assert on_stdout == in_file and len(in_file) == 1
    assert in_file[0]["path"].endswith("没有这个文件.xlsx")
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["people"] == 4
