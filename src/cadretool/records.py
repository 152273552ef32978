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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.roster.idnumber import check_id, mask_id
from cadretool.roster.table import InputInfo, SheetInfo
from cadretool.roster.text import clean_text

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
    rec_key = join_key(records)
    left = pd.DataFrame({"record": records.index.to_numpy(), "key": rec_key.to_numpy()})
    right = pd.DataFrame({"person": people.index.to_numpy(), "key": join_key(people).to_numpy()})
    pairs = left.dropna(subset=["key"]).merge(right.dropna(subset=["key"]), on="key", how="inner")
    joined = np.zeros(len(records), dtype=bool)
    joined[records.index.get_indexer(pairs["record"].to_numpy())] = True
    loose = records[~joined]
    usable = loose["id_status"].isin(["valid", "converted"]).to_numpy()
    names = people["name"] if "name" in people else pd.Series([None] * len(people), index=people.index)
    # a name belongs to one person when every row with it carries the same number (or there is one row)
    who = join_key(people).where(lambda k: k.notna(), pd.Series(people.index.astype(str), index=people.index))
    distinct = who.groupby(names).nunique() if len(people) else pd.Series(dtype="int64")
    unique_names = set(distinct.index[distinct.to_numpy() == 1])
    by_name_rows = [] if not len(loose) else loose.index[~usable & loose["name"].isin(unique_names).to_numpy()]
    rows_of_name = pd.Series(people.index, index=names.to_numpy()).groupby(level=0).agg(list) if len(people) else {}
    named = [(r, p) for r in by_name_rows for p in rows_of_name[loose.at[r, "name"]]]
    reached = set(by_name_rows)
    rest = loose[~loose.index.isin(list(reached))]
    reasons = pd.Series(
        [_why_unjoined(r, distinct) for r in rest.itertuples()],
        index=rest.index,
        dtype=object,
    )
    record = np.concatenate([pairs["record"].to_numpy(dtype="int64"), np.array([r for r, _ in named], dtype="int64")])
    person = np.concatenate([pairs["person"].to_numpy(dtype="int64"), np.array([p for _, p in named], dtype="int64")])
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


def cite(file: str, sheet: str, row: int, several_sheets: bool) -> str:
    """How a message names a record: its file (and sheet, in a workbook of several) and Excel row."""
    name = Path(file).name
    return f"{name}“{sheet}”第{row}行" if several_sheets else f"{name}第{row}行"


def citations(frame: pd.DataFrame, inputs: list[InputInfo]) -> pd.Series:
    """`cite` for every record of a side file."""
    several = {i.file for i in inputs if len(i.sheets) > 1}
    return pd.Series(
        [
            cite(f, s, int(r), f in several)
            for f, s, r in zip(frame["_file"], frame["_sheet"], frame["_row"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def cells_as_written(frame: pd.DataFrame, sheets: list[SheetInfo], name: str, rows: pd.Index) -> pd.Series:
    """A field's cells for `rows` as the file has them (text trimmed; a number as Excel shows it):
    what the clerk typed, before normalising read it. None where the sheet has no such column."""
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
        out[members] = [v.strip() or None if isinstance(v, str) else clean_text(v) for v in cells]
    return out
