"""Pension tenure (SPEC §7.1): statutory retirement month, months contributed, the minimum that
applies, flexible retirement and the leaving allowance — for every roster person, in whole columns.

roster ─ read_roster ─► people ─► track ─► statutory retirement month ─┐
contributions ─ read_roster ─ join by ID (or name) ─► periods ─────────┼─► months so far / at
                                                                        │   retirement ─► status
rules/pension.yaml (dated) ─► ages, steps, caps, minimums, allowance ───┘

Months are whole numbers (money.month_index). Periods are merged per person without a loop
over people: sort by person and start, then one cumulative-max sweep over the whole table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import BUILT_IN
from cadretool.errors import InputError
from cadretool.money import fen, month_of, month_text, parse_month, to_decimal
from cadretool.numerals import chinese_int
from cadretool.records import (
    VALID,
    Join,
    cells_as_written,
    citations,
    id_problem,
    join_records,
    nameless_rows,
    problems_about,
    unnamed_record,
)
from cadretool.results import JobResult, RuleInfo
from cadretool.roster.columns import ColumnSpec, load_column_section
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, built_in_findings, concat_findings, read_roster
from cadretool.roster.text import clean_text, header_key, map_unique
from cadretool.rules.jobparams import JobParameters, load_job_parameters
from cadretool.rules.overrides import Override, load_with_overrides, not_yet
from cadretool.rules.ruleset import RuleSet

PARAMETERS = {
    "retirement_base_age": "table",
    "retirement_start_cohort": "table",
    "retirement_step_months": "table",
    "retirement_max_delay_months": "table",
    "default_track_men": "text",
    "default_track_women": "text",
    "minimum_contribution_months": "table",
    "flexible_early_max_months": "number",
    "flexible_delay_max_months": "number",
    "leaving_allowance_per_year": "table",
    "ongoing_words": "list",
}
STATUSES = ("已退休", "达标", "可达标", "不能达标")
# who needs the clerk first: those who cannot reach the minimum, then those nobody could compute
STATUS_ORDER = {"不能达标": 0, None: 1, "可达标": 2, "达标": 3, "已退休": 4}
NORMAL_LEAVING = "正常离任"
# the roster fields this job reads: their data problems are shown with the person
FIELDS_READ = (
    "id_number",
    "birth_date",
    "gender",
    "retirement_track",
    "flexible_retirement",
    "leaving_type",
    "leaving_date",
    "years_principal",
    "years_deputy",
    "years_member",
)
YEARS_FIELDS = {"正职": "years_principal", "副职": "years_deputy", "委员": "years_member"}
NO_MONTH = -1  # a month nobody could compute


@dataclass(frozen=True)
class Schedule:
    """The statutory retirement schedule per track, as arrays indexed by track code."""

    tracks: tuple[str, ...]
    base_months: np.ndarray  # original retirement age, in months
    start_cohort: np.ndarray  # first birth month that retires later
    step: np.ndarray  # months of birth per month of delay
    cap: np.ndarray  # most months of delay
    minimum_years: np.ndarray  # retirement years the minimums start from, ascending
    minimum_months: np.ndarray

    def code(self, tracks: pd.Series) -> np.ndarray:
        """Track names → codes (−1 for none or a track the schedule lacks)."""
        lookup = {t: i for i, t in enumerate(self.tracks)}
        return np.array([lookup.get(t, -1) for t in map_unique(tracks, lambda v: v)], dtype="int64")


def retirement_months(birth: np.ndarray, track: np.ndarray, schedule: Schedule) -> np.ndarray:
    """The statutory retirement month of each person (−1 where birth month or track is unknown):
    birth month + original age + min(cap, ⌊months born after the start cohort ÷ step⌋ + 1)."""
    known = (track >= 0) & (birth >= 0)
    t = np.where(known, track, 0)
    after = birth - schedule.start_cohort[t]
    delay = np.where(after >= 0, np.minimum(schedule.cap[t], after // schedule.step[t] + 1), 0)
    return np.where(known, birth + schedule.base_months[t] + delay, NO_MONTH)


def original_retirement_months(birth: np.ndarray, track: np.ndarray, schedule: Schedule) -> np.ndarray:
    """The month of the original retirement age (60/55/50), the floor of an early retirement."""
    known = (track >= 0) & (birth >= 0)
    return np.where(known, birth + schedule.base_months[np.where(known, track, 0)], NO_MONTH)


def minimum_months(months: np.ndarray, schedule: Schedule) -> np.ndarray:
    """The minimum contribution for a retirement in each month: by its year (the first listed
    year's minimum before it); −1 where the month is unknown."""
    pos = np.searchsorted(schedule.minimum_years, months // 12, side="right") - 1
    found = schedule.minimum_months[np.clip(pos, 0, None)]
    return np.where(months >= 0, found, NO_MONTH)


@dataclass(frozen=True)
class Coverage:
    """Per person: distinct months covered up to each limit, months listed up to the first
    limit counting overlaps, and the latest month any period reaches (−1 for none)."""

    counts: list[np.ndarray]
    listed: np.ndarray
    latest: np.ndarray


def months_covered(
    person: np.ndarray, start: np.ndarray, end: np.ndarray, limits: Sequence[np.ndarray], n_people: int
) -> Coverage:
    """Distinct months of every person's periods, overlaps counted once, up to each of `limits`
    (one last month counted per person). One sort and one cumulative-max sweep, no loop over people:
    a period adds the months from max(its start, the latest end before it + 1) to its end."""
    order = np.lexsort((start, person))
    p, s, e = person[order], start[order], end[order]
    if not len(p):
        zeros = np.zeros(n_people, dtype="int64")
        return Coverage([zeros.copy() for _ in limits], zeros, np.full(n_people, NO_MONTH, dtype="int64"))
    shift = p.astype("int64") << 32  # people apart: one running maximum serves every person
    reach = np.maximum.accumulate(e + shift) - shift
    new_person = np.empty(len(p), dtype=bool)
    new_person[0] = True
    new_person[1:] = p[1:] != p[:-1]
    before = np.empty(len(p), dtype="int64")
    before[0] = NO_MONTH
    before[1:] = reach[:-1]
    before[new_person] = np.iinfo("int64").min // 2
    first_new = np.maximum(s, before + 1)
    counts = []
    for limit in limits:
        last = np.minimum(e, limit[p])
        counts.append(_per_person(p, np.clip(last - first_new + 1, 0, None), n_people))
    listed = _per_person(p, np.clip(np.minimum(e, limits[0][p]) - s + 1, 0, None), n_people)
    latest = np.full(n_people, NO_MONTH, dtype="int64")
    last_row = np.empty(len(p), dtype=bool)
    last_row[-1] = True
    last_row[:-1] = new_person[1:]
    latest[p[last_row]] = reach[last_row]
    return Coverage(counts, listed, latest)


def _per_person(person: np.ndarray, values: np.ndarray, n_people: int) -> np.ndarray:
    return np.bincount(person, weights=values, minlength=n_people).round().astype("int64")


# ---------------------------------------------------------------- the result


@dataclass
class PensionResult(JobResult):
    """Everything `pension` computed.

    people: the roster frame plus, per person, track, birth_month, retirement_month,
            months_paid, months_at_retirement, minimum_months, shortfall_months, status,
            chosen_retirement_month, allowance_fen, allowance_from (months are month_index
            numbers, −1 for none); rows in output order (不能达标 first);
    findings: one row per finding on a person (the shape of make_findings);
    unmatched: one dict per contribution record that reaches nobody, with the reason.
    """

    people: pd.DataFrame
    findings: pd.DataFrame
    unmatched: list[dict[str, Any]]
    contribution_inputs: list[InputInfo]

    def summary(self) -> dict[str, int]:
        counts = self.people["status"].value_counts() if len(self.people) else {}
        out = {"people": int(len(self.people))}
        out.update({s: int(counts.get(s, 0)) for s in STATUSES})
        out["无法计算"] = int(self.people["status"].isna().sum()) if len(self.people) else 0
        out["unmatched_contributions"] = len(self.unmatched)
        return out


def pension(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    contributions: Sequence[str | Path | RawWorkbook | InputError],
    as_of: dt.date | None = None,
    sheets: list[str] | None = None,
    overrides: Sequence[Override] = (),
) -> PensionResult:
    """Pension figures for every person of the rosters, from their contribution records.

    Inputs are what a user names (files, folders, globs) or files already read; one that
    cannot be read is an error in the result, never an exception."""
    (result,) = pension_under(rosters, ruleset, [overrides], contributions=contributions, as_of=as_of, sheets=sheets)
    return result


def pension_under(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    variants: Sequence[Sequence[Override]],
    *,
    contributions: Sequence[str | Path | RawWorkbook | InputError],
    as_of: dt.date | None = None,
    sheets: list[str] | None = None,
) -> list[PensionResult]:
    """The figures under each set of what-if overrides (() for the rule set's own), inputs read once."""
    as_of = as_of or ruleset.election_date()
    loaded = [pension_parameters(ruleset, as_of, overrides) for overrides in variants]
    spec = load_column_section(ruleset.path / "columns.yaml", "contribution_fields")
    notes: list[str] = []
    roster = read_roster(expand_named(rosters, notes), ruleset.columns, sheets=sheets)
    records = read_roster(
        expand_named(contributions, notes), spec, required=("id_number", "name"), one_row_per_person=False
    )
    copies = roster.for_each(len(variants))
    return [
        pension_of(read, records, spec, ruleset, params, schedule, as_of, notes)
        for (params, schedule), read in zip(loaded, copies, strict=True)
    ]


def pension_parameters(
    ruleset: RuleSet, as_of: dt.date, overrides: Sequence[Override] = ()
) -> tuple[JobParameters, Schedule]:
    """pension.yaml on `as_of` and the retirement schedule it makes, what-if overrides applied."""

    def load(changed: Sequence[Override]) -> tuple[JobParameters, Schedule]:
        params = load_job_parameters(ruleset, "pension.yaml", PARAMETERS, as_of, changed)
        return params, build_schedule(params, ruleset)

    return load_with_overrides(load, overrides)


def pension_of(
    roster: Roster,
    records: Roster,
    spec: ColumnSpec,
    ruleset: RuleSet,
    params: JobParameters,
    schedule: Schedule,
    as_of: dt.date,
    notes: list[str] | None = None,
) -> PensionResult:
    """The figures for a roster and contribution records already read."""
    people = roster.frame
    n = len(people)
    as_of_month = month_of(as_of)
    found: list[pd.DataFrame] = [problems_about(roster.problems, FIELDS_READ)]

    track_names, track_findings = _tracks(people, params)
    found.append(track_findings)
    track = schedule.code(track_names)
    birth = _months(people["birth_date"])
    retire = retirement_months(birth, track, schedule)
    found.append(_unknown_retirement(people, birth, track_names, track))

    periods = _periods(records, spec, params, as_of_month)
    sheet_errors, skip = unusable_sheets(records, spec)
    join = _without(join_records(records.frame, people), records.frame.index[skip])
    found += _join_findings(records, periods, join, people)
    ok = periods["ok"].to_numpy()[records.frame.index.get_indexer(join.record)]
    at = records.frame.index.get_indexer(join.record[ok])
    person_pos = people.index.get_indexer(join.person[ok])
    start = periods["start"].to_numpy()[at]
    end = periods["end"].to_numpy()[at]

    asked_months, flexible = _flexible_requests(people, retire)
    early_months = np.where((asked_months >= 0) & (asked_months < retire), asked_months, NO_MONTH)
    as_of_limit = np.full(n, as_of_month, dtype="int64")
    before_retirement = np.minimum(as_of_limit, retire - 1)
    before_early = np.minimum(as_of_limit, np.where(early_months >= 0, early_months - 1, as_of_month))
    cover = months_covered(person_pos, start, end, [as_of_limit, before_retirement, before_early], n)
    paid, paid_before_retirement, paid_before_early = cover.counts
    contributing = cover.latest >= as_of_month
    at_retirement = paid_before_retirement + np.where(contributing, np.clip(retire - 1 - as_of_month, 0, None), 0)
    known = retire >= 0
    minimum = minimum_months(retire, schedule)
    status = np.select(
        [~known, retire <= as_of_month, paid >= minimum, at_retirement >= minimum],
        [None, "已退休", "达标", "可达标"],
        "不能达标",
    ).astype(object)
    status[~known] = None
    shortfall = np.where(known, np.clip(minimum - at_retirement, 0, None), NO_MONTH)

    overlap = cover.listed - paid
    found.append(_overlap_findings(people.index, overlap, cover.listed, paid))
    reached = np.zeros(n, dtype=bool)
    reached[people.index.get_indexer(join.person)] = True
    found.append(_no_records(people, reached))

    paid_by_early = paid_before_early + np.where(contributing, np.clip(early_months - 1 - as_of_month, 0, None), 0)
    chosen, flex_findings = _flexible(
        people,
        flexible,
        asked_months,
        retire,
        original_retirement_months(birth, track, schedule),
        paid_by_early,
        schedule,
        params,
    )
    found.append(flex_findings)
    allowance, allowance_findings = _leaving_allowance(people, params)
    found.append(allowance_findings)

    out = people.assign(
        track=track_names.to_numpy(),
        birth_month=birth,
        retirement_month=retire,
        months_paid=paid,
        months_at_retirement=np.where(known, at_retirement, NO_MONTH),
        minimum_months=minimum,
        shortfall_months=shortfall,
        status=status,
        contributing=contributing,
        chosen_retirement_month=chosen,
        allowance_fen=allowance,
        allowance_from=np.where(allowance >= 0, retire, NO_MONTH),
    )
    rank = out["status"].map(lambda s: STATUS_ORDER.get(s, 1)).to_numpy()
    # within 不能达标, people with records first: nobody listed at all is a different problem (Y02)
    out = out.iloc[np.lexsort((np.arange(n), ~reached, rank))]
    findings = concat_findings(found)
    order = {k.id: i for i, k in enumerate(BUILT_IN)}
    if len(findings):
        findings = findings.assign(_o=findings["rule"].map(order)).sort_values(["person", "_o"], kind="stable")
        findings = findings.drop(columns="_o").reset_index(drop=True)
    unmatched = _unmatched(records, periods, join)
    return PensionResult(
        roster=roster,
        people=out,
        findings=findings,
        unmatched=unmatched,
        contribution_inputs=records.inputs,
        parameters=params.uses(),
        rules=rule_infos(params),
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
        errors=[*roster.errors, *records.errors, *sheet_errors],
        warnings=[*roster.warnings, *records.warnings],
        notes=list(notes or []) + not_yet(params.overrides, as_of),
        overrides=list(params.overrides),
    )


def _without(join: Join, records: pd.Index) -> Join:
    """The join without the records of sheets that could not be used."""
    if not len(records):
        return join
    keep = ~np.isin(join.record, records.to_numpy())
    unjoined = join.unjoined[~join.unjoined.index.isin(records)]
    return Join(join.record[keep], join.person[keep], join.by_name[keep], unjoined)


def rule_infos(params: JobParameters) -> list[RuleInfo]:
    """What the 规则 sheet lists for a pension run: each parameter with its value and reference,
    then the findings the run can make."""
    infos = params.rule_infos("pension")
    infos += [
        RuleInfo(k.id, k.title, k.kind, k.severity, "全体人员", "", k.basis)
        for k in BUILT_IN
        if k.kind == "pension" or k.id in ("D01", "D02", "D03", "D04", "D05", "D06", "D07")
    ]
    return infos


# ---------------------------------------------------------------- parameters


def build_schedule(params: JobParameters, ruleset: RuleSet) -> Schedule:
    """The retirement tables of pension.yaml as arrays; every track named in one is in all, and a
    start cohort is a real YYYYMM month."""
    base = params["retirement_base_age"]
    tracks = tuple(str(t) for t in base)
    tables = {
        name: params[name]
        for name in ("retirement_start_cohort", "retirement_step_months", "retirement_max_delay_months")
    }
    for name, table in tables.items():
        if set(map(str, table)) != set(tracks):
            raise params.error(name, f"退休类别应与 retirement_base_age 相同（{'、'.join(tracks)}）")
    vocab = ruleset.columns.vocabularies.get("retirement_track")
    unknown = [t for t in tracks if vocab is not None and t not in vocab.values]
    if unknown:
        raise params.error(
            "retirement_base_age", f"退休类别 {'、'.join(unknown)} 不在 columns.yaml 的词表 retirement_track 中"
        )
    for name in ("default_track_men", "default_track_women"):
        if params[name] not in tracks:
            raise params.error(name, f"“{params[name]}”不是 retirement_base_age 中的退休类别")
    cohorts = []
    for t in tracks:
        value = tables["retirement_start_cohort"][t]
        year, month = divmod(int(value), 100)
        if value != int(value) or not 1 <= month <= 12 or not 1900 <= year <= 2200:
            raise params.error("retirement_start_cohort", f"{t} 的 {value} 不是 YYYYMM 年月")
        cohorts.append(year * 12 + month - 1)
    steps = [tables["retirement_step_months"][t] for t in tracks]
    if any(s <= 0 or s != int(s) for s in steps):
        raise params.error("retirement_step_months", "应为正整数")
    for t in tracks:
        if not 0 < base[t] <= 100 or base[t] * 12 != int(base[t] * 12):  # 60.5 is 60 years 6 months
            raise params.error("retirement_base_age", f"{t} 的 {base[t]} 不是退休年龄（应为大于0的周岁，可到整月）")
        cap = tables["retirement_max_delay_months"][t]
        if cap < 0 or cap != int(cap):
            raise params.error("retirement_max_delay_months", f"{t} 的 {cap} 应为不小于0的整月数")
    groups = ruleset.columns.posts.groups
    allowance = params["leaving_allowance_per_year"]
    unknown = [str(g) for g in allowance if str(g) not in groups]
    if unknown:
        raise params.error(
            "leaving_allowance_per_year", f"“{'、'.join(unknown)}”不是职务类别（应为：{'、'.join(groups)}）"
        )
    if any(v < 0 for v in allowance.values()):
        raise params.error("leaving_allowance_per_year", "每年的补贴应为不小于0的金额")
    for name in ("flexible_early_max_months", "flexible_delay_max_months"):
        if params[name] < 0 or params[name] != int(params[name]):
            raise params.error(name, "应为不小于0的整月数")
    minimum = params["minimum_contribution_months"]
    for year, months in minimum.items():
        if months < 0 or months != int(months):
            raise params.error("minimum_contribution_months", f"{year} 年的 {months} 应为不小于0的整月数")
    years = sorted(int(y) for y in minimum)
    return Schedule(
        tracks=tracks,
        base_months=np.array([int(round(base[t] * 12)) for t in tracks], dtype="int64"),
        start_cohort=np.array(cohorts, dtype="int64"),
        step=np.array(steps, dtype="int64"),
        cap=np.array([int(tables["retirement_max_delay_months"][t]) for t in tracks], dtype="int64"),
        minimum_years=np.array(years, dtype="int64"),
        minimum_months=np.array([int(minimum[y]) for y in years], dtype="int64"),
    )


# ---------------------------------------------------------------- people


def _months(dates: pd.Series) -> np.ndarray:
    """Dates as month numbers (−1 for none)."""
    d = pd.to_datetime(dates)
    known = d.notna().to_numpy()
    years = d.dt.year.fillna(0).to_numpy(dtype="int64")
    months = d.dt.month.fillna(1).to_numpy(dtype="int64")
    return np.where(known, years * 12 + months - 1, NO_MONTH)


def _tracks(people: pd.DataFrame, params: JobParameters) -> tuple[pd.Series, pd.DataFrame]:
    """Each person's track: 退休类别, else men 男60 and women 女55 (the defaults of pension.yaml);
    a track for the other sex (its name opens with 男 or 女) is kept and pointed out (Y06)."""
    given = people["retirement_track"] if "retirement_track" in people else pd.Series(None, index=people.index)
    gender = people["gender"] if "gender" in people else pd.Series(None, index=people.index)
    default = gender.map({"男": params["default_track_men"], "女": params["default_track_women"]})
    track = given.where(given.notna(), default).astype(object).where(lambda t: t.notna(), None)
    other_sex = (
        given.notna() & gender.notna() & (given.astype(str).str[:1] != gender.astype(str))
    ).to_numpy() & gender.isin(["男", "女"]).to_numpy()
    messages = [
        f"退休类别为“{t}”，性别为“{g}”，请核实；按“{t}”计算退休年月"
        for t, g in zip(given[other_sex], gender[other_sex], strict=True)
    ]
    return track, built_in_findings(people.index[other_sex], "Y06", messages, ["retirement_track", "gender"])


def _unknown_retirement(
    people: pd.DataFrame, birth: np.ndarray, track_names: pd.Series, track: np.ndarray
) -> pd.DataFrame:
    """D06 where the retirement month cannot be computed, saying what is missing."""
    no_birth = birth < 0
    no_track = track_names.isna().to_numpy()
    unknown_track = ~no_track & (track < 0)
    messages = []
    rows = np.flatnonzero(no_birth | no_track | unknown_track)
    for i in rows:
        lacking = []
        if no_birth[i]:
            lacking.append("出生年月（身份证号码也无法读出）")
        if no_track[i]:
            lacking.append("性别和退休类别")
        text = "缺少" + "、".join(lacking) if lacking else ""
        if unknown_track[i]:
            text += ("；" if text else "") + f"退休类别“{track_names.iloc[i]}”在 pension.yaml 中没有退休年龄"
        messages.append(text + "，无法计算法定退休年月")
    return built_in_findings(people.index[rows], "D06", messages, ["birth_date", "retirement_track"])


def _no_records(people: pd.DataFrame, reached: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(~reached)
    return built_in_findings(people.index[rows], "Y02", "缴费记录中没有此人，已缴月数按0计算", ["id_number"])


def _overlap_findings(index: pd.Index, overlap: np.ndarray, listed: np.ndarray, paid: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(overlap > 0)
    messages = [f"缴费期间有重叠：列出{listed[i]}个月，重叠的{overlap[i]}个月只计一次，共{paid[i]}个月" for i in rows]
    return built_in_findings(index[rows], "Y05", messages, [])


# ---------------------------------------------------------------- contribution periods


PERIOD_FIELDS = ("start", "end", "period", "month")  # a sheet needs one of these to give periods
_MONTH_TOKEN = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月?|\d{4}\s*[.\-/]\s*\d{1,2}|\d{6}")
ONGOING = -2  # a period written as running 至今


def unusable_sheets(records: Roster, spec: ColumnSpec) -> tuple[list[InputError], np.ndarray]:
    """Sheets of contribution files with no column a period can be read from (a roster handed in
    by mistake): one error each, and the mask of their rows (which are then not used)."""
    errors: list[InputError] = []
    skip = np.zeros(len(records.frame), dtype=bool)
    sheet_no = records.frame["_sheet_no"].to_numpy() if len(records.frame) else np.array([], dtype="int64")
    for number, sheet in enumerate(records.sheets):
        if any(c.field in PERIOD_FIELDS for c in sheet.columns):
            continue
        skip |= sheet_no == number
        wanted = "”“".join(spec.label(f) for f in ("start", "end"))
        errors.append(
            InputError(
                sheet.file,
                f"工作表“{sheet.name}”没有“{wanted}”列（也没有“{spec.label('period')}”或“{spec.label('month')}”列），"
                "读不出缴费期间，未使用 (no contribution period columns)",
            )
        )
    return errors, skip


def _split_period(value: Any, ongoing_words: set[str]) -> tuple[int, int] | str | None:
    """A period written in one cell (2015.03-2020.12, 2015年3月至今): (start, end or ONGOING),
    None for a blank, the text itself when it is not two months."""
    text = clean_text(value)
    if text is None:
        return None
    tokens = _MONTH_TOKEN.findall(text)
    try:
        months = [parse_month(re.sub(r"\s+", "", t)) for t in tokens]
    except ValueError:
        return text
    after = header_key(text[text.rfind(tokens[-1]) + len(tokens[-1]) :]) if tokens else ""
    if len(months) == 2:
        return months[0], months[1]
    if len(months) == 1 and after.lstrip("至到-~") in ongoing_words:
        return months[0], ONGOING
    return text


def _periods(records: Roster, spec: ColumnSpec, params: JobParameters, as_of_month: int) -> pd.DataFrame:
    """Each record's period as months (start, end; −1 where unknown), whether it counts (`ok`) and
    why not (`problem`). A period is 起始年月 and 截止年月 (截止 written 至今 is the as-of month:
    still contributing); else a 缴费期间 cell holding both; else one 缴费年月 (a month a row);
    a 截止 left blank beside a 缴费月数 ends that many months on."""
    frame = records.frame
    index = frame.index
    n = len(frame)

    def months_of(name: str) -> np.ndarray:
        return _months(frame[name]) if name in frame else np.full(n, NO_MONTH, dtype="int64")

    start, end, single = months_of("start"), months_of("end"), months_of("month")
    unread: dict[str, np.ndarray] = {name: np.zeros(n, dtype=bool) for name in ("start", "end", "month")}
    problems = records.problems
    if len(problems):
        d07 = problems[problems["rule"] == "D07"]
        for name, mask in unread.items():
            rows = d07.loc[d07["fields"].map(lambda fs, f=name: f in fs), "person"]
            mask[index.get_indexer(rows)] = True
    ongoing_words = {header_key(w) for w in params["ongoing_words"]}
    end_written = cells_as_written(frame, records.sheets, "end", index[unread["end"]])
    ongoing = np.zeros(n, dtype=bool)
    ongoing[index.get_indexer(end_written.index)] = end_written.map(
        lambda v: isinstance(v, str) and header_key(v) in ongoing_words
    ).to_numpy(dtype=bool)
    unread["end"] &= ~ongoing
    problem = pd.Series([None] * n, index=index, dtype=object)
    labels = {name: spec.label(name) for name in ("start", "end", "period", "month", "months")}
    for name in ("start", "end", "month"):
        written = cells_as_written(frame, records.sheets, name, index[unread[name]])
        for row, text in written.items():
            problem[row] = _join_text(problem[row], f"{labels[name]}“{text}”不是年月")
    nothing = (start < 0) & (end < 0) & ~ongoing & ~unread["start"] & ~unread["end"]
    if "period" in frame:
        split = map_unique(frame["period"], lambda v: _split_period(v, ongoing_words))
        for i in np.flatnonzero(nothing & np.array([s is not None for s in split], dtype=bool)):
            if isinstance(split[i], str):
                problem.iloc[i] = f"{labels['period']}“{split[i]}”不是起止两个年月"
                continue
            start[i] = split[i][0]
            if split[i][1] == ONGOING:
                ongoing[i] = True
            else:
                end[i] = split[i][1]
    use_single = nothing & (start < 0) & (single >= 0)
    start[use_single] = end[use_single] = single[use_single]
    if "months" in frame:
        count = pd.to_numeric(frame["months"], errors="coerce").to_numpy(dtype="float64")
        counted = (start >= 0) & (end < 0) & ~ongoing & ~unread["end"] & (np.nan_to_num(count) >= 1)
        end[counted] = start[counted] + count[counted].astype("int64") - 1
    end[ongoing] = np.maximum(as_of_month, start[ongoing])
    quiet = problem.isna().to_numpy()
    blank_start = (start < 0) & quiet & ~unread["start"]
    blank_end = (end < 0) & quiet & ~unread["end"]
    problem[blank_start & blank_end] = f"没有{labels['start']}和{labels['end']}"
    problem[blank_start & ~blank_end] = f"{labels['start']}空白"
    problem[blank_end & ~blank_start] = f"{labels['end']}空白（仍在缴费请写“至今”）"
    reversed_ = (start >= 0) & (end >= 0) & (end < start)
    problem[reversed_] = [
        f"{labels['end']}{month_text(e)}早于{labels['start']}{month_text(s)}"
        for s, e in zip(start[reversed_], end[reversed_], strict=True)
    ]
    ok = (start >= 0) & (end >= start) & problem.isna().to_numpy()
    return pd.DataFrame({"start": start, "end": end, "ok": ok, "problem": problem}, index=index)


def _join_text(first: Any, more: str) -> str:
    return f"{first}；{more}" if isinstance(first, str) and first else more


def _join_findings(records: Roster, periods: pd.DataFrame, join: Join, people: pd.DataFrame) -> list[pd.DataFrame]:
    """Y01 per unreadable period, Y03 per person found by name, Y04 per name that disagrees."""
    frame = records.frame
    if not len(join.record):
        return []
    rec = pd.DataFrame({"record": join.record, "person": join.person, "by_name": join.by_name})
    problem = periods["problem"].reindex(rec["record"]).to_numpy()
    bad = pd.notna(problem)
    given = frame["name"].reindex(rec["record"]).to_numpy() if "name" in frame else np.full(len(rec), None)
    roster_names = people["name"].reindex(rec["person"]).to_numpy()
    clash = pd.notna(given) & pd.notna(roster_names) & (given != roster_names)
    named = rec["by_name"].to_numpy()
    cited = np.full(len(rec), None, dtype=object)
    shown = bad | named | clash  # only the records a message names are cited
    cited[shown] = citations(frame, records.inputs, rec["record"].to_numpy()[shown])
    rec["cited"] = cited
    y01 = built_in_findings(
        rec["person"].to_numpy()[bad],
        "Y01",
        [f"缴费记录（{c}）{p}，此段未计入" for c, p in zip(cited[bad], problem[bad], strict=True)],
        ["contributions"],
    )
    y03 = _grouped(
        rec[named],
        frame,
        lambda rows, r: (
            (
                f"缴费记录（{rows}）{id_problem(r.id_status, r.id_text)}，无法按身份证号码对应；"
                if r.id_status not in VALID
                else f"花名册中本人的身份证号码无法使用，缴费记录（{rows}）无法按身份证号码对应；"
            )
            + f"姓名“{r.name}”与本人相同，已按本人计算，请核实"
        ),
        "Y03",
    )
    y04 = _grouped(
        rec[clash].assign(roster_name=roster_names[clash]),
        frame,
        lambda rows, r: f"缴费记录（{rows}）姓名为“{r.name}”，与花名册“{r.roster_name}”不一致，请核实是否同一人",
        "Y04",
        by="name",
    )
    return [y01, y03, y04]


def _grouped(rec: pd.DataFrame, frame: pd.DataFrame, message: Any, rule: str, by: str | None = None) -> pd.DataFrame:
    """One finding per person (and per distinct `by` value of the records), citing up to five rows."""
    if rec.empty:
        return built_in_findings([], rule, "", [])
    rec = rec.assign(
        name=frame["name"].reindex(rec["record"]).to_numpy(),
        id_status=frame["id_status"].reindex(rec["record"]).to_numpy(),
        id_text=frame["id_text"].reindex(rec["record"]).to_numpy(),
    )
    keys = ["person", by] if by else ["person"]
    groups = rec.groupby(keys, sort=False, dropna=False)
    first = groups.head(1).set_index(keys)
    cited = groups["cited"].agg(lambda c: "、".join(c.iloc[:5]) + ("等" if len(c) > 5 else ""))
    first = first.assign(shown=cited.reindex(first.index).to_numpy())
    messages = [message(r.shown, r) for r in first.reset_index().itertuples(index=False)]
    return built_in_findings(first.reset_index()["person"].to_numpy(), rule, messages, ["id_number", "name"])


def _unmatched(records: Roster, periods: pd.DataFrame, join: Join) -> list[dict[str, Any]]:
    """Every record that reaches nobody, as written, with the reason."""
    frame = records.frame
    rows = join.unjoined.index
    out = _unjoined(frame, periods, join) if len(rows) else []
    order = [(int(frame.at[r, "_sheet_no"]), int(frame.at[r, "_row"])) for r in rows]
    # a period on a row with neither ID number nor name: the reader left it out, the job shows it
    for number, sheet, row, said in nameless_rows(records.sheets, (*PERIOD_FIELDS, "months")):
        months = {f: _month_or_none(said.get(f)) for f in ("start", "end")}
        out.append(
            {
                **unnamed_record(sheet, row),
                "start": month_text(months["start"]) if months["start"] is not None else None,
                "end": month_text(months["end"]) if months["end"] is not None else None,
                "reason": "缺少身份证号码和姓名，无法对应到人员，未计入",
            }
        )
        order.append((number, row))
    return [u for _, u in sorted(zip(order, out, strict=True), key=lambda pair: pair[0])]


def _month_or_none(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_month(value)
    except ValueError:
        return None


def _unjoined(frame: pd.DataFrame, periods: pd.DataFrame, join: Join) -> list[dict[str, Any]]:
    rows = join.unjoined.index
    part = frame.loc[rows]
    start = periods.loc[rows, "start"].to_numpy()
    end = periods.loc[rows, "end"].to_numpy()
    problem = periods.loc[rows, "problem"].to_numpy()
    out = []
    for i, (r, reason) in enumerate(join.unjoined.items()):
        out.append(
            {
                "source": str(part.at[r, "_file"]),
                "sheet": str(part.at[r, "_sheet"]),
                "row": int(part.at[r, "_row"]),
                "id_number": part.at[r, "id_number"] if isinstance(part.at[r, "id_number"], str) else None,
                "id_as_written": part.at[r, "id_text"] if isinstance(part.at[r, "id_text"], str) else None,
                "name": part.at[r, "name"] if isinstance(part.at[r, "name"], str) else None,
                "start": month_text(int(start[i])) if start[i] >= 0 else None,
                "end": month_text(int(end[i])) if end[i] >= 0 else None,
                "reason": reason + (f"；{problem[i]}" if isinstance(problem[i], str) else ""),
            }
        )
    return out


# ---------------------------------------------------------------- flexible retirement

_NUM = r"\d+|[零一二两三四五六七八九十]+"
_SPAN = re.compile(rf"^(?:(?P<years>{_NUM})年(?P<half>半)?)?(?:(?P<months>{_NUM})个?月)?$")
_BARE = re.compile(rf"^(?P<months>{_NUM})$")
_EARLY = ("提前", "提早", "早退")
_LATE = ("延迟", "推迟", "延后", "延长", "晚退", "推后", "延期")
_NO_REQUEST = {"无", "否", "不申请", "未申请", "不选择", "按法定", "按法定年龄", "法定", "正常退休", "按时退休", "不"}
_TARGET = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*月?|\d{6}")


def read_flexible(value: Any) -> tuple[str, int] | str | None:
    """A 弹性退休 cell: ("offset", signed months: − early, + delayed), ("month", the month asked
    for), None for no request, or the text itself when it cannot be read."""
    text = clean_text(value)
    if text is None:
        return None
    compact = re.sub(r"\s+", "", text).replace("退休", "").replace("申请", "").strip("。.")
    if not compact or compact in _NO_REQUEST:
        return None
    direction = 0
    for words, sign in ((_EARLY, -1), (_LATE, 1)):
        word = next((w for w in words if compact.startswith(w)), None)
        if word is not None:
            direction, compact = sign, compact[len(word) :]
    compact = compact.lstrip("至到")
    if _TARGET.fullmatch(compact):
        try:
            return ("month", parse_month(compact.removesuffix("月") if "年" not in compact else compact))
        except ValueError:
            return text
    if compact[:1] in "-−－﹣+＋":
        if direction == 0:
            direction = -1 if compact[0] in "-−－﹣" else 1
        compact = compact[1:]
    if compact == "半年":
        compact = "6个月"
    bare = _BARE.fullmatch(compact) if compact[:1].isdigit() else None
    m = bare or (_SPAN.fullmatch(compact) if direction else None)  # 一年半 alone says neither way
    if m is None or not compact:
        return text
    parts = m.groupdict()
    total = 6 if parts.get("half") else 0
    for key, size in (("years", 12), ("months", 1)):
        if parts.get(key):
            number = chinese_int(parts[key])
            if number is None:
                return text
            total += number * size
    return ("offset", (direction or 1) * total)


def _flexible_requests(people: pd.DataFrame, retire: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's request as read, and the month it asks for (−1 for none or unknown)."""
    column = people["flexible_retirement"] if "flexible_retirement" in people else pd.Series(None, index=people.index)
    requests = map_unique(column, read_flexible)
    asked = np.full(len(people), NO_MONTH, dtype="int64")
    for i in np.flatnonzero(np.array([isinstance(r, tuple) for r in requests], dtype=bool)):
        kind, value = requests[i]
        if retire[i] >= 0:
            asked[i] = retire[i] + value if kind == "offset" else value
    return asked, requests


def _flexible(
    people: pd.DataFrame,
    requests: np.ndarray,
    asked_months: np.ndarray,
    retire: np.ndarray,
    original: np.ndarray,
    paid_by_early: np.ndarray,
    schedule: Schedule,
    params: JobParameters,
) -> tuple[np.ndarray, pd.DataFrame]:
    """The chosen month of each possible request (−1 for none), and Y07 for each impossible one:
    early by at most the early maximum, never before the original age, and only with the minimum
    of the early month's year paid by then; delayed by at most the delay maximum."""
    chosen = np.full(len(people), NO_MONTH, dtype="int64")
    unreadable = np.array([isinstance(r, str) for r in requests], dtype=bool)
    read = np.array([isinstance(r, tuple) for r in requests], dtype=bool)
    if not (unreadable | read).any():
        return chosen, built_in_findings([], "Y07", "", [])
    early_max = int(params["flexible_early_max_months"])
    delay_max = int(params["flexible_delay_max_months"])
    month = asked_months
    shift = np.where(read & (retire >= 0), month - retire, 0)
    early = shift < 0
    needed = minimum_months(np.where(early, month, 0), schedule)
    problems = {
        "unreadable": unreadable,
        "unknown": read & (retire < 0),
        "too_early": early & (-shift > early_max),
        "below_age": early & (month < original),
        "unpaid": early & (paid_by_early < needed),
        "too_late": shift > delay_max,
    }
    failed = np.logical_or.reduce(list(problems.values()))
    possible = read & (shift != 0) & ~failed
    chosen[possible] = month[possible]
    rows = np.flatnonzero(failed)
    written = people["flexible_retirement"].to_numpy()
    messages = []
    for i in rows:
        why = [
            text
            for kind, text in (
                ("unreadable", "无法识别，应写如“提前12个月”“延迟2年”、带正负号的月数或退休年月"),
                ("unknown", "法定退休年月无法计算，无法判断"),
                ("too_early", f"提前{-shift[i]}个月，超过最多提前的{early_max}个月"),
                ("below_age", f"提前到{month_text(month[i])}，早于原法定退休年龄的{month_text(original[i])}"),
                (
                    "unpaid",
                    f"到{month_text(month[i])}缴费{paid_by_early[i]}个月，"
                    f"未达到{month[i] // 12}年的最低缴费{needed[i]}个月",
                ),
                ("too_late", f"延迟{shift[i]}个月，超过最多延迟的{delay_max}个月"),
            )
            if problems[kind][i]
        ]
        messages.append(f"弹性退休“{clean_text(written[i])}”：" + "；".join(why) + "；按法定退休年月计算")
    return chosen, built_in_findings(people.index[rows], "Y07", messages, ["flexible_retirement"])


# ---------------------------------------------------------------- leaving allowance


def _leaving_allowance(people: pd.DataFrame, params: JobParameters) -> tuple[np.ndarray, pd.DataFrame]:
    """Monthly allowance in fen for cadres who left normally (−1 for anyone else): per full year
    served, the rate of its post group; Y08 where it cannot be computed."""
    n = len(people)
    allowance = np.full(n, NO_MONTH, dtype="int64")
    kind = people["leaving_type"] if "leaving_type" in people else pd.Series(None, index=people.index)
    normal = (kind == NORMAL_LEAVING).to_numpy(dtype=bool)
    rates = params["leaving_allowance_per_year"]
    persons, messages = [], []
    left_date = people["leaving_date"] if "leaving_date" in people else pd.Series(pd.NaT, index=people.index)
    unsaid = kind.isna().to_numpy() & pd.to_datetime(left_date).notna().to_numpy()
    for i in np.flatnonzero(unsaid):
        persons.append(people.index[i])
        messages.append("已填离任时间，但离任类型空白，无法确定是否发放离任生活补贴")
    if not normal.any():
        return allowance, built_in_findings(persons, "Y08", messages, ["leaving_type"])
    total = np.zeros(n, dtype="int64")
    any_years = np.zeros(n, dtype=bool)
    negative = np.zeros(n, dtype=bool)
    for group, name in YEARS_FIELDS.items():
        years = (
            pd.to_numeric(people[name], errors="coerce") if name in people else pd.Series(np.nan, index=people.index)
        )
        values = years.to_numpy(dtype="float64")
        any_years |= ~np.isnan(values)
        negative |= values < 0
        rate = to_decimal(rates.get(group, 0)) or 0
        full_years = np.floor(np.nan_to_num(np.clip(values, 0, None))).astype("int64")
        total += full_years * fen(rate)
    ok = normal & any_years & ~negative
    allowance[ok] = total[ok]
    for i in np.flatnonzero(normal & ~ok):
        persons.append(people.index[i])
        messages.append(
            "正常离任，但任正职、副职、委员年限均空白，无法计算离任生活补贴"
            if not any_years[i]
            else "任职年限不能为负数，无法计算离任生活补贴"
        )
    return allowance, built_in_findings(persons, "Y08", messages, ["leaving_type", *YEARS_FIELDS.values()])


__all__ = [
    "Coverage",
    "PensionResult",
    "Schedule",
    "build_schedule",
    "minimum_months",
    "months_covered",
    "original_retirement_months",
    "pension",
    "pension_of",
    "read_flexible",
    "retirement_months",
]
