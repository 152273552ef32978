"""The parts every workbook cadretool writes shares: one cache of cell formats, the print
set-up a clerk needs for a meeting (A4 landscape, one page wide, header rows repeated, page
numbers), legal sheet names, plain filterable tables and the 规则 sheet.

The vet workbook (output/workbook.py) and every report workbook are built from these, so a
clerk's printout looks the same whichever command wrote it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from cadretool.catalogue import KIND_LABELS, SEVERITY_LABELS
from cadretool.output.original import SheetLook
from cadretool.output.safety import atomic_output
from cadretool.output.xlsx_stream import FastRows, utf16_truncate
from cadretool.results import RuleInfo
from cadretool.roster.text import clean_text

EXCEL_MAX_ROWS = 1_048_576
SHEET_NAME_UNITS = 31  # Excel's limit on a sheet name, in UTF-16 units
A4_PAPER = 9
RED, YELLOW, GREEN = "#FFC7CE", "#FFEB9C", "#C6EFCE"
CELL_FILLS = {"disqualify": RED, "review": YELLOW}
STATUS_COLOURS = {  # (fill, font), Excel's own good/neutral/bad styles
    "eligible": (GREEN, "#006100"),
    "review": (YELLOW, "#9C5700"),
    "ineligible": (RED, "#9C0006"),
}
HEADER_FILL = "#D9E1F2"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"
# a year.month number (1985.10) must keep its two decimals or it reads as 1985.1, January
YEAR_MONTH_FORMAT = "0.00"
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMATS = {
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "time": TIME_FORMAT,
    "year_month": YEAR_MONTH_FORMAT,
    "money": MONEY_FORMAT,
}
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # a NaN from upstream must not abort the whole write; Excel shows #NUM!
    "nan_inf_to_errors": True,
}
# under a payroll-like table, where the clerks sign
SIGN_OFF = (
    "制表人：                    审核人：                    单位负责人：                    日期：      年    月    日"
)
RULE_HEADERS = ["编号", "名称", "类别", "适用对象", "条件", "级别", "依据", "参数"]


@dataclass(frozen=True, slots=True)
class Link:
    """A cell the clerk made a hyperlink: its value, where it leads and its tooltip."""

    url: str
    value: Any
    tip: str = ""


class Formats:
    """One cache of cell formats for the whole workbook (Excel caps a file at 64,000 formats)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._props: dict[Format, dict[str, Any]] = {}
        self._dated: dict[tuple[Format | None, str], Format] = {}

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self._book.add_format(props)
            self._props[fmt] = props
        return fmt

    def header(self) -> Format:
        return self.get(bold=True, bg_color=HEADER_FILL, border=1, text_wrap=True, valign="vcenter")

    def cell(self, kind: str | None, mark: str | None) -> Format | None:
        """Format for a value kind (None, 'date', 'datetime', 'time') with an optional finding fill."""
        props: dict[str, Any] = {}
        if kind is not None:
            props["num_format"] = NUMBER_FORMATS[kind]
        if mark is not None:
            props["bg_color"] = CELL_FILLS[mark]
        return self.get(**props) if props else None

    def with_number_format(self, fmt: Format | None, kind: str) -> Format:
        """`fmt` as it is when it has a number format of its own, else with the one for `kind`."""
        key = (fmt, kind)
        found = self._dated.get(key)
        if found is None:
            props = dict(self._props.get(fmt, {})) if fmt is not None else {}
            if props.get("num_format") in (None, "", 0, "General"):
                props["num_format"] = NUMBER_FORMATS[kind]
            found = self._dated[key] = self.get(**props)
        return found

    def date_format(self, fmt: Format | None, has_time: bool) -> Format:
        """The fast path's hook: a date cell shows as a date (a bold header date too)."""
        return self.with_number_format(fmt, "datetime" if has_time else "date")

    def rows(self, ws: Worksheet) -> FastRows:
        return FastRows(ws, self.date_format, self.write_other, self.get())

    def write_other(self, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
        """The rare cell types: the clerk's links, dates before 1901, times, numbers of other types,
        anything else as text."""
        if isinstance(value, Link):
            text = clean_text(value.value) or value.url
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a link Excel cannot hold (too long, too many) stays text
                if ws.write_url(row, col, value.url, fmt, utf16_truncate(text), value.tip or None) < 0:
                    ws.write_string(row, col, utf16_truncate(text), fmt)
        elif isinstance(value, dt.datetime | dt.date):
            if value.year < 1900:  # Excel cannot show dates before 1900
                text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
                ws.write_string(row, col, text, fmt)
                return
            plain = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
            has_time = isinstance(plain, dt.datetime) and plain.time() != dt.time(0)
            ws.write_datetime(row, col, plain, self.date_format(fmt, has_time))
        elif isinstance(value, dt.time):
            ws.write_datetime(row, col, value.replace(tzinfo=None), self.with_number_format(fmt, "time"))
        elif isinstance(value, bool | np.bool_):
            ws.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, numbers.Real):
            ws.write_number(row, col, float(value), fmt)
        else:
            text = clean_text(value)
            if text:
                ws.write_string(row, col, utf16_truncate(str(text)), fmt)
            elif fmt is not None:
                ws.write_blank(row, col, None, fmt)

    def status(self, status: str) -> Format:
        fill, font = STATUS_COLOURS.get(status, (YELLOW, "#9C5700"))
        return self.get(bg_color=fill, font_color=font, bold=True)


def print_setup(ws: Worksheet, title_rows: tuple[int, int] | None = None, look: SheetLook | None = None) -> None:
    """Every sheet prints for a meeting: A4 landscape (or the clerk's paper), one page wide, the
    header rows on every page, page numbers in the footer."""
    ws.set_paper(look.paper if look is not None and look.paper else A4_PAPER)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    header, footer = (look.header, look.footer) if look is not None else ({}, {})
    if header:  # the clerk's own, e.g. 内部资料 注意保密
        ws.set_header("".join(f"&{key}{header[key]}" for key in "LCR" if key in header))
    ws.set_footer(page_footer(footer))
    if title_rows is not None and title_rows[0] <= title_rows[1]:
        ws.repeat_rows(*title_rows)
    if look is None or (look.print_gridlines and not look.hide_gridlines):
        ws.hide_gridlines(0)  # printed too: values without the clerk's borders still print as a table


def page_footer(clerk: dict[str, str]) -> str:
    """The clerk's footer sections kept, page numbers added in a free section (unless the clerk
    already numbers the pages) and the sheet name on the left when that is free."""
    sections = dict(clerk)
    if not any("&P" in code.upper() for code in sections.values()):
        free = next((key for key in "RCL" if key not in sections), "R")
        sections[free] = (sections[free] + " " if free in sections else "") + "第 &P 页，共 &N 页"
    sections.setdefault("L", "&A")
    return "".join(f"&{key}{sections[key]}" for key in "LCR" if key in sections)


def unique_sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-legal sheet name not yet used in this workbook (case-insensitive), e.g. `花名册 (2)`."""
    cleaned = legal_sheet_name(name)
    candidate = utf16_truncate(cleaned, SHEET_NAME_UNITS)
    n = 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = utf16_truncate(cleaned, SHEET_NAME_UNITS - len(suffix)).rstrip("'") + suffix
    taken.add(candidate.casefold())
    return candidate


def legal_sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip().strip("'") or "Sheet"
    return cleaned + "_" if cleaned.casefold() == "history" else cleaned  # History is reserved by Excel


def write_table(
    book: xlsxwriter.Workbook,
    formats: Formats,
    taken: set[str],
    name: str,
    headers: list[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: list[int],
    empty_note: str | None = None,
    column_formats: dict[int, Format] | None = None,
) -> None:
    """A plain filterable table; continues on `name (2)`… past Excel's row limit. A column of
    `column_formats` (money, say) shows every value in it with that format."""
    header = formats.header()
    room = EXCEL_MAX_ROWS - 1
    chunks = [rows[i : i + room] for i in range(0, len(rows), room)] or [[]]
    for part, chunk in enumerate(chunks):
        ws = book.add_worksheet(name if part == 0 else unique_sheet_name(f"{name} ({part + 1})", taken))
        for col, w in enumerate(widths):
            ws.set_column(col, col, w, (column_formats or {}).get(col))
        print_setup(ws, (0, 0))
        write_strings(ws, 0, 0, headers, header)
        ws.freeze_panes(1, 0)
        if not chunk:
            if empty_note:
                ws.write_string(1, 0, empty_note)
            continue
        fast = formats.rows(ws)
        for r, values in enumerate(chunk, start=1):
            fast.write(r, [(c, v, None) for c, v in enumerate(values) if v is not None and v != ""], ordered=True)
        ws.autofilter(0, 0, len(chunk), len(headers) - 1)


def write_rules_sheet(
    book: xlsxwriter.Workbook,
    formats: Formats,
    top: Sequence[tuple[str, Any]],
    rules: Sequence[RuleInfo],
    overrides: Sequence[Any] = (),
) -> None:
    """The 规则 sheet: the rule set's name, version and hash and the run's dates (`top`, label
    and value; a result workbook is recognised by its 规则集 and SHA-256 rows), the what-if
    overrides (--set) of the run, then every rule applied with its parameters."""
    if overrides:
        from cadretool.rules.overrides import WHAT_IF

        top = [
            *top,
            (f"{WHAT_IF}（--set，不是已采纳的政策）", f"本结果按 {len(overrides)} 项假设的参数计算"),
            *((f"{WHAT_IF} {i}", f"{o.label()}  [--set {o.text}]") for i, o in enumerate(overrides, 1)),
        ]
    ws = book.add_worksheet("规则")
    header = formats.header()
    bold = formats.get(bold=True)
    for col, w in enumerate([10, 28, 10, 18, 50, 10, 40, 50]):
        ws.set_column(col, col, w)
    for row, (label, value) in enumerate(top):
        ws.write_string(row, 0, label, bold)
        if isinstance(value, dt.date):
            ws.write_datetime(row, 1, value, formats.get(num_format=DATE_FORMAT, align="left"))
        else:
            ws.write_string(row, 1, text_of(value))
    row = len(top) + 1
    print_setup(ws, (row, row))
    write_strings(ws, row, 0, RULE_HEADERS, header)
    ws.freeze_panes(row + 1, 0)
    wrap = formats.get(text_wrap=True, valign="top")
    for info in rules:
        row += 1
        write_strings(ws, row, 0, rule_row(info), wrap)


def rule_row(info: RuleInfo) -> list[str]:
    return [
        info.id,
        info.title,
        KIND_LABELS.get(info.kind, info.kind),
        text_of(info.applies_to),
        text_of(info.condition),
        SEVERITY_LABELS.get(info.severity, text_of(info.severity)),
        text_of(info.basis),
        "; ".join(f"{k}={param_text(v)}" for k, v in info.parameters.items()),
    ]


def param_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{param_text(k)}: {param_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return "[" + ", ".join(param_text(v) for v in items) + "]"
    return str(value)


# ---------------------------------------------------------------- small helpers


def text_of(value: Any) -> str:
    """Display text for a scalar: '' for blanks, NaN and None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value) or ""


def write_strings(ws: Worksheet, row: int, col: int, values: Iterable[str], fmt: Format | None = None) -> None:
    for i, value in enumerate(values):
        ws.write_string(row, col + i, value, fmt)


def write_numbers(ws: Worksheet, row: int, col: int, values: Iterable[Any]) -> None:
    for i, value in enumerate(values):
        ws.write_number(row, col + i, int(value))


@contextlib.contextmanager
def open_workbook(path: Path) -> Iterator[xlsxwriter.Workbook]:
    """A workbook written to exactly `path` (the caller makes it atomic); an error while writing is
    the one raised, not a later one from closing the half-written book."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        yield book
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()
        raise
    book.close()


def write_workbook_output(target: Path | None, write: Callable[[Path], None]) -> list[Path]:
    """Write one workbook atomically to `target` (nothing when there is none); the paths written."""
    if target is None:
        return []
    with atomic_output(target) as tmp:
        write(tmp)
    return [target]


def ruleset_top(result: Any, *run: tuple[str, Any]) -> list[tuple[str, Any]]:
    """The 规则 sheet's first rows: the rule set's name, version and hash, then the run's own (label, value)."""
    return [("规则集", result.ruleset_name), ("版本", result.ruleset_version), ("SHA-256", result.ruleset_sha256), *run]


def title_rows(ws: Worksheet, formats: Formats, text: str, sub: str, width: int) -> None:
    ws.merge_range(0, 0, 0, width - 1, text, formats.get(bold=True, font_size=16, align="center", valign="vcenter"))
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, width - 1, sub, formats.get(align="right"))


def money_sheet_head(
    ws: Worksheet, formats: Formats, title: str, headers: Sequence[str], widths: Sequence[float]
) -> None:
    """Column widths, a title and 单位：元 over the header row, the three rows repeated on every printed page."""
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    title_rows(ws, formats, title, "单位：元", len(headers))
    write_strings(ws, 2, 0, headers, formats.header())
    print_setup(ws, (0, 2))
