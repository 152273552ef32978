"""Outputs of a large run: JSON written person by person, a roster sheet continued past Excel's
row limit named in 汇总, and the progress bar a long run shows on a terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import badfiles
import openpyxl
import pytest
from rich.console import Console

from cadretool import cli
from cadretool.output import workbook
from cadretool.output.tables import dumps, vet_json, write_vet_json
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet

RULES = load_ruleset(None)
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.mark.parametrize("mask_ids", [False, True])
def test_json_written_person_by_person_is_the_same_document(mask_ids: bool) -> None:
    result = vet(
        [SAMPLE / "roster.xlsx"],
        RULES,
        evidence=[SAMPLE / "evidence_公安.xlsx", SAMPLE / "evidence_纪委监委.csv"],
    )
    out = io.StringIO()
    write_vet_json(out, result, mask_ids=mask_ids)
    assert out.getvalue() == dumps(vet_json(result, mask_ids=mask_ids))
    data = json.loads(out.getvalue())
    assert len(data["people"]) == 578 and data["unmatched_evidence"]
    assert sum(len(p["findings"]) for p in data["people"]) == len(result.findings)


def test_json_of_a_roster_with_nobody_in_it(tmp_path: Path) -> None:
    result = vet([badfiles.write_roster_xlsx(tmp_path / "空.xlsx", rows=[])], RULES)
    out = io.StringIO()
    write_vet_json(out, result)
    assert out.getvalue() == dumps(vet_json(result))
    assert json.loads(out.getvalue())["people"] == []


def test_a_sheet_continued_past_excels_row_limit_is_named_in_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 5)
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx", rows=badfiles.people() * 2)
    out = tmp_path / "out.xlsx"
    workbook.write_vet_workbook(out, vet([roster], RULES))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["花名册", "花名册 (2)", "花名册 (3)"]
    # two people under the title and header, then four a sheet under the repeated header
    assert [book[n].max_row for n in book.sheetnames[:3]] == [5, 5, 3]
    assert book["花名册 (3)"]["B1"].value == "姓名" and book["花名册 (3)"]["B3"].value == "赵丽"
    notes = [str(c.value) for row in book["汇总"].iter_rows() for c in row if c.value]
    assert any("“花名册”超过 Excel" in n and "“花名册 (2)”、“花名册 (3)”" in n for n in notes)
    assert any("审查明细" in n and "续写" in n for n in notes)  # 8 people's findings do not fit in 5 rows


def test_the_progress_bar_shows_bytes_read_the_step_people_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli, "_stderr", lambda: Console(file=screen, force_terminal=True, width=120))
    roster = badfiles.write_roster_csv(tmp_path / "城关镇.csv")
    size = roster.stat().st_size
    with cli._vet_progress(True, [roster]) as progress:
        progress.read(size // 2)
        progress.progress.refresh()
        half = screen.getvalue()
        progress.phase("资格条件", 4)
        progress.progress.refresh()
    shown = screen.getvalue()
    assert f"已读 {size / 2 / 1024**2:,.1f} / {size / 1024**2:,.1f} MB" in half or "已读 0.0 / 0.0 MB" in half
    assert "读取花名册" in half and "0:00:0" in half
    assert "资格条件" in shown and "4 人" in shown


def test_no_progress_bar_off_a_terminal_or_with_quiet(cli_run, tmp_path: Path) -> None:
    roster = badfiles.write_roster_csv(tmp_path / "城关镇.csv")
    for args in (("vet", roster, "-o", tmp_path / "a.csv"), ("vet", roster, "-o", tmp_path / "b.csv", "--quiet")):
        run = cli_run(*args)
        assert run.exit_code == 0
        assert run.stderr == ""


@pytest.fixture
def cli_run(cli):  # noqa: ANN001, ANN201 - the shared CLI fixture under a name that does not shadow the module
    return cli


def test_parquet_carries_the_same_table_as_csv(cli_run, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")
    assert cli_run("vet", roster, "-o", tmp_path / "out.parquet").exit_code == 0
    assert cli_run("vet", roster, "-o", tmp_path / "out.csv").exit_code == 0
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [list(r) for r in table] == [list(r) for r in rows]
    assert [r["姓名"] for r in table] == [r["姓名"] for r in rows] == [p["姓名"] for p in badfiles.people()]
    assert [r["审查结论"] for r in table] == ["合格"] * 4
    assert table[0]["行号"] == "4" and table[0]["序号"] == "1"  # every column as text


def test_verdicts_joined_by_pyarrow_read_as_joined_by_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A national run joins each person's findings with pyarrow; the texts are the same."""
    pytest.importorskip("pyarrow")
    from cadretool.output import present

    result = vet(
        [SAMPLE / "roster.xlsx"], RULES, evidence=[SAMPLE / "evidence_公安.xlsx", SAMPLE / "evidence_纪委监委.csv"]
    )
    by_numpy = present.verdicts(result.people, result.findings)
    monkeypatch.setattr(present, "ARROW_FINDINGS", 0)
    by_arrow = present.verdicts(result.people, result.findings)
    for col in present.TABLE_VERDICT_HEADERS:
        assert by_arrow.table[col].tolist() == by_numpy.table[col].tolist(), col
    assert by_arrow.disqualify_lines == by_numpy.disqualify_lines
    assert any("；" in t for t in by_arrow.table["需核实事项"])  # someone has two findings to check
    # a table whose rows are not in the findings' order (people listed last to first)
    backwards = result.people.iloc[::-1]
    monkeypatch.setattr(present, "ARROW_FINDINGS", 10**9)
    by_numpy = present.verdicts(backwards, result.findings)
    monkeypatch.setattr(present, "ARROW_FINDINGS", 0)
    by_arrow = present.verdicts(backwards, result.findings)
    for col in present.TABLE_VERDICT_HEADERS:
        assert by_arrow.table[col].tolist() == by_numpy.table[col].tolist(), col


@pytest.mark.parametrize(
    ("texts", "start", "expected"),
    [
        ([["a", "b", ""], ["c", "=1+1"]], 0, True),
        ([["a", "-5"], ["c", "x"]], 2, False),  # the formula-like text is before the slice
        ([["", ""]], 0, False),
        ([["a", "\tb"]], 0, True),
        ([["+86 139", "@某人"]], 1, True),
        ([["张三", "'=已引"]], 0, False),
    ],
)
def test_formula_like_text_in_a_big_column_is_found_from_its_first_bytes(
    texts: list[list[str]], start: int, expected: bool
) -> None:
    pa = pytest.importorskip("pyarrow")
    from cadretool.output.safety import is_formula_like
    from cadretool.output.tables import _any_formula_like

    column = pa.chunked_array(texts).slice(start)
    assert _any_formula_like(column) is expected
    assert any(is_formula_like(t) for t in column.to_pylist()) is expected  # as csv_safe decides
