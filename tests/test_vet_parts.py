"""A big table vetted in parts, one process a part (`--jobs`, the default for a national CSV),
gives exactly what one process gives: the annotated table byte for byte, the summary, the notes
and the exit code; with villages, repeated ID numbers, a date column's form, nameless people and
counted notes that run across the parts."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import badfiles
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadretool import vet_parts
from cadretool.output import present
from cadretool.roster import readers
from cadretool.roster.readers import read_all
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parts are forked on Linux only")
pq = pytest.importorskip("pyarrow.parquet")

PEOPLE = 240  # well past the rows read as a grid above the columns (64), so the parts have rows of their own


@pytest.fixture(autouse=True)
def by_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every CSV by column, as a national one is (parts are cut from such a table)."""
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many parts each run that vetted in parts started."""
    counts: list[int] = []
    serve = vet_parts._serve

    def counted(conns, on_phase):  # type: ignore[no-untyped-def]
        counts.append(len(conns))
        return serve(conns, on_phase)

    monkeypatch.setattr(vet_parts, "_serve", counted)
    return counts


def roster_rows(n: int = PEOPLE) -> list[dict[str, object]]:
    """People in villages of about seven, with what only the whole sheet can settle running across
    the middle: the first village again at the end, an ID number repeated 200 rows on, birth months
    written 1985.03 in the first rows and 1985.1 (October) only in the last, a person with no name
    and people with no village in the second half, a repeated header and sign-off rows."""
    base = badfiles.people()
    rows: list[dict[str, object]] = []
    for i in range(n):
        person = dict(base[i % len(base)])
        born = dt.date(1958 + i % 40, 1 + i % 12, 1 + i % 27)
        person["姓名"] = f"{person['姓名']}{i}"
        person["身份证号码"] = badfiles.id_number(born, 100 + 2 * i + (person["性别"] == "男"))
        if i < n * 2 // 5:
            person["出生年月"] = f"{born.year}.{born.month:02d}"
        elif born.month == 10:
            person["出生年月"] = f"{born.year}.1"  # 1985.10 as Excel writes it
        else:
            person["出生年月"] = ""  # the ID number gives it
        person["乡镇(街道)"] = "城关镇" if (i // 7) % 3 else "龙井乡"
        person["村(社区)"] = f"第{i // 7 + 1}村" if i < n - 3 else "第1村"
        person["文化程度"] = "初中" if i % 5 == 0 else person["文化程度"]
        person["是否签订承诺书"] = "否" if i % 9 == 0 else "是"
        rows.append(person)
    rows[n - 10]["身份证号码"] = rows[4]["身份证号码"]  # D05 across the parts
    rows[n - 20]["姓名"] = ""  # D06: a name left out, in a sheet where everyone else has one
    for k in (n - 30, n - 29):
        rows[k]["村(社区)"] = ""  # counted per township for the village rules
    rows.insert(n // 2, {h: h for h in badfiles.HEADERS})  # sheets pasted together
    rows += [{"姓名": "合计", "序号": ""}, {"姓名": "制表人：张三", "序号": ""}]
    return rows


def write_roster(path: Path, rows: list[dict[str, object]] | None = None) -> Path:
    return badfiles.write_roster_csv(path, roster_rows() if rows is None else rows, encoding="utf-8-sig")


def vet_both(cli, roster: Path, jobs: int, *extra: str, suffix: str = ".csv", finished: bool = True):  # type: ignore[no-untyped-def]
    folder = roster.parent
    whole = cli("vet", roster, "-o", folder / f"whole{suffix}", "-j", "1", *extra)
    parts = cli("vet", roster, "-o", folder / f"parts{suffix}", "-j", str(jobs), *extra)
    if finished:
        assert "分段并行" not in parts.stderr  # every part finished (the table was not left to one process)
    return whole, parts, folder / f"whole{suffix}", folder / f"parts{suffix}"


@pytest.mark.parametrize("jobs", [2, 3])
def test_parts_write_the_table_one_process_writes(cli, tmp_path: Path, served: list[int], jobs: int, wide) -> None:  # type: ignore[no-untyped-def]
    roster = write_roster(tmp_path / "全县花名册.csv")
    whole, parts, whole_out, parts_out = vet_both(cli, roster, jobs, "--fail-on", "review")
    assert served == [jobs]
    assert parts_out.read_bytes() == whole_out.read_bytes()
    assert parts.stdout.replace("parts.csv", "whole.csv") == whole.stdout
    assert parts.stderr == whole.stderr
    assert parts.exit_code == whole.exit_code == 1
    text = parts_out.read_text(encoding="utf-8-sig")
    # what needed the whole sheet is there: the repeated number names the row in the other part
    assert "身份证号码重复出现，另见：全县花名册.csv/全县花名册 第8行" in text  # the fifth person, in the first part
    assert "缺少姓名" in text
    assert "班子结构提示" in parts.stdout


def test_a_date_column_is_read_as_the_whole_column_says(cli, tmp_path: Path, served: list[int]) -> None:  # type: ignore[no-untyped-def]
    """1985.1 in the last rows is October because the first rows write 1985.03; the last rows on
    their own would read it as January (and find the ID number disagreeing)."""
    roster = write_roster(tmp_path / "名册.csv")
    whole, parts, whole_out, parts_out = vet_both(cli, roster, 2)
    assert served == [2]
    assert parts_out.read_bytes() == whole_out.read_bytes()
    assert "出生年月填写为" not in parts_out.read_text(encoding="utf-8-sig")
    last = [row for row in roster_rows()[PEOPLE // 2 + 1 : PEOPLE] if str(row["出生年月"]).endswith(".1")]
    alone = tmp_path / "alone.csv"
    cli("vet", write_roster(tmp_path / "后半.csv", last), "-o", alone, "-j", "1")
    assert "身份证号码显示为" in alone.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("joined_by_arrow_from", [None, "whole"])
def test_parquet_parts_give_the_same_table(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, served: list[int], monkeypatch: pytest.MonkeyPatch, joined_by_arrow_from
) -> None:
    roster = write_roster(tmp_path / "名册.csv")
    if joined_by_arrow_from:  # the whole sheet's findings are joined by pyarrow, each part's by Python
        findings = len(vet(read_all([roster], None), load_ruleset(None)).findings)
        monkeypatch.setattr(present, "ARROW_FINDINGS", findings * 3 // 4)
    whole, parts, whole_out, parts_out = vet_both(cli, roster, 2, "--mask-ids", suffix=".parquet")
    assert served == [2]
    assert pq.read_table(parts_out).equals(pq.read_table(whole_out))
    assert {str(t) for t in pq.read_schema(parts_out).types} == {"string"}  # every column as text, one type
    assert parts.exit_code == whole.exit_code


def test_a_place_taken_from_the_file_name_is_counted_over_every_part(cli, tmp_path: Path, served: list[int]) -> None:  # type: ignore[no-untyped-def]
    rows = roster_rows()
    for row in rows:
        if row.get("乡镇(街道)") and row["乡镇(街道)"] != "乡镇(街道)":
            row["乡镇(街道)"] = ""
    roster = write_roster(tmp_path / "龙井乡.csv", rows)
    whole, parts, whole_out, parts_out = vet_both(cli, roster, 2)
    assert served == [2]
    assert parts_out.read_bytes() == whole_out.read_bytes()
    assert f"乡镇(街道)取自工作表名：龙井乡（{PEOPLE}人）" in parts.stdout  # a CSV's one sheet has its name
    assert parts.stdout.replace("parts.csv", "whole.csv") == whole.stdout


def test_a_part_that_fails_leaves_the_whole_sheet_to_one_process(
    cli, tmp_path: Path, served: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    roster = write_roster(tmp_path / "名册.csv")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise MemoryError("no memory left")

    monkeypatch.setattr(vet_parts, "annotated_arrow", broken)  # only the parts write through this name
    whole, parts, whole_out, parts_out = vet_both(cli, roster, 2, finished=False)
    assert served == [2]
    assert parts_out.read_bytes() == whole_out.read_bytes()
    assert "分段并行审查未能完成，已改为整表审查" in parts.stderr and "MemoryError" in parts.stderr
    assert not list(tmp_path.glob(".parts*"))  # no piece of a part is left behind
    assert parts.exit_code == whole.exit_code


@settings(max_examples=6)
@given(order=st.permutations(range(PEOPLE)), jobs=st.integers(2, 4))
def test_any_order_of_rows_any_number_of_parts(tmp_path_factory, order: list[int], jobs: int) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cadretool.cli import app

    readers.COLUMNAR_BYTES, kept = 0, readers.COLUMNAR_BYTES
    try:
        folder = tmp_path_factory.mktemp("parts")
        people = roster_rows()
        roster = write_roster(folder / "名册.csv", [people[i] for i in order] + people[PEOPLE:])
        runner = CliRunner()
        outs = []
        for j in (1, jobs):
            out = folder / f"out{j}.csv"
            run = runner.invoke(app, ["vet", str(roster), "-o", str(out), "-j", str(j)], catch_exceptions=False)
            assert "分段并行" not in run.stderr  # every part finished
            outs.append((out.read_bytes(), run.exit_code, run.stdout.replace(out.name, "OUT")))
        assert outs[0] == outs[1]
    finally:
        readers.COLUMNAR_BYTES = kept


def test_when_a_sheet_is_vetted_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_ruleset(None)
    roster = write_roster(tmp_path / "名册.csv")
    books = read_all([roster], None)
    assert vet_parts.parts_wanted(books, rules, None) == 1  # a county's sheet: one process
    assert vet_parts.parts_wanted(books, rules, 1) == 1
    assert vet_parts.parts_wanted(books, rules, 3) == 3
    assert vet_parts.parts_wanted(books, rules, 500) == (books[0].sheets[0].n_rows() - 64) // 2
    monkeypatch.setattr(vet_parts, "PART_ROWS", 100)  # as if the sheet were a big one
    monkeypatch.setattr(vet_parts, "cores", lambda: 64)
    assert vet_parts.parts_wanted(books, rules, None) == 4  # at least 50 rows a part
    monkeypatch.setattr(vet_parts, "PART_ROWS", 2)
    assert vet_parts.parts_wanted(books, rules, None) == vet_parts.MOST_PARTS  # not one process a core of 64
    monkeypatch.setattr(vet_parts, "available_memory", lambda: 100 * vet_parts.BYTES_A_ROW_IN_PARTS)
    assert vet_parts.parts_wanted(books, rules, None) == 1  # not the memory for parts: one process
    assert vet_parts.parts_wanted(books, rules, 2) == 2  # unless asked
    monkeypatch.setattr(vet_parts, "available_memory", lambda: 1 << 40)
    monkeypatch.setattr(vet_parts, "cores", lambda: 1)
    assert vet_parts.parts_wanted(books, rules, None) == 1
    xlsx = read_all([badfiles.write_roster_xlsx(tmp_path / "名册.xlsx")], None)
    assert vet_parts.parts_wanted(xlsx, rules, 2) == 1  # a workbook is read as a grid, not by column
    sheet = books[0].sheets[0]
    cuts = vet_parts._cuts(sheet, 3, 4)
    assert cuts[0][0] == 3 and cuts[-1][1] == sheet.n_rows()
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False))
    assert all(first >= len(sheet.head) for first, _ in cuts[1:])
