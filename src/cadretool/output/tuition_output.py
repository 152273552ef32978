"""`tuition` outputs (SPEC §7.3): the JSON contract and the workbook (报销审核 and 规则)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from cadretool.money import money_text
from cadretool.output.job_json import input_errors_json, rules_json
from cadretool.output.pension_json import parameters_json, side_inputs_json
from cadretool.output.present import id_text
from cadretool.output.sheets import MONEY_FORMAT, WORKBOOK_OPTIONS, Formats, ruleset_top, write_rules_sheet, write_table
from cadretool.output.tables import SCHEMA_VERSION
from cadretool.tuition import TuitionResult

STATUS_LABELS = {"approved": "批准", "refused": "拒绝"}
HEADERS = ["行", "结论", "姓名", "身份证号码", "学历层次", "学习形式", "毕业时间", "学费", "报销金额", "说明", "来源"]


def tuition_json(result: TuitionResult, *, mask_ids: bool = False) -> dict[str, Any]:
    claims = [
        {
            "source": c["source"],
            "sheet": c["sheet"],
            "row": c["row"],
            "id_number": id_text(c["id_number"] or c["id_as_written"], mask_ids) or None,
            "name": c["name"],
            "degree": c["degree"],
            "study_mode": c["study_mode"],
            "graduation": c["graduation"],
            "tuition": money_text(c["tuition_fen"]),
            "reimbursement": money_text(c["reimbursement_fen"]),
            "status": c["status"],
            "reason": c["reason"],
            "roster": c["roster"],
        }
        for c in result.claims
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "tuition",
        "as_of": result.as_of.isoformat(),
        "rules": rules_json(result),
        "parameters": parameters_json(result.parameters),
        "inputs": side_inputs_json(result.claim_inputs, mask_ids),
        "roster_inputs": side_inputs_json(result.roster.inputs, mask_ids),
        "summary": result.summary(),
        "claims": claims,
        "errors": input_errors_json(result.errors),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def write_tuition_workbook(path: Path, result: TuitionResult, *, mask_ids: bool = False) -> None:
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = Formats(book)
        money = formats.get(num_format=MONEY_FORMAT)
        rows = [
            [
                c["row"],
                STATUS_LABELS[c["status"]],
                c["name"],
                id_text(c["id_number"] or c["id_as_written"], mask_ids),
                c["degree"],
                c["study_mode"],
                c["graduation"],
                _yuan(c["tuition_fen"]),
                _yuan(c["reimbursement_fen"]),
                c["reason"],
                c["cited"],
            ]
            for c in result.claims
        ]
        write_table(
            book,
            formats,
            {"报销审核", "规则"},
            "报销审核",
            HEADERS,
            rows,
            widths=[6, 7, 9, 21, 9, 9, 10, 12, 12, 50, 30],
            empty_note="没有报销申请",
            column_formats={7: money, 8: money},
        )
        approved = sum(c["reimbursement_fen"] for c in result.claims if c["status"] == "approved")
        top = ruleset_top(result, ("基准日", result.as_of), ("批准报销合计（元）", money_text(approved)))
        write_rules_sheet(book, formats, top, result.rules, result.overrides)
    finally:
        book.close()
