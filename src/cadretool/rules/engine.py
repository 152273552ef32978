"""Evaluating a rule set over whole columns: applicability, conditions, findings, traces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import DERIVED, sources_of
from cadretool.parts import across_parts
from cadretool.roster.columns import OTHER_GROUP
from cadretool.roster.table import built_in_findings, concat_findings, make_findings
from cadretool.roster.text import factorize_typed, first_positions, map_unique
from cadretool.rules import expr as ex
from cadretool.rules.overrides import WHAT_IF
from cadretool.rules.ruleset import Rule, RuleSet, Template

MISSING_TEXT = "空"


@dataclass
class Context:
    """What rules read: the roster frame, the rule set and the as-of date."""

    frame: pd.DataFrame
    ruleset: RuleSet
    as_of: dt.date

    def __post_init__(self) -> None:
        self.params = self.ruleset.param_values(self.as_of)
        self.env = person_env(self.frame, self.ruleset, self.as_of, self.params)


def _param_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    return value


def whole_years(birth: pd.Series, as_of: dt.date) -> pd.Series:
    """Age in whole years completed at `as_of` (the birthday counts on the day); NaN where unknown."""
    birth = pd.to_datetime(birth)
    as_of_ts = pd.Timestamp(as_of)
    months = (as_of_ts.year - birth.dt.year) * 12 + (as_of_ts.month - birth.dt.month)
    months = months - (as_of_ts.day < birth.dt.day).astype("float64")
    return np.floor(months.astype("float64") / 12)


def person_env(frame: pd.DataFrame, ruleset: RuleSet, as_of: dt.date, params: dict[str, Any]) -> ex.Env:
    """An evaluation environment over the roster frame."""
    index = frame.index
    as_of_ts = pd.Timestamp(as_of)
    posts = ruleset.columns.posts
    # the evaluator needs only the ordered vocabularies: they compare by rank
    kinds: dict[str, str] = {}
    ranks: dict[str, dict[str, int]] = {}
    for name, spec in ruleset.columns.fields.items():
        if spec.vocabulary is not None and spec.vocabulary.ranks:
            kinds[name] = f"ordered:{spec.vocabulary.name}"
            ranks[spec.vocabulary.name] = spec.vocabulary.ranks

    def column(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name]
        return pd.Series([None] * len(index), index=index, dtype="object")

    def resolve(name: str) -> Any:
        if name in params:
            return _param_value(params[name])
        if name in ruleset.params:
            ruleset.params[name].at(as_of)  # raises: no value in force on the as-of date
        if name == "as_of":
            return as_of_ts
        if name == "age":
            return whole_years(column("birth_date"), as_of)
        if name == "new_entrant":
            # no two-committee post now (blank, 村民组长, 第一书记 …) is a new entrant; a roster
            # without that column cannot tell
            result = pd.Series(
                ~column("current_post").isin(posts.two_committee).to_numpy(), index=index, dtype="boolean", copy=False
            )
            if "_has_current_post" in frame.columns:
                result[~frame["_has_current_post"].fillna(False).to_numpy(dtype=bool)] = pd.NA
            return result
        if name == "post_group":
            post = column("proposed_post")
            return pd.Series(
                map_unique(post, lambda p: posts.group_of(p) if isinstance(p, str) else None),
                index=index,
                dtype=object,
                copy=False,
            )
        if name == "party_post":
            # a party post, alone or held with another (副书记兼主任), or 委员 written as 支委
            post = column("proposed_post")
            party = column("proposed_post_party").fillna(False).to_numpy(dtype=bool) | post.isin(posts.party).to_numpy()
            result = pd.Series(
                party & post.isin(posts.two_committee).to_numpy(), index=index, dtype="boolean", copy=False
            )
            result[post.isna().to_numpy()] = pd.NA
            return result
        return column(name)

    return ex.Env(index, resolve, kinds, ranks)


def applies_mask(rule: Rule, env: ex.Env) -> pd.Series:
    """Where a rule applies: its posts (unknown post = not applied) and its `when` condition."""
    index = env.index
    mask = np.zeros(len(index), dtype=bool)
    for target in rule.applies_to:
        if target == "everyone":
            mask[:] = True
            break
        mask |= _post_target(target, env)
    if rule.when is not None:
        mask &= ex.evaluate(rule.when, env).fillna(False).to_numpy(dtype=bool)
    return pd.Series(mask, index=index, copy=False)


def _post_target(target: str, env: ex.Env) -> np.ndarray:
    """Who holds a post an `applies_to` names, worked out once per target for all the rules."""
    key = f"\0applies_to:{target}"  # not a name a rule can write
    if key not in env.cache:
        if target == "party_post":
            found = env.get("party_post").fillna(False).to_numpy(dtype=bool)
        elif target == "two_committee":
            group = env.get("post_group")
            found = (group.notna() & (group != OTHER_GROUP)).to_numpy(dtype=bool)
        else:
            # a post group (正职) or a post (书记); 委员 names both, and they agree
            found = _equal_to(env.get("post_group"), target) | _equal_to(env.get("proposed_post"), target)
        env.cache[key] = found
    return env.cache[key]


def _equal_to(values: pd.Series, text: str) -> np.ndarray:
    """Cells equal to a text (never a blank), as numpy booleans."""
    return np.asarray(values.to_numpy(dtype=object) == text, dtype=bool)


def condition(rule: Rule, env: ex.Env) -> pd.Series:
    assert rule.condition is not None
    value = ex.evaluate(rule.condition, env)
    if not isinstance(value, pd.Series):
        value = pd.Series(value, index=env.index)
    return value.astype("boolean")


def input_fields(node: ex.Node | None, ruleset: RuleSet) -> list[str]:
    """The roster fields an expression reads, derived values traced back to their fields."""
    if node is None:
        return []
    fields: list[str] = []
    for name in ex.names_in(node):
        for f in sources_of(name):
            if f in ruleset.columns.fields and f not in fields:
                fields.append(f)
    return fields


def _isna(value: Any, n: int) -> np.ndarray:
    if isinstance(value, pd.Series):
        return value.isna().to_numpy()
    return np.full(n, value is None)


def shown_title(rule: Rule, ruleset: RuleSet, as_of: dt.date) -> str:
    """The title as outputs show it: the parameters it quotes ({max_age_new_entrant}) with their values
    on the as-of date; where a what-if changes a parameter the rule uses that the title does not quote
    (高中（中专）, 5年内 are the adopted wording), the value used follows it: （假设：min_education_principal=大专）."""
    params = ruleset.params
    values = {name: format_value(params[name].at(as_of)) for name in rule.title_names}
    title = rule.title.format_map(values) if rule.title_names else rule.title
    changed = {o.name for o in ruleset.overrides}
    unquoted = [p for p in rule.parameters(params) if p in changed and p not in rule.title_names]
    if unquoted:
        shown = "；".join(f"{p}={format_value(params[p].at(as_of))}" for p in unquoted)
        title += f"（{WHAT_IF}：{shown}）"
    return title


def format_value(value: Any) -> str:
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return MISSING_TEXT
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    if isinstance(value, list):
        return "、".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}{format_value(v)}" for k, v in value.items())
    return str(value)


def render(template: Template, env: ex.Env, mask: np.ndarray) -> list[str]:
    """Fill a message template for the rows in `mask`, naming the values seen."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return []
    text = template.text
    if len(positions) <= 1000:
        columns: dict[str, list[str]] = {}
        for name in template.names:
            value = env.get(name)
            if isinstance(value, pd.Series):
                columns[name] = [format_value(v) for v in value.iloc[positions]]
            else:
                columns[name] = [format_value(value)] * len(positions)
        names = list(columns)
        return [text.format_map({n: columns[n][i] for n in names}) for i in range(len(positions))]
    # many rows: each distinct combination of the values shown is written once
    key = np.zeros(len(positions), dtype=np.int64)
    shown: dict[str, tuple[np.ndarray, list[str]]] = {}
    for name in template.names:
        value = env.get(name)
        if isinstance(value, pd.Series) and isinstance(value.dtype, pd.DatetimeTZDtype):
            codes, uniques = pd.factorize(np.array([format_value(v) for v in value.iloc[positions]], dtype=object))
            texts = [*uniques, ""]
        elif isinstance(value, pd.Series):
            codes, uniques = factorize_typed(value.iloc[positions].astype(object))
            texts = [format_value(u) for u in uniques] + [format_value(None)]  # the last: blanks (-1)
        else:
            codes, texts = np.full(len(positions), -1, dtype=np.intp), [format_value(value)]
        shown[name] = (np.where(codes < 0, len(texts) - 1, codes), texts)
        key, _ = pd.factorize(key * len(texts) + shown[name][0])
        key = key.astype(np.int64)
    combos, first = np.unique(key, return_index=True)
    messages = np.array(
        [text.format_map({n: texts[codes[i]] for n, (codes, texts) in shown.items()}) for i in first], dtype=object
    )
    return messages[np.searchsorted(combos, key)].tolist()


def evaluate_person_rules(ctx: Context) -> pd.DataFrame:
    """Qualification rules (Q, S): one finding per failing person, D06 where undecidable."""
    parts: list[pd.DataFrame] = []
    undecided: list[pd.DataFrame] = []
    env, frame, ruleset = ctx.env, ctx.frame, ctx.ruleset
    index = frame.index
    post_rules = [r.id for r in ruleset.rules if r.kind == "qualification" and r.applies_to != ["everyone"]]
    if post_rules and len(frame):
        no_post = frame["proposed_post"].isna().to_numpy() if "proposed_post" in frame else np.ones(len(frame), bool)
        if no_post.any():
            parts.append(
                built_in_findings(
                    index[no_post],
                    "D06",
                    f"缺少或无法识别“拟任职务”，无法判断按职务适用的条件（{'、'.join(post_rules)}）",
                    ["proposed_post"],
                )
            )
    for rule in ruleset.rules:
        if rule.kind != "qualification":
            continue
        applies = applies_mask(rule, env).to_numpy()
        result = condition(rule, env)
        failed = applies & (result == False).fillna(False).to_numpy()  # noqa: E712 - Kleene-aware
        fields = input_fields(rule.condition, ruleset)
        if failed.any():
            parts.append(
                make_findings(
                    index[failed], rule.id, rule.severity, render(rule.message, env, failed), fields, rule.basis
                )
            )
        if rule.on_missing == "review":
            unknown = applies & result.isna().to_numpy()
            if unknown.any():
                # which inputs were unknown: a field itself, or the field a derived value comes from
                names = [
                    n
                    for n in ex.names_in(rule.condition)
                    if n in ruleset.columns.fields or (n in DERIVED and DERIVED[n].sources)
                ]
                sources = ["、".join(sources_of(n)) for n in names]
                na = (
                    np.column_stack([_isna(env.get(n), len(index))[unknown] for n in names])
                    if names
                    else np.zeros((int(unknown.sum()), 0), bool)
                )
                gone = [
                    "、".join(dict.fromkeys(s for s, missing in zip(sources, row, strict=True) if missing))
                    or "、".join(fields)
                    for row in map(tuple, na)
                ]
                undecided.append(pd.DataFrame({"person": index[unknown], "gone": gone, "rule": rule.id}))
    if undecided:
        # one D06 per person and missing value, naming every rule it leaves undecided
        table = pd.concat(undecided, ignore_index=True)
        grouped = _join_rules(table)
        labels = {g: "、".join(ruleset.columns.label(f) for f in g.split("、") if f) for g in grouped["gone"].unique()}
        msgs = [
            f"缺少或无法识别“{labels[g]}”，无法判断{r}" for g, r in zip(grouped["gone"], grouped["rule"], strict=True)
        ]
        d06 = built_in_findings(grouped["person"].to_numpy(), "D06", msgs, [])
        d06["fields"] = [tuple(g.split("、")) for g in grouped["gone"]]
        parts.append(d06)
    return concat_findings(parts)


def _join_rules(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (person, gone), sorted by both, its rules joined with 、 in their order (a
    groupby join, without a Python call per group)."""
    gone_codes, gone_values = pd.factorize(table["gone"], sort=True)
    persons = table["person"].to_numpy(dtype="int64")
    order = np.lexsort((gone_codes, persons))  # stable: rules keep their order within a group
    persons, gone_codes = persons[order], gone_codes[order]
    rules = table["rule"].to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.r_[True, (persons[1:] != persons[:-1]) | (gone_codes[1:] != gone_codes[:-1])])
    ends = np.r_[starts[1:], len(persons)] - 1
    pieces = rules + "、"
    pieces[ends] = rules[ends]
    return pd.DataFrame(
        {
            "person": persons[starts],
            "gone": np.asarray(gone_values, dtype=object)[gone_codes[starts]],
            "rule": np.add.reduceat(pieces, starts),
        }
    )


GROUP_COLUMNS = ["township", "village", "rule", "severity", "message", "basis"]


def _text_or_blank(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def evaluate_slate_rules(ctx: Context) -> pd.DataFrame:
    """Village rules (G): one finding per village whose slate has nobody meeting the rule (a
    sheet vetted in parts puts every part's villages together: a village may run across parts)."""
    return across_parts("village rules", _slate_part(ctx), _slate_findings)


def _slate_part(ctx: Context) -> dict[str, Any]:
    """What the slate rules find among one part's people: its villages (township, village) in order
    of their first person; per rule, whether anyone in each meets it, and the message from the
    village's first person where nobody does; people with no village, counted per township."""
    frame, env = ctx.frame, ctx.env
    rules = [rule for rule in ctx.ruleset.rules if rule.kind == "slate"]
    meta = [(rule.id, rule.severity, rule.basis, shown_title(rule, ctx.ruleset, ctx.as_of)) for rule in rules]
    if not len(frame):
        return {"villages": [], "rules": [(*m, np.zeros(0, dtype=bool), {}) for m in meta], "unplaced": {}}
    township = map_unique(frame["township"], _text_or_blank)
    village = map_unique(frame["village"], _text_or_blank)
    has_village = village != ""
    # each village (township and village) numbered once, for every slate rule
    town_codes, _ = factorize_typed(township)
    village_codes, village_names = factorize_typed(village)
    placed = np.flatnonzero(has_village)
    group, _ = pd.factorize(town_codes[placed].astype(np.int64) * (len(village_names) + 1) + village_codes[placed])
    n_groups = int(group.max()) + 1 if len(group) else 0
    first_at = placed[first_positions(group, n_groups)]  # each village's first person
    found = []
    for rule, m in zip(rules, meta, strict=True):
        applies = applies_mask(rule, env).to_numpy()
        met = (condition(rule, env) == True).fillna(False).to_numpy() & applies  # noqa: E712
        any_met = np.bincount(group, weights=met[placed], minlength=n_groups) > 0
        failing = np.flatnonzero(~any_met)
        messages: dict[int, str] = {}
        if len(failing):
            # the message is rendered from each failing village's first person, in one pass
            mask = np.zeros(len(frame), dtype=bool)
            mask[first_at[failing]] = True
            by_position = dict(zip(np.flatnonzero(mask).tolist(), render(rule.message, env, mask), strict=True))
            messages = {g: by_position[at] for g, at in zip(failing.tolist(), first_at[failing].tolist(), strict=True)}
        found.append((*m, any_met, messages))
    # people with no village cannot be grouped: counted per township, said instead of skipped
    unplaced = pd.Series(township[~has_village], dtype=object).value_counts()
    return {
        "villages": list(zip(township[first_at].tolist(), village[first_at].tolist(), strict=True)),
        "rules": found,
        "unplaced": {t: int(c) for t, c in unplaced.items()},
    }


def _slate_findings(parts: list[dict[str, Any]]) -> list[pd.DataFrame]:
    """The village findings of the whole sheet from its parts' (see _slate_part): a village fails
    where nobody in any part meets the rule; its message comes from its first person. The first
    part is given them all."""
    where: dict[tuple[str, str], int] = {}  # a village → its number over the whole sheet
    first: list[tuple[int, int]] = []  # each village's part and number there, where it first appears
    numbers = []
    for p, part in enumerate(parts):
        mine = np.empty(len(part["villages"]), dtype=np.int64)
        for g, key in enumerate(part["villages"]):
            at = where.setdefault(key, len(first))
            if at == len(first):
                first.append((p, g))
            mine[g] = at
        numbers.append(mine)
    unplaced: dict[str, int] = {}
    for part in parts:
        for t, count in part["unplaced"].items():
            unplaced[t] = unplaced.get(t, 0) + count
    rows: list[dict[str, Any]] = []
    for r, (rule_id, severity, basis, title, *_) in enumerate(parts[0]["rules"]):
        met = np.zeros(len(first), dtype=bool)
        for part, mine in zip(parts, numbers, strict=True):
            met[mine] |= part["rules"][r][4]
        for at in np.flatnonzero(~met).tolist():
            p, g = first[at]
            t, v = parts[p]["villages"][g]
            message = parts[p]["rules"][r][5][g]
            rows.append(
                {"township": t, "village": v, "rule": rule_id, "severity": severity, "message": message, "basis": basis}
            )
        for t in sorted(unplaced):
            rows.append(
                {
                    "township": t,
                    "village": "（未填村(社区)）",
                    "rule": rule_id,
                    "severity": "review",
                    "message": f"{unplaced[t]}名人选缺少村(社区)，无法检查“{title}”",
                    "basis": basis,
                }
            )
    rest = [pd.DataFrame(columns=GROUP_COLUMNS) for _ in parts[1:]]
    if not rows:
        return [pd.DataFrame(columns=GROUP_COLUMNS), *rest]
    found = pd.DataFrame(rows, columns=GROUP_COLUMNS).sort_values(
        ["township", "village", "rule"], kind="stable", ignore_index=True
    )
    return [found, *rest]


def evaluate_negative(ctx: Context, evidence: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Negative-list items over every record (the roster line and each joined evidence record).

    `evidence` has one row per matched record: person, item, record_date, record_type,
    record_source, record_note. Returns the findings and, per evidence row, whether it hit.
    """
    frame, ruleset = ctx.frame, ctx.ruleset
    parts: list[pd.DataFrame] = []
    # per evidence record: True hit, False did not count, None undecidable (reported as review)
    evidence_hit = np.full(len(evidence), False, dtype=object)
    n = len(frame)
    person_positions = np.arange(n)
    for rule in ruleset.negative:
        ev_rows = np.flatnonzero((evidence["item"] == rule.id).to_numpy()) if len(evidence) else np.array([], int)
        ev = evidence.iloc[ev_rows]
        ev_positions = frame.index.get_indexer(ev["person"]) if len(ev) else np.array([], int)
        positions = np.concatenate([person_positions, ev_positions]).astype(int)
        records = pd.RangeIndex(len(positions))
        flag_col = f"flag_{rule.id}"
        roster_flag = (
            frame[flag_col].astype("boolean")
            if flag_col in frame
            else pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)), index=frame.index, copy=False)
        )
        rec = rule.roster_record
        if rec.get("flag") is not None:
            roster_flag = roster_flag | ex.evaluate(rec["flag"], ctx.env).astype("boolean")
        roster_flag = roster_flag.array
        flag = pd.arrays.BooleanArray(
            np.concatenate([roster_flag.to_numpy(dtype=bool, na_value=False), np.ones(len(ev), dtype=bool)]),
            np.concatenate([roster_flag.isna(), np.zeros(len(ev), dtype=bool)]),
        )
        record_values = _record_values(frame, ev, rec, flag, records)
        env = _record_env(frame, positions, records, ctx, record_values)
        result = condition(rule, env)
        hit = (result == True).fillna(False).to_numpy()  # noqa: E712
        flagged = flag.fillna(False).to_numpy(dtype=bool)
        unknown = result.isna().to_numpy() & flagged
        persons = frame.index.to_numpy()[positions]
        evidence_hit[ev_rows] = np.where(hit[n:], True, np.where(unknown[n:], None, False))
        # one finding per record, every record that hits or cannot be decided; its message names
        # the department with the record's file and row
        cited = (ev["record_cited"] if "record_cited" in ev else ev["record_source"]).tolist()
        # the values the condition read serve the messages as well
        shown_values = {name: partial(env.get, name) for name in record_values}
        shown_values["record_source"] = partial(_roster_then, n, "花名册", cited, records)
        shown = _record_env(frame, positions, records, ctx, shown_values)
        fields = _negative_fields(rule, flag_col, ruleset)
        if hit.any():
            messages = render(rule.message, shown, hit)
            parts.append(make_findings(persons[hit], rule.id, rule.severity, messages, fields, rule.basis))
        if rule.on_unknown == "review" and unknown.any():
            messages = render(rule.unknown_message or rule.message, shown, unknown)
            parts.append(make_findings(persons[unknown], rule.id, "review", messages, fields, rule.basis))
    return concat_findings(parts), evidence_hit


def _record_values(
    frame: pd.DataFrame, ev: pd.DataFrame, rec: dict[str, Any], flag: Any, records: pd.Index
) -> dict[str, Callable[[], pd.Series]]:
    """A rule's records (the roster lines, then the department records `ev`): each value is made
    when the rule first reads it (ten rules over three million lines read two or three each)."""
    n = len(frame)

    def record_date() -> pd.Series:
        roster = (
            pd.to_datetime(frame[rec["date"]]).to_numpy(dtype="datetime64[ns]")
            if rec.get("date")
            else np.full(n, np.datetime64("NaT"), "datetime64[ns]")
        )
        dates = pd.to_datetime(ev["record_date"]).to_numpy(dtype="datetime64[ns]")
        return pd.Series(np.concatenate([roster, dates]), index=records, copy=False)

    def record_type() -> pd.Series:
        roster = frame[rec["type"]].to_numpy(dtype=object) if rec.get("type") else np.empty(n, dtype=object)  # None
        types = ev["record_type"].to_numpy(dtype=object)
        return pd.Series(np.concatenate([roster, types]), index=records, copy=False)

    def record_text() -> pd.Series:  # everything the department wrote about the record: item and note
        pairs = zip(ev["item_text"], ev["note"], strict=True)
        texts = ["；".join(t for t in pair if isinstance(t, str) and t) for pair in pairs]
        return _roster_then(n, "", texts, records)

    return {
        "flag": lambda: pd.Series(flag, index=records, copy=False),
        "record_date": record_date,
        "record_type": record_type,
        "record_source": lambda: _roster_then(n, "花名册", ev["record_source"].tolist(), records),
        "record_note": lambda: _roster_then(n, "", ev["record_note"].tolist(), records),
        "record_text": record_text,
    }


def _roster_then(n: int, roster_value: str, records: list[Any], index: pd.Index) -> pd.Series:
    """One value for each of the n roster lines, then the evidence records' own."""
    values = np.empty(n + len(records), dtype=object)
    values[:n] = roster_value
    values[n:] = records
    return pd.Series(values, index=index, dtype=object, copy=False)


def _negative_fields(rule: Rule, flag_col: str, ruleset: RuleSet) -> list[str]:
    fields = [flag_col] + [f for f in input_fields(rule.condition, ruleset) if f != flag_col]
    for key in ("date", "type"):
        if rule.roster_record.get(key):
            fields.append(rule.roster_record[key])
    return list(dict.fromkeys(fields))


def _record_env(
    frame: pd.DataFrame,
    positions: np.ndarray,
    records: pd.Index,
    ctx: Context,
    record_values: dict[str, Callable[[], pd.Series]],
) -> ex.Env:
    """Records see their person's fields and the record's values, each made when a rule first
    reads it."""
    base = ctx.env
    # no department records: the records are the roster lines in order, and a column serves as it is
    as_is = len(positions) == len(frame) and frame.index.equals(records)

    def resolve(name: str) -> Any:
        if name in record_values:
            return record_values[name]()
        value = base.get(name)
        if isinstance(value, pd.Series):
            if as_is:
                return value
            return pd.Series(value.to_numpy()[positions], index=records, dtype=value.dtype, copy=False)
        return value

    return ex.Env(records, resolve, base.kinds, base.ranks)
