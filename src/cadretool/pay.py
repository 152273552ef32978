"""Monthly pay of the serving two-committee cadres: one line per cadre, every component, totals.

roster ─ read_roster ─ serving cadres (现任职务 a two-committee post) ─┐
adjustments ─ read ─ joined by ID number, the month paid only ─────────┼─► compute_pay ─► lines + findings ─► totals
pay.yaml ─ the figures in force on the month's first day ──────────────┘   (whole columns, integer fen)
earlier payrolls ─► changes (变动) and back pay (补发): pay_history.py

Pay = post pay + degree uplift + performance pay + adjustments, each component rounded half up
to the fen. A line whose scale position, grade, degree or adjustments cannot be read is shown with
its finding and not paid (null amounts); the run goes on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import BUILT_IN
from cadretool.errors import InputError
from cadretool.money import money_text, month_text
from cadretool.numerals import chinese_int
from cadretool.output.present import order_findings
from cadretool.pay_inputs import SideFile, as_written, read_adjustments, read_payrolls
from cadretool.results import RuleInfo
from cadretool.roster.idnumber import mask_id
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, built_in_findings, concat_findings, empty_findings, read_roster
from cadretool.rules.overrides import not_yet, unused
from cadretool.rules.payrules import BONUS_PARAMETERS, PARAMETERS, PayRules, PayScale, load_pay_rules
from cadretool.rules.ruleset import RuleSet

COMPONENTS = ("post_pay", "degree_uplift", "performance_pay", "adjustments", "total")
COMPONENT_LABELS = {
    "post_pay": "岗位报酬",
    "degree_uplift": "学历上浮",
    "performance_pay": "绩效报酬",
    "adjustments": "奖惩",
    "total": "应发合计",
}
NOT_PAID = ("P01", "P02", "P03", "P05", "P06")  # a line with one of these is shown but not paid
UNPLACED = "（未填）"


@dataclass
class PayInputs:
    """What compute_pay reads, one entry per line."""

    group: np.ndarray  # 正职/副职/委员 (object; None when the post has no group)
    level: np.ndarray  # float, NaN when missing
    step: np.ndarray
    grade: np.ndarray  # assessment grade (object; None = no assessment yet)
    grade_bad: np.ndarray  # bool: written but not a grade
    degree: np.ndarray  # 在职学历 (object; None = none)
    degree_bad: np.ndarray
    adjustments: np.ndarray  # int64 fen
    level_written: np.ndarray | None = None  # the cells as written, for messages
    step_written: np.ndarray | None = None
    grade_written: np.ndarray | None = None
    degree_written: np.ndarray | None = None


@dataclass
class Computed:
    """compute_pay's answer: amounts in fen (int64; meaningful where `ok`) and why a line cannot be paid."""

    amounts: dict[str, np.ndarray]
    ok: np.ndarray
    out_of_scale: np.ndarray  # P01 message or None, per line
    missing: np.ndarray  # P02
    unknown: np.ndarray  # P03
    coefficient: np.ndarray  # the performance coefficient used (object Decimal)
    uplift_rate: np.ndarray


def rate_fen(amounts: np.ndarray, rates: Sequence[Decimal] | np.ndarray) -> np.ndarray:
    """amount × rate per entry, rounded half up to the fen (away from zero at .5), in integers:
    exact for any Decimal rate, whole columns at a time (one pass per distinct rate)."""
    amounts = np.asarray(amounts, dtype=np.int64)
    out = np.zeros(len(amounts), dtype=np.int64)
    codes, uniques = pd.factorize(pd.Series(list(rates), dtype=object), use_na_sentinel=True)
    for code, rate in enumerate(uniques):
        mask = codes == code
        out[mask] = times_half_up(amounts[mask], Decimal(rate))
    return out


def times_half_up(amounts: np.ndarray, rate: Decimal) -> np.ndarray:
    """amounts × rate, each rounded half up to a whole number, exactly."""
    num, den = rate.as_integer_ratio()
    a = np.asarray(amounts, dtype=np.int64)
    if not len(a):
        return a
    if int(np.abs(a).max()) * abs(num) * 2 + den >= 2**62:
        a = a.astype(object)  # Python integers past int64's range: still exact
    product = a * num * 2
    positive = (product + den) // (2 * den)
    negative = -((-product + den) // (2 * den))
    return np.where(product >= 0, positive, negative).astype(np.int64)


def compute_pay(inp: PayInputs, scale: PayScale) -> Computed:
    """Every component of every line under one month's figures, over whole columns."""
    n = len(inp.level)
    level, step = np.asarray(inp.level, dtype=float), np.asarray(inp.step, dtype=float)
    have = ~np.isnan(level) & ~np.isnan(step)
    whole = have & (level == np.floor(level)) & (step == np.floor(step))
    lv = np.where(whole, level, 0).astype(np.int64)
    st = np.where(whole, step, 0).astype(np.int64)
    groups = pd.Series(inp.group, dtype=object)
    hi = groups.map({g: r[0] for g, r in scale.level_range.items()}).to_numpy(dtype=float)
    lo = groups.map({g: r[1] for g, r in scale.level_range.items()}).to_numpy(dtype=float)
    max_step = pd.Series(lv).map(scale.steps).to_numpy(dtype=float)
    in_range = whole & (lv >= hi) & (lv <= lo) & (st >= 1) & (st <= max_step)
    post_pay = scale.base + (scale.lowest_level - lv) * scale.per_level + (st - 1) * scale.per_step
    post_pay = np.where(in_range, post_pay, 0).astype(np.int64)

    grade = pd.Series(inp.grade, dtype=object)
    coefficient = grade.map(scale.coefficient).to_numpy(dtype=object).copy()
    assessed = grade.notna().to_numpy()
    coefficient[~assessed] = scale.unassessed
    grade_known = ~inp.grade_bad & (~assessed | pd.notna(coefficient))
    degree = pd.Series(inp.degree, dtype=object)
    uplift_rate = degree.map(scale.uplift).to_numpy(dtype=object).copy()
    uplift_rate[pd.isna(uplift_rate)] = Decimal(0)
    degree_known = ~np.asarray(inp.degree_bad, dtype=bool)
    rates = [scale.performance_share * (c if isinstance(c, Decimal) else Decimal(0)) for c in coefficient]
    uplift = rate_fen(post_pay, uplift_rate)
    performance = rate_fen(post_pay, rates)
    adjustments = np.asarray(inp.adjustments, dtype=np.int64)
    total = post_pay + uplift + performance + adjustments

    out_of_scale = np.full(n, None, dtype=object)
    missing = np.full(n, None, dtype=object)
    unknown = np.full(n, None, dtype=object)
    blank = np.full(n, None, dtype=object)
    level_said = inp.level_written if inp.level_written is not None else blank
    step_said = inp.step_written if inp.step_written is not None else blank
    for i in np.flatnonzero(~whole):
        parts = []
        for what, value, said in (("岗位等级", level[i], level_said[i]), ("档次", step[i], step_said[i])):
            if np.isnan(value) or value != np.floor(value):
                parts.append(f"{what}“{said}”无法识别（应为整数，如8或8级）" if said else f"缺少{what}")
        missing[i] = "，".join(parts) + "，无法计算岗位报酬"
    for i in np.flatnonzero(whole & ~in_range):
        g = inp.group[i]
        if g not in scale.level_range:
            out_of_scale[i] = f"职务类别“{g or '未知'}”没有岗位等级范围"
        elif not hi[i] <= lv[i] <= lo[i]:
            out_of_scale[i] = f"{g}的岗位等级应为{int(hi[i])}–{int(lo[i])}级，填写为{lv[i]}级"
        else:
            steps = scale.steps.get(int(lv[i]))
            out_of_scale[i] = f"{lv[i]}级只有1–{steps}档，填写为{st[i]}档"
    gw = inp.grade_written if inp.grade_written is not None else grade.to_numpy(dtype=object)
    dw = inp.degree_written if inp.degree_written is not None else degree.to_numpy(dtype=object)
    for i in np.flatnonzero(~grade_known | ~degree_known):
        parts = []
        if not grade_known[i]:
            parts.append(f"上年度考核等次“{gw[i]}”没有绩效系数（应为{'、'.join(scale.coefficient)}或空白）")
        if not degree_known[i]:
            parts.append(f"在职学历“{dw[i]}”无法识别，无法确定学历上浮")
        unknown[i] = "；".join(parts)
    ok = in_range & grade_known & degree_known
    amounts = {
        "post_pay": post_pay,
        "degree_uplift": uplift,
        "performance_pay": performance,
        "adjustments": adjustments,
        "total": total,
    }
    return Computed(amounts, ok, out_of_scale, missing, unknown, coefficient, uplift_rate)


# ---------------------------------------------------------------- the job


@dataclass
class PayResult:
    """Everything `pay` found.

    lines: one row per serving cadre (index = person number of the roster frame): post, group,
           level, step, assessment, degree, each component and the total in fen (Int64, null
           where the line is not paid) and `paid`;
    findings: one row per finding on a line (the vet findings shape);
    adjustments: every adjustment record with what became of it (status, note);
    changes / back_pay: against the earlier payrolls (§6.5), when given.
    """

    roster: Roster
    month: int
    scale: PayScale
    lines: pd.DataFrame
    findings: pd.DataFrame
    adjustments: list[dict[str, Any]]
    adjustment_inputs: list[InputInfo]
    rules: list[RuleInfo]
    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    previous: list[dict[str, Any]] = field(default_factory=list)  # source and month of each earlier payroll
    changes: list[dict[str, Any]] | None = None
    back_pay: list[dict[str, Any]] = field(default_factory=list)
    back_pay_from: int | None = None
    notes: list[str] = field(default_factory=list)
    side_warnings: list[str] = field(default_factory=list)
    side_errors: list[InputError] = field(default_factory=list)
    overrides: list[Any] = field(default_factory=list)  # what-if --set values the run used
    inputs: PayInputs | None = None  # what compute_pay read, for a what-if comparison
    comparison: Any = None  # --compare: the payroll against the rule set's own values (compare.Comparison)

    @property
    def people(self) -> pd.DataFrame:
        """The roster rows of the lines, in line order."""
        return self.roster.frame.loc[self.lines.index]

    @property
    def warnings(self) -> list[str]:
        return self.roster.warnings + self.side_warnings

    @property
    def errors(self) -> list[InputError]:
        return self.roster.errors + self.side_errors

    def totals(self) -> dict[str, Any]:
        """Paid totals in fen: county, per township, per township/village."""
        return pay_totals(self.people, self.lines)

    def back_pay_total(self) -> int:
        """补发合计: what is owed; an overpayment is listed for review, never deducted."""
        return sum(b["difference"] for b in self.back_pay if b["difference"] is not None and b["difference"] > 0)

    def summary(self) -> dict[str, Any]:
        paid = self.lines["paid"] if len(self.lines) else pd.Series(dtype=bool)
        return {
            "people": int(len(self.lines)),
            "paid": int(paid.sum()),
            "not_paid": int((~paid).sum()),
            "total": money_text(self.totals()["county"]),
        }


def pay(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    month: int,
    adjustments: Sequence[Path | InputError] = (),
    previous: Sequence[Path | InputError] = (),
    back_pay_from: int | None = None,
    sheets: list[str] | None = None,
    pay_rules: PayRules | None = None,
) -> PayResult:
    """The payroll of `month` (a whole-number month, money.parse_month) for the rosters named;
    unreadable inputs are errors in the result, never exceptions."""
    pay_rules = pay_rules or load_pay_rules(ruleset)
    (result,) = pay_under(
        rosters,
        ruleset,
        [pay_rules],
        month=month,
        adjustments=adjustments,
        previous=previous,
        back_pay_from=back_pay_from,
        sheets=sheets,
    )
    return result


def pay_under(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    pay_rules: Sequence[PayRules],
    *,
    month: int,
    adjustments: Sequence[Path | InputError] = (),
    previous: Sequence[Path | InputError] = (),
    back_pay_from: int | None = None,
    sheets: list[str] | None = None,
) -> list[PayResult]:
    """The payroll under each of `pay_rules` (the rule set's and a what-if's), every input read once."""
    for rules in pay_rules:
        rules.for_month(month)  # a month the rule set has no figures for fails before any reading
    notes: list[str] = []
    roster = read_roster(expand_named(rosters, notes), ruleset.columns, sheets=sheets)
    spec = pay_rules[0].inputs
    side = read_adjustments(adjustments, spec["adjustments"], month) if adjustments else None
    payrolls, errors = (
        read_payrolls([p for p in previous if isinstance(p, Path)], spec["payroll"]) if previous else ([], [])
    )
    results = []
    copies = roster.for_each(len(pay_rules))
    for rules, read in zip(pay_rules, copies, strict=True):
        result = pay_roster(read, ruleset, rules, month=month, adjustments=side)
        result.notes[:0] = notes
        if previous:
            from cadretool.pay_history import add_history

            result.side_errors += [p for p in previous if isinstance(p, InputError)] + errors
            add_history(result, payrolls, rules, ruleset, back_pay_from=back_pay_from)
        elif back_pay_from is not None:
            result.side_errors.append(
                InputError("--back-pay-from", "补发需要用 --previous 给出这些月份实际发放的工资表")
            )
        results.append(result)
    return results


def serving(people: pd.DataFrame, ruleset: RuleSet) -> np.ndarray:
    """Who is on the payroll: a two-committee post in 现任职务 (村民组长, 监委会, 第一书记 … are not)."""
    posts = ruleset.columns.posts.two_committee
    return people["current_post"].isin(posts).to_numpy(dtype=bool) if len(people) else np.zeros(0, dtype=bool)


def pay_roster(
    roster: Roster, ruleset: RuleSet, pay_rules: PayRules, *, month: int, adjustments: SideFile | None = None
) -> PayResult:
    """The payroll of a roster already read."""
    scale = pay_rules.for_month(month)
    people = roster.frame
    on_payroll = serving(people, ruleset)
    staff = people[on_payroll]
    index = staff.index
    notes = _who_is_not_on_payroll(roster, people, on_payroll, ruleset)
    bad = _unreadable(roster, index)
    level, step, level_written, step_written = _scale_position(staff, roster)
    posts = ruleset.columns.posts
    group = staff["current_post"].map(posts.group_of).to_numpy(dtype=object)
    adj = _join_adjustments(adjustments, staff, people, on_payroll, month)
    inputs = PayInputs(
        group=group,
        level=level,
        step=step,
        grade=_objects(staff["last_assessment"]),
        grade_bad=bad["last_assessment"],
        degree=_objects(staff["degree_in_service"]),
        degree_bad=bad["degree_in_service"],
        adjustments=adj.sums,
        level_written=level_written,
        step_written=step_written,
        grade_written=_written_where(staff, roster, "last_assessment", bad["last_assessment"]),
        degree_written=_written_where(staff, roster, "degree_in_service", bad["degree_in_service"]),
    )
    computed = compute_pay(inputs, scale)
    duplicate = _duplicates(staff)
    findings = [
        _reading_problems(roster, index, level, step),
        _messages(index, "P01", computed.out_of_scale, ["pay_level", "pay_step", "current_post"]),
        _messages(index, "P02", computed.missing, ["pay_level", "pay_step"]),
        _messages(index, "P03", computed.unknown, ["last_assessment", "degree_in_service"]),
        adj.findings,
        _messages(index, "P06", duplicate, ["id_number"]),
    ]
    blocked = concat_findings(findings)
    stopped = blocked.loc[blocked["rule"].isin(NOT_PAID), "person"].unique()
    paid = computed.ok & ~np.isin(index.to_numpy(), stopped)
    total = computed.amounts["total"]
    low, high = scale.band
    outside = paid & ((total < low) | (total > high))
    band = np.full(len(index), None, dtype=object)
    for i in np.flatnonzero(outside):
        side = "低于" if total[i] < low else "高于"
        band[i] = (
            f"月报酬合计 {money_text(int(total[i]))} 元{side}预期区间 {money_text(low)}–{money_text(high)} 元，请核对"
        )
    findings.append(_messages(index, "P04", band, ["pay_level", "pay_step"]))
    rule_infos = pay_rule_infos()
    ordered = order_findings(concat_findings(findings), [r.id for r in rule_infos])
    lines = pd.DataFrame(
        {
            "post": pd.Series(_objects(staff["current_post"]), index=index, dtype=object),
            "group": pd.Series(group, index=index, dtype=object),
            "level": _whole_numbers(level),
            "step": _whole_numbers(step),
            "assessment": pd.Series(inputs.grade, index=index, dtype=object),
            "degree": pd.Series(inputs.degree, index=index, dtype=object),
            **{name: _nullable(values, paid) for name, values in computed.amounts.items()},
            "paid": paid,
            "coefficient": pd.Series(computed.coefficient, index=index, dtype=object),
            "uplift_rate": pd.Series(computed.uplift_rate, index=index, dtype=object),
        },
        index=index,
    )
    adjustment_records = adj.records
    unpaid_rows = set(index[~paid])
    for record in adjustment_records:
        if record["status"] == "applied" and record["_person"] in unpaid_rows:
            record["status"] = "not_paid"
            record["note"] = "此人本月工资行暂不发放（见该行的待核实事项），本条未发放"
    if adjustments is not None:
        notes += adjustments.notes
    notes += not_yet(pay_rules.overrides, scale.date)
    notes += unused(pay_rules.overrides, set(PARAMETERS) - set(BONUS_PARAMETERS), "pay")
    return PayResult(
        roster=roster,
        month=month,
        scale=scale,
        lines=lines,
        findings=ordered,
        adjustments=adjustment_records,
        adjustment_inputs=adjustments.inputs if adjustments is not None else [],
        rules=rule_infos,
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        notes=notes,
        side_warnings=(adjustments.warnings if adjustments is not None else []) + adj.warnings,
        side_errors=list(adjustments.errors) if adjustments is not None else [],
        overrides=list(pay_rules.overrides),
        inputs=inputs,
    )


def _objects(values: pd.Series) -> np.ndarray:
    """A column as an object array with None (never NaN) for a blank."""
    return values.astype(object).where(values.notna(), None).to_numpy(dtype=object)


def _whole_numbers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Levels and steps as whole numbers; a blank or a fraction is null."""
    whole = ~np.isnan(values) & (values == np.floor(values))
    out = pd.array(np.where(whole, values, 0).astype(np.int64), dtype="Int64")
    out[~whole] = pd.NA
    return out


def _nullable(values: np.ndarray, keep: np.ndarray) -> pd.arrays.IntegerArray:
    """Fen as a nullable column: null where the line is not paid."""
    out = pd.array(np.asarray(values, dtype=np.int64), dtype="Int64")
    out[~keep] = pd.NA
    return out


def pay_rule_infos() -> list[RuleInfo]:
    """The findings a pay run can make, for the 规则 sheet."""
    return [
        RuleInfo(k.id, k.title, k.kind, k.severity, "在职“两委”干部", "", k.basis)
        for k in BUILT_IN
        if k.kind in ("pay", "data")
    ]


def _messages(index: pd.Index, rule: str, messages: np.ndarray, fields: list[str]) -> pd.DataFrame:
    mask = pd.notna(messages) & (messages != "")
    mask = np.asarray(mask, dtype=bool)
    return built_in_findings(index[mask], rule, list(messages[mask]), fields)


def _unreadable(roster: Roster, index: pd.Index) -> dict[str, np.ndarray]:
    """Per pay field, the lines whose cell the reader could not read (D07)."""
    p = roster.problems
    out = {}
    for name in ("last_assessment", "degree_in_service", "pay_level", "pay_step"):
        if p.empty:
            out[name] = np.zeros(len(index), dtype=bool)
            continue
        rows = p.loc[(p["rule"] == "D07") & p["fields"].map(lambda f, n=name: n in f), "person"]
        out[name] = index.isin(rows.unique())
    return out


_LEVEL_STEP = re.compile(
    r"^第?([0-9一二两三四五六七八九十]+)\s*(级|档)?\s*(?:第?([0-9一二两三四五六七八九十]+)\s*档)?$"
)


def level_step_text(text: Any) -> tuple[int | None, int | None, str | None]:
    """A level or step as clerks write it: 8, 8级, 第3档, 三档, 十二级, 8级2档 → (number, step, unit)."""
    if not isinstance(text, str):
        return None, None, None
    m = _LEVEL_STEP.match("".join(text.split()))
    if not m:
        return None, None, None
    first = chinese_int(m[1])
    second = chinese_int(m[3]) if m[3] else None
    if first is None or first < 0 or (m[3] and (second is None or second < 0)):
        return None, None, None
    return first, second, m[2]


def _reading_problems(roster: Roster, index: pd.Index, level: np.ndarray, step: np.ndarray) -> pd.DataFrame:
    """The roster's data problems (D01–D08) on the lines, but for the levels and steps written in
    words that pay reads all the same (8级, 第2档, 三档)."""
    p = roster.problems
    if p.empty:
        return empty_findings()
    mine = p[p["person"].isin(index)]
    for name, values in (("pay_level", level), ("pay_step", step)):
        got = pd.Series(~np.isnan(values), index=index)
        on_field = (mine["rule"] == "D07") & mine["fields"].map(lambda f, n=name: n in f)
        mine = mine[~(on_field & mine["person"].map(got).fillna(False).astype(bool))]
    return mine


def _written_where(staff: pd.DataFrame, roster: Roster, name: str, mask: np.ndarray) -> np.ndarray:
    """A field's cells as written, for the lines in `mask` only (the few a message quotes)."""
    out = np.full(len(staff), None, dtype=object)
    if mask.any():
        out[mask] = as_written(staff[mask], roster.sheets, name).to_numpy(dtype=object)
    return out


def _scale_position(staff: pd.DataFrame, roster: Roster) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Level and step as numbers: the reader's number, else the cell read as 8级 / 第3档 / 三档 / 8级2档."""
    level = staff["pay_level"].to_numpy(dtype=float, na_value=np.nan).copy()
    step = staff["pay_step"].to_numpy(dtype=float, na_value=np.nan).copy()
    unread = np.isnan(level) | np.isnan(step)  # only these cells need reading as written
    level_written = _written_where(staff, roster, "pay_level", unread)
    step_written = _written_where(staff, roster, "pay_step", unread)
    for i in np.flatnonzero(np.isnan(level) & pd.notna(level_written)):
        number, second, _unit = level_step_text(level_written[i])
        if number is not None:
            level[i] = number
            if second is not None and np.isnan(step[i]):
                step[i] = second
    for i in np.flatnonzero(np.isnan(step) & pd.notna(step_written)):
        number, _second, unit = level_step_text(step_written[i])
        if number is not None and unit != "级":
            step[i] = number
    return level, step, level_written, step_written


def _duplicates(staff: pd.DataFrame) -> np.ndarray:
    """P06: the same ID number on two payroll lines; names the other rows."""
    out = np.full(len(staff), None, dtype=object)
    ids = staff["id_number"]
    dup = (ids.notna() & ids.duplicated(keep=False)).to_numpy()
    if not dup.any():
        return out
    where = staff["_sheet"].astype(str) + "第" + staff["_row"].astype(str) + "行"
    groups = where[dup].groupby(ids[dup].to_numpy()).agg(list)
    for i in np.flatnonzero(dup):
        others = [w for w in groups[ids.iloc[i]] if w != where.iloc[i]]
        out[i] = "同一身份证号码在工资表中出现多次（另见" + "、".join(others[:5]) + "），核实后只发一份"
    return out


def note_lacking_columns(roster: Roster, fields: Sequence[str], ruleset: RuleSet) -> None:
    """Say once per sheet with people which columns the job reads and the sheet lacks (as vet does), so
    a clerk adds the column instead of reading the same finding on every line."""
    for sheet in roster.sheets:
        mapped = {c.field for c in sheet.columns if c.field}
        named = [f for f in fields if any(n.startswith(f"{ruleset.columns.label(f)}取自") for n in sheet.notes)]
        lacking = [ruleset.columns.label(f) for f in fields if f not in mapped and f not in named]
        if sheet.rows and lacking:
            sheet.notes.append(f"本表没有 {'、'.join(f'“{f}”' for f in lacking)} 列")


def _who_is_not_on_payroll(roster: Roster, people: pd.DataFrame, on_payroll: np.ndarray, ruleset: RuleSet) -> list[str]:
    note_lacking_columns(roster, ("current_post", "pay_level", "pay_step"), ruleset)
    notes = []
    graded = people["pay_level"].notna().to_numpy() & ~on_payroll
    if graded.any():
        rows = people[graded]
        shown = "、".join(f"{s}第{r}行" for s, r in zip(rows["_sheet"], rows["_row"], strict=True))
        notes.append(
            f"{int(graded.sum())}人填有岗位等级但现任职务不是“两委”职务，未列入工资表：{shown[:200]}"
            + ("…" if len(shown) > 200 else "")
        )
    return notes


# ---------------------------------------------------------------- adjustments


@dataclass
class JoinedAdjustments:
    sums: np.ndarray  # fen per line
    records: list[dict[str, Any]]
    findings: pd.DataFrame
    warnings: list[str]


def _first_by_key(frame: pd.DataFrame) -> dict[str, int]:
    """Join key → the first row that has it."""
    keys = _join_key(frame).to_numpy(dtype=object)
    out: dict[str, int] = {}
    for key, person in zip(keys[::-1], frame.index[::-1], strict=True):
        if key is not None:
            out[key] = person
    return out


def _join_key(frame: pd.DataFrame) -> pd.Series:
    """The number a record or line is joined by: the valid ID, else an invalid one written the same
    way on both sides (never a masked or Excel-mangled one: those say too little)."""
    key = frame["id_number"].astype(object)
    text = frame["id_text"].astype(object)
    plain = (frame["id_status"] == "invalid").to_numpy() & ~text.astype(str).str.contains("*", regex=False).to_numpy()
    return key.where(key.notna() | ~plain, text).where(lambda k: k.notna(), None)


def _join_adjustments(
    side: SideFile | None, staff: pd.DataFrame, people: pd.DataFrame, on_payroll: np.ndarray, month: int
) -> JoinedAdjustments:
    """Each record to its line by ID number: summed where it is this month's; listed with why where
    it is another month's, unreadable or nobody's. Money is never applied on a name alone."""
    sums = np.zeros(len(staff), dtype=np.int64)
    if side is None or side.frame.empty:
        return JoinedAdjustments(sums, [], empty_findings(), [])
    rec = side.frame
    position = {p: i for i, p in enumerate(staff.index)}
    line_of = _first_by_key(staff)
    others = people[~on_payroll]
    other_of = _first_by_key(others)
    keys = _join_key(rec).to_numpy(dtype=object)
    # the namesakes of records no ID number joins: looked up once, for those names only
    loose = [n for k, n in zip(keys, rec["name"], strict=True) if isinstance(n, str) and k not in line_of]
    named = staff["name"].isin(loose).to_numpy()
    lines_by_name: dict[str, list[int]] = {}
    for person, name in zip(staff.index[named], staff["name"][named], strict=True):
        lines_by_name.setdefault(name, []).append(person)
    sheet_of, row_of, name_of = (dict(zip(staff.index, staff[c], strict=True)) for c in ("_sheet", "_row", "name"))
    records: list[dict[str, Any]] = []
    found: dict[str, list[tuple[int, str]]] = {"P05": [], "P07": []}
    for i, r in enumerate(rec.itertuples(index=False)):
        key = keys[i]
        person = line_of.get(key) if key is not None else None
        where = f"{Path(r.source).name}第{r.row}行"
        amount = money_text(r.amount) if r.amount is not None else None
        said = f"{where}，{amount or r.amount_written or '金额空白'}，{r.reason or '未写事由'}"
        this_month = r.month == month
        unsure_month = r.month is None
        record = {
            "source": r.source,
            "sheet": r.sheet,
            "row": int(r.row),
            "id_number": r.id_number if isinstance(r.id_number, str) else r.id_as_written,
            "name": r.name,
            "amount": amount,
            "amount_written": r.amount_written,
            "month": month_text(r.month) if r.month is not None else None,
            "reason": r.reason,
            "_person": None,
            "line": None,
        }
        problem = "；".join(p for p in (r.amount_problem, r.month_problem) if p)
        if person is not None:
            record["_person"] = int(person)
            record["line"] = {"sheet": sheet_of[person], "row": int(row_of[person])}
            if problem and (this_month or unsure_month):
                record.update(status="unreadable", note=f"{problem}，本人本月工资行暂不发放")
                found["P05"].append((person, f"奖惩记录（{where}）{problem}，无法计算本月奖惩，本行暂不发放"))
            elif not this_month:
                record.update(status="other_month", note=f"属于 {record['month']}，不计入 {month_text(month)}")
                if problem:
                    record["note"] += f"（{problem}）"
            else:
                record.update(status="applied", note="")
                sums[position[person]] += r.amount
            name = name_of[person]
            if (this_month or unsure_month) and isinstance(r.name, str) and isinstance(name, str) and r.name != name:
                found["P07"].append(
                    (
                        person,
                        f"奖惩记录（{said}）姓名为“{r.name}”，与花名册“{name}”不一致，请核实",
                    )
                )
            records.append(record)
            continue
        other = other_of.get(key) if key is not None else None
        if other is not None:
            post = people.at[other, "current_post"]
            why = f"此人现任职务为“{post or '空白'}”，不是在职“两委”干部，不在工资表中"
        else:
            why = _why_unjoined(r)
        namesakes = lines_by_name.get(r.name, []) if isinstance(r.name, str) else []
        if len(namesakes) == 1 and other is None and (this_month or unsure_month):
            twin = namesakes[0]
            why += f"；工资表中“{r.name}”（{sheet_of[twin]}第{row_of[twin]}行）姓名相同，已在其工资行提示核实"
            found["P07"].append(
                (
                    namesakes[0],
                    f"奖惩记录（{said}）{_why_unjoined(r)}，姓名与本人相同，未计入；请核实后改正身份证号码",
                )
            )
        record.update(status="unmatched", note=why + (f"（{problem}）" if problem else ""))
        records.append(record)
    findings = concat_findings(
        [
            built_in_findings([p for p, _ in found[rule]], rule, [m for _, m in found[rule]], ["id_number"])
            for rule in ("P05", "P07")
        ]
    )
    warnings = []
    for source, rows in rec.groupby("source").groups.items() if len(staff) else []:
        mine = [records[int(i)] for i in rows]
        if mine and not any(m["_person"] is not None for m in mine):
            warnings.append(
                f"{source}: {len(mine)}条奖惩记录没有一条对应工资表中的人员（身份证号码都不在在职干部中），"
                "请确认是否选错了文件"
            )
    return JoinedAdjustments(sums, records, findings, warnings)


def _why_unjoined(r: Any) -> str:
    written = r.id_as_written if isinstance(r.id_as_written, str) else None
    if r.id_status == "missing" or written is None:
        return "缺少身份证号码"
    if r.id_status in ("valid", "converted"):
        return f"花名册中没有身份证号码 {mask_id(written)}"
    if "*" in written:
        return f"身份证号码 {written} 被遮挡"
    if r.id_status == "mangled":
        return f"身份证号码 {mask_id(written)} 被Excel按数字保存，已丢失位数"
    return f"身份证号码 {mask_id(written)} 无效"


# ---------------------------------------------------------------- totals


def place_keys(people: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Township and township/village of each row, blanks shown as （未填）."""
    township = people["township"].where(people["township"].notna(), UNPLACED).astype(str)
    village = people["village"].where(people["village"].notna(), UNPLACED).astype(str)
    return township, township + "/" + village


def pay_totals(people: pd.DataFrame, lines: pd.DataFrame) -> dict[str, Any]:
    """Paid totals in fen: county, per township, per township/village (every place with a line)."""
    if not len(lines):
        return {"county": 0, "townships": {}, "villages": {}}
    township, village = place_keys(people)
    total = lines["total"].fillna(0).astype("int64")
    return {
        "county": int(total.sum()),
        "townships": {k: int(v) for k, v in total.groupby(township.to_numpy(), sort=False).sum().items()},
        "villages": {k: int(v) for k, v in total.groupby(village.to_numpy(), sort=False).sum().items()},
    }


__all__ = [
    "COMPONENTS",
    "COMPONENT_LABELS",
    "Computed",
    "PayInputs",
    "PayResult",
    "compute_pay",
    "level_step_text",
    "pay",
    "pay_roster",
    "pay_rule_infos",
    "pay_totals",
    "rate_fen",
    "serving",
    "times_half_up",
]
