"""`pay` on rosters a clerk would have: every figure here is computed by hand from SPEC §6.1–6.2
(post pay = 2000 + (13 − level) × 160 + (step − 1) × 40; uplift 本科 5% / 研究生 8%; performance
= post pay × 20% × 1.2 / 1.0 / 0.6 / 0; band 3200–5400 with both edges inside)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paydata
import pytest
from conftest import CLI
from paydata import ADJUSTMENT_HEADERS, adjustment, cadre
from rulesets import copy_rules, edit

from cadretool.errors import RulesError
from cadretool.money import money_text, parse_month
from cadretool.output.pay_json import pay_json
from cadretool.pay import PayResult, level_step_text, pay
from cadretool.rules.payrules import load_pay_rules
from cadretool.rules.ruleset import load_ruleset

NOV = parse_month("2026-11")


def run(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    adjustments: list[dict[str, Any]] | None = None,
    rules: Path | None = None,
    adjustment_file: Path | None = None,
    month: int = NOV,
) -> PayResult:
    roster = paydata.roster(tmp_path / "花名册.xlsx", rows)
    files = [adjustment_file] if adjustment_file else []
    if adjustments is not None:
        files.append(paydata.write_xlsx(tmp_path / "奖惩.xlsx", ADJUSTMENT_HEADERS, adjustments))
    return pay([roster], load_ruleset(rules), month=month, adjustments=files)


def lines(result: PayResult) -> dict[str, dict[str, Any]]:
    """Each line by name, as the JSON shows it."""
    return {line["name"]: line for line in pay_json(result)["lines"]}


def rules_of(line: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in line["findings"]]


# ---------------------------------------------------------------- components


@pytest.mark.parametrize(
    ("post", "level", "step", "grade", "degree", "expected"),
    [
        ("委员", 13, 1, "称职", "", ("2000.00", "0.00", "400.00", "2400.00")),
        ("委员", 8, 3, "优秀", "本科", ("2880.00", "144.00", "691.20", "3715.20")),
        ("副主任", 4, 3, "基本称职", "研究生", ("3520.00", "281.60", "422.40", "4224.00")),
        ("书记", 1, 4, "不称职", "大专", ("4040.00", "0.00", "0.00", "4040.00")),
        ("委员", 10, 2, "", "", ("2520.00", "0.00", "504.00", "3024.00")),  # no assessment yet: 1.0
        ("主任", 2, 4, "合格", "函授本科", ("3880.00", "194.00", "776.00", "4850.00")),  # aliases
        ("村委会副主任兼妇女主任", 9, 3, "优秀", "硕士", ("2720.00", "217.60", "652.80", "3590.40")),
    ],
)
def test_components_by_hand(
    tmp_path: Path, post: str, level: int, step: int, grade: str, degree: str, expected: tuple[str, ...]
) -> None:
    line = lines(run(tmp_path, [cadre("张三", post, level, step, grade, degree)]))["张三"]
    assert (line["post_pay"], line["degree_uplift"], line["performance_pay"], line["total"]) == expected
    assert line["adjustments"] == "0.00"  # a zero component is "0.00", never null
    assert line["paid"] is True


def test_half_a_fen_rounds_up_per_component(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    edit(rules / "pay.yaml", "{value: 2000,", "{value: 2000.10,")
    result = run(tmp_path, [cadre("张三", "委员", 13, 1, "基本称职", "本科")], rules=rules)
    line = lines(result)["张三"]
    # 2000.10 × 5% = 100.005 → 100.01; × 20% × 0.6 = 240.012 → 240.01
    assert (line["post_pay"], line["degree_uplift"], line["performance_pay"]) == ("2000.10", "100.01", "240.01")
    assert line["total"] == "2340.12"


@pytest.mark.parametrize(
    ("row", "amount", "band"),
    [
        (cadre("甲", "委员", 9, 1), "32.00", False),  # 2640 + 528 + 32 = 3200.00: the low edge is inside
        (cadre("甲", "委员", 9, 1), "31.99", True),  # 3199.99
        (cadre("甲", "书记", 1, 4, "优秀", "本科"), "188.40", False),  # 4040 + 202 + 969.60 + 188.40 = 5400.00
        (cadre("甲", "书记", 1, 4, "优秀", "本科"), "188.41", True),  # 5400.01
    ],
)
def test_band_edges_are_inside(tmp_path: Path, row: dict[str, Any], amount: str, band: bool) -> None:
    line = lines(run(tmp_path, [row], [adjustment(row, amount)]))["甲"]
    assert ("P04" in rules_of(line)) is band
    assert line["paid"] is True  # outside the band is only a note


@pytest.mark.parametrize(
    ("post", "level", "step", "paid"),
    [
        ("书记", 5, 3, True),
        ("书记", 6, 1, False),
        ("副书记", 4, 1, True),
        ("副书记", 3, 1, False),
        ("副主任", 9, 3, True),
        ("副主任", 10, 1, False),
        ("委员", 8, 1, True),
        ("委员", 7, 3, False),
        ("委员", 13, 3, True),
        ("委员", 14, 1, False),
        ("主任", 2, 4, True),
        ("主任", 3, 4, False),  # levels 3–13 have three steps
        ("委员", 10, 0, False),
    ],
)
def test_scale_edges(tmp_path: Path, post: str, level: int, step: int, paid: bool) -> None:
    line = lines(run(tmp_path, [cadre("乙", post, level, step)]))["乙"]
    assert line["paid"] is paid
    if not paid:
        assert rules_of(line)[:1] == ["P01"]
        assert all(line[c] is None for c in ("post_pay", "degree_uplift", "performance_pay", "adjustments", "total"))


def test_why_a_line_is_not_paid_is_said_and_the_run_goes_on(tmp_path: Path) -> None:
    rows = [
        cadre("缺等级", level="", step=""),
        cadre("等级写错", level="八级半", step=1),
        cadre("等次不明", grade="良好"),
        cadre("学历不明", degree="党校研究生"),
        cadre("正常"),
    ]
    result = run(tmp_path, rows)
    shown = lines(result)
    assert rules_of(shown["缺等级"]) == ["P02"] and "缺少岗位等级" in shown["缺等级"]["findings"][0]["message"]
    assert "P02" in rules_of(shown["等级写错"]) and "八级半" in str(shown["等级写错"]["findings"])
    assert "P03" in rules_of(shown["等次不明"]) and "良好" in str(shown["等次不明"]["findings"])
    assert "P03" in rules_of(shown["学历不明"]) and "党校研究生" in str(shown["学历不明"]["findings"])
    assert [name for name, line in shown.items() if line["paid"]] == ["正常"]
    # level 10 step 1: 2000 + 3 × 160 = 2480, performance 496
    assert result.summary() == {"people": 5, "paid": 1, "not_paid": 4, "total": "2976.00"}
    assert pay_json(result)["totals"]["county"] == "2976.00"


@pytest.mark.parametrize(
    ("level", "step", "expected"),
    [("8级", "2档", "2840.00"), ("第8级", "第二档", "2840.00"), ("八级", "二", "2840.00"), ("8级2档", "", "2840.00")],
)
def test_levels_and_steps_as_clerks_write_them(tmp_path: Path, level: str, step: str, expected: str) -> None:
    assert lines(run(tmp_path, [cadre("丙", "委员", level, step)]))["丙"]["post_pay"] == expected


def test_level_step_text() -> None:
    assert level_step_text("十二级") == (12, None, "级")
    assert level_step_text("第3档") == (3, None, "档")
    assert level_step_text("8 级 2 档") == (8, 2, "级")
    assert level_step_text("高级") == (None, None, None)


def test_who_is_on_the_payroll(tmp_path: Path) -> None:
    rows = [
        cadre("书记甲", "书记", 3, 1),
        cadre("组长乙", "村民组长", "", ""),
        cadre("新人丙", "无", "", ""),
        cadre("监委丁", "村务监督委员会主任", 10, 1),
        cadre("驻村戊", "驻村第一书记", "", ""),
    ]
    result = run(tmp_path, rows)
    assert list(lines(result)) == ["书记甲"]
    assert any("岗位等级但现任职务不是" in n and "第7行" in n for n in result.notes)  # 监委丁 has a level


def test_the_same_id_twice_is_paid_neither_time(tmp_path: Path) -> None:
    first = cadre("张三")
    again = {**cadre("张三", village="西山村"), "身份证号码": first["身份证号码"]}
    result = run(tmp_path, [first, again, cadre("李四")])
    shown = pay_json(result)["lines"]
    assert [line["paid"] for line in shown] == [False, False, True]
    assert "P06" in rules_of(shown[0]) and "第5行" in str(shown[0]["findings"])  # names the other row


def test_totals_per_village_township_and_county(tmp_path: Path) -> None:
    rows = [
        cadre("甲", "委员", 13, 1, township="城关镇", village="东风村"),  # 2400
        cadre("乙", "委员", 12, 1, township="城关镇", village="东风村"),  # 2160 + 432 = 2592
        cadre("丙", "委员", 13, 1, township="城关镇", village="西山村"),  # 2400
        cadre("丁", "委员", 13, 1, township="龙昌镇", village="东风村"),  # same village name, other township
        cadre("戊", "委员", 99, 1, township="龙昌镇", village="东风村"),  # not paid: not counted
    ]
    totals = pay_json(run(tmp_path, rows))["totals"]
    assert totals == {
        "county": "9792.00",
        "townships": {"城关镇": "7392.00", "龙昌镇": "2400.00"},
        "villages": {"城关镇/东风村": "4992.00", "城关镇/西山村": "2400.00", "龙昌镇/东风村": "2400.00"},
    }


# ---------------------------------------------------------------- adjustments


def test_adjustments_of_the_month_only_two_summed(tmp_path: Path) -> None:
    a, b = cadre("甲"), cadre("乙")
    result = run(
        tmp_path,
        [a, b],
        [
            adjustment(a, 300, "2026-11", "考核奖励"),
            adjustment(a, -50, "2026年11月", "缺席扣款"),
            adjustment(a, -100, "2026-10", "上月扣款"),
            adjustment(b, 200, "2026-12", "下月奖励"),
        ],
    )
    shown = lines(result)
    assert shown["甲"]["adjustments"] == "250.00" and shown["甲"]["total"] == "3226.00"  # 2480 + 496 + 250
    assert shown["乙"]["adjustments"] == "0.00"
    assert [a["status"] for a in result.adjustments] == ["applied", "applied", "other_month", "other_month"]
    assert result.adjustments[2]["note"] == "属于 2026-10，不计入 2026-11"


@pytest.mark.parametrize(
    ("written", "fen"),
    [
        ("1,234.50元", "1234.50"),
        ("(100.00)", "-100.00"),
        ("（50）", "-50.00"),
        ("￥300", "300.00"),
        ("－80.5", "-80.50"),
        (123456.78, "123456.78"),  # a float cell becomes money through its shortest text
        (0.1, "0.10"),
        (" 200 ", "200.00"),
    ],
)
def test_amounts_as_clerks_write_them(tmp_path: Path, written: object, fen: str) -> None:
    a = cadre("甲")
    result = run(tmp_path, [a], [adjustment(a, written)])
    assert lines(result)["甲"]["adjustments"] == fen


@pytest.mark.parametrize("month", ["2026-11", "2026.11", "2026/11", "2026年11月", "2026年11月份", 202611, "11月"])
def test_months_as_clerks_write_them(tmp_path: Path, month: object) -> None:
    a = cadre("甲")
    assert lines(run(tmp_path, [a], [adjustment(a, 100, month)]))["甲"]["adjustments"] == "100.00"


def test_a_month_date_cell_counts_in_its_month(tmp_path: Path) -> None:
    import datetime as dt

    a = cadre("甲")
    result = run(tmp_path, [a], [adjustment(a, 100, dt.date(2026, 11, 20)), adjustment(a, 7, dt.date(2026, 12, 1))])
    assert lines(result)["甲"]["adjustments"] == "100.00"


@pytest.mark.parametrize(("amount", "shown"), [("壹仟元整", "1000.00"), ("五百元", "500.00"), ("0.2万", "2000.00")])
def test_an_amount_written_in_chinese_counts(tmp_path: Path, amount: str, shown: str) -> None:
    a = cadre("甲")
    result = run(tmp_path, [a], [adjustment(a, amount)])
    assert lines(result)["甲"]["adjustments"] == shown


@pytest.mark.parametrize(
    ("amount", "month", "said"),
    [
        ("一千五", "2026-11", "不是金额"),  # 1005 or 1500? the unit is unsaid
        (100, "2026年13月", "无法识别"),
        ("", "2026-11", "金额为空"),
        (100, "", "月份为空"),
    ],
)
def test_an_unreadable_adjustment_stops_its_line(tmp_path: Path, amount: object, month: object, said: str) -> None:
    a, b = cadre("甲"), cadre("乙")
    result = run(tmp_path, [a, b], [adjustment(a, amount, month), adjustment(b, 100)])
    shown = lines(result)
    assert shown["甲"]["paid"] is False and "P05" in rules_of(shown["甲"])
    message = next(f["message"] for f in shown["甲"]["findings"] if f["rule"] == "P05")
    assert "奖惩.xlsx第2行" in message and said in message
    assert shown["乙"]["paid"] is True and shown["乙"]["adjustments"] == "100.00"
    assert result.adjustments[0]["status"] == "unreadable"


def test_an_unreadable_amount_of_another_month_stops_nothing(tmp_path: Path) -> None:
    a = cadre("甲")
    result = run(tmp_path, [a], [adjustment(a, "一千五", "2026-10")])
    assert lines(result)["甲"]["paid"] is True
    assert result.adjustments[0]["status"] == "other_month" and "不是金额" in result.adjustments[0]["note"]


def test_records_that_reach_no_line_are_listed_with_why(tmp_path: Path) -> None:
    a, newcomer, stranger = cadre("甲"), cadre("新人", "无", "", ""), cadre("外人")
    mangled = {**adjustment(cadre("乙"), 100), "身份证号码": "5.22702E+17", "姓名": "甲"}
    result = run(
        tmp_path,
        [a, newcomer],
        [adjustment(newcomer, 100), adjustment(stranger, 100), mangled, {**adjustment(a, 50), "姓名": "甲某"}],
    )
    records = result.adjustments
    assert [r["status"] for r in records] == ["unmatched", "unmatched", "unmatched", "applied"]
    assert "不是在职“两委”干部" in records[0]["note"]
    assert "花名册中没有身份证号码" in records[1]["note"]
    assert "被Excel按数字保存" in records[2]["note"] and "姓名相同" in records[2]["note"]
    line = lines(result)["甲"]
    assert line["adjustments"] == "50.00"  # money is never applied on a name alone
    messages = [f["message"] for f in line["findings"] if f["rule"] == "P07"]
    assert len(messages) == 2
    assert any("奖惩.xlsx第4行" in m and "未计入" in m for m in messages)
    assert any("“甲某”" in m for m in messages)  # the ID joins, the name differs: applied, checked


def test_a_file_that_matches_nobody_is_a_warning_naming_it(tmp_path: Path) -> None:
    result = run(tmp_path, [cadre("甲")], [adjustment(cadre("外人"), 100), adjustment(cadre("外人二"), 50)])
    [warning] = [w for w in result.warnings if "奖惩.xlsx" in w]
    assert "2条奖惩记录没有一条对应" in warning
    assert len(result.adjustments) == 2


def test_gbk_csv_with_a_title_row_totals_and_a_sign_off(tmp_path: Path) -> None:
    a, b = cadre("甲"), cadre("乙")
    rows = [
        adjustment(a, "300.00元", "2026年11月"),
        adjustment(b, "(50)", "2026.11"),
        {"身份证号码": "", "姓名": "合计", "金额": "250.00"},
        {"身份证号码": "制表人：王芳", "姓名": "", "金额": ""},
    ]
    path = paydata.write_csv(tmp_path / "11月奖惩.csv", ADJUSTMENT_HEADERS, rows, title="城关镇2026年11月奖惩款项")
    result = run(tmp_path, [a, b], adjustment_file=path)
    shown = lines(result)
    assert (shown["甲"]["adjustments"], shown["乙"]["adjustments"]) == ("300.00", "-50.00")
    assert len(result.adjustments) == 2  # the 合计 row and the sign-off are not records


def test_no_month_column_takes_the_month_of_the_title(tmp_path: Path) -> None:
    a = cadre("甲")
    headers = ["身份证号码", "姓名", "奖惩金额", "奖惩事由"]
    rows = [{"身份证号码": a["身份证号码"], "姓名": "甲", "奖惩金额": 80, "奖惩事由": "值班补助"}]
    october = paydata.write_xlsx(tmp_path / "奖惩.xlsx", headers, rows, title="城关镇2026年10月奖惩款项")
    result = run(tmp_path, [a], adjustment_file=october)
    assert lines(result)["甲"]["adjustments"] == "0.00"
    assert result.adjustments[0]["month"] == "2026-10"
    bare = paydata.write_xlsx(tmp_path / "奖惩明细.xlsx", headers, rows)
    result = run(tmp_path, [a], adjustment_file=bare)
    assert lines(result)["甲"]["adjustments"] == "80.00"
    assert any("没有月份列" in w and "按 2026-11 计入" in w for w in result.warnings)


# ---------------------------------------------------------------- pay.yaml


def test_pay_yaml_loads_and_gives_the_default_scale() -> None:
    scale = load_pay_rules(load_ruleset()).for_month(NOV)
    assert money_text(scale.post_pay(13, 1)) == "2000.00" and money_text(scale.post_pay(1, 4)) == "4040.00"
    assert sum(scale.steps.values()) == 41 and len(scale.steps) == 13
    assert scale.level_range == {"正职": (1, 5), "副职": (4, 9), "委员": (8, 13)}
    assert all(u.reference for u in scale.used.values())


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("{优秀: 1.2, 称职: 1.0, 基本称职: 0.6, 不称职: 0}", "{优秀: 1.2, 称职: 1.0, 基本称职: 0.6}", "不称职"),
        ("{正职: 5, 副职: 9, 委员: 13}", "{正职: 5, 副职: 9, 委员: 14}", "委员"),
        ("{value: 0.20,", "{value: -0.20,", "不小于0"),
        ("  pay_band_high:", "  pay_band_top:", "pay_band_top"),
        ("{本科: 0.05, 研究生: 0.08}", "{本科: 0.05, 博士后: 0.08}", "博士后"),
        ("{value: 2000,", "{value: 2000.001,", "两位小数"),
    ],
)
def test_a_bad_pay_yaml_names_file_line_and_value(tmp_path: Path, old: str, new: str, said: str) -> None:
    rules = copy_rules(tmp_path)
    edit(rules / "pay.yaml", old, new)
    with pytest.raises(RulesError) as err:
        load_pay_rules(load_ruleset(rules))
    assert "pay.yaml" in str(err.value) and err.value.line and said in str(err.value)


def test_a_month_before_any_value_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="还没有取值"):
        load_pay_rules(load_ruleset()).for_month(parse_month("2019-05"))


def test_rules_check_checks_pay_yaml(cli: CLI, tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    assert "15 个报酬参数" in cli("rules", "check", rules).stdout
    edit(rules / "pay.yaml", "{正职: 5, 副职: 9, 委员: 13}", "{正职: 5, 副职: 9}")
    run = cli("rules", "check", rules)
    assert run.exit_code == 2 and "pay.yaml" in run.stderr and "委员" in run.stderr


def test_month_numbers_and_ids_as_excel_keeps_them(tmp_path: Path) -> None:
    a, b = cadre("甲"), cadre("乙")
    mangled = {**adjustment(b, 7), "身份证号码": float(str(b["身份证号码"])[:-3] + "000")}
    result = run(tmp_path, [a, b], [adjustment(a, "300元", 2026.11), adjustment(a, 50, 2026.1), mangled])
    # a number 2026.1 in a year.month column is October, as Excel shows 2026.10
    assert [(r["month"], r["status"]) for r in result.adjustments] == [
        ("2026-11", "applied"),
        ("2026-10", "other_month"),
        ("2026-11", "unmatched"),
    ]
    assert "被Excel按数字保存" in result.adjustments[2]["note"]
    assert lines(result)["甲"]["adjustments"] == "300.00"
