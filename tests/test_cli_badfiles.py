"""Every command that reads rosters, against every file a clerk might hand it by mistake.

csvkit-style: one shared matrix of bad inputs (tests/badfiles.py) × every command. An
unreadable input is one line on stderr naming the file and why, exit code 2, never a
traceback; the readable inputs of the same run are still processed.
"""

from __future__ import annotations

import os
from pathlib import Path

import badfiles
import paydata
import pytest
from conftest import CLI, ERROR_PREFIX, Run
from pensionfiles import write_contributions, write_rows_xlsx

GOOD_ID = badfiles.person_id(0)

# Every command that takes roster files, with the options a script would use ({contributions}:
# a good side file written for the test).
COMMANDS: dict[str, list[str]] = {
    "inspect": ["inspect", "--format", "json"],
    "vet": ["vet", "--format", "json"],
    "explain": ["explain", "--id", GOOD_ID, "--format", "json"],
    "report": ["report", "--format", "json"],
    "pension": ["pension", "-c", "{contributions}", "--format", "json"],
    "career": ["career", "--format", "json"],
    # the bad file is the claims file here; the good roster is the one of the side files
    "tuition": ["tuition", "--roster", "{roster}", "--format", "json"],
    "pay": ["pay", "--month", "2026-11", "--format", "json"],
    "bonus": ["bonus", "--year", "2026", "--format", "json", "--income", "{income}"],
    "pool": ["pool", "--format", "json", "--training", "{training}"],
}


@pytest.fixture
def side_files(tmp_path: Path) -> dict[str, str]:
    """The good side files a command needs besides the roster."""
    folder = tmp_path / "side"
    folder.mkdir()
    contributions = write_contributions(folder / "缴费.xlsx", [(GOOD_ID, "张明华", "2010-01", "至今")])
    claims = write_rows_xlsx(
        folder / "学费申请.xlsx",
        [["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"]]
        + [
            [badfiles.person_id(i), p["姓名"], "本科", "在职", 6000, "2025-07"] for i, p in enumerate(badfiles.people())
        ],
    )
    roster = badfiles.write_roster_xlsx(folder / "在任干部.xlsx")
    rows = [{"乡镇": "城关镇", "村(社区)": "东风村", "年度": 2026, "村集体经济纯收益": "10000.00"}]
    income = paydata.write_xlsx(folder / "收益.xlsx", list(rows[0]), rows)
    training = write_rows_xlsx(
        folder / "培训记录.xlsx",
        [
            ["身份证号码", "培训项目", "开始日期", "结束日期", "学时", "结果"],
            [GOOD_ID, "专题班", "2026-05-01", "2026-05-05", 24, "合格"],
        ],
    )
    return {
        "{training}": str(training),
        "{contributions}": str(contributions),
        "{claims}": str(claims),
        "{roster}": str(roster),
        "{income}": str(income),
    }


def _args(command: str, side_files: dict[str, str]) -> list[str]:
    return [side_files.get(a, a) for a in COMMANDS[command]]


def _shown_name(bad: Path | str) -> str:
    """How the error line must name the input: the file's name, or the pattern as typed."""
    return bad if isinstance(bad, str) else bad.name


def _lines_naming(run: Run, name: str) -> list[str]:
    return [line for line in run.error_lines if name in line]


def _assert_one_clear_error(run: Run, bad: Path | str, kind: str) -> None:
    name = _shown_name(bad)
    naming = _lines_naming(run, name)
    assert len(naming) == 1, run.stderr
    line = naming[0]
    assert line.startswith(ERROR_PREFIX), line
    reason = line.split(name, 1)[1]
    assert any(word in reason for word in badfiles.BAD_INPUT_REASONS[kind]), line
    assert all(line.startswith(ERROR_PREFIX) for line in run.error_lines), run.stderr


@pytest.fixture(params=sorted(badfiles.BAD_INPUTS))
def bad_input(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path | str]:
    folder = tmp_path / "bad"
    folder.mkdir()
    return request.param, badfiles.BAD_INPUTS[request.param](folder)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_input_alone_is_one_error_line_and_exit_2(
    cli: CLI, command: str, bad_input: tuple[str, Path | str], side_files: dict[str, str]
) -> None:
    kind, bad = bad_input
    args = _args(command, side_files)
    run = cli(args[0], bad, *args[1:])
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    if command == "explain":
        # nobody could be read, so the person asked for is not found either: that is the only other line
        assert len(run.error_lines) <= 2, run.stderr
    else:
        assert len(run.error_lines) == 1, run.stderr
        data = run.json  # a script still gets valid JSON, with the error in it
        assert data["errors"][0]["path"].endswith(_shown_name(bad))
        assert data["summary"]["claims" if command == "tuition" else "people"] == 0


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_input_with_a_good_roster_still_reads_the_good_one(
    cli: CLI, command: str, bad_input: tuple[str, Path | str], roster_xlsx: Path, side_files: dict[str, str]
) -> None:
    kind, bad = bad_input
    args = _args(command, side_files)
    good = side_files["{claims}"] if command == "tuition" else roster_xlsx  # the good input of the same kind
    run = cli(args[0], bad, good, *args[1:])
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert len(run.error_lines) == 1, run.stderr
    data = run.json
    if command == "pay":
        # the good roster's two serving cadres, each shown with why it cannot be paid (no level)
        assert [(x["name"], x["paid"]) for x in data["lines"]] == [("张明华", False), ("李秀英", False)]
        assert all(x["findings"][0]["rule"] == "P02" for x in data["lines"])
    elif command == "bonus":
        [village] = data["villages"]
        assert [(s["name"], s["amount"]) for s in village["shares"]] == [("张明华", "1875.00"), ("李秀英", "1125.00")]
    elif command == "inspect":
        assert data["summary"]["people"] == 4
        assert [i["path"] for i in data["inputs"]] == [str(roster_xlsx)]
    elif command == "tuition":
        # 王建国 and 赵丽 hold no post now (现任职务 无): not serving
        assert [c["status"] for c in data["claims"]] == ["approved", "approved", "refused", "refused"]
    elif command in ("vet", "pension", "career", "pool"):
        assert sorted(p["name"] for p in data["people"]) == sorted(["张明华", "李秀英", "王建国", "赵丽"])
        assert {p["source"] for p in data["people"]} == {str(roster_xlsx)}
    elif command == "report":
        assert data["summary"]["people"] == 4
        assert [i["path"] for i in data["inputs"]] == [str(roster_xlsx)]
    else:
        assert [p["id_number"] for p in data["people"]] == [GOOD_ID]


# Every command with a side file, the bad file in the side file's place ({bad}) and a good roster.
SIDE_COMMANDS: dict[str, list[str]] = {
    "pension": ["pension", "{roster}", "-c", "{bad}", "--format", "json"],
    "tuition": ["tuition", "{claims}", "--roster", "{bad}", "--format", "json"],
    "pool --roster": ["pool", "{roster}", "--roster", "{bad}", "--format", "json"],
    "pool --training": ["pool", "{roster}", "--training", "{bad}", "--format", "json"],
}


@pytest.mark.parametrize("command", sorted(SIDE_COMMANDS))
def test_a_bad_side_file_is_one_error_line_and_the_roster_is_still_used(
    cli: CLI, command: str, bad_input: tuple[str, Path | str], roster_xlsx: Path, side_files: dict[str, str]
) -> None:
    kind, bad = bad_input
    given = {**side_files, "{roster}": str(roster_xlsx), "{bad}": str(bad)}
    args = [given.get(a, a) for a in SIDE_COMMANDS[command]]
    run = cli(*args)
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert len(run.error_lines) == 1, run.stderr
    data = run.json
    assert data["errors"][0]["path"].endswith(_shown_name(bad))
    assert len(data["people"] if "people" in data else data["claims"]) == 4


def test_vet_table_format_writes_nothing_for_an_unreadable_file(
    cli: CLI, bad_input: tuple[str, Path | str], tmp_path: Path
) -> None:
    kind, bad = bad_input
    before = sorted(p.name for p in tmp_path.rglob("*"))
    run = cli("vet", bad)
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_each_bad_input_gets_its_own_line_in_order(cli: CLI, tmp_path: Path, roster_xlsx: Path) -> None:
    bad = [badfiles.empty_csv(tmp_path), badfiles.encrypted_xlsx(tmp_path), badfiles.missing_path(tmp_path)]
    run = cli("vet", roster_xlsx, *bad, "--format", "json")
    assert run.exit_code == 2
    assert len(run.error_lines) == 3, run.stderr
    for path in bad:
        assert len(_lines_naming(run, path.name)) == 1
    assert len(run.json["people"]) == 4


def test_header_only_csv_is_readable_with_nobody_in_it(cli: CLI, tmp_path: Path) -> None:
    path = badfiles.header_only_csv(tmp_path)
    inspected = cli("inspect", path, "--format", "json")
    assert inspected.exit_code == 0, inspected.stderr
    # never a silent 0: a warning naming the file, on stderr and in the JSON
    [warning] = inspected.json["warnings"]
    assert path.name in warning and "没有人员" in warning
    assert inspected.error_lines == [f"cadretool: 警告: {warning}"]
    assert inspected.json["summary"]["people"] == 0
    assert inspected.json["inputs"][0]["sheets"][0]["header_row"] == badfiles.HEADER_ROW
    vetted = cli("vet", path, "--format", "json")
    assert vetted.exit_code == 0, vetted.stderr
    assert vetted.json["warnings"] == [warning]
    assert vetted.error_lines == [f"cadretool: 警告: {warning}"]
    assert vetted.json["people"] == []
    assert vetted.json["summary"] == {"people": 0, "eligible": 0, "review": 0, "ineligible": 0}


def test_glob_over_a_folder_reads_every_roster(cli: CLI, tmp_path: Path) -> None:
    badfiles.write_roster_xlsx(tmp_path / "甲镇.xlsx", badfiles.people()[:2])
    badfiles.write_roster_csv(tmp_path / "乙镇.csv", badfiles.people()[2:])
    run = cli("inspect", str(tmp_path / "*"), "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["people"] == 4
    assert sorted(Path(i["path"]).name for i in run.json["inputs"]) == ["乙镇.csv", "甲镇.xlsx"]


def test_relative_glob(cli: CLI, tmp_path: Path, roster_xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("inspect", "*.xlsx", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["people"] == 4


@pytest.mark.parametrize("suffix", [".xls", ".xlsx", ".txt"])
def test_a_csv_saved_under_an_excel_name_is_still_read(cli: CLI, tmp_path: Path, suffix: str) -> None:
    """Online systems often export GBK CSV named .xls; a clerk may rename it .xlsx."""
    path = badfiles.write_roster_csv(tmp_path / f"系统导出{suffix}", encoding="gbk")
    run = cli("inspect", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["people"] == 4
    assert run.json["inputs"][0]["format"] == "csv"


@pytest.mark.parametrize("suffix", [".xls", ".et", ""])
def test_an_xlsx_saved_under_another_name_is_read_by_its_content(
    cli: CLI, tmp_path: Path, roster_xlsx: Path, suffix: str
) -> None:
    """A system that exports xlsx named .xls (or a clerk renaming one) still gives a roster, and vet writes
    its result beside it."""
    path = tmp_path / f"系统导出{suffix}"
    path.write_bytes(roster_xlsx.read_bytes())
    run = cli("inspect", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["people"] == 4
    assert run.json["inputs"][0]["format"] == "xlsx"
    run = cli("vet", path, "--format", "json", "-o", tmp_path / "结果.xlsx")
    assert run.exit_code == 0, run.stderr
    assert run.json["summary"]["people"] == 4


# ---------------------------------------------------------------- vet never touches its inputs


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_vet_never_modifies_the_roster(cli: CLI, roster_xlsx: Path, fmt: str) -> None:
    before = _fingerprint(roster_xlsx)
    run = cli("vet", roster_xlsx, "--format", fmt)
    assert run.exit_code == 0, run.stderr
    assert _fingerprint(roster_xlsx) == before


def test_vet_never_modifies_a_csv_roster_or_the_evidence(cli: CLI, roster_gbk_csv: Path, tmp_path: Path) -> None:
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "联审.xlsx",
        [
            {
                "身份证号码": badfiles.person_id(2),
                "姓名": "王建国",
                "清单项目": "受过刑事处罚",
                "日期": "2010-05-01",
                "说明": "判处有期徒刑一年",
                "来源单位": "市法院",
            }
        ],
    )
    before = [_fingerprint(roster_gbk_csv), _fingerprint(evidence)]
    run = cli("vet", roster_gbk_csv, "-e", evidence)
    assert run.exit_code == 0, run.stderr
    assert [_fingerprint(roster_gbk_csv), _fingerprint(evidence)] == before


@pytest.mark.parametrize("option", ["-o", "--json"])
def test_vet_refuses_to_write_over_its_input(cli: CLI, roster_xlsx: Path, option: str) -> None:
    before = _fingerprint(roster_xlsx)
    run = cli("vet", roster_xlsx, option, roster_xlsx)
    assert run.exit_code == 2
    assert len(run.error_lines) == 1, run.stderr
    assert run.error_lines[0].startswith(ERROR_PREFIX)
    assert "输出文件不能与输入文件相同" in run.stderr
    assert roster_xlsx.name in run.stderr
    assert _fingerprint(roster_xlsx) == before
    assert sorted(p.name for p in roster_xlsx.parent.iterdir()) == [roster_xlsx.name]


def test_vet_refuses_an_output_that_is_the_input_by_another_spelling(
    cli: CLI, roster_bom_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(roster_bom_csv.parent)
    before = _fingerprint(roster_bom_csv)
    run = cli("vet", roster_bom_csv, "-o", os.path.join(".", roster_bom_csv.name))
    assert run.exit_code == 2
    assert "输出文件不能与输入文件相同" in run.stderr
    assert _fingerprint(roster_bom_csv) == before


def test_vet_refuses_to_write_over_an_evidence_file(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = badfiles.write_evidence_xlsx(tmp_path / "联审.xlsx", [])
    before = _fingerprint(evidence)
    run = cli("vet", roster_xlsx, "-e", evidence, "-o", evidence)
    assert run.exit_code == 2
    assert "输出文件不能与输入文件相同" in run.stderr
    assert _fingerprint(evidence) == before


# ---------------------------------------------------------------- report's other inputs


@pytest.mark.parametrize("option", ["--baseline", "--villages"])
def test_report_names_an_unreadable_baseline_or_village_list(
    cli: CLI, option: str, bad_input: tuple[str, Path | str], roster_xlsx: Path
) -> None:
    kind, bad = bad_input
    if option == "--villages" and kind in ("folder_without_spreadsheets", "glob_matching_nothing"):
        pytest.skip("--villages takes one file: a folder or a pattern is its own error (below)")
    run = cli("report", roster_xlsx, option, bad, "--format", "json")
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert len(run.error_lines) == 1, run.stderr
    assert run.json["summary"]["people"] == 4  # the current roster is still reported


@pytest.mark.parametrize("make", [badfiles.folder_without_spreadsheets, badfiles.glob_matching_nothing])
def test_report_village_list_must_be_one_file(cli: CLI, make, roster_xlsx: Path, tmp_path: Path) -> None:
    bad = make(tmp_path)
    run = cli("report", roster_xlsx, "--villages", bad, "--format", "json")
    assert run.exit_code == 2
    [line] = run.error_lines
    assert line.startswith(ERROR_PREFIX) and _shown_name(bad) in line


def test_report_table_format_writes_nothing_for_an_unreadable_file(
    cli: CLI, bad_input: tuple[str, Path | str], tmp_path: Path
) -> None:
    kind, bad = bad_input
    before = sorted(p.name for p in tmp_path.rglob("*"))
    run = cli("report", bad)
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_report_never_modifies_its_inputs(cli: CLI, roster_xlsx: Path, roster_gbk_csv: Path, fmt: str) -> None:
    before = [_fingerprint(roster_xlsx), _fingerprint(roster_gbk_csv)]
    run = cli("report", roster_xlsx, "--baseline", roster_gbk_csv, "--format", fmt)
    assert run.exit_code == 0, run.stderr
    assert [_fingerprint(roster_xlsx), _fingerprint(roster_gbk_csv)] == before


# ---------------------------------------------------------------- the pay jobs' other inputs

SIDE_INPUTS = {
    "adjustments": ["pay", "--month", "2026-11", "--format", "json", "--adjustments"],
    "previous": ["pay", "--month", "2026-11", "--format", "json", "--previous"],
    "income": ["bonus", "--year", "2026", "--format", "json", "--income"],
}


@pytest.mark.parametrize("option", sorted(SIDE_INPUTS))
def test_an_unreadable_side_input_is_one_error_line_and_the_rest_is_computed(
    cli: CLI, option: str, bad_input: tuple[str, Path | str], roster_xlsx: Path
) -> None:
    kind, bad = bad_input
    args = SIDE_INPUTS[option]
    run = cli(args[0], roster_xlsx, *args[1:], bad)
    assert run.exit_code == 2
    _assert_one_clear_error(run, bad, kind)
    assert len(run.error_lines) == 1, run.stderr
    data = run.json
    assert data["errors"][-1]["path"].endswith(_shown_name(bad))
    if option == "income":
        assert [(m["village"], m["cadres"]) for m in data["missing_income"]] == [("东风村", 2)]
    else:
        assert [x["name"] for x in data["lines"]] == ["张明华", "李秀英"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["pay", "--month", "2026-13"], "不是年月"),
        (["pay", "--month", "十一月"], "不是年月"),
        (["pay", "--month", "2026-11", "--back-pay-from", "2026-12"], "补发起始月份应早于所发月份"),
        (["pay", "--month", "2026-11", "--format", "csv"], "只支持 table 或 json"),
        (["bonus", "--year", "26", "--income", "x.xlsx"], "不是年度"),
        (["explain", "--id", GOOD_ID, "--pay", "2026/13"], "不是年月"),
    ],
)
def test_a_month_or_year_that_is_not_one_is_a_usage_error(
    cli: CLI, roster_xlsx: Path, args: list[str], said: str
) -> None:
    run = cli(args[0], roster_xlsx, *args[1:])
    assert run.exit_code == 2
    assert said in run.stderr and "Traceback" not in run.stderr
    assert sorted(p.name for p in roster_xlsx.parent.iterdir()) == [roster_xlsx.name]  # nothing written


@pytest.mark.parametrize("command", [["pay", "--month", "2026-11"], ["bonus", "--year", "2026", "--income"]])
def test_pay_and_bonus_never_write_over_an_input(cli: CLI, roster_xlsx: Path, command: list[str]) -> None:
    before = _fingerprint(roster_xlsx)
    extra = [roster_xlsx] if command[-1] == "--income" else []
    run = cli(command[0], roster_xlsx, *command[1:], *extra, "-o", roster_xlsx)
    assert run.exit_code == 2 and "输出文件不能与输入文件相同" in run.stderr
    assert _fingerprint(roster_xlsx) == before


# A what-if --set a command's rule set cannot take: one line naming the --set and the parameter,
# exit 2, before any roster is read or anything written.
BAD_SETS: dict[str, list[tuple[str, str]]] = {
    "vet": [
        ("max_age_new_entrnt=40", "max_age_new_entrant"),
        ("max_age=六十", "number"),
        ("young_age@2026-02-30=30", "2026-02-30"),
    ],
    "pay": [
        ("post_pay_bse=2200", "post_pay_base"),
        ("post_pay_base=[1, 2]", "number"),
        ("post_pay_base@26-07-01=1", "26-07-01"),
    ],
    "bonus": [
        ("bonus_cadre_shar=0.4", "bonus_cadre_share"),
        ("bonus_cadre_share=三成", "number"),
        ("bonus_cadre_share@x=1", "x"),
    ],
    "pension": [
        ("leaving_allowance_per_yer=30", "leaving_allowance_per_year"),
        ("leaving_allowance_per_year=30", "table"),
        ("flexible_early_max_months@2026/01/01=12", "2026/01/01"),
    ],
}


@pytest.mark.parametrize(("command", "index"), [(c, i) for c in sorted(BAD_SETS) for i in range(3)])
def test_a_bad_set_is_one_error_line_naming_it(
    cli: CLI, command: str, index: int, side_files: dict[str, str], roster_xlsx: Path, tmp_path: Path
) -> None:
    value, words = BAD_SETS[command][index]
    args = _args(command, side_files)
    out = tmp_path / "out.xlsx"
    run = cli(args[0], roster_xlsx, *args[1:], "--set", value, "--compare", "-o", out)
    assert run.exit_code == 2, run.stdout
    assert len(run.error_lines) == 1, run.stderr
    line = run.error_lines[0]
    assert line.startswith(ERROR_PREFIX) and f"--set {value}" in line and words in line, line
    assert run.stdout == "" and not out.exists()
