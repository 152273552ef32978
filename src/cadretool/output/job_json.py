"""The blocks every job's `--format json` shares: the rule set that was applied, side files as
read, input errors and each person's findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cadretool.output.present import mask_in_text
from cadretool.output.tables import finding_json, rules_json, sheet_json
from cadretool.roster.table import InputInfo

__all__ = ["brief_inputs_json", "findings_by_person", "input_errors_json", "rules_json"]


def brief_inputs_json(inputs: Iterable[InputInfo]) -> list[dict[str, Any]]:
    """A side file's path and its sheets (name, header row, rows), as pay and bonus list them."""
    return [{"path": i.file, "sheets": [sheet_json(s) for s in i.sheets]} for i in inputs]


def input_errors_json(errors: Iterable[Any]) -> list[dict[str, str]]:
    return [{"path": e.path, "reason": e.reason} for e in errors]


def findings_by_person(findings: Any, mask_ids: bool) -> dict[int, list[dict[str, Any]]]:
    """Each person's findings as JSON, keyed by the person's row in the people frame."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in findings.itertuples(index=False):
        entry = finding_json(row)
        if mask_ids:
            entry["message"] = mask_in_text(entry["message"])
        out.setdefault(int(row.person), []).append(entry)
    return out
