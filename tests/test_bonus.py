"""`bonus` (SPEC §6.3) on files a clerk would have; every share here is computed by hand:
cadre pool = income × 30%, leader pool = income × 10% (each half up to the fen), shared in fen
by post weight (正职 1.0, 副职 0.8, 委员 0.6) or equally, the fen left over to the largest
remainders and, on equal remainders, to the earlier roster row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paydata
import pytest
from paydata import INCOME_HEADERS, cadre, income

from cadretool.bonus import BonusResult, bonus
from cadretool.output.bonus_json import bonus_json
from cadretool.output.schema import BonusOutput
from cadretool.rules.ruleset import load_ruleset


def run(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    records: list[dict[str, Any]],
    headers: list[str] | None = None,
    income_file: Path | None = None,
) -> BonusResult:
    roster = paydata.roster(tmp_path / "花名册.xlsx", rows)
    path = income_file or paydata.write_xlsx(tmp_path / "收益.xlsx", headers or INCOME_HEADERS, records)
    return bonus([roster], load_ruleset(), year=2026, income=[path])


def villages(result: BonusResult) -> dict[str, dict[str, Any]]:
    data = bonus_json(result)
    BonusOutput.model_validate(data)
    return {v["village"]: v for v in data["villages"]}


def shares(village: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(s["name"], s["pool"], s["amount"]) for s in village["shares"]]


def test_a_pool_that_does_not_divide_evenly(tmp_path: Path) -> None:
    rows = [
        cadre("书记甲", "书记", 3, 1),
        cadre("委员乙", "委员", 10, 1),
        cadre("委员丙", "委员", 10, 1),
        cadre("组长丁", "村民组长", "", ""),
        cadre("组长戊", "村民组长", "", ""),
        cadre("组长己", "村民组长", "", ""),
    ]
    v = villages(run(tmp_path, rows, [income("城关镇", "东风村", "100.00")]))["东风村"]
    assert (v["net_income"], v["cadre_pool"], v["leader_pool"]) == ("100.00", "30.00", "10.00")
    # 3000 fen by 10:6:6 → 1363.6 / 818.2 / 818.2: the fen left goes to the largest remainder (书记)
    # 1000 fen in three → 333.3 each: the fen left goes to the earlier roster row
    assert shares(v) == [
        ("书记甲", "cadre", "13.64"),
        ("委员乙", "cadre", "8.18"),
        ("委员丙", "cadre", "8.18"),
        ("组长丁", "leader", "3.34"),
        ("组长戊", "leader", "3.33"),
        ("组长己", "leader", "3.33"),
    ]
    assert v["cadre_pool_paid"] and v["leader_pool_paid"] and v["findings"] == []


def test_post_weights_and_half_a_fen_in_the_pools(tmp_path: Path) -> None:
    rows = [cadre("主任甲", "主任", 3, 1), cadre("副书记乙", "副书记", 5, 1), cadre("组长丙", "村民组长", "", "")]
    v = villages(run(tmp_path, rows, [income("城关镇", "东风村", 0.05)]))["东风村"]
    # 0.05 × 30% = 0.015 → 0.02; × 10% = 0.005 → 0.01; 2 fen by 10:8 → 1.11 / 0.89 → 1 / 1
    assert (v["cadre_pool"], v["leader_pool"]) == ("0.02", "0.01")
    assert shares(v) == [("主任甲", "cadre", "0.01"), ("副书记乙", "cadre", "0.01"), ("组长丙", "leader", "0.01")]
    v = villages(run(tmp_path, rows, [income("城关镇", "东风村", "18,000.00元")]))["东风村"]
    expected = [("主任甲", "cadre", "3000.00"), ("副书记乙", "cadre", "2400.00"), ("组长丙", "leader", "1800.00")]
    assert shares(v) == expected


@pytest.mark.parametrize("amount", [0, "0.00", -12345.6, "(500.00)"])
def test_income_of_zero_or_less_pays_nothing(tmp_path: Path, amount: object) -> None:
    v = villages(run(tmp_path, [cadre("甲"), cadre("组长", "村民组长", "", "")], [income("城关镇", "东风村", amount)]))
    village = v["东风村"]
    assert (village["cadre_pool"], village["leader_pool"], village["shares"]) == ("0.00", "0.00", [])
    assert [f["rule"] for f in village["findings"]] == ["B03"]


def test_a_village_with_no_income_record_is_missing_never_zero(tmp_path: Path) -> None:
    rows = [cadre("甲", village="东风村"), cadre("乙", village="西山村")]
    rows.append(cadre("丙", "村民组长", "", "", village="南山村"))
    result = run(tmp_path, rows, [income("城关镇", "东风村", 1000)])
    data = bonus_json(result)
    assert [v["village"] for v in data["villages"]] == ["东风村"]
    assert [(m["village"], m["cadres"], m["leaders"]) for m in data["missing_income"]] == [
        ("西山村", 1, 0),
        ("南山村", 0, 1),
    ]
    assert all(m["findings"][0]["rule"] == "B01" for m in data["missing_income"])
    assert data["summary"]["missing_income"] == 2


def test_no_group_leader_keeps_the_leader_pool_unpaid_and_says_so(tmp_path: Path) -> None:
    v = villages(run(tmp_path, [cadre("甲")], [income("城关镇", "东风村", 1000)]))["东风村"]
    assert (v["cadre_pool"], v["leader_pool"], v["leader_pool_paid"]) == ("300.00", "100.00", False)
    assert shares(v) == [("甲", "cadre", "300.00")]
    assert [f["rule"] for f in v["findings"]] == ["B02"] and "100.00 元未发放" in v["findings"][0]["message"]
    only_leaders = villages(run(tmp_path, [cadre("组长", "村民组长", "", "")], [income("城关镇", "东风村", 1000)]))
    assert [f["rule"] for f in only_leaders["东风村"]["findings"]] == ["B05"]


def test_one_share_per_person_a_member_who_leads_a_group_takes_the_cadre_share(tmp_path: Path) -> None:
    rows = [cadre("甲", "委员兼村民组长", 10, 1), cadre("乙", "村民组长", "", "")]
    v = villages(run(tmp_path, rows, [income("城关镇", "东风村", 1000)]))["东风村"]
    assert shares(v) == [("甲", "cadre", "300.00"), ("乙", "leader", "100.00")]


def test_income_files_as_clerks_write_them(tmp_path: Path) -> None:
    rows = [
        cadre("甲", township="城关镇", village="东风村"),
        cadre("乙", township="龙昌镇", village="红星村"),
        cadre("丙", township="龙昌镇", village="光明社区"),
    ]
    headers = ["序号", "乡镇", "村名", "村集体经济纯收益（万元）"]
    records = [
        {"乡镇": "城关", "村名": "东风", "村集体经济纯收益（万元）": 12.5},  # 城关镇东风村, in 万元
        {"乡镇": "龙昌镇", "村名": "红星村", "村集体经济纯收益（万元）": "3.2"},
        {"乡镇": "龙昌镇", "村名": "光明", "村集体经济纯收益（万元）": "0.0001"},
        {"乡镇": "合计", "村名": "", "村集体经济纯收益（万元）": 15.7001},
    ]
    path = paydata.write_csv(tmp_path / "2026年收益.csv", headers, records, title="2026年度村集体经济纯收益统计表")
    result = run(tmp_path, rows, [], income_file=path)
    v = villages(result)
    assert v["东风村"]["net_income"] == "125000.00"
    assert v["红星村"]["net_income"] == "32000.00"
    assert v["光明社区"]["net_income"] == "1.00"
    assert any("按万元换算" in n for n in result.notes)
    assert result.unmatched_income == []  # the 合计 row is not a village


def test_records_that_cannot_be_used_are_listed_with_why(tmp_path: Path) -> None:
    rows = [cadre("甲", village="东风村"), cadre("乙", village="西山村"), cadre("丙", village="北坡村")]
    records = [
        income("城关镇", "东风村", 1000),
        income("城关镇", "东风村", 1200),  # twice: which one?
        income("城关镇", "西山村", 900, year=2025),  # another year
        income("城关镇", "北坡村", "九百多"),  # not an amount
        income("城关镇", "不存在村", 500),  # nobody's
    ]
    result = run(tmp_path, rows, records)
    data = bonus_json(result)
    by_village = {v["village"]: v for v in data["villages"]}
    assert [f["rule"] for f in by_village["东风村"]["findings"]] == ["B04"]
    assert by_village["东风村"]["shares"] == [] and by_village["东风村"]["cadre_pool"] is None
    assert [f["rule"] for f in by_village["北坡村"]["findings"]] == ["B04"]
    assert [m["village"] for m in data["missing_income"]] == ["西山村"]
    reasons = {(u["row"], u["village"]): u["reason"] for u in data["unmatched_income"]}
    assert "收益记录重复" in reasons[(2, "东风村")] and "收益记录重复" in reasons[(3, "东风村")]
    assert "属于 2025 年度" in reasons[(4, "西山村")]
    assert "不是金额" in reasons[(5, "北坡村")]
    assert "没有此村" in reasons[(6, "不存在村")]


def test_a_village_name_in_two_townships_needs_its_township(tmp_path: Path) -> None:
    rows = [cadre("甲", township="城关镇", village="新村"), cadre("乙", township="龙昌镇", village="新村")]
    result = run(tmp_path, rows, [{"村(社区)": "新村", "年度": 2026, "村集体经济纯收益": 100}])
    assert "2个名为“新村”的村" in result.unmatched_income[0]["reason"]
    assert len(result.missing_income) == 2


def test_an_income_file_that_matches_nobody_is_a_warning(tmp_path: Path) -> None:
    result = run(tmp_path, [cadre("甲")], [income("外县镇", "某村", 100), income("外县镇", "某某村", 200)])
    assert any("收益.xlsx" in w and "2条收益记录没有一条对应" in w for w in result.warnings)
    assert len(result.unmatched_income) == 2 and len(result.missing_income) == 1


def test_totals(tmp_path: Path) -> None:
    rows = [cadre("甲", village="东风村"), cadre("乙", village="西山村", township="龙昌镇")]
    result = run(tmp_path, rows, [income("城关镇", "东风村", 1000), income("龙昌镇", "西山村", 333.33)])
    data = bonus_json(result)
    # 300.00 + 100.00 unpaid (no leader); 333.33 × 30% = 99.999 → 100.00
    assert data["totals"] == {"county": "400.00", "townships": {"城关镇": "300.00", "龙昌镇": "100.00"}}


def test_an_income_row_for_no_village_of_the_roster_says_what_it_may_mean(tmp_path: Path) -> None:
    rows = [
        cadre("甲", township="城关镇", village="红岩村"),
        cadre("乙", township="城关镇", village="东风村"),
        cadre("丙", township="龙昌镇", village="新华村"),
    ]
    records = [
        income("城关镇", "红言村", 100),  # a slip of the pen
        income("城关镇", "新华村", 200),  # the right village under the wrong township
        income("城关镇", "不存在村", 300),  # nothing like it
    ]
    reasons = {u["village"]: u["reason"] for u in run(tmp_path, rows, records).unmatched_income}
    assert reasons["红言村"].endswith("；城关镇相近的村有：红岩村")
    assert reasons["新华村"].endswith("；花名册中的“新华村”在龙昌镇，请核对乡镇")
    assert reasons["不存在村"] == "花名册中没有此村（社区）的“两委”干部或村民组长"
