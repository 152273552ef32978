"""`pay --format json` (SPEC §6.4, §6.5): money as two-decimal strings, never floats; lines in
roster order; deterministic for the same inputs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cadretool.money import money_text, month_text
from cadretool.output.job_json import brief_inputs_json, findings_by_person, input_errors_json, rules_json
from cadretool.output.present import id_text, mask_in_text, person_head, person_ids, text_or_none
from cadretool.output.tables import SCHEMA_VERSION, comparison_block, errors_json, inputs_json
from cadretool.pay import COMPONENTS, PayResult
from cadretool.rules.payrules import PayScale


def _int(value: Any) -> int | None:
    return None if value is None or value is pd.NA or pd.isna(value) else int(value)


def parameters_json(scale: PayScale, names: list[str] | None = None) -> dict[str, Any]:
    """The parameter values a run used: value, the date it is in force from, its reference."""
    out = {}
    for name, used in scale.used.items():
        if names is not None and name not in names:
            continue
        value = used.value
        if isinstance(value, dict):
            value = {str(k): v for k, v in value.items()}
        out[name] = {"title": used.title, "value": value, "from": used.start.isoformat(), "reference": used.reference}
    return out


def pay_lines_json(result: PayResult, *, mask_ids: bool = False) -> list[dict[str, Any]]:
    people = result.people
    lines = result.lines
    by_person = findings_by_person(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy(dtype=object) for c in ("_file", "_sheet", "_row", "name", "township", "village")}
    amounts = {c: [money_text(_int(v)) for v in lines[c].to_numpy(dtype=object)] for c in COMPONENTS}
    level = lines["level"].to_numpy(dtype=object)
    step = lines["step"].to_numpy(dtype=object)
    post, grade, degree = (lines[c].to_numpy(dtype=object) for c in ("post", "assessment", "degree"))
    paid = lines["paid"].to_numpy(dtype=bool)
    out = []
    for i, person in enumerate(lines.index):
        out.append(
            {
                **person_head(cols, ids, i),
                "post": text_or_none(post[i]),
                "level": _int(level[i]),
                "step": _int(step[i]),
                "assessment": text_or_none(grade[i]),
                "degree": text_or_none(degree[i]),
                **{c: amounts[c][i] for c in COMPONENTS},
                "paid": bool(paid[i]),
                "findings": by_person.get(int(person), []),
            }
        )
    return out


def pay_json(result: PayResult, *, mask_ids: bool = False) -> dict[str, Any]:
    """The `pay --format json` contract."""
    totals = result.totals()
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "command": "pay",
        "month": month_text(result.month),
        "rules": rules_json(result),
        "parameters": parameters_json(result.scale),
        "inputs": inputs_json(result.roster, mask_ids),
        "adjustment_inputs": brief_inputs_json(result.adjustment_inputs),
        "summary": result.summary(),
        "lines": pay_lines_json(result, mask_ids=mask_ids),
        "totals": {
            "county": money_text(totals["county"]),
            "townships": {k: money_text(v) for k, v in totals["townships"].items()},
            "villages": {k: money_text(v) for k, v in totals["villages"].items()},
        },
        "adjustments": [adjustment_json(a, mask_ids) for a in result.adjustments],
    }
    if result.previous:
        data["previous"] = result.previous
    if result.changes is not None:
        data["changes"] = [change_json(c, mask_ids) for c in result.changes]
    if result.back_pay_from is not None or result.back_pay:
        data["back_pay_from"] = month_text(result.back_pay_from) if result.back_pay_from is not None else None
        data["back_pay"] = [back_pay_json(b, mask_ids) for b in result.back_pay]
        data["back_pay_total"] = money_text(result.back_pay_total())
    data.update(comparison_block(result, mask_ids))
    data["errors"] = errors_json(result.roster) + input_errors_json(result.side_errors)
    data["warnings"] = list(result.warnings)
    data["notes"] = list(result.notes)
    return data


def adjustment_json(record: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    out["id_number"] = id_text(out.get("id_number"), mask_ids) or None
    if mask_ids:
        out = {k: v if k == "id_number" else mask_in_text(v) for k, v in out.items()}
    return out


def change_json(change: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    out = dict(change)
    out["id_number"] = id_text(out.get("id_number"), mask_ids) or None
    return out


def back_pay_json(line: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    out = {k: v for k, v in line.items() if not k.startswith("_")}
    out["id_number"] = id_text(out.get("id_number"), mask_ids) or None
    for k in ("due", "paid", "difference"):
        out[k] = money_text(out[k])
    out["month"] = month_text(out["month"])
    if mask_ids:
        out["findings"] = [{**f, "message": mask_in_text(f["message"])} for f in out.get("findings", [])]
    return out


__all__ = ["pay_json", "pay_lines_json", "parameters_json"]
