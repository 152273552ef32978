"""Month to month (SPEC §6.5): the 变动 against last month's payroll (a workbook or JSON this tool
wrote), back pay (补发) when a pay value is dated back or the roster dates a level back with
定级时间, and the explanation of a line with both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import paydata
import pytest
from conftest import CLI
from paydata import ADJUSTMENT_HEADERS, adjustment, cadre
from rulesets import copy_rules, edit

from cadretool.money import parse_month
from cadretool.output.pay_json import pay_json
from cadretool.output.pay_workbook import write_pay_workbook
from cadretool.output.schema import PayOutput
from cadretool.output.tables import dumps
from cadretool.pay import pay
from cadretool.rules.ruleset import load_ruleset


def write_payroll(
    tmp_path: Path, rows: list[dict[str, Any]], month: str, kind: str = "xlsx", rules: Path | None = None
) -> Path:
    """The payroll of `month` as this tool writes it."""
    roster = paydata.roster(tmp_path / f"花名册_{month}.xlsx", rows)
    result = pay([roster], load_ruleset(rules), month=parse_month(month))
    path = tmp_path / f"{month}_工资表.{kind}"
    if kind == "xlsx":
        write_pay_workbook(path, result)
    else:
        path.write_text(dumps(pay_json(result)), encoding="utf-8")
    return path


def run(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    previous: list[Path],
    rules: Path | None = None,
    back_pay_from: str | None = None,
    adjustments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    roster = paydata.roster(tmp_path / "花名册.xlsx", rows)
    files = [paydata.write_xlsx(tmp_path / "奖惩.xlsx", ADJUSTMENT_HEADERS, adjustments)] if adjustments else []
    result = pay(
        [roster],
        load_ruleset(rules),
        month=parse_month("2026-11"),
        adjustments=files,
        previous=previous,
        back_pay_from=parse_month(back_pay_from) if back_pay_from else None,
    )
    data = pay_json(result)
    PayOutput.model_validate(data)
    return data


@pytest.fixture
def staff() -> list[dict[str, Any]]:
    return [
        cadre("甲", "委员", 13, 1),
        cadre("乙", "委员", 12, 1),
        cadre("丙", "副主任", 9, 1, "称职"),
        cadre("丁", "委员", 10, 1, "称职", ""),
        cadre("戊", "委员", 10, 1),
    ]


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_changes_against_last_month(tmp_path: Path, staff: list[dict[str, Any]], kind: str) -> None:
    october = write_payroll(tmp_path, staff, "2026-10", kind)
    newcomer = cadre("己", "委员", 13, 1)
    now = [
        staff[0],  # unchanged: not listed
        {**staff[1], "岗位等级": 11},  # level 12 → 11
        {**staff[2], "上年度考核等次": "优秀"},  # grade
        {**staff[3], "在职学历": "本科"},  # degree
        newcomer,
    ]  # 戊 left
    data = run(tmp_path, now, [october], adjustments=[adjustment(staff[0], 0.0), adjustment(newcomer, 50)])
    assert data["previous"] == [{"source": str(october), "month": "2026-10", "lines": 5}]
    changes = {c["name"]: c for c in data["changes"]}
    assert set(changes) == {"乙", "丙", "丁", "己", "戊"}
    assert changes["己"]["kind"] == "joined" and changes["戊"]["kind"] == "left"
    assert changes["戊"]["components"][-1] == {
        "component": "total",
        "before": "2976.00",
        "after": None,
        "cause": "本月不在工资表：花名册中没有此人，或现任职务已不是“两委”职务",
    }
    level = {c["component"]: c for c in changes["乙"]["components"]}
    assert (level["post_pay"]["before"], level["post_pay"]["after"]) == ("2160.00", "2320.00")
    assert "岗位等级/档次 12级1档 → 11级1档" in level["post_pay"]["cause"]
    assert "岗位等级/档次" in level["performance_pay"]["cause"]
    grade = {c["component"]: c for c in changes["丙"]["components"]}
    assert set(grade) == {"performance_pay", "total"} and "考核等次 称职 → 优秀" in grade["performance_pay"]["cause"]
    degree = {c["component"]: c for c in changes["丁"]["components"]}
    assert set(degree) == {"degree_uplift", "total"} and "在职学历 无 → 本科" in degree["degree_uplift"]["cause"]
    assert (degree["degree_uplift"]["before"], degree["degree_uplift"]["after"]) == ("0.00", "124.00")


def test_changes_against_an_earlier_month_than_the_last_say_so(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    september = write_payroll(tmp_path, staff, "2026-09")
    data = run(tmp_path, staff, [september])
    assert data["changes"] == []
    assert f"变动是与 2026-09 的工资表（{september}）比较的，没有给出上月 2026-10 的工资表" in data["notes"]
    october = write_payroll(tmp_path, staff, "2026-10")
    assert not any("变动是与" in n for n in run(tmp_path, staff, [september, october])["notes"])


def test_an_adjustment_is_a_change_with_its_reason(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    october = write_payroll(tmp_path, staff, "2026-10")
    data = run(tmp_path, staff, [october], adjustments=[adjustment(staff[4], -30, reason="会议缺席扣款")])
    [change] = data["changes"]
    assert change["name"] == "戊" and change["kind"] == "changed"
    [adj, total] = change["components"]
    assert (adj["component"], adj["before"], adj["after"]) == ("adjustments", "0.00", "-30.00")
    assert "会议缺席扣款 -30.00" in adj["cause"]
    assert (total["before"], total["after"]) == ("2976.00", "2946.00")


def test_a_value_dated_back_is_back_pay_by_month(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    september = write_payroll(tmp_path, staff, "2026-09")
    october = write_payroll(tmp_path, staff, "2026-10", "json")
    rules = copy_rules(tmp_path)
    old = "      2021-01-01: {value: 2000, reference: "
    line = next(x for x in (rules / "pay.yaml").read_text(encoding="utf-8").splitlines() if x.startswith(old))
    edit(
        rules / "pay.yaml",
        line,
        line + "\n      2026-09-01: {value: 2100, reference: 县财政局2026年11月通知，自9月起执行}",
    )
    data = run(tmp_path, staff, [september, october], rules=rules, back_pay_from="2026-09")
    back = {(b["name"], b["month"]): b for b in data["back_pay"]}
    assert len(back) == 10  # five people, two months
    first = back[("甲", "2026-09")]
    # level 13 step 1 称职: due 2100 + 420 = 2520.00, paid 2000 + 400 = 2400.00
    assert (first["due"], first["paid"], first["difference"]) == ("2520.00", "2400.00", "120.00")
    assert "post_pay_base" in first["cause"] and "2026-09-01" in first["cause"] and "县财政局" in first["cause"]
    assert {c["component"]: (c["due"], c["paid"]) for c in first["components"]}["post_pay"] == ("2100.00", "2000.00")
    # every line gains 100 post pay and 20% performance (all 称职, no degree): 120.00 a month
    assert data["back_pay_total"] == "1200.00"
    # 2520 + 2712 + 3288 + 3096 + 3096: back pay is never folded into the month's total
    assert data["totals"]["county"] == "14712.00"
    # last month's payroll differs from last month under today's rules: the change says why
    assert all("按现行规则集上月应为" in c["components"][0]["cause"] for c in data["changes"])


def test_a_level_dated_back_by_the_roster_is_back_pay(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    september = write_payroll(tmp_path, staff, "2026-09")
    october = write_payroll(tmp_path, staff, "2026-10")
    promoted = [{**staff[0], "岗位等级": 12, "定级时间": "2026.10"}, *staff[1:]]
    data = run(tmp_path, promoted, [september, october], back_pay_from="2026-09")
    [back] = data["back_pay"]  # September was paid at level 13 rightly; October is owed
    assert (back["name"], back["month"]) == ("甲", "2026-10")
    # level 12: 2160 + 432 = 2592.00; paid 2400.00
    assert (back["due"], back["paid"], back["difference"]) == ("2592.00", "2400.00", "192.00")
    assert "定级时间 2026-10：岗位等级/档次 13级1档 → 12级1档" in back["cause"]
    assert data["back_pay_total"] == "192.00"


def test_an_overpayment_is_a_finding_never_a_deduction(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    october = write_payroll(tmp_path, staff, "2026-10", "json")
    data = json.loads(october.read_text(encoding="utf-8"))
    data["lines"][0]["total"] = "2500.00"  # 甲 was paid 100.00 too much
    october.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(tmp_path, staff, [october], back_pay_from="2026-10")
    [back] = result["back_pay"]
    assert (back["due"], back["paid"], back["difference"]) == ("2400.00", "2500.00", "-100.00")
    assert [f["rule"] for f in back["findings"]] == ["P08"] and "多发 100.00 元" in back["findings"][0]["message"]
    assert result["back_pay_total"] == "0.00"
    assert result["totals"]["county"] == "14112.00"  # 2400 + 2592 + 3168 + 2976 + 2976


def test_back_pay_needs_every_month_paid(cli: CLI, tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    october = write_payroll(tmp_path, staff, "2026-10")
    roster = paydata.roster(tmp_path / "花名册.xlsx", staff)
    run_ = cli(
        "pay", roster, "--month", "2026-11", "--previous", october, "--back-pay-from", "2026-08", "--format", "json"
    )
    assert run_.exit_code == 2
    assert run_.error_lines == [
        "cadretool: 错误: --previous: 补发需要每个月实际发放的工资表，缺少 2026-08、2026-09 的，这些月份未计算补发"
    ]
    assert run_.json["back_pay_from"] == "2026-08" and run_.json["back_pay"] == []  # October equals what is due
    twice = cli("pay", roster, "--month", "2026-11", "--previous", october, "--previous", october, "--format", "json")
    assert twice.exit_code == 0  # the same file named twice is read once
    other = write_payroll(tmp_path / "", staff, "2026-10", "json")
    clash = cli("pay", roster, "--month", "2026-11", "--previous", october, "--previous", other, "--format", "json")
    assert clash.exit_code == 2 and "每月只能给一份" in clash.stderr


def test_a_file_that_is_not_a_payroll_is_one_clear_error(cli: CLI, tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    roster = paydata.roster(tmp_path / "花名册.xlsx", staff)
    no_month = paydata.write_xlsx(tmp_path / "工资.xlsx", ["身份证号码", "姓名", "应发合计"], [])
    run_ = cli("pay", roster, "--month", "2026-11", "--previous", no_month, "--format", "json")
    assert run_.exit_code == 2 and "找不到工资表的月份" in run_.stderr and "工资.xlsx" in run_.stderr
    assert len(run_.json["lines"]) == 5


def test_the_payroll_workbook_reads_back_exactly(tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    off_scale = cadre("庚", "委员", 99, 1)
    october = write_payroll(tmp_path, [*staff, off_scale], "2026-10")
    book = openpyxl.load_workbook(october)
    assert book.sheetnames == ["汇总", "城关镇", "规则", "参数"]
    ws = book["城关镇"]
    assert ws["A1"].value == "城关镇2026年10月村(社区)“两委”干部报酬发放表"
    assert [c.value for c in ws[3]][:4] == ["序号", "村(社区)", "姓名", "身份证号码"]
    assert ws.print_title_rows == "$1:$3" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws["J4"].number_format == "#,##0.00" and ws["J4"].value == 2000
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    subtotal = next(v for v in values if v[0] == "小计")
    assert subtotal[13] == 2400 + 2592 + 3168 + 2976 + 2976
    assert any(isinstance(v[0], str) and v[0].startswith("制表人") and "审核人" in v[0] for v in values)
    unpaid = next(v for v in values if v[2] == "庚")
    assert unpaid[13] is None and unpaid[14].startswith("暂不发放：P01")
    # read back as last month: no change, and what was not paid stays not paid
    data = run(tmp_path, [*staff, off_scale], [october])
    assert data["changes"] == []
    assert data["previous"][0]["lines"] == 6


def test_explain_pay_with_back_pay(cli: CLI, tmp_path: Path, staff: list[dict[str, Any]]) -> None:
    october = write_payroll(tmp_path, staff, "2026-10")
    promoted = [{**staff[0], "岗位等级": 12, "定级时间": "2026-10"}, *staff[1:]]
    roster = paydata.roster(tmp_path / "花名册.xlsx", promoted)
    run_ = cli(
        "explain", roster, "--id", "甲", "--pay", "2026-11", "--previous", october, "--back-pay-from", "2026-10",
        "--format", "json",
    )  # fmt: skip
    assert run_.exit_code == 0, run_.stderr
    [person] = run_.json["people"]
    assert person["total"] == "2592.00"  # level 12: 2160 + 432
    components = {c["component"]: c for c in person["components"]}
    assert components["post_pay"]["how"] == "2000.00 + (13 − 12) × 160.00 + (1 − 1) × 40.00 = 2160.00"
    assert [b["difference"] for b in person["back_pay"]] == ["192.00"]
    assert person["change"]["kind"] == "changed"
