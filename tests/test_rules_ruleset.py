"""Loading rule sets strictly: a rule author's mistakes name the file, the line and the rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rulesets import copy_rules, edit
from typer.testing import CliRunner

from cadretool.cli import app
from cadretool.errors import RulesError
from cadretool.rules.ruleset import load_ruleset

runner = CliRunner()


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_rules(tmp_path)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_default_rule_set_loads_with_every_rule() -> None:
    ruleset = load_ruleset()
    ids = [r.id for r in ruleset.all_rules]
    assert ids[:10] == [f"Q{i:02d}" for i in range(1, 11)]
    assert {"S01", "G01", "G02"} <= set(ids)
    assert [r.id for r in ruleset.negative] == [f"N{i:02d}" for i in range(1, 11)]
    assert len(ruleset.sha256) == 64


def test_hash_changes_when_a_rule_changes(rules_copy: Path) -> None:
    before = load_ruleset(rules_copy).sha256
    edit(rules_copy / "params.yaml", "2021-01-01: {value: 18,", "2021-01-01: {value: 19,")
    assert load_ruleset(rules_copy).sha256 != before


def test_unknown_key_names_file_line_and_rule(rules_copy: Path) -> None:
    path = rules_copy / "eligibility.yaml"
    edit(path, "    title: 年龄不超过{max_age}周岁\n", "    title: 年龄不超过{max_age}周岁\n    severty: review\n")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    text = str(err.value)
    assert "eligibility.yaml" in text and "Q02" in text and "severty" in text
    assert err.value.line == line_of(path, "severty")


def test_duplicate_rule_id_names_both_places(rules_copy: Path) -> None:
    path = rules_copy / "eligibility.yaml"
    edit(path, "  - id: Q02\n", "  - id: Q01\n")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "Q01" in str(err.value) and "重复" in str(err.value)
    assert "eligibility.yaml:" in str(err.value)  # the other definition's place


@pytest.mark.parametrize(("file", "rule"), [("eligibility.yaml", "Q10"), ("negative_list.yaml", "N10")])
def test_a_rule_renamed_to_an_id_of_the_tool_is_refused(rules_copy: Path, file: str, rule: str) -> None:
    path = rules_copy / file
    edit(path, f"  - id: {rule}\n", "  - id: D01\n")
    with pytest.raises(RulesError, match=r"规则编号 D01 是本工具自带的检查（身份证号码无效）的编号") as err:
        load_ruleset(rules_copy)
    assert err.value.path.endswith(file) and err.value.line == line_of(path, "  - id: D01")


def test_unknown_field_in_condition(rules_copy: Path) -> None:
    edit(rules_copy / "eligibility.yaml", "require: age >= min_age", "require: agee >= min_age")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "agee" in str(err.value) and "Q01" in str(err.value)
    assert "^" in str(err.value)  # points at the place in the expression


def test_unknown_parameter_in_message(rules_copy: Path) -> None:
    edit(rules_copy / "eligibility.yaml", "年龄{age}岁，未满{min_age}周岁", "年龄{age}岁，未满{minimum}周岁")
    with pytest.raises(RulesError, match="minimum"):
        load_ruleset(rules_copy)


def test_type_mismatch_in_condition(rules_copy: Path) -> None:
    edit(rules_copy / "eligibility.yaml", "require: age >= min_age", "require: age >= '十八'")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "Q01" in str(err.value) and "比较" in str(err.value)


def test_vocabulary_typo_in_literal(rules_copy: Path) -> None:
    edit(
        rules_copy / "eligibility.yaml",
        "require: political_status == '中共党员'",
        "require: political_status == '共产党员'",
    )
    with pytest.raises(RulesError, match="共产党员"):
        load_ruleset(rules_copy)


def test_parameter_value_of_wrong_type(rules_copy: Path) -> None:
    edit(rules_copy / "params.yaml", "{value: 60, reference", "{value: sixty, reference")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "max_age" in str(err.value) and err.value.line is not None


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("{value: 60, reference", "{value: -60, reference", "max_age（最高年龄（周岁））从 2021-01-01 起的取值 -60"),
        (
            "{value: 55, reference",
            "{value: 0, reference",
            "max_age_incumbent（留任人选最高年龄（周岁））从 2021-01-01 起的取值 0",
        ),
        ("党纪警告: 12,", "党纪警告: -12,", "sanction_influence_months"),
    ],
)
def test_a_number_outside_its_range_names_file_line_and_range(rules_copy: Path, old: str, new: str, words: str) -> None:
    path = rules_copy / "params.yaml"
    edit(path, old, new)
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2
    assert words in result.stderr and "不在允许的范围内" in result.stderr
    assert "params.yaml:" in result.stderr and "Traceback" not in result.output + result.stderr


def test_a_range_that_is_empty_or_on_text_is_refused(rules_copy: Path) -> None:
    path = rules_copy / "params.yaml"
    edit(path, "    title: 最低年龄（周岁）\n    min: 16\n", "    title: 最低年龄（周岁）\n    min: 101\n")
    with pytest.raises(RulesError, match="min 101 大于 max 100") as err:
        load_ruleset(rules_copy)
    assert "Value error" not in str(err.value) and err.value.line == line_of(path, "  min_age:")
    edit(path, "    min: 101\n", "    min: 16\n")
    edit(path, "    title: 其他人选最低学历\n", "    title: 其他人选最低学历\n    min: 0\n")
    with pytest.raises(RulesError, match="min/max 只用于 number 或 table"):
        load_ruleset(rules_copy)


def test_a_lower_limit_above_its_upper_limit_is_refused(rules_copy: Path) -> None:
    """min_age 60 with max_age_new_entrant 45 would leave nobody eligible: a swap, refused at min_age's line."""
    path = rules_copy / "params.yaml"
    edit(
        path,
        "{value: 18, reference: 《村民委员会组织法》第十三条}",
        "{value: 60, reference: 《村民委员会组织法》第十三条}",
    )
    with pytest.raises(
        RulesError, match="min_age（最低年龄（周岁））从 2021-01-01 起为 60，高于 max_age_new_entrant"
    ) as err:
        load_ruleset(rules_copy)
    assert err.value.line == line_of(path, "  min_age:")
    edit(path, "    not_above: [max_age, max_age_new_entrant, max_age_incumbent]\n", "    not_above: [min_education]\n")
    with pytest.raises(RulesError, match="not_above 应为数字参数，min_education 不是"):
        load_ruleset(rules_copy)


def test_a_table_entry_of_the_wrong_type_is_named(rules_copy: Path) -> None:
    path = rules_copy / "params.yaml"
    edit(path, "党纪警告: 12,", "党纪警告: 十二,")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "sanction_influence_months 从 2021-01-01 起“党纪警告”的取值 '十二' 不是数字" in str(err.value)
    assert "党纪严重警告" not in str(err.value) and err.value.line == line_of(path, "sanction_influence_months:")


def test_yaml_syntax_error_has_line(rules_copy: Path) -> None:
    path = rules_copy / "negative_list.yaml"
    edit(path, "    hit: flag\n", "    hit: [flag\n")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "negative_list.yaml" in str(err.value) and err.value.line is not None


@pytest.mark.parametrize(
    ("new", "said"),
    [
        ("    severity：disqualify\n", "中文冒号“：”"),
        ("\tseverity: disqualify\n", "制表符（Tab）"),
        ("      severity: disqualify\n", "缩进没有对齐"),
        ("   severity: [disqualify\n", "缩进没有对齐"),
    ],
)
def test_yaml_syntax_error_says_what_is_wrong_and_shows_the_line(rules_copy: Path, new: str, said: str) -> None:
    path = rules_copy / "eligibility.yaml"
    edit(path, "    severity: disqualify\n", new)
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr
    first, shown, pointer = result.stderr.splitlines()[:3]
    assert f"eligibility.yaml:{line_of(path, new.rstrip())}: YAML 格式错误：" in first and said in first
    assert shown.strip() == new.strip() and pointer.strip() == "^"


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        ("eligibility.yaml", "    title: 年满{min_age}周岁\n", "    title: 123\n", "title: 应为文字，这里写的是“123”"),
        (
            "eligibility.yaml",
            "    message: 年龄{age}岁，未满{min_age}周岁\n",
            "    message:\n",
            "应为文字，这里没有填写",
        ),
        ("eligibility.yaml", "applies_to: [two_committee]", "applies_to: two_committee", "应为列表，如 [two_"),
        ("params.yaml", "      2021-01-01: {value: 18,", "      2021年1月: {value: 18,", "“2021年1月”不是 YYYY-MM-DD"),
        ("pay.yaml", "    title: 最低等级1档的月岗位报酬（元）\n", "    title: [最低]\n", "应为文字，这里写的是列表"),
        ("columns.yaml", "    type: number\n", "    type: number\n    header: 居住年限\n", "未知的键“header”"),
        ("columns.yaml", "    type: number\n", "    type: 数字\n", "取值“数字”不在允许的范围内"),
    ],
)
def test_a_key_of_the_wrong_shape_is_said_in_chinese(
    rules_copy: Path, file: str, old: str, new: str, said: str
) -> None:
    edit(rules_copy / file, old, new)
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert re.search(rf"{file}:\d+: ", line) and said in line, line
    assert not line.split("(")[0].count("Input should"), line  # pydantic's English only in brackets


def test_a_rule_file_instead_of_the_folder_or_an_empty_rule_file_says_so(rules_copy: Path) -> None:
    result = runner.invoke(app, ["rules", "check", str(rules_copy / "params.yaml")])
    assert result.exit_code == 2 and "这是一个文件，应给出规则集目录" in result.stderr
    (rules_copy / "eligibility.yaml").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2 and "eligibility.yaml:1: 文件是空的" in result.stderr


def test_duplicate_yaml_key_is_an_error(rules_copy: Path) -> None:
    edit(
        rules_copy / "eligibility.yaml",
        "    severity: disqualify\n",
        "    severity: disqualify\n    severity: review\n",
    )
    with pytest.raises(RulesError, match="duplicate key"):
        load_ruleset(rules_copy)


def test_python_code_in_yaml_is_refused(rules_copy: Path) -> None:
    edit(rules_copy / "params.yaml", 'version: "2026.1"', "version: !!python/object/apply:os.system ['echo hi']")
    with pytest.raises(RulesError):
        load_ruleset(rules_copy)


def test_rules_check_cli_reports_error_and_exit_2(rules_copy: Path) -> None:
    edit(rules_copy / "eligibility.yaml", "applies_to: [two_committee]", "applies_to: [村长]")
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2
    assert "村长" in result.stderr and "Q03" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_rules_check_ok() -> None:
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.stderr
    assert "检查通过" in result.stdout


def test_rules_list_json_has_parameters_as_of_date() -> None:
    import json

    result = runner.invoke(app, ["rules", "list", "--format", "json", "--as-of", "2026-12-31"])
    assert result.exit_code == 0, result.stderr
    items = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    assert items["Q03"]["parameters"] == {"max_age_new_entrant": "45", "max_age_incumbent": "55"}
    assert items["N03"]["kind"] == "negative"
    assert items["N03"]["kind_label"] == "负面清单"
    assert items["D01"]["kind"] == "data" and items["E01"]["kind"] == "evidence"


def test_dated_parameter_answers_as_of(rules_copy: Path) -> None:
    import datetime as dt

    edit(
        rules_copy / "params.yaml",
        "2026-01-01: {value: 45, reference: 2026年换届工作方案}",
        "2026-01-01: {value: 40, reference: 2026年换届工作方案}",
    )
    ruleset = load_ruleset(rules_copy)
    assert ruleset.params["max_age_new_entrant"].at(dt.date(2025, 12, 31)) == 45
    assert ruleset.params["max_age_new_entrant"].at(dt.date(2026, 1, 1)) == 40


def test_default_rule_set_cases_pass() -> None:
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.stdout
    assert "0 个失败" in result.stdout


def test_rules_test_reports_a_failing_case(rules_copy: Path) -> None:
    edit(rules_copy / "params.yaml", "2021-01-01: {value: 18,", "2021-01-01: {value: 19,")
    result = runner.invoke(app, ["rules", "test", str(rules_copy)])
    assert result.exit_code == 1
    assert "失败" in result.stdout and "Q01" in result.stdout


def test_text_parameter_value_outside_the_vocabulary(rules_copy: Path) -> None:
    edit(rules_copy / "params.yaml", "{value: 高中, reference", "{value: 高宗, reference")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "高宗" in str(err.value) and "Q04" in str(err.value)


def test_impossible_date_key_names_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "params.yaml"
    edit(path, "      2026-01-01: {value: 45,", "      2026-13-01: {value: 45,")
    with pytest.raises(RulesError) as err:
        load_ruleset(rules_copy)
    assert "2026-13-01" in str(err.value) and err.value.line == line_of(path, "2026-13-01")


def test_misspelled_key_is_reported_as_unknown_not_missing(rules_copy: Path) -> None:
    edit(rules_copy / "params.yaml", "    title: 最低年龄", "    titel: 最低年龄")
    with pytest.raises(RulesError, match="未知的键“titel”"):
        load_ruleset(rules_copy)


def test_explain_masks_every_id_number() -> None:
    roster = Path(__file__).resolve().parents[1] / "sample_data" / "roster.xlsx"
    result = runner.invoke(app, ["explain", str(roster), "--id", "陈成超", "--mask-ids", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"\d{17}[\dX]", result.stdout)


def test_check_fails_when_a_used_parameter_has_no_value_on_the_election_date(rules_copy: Path) -> None:
    path = rules_copy / "params.yaml"
    edit(path, "      2021-01-01: {value: 60, reference:", "      2027-01-01: {value: 60, reference:")
    result = runner.invoke(app, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 2
    assert "max_age" in result.stderr and "Q02" in result.stderr and "2026-12-31" in result.stderr
    assert f"params.yaml:{line_of(path, '  max_age:')}" in result.stderr


CASE_HEADER = "as_of: 2026-12-31\ndefaults: {姓名: 张伟, 身份证号码: auto, 出生年月: 1985-06-15}\ncases:\n"


@pytest.mark.parametrize(
    ("case", "complaint", "line"),
    [
        ("  - name: 拼错的列\n    person: {出声年月: 1990-01-01}\n    expect: {status: eligible}\n", "出声年月", 5),
        ("  - name: 拼错的结论\n    person: {}\n    expect: {status: eligble}\n", "status", 6),
        ("  - name: 未知的规则\n    person: {}\n    expect: {includes: [Q99]}\n", "Q99", 4),
        ("  - name: 未知的键\n    persn: {}\n    expect: {}\n", "persn", 5),
        ("  - name: 联审列\n    person: {}\n    evidence: [{身份证: auto, 清单: N01}]\n", "清单", 6),
    ],
)
def test_case_files_are_checked_like_rules(rules_copy: Path, case: str, complaint: str, line: int) -> None:
    for old in (rules_copy / "tests").glob("*.yaml"):
        old.unlink()
    (rules_copy / "tests" / "bad.yaml").write_text(CASE_HEADER + case, encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", str(rules_copy)])
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert f"bad.yaml:{line}" in result.stderr
