"""The `pension --format json` contract (SPEC §7.1): one object per person, in the order the
workbook lists them (不能达标 first), months as "YYYY-MM", money as two-decimal strings."""

from __future__ import annotations

from typing import Any

import numpy as np

from cadretool.money import money_text, month_text
from cadretool.output.job_json import findings_by_person, input_errors_json, rules_json
from cadretool.output.present import id_text, mask_in_text, person_head, person_ids, text_or_none
from cadretool.output.tables import SCHEMA_VERSION, comparison_block, inputs_json
from cadretool.pension import PensionResult
from cadretool.roster.table import InputInfo
from cadretool.rules.jobparams import ParamUse


def month_or_none(value: Any) -> str | None:
    return month_text(int(value)) if value is not None and value >= 0 else None


def count_or_none(value: Any) -> int | None:
    return int(value) if value is not None and value >= 0 else None


def parameters_json(uses: list[ParamUse]) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "title": p.title, "value": p.value, "since": p.since.isoformat(), "reference": p.reference}
        for p in uses
    ]


def side_inputs_json(inputs: list[InputInfo], mask_ids: bool = False) -> list[dict[str, Any]]:
    """A side file's inputs (contribution records, claims) as `inputs` shows a roster's."""
    return inputs_json(inputs, mask_ids)


def pension_json(result: PensionResult, *, mask_ids: bool = False) -> dict[str, Any]:
    """The JSON contract, deterministic for the same inputs."""
    people = result.people
    by_person = findings_by_person(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    none = np.full(len(people), None, dtype=object)
    out = []
    for i, person in enumerate(people.index):
        allowance = int(cols["allowance_fen"][i])
        out.append(
            {
                **person_head(cols, ids, i),
                "gender": text_or_none(cols.get("gender", none)[i]),
                "birth_month": month_or_none(cols["birth_month"][i]),
                "track": text_or_none(cols["track"][i]),
                "months_paid": int(cols["months_paid"][i]),
                "contributing": bool(cols["contributing"][i]),
                "retirement_month": month_or_none(cols["retirement_month"][i]),
                "months_at_retirement": count_or_none(cols["months_at_retirement"][i]),
                "minimum_months": count_or_none(cols["minimum_months"][i]),
                "shortfall_months": count_or_none(cols["shortfall_months"][i]),
                "status": cols["status"][i],
                "chosen_retirement_month": month_or_none(cols["chosen_retirement_month"][i]),
                "leaving_allowance": None
                if allowance < 0
                else {"monthly": money_text(allowance), "from": month_or_none(cols["allowance_from"][i])},
                "findings": by_person.get(int(person), []),
            }
        )
    unmatched = [
        {
            **{k: mask_in_text(v) if mask_ids and isinstance(v, str) else v for k, v in u.items()},
            "id_number": id_text(u.get("id_number"), mask_ids) or None,
            "id_as_written": id_text(u.get("id_as_written"), mask_ids) or None,
        }
        for u in result.unmatched
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "pension",
        "as_of": result.as_of.isoformat(),
        "rules": rules_json(result),
        "parameters": parameters_json(result.parameters),
        "inputs": side_inputs_json(result.roster.inputs, mask_ids),
        "contributions": side_inputs_json(result.contribution_inputs, mask_ids),
        "summary": result.summary(),
        "people": out,
        "unmatched_contributions": unmatched,
        **comparison_block(result, mask_ids),
        "errors": input_errors_json(result.errors),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }
