"""Policy what-if (SPEC §4.4.1): `--set` overrides a parameter for one run, `--compare` lists who and
what changes, `diff` compares two results; figures checked by hand on small rosters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import badfiles
import paydata
import pytest
from conftest import CLI, ERROR_PREFIX
from hypothesis import given, settings
from hypothesis import strategies as st

from cadretool.compare import compare_vet
from cadretool.errors import CadreToolError
from cadretool.output.schema import SCHEMAS
from cadretool.roster.table import read_roster
from cadretool.rules.overrides import OverrideError, parse_override
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet_roster

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
RANK = {"eligible": 0, "review": 1, "ineligible": 2}


# ---------------------------------------------------------------- parsing and checking a --set


def test_a_set_is_read_as_yaml_with_an_optional_start_date_and_table_entry() -> None:
    o = parse_override("max_age_new_entrant@2026-07-01=40")
    assert (o.name, o.start, o.value, o.key) == ("max_age_new_entrant", dt.date(2026, 7, 1), 40, None)
    assert parse_override("disqualifying_health=[重病，瘫痪]").value == ["重病", "瘫痪"]
    assert parse_override("degree_uplift={本科:6%, 研究生: 0.1}").value == {"本科": 0.06, "研究生": 0.1}
    entry = parse_override("sanction_influence_months.党纪警告=6")
    assert (entry.name, entry.key, entry.value) == ("sanction_influence_months", "党纪警告", 6)
    assert parse_override("min_education_principal=大专").value == "大专"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("max_age_new_entrant", "NAME=VALUE"),
        ("=40", "NAME=VALUE"),
        ("max_age_new_entrant=", "没有写取值"),
        ("max_age_new_entrant@2026-13-01=40", "2026-13-01"),
        ("disqualifying_health=[a, b", "无法读取"),
    ],
)
def test_a_set_that_cannot_be_read_says_why(text: str, words: str) -> None:
    with pytest.raises(OverrideError, match=words):
        parse_override(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("max_age_new_entrnt=40", "是不是 max_age_new_entrant"),
        ("max_age_new_entrant=四十", "不是 number 类型"),
        ("max_age_new_entrant=[40]", "不是 number 类型"),
        ("election_date=明年", "不是 date 类型"),
        ("disqualifying_health=重病", "不是 list 类型"),
        ("max_age_new_entrant.新进=40", "只有 table 类型"),
        ("min_education_principal=博士后", "不是 education 的取值"),
        ("max_age=-5", "取值 -5 不在允许的范围内：16 至 100"),
        ("max_age_incumbent@2026-07-01=0", "取值 0 不在允许的范围内"),
        ("min_party_years=-1", "取值 -1 不在允许的范围内：0 至 50"),
        ("sanction_influence_months.党纪警告=-3", "“党纪警告”的取值 -3 不在允许的范围内"),
        ("young_age@2027-06-01=30", None),  # later than the election date: loads, changes nothing
        ("min_age=50", "min_age（最低年龄（周岁））从 2021-01-01 起为 50，高于 max_age_new_entrant"),
        ("max_age_incumbent@2026-07-01=17", "从 2026-07-01 起为 18，高于 max_age_incumbent"),
    ],
)
def test_a_set_is_checked_like_a_value_of_params_yaml(text: str, words: str | None) -> None:
    from cadretool.rules.overrides import load_with_overrides

    overrides = [parse_override(text)]
    if words is None:
        assert load_with_overrides(lambda o: load_ruleset(None, o), overrides).overrides == overrides
        return
    with pytest.raises(OverrideError, match=words) as err:
        load_with_overrides(lambda o: load_ruleset(None, o), overrides)
    assert text.split("=")[0].split("@")[0].split(".")[0] in str(err.value)
    assert "\n" not in str(err.value)


def test_a_dated_set_keeps_the_earlier_values_and_replaces_the_later_ones() -> None:
    ruleset = load_ruleset(None, [parse_override("max_age_new_entrant@2025-01-01=40")])
    param = ruleset.params["max_age_new_entrant"]
    assert param.at(dt.date(2024, 12, 31)) == 45
    assert param.at(dt.date(2025, 1, 1)) == 40
    assert param.at(dt.date(2026, 12, 31)) == 40  # the 2026-01-01 value of the file is the what-if's now
    whole = load_ruleset(None, [parse_override("max_age_new_entrant=40")]).params["max_age_new_entrant"]
    assert [v for _, v, _ in whole.values] == [40]
    table = load_ruleset(None, [parse_override("sanction_influence_months@2026-07-01.党纪警告=6")])
    assert table.params["sanction_influence_months"].at(dt.date(2026, 6, 30))["党纪警告"] == 12
    assert table.params["sanction_influence_months"].at(dt.date(2026, 7, 1))["党纪警告"] == 6
    assert table.params["sanction_influence_months"].at(dt.date(2026, 7, 1))["记过"] == 12


# ---------------------------------------------------------------- vet


def _vet_roster(path: Path) -> Path:
    people = badfiles.people()
    people.append(
        badfiles._person(
            "陈国强",
            "男",
            dt.date(1983, 5, 1),
            535,
            政治面貌="中共党员",
            入党时间="2010.01",
            转正时间="2011.01",
            文化程度="高中",
            拟任职务="主任",
            **{"村(社区)": "西山村"},
        )
    )
    people.append(badfiles._person("刘芳", "女", dt.date(1995, 2, 3), 646, **{"村(社区)": "西山村"}))
    return badfiles.write_roster_xlsx(path, people)


def test_vet_compare_by_hand(cli: CLI, tmp_path: Path) -> None:
    """东风村: 赵丽 (41, new 委员) goes to review at 40; 西山村: 陈国强 (43, new 主任) too, and with
    him its only 正职 candidate."""
    roster = _vet_roster(tmp_path / "花名册.xlsx")
    run = cli("vet", roster, "--set", "max_age_new_entrant=40", "--compare", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    SCHEMAS["vet"].model_validate(data)
    assert data["rules"]["overrides"] == [
        {"name": "max_age_new_entrant", "key": None, "from": None, "value": 40, "set": "max_age_new_entrant=40"}
    ]
    c = data["comparison"]
    changed = {p["name"]: p for p in c["people"]}
    assert sorted(changed) == ["赵丽", "陈国强"]
    for p in changed.values():
        assert (p["before"]["status"], p["after"]["status"], p["because"]) == ("eligible", "review", ["Q03"])
    assert c["villages_left_without"] == [{"township": "城关镇", "village": "西山村", "lacking": ["正职"]}]
    by_village = {v["village"]: v for v in c["by_village"]}
    assert by_village["东风村"]["changed"] == 1
    assert by_village["东风村"]["before"] == {"people": 4, "eligible": 4, "review": 0, "ineligible": 0}
    assert by_village["东风村"]["after"] == {"people": 4, "eligible": 3, "review": 1, "ineligible": 0}
    assert c["by_township"] == [
        {
            "township": "城关镇",
            "changed": 2,
            "before": {"people": 6, "eligible": 6, "review": 0, "ineligible": 0},
            "after": {"people": 6, "eligible": 4, "review": 2, "ineligible": 0},
        }
    ]
    # the people themselves carry the what-if's verdicts: the run is the variant's
    assert data["summary"]["review"] == 2

    young = cli("vet", roster, "--set", "young_age=30", "--compare", "--format", "json").json["comparison"]
    assert young["people"] == []  # G01 is a village's finding; nobody's own status moves
    # under 30: 东风村 keeps 王建国 (28); 西山村's youngest is 刘芳 (31)
    assert young["villages_left_without"] == [{"township": "城关镇", "village": "西山村", "lacking": ["30岁以下"]}]


def test_vet_compare_workbook_has_the_comparison_and_the_what_if_on_the_rules_sheet(cli: CLI, tmp_path: Path) -> None:
    import openpyxl

    roster = _vet_roster(tmp_path / "花名册.xlsx")
    out = tmp_path / "结果.xlsx"
    run = cli("vet", roster, "--set", "max_age_new_entrant=40", "--compare", "-o", out)
    assert run.exit_code == 0, run.stderr
    assert "假设 / what-if" in run.stdout and "陈国强" in run.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    cells = [str(v) for row in book["政策比较"].iter_rows(values_only=True) for v in row if v is not None]
    assert "陈国强" in cells and "正职" in cells and "Q03" in cells
    rules = [str(v) for row in book["规则"].iter_rows(values_only=True) for v in row if v is not None]
    assert any("max_age_new_entrant=40" in v for v in rules)
    assert any("不是已采纳的政策" in v for v in rules)


def test_vet_compare_of_the_rule_set_with_itself_changes_nothing(cli: CLI) -> None:
    run = cli("vet", SAMPLES / "roster.xlsx", "--set", "max_age_new_entrant=45", "--compare", "--format", "json")
    assert run.exit_code == 0, run.stderr
    c = run.json["comparison"]
    assert c["people"] == [] and c["by_village"] == [] and c["villages_left_without"] == []
    assert c["summary"] == {"changed": 0, "added": 0, "removed": 0, "villages_left_without": 0}


@pytest.fixture(scope="module")
def sample_read() -> tuple:
    ruleset = load_ruleset()
    roster = read_roster([SAMPLES / "roster.xlsx"], ruleset.columns)
    as_of = ruleset.election_date()
    return ruleset, roster, as_of, vet_roster(roster.again(), ruleset, as_of=as_of)


@settings(max_examples=12)
@given(
    name=st.sampled_from(["max_age_new_entrant", "max_age_incumbent", "max_age", "min_party_years"]),
    tighter=st.integers(min_value=0, max_value=20),
)
def test_tightening_a_limit_never_makes_anyone_eligible(sample_read: tuple, name: str, tighter: int) -> None:
    ruleset, roster, as_of, before = sample_read
    base = ruleset.params[name].at(as_of)
    value = base + tighter if name == "min_party_years" else base - tighter  # a minimum rises, a maximum falls
    variant = load_ruleset(None, [parse_override(f"{name}={value}")])
    after = vet_roster(roster.again(), variant, as_of=as_of)
    comparison = compare_vet(before, after, ruleset, variant)
    for p in comparison.people:
        assert RANK[p["after"]["status"]] >= RANK[p["before"]["status"]], p
    worse = (after.people["status"].map(RANK) < before.people["status"].map(RANK)).sum()
    assert worse == 0
    if tighter == 0:
        assert comparison.people == []


# ---------------------------------------------------------------- pay


def _pay_roster(path: Path) -> Path:
    rows = [
        paydata.cadre("张书记", post="书记", level=3, step=1, grade="称职"),
        paydata.cadre("李委员", post="委员", level=10, step=1, grade="优秀", degree="本科"),
        paydata.cadre("王副职", post="副书记", level=6, step=2, grade="基本称职", township="河口乡", village="河口村"),
    ]
    return paydata.roster(path, rows)


def test_pay_compare_by_hand(cli: CLI, tmp_path: Path) -> None:
    """+200 yuan base from July, paid in November:
    张书记 3 级1档 称职: post 3600 → 3800, performance 720 → 760: +240.00
    李委员 10级1档 优秀 本科: post 2480 → 2680, uplift 124 → 134, performance 595.20 → 643.20: +258.00
    王副职 6 级2档 基本称职: post 3160 → 3360, performance 379.20 → 403.20: +224.00
    monthly: 城关镇 498.00, 河口乡 224.00, county 722.00; the year (July–December, 6 months):
    2988.00, 1344.00, 4332.00; back pay July–October (4 months): 2888.00."""
    roster = _pay_roster(tmp_path / "花名册.xlsx")
    args = ["pay", roster, "--month", "2026-11", "--set", "post_pay_base@2026-07-01=2200", "--compare"]
    run = cli(*args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    SCHEMAS["pay"].model_validate(data)
    assert data["rules"]["overrides"][0]["from"] == "2026-07-01"
    lines = {line["name"]: line for line in data["lines"]}
    assert lines["张书记"]["total"] == "4560.00"  # the run itself is the what-if's payroll
    c = data["comparison"]
    people = {p["name"]: p for p in c["people"]}
    assert {n: (p["before"]["amount"], p["after"]["amount"]) for n, p in people.items()} == {
        "张书记": ("4320.00", "4560.00"),
        "李委员": ("3199.20", "3457.20"),
        "王副职": ("3539.20", "3763.20"),
    }
    assert people["李委员"]["because"] == ["P04", "post_pay", "degree_uplift", "performance_pay", "total"]
    assert people["李委员"]["findings_removed"] == ["P04"]  # 3199.20 was below the 3200 band
    costs = c["costs"]
    assert costs["monthly"] == {
        "county": "722.00",
        "townships": {"城关镇": "498.00", "河口乡": "224.00"},
        "villages": {"城关镇/东风村": "498.00", "河口乡/河口村": "224.00"},
    }
    assert costs["annual"]["county"] == "4332.00"
    assert costs["annual"]["townships"] == {"城关镇": "2988.00", "河口乡": "1344.00"}
    assert costs["back_pay_total"] == "2888.00"
    months = sorted({b["month"] for b in costs["back_pay"]})
    assert months == ["2026-07", "2026-08", "2026-09", "2026-10"]
    zhang = [b for b in costs["back_pay"] if b["name"] == "张书记"]
    assert [(b["due"], b["paid"], b["difference"]) for b in zhang] == [("4560.00", "4320.00", "240.00")] * 4
    village = {v["village"]: v for v in c["by_village"]}
    assert village["东风村"]["monthly_difference"] == "498.00"
    assert village["东风村"]["before_amount"] == "7519.20" and village["东风村"]["after_amount"] == "8017.20"

    out = tmp_path / "工资表.xlsx"
    assert cli(*args, "-o", out).exit_code == 0
    import openpyxl

    sheet = openpyxl.load_workbook(out, read_only=True)["政策比较"]
    numbers = {v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, int | float)}
    assert {2888, 4332, 722, 240, 258} <= numbers  # amounts are numbers in the money format


def test_pay_compare_of_the_rule_set_with_itself_changes_nothing(cli: CLI) -> None:
    run = cli(
        "pay",
        SAMPLES / "roster.xlsx",
        "--month",
        "2026-11",
        "--set",
        "post_pay_base=2000",
        "--compare",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    c = run.json["comparison"]
    assert c["people"] == [] and c["costs"]["monthly"]["county"] == "0.00" and c["costs"]["annual"]["county"] == "0.00"
    assert c["costs"]["back_pay"] == []


def test_a_pay_table_entry_and_a_percentage_are_checked_like_pay_yaml(cli: CLI, tmp_path: Path) -> None:
    roster = _pay_roster(tmp_path / "花名册.xlsx")
    ok = cli("pay", roster, "--month", "2026-11", "--set", "degree_uplift.本科=6%", "--format", "json")
    assert ok.exit_code == 0, ok.stderr
    assert {line["name"]: line["degree_uplift"] for line in ok.json["lines"]}["李委员"] == "148.80"
    for bad, words in (
        ("performance_coefficient.卓越=1.5", "不是 columns.yaml 中的考核等次"),
        ("post_pay_base=-5", "不小于0"),
        ("max_age=50", "pay.yaml 中没有参数 max_age"),
    ):
        run = cli("pay", roster, "--month", "2026-11", "--set", bad, "--format", "json")
        assert run.exit_code == 2, bad
        assert len(run.error_lines) == 1 and run.error_lines[0].startswith(ERROR_PREFIX), run.stderr
        assert words in run.stderr and "--set" in run.stderr


def test_compare_needs_a_set(cli: CLI) -> None:
    run = cli("vet", SAMPLES / "roster.xlsx", "--compare", "--format", "json")
    assert run.exit_code == 2 and "--set" in run.stderr


def test_bonus_and_pension_take_the_same_set(cli: CLI, tmp_path: Path) -> None:
    roster = _pay_roster(tmp_path / "花名册.xlsx")
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
        "bonus_cadre_share=0.4",
        "--compare",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    SCHEMAS["bonus"].model_validate(run.json)
    shares = {p["name"]: (p["before"]["amount"], p["after"]["amount"]) for p in run.json["comparison"]["people"]}
    # 3000.00 → 4000.00 by weight 正职 1.0 : 委员 0.6 (1875.00 + 1125.00 → 2500.00 + 1500.00)
    assert shares == {"张书记": ("1875.00", "2500.00"), "李委员": ("1125.00", "1500.00")}
    assert run.json["comparison"]["by_village"][0]["difference"] == "1000.00"

    contributions = SAMPLES / "pension_contributions.xlsx"
    run = cli(
        "pension",
        SAMPLES / "roster.xlsx",
        "-c",
        contributions,
        "--set",
        "retirement_max_delay_months.男60=24",
        "--compare",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    SCHEMAS["pension"].model_validate(run.json)
    moved = [p for p in run.json["comparison"]["people"] if "retirement_month" in p["because"]]
    assert moved and all(p["components"][0]["after"] < p["components"][0]["before"] for p in moved)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("retirement_base_age.男60=-5", "男60 的 -5 不是退休年龄"),
        ("retirement_max_delay_months.男60=-3", "男60 的 -3 应为不小于0的整月数"),
        ("minimum_contribution_months.2030=186.5", "2030 年的 186.5 应为不小于0的整月数"),
    ],
)
def test_a_pension_set_that_makes_no_sense_is_refused(cli: CLI, text: str, said: str) -> None:
    run = cli("pension", SAMPLES / "roster.xlsx", "-c", SAMPLES / "pension_contributions.xlsx", "--set", text)
    assert run.exit_code == 2
    [line] = run.error_lines
    assert f"--set {text}" in line and said in line, line


# ---------------------------------------------------------------- diff


def test_diff_of_the_sample_before_and_after_evidence(cli: CLI, tmp_path: Path) -> None:
    before, after = tmp_path / "初审.json", tmp_path / "复审.json"
    assert (
        cli("vet", SAMPLES / "roster.xlsx", "--format", "json", "--json", before, "-o", tmp_path / "a.xlsx").exit_code
        == 0
    )
    evidence = ["-e", SAMPLES / "evidence_公安.xlsx", "-e", SAMPLES / "evidence_纪委监委.csv"]
    assert (
        cli(
            "vet", SAMPLES / "roster.xlsx", *evidence, "--format", "json", "--json", after, "-o", tmp_path / "b.xlsx"
        ).exit_code
        == 0
    )
    run = cli("diff", before, after, "--format", "json")
    assert run.exit_code == 0, run.stderr
    SCHEMAS["diff"].model_validate(run.json)
    c = run.json["comparison"]
    old = {p["id_number"]: p for p in json.loads(before.read_text(encoding="utf-8"))["people"] if p["id_number"]}
    new = {p["id_number"]: p for p in json.loads(after.read_text(encoding="utf-8"))["people"] if p["id_number"]}
    moved = {i for i in old.keys() & new.keys() if old[i]["status"] != new[i]["status"]}
    listed = {p["id_number"] for p in c["people"] if p["before"]["status"] != p["after"]["status"]}
    assert listed == moved and moved
    for p in c["people"]:
        assert p["because"] and set(p["because"]) == set(p["findings_added"]) | set(p["findings_removed"])
        assert all(r[0] in "NE" for r in p["findings_added"])  # only the evidence changed
    same = cli("diff", before, before, "--format", "json").json["comparison"]
    assert same["people"] == [] and same["summary"]["changed"] == 0
    out = tmp_path / "对比.xlsx"
    table = cli("diff", before, after, "-o", out)
    assert table.exit_code == 0 and out.is_file() and "变化" in table.stdout


def test_diff_of_two_payrolls_by_id_number(cli: CLI, tmp_path: Path) -> None:
    roster = _pay_roster(tmp_path / "花名册.xlsx")
    oct_, nov = tmp_path / "10月.json", tmp_path / "11月.json"
    oct_.write_text(cli("pay", roster, "--month", "2026-10", "--format", "json").stdout, encoding="utf-8")
    nov.write_text(
        cli("pay", roster, "--month", "2026-11", "--set", "post_pay_per_step@2026-11-01=50", "--format", "json").stdout,
        encoding="utf-8",
    )
    c = cli("diff", oct_, nov, "--format", "json").json["comparison"]
    assert [(p["name"], p["before"]["amount"], p["after"]["amount"]) for p in c["people"]] == [
        ("王副职", "3539.20", "3550.40")  # step 2: post +10.00, performance +1.20 (基本称职 0.6 × 20%)
    ]
    assert any("假设参数" in n for n in c["notes"])


@pytest.mark.parametrize(
    ("content", "words"),
    [("{bad", "不是本工具写出的 JSON"), ('{"x": 1}', "缺少 schema_version"), (None, "无法读取")],
)
def test_diff_of_a_file_that_is_no_result_is_one_line_naming_it(
    cli: CLI, tmp_path: Path, content: str | None, words: str
) -> None:
    good = tmp_path / "好.json"
    good.write_text(cli("vet", SAMPLES / "roster_gbk.csv", "--format", "json").stdout, encoding="utf-8")
    bad = tmp_path / "坏.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    run = cli("diff", bad, good)
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and "坏.json" in run.stderr and words in run.stderr


def test_diff_of_two_commands_is_refused(cli: CLI, tmp_path: Path) -> None:
    vet_json, pay_json = tmp_path / "v.json", tmp_path / "p.json"
    vet_json.write_text(cli("vet", SAMPLES / "roster_gbk.csv", "--format", "json").stdout, encoding="utf-8")
    pay_json.write_text(
        cli("pay", SAMPLES / "roster.xlsx", "--month", "2026-11", "--format", "json").stdout, encoding="utf-8"
    )
    run = cli("diff", vet_json, pay_json)
    assert run.exit_code == 2 and len(run.error_lines) == 1 and "vet" in run.stderr and "pay" in run.stderr


def test_errors_are_cadretool_errors() -> None:
    assert issubclass(OverrideError, CadreToolError)


def test_a_table_given_in_part_changes_only_the_entries_it_names() -> None:
    ruleset = load_ruleset(None, [parse_override("sanction_influence_months={党纪警告: 6, 记过: 6}")])
    table = ruleset.params["sanction_influence_months"].at(dt.date(2026, 12, 31))
    assert (table["党纪警告"], table["记过"], table["撤职"]) == (6, 6, 24)
    assert ruleset.params["sanction_influence_months"].values[0][2].startswith("假设")


def test_each_workbook_beside_its_input_compares_its_own_people(cli: CLI, tmp_path: Path) -> None:
    import openpyxl

    folder = tmp_path / "各村"
    folder.mkdir()
    badfiles.write_roster_xlsx(folder / "东风村.xlsx", badfiles.people())
    west = [
        badfiles._person("陈国强", "男", dt.date(1983, 5, 1), 535, 拟任职务="委员", **{"村(社区)": "西山村"}),
    ]
    badfiles.write_roster_xlsx(folder / "西山村.xlsx", west)
    run = cli("vet", folder, "--set", "max_age_new_entrant=40", "--compare")
    assert run.exit_code == 0, run.stderr
    for village, name in (("东风村", "赵丽"), ("西山村", "陈国强")):
        sheet = openpyxl.load_workbook(folder / f"{village}_审查结果.xlsx", read_only=True)["政策比较"]
        cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
        other = "陈国强" if name == "赵丽" else "赵丽"
        assert name in cells and other not in cells


def test_explain_under_a_what_if_says_so_and_uses_its_value(cli: CLI, tmp_path: Path) -> None:
    """The person vet --compare lists as changed is explained under the same --set: the 假设 line
    first, and the rule deciding with the what-if's value (42, above 40)."""
    person = "522702198407154919"  # 田鹏平, 42, a new entrant: eligible at 45, not at 40
    plain = cli("explain", SAMPLES / "roster.xlsx", "--id", person)
    assert "假设" not in plain.stdout
    run = cli("explain", SAMPLES / "roster.xlsx", "--id", person, "--set", "max_age_new_entrant=40")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith("假设 / what-if（不是已采纳的政策）: max_age_new_entrant=40")
    as_json = cli(
        "explain", SAMPLES / "roster.xlsx", "--id", person, "--set", "max_age_new_entrant=40", "--format", "json"
    )
    assert "假设" in as_json.stderr  # the JSON on stdout stays a document
    [q03] = [r for r in as_json.json["people"][0]["rules"] if r["rule"] == "Q03"]
    assert q03["outcome"] == "fail" and q03["values"]["max_age_new_entrant（参数）"] == "40"
    bad = cli("explain", SAMPLES / "roster.xlsx", "--id", person, "--set", "max_age=-5")
    assert bad.exit_code == 2 and "不在允许的范围内" in bad.stderr


def test_explain_pay_under_a_what_if_uses_its_value(cli: CLI, tmp_path: Path) -> None:
    roster = _pay_roster(tmp_path / "花名册.xlsx")
    run = cli(
        "explain", roster, "--id", "张书记", "--pay", "2026-11", "--set", "post_pay_base=2200", "--format", "json"
    )
    assert run.exit_code == 0, run.stderr
    components = {c["component"]: c for c in run.json["people"][0]["components"]}
    assert components["post_pay"]["how"].startswith("2200.00 + ") and components["post_pay"]["how"].endswith("3800.00")
    assert "假设" in run.stderr


def test_career_under_a_what_if_counts_with_its_value_and_says_so(cli: CLI, tmp_path: Path) -> None:
    """One full term as 正职 instead of career.yaml's: more people eligible, the what-if in the JSON's
    rules and on the workbook's 规则 sheet, a name career.yaml lacks refused."""
    own = cli("career", SAMPLES / "roster.xlsx", "--format", "json").json
    out = tmp_path / "晋升.xlsx"
    run = cli("career", SAMPLES / "roster.xlsx", "--set", "career_min_principal_terms=1", "--format", "json", "-o", out)
    assert run.exit_code == 0, run.stderr
    what_if = run.json
    assert what_if["summary"]["eligible"] > own["summary"]["eligible"]
    assert [o["set"] for o in what_if["rules"]["overrides"]] == ["career_min_principal_terms=1"]
    assert "overrides" not in own["rules"] and "假设" in run.stderr
    import openpyxl

    cells = [str(c) for row in openpyxl.load_workbook(out)["规则"].values for c in row if c]
    assert any("career_min_principal_terms=1" in c for c in cells)
    bad = cli("career", SAMPLES / "roster.xlsx", "--set", "max_age=50")
    assert bad.exit_code == 2 and "career.yaml 中没有参数 max_age" in bad.stderr


def test_tuition_under_a_what_if_pays_its_share(cli: CLI) -> None:
    """本科 paid back 2/3 instead of 1/2: 陈成超's 6800.00 gives 4533.33 (half up to the fen)."""
    args = ["tuition", SAMPLES / "tuition_claims.xlsx", "-r", SAMPLES / "cadres.xlsx", "--format", "json"]
    own = {c["name"]: c for c in cli(*args).json["claims"]}
    run = cli(*args, "--set", "tuition_share=[本科=2/3, 研究生=3/4]")
    assert run.exit_code == 0, run.stderr
    mine = {c["name"]: c for c in run.json["claims"]}
    assert own["陈成超"]["reimbursement"] == "3400.00" and mine["陈成超"]["reimbursement"] == "4533.33"
    assert mine["陈成超"]["reason"] == "在职本科学历，报销学费的2/3"
