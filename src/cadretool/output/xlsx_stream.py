"""Whole rows written straight into an XlsxWriter constant-memory worksheet (the fenced fast path).

XlsxWriter spends ~10 µs per cell in its generic write path; a roster has hundreds of thousands
of cells, so the common cells (text, numbers, dates, booleans, formatted blanks) are serialised
here exactly as XlsxWriter would, about ten times faster. The workbook itself (styles, comments,
charts, the package) stays XlsxWriter's.

This module is the only place that touches XlsxWriter's private state: a worksheet's row stream
`fh`, `previous_row`, `table`, `row_info`, `col_info`, `default_row_height`,
`original_row_height`, `excel_version`, `_write_single_row` and `_check_dimensions`. It was
checked against XlsxWriter 3.3.x (the range pinned in pyproject.toml); when those names are
missing or have another shape, every row goes through XlsxWriter's public write_* calls instead.
tests/test_xlsx_stream.py writes the same rows both ways and compares the sheet XML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# Excel's limit on the text of one cell, in UTF-16 code units (an emoji counts two)
XLSX_STRMAX = 32767

Cell = tuple[int, Any, "Format | None"]  # (0-based column, value, format)
Comment = tuple[int, str, dict[str, Any]]  # (0-based column, text, write_comment options)
# (the cell's format or None, True when the value carries a time of day) -> the format to write it with
DateFormat = Callable[["Format | None", bool], "Format | None"]
# writes a value the fast path does not know (dates before 1901, Decimal, ...) through the public API
OtherWriter = Callable[[Worksheet, int, int, Any, "Format | None"], None]


@dataclasses.dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: its text ("=A3&B3") and the value Excel last computed, when known."""

    formula: str
    value: Any = None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Excel's text limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_truncate(text: str, units: int = XLSX_STRMAX) -> str:
    """`text` cut to at most `units` UTF-16 code units, never splitting a character beyond U+FFFF."""
    if len(text) <= units // 2 or utf16_len(text) <= units:
        return text
    length = 0
    for index, ch in enumerate(text):
        length += 2 if ord(ch) > 0xFFFF else 1
        if length > units:
            return text[:index]
    return text


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_CONTROL_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL_CHARS = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EXCEL_EPOCH = dt.datetime(1899, 12, 31)
_INF, _NEG_INF = math.inf, -math.inf
_INTERNALS = ("fh", "previous_row", "table", "row_info", "col_info", "default_row_height", "original_row_height")


def excel_serial(value: dt.date | dt.datetime) -> float:
    """A date after 1900 as Excel's serial number, with the arithmetic of XlsxWriter's own conversion."""
    if not isinstance(value, dt.datetime):
        return float((value - _EXCEL_EPOCH.date()).days) + 1
    delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    return serial + 1  # Excel's phantom 1900-02-29


def _xml_text(text: str) -> str:
    """Text as XlsxWriter escapes an inline string: Excel's _xHHHH_ for control characters, then &<>."""
    text = _CONTROL_ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL_CHARS.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def internals_available(ws: Worksheet) -> bool:
    """Whether this worksheet has the private state the fast path writes into, in the shape it expects."""
    if not getattr(ws, "constant_memory", False):
        return False
    if not all(hasattr(ws, name) for name in _INTERNALS):
        return False
    if not callable(getattr(ws, "_write_single_row", None)) or not callable(getattr(ws, "_check_dimensions", None)):
        return False
    import xlsxwriter.worksheet as xw

    row_info, col_info = getattr(xw, "RowInfo", None), getattr(xw, "ColumnInfo", None)
    if not (dataclasses.is_dataclass(row_info) and dataclasses.is_dataclass(col_info)):
        return False
    row_fields = {f.name for f in dataclasses.fields(row_info)}
    col_fields = {f.name for f in dataclasses.fields(col_info)}
    return {"height", "row_format", "hidden", "level", "collapsed"} <= row_fields and "column_format" in col_fields


def _default_date_format(ws: Worksheet) -> DateFormat:
    def choose(fmt: Format | None, _has_time: bool) -> Format | None:
        return fmt if fmt is not None else getattr(ws, "default_date_format", None)

    return choose


def _write_as_text(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    if text:
        ws.write_string(row, col, utf16_truncate(text), fmt)
    elif fmt is not None:
        ws.write_blank(row, col, None, fmt)


class FastRows:
    """Writes rows of one constant-memory worksheet, top to bottom, each row once.

    A row is a list of (column, value, format) cells; a blank (None) is written only when it has a
    format, as XlsxWriter does. Text is always text (never a formula or a number), cut to Excel's
    32,767 UTF-16 units. Rows given set_row() options before they are written keep them.
    """

    def __init__(
        self,
        ws: Worksheet,
        date_format: DateFormat | None = None,
        other: OtherWriter | None = None,
        anchor_format: Format | None = None,
        *,
        fast: bool | None = None,
    ) -> None:
        self.ws = ws
        self.date_format = date_format or _default_date_format(ws)
        self.other = other or _write_as_text
        # a format with no properties: keeps a row that has only comments or row options on the public path
        self.anchor_format = anchor_format
        self.fast = internals_available(ws) if fast is None else fast and internals_available(ws)
        self.names: list[str] = []
        self.styles: dict[Format, str] = {}
        self.date_styles: dict[tuple[Format | None, bool], str] = {}

    def _name(self, col: int) -> str:
        while len(self.names) <= col:
            self.names.append(xl_col_to_name(len(self.names)))
        return self.names[col]

    def write(self, out: int, cells: Sequence[Cell], comments: Sequence[Comment] = (), ordered: bool = False) -> None:
        """Write row `out` (0-based): its cells, in column order unless `ordered` says they already are."""
        ws = self.ws
        if not ordered and any(cells[i][0] >= cells[i + 1][0] for i in range(len(cells) - 1)):
            cells = sorted(cells, key=lambda c: c[0])
        if not self.fast or out < ws.previous_row or (out == ws.previous_row and ws.table):
            # out of order, or cells already pending for this row through the public API
            self._public(out, cells, comments)
            return
        if out > ws.previous_row:
            ws._write_single_row(out)  # flush whatever the public API left pending
        row_xml = self._row_xml(out, cells)
        if row_xml is None:
            self._public(out, cells, comments)
            return
        for col, text, options in comments:
            ws.write_comment(out, col, text, options)
        if row_xml:
            ws.fh.write(row_xml)
        ws.previous_row = out + 1  # this row is written: XlsxWriter must not write it again
        ws.table.clear()

    def _row_xml(self, out: int, cells: Sequence[Cell]) -> str | None:
        """The row's XML as XlsxWriter would write it, or None when a cell needs the public path."""
        ws = self.ws
        parts = []
        r = out + 1
        last = -1
        first = None
        # one search over the row's text instead of one per cell: most rows need no escaping
        texts = [c[1] for c in cells if type(c[1]) is str]
        row_needs_escape = bool(_NEEDS_ESCAPE.search("\t".join(texts))) if texts else False
        names = self.names
        if cells and cells[-1][0] >= len(names):
            self._name(cells[-1][0])
        styles = self.styles
        info = ws.row_info.get(out)
        fallback_row = info.row_format if info is not None else None
        col_info = ws.col_info
        for col, value, fmt in cells:
            if col == last:
                continue
            t = type(value)
            if value is None and fmt is None:
                continue
            if fmt is None and value is not None:
                # XlsxWriter's own fallback for an unformatted cell: the row's format, then the column's
                if fallback_row is not None:
                    fmt = fallback_row
                elif col in col_info:
                    fmt = col_info[col].column_format
            if fmt is None:
                style = ""
            else:
                style = styles.get(fmt)
                if style is None:
                    style = styles[fmt] = f' s="{fmt._get_xf_index()}"'
            if t is str:
                if len(value) > XLSX_STRMAX // 2:
                    value = utf16_truncate(value)
                if row_needs_escape and _NEEDS_ESCAPE.search(value):
                    value = _xml_text(value)
                if value and (value[0].isspace() or value[-1].isspace()):
                    parts.append(
                        f'<c r="{names[col]}{r}"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
                    )
                else:
                    parts.append(f'<c r="{names[col]}{r}"{style} t="inlineStr"><is><t>{value}</t></is></c>')
            elif t is float or t is int:
                if value != value or value == _INF or value == _NEG_INF:
                    return None
                parts.append(f'<c r="{names[col]}{r}"{style}><v>{value:.16G}</v></c>')
            elif t is bool:
                parts.append(f'<c r="{names[col]}{r}"{style} t="b"><v>{int(value)}</v></c>')
            elif value is None:
                parts.append(f'<c r="{names[col]}{r}"{style}/>')
            elif isinstance(value, dt.date) and value.year > 1900:
                serial = excel_serial(value)
                has_time = serial != int(serial)
                parts.append(f'<c r="{names[col]}{r}"{self._date_style(fmt, has_time)}><v>{serial:.16G}</v></c>')
            elif isinstance(value, numbers.Real) and not isinstance(value, bool) and t.__module__ == "numpy":
                number = float(value)
                if number != number or number == _INF or number == _NEG_INF:
                    return None
                parts.append(f'<c r="{names[col]}{r}"{style}><v>{number:.16G}</v></c>')
            else:
                return None
            last = col
            if first is None:
                first = col
        if first is not None:
            ws._check_dimensions(out, first)
            ws._check_dimensions(out, last)
            return f"{self._row_start(out, info)}{''.join(parts)}</row>"
        if info is not None:
            return self._row_start(out, info)[:-1] + "/>"
        return ""

    def _date_style(self, fmt: Format | None, has_time: bool) -> str:
        key = (fmt, has_time)
        style = self.date_styles.get(key)
        if style is None:
            chosen = self.date_format(fmt, has_time)
            style = self.date_styles[key] = f' s="{chosen._get_xf_index()}"' if chosen is not None else ""
        return style

    def _row_start(self, out: int, info: Any) -> str:
        """The <row> tag with the set_row() options, attribute for attribute as XlsxWriter writes it."""
        if info is None:
            return f'<row r="{out + 1}">'
        ws = self.ws
        attrs = f'<row r="{out + 1}"'
        if info.row_format is not None:
            xf_index = info.row_format._get_xf_index()
            if xf_index:
                attrs += f' s="{xf_index}"'
            attrs += ' customFormat="1"'
        height = info.height if info.height is not None else ws.default_row_height
        custom = height != ws.original_row_height or height != ws.default_row_height
        if custom:
            attrs += f' ht="{height * 0.75:.16g}"'
        if info.hidden:
            attrs += ' hidden="1"'
        if custom:
            attrs += ' customHeight="1"'
        if info.level:
            attrs += f' outlineLevel="{info.level}"'
        if info.collapsed:
            attrs += ' collapsed="1"'
        if getattr(ws, "excel_version", 2007) == 2010:
            attrs += ' x14ac:dyDescent="0.25"'
        return attrs + ">"

    def _formula(self, out: int, col: int, cell: Formula, fmt: Format | None) -> None:
        """A formula with the value Excel last computed (a date one as a date, shown as a date)."""
        value = cell.value
        if isinstance(value, dt.date | dt.datetime) and value.year > 1900:
            plain = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
            has_time = isinstance(plain, dt.datetime) and plain.time() != dt.time(0)
            fmt = self.date_format(fmt, has_time)
            value = excel_serial(plain)
        elif value is None or isinstance(value, dt.date | dt.time):
            value = ""  # no cached value: Excel computes it on opening
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = float(value) if math.isfinite(value) else ""
        elif not isinstance(value, bool | str):
            value = str(value)
        ws = self.ws
        ws.write_formula(out, col, cell.formula, fmt, value)

    def _public(self, out: int, cells: Sequence[Cell], comments: Sequence[Comment]) -> None:
        """XlsxWriter's public write path, with the same meaning for every value as the fast path."""
        ws = self.ws
        for col, text, options in comments:
            ws.write_comment(out, col, text, options)
        written = False
        last = -1
        for col, value, fmt in cells:
            if col == last:
                continue
            last = col
            t = type(value)
            if value is None:
                if fmt is not None:
                    ws.write_blank(out, col, None, fmt)
                    written = True
                continue
            written = True
            if t is str:
                ws.write_string(out, col, utf16_truncate(value), fmt)
            elif t is bool:
                ws.write_boolean(out, col, value, fmt)
            elif t is float or t is int:
                ws.write_number(out, col, value, fmt)
            elif isinstance(value, Formula):
                self._formula(out, col, value, fmt)
            elif isinstance(value, dt.datetime) and value.year > 1900:
                plain = value.replace(tzinfo=None)
                has_time = bool(plain.hour or plain.minute or plain.second or plain.microsecond)
                ws.write_datetime(out, col, plain, self.date_format(fmt, has_time))
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value.year > 1900:
                ws.write_datetime(out, col, value, self.date_format(fmt, False))
            elif isinstance(value, numbers.Real) and not isinstance(value, bool) and t.__module__ == "numpy":
                ws.write_number(out, col, float(value), fmt)
            else:
                self.other(ws, out, col, value, fmt)
        needs_anchor = comments or (self.ws.row_info.get(out) if hasattr(ws, "row_info") else None)
        if not written and needs_anchor and self.anchor_format is not None:
            # XlsxWriter's constant-memory mode drops (or trips over) a row it has no cell for
            ws.write_blank(out, comments[0][0] if comments else 0, None, self.anchor_format)


def add_merged_ranges(ws: Worksheet, ranges: Sequence[tuple[int, int, int, int]]) -> int:
    """Merge cell ranges (0-based, inclusive) of rows already written; returns how many were merged.

    In constant-memory mode merge_range() cannot reach rows already streamed (and would pad the
    range with blanks), so the ranges go straight into XlsxWriter's merge list, skipping single
    cells and ranges that overlap one already merged, as merge_range() would refuse them.
    """
    merged_cells, merge = getattr(ws, "merged_cells", None), getattr(ws, "merge", None)
    if not isinstance(merged_cells, dict) or not isinstance(merge, list):
        return 0
    added = 0
    for r0, c0, r1, c1 in ranges:
        if (r0, c0) == (r1, c1) or r0 > r1 or c0 > c1:
            continue
        cells = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        if any(cell in merged_cells for cell in cells):
            continue
        label = f"{xl_col_to_name(c0)}{r0 + 1}:{xl_col_to_name(c1)}{r1 + 1}"
        for cell in cells:
            merged_cells[cell] = label
        merge.append([r0, c0, r1, c1])
        added += 1
    return added


__all__ = [
    "add_merged_ranges",
    "excel_serial",
    "XLSX_STRMAX",
    "FastRows",
    "Formula",
    "internals_available",
    "utf16_len",
    "utf16_truncate",
]
