"""From raw sheets to one roster table: header rows found, columns mapped, values normalised.

Data flows one way: file → RawWorkbook → per-sheet header detection and column mapping →
one pandas frame (one row per person, canonical columns, file/sheet/row kept) plus the
data problems D01–D08 as findings on their rows. Nothing is dropped: a row that is not a
person (a footer, a repeated header) is listed as skipped with its row number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import built_in
from cadretool.errors import InputError
from cadretool.numerals import chinese_number
from cadretool.parts import across_parts, first_part, in_parts
from cadretool.roster.columns import ColumnSpec, FieldSpec, says_none, yes_no
from cadretool.roster.dates import parse_date_column
from cadretool.roster.idnumber import check_ids, mask_id
from cadretool.roster.readers import RawSheet, RawWorkbook, Sheet, TableSheet, read_workbook
from cadretool.roster.text import (
    clean_text,
    clean_text_series,
    factorize_typed,
    header_key,
    map_unique,
    map_unique_pair,
    repeated,
)

HEADER_SCAN_ROWS = 40
NO_PEOPLE = "表头下没有人员 (no people under the header)"
FINDING_COLUMNS = ["person", "rule", "severity", "message", "fields", "basis"]
META_COLUMNS = ["_file", "_sheet", "_row", "_sheet_no"]


@dataclass
class ColumnInfo:
    index: int
    header: str
    field: str | None
    note: str = ""
    original: str = ""  # the header cell exactly as written (line breaks, full-width brackets)
    kind: str = ""  # the field's type (date, vocab, ...), for writing the sheet back
    label: str = ""  # the field's standard Chinese header
    parents: tuple[str, ...] = ()  # the group labels above the header cell (学历学位, 在职教育)

    @property
    def path(self) -> str:
        """The header with its group labels: 在职教育/学历."""
        return "/".join([*self.parents, self.header])


@dataclass
class SheetInfo:
    """What was read from one sheet; `raw` keeps every original cell for write-back."""

    file: str
    path: Path
    name: str
    header_row: int  # 1-based Excel row of the (first) header row
    header_rows: int
    columns: list[ColumnInfo]
    rows: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: Sheet | None = None

    @property
    def data_start(self) -> int:
        """0-based index into raw.rows of the first row below the header."""
        return self.header_row - 1 + self.header_rows

    def mapping(self) -> dict[str, str]:
        return {c.header: c.field for c in self.columns if c.field}

    def unmapped(self) -> list[str]:
        return [c.header for c in self.columns if not c.field and c.header]


@dataclass
class InputInfo:
    path: Path
    file: str
    format: str
    encoding: str | None
    sheets: list[SheetInfo]
    notes: list[str] = field(default_factory=list)
    # sheets with no roster header (instructions, lookups) or hidden: written back unchanged
    other_sheets: list[RawSheet] = field(default_factory=list)
    # every sheet in the workbook's own order: SheetInfo (a roster sheet) or RawSheet (another)
    layout: list[Any] = field(default_factory=list)


@dataclass
class Roster:
    frame: pd.DataFrame
    inputs: list[InputInfo]
    problems: pd.DataFrame
    errors: list[InputError]

    @property
    def sheets(self) -> list[SheetInfo]:
        return [s for inp in self.inputs for s in inp.sheets]

    def again(self) -> Roster:
        """The roster read once, for one more evaluation (a what-if): the table shared, the notes and
        errors a job adds to its sheets kept apart from the first evaluation's."""
        inputs = []
        for inp in self.inputs:
            sheets = {id(s): dataclasses.replace(s, notes=list(s.notes)) for s in inp.sheets}
            layout = [sheets.get(id(item), item) for item in inp.layout]
            inputs.append(dataclasses.replace(inp, sheets=list(sheets.values()), layout=layout))
        return Roster(self.frame, inputs, self.problems, list(self.errors))

    def for_each(self, n: int) -> list[Roster]:
        """The roster for `n` evaluations (a rule set and its what-if): copies first, the roster as
        read last (the what-if's, the one a run writes out, keeps the sheets the outputs are built on)."""
        return [*(self.again() for _ in range(n - 1)), self]

    @property
    def warnings(self) -> list[str]:
        """What a clerk must be told about the files read, each naming its file: a sheet with a
        header and nobody under it (never a silent 0)."""
        return [
            f"{inp.file}: 工作表“{sheet.name}”第{sheet.header_row}行有表头，但表头下没有人员"
            + (f"（{len(sheet.skipped_rows)}行不是人员行，未计入）" if sheet.skipped_rows else "")
            + " (header found but no people under it)"
            for inp in self.inputs
            for sheet in inp.sheets
            if sheet.rows == 0
        ]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS}).astype({"person": "int64"})


def make_findings(
    persons: Sequence[int] | np.ndarray | pd.Index,
    rule: str,
    severity: str,
    messages: Any,
    fields: Sequence[str],
    basis: str = "",
) -> pd.DataFrame:
    """Findings for many persons at once; `messages` is one string or one per person."""
    persons = np.asarray(persons, dtype="int64")
    n = len(persons)
    if n == 0:
        return empty_findings()
    msgs = list(messages) if not isinstance(messages, str) else [messages] * n
    return pd.DataFrame(
        {
            "person": persons,
            "rule": [rule] * n,
            "severity": [severity] * n,
            "message": msgs,
            "fields": [tuple(fields)] * n,
            "basis": [basis] * n,
        }
    )


def built_in_findings(
    persons: Sequence[int] | np.ndarray | pd.Index, rule: str, messages: Any, fields: Sequence[str]
) -> pd.DataFrame:
    """Findings of a built-in kind (D, E): severity and basis come from the catalogue."""
    kind = built_in(rule)
    return make_findings(persons, rule, kind.severity, messages, fields, kind.basis)


def concat_findings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_findings()
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------- header detection


MAX_HEADER_ROWS = 3  # the cadre-form layout: 学历学位 → 全日制教育 / 在职教育 → 学历 / 学位


def detect_header(
    sheet: Sheet, spec: ColumnSpec, required: Sequence[str]
) -> tuple[int, int, list[tuple[str, ...]]] | None:
    """Find the header: (0-based row, number of header rows (1 to 3), each column's header path).

    A column's path is its leaf cell with the cells above it that span it (a merged group label
    such as 在职教育 over 学历 and 学位). Each run of up to three rows is scored by how many
    distinct fields its columns name; a row joins the header only if it names more (so a title
    row above is never a parent), and the best run that names a required field wins.
    """
    rows = sheet.top(HEADER_SCAN_ROWS + MAX_HEADER_ROWS)
    texts = [[clean_text(v) or "" for v in row] for row in rows]
    spans = _horizontal_spans(sheet.merged, len(texts))

    def score(paths: list[tuple[str, ...]]) -> tuple[int, bool]:
        found = {spec.match_path(p)[0] for p in paths if p}
        found.discard(None)
        return len(found), any(r in found for r in required)

    scores: dict[tuple[int, int], tuple[int, bool, list[tuple[str, ...]]]] = {}
    for r in range(min(len(texts), HEADER_SCAN_ROWS)):
        for h in range(1, MAX_HEADER_ROWS + 1):
            if r + h <= len(texts):
                paths = _header_paths(texts, spans, r, h, bool(spans))
                scores[(r, h)] = (*score(paths), paths)
    best: tuple[int, int, int, list[tuple[str, ...]]] | None = None  # (score, row, height, paths)
    for (r, h), (count, ok, paths) in scores.items():
        if not ok or count < 2 or (best is not None and count <= best[0]):
            continue
        if h > 1 and count <= max(scores[(r, h - 1)][0], scores.get((r + 1, h - 1), (0,))[0]):
            continue  # the top or the bottom row adds nothing: not part of this header
        best = (count, r, h, paths)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _horizontal_spans(merged: list[tuple[int, int, int, int]], limit: int) -> dict[tuple[int, int], int]:
    """(row, column) → the column where the merged range covering it starts, for the cells of a
    range's first row (a group label merged across its columns)."""
    spans = {}
    for r0, c0, _r1, c1 in merged:
        if r0 < limit:
            for c in range(c0 + 1, c1 + 1):
                spans[(r0, c)] = c0
    return spans


def _header_paths(
    texts: list[list[str]], spans: dict[tuple[int, int], int], top: int, height: int, has_merges: bool
) -> list[tuple[str, ...]]:
    """Each column's header path over rows top..top+height-1. A label spans the columns of its
    merged range; in a sheet whose header has no merged ranges (CSV) it spans the blank cells to
    its right as far as the row below has labels under it."""
    width = max(len(texts[top + d]) for d in range(height))
    grid = [list(texts[top + d]) + [""] * (width - len(texts[top + d])) for d in range(height)]
    for d in range(height - 2, -1, -1):  # bottom-up: a parent spans what its children span
        row, below = grid[d], grid[d + 1]
        for i in range(1, width):
            if row[i] or not below[i]:
                continue
            origin = spans.get((top + d, i))
            if origin is not None:
                row[i] = grid[d][origin]
            elif not has_merges and row[i - 1] and below[i - 1]:
                row[i] = row[i - 1]
    return [tuple(grid[d][i] for d in range(height) if grid[d][i]) for i in range(width)]


# ---------------------------------------------------------------- building the table


def read_roster(
    paths: Sequence[Path | RawWorkbook | InputError],
    spec: ColumnSpec,
    sheets: list[str] | None = None,
    required: Sequence[str] = ("name", "id_number"),
    on_file: Callable[[Path], None] | None = None,
    one_row_per_person: bool = True,
    on_share: Callable[[float], None] | None = None,
) -> Roster:
    """Read roster files (or workbooks already in memory) into one table.

    Unreadable files become errors; the rest is read. A side file that lists a person on
    several rows (contribution periods, claims) says `one_row_per_person=False`: no D05.
    """
    frames: list[pd.DataFrame] = []
    inputs: list[InputInfo] = []
    errors: list[InputError] = []
    problems: list[pd.DataFrame] = []
    offset = 0
    sheet_no = 0
    for source in paths:
        if isinstance(source, InputError):  # read earlier and found unreadable
            errors.append(source)
            continue
        try:
            if isinstance(source, RawWorkbook):
                book = source
            else:
                if on_file:
                    on_file(source)
                book = read_workbook(source, sheets)
            info, sheet_frames = _read_book(book, spec, required, sheets or ())
        except InputError as exc:
            errors.append(exc)
            continue
        path = book.path
        if not any(s for s in info.sheets):
            wanted = "“" + "”或“".join(spec.label(f) for f in required) + "”"
            errors.append(
                InputError(
                    path, f"找不到表头：没有一个工作表含有{wanted}列 (no header row found)" + _first_row_hint(book)
                )
            )
            continue
        inputs.append(info)
        for frame in sheet_frames:
            frame.index = pd.RangeIndex(offset, offset + len(frame))
            frame["_sheet_no"] = sheet_no
            sheet_no += 1
            offset += len(frame)
            frames.append(frame)
    if frames:
        frame = pd.concat(frames, ignore_index=False) if len(frames) > 1 else frames[0]
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in META_COLUMNS})
    frame = _ensure_fields(frame, spec)
    frame, norm_problems = normalise(frame, spec, on_share)
    problems.append(norm_problems)
    if one_row_per_person:
        problems.append(duplicate_ids(frame))
    return Roster(frame, inputs, concat_findings(problems), errors)


def _read_book(
    book: RawWorkbook, spec: ColumnSpec, required: Sequence[str], named: Sequence[str] = ()
) -> tuple[InputInfo, list[pd.DataFrame]]:
    file = str(book.path)
    info = InputInfo(book.path, file, book.format, book.encoding, [])
    frames = []
    for raw in book.sheets:
        if not raw.n_rows():
            info.notes.append(f"工作表“{raw.name}”为空，已跳过 (empty sheet skipped)")
            info.layout.append(raw)
            continue
        if named and raw.name not in named:
            info.other_sheets.append(raw)
            info.layout.append(raw)
            continue
        if raw.hidden and raw.name not in named:
            # a hidden sheet is usually last term's list kept for reference
            info.notes.append(f"工作表“{raw.name}”是隐藏表，未审查；如需审查请用 --sheet 指定 (hidden sheet skipped)")
            info.other_sheets.append(raw)
            info.layout.append(raw)
            continue
        found = across_parts("header", detect_header(raw, spec, required), first_part)
        if found is None:
            info.notes.append(f"工作表“{raw.name}”中找不到表头，已跳过 (no header row found; sheet skipped)")
            info.other_sheets.append(raw)
            info.layout.append(raw)
            continue
        top, height, paths = found
        columns: list[ColumnInfo] = []
        used: dict[str, int] = {}
        implied: dict[str, tuple[str, int, str]] = {}  # field → (value, column it comes from, header)
        for i, path in enumerate(paths):
            header = path[-1] if path else ""
            name, matched = spec.match_path(path) if path else (None, "")
            note = ""
            if name and name in used:
                note = f"与第{used[name] + 1}列重复，按原样保留 (duplicate of an earlier column)"
                name = None
            if name:
                used[name] = i
            if name:
                for other, value in spec.implied_by(matched).items():
                    implied.setdefault(other, (value, i, "/".join(path)))
            kind = spec.fields[name].type if name else ""
            label = spec.fields[name].label if name else ""
            original = _original_header(raw, top, height, i)
            columns.append(ColumnInfo(i, header, name, note, original, kind, label, tuple(path[:-1])))
        sheet = SheetInfo(file, book.path, raw.name, top + 1, height, columns, raw=raw)
        frame = _sheet_frame(sheet, raw, spec, book.format)
        _fill_implied(frame, sheet, implied, spec)
        _place_from_names(frame, sheet, raw, book.path)
        sheet.rows = sum(across_parts("people", len(frame)))
        if not sheet.rows:
            sheet.notes.append(NO_PEOPLE)
        info.sheets.append(sheet)
        info.layout.append(sheet)
        frames.append(frame)
    return info, frames


def _fill_implied(
    frame: pd.DataFrame, sheet: SheetInfo, implied: dict[str, tuple[str, int, str]], spec: ColumnSpec
) -> None:
    """Values a header gives (学历 under 全日制教育: mode 全日制) for the rows with a value in that
    column and none of their own; the sheet's own cells stay as they were."""
    for name, (value, col, path) in implied.items():
        source = next((c.field for c in sheet.columns if c.index == col), None)
        if source is None or source not in frame.columns:
            continue
        fill = np.zeros(len(frame), dtype=bool)
        if not frame.empty:
            has_source = ~_blank_mask(frame[source])
            if name not in frame.columns:
                frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
            fill = has_source & _blank_mask(frame[name])
        if fill.any():
            _as_objects(frame, name)
            frame.loc[fill, name] = value
        filled = sum(across_parts("filled from the header", int(fill.sum())))
        if filled:
            sheet.notes.append(f"{spec.label(name)}取自表头“{path}”：{value}（{filled}人）")


def _first_row_hint(book: RawWorkbook) -> str:
    """What the file's first filled row says, so a clerk sees which kind of sheet it is
    (an income table handed to `vet` instead of a roster)."""
    for raw in book.sheets:
        for row in raw.top(HEADER_SCAN_ROWS):
            cells = [t for t in (clean_text(v) for v in row) if t]
            if len(cells) >= 2:
                return f"；工作表“{raw.name}”的列为：{'、'.join(cells[:8])}" + ("…" if len(cells) > 8 else "")
    return ""


def _original_header(raw: Sheet, top: int, height: int, col: int) -> str:
    rows = raw.top(top + height)
    for r in range(top + height - 1, top - 1, -1):
        row = rows[r] if r < len(rows) else []
        if col < len(row) and not _blank(row[col]):
            return str(row[col])
    return ""


_TOWNSHIP = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:街道|镇|乡(?!镇)))(?!级)")
_VILLAGE = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:社区|村))(?![(（]社区|级)")
# a place word that names no place: 某某县村级后备人才库 and 乡镇级 (levels), 全县村干部, 各乡镇, 农村, 城乡
_NOT_A_PLACE = re.compile(r"(?:(?:县|市|州|旗|全|各|农)(?:社区|村|街道|镇|乡)|城乡|乡镇)$")


def _place_from_names(frame: pd.DataFrame, sheet: SheetInfo, raw: Sheet, path: Path) -> None:
    """Township and village from the sheet name, the title rows or the file name, for a roster
    that names them there instead of in a column (one sheet or one workbook per village)."""
    mapped = {c.field for c in sheet.columns if c.field and c.field in frame.columns}
    titles = " ".join(str(clean_text(v) or "") for row in raw.top(sheet.header_row - 1) for v in row)
    for field_name, pattern, label in (("township", _TOWNSHIP, "乡镇(街道)"), ("village", _VILLAGE, "村(社区)")):
        blank = _blank_mask(frame[field_name]) if field_name in frame.columns else np.ones(len(frame), dtype=bool)
        if field_name in mapped and not sum(across_parts("places left blank", int(blank.sum()))):
            continue
        found = None
        for source, text in (("工作表名", sheet.name), ("文件名", path.stem), ("标题", titles)):
            whole = pattern.fullmatch(text or "")
            matches = [whole] if whole else (list(pattern.finditer(text or "")) if source != "工作表名" else [])
            for m in matches:
                value = m.group(1)
                if field_name == "village":
                    # 道坪镇红岩村 is 红岩村; 道坪镇村“两委” names no village at all
                    town = _TOWNSHIP.match(value)
                    value = value[town.end() :] if town and town.end() < len(value) else value
                if (
                    value not in ("村", "社区")
                    and not value.endswith(("村村", "社区社区"))
                    and not _NOT_A_PLACE.search(value)
                ):
                    found = (value, source)
                    break
            if found is not None:
                break
        if found is None:
            continue
        value, source = found
        if field_name not in frame.columns:
            frame[field_name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        if blank.any():
            _as_objects(frame, field_name)
            frame.loc[blank, field_name] = value
        filled = sum(across_parts("places filled", int(blank.sum())))
        if filled:
            sheet.notes.append(f"{label}取自{source}：{value}（{filled}人）")


def _as_objects(frame: pd.DataFrame, name: str) -> None:
    """A coded column (a big CSV's) as plain values, before a value not among its texts goes in."""
    if isinstance(frame[name].dtype, pd.CategoricalDtype):
        frame[name] = frame[name].astype(object)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


_DOT_DATE = re.compile(r"^\s*(\d{4})\.(\d{1,2})\s*$")


def _year_month_numbers(values: np.ndarray) -> np.ndarray:
    """A CSV saved by Excel writes the number 1985.10 as "1985.1": all its cells are text, so
    a year.month column is recognised from the column as a whole (March written 1985.03, and
    no one-digit month but .1) and given back its numbers, where 1985.1 is October."""
    codes, uniques = factorize_typed(values)
    months = [m.group(2) for v in uniques if isinstance(v, str) and (m := _DOT_DATE.match(v))]
    said = across_parts(  # the whole column decides
        "year.month texts", (any(len(m) == 2 and m.startswith("0") for m in months), {m for m in months if len(m) == 1})
    )
    padded = any(p for p, _ in said)
    single = set().union(*(s for _, s in said))
    if not padded or not single <= {"1"}:
        return values
    read = np.empty(len(uniques) + 1, dtype=object)
    read[:-1] = [float(v) if isinstance(v, str) and _DOT_DATE.match(v) else v for v in uniques]
    if not (codes < 0).any():  # no blank cell (a CSV has none): every cell is its read value
        return read[codes]
    return np.where(codes >= 0, read[codes], values)


def _blank_mask(values: np.ndarray) -> np.ndarray:
    """Which cells are blank, computed once per distinct value."""
    return map_unique(values, _blank).astype(bool)


# a text that is empty or only spaces, in RE2: exactly the characters str.strip() takes away
_BLANK_RE2 = r"^[\t-\r\x{1c}-\x{20}\x{85}\p{Z}]*$"


def _blank_texts(texts: Any) -> np.ndarray:
    """_blank over a pyarrow text column (a big CSV's names and ID numbers), without a Python call a cell."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(texts, _BLANK_RE2).fill_null(True).to_numpy(zero_copy_only=False)


_IDENTITY = ("name", "id_number")


def _fill_merged_down(
    columns: dict[str, np.ndarray],
    mapped: list[ColumnInfo],
    merged: list[tuple[int, int, int, int]],
    start: int,
    n: int,
) -> None:
    """A value merged down over several data rows (乡镇 or 村 written once for a block of
    people) belongs to every row of the block; the sheet's own cells stay as they were. A name
    or ID number merged down is one person written on several lines, not several people: the
    lines below are left without it (listed as rows that are not people, never vetted twice)."""
    by_index = {c.index: c.field for c in mapped if c.field not in _IDENTITY}
    for r0, c0, r1, c1 in merged:
        if r1 <= r0 or r1 < start:
            continue
        top = r0 - start
        for col in range(c0, c1 + 1):
            name = by_index.get(col)
            if name is None or top < 0:
                continue
            values = columns[name]
            for k in range(top + 1, min(r1 - start + 1, n)):
                if _blank(values[k]):
                    values[k] = values[top]


def _sheet_frame(sheet: SheetInfo, raw: Sheet, spec: ColumnSpec, fmt: str = "xlsx") -> pd.DataFrame:
    """The person rows of one sheet, by column: each column's values are pulled out of the grid
    once, and every check below runs over whole columns (once per distinct value)."""
    start = sheet.data_start
    n = max(raw.n_rows() - start, 0)
    width = raw.width(start)
    mapped = [c for c in sheet.columns if c.field and c.index < width]
    columns: dict[str, Any] = {
        # a big CSV's columns come coded (Categorical) where their texts repeat; ID numbers do not
        c.field: raw.column(c.index, start, coded=True)
        if isinstance(raw, TableSheet) and spec.fields[c.field].type != "id_number"
        else raw.column(c.index, start)
        for c in mapped
    }
    _fill_merged_down(columns, mapped, raw.merged, start, n)
    if fmt == "csv":
        for c in mapped:
            if spec.fields[c.field].type == "date":
                columns[c.field] = _year_month_numbers(columns[c.field])
    unreadable = _uncomputed_cells(columns, mapped, raw, start, n)
    arrow_cells, name_col = None, None
    if isinstance(raw, TableSheet) and not raw.merged and not raw.uncomputed:
        every_row = np.arange(start, start + n)
        arrow_cells = lambda col: raw.arrow_column(col, every_row)  # noqa: E731
        name_col = next((c.index for c in mapped if c.field == "name"), None)
    has_value = np.zeros(n, dtype=bool)
    # a person has a name or an ID number; a row with only a township (merged down) is not one
    as_read = {c.field: c.index for c in mapped if spec.fields[c.field].type != "date"}  # dates: see above
    for name in [f for f in ("name", "id_number") if f in columns] or list(columns):
        if arrow_cells is not None and name in as_read:
            has_value |= ~_blank_texts(arrow_cells(as_read[name]))
        else:
            has_value |= ~_blank_mask(columns[name])
    for offset, cells in unreadable.items():
        # a name or ID number that is an uncomputed formula, on a row with other values, is a person
        if not has_value[offset] and any(f in ("name", "id_number") for f, _, _ in cells):
            has_value[offset] = any(not _blank(columns[c.field][offset]) for c in mapped)
    lead_col = min((c.index for c in sheet.columns if c.header), default=0)  # the table's first column
    lead: dict[int, np.ndarray] = {}

    def cells(col: int) -> np.ndarray:
        if col not in lead:
            lead[col] = raw.column(col, start) if col < width else np.full(n, "", dtype=object)
        return lead[col]

    first_row = start + 1 + raw.row_offset  # the file's row number of the first row below the header
    for offset, why in _not_people(cells, columns, has_value, lead_col, arrow_cells, name_col):
        has_value[offset] = False
        sheet.skipped_rows.append((int(first_row + offset), why))
    # a header row repeated inside the data (sheets pasted together) is not a person
    probe = [c for c in mapped if c.header][:2]
    if probe:
        suspect = np.ones(n, dtype=bool)
        for c in probe:
            first, header = c.header[0], c.header
            suspect &= map_unique(
                columns[c.field], lambda v, f=first, h=header: isinstance(v, str) and f in v[:3] and clean_text(v) == h
            ).astype(bool)
        for offset in np.flatnonzero(suspect & has_value):
            row = raw.row(start + offset)
            same = sum(1 for c in mapped if clean_text(row[c.index] if c.index < len(row) else "") == c.header)
            if same >= max(2, len(mapped) // 2):
                has_value[offset] = False
                sheet.skipped_rows.append((int(first_row + offset), "重复的表头行，未计入 (repeated header row)"))
    listed = {r for r, _ in sheet.skipped_rows}
    others = ~has_value
    others[[r - first_row for r in listed]] = False
    # a footer with no name is not a person either way; say what it is
    for offset, why in _not_people(cells, columns, others, lead_col):
        others[offset] = False
        sheet.skipped_rows.append((int(first_row + offset), why))
    for offset in np.flatnonzero(others):
        text = " ".join(str(t) for t in (clean_text(v) for v in raw.row(start + offset)) if t)
        if text:
            sheet.skipped_rows.append((int(first_row + offset), f"不是人员行，未计入：{text[:60]}"))
    sheet.skipped_rows.sort()
    keep = np.flatnonzero(has_value)
    data: dict[str, Any] = {
        "_file": repeated(sheet.file, len(keep)),
        "_sheet": repeated(sheet.name, len(keep)),
        "_row": keep.astype("int64") + first_row,
        "_has_current_post": np.full(len(keep), "current_post" in columns, dtype=bool),
    }
    if unreadable:
        found_cells = np.full(n, None, dtype=object)
        for offset, found in unreadable.items():
            found_cells[offset] = tuple(found)
        data["_unreadable"] = found_cells[keep]
    everyone = len(keep) == n
    for name in list(columns):
        values = columns.pop(name)  # the whole column goes as its kept rows come
        data[name] = values if everyone else values[keep]
    if isinstance(raw, TableSheet):
        raw.compact()  # the rows are read: the columns read coded are kept coded for the output
    # object columns as they are: normalisation decides each field's type
    # one block per column, not one stacked copy: normalising replaces the columns one by one
    return pd.DataFrame(
        {k: pd.Series(v, dtype=object, copy=False) if v.dtype == object else v for k, v in data.items()}, copy=False
    )


def _uncomputed_cells(
    columns: dict[str, np.ndarray], mapped: list[ColumnInfo], raw: Sheet, start: int, n: int
) -> dict[int, list[tuple[str, str, str]]]:
    """Formula cells of the mapped columns with no computed value in the file: made blank in
    `columns` (never a placeholder 0 read as a value); per data row, (field, cell, formula)."""
    if not raw.uncomputed:
        return {}
    by_index = {c.index: c.field for c in mapped}
    found: dict[int, list[tuple[str, str, str]]] = {}
    for row, col in sorted(raw.uncomputed):
        name = by_index.get(col)
        if name is None or not start <= row < start + n:
            continue
        columns[name][row - start] = ""
        ref = f"{_column_letter(col)}{row + 1}"
        found.setdefault(row - start, []).append((name, ref, raw.formulas.get((row, col), "")))
    return found


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_TOTAL = re.compile(r"^(?:合计|小计|总计|共计|总数|人数|汇总)|^共?\s*\d+\s*(?:人|名)$")
_SIGNERS = r"(?:制表|填表|审核|审批|审定|填报|报送|上报|负责|联系|经办|复核|核对|校对|统计|分管领导|主要领导)"
_FOOTER = re.compile(
    _SIGNERS + r"(?:人|单位|时间|日期|电话|领导)?\s*[:：]"  # 审核：陈刚, 制表人：张三, 联系电话：…
    r"|" + _SIGNERS[:-1] + r")人|制表时间|填报时间|填表时间|盖章|签字|签名|联系电话|(?:电话|手机)\s*[:：]"
    r"|以下空白|以下无(?:正文|内容)|以下为空|(?:此|本)页(?:完|无正文)"
    r"|(?:^|\s)[\u4e00-\u9fff]{0,6}(?:时间|日期)\s*[:：]"  # 报送时间：2026.11.20
)
# the date under a sign-off (2026年11月20日, 2026.11.20) on a line of its own
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?")
# a cell that opens with a signer's word (审核 陈刚) or a note (注：1.本表一式三份) is not a person
_OPENS_FOOTER = re.compile("^" + _SIGNERS + r"|^(?:注|说明|备注)\s*(?:[:：]|\d)")
_EXAMPLE = {"示例", "例", "样例", "填写示例", "举例", "例子", "范例"}
_EXAMPLE_NAME = re.compile(r"^(?:填写)?(?:示例|样例|范例|举例|例)(?:[:：\d]|$)|[(（](?:示例|样例|范例|例)[)）]$")
_NUMBERS = re.compile(r"[\d.()（）\u2460-\u2473 ]+")
# a post left without a candidate, written where the name goes: （空缺）, 暂缺, 待定
_VACANCY_WORDS = "空缺|暂缺|缺额|缺员|空岗|待定|暂无人选|无人选"
_VACANCY = re.compile(
    r"[(（【\[]?\s*(?:" + _VACANCY_WORDS + r")(?:岗位|职位)?\s*[)）】\]]?\s*(?:[(（][^)）]*[)）]|待补|待选|待定)?"
)
# any word the checks below look for (a broad net: they decide)
_ANY_HINT = re.compile(
    _SIGNERS
    + r"|合计|小计|总计|共计|总数|人数|汇总|\d\s*[人名](?!\S)"
    + r"|盖章|签字|签名|电话|手机|以下|页完|无正文|注|说明|备注|例"
)
_ID_LIKE_TEXT = re.compile(r"\d{14}[\dXx]|\d{17}[\dXx]")


def _not_people(
    cells: Callable[[int], np.ndarray],
    columns: dict[str, np.ndarray],
    candidates: np.ndarray,
    first: int = 0,
    arrow_cells: Callable[[int], Any] | None = None,
    name_col: int | None = None,
) -> list[tuple[int, str]]:
    """Rows among `candidates` that are not people, with why: totals, sign-off lines and page
    notes (in the name column or the first columns of the table), the example row of a
    template, and the row of column numbers (1 2 3 …) under a header. `cells(col)` is a column
    of the rows below the header; `arrow_cells(col)` the same as pyarrow text where the sheet
    was read by column (`name_col` is the name's column there)."""
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return []
    names = columns.get("name")
    fast = arrow_cells or cells
    probes = [arrow_cells(name_col) if arrow_cells and name_col is not None else names]
    likely = _maybe_not_people([*probes, *(fast(col) for col in range(first, first + 3))], rows)
    if likely is not None:
        rows = rows[likely]  # a big sheet: the checks below run on the few rows that might not be people
        if not len(rows):
            return []
    # each text once per distinct value: the name cleaned, the first columns as written
    texts = [
        map_unique(names[rows], lambda v: clean_text(v) or "")
        if names is not None
        else np.full(len(rows), "", dtype=object),
        *(
            map_unique(cells(col)[rows], lambda v: v.strip() if isinstance(v, str) else "")
            for col in range(first, first + 3)
        ),
    ]
    # one pass finds the few rows worth a closer look (most rows are people): a hint in any of the
    # four texts, or a count (5 | 人) read across them as they read joined by spaces
    flags = [_text_flags(t, i == 0) for i, t in enumerate(texts)]
    suspect = np.zeros(len(rows), dtype=bool)
    for i, (hint, ends_digit, _, _) in enumerate(flags):
        suspect |= hint
        between = np.ones(len(rows), dtype=bool)
        for j in range(i + 1, len(flags)):
            suspect |= ends_digit & between & flags[j][2]
            between &= flags[j][3]
    if not suspect.any():
        return []
    rows = rows[suspect]
    name, lead, lead2, lead3 = (pd.Series(t[suspect], dtype=object) for t in texts)
    near = name + " " + lead + " " + lead2 + " " + lead3
    ids = columns.get("id_number")
    ident = pd.Series(
        [(ids[i] if isinstance(ids[i], str) else "") for i in rows] if ids is not None else [""] * len(rows),
        index=name.index,
        dtype=object,
    )
    ident = ident.str.replace(" ", "", regex=False)
    has_id = ident.str.contains(_ID_LIKE_TEXT)
    opens = name.str.contains(_OPENS_FOOTER) | lead.str.contains(_OPENS_FOOTER)
    reasons = [
        (name.str.contains(_TOTAL) | (lead.str.match(_TOTAL) & ~has_id), "合计行"),
        (~has_id & (near.str.contains(_FOOTER) | opens | name.str.fullmatch(_DATE_LINE)), "落款或说明行"),
        (lead.isin(_EXAMPLE) | name.str.contains(_EXAMPLE_NAME) | lead.str.contains(_EXAMPLE_NAME), "填写示例行"),
        # names are never numbers: the 1 2 3 … row under a header
        (~has_id & name.str.fullmatch(_NUMBERS), "列序号行"),
        (~has_id & name.str.fullmatch(_VACANCY), "空缺（没有人选）行"),
    ]
    out = []
    decided = np.zeros(len(rows), dtype=bool)
    for mask, why in reasons:
        hit = mask.to_numpy(dtype=bool) & ~decided
        decided |= hit
        for i in np.flatnonzero(hit):
            shown = " ".join(dict.fromkeys(t for t in (clean_text(v) for v in near.iloc[i].split()) if t))
            out.append((int(rows[i]), f"{why}，未计入：{shown[:40]}"))
    return out


_COUNT_TAIL = re.compile(r"\d\s*$")
_COUNT_HEAD = re.compile(r"^\s*[人名](?!\S)")


def _text_flags(texts: np.ndarray, is_name: bool) -> tuple[np.ndarray, ...]:
    """For one text column: a hint of a non-person row, ends with a digit, opens with 人/名 as a
    word, is empty (each worked out once per distinct text)."""

    def flags(t: Any) -> tuple[bool, bool, bool, bool]:
        t = t if isinstance(t, str) else ""
        hint = bool(_ANY_HINT.search(t)) or (
            is_name and bool(_NUMBERS.fullmatch(t) or _DATE_LINE.fullmatch(t) or _VACANCY.fullmatch(t))
        )
        return hint, bool(_COUNT_TAIL.search(t)), bool(_COUNT_HEAD.search(t)), t == ""

    codes, uniques = factorize_typed(texts)
    table = np.array([flags(u) for u in [*uniques, ""]], dtype=bool).reshape(-1, 4)[codes]
    return tuple(table[:, k] for k in range(4))


# A superset of _ANY_HINT (and of a name that is a number or a date) in RE2, run over a whole
# big sheet by pyarrow with every kind of space taken out; the exact checks see only its matches.
_SPACES_RE2 = r"[\s\p{Z}\x{85}\x{1c}-\x{1f}\x{200b}-\x{200d}\x{2060}\x{feff}]+"
_HINT_RE2 = (
    _SIGNERS
    + r"|合计|小计|总计|共计|总数|人数|汇总|\p{Nd}[人名]|盖章|签字|签名|电话|手机|以下|页完|无正文|注|说明|备注|例"
    + "|"
    + _VACANCY_WORDS
)
BIG_SHEET_ROWS = 20_000


def _maybe_not_people(columns: list[np.ndarray | None], rows: np.ndarray) -> np.ndarray | None:
    """Of a big sheet's `rows`, those that might not be people (a superset, found by pyarrow over
    the name and first columns); None where it cannot tell (a small sheet, cells that are not text)."""
    if len(rows) < BIG_SHEET_ROWS:
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    texts = []
    for values in columns:
        if values is None:
            texts.append(pa.array([""] * len(rows), pa.string()))
            continue
        if isinstance(values, pa.Array | pa.ChunkedArray):  # read by column: already text
            text = values if len(rows) == len(values) else values.take(pa.array(rows))
        else:
            try:
                text = pa.array(values[rows], type=pa.string(), from_pandas=True).fill_null("")
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                return None  # numbers or dates among the cells (a workbook): the exact checks will do
        texts.append(text)
    hint = _matches(pc.binary_join_element_wise(*texts, ""), _HINT_RE2, without=_SPACES_RE2)  # 合 计 is 合计
    # a name with no Chinese character but 年 月 日 may be a number (1 2 3 …) or a date
    return hint | ~_matches(texts[0], r"\p{Han}", without="[年月日]")


def _matches(texts: Any, pattern: str, without: str) -> np.ndarray:
    """Which pyarrow texts match an RE2 pattern once the characters `without` matches are taken
    out: tried as they are, and again only on the texts that hold any of those characters."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def found(values: Any, regex: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(values, regex).to_numpy(zero_copy_only=False), dtype=bool)

    hit = found(texts, pattern)
    at = np.flatnonzero(found(texts, without))
    if len(at):
        hit[at] = found(pc.replace_substring_regex(texts.take(pa.array(at)), without, ""), pattern)
    return hit


_BLANKS: dict[tuple[int, str], np.ndarray] = {}


def nones(n: int) -> np.ndarray:
    """A read-only column of n Nones: one array for every column a roster lacks (a national roster
    lacks a score of them; pandas copies a column before anything is written into it)."""
    return blanks(n, np.dtype(object))


def blanks(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only column of n blanks of a type (None, NaN, NaT), one for all the columns of that
    type a roster lacks."""
    key = (n, dtype.str)
    if key not in _BLANKS:
        if any(k[0] != n for k in _BLANKS):
            _BLANKS.clear()  # another roster's length
        column = np.empty(n, dtype=dtype)  # None throughout for text
        if dtype.kind == "f":
            column.fill(np.nan)
        elif dtype.kind == "M":
            column.fill(np.datetime64("NaT"))
        column.flags.writeable = False
        _BLANKS[key] = column
    return _BLANKS[key]


def _ensure_fields(frame: pd.DataFrame, spec: ColumnSpec) -> pd.DataFrame:
    missing = {
        name: pd.Series(nones(len(frame)), index=frame.index, dtype=object, copy=False)  # nothing to infer
        for name in spec.fields
        if name not in frame.columns
    }
    if missing:
        frame = pd.concat([frame, pd.DataFrame(missing, index=frame.index, copy=False)], axis=1)
    for col in META_COLUMNS:
        if col not in frame.columns:
            frame[col] = pd.Series(dtype="object")
    return frame


# ---------------------------------------------------------------- normalisation

# 8个月, 6个月以上, 8个多月, 3次: the unit (and an "at least" after it) is not part of the number
_NUMBER_SUFFIX = re.compile(r"\s*(?:余|多)?\s*(?:年|个多?月|月|个|次|届|元|周岁|岁|个?学时|课时|小时)?\s*(?:以上|多)?$")
_YEARS_MONTHS = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:余|多)?\s*年\s*(?:(\d+)\s*个?月)?\s*(?:以上|多)?$")
# what clerks write in a date or number cell that has no value: read as blank, not as a problem
PLACEHOLDERS = {"/", "／", "\\", "-", "—", "——", "--", "－", "无", "暂无", "空", "不详", "未知", "/ /", "——/——"}


# a count written as none: 无, 没有, 无（新进）, 未外出, 从未担任 (but 未知, 未填 say nothing)
_NONE_COUNT = re.compile(
    r"(?:无|没有|暂无|尚无|从无|并无|零|〇)(?:\s*[（(][^)）]*[)）])?|(?:未|从未|尚未|暂未|没有)(?!知|填|详|明|定|核)\S*"
)


def _zero_if_none(value: Any) -> Any:
    """0 for a count cell that says none happened; the cell as it was otherwise."""
    text = clean_text(value) if isinstance(value, str) else None
    return "0" if text is not None and _NONE_COUNT.fullmatch(text) else value


def _placeholders_blank(
    raw: pd.Series, none: frozenset[str] = frozenset(), openings: tuple[str, ...] = ()
) -> pd.Series:
    words = PLACEHOLDERS | none
    keys = frozenset(header_key(w) for w in none)

    def blank(v: Any) -> bool:  # a placeholder, or (with openings) 未外出, 未入党, 无（新进）
        return isinstance(v, str) and (v.strip() in words or bool(openings and says_none(v, keys, openings)))

    return raw.where(~map_unique(raw, blank).astype(bool), None)


def normalise(
    frame: pd.DataFrame, spec: ColumnSpec, on_share: Callable[[float], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise every canonical column in place of its raw values; return the frame and the problems.

    The raw cell values stay in the sheet grids (for write-back); the frame holds the
    normalised values rules read: text (None for blank), datetime64, float, boolean. Each raw
    column is replaced as soon as it is read, so a national roster never holds both at once.
    """
    problems: list[pd.DataFrame] = []
    index = frame.index
    post_vocab = spec.fields["proposed_post"].vocabulary if "proposed_post" in spec.fields else None
    party: np.ndarray | None = None
    if "proposed_post" in frame.columns and post_vocab is not None and post_vocab.posts is not None:
        # a party post held with another (副书记兼主任), or 委员 written as 支委
        party = map_unique(frame["proposed_post"], lambda v: post_vocab.read_post(clean_text(v))[2]).astype(bool)
    for done, (name, fs) in enumerate(spec.fields.items()):
        if on_share:
            on_share(done / len(spec.fields))  # how far through the columns, for a progress display
        raw = frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=index, dtype="object")
        if fs.type == "id_number":
            continue  # handled below with gender and birth date
        values, bad = _normalise_distinct(raw, fs, spec.none_words, spec.none_openings)
        if bad is not None and bad.any():
            rows = index[bad.to_numpy()]
            shown = clean_text_series(raw[bad])
            msgs = [f"“{fs.label}”的值“{v}”无法识别" + _hint(fs) for v in shown]
            problems.append(built_in_findings(rows, "D07", msgs, [name]))
        del raw
        frame[name] = values
    if party is not None:
        frame["proposed_post_party"] = party
    if "name" in frame.columns:  # a row with an ID number and no name is a person (a name left out)
        names = frame["name"]  # cleaned text: blank, or a word that says none (/, 无, ——)
        nameless = (names.isna() | names.isin(PLACEHOLDERS | spec.none_words)).to_numpy()
        # a sheet with no name at all has no name column to speak of: no finding on everyone
        if any(across_parts("anyone named", not nameless.all())) and nameless.any():
            problems.append(
                built_in_findings(index[nameless], "D06", "缺少姓名，无法与联审记录和公示名单核对", ["name"])
            )
    if "_unreadable" in frame.columns:
        problems.append(_unreadable_findings(frame["_unreadable"], spec))
    if "id_number" in spec.fields:
        frame, id_problems = _normalise_ids(frame, frame, spec)
        problems.append(id_problems)
    return frame, concat_findings(problems)


def _unreadable_findings(cells: pd.Series, spec: ColumnSpec) -> pd.DataFrame:
    """D06 on each row where a column the rules read holds a formula the file has no result for."""
    rows = cells[cells.notna()]
    if rows.empty:
        return empty_findings()
    msgs = [
        "；".join(
            f"“{spec.label(f)}”（{ref}）是公式{formula and ' ' + formula}，文件中没有它的计算结果"
            for f, ref, formula in found
        )
        + "，值无法读取：请在 Excel 中打开并保存后重新审查"
        for found in rows
    ]
    findings = built_in_findings(rows.index, "D06", msgs, [])
    findings["fields"] = [tuple(dict.fromkeys(f for f, _, _ in found)) for found in rows]
    return findings


def _hint(fs: FieldSpec) -> str:
    if fs.vocabulary is not None:
        values = fs.vocabulary.values
        return "，应为：" + "、".join(values[:12]) + ("…" if len(values) > 12 else "")
    return {
        "date": "，应为日期（如1985.03或1985-03-12）",
        "number": "，应为不小于 0 的数字",
        "integer": "，应为不小于 0 的整数",
        "yes_no": "，应为“是”或“否”",
    }.get(fs.type, "")


def _normalise_distinct(
    raw: pd.Series, fs: FieldSpec, none: frozenset[str] = frozenset(), openings: tuple[str, ...] = ()
) -> tuple[pd.Series, pd.Series | None]:
    """_normalise_column worked out once per distinct value and spread back over the rows (every
    reading is per value; a date column's year.month vote counts distinct values already)."""
    codes, uniques = factorize_typed(raw)
    if len(uniques) * 2 > len(raw):
        return _normalise_column(raw, fs, none, openings)  # hardly a value repeats
    distinct = pd.Series([*uniques, None], dtype=object)  # the last one stands for the blank cells
    values, bad = _normalise_column(distinct, fs, none, openings)
    if not uniques and _no_value(values):  # a column the roster lacks (or left empty)
        spread = pd.Series(blanks(len(raw), values.dtype), index=raw.index, copy=False)
    else:
        spread = pd.Series(values.array.take(codes), index=raw.index, dtype=values.dtype, copy=False)  # -1: blank
    return spread, None if bad is None else pd.Series(bad.to_numpy()[codes], index=raw.index, dtype=bool, copy=False)


def _no_value(values: pd.Series) -> bool:
    """Whether a normalised column's blank (its last value) is None, NaN or NaT in a numpy column."""
    if not isinstance(values.dtype, np.dtype) or values.dtype.kind not in "OfM":
        return False
    blank = values.iloc[-1]
    return blank is None if values.dtype == object else bool(pd.isna(blank))


def _normalise_column(
    raw: pd.Series, fs: FieldSpec, none: frozenset[str] = frozenset(), openings: tuple[str, ...] = ()
) -> tuple[pd.Series, pd.Series | None]:
    """Normalise one column, computing once per distinct value; (values, unreadable mask).
    `none` words (无, 暂无, 未受处分, /) mean no value."""
    if fs.type in ("number", "integer") and fs.none_is_zero:
        raw = pd.Series(map_unique(raw, _zero_if_none), index=raw.index, dtype=object, copy=False)
    if fs.type in ("date", "number", "integer"):
        raw = _placeholders_blank(raw, none, openings)
    if fs.type == "date":
        dates, bad = parse_date_column(raw)
        return dates, bad
    if fs.type == "text":
        return clean_text_series(raw), None
    if fs.type == "vocab":
        assert fs.vocabulary is not None
        vocab = fs.vocabulary
        pairs = map_unique_pair(raw, lambda v: vocab.normalise(clean_text(v)))
    elif fs.type == "yes_no":
        none_keys = {header_key(w) for w in none}
        pairs = map_unique_pair(raw, lambda v: yes_no(clean_text(v), none_keys, openings))
    else:
        pairs = map_unique_pair(raw, lambda v: _number(clean_text(v), fs.type == "integer"))
    values, ok = pairs
    bad = pd.Series(~ok, index=raw.index, dtype=bool, copy=False)
    if fs.type == "vocab":
        return pd.Series(values, index=raw.index, dtype=object, copy=False), bad
    if fs.type == "yes_no":
        return pd.Series(pd.array(values, dtype="boolean"), index=raw.index, copy=False), bad
    return pd.Series(np.where(values == None, np.nan, values).astype("float64"), index=raw.index, copy=False), bad  # noqa: E711


def _number(text: str | None, integer: bool) -> tuple[float | None, bool]:
    if text is None:
        return None, True
    try:
        number = float(_NUMBER_SUFFIX.sub("", text))
    except ValueError:
        span = _YEARS_MONTHS.match(text)  # 3年6个月, 10余年
        if span is not None:
            number = float(span.group(1)) + (int(span.group(2)) / 12 if span.group(2) else 0)
        else:
            counted = chinese_number(_NUMBER_SUFFIX.sub("", text))  # 两届, 一次, 十二年
            if counted is None or counted >= 100:  # a count in words is a small one (under 100)
                return None, False
            number = float(counted)
    if np.isnan(number) or np.isinf(number) or number < 0 or (integer and not number.is_integer()):
        return None, False  # a roster's numbers count (terms, years, months, a level): none is below 0
    return number, True


def _normalise_ids(
    result: pd.DataFrame, raw_frame: pd.DataFrame, spec: ColumnSpec
) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems: list[pd.DataFrame] = []
    index = result.index
    raw_ids = raw_frame["id_number"] if "id_number" in raw_frame.columns else pd.Series([None] * len(result))
    checked = check_ids(raw_ids.reset_index(drop=True))
    checked.index = index
    result["id_number"] = checked["id_number"].astype("object").where(checked["id_number"].notna(), None)
    result["id_status"] = checked["id_status"].to_numpy()
    # the number as written, for showing and finding a person whose number is not valid
    result["id_text"] = checked["id_text"].to_numpy()
    for status, rule in (("invalid", "D01"), ("mangled", "D02"), ("converted", "D08")):
        mask = (checked["id_status"] == status).to_numpy()
        if mask.any():
            raw_masked = [mask_id(clean_text(v)) for v in raw_ids[mask]]
            if rule == "D08":
                msgs = [
                    f"15位身份证号码 {m} 已按GB 11643转换为18位 {mask_id(n)}"
                    for m, n in zip(raw_masked, checked.loc[mask, "id_number"], strict=True)
                ]
            else:
                msgs = [
                    f"身份证号码 {m or ''} {reason}" + ("，请向本人核对后重新录入为文本" if rule == "D02" else "")
                    for m, reason in zip(raw_masked, checked.loc[mask, "id_reason"], strict=True)
                ]
            problems.append(built_in_findings(index[mask], rule, msgs, ["id_number"]))
    missing_id = (checked["id_status"] == "missing").to_numpy()
    if missing_id.any():
        problems.append(
            built_in_findings(index[missing_id], "D06", "缺少身份证号码，无法核对身份和联审记录", ["id_number"])
        )
    id_birth = pd.to_datetime(checked["id_birth_date"])
    id_sex = checked["id_sex"]
    # gender and birth date: the ID number decides where they disagree; both are reported
    if "gender" in result.columns:
        given = result["gender"]
        clash = (given.notna() & id_sex.notna() & (given != id_sex)).to_numpy()
        if clash.any():
            msgs = [f"性别填写为“{g}”，身份证号码显示为“{s}”" for g, s in zip(given[clash], id_sex[clash], strict=True)]
            problems.append(built_in_findings(index[clash], "D03", msgs, ["gender", "id_number"]))
        result["gender"] = given.where(given.notna(), id_sex.where(id_sex.notna(), None))
    if "birth_date" in result.columns:
        given_b = pd.to_datetime(result["birth_date"])
        both = given_b.notna() & id_birth.notna()
        clash_b = both & ((given_b.dt.year != id_birth.dt.year) | (given_b.dt.month != id_birth.dt.month))
        clash_b = clash_b.to_numpy()
        if clash_b.any():
            # one message per pair of months written and read (a national roster has many clashes)
            pairs = (given_b.dt.year * 100 + given_b.dt.month).to_numpy()[clash_b].astype(np.int64) * 1_000_000 + (
                id_birth.dt.year * 100 + id_birth.dt.month
            ).to_numpy()[clash_b].astype(np.int64)
            kinds, which = np.unique(pairs, return_inverse=True)
            texts = np.array(
                [
                    f"出生年月填写为{g // 100:04d}.{g % 100:02d}，身份证号码显示为{i // 100:04d}.{i % 100:02d}，"
                    "按身份证号码计算年龄"
                    for g, i in zip((kinds // 1_000_000).tolist(), (kinds % 1_000_000).tolist(), strict=True)
                ],
                dtype=object,
            )
            msgs = texts[which.reshape(-1)].tolist()
            problems.append(built_in_findings(index[clash_b], "D04", msgs, ["birth_date", "id_number"]))
        result["birth_date"] = id_birth.where(id_birth.notna(), given_b)
    return result, concat_findings(problems)


_PLACED_IDS = ["id_number", "_file", "_sheet", "_row"]


def duplicate_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """D05: the same ID number more than once, across sheets and files (and the parts of a sheet
    vetted in parts); names the other rows."""
    if "id_number" not in frame.columns:
        return empty_findings()
    if not in_parts():
        return _duplicates(frame)
    # a part sends a hash of each number, then where its people are whose hash is repeated anywhere
    ids = frame["id_number"].to_numpy(dtype=object)
    known = np.flatnonzero(pd.notna(ids))
    hashes = pd.util.hash_array(ids[known], categorize=False)
    repeated = across_parts("ID number hashes", hashes, _repeated)
    maybe = known[np.isin(hashes, repeated)]
    return across_parts("ID numbers", frame.iloc[maybe][_PLACED_IDS], _duplicates_in_parts)


def _repeated(hashes: list[np.ndarray]) -> list[np.ndarray]:
    """Combine: the hashes found more than once over every part (each part is told them all)."""
    every = pd.Series(np.concatenate(hashes), copy=False)
    found = np.unique(every[every.duplicated(keep=False)].to_numpy())
    return [found] * len(hashes)


def _duplicates_in_parts(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Combine: D05 over every part's people (in row order), each part given the findings on its own."""
    sizes = np.cumsum([0, *(len(f) for f in frames)])
    persons = np.concatenate([f.index.to_numpy(dtype="int64") for f in frames])
    found = _duplicates(pd.concat([f[_PLACED_IDS] for f in frames], ignore_index=True))
    where = found["person"].to_numpy(dtype="int64")
    part = np.searchsorted(sizes, where, side="right") - 1
    shares = []
    for k in range(len(frames)):
        mine = found[part == k].reset_index(drop=True)
        mine["person"] = persons[where[part == k]]
        shares.append(mine)
    return shares


def _duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return empty_findings()
    ids = frame["id_number"]
    dup = (ids.notna() & ids.duplicated(keep=False)).to_numpy()
    if not dup.any():
        return empty_findings()
    files = frame["_file"].to_numpy(dtype=object)[dup]
    names = dict(zip(set(files), map(lambda p: Path(p).name, set(files)), strict=True))  # noqa: C417
    locs = [
        f"{names[f]}/{s} 第{r}行"
        for f, s, r in zip(
            files, frame["_sheet"].to_numpy(dtype=object)[dup], frame["_row"].to_numpy()[dup], strict=True
        )
    ]
    keys = ids.to_numpy(dtype=object)[dup]
    groups: dict[Any, list[str]] = {}
    for key, loc in zip(keys, locs, strict=True):
        groups.setdefault(key, []).append(loc)
    msgs = []
    for key, mine in zip(keys, locs, strict=True):
        others = [loc for loc in groups[key] if loc != mine]
        msgs.append("身份证号码重复出现，另见：" + "；".join(others[:5]) + ("等" if len(others) > 5 else ""))
    return built_in_findings(frame.index[dup], "D05", msgs, ["id_number"])
