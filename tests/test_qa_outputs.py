"""What a new user finds in vet's outputs on workbooks a township clerk really keeps: dropdowns
that use a named list, a confidentiality header, links, a hidden last-term sheet, a number-typed
ID, a department's masked ID. Every output says the same and nothing is lost in silence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import badfiles
import openpyxl
import pytest
import xlsxwriter
from conftest import CLI
from ids import make_id
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from cadretool.output.schema import VetOutput

HEADERS = ["姓名", "性别", "身份证号码", "出生年月", "政治面貌", "文化程度", "村(社区)", "拟任职务", "推荐方式", "备注"]
ZHANG = make_id("19800315", 11)
WANG = make_id("19900101", 22)


def _clerk_roster(path: Path, sheet: str = "石板村") -> Path:
    """A village roster as a clerk keeps it: a title, a dropdown fed by a named list on a lookup
    sheet, a confidentiality header, a footer of her own, a link in a cell, a hidden sheet of the
    last term's cadres."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([f"{sheet}“两委”换届人选名册"])
    ws.append(HEADERS)
    ws.append(["张明", "男", ZHANG, "1980.03", "中共党员", "高中", "石板村", "书记", "组织推荐", "简历"])
    ws.append(["王芳", "女", WANG, "1990.01", "群众", "大专", "石板村", "委员", "群众推荐", ""])
    ws["J3"].hyperlink = "https://example.gov.cn/简历/张明.docx"
    lists = wb.create_sheet("下拉选项")
    for i, value in enumerate(["组织推荐", "群众推荐", "党员推荐", "群团推荐", "个人自荐"], 1):
        lists.cell(i, 1, value)
    wb.defined_names["推荐方式列表"] = DefinedName("推荐方式列表", attr_text=f"{lists.title}!$A$1:$A$5")
    dv = DataValidation(type="list", formula1="推荐方式列表")  # as Excel writes it
    ws.add_data_validation(dv)
    dv.add("I3:I200")
    ws.oddHeader.center.text = "内部资料 注意保密"
    ws.oddFooter.left.text = f"{sheet}党支部"
    old = wb.create_sheet("上届名单")
    old.sheet_state = "hidden"
    old.append(["姓名", "身份证号码", "职务"])
    old.append(["钱旧人", make_id("19581111", 93), "书记"])
    wb.save(path)
    return path


def _header_footer(path: Path, part: str) -> str:
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        sheet = zf.read(f"xl/worksheets/{part}.xml").decode()
    found = re.search(r"<headerFooter[^>]*>(.*?)</headerFooter>", sheet)
    return (found.group(1) if found else "").replace("&amp;", "&")


def test_a_dropdown_fed_by_a_named_list_still_has_its_list(tmp_path: Path, cli: CLI) -> None:
    roster = _clerk_roster(tmp_path / "石板村.xlsx")
    out = tmp_path / "结果.xlsx"
    assert cli("vet", roster, "-o", out, "-q").exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.defined_names["推荐方式列表"].attr_text == "下拉选项!$A$1:$A$5"
    assert [d.formula1 for d in wb["石板村"].data_validations.dataValidation] == ["推荐方式列表"]


def test_named_lists_follow_sheets_renamed_in_a_combined_workbook(tmp_path: Path, cli: CLI) -> None:
    folder = tmp_path / "各村"
    folder.mkdir()
    for village in ("前进村", "红旗村"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        ws.append(HEADERS)
        ws.append(["张明", "男", make_id("19800315", 11 + len(village)), "1980.03", "群众", "高中", village, "委员"])
        ws.cell(10, 12, "组织推荐")
        wb.defined_names["推荐方式"] = DefinedName("推荐方式", attr_text="Sheet1!$L$10:$L$10")
        wb.save(folder / f"{village}.xlsx")
    out = tmp_path / "全镇.xlsx"
    assert cli("vet", folder, "-o", out, "-q").exit_code == 0
    wb = openpyxl.load_workbook(out)
    # the first file's list, pointing at that file's sheet under its new name
    assert wb.defined_names["推荐方式"].attr_text == "'前进村'!$L$10:$L$10"


def test_the_clerks_printed_header_and_footer_stay_with_page_numbers_added(tmp_path: Path, cli: CLI) -> None:
    roster = _clerk_roster(tmp_path / "石板村.xlsx")
    out = tmp_path / "结果.xlsx"
    cli("vet", roster, "-o", out, "-q")
    printed = _header_footer(out, "sheet1")
    assert "<oddHeader>&C内部资料 注意保密</oddHeader>" in printed
    assert "&L石板村党支部" in printed and "第 &P 页，共 &N 页" in printed
    assert "第 &P 页" in _header_footer(out, "sheet2")  # the lookup sheet: ours only


def test_a_footer_that_already_numbers_its_pages_is_left_alone(tmp_path: Path, cli: CLI) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")
    wb = openpyxl.load_workbook(roster)
    wb.active.oddFooter.center.text = "第&P页"
    wb.save(roster)
    out = tmp_path / "结果.xlsx"
    cli("vet", roster, "-o", out, "-q")
    footer = _header_footer(out, "sheet1")
    assert "&C第&P页" in footer and "&N" not in footer


def test_the_clerks_links_stay(tmp_path: Path, cli: CLI) -> None:
    out = tmp_path / "结果.xlsx"
    cli("vet", _clerk_roster(tmp_path / "石板村.xlsx"), "-o", out, "-q")
    cell = openpyxl.load_workbook(out)["石板村"]["J3"]
    assert cell.value == "简历"
    assert cell.hyperlink is not None and cell.hyperlink.target == "https://example.gov.cn/简历/张明.docx"


def test_the_summary_says_what_was_not_read_or_not_vetted(tmp_path: Path, cli: CLI) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    _clerk_roster(folder / "石板村.xlsx")
    badfiles.truncated_xlsx(folder)
    out = tmp_path / "结果.xlsx"
    run = cli("vet", folder, "-o", out, "-q")
    assert run.exit_code == 2
    rows = openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True)
    said = "\n".join(str(r[0]) for r in rows if r and str(r[0]).startswith("说明："))
    assert "上届名单" in said and "隐藏" in said  # the hidden sheet was not vetted
    assert "下拉选项" in said  # no header: skipped
    assert "石板村.xlsx“石板村”：本表没有规则所需的列" in said and "是否签订承诺书" in said
    assert any("半截.xlsx" in line for line in run.error_lines)
    assert "未能读取" in said and "半截.xlsx" in said  # the broken file, in the workbook too


def test_the_json_names_the_columns_a_sheet_lacked(tmp_path: Path, cli: CLI) -> None:
    roster = _clerk_roster(tmp_path / "石板村.xlsx")
    data = cli("vet", roster, "--format", "json").json
    VetOutput.model_validate(data)
    (sheet,) = data["inputs"][0]["sheets"]
    assert any("是否签订承诺书" in note and "D06" in note for note in sheet["notes"])
    assert any("上届名单" in note for note in data["inputs"][0]["notes"])


def _number_id_roster(path: Path) -> Path:
    """A roster whose clerk typed one ID as a number: Excel kept 15 digits (5.22702198001011E+17)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("道坪镇")
    ws.write_row(0, 0, ["姓名", "性别", "身份证号码", "出生年月", "村(社区)", "拟任职务"])
    ws.write_row(1, 0, ["张明", "男", ZHANG, "1980.03", "营上村", "委员"])
    ws.write_row(2, 0, ["王芳", "女"])
    ws.write_number(2, 2, 5.22702198001011e17)
    ws.write_row(2, 3, ["1990.01", "营上村", "委员"])
    wb.close()
    return path


def test_a_number_typed_id_is_masked_the_same_in_every_output(tmp_path: Path, cli: CLI) -> None:
    roster = _number_id_roster(tmp_path / "道坪镇.xlsx")
    out, table = tmp_path / "结果.xlsx", tmp_path / "结果.csv"
    data = cli("vet", roster, "--mask-ids", "-o", out, "--format", "json").json
    findings = cli("vet", roster, "--mask-ids", "--format", "csv").stdout
    cli("vet", roster, "--mask-ids", "-o", table, "-q")
    shown = "522702********1008"
    wang = next(p for p in data["people"] if p["name"] == "王芳")
    assert wang["id_number"] == shown
    assert shown in wang["findings"][0]["message"]  # D02 names it the same way
    assert {r["id_number"] for r in csv.DictReader(io.StringIO(findings)) if r["name"] == "王芳"} == {shown}
    rows = list(csv.DictReader(table.open(encoding="utf-8-sig")))
    assert [r["身份证号码"] for r in rows if r["姓名"] == "王芳"] == [shown]
    wb = openpyxl.load_workbook(out)
    assert wb["道坪镇"]["C3"].value == shown
    details = [r for r in wb["审查明细"].iter_rows(values_only=True) if r[3] == "王芳"]
    assert details and {r[4] for r in details} == {shown}


def test_a_departments_masked_id_stays_as_the_department_wrote_it(tmp_path: Path, cli: CLI) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")
    person = badfiles.people()[0]
    masked = badfiles.person_id(0)[:6] + "********" + badfiles.person_id(0)[-4:]
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "公安.xlsx",
        [{"身份证号码": masked, "姓名": person["姓名"], "清单项目": "N01", "日期": "2019-05-01", "说明": "盗窃"}],
    )
    out = tmp_path / "结果.xlsx"
    for mask in ([], ["--mask-ids"]):
        data = cli("vet", roster, "-e", evidence, "-o", out, "--format", "json", *mask).json
        assert [u["id_as_written"] for u in data["unmatched_evidence"]] == [masked]
        sheet = openpyxl.load_workbook(out)["未匹配联审记录"]
        assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [masked]


@pytest.mark.parametrize("mask", [False, True])
def test_json_file_and_stdout_agree_and_follow_the_schema(tmp_path: Path, cli: CLI, mask: bool) -> None:
    roster = _clerk_roster(tmp_path / "石板村.xlsx")
    extra = ["--mask-ids"] if mask else []
    saved = tmp_path / "结果.json"
    stdout = cli("vet", roster, "-o", tmp_path / "结果.csv", "--json", saved, "--format", "json", *extra).stdout
    assert json.loads(saved.read_text(encoding="utf-8")) == json.loads(stdout)
    VetOutput.model_validate_json(stdout)
    if mask:
        assert ZHANG not in stdout and WANG not in stdout


# ---------------------------------------------------------------- a rule author's mistakes


def _rules_copy(tmp_path: Path) -> Path:
    import shutil

    from cadretool.rules.ruleset import default_rules_dir

    folder = tmp_path / "规则"
    shutil.copytree(default_rules_dir(), folder)
    return folder


def _one_error(run: object) -> str:
    lines = run.error_lines  # type: ignore[attr-defined]
    assert run.exit_code == 2 and len(lines) == 1, lines  # type: ignore[attr-defined]
    return lines[0]


def test_a_case_file_saved_as_yml_is_run(tmp_path: Path, cli: CLI) -> None:
    rules = _rules_copy(tmp_path)
    (rules / "tests" / "补充.yml").write_text(
        "cases:\n  - name: 九十岁不应合格\n"
        "    person: {姓名: 甲, 出生年月: 1930-01-01}\n    expect: {status: eligible}\n",
        encoding="utf-8",
    )
    run = cli("rules", "test", rules)
    assert run.exit_code == 1 and "失败 补充.yml:2 九十岁不应合格" in run.stdout


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("    person: {姓名: 甲}\n", "用例“甲的用例”: 用例没有写 expect"),
        ("    expect: {status: eligible}\n", "用例需要 person 或 people"),
        ("    person: {姓名: 甲}\n    people: [{姓名: 乙}]\n    expect: {status: eligible}\n", "只能写一个"),
        ("    people: [{姓名: 甲}, {姓名: 乙}]\n    expect: {status: eligible}\n", "请用 statuses"),
        (
            "    person: {姓名: 甲}\n    expect: {status: inelegible}\n",
            "expect.status: 取值“inelegible”不在允许的范围内",
        ),
        ("    person: {姓名: 甲}\n    expect: {rules: Q01}\n", "expect.rules: 应为列表，如 [Q01]"),
        ("    as_of: 2026/12/31\n    person: {姓名: 甲}\n    expect: {status: eligible}\n", "不是 YYYY-MM-DD"),
    ],
)
def test_case_file_mistakes_are_named_by_case_and_line_in_check_and_test(
    tmp_path: Path, cli: CLI, case: str, said: str
) -> None:
    rules = _rules_copy(tmp_path)
    (rules / "tests" / "补充.yaml").write_text(f"cases:\n  - name: 甲的用例\n{case}", encoding="utf-8")
    for command in ("check", "test"):
        line = _one_error(cli("rules", command, rules))
        assert "补充.yaml:2" in line or "补充.yaml:3" in line or "补充.yaml:4" in line, line
        assert said in line and "Value error" not in line and "Input should" not in line, line


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("{reference: 指导意见}", "参数 max_age 从 2021-01-01 起的取值缺少 value"),
        ("{value: , reference: 指导意见}", "参数 max_age 从 2021-01-01 起的 value 没有填写"),
        ("{value: 60岁, reference: 指导意见}", "参数 max_age 从 2021-01-01 起的取值 '60岁' 不是 number 类型"),
    ],
)
def test_a_parameter_value_left_out_is_named_with_its_date(tmp_path: Path, cli: CLI, value: str, said: str) -> None:
    rules = _rules_copy(tmp_path)
    params = rules / "params.yaml"
    text = params.read_text(encoding="utf-8")
    old = "2021-01-01: {value: 60, reference: 《福泉市村(居)两委干部从严选任管理指导意见》第二条}"
    assert old in text
    params.write_text(text.replace(old, f"2021-01-01: {value}"), encoding="utf-8")
    assert said in _one_error(cli("rules", "check", rules))


def test_rules_check_counts_the_cases_it_checked(cli: CLI) -> None:
    run = cli("rules", "check")
    assert run.exit_code == 0 and "个测试用例，检查通过" in run.stdout


def test_mask_ids_hides_ids_in_notes_other_id_columns_and_department_texts(tmp_path: Path, cli: CLI) -> None:
    import re
    import zipfile

    spouse, old_number, accomplice, other = (
        make_id("19820101", 44),
        make_id("19800315", 13),
        make_id("19850101", 33),
        make_id("19770707", 79),
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "身份证号码", "出生年月", "村(社区)", "拟任职务", "配偶身份证号", "备注"])
    ws.append(["张明", "男", ZHANG, "1980.03", "营上村", "委员", spouse, f"原身份证{old_number}已作废"])
    roster = tmp_path / "营上村.xlsx"
    wb.save(roster)
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "公安.xlsx",
        [
            {
                "身份证号码": ZHANG,
                "姓名": "张明",
                "清单项目": "N01",
                "日期": "2019-05-01",
                "说明": f"同案人{accomplice}",
            },
            {"身份证号码": make_id("19770707", 77), "姓名": "李四", "清单项目": "N01", "说明": f"曾用号{other}"},
        ],
    )
    out, table, saved = tmp_path / "结果.xlsx", tmp_path / "结果.csv", tmp_path / "结果.json"
    common = [roster, "-e", evidence, "--mask-ids"]
    texts = [
        cli("vet", *common, "-o", out, "--json", saved, "-q").stdout,
        cli("vet", *common, "-o", table, "--format", "csv").stdout,
        cli("vet", *common, "--format", "json").stdout,
        cli("explain", *common, "--id", "张明", "--format", "json").stdout,
        saved.read_text(encoding="utf-8"),
        table.read_text(encoding="utf-8-sig"),
    ]
    with zipfile.ZipFile(out) as zf:
        texts += [zf.read(name).decode("utf-8", "replace") for name in zf.namelist() if name.endswith(".xml")]
    whole = [n for n in (ZHANG, spouse, old_number, accomplice, other) if any(n in t for t in texts)]
    assert whole == []
    assert any(f"同案人{accomplice[:6]}********{accomplice[-4:]}" in t for t in texts[:4])
    assert not any(re.search(r"(?<!\d)\d{17}[\dX](?!\d)", t) for t in texts)


def test_a_township_merged_over_its_people_fills_every_row_of_the_csv_table(tmp_path: Path, cli: CLI) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城关镇“两委”换届人选花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["乡镇(街道)", "村(社区)", "姓名", "性别", "身份证号码", "出生年月"])
    ws.append(["城关镇", "东风村", "张明", "男", ZHANG, "1980.03"])
    ws.append([None, "东风村", "王芳", "女", WANG, "1990.01"])
    ws.append([None, "红星村", "赵丽", "女", make_id("19850130", 24), "1985.01"])
    ws.merge_cells("A3:A5")
    roster = tmp_path / "城关镇.xlsx"
    wb.save(roster)
    table = tmp_path / "结果.csv"
    cli("vet", roster, "-o", table, "-q")
    rows = list(csv.DictReader(table.open(encoding="utf-8-sig")))
    assert [(r["姓名"], r["乡镇(街道)"]) for r in rows] == [("张明", "城关镇"), ("王芳", "城关镇"), ("赵丽", "城关镇")]
