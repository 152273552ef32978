"""`career` outputs (SPEC §7.2): the JSON contract and the workbook (晋升渠道 and 规则)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter

from cadretool.career import STATUS_LABELS, CareerResult
from cadretool.output.job_json import findings_by_person, input_errors_json, rules_json
from cadretool.output.pension_json import parameters_json, side_inputs_json
from cadretool.output.pension_workbook import finding_texts
from cadretool.output.present import person_head, person_ids, text_or_none
from cadretool.output.sheets import WORKBOOK_OPTIONS, Formats, ruleset_top, write_rules_sheet, write_table
from cadretool.output.tables import SCHEMA_VERSION

HEADERS = [
    "序号",
    "结论",
    "姓名",
    "身份证号码",
    "乡镇(街道)",
    "村(社区)",
    "职务",
    "任正职届数",
    "考核优秀次数",
    "说明",
    "需核实事项",
    "来源",
]


def _count(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def career_json(result: CareerResult, *, mask_ids: bool = False) -> dict[str, Any]:
    people = result.people
    by_person = findings_by_person(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    out = [
        {
            **person_head(cols, ids, i),
            "post": text_or_none(cols["career_post"][i]),
            "principal_terms": _count(cols["principal_terms"][i]),
            "excellent_count": _count(cols["excellent_count"][i]),
            "status": cols["career_status"][i],
            "reason": cols["career_reason"][i],
            "findings": by_person.get(int(person), []),
        }
        for i, person in enumerate(people.index)
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "career",
        "as_of": result.as_of.isoformat(),
        "rules": rules_json(result),
        "parameters": parameters_json(result.parameters),
        "inputs": side_inputs_json(result.roster.inputs, mask_ids),
        "summary": result.summary(),
        "people": out,
        "errors": input_errors_json(result.errors),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }


def write_career_workbook(path: Path, result: CareerResult, *, mask_ids: bool = False) -> None:
    people = result.people
    texts = finding_texts(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    none = np.full(len(people), None, dtype=object)
    rows = [
        [
            i + 1,
            STATUS_LABELS[cols["career_status"][i]],
            cols.get("name", none)[i],
            ids[i],
            cols.get("township", none)[i],
            cols.get("village", none)[i],
            cols["career_post"][i],
            _count(cols["principal_terms"][i]),
            _count(cols["excellent_count"][i]),
            cols["career_reason"][i],
            texts.get(int(person)),
            f"{Path(cols['_file'][i]).name} {cols['_sheet'][i]} 第{cols['_row'][i]}行",
        ]
        for i, person in enumerate(people.index)
    ]
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = Formats(book)
        write_table(
            book,
            formats,
            {"晋升渠道", "规则"},
            "晋升渠道",
            HEADERS,
            rows,
            widths=[6, 8, 9, 21, 12, 12, 9, 10, 11, 50, 40, 28],
        )
        top = ruleset_top(result, ("基准日", result.as_of))
        write_rules_sheet(book, formats, top, result.rules, result.overrides)
    finally:
        book.close()
