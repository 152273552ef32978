"""`cadretool career` (SPEC §7.2) and `cadretool tuition` (SPEC §7.3): every expected figure of
the sample data, the boundaries of each rule, exact money, refusals with their reasons, and
claims nobody on the roster made."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import CLI
from hypothesis import given
from hypothesis import strategies as st
from pensionfiles import cadre, write_cadres, write_rows_csv, write_rows_xlsx
from rulesets import copy_rules, edit

from cadretool.output.schema import CareerOutput, TuitionOutput
from cadretool.tuition import share_of

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _section(title: str) -> str:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    return text.split(title, 1)[1].split("\n## ", 1)[0]


# ---------------------------------------------------------------- career

CAREER_ROW = re.compile(
    r"^\| (?P<case>C\d+) \| (?P<sheet>[^!|]+)!(?P<row>\d+) \| (?P<name>[^|]+) \| (?P<what>[^|]+) \|$"
)


def career_cases() -> list[dict[str, str]]:
    section = _section("## 晋升渠道 / Career")
    return [m.groupdict() for line in section.splitlines() if (m := CAREER_ROW.match(line.strip()))]


def career_json(cli: CLI, *args: str | Path) -> dict:
    run = cli("career", *args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    CareerOutput.model_validate(run.json)
    return run.json


@pytest.fixture(scope="module")
def sample_career() -> dict:
    from typer.testing import CliRunner

    from cadretool.cli import app

    run = CliRunner().invoke(app, ["career", str(SAMPLES / "roster.xlsx"), "--format", "json"])
    assert run.exit_code == 0
    import json

    return json.loads(run.stdout)


def test_the_readme_lists_the_career_cases() -> None:
    assert [c["case"] for c in career_cases()] == ["C01", "C02", "C03", "C04"]


@pytest.mark.parametrize("case", career_cases(), ids=lambda c: c["case"])
def test_every_career_case_of_the_sample(sample_career: dict, case: dict[str, str]) -> None:
    CareerOutput.model_validate(sample_career)
    [person] = [p for p in sample_career["people"] if p["sheet"] == case["sheet"] and p["row"] == int(case["row"])]
    assert person["name"] == case["name"].strip()
    outcome = case["what"].split("→")[1]
    expected = "one_short" if "差1" in outcome else "eligible" if "符合" in outcome else "not_eligible"
    assert person["status"] == expected
    assert person["reason"]


def test_the_sample_lists_everyone_eligible_first(sample_career: dict) -> None:
    people = sample_career["people"]
    assert len(people) == sample_career["summary"]["people"] == 578
    order = {"eligible": 0, "one_short": 1, "not_eligible": 2}
    assert [order[p["status"]] for p in people] == sorted(order[p["status"]] for p in people)


def test_career_boundaries_and_reasons(cli: CLI, tmp_path: Path) -> None:
    people = [
        cadre("甲", "1980-01", 11, 现任职务="书记", 任正职届数=2, 考核优秀次数=5),
        cadre("乙", "1980-01", 13, 现任职务="主任", 任正职届数=1, 考核优秀次数=5),
        cadre("丙", "1980-01", 15, 现任职务="一肩挑", 任正职届数=2, 考核优秀次数=4),
        cadre("丁", "1980-01", 17, 现任职务="书记", 任正职届数=1, 考核优秀次数=4),  # short of both
        cadre("戊", "1980-01", 19, 现任职务="书记", 任正职届数=0, 考核优秀次数=9),  # two terms short
        cadre("己", "1980-01", 21, 现任职务="副主任", 任正职届数=3, 考核优秀次数=9),
        cadre("庚", "1980-01", 23, 现任职务="书记", 任正职届数="", 考核优秀次数=6),
        cadre("辛", "1980-01", 25, 现任职务="书记", 任正职届数="若干届", 考核优秀次数=6),
        cadre("壬", "1980-01", 27, 现任职务="", 拟任职务="书记", 任正职届数=3, 考核优秀次数=6),
        cadre("癸", "1980-01", 29, 现任职务="党支部书记", 任正职届数="2届", 考核优秀次数="5次"),
    ]
    data = career_json(cli, write_cadres(tmp_path / "干部.xlsx", people))
    got = {p["name"]: p for p in data["people"]}
    assert {n: got[n]["status"] for n in got} == {
        "甲": "eligible",
        "乙": "one_short",
        "丙": "one_short",
        "丁": "not_eligible",
        "戊": "not_eligible",
        "己": "not_eligible",
        "庚": "not_eligible",
        "辛": "not_eligible",
        "壬": "not_eligible",
        "癸": "eligible",
    }
    assert got["乙"]["reason"] == "任正职1届、考核优秀5次，差1届正职任期"
    assert got["丁"]["reason"] == "任正职1届、考核优秀4次，差1届正职任期、差1次考核优秀"
    assert got["己"]["reason"] == "现任职务为“副主任”，不是正职"
    assert got["壬"]["reason"] == "没有现任职务，不是正职"  # a new entrant is not a serving 正职
    assert [f["rule"] for f in got["庚"]["findings"]] == ["D06"]
    assert {f["rule"] for f in got["辛"]["findings"]} == {"D07", "D06"}
    assert "若干届" in next(f["message"] for f in got["辛"]["findings"] if f["rule"] == "D07")
    assert data["summary"] == {"people": 10, "eligible": 2, "one_short": 2, "not_eligible": 6}


def test_a_career_reason_says_which_count_is_blank_and_which_unreadable(cli: CLI, tmp_path: Path) -> None:
    people = [
        cadre("甲", "1980-01", 11, 现任职务="书记", 任正职届数="", 考核优秀次数=""),
        cadre("乙", "1980-01", 13, 现任职务="主任", 任正职届数="1.5", 考核优秀次数=6),
        cadre("丙", "1980-01", 15, 现任职务="书记", 任正职届数=2, 考核优秀次数="不详"),
        cadre("丁", "1980-01", 17, 现任职务="书记", 任正职届数=2, 考核优秀次数="无"),
    ]
    data = career_json(cli, write_cadres(tmp_path / "干部.xlsx", people))
    got = {p["name"]: p["reason"] for p in data["people"]}
    assert got["甲"] == "任正职届数空白、考核优秀次数空白，无法判断"  # never “任正职空白届”
    assert got["乙"] == "任正职届数“1.5”无法识别、考核优秀次数6次，无法判断"  # not called blank
    assert got["丙"] == "任正职届数2届、考核优秀次数写作“不详”，没有填数字，无法判断"
    assert got["丁"] == "任正职2届、考核优秀0次，差5次考核优秀"  # 无 优秀 is none: a count of 0


def test_career_thresholds_are_rule_set_parameters(cli: CLI, tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    edit(rules / "career.yaml", "{value: 2,", "{value: 3,")
    roster = write_cadres(
        tmp_path / "干部.xlsx", [cadre("甲", "1980-01", 11, 现任职务="书记", 任正职届数=2, 考核优秀次数=5)]
    )
    [person] = career_json(cli, roster, "--rules", rules)["people"]
    assert person["status"] == "one_short"
    assert person["reason"] == "任正职2届、考核优秀5次，差1届正职任期"


def test_career_workbook(cli: CLI, tmp_path: Path) -> None:
    roster = write_cadres(
        tmp_path / "干部.xlsx", [cadre("甲", "1980-01", 11, 现任职务="书记", 任正职届数=2, 考核优秀次数=5)]
    )
    run = cli("career", roster)
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "干部_晋升渠道.xlsx")
    assert book.sheetnames == ["晋升渠道", "规则"]
    row = [c.value for c in book["晋升渠道"][2]]
    assert row[:3] == [1, "符合", "甲"] and row[7:9] == [2, 5]


# ---------------------------------------------------------------- tuition

TUITION_ROW = re.compile(
    r"^\| (?P<row>\d+) \| (?P<name>[^|]+) \| (?P<degree>[^|]+) \| (?P<mode>[^|]+) \| (?P<fee>[\d.]+) \|"
    r" [^|]+ \| (?P<expected>[^|]+) \|$"
)


def tuition_cases() -> list[dict[str, str]]:
    section = _section("## 学费报销 / Tuition")
    return [m.groupdict() for line in section.splitlines() if (m := TUITION_ROW.match(line.strip()))]


def tuition_json(cli: CLI, claims: Path, roster: Path, *extra: str | Path) -> dict:
    run = cli("tuition", claims, "--roster", roster, "--format", "json", *extra)
    assert run.exit_code == 0, run.stderr
    TuitionOutput.model_validate(run.json)
    return run.json


def test_the_readme_lists_the_tuition_cases() -> None:
    assert len(tuition_cases()) == 12


@pytest.fixture(scope="module")
def sample_tuition() -> dict:
    import json

    from typer.testing import CliRunner

    from cadretool.cli import app

    args = [
        "tuition",
        str(SAMPLES / "tuition_claims.xlsx"),
        "--roster",
        str(SAMPLES / "roster.xlsx"),
        "--format",
        "json",
    ]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0
    return json.loads(run.stdout)


@pytest.mark.parametrize("case", tuition_cases(), ids=lambda c: c["row"])
def test_every_tuition_case_of_the_sample(sample_tuition: dict, case: dict[str, str]) -> None:
    TuitionOutput.model_validate(sample_tuition)
    [claim] = [c for c in sample_tuition["claims"] if c["row"] == int(case["row"])]
    assert claim["name"] == case["name"].strip()
    assert claim["tuition"] == case["fee"]
    expected = case["expected"].strip()
    if expected.startswith("批准"):
        assert claim["status"] == "approved"
        assert claim["reimbursement"] == re.match(r"批准 ([\d.]+)", expected).group(1)
    else:
        assert claim["status"] == "refused" and claim["reimbursement"] is None
        word = {"全日制": "全日制", "不在花名册": "不在花名册", "无现任职务": "无现任职务"}
        assert any(w in claim["reason"] for k, w in word.items() if k in expected)


def test_a_float_tuition_cell_is_exact_money(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1985-01", 11, 现任职务="委员")
    roster = write_cadres(tmp_path / "干部.xlsx", [a])
    rows = [
        ["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"],
        [a["身份证号码"], "甲", "本科", "在职", 12345.67, "2025-07"],  # a float cell
        [a["身份证号码"], "甲", "硕士研究生", "非全日制", "1,000.01元", "2026.06"],
        [a["身份证号码"], "甲", "大学本科", "函授", 0.01, "2024年7月"],
    ]
    claims = write_rows_xlsx(tmp_path / "申请.xlsx", rows)
    got = tuition_json(cli, claims, roster)["claims"]
    assert [c["reimbursement"] for c in got] == ["6172.84", "666.67", "0.01"]  # 6172.835, 666.673…, 0.005 half up
    assert [c["degree"] for c in got] == ["本科", "研究生", "本科"]


@given(fen=st.integers(1, 10**12), numerator=st.integers(1, 9), denominator=st.integers(1, 9))
def test_share_of_is_half_up_to_the_fen(fen: int, numerator: int, denominator: int) -> None:
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    share = Fraction(numerator, denominator)
    exact = Decimal(fen) * Decimal(numerator) / Decimal(denominator)
    # Decimal division is exact enough here: 28 digits against at most 13 + 1
    expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert share_of(fen, share) == expected


def test_refusals_carry_every_reason(cli: CLI, tmp_path: Path) -> None:
    serving = cadre("甲", "1985-01", 11, 现任职务="委员")
    left = cadre("乙", "1980-01", 13, 现任职务="主任", 离任类型="辞职")
    leader = cadre("丙", "1982-01", 15, 现任职务="村民组长")
    roster = write_cadres(tmp_path / "干部.xlsx", [serving, left, leader])
    rows = [
        ["在职学历学费报销申请表"],
        [],
        ["序号", "申请人", "身份证号", "学历", "学习方式", "学费(元)", "毕业时间"],
        [1, "甲", serving["身份证号码"].lower(), "大专", "在职", "5000", "2025-07"],
        [2, "甲", serving["身份证号码"], "本科", "", "abc", ""],
        [3, "乙", left["身份证号码"], "本科", "在职", "8000", "2025-07"],
        [4, "丙", leader["身份证号码"], "本科", "在职", "8000", "2025-07"],
        [5, "甲乙", serving["身份证号码"], "本科", "在职", "8000", "2027-07"],
        [6, "甲", "5.22702E+17", "本科", "在职", "8000", "2025-07"],
        [7, "甲", serving["身份证号码"], "本科", "在职", "6000", "2025-06"],
        [8, "甲", serving["身份证号码"], "本科", "在职", "6000", "2025-06"],
        [9, "甲", serving["身份证号码"], "本科", "在职", "-100", "2025-06"],
        ["合计", "", "", "", "", "", ""],
    ]
    claims = write_rows_csv(tmp_path / "申请.csv", rows, encoding="gbk")
    data = tuition_json(cli, claims, roster)
    got = {c["row"]: c for c in data["claims"]}
    assert sorted(got) == list(range(4, 13))  # every claim row, the 合计 line not a claim
    assert got[4]["reason"] == "学历层次“大专”不在报销范围（本科、研究生）"
    assert got[5]["reason"] == "学习形式空白，无法确认为在职学历；学费“abc”不是金额；毕业时间空白，无法确认已取得学历"
    assert got[6]["reason"] == "已离任（辞职），不是在任干部"
    assert got[7]["reason"] == "现任职务“村民组长”不是“两委”职务（未在任）"
    assert got[8]["reason"] == "申请人姓名“甲乙”与花名册“甲”不一致；毕业时间2027-07晚于基准日，尚未取得学历"
    assert "被Excel按数字保存" in got[9]["reason"] and "干部.xlsx第4行有同名人员" in got[9]["reason"]
    assert got[10]["status"] == "approved" and got[10]["reimbursement"] == "3000.00"
    assert got[11]["reason"] == "与申请.csv第10行的申请重复"
    assert got[12]["reason"] == "学费应大于0（写的是-100.00）"
    assert data["summary"] == {"claims": 9, "approved": 1, "refused": 8, "total": "3000.00"}
    assert all(c["status"] == "refused" for r, c in got.items() if r != 10)


def test_tuition_workbook_shows_money(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1985-01", 11, 现任职务="委员")
    roster = write_cadres(tmp_path / "干部.xlsx", [a])
    rows = [
        ["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"],
        [a["身份证号码"], "甲", "研究生", "在职", 24000, dt.date(2025, 7, 1)],
    ]
    claims = write_rows_xlsx(tmp_path / "申请.xlsx", rows)
    run = cli("tuition", claims, "--roster", roster)
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "申请_报销审核.xlsx")
    ws = book["报销审核"]
    assert [c.value for c in ws[2]][:9] == [2, "批准", "甲", a["身份证号码"], "研究生", "在职", "2025-07", 24000, 16000]
    assert ws.cell(2, 9).number_format == "#,##0.00"
    assert book["规则"]["A5"].value == "批准报销合计（元）" and book["规则"]["B5"].value == "16000.00"


def test_an_unreadable_roster_refuses_with_that_reason(cli: CLI, tmp_path: Path) -> None:
    claims = write_rows_xlsx(
        tmp_path / "申请.xlsx",
        [
            ["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"],
            ["522702198501100113", "甲", "本科", "在职", 100, "2025-07"],
        ],
    )
    run = cli("tuition", claims, "--roster", tmp_path / "没有.xlsx", "--format", "json")
    assert run.exit_code == 2
    assert run.error_lines == [f"cadretool: 错误: {tmp_path / '没有.xlsx'}: 文件不存在 (no such file)"]
    assert run.json["claims"][0]["reason"] == "花名册未能读取，无法核对是否在任"


def test_a_claim_row_with_no_name_and_no_id_is_refused_not_dropped(cli: CLI, tmp_path: Path) -> None:
    a = cadre("甲", "1985-01", 11, 现任职务="委员")
    roster = write_cadres(tmp_path / "干部.xlsx", [a])
    rows = [
        ["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"],
        [a["身份证号码"], "甲", "本科", "在职", 1000, "2025-07"],
        ["", "", "本科", "在职", "8,000元", "2025.6"],  # the clerk left who out
        ["合计", "", "", "", 9000, ""],
    ]
    claims = write_rows_xlsx(tmp_path / "申请.xlsx", rows)
    data = tuition_json(cli, claims, roster)
    assert [c["row"] for c in data["claims"]] == [2, 3]  # the 合计 line is not a claim
    nameless = data["claims"][1]
    assert nameless["status"] == "refused" and nameless["tuition"] == "8000.00" and nameless["reimbursement"] is None
    assert nameless["reason"] == "缺少身份证号码和姓名，无法核对申请人"
    assert data["summary"] == {"claims": 2, "approved": 1, "refused": 1, "total": "500.00"}
    run = cli("tuition", claims, "--roster", roster)
    assert run.exit_code == 0, run.stderr
