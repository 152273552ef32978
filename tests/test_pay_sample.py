"""The shipped sample data reproduces every pay and reward figure sample_data/README.md lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadretool.bonus import bonus
from cadretool.money import parse_month
from cadretool.output.bonus_json import bonus_json
from cadretool.output.pay_json import pay_json
from cadretool.output.schema import BonusOutput, PayOutput
from cadretool.pay import pay
from cadretool.rules.ruleset import load_ruleset

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def payroll() -> dict:
    result = pay(
        [SAMPLES / "roster.xlsx"],
        load_ruleset(),
        month=parse_month("2026-11"),
        adjustments=[SAMPLES / "pay_adjustments.xlsx"],
    )
    data = pay_json(result)
    PayOutput.model_validate(data)
    return data


def _line(payroll: dict, sheet: str, row: int) -> dict:
    [line] = [x for x in payroll["lines"] if x["sheet"] == sheet and x["row"] == row]
    return line


def test_p01_member_at_level_3_is_not_paid(payroll: dict) -> None:
    line = _line(payroll, "凤山镇", 66)
    assert line["name"] == "石鹏斌" and line["paid"] is False and line["total"] is None
    [finding] = [f for f in line["findings"] if f["rule"] == "P01"]
    assert finding["severity"] == "review" and "委员的岗位等级应为8–13级，填写为3级" in finding["message"]


def test_p02_level_5_has_no_step_4(payroll: dict) -> None:
    line = _line(payroll, "金山街道", 40)
    assert line["name"] == "陈华伟" and line["paid"] is False
    assert any(f["rule"] == "P01" and "5级只有1–3档，填写为4档" in f["message"] for f in line["findings"])


def test_p03_above_the_band(payroll: dict) -> None:
    line = _line(payroll, "龙昌镇", 50)
    assert line["name"] == "潘华华" and line["paid"] is True
    amounts = [line[c] for c in ("post_pay", "degree_uplift", "performance_pay", "adjustments", "total")]
    assert amounts == ["4040.00", "202.00", "969.60", "300.00", "5511.60"]  # 2026-10's -100.00 is not counted
    assert [f["rule"] for f in line["findings"]] == ["P04"] and "高于" in line["findings"][0]["message"]


def test_p04_below_the_band(payroll: dict) -> None:
    line = _line(payroll, "马场坪街道", 85)
    assert line["name"] == "付军斌"
    assert [line[c] for c in ("post_pay", "degree_uplift", "performance_pay", "total")] == [
        "2000.00",
        "0.00",
        "400.00",
        "2400.00",
    ]
    assert [f["rule"] for f in line["findings"]] == ["P04"] and "低于" in line["findings"][0]["message"]


def test_adjustments_of_the_sample(payroll: dict) -> None:
    records = payroll["adjustments"]
    assert len(records) == 25
    assert all(r["status"] in ("applied", "other_month") for r in records)
    assert all(r["month"] == "2026-11" for r in records if r["status"] == "applied")
    twice = [ids for ids in {r["id_number"] for r in records} if sum(
        r["id_number"] == ids and r["status"] == "applied" for r in records
    ) == 2]  # fmt: skip
    [person] = twice  # one person has two records in 2026-11: summed
    mine = [r for r in records if r["id_number"] == person and r["status"] == "applied"]
    [line] = [x for x in payroll["lines"] if x["id_number"] == person]
    assert sum(float(r["amount"]) for r in mine) == float(line["adjustments"])


def test_every_serving_cadre_has_one_line_and_totals_add_up(payroll: dict) -> None:
    assert payroll["summary"] == {"people": 264, "paid": 262, "not_paid": 2, "total": payroll["totals"]["county"]}
    cents = sum(round(float(x["total"]) * 100) for x in payroll["lines"] if x["paid"])
    assert cents == round(float(payroll["totals"]["county"]) * 100)
    assert sum(round(float(v) * 100) for v in payroll["totals"]["townships"].values()) == cents
    assert sum(round(float(v) * 100) for v in payroll["totals"]["villages"].values()) == cents
    assert payroll["errors"] == [] and payroll["warnings"] == []


@pytest.fixture(scope="module")
def reward() -> dict:
    result = bonus([SAMPLES / "roster.xlsx"], load_ruleset(), year=2026, income=[SAMPLES / "collective_income.xlsx"])
    data = bonus_json(result)
    BonusOutput.model_validate(data)
    return data


def test_villages_with_no_income_record_are_missing(reward: dict) -> None:
    missing = {(m["township"], m["village"]) for m in reward["missing_income"]}
    assert missing == {("牛场镇", "竹林村"), ("凤山镇", "青杠村")}
    assert not {(v["township"], v["village"]) for v in reward["villages"]} & missing


@pytest.mark.parametrize(("village", "income"), [("塘边村", "0.00"), ("干坝村", "-12345.60")])
def test_income_of_zero_or_less_pays_nothing(reward: dict, village: str, income: str) -> None:
    [v] = [v for v in reward["villages"] if v["village"] == village]
    assert (v["net_income"], v["cadre_pool"], v["leader_pool"], v["shares"]) == (income, "0.00", "0.00", [])


def test_every_sample_pool_is_paid_out_exactly(reward: dict) -> None:
    for v in reward["villages"]:
        for pool in ("cadre", "leader"):
            paid = sum(round(float(s["amount"]) * 100) for s in v["shares"] if s["pool"] == pool)
            expected = round(float(v[f"{pool}_pool"]) * 100) if v[f"{pool}_pool_paid"] else 0
            assert paid == expected, v["village"]
