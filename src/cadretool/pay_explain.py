"""`explain --pay MONTH`: how each component of one pay line was computed — the values read from
the roster and the adjustments, the arithmetic, and every parameter used with the date its value
is in force from and its reference; with earlier payrolls, the change since last month and each
month of back pay with its due and paid components."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from cadretool.explain import find_people
from cadretool.money import money_text, month_text
from cadretool.output.job_json import findings_by_person
from cadretool.output.present import id_text, person_ids
from cadretool.pay import COMPONENT_LABELS, COMPONENTS, PayResult
from cadretool.rules.payrules import COMPONENT_PARAMETERS, PayScale


def _param(scale: PayScale, name: str) -> dict[str, Any]:
    used = scale.used[name]
    value = {str(k): v for k, v in used.value.items()} if isinstance(used.value, dict) else used.value
    return {
        "name": name,
        "title": used.title,
        "value": value,
        "from": used.start.isoformat(),
        "reference": used.reference,
    }


def _pct(rate: Any) -> str:
    return f"{(rate * 100).normalize():f}%"


def explain_pay(result: PayResult, who: str, *, mask_ids: bool = False) -> list[dict[str, Any]]:
    """One explanation per pay line of the person `who` names (an ID number or a name)."""
    persons = find_people(result, who)  # type: ignore[arg-type]  # a pay result has people too
    if not persons:
        return []
    scale = result.scale
    people = result.people
    lines = result.lines
    findings = findings_by_person(result.findings, mask_ids)
    ids = dict(zip(people.index, person_ids(people, mask_ids), strict=True))
    out = []
    for person in persons:
        line = lines.loc[person]
        row = people.loc[person]
        amounts = {c: None if pd.isna(line[c]) else int(line[c]) for c in COMPONENTS}
        level = None if pd.isna(line["level"]) else int(line["level"])
        step = None if pd.isna(line["step"]) else int(line["step"])
        group = line["group"]
        span = scale.level_range.get(group)
        steps = scale.steps.get(level) if level is not None else None
        post_pay = amounts["post_pay"]
        components = [
            {
                "component": "post_pay",
                "label": COMPONENT_LABELS["post_pay"],
                "amount": money_text(post_pay),
                "how": (
                    f"{money_text(scale.base)} + ({scale.lowest_level} − {level}) × {money_text(scale.per_level)} "
                    f"+ ({step} − 1) × {money_text(scale.per_step)} = {money_text(post_pay)}"
                    if post_pay is not None
                    else "未计算（见下方待核实事项）"
                ),
                "values": {
                    "现任职务": f"{line['post']}（{group}，{span[0]}–{span[1]}级）" if span else str(line["post"]),
                    "岗位等级": level,
                    "档次": f"{step}（{level}级共{steps}档）" if steps else step,
                },
                "parameters": [_param(scale, p) for p in COMPONENT_PARAMETERS["post_pay"]],
            },
            {
                "component": "degree_uplift",
                "label": COMPONENT_LABELS["degree_uplift"],
                "amount": money_text(amounts["degree_uplift"]),
                "how": (
                    f"{money_text(post_pay)} × {_pct(line['uplift_rate'])} = {money_text(amounts['degree_uplift'])}"
                    if post_pay is not None
                    else "未计算"
                ),
                "values": {"在职学历": line["degree"] or "无（不上浮）"},
                "parameters": [_param(scale, p) for p in COMPONENT_PARAMETERS["degree_uplift"]],
            },
            {
                "component": "performance_pay",
                "label": COMPONENT_LABELS["performance_pay"],
                "amount": money_text(amounts["performance_pay"]),
                "how": (
                    f"{money_text(post_pay)} × {_pct(scale.performance_share)} × {line['coefficient']} "
                    f"= {money_text(amounts['performance_pay'])}"
                    if post_pay is not None
                    else "未计算"
                ),
                "values": {"上年度考核等次": line["assessment"] or "空白（尚未考核，按未考核系数）"},
                "parameters": [_param(scale, p) for p in COMPONENT_PARAMETERS["performance_pay"]],
            },
            {
                "component": "adjustments",
                "label": COMPONENT_LABELS["adjustments"],
                "amount": money_text(amounts["adjustments"]),
                "how": "本月奖惩记录的金额之和（其他月份的不计入）",
                "values": _adjustments_read(result, person),
                "parameters": [],
            },
            {
                "component": "total",
                "label": COMPONENT_LABELS["total"],
                "amount": money_text(amounts["total"]),
                "how": (
                    " + ".join(money_text(amounts[c]) or "" for c in COMPONENTS[:4])
                    + f" = {money_text(amounts['total'])}"
                    if amounts["total"] is not None
                    else "本行暂不发放"
                ),
                "values": {
                    "预期区间": f"{money_text(scale.band[0])}–{money_text(scale.band[1])}（两端在内；超出只提示）"
                },
                "parameters": [_param(scale, p) for p in COMPONENT_PARAMETERS["total"]],
            },
        ]
        ident = ids[person]
        entry: dict[str, Any] = {
            "source": row["_file"],
            "sheet": row["_sheet"],
            "row": int(row["_row"]),
            "id_number": ident or None,
            "name": row["name"] if isinstance(row["name"], str) else None,
            "township": row["township"] if isinstance(row["township"], str) else None,
            "village": row["village"] if isinstance(row["village"], str) else None,
            "month": month_text(result.month),
            "post": line["post"],
            "paid": bool(line["paid"]),
            "total": money_text(amounts["total"]),
            "components": components,
            "findings": findings.get(int(person), []),
        }
        raw_id = person_ids(people.loc[[person]], False)[0]
        if result.changes is not None:
            entry["change"] = next((c for c in result.changes if c["id_number"] == raw_id), None)
        if result.back_pay_from is not None:
            mine = [b for b in result.back_pay if b.get("_person") == person]
            entry["back_pay"] = [
                {
                    "month": month_text(b["month"]),
                    "due": money_text(b["due"]),
                    "paid": money_text(b["paid"]),
                    "difference": money_text(b["difference"]),
                    "cause": b["cause"],
                    "components": b["components"],
                    "findings": b["findings"],
                }
                for b in mine
            ]
        if mask_ids and entry.get("change"):
            entry["change"] = {**entry["change"], "id_number": id_text(entry["change"]["id_number"], True)}
        out.append(entry)
    return out


def _adjustments_read(result: PayResult, person: int) -> dict[str, str]:
    """Every adjustment record of the person, applied or not, and why."""
    out = {}
    for a in result.adjustments:
        if a.get("_person") != person:
            continue
        where = f"{Path(a['source']).name}第{a['row']}行"
        amount = a["amount"] or a["amount_written"] or "金额空白"
        state = {"applied": "计入", "not_paid": "随本行暂不发放"}.get(a["status"], a["note"])
        out[where] = f"{a['month'] or '月份不详'} {amount} {a['reason'] or ''}（{state}）"
    return out or {"奖惩记录": "无"}


__all__ = ["explain_pay"]
