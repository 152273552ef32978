"""`bonus --format json` (SPEC §6.3, §6.4): money as two-decimal strings; villages in roster order."""

from __future__ import annotations

from typing import Any

from cadretool.bonus import BonusResult
from cadretool.money import money_text
from cadretool.output.job_json import brief_inputs_json, input_errors_json, rules_json
from cadretool.output.pay_json import parameters_json
from cadretool.output.present import id_text, mask_in_text
from cadretool.output.tables import SCHEMA_VERSION, comparison_block, errors_json, inputs_json
from cadretool.rules.payrules import BONUS_PARAMETERS


def _masked(findings: list[dict[str, Any]], mask_ids: bool) -> list[dict[str, Any]]:
    return [{**f, "message": mask_in_text(f["message"])} for f in findings] if mask_ids else findings


def bonus_json(result: BonusResult, *, mask_ids: bool = False) -> dict[str, Any]:
    """The `bonus --format json` contract."""
    totals = result.totals()
    villages = []
    for v in result.villages:
        villages.append(
            {
                "township": v["township"],
                "village": v["village"],
                "net_income": money_text(v["net_income"]),
                "cadre_pool": money_text(v["cadre_pool"]),
                "leader_pool": money_text(v["leader_pool"]),
                "cadre_pool_paid": v["cadre_pool_paid"],
                "leader_pool_paid": v["leader_pool_paid"],
                "shares": [
                    {
                        "id_number": id_text(s["id_number"], mask_ids) or None,
                        "name": s["name"],
                        "post": s["post"],
                        "pool": s["pool"],
                        "amount": money_text(s["amount"]),
                        "source": s["source"],
                        "sheet": s["sheet"],
                        "row": s["row"],
                        "findings": _masked(s["findings"], mask_ids),
                    }
                    for s in v["shares"]
                ],
                "findings": v["findings"],
                "income_record": _record(v["income_record"]),
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "bonus",
        "year": result.year,
        "rules": rules_json(result),
        "parameters": parameters_json(result.scale, list(BONUS_PARAMETERS)),
        "inputs": inputs_json(result.roster, mask_ids),
        "income_inputs": brief_inputs_json(result.income_inputs),
        "summary": result.summary(),
        "villages": villages,
        "missing_income": result.missing_income,
        "unmatched_income": [_record(u) for u in result.unmatched_income],
        "totals": {
            "county": money_text(totals["county"]),
            "townships": {k: money_text(t) for k, t in totals["townships"].items()},
        },
        **comparison_block(result, mask_ids),
        "errors": errors_json(result.roster) + input_errors_json(result.side_errors),
        "warnings": list(result.warnings),
        "notes": list(result.notes),
    }


def _record(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """An income record as read: where it is and what it says."""
    if record is None:
        return None
    return {
        k: record.get(k)
        for k in ("source", "sheet", "row", "township", "village", "year", "net_income", "income_written", "reason")
        if k in record
    }


__all__ = ["bonus_json"]
