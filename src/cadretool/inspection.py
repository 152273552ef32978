"""`inspect`: what was read from each file, and the data problems found on the way."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from cadretool.output.present import person_ids
from cadretool.output.tables import SCHEMA_VERSION, errors_json
from cadretool.roster.table import Roster, read_roster
from cadretool.rules.ruleset import RuleSet


def inspect_rosters(paths: Sequence[Path], ruleset: RuleSet, sheets: list[str] | None = None) -> Roster:
    """Read rosters exactly as `vet` does, without applying the rules."""
    from cadretool.vet import note_missing_columns

    roster = read_roster(paths, ruleset.columns, sheets=sheets)
    note_missing_columns(roster, ruleset)
    return roster


def inspect_json(roster: Roster, *, mask_ids: bool = False) -> dict[str, Any]:
    inputs = []
    for inp in roster.inputs:
        entry: dict[str, Any] = {"path": inp.file, "format": inp.format}
        if inp.encoding:
            entry["encoding"] = inp.encoding
        entry["sheets"] = [
            {
                "name": s.name,
                "header_row": s.header_row,
                "header_rows": s.header_rows,
                "rows": s.rows,
                "columns": [
                    {"column": xl_col_to_name(c.index), "header": c.header, "field": c.field}
                    for c in s.columns
                    if c.header
                ],
                "unmapped": s.unmapped(),
                "skipped_rows": [{"row": r, "reason": why} for r, why in s.skipped_rows],
                "notes": list(s.notes),
            }
            for s in inp.sheets
        ]
        entry["notes"] = list(inp.notes)
        inputs.append(entry)
    frame = roster.frame
    problems = []
    ordered = (
        roster.problems.sort_values(["person", "rule"], kind="stable") if len(roster.problems) else roster.problems
    )
    ids = dict(zip(frame.index.tolist(), person_ids(frame, mask_ids).tolist(), strict=True))
    for row in ordered.itertuples(index=False):
        p = frame.loc[row.person]
        problems.append(
            {
                "source": p["_file"],
                "sheet": p["_sheet"],
                "row": int(p["_row"]),
                "id_number": ids[row.person] or None,
                "name": p.get("name") if isinstance(p.get("name"), str) else None,
                "rule": row.rule,
                "severity": row.severity,
                "message": row.message,
                "fields": list(row.fields),
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "inspect",
        "summary": {
            "files": len(roster.inputs),
            "sheets": len(roster.sheets),
            "people": int(len(frame)),
            "problems": len(problems),
        },
        "inputs": inputs,
        "problems": problems,
        "errors": errors_json(roster),
        "warnings": roster.warnings,
    }
