"""`cadretool vet`: the analyst's job — vet a roster, merge joint-review evidence, hand back
an annotated workbook (or JSON/CSV for scripts), with exit codes a batch job can trust."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import badfiles
import openpyxl
import pytest
from conftest import CLI, ERROR_PREFIX

NAMES = ["张明华", "李秀英", "王建国", "赵丽"]
FORMULA_NAME = '=HYPERLINK("http://example.com","张明华")'


def _mixed_people() -> list[dict[str, object]]:
    """Row 4 review (pledge left blank), row 5 eligible, row 6 ineligible (Q09), row 7 eligible."""
    rows = badfiles.people()
    rows[0]["是否签订承诺书"] = ""
    rows[2]["健康状况"] = "丧失劳动能力"
    return rows


@pytest.fixture
def mixed_roster(tmp_path: Path) -> Path:
    return badfiles.write_roster_xlsx(tmp_path / "河口乡花名册.xlsx", _mixed_people())


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# ---------------------------------------------------------------- the annotated workbook


def test_vet_writes_the_result_workbook_beside_the_input(cli: CLI, roster_xlsx: Path, wide: None) -> None:
    run = cli("vet", roster_xlsx)
    assert run.exit_code == 0, run.stderr
    expected = roster_xlsx.with_name("城关镇花名册_审查结果.xlsx")
    assert expected.exists()
    assert expected.name in run.stdout
    wb = openpyxl.load_workbook(expected)
    assert {"花名册", "汇总", "数据问题", "未匹配联审记录", "规则"} <= set(wb.sheetnames)
    sheet = wb["花名册"]
    header = [c.value for c in sheet[badfiles.HEADER_ROW]]
    assert header[: len(badfiles.HEADERS)] == badfiles.HEADERS  # every original column, in place
    assert {"审查结论", "不符合条款", "需核实事项"} <= set(header)
    verdict = header.index("审查结论") + 1
    assert [sheet.cell(r, verdict).value for r in range(4, 8)] == ["合格"] * 4
    assert [sheet.cell(r, 2).value for r in range(4, 8)] == NAMES


def test_a_second_run_numbers_the_result_instead_of_overwriting(cli: CLI, roster_xlsx: Path, wide: None) -> None:
    first = roster_xlsx.with_name("城关镇花名册_审查结果.xlsx")
    assert cli("vet", roster_xlsx).exit_code == 0
    before = first.read_bytes()
    run = cli("vet", roster_xlsx)
    assert run.exit_code == 0, run.stderr
    second = roster_xlsx.with_name("城关镇花名册_审查结果(2).xlsx")
    assert second.exists()
    assert second.name in run.stdout
    assert first.read_bytes() == before


def test_vetting_a_folder_twice_does_not_read_the_first_result_back(cli: CLI, roster_xlsx: Path) -> None:
    folder = roster_xlsx.parent
    assert cli("vet", folder).exit_code == 0
    run = cli("vet", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [p["name"] for p in run.json["people"]] == NAMES
    assert all(p["status"] == "eligible" for p in run.json["people"])  # no D05 against our own output


def test_output_option_writes_there_and_nothing_beside_the_input(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "结果" / "审查.xlsx"
    out.parent.mkdir()
    run = cli("vet", roster_xlsx, "-o", out)
    assert run.exit_code == 0, run.stderr
    assert out.exists()
    assert openpyxl.load_workbook(out)["花名册"].cell(4, 2).value == "张明华"
    assert sorted(p.name for p in roster_xlsx.parent.iterdir() if p.is_file()) == [roster_xlsx.name]
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_output_into_a_missing_folder_is_a_clear_error(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "没有这个目录" / "审查.xlsx"
    run = cli("vet", roster_xlsx, "-o", out)
    assert run.exit_code == 2
    assert len(run.error_lines) == 1
    assert str(out) in run.error_lines[0]
    assert "内部错误" not in run.stderr


def test_quiet_prints_nothing_but_still_writes(cli: CLI, roster_xlsx: Path) -> None:
    run = cli("vet", roster_xlsx, "--quiet")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert roster_xlsx.with_name("城关镇花名册_审查结果.xlsx").exists()


# ---------------------------------------------------------------- JSON for scripts


def test_json_contract(cli: CLI, mixed_roster: Path) -> None:
    run = cli("vet", mixed_roster, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    assert data["schema_version"] == 1
    assert data["command"] == "vet"
    assert data["as_of"] == "2026-12-31"  # the rule set's election date
    assert set(data["rules"]) == {"name", "version", "sha256"}
    assert data["inputs"] == [
        {
            "path": str(mixed_roster),
            "format": "xlsx",
            "sheets": [
                {
                    "name": "花名册",
                    "header_row": 3,
                    "rows": 4,
                    "notes": ["本表没有规则所需的列 “在村居住年限”（Q08），用到这些列的条件无法判断时记为D06待核实"],
                }
            ],
        }
    ]
    summary = data["summary"]
    assert summary == {"people": 4, "eligible": 2, "review": 1, "ineligible": 1}
    assert summary["eligible"] + summary["review"] + summary["ineligible"] == summary["people"]
    assert len(data["people"]) == summary["people"]
    for person in data["people"]:
        assert {"source", "sheet", "row", "status", "findings", "id_number", "name"} <= set(person)
        assert person["source"] == str(mixed_roster) and person["sheet"] == "花名册"
    by_row = {p["row"]: p for p in data["people"]}
    assert sorted(by_row) == [4, 5, 6, 7]
    assert [by_row[r]["status"] for r in (4, 5, 6, 7)] == ["review", "eligible", "ineligible", "eligible"]
    assert by_row[5]["findings"] == []
    [q09] = by_row[6]["findings"]
    assert q09["rule"] == "Q09" and q09["severity"] == "disqualify"
    assert "丧失劳动能力" in q09["message"]
    assert {"rule", "severity", "message", "fields", "basis"} <= set(q09)
    assert all(f["severity"] != "disqualify" for f in by_row[4]["findings"])
    assert data["unmatched_evidence"] == []


def test_json_is_the_same_bytes_every_run(cli: CLI, mixed_roster: Path, roster_gbk_csv: Path) -> None:
    first = cli("vet", mixed_roster, roster_gbk_csv, "--format", "json")
    second = cli("vet", mixed_roster, roster_gbk_csv, "--format", "json")
    assert first.stdout_bytes == second.stdout_bytes
    assert first.json["summary"]["people"] == 8


def test_json_file_matches_stdout(cli: CLI, mixed_roster: Path, tmp_path: Path) -> None:
    json_file = tmp_path / "结果.json"
    run = cli("vet", mixed_roster, "--format", "json", "--json", json_file)
    assert run.exit_code == 0, run.stderr
    assert json_file.read_text(encoding="utf-8") == run.stdout


# ---------------------------------------------------------------- CSV


def test_csv_format_is_one_row_per_finding(cli: CLI, mixed_roster: Path) -> None:
    findings = sum(len(p["findings"]) for p in cli("vet", mixed_roster, "--format", "json").json["people"])
    run = cli("vet", mixed_roster, "--format", "csv")
    assert run.exit_code == 0, run.stderr
    header = run.stdout.splitlines()[0].split(",")
    assert header[:3] == ["source", "sheet", "row"]
    assert {"rule", "severity", "message", "status"} <= set(header)
    rows = [r for r in _read_csv(run.stdout) if r["row"]]  # person rows (village rows have no row)
    assert len(rows) == findings
    q09 = next(r for r in rows if r["rule"] == "Q09")
    assert (q09["row"], q09["name"], q09["status"]) == ("6", "王建国", "ineligible")


def test_output_csv_is_the_annotated_roster(cli: CLI, mixed_roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "审查结果.csv"
    run = cli("vet", mixed_roster, "-o", out)
    assert run.exit_code == 0, run.stderr
    rows = _read_csv(out.read_text(encoding="utf-8-sig"))
    assert len(rows) == 4
    assert list(rows[0])[: len(badfiles.HEADERS)] == badfiles.HEADERS
    assert [r["姓名"] for r in rows] == NAMES
    assert [r["审查结论"] for r in rows] == ["待核实", "合格", "不合格", "合格"]
    assert rows[2]["不符合条款"] == "Q09"
    assert rows[1]["身份证号码"] == badfiles.person_id(1)


def test_output_csv_keeps_numbers_as_the_clerk_typed_them(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "审查结果.csv"
    assert cli("vet", roster_xlsx, "-o", out).exit_code == 0
    assert [r["序号"] for r in _read_csv(out.read_text(encoding="utf-8-sig"))] == ["1", "2", "3", "4"]


# ---------------------------------------------------------------- --fail-on


@pytest.mark.parametrize(
    ("fail_on", "roster", "expected"),
    [
        ("ineligible", "mixed_roster", 1),
        ("ineligible", "roster_xlsx", 0),
        ("review", "mixed_roster", 1),
        ("review", "roster_xlsx", 0),
    ],
)
def test_fail_on(cli: CLI, fail_on: str, roster: str, expected: int, request: pytest.FixtureRequest) -> None:
    run = cli("vet", request.getfixturevalue(roster), "--format", "json", "--fail-on", fail_on)
    assert run.exit_code == expected, run.stderr
    assert run.stderr == ""


def test_fail_on_ineligible_ignores_review(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people()
    rows[0]["是否签订承诺书"] = ""  # review only
    path = badfiles.write_roster_xlsx(tmp_path / "待核实.xlsx", rows)
    assert cli("vet", path, "--format", "json", "--fail-on", "ineligible").exit_code == 0
    assert cli("vet", path, "--format", "json", "--fail-on", "review").exit_code == 1


def test_unreadable_input_beats_fail_on(cli: CLI, mixed_roster: Path, tmp_path: Path) -> None:
    empty = badfiles.empty_xlsx(tmp_path)
    run = cli("vet", mixed_roster, empty, "--format", "json", "--fail-on", "ineligible")
    assert run.exit_code == 2
    assert run.error_lines == [f"{ERROR_PREFIX}{empty}: 文件为空 (empty file)"]


# ---------------------------------------------------------------- --mask-ids


def test_mask_ids_hides_every_id_in_json(cli: CLI, mixed_roster: Path, tmp_path: Path) -> None:
    stranger = badfiles.id_number(dt.date(1970, 1, 1), 111)
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "联审.xlsx",
        [
            {
                "身份证号码": stranger,
                "姓名": "某某",
                "清单项目": "N02",
                "日期": dt.date(2020, 5, 1),
                "说明": "涉恶",
                "来源单位": "公安局",
            }
        ],
    )
    run = cli("vet", mixed_roster, "-e", evidence, "--format", "json", "--mask-ids")
    assert run.exit_code == 0, run.stderr
    for number in [badfiles.person_id(i) for i in range(4)] + [stranger]:
        assert number not in run.stdout
    assert [p["id_number"] for p in run.json["people"]] == [
        badfiles.person_id(i)[:6] + "********" + badfiles.person_id(i)[-4:] for i in range(4)
    ]
    assert run.json["unmatched_evidence"][0]["id_number"] == stranger[:6] + "********" + stranger[-4:]


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_mask_ids_hides_every_id_in_other_outputs(
    cli: CLI, mixed_roster: Path, fmt: str, tmp_path: Path, wide: None
) -> None:
    run = cli("vet", mixed_roster, "--format", fmt, "--mask-ids", "--json", tmp_path / "r.json")
    assert run.exit_code == 0, run.stderr
    written = [tmp_path / "r.json"] + list(tmp_path.glob("*_审查结果.xlsx"))
    texts = [run.stdout] + [(tmp_path / "r.json").read_text(encoding="utf-8")]
    for path in written[1:]:
        wb = openpyxl.load_workbook(path)
        texts += [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    for number in (badfiles.person_id(i) for i in range(4)):
        assert all(number not in text for text in texts)


def test_mask_ids_hides_ids_in_the_annotated_csv(cli: CLI, mixed_roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "审查结果.csv"
    assert cli("vet", mixed_roster, "-o", out, "--mask-ids").exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert all(badfiles.person_id(i) not in text for i in range(4))


# ---------------------------------------------------------------- --as-of and the age boundary


def _turns_18_on(birthday: dt.date, folder: Path) -> Path:
    person = badfiles.people()[2] | {
        "姓名": "刘小军",
        "身份证号码": badfiles.id_number(birthday, 331),
        "出生年月": f"{birthday:%Y.%m}",
    }
    return badfiles.write_roster_xlsx(folder / "年龄边界.xlsx", [person])


@pytest.mark.parametrize(("as_of", "status"), [("2026-12-31", "ineligible"), ("2027-01-01", "eligible")])
def test_as_of_decides_the_age_boundary(cli: CLI, tmp_path: Path, as_of: str, status: str) -> None:
    roster = _turns_18_on(dt.date(2009, 1, 1), tmp_path)  # 18 on 2027-01-01
    run = cli("vet", roster, "--format", "json", "--as-of", as_of)
    assert run.exit_code == 0, run.stderr
    assert run.json["as_of"] == as_of
    [person] = run.json["people"]
    assert person["status"] == status
    rules = [f["rule"] for f in person["findings"]]
    assert ("Q01" in rules) == (status == "ineligible")


@pytest.mark.parametrize(("as_of", "status"), [("2026-06-30", "ineligible"), ("2026-07-01", "eligible")])
def test_as_of_before_the_election_date(cli: CLI, tmp_path: Path, as_of: str, status: str) -> None:
    roster = _turns_18_on(dt.date(2008, 7, 1), tmp_path)  # a pre-check half a year before the election
    run = cli("vet", roster, "--format", "json", "--as-of", as_of)
    assert run.exit_code == 0, run.stderr
    [person] = run.json["people"]
    assert person["status"] == status


def test_as_of_must_be_a_date(cli: CLI, roster_xlsx: Path) -> None:
    run = cli("vet", roster_xlsx, "--as-of", "2026/07/01")
    assert run.exit_code == 2
    assert "YYYY-MM-DD" in run.stderr
    assert not roster_xlsx.with_name("城关镇花名册_审查结果.xlsx").exists()


# ---------------------------------------------------------------- formula-like cells stay text


@pytest.fixture
def formula_roster(tmp_path: Path) -> Path:
    rows = badfiles.people()
    rows[0]["姓名"] = FORMULA_NAME
    rows[0]["是否签订承诺书"] = ""  # so this person has a finding and a row in --format csv
    rows[1]["备注"] = "+1"
    return badfiles.write_roster_xlsx(tmp_path / "公式.xlsx", rows)


def test_formula_like_cells_come_back_as_text_in_the_workbook(cli: CLI, formula_roster: Path) -> None:
    assert cli("vet", formula_roster).exit_code == 0
    sheet = openpyxl.load_workbook(formula_roster.with_name("公式_审查结果.xlsx"))["花名册"]
    name, note = sheet.cell(4, 2), sheet.cell(5, badfiles.HEADERS.index("备注") + 1)
    assert (name.value, name.data_type) == (FORMULA_NAME, "s")
    assert (note.value, note.data_type) == ("+1", "s")


def test_formula_like_cells_are_quoted_in_csv(cli: CLI, formula_roster: Path, tmp_path: Path) -> None:
    run = cli("vet", formula_roster, "--format", "csv")
    assert run.exit_code == 0, run.stderr
    person = next(r for r in _read_csv(run.stdout) if r["row"] == "4")
    assert person["name"] == "'" + FORMULA_NAME
    out = tmp_path / "审查结果.csv"
    assert cli("vet", formula_roster, "-o", out).exit_code == 0
    rows = _read_csv(out.read_text(encoding="utf-8-sig"))
    assert rows[0]["姓名"] == "'" + FORMULA_NAME
    assert rows[1]["备注"] == "'+1"


# ---------------------------------------------------------------- joint-review evidence


def test_evidence_joins_to_a_person_and_unknown_ids_are_kept(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    stranger = badfiles.id_number(dt.date(1970, 1, 1), 111)
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "法院反馈.xlsx",
        [
            {
                "身份证号码": badfiles.person_id(3),
                "姓名": "赵丽",
                "清单项目": "受过刑事处罚",
                "日期": dt.date(2010, 5, 1),
                "说明": "判处有期徒刑一年",
                "来源单位": "市法院",
            },
            {
                "身份证号码": stranger,
                "姓名": "某某",
                "清单项目": "受过刑事处罚",
                "日期": dt.date(2012, 3, 1),
                "说明": "判处拘役六个月",
                "来源单位": "市法院",
            },
        ],
    )
    run = cli("vet", roster_xlsx, "-e", evidence, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    zhao = next(p for p in data["people"] if p["name"] == "赵丽")
    assert zhao["status"] == "ineligible"
    [n01] = zhao["findings"]
    assert (n01["rule"], n01["severity"]) == ("N01", "disqualify")
    assert "市法院" in n01["message"]
    assert [p["status"] for p in data["people"] if p["name"] != "赵丽"] == ["eligible"] * 3
    [unmatched] = data["unmatched_evidence"]
    assert unmatched["id_number"] == stranger
    assert unmatched["item"] == "N01"
    assert unmatched["row"] == 3  # the Excel row in the department's sheet
    assert unmatched["source"] == str(evidence)
    assert data["summary"] == {"people": 4, "eligible": 3, "review": 0, "ineligible": 1}


def test_unreadable_evidence_is_an_error_but_the_roster_is_vetted(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    bad = badfiles.encrypted_xlsx(tmp_path)
    run = cli("vet", roster_xlsx, "-e", bad, "--format", "json")
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and bad.name in run.error_lines[0] and "密码" in run.error_lines[0]
    assert len(run.json["people"]) == 4


def test_a_result_saved_under_any_name_is_not_vetted_again(cli: CLI, roster_xlsx: Path) -> None:
    """`-o 审查.xlsx` beside the rosters: the next run over the folder knows it by its 规则 sheet."""
    folder = roster_xlsx.parent
    assert cli("vet", roster_xlsx, "-o", folder / "审查.xlsx", "--quiet").exit_code == 0
    # a clerk opens it, saves it (shared strings now, not ours) and renames it
    openpyxl.load_workbook(folder / "审查.xlsx").save(folder / "上周的结果.xlsx")
    (folder / "审查.xlsx").unlink()
    for target in (folder, folder / "*.xlsx", folder / "上周的结果.xlsx"):
        run = cli("vet", target, "--format", "json")
        assert "上周的结果.xlsx: 是 cadretool 生成的审查结果" in run.stderr, target
        if target != folder / "上周的结果.xlsx":
            assert run.exit_code == 0, run.stderr
            assert [p["name"] for p in run.json["people"]] == NAMES  # no D05 against our own output


def test_a_roster_with_a_sheet_called_rules_is_still_a_roster(cli: CLI, tmp_path: Path) -> None:
    """Only our 规则 sheet (规则集 … SHA-256 …) marks a result; a clerk's own 规则 sheet does not."""
    import xlsxwriter

    path = tmp_path / "花名册.xlsx"
    book = xlsxwriter.Workbook(str(path))
    roster = book.add_worksheet("花名册")
    for r, row in enumerate(badfiles._grid(badfiles.people(), badfiles.HEADERS)):
        badfiles._write_cells(roster, r, row)
    rules = book.add_worksheet("规则")
    rules.write_string(0, 0, "规则集")
    rules.write_string(0, 1, "本县换届纪律十不准")
    rules.write_string(2, 0, "SHA-256")
    rules.write_string(2, 1, "见附件")
    book.close()
    run = cli("vet", tmp_path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert len(run.json["people"]) == 4 and "已跳过" not in run.stderr


def test_explain_of_someone_not_on_the_roster_names_the_file_and_who(cli: CLI, roster_xlsx: Path) -> None:
    run = cli("explain", roster_xlsx, "--id", "王不在")
    assert run.exit_code == 2
    assert run.stderr.startswith(ERROR_PREFIX) and roster_xlsx.name in run.stderr and "“王不在”" in run.stderr
    run = cli("explain", roster_xlsx, "--id", "522702198506151999")
    assert "522702********1999" in run.stderr and "522702198506151999" not in run.stderr  # masked, as in every error
