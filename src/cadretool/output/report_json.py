"""`cadretool report --format json`: the indicators as the contract of SPEC §8 (schema: ReportOutput)."""

from __future__ import annotations

import math
from typing import Any

from cadretool.output.present import text_or_none
from cadretool.output.tables import SCHEMA_VERSION, inputs_json
from cadretool.report import BLANK_CHANNEL, OTHER_CHANNEL, ReportResult

WRONG_WAY = (("age_up", "avg_age"), ("college_down", "college_pct"), ("ability_down", "ability_pct"))


def _number(value: Any) -> float | None:
    """A figure as JSON: already rounded to 2 decimals; null where it cannot be computed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _counts(channels: Any, column: str) -> dict[str, int]:
    return {c: int(n) for c, n in zip(channels["channel"], channels[column], strict=True)}


def report_json(result: ReportResult) -> dict[str, Any]:
    """The `report --format json` contract (SPEC §8), deterministic for the same inputs."""
    has_baseline = result.baseline is not None
    levels = []
    for r in result.levels.itertuples(index=False):
        entry: dict[str, Any] = {
            "level": r.level,
            "township": text_or_none(r.township),
            "village": text_or_none(r.village),
            "current": {
                "people": int(r.cur_people),
                "avg_age": _number(r.cur_avg_age),
                "college_pct": _number(r.cur_college_pct),
                "ability_pct": _number(r.cur_ability_pct),
            },
            "baseline": None,
            "change": None,
            "wrong_way": [name for flag, name in WRONG_WAY if getattr(r, flag)],
        }
        if has_baseline:
            entry["baseline"] = {
                "people": int(r.base_people),
                "avg_age": _number(r.base_avg_age),
                "college_pct": _number(r.base_college_pct),
                "ability_pct": _number(r.base_ability_pct),
            }
            entry["change"] = {
                "avg_age": _number(r.chg_avg_age),
                "college_pp": _number(r.chg_college_pp),
                "ability_pp": _number(r.chg_ability_pp),
                "avg_age_relative_pct": _number(r.chg_avg_age_rel),
                "college_relative_pct": _number(r.chg_college_rel),
                "ability_relative_pct": _number(r.chg_ability_rel),
            }
        entry["villages"] = int(r.villages) if r.level != "village" else None
        levels.append(entry)
    channels = result.channels
    five = channels[~channels["channel"].isin([BLANK_CHANNEL, OTHER_CHANNEL])]
    others = channels[channels["channel"].isin([BLANK_CHANNEL, OTHER_CHANNEL])]
    without = result.villages_without
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "report",
        "as_of": result.as_of.isoformat(),
        "baseline_as_of": result.baseline_as_of.isoformat(),
        "rules": {"name": result.ruleset_name, "version": result.ruleset_version, "sha256": result.ruleset_sha256},
        "parameters": {
            "college_min_education": result.parameters.college_min_education,
            "ability_tags": list(result.parameters.ability_tags),
            "term_years": result.parameters.term_years,
        },
        "inputs": inputs_json(result.current),
        "baseline_inputs": inputs_json(result.baseline) if result.baseline is not None else [],
        "villages_file": str(result.village_list.path) if result.village_list is not None else None,
        "summary": result.summary(),
        "levels": levels,
        "channels": _counts(five, "current"),
        "baseline_channels": _counts(five, "baseline") if has_baseline else None,
        "channels_other": {
            "current": _counts(others, "current"),
            "baseline": _counts(others, "baseline") if has_baseline else None,
        },
        "villages_without_candidates": sorted(str(v) for v in without["village"]),
        "villages_without_candidates_detail": [
            {
                "township": text_or_none(r.township),
                "village": str(r.village),
                "baseline_people": None if r.baseline_people is None else int(r.baseline_people),
                "source": r.source,
            }
            for r in without.itertuples(index=False)
        ],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "level": f.level,
                "township": text_or_none(f.township),
                "village": text_or_none(f.village),
                "message": f.message,
                "basis": f.basis,
            }
            for f in result.findings.itertuples(index=False)
        ],
        "errors": [{"path": e.path, "reason": e.reason} for e in result.errors],
        "warnings": list(result.warnings),
        "notes": list(result.notes),
    }
