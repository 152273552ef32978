"""The annotated vetting workbook (SPEC §4.4), written with XlsxWriter in constant-memory mode.

Each original sheet comes back with every row and value as read, plus three verdict columns
(审查结论, 不符合条款, 需核实事项); the cells a finding names are filled red (disqualify) or
yellow (review) and carry a comment. Then the sheets 汇总, 数据问题, 审查明细, 未匹配联审记录
and 规则. Constant-memory mode streams rows to disk, so every sheet is written top to bottom,
one sheet at a time; all per-row work (verdicts, fills, comments) is computed beforehand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_range, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from cadretool.catalogue import BUILT_IN_BY_ID, SEVERITY_LABELS, STATUS_LABELS
from cadretool.output.original import BookLook, SheetLook, image_options, keeps_look, read_look, values_only_note
from cadretool.output.present import id_text, mask_in_text, person_ids, run_notes, verdicts, with_text_masked
from cadretool.output.sheets import (
    CELL_FILLS,
    EXCEL_MAX_ROWS,
    SHEET_NAME_UNITS,
    STATUS_COLOURS,
    WORKBOOK_OPTIONS,
    Formats,
    Link,
    legal_sheet_name,
    print_setup,
    text_of,
    unique_sheet_name,
    write_numbers,
    write_rules_sheet,
    write_strings,
    write_table,
)
from cadretool.output.xlsx_stream import (
    Cell,
    Comment,
    FastRows,
    Formula,
    add_merged_ranges,
    utf16_len,
    utf16_truncate,
)
from cadretool.results import VetResult
from cadretool.roster.table import SheetInfo
from cadretool.roster.text import clean_text

EXCEL_MAX_COLUMNS = 16_384
# Comments are kept in memory until the file closes and each costs a VML shape; beyond this
# many on one sheet the explanation stays in the verdict columns and in 审查明细 only.
MAX_COMMENTS_PER_SHEET = 20_000

VERDICT_HEADERS = ("审查结论", "不符合条款", "需核实事项")
# 汇总's chart: as wide as its tables (columns A–G), 17 default rows high
CHART_WIDTH, CHART_ROWS = 640, 17
REPORT_SHEETS = ("汇总", "数据问题", "审查明细", "未匹配联审记录", "规则")
FINDING_HEADERS = ["文件", "工作表", "行号", "姓名", "身份证号码", "问题编号", "级别", "说明"]
UNMATCHED_HEADERS = ["来源文件", "工作表", "行号", "身份证号码", "姓名", "清单项目", "原因", "说明"]
UNFILLED = "（未填）"
SEPARATOR = "；"
_DIGIT_RUN = re.compile(r"\d{6}")

# sheet names that say nothing about their contents: a combined workbook names these after their file
_GENERIC_SHEET = re.compile(r"(?i)(?:sheet|工作表|表)\s*\d*")


def write_vet_workbook(path: Path, result: VetResult, *, mask_ids: bool = False) -> None:
    """Write the annotated workbook for a vet result to exactly `path` (the caller makes it atomic)."""
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    if mask_ids:
        result = with_text_masked(result)
    try:
        _write_sheets(book, result, mask_ids)
    except BaseException:
        # close to release XlsxWriter's temp files, but let the first error be the one reported
        with contextlib.suppress(Exception):
            book.close()
        raise
    book.close()


def _write_sheets(book: xlsxwriter.Workbook, result: VetResult, mask_ids: bool) -> None:
    """Original sheets first (the clerk's own roster), then the report sheets, each written once."""
    formats = Formats(book)
    taken = {name.casefold() for name in REPORT_SHEETS}
    ids = _IdDisplay(result, mask_ids)
    notes = _annotate(result)
    numbers = {id(sheet): no for no, sheet in enumerate(result.roster.sheets)}
    names = _sheet_names(result, taken)
    layouts = [inp.layout or [*inp.sheets, *inp.other_sheets] for inp in result.roster.inputs]
    total_rows = sum(_raw_of(item).n_rows() for layout in layouts for item in layout if _raw_of(item) is not None)
    # above county size the clerk's formatting is not read: one note for the whole workbook
    too_large = values_only_note(total_rows) if any(keeps_look(inp.format) for inp in result.roster.inputs) else None
    kept_notes: list[str] = [too_large] if too_large else []
    defined: set[str] = set()
    for inp, layout in zip(result.roster.inputs, layouts, strict=True):
        look, why = (None, None)
        if not too_large and Path(inp.path).is_file():
            look, why = read_look(Path(inp.path), inp.format)
        kept_notes.extend([why] if why else look.notes if look else [])
        if look is not None and look.names:
            renamed = {raw.name: names[id(item)] for item in layout if (raw := _raw_of(item)) is not None}
            _define_names(book, look.names, renamed, defined)
        styles = _OriginalStyles(formats, look) if look is not None else None
        # the workbook's own sheet order; instructions, lookups and hidden sheets back as they were
        for item in layout:
            raw = _raw_of(item)
            sheet_look = look.sheets.get(raw.name) if look is not None and raw is not None else None
            if id(item) in numbers:
                no = numbers[id(item)]
                parts = _write_roster_sheet(
                    book,
                    formats,
                    taken,
                    names[id(item)],
                    item,
                    notes.get(no),
                    ids if mask_ids else None,
                    sheet_look,
                    styles,
                )
                if len(parts) > 1:
                    kept_notes.append(_split_note(parts))
            else:
                _write_other_sheet(book, formats, names[id(item)], item, ids if mask_ids else None, sheet_look, styles)
    details = _finding_rows(result, ids, [names[id(sheet)] for sheet in result.roster.sheets])
    if len(details) >= EXCEL_MAX_ROWS:
        more = -(-len(details) // (EXCEL_MAX_ROWS - 1))
        kept_notes.append(_split_note(["审查明细", *(f"审查明细 ({k})" for k in range(2, more + 1))]))
    _write_summary(book, formats, result, kept_notes)
    write_table(
        book,
        formats,
        taken,
        "数据问题",
        FINDING_HEADERS,
        [row[:-1] for row in details if str(row[5]).startswith("D")],
        widths=[18, 12, 6, 10, 22, 8, 8, 60],
    )
    write_table(
        book, formats, taken, "审查明细", [*FINDING_HEADERS, "依据"], details, widths=[18, 12, 6, 10, 22, 8, 8, 60, 40]
    )
    write_table(
        book,
        formats,
        taken,
        "未匹配联审记录",
        UNMATCHED_HEADERS,
        _unmatched_rows(result, ids),
        widths=[18, 12, 6, 22, 10, 10, 30, 40],
        empty_note="无",
    )
    if result.comparison is not None:
        from cadretool.output.compare_output import write_comparison_sheet

        write_comparison_sheet(book, formats, taken, result.comparison, mask_ids=mask_ids)
    top = [
        ("规则集", result.ruleset_name),
        ("版本", result.ruleset_version),
        ("SHA-256", result.ruleset_sha256),
        ("审查基准日", result.as_of),
    ]
    write_rules_sheet(book, formats, top, result.rules, result.overrides)


# ---------------------------------------------------------------- formats


# ---------------------------------------------------------------- per-person annotations


class _SheetNotes:
    """What the writer adds to one original sheet, keyed by 0-based row index into raw.rows."""

    def __init__(self) -> None:
        self.verdicts: dict[int, tuple[str, str, str]] = {}  # row -> (status, 不符合条款, 需核实事项)
        self.marks: dict[int, dict[int, str]] = {}  # row -> {column: 'disqualify' | 'review'}
        self.comments: dict[int, dict[int, list[str]]] = {}  # row -> {column: explanation lines}


def _annotate(result: VetResult) -> dict[int, _SheetNotes]:
    """Verdict texts, cell fills and cell comments for every person, grouped by sheet and row."""
    people = result.people
    notes: dict[int, _SheetNotes] = {}
    if people.empty:
        return notes
    sheets = result.roster.sheets
    where = dict(
        zip(
            people.index.tolist(),
            zip(
                people["_sheet_no"].astype("int64").tolist(), (people["_row"].astype("int64") - 1).tolist(), strict=True
            ),
            strict=True,
        )
    )
    field_columns = [{c.field: c.index for c in s.columns if c.field} for s in sheets]
    verdict_columns = [_verdict_column(s) for s in sheets]

    findings = result.findings  # already in the one finding order (output.present)
    for person, rule, severity, message, fields in zip(
        findings["person"].tolist(),
        findings["rule"].tolist(),
        findings["severity"].tolist(),
        findings["message"].tolist(),
        findings["fields"].tolist(),
        strict=True,
    ):
        located = where.get(person)
        if located is None or severity not in CELL_FILLS:
            continue
        sheet_no, row = located
        if sheet_no >= len(sheets):
            continue
        text = f"{rule} {message}" if message else str(rule)
        sheet_notes = notes.setdefault(sheet_no, _SheetNotes())
        columns = field_columns[sheet_no]
        for name in _as_fields(fields):
            col = columns.get(name)
            if col is None:
                continue
            row_marks = sheet_notes.marks.setdefault(row, {})
            if row_marks.get(col) != "disqualify":
                row_marks[col] = severity
            label = SEVERITY_LABELS.get(severity, severity)
            sheet_notes.comments.setdefault(row, {}).setdefault(col, []).append(f"【{label}】{text}")

    shown = verdicts(people, findings)
    table = shown.table
    for person, status, failed, to_check in zip(
        people.index.tolist(),
        people["status"].tolist(),
        table["不符合条款"].tolist(),
        table["需核实事项"].tolist(),
        strict=True,
    ):
        sheet_no, row = where[person]
        if sheet_no >= len(sheets):
            continue
        sheet_notes = notes.setdefault(sheet_no, _SheetNotes())
        sheet_notes.verdicts[row] = (status, failed, to_check)
        if failed:
            # the rule ids alone do not say why: the comment on 不符合条款 does
            col = verdict_columns[sheet_no] + 1
            sheet_notes.comments.setdefault(row, {})[col] = shown.disqualify_lines[person]
    return notes


def _as_fields(fields: Any) -> Sequence[str]:
    if fields is None or isinstance(fields, float):
        return ()
    if isinstance(fields, str):
        return (fields,)
    return tuple(fields)


class _IdDisplay:
    """How ID numbers are shown outside the roster sheets and in the ID column: masked on request."""

    def __init__(self, result: VetResult, mask: bool) -> None:
        self.mask = mask

    def text(self, value: Any) -> str:
        """Any ID cell value as display text (masked when asked)."""
        return id_text(clean_text(value), self.mask)


# ---------------------------------------------------------------- original sheets


def _raw_of(item: Any) -> Any:
    """The sheet as read, for a roster sheet (SheetInfo) or another sheet (RawSheet) of an input."""
    return item.raw if isinstance(item, SheetInfo) else item


def _verdict_column(sheet: SheetInfo) -> int:
    """Index of 审查结论: right after the widest original row."""
    widest = sheet.raw.width() if sheet.raw is not None else 0
    return max(widest, len(sheet.columns))


def _sheet_rows(sheet: SheetInfo, notes: _SheetNotes | None) -> list[list[Any]]:
    if sheet.raw is not None:
        return sheet.raw.rows
    # nothing kept of the original (should not happen): rebuild the header so verdicts have a home
    rows: list[list[Any]] = [[] for _ in range(sheet.data_start)]
    if sheet.data_start:
        rows[sheet.data_start - 1] = [c.header for c in sheet.columns]
    last = max(notes.verdicts, default=-1) if notes else -1
    rows.extend([] for _ in range(max(0, last + 1 - len(rows))))
    return rows


class _OriginalStyles:
    """The Formats of one input file's own styles, with a finding's fill laid over them on request."""

    def __init__(self, formats: Formats, look: BookLook) -> None:
        self.formats = formats
        self.styles = look.styles
        self._cache: dict[tuple[int, str | None], Format | None] = {}

    def get(self, style: int, mark: str | None = None) -> Format | None:
        key = (style, mark)
        if key in self._cache:
            return self._cache[key]
        props = dict(self.styles[style]) if 0 < style < len(self.styles) else {}
        if mark is not None:
            # the finding's fill over the clerk's font, border and number format
            props.pop("fg_color", None)
            props.update(pattern=1, bg_color=CELL_FILLS[mark])
        fmt = self._cache[key] = self.formats.get(**props) if props else None
        return fmt


def _write_roster_sheet(
    book: xlsxwriter.Workbook,
    formats: Formats,
    taken: set[str],
    base: str,
    sheet: SheetInfo,
    notes: _SheetNotes | None,
    ids: _IdDisplay | None,
    look: SheetLook | None = None,
    styles: _OriginalStyles | None = None,
) -> list[str]:
    """One original sheet (split over several if it passes Excel's row limit), row by row;
    returns the names of the sheets it was written to."""
    notes = notes or _SheetNotes()
    rows = _sheet_rows(sheet, notes)
    width = _verdict_column(sheet)
    header_top = max(sheet.header_row - 1, 0)
    data_start = max(sheet.data_start, header_top)
    header_height = data_start - header_top
    id_col = next((c.index for c in sheet.columns if c.field == "id_number"), None) if ids else None
    raw = sheet.raw
    merged = raw.merged if raw is not None else []
    formulas = getattr(raw, "formulas", None) or {}
    widths = _column_widths(rows, header_top, data_start, width)

    written: list[str] = []
    for part, (start, stop, repeat_header) in enumerate(_parts(len(rows), header_top, data_start)):
        name = base if part == 0 else unique_sheet_name(f"{base} ({part + 1})", taken)
        written.append(name)
        ws = book.add_worksheet(name)
        # the clerk's look belongs to the sheet as read; continuation sheets (past 1,048,576 rows) are values only
        part_look = look if part == 0 and styles is not None else None
        if part_look is not None and styles is not None:
            _apply_sheet_look(ws, part_look, styles)
            for i, w in enumerate(widths[width:]):
                ws.set_column(width + i, width + i, w)
        else:
            for col, w in enumerate(widths):
                ws.set_column(col, col, w)
        ws.set_comments_author("cadretool")
        header_band = (0, header_height - 1) if repeat_header else (header_top, data_start - 1)
        print_setup(ws, header_band, part_look)
        writer = _RowWriter(ws, formats, notes, width, id_col, ids, part_look, styles, formulas)
        writer.year_month_columns = {c.index for c in sheet.columns if c.kind == "date"}
        out = 0
        if repeat_header:
            for r in range(header_top, data_start):
                _write_header_row(formats, writer.rows, out, rows[r], width, r == data_start - 1)
                out += 1
        frozen = header_height if repeat_header else data_start
        header = formats.header()
        verdict_headers = [(width + i, text, header) for i, text in enumerate(VERDICT_HEADERS)]
        row_looks = part_look.rows if part_look is not None else {}
        for r in range(start, stop):
            shape = row_looks.get(r)
            if shape is not None and styles is not None:
                # before the row is written: constant-memory mode writes row options with the row
                ws.set_row(out, shape.height, styles.get(shape.style), {"hidden": shape.hidden, "level": shape.level})
            if r >= data_start:
                writer.data_row(out, r, rows[r])
            elif part_look is not None:
                writer.plain_row(out, r, rows[r], verdict_headers if r == data_start - 1 else ())
            elif r >= header_top:
                _write_header_row(formats, writer.rows, out, rows[r], width, r == data_start - 1)
            else:
                _write_title_row(ws, formats, writer.rows, out, rows[r], width, remerge=not merged)
            out += 1
        if part == 0 and merged:
            _restore_merges(ws, merged, width)
        if part_look is not None and styles is not None:
            _finish_sheet_look(ws, part_look, width, out - 1)
            continue
        if frozen:
            ws.freeze_panes(frozen, 0)
        if frozen and out > frozen:
            ws.autofilter(frozen - 1, 0, out - 1, width + len(VERDICT_HEADERS) - 1)
    return written


def _split_note(names: list[str]) -> str:
    """What 汇总 says of a sheet too long for one Excel sheet."""
    rest = "、".join(f"“{n}”" for n in names[1:])
    return (
        f"工作表“{names[0]}”超过 Excel 每张工作表 {EXCEL_MAX_ROWS:,} 行的上限，其余各行依次续写在 {rest}"
        "（表头行在每张续表中重复）；全部数据也可用 -o 结果.csv 写成一张表"
    )


def _write_other_sheet(
    book: xlsxwriter.Workbook,
    formats: Formats,
    name: str,
    raw: Any,
    ids: _IdDisplay | None,
    look: SheetLook | None = None,
    styles: _OriginalStyles | None = None,
) -> None:
    """A sheet that is not a roster (no header found), written back with its values unchanged."""
    ws = book.add_worksheet(name)
    if getattr(raw, "hidden", False):
        ws.hide()
    if look is not None and styles is not None:
        _apply_sheet_look(ws, look, styles)
    print_setup(ws, None, look)
    writer = _RowWriter(
        ws, formats, _SheetNotes(), EXCEL_MAX_COLUMNS, None, None, look, styles, getattr(raw, "formulas", None) or {}
    )
    writer.mask_ids = ids is not None
    row_looks = look.rows if look is not None else {}
    for r, row in enumerate(raw.rows[:EXCEL_MAX_ROWS]):
        if ids is not None:
            row = [_masked(v) for v in row]
        shape = row_looks.get(r)
        if shape is not None and styles is not None:
            ws.set_row(r, shape.height, styles.get(shape.style), {"hidden": shape.hidden, "level": shape.level})
        writer.plain_row(r, r, row)
    if raw.merged:
        add_merged_ranges(ws, raw.merged)
    if look is not None and styles is not None:
        _finish_sheet_look(ws, look, EXCEL_MAX_COLUMNS, len(raw.rows) - 1)


_SHEET_REF = re.compile(r"'((?:[^']|'')+)'!|([^\s'!=(),;:+\-*/&^<>\"]+)!")


def _define_names(
    book: xlsxwriter.Workbook, names: list[tuple[str | None, str, str]], renamed: dict[str, str], defined: set[str]
) -> None:
    """The clerk's defined names, so a dropdown or formula that uses one still works; references
    follow sheets renamed in a combined workbook; a name already defined by an earlier file is kept."""

    def sheet_ref(match: re.Match[str]) -> str:
        sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
        if renamed.get(sheet, sheet) == sheet:
            return match.group(0)
        return "'" + renamed[sheet].replace("'", "''") + "'!"

    for sheet, name, formula in names:
        local = renamed.get(sheet, sheet) if sheet is not None else None
        full = f"'{local.replace(chr(39), chr(39) * 2)}'!{name}" if local is not None else name
        if full.casefold() in defined:
            continue
        defined.add(full.casefold())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a name XlsxWriter refuses is dropped, not fatal
            book.define_name(full, "=" + _SHEET_REF.sub(sheet_ref, formula.lstrip("=")))


_masked = mask_in_text


def _apply_sheet_look(ws: Worksheet, look: SheetLook, styles: _OriginalStyles) -> None:
    """What must be set before any row is written: column widths and formats, default row height, view."""
    for column in look.columns:
        options = {"hidden": column.hidden, "level": column.level}
        ws.set_column(column.first, column.last, column.width, styles.get(column.style), options)
    if look.default_row_height:
        ws.set_default_row(look.default_row_height)
    if look.tab_color:
        ws.set_tab_color(look.tab_color)
    if look.zoom:
        ws.set_zoom(look.zoom)
    if look.hide_gridlines:
        ws.hide_gridlines(2)


def _finish_sheet_look(ws: Worksheet, look: SheetLook, width: int, last_row: int) -> None:
    """Freeze panes, autofilter, data validation and pictures, as the clerk had them."""
    if look.freeze is not None:
        ws.freeze_panes(*look.freeze)
    if look.autofilter is not None:
        r0, c0, r1, c1 = look.autofilter
        if width - 1 <= c1 < EXCEL_MAX_COLUMNS:
            # a filter over the whole table takes in the verdict columns, so a clerk can filter 不合格
            c1, r1 = width + len(VERDICT_HEADERS) - 1, max(r1, last_row)
        ws.autofilter(r0, c0, r1, c1)
    for validation in look.validations:
        ranges = _outside_verdicts(validation.ranges, width)
        if not ranges:
            continue
        options = dict(validation.options)
        if len(ranges) > 1:
            options["multi_range"] = " ".join(xl_range(*bounds) for bounds in ranges)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a rule XlsxWriter refuses is dropped, not fatal
            ws.data_validation(*ranges[0], options)
    for image in look.images:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws.insert_image(image.row, image.col, image.name, image_options(image))


def _outside_verdicts(ranges: list[tuple[int, int, int, int]], width: int) -> list[tuple[int, int, int, int]]:
    """Cell ranges with the three verdict columns cut out (a whole-row rule must not reach them)."""
    kept = []
    stop = width + len(VERDICT_HEADERS)
    for r0, c0, r1, c1 in ranges:
        if c0 < width:
            kept.append((r0, c0, r1, min(c1, width - 1)))
        if c1 >= stop:
            kept.append((r0, max(c0, stop), r1, c1))
    return kept


def _parts(n_rows: int, header_top: int, data_start: int) -> list[tuple[int, int, bool]]:
    """Source row ranges per output sheet: (start, stop, repeat the header rows first)."""
    limit = EXCEL_MAX_ROWS
    parts = [(0, min(n_rows, limit), False)]
    room = limit - (data_start - header_top)
    pos = parts[0][1]
    while pos < n_rows:
        parts.append((pos, min(n_rows, pos + room), True))
        pos += room
    return parts


def _restore_merges(ws: Worksheet, merged: list[tuple[int, int, int, int]], width: int) -> None:
    """The sheet's own merged cells (titles, two-row headers, a township over a block of rows);
    the values are already written in each range's first cell. None reaches the verdict columns."""
    add_merged_ranges(ws, [(r0, c0, r1, min(c1, width - 1)) for r0, c0, r1, c1 in merged if c0 < width])


def _write_title_row(
    ws: Worksheet, formats: Formats, rows: FastRows, out: int, row: list[Any], width: int, remerge: bool = True
) -> None:
    filled = [c for c, v in enumerate(row) if v is not None and v != ""]
    if remerge and filled == [0] and width > 1:
        # a title that was merged across the table in the original: merge it again
        ws.merge_range(out, 0, out, width - 1, row[0], formats.get(bold=True, font_size=14, align="center"))
        return
    bold = formats.get(bold=True)
    rows.write(out, [(c, row[c], bold) for c in filled], ordered=True)


def _write_header_row(
    formats: Formats, rows: FastRows, out: int, row: list[Any], width: int, last_header_row: bool
) -> None:
    header = formats.header()
    # the header band runs the full width, blanks included
    cells: list[Cell] = [(col, row[col] if col < len(row) and row[col] != "" else None, header) for col in range(width)]
    if last_header_row:
        cells.extend((width + i, text, header) for i, text in enumerate(VERDICT_HEADERS))
    rows.write(out, cells)


class _RowWriter:
    """Writes the rows of one original sheet: the clerk's cells (in their own formats when the
    look is known, filled where a finding names them), their comments, formulas, and the verdicts."""

    def __init__(
        self,
        ws: Worksheet,
        formats: Formats,
        notes: _SheetNotes,
        width: int,
        id_col: int | None,
        ids: _IdDisplay | None,
        look: SheetLook | None = None,
        styles: _OriginalStyles | None = None,
        formulas: dict[tuple[int, int], str] | None = None,
    ) -> None:
        self.ws = ws
        self.formats = formats
        self.notes = notes
        self.width = width
        self.id_col = id_col
        self.ids = ids
        self.look = look if styles is not None else None
        self.styles = styles
        self.formulas: dict[int, dict[int, str]] = {}
        for (r, c), text in (formulas or {}).items():
            if c != id_col:  # a masked ID must not come back through its formula
                self.formulas.setdefault(r, {})[c] = text
        self.mask_ids = ids is not None  # the clerk's comments too
        self.comment_budget = MAX_COMMENTS_PER_SHEET
        self.fills = {mark: formats.cell(None, mark) for mark in CELL_FILLS}
        self.status_formats = {s: formats.status(s) for s in STATUS_COLOURS}
        self.comment_options = {"x_scale": 2.5, "y_scale": 1.6}
        self.year_month_columns: set[int] = set()
        self.rows = formats.rows(ws)

    def data_row(self, out: int, r: int, row: list[Any]) -> None:
        verdict = self.notes.verdicts.get(r)
        if self.id_col is not None and self.id_col < len(row) and row[self.id_col] not in ("", None):
            value = row[self.id_col]
            # a person's ID always; in a footer or skipped row only text that carries a number
            if verdict is not None or not isinstance(value, str) or _DIGIT_RUN.search(value):
                assert self.ids is not None
                row = list(row)
                row[self.id_col] = self.ids.text(value)
        if self.mask_ids:
            row = [_masked(v) for v in row]  # an ID in a note or in another ID column too
        marks = self.notes.marks.get(r)
        cells: list[Cell]
        if self.look is not None:
            cells = self._original_cells(r, row, marks)
        elif not marks:
            cells = [(col, value, None) for col, value in enumerate(row) if value is not None and value != ""]
        else:
            cells = []
            fills = self.fills
            for col, value in enumerate(row):
                mark = marks.get(col)
                if value is None or value == "":
                    if mark:
                        cells.append((col, None, fills[mark]))
                    continue
                cells.append((col, value, fills[mark] if mark else None))
            beyond = sorted(col for col in marks if col >= len(row))
            # a named cell beyond the end of a short row: still show it
            cells.extend((col, None, fills[marks[col]]) for col in beyond)
        if self.look is None:
            if self.year_month_columns:
                ym = self.year_month_columns
                cells = [
                    (c, v, self.formats.with_number_format(f, "year_month"))
                    if c in ym and type(v) is float and 1900 < v < 2100 and not v.is_integer()
                    else (c, v, f)
                    for c, v, f in cells
                ]
            cells = self._with_formulas(r, cells)
        if verdict is not None:
            status, disqualify, to_check = verdict
            cells.append((self.width, STATUS_LABELS.get(status, status), self.status_formats.get(status)))
            if disqualify:
                cells.append((self.width + 1, disqualify, None))
            if to_check:
                cells.append((self.width + 2, to_check, None))
        self.rows.write(out, cells, self._comments(r), ordered=True)

    def plain_row(self, out: int, r: int, row: list[Any], extra: Sequence[Cell] = ()) -> None:
        """A title, header or other row in the clerk's own formats (plus the verdict headers)."""
        if self.mask_ids:
            row = [_masked(v) for v in row]
        if self.look is not None:
            cells = self._original_cells(r, row, None)
        else:
            cells = [(col, value, None) for col, value in enumerate(row) if value is not None and value != ""]
            cells = self._with_formulas(r, cells)
        cells.extend(extra)
        self.rows.write(out, cells, self._comments(r), ordered=True)

    def _with_formulas(self, r: int, cells: list[Cell]) -> list[Cell]:
        """The row's formulas written back over their cached values, in column order."""
        formulas = self.formulas.get(r)
        if not formulas:
            return cells
        cells = [(c, Formula(formulas[c], v), f) if c in formulas else (c, v, f) for c, v, f in cells]
        present = {c for c, _, _ in cells}
        cells.extend((c, Formula(text), None) for c, text in formulas.items() if c not in present)
        cells.sort(key=lambda cell: cell[0])
        return cells

    def _original_cells(self, r: int, row: list[Any], marks: dict[int, str] | None) -> list[Cell]:
        """Every cell with a value, a style of its own or a finding, in its original format."""
        assert self.look is not None and self.styles is not None
        looks = self.look.cells
        style_row = looks[r] if r < len(looks) else ()
        formulas = self.formulas.get(r)
        links = self.look.links.get(r)
        get = self.styles.get
        n = max(len(row), min(len(style_row), self.width))
        if formulas:
            n = max(n, max(formulas) + 1)
        cells: list[Cell] = []
        for col in range(n):
            value = row[col] if col < len(row) else None
            if value == "":
                value = None
            if formulas is not None and col in formulas:
                value = Formula(formulas[col], value)
            elif links is not None and col in links and value is not None and col < self.width:
                value = Link(links[col][0], value, links[col][1])
            style = style_row[col] if col < len(style_row) and col < self.width else 0
            mark = marks.get(col) if marks else None
            if value is None and not style and mark is None:
                continue
            cells.append((col, value, get(style, mark)))
        if marks:
            # a named cell beyond the end of a short row: still show it
            cells.extend((col, None, get(0, marks[col])) for col in sorted(marks) if col >= n)
        return cells

    def _comments(self, r: int) -> list[Comment]:
        """The row's comments: the clerk's own, and the tool's explanations added to them."""
        ours = self.notes.comments.get(r)
        theirs = self.look.comments.get(r) if self.look is not None else None
        if not ours and not theirs:
            return []
        chosen: list[Comment] = []
        for col in sorted({*(ours or {}), *(theirs or {})}):
            lines = ours.get(col) if ours else None
            original = theirs.get(col) if theirs else None
            if original is not None and self.mask_ids:
                original = (_masked(original[0]), original[1])
            if lines and self.comment_budget > 0:
                self.comment_budget -= 1
                text = "\n".join(lines)
                if original is not None:
                    text = f"原批注：{original[0]}\n—— cadretool ——\n{text}"
                chosen.append((col, utf16_truncate(text), self.comment_options))
            elif original is not None:
                options = {"author": original[1]} if original[1] else {}
                chosen.append((col, utf16_truncate(original[0]), options))
        return chosen


def _column_widths(rows: list[list[Any]], header_top: int, data_start: int, width: int) -> list[float]:
    """Widths from the header text and the first rows of data; CJK characters count double."""
    widths = [6.0] * width
    for r in range(header_top, min(len(rows), data_start + 200)):
        for col, value in enumerate(rows[r][:width]):
            n = _display_width(value) + 2
            if n > widths[col]:
                widths[col] = n
    widths = [min(w, 40.0) for w in widths]
    return [*widths, 10.0, 16.0, 60.0]


def _display_width(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, dt.datetime | dt.date):
        return 11
    text = value if isinstance(value, str) else (clean_text(value) or "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _sheet_names(result: VetResult, taken: set[str]) -> dict[int, str]:
    """The name of every original sheet in this workbook, by id() of its SheetInfo or RawSheet.

    One input keeps its own sheet names. A workbook of many inputs names a sheet after its file
    when the sheet's own name says nothing (前进村.xlsx's Sheet1 is `前进村`), keeps a meaningful
    name (`花名册`), and puts the file's name in front only where two inputs would clash
    (`前进村-花名册`). Computed once, so 审查明细 and 数据问题 point at the sheets as written.
    """
    inputs = result.roster.inputs
    proposals: list[tuple[int, str, str]] = []  # (id, proposed name, the file's stem)
    for inp in inputs:
        layout = inp.layout or [*inp.sheets, *inp.other_sheets]
        stem = legal_sheet_name(Path(inp.path).stem)
        generic = [item for item in layout if _GENERIC_SHEET.fullmatch(str(item.name).strip())]
        generic_ids = {id(item) for item in generic}
        # the file's own name goes to its roster sheet with a name like Sheet1 (else its first such sheet)
        named = next((item for item in generic if isinstance(item, SheetInfo)), generic[0] if generic else None)
        for item in layout:
            own = legal_sheet_name(item.name)
            if len(inputs) == 1:
                proposals.append((id(item), own, stem))
            elif item is named:
                proposals.append((id(item), stem, stem))
            elif id(item) in generic_ids:
                proposals.append((id(item), _prefixed(stem, own), stem))
            else:
                proposals.append((id(item), own, stem))
    counts: dict[str, int] = {}
    for _, name, _ in proposals:
        key = utf16_truncate(name, SHEET_NAME_UNITS).casefold()
        counts[key] = counts.get(key, 0) + 1
    names: dict[int, str] = {}
    for key, name, stem in proposals:
        folded = utf16_truncate(name, SHEET_NAME_UNITS).casefold()
        if len(inputs) > 1 and (counts[folded] > 1 or folded in taken) and not name.startswith(stem):
            name = _prefixed(stem, name)  # two files' 花名册: 前进村-花名册, 红旗村-花名册
        names[key] = unique_sheet_name(name, taken)
    return names


def _prefixed(stem: str, name: str) -> str:
    """`stem-name` within Excel's 31 units, shortening the file's name before the sheet's."""
    room = SHEET_NAME_UNITS - utf16_len(name) - 1
    if room < 4:
        return name
    return f"{utf16_truncate(stem, room)}-{name}"


# ---------------------------------------------------------------- 汇总


def _labels(people: pd.DataFrame, column: str) -> pd.Series:
    if column not in people.columns:
        return pd.Series([UNFILLED] * len(people), index=people.index, dtype="object")
    values = people[column].astype("object")
    return values.where(values.notna() & (values.astype(str).str.strip() != ""), UNFILLED).astype(str)


def _status_counts(people: pd.DataFrame, keys: list[pd.Series]) -> pd.DataFrame:
    """People by the given keys (in order of first appearance in the roster) × status."""
    statuses = list(STATUS_LABELS)
    if people.empty:
        return pd.DataFrame(columns=["人数", *statuses])
    names = [f"k{i}" for i in range(len(keys))]
    frame = pd.DataFrame({name: k.to_numpy() for name, k in zip(names, keys, strict=True)})
    frame["status"] = people["status"].astype(str).to_numpy()
    table = frame.groupby([*names, "status"]).size().unstack("status", fill_value=0)
    table = table.reindex(columns=statuses, fill_value=0)
    first_seen = frame.drop_duplicates(names)[names]
    order = pd.MultiIndex.from_frame(first_seen) if len(names) > 1 else pd.Index(first_seen[names[0]])
    table = table.reindex(order, fill_value=0)
    table.insert(0, "人数", table.sum(axis=1))
    return table


def _write_summary(
    book: xlsxwriter.Workbook, formats: Formats, result: VetResult, kept_notes: Sequence[str] = ()
) -> None:
    ws = book.add_worksheet("汇总")
    header = formats.header()
    bold = formats.get(bold=True)
    section = formats.get(bold=True, font_size=12)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 6, 9)
    people = result.people
    statuses = list(STATUS_LABELS)
    labels = [STATUS_LABELS[s] for s in statuses]
    summary = result.summary()

    row = 0
    ws.write_string(row, 0, "村（社区）“两委”换届候选人资格审查汇总", formats.get(bold=True, font_size=14))
    row += 1
    ws.write_string(
        row, 0, f"审查基准日：{result.as_of.isoformat()}　规则集：{result.ruleset_name} {result.ruleset_version}"
    )
    row += 1
    # what was not read or not vetted, then what of the clerk's formatting did not come back
    for note in [*run_notes(result), *kept_notes]:
        ws.write_string(row, 0, f"说明：{note}")
        row += 1
    row += 1

    ws.write_string(row, 0, "全县", section)
    row += 1
    write_strings(ws, row, 0, ["范围", "人数", *labels], header)
    row += 1
    ws.write_string(row, 0, "合计", bold)
    write_numbers(ws, row, 1, [summary["people"], *(summary[s] for s in statuses)])
    row += 2

    townships = _labels(people, "township")
    villages = _labels(people, "village")
    by_township = _status_counts(people, [townships])
    ws.write_string(row, 0, "按乡镇", section)
    row += 1
    write_strings(ws, row, 0, ["乡镇", "人数", *labels], header)
    row += 1
    first_township_row = row
    for key, counts in zip(by_township.index.tolist(), by_township.to_numpy().tolist(), strict=True):
        ws.write_string(row, 0, _key_text(key))
        write_numbers(ws, row, 1, counts)
        row += 1
    last_township_row = row - 1
    row += 1
    chart_anchor = row
    if last_township_row >= first_township_row:
        row += CHART_ROWS + 1  # the chart sits under its table, on rows kept free for it

    by_village = _status_counts(people, [townships, villages])
    ws.write_string(row, 0, "按村（社区）", section)
    row += 1
    write_strings(ws, row, 0, ["乡镇", "村(社区)", "人数", *labels], header)
    row += 1
    for key, counts in zip(by_village.index.tolist(), by_village.to_numpy().tolist(), strict=True):
        township, village = key if isinstance(key, tuple) else (key, "")
        ws.write_string(row, 0, str(township))
        ws.write_string(row, 1, str(village))
        write_numbers(ws, row, 2, counts)
        row += 1
    row += 1

    ws.write_string(row, 0, "按规则", section)
    row += 1
    write_strings(ws, row, 0, ["规则", "名称", "人数", "村数"], header)
    row += 1
    for rule_id, title, persons, villages_hit in _rule_counts(result):
        ws.write_string(row, 0, rule_id)
        ws.write_string(row, 1, title)
        ws.write_number(row, 2, persons)
        if villages_hit is not None:
            ws.write_number(row, 3, villages_hit)
        row += 1

    groups = result.group_findings
    if groups is not None and not groups.empty:
        row += 1
        ws.write_string(row, 0, "村级提示（按村计的规则）", section)
        row += 1
        write_strings(ws, row, 0, ["乡镇", "村(社区)", "规则", "级别", "说明"], header)
        row += 1
        for rec in groups.to_dict("records"):
            write_strings(
                ws,
                row,
                0,
                [
                    text_of(rec.get("township")) or UNFILLED,
                    text_of(rec.get("village")) or UNFILLED,
                    text_of(rec.get("rule")),
                    SEVERITY_LABELS.get(rec.get("severity"), text_of(rec.get("severity"))),
                    text_of(rec.get("message")),
                ],
            )
            row += 1

    if last_township_row >= first_township_row:
        _insert_status_chart(book, ws, chart_anchor, first_township_row, last_township_row, labels)
    print_setup(ws)


def _key_text(key: Any) -> str:
    return str(key[0] if isinstance(key, tuple) else key)


def _insert_status_chart(
    book: xlsxwriter.Workbook, ws: Worksheet, anchor: int, first: int, last: int, labels: list[str]
) -> None:
    """A stacked column chart of 合格/待核实/不合格 by township, from the 按乡镇 table."""
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    sheet = quote_sheetname(ws.name)
    colours = [STATUS_COLOURS[s][0] for s in STATUS_LABELS]
    borders = [STATUS_COLOURS[s][1] for s in STATUS_LABELS]
    for i, label in enumerate(labels):
        col = 2 + i
        chart.add_series(
            {
                "name": label,
                "categories": f"={sheet}!{_abs(first, 0)}:{_abs(last, 0)}",
                "values": f"={sheet}!{_abs(first, col)}:{_abs(last, col)}",
                "fill": {"color": colours[i]},
                "border": {"color": borders[i]},
            }
        )
    chart.set_title({"name": "各乡镇审查结论"})
    chart.set_y_axis({"name": "人数", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    # as wide as the tables above and below it, so the sheet prints one page wide at full size
    chart.set_size({"width": CHART_WIDTH, "height": CHART_ROWS * 20})
    ws.insert_chart(anchor, 0, chart, {"x_offset": 2, "y_offset": 2})


def _abs(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def _rule_counts(result: VetResult) -> list[tuple[str, str, int, int | None]]:
    """(rule id, title, people hit, villages hit for village-level rules) for every rule applied."""
    findings = result.findings
    persons = findings.groupby("rule")["person"].nunique().to_dict() if not findings.empty else {}
    groups = result.group_findings
    villages: dict[str, int] = {}
    if groups is not None and not groups.empty:
        keyed = groups.assign(_t=groups["township"].astype(str), _v=groups["village"].astype(str))
        villages = keyed.groupby("rule")[["_t", "_v"]].apply(lambda g: len(g.drop_duplicates())).to_dict()
    rows: list[tuple[str, str, int, int | None]] = []
    seen: set[str] = set()
    for info in result.rules:
        seen.add(info.id)
        slate = info.kind == "slate" or info.id in villages
        rows.append(
            (info.id, info.title, int(persons.get(info.id, 0)), int(villages.get(info.id, 0)) if slate else None)
        )
    extra = sorted((set(persons) | set(villages)) - seen)
    for rule_id in extra:
        known = BUILT_IN_BY_ID.get(rule_id)
        title = known.title if known else ""
        rows.append(
            (rule_id, title, int(persons.get(rule_id, 0)), int(villages[rule_id]) if rule_id in villages else None)
        )
    return rows


# ---------------------------------------------------------------- finding and evidence tables


def _finding_rows(result: VetResult, ids: _IdDisplay, sheet_names: Sequence[str] | None = None) -> list[list[Any]]:
    """审查明细 rows in roster order: 文件, 工作表, 行号, 姓名, 身份证号码, 问题编号, 级别, 说明, 依据.

    `sheet_names` (by sheet number): the names the sheets have in this workbook."""
    findings = result.findings
    people = result.people
    if findings.empty or people.empty:
        return []
    ordered = findings[findings["person"].isin(people.index)]
    meta = people.loc[ordered["person"].to_numpy()]
    sheet_no = meta["_sheet_no"].astype("int64").to_numpy()
    excel_row = meta["_row"].astype("int64").to_numpy()
    order = np.lexsort((excel_row, sheet_no))  # stable: keeps severity/rule order within a person
    n = len(ordered)
    files = [Path(str(f)).name for f in meta["_file"].tolist()]
    if sheet_names is not None:
        sheets = [sheet_names[no] if 0 <= no < len(sheet_names) else "" for no in sheet_no.tolist()]
    else:
        sheets = meta["_sheet"].astype(str).tolist()
    names = [text_of(v) for v in meta["name"].tolist()] if "name" in meta.columns else [""] * n
    numbers = person_ids(meta, ids.mask).tolist()
    rules = ordered["rule"].astype(str).tolist()
    severities = ordered["severity"].tolist()
    messages = [text_of(m) for m in ordered["message"].tolist()]
    bases = [text_of(b) for b in ordered["basis"].tolist()] if "basis" in ordered.columns else [""] * n
    rows = []
    for i in order.tolist():
        rows.append(
            [
                files[i],
                sheets[i],
                int(excel_row[i]),
                names[i],
                numbers[i],
                rules[i],
                SEVERITY_LABELS.get(severities[i], text_of(severities[i])),
                messages[i],
                bases[i],
            ]
        )
    return rows


def _unmatched_rows(result: VetResult, ids: _IdDisplay) -> list[list[Any]]:
    rows = []
    for rec in result.unmatched_evidence:
        note = next((rec[k] for k in ("note", "说明", "detail", "description", "message") if rec.get(k)), "")
        source = rec.get("source") or rec.get("file") or ""
        row_no = rec.get("row")
        rows.append(
            [
                Path(str(source)).name if source else "",
                text_of(rec.get("sheet")),
                int(row_no) if isinstance(row_no, int | float) and row_no == row_no else text_of(row_no),
                ids.text(rec.get("id_number") or rec.get("id_as_written")),
                text_of(rec.get("name")),
                text_of(rec.get("item")),
                text_of(rec.get("reason")),
                text_of(note),
            ]
        )
    return rows


# ---------------------------------------------------------------- 规则


__all__ = ["EXCEL_MAX_ROWS", "MAX_COMMENTS_PER_SHEET", "write_vet_workbook"]
