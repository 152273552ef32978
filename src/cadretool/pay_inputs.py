"""The finance clerk's other files: adjustments (奖惩款项), collective income (村集体经济纯收益)
and the payrolls of earlier months, read through the roster reader.

So title rows, header aliases, GBK CSVs, totals and sign-off rows, IDs mangled by Excel and
dates written any way work as they do for rosters. Money is read exactly (`cadretool.money`):
"1,234.50元", "(100.00)" for a deduction, "12.5万", a number cell through its shortest text; a
column headed in 万元 is scaled. Every record is kept, with what is wrong with it, for the job
to place or list — nothing is dropped here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.errors import InputError
from cadretool.money import fen, month_index, month_of, parse_month, to_decimal
from cadretool.records import cells_as_written
from cadretool.roster.columns import ColumnSpec
from cadretool.roster.readers import RESULT_SHEET, SPREADSHEET_SUFFIXES, RawWorkbook, read_workbook
from cadretool.roster.table import InputInfo, Roster, SheetInfo, read_roster
from cadretool.roster.text import clean_text, map_unique

_TEN_THOUSAND = re.compile(r"万元|万")
_UNIT = re.compile(r"单位\s*[:：]?\s*(万元|元)")
_WAN = re.compile(r"^(.*?)\s*万\s*元?$")
_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月|(?<!\d)(\d{4})[-._](\d{1,2})(?!\d)")
_BARE_MONTH = re.compile(r"(?<![\d年])(\d{1,2})\s*月(?:份)?")
_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?:度)?(?!\s*\d{1,2}\s*月)")
_TOTAL_ROW = re.compile(r"^\s*(?:合\s*计|小\s*计|总\s*计|共\s*计)")
_YEAR_CELL = re.compile(r"^\s*(\d{4})\s*(?:年度?|年)?\s*$")


@dataclass
class SideFile:
    """One kind of side input as read: a record per row (file, sheet and row kept) and what the
    clerk must know about the files."""

    frame: pd.DataFrame
    inputs: list[InputInfo]
    errors: list[InputError]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sheets(self) -> list[SheetInfo]:
        return [s for i in self.inputs for s in i.sheets]


def side_paths(args: Sequence[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Files, folders and globs the user named for a side input; a payroll this tool wrote is a
    side input like any other (its 规则 sheet does not exclude it here)."""
    import glob

    found: list[Path] = []
    errors: list[InputError] = []
    for arg in args:
        text = str(arg)
        path = Path(text)
        if path.is_dir():
            members = sorted(
                p for p in path.iterdir() if p.suffix.lower() in SPREADSHEET_SUFFIXES | {".json"} and p.is_file()
            )
            if not members:
                errors.append(InputError(path, "目录中没有 xlsx/xls/csv 文件 (no spreadsheet files in this folder)"))
            found += [p for p in members if not p.name.startswith(("~$", "."))]
        elif path.exists():
            found.append(path)
        elif any(ch in text for ch in "*?["):
            matched = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not matched:
                errors.append(InputError(text, "没有文件匹配该通配符 (no file matches this pattern)"))
            found += matched
        else:
            errors.append(InputError(path, "文件不存在 (no such file)"))
    return list(dict.fromkeys(found)), errors


# ---------------------------------------------------------------- cells


def object_frame(columns: dict[str, Any], index: pd.Index | None = None) -> pd.DataFrame:
    """A table whose blanks stay None: text columns are not turned into pandas strings with NaN."""
    return pd.DataFrame({k: pd.Series(v, index=index, dtype=object) for k, v in columns.items()}, index=index)


def money_fen(value: Any, per_unit: int = 1) -> int | None:
    """A money cell as whole fen (None for a blank); ValueError for text that is not money.
    `per_unit` is 10000 for a column in 万元; "12.5万" in a cell is 万 whatever the column says."""
    if isinstance(value, str):
        m = _WAN.match(value.strip())
        if m and m.group(1):
            amount = to_decimal(m.group(1))
            return None if amount is None else fen(amount * 10000)
    amount = to_decimal(value)
    return None if amount is None else fen(amount * per_unit)


def money_column(values: pd.Series, per_unit: np.ndarray | int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Fen (object array of int, None for blank) and the problem with each cell (None when read)."""
    units = np.broadcast_to(np.asarray(per_unit, dtype=np.int64), (len(values),))
    out_fen = np.empty(len(values), dtype=object)
    out_bad = np.empty(len(values), dtype=object)
    for unit in np.unique(units) if len(values) else []:
        mask = units == unit

        def read(v: Any, unit: int = int(unit)) -> tuple[int | None, str | None]:
            try:
                return money_fen(v, unit), None
            except ValueError:
                return None, f"“{clean_text(v)}”不是金额"

        pairs = map_unique(values[mask], read)
        out_fen[mask] = [p[0] for p in pairs]
        out_bad[mask] = [p[1] for p in pairs]
    return out_fen, out_bad


def as_written(frame: pd.DataFrame, sheets: list[SheetInfo], name: str) -> pd.Series:
    """A field's cells as the clerk wrote them, cleaned as text (for messages and re-reading)."""
    return cells_as_written(frame, sheets, name, text=clean_text)


def _sheet_has(sheets: list[SheetInfo], frame: pd.DataFrame, name: str) -> np.ndarray:
    has = np.array([any(c.field == name for c in s.columns) for s in sheets] + [False], dtype=bool)
    return has[frame["_sheet_no"].fillna(len(sheets)).astype("int64").to_numpy()] if len(frame) else has[:0]


def _title_rows(sheet: SheetInfo) -> str:
    """The rows above a sheet's header (its title, 单位：万元, 填报单位 …), as one text."""
    rows = sheet.raw.rows[: sheet.header_row - 1] if sheet.raw is not None else []
    return " ".join(str(clean_text(v) or "") for row in rows for v in row)


def _titles(sheet: SheetInfo) -> str:
    """The title rows above a sheet's header, its name and its file's name, as one text."""
    return f"{_title_rows(sheet)} {sheet.name} {Path(sheet.file).stem}"


def title_month(sheet: SheetInfo, year: int | None = None) -> int | None:
    """The one month a sheet's title, name or file name names (2026年11月, 2026-11; 11月 in `year`)."""
    text = _titles(sheet)
    found = {
        month_index(int(m[1] or m[3]), int(m[2] or m[4]))
        for m in _TITLE_MONTH.finditer(text)
        if 1 <= int(m[2] or m[4]) <= 12
    }
    if not found and year is not None:
        found = {month_index(year, int(m[1])) for m in _BARE_MONTH.finditer(text) if 1 <= int(m[1]) <= 12}
    return found.pop() if len(found) == 1 else None


def title_year(sheet: SheetInfo) -> int | None:
    """The one year a sheet's title, name or file name names (2026年, 2026年度)."""
    found = {int(m[1]) for m in _TITLE_YEAR.finditer(_titles(sheet)) if 1990 <= int(m[1]) <= 2200}
    found |= {int(m[1]) for m in _TITLE_MONTH.finditer(_titles(sheet)) if m[1]}
    return found.pop() if len(found) == 1 else None


def _month_cell(text: str | None, year: int) -> int | None:
    """A month cell the date reader could not read: 2026年11月份, 11月 (in the pay year)."""
    if not text:
        return None
    cleaned = text.replace("份", "")
    try:
        return parse_month(cleaned)
    except ValueError:
        m = _BARE_MONTH.fullmatch(cleaned.strip())
        return month_index(year, int(m[1])) if m and 1 <= int(m[1]) <= 12 else None


def _problems_by_row(roster: Roster, field_name: str) -> dict[int, str]:
    """The reader's D07 message for a field, by record."""
    p = roster.problems
    if p.empty:
        return {}
    mine = p[(p["rule"] == "D07") & p["fields"].map(lambda f: field_name in f)]
    return dict(zip(mine["person"].astype(int), mine["message"], strict=True))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _ids(frame: pd.DataFrame, sheets: list[SheetInfo]) -> dict[str, Any]:
    return {
        "id_number": _column(frame, "id_number").to_numpy(dtype=object),
        "id_status": _column(frame, "id_status").to_numpy(dtype=object),
        "id_text": _column(frame, "id_text").to_numpy(dtype=object),
        "id_as_written": as_written(frame, sheets, "id_number").to_numpy(dtype=object),
    }


# ---------------------------------------------------------------- adjustments


def read_adjustments(paths: Sequence[Path | InputError], spec: ColumnSpec, pay_month: int) -> SideFile:
    """Every adjustment record: who (ID, name), how much (fen, or why not), which month (or why
    not) and why. A sheet with no month column takes the month its title or file name gives;
    failing that, the month paid, with a warning."""
    roster = read_roster(list(paths), spec, required=("id_number", "name"))
    frame = roster.frame
    sheets = roster.sheets
    amount_written = as_written(frame, sheets, "amount")
    amounts, amount_bad = money_column(_column(frame, "amount"))
    has_amount = _sheet_has(sheets, frame, "amount")
    amount_problem = np.where(
        ~has_amount,
        "表中没有“金额”列",
        np.where(pd.isna(amounts) & pd.isna(amount_bad), "金额为空", amount_bad),
    )
    amount_problem = np.where(pd.isna(amounts), amount_problem, None)
    pay_year = pay_month // 12
    months = _column(frame, "month")
    month = np.array(
        [month_of(d) if pd.notna(d) else None for d in pd.to_datetime(months, errors="coerce")], dtype=object
    )
    month_problem = np.full(len(frame), None, dtype=object)
    bad = _problems_by_row(roster, "month")
    written = as_written(frame, sheets, "month")
    positions = {p: i for i, p in enumerate(frame.index)}
    for person in bad:
        i = positions[person]
        month[i] = _month_cell(written.iloc[i], pay_year)
        if month[i] is None:
            month_problem[i] = f"月份“{written.iloc[i]}”无法识别（应为年月，如 2026-11 或 2026年11月）"
    has_month = _sheet_has(sheets, frame, "month")
    warnings: list[str] = []
    notes: list[str] = []
    by_title: dict[int, int | None] = {}
    for number, sheet in enumerate(sheets):
        found = title_month(sheet, pay_year)
        by_title[number] = found
        if not sheet.rows or any(c.field == "month" for c in sheet.columns):
            continue
        if found is not None:
            notes.append(f"{sheet.file}“{sheet.name}”没有月份列，按标题或文件名所写的月份 {_month_text(found)} 计")
        else:
            warnings.append(
                f"{sheet.file}“{sheet.name}”没有月份列，标题和文件名也没有写月份，"
                f"其中 {sheet.rows} 条奖惩按 {_month_text(pay_month)} 计入；如不属于本月请加“月份”列"
            )
    sheet_no = frame["_sheet_no"].to_numpy() if len(frame) else np.array([], dtype=int)
    for i in range(len(frame)):
        if month[i] is not None or month_problem[i] is not None:
            continue
        fallback = by_title.get(int(sheet_no[i]))
        if not has_month[i]:
            month[i] = fallback if fallback is not None else pay_month
        elif fallback is not None:
            month[i] = fallback  # a blank month cell under a title that names the month
        else:
            month_problem[i] = "月份为空"
    records = object_frame(
        {
            "source": frame["_file"].to_numpy(dtype=object),
            "sheet": frame["_sheet"].to_numpy(dtype=object),
            "row": frame["_row"].to_numpy(dtype="int64"),
            **_ids(frame, sheets),
            "name": _column(frame, "name").to_numpy(dtype=object),
            "amount": amounts,
            "amount_written": amount_written.to_numpy(dtype=object),
            "amount_problem": amount_problem.astype(object),
            "month": month,
            "month_problem": month_problem,
            "reason": _column(frame, "reason").to_numpy(dtype=object),
        }
    )
    return SideFile(records, roster.inputs, roster.errors, roster.warnings + warnings, notes)


def _month_text(month: int) -> str:
    from cadretool.money import month_text

    return month_text(month)


# ---------------------------------------------------------------- income


def read_income(paths: Sequence[Path | InputError], spec: ColumnSpec, year: int) -> SideFile:
    """Every income record: place, year (from the 年度 column, else the title; None when neither
    says), net income in fen (or why not)."""
    roster = read_roster(list(paths), spec, required=("village", "income"))
    frame = roster.frame
    sheets = roster.sheets
    units = np.ones(len(frame), dtype=np.int64)
    notes: list[str] = []
    for number, sheet in enumerate(sheets):
        header = next((c.original or c.header for c in sheet.columns if c.field == "income"), "")
        unit = _UNIT.search(_title_rows(sheet))
        in_header = bool(_TEN_THOUSAND.search(str(header)))
        if in_header or (unit and unit.group(1).startswith("万")):
            units[(frame["_sheet_no"] == number).to_numpy()] = 10000
            said = f"收益列为“{clean_text(header)}”" if in_header else f"表头上方写明“{unit[0] if unit else ''}”"
            notes.append(f"{sheet.file}“{sheet.name}”的{said}，按万元换算为元")
    amounts, amount_bad = money_column(_column(frame, "income"), units)
    has_income = _sheet_has(sheets, frame, "income")
    problem = np.where(~has_income, "表中没有收益列", np.where(pd.isna(amount_bad), "收益为空", amount_bad))
    problem = np.where(pd.isna(amounts), problem, None)
    written_year = as_written(frame, sheets, "year")
    years = np.full(len(frame), None, dtype=object)
    year_problem = np.full(len(frame), None, dtype=object)
    by_title = {n: title_year(s) for n, s in enumerate(sheets)}
    sheet_no = frame["_sheet_no"].to_numpy() if len(frame) else np.array([], dtype=int)
    for i, text in enumerate(written_year.to_numpy(dtype=object)):
        if text:
            m = _YEAR_CELL.match(str(text).replace(".0", ""))
            if m:
                years[i] = int(m[1])
            else:
                year_problem[i] = f"年度“{text}”无法识别"
        else:
            years[i] = by_title.get(int(sheet_no[i]))
    warnings = []
    for number, sheet in enumerate(sheets):
        if not sheet.rows or any(c.field == "year" for c in sheet.columns):
            continue
        found = by_title[number]
        if found is None:
            notes.append(f"{sheet.file}“{sheet.name}”没有年度列，标题和文件名也没有写年度，按 {year} 年度计")
        elif found != year:
            warnings.append(
                f"{sheet.file}“{sheet.name}”的标题或文件名写的是 {found} 年度，与 --year {year} 不同，其收益不计入"
            )
    years = np.array([year if y is None and p is None else y for y, p in zip(years, year_problem, strict=True)])
    village = as_written(frame, sheets, "village")  # the record's own cell, never a name guessed from a title
    township = _column(frame, "township")
    total = (
        township.fillna("").astype(str).str.match(_TOTAL_ROW) | village.fillna("").astype(str).str.match(_TOTAL_ROW)
    ).to_numpy(dtype=bool)
    for source, row in zip(frame["_file"][total], frame["_row"][total], strict=True):
        notes.append(f"{source}第{row}行是合计行，不是某个村的收益，未计入")
    records = object_frame(
        {
            "source": frame["_file"].to_numpy(dtype=object),
            "sheet": frame["_sheet"].to_numpy(dtype=object),
            "row": frame["_row"].to_numpy(dtype="int64"),
            "township": township.to_numpy(dtype=object),
            "village": village.to_numpy(dtype=object),
            "year": years.astype(object),
            "year_problem": year_problem,
            "income": amounts,
            "income_written": as_written(frame, sheets, "income").to_numpy(dtype=object),
            "income_problem": problem.astype(object),
        }
    )
    return SideFile(
        records[~total].reset_index(drop=True), roster.inputs, roster.errors, roster.warnings + warnings, notes
    )


# ---------------------------------------------------------------- earlier payrolls


@dataclass
class Payroll:
    """One month's payroll as paid: a record per line (amounts in fen, None where not paid)."""

    month: int
    source: str
    frame: pd.DataFrame


PAYROLL_MONEY = ("post_pay", "degree_uplift", "performance_pay", "adjustments", "total")


def read_payrolls(paths: Sequence[Path], spec: ColumnSpec) -> tuple[list[Payroll], list[InputError]]:
    """Payrolls of earlier months: workbooks or JSON `pay` wrote (or a clerk's own with the same
    columns and the month in its title). Each must say its month."""
    payrolls: list[Payroll] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            payrolls.append(_read_json_payroll(path) if path.suffix.lower() == ".json" else _read_book(path, spec))
        except InputError as exc:
            errors.append(exc)
    return payrolls, errors


def _read_json_payroll(path: Path) -> Payroll:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"不是可读的 JSON 工资表 ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("command") != "pay" or not isinstance(data.get("lines"), list):
        raise InputError(path, "不是 cadretool pay 输出的 JSON 工资表（缺少 command: pay 或 lines）")
    try:
        month = parse_month(data.get("month"))
    except ValueError:
        raise InputError(path, f"工资表的月份“{data.get('month')}”无法识别") from None
    rows = []
    for n, line in enumerate(data["lines"], start=1):
        if not isinstance(line, dict):
            raise InputError(path, f"lines 第{n}项不是对象")
        try:
            money = {k: money_fen(line.get(k)) for k in PAYROLL_MONEY}
        except ValueError:
            raise InputError(path, f"lines 第{n}项的金额无法读取") from None
        rows.append(
            {
                "source": str(path),
                "sheet": "",
                "row": n,
                "id_number": line.get("id_number"),
                "name": line.get("name"),
                "township": line.get("township"),
                "village": line.get("village"),
                "post": line.get("post"),
                "level": line.get("level"),
                "step": line.get("step"),
                "assessment": line.get("assessment"),
                "degree": line.get("degree"),
                **money,
            }
        )
    return Payroll(month, str(path), _payroll_frame(rows))


def _read_book(path: Path, spec: ColumnSpec) -> Payroll:
    book = read_workbook(path)
    month = _result_month(book)
    roster = read_roster([book], spec, required=("id_number", "total"))
    if roster.errors:
        raise roster.errors[0]
    sheets = roster.sheets
    if month is None:
        months = {m for s in sheets if s.rows and (m := title_month(s)) is not None}
        if len(months) != 1:
            raise InputError(
                path,
                "找不到工资表的月份：请在标题或文件名中写明（如“2026年10月”）"
                if not months
                else "工资表中各表写的月份不一致：" + "、".join(sorted(_month_text(m) for m in months)),
            )
        month = months.pop()
    frame = roster.frame
    # only the pay sheets: 奖惩明细 names people with no 应发合计, 汇总 has totals and no ID numbers
    paying = [n for n, s in enumerate(sheets) if {"id_number", "total"} <= {c.field for c in s.columns}]
    frame = frame[frame["_sheet_no"].isin(paying).to_numpy()]
    if not paying:
        raise InputError(path, "不是工资表：没有一个工作表含有“身份证号码”和“应发合计”列")
    rows: dict[str, Any] = {
        "source": frame["_file"].to_numpy(dtype=object),
        "sheet": frame["_sheet"].to_numpy(dtype=object),
        "row": frame["_row"].to_numpy(dtype="int64"),
        "id_number": frame["id_number"].where(frame["id_number"].notna(), frame["id_text"]).to_numpy(dtype=object),
        **{k: _column(frame, k).to_numpy(dtype=object) for k in ("name", "township", "village", "post")},
        **{k: _column(frame, k).to_numpy(dtype=object) for k in ("assessment", "degree")},
        "level": _column(frame, "level").to_numpy(dtype=object),
        "step": _column(frame, "step").to_numpy(dtype=object),
    }
    for k in PAYROLL_MONEY:
        amounts, bad = money_column(_column(frame, k))
        broken = [r for r, b in zip(rows["row"], bad, strict=True) if b is not None]
        if broken:
            raise InputError(path, f"第{broken[0]}行的{spec.label(k)}无法读取：{bad[~pd.isna(bad)][0]}")
        rows[k] = amounts
    return Payroll(month, str(path), _payroll_frame(rows))


PAYROLL_COLUMNS = (
    "source", "sheet", "row", "id_number", "name", "township", "village", "post", "level", "step",
    "assessment", "degree", *PAYROLL_MONEY,
)  # fmt: skip


def _payroll_frame(data: dict[str, Any] | list[dict[str, Any]]) -> pd.DataFrame:
    rows = pd.DataFrame(data, columns=list(PAYROLL_COLUMNS))
    frame = object_frame({c: rows[c].to_numpy(dtype=object) for c in PAYROLL_COLUMNS})
    frame = frame.where(frame.notna(), None)
    for k in ("level", "step"):
        frame[k] = pd.Series(
            [int(v) if isinstance(v, int | float) and not pd.isna(v) else None for v in frame[k]], dtype=object
        )
    return frame


def _result_month(book: RawWorkbook) -> int | None:
    """The month a payroll this tool wrote records on its 规则 sheet (a row 月份 | 2026-10)."""
    for sheet in book.sheets:
        if sheet.name != RESULT_SHEET:
            continue
        for row in sheet.rows[:12]:
            if len(row) > 1 and clean_text(row[0]) == "月份":
                try:
                    return parse_month(clean_text(row[1]))
                except ValueError:
                    return None
    return None


__all__ = [
    "Payroll",
    "SideFile",
    "as_written",
    "money_column",
    "money_fen",
    "read_adjustments",
    "read_income",
    "read_payrolls",
    "side_paths",
    "title_month",
    "title_year",
]
