"""What-if (`--set`, `--compare`) and `diff` tried the way a county analyst or a pay clerk would, with
policy changes nobody wrote down beforehand: full-width input, one parameter set twice, a table
entry that does not exist, a parameter the command never reads, labels a clerk can read, titles
that quote a changed value, and two results whose people changed their ID numbers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import badfiles
import paydata
import pytest
from conftest import CLI

from cadretool.rules.overrides import OverrideError, load_with_overrides, parse_override
from cadretool.rules.ruleset import load_ruleset

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _load(*texts: str):  # noqa: ANN202
    return load_with_overrides(lambda o: load_ruleset(None, o), [parse_override(t) for t in texts])


# ---------------------------------------------------------------- reading a --set


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("max_age_new_entrant＝４０", "max_age_new_entrant", 40),
        ("performance_share=２５％", "performance_share", 0.25),
        ("disqualifying_health=[重病、瘫痪]", "disqualifying_health", ["重病", "瘫痪"]),
        ("disqualifying_health=【重病、瘫痪】", "disqualifying_health", ["重病", "瘫痪"]),
        ("degree_uplift=｛本科：６％，研究生：１０％｝", "degree_uplift", {"本科": 0.06, "研究生": 0.1}),
    ],
)
def test_full_width_characters_and_the_enumeration_comma_read_as_a_clerk_means_them(
    text: str, name: str, value: object
) -> None:
    o = parse_override(text)
    assert (o.name, o.value) == (name, value)
    assert o.text == text  # the outputs quote the --set as it was typed


def test_a_full_width_date_reads_too() -> None:
    o = parse_override("max_age_new_entrant＠２０２６－０７－０１＝４０")
    assert (o.name, o.start, o.value) == ("max_age_new_entrant", dt.date(2026, 7, 1), 40)


def test_a_list_written_without_brackets_says_how_to_write_one() -> None:
    with pytest.raises(OverrideError, match=r"\[甲, 乙\]"):
        _load("disqualifying_health=重病、瘫痪")


def test_a_table_entry_of_the_wrong_type_names_the_entry_not_the_whole_table() -> None:
    with pytest.raises(OverrideError) as err:
        _load("sanction_influence_months.党纪警告=永久")
    message = str(err.value)
    assert "党纪警告" in message and "永久" in message and "撤职" not in message


# ---------------------------------------------------------------- one parameter set twice


def test_dated_sets_of_one_parameter_hold_from_their_own_dates_in_either_order() -> None:
    a = _load("max_age_new_entrant@2026-07-01=40", "max_age_new_entrant@2026-01-01=42")
    b = _load("max_age_new_entrant@2026-01-01=42", "max_age_new_entrant@2026-07-01=40")
    for ruleset in (a, b):
        param = ruleset.params["max_age_new_entrant"]
        assert param.at(dt.date(2025, 12, 31)) == 45
        assert param.at(dt.date(2026, 3, 1)) == 42
        assert param.at(dt.date(2026, 8, 1)) == 40
    # a whole-run value and a dated one: the dated one holds from its date, typed first or last
    c = _load("max_age_new_entrant@2026-07-01=40", "max_age_new_entrant=50").params["max_age_new_entrant"]
    assert (c.at(dt.date(2026, 3, 1)), c.at(dt.date(2026, 8, 1))) == (50, 40)


@pytest.mark.parametrize(
    "texts",
    [
        ("post_pay_base=2100", "post_pay_base=2200"),
        ("max_age_new_entrant@2026-07-01=40", "max_age_new_entrant@2026-07-01=42"),
        ("sanction_influence_months.党纪警告=6", "sanction_influence_months={党纪警告: 9}"),
        ("sanction_influence_months={党纪警告: 6}", "sanction_influence_months=[1]"),
    ],
)
def test_two_values_for_one_parameter_from_one_date_are_an_error_naming_both(texts: tuple[str, str]) -> None:
    from cadretool.rules.overrides import apply_overrides

    ruleset = load_ruleset(None)
    from cadretool.rules.payrules import load_pay_rules

    params = dict(ruleset.params)
    if texts[0].startswith("post_pay_base"):
        with pytest.raises(OverrideError) as err:
            load_pay_rules(ruleset, [parse_override(t) for t in texts])
    else:
        with pytest.raises(OverrideError) as err:
            apply_overrides(params, [parse_override(t) for t in texts], "params.yaml")
    assert all(t in str(err.value) for t in texts) and "\n" not in str(err.value)


def test_the_same_value_twice_is_no_conflict() -> None:
    ruleset = _load("max_age_new_entrant=40", "max_age_new_entrant=40")
    assert ruleset.params["max_age_new_entrant"].at(dt.date(2026, 12, 31)) == 40
    table = _load("sanction_influence_months.党纪警告=6", "sanction_influence_months={党纪警告: 6, 记过: 3}")
    assert table.params["sanction_influence_months"].at(dt.date(2026, 12, 31))["记过"] == 3


def test_a_pay_change_typed_after_an_earlier_one_keeps_its_back_pay(cli: CLI, tmp_path: Path) -> None:
    """2100 from January and 2200 from July, typed in either order: November pays 2200."""
    roster = paydata.roster(tmp_path / "花名册.xlsx", [paydata.cadre("李委员", post="委员", level=13, step=1)])
    totals = []
    for order in (("@2026-01-01=2100", "@2026-07-01=2200"), ("@2026-07-01=2200", "@2026-01-01=2100")):
        sets = [a for o in order for a in ("--set", f"post_pay_base{o}")]
        run = cli("pay", roster, "--month", "2026-11", *sets, "--format", "json")
        assert run.exit_code == 0, run.stderr
        totals.append(run.json["lines"][0]["post_pay"])
    assert totals == ["2200.00", "2200.00"]


# ---------------------------------------------------------------- entries and parameters nobody reads


def test_a_table_entry_no_record_can_have_is_refused() -> None:
    with pytest.raises(OverrideError, match="党纪处分") as err:
        _load("sanction_influence_months.党纪处分=12")
    assert "表达式" not in str(err.value)  # the clerk is told about the value, not the rule file's insides
    assert (
        _load("sanction_influence_months.记过=6").params["sanction_influence_months"].at(dt.date(2026, 12, 31))["记过"]
        == 6
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("leaving_allowance_per_year.书记=30", "书记"),
        ("flexible_early_max_months=-3", "flexible_early_max_months"),
        ("leaving_allowance_per_year.正职=-5", "leaving_allowance_per_year"),
    ],
)
def test_a_pension_value_the_schedule_cannot_use_is_refused(cli: CLI, tmp_path: Path, text: str, words: str) -> None:
    run = cli(
        "pension",
        SAMPLES / "roster_gbk.csv",
        "-c",
        SAMPLES / "pension_contributions.xlsx",
        "--set",
        text,
        "-o",
        tmp_path / "养老.xlsx",
    )
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and words in run.stderr and text in run.stderr


def test_a_set_the_command_does_not_read_is_noted(cli: CLI, tmp_path: Path) -> None:
    roster = paydata.roster(tmp_path / "花名册.xlsx", [paydata.cadre("李委员", post="委员", level=13, step=1)])
    pay = cli("pay", roster, "--month", "2026-11", "--set", "bonus_cadre_share=0.5", "--format", "json")
    assert pay.exit_code == 0, pay.stderr
    assert any("bonus_cadre_share" in n and "不使用" in n for n in pay.json["notes"])
    income = paydata.write_xlsx(
        tmp_path / "收益.xlsx", paydata.INCOME_HEADERS, [paydata.income("城关镇", "东风村", "10000")]
    )
    bonus = cli(
        "bonus", roster, "--year", "2026", "--income", income, "--set", "post_pay_base=3000", "--format", "json"
    )
    assert bonus.exit_code == 0, bonus.stderr
    assert any("post_pay_base" in n and "不使用" in n for n in bonus.json["notes"])
    used = cli("pay", roster, "--month", "2026-11", "--set", "post_pay_base=2100", "--format", "json")
    assert not any("不使用" in n for n in used.json["notes"])


def test_a_reward_value_from_after_the_year_is_noted(cli: CLI, tmp_path: Path) -> None:
    roster = paydata.roster(tmp_path / "花名册.xlsx", [paydata.cadre("李委员", post="委员", level=13, step=1)])
    income = paydata.write_xlsx(
        tmp_path / "收益.xlsx", paydata.INCOME_HEADERS, [paydata.income("城关镇", "东风村", "10000")]
    )
    run = cli(
        "bonus",
        roster,
        "--year",
        "2026",
        "--income",
        income,
        "--set",
        "bonus_cadre_share@2027-01-01=0.5",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    assert any("2027-01-01" in n and "未生效" in n for n in run.json["notes"])


# ---------------------------------------------------------------- what a clerk reads


def _sheet_cells(path: Path, name: str) -> list[str]:
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True)[name]
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


def test_the_comparison_sheet_names_reward_pools_and_pension_figures_in_chinese(cli: CLI, tmp_path: Path) -> None:
    roster = paydata.roster(
        tmp_path / "花名册.xlsx",
        [paydata.cadre("张书记", post="书记", level=3, step=1), paydata.cadre("李委员", post="委员", level=13)],
    )
    income = paydata.write_xlsx(
        tmp_path / "收益.xlsx", paydata.INCOME_HEADERS, [paydata.income("城关镇", "东风村", "10000")]
    )
    out = tmp_path / "奖励.xlsx"
    run = cli(
        "bonus", roster, "--year", "2026", "--income", income, "--set", "bonus_cadre_share=40%", "--compare", "-o", out
    )
    assert run.exit_code == 0, run.stderr
    cells = _sheet_cells(out, "政策比较")
    assert "干部奖励" in cells and "cadre" not in cells
    assert any(c.startswith("干部奖励 1875.00 → 2500.00") for c in cells)  # 3000 → 4000 by 1.0 : 0.6

    out = tmp_path / "养老.xlsx"
    run = cli(
        "pension",
        SAMPLES / "roster.xlsx",
        "-c",
        SAMPLES / "pension_contributions.xlsx",
        "--set",
        "minimum_contribution_months@2026-01-01={1998: 240}",
        "--compare",
        "-o",
        out,
    )
    assert run.exit_code == 0, run.stderr
    cells = _sheet_cells(out, "政策比较")
    # 吴倩 (sample PEN-1): minimum 180 → 240, shortfall 75 → 135
    assert "最低缴费月数 180 → 240；缺口月数 75 → 135" in cells
    assert not any("minimum_months" in c or "shortfall_months" in c for c in cells)


def test_a_village_left_without_a_young_candidate_names_the_young_age_in_force(cli: CLI, tmp_path: Path) -> None:
    """东风村 (badfiles): 王建国 28 is its youngest; under young_age=25 nobody is young enough."""
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", badfiles.people())
    run = cli("vet", roster, "--set", "young_age=25", "--compare", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["comparison"]["villages_left_without"] == [
        {"township": "城关镇", "village": "东风村", "lacking": ["25岁以下"]}
    ]
    before, after = tmp_path / "前.json", tmp_path / "后.json"
    before.write_text(cli("vet", roster, "--format", "json").stdout, encoding="utf-8")
    after.write_text(cli("vet", roster, "--set", "young_age=25", "--format", "json").stdout, encoding="utf-8")
    diff = cli("diff", before, after, "--format", "json")
    assert diff.exit_code == 0, diff.stderr
    assert diff.json["comparison"]["villages_left_without"] == [
        {"township": "城关镇", "village": "东风村", "lacking": ["25岁以下"]}
    ]


# ---------------------------------------------------------------- titles that quote a value


def test_a_title_quoting_a_parameter_shows_the_value_in_force(cli: CLI, tmp_path: Path) -> None:
    """Q03's title quotes 45 and 55; under max_age_new_entrant=40 every output says 40. Q04's
    adopted wording (高中（中专）) is kept and says which value the run used."""
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", badfiles.people())
    out = tmp_path / "结果.xlsx"
    sets = ["--set", "max_age_new_entrant=40", "--set", "min_education_principal=大专"]
    run = cli("vet", roster, *sets, "-o", out)
    assert run.exit_code == 0, run.stderr
    cells = _sheet_cells(out, "规则")
    assert "新进人选不超过40周岁、留任人选不超过55周岁" in cells
    assert "新进书记、主任人选具有高中（中专）及以上学历（假设：min_education_principal=大专）" in cells
    assert not any("45周岁" in c for c in cells)
    from cadretool.vet import rule_infos

    adopted = {i.id: i.title for i in rule_infos(load_ruleset(None), dt.date(2026, 12, 31))}
    assert adopted["Q03"] == "新进人选不超过45周岁、留任人选不超过55周岁"  # nothing set: the adopted wording
    assert adopted["G01"] == "每村至少有一名35周岁以下人选"
    assert not any("{" in t for t in adopted.values())


def test_a_title_may_quote_parameters_only(tmp_path: Path) -> None:
    import shutil

    from cadretool.errors import RulesError

    folder = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", folder)
    path = folder / "eligibility.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: 年满{min_age}周岁", "title: 年满{age}周岁"), encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"\{age\}") as err:
        load_ruleset(folder)
    assert "Q01" in str(err.value)


# ---------------------------------------------------------------- diff when ID numbers change


def test_diff_matches_a_person_whose_id_number_changed_by_sheet_row_and_name(cli: CLI, tmp_path: Path) -> None:
    """复审 corrected one ID number and masked nothing; 初审 was written with --mask-ids for one run:
    nobody is counted removed and added for a changed ID alone, and the note names who."""
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", badfiles.people())
    first = json.loads(cli("vet", roster, "--format", "json").stdout)
    second = json.loads(json.dumps(first))
    person = next(p for p in second["people"] if p["status"] == "eligible" and p["id_number"])
    person["id_number"] = badfiles.id_number(dt.date(1970, 1, 1), 991)  # corrected to another valid number
    old, new = tmp_path / "初审.json", tmp_path / "复审.json"
    old.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    new.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    c = cli("diff", old, new, "--format", "json").json["comparison"]
    assert c["summary"] == {"changed": 0, "added": 0, "removed": 0, "villages_left_without": 0}
    assert any(person["name"] in n and "身份证号码不同" in n for n in c["notes"])

    masked = tmp_path / "初审_隐去.json"
    masked.write_text(cli("vet", roster, "--format", "json", "--mask-ids").stdout, encoding="utf-8")
    both = cli("diff", masked, old, "--format", "json").json["comparison"]
    assert both["summary"]["added"] == 0 and both["summary"]["removed"] == 0
    assert both["matched_by_row"] == len(first["people"])


def test_diff_still_counts_a_person_who_really_left(cli: CLI, tmp_path: Path) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", badfiles.people())
    first = json.loads(cli("vet", roster, "--format", "json").stdout)
    second = json.loads(json.dumps(first))
    gone = second["people"].pop(0)
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    old.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    new.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    c = cli("diff", old, new, "--format", "json").json["comparison"]
    assert [(p["name"], p["change"]) for p in c["people"]] == [(gone["name"], "removed")]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("performance_share=25", "25%"),
        ("degree_uplift.本科=6", "6%"),
        ("bonus_cadre_share=30", "30%"),
    ],
)
def test_a_share_written_as_a_whole_number_is_refused_with_the_way_to_write_it(
    cli: CLI, tmp_path: Path, text: str, hint: str
) -> None:
    """performance_share=25 meant 25%: paying 25 times the post pay is no what-if anyone asked for."""
    roster = paydata.roster(tmp_path / "花名册.xlsx", [paydata.cadre("李委员", post="委员", level=13, step=1)])
    run = cli("pay", roster, "--month", "2026-11", "--set", text, "--format", "json")
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and text in run.stderr and hint in run.stderr
    assert (
        cli("pay", roster, "--month", "2026-11", "--set", text.replace("=", "=0."), "--format", "json").exit_code == 0
    )


def test_last_months_payroll_redone_under_a_what_if_says_so(cli: CLI, tmp_path: Path) -> None:
    """October was paid at post_pay_base 2000; a what-if of 2200 from October makes October's line
    differ, and the 变动 sheet says it is the what-if's figure, not the rule set's."""
    roster = paydata.roster(tmp_path / "花名册.xlsx", [paydata.cadre("李委员", post="委员", level=13, step=1)])
    october = tmp_path / "10月.xlsx"
    assert cli("pay", roster, "--month", "2026-10", "-o", october).exit_code == 0
    out = tmp_path / "11月.xlsx"
    run = cli(
        "pay", roster, "--month", "2026-11", "--previous", october, "--set", "post_pay_base@2026-10-01=2200", "-o", out
    )
    assert run.exit_code == 0, run.stderr
    cells = _sheet_cells(out, "变动")
    assert any("按假设参数" in c and "2200.00" in c for c in cells), cells
    assert not any("按现行规则集" in c for c in cells)


def test_a_later_election_date_ages_the_candidates_it_compares(cli: CLI, tmp_path: Path) -> None:
    """南山村's only candidate under 35 (born 1992-03) is 34 on 2026-12-31 and 35 on 2027-06-30:
    moving the election (the as-of date) leaves the village without a young candidate."""
    rows = [
        badfiles._person("周青", "男", dt.date(1992, 3, 1), 535, **{"村(社区)": "南山村"}),
        badfiles._person("吴敏", "女", dt.date(1975, 5, 5), 646, **{"村(社区)": "南山村"}),
    ]
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", rows)
    run = cli("vet", roster, "--set", "election_date=2027-06-30", "--compare", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["comparison"]["villages_left_without"] == [
        {"township": "城关镇", "village": "南山村", "lacking": ["35岁以下"]}
    ]


def test_a_pay_what_if_that_leaves_a_line_unpayable_says_it_is_no_saving(cli: CLI, tmp_path: Path) -> None:
    """委员 may be set at levels 8–13; narrowing to 10–13 leaves 李委员 (level 9) unpayable: the
    month's cost falls by his pay, and the comparison says why rather than showing a saving alone."""
    roster = paydata.roster(
        tmp_path / "花名册.xlsx",
        [paydata.cadre("李委员", post="委员", level=9, step=1), paydata.cadre("王委员", post="委员", level=13)],
    )
    run = cli(
        "pay", roster, "--month", "2026-11", "--set", "highest_level_by_group.委员=10", "--compare", "--format", "json"
    )
    assert run.exit_code == 0, run.stderr
    c = run.json["comparison"]
    assert [(p["name"], p["before"]["status"], p["after"]["status"]) for p in c["people"]] == [
        ("李委员", "paid", "not_paid")
    ]
    assert any(n.startswith("发放 → 暂不发放：1 人") and "不是节省" in n for n in c["notes"])


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda d: d.update(people=None), "people"),
        (lambda d: d["people"][0].pop("status"), "people.0.status"),
        (lambda d: d["people"].__setitem__(0, "x"), "people.0"),
    ],
)
def test_diff_of_a_damaged_result_names_where_not_a_python_message(
    cli: CLI, tmp_path: Path, damage: object, where: str
) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", badfiles.people())
    good = json.loads(cli("vet", roster, "--format", "json").stdout)
    bad = json.loads(json.dumps(good))
    damage(bad)  # type: ignore[operator]
    old, new = tmp_path / "初审.json", tmp_path / "坏.json"
    old.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    new.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    run = cli("diff", old, new)
    assert run.exit_code == 2 and len(run.error_lines) == 1
    assert "坏.json" in run.stderr and f"{where} " in run.stderr
    assert "object" not in run.stderr and "Traceback" not in run.stderr
