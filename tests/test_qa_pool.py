"""`cadretool pool` on pools and training records a county clerk would hand in: the headers,
values and layouts nobody wrote the code for (所在村, 村级后备, 16学时, a title that says 村级,
a folder where one file lacks a column, duplicated training rows)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from conftest import CLI
from ids import make_id
from pensionfiles import write_rows_xlsx

from cadretool.output.schema import PoolOutput


def _id(year: int, n: int) -> str:
    return make_id(dt.date(year, 3, 1), 2 * n + 1)


def _one_reserve(tmp_path: Path) -> Path:
    """A pool of one: 甲, a party member of 城关镇东风村 born in 1995."""
    return write_rows_xlsx(
        tmp_path / "人才库.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"], ["城关镇", "东风村", "甲", _id(1995, 1), "中共党员"]],
    )


def _people(run: object) -> dict[str, dict]:
    return {p["name"]: p for p in run.json["people"]}  # type: ignore[attr-defined]


def test_village_and_township_synonyms_and_levels_written_as_words(cli: CLI, tmp_path: Path) -> None:
    """所在村 / 村别 / 所在乡镇 name the place columns; 村级后备, 市级人才, 乡镇级人才, 县级 read as
    their level; a title saying 村级 gives no village called 某某县村."""
    rows = [
        ["某某县村级后备力量人才库"],
        ["姓名", "公民身份号码", "所在乡镇", "所在村", "政治面貌", "学历", "层级"],
        ["甲", _id(1995, 1), "城关镇", "东风村", "中共党员", "大专", "村级后备"],
        ["乙", _id(1990, 2), "城关镇", "东风村", "群众", "高中", "市级人才"],
        ["丙", _id(1992, 3), "城关镇", "西山村", "群众", "高中", "乡镇级人才"],
        ["丁", _id(1993, 4), "城关镇", "", "群众", "高中", "村级后备人才"],
    ]
    run = cli("pool", write_rows_xlsx(tmp_path / "人才库.xlsx", rows), "--format", "json")
    assert run.exit_code == 0, run.stderr
    people = _people(run)
    assert {n: p["level"] for n, p in people.items()} == {"甲": "村级", "乙": "市级", "丙": "乡级", "丁": "村级"}
    assert [p["village"] for p in people.values()] == ["东风村", "东风村", "西山村", None]
    assert not any(f["rule"] == "D07" for p in people.values() for f in p["findings"])
    assert [f["rule"] for f in people["丁"]["findings"]] == ["T04"]  # no village: not one taken from the title
    assert {(v["township"], v["village"]) for v in run.json["villages"]} == {("城关镇", "东风村"), ("城关镇", "西山村")}
    csv_rows = [
        ["乡镇", "村别", "姓名", "身份证号码", "政治面貌"],
        ["城关镇", "东风村", "戊", _id(1996, 5), "中共党员"],
    ]
    path = tmp_path / "人才库.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(csv_rows)
    run = cli("pool", path, "--format", "json")
    assert [p["village"] for p in run.json["people"]] == ["东风村"]


def test_training_hours_written_with_their_unit(cli: CLI, tmp_path: Path) -> None:
    pool = _one_reserve(tmp_path)
    training = write_rows_xlsx(
        tmp_path / "培训.xlsx",
        [
            ["身份证号码", "培训项目", "结束日期", "学时", "结果"],
            [_id(1995, 1), "书记轮训", "2026-03-04", "16学时", "合格"],
            [_id(1995, 1), "电商班", "2026-05-04", "12课时", "通过"],
            [_id(1995, 1), "夜校", "2026-06-04", "3 小时", "合格"],
        ],
    )
    run = cli("pool", pool, "-t", training, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [r["hours"] for r in run.json["training_records"]] == [16.0, 12.0, 3.0]
    assert run.json["training"]["hours_completed"] == 31.0


def test_a_sheet_without_the_party_column_is_not_a_silent_zero(cli: CLI, tmp_path: Path) -> None:
    """Two files of one pool, one without 政治面貌: its people are neither full party members nor
    not — the county T08 names that file, and their village gets T08 instead of a false T02."""
    folder = tmp_path / "人才库"
    folder.mkdir()
    write_rows_xlsx(
        folder / "城关镇.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "学历", "党员否"],
         ["城关镇", "西山村", "甲", _id(1995, 1), "大专", "是"],
         ["城关镇", "西山村", "乙", _id(1990, 2), "高中", "否"]],
    )  # fmt: skip
    write_rows_xlsx(
        folder / "河西乡.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "学历"],
         ["河西乡", "南岭村", "丙", _id(1995, 3), "群众", "大专"],
         ["河西乡", "南岭村", "丁", _id(1990, 4), "群众", "高中"]],
    )  # fmt: skip
    run = cli("pool", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    t08 = [f["message"] for f in run.json["findings"] if f["rule"] == "T08"]
    assert any("城关镇.xlsx" in m and "政治面貌" in m and "2人" in m and "未识别的列：党员否" in m for m in t08), t08
    rules = {v["village"]: [f["rule"] for f in v["findings"]] for v in run.json["villages"]}
    assert rules == {"西山村": ["T08"], "南岭村": ["T02"]}
    assert run.json["summary"]["villages_without_party_member"] == 1
    PoolOutput.model_validate(run.json)


def test_an_age_nobody_can_know_does_not_say_nobody_is_young(cli: CLI, tmp_path: Path) -> None:
    """An ID number Excel kept as a number and no 出生年月: the age is unknown, so T03 is not said
    of the village — T08 says why instead."""
    rows = [
        ["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"],
        ["城关镇", "东风村", "甲", float(_id(1998, 1)), "中共党员"],
        ["城关镇", "东风村", "乙", _id(1970, 2), "中共党员"],
    ]
    run = cli("pool", write_rows_xlsx(tmp_path / "人才库.xlsx", rows), "--format", "json")
    assert run.exit_code == 0, run.stderr
    [village] = run.json["villages"]
    assert [f["rule"] for f in village["findings"]] == ["T08"]
    assert "年龄无法得知" in village["findings"][0]["message"]
    assert run.json["summary"]["villages_without_young"] == 0


def test_a_training_row_copied_twice_counts_once(cli: CLI, tmp_path: Path) -> None:
    """The same person, course, end date and result on two rows (a clerk pasted the row twice)
    is one course: the copy is T09, not counted in courses, hours or the ladder's ranking."""
    pool = _one_reserve(tmp_path)
    course = [_id(1995, 1), "书记轮训", "2026-03-04", 16, "合格"]
    training = write_rows_xlsx(
        tmp_path / "培训.xlsx",
        [
            ["身份证号码", "培训项目", "结束日期", "学时", "结果"],
            course,
            [_id(1995, 1), "电商班", "2026-03-04", 8, "合格"],  # another course the same day: counted
            course,
        ],
    )
    run = cli("pool", pool, "-t", training, "--format", "json")
    assert run.exit_code == 0, run.stderr
    records = run.json["training_records"]
    assert [(r["counted"], r["rule"]) for r in records] == [(True, None), (True, None), (False, "T09")]
    assert "第2行" in records[2]["reason"]
    assert run.json["training"]["courses_completed"] == 2 and run.json["training"]["hours_completed"] == 24.0
    [rung] = run.json["ladder"]
    assert rung["training"] == {"courses": 2, "excellent": 0, "hours": 24.0}
    assert any(f["rule"] == "T09" and "培训.xlsx第4行" in f["message"] for f in run.json["findings"])
    PoolOutput.model_validate(run.json)


def test_a_training_row_of_someone_whose_pool_id_excel_mangled_says_so(cli: CLI, tmp_path: Path) -> None:
    number = _id(1995, 1)
    assert not number.endswith("X")
    pool = write_rows_xlsx(
        tmp_path / "人才库.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"], ["城关镇", "东风村", "甲", float(number), "中共党员"]],
    )
    training = write_rows_xlsx(
        tmp_path / "培训.xlsx",
        [["身份证号码", "培训项目", "结束日期", "结果"], [number, "书记轮训", "2026-03-04", "合格"],
         ["52270219950301999X", "书记轮训", "2026-03-04", "合格"], ["不详", "书记轮训", "2026-03-04", "合格"]],
    )  # fmt: skip
    run = cli("pool", pool, "-t", training, "--format", "json")
    assert run.exit_code == 0, run.stderr
    first, other, unknown = run.json["training_records"]
    assert first["rule"] == "T05" and "人才库.xlsx第2行" in first["reason"] and "Excel" in first["reason"]
    assert other["rule"] == "T05" and "Excel" not in other["reason"]
    assert unknown["rule"] == "T05"


def test_reserves_of_no_township_are_said_where_the_township_rows_do_not_add_up(cli: CLI, tmp_path: Path) -> None:
    rows = [
        ["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "人才层级"],
        ["城关镇", "东风村", "甲", _id(1995, 1), "中共党员", "村级"],
        ["", "", "乙", _id(1995, 2), "群众", "村级"],  # no township, no village: T04, county only
        ["", "", "丙", _id(1995, 3), "群众", "县级人才"],  # a county talent: no finding
    ]
    pool = write_rows_xlsx(tmp_path / "人才库.xlsx", rows)
    run = cli("pool", pool)
    assert run.exit_code == 0, run.stderr
    assert "另有2名后备人才没有乡镇(街道)或为市级人才，只计入全县" in run.stdout
    out = tmp_path / "研判.xlsx"
    assert cli("pool", pool, "-o", out, "--quiet").exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(out)["全县汇总"]
    cells = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any("另有2名后备人才" in v for v in cells)


def test_a_ledger_with_one_training_date_column(cli: CLI, tmp_path: Path) -> None:
    """培训时间 as one column — a date, a month, a range within a month or across a year, a date
    cell, an Excel serial — gives the end date; one nobody can read is T06 quoting it."""
    pool = _one_reserve(tmp_path)
    who = _id(1995, 1)
    training = write_rows_xlsx(
        tmp_path / "培训.xlsx",
        [
            ["姓名", "身份证号", "培训班次", "培训时间", "学时", "考核结果"],
            ["甲", who, "书记轮训", "2026.03", 16, "合格"],
            ["甲", who, "电商班", "2026年3月10日-12日", 16, "合格"],
            ["甲", who, "夜校", "2025.12.28—1.3", 16, "合格"],
            ["甲", who, "党课", dt.date(2024, 6, 1), 16, "合格"],
            ["甲", who, "讲座", 46100, 2, "合格"],
            ["甲", who, "第一期", "第一期", 2, "合格"],
        ],
    )
    run = cli("pool", pool, "-t", training, "--format", "json")
    assert run.exit_code == 0, run.stderr
    records = run.json["training_records"]
    assert [r["end"] for r in records] == [
        "2026-03-01", "2026-03-12", "2026-01-03", "2024-06-01", "2026-03-19", None,
    ]  # fmt: skip
    assert records[-1]["rule"] == "T06" and "第一期" in records[-1]["reason"]
    assert run.json["training"]["courses_completed"] == 4


def test_a_person_listed_twice_counts_once(cli: CLI, tmp_path: Path) -> None:
    """The same ID number on two rows of the pool (D05 on both) is one reserve: the village has
    one (T01), the ladder one entry; both rows stay in the output."""
    row = ["城关镇", "东风村", "甲", _id(1995, 1), "中共党员"]
    pool = write_rows_xlsx(tmp_path / "人才库.xlsx", [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"], row, row])
    run = cli("pool", pool, "--format", "json")
    assert run.exit_code == 0, run.stderr
    [village] = run.json["villages"]
    assert village["reserves"] == 1 and [f["rule"] for f in village["findings"]] == ["T01"]
    assert run.json["county"]["reserves"] == 1
    assert len(run.json["people"]) == 2 and all(p["findings"][0]["rule"] == "D05" for p in run.json["people"])
    assert len([e for e in run.json["ladder"] if e["rung"] == "reserve"]) == 1
    assert any("重复" in n for n in run.json["notes"])


def test_ladder_counts_written_in_words(cli: CLI, tmp_path: Path) -> None:
    """任现职届数 两届 and 近三年优秀次数 一次 are numbers; 无 is none at all; what still cannot be
    read is quoted, not called missing."""
    pool = write_rows_xlsx(
        tmp_path / "人才库.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"], ["城关镇", "东风村", "后", _id(1995, 9), "中共党员"]],
    )
    header = ["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "现任职务", "任现职届数", "近三年优秀次数"]
    roster = write_rows_xlsx(
        tmp_path / "两委.xlsx",
        [
            header,
            ["城关镇", "东风村", "甲", _id(1980, 1), "中共党员", "副书记", "两届", "一次"],
            ["城关镇", "东风村", "乙", _id(1980, 2), "中共党员", "副主任", "1", "无"],
            ["城关镇", "东风村", "丙", _id(1980, 3), "中共党员", "副主任", "一届半", "2"],
        ],
    )
    run = cli("pool", pool, "-r", roster, "--format", "json")
    assert run.exit_code == 0, run.stderr
    successors = {e["name"]: e for e in run.json["ladder"] if e["rung"] == "successor"}
    assert successors["甲"]["ready"] is True
    assert [r["rule"] for r in successors["乙"]["reasons"]] == ["L02"]
    [why] = successors["丙"]["reasons"]
    assert why["rule"] == "L06" and "“一届半”无法识别" in why["message"]


def test_the_reader_takes_small_counts_in_chinese_numerals() -> None:
    from cadretool.roster.table import _number

    assert [_number(t, True)[0] for t in ("两届", "一次", "十二年", "二十一", "零次", "3届")] == [2, 1, 12, 21, 0, 3]
    assert [_number(t, True) for t in ("若干届", "一届半", "一百")] == [(None, False)] * 3


def test_a_roster_without_the_career_columns_says_which_are_missing(cli: CLI, tmp_path: Path) -> None:
    pool = write_rows_xlsx(
        tmp_path / "人才库.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌"], ["城关镇", "东风村", "后", _id(1995, 9), "中共党员"]],
    )
    roster = write_rows_xlsx(
        tmp_path / "两委.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "现任职务", "考核优秀次数"],
         ["城关镇", "东风村", "甲", _id(1980, 1), "中共党员", "书记", 3]],
    )  # fmt: skip
    run = cli("pool", pool, "-r", roster, "--format", "json")
    [entry] = [e for e in run.json["ladder"] if e["rung"] == "institution"]
    [why] = entry["reasons"]
    assert why["rule"] == "L06" and why["message"] == "缺少任正职届数，无法判断能否进入事业单位招录渠道"


def test_one_file_per_village_named_by_the_file_is_no_missing_column(cli: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "人才库"
    folder.mkdir()
    for n, village in enumerate(("东风村", "西山村")):
        write_rows_xlsx(
            folder / f"{village}.xlsx",
            [[f"城关镇{village}后备人才名册"], ["姓名", "身份证号", "政治面貌"],
             ["甲", _id(1995, 2 * n), "中共党员"], ["乙", _id(1985, 2 * n + 1), "群众"]],
        )  # fmt: skip
    run = cli("pool", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [(v["village"], v["reserves"], v["findings"]) for v in run.json["villages"]] == [
        ("东风村", 2, []), ("西山村", 2, []),
    ]  # fmt: skip
    assert not any("村(社区)" in f["message"] for f in run.json["findings"] if f["rule"] == "T08")


def test_a_reserve_already_on_the_roster_is_vetted_as_the_incumbent_it_is(cli: CLI, tmp_path: Path) -> None:
    """Two reserves of 50 for a committee seat: the one the cadre roster shows as 委员 stands for
    re-election (55 is the limit), the other is a new entrant held back by Q03 (45)."""
    header = ["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "学历", "是否本村户籍", "健康状况"]
    pool = write_rows_xlsx(
        tmp_path / "人才库.xlsx",
        [header, ["城关镇", "东风村", "甲", _id(1976, 1), "群众", "高中", "是", "健康"],
         ["城关镇", "东风村", "乙", _id(1976, 2), "群众", "高中", "是", "健康"]],
    )  # fmt: skip
    roster = write_rows_xlsx(
        tmp_path / "两委.xlsx",
        [["乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "现任职务"],
         ["城关镇", "东风村", "甲", _id(1976, 1), "群众", "委员"]],
    )  # fmt: skip
    run = cli("pool", pool, "-r", roster, "--as-of", "2026-12-31", "--format", "json")
    assert run.exit_code == 0, run.stderr
    rules = {e["name"]: [r["rule"] for r in e["reasons"]] for e in run.json["ladder"] if e["rung"] == "reserve"}
    assert "Q03" not in rules["甲"] and "Q03" in rules["乙"], rules


def test_a_ledger_without_a_result_column_says_so_rather_than_blank(cli: CLI, tmp_path: Path) -> None:
    pool = _one_reserve(tmp_path)
    path = tmp_path / "培训.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["身份证号", "培训项目", "学时"], [_id(1995, 1), "书记轮训", "16学时"]])
    run = cli("pool", pool, "-t", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    [record] = run.json["training_records"]
    assert record["rule"] == "T06" and record["reason"] == "所在表没有“结束日期”或“培训时间”列"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["身份证号", "培训项目", "结束日期"], [_id(1995, 1), "书记轮训", "2026-03-04"]])
    [record] = cli("pool", pool, "-t", path, "--format", "json").json["training_records"]
    assert record["rule"] == "T06" and "没有“结果”列" in record["reason"]


def test_hours_nobody_can_read_are_said_on_the_counted_row(cli: CLI, tmp_path: Path) -> None:
    training = write_rows_xlsx(
        tmp_path / "培训.xlsx",
        [
            ["身份证号码", "培训项目", "结束日期", "学时", "结果"],
            [_id(1995, 1), "书记轮训", "2026-03-04", "两天", "合格"],
        ],
    )
    run = cli("pool", _one_reserve(tmp_path), "-t", training, "--format", "json")
    [record] = run.json["training_records"]
    assert record["counted"] is True and record["hours"] is None
    assert record["reason"] == "学时“两天”无法识别，不计学时"
