"""A big CSV is read by column (pyarrow): the same people, findings and annotated table as the
row-by-row reader gives for the same file, which stays the path for small and unusual files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import badfiles
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadretool.output.tables import write_annotated_table, write_vet_json
from cadretool.roster import readers
from cadretool.roster.readers import RawSheet, TableSheet, read_workbook
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet

pytest.importorskip("pyarrow")

RULES = load_ruleset(None)
PEOPLE = 150  # more than the rows read as a grid above the columns


def _people(n: int = PEOPLE) -> list[dict[str, object]]:
    """`n` people in villages of five; every seventh born too early (Q02), every ninth did not sign the pledge (Q10)."""
    base = badfiles.people()
    out = []
    for i in range(n):
        person = dict(base[i % len(base)])
        born = dt.date(1970 + i % 30 if i % 7 else 1950, 1 + i % 12, 1 + i % 27)
        person["身份证号码"] = badfiles.id_number(born, 100 + i * 2 + (person["性别"] == "男"))
        person["出生年月"] = f"{born.year}.{born.month}" if born.month in (1, 10) else f"{born.year}.{born.month:02d}"
        person["村(社区)"] = f"第{i // 5 + 1}村"
        person["是否签订承诺书"] = "否" if i % 9 == 0 else "是"
        out.append(person)
    return out


def _grid(headers: list[str], people: list[dict[str, object]]) -> list[list[object]]:
    width = len(headers)
    rows: list[list[object]] = [[badfiles.TITLE, *[""] * (width - 1)], [""] * width, list(headers)]
    for n, person in enumerate(people, start=1):
        rows.append([n if h == "序号" else person.get(h, "") for h in headers])
    return rows


def _write(path: Path, rows: list[list[object]], encoding: str, delimiter: str = ",", tail: str = "") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes((buf.getvalue() + tail).encode(encoding))
    return path


def gbk_with_footer(folder: Path) -> Path:
    """Excel on Chinese Windows: GBK, a blank line inside the data, sign-off lines under the table."""
    rows = _grid(badfiles.HEADERS, _people())
    rows.insert(80, [])
    return _write(folder / "全省_gbk.csv", rows, "gbk", tail="合计,共150人\r\n制表人：张三\r\n\r\n")


def bom_with_odd_columns(folder: Path) -> Path:
    """UTF-8 with BOM; a repeated 备注, a column with no header, year.month saved as text (1985.1)."""
    headers = [*badfiles.HEADERS, "备注", ""]
    people = _people()
    rows = _grid(headers, people)
    for i, row in enumerate(rows[3:]):
        row[-2], row[-1] = f"第二备注{i}", f"=无表头{i}" if i % 2 else f"无表头{i}"
    rows[60][-2] = f"与{badfiles.person_id(1)}同一户"  # an ID number inside a note
    return _write(folder / "全省_bom.csv", rows, "utf-8-sig")


def tab_separated(folder: Path) -> Path:
    return _write(folder / "全省.txt", _grid(badfiles.HEADERS, _people()), "utf-8", delimiter="\t")


def line_break_in_a_cell(folder: Path) -> Path:
    """A note with a line break and a short footer: only the row reader knows where its rows are."""
    people = _people()
    people[100]["备注"] = "连任\n第二行"
    return _write(folder / "全省_换行.csv", _grid(badfiles.HEADERS, people), "utf-8", tail="制表人：张三\r\n")


def a_row_wider_than_the_header(folder: Path) -> Path:
    """A note typed one cell past the table: only the row reader keeps that cell."""
    rows = _grid(badfiles.HEADERS, _people())
    rows[120] = [*rows[120], "表外的备注"]
    return _write(folder / "全省_宽行.csv", rows, "utf-8")


def village_from_the_file_name(folder: Path) -> Path:
    """One village's file with the 村 column left empty on some rows, and a 全日制 header that
    gives 学历's mode: values the reader writes into columns it read coded (Categorical)."""
    headers = ["全日制学历" if h == "文化程度" else h for h in badfiles.HEADERS]
    people = _people()
    for i, person in enumerate(people):
        person["全日制学历"] = person.get("文化程度", "")
        if i % 3:
            person["村(社区)"] = ""
    return _write(folder / "道坪镇红岩村.csv", _grid(headers, people), "utf-8")


def _outputs(path: Path, tmp_path: Path, columnar: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bytes, type]:
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0 if columnar else 1 << 40)
    result = vet([path], RULES)
    out = io.StringIO()
    write_vet_json(out, result)
    tables = b""
    for mask_ids in (False, True):  # --mask-ids masks the ID column and any ID in a note
        table = tmp_path / f"table_{columnar}_{mask_ids}.csv"
        write_annotated_table(table, result, mask_ids=mask_ids)
        tables += table.read_bytes()
    return out.getvalue(), tables, type(result.roster.sheets[0].raw)


@pytest.mark.parametrize(
    ("make", "reader"),
    [
        (gbk_with_footer, TableSheet),
        (bom_with_odd_columns, TableSheet),
        (tab_separated, TableSheet),
        (village_from_the_file_name, TableSheet),
        (line_break_in_a_cell, RawSheet),
        (a_row_wider_than_the_header, RawSheet),
    ],
)
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_big_csv_read_by_column_gives_what_the_row_reader_gives(
    make, reader: type, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path)
    by_row = _outputs(path, tmp_path, False, monkeypatch)
    by_column = _outputs(path, tmp_path, True, monkeypatch)
    assert by_row[2] is RawSheet
    assert by_column[2] is reader
    assert by_column[0] == by_row[0]
    assert by_column[1] == by_row[1]
    people = json.loads(by_column[0])["people"]
    assert len(people) == PEOPLE
    assert sum(any(f["rule"] == "Q02" for f in p["findings"]) for p in people) == len(range(0, PEOPLE, 7))
    assert sum(any(f["rule"] == "Q10" for f in p["findings"]) for p in people) == len(range(0, PEOPLE, 9))


def test_sign_off_lines_under_a_big_csv_are_listed_not_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)
    result = vet([gbk_with_footer(tmp_path)], RULES)
    sheet = result.roster.sheets[0]
    assert isinstance(sheet.raw, TableSheet)
    assert len(result.people) == PEOPLE
    skipped = dict(sheet.skipped_rows)
    last = 3 + PEOPLE + 1  # title, blank, header, the people and the blank line among them
    assert skipped[last + 1].startswith("合计行") and skipped[last + 2].startswith("落款或说明行")
    # the people below the blank line keep the row numbers a clerk sees
    assert result.people["_row"].iloc[-1] == last


def test_a_big_csv_keeps_every_column_and_reads_year_month_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)
    path = bom_with_odd_columns(tmp_path)
    result = vet([path], RULES)
    assert isinstance(result.roster.sheets[0].raw, TableSheet)
    born = result.people["birth_date"]
    assert born.iloc[9].month == 10  # 1985.1 saved by Excel is October
    out = tmp_path / "out.csv"
    write_annotated_table(out, result)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [r["备注_2"] for r in table[:3]] == ["第二备注0", "第二备注1", "第二备注2"]
    # the columns read coded stay coded after reading; the same rows as text in a .parquet
    body = result.roster.sheets[0].raw.body
    assert any(str(t).startswith("dictionary") for t in body.schema.types)
    pq = pytest.importorskip("pyarrow.parquet")
    write_annotated_table(tmp_path / "out.parquet", result)
    parquet = pq.read_table(tmp_path / "out.parquet")
    assert {str(t) for t in parquet.schema.types} <= {"string", "large_string"}
    from cadretool.output.safety import csv_safe

    assert [{k: csv_safe(v or "") for k, v in r.items()} for r in parquet.to_pylist()] == table  # CSV quotes =…
    assert [r["列S"] for r in table[:2]] == ["无表头0", "'=无表头1"]  # a formula-like cell is quoted
    masked = tmp_path / "masked.csv"
    write_annotated_table(masked, result, mask_ids=True)
    text = masked.read_text(encoding="utf-8-sig")
    number = badfiles.person_id(1)
    assert number not in text and f"与{number[:6]}********{number[-4:]}同一户" in text
    assert result.people["id_number"].iloc[0] not in text


cells = st.one_of(
    st.sampled_from(["", "是", "否", "无", "1985.03", "1985.1", "张三", "第1村", "a,b", 'say "hi"', " 空格 "]),
    st.text(alphabet=st.sampled_from("甲乙丙,\"' \t1."), max_size=6),
)


@given(
    head=st.lists(st.lists(cells, min_size=1, max_size=5), min_size=readers.HEAD_RECORDS, max_size=70),
    body=st.lists(st.lists(cells, min_size=5, max_size=5), min_size=1, max_size=40),
    short=st.lists(st.tuples(st.integers(0, 40), st.lists(cells, max_size=4)), max_size=3),
)
def test_the_column_reader_reads_every_cell_the_row_reader_reads(
    head: list[list[str]], body: list[list[str]], short: list[tuple[int, list[str]]], tmp_path_factory
) -> None:
    folder = tmp_path_factory.mktemp("grid")
    head = [[*row, *[""] * (5 - len(row))] for row in head]  # as Excel saves: every row as wide as the table
    for place, row in short:
        body.insert(min(place, len(body)), row)
    path = _write(folder / "grid.csv", [*head, *body], "utf-8")
    old = readers.COLUMNAR_BYTES
    try:
        readers.COLUMNAR_BYTES = 1 << 40
        by_row = read_workbook(path).sheets[0]
        readers.COLUMNAR_BYTES = 0
        by_column = read_workbook(path).sheets[0]
    finally:
        readers.COLUMNAR_BYTES = old
    if not isinstance(by_column, TableSheet):
        return  # a file only the row reader can place (a cell with a line break among short rows)
    width = by_column.width()

    def padded(rows: list[list[object]]) -> list[list[object]]:
        return [[*r, *[""] * (width - len(r))] for r in rows]

    assert padded(by_column.rows) == padded(by_row.rows)
    assert by_column.n_rows() == by_row.n_rows()
    for index in range(width):
        assert by_column.column(index, 2).tolist() == by_row.column(index, 2).tolist()


def test_a_big_sheet_finds_the_same_rows_that_are_not_people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a big sheet pyarrow picks the rows worth a closer look; it must pick every row the
    checks would: totals, sign-offs, notes, a date line, column numbers, a count split over cells."""
    rows = _grid(badfiles.HEADERS, _people())
    width = len(badfiles.HEADERS)

    def line(*cells: str) -> list[str]:
        return [*cells, *[""] * (width - len(cells))]

    odd = [
        line("", "合　计", "", "150"),
        line("1", "2", "3", "4", "5"),
        line("", "示例", "男"),
        line("", "填 表 人：李四"),
        line("注：1.本表一式三份"),
        line("", "2026年11月20日"),
        line("共", "150", "人"),
        line("以下空白"),
        line("", "王 五", "男", "", "", "", "", "", "", "", "", "", "", "", "", "", "联系电话：139"),
        line("", "（空缺）", "", "", "", "", "", "", "", "", "", "", "", "", "委员"),
    ]
    for k, row in enumerate(odd):
        rows.insert(20 + 7 * k, row)
    path = _write(tmp_path / "全省_落款.csv", rows, "utf-8")
    seen = []
    for big in (1 << 40, 0):
        monkeypatch.setattr("cadretool.roster.table.BIG_SHEET_ROWS", big)
        result = vet([path], RULES)
        seen.append((result.roster.sheets[0].skipped_rows, result.people["_row"].tolist()))
    assert seen[0] == seen[1]
    skipped = [why for _, why in seen[1][0]]
    assert len(skipped) == 9, skipped  # 王 五 with a phone number in 备注 is a person
    assert len(seen[1][1]) == PEOPLE + 1


mixed = st.one_of(
    st.sampled_from(["是", "否", "", "1985.03", "无"]),
    st.integers(-2, 2),
    st.sampled_from([0.0, 1.0, -1.5, 2.0, float("nan")]),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
)


@given(cells=st.lists(mixed, min_size=1, max_size=60), copies=st.booleans())
def test_a_long_column_factorised_by_identity_is_factorised_by_value(cells: list[object], copies: bool) -> None:
    """1, 1.0 and True stay apart, blanks are -1, and equal texts that are distinct objects are one value."""
    from cadretool.roster import text

    values = np.empty(len(cells), dtype=object)
    values[:] = [("".join(c) if copies and isinstance(c, str) else c) for c in cells]  # fresh string objects
    by_value = text._factorize_values(values)
    by_identity = text._factorize_by_identity(values)
    assert by_identity[0].tolist() == by_value[0].tolist()
    assert [(type(u), u) for u in by_identity[1]] == [(type(u), u) for u in by_value[1]]


spaced = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000\u200b\ufeff"),
        st.characters(exclude_categories=("Cs",)),  # pyarrow holds UTF-8: no lone surrogates
    ),
    max_size=6,
)


@given(cells=st.lists(spaced, max_size=40), skip=st.integers(0, 3))
def test_a_big_csv_finds_blank_cells_as_a_small_one_does(cells: list[str], skip: int) -> None:
    """A name or ID cell of only spaces (of any kind Python strips) is blank, read by column or not."""
    import pyarrow as pa

    from cadretool.roster.table import _blank, _blank_texts

    texts = pa.array(["x", *cells], pa.string()).slice(min(skip, len(cells)))
    assert _blank_texts(texts).tolist() == [_blank(v) for v in texts.to_pylist()]


@given(cells=st.lists(st.one_of(spaced, st.sampled_from(["", "=1+1", "-3", "+86", "@SUM", "a=b"])), max_size=40))
def test_a_formula_like_cell_is_found_in_a_column_read_by_pyarrow(cells: list[str]) -> None:
    import pyarrow as pa

    from cadretool.output.safety import FORMULA_PREFIXES, csv_safe
    from cadretool.output.tables import _any_formula_like, _shown

    for skip in range(min(len(cells), 3) + 1):
        texts = pa.array(["=x", *cells], pa.string()).slice(1 + skip)
        if any(v.startswith(FORMULA_PREFIXES) for v in cells[skip:]):
            assert _any_formula_like(texts)
        # what the CSV gets: each formula-like text quoted, every other text as it was
        assert _shown(texts, False, False, True).to_pylist() == [csv_safe(v) for v in cells[skip:]]


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_big_csv_cut_inside_a_character_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A file cut short in the middle of a character (a copy that did not finish): the reason, no noise."""
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)
    path = tab_separated(tmp_path)
    path.write_bytes(path.read_bytes() + "制表人：张".encode()[:-1])
    result = vet([path], RULES)
    assert [e.reason for e in result.errors] == ["无法识别文本编码，不是 UTF-8 或 GBK 表格 (unknown text encoding)"]
    assert capfd.readouterr().err == ""


def test_a_big_csv_written_to_a_workbook_has_every_cell_of_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook of a big CSV is written from its columns a block of rows at a time."""
    import openpyxl

    from cadretool.output.workbook import write_vet_workbook

    monkeypatch.setattr(readers._LazyRows, "BLOCK", 7)
    path = gbk_with_footer(tmp_path)
    sheets = []
    for columnar in (False, True):
        monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0 if columnar else 1 << 40)
        out = tmp_path / f"out_{columnar}.xlsx"
        result = vet([path], RULES)
        write_vet_workbook(out, result)
        book = openpyxl.load_workbook(out, read_only=True)
        sheets.append([list(r) for r in book[book.sheetnames[0]].iter_rows(values_only=True)])
        book.close()
    assert sheets[1] == sheets[0]
    assert len(sheets[1]) == 3 + PEOPLE + 1 + 2  # title, blank, header, people, a blank line, two sign-offs


def test_a_big_csv_reports_every_byte_read_and_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress bar's bytes add up to the file (head and body), and the file is unchanged."""
    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)
    path = gbk_with_footer(tmp_path)
    before = path.read_bytes()
    told: list[int] = []
    book = readers.read_all([path], None, on_bytes=told.append)[0]
    assert isinstance(book.sheets[0], TableSheet)
    assert sum(told) == len(before)
    assert path.read_bytes() == before


def test_the_annotated_csv_is_written_in_batches_with_one_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows made batch by batch on two cores come out in the roster's order, under one header."""
    from cadretool.output import tables

    monkeypatch.setattr(readers, "COLUMNAR_BYTES", 0)
    monkeypatch.setattr(tables, "TABLE_BATCH_ROWS", 7)
    result = vet([gbk_with_footer(tmp_path)], RULES)
    out = tmp_path / "out.csv"
    write_annotated_table(out, result)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["序号", "姓名", "性别"]
    assert sum(r[:3] == rows[0][:3] for r in rows) == 1
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, PEOPLE + 1)]
    assert [int(r[rows[0].index("行号")]) for r in rows[1:]] == result.people["_row"].tolist()
