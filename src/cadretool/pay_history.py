"""Month to month (SPEC §6.5): what changed since last month's payroll, and back pay (补发).

changes  last month's payroll ─┐
                               ├─► joined / left / changed, each changed component with its cause
         this month's lines ───┘   (level/step, post, grade, degree, a dated parameter, adjustments)
back pay the payrolls actually paid for the months since --back-pay-from ─► each line recomputed
         with that month's recorded values (and a level the roster dates back with 定级时间) under
         the figures in force that month; due − paid per person and month. An overpayment is a
         review finding, never deducted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import built_in
from cadretool.errors import InputError
from cadretool.money import money_text, month_of, month_text
from cadretool.output.present import person_ids
from cadretool.pay import COMPONENTS, PayInputs, PayResult, compute_pay
from cadretool.pay_inputs import Payroll
from cadretool.roster.idnumber import mask_id
from cadretool.rules.overrides import WHAT_IF
from cadretool.rules.payrules import COMPONENT_PARAMETERS, PayRules
from cadretool.rules.ruleset import RuleSet

CURRENT_COLUMNS = ("post", "level", "step", "assessment", "degree")


def add_history(
    result: PayResult,
    payrolls: Sequence[Payroll],
    pay_rules: PayRules,
    ruleset: RuleSet,
    *,
    back_pay_from: int | None,
) -> None:
    """Fill `result.previous`, `changes` (against the latest earlier month) and `back_pay`."""
    by_month: dict[int, Payroll] = {}
    for payroll in payrolls:
        if payroll.month in by_month:
            result.side_errors.append(
                InputError(
                    payroll.source,
                    f"与 {by_month[payroll.month].source} 都是 {month_text(payroll.month)} 的工资表，每月只能给一份",
                )
            )
            continue
        by_month[payroll.month] = payroll
    result.previous = [
        {"source": p.source, "month": month_text(m), "lines": len(p.frame)} for m, p in sorted(by_month.items())
    ]
    for m, p in sorted(by_month.items()):
        if m >= result.month:
            result.notes.append(
                f"{p.source}: 是 {month_text(m)} 的工资表，不早于所发月份 {month_text(result.month)}，未使用"
            )
    earlier = [m for m in by_month if m < result.month]
    if earlier:
        result.changes = changes(result, by_month[max(earlier)], pay_rules, ruleset)
        if max(earlier) != result.month - 1:  # the clerk's monthly check is against last month
            result.notes.append(
                f"变动是与 {month_text(max(earlier))} 的工资表（{by_month[max(earlier)].source}）比较的，"
                f"没有给出上月 {month_text(result.month - 1)} 的工资表"
            )
    if back_pay_from is None:
        return
    result.back_pay_from = back_pay_from
    months = list(range(back_pay_from, result.month))
    lacking = [m for m in months if m not in by_month]
    if lacking:
        result.side_errors.append(
            InputError(
                "--previous",
                "补发需要每个月实际发放的工资表，缺少 "
                + "、".join(month_text(m) for m in lacking)
                + " 的，这些月份未计算补发",
            )
        )
    result.back_pay = back_pay(result, [by_month[m] for m in months if m in by_month], pay_rules, ruleset)


# ---------------------------------------------------------------- joining payrolls to lines


def _keys(ids: Sequence[Any], names: Sequence[Any], masked: bool) -> list[str | None]:
    """Who a line is: the ID number; against a payroll written with --mask-ids, the masked number
    and the name together."""
    if masked:
        return [f"{mask_id(i)}|{n}" if isinstance(i, str) and i else None for i, n in zip(ids, names, strict=True)]
    return [i if isinstance(i, str) and i else None for i in ids]


def _masked(payroll: Payroll) -> bool:
    return bool(payroll.frame["id_number"].astype(str).str.contains("*", regex=False).any())


def current_table(result: PayResult, masked: bool = False) -> pd.DataFrame:
    """This month's lines as one table keyed like a payroll: id, name, place, inputs and amounts (fen)."""
    people = result.people
    lines = result.lines
    ids = person_ids(people, False)
    table = pd.DataFrame(
        {
            "person": lines.index.to_numpy(),
            "id_number": ids,
            "name": people["name"].to_numpy(dtype=object),
            "township": people["township"].to_numpy(dtype=object),
            "village": people["village"].to_numpy(dtype=object),
            **{c: lines[c].to_numpy(dtype=object) for c in CURRENT_COLUMNS},
            **{c: lines[c].to_numpy(dtype=object) for c in COMPONENTS},
        }
    )
    table["key"] = _keys(ids, table["name"], masked)
    return _nones(table)


def _nones(frame: pd.DataFrame) -> pd.DataFrame:
    """Blanks as None in every column (pandas' NaN and NA compare unequal to themselves)."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def _level_text(level: Any, step: Any) -> str:
    return f"{level if level is not None else '?'}级{step if step is not None else '?'}档"


def _plain(value: Any) -> Any:
    return None if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value


def _amount(value: Any) -> int | None:
    value = _plain(value)
    return None if value is None else int(value)


# ---------------------------------------------------------------- changes (变动)


def changes(result: PayResult, previous: Payroll, pay_rules: PayRules, ruleset: RuleSet) -> list[dict[str, Any]]:
    """Who joined, who left and every component that changed since `previous`, with its cause."""
    masked = _masked(previous)
    now = current_table(result, masked).drop_duplicates("key", keep="first")
    before = previous.frame.assign(
        key=_keys(previous.frame["id_number"].tolist(), previous.frame["name"].tolist(), masked)
    )
    before = before.drop_duplicates("key", keep="first")
    # last month recomputed under today's rule set: a value dated back since then shows here
    again = compute_pay(recorded_inputs(before, ruleset), pay_rules.for_month(previous.month))
    for c in COMPONENTS:
        before[f"{c}_again"] = np.where(again.ok, again.amounts[c], None)
    merged = now.merge(before, on="key", how="outer", suffixes=("", "_before"), indicator=True)
    merged = _nones(merged)
    then = _first_day(previous.month)
    changed_params = pay_rules.changes_between(then, _first_day(result.month))
    scale_now, scale_then = pay_rules.for_month(result.month), pay_rules.for_month(previous.month)
    adjustments = _applied_adjustments(result)
    moved = [name for name, param in pay_rules.params.items() if len(param.values) > 1]  # ever re-dated
    out: list[dict[str, Any]] = []
    for row in merged.to_dict("records"):
        state = row["_merge"]
        if row["key"] is None:
            continue
        if state == "left_only":
            out.append(_entry(row, "joined", [
                {"component": c, "before": None, "after": money_text(_amount(row[c])),
                 "cause": f"本月新列入工资表（现任{row['post'] or '职务不详'}），上月工资表没有此人"}
                for c in COMPONENTS
            ]))  # fmt: skip
            continue
        if state == "right_only":
            out.append(_entry(row, "left", [
                {"component": c, "before": money_text(_amount(row[f"{c}_before"])), "after": None,
                 "cause": "本月不在工资表：花名册中没有此人，或现任职务已不是“两委”职务"}
                for c in COMPONENTS
            ], before=True))  # fmt: skip
            continue
        components = []
        for c in COMPONENTS:
            old, new = _amount(row[f"{c}_before"]), _amount(row[c])
            if old == new:
                continue
            cause = _cause(c, row, changed_params, scale_then, scale_now, adjustments) or _redone(
                c, row, scale_then, moved
            )
            components.append({"component": c, "before": money_text(old), "after": money_text(new), "cause": cause})
        if components:
            out.append(_entry(row, "changed", components))
    return out


def _first_day(month: int) -> dt.date:
    year, m0 = divmod(month, 12)
    return dt.date(year, m0 + 1, 1)


def _entry(row: dict[str, Any], kind: str, components: list[dict[str, Any]], before: bool = False) -> dict[str, Any]:
    suffix = "_before" if before else ""
    return {
        "id_number": row[f"id_number{suffix}"],
        "name": row[f"name{suffix}"],
        "township": row[f"township{suffix}"],
        "village": row[f"village{suffix}"],
        "kind": kind,
        "components": components,
    }


def _applied_adjustments(result: PayResult) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for a in result.adjustments:
        if a["status"] in ("applied", "not_paid") and a["_person"] is not None:
            out.setdefault(a["_person"], []).append(f"{a['reason'] or '未写事由'} {a['amount']}")
    return out


def _param_change(name: str, scale_then: Any, scale_now: Any) -> str:
    new = scale_now.used[name]
    old = scale_then.used[name].value
    return f"参数 {name}（{new.title}）自 {new.start} 起 {_shown(old)} → {_shown(new.value)}（{new.reference}）"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + "、".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def _cause(
    component: str,
    row: dict[str, Any],
    changed_params: list[str],
    scale_then: Any,
    scale_now: Any,
    adjustments: dict[int, list[str]],
) -> str:
    """Why a component changed: the inputs and parameters it reads that differ from last month."""
    causes: list[str] = []
    was_paid = row["total_before"] is not None
    is_paid = row["total"] is not None
    if was_paid != is_paid:
        causes.append("上月暂不发放，本月发放" if is_paid else "本月暂不发放（见工资行备注）")
    post_moved = row["post"] != row["post_before"]
    level_moved = (row["level"], row["step"]) != (row["level_before"], row["step_before"])
    if component in ("post_pay", "degree_uplift", "performance_pay", "total"):
        if post_moved:
            causes.append(f"职务 {row['post_before'] or '空白'} → {row['post'] or '空白'}")
        if level_moved:
            old = _level_text(row["level_before"], row["step_before"])
            causes.append(f"岗位等级/档次 {old} → {_level_text(row['level'], row['step'])}")
    if component in ("degree_uplift", "total") and row["degree"] != row["degree_before"]:
        causes.append(f"在职学历 {row['degree_before'] or '无'} → {row['degree'] or '无'}")
    if component in ("performance_pay", "total") and row["assessment"] != row["assessment_before"]:
        causes.append(f"考核等次 {row['assessment_before'] or '未考核'} → {row['assessment'] or '未考核'}")
    if component in ("degree_uplift", "performance_pay") and (post_moved or level_moved) and not causes[-1:]:
        causes.append("岗位报酬变动")
    reads = [p for c in (COMPONENTS if component == "total" else (component,)) for p in COMPONENT_PARAMETERS[c]]
    if component in ("degree_uplift", "performance_pay"):
        reads += list(COMPONENT_PARAMETERS["post_pay"])
    causes += [_param_change(p, scale_then, scale_now) for p in dict.fromkeys(reads) if p in changed_params]
    if component in ("adjustments", "total") and _amount(row["adjustments"]) != _amount(row["adjustments_before"]):
        mine = adjustments.get(row["person"], []) if row["person"] is not None else []
        said = "；".join(mine) if mine else "无"
        causes.append(f"奖惩：本月 {said}（上月合计 {money_text(_amount(row['adjustments_before'])) or '无'}）")
    return "；".join(causes)


def _redone(component: str, row: dict[str, Any], scale_then: Any, moved: list[str]) -> str:
    """The cause when nothing in the roster or the rules changed between the months: last month's
    payroll differs from last month recomputed under today's rule set (a value dated back)."""
    recorded, again = _amount(row[f"{component}_before"]), _amount(row[f"{component}_again"])
    if again is None or again == recorded:
        return "上月工资表的数额与按上月数据计算的结果不一致（可能上月有手工调整），请核对上月工资表"
    reads = COMPONENTS if component == "total" else ("post_pay", component)
    names = dict.fromkeys(p for c in reads for p in COMPONENT_PARAMETERS[c])
    dated = [_dated(p, scale_then) for p in names if p in moved]
    what_if = any(scale_then.used[p].reference.startswith(WHAT_IF) for p in names if p in scale_then.used)
    under = "按假设参数（不是已采纳的政策）" if what_if else "按现行规则集"
    return (
        f"上月工资表所发 {money_text(recorded)}，{under}上月应为 {money_text(again)}"
        + (f"（{'；'.join(dated)}）" if dated else "")
        + "；差额可用 --back-pay-from 计算补发"
    )


def _dated(name: str, scale: Any) -> str:
    u = scale.used[name]
    return f"参数 {name}（{u.title}）自 {u.start} 起为 {_shown(u.value)}（{u.reference}）"


def recorded_inputs(frame: pd.DataFrame, ruleset: RuleSet) -> PayInputs:
    """A payroll's recorded values (post, level, step, grade, degree, adjustments) as pay inputs."""
    posts = ruleset.columns.posts
    n = len(frame)
    return PayInputs(
        group=np.array([posts.group_of(p) if isinstance(p, str) else None for p in frame["post"]], dtype=object),
        level=_floats(frame["level"].to_numpy(dtype=object)),
        step=_floats(frame["step"].to_numpy(dtype=object)),
        grade=frame["assessment"].to_numpy(dtype=object),
        grade_bad=np.zeros(n, dtype=bool),
        degree=frame["degree"].to_numpy(dtype=object),
        degree_bad=np.zeros(n, dtype=bool),
        adjustments=np.array([_amount(v) or 0 for v in frame["adjustments"]], dtype=np.int64),
    )


# ---------------------------------------------------------------- back pay (补发)


def back_pay(
    result: PayResult, payrolls: Sequence[Payroll], pay_rules: PayRules, ruleset: RuleSet
) -> list[dict[str, Any]]:
    """One line per person and month where what was due under that month's figures differs from
    what was paid: due − paid. Each month is recomputed over whole columns."""
    out: list[dict[str, Any]] = []
    if not payrolls:
        return out
    first = result.back_pay_from if result.back_pay_from is not None else payrolls[0].month
    # a value dated within the window (or in the month before, paid from the next month) explains a difference
    window = _first_day(first - 1)
    people = result.people
    dates = people["pay_level_date"] if "pay_level_date" in people else pd.Series(pd.NaT, index=people.index)
    level_month = {
        int(p): month_of(d.date()) for p, d in zip(people.index, pd.to_datetime(dates), strict=True) if pd.notna(d)
    }
    for payroll in payrolls:
        out += _month_back_pay(result, payroll, pay_rules, ruleset, level_month, window)
    return out


def _month_back_pay(
    result: PayResult,
    payroll: Payroll,
    pay_rules: PayRules,
    ruleset: RuleSet,
    level_month: dict[int, int],
    window: dt.date,
) -> list[dict[str, Any]]:
    masked = _masked(payroll)
    now = current_table(result, masked).drop_duplicates("key", keep="first")
    keys = _keys(payroll.frame["id_number"].tolist(), payroll.frame["name"].tolist(), masked)
    frame = _nones(payroll.frame.assign(key=keys))
    cur = _nones(frame[["key"]].merge(now, on="key", how="left"))
    # a level or step the roster dates back (定级时间 on or before this month) replaces the recorded one
    effective = np.array([level_month.get(int(p), 10**9) if p is not None else 10**9 for p in cur["person"]])
    differs = np.array(
        [
            (a, b, c) != (x, y, z)
            for a, b, c, x, y, z in zip(
                cur["post"], cur["level"], cur["step"], frame["post"], frame["level"], frame["step"], strict=True
            )
        ],
        dtype=bool,
    )
    regrade = (effective <= payroll.month) & differs & cur["person"].notna().to_numpy()
    post = np.where(regrade, cur["post"].to_numpy(dtype=object), frame["post"].to_numpy(dtype=object))
    level = _floats(np.where(regrade, cur["level"].to_numpy(dtype=object), frame["level"].to_numpy(dtype=object)))
    step = _floats(np.where(regrade, cur["step"].to_numpy(dtype=object), frame["step"].to_numpy(dtype=object)))
    posts = ruleset.columns.posts
    inputs = recorded_inputs(frame, ruleset)
    inputs.group = np.array([posts.group_of(p) if isinstance(p, str) else None for p in post], dtype=object)
    inputs.level, inputs.step = level, step
    scale = pay_rules.for_month(payroll.month)
    due = compute_pay(inputs, scale)
    paid = np.array([_amount(v) for v in frame["total"]], dtype=object)
    owed = np.where(due.ok, due.amounts["total"], None)
    listed = ~due.ok | np.array([o != (p or 0) for o, p in zip(owed, paid, strict=True)], dtype=bool)
    recent = [p for p in scale.used if scale.used[p].start >= window]
    label = month_text(payroll.month)
    out = []
    for i in np.flatnonzero(listed):
        record = frame.iloc[i]
        findings: list[dict[str, Any]] = []
        causes = []
        if regrade[i]:
            old = _level_text(_plain(record["level"]), _plain(record["step"]))
            new = _level_text(_plain(cur["level"].iloc[i]), _plain(cur["step"].iloc[i]))
            causes.append(f"定级时间 {month_text(effective[i])}：岗位等级/档次 {old} → {new}")
        if paid[i] is None:
            causes.append("当月暂不发放")
        if owed[i] is None:
            why = due.out_of_scale[i] or due.missing[i] or due.unknown[i] or "数据不全"
            findings.append(_finding("P09", f"{label} 应发无法按当月数据计算：{why}"))
        else:
            differing = [c for c in COMPONENTS[:3] if _amount(record[c]) != int(due.amounts[c][i])]
            reads = [p for c in differing for p in (*COMPONENT_PARAMETERS["post_pay"], *COMPONENT_PARAMETERS[c])]
            for p in dict.fromkeys(reads):
                if p in recent:
                    u = scale.used[p]
                    causes.append(
                        f"按 {label} 适用的参数 {p}（{u.title}）= {_shown(u.value)}，自 {u.start} 起（{u.reference}）"
                    )
            if not causes:
                causes.append("当月工资表的数额与按当月数据和参数重算的结果不一致，请核对")
            if paid[i] is not None and owed[i] < paid[i]:
                over = money_text(paid[i] - owed[i])
                findings.append(
                    _finding(
                        "P08",
                        f"{label} 已发 {money_text(paid[i])} 元，按当月适用的规定应发 {money_text(owed[i])} 元，"
                        f"多发 {over} 元；请核实，不自动扣回",
                    )
                )
        out.append(
            {
                "id_number": record["id_number"],
                "name": record["name"],
                "township": record["township"],
                "village": record["village"],
                "month": payroll.month,
                "due": owed[i],
                "paid": paid[i],
                "difference": None if owed[i] is None else owed[i] - (paid[i] or 0),
                "cause": "；".join(causes),
                "components": [
                    {
                        "component": c,
                        "due": money_text(int(due.amounts[c][i])) if owed[i] is not None else None,
                        "paid": money_text(_amount(record[c])),
                    }
                    for c in COMPONENTS
                ],
                "findings": findings,
                "source": record["source"],
                "row": int(record["row"]),
                "_person": cur["person"].iloc[i],
            }
        )
    return out


def _floats(values: np.ndarray) -> np.ndarray:
    return np.array([np.nan if v is None or v is pd.NA else float(v) for v in values], dtype=float)


def _finding(rule: str, message: str) -> dict[str, Any]:
    kind = built_in(rule)
    return {"rule": rule, "severity": kind.severity, "message": message, "basis": kind.basis}


__all__ = ["add_history", "back_pay", "changes", "current_table"]
