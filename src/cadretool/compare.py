"""Two results of one command side by side: a policy what-if (`--compare` with `--set`: one roster,
read once, evaluated under the rule set and under the changed parameters) and `cadretool diff
OLD.json NEW.json` (初审 and 复审, this month's payroll and last month's).

Each side becomes an outcome table (one row per person: who, where, status, amount); the
people whose status or amount changed are found over whole columns, and only they are explained
(findings added or removed, components changed). Counts go by village and township; for vet,
the villages a change leaves with no eligible candidate for a post group, under 35 or a woman;
for pay, the monthly and annual cost difference and the back pay a dated change implies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import STATUS_LABELS
from cadretool.errors import CadreToolError, InputError
from cadretool.money import money_text, month_index, month_of, month_text
from cadretool.pay import COMPONENTS, PayResult, compute_pay, place_keys
from cadretool.results import VetResult
from cadretool.roster.text import map_unique
from cadretool.rules.overrides import Override
from cadretool.rules.payrules import PayRules
from cadretool.rules.ruleset import RuleSet

POST_GROUPS = ("正职", "副职", "委员")
YOUNG, WOMAN = "年轻人选", "女性"  # YOUNG is shown as “{young_age}岁以下”, the age in force
UNPLACED = "（未填）"
# why a person is listed: the change of status or amount, and which rules or components made it
Details = Callable[[list[Any]], dict[Any, tuple[frozenset[str], dict[str, Any]]]]


@dataclass
class Comparison:
    """Who changed between two results of one command, and what that means per village.

    people: one entry per person added, removed or changed: id_number, name, township, village,
            source, sheet, row, change (added|removed|changed), before/after ({status, amount} or
            None), because (rule or component ids), findings_added, findings_removed, components;
    by_village / by_township: people and changes per place (pay: monthly totals and difference);
    villages_left_without: villages that had an eligible candidate for a post group (or under 35,
            or a woman) before and have none after;
    costs (pay): monthly and annual difference per village, township and county, and back pay.
    """

    command: str
    before: str
    after: str
    overrides: list[Override] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    by_village: list[dict[str, Any]] = field(default_factory=list)
    by_township: list[dict[str, Any]] = field(default_factory=list)
    villages_left_without: list[dict[str, Any]] = field(default_factory=list)
    costs: dict[str, Any] | None = None
    matched_by_row: int = 0
    notes: list[str] = field(default_factory=list)
    statuses: tuple[str, ...] = ("eligible", "review", "ineligible")  # the statuses counted per place

    def only(self, source: str, villages: set[tuple[str, str]]) -> Comparison:
        """The part of one input file (a workbook written beside it): its people, its villages."""
        from dataclasses import replace

        towns = {t for t, _ in villages}
        return replace(
            self,
            people=[p for p in self.people if p["source"] == source],
            by_village=[v for v in self.by_village if (v["township"], v["village"]) in villages],
            by_township=[t for t in self.by_township if t["township"] in towns],
            villages_left_without=[v for v in self.villages_left_without if (v["township"], v["village"]) in villages],
        )

    def summary(self) -> dict[str, int]:
        kinds = [p["change"] for p in self.people]
        return {
            "changed": kinds.count("changed"),
            "added": kinds.count("added"),
            "removed": kinds.count("removed"),
            "villages_left_without": len(self.villages_left_without),
        }


# ---------------------------------------------------------------- the shared core


def outcome_frame(
    people: pd.DataFrame, status: Any, amount: Any = None, keys: Any = None, groups: Any = None
) -> pd.DataFrame:
    """One row per person: where they are, their status and amount (fen or None), indexed by `keys`
    (the person number of a roster read once, or the ID number across two files)."""
    n = len(people)
    frame = pd.DataFrame(
        {
            "id_number": _col(people, "id_number", "id_text"),
            "name": _col(people, "name"),
            "township": _col(people, "township"),
            "village": _col(people, "village"),
            "source": _col(people, "_file", "source"),
            "sheet": _col(people, "_sheet", "sheet"),
            "row": _col(people, "_row", "row"),
            "status": np.asarray(status, dtype=object) if status is not None else np.full(n, None, dtype=object),
            "amount": np.asarray(amount, dtype=object) if amount is not None else np.full(n, None, dtype=object),
        }
    )
    frame.index = pd.Index(keys if keys is not None else people.index)
    if groups is not None:
        frame["group"] = np.asarray(groups, dtype=object)
    return frame


def _col(people: pd.DataFrame, *names: str) -> np.ndarray:
    for name in names:
        if name in people.columns:
            values = people[name].astype(object)
            return values.where(values.notna(), None).to_numpy(dtype=object)
    return np.full(len(people), None, dtype=object)


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise a != b with None and NaN equal to each other."""
    a_blank = pd.isna(a)
    b_blank = pd.isna(b)
    same = (a_blank & b_blank) | (~a_blank & ~b_blank & (a == b))
    return ~np.asarray(same, dtype=bool)


def person_changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    details_before: Details,
    details_after: Details,
    *,
    signature: str | None = None,
) -> list[dict[str, Any]]:
    """Every person added, removed, or whose status or amount (or `signature` column, when given)
    differs; only those are explained."""
    common = before.index.intersection(after.index, sort=False)
    b, a = before.loc[common], after.loc[common]
    moved = _differs(b["status"].to_numpy(dtype=object), a["status"].to_numpy(dtype=object))
    moved |= _differs(b["amount"].to_numpy(dtype=object), a["amount"].to_numpy(dtype=object))
    if signature is not None:
        moved |= _differs(b[signature].to_numpy(dtype=object), a[signature].to_numpy(dtype=object))
    changed = list(common[moved])
    added = list(after.index.difference(before.index, sort=False))
    removed = list(before.index.difference(after.index, sort=False))
    got_b = details_before(changed + removed)
    got_a = details_after(changed + added)
    # each frame's columns once, rows by position: a lookup per person would cost far more
    cols_b = {c: before[c].to_numpy(dtype=object) for c in before.columns}
    cols_a = {c: after[c].to_numpy(dtype=object) for c in after.columns}
    where_b = {k: i for i, k in enumerate(before.index)}
    where_a = {k: i for i, k in enumerate(after.index)}
    out = []
    for kind, keys in (("changed", changed), ("added", added), ("removed", removed)):
        if not keys:
            continue
        at_b = [where_b[k] for k in keys] if kind != "added" else None
        at_a = [where_a[k] for k in keys] if kind != "removed" else None
        for n, key in enumerate(keys):
            cols, at = (cols_a, at_a[n]) if at_a is not None else (cols_b, at_b[n])  # type: ignore[index]
            rules_b, parts_b = got_b.get(key, (frozenset(), {}))
            rules_a, parts_a = got_a.get(key, (frozenset(), {}))
            components = [
                {"component": c, "before": parts_b.get(c), "after": parts_a.get(c)}
                for c in dict.fromkeys([*parts_b, *parts_a])
                if parts_b.get(c) != parts_a.get(c)
            ]
            if kind != "changed":
                components = []
            added_rules, removed_rules = sorted(rules_a - rules_b), sorted(rules_b - rules_a)
            row = _plain(cols["row"][at])
            out.append(
                {
                    "id_number": _plain(cols["id_number"][at]),
                    "name": _plain(cols["name"][at]),
                    "township": _plain(cols["township"][at]),
                    "village": _plain(cols["village"][at]),
                    "source": _plain(cols["source"][at]),
                    "sheet": _plain(cols["sheet"][at]),
                    "row": int(row) if row is not None else None,
                    "change": kind,
                    "before": _side(cols_b, at_b[n]) if at_b is not None else None,
                    "after": _side(cols_a, at_a[n]) if at_a is not None else None,
                    "because": sorted(set(added_rules) | set(removed_rules)) + [c["component"] for c in components]
                    if kind == "changed"
                    else [],
                    "findings_added": added_rules if kind == "changed" else [],
                    "findings_removed": removed_rules if kind == "changed" else [],
                    "components": components,
                }
            )
    return out


def _side(cols: dict[str, np.ndarray], at: int) -> dict[str, Any]:
    amount = _plain(cols["amount"][at])
    return {"status": _plain(cols["status"][at]), "amount": money_text(int(amount)) if amount is not None else None}


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, list | tuple | dict | frozenset) and pd.isna(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value


def place_counts(
    before: pd.DataFrame, after: pd.DataFrame, people: list[dict[str, Any]], statuses: Sequence[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """People, statuses and amounts per village and per township, before and after, with the number
    listed as changed; only places where something changed."""
    moved: dict[tuple[str, str], int] = {}
    for p in people:
        key = (p["township"] or UNPLACED, p["village"] or UNPLACED)
        moved[key] = moved.get(key, 0) + 1
    if not moved:
        return [], []
    tables = {}
    for side, frame in (("before", before), ("after", after)):
        place = pd.DataFrame(
            {
                "township": frame["township"].fillna(UNPLACED).astype(str).to_numpy(),
                "village": frame["village"].fillna(UNPLACED).astype(str).to_numpy(),
                "status": frame["status"].to_numpy(dtype=object),
                "amount": pd.to_numeric(frame["amount"], errors="coerce").fillna(0).to_numpy(dtype=np.int64),
            }
        )
        counts = pd.crosstab([place["township"], place["village"]], place["status"])
        counts = counts.reindex(columns=list(statuses), fill_value=0)
        counts["people"] = place.groupby(["township", "village"]).size()
        counts["amount"] = place.groupby(["township", "village"])["amount"].sum()
        tables[side] = counts
    by_village = {side: _rows(table) for side, table in tables.items()}
    by_township = {side: _rows(table.groupby(level=0).sum()) for side, table in tables.items()}
    villages = []
    for key, n in sorted(moved.items()):
        villages.append({"township": key[0], "village": key[1], "changed": n, **_both(by_village, key, statuses)})
    townships: dict[str, dict[str, Any]] = {}
    for v in villages:
        t = townships.setdefault(v["township"], {"township": v["township"], "changed": 0})
        t["changed"] += v["changed"]
    for name, t in townships.items():
        t.update(_both(by_township, name, statuses))
    return villages, list(townships.values())


def _rows(table: pd.DataFrame) -> dict[Any, dict[str, int]]:
    """A count table's rows by key, as plain integers."""
    return {key: {c: int(v) for c, v in row.items()} for key, row in table.to_dict("index").items()}


def _both(tables: dict[str, dict[Any, dict[str, int]]], key: Any, statuses: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side, rows in tables.items():
        row = rows.get(key)
        out[side] = {
            "people": row["people"] if row is not None else 0,
            **{s: row[s] if row is not None else 0 for s in statuses},
        }
        out[f"{side}_amount"] = row["amount"] if row is not None else 0
    return out


# ---------------------------------------------------------------- vet


def compare_vet(before: VetResult, after: VetResult, ruleset: RuleSet, variant: RuleSet) -> Comparison:
    """The same roster vetted under the rule set and under the what-if parameters."""
    posts = ruleset.columns.posts
    post = before.people["proposed_post"]
    group = pd.Series(map_unique(post, lambda p: posts.group_of(p) if isinstance(p, str) else None), index=post.index)
    frames = [
        outcome_frame(r.people, r.people["status"].to_numpy(dtype=object), groups=group.to_numpy(dtype=object))
        for r in (before, after)
    ]
    people = person_changes(frames[0], frames[1], _vet_details(before), _vet_details(after))
    villages, townships = place_counts(frames[0], frames[1], people, ("eligible", "review", "ineligible"))
    for place in [*villages, *townships]:
        for side in ("before_amount", "after_amount"):
            place.pop(side)
    left = villages_left_without(
        before.people,
        [before.people["status"], after.people["status"]],
        group,
        [ruleset, variant],
        [before.as_of, after.as_of],  # a what-if of election_date moves the as-of date, and the ages
    )
    return Comparison(
        "vet",
        "现行规则集",
        "假设参数",
        list(variant.overrides),
        people,
        villages,
        townships,
        left,
        notes=_status_words(people),
    )


def _vet_details(result: VetResult) -> Details:
    def details(keys: list[Any]) -> dict[Any, tuple[frozenset[str], dict[str, Any]]]:
        f = result.findings
        mine = f[f["person"].isin(keys)] if len(f) and keys else f.iloc[:0]
        rules = mine.groupby("person")["rule"].agg(frozenset).to_dict() if len(mine) else {}
        return {k: (rules.get(k, frozenset()), {}) for k in keys}

    return details


def _status_words(people: list[dict[str, Any]]) -> list[str]:
    moves: dict[str, int] = {}
    for p in people:
        if p["change"] == "changed" and p["before"]["status"] != p["after"]["status"]:
            b, a = p["before"]["status"], p["after"]["status"]
            word = f"{STATUS_LABELS.get(b, b)} → {STATUS_LABELS.get(a, a)}"
            moves[word] = moves.get(word, 0) + 1
    return [f"{w}：{n} 人" for w, n in sorted(moves.items())]


def villages_left_without(
    people: pd.DataFrame,
    statuses: Sequence[pd.Series],
    group: pd.Series,
    rulesets: Sequence[RuleSet],
    as_of: Sequence[dt.date],
) -> list[dict[str, Any]]:
    """Villages with an eligible candidate for a post group (or under the young age, or a woman)
    under the first status and none under the second; the young age and the as-of date (so the
    ages) are each side's own."""
    from cadretool.rules.engine import whole_years

    if not len(people):
        return []
    township = people["township"].fillna(UNPLACED).astype(str).to_numpy()
    village = people["village"].fillna(UNPLACED).astype(str).to_numpy()
    woman = (people["gender"] == "女").fillna(False).to_numpy(dtype=bool) if "gender" in people else np.zeros(0)
    have = []
    young_age = 35
    for status, rs, on in zip(statuses, rulesets, as_of, strict=True):
        eligible = (status == "eligible").to_numpy(dtype=bool)
        age = whole_years(people["birth_date"], on).to_numpy(dtype=float, na_value=np.nan)
        young_age = rs.params["young_age"].at(on) if "young_age" in rs.params else 35
        marks = {g: eligible & (group == g).to_numpy(dtype=bool) for g in POST_GROUPS}
        marks[YOUNG] = eligible & (age < young_age)
        marks[WOMAN] = eligible & woman
        frame = pd.DataFrame({"township": township, "village": village, **marks})
        have.append(frame.groupby(["township", "village"], sort=True).any())
    before, after = have
    lost = before & ~after.reindex(before.index, fill_value=False)
    young = f"{young_age:g}岁以下"  # the young age of the second side, which the village now lacks
    out = []
    for (t, v), row in lost[lost.any(axis=1)].iterrows():
        lacking = [young if k == YOUNG else k for k in lost.columns if row[k]]
        out.append({"township": t, "village": v, "lacking": lacking})
    return out


# ---------------------------------------------------------------- pay


def compare_pay(before: PayResult, after: PayResult, base: PayRules, variant: PayRules) -> Comparison:
    """The same payroll under the pay rules and under the what-if parameters: who is paid what,
    the monthly and annual cost difference per village, township and county, and the back pay a
    change dated before the month implies."""
    frames = [
        outcome_frame(
            r.people,
            np.where(r.lines["paid"].to_numpy(dtype=bool), "paid", "not_paid"),
            [None if pd.isna(v) else int(v) for v in r.lines["total"].to_numpy(dtype=object)],
        )
        for r in (before, after)
    ]
    people = person_changes(frames[0], frames[1], _pay_details(before), _pay_details(after))
    villages, townships = place_counts(frames[0], frames[1], people, ("paid", "not_paid"))
    costs = pay_costs(before, after, base, variant)
    for place in villages:
        key = f"{place['township']}/{place['village']}"
        place["monthly_difference"] = costs["monthly"]["villages"].get(key, "0.00")
        place["annual_difference"] = costs["annual"]["villages"].get(key, "0.00")
    for place in townships:
        place["monthly_difference"] = costs["monthly"]["townships"].get(place["township"], "0.00")
        place["annual_difference"] = costs["annual"]["townships"].get(place["township"], "0.00")
    for place in [*villages, *townships]:
        for side in ("before", "after"):
            place[f"{side}_amount"] = money_text(place[f"{side}_amount"])
    moved = [(p["before"]["status"], p["after"]["status"]) for p in people if p["change"] == "changed"]
    notes = []
    if moved.count(("paid", "not_paid")):
        notes.append(
            f"发放 → 暂不发放：{moved.count(('paid', 'not_paid'))} 人（按假设参数无法计发，需核实；"
            "费用增减中按不发放计，不是节省）"
        )
    if moved.count(("not_paid", "paid")):
        notes.append(f"暂不发放 → 发放：{moved.count(('not_paid', 'paid'))} 人（按假设参数可以计发）")
    return Comparison(
        "pay",
        "现行报酬参数",
        "假设参数",
        list(variant.overrides),
        people,
        villages,
        townships,
        costs=costs,
        notes=notes,
        statuses=("paid", "not_paid"),
    )


def _pay_details(result: PayResult) -> Details:
    def details(keys: list[Any]) -> dict[Any, tuple[frozenset[str], dict[str, Any]]]:
        f = result.findings
        mine = f[f["person"].isin(keys)] if len(f) and keys else f.iloc[:0]
        rules = mine.groupby("person")["rule"].agg(frozenset).to_dict() if len(mine) else {}
        lines = result.lines.loc[[k for k in keys if k in result.lines.index]]
        parts = {
            k: {c: money_text(None if pd.isna(v) else int(v)) for c, v in zip(COMPONENTS, row, strict=True)}
            for k, row in zip(lines.index, lines[list(COMPONENTS)].itertuples(index=False), strict=True)
        }
        return {k: (rules.get(k, frozenset()), parts.get(k, {})) for k in keys}

    return details


def pay_costs(before: PayResult, after: PayResult, base: PayRules, variant: PayRules) -> dict[str, Any]:
    """Monthly (the month paid) and annual (each month of its calendar year under that month's
    values) cost difference per village, township and county, and the back pay implied: from the
    first month a dated what-if value applies up to the month before the month paid, the
    difference of each line under the values of that month (the month's roster as it is now)."""
    monthly = _place_sums(before, after.lines["total"], before.lines["total"])
    year = month_text(before.month)[:4]
    months = [month_index(int(year), m) for m in range(1, 13)]
    memo: Totals = {}
    per_line = np.zeros(len(before.lines), dtype=np.int64)
    for m in months:
        per_line += _month_difference(before, after, base, variant, m, memo)
    annual = _place_sums(before, per_line, np.zeros(len(per_line), dtype=np.int64))
    starts = [o.start for o in variant.overrides if o.start is not None]
    back: list[dict[str, Any]] = []
    back_total = 0
    first = min((month_of(s) + (s.day > 1) for s in starts), default=None)
    if first is not None and first < before.month:
        people = before.people
        ids = people["id_number"].astype(object).where(people["id_number"].notna(), None).to_numpy()
        names = people["name"].astype(object).where(people["name"].notna(), None).to_numpy()
        towns, villages = (people[c].to_numpy(dtype=object) for c in ("township", "village"))
        for m in range(first, before.month):
            due, paid = _month_totals(before, variant, m, memo), _month_totals(before, base, m, memo)
            month = month_text(m)
            for i in np.flatnonzero(due != paid).tolist():
                d, p = int(due[i]), int(paid[i])
                back_total += d - p
                back.append(
                    {
                        "id_number": ids[i],
                        "name": names[i],
                        "township": towns[i],
                        "village": villages[i],
                        "month": month,
                        "due": money_text(d),
                        "paid": money_text(p),
                        "difference": money_text(d - p),
                    }
                )
    return {
        "month": month_text(before.month),
        "year": int(year),
        "monthly": monthly,
        "annual": annual,
        "back_pay": back,
        "back_pay_total": money_text(back_total),
    }


Totals = dict[int, list[tuple[Any, np.ndarray]]]  # per payroll (by id): the values met, the lines' totals


def _month_totals(result: PayResult, rules: PayRules, month: int, memo: Totals) -> np.ndarray:
    """Each line's pay under `month`'s values (adjustments left out: they are no parameter's).
    Months whose values are the same share one computation (`memo`, kept by the caller)."""
    assert result.inputs is not None
    in_force = rules.for_month(month)
    values = in_force.values()
    done = memo.setdefault(id(result), [])
    for seen, totals in done:
        if seen == values:
            return totals
    computed = compute_pay(result.inputs, in_force)
    paid = result.lines["paid"].to_numpy(dtype=bool) & computed.ok
    totals = np.where(paid, computed.amounts["total"] - computed.amounts["adjustments"], 0)
    done.append((values, totals))
    return totals


def _month_difference(
    before: PayResult, after: PayResult, base: PayRules, variant: PayRules, month: int, memo: Totals
) -> np.ndarray:
    if base.for_month(month).values() == variant.for_month(month).values():
        return np.zeros(len(before.lines), dtype=np.int64)
    return _month_totals(after, variant, month, memo) - _month_totals(before, base, month, memo)


def _place_sums(result: PayResult, after: Any, before: Any) -> dict[str, Any]:
    """after − before per line, summed per village, township and county, as money text."""
    if not len(result.lines):
        return {"county": "0.00", "townships": {}, "villages": {}}
    township, village = place_keys(result.people)
    diff = pd.Series(
        pd.to_numeric(pd.Series(np.asarray(after, dtype=object)), errors="coerce").fillna(0).to_numpy(dtype=np.int64)
        - pd.to_numeric(pd.Series(np.asarray(before, dtype=object)), errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    )
    return {
        "county": money_text(int(diff.sum())),
        "townships": {k: money_text(int(v)) for k, v in diff.groupby(township.to_numpy(), sort=False).sum().items()},
        "villages": {k: money_text(int(v)) for k, v in diff.groupby(village.to_numpy(), sort=False).sum().items()},
    }


# ---------------------------------------------------------------- bonus and pension


def compare_bonus(before: Any, after: Any, variant: PayRules) -> Comparison:
    """The same reward under the pay rules and under the what-if shares and weights: each share
    that changes, and the reward per village and township before and after."""
    frames = [_share_frame(r) for r in (before, after)]
    people = person_changes(frames[0], frames[1], _share_details(frames[0]), _share_details(frames[1]))
    villages, townships = place_counts(frames[0], frames[1], people, ("cadre", "leader"))
    for place in [*villages, *townships]:
        place["difference"] = money_text(place["after_amount"] - place["before_amount"])
        for side in ("before", "after"):
            place[f"{side}_amount"] = money_text(place[f"{side}_amount"])
    county = sum(int(f["amount"].fillna(0).sum()) * sign for f, sign in zip(frames, (-1, 1), strict=True))
    return Comparison(
        "bonus",
        "现行奖励参数",
        "假设参数",
        list(variant.overrides),
        people,
        villages,
        townships,
        notes=[f"{before.year} 年奖励合计增减 {money_text(county)} 元"],
        statuses=("cadre", "leader"),
    )


def _share_frame(result: Any) -> pd.DataFrame:
    shares = [s for v in result.villages for s in v["shares"]]
    people = pd.DataFrame(
        {
            "id_number": [s["id_number"] for s in shares],
            "name": [s["name"] for s in shares],
            "township": [v["township"] for v in result.villages for _ in v["shares"]],
            "village": [v["village"] for v in result.villages for _ in v["shares"]],
            "source": [s["source"] for s in shares],
            "sheet": [s["sheet"] for s in shares],
            "row": [s["row"] for s in shares],
        }
    )
    keys = [f"{s['source']}|{s['sheet']}|{s['row']}" for s in shares]
    return outcome_frame(people, [s["pool"] for s in shares], [s["amount"] for s in shares], keys=keys)


def _share_details(frame: pd.DataFrame) -> Details:
    def details(keys: list[Any]) -> dict[Any, tuple[frozenset[str], dict[str, Any]]]:
        rows = frame.loc[keys]
        return {
            k: (frozenset(), {str(pool): money_text(int(amount))})
            for k, pool, amount in zip(keys, rows["status"], rows["amount"], strict=True)
        }

    return details


PENSION_STATUSES = ("已退休", "达标", "可达标", "不能达标")
PENSION_PARTS = (
    "retirement_month",
    "chosen_retirement_month",
    "months_at_retirement",
    "minimum_months",
    "shortfall_months",
    "allowance_fen",
)


def compare_pension(before: Any, after: Any) -> Comparison:
    """The same people under the pension schedule and under the what-if one: whose retirement
    month, minimum, shortfall, status or leaving allowance changes, and why."""
    frames = []
    for r in (before, after):
        people = r.people.sort_index()
        parts = people[list(PENSION_PARTS)].astype("int64")
        signature = parts.astype(str).agg("|".join, axis=1).to_numpy(dtype=object)
        allowance = parts["allowance_fen"].to_numpy()
        frame = outcome_frame(
            people, people["status"].to_numpy(dtype=object), np.where(allowance >= 0, allowance, None)
        )
        frame["signature"] = signature
        frames.append(frame)
    details = [_pension_details(r) for r in (before, after)]
    people = person_changes(frames[0], frames[1], *details, signature="signature")
    villages, townships = place_counts(frames[0], frames[1], people, PENSION_STATUSES)
    for place in [*villages, *townships]:
        place.pop("before_amount")
        place.pop("after_amount")
    return Comparison(
        "pension",
        "现行养老参数",
        "假设参数",
        list(after.overrides),
        people,
        villages,
        townships,
        statuses=PENSION_STATUSES,
    )


def _pension_details(result: Any) -> Details:
    def details(keys: list[Any]) -> dict[Any, tuple[frozenset[str], dict[str, Any]]]:
        f = result.findings
        mine = f[f["person"].isin(keys)] if len(f) and keys else f.iloc[:0]
        rules = mine.groupby("person")["rule"].agg(frozenset).to_dict() if len(mine) else {}
        rows = result.people.loc[keys]
        out = {}
        for k, row in zip(keys, rows[list(PENSION_PARTS)].itertuples(index=False), strict=True):
            parts = {}
            for name, value in zip(PENSION_PARTS, row, strict=True):
                value = int(value)
                if name == "allowance_fen":
                    parts["leaving_allowance"] = money_text(value) if value >= 0 else None
                elif name.endswith("_month"):
                    parts[name] = month_text(value) if value >= 0 else None
                else:
                    parts[name] = str(value) if value >= 0 else None
            out[k] = (rules.get(k, frozenset()), parts)
        return out

    return details


# ---------------------------------------------------------------- diff of two JSON results

DIFF_COMMANDS = ("vet", "pay", "bonus", "pension")
SLATE_LACKING = {"G01": YOUNG, "G02": WOMAN}


def read_result_json(path: Path) -> dict[str, Any]:
    """A result this tool wrote with --format json or --json; anything else is an InputError
    naming the file."""
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(path, f"无法读取 ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"不是本工具写出的 JSON 结果（{str(exc)[:80]}）") from None
    if not isinstance(data, dict) or "command" not in data or data.get("schema_version") != 1:
        raise InputError(path, "不是本工具写出的 JSON 结果（缺少 schema_version 或 command）")
    if data["command"] not in DIFF_COMMANDS:
        raise InputError(path, f"是 {data['command']} 的结果；diff 比较 {'、'.join(DIFF_COMMANDS)} 的结果")
    from pydantic import ValidationError

    from cadretool.output.schema import SCHEMAS

    try:  # a file cut short, edited by hand or written by something else: where, not a Python message
        SCHEMAS[data["command"]].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "（顶层）"
        raise InputError(
            path, f"不是完整的 {data['command']} 结果：{where} {first['msg']}（cadretool schema {data['command']}）"
        ) from None
    return data


def diff_results(old: dict[str, Any], new: dict[str, Any], old_name: str, new_name: str) -> Comparison:
    """Who was added, removed or changed between two results of one command, matched by ID
    number (by file, sheet and row where a person has no usable ID number), and why."""
    command = new["command"]
    if old["command"] != command:
        raise CadreToolError(f"{old_name} 是 {old['command']} 的结果，{new_name} 是 {command} 的结果，不能比较")
    sides = []
    for data, name in ((old, old_name), (new, new_name)):
        try:
            sides.append(_json_outcomes(command, data))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(name, f"{command} 的 JSON 结果缺少或写错了 {exc}") from None
    frames = [s[0] for s in sides]
    frames[1], renamed = _same_row_same_person(frames[0], frames[1], sides[1][1])
    people = person_changes(frames[0], frames[1], _stored(sides[0][1]), _stored(sides[1][1]), signature="signature")
    statuses = {
        "vet": ("eligible", "review", "ineligible"),
        "pay": ("paid", "not_paid"),
        "bonus": ("cadre", "leader"),
        "pension": PENSION_STATUSES,
    }[command]
    villages, townships = place_counts(frames[0], frames[1], people, statuses)
    for place in [*villages, *townships]:
        if command in ("pay", "bonus"):
            place["difference"] = money_text(place["after_amount"] - place["before_amount"])
            for side in ("before", "after"):
                place[f"{side}_amount"] = money_text(place[f"{side}_amount"])
        else:
            place.pop("before_amount")
            place.pop("after_amount")
    by_row = sum(1 for k in frames[0].index.intersection(frames[1].index) if str(k).startswith("row:"))
    corrected = [name for name, old_key, new_key in renamed if "row:" not in f"{old_key}|{new_key}"]
    # the intersection counts those whose old key is by row; add those whose new one is
    by_row += sum(
        1 for _, old_key, new_key in renamed if str(new_key).startswith("row:") > str(old_key).startswith("row:")
    )
    notes = []
    if by_row:
        notes.append(f"{by_row} 人没有有效的身份证号码（或结果用 --mask-ids 写出），按文件、工作表和行号对应")
    if corrected:
        names = "、".join(str(n) for n in corrected[:10]) + (f" 等 {len(corrected)} 人" if len(corrected) > 10 else "")
        why = "两次结果的身份证号码不同（号码已改正？），按工作表、行号和姓名对应为同一人"
        notes.append(f"{len(corrected)} 人{why}：{names}")
    for data, name in ((old, old_name), (new, new_name)):
        what_if = (data.get("rules") or {}).get("overrides") or []
        if what_if:
            sets = "、".join(f"--set {o.get('set')}" for o in what_if)
            notes.append(f"{name} 是按假设参数算的结果（{sets}），不是已采纳的政策")
    left = _slate_lost(old, new) if command == "vet" else []
    return Comparison(
        command,
        old_name,
        new_name,
        people=people,
        by_village=villages,
        by_township=townships,
        villages_left_without=left,
        matched_by_row=by_row,
        notes=notes,
        statuses=statuses,
    )


def _same_row_same_person(
    old: pd.DataFrame, new: pd.DataFrame, details: dict[Any, Any]
) -> tuple[pd.DataFrame, list[tuple[Any, Any, Any]]]:
    """People of the new result found in the old one by ID number or by neither: where the ID number
    changed (corrected, masked on one side, invalid on one side) but the sheet, row and name are the
    same, the new entry takes the old entry's key, so one person is not counted removed and added.
    Returns the new frame re-keyed and (name, old key, new key) of each person matched so."""
    old_only = old.index.difference(new.index, sort=False)
    new_only = new.index.difference(old.index, sort=False)
    if not len(old_only) or not len(new_only):
        return new, []

    def place(frame: pd.DataFrame, keys: pd.Index) -> pd.Series:
        part = frame.loc[keys]
        return part["sheet"].astype(str) + "|" + part["row"].astype(str) + "|" + part["name"].astype(str)

    was = place(old, old_only)
    was = was[~was.duplicated(keep=False)]
    lookup = pd.Series(was.index, index=was.to_numpy())
    now = place(new, new_only)
    now = now[~now.duplicated(keep=False) & now.isin(lookup.index)]
    if not len(now):
        return new, []
    rename = dict(zip(now.index, lookup.loc[now.to_numpy()].to_numpy(), strict=True))
    for key, old_key in rename.items():
        details[old_key] = details.pop(key)
    names = new.loc[list(rename), "name"].to_numpy(dtype=object)
    return new.rename(index=rename), [
        (n, old_key, key) for n, (key, old_key) in zip(names, rename.items(), strict=True)
    ]


def _stored(details: dict[Any, tuple[frozenset[str], dict[str, Any]]]) -> Details:
    return lambda keys: {k: details[k] for k in keys if k in details}


def _json_outcomes(command: str, data: dict[str, Any]) -> tuple[pd.DataFrame, dict[Any, Any]]:
    """An outcome frame and each person's findings and components, from a JSON result."""
    from cadretool.money import to_fen

    rows: list[dict[str, Any]] = []
    if command == "vet":
        for p in data["people"]:
            rows.append({**p, "amount": None, "parts": {}})
    elif command == "pay":
        for line in data["lines"]:
            parts = {c: line[c] for c in COMPONENTS}
            status = "paid" if line["total"] is not None else "not_paid"
            rows.append({**line, "status": status, "amount": to_fen(line["total"]), "parts": parts})
    elif command == "bonus":
        for v in data["villages"]:
            for s in v["shares"]:
                place = {"township": v["township"], "village": v["village"]}
                rows.append(
                    {
                        **s,
                        **place,
                        "status": s["pool"],
                        "amount": to_fen(s["amount"]),
                        "parts": {s["pool"]: s["amount"]},
                    }
                )
    else:
        for p in data["people"]:
            allowance = p.get("leaving_allowance") or {}
            parts = {k: p.get(k) for k in PENSION_JSON_PARTS}
            parts["leaving_allowance"] = allowance.get("monthly")
            rows.append({**p, "amount": to_fen(allowance.get("monthly")), "parts": parts})
    keys, seen = [], set()
    for r in rows:
        ident = r.get("id_number")
        key = ident if isinstance(ident, str) and len(ident) == 18 and "*" not in ident else None
        key = key or f"row:{r.get('source')}|{r.get('sheet')}|{r.get('row')}"
        n = 1
        while key in seen:  # the same number twice: the second is its own entry
            n += 1
            key = f"{key.split('#')[0]}#{n}"
        seen.add(key)
        keys.append(key)
    frame = outcome_frame(pd.DataFrame(rows), [r["status"] for r in rows], [r["amount"] for r in rows], keys=keys)
    details = {}
    signature = []
    for key, r in zip(keys, rows, strict=True):
        rules = frozenset(f["rule"] for f in r.get("findings") or [])
        details[key] = (rules, r["parts"])
        signature.append("|".join(sorted(rules)) + "#" + "|".join(f"{k}={v}" for k, v in r["parts"].items()))
    frame["signature"] = np.asarray(signature, dtype=object)
    return frame, details


PENSION_JSON_PARTS = (
    "retirement_month",
    "chosen_retirement_month",
    "months_at_retirement",
    "minimum_months",
    "shortfall_months",
)


def _slate_lost(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Villages with a slate finding (no candidate under 35, no woman) in the new result only."""

    def lacking(data: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
        out: dict[tuple[str, str], set[str]] = {}
        for g in data.get("groups") or []:
            for f in g["findings"]:
                if f["rule"] in SLATE_LACKING:
                    out.setdefault((g["township"], g["village"]), set()).add(SLATE_LACKING[f["rule"]])
        return out

    def young_label(data: dict[str, Any]) -> str:
        """“30岁以下” as the result's own G01 message says it (本村没有30周岁以下的人选)."""
        for g in data.get("groups") or []:
            for f in g["findings"]:
                age = re.search(r"(\d+)周岁以下", f.get("message") or "") if f["rule"] == "G01" else None
                if age:
                    return f"{age.group(1)}岁以下"
        return YOUNG

    before, after = lacking(old), lacking(new)
    young = young_label(new)
    return [
        {
            "township": t,
            "village": v,
            "lacking": sorted(young if w == YOUNG else w for w in what - before.get((t, v), set())),
        }
        for (t, v), what in sorted(after.items())
        if what - before.get((t, v), set())
    ]


__all__ = [
    "Comparison",
    "compare_bonus",
    "compare_pay",
    "compare_pension",
    "compare_vet",
    "diff_results",
    "read_result_json",
    "outcome_frame",
    "pay_costs",
    "person_changes",
    "place_counts",
    "villages_left_without",
]
