"""Side files keyed by ID number (pension contribution records, tuition claims) joined to the
roster people they name.

A side file is read like a roster (title rows, header aliases, GBK CSV, IDs with a lower-case x
or mangled by Excel): `read_roster` with the file's own section of columns.yaml. A record is
never dropped: it reaches the people with its ID number (every row of a person listed twice),
or, where its ID cannot be used (blank, mangled, invalid), the one roster person with its
name; otherwise it is unjoined, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.roster.idnumber import check_id, mask_id
from cadretool.roster.table import InputInfo, SheetInfo
from cadretool.roster.text import clean_text

VALID = ("valid", "converted")  # ID statuses a join can use
_FLOAT_TEXT = re.compile(r"[\d.]+e\+\d+", re.IGNORECASE)


@dataclass
class Join:
    """Which records reach which people.

    record, person, by_name: one entry per (record, person) pair, by_name where the record's
    ID could not be used and its name found the person; unjoined: record index → why it
    reaches nobody (its ID named as written, masked)."""

    record: np.ndarray
    person: np.ndarray
    by_name: np.ndarray
    unjoined: pd.Series


def join_key(frame: pd.DataFrame) -> pd.Series:
    """The number a record or person is joined by: the valid ID, else an invalid one as written
    (never a masked or Excel-mangled one: those say too little to tell people apart)."""
    key = frame["id_number"].astype(object)
    if "id_text" not in frame:
        return key
    text = frame["id_text"]
    plain = (frame["id_status"] == "invalid").to_numpy() & ~text.astype(str).str.contains("*", regex=False).to_numpy()
    return key.where(key.notna() | ~plain, text).where(lambda k: k.notna(), None)


def join_records(records: pd.DataFrame, people: pd.DataFrame) -> Join:
    """Join records to people by ID number; a record whose ID is unusable, by its name when
    exactly one roster person (maybe listed twice) has it."""
    left = pd.DataFrame({"record": records.index.to_numpy(), "key": join_key(records).to_numpy()})
    right = pd.DataFrame({"person": people.index.to_numpy(), "key": join_key(people).to_numpy()})
    pairs = left.dropna(subset=["key"]).merge(right.dropna(subset=["key"]), on="key", how="inner")
    joined = np.zeros(len(records), dtype=bool)
    joined[records.index.get_indexer(pairs["record"].to_numpy())] = True
    record = pairs["record"].to_numpy(dtype="int64")
    person = pairs["person"].to_numpy(dtype="int64")
    loose = records[~joined]
    if not len(loose):
        return Join(record, person, np.zeros(len(pairs), dtype=bool), pd.Series(dtype=object))
    # only the names loose records carry are looked up: most files join wholly by ID
    loose_names = loose["name"] if "name" in loose else pd.Series(None, index=loose.index, dtype=object)
    names = people["name"] if "name" in people else pd.Series(None, index=people.index, dtype=object)
    wanted = names.isin(set(loose_names.dropna())).to_numpy()
    namesakes = people[wanted]
    who = join_key(namesakes).where(lambda k: k.notna(), pd.Series(namesakes.index.astype(str), index=namesakes.index))
    # a name belongs to one person when every row with it carries the same number (or there is one row)
    distinct = who.groupby(names[wanted]).nunique()
    rows_of_name: dict[str, list[int]] = {}
    for row, name in zip(namesakes.index, names[wanted], strict=True):
        rows_of_name.setdefault(name, []).append(int(row))
    usable = loose["id_status"].isin(VALID).to_numpy()
    one = loose_names.map(lambda n: distinct.get(n, 0) == 1).to_numpy(dtype=bool)
    # a valid number the roster lacks names someone else, unless the namesake's own number is unusable
    unusable_there = set(names[wanted][~namesakes["id_status"].isin(VALID).to_numpy()])
    by_name_rows = loose.index[one & (~usable | loose_names.isin(unusable_there).to_numpy())]
    named = [(int(r), p) for r in by_name_rows for p in rows_of_name[loose_names[r]]]
    rest = loose[~loose.index.isin(by_name_rows)]
    reasons = pd.Series([_why_unjoined(r, distinct) for r in rest.itertuples()], index=rest.index, dtype=object)
    record = np.concatenate([record, np.array([r for r, _ in named], dtype="int64")])
    person = np.concatenate([person, np.array([p for _, p in named], dtype="int64")])
    by_name = np.concatenate([np.zeros(len(pairs), dtype=bool), np.ones(len(named), dtype=bool)])
    return Join(record, person, by_name, reasons)


def id_problem(status: Any, written: Any) -> str:
    """What is wrong with a record's ID, naming it as written (masked)."""
    text = written if isinstance(written, str) and written else None
    if status == "missing" or text is None:
        return "缺少身份证号码"
    if status in ("valid", "converted"):
        return f"身份证号码 {mask_id(text)} 不在花名册中"
    if "*" in text:
        return f"身份证号码 {text} 被遮挡"
    if status == "mangled":
        if _FLOAT_TEXT.fullmatch(text):  # as Excel shows the number: 15 significant digits
            text = str(int(Decimal(f"{float(text):.15g}")))
        return f"身份证号码 {mask_id(text)} 被Excel按数字保存，已丢失位数"
    return f"身份证号码 {mask_id(text)} {check_id(text).reason or '无效'}"


def _why_unjoined(r: Any, distinct: pd.Series) -> str:
    name = r.name if isinstance(r.name, str) and r.name else None
    why = "花名册中没有此身份证号码" if r.id_status in ("valid", "converted") else id_problem(r.id_status, r.id_text)
    if name is None:
        return why
    count = int(distinct.get(name, 0))
    if count == 0:
        return f"{why}；花名册中也没有“{name}”"
    if r.id_status in ("valid", "converted"):
        return f"{why}；花名册中的“{name}”身份证号码与此不同"
    return f"{why}；花名册中有{count}名“{name}”，无法确定是谁"


def with_sheets(inputs: list[InputInfo]) -> set[str]:
    """The files read with more than one sheet: a citation of their rows names the sheet too."""
    return {i.file for i in inputs if len(i.sheets) > 1}


def cite(file: str, sheet: str, row: int, several: set[str]) -> str:
    """Where a record stands as a clerk finds it: 缴费.xlsx第5行, or 缴费.xlsx“2025年”第5行 in a
    file of several sheets (`several`: with_sheets)."""
    name = Path(file).name
    return f"{name}“{sheet}”第{row}行" if file in several else f"{name}第{row}行"


def citations(frame: pd.DataFrame, inputs: list[InputInfo], rows: Any) -> np.ndarray:
    """`cite` for the records `rows` (index labels) of a side file."""
    several = with_sheets(inputs)
    part = frame.loc[rows, ["_file", "_sheet", "_row"]]
    return np.array(
        [cite(f, s, r, several) for f, s, r in zip(part["_file"], part["_sheet"], part["_row"], strict=True)],
        dtype=object,
    )


def cell_text(value: Any) -> str | None:
    """A cell as a person sees it: text trimmed; a number with Excel's 15 significant digits."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        return str(int(Decimal(f"{value:.15g}")))
    return clean_text(value)


def cells_as_written(
    frame: pd.DataFrame,
    sheets: list[SheetInfo],
    name: str,
    rows: pd.Index | None = None,
    text: Callable[[Any], str | None] = cell_text,
) -> pd.Series:
    """A field's cells for `rows` (every row by default) as the file has them, through `text`
    (by default as a person sees them): what the clerk typed, before normalising read it. None
    where the sheet has no such column."""
    rows = frame.index if rows is None else rows
    out = pd.Series([None] * len(rows), index=rows, dtype=object)
    if not len(rows):
        return out
    part = frame.loc[rows, ["_sheet_no", "_row"]]
    for number, members in part.groupby("_sheet_no").groups.items():
        sheet = sheets[int(number)]
        col = next((c.index for c in sheet.columns if c.field == name), None)
        if col is None or sheet.raw is None:
            continue
        grid = sheet.raw.rows
        cells = [grid[r - 1][col] if col < len(grid[r - 1]) else None for r in part.loc[members, "_row"]]
        out[members] = [text(v) for v in cells]
    return out


def nameless_rows(sheets: list[SheetInfo], fields: Sequence[str]) -> list[tuple[int, SheetInfo, int, dict[str, Any]]]:
    """Rows the reader left out as not naming a person (no name, no ID number) that still carry
    a value in one of `fields` (an amount, a period): records a job must show, not drop. Each is
    (sheet number, sheet, row, {field: cell as written})."""
    out = []
    for number, sheet in enumerate(sheets):
        if sheet.raw is None:
            continue
        cols = {c.field: c.index for c in sheet.columns if c.field in fields}
        for row, why in sheet.skipped_rows:
            if not why.startswith("不是人员行"):
                continue
            cells = sheet.raw.rows[row - 1]
            said = {f: cells[i] if i < len(cells) else None for f, i in cols.items()}
            if any(cell_text(v) for v in said.values()):
                out.append((number, sheet, row, said))
    return out


def unnamed_record(sheet: SheetInfo, row: int, cited: str | None = None) -> dict[str, Any]:
    """The opening of a record for a row of `nameless_rows`: where it is (with its citation where
    the job cites places), and no ID number or name; the job adds its own values after."""
    where: dict[str, Any] = {"source": sheet.file, "sheet": sheet.name, "row": row}
    if cited is not None:
        where["cited"] = cited
    return {**where, "id_number": None, "id_as_written": None, "name": None}


def problems_about(problems: pd.DataFrame, fields: Sequence[str]) -> pd.DataFrame:
    """The reader's data problems (D01–D08) about any of `fields`: what a job shows with a person."""
    if problems.empty:
        return problems
    wanted = set(fields)
    return problems[problems["fields"].map(lambda fs: bool(wanted.intersection(fs))).to_numpy(dtype=bool)]
