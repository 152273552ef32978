"""`cadretool pay`, `bonus`, `explain --pay` and `schema pay|bonus` as a finance clerk and a script
use them: exit codes, written workbooks, deterministic JSON that keeps to its schema, masked IDs."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import paydata
import pytest
from conftest import CLI
from paydata import ADJUSTMENT_HEADERS, INCOME_HEADERS, cadre, income

from cadretool.output.schema import BonusOutput, PayOutput


@pytest.fixture
def staff() -> list[dict[str, object]]:
    return [
        cadre("张三", "党支部书记", 3, 2, "优秀", "本科"),
        cadre("李四", "村委会委员", 9, 3, "", "", village="西山村"),
        cadre("王五", "村民小组长", "", ""),
    ]


@pytest.fixture
def roster(tmp_path: Path, staff: list[dict[str, object]]) -> Path:
    return paydata.roster(tmp_path / "城关镇花名册.xlsx", staff)


def test_schema_commands_publish_pay_and_bonus(cli: CLI) -> None:
    for command, title in (("pay", "PayOutput"), ("bonus", "BonusOutput")):
        run = cli("schema", command)
        assert run.exit_code == 0
        schema = json.loads(run.stdout)
        assert schema["title"] == title and "$defs" in schema


def test_pay_table_writes_the_payroll_beside_the_roster(cli: CLI, roster: Path, wide: None) -> None:
    run = cli("pay", roster, "--month", "2026年11月")
    assert run.exit_code == 0, run.stderr
    written = roster.with_name("城关镇花名册_工资表_2026-11.xlsx")
    assert f"已写出 {written}" in run.stdout and "全县合计" in run.stdout
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["汇总", "城关镇", "规则", "参数"]
    rules = {row[0].value: row[1].value for row in book["规则"].iter_rows(max_row=5)}
    assert rules["月份"] == "2026-11" and len(rules["SHA-256"]) == 64
    again = cli("pay", roster, "--month", "2026-11", "--quiet")
    assert again.exit_code == 0 and again.stdout == ""
    assert roster.with_name("城关镇花名册_工资表_2026-11(2).xlsx").exists()  # never over the first


def test_a_payroll_in_the_roster_folder_is_not_read_as_a_roster(cli: CLI, roster: Path) -> None:
    assert cli("pay", roster, "--month", "2026-11", "-q").exit_code == 0
    run = cli("pay", roster.parent, "--month", "2026-11", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [x["name"] for x in run.json["lines"]] == ["张三", "李四"]
    assert any("已跳过" in n for n in run.json["notes"])


def test_pay_json_is_deterministic_and_keeps_to_its_schema(cli: CLI, tmp_path: Path, roster: Path) -> None:
    adjustments = paydata.write_xlsx(
        tmp_path / "奖惩.xlsx",
        ADJUSTMENT_HEADERS,
        [{"身份证号码": "5.22702E+17", "姓名": "张三", "金额": "100", "事由": "奖励", "月份": "2026-11"}],
    )
    args = ["pay", roster, "--month", "2026-11", "--adjustments", adjustments, "--format", "json"]
    first, second = cli(*args), cli(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    data = PayOutput.model_validate(first.json)
    by_name = {line.name: line for line in data.lines}
    # 党支部书记 3级2档: 2000 + 10 × 160 + 40 = 3640; 本科 182.00; 优秀 873.60
    assert (by_name["张三"].post_pay, by_name["张三"].degree_uplift, by_name["张三"].total) == (
        "3640.00",
        "182.00",
        "4695.60",
    )
    assert by_name["张三"].adjustments == "0.00"  # an ID Excel mangled is never joined
    assert [f.rule for f in by_name["张三"].findings] == ["P07"]
    assert data.adjustments[0].status == "unmatched"
    assert not list(tmp_path.glob("*工资表*"))  # JSON alone writes no workbook


def test_masked_ids_everywhere(cli: CLI, tmp_path: Path, roster: Path, staff: list[dict[str, object]]) -> None:
    out = tmp_path / "工资.xlsx"
    run = cli("pay", roster, "--month", "2026-11", "--format", "json", "--mask-ids", "-o", out)
    assert run.exit_code == 0, run.stderr
    ids = [str(p["身份证号码"]) for p in staff]
    assert not any(i in run.stdout for i in ids)
    assert all("********" in line["id_number"] for line in run.json["lines"])
    cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row)
    assert not any(i in cells for i in ids)


def test_bonus_table_and_json(cli: CLI, tmp_path: Path, roster: Path) -> None:
    path = paydata.write_xlsx(
        tmp_path / "收益.xlsx",
        INCOME_HEADERS,
        [income("城关镇", "东风村", "1,000.00元"), income("城关镇", "西山村", 0)],
    )
    run = cli("bonus", roster, "--income", path, "--year", "2026", "-o", tmp_path / "奖励.xlsx")
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "奖励.xlsx")
    assert book.sheetnames == ["汇总", "城关镇", "未使用收益记录", "规则", "参数"]
    rows = [[c.value for c in r] for r in book["城关镇"].iter_rows(min_row=4)]
    assert [(r[2], r[5], r[6]) for r in rows if isinstance(r[0], int)] == [
        ("张三", "“两委”干部", 300),
        ("王五", "村民组长", 100),
    ]
    data = cli("bonus", roster, "--income", path, "--year", "2026", "--format", "json")
    parsed = BonusOutput.model_validate(data.json)
    assert [(v.village, v.cadre_pool, v.leader_pool) for v in parsed.villages] == [
        ("东风村", "300.00", "100.00"),
        ("西山村", "0.00", "0.00"),
    ]


def test_explain_pay_names_every_value_and_parameter(cli: CLI, roster: Path, wide: None) -> None:
    run = cli("explain", roster, "--id", "张三", "--pay", "2026-11", "--format", "json")
    assert run.exit_code == 0, run.stderr
    [person] = run.json["people"]
    assert run.json["pay_month"] == "2026-11" and person["total"] == "4695.60"
    components = {c["component"]: c for c in person["components"]}
    assert components["post_pay"]["how"] == "2000.00 + (13 − 3) × 160.00 + (2 − 1) × 40.00 = 3640.00"
    assert components["degree_uplift"]["how"] == "3640.00 × 5% = 182.00"
    assert components["performance_pay"]["how"] == "3640.00 × 20% × 1.2 = 873.60"
    base = components["post_pay"]["parameters"][0]
    assert (base["name"], base["value"], base["from"]) == ("post_pay_base", 2000, "2021-01-01")
    assert base["reference"]
    table = cli("explain", roster, "--id", "张三", "--pay", "2026-11")
    assert "3640.00 × 20% × 1.2 = 873.60" in table.stdout and "post_pay_base = 2000" in table.stdout
    nobody = cli("explain", roster, "--id", "王五", "--pay", "2026-11")
    assert nobody.exit_code == 2 and "工资表中找不到" in nobody.stderr


def test_a_gbk_csv_roster_with_pay_columns(cli: CLI, tmp_path: Path, staff: list[dict[str, object]]) -> None:
    path = paydata.roster(tmp_path / "花名册.csv", staff)
    run = cli("pay", path, "--month", "2026-11", "--format", "json")
    assert run.exit_code == 0, run.stderr
    # 李四 9级3档 not yet assessed: 2000 + 4 × 160 + 2 × 40 = 2720, performance 544
    assert [x["total"] for x in run.json["lines"]] == ["4695.60", "3264.00"]


def test_a_roster_without_pay_columns_says_so_once(cli: CLI, tmp_path: Path) -> None:
    rows = [cadre("甲"), cadre("乙")]
    path = paydata.roster(
        tmp_path / "花名册.xlsx", rows, headers=["姓名", "身份证号码", "乡镇(街道)", "村(社区)", "现任职务"]
    )
    run = cli("pay", path, "--month", "2026-11", "--format", "json")
    assert run.exit_code == 0
    assert run.json["inputs"][0]["sheets"][0]["notes"] == ["本表没有 “岗位等级”、“档次” 列"]
    assert all(x["findings"][0]["rule"] == "P02" for x in run.json["lines"])
