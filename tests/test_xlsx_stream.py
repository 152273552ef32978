"""The fast row path against XlsxWriter's own write path: the same rows must give the same sheet XML."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from cadretool.output import xlsx_stream
from cadretool.output.sheets import WORKBOOK_OPTIONS, Formats
from cadretool.output.xlsx_stream import (
    XLSX_STRMAX,
    FastRows,
    Formula,
    add_merged_ranges,
    internals_available,
    utf16_len,
    utf16_truncate,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "roster.xlsx"
EMOJI = "\U0001f600"

AWKWARD: list[Any] = [
    "a" * 40_000,
    EMOJI * 20_000,  # 40,000 UTF-16 units in 20,000 characters
    "a" * (XLSX_STRMAX - 1) + EMOJI,  # the emoji would straddle the limit: it goes
    "村" * XLSX_STRMAX,
    "x\x01y",
    "\x0b开头是控制字符",
    "结尾是控制字符\x1f",
    "制表\t中间",
    "换行\n中间",
    "\r",
    "  前后空格  ",
    "\u3000全角空格",
    " ",
    "",
    "_x0041_",
    "_X0041_ and _x00e9_",
    "A&B<C>\"'",
    "\ufffe\uffff",
    "=SUM(A1:A2)",
    math.nan,
    math.inf,
    -math.inf,
    0,
    -5,
    2**53 + 1,
    10**20,
    1e-300,
    1985.1,
    -0.0,
    True,
    False,
    np.float64(1.5),
    np.float32(0.1),
    np.int64(7),
    np.int8(-3),
    np.bool_(True),
    np.float64("nan"),
    decimal.Decimal("1.10"),
    dt.date(1899, 12, 31),
    dt.date(1900, 1, 1),
    dt.date(1900, 2, 28),
    dt.date(1900, 3, 1),
    dt.date(1901, 1, 1),
    dt.date(1985, 10, 1),
    dt.datetime(1850, 1, 1, 12, 0),
    dt.datetime(1900, 1, 1, 6, 0),
    dt.datetime(2024, 2, 29, 13, 45, 30, 123456),
    dt.datetime(2026, 12, 31),
    dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    pd.Timestamp("2026-01-01 08:00:00.5"),
    pd.Timestamp("1995-08-20"),
    dt.time(8, 30),
    Formula("=A1&B1", "张三1"),
    Formula("=1/0", "#DIV/0!"),
    Formula("=B1*2", 4),
    None,
]


def _sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def _write(
    path: Path, rows: list[tuple[int, list[Any]]], *, fast: bool, setup: Callable[[Any, Formats], None] | None = None
) -> tuple[str, int]:
    """Write (row, cells) through FastRows; returns the sheet XML and how many rows took the public path."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    ws = book.add_worksheet("s")
    formats = Formats(book)
    if setup is not None:
        setup(ws, formats)
    writer = FastRows(ws, formats.date_format, formats.write_other, formats.get(), fast=fast)
    assert writer.fast is fast
    public = 0
    original = writer._public

    def counting(*args: Any) -> None:
        nonlocal public
        public += 1
        original(*args)

    writer._public = counting  # type: ignore[method-assign]
    for out, cells in rows:
        writer.write(out, [cell(formats) if callable(cell) else cell for cell in cells])
    book.close()
    return _sheet_xml(path), public


def _both(tmp_path: Path, rows: list[tuple[int, list[Any]]], setup: Any = None) -> tuple[str, str, int]:
    fast, public_rows = _write(tmp_path / "fast.xlsx", rows, fast=True, setup=setup)
    slow, _ = _write(tmp_path / "slow.xlsx", rows, fast=False, setup=setup)
    return fast, slow, public_rows


def test_the_pinned_xlsxwriter_has_what_the_fast_path_needs(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), WORKBOOK_OPTIONS)
    assert internals_available(book.add_worksheet())
    book.close()
    plain = xlsxwriter.Workbook(str(tmp_path / "y.xlsx"))  # not constant-memory: nothing to stream into
    assert not internals_available(plain.add_worksheet())
    plain.close()


def test_awkward_values_give_the_same_xml_as_xlsxwriter(tmp_path: Path) -> None:
    rows = [(r, [(0, f"第{r}行", None), (2, value, None)]) for r, value in enumerate(AWKWARD)]
    fast, slow, public_rows = _both(tmp_path, rows)
    assert fast == slow
    # only the values the fast path hands over (NaN, inf, time, formulas, Decimal, dates before 1901) go public
    assert public_rows <= 18


def test_awkward_values_with_formats_give_the_same_xml(tmp_path: Path) -> None:
    def bold(formats: Formats) -> Any:
        return formats.get(bold=True)

    def dotted(formats: Formats) -> Any:
        return formats.get(num_format="yyyy.mm", bg_color="#FFC7CE")

    rows = []
    for r, value in enumerate(AWKWARD):
        rows.append((r, [lambda f, v=value: (1, v, bold(f)), lambda f, v=value: (3, v, dotted(f))]))
    fast, slow, _ = _both(tmp_path, rows)
    assert fast == slow


def test_text_is_cut_in_utf16_units_without_splitting_a_character(tmp_path: Path) -> None:
    assert utf16_len(EMOJI * 3) == 6
    assert utf16_truncate("a" * (XLSX_STRMAX - 1) + EMOJI) == "a" * (XLSX_STRMAX - 1)
    assert utf16_len(utf16_truncate(EMOJI * 20_000)) == XLSX_STRMAX - 1
    assert utf16_truncate("短") == "短"
    out = tmp_path / "long.xlsx"
    _write(out, [(0, [(0, EMOJI * 20_000, None), (1, "村" * 40_000, None)])], fast=True)
    row = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("s").to_python()[0]
    assert utf16_len(row[0]) == XLSX_STRMAX - 1 and set(row[0]) == {EMOJI}
    assert row[1] == "村" * XLSX_STRMAX


def test_rows_keep_their_set_row_options(tmp_path: Path) -> None:
    """Height, hidden, outline level and a row format set before the row is written."""

    def setup(ws: Any, formats: Formats) -> None:
        ws.set_row(1, 30)
        ws.set_row(2, None, None, {"hidden": True})
        ws.set_row(3, 12.75, formats.get(bold=True), {"level": 1})
        ws.set_row(4, 0)
        ws.set_column(2, 2, 12, formats.get(num_format="@"))
        ws.set_row(7, 40)  # a row with no cells at all

    rows = [
        (0, [(0, "标题", None)]),
        (1, [(0, "高行", None), (2, 1985.1, None)]),
        (2, [(0, "隐藏行", None), (1, dt.date(1990, 3, 7), None)]),
        (3, [(0, "带格式的行", None), (2, "列格式之下", None), (3, None, None)]),
        (4, [(0, 5, None), (1, math.nan, None)]),
        (5, [(2, "只在C列", None)]),
    ]
    fast, slow, _ = _both(tmp_path, rows, setup)
    assert fast == slow
    assert '<row r="2" ht="30" customHeight="1">' in fast
    assert '<row r="3" hidden="1">' in fast
    assert re.search(r'<row r="4" s="\d+" customFormat="1" ht="12.75" customHeight="1" outlineLevel="1">', fast)


def test_a_row_with_only_options_or_comments_is_kept_on_both_paths(tmp_path: Path) -> None:
    def setup(ws: Any, formats: Formats) -> None:
        ws.set_row(1, None, None, {"hidden": True})
        ws.set_row(2, 45)

    for fast in (True, False):
        out = tmp_path / f"empty_{fast}.xlsx"
        book = xlsxwriter.Workbook(str(out), WORKBOOK_OPTIONS)
        ws = book.add_worksheet("s")
        formats = Formats(book)
        setup(ws, formats)
        writer = FastRows(ws, formats.date_format, formats.write_other, formats.get(), fast=fast)
        writer.write(0, [], comments=[(0, "第一行的批注", {})])  # XlsxWriter itself trips over this one
        writer.write(1, [])
        writer.write(2, [])
        writer.write(3, [(0, "数据", None)])
        book.close()
        sheet = openpyxl.load_workbook(out)["s"]
        assert sheet.row_dimensions[2].hidden, fast
        assert sheet.row_dimensions[3].height == 45, fast
        assert sheet["A1"].comment.text == "第一行的批注" and sheet["A4"].value == "数据"


def test_sample_roster_gives_the_same_xml_as_plain_xlsxwriter(tmp_path: Path) -> None:
    """Every sheet of the sample roster, as calamine reads it, through the fast path and through write_*."""
    book_in = CalamineWorkbook.from_path(str(SAMPLE))
    sheets = {name: book_in.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book_in.sheet_names}

    def write(path: Path, fast: bool) -> None:
        book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
        formats = Formats(book)
        fill = formats.get(bg_color="#FFEB9C")
        for name, grid in sheets.items():
            ws = book.add_worksheet(name)
            ws.set_row(0, 30)
            writer = FastRows(ws, formats.date_format, formats.write_other, formats.get())
            for r, row in enumerate(grid):
                cells = [(c, v, fill if (r + c) % 7 == 0 else None) for c, v in enumerate(row) if v != ""]
                if fast:
                    writer.write(r, cells, ordered=True)
                    continue
                for c, v, fmt in cells:  # XlsxWriter's own calls, one per cell
                    if isinstance(v, str):
                        ws.write_string(r, c, v, fmt)
                    elif isinstance(v, dt.date):
                        has_time = isinstance(v, dt.datetime) and v.time() != dt.time(0)
                        ws.write_datetime(r, c, v, formats.date_format(fmt, has_time))
                    elif isinstance(v, bool):
                        ws.write_boolean(r, c, v, fmt)
                    else:
                        ws.write_number(r, c, v, fmt)
        book.close()

    write(tmp_path / "fast.xlsx", fast=True)
    write(tmp_path / "plain.xlsx", fast=False)
    for number in range(1, len(sheets) + 1):
        assert _sheet_xml(tmp_path / "fast.xlsx", number) == _sheet_xml(tmp_path / "plain.xlsx", number)


def test_without_xlsxwriter_internals_rows_go_through_the_public_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A future XlsxWriter without the private names: the same workbook, written the slow way."""
    rows = [(r, [(0, f"人{r}", None), (1, value, None)]) for r, value in enumerate(AWKWARD[4:30])]
    expected, _ = _write(tmp_path / "fast.xlsx", rows, fast=True)
    monkeypatch.setattr(xlsx_stream, "_INTERNALS", (*xlsx_stream._INTERNALS, "no_such_attribute"))
    book = xlsxwriter.Workbook(str(tmp_path / "probe.xlsx"), WORKBOOK_OPTIONS)
    assert not internals_available(book.add_worksheet())
    book.close()
    out = tmp_path / "fallback.xlsx"
    book = xlsxwriter.Workbook(str(out), WORKBOOK_OPTIONS)
    ws = book.add_worksheet("s")
    formats = Formats(book)
    writer = FastRows(ws, formats.date_format, formats.write_other, formats.get())
    assert not writer.fast
    for r, cells in rows:
        writer.write(r, cells)
    book.close()
    assert _sheet_xml(out) == expected


def test_merged_ranges_match_merge_range(tmp_path: Path) -> None:
    ranges = [(0, 0, 0, 5), (1, 0, 2, 0), (1, 1, 1, 3), (4, 4, 4, 4), (0, 2, 0, 3)]  # a single cell, an overlap
    out = tmp_path / "merged.xlsx"
    book = xlsxwriter.Workbook(str(out), WORKBOOK_OPTIONS)
    ws = book.add_worksheet("s")
    writer = FastRows(ws)
    for r in range(5):
        writer.write(r, [(0, f"r{r}", None)])
    assert add_merged_ranges(ws, ranges) == 3
    book.close()
    reference = tmp_path / "reference.xlsx"
    book = xlsxwriter.Workbook(str(reference))
    ws = book.add_worksheet("s")
    for r0, c0, r1, c1 in ranges[:3]:
        ws.merge_range(r0, c0, r1, c1, None)
    book.close()

    def merges(path: Path) -> str:
        found = re.search(r"<mergeCells.*</mergeCells>", _sheet_xml(path))
        assert found
        return found.group()

    assert merges(out) == merges(reference)


def test_nan_and_inf_become_excel_errors_not_a_crash(tmp_path: Path) -> None:
    out = tmp_path / "nan.xlsx"
    _write(out, [(0, [(0, math.nan, None), (1, math.inf, None), (2, "旁边的字", None)])], fast=True)
    xml = _sheet_xml(out)
    assert "<f>#NUM!</f>" in xml and "<v>#DIV/0!</v>" in xml and "旁边的字" in xml
