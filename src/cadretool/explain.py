"""`explain`: how each rule decided for one person, with the values it read."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadretool.catalogue import DERIVED, STATUS_LABELS
from cadretool.results import VetResult
from cadretool.roster.idnumber import check_id, mask_id, normalize_id
from cadretool.roster.models import person_from_row
from cadretool.rules import expr as ex
from cadretool.rules.engine import Context, applies_mask, condition, format_value, shown_title
from cadretool.rules.ruleset import Rule, RuleSet

OUTCOME_LABELS = {
    "pass": "符合",
    "fail": "不符合",
    "unknown": "无法判断",
    "not_applicable": "不适用",
    "hit": "命中",
    "no_hit": "未命中",
}


def find_people(result: VetResult, who: str) -> list[int]:
    people = result.people
    checked = check_id(who)
    if checked.number and "id_number" in people:
        found = people.index[(people["id_number"] == checked.number).to_numpy()]
        if len(found):
            return list(found)
    written = normalize_id(who)
    if written and "id_text" in people:  # a number that is not valid, as written in the roster
        found = people.index[(people["id_text"] == written).to_numpy()]
        if len(found):
            return list(found)
    if "name" in people:
        return list(people.index[(people["name"] == who.strip()).to_numpy()])
    return []


def _values(rule: Rule, ctx: Context, position: int, ruleset: RuleSet) -> dict[str, str]:
    names: list[str] = []
    for node in (rule.when, rule.condition):
        if node is not None:
            names += [n for n in ex.names_in(node) if n not in names]
    if rule.kind == "negative":
        names = [f"flag_{rule.id}"] + [n for n in names if n not in ("flag",) and not n.startswith("record_")]
        names += [v for v in rule.roster_record.values() if isinstance(v, str)]
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        value = ctx.env.get(name)
        if isinstance(value, pd.Series):
            value = value.iloc[position]
        label = ruleset.columns.label(name) if name in ruleset.columns.fields else name
        if name in DERIVED:
            label = DERIVED[name].title
        if name in ctx.params:
            label = f"{name}（参数）"
        out[label] = format_value(value)
    return out


def explain_person(result: VetResult, ruleset: RuleSet, who: str, *, mask_ids: bool = False) -> list[dict[str, Any]]:
    """One explanation per person matching `who` (an ID number, or a name)."""
    persons = find_people(result, who)
    if not persons:
        return []
    people = result.people
    ctx = Context(result.roster.frame, ruleset, result.as_of)
    explanations = []
    for person in persons:
        position = int(people.index.get_loc(person))
        mine = result.findings[result.findings["person"] == person]
        by_rule: dict[str, list[str]] = {}
        for row in mine.itertuples(index=False):
            by_rule.setdefault(row.rule, []).append(f"[{row.severity}] {row.message}")
        steps = []
        for rule in ruleset.all_rules:
            title = shown_title(rule, ruleset, result.as_of)
            entry: dict[str, Any] = {"rule": rule.id, "title": title, "condition": rule.condition_text}
            if rule.kind == "negative":
                mine_rule = by_rule.get(rule.id, [])
                if any(m.startswith("[disqualify]") for m in mine_rule):
                    entry["outcome"] = "hit"
                else:
                    entry["outcome"] = "unknown" if mine_rule else "no_hit"
            elif rule.kind == "slate":
                applies = bool(applies_mask(rule, ctx.env).iloc[position])
                value = condition(rule, ctx.env).iloc[position]
                entry["outcome"] = (
                    "not_applicable"
                    if not applies
                    else ("unknown" if pd.isna(value) else ("pass" if value else "fail"))
                )
                entry["note"] = "按村判断：本村至少一人符合即可"
            else:
                applies = bool(applies_mask(rule, ctx.env).iloc[position])
                value = condition(rule, ctx.env).iloc[position]
                if not applies:
                    entry["outcome"] = "not_applicable"
                elif pd.isna(value):
                    entry["outcome"] = "unknown"
                else:
                    entry["outcome"] = "pass" if bool(value) else "fail"
                entry["applies_to"] = "、".join(rule.applies_to)
                if rule.when_text:
                    entry["when"] = rule.when_text
            entry["values"] = _values(rule, ctx, position, ruleset)
            entry["findings"] = by_rule.pop(rule.id, [])
            steps.append(entry)
        other = [{"rule": r, "findings": msgs} for r, msgs in sorted(by_rule.items())]
        ident = people.at[person, "id_number"] if "id_number" in people else None
        if not isinstance(ident, str) and "id_text" in people:
            ident = people.at[person, "id_text"]
        explanations.append(
            {
                "source": people.at[person, "_file"],
                "sheet": people.at[person, "_sheet"],
                "row": int(people.at[person, "_row"]),
                "id_number": (mask_id(ident) if mask_ids else ident) if isinstance(ident, str) else None,
                "name": people.at[person, "name"] if isinstance(people.at[person, "name"], str) else None,
                "status": people.at[person, "status"],
                "age": _int_or_none(ctx.env.get("age").iloc[position]),
                "person": _person_view(people.loc[person], mask_ids),
                "rules": steps,
                "other_findings": other,
            }
        )
    return explanations


def _person_view(row: pd.Series, mask_ids: bool) -> dict[str, Any]:
    view = person_from_row(row).model_dump(mode="json", exclude_none=True)
    if mask_ids and view.get("id_number"):
        view["id_number"] = mask_id(view["id_number"])
    return view


def _int_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def print_explanation(console: Console, explanations: list[dict[str, Any]]) -> None:
    for e in explanations:
        console.print(
            f"[bold]{e['name'] or ''}[/bold] {e['id_number'] or ''}  {e['source']} / {e['sheet']} 第{e['row']}行"
            f"  年龄 {e['age'] if e['age'] is not None else '不详'}"
            f"  结论：[bold]{STATUS_LABELS.get(e['status'], e['status'])}[/bold]"
        )
        table = Table(header_style="bold", show_lines=True)
        for col in ("条款", "名称", "判断", "读到的值", "发现"):
            table.add_column(col, overflow="fold")
        for step in e["rules"]:
            outcome = OUTCOME_LABELS.get(step["outcome"], step["outcome"])
            color = {"fail": "red", "hit": "red", "unknown": "yellow"}.get(step["outcome"])
            shown = f"[{color}]{outcome}[/{color}]" if color else outcome
            values = "\n".join(f"{k} = {v}" for k, v in step["values"].items())
            table.add_row(
                step["rule"], escape(step["title"]), shown, escape(values), escape("\n".join(step["findings"]))
            )
        console.print(table)
        for other in e["other_findings"]:
            for msg in other["findings"]:
                console.print(f"  {other['rule']} {msg}", markup=False)


__all__ = ["explain_person", "print_explanation", "find_people"]
