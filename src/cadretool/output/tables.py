"""Vet results as plain data: the JSON contract, one-row-per-finding CSV, the annotated table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from cadretool.errors import CadreToolError
from cadretool.output.present import (
    TABLE_VERDICT_HEADERS,
    id_text,
    mask_in_text,
    person_ids,
    verdicts,
    with_text_masked,
)
from cadretool.output.safety import csv_safe
from cadretool.results import VetResult
from cadretool.roster.table import Roster, SheetInfo
from cadretool.roster.text import clean_text

SCHEMA_VERSION = 1


def _id(value: Any, mask_ids: bool) -> str | None:
    return id_text(value, mask_ids) or None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def inputs_json(roster: Roster) -> list[dict[str, Any]]:
    out = []
    for inp in roster.inputs:
        entry: dict[str, Any] = {"path": inp.file, "format": inp.format}
        if inp.encoding:
            entry["encoding"] = inp.encoding
        entry["sheets"] = [_sheet_json(s) for s in inp.sheets]
        if inp.notes:
            entry["notes"] = list(inp.notes)
        out.append(entry)
    return out


def _sheet_json(sheet: SheetInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": sheet.name, "header_row": sheet.header_row, "rows": sheet.rows}
    if sheet.notes:
        entry["notes"] = list(sheet.notes)
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
    if mask_ids:
        result = with_text_masked(result)
    people = result.people
    by_person: dict[int, list[dict[str, Any]]] = {}
    for row in result.findings.itertuples(index=False):
        by_person.setdefault(int(row.person), []).append(finding_json(row))
    people_out = []
    cols = {
        c: people[c].to_numpy() if c in people else np.full(len(people), None)
        for c in ("_file", "_sheet", "_row", "name", "township", "village", "status")
    }
    ids = person_ids(people, mask_ids)
    for i, person in enumerate(people.index):
        people_out.append(
            {
                "source": cols["_file"][i],
                "sheet": cols["_sheet"][i],
                "row": int(cols["_row"][i]),
                # an invalid number is shown as written (D01/D02 say what is wrong with it)
                "id_number": ids[i] or None,
                "name": _text(cols["name"][i]),
                "township": _text(cols["township"][i]),
                "village": _text(cols["village"][i]),
                "status": cols["status"][i],
                "findings": by_person.get(int(person), []),
            }
        )
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
        "rules": {"name": result.ruleset_name, "version": result.ruleset_version, "sha256": result.ruleset_sha256},
        "inputs": inputs_json(result.roster),
        "evidence": [
            {"path": i.file, "sheets": [{"name": s.name, "header_row": s.header_row, "rows": s.rows} for s in i.sheets]}
            for i in result.evidence_inputs
        ],
        "summary": result.summary(),
        "people": people_out,
        "groups": [{"township": t, "village": v, "findings": f} for (t, v), f in groups.items()],
        "unmatched_evidence": unmatched,
        "errors": errors_json(result.roster),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


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
                    _text(p.get("name")) or "",
                    _text(p.get("township")) or "",
                    _text(p.get("village")) or "",
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
    raw_rows = sheet.raw.rows if sheet.raw is not None else []
    width = max([c.index + 1 for c in sheet.columns] + [len(r) for r in raw_rows[sheet.data_start :]], default=0)
    by_index = {c.index: (c.original or c.header or "") for c in sheet.columns}
    body = raw_rows[sheet.data_start :]
    seen: dict[str, int] = {}
    out = []
    for index in range(width):
        header = " ".join(str(by_index.get(index, "")).split())
        if not header:
            if not any(index < len(r) and clean_text(r[index]) for r in body):
                continue  # padding of the used range: no header and nothing below it
            header = f"列{xl_col_to_name(index)}"
        seen[header] = seen.get(header, 0) + 1
        name = header if seen[header] == 1 else f"{header}_{seen[header]}"
        out.append((index, name))
    return out


def annotated_table(result: VetResult, *, mask_ids: bool = False) -> pd.DataFrame:
    """The annotated roster as one table: every original column (union over sheets, in order
    of first appearance), then source, sheet, row and the verdict columns."""
    if mask_ids:
        result = with_text_masked(result)
    people = result.people
    sheets = result.roster.sheets
    per_sheet = [table_headers(s) for s in sheets]
    headers: list[str] = list(dict.fromkeys(name for cols in per_sheet for _, name in cols))
    id_columns = [{c.index for c in s.columns if c.field == "id_number"} for s in sheets]
    merged = [_merged_values(s) for s in sheets]
    data: dict[str, list[Any]] = {h: [] for h in headers}
    for sheet_no, rownum in zip(people["_sheet_no"].to_numpy(), people["_row"].to_numpy(), strict=True):
        sheet = sheets[int(sheet_no)]
        raw = sheet.raw.rows[int(rownum) - 1] if sheet.raw else []
        present: dict[str, Any] = {}
        for index, name in per_sheet[int(sheet_no)]:
            v = raw[index] if index < len(raw) else ""
            if v in ("", None) and merged[int(sheet_no)]:
                v = merged[int(sheet_no)].get((int(rownum) - 1, index), v)
            if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                v = int(v)  # calamine reads every number as float; 1 was typed, not 1.0
            if mask_ids and index in id_columns[int(sheet_no)] and isinstance(v, str | int | float) and v != "":
                v = id_text(clean_text(v), True)
            elif mask_ids:
                v = mask_in_text(v)  # an ID in a note or in another ID column
            present[name] = v
        for h in headers:
            data[h].append(present.get(h, ""))
    table = pd.DataFrame(data, index=people.index)
    table["来源文件"] = people["_file"].to_numpy()
    table["工作表"] = people["_sheet"].to_numpy()
    table["行号"] = people["_row"].to_numpy()
    shown = verdicts(people, result.findings).table
    for col in TABLE_VERDICT_HEADERS:
        table[col] = shown[col].to_numpy()
    return table


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


def write_annotated_table(path: Path, result: VetResult, *, mask_ids: bool = False) -> None:
    """`-o OUT.csv` / `-o OUT.parquet`: the annotated roster as one table."""
    table = annotated_table(result, mask_ids=mask_ids)
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CadreToolError(
                f"{path}: 写 Parquet 需要 pyarrow，请运行 pip install 'cadretool[parquet]'，或改用 .csv"
            ) from None
        table = table.astype(str)
        table.to_parquet(path, index=False)
        return
    safe = table.map(csv_safe)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
