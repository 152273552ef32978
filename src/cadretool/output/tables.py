"""Vet results as plain data: the JSON contract, one-row-per-finding CSV, the annotated table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from cadretool.errors import CadreToolError
from cadretool.output.present import (
    TABLE_VERDICT_HEADERS,
    id_text,
    mask_in_text,
    person_head,
    person_ids,
    text_or_none,
    verdicts,
    with_text_masked,
)
from cadretool.output.safety import FORMULA_PREFIXES, csv_safe
from cadretool.results import VetResult
from cadretool.roster.readers import TableSheet
from cadretool.roster.table import InputInfo, Roster, SheetInfo
from cadretool.roster.text import clean_text, first_positions, map_unique

SCHEMA_VERSION = 1


def _id(value: Any, mask_ids: bool) -> str | None:
    return id_text(value, mask_ids) or None


def inputs_json(inputs: Roster | Iterable[InputInfo], mask_ids: bool = False) -> list[dict[str, Any]]:
    """The files a run read (a roster's, or a side file's): format, encoding, each sheet, notes."""
    out = []
    for inp in inputs.inputs if isinstance(inputs, Roster) else inputs:
        entry: dict[str, Any] = {"path": inp.file, "format": inp.format}
        if inp.encoding:
            entry["encoding"] = inp.encoding
        entry["sheets"] = [sheet_json(s, mask_ids) for s in inp.sheets]
        if inp.notes:
            entry["notes"] = list(inp.notes)
        out.append(entry)
    return out


def sheet_json(sheet: SheetInfo, mask_ids: bool = False) -> dict[str, Any]:
    """A sheet read: its header row, the people (or records) read, what it lacked, and each row
    not counted with why (a 合计 line, a sign-off, a vacancy), so a script sees every row."""
    entry: dict[str, Any] = {"name": sheet.name, "header_row": sheet.header_row, "rows": sheet.rows}
    if sheet.notes:
        entry["notes"] = list(sheet.notes)
    if sheet.skipped_rows:
        entry["not_counted"] = [
            {"row": row, "reason": mask_in_text(why) if mask_ids else why} for row, why in sheet.skipped_rows
        ]
    return entry


def errors_json(roster: Roster) -> list[dict[str, str]]:
    return [{"path": e.path, "reason": e.reason} for e in roster.errors]


def finding_json(row: Any) -> dict[str, Any]:
    return {
        "rule": row.rule,
        "severity": row.severity,
        "message": row.message,
        "fields": list(row.fields),
        "basis": row.basis,
    }


def vet_json(result: VetResult, *, mask_ids: bool = False) -> dict[str, Any]:
    """The `vet --format json` contract (SPEC §4.4), deterministic for the same inputs."""
    data = _vet_json_parts(result, mask_ids)
    data["people"] = list(data["people"])
    return data


def write_vet_json(out: IO[str], result: VetResult, *, mask_ids: bool = False) -> None:
    """The same text as dumps(vet_json(...)), written person by person: a national run never
    holds the whole document in memory."""
    data = _vet_json_parts(result, mask_ids)
    out.write("{")
    for i, (key, value) in enumerate(data.items()):
        out.write(("," if i else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: ")
        if key != "people":
            out.write(_indented(value))
            continue
        first = True
        for person in value:
            out.write(("[\n    " if first else ",\n    ") + _indented(person, 4))
            first = False
        out.write("[]" if first else "\n  ]")
    out.write("\n}\n")


def _indented(value: Any, depth: int = 2) -> str:
    """A value as json.dumps(indent=2) writes it `depth` spaces in."""
    return _json_text(value).replace("\n", "\n" + " " * depth)


# indented, any key as text, dates and dataclasses through default=str as the standard library does
_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _json_text(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2, default=str), written by orjson: the standard
    library's encoder runs in Python once output is indented (seconds on a province payroll).
    orjson writes the same text; NaN, which is no JSON, becomes null."""
    try:
        return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS).decode()
    except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits, say: the standard encoder
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def rules_json(result: Any) -> dict[str, Any]:
    """The rule set a run applied: name, version and the SHA-256 of its files, and the what-if
    overrides (--set) when the run had any, so a what-if result never passes for the adopted policy."""
    out: dict[str, Any] = {
        "name": result.ruleset_name,
        "version": result.ruleset_version,
        "sha256": result.ruleset_sha256,
    }
    overrides = getattr(result, "overrides", None)
    if overrides:
        out["overrides"] = [o.json() for o in overrides]
    return out


def comparison_block(result: Any, mask_ids: bool) -> dict[str, Any]:
    """`comparison` (SPEC §4.4.1) of a --compare run; nothing otherwise."""
    if getattr(result, "comparison", None) is None:
        return {}
    from cadretool.output.compare_output import comparison_json

    return {"comparison": comparison_json(result.comparison, mask_ids=mask_ids)}


def _vet_json_parts(result: VetResult, mask_ids: bool) -> dict[str, Any]:
    """The contract's keys in order; `people` is an iterator (one dict per person, made on demand)."""
    if mask_ids:
        result = with_text_masked(result)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for g in result.group_findings.itertuples(index=False):
        groups.setdefault((g.township, g.village), []).append(
            {"rule": g.rule, "severity": g.severity, "message": g.message, "basis": g.basis}
        )
    unmatched = [
        {**u, "id_number": _id(u.get("id_number"), mask_ids), "id_as_written": _id(u.get("id_as_written"), mask_ids)}
        for u in result.unmatched_evidence
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "vet",
        "as_of": result.as_of.isoformat(),
        "rules": rules_json(result),
        "inputs": inputs_json(result.roster, mask_ids),
        "evidence": [
            {"path": i.file, "sheets": [sheet_json(s, mask_ids) for s in i.sheets]} for i in result.evidence_inputs
        ],
        "summary": result.summary(),
        **comparison_block(result, mask_ids),
        "people": _people_json(result, mask_ids),
        "groups": [{"township": t, "village": v, "findings": f} for (t, v), f in groups.items()],
        "unmatched_evidence": unmatched,
        "errors": errors_json(result.roster),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }


def _people_json(result: VetResult, mask_ids: bool) -> Iterator[dict[str, Any]]:
    """Each person with their findings (findings are sorted by person: one run each)."""
    people = result.people
    findings = result.findings
    persons = findings["person"].to_numpy(dtype="int64") if len(findings) else np.empty(0, dtype="int64")
    if len(persons) > 1 and (np.diff(persons) < 0).any():
        order = np.argsort(persons, kind="stable")
        findings, persons = findings.iloc[order], persons[order]
    first = {
        int(persons[i]): i for i in (np.flatnonzero(np.r_[True, persons[1:] != persons[:-1]]) if len(persons) else [])
    }
    columns = (
        [findings[c].to_numpy(dtype=object) for c in ("rule", "severity", "message", "fields", "basis")]
        if len(findings)
        else []
    )
    cols = {
        c: people[c].to_numpy() if c in people else np.full(len(people), None)
        for c in ("_file", "_sheet", "_row", "name", "township", "village", "status")
    }
    ids = person_ids(people, mask_ids)
    for i, person in enumerate(people.index.tolist()):
        mine = []
        at = first.get(int(person))
        while at is not None and at < len(persons) and persons[at] == person:
            rule, severity, message, fields, basis = (c[at] for c in columns)
            mine.append(
                {"rule": rule, "severity": severity, "message": message, "fields": list(fields), "basis": basis}
            )
            at += 1
        yield {
            **person_head(cols, ids, i),
            "status": cols["status"][i],
            "findings": mine,
        }


def dumps(data: Any) -> str:
    return _json_text(data) + "\n"


FINDING_CSV_HEADER = [
    "source",
    "sheet",
    "row",
    "id_number",
    "name",
    "township",
    "village",
    "status",
    "rule",
    "severity",
    "message",
    "fields",
    "basis",
]


def findings_csv(result: VetResult, *, mask_ids: bool = False) -> str:
    """`--format csv`: one row per finding (village findings with blank person columns)."""
    if mask_ids:
        result = with_text_masked(result)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FINDING_CSV_HEADER)
    people = result.people
    ids = dict(zip(people.index.tolist(), person_ids(people, mask_ids).tolist(), strict=True))
    for row in result.findings.itertuples(index=False):
        p = people.loc[row.person]
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    p["_file"],
                    p["_sheet"],
                    int(p["_row"]),
                    ids[row.person],
                    text_or_none(p.get("name")) or "",
                    text_or_none(p.get("township")) or "",
                    text_or_none(p.get("village")) or "",
                    p["status"],
                    row.rule,
                    row.severity,
                    row.message,
                    ";".join(row.fields),
                    row.basis,
                )
            ]
        )
    for g in result.group_findings.itertuples(index=False):
        writer.writerow(
            [
                csv_safe(v)
                for v in ("", "", "", "", "", g.township, g.village, "", g.rule, g.severity, g.message, "", g.basis)
            ]
        )
    return buf.getvalue()


def table_headers(sheet: SheetInfo) -> list[tuple[int, str]]:
    """Every original column of a sheet with the name it has in one table: its header as
    written, a repeated header suffixed (备注_2), a column with no header named by its
    letter (列W). Nothing the clerk typed is left out."""
    raw = sheet.raw
    width = max([c.index + 1 for c in sheet.columns] + [raw.width(sheet.data_start) if raw is not None else 0])
    by_index = {c.index: (c.original or c.header or "") for c in sheet.columns}
    seen: dict[str, int] = {}
    out = []
    for index in range(width):
        header = " ".join(str(by_index.get(index, "")).split())
        if not header:
            body = raw.column(index, sheet.data_start) if raw is not None else np.empty(0, dtype=object)
            if not map_unique(body, lambda v: clean_text(v) is not None).any():
                continue  # padding of the used range: no header and nothing below it
            header = f"列{xl_col_to_name(index)}"
        seen[header] = seen.get(header, 0) + 1
        name = header if seen[header] == 1 else f"{header}_{seen[header]}"
        out.append((index, name))
    return out


PLACE_HEADERS = ("来源文件", "工作表", "行号")


def annotated_columns(result: VetResult, *, mask_ids: bool = False, for_csv: bool = False) -> dict[str, Any]:
    """The annotated roster as one table, column by column: every original column (union over
    sheets, in order of first appearance), then source, sheet, row and the verdict columns; one
    value per person. Columns are pyarrow arrays of text when pyarrow is installed, else object
    arrays. `for_csv` quotes text a spreadsheet would run as a formula."""
    if mask_ids:
        result = with_text_masked(result)
    people = result.people
    sheets = result.roster.sheets
    per_sheet = [table_headers(s) for s in sheets]
    headers: list[str] = list(dict.fromkeys(name for cols in per_sheet for _, name in cols))
    sheet_of = people["_sheet_no"].to_numpy(dtype="int64")
    row_of = people["_row"].to_numpy(dtype="int64") - 1
    order = np.argsort(sheet_of, kind="stable")
    in_order = bool((order == np.arange(len(order))).all())
    parts: dict[str, list[Any]] = {h: [] for h in headers}
    for no, sheet in enumerate(sheets):
        mine = np.flatnonzero(sheet_of == no) if not in_order else None
        rows = (
            row_of[mine]
            if mine is not None
            else row_of[np.searchsorted(sheet_of, no) : np.searchsorted(sheet_of, no, "right")]
        )
        if sheet.raw is not None:
            rows = rows - sheet.raw.row_offset  # a part of a sheet holds its own rows only
        named = dict((name, index) for index, name in per_sheet[no])
        id_columns = {c.index for c in sheet.columns if c.field == "id_number"}
        merged = _merged_values(sheet)
        for header in headers:
            index = named.get(header)
            if index is None or sheet.raw is None:
                parts[header].append(_blank_column(len(rows)))
                continue
            values = _sheet_cells(sheet.raw, index, rows, merged)
            parts[header].append(_shown(values, mask_ids, index in id_columns, for_csv))
    columns: dict[str, Any] = {h: _joined(p) for h, p in parts.items()}
    back = np.argsort(order, kind="stable") if not in_order else None
    if back is not None:
        columns = {h: _take(c, back) for h, c in columns.items()}
    columns["来源文件"] = _by_sheet(people, "_file", for_csv)
    columns["工作表"] = _by_sheet(people, "_sheet", for_csv)
    columns["行号"] = people["_row"].to_numpy(dtype="int64")
    shown = verdicts(people, result.findings).table
    for col in TABLE_VERDICT_HEADERS:
        verdict = shown[col]
        if isinstance(verdict.array, pd.arrays.ArrowStringArray):  # joined by pyarrow: stays there
            columns[col] = _shown(_arrow().array(verdict.array), mask_ids=False, is_id=False, for_csv=for_csv)
        else:
            columns[col] = _texts(verdict.to_numpy(dtype=object), for_csv)
    return columns


def annotated_table(result: VetResult, *, mask_ids: bool = False) -> pd.DataFrame:
    """The annotated roster as one pandas table (see annotated_columns)."""
    columns = annotated_columns(result, mask_ids=mask_ids)
    return pd.DataFrame(
        {
            h: (c.to_numpy(zero_copy_only=False) if hasattr(c, "to_numpy") and not isinstance(c, np.ndarray) else c)
            for h, c in columns.items()
        },
        index=result.people.index,
    )


def _arrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        return None
    return pa


def _sheet_cells(raw: Any, index: int, rows: np.ndarray, merged: dict[tuple[int, int], Any]) -> Any:
    """Column `index` of a sheet at the given 0-based rows, merged values carried into their cells."""
    pa = _arrow()
    if isinstance(raw, TableSheet) and pa is not None and not merged:
        return raw.arrow_column(index, rows)
    column = raw.column(index, 0)
    values = column[rows] if len(column) else np.full(len(rows), "", dtype=object)
    if merged:
        where = {int(r): i for i, r in enumerate(rows)}
        for (r, c), value in merged.items():
            i = where.get(r)
            if c == index and i is not None and values[i] in ("", None):
                values[i] = value
    return values


def _shown(values: Any, mask_ids: bool, is_id: bool, for_csv: bool) -> Any:
    """Cell values as the table shows them: whole numbers without .0 (calamine reads every number
    as a float), IDs masked on request, formula-like text quoted for a CSV; as text."""

    def show(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            v = int(v)  # 1 was typed, not 1.0
        if mask_ids and is_id and isinstance(v, str | int | float) and v != "":
            v = id_text(clean_text(v), True)
        elif mask_ids:
            v = mask_in_text(v)  # an ID in a note or in another ID column
        return _cell_text(csv_safe(v) if for_csv else v)

    if isinstance(values, np.ndarray):
        return _to_arrow(map_unique(values, show))
    # a text column read by pyarrow: only the distinct values that need a change go through Python
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(values.type):  # a column kept coded: its distinct texts are shown
        shown = [
            pa.DictionaryArray.from_arrays(
                chunk.indices, _one_array(_shown(chunk.dictionary, mask_ids, is_id, for_csv))
            )
            for chunk in values.chunks
        ]
        return pa.chunked_array(shown, shown[0].type) if shown else values

    if mask_ids:
        encoded = (values.combine_chunks() if hasattr(values, "combine_chunks") else values).dictionary_encode()
        uniques = np.empty(len(encoded.dictionary), dtype=object)
        uniques[:] = [show(v) for v in encoded.dictionary.to_pylist()]
        return _to_arrow(uniques[encoded.indices.to_numpy(zero_copy_only=False)])
    if for_csv and _any_formula_like(values):
        return pc.replace_substring_regex(values, pattern="^([=+\\-@\\t\\r])", replacement="'\\1")
    return values


_FORMULA_BYTE = np.zeros(256, dtype=bool)  # by a text's first byte: does it open like a formula?
_FORMULA_BYTE[np.frombuffer("".join(FORMULA_PREFIXES).encode(), dtype=np.uint8)] = True


def _any_formula_like(values: Any) -> bool:
    """Whether any text of a pyarrow string column may start like a formula, read from its first
    bytes (never False where one does)."""
    for chunk in getattr(values, "chunks", [values]):
        if not len(chunk):
            continue
        offset_type = np.int64 if chunk.type == _arrow().large_string() else np.int32
        _, offsets_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
        if data_buffer is None or offsets[-1] == offsets[0]:
            continue  # every text empty
        data = np.frombuffer(data_buffer, dtype=np.uint8)[: offsets[-1]]
        # an empty text reads the next text's first byte (which is looked at anyway) or, last, the
        # byte before: at worst a column is quoted by the exact replace below for nothing
        if _FORMULA_BYTE[np.take(data, offsets[:-1], mode="clip")].any():
            return True
    return False


def _cell_text(value: Any) -> str:
    """A cell as text in the table (what pandas' to_csv wrote for it)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _texts(values: np.ndarray, for_csv: bool) -> Any:
    return _to_arrow(map_unique(values, lambda v: _cell_text(csv_safe(v) if for_csv else v)))


def _by_sheet(people: pd.DataFrame, name: str, for_csv: bool) -> Any:
    """A column with one value a sheet (its file, its name) as text, worked out once a sheet."""
    pa = _arrow()
    if pa is None or "_sheet_no" not in people or not len(people):
        return _texts(people[name].to_numpy(dtype=object), for_csv)
    sheet_no = people["_sheet_no"].to_numpy(dtype="int64")
    first = first_positions(sheet_no, int(sheet_no.max()) + 1)  # each sheet's first person
    texts = [_cell_text(csv_safe(v) if for_csv else v) for v in people[name].to_numpy(dtype=object)[first]]
    return pa.DictionaryArray.from_arrays(pa.array(sheet_no, pa.int32()), pa.array(texts, pa.string())).cast(
        pa.string()
    )


def _blank_column(n: int) -> Any:
    pa = _arrow()
    return pa.nulls(n, pa.string()).fill_null("") if pa is not None else np.full(n, "", dtype=object)


def _to_arrow(texts: np.ndarray) -> Any:
    pa = _arrow()
    if pa is None:
        return texts
    codes, uniques = pd.factorize(texts)
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(list(uniques), pa.string())).cast(
        pa.string()
    )


def _joined(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    if parts and isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    pa = _arrow()
    if len({p.type for p in parts}) > 1:  # a sheet's column kept coded beside another's texts
        parts = [p.cast(pa.string()) for p in parts]
    return pa.concat_arrays([_one_array(p) for p in parts])


def _one_array(values: Any) -> Any:
    """A pyarrow column as one array (its chunks put together)."""
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


def _take(column: Any, positions: np.ndarray) -> Any:
    return column[positions] if isinstance(column, np.ndarray) else column.take(positions)


def _merged_values(sheet: SheetInfo) -> dict[tuple[int, int], Any]:
    """Cells of the data rows covered by a merged range (a township over a block of people), with the
    range's value: one table has no merged cells, so each row carries the value it showed."""
    if sheet.raw is None or not sheet.raw.merged:
        return {}
    rows = sheet.raw.rows
    out: dict[tuple[int, int], Any] = {}
    for r0, c0, r1, c1 in sheet.raw.merged:
        if r1 < sheet.data_start or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(max(r0, sheet.data_start), r1 + 1):
            for c in range(c0, c1 + 1):
                out.setdefault((r, c), value)
    return out


TABLE_BATCH_ROWS = 100_000
PARQUET_BATCH_ROWS = 1 << 20  # a row group as pyarrow writes one by default


def write_annotated_table(path: Path, result: VetResult, *, mask_ids: bool = False) -> None:
    """`-o OUT.csv` / `-o OUT.parquet`: the annotated roster as one table, written in batches."""
    parquet = path.suffix.lower() == ".parquet"
    if _arrow() is None:
        if parquet:
            raise CadreToolError(f"{path}: 写 Parquet 需要 pyarrow，请运行 pip install pyarrow，或改用 .csv")
        table = pd.DataFrame(annotated_columns(result, mask_ids=mask_ids, for_csv=True))
        table.to_csv(path, index=False, encoding="utf-8-sig")
        return
    table = annotated_arrow(result, mask_ids=mask_ids, for_csv=not parquet)
    if parquet:
        with ParquetRows(path, table.schema) as rows:
            rows.add(table)
    else:
        write_csv_table(path, table)


def annotated_arrow(result: VetResult, *, mask_ids: bool = False, for_csv: bool = True) -> Any:
    """The annotated roster as one pyarrow table (for Parquet, `for_csv=False`: every column text)."""
    pa = _arrow()
    columns = annotated_columns(result, mask_ids=mask_ids, for_csv=for_csv)
    if not for_csv:
        columns["行号"] = pa.array(columns["行号"]).cast(pa.string())  # every column as text, as before
    return pa.table({h: c if not isinstance(c, np.ndarray) else pa.array(c) for h, c in columns.items()})


def write_csv_table(path: Path, table: Any, *, header: bool = True) -> None:
    """A table as UTF-8 CSV, a batch at a time; without `header` (a later part of one table) no
    header row and no byte-order mark."""
    import pyarrow.csv as pacsv

    with path.open("wb") as sink:
        if header:
            sink.write(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
        options = pacsv.WriteOptions(include_header=header)
        with pacsv.CSVWriter(sink, table.schema, write_options=options) as writer:
            for start in range(0, max(table.num_rows, 1), TABLE_BATCH_ROWS):
                writer.write_table(table.slice(start, TABLE_BATCH_ROWS))


class ParquetRows:
    """One Parquet file written from tables given one after another, every column as text (a column
    kept coded is written out as its texts, a batch at a time), in row groups as long as one table
    of all their rows would have: a table's last rows wait for the next table's first."""

    def __init__(self, path: Path, schema: Any) -> None:
        pa = _arrow()
        import pyarrow.parquet as pq

        # one text type, however a column was held (coded, or joined by pyarrow as large text)
        text = lambda t: pa.types.is_dictionary(t) or pa.types.is_large_string(t)  # noqa: E731
        self.schema = pa.schema([pa.field(f.name, pa.string() if text(f.type) else f.type) for f in schema])
        self.writer = pq.ParquetWriter(path, self.schema)
        self.waiting: list[Any] = []  # rows not yet a whole row group
        self.written = False

    def __enter__(self) -> ParquetRows:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None and (self.waiting or not self.written):
            self._write(sum(t.num_rows for t in self.waiting))  # the last rows (an empty table: its schema)
        self.writer.close()

    def add(self, table: Any) -> None:
        self.waiting.append(table)
        while sum(t.num_rows for t in self.waiting) >= PARQUET_BATCH_ROWS:
            self._write(PARQUET_BATCH_ROWS)

    def _write(self, rows: int) -> None:
        pa = _arrow()
        pieces, rest, left = [], [], rows
        for table in self.waiting:
            take = min(left, table.num_rows)
            if take:
                pieces.append(table.slice(0, take).cast(self.schema))
            if take < table.num_rows:
                rest.append(table.slice(take))
            left -= take
        self.writer.write_table(pa.concat_tables(pieces) if pieces else self.schema.empty_table())
        self.waiting = rest
        self.written = True
