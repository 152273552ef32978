"""The promotion channel (SPEC §7.2): which 正职 may be recommended for public-institution
recruitment — eligible, one_short (one term or one 优秀 short, not both) or not_eligible — with
the reason, for every roster person, in whole columns. Thresholds are rules/career.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import BUILT_IN
from cadretool.errors import InputError
from cadretool.records import cells_as_written, problems_about
from cadretool.results import JobResult, RuleInfo
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import Roster, built_in_findings, concat_findings, read_roster
from cadretool.rules.jobparams import JobParameters, load_job_parameters
from cadretool.rules.overrides import not_yet
from cadretool.rules.ruleset import RuleSet

PARAMETERS = {
    "career_post_group": "text",
    "career_min_principal_terms": "number",
    "career_min_excellent_count": "number",
}
STATUSES = ("eligible", "one_short", "not_eligible")
STATUS_LABELS = {"eligible": "符合", "one_short": "差一项", "not_eligible": "不符合"}
FIELDS_READ = ("id_number", "current_post", "proposed_post", "principal_terms", "excellent_count")


@dataclass
class CareerResult(JobResult):
    """people: the roster frame plus career_post, career_group, career_status and career_reason,
    eligible first, then one_short, then the rest (roster order within each)."""

    people: pd.DataFrame
    findings: pd.DataFrame

    def summary(self) -> dict[str, int]:
        counts = self.people["career_status"].value_counts() if len(self.people) else {}
        return {"people": int(len(self.people)), **{s: int(counts.get(s, 0)) for s in STATUSES}}


def career(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    as_of: dt.date | None = None,
    sheets: list[str] | None = None,
    overrides: Sequence[Any] = (),
) -> CareerResult:
    """The promotion channel for every person of the rosters (career.yaml's values, or a what-if's
    `overrides`); unreadable inputs are errors in the result."""
    as_of = as_of or ruleset.election_date()
    params = check_parameters(load_job_parameters(ruleset, "career.yaml", PARAMETERS, as_of, overrides), ruleset)
    notes: list[str] = []
    roster = read_roster(expand_named(rosters, notes), ruleset.columns, sheets=sheets)
    return career_of(roster, ruleset, params, as_of, notes)


def check_parameters(params: JobParameters, ruleset: RuleSet) -> JobParameters:
    """career.yaml's post group is one of columns.yaml's post groups."""
    if params["career_post_group"] not in ruleset.columns.posts.groups:
        groups = "、".join(ruleset.columns.posts.groups)
        raise params.error("career_post_group", f"“{params['career_post_group']}”不是职务类别（{groups}）")
    return params


def career_of(
    roster: Roster, ruleset: RuleSet, params: JobParameters, as_of: dt.date, notes: list[str] | None = None
) -> CareerResult:
    people = roster.frame
    group_wanted = params["career_post_group"]
    min_terms = float(params["career_min_principal_terms"])
    min_excellent = float(params["career_min_excellent_count"])
    # the post held now: 现任职务 where the sheet has that column, else the post the roster names
    has_current = people.get("_has_current_post", pd.Series(False, index=people.index)).fillna(False)
    has_current = has_current.to_numpy(dtype=bool)
    post = people["current_post"].where(has_current, people["proposed_post"]).astype(object)
    posts = ruleset.columns.posts
    group = post.map(posts.group_of).astype(object)
    terms = pd.to_numeric(people["principal_terms"], errors="coerce").to_numpy(dtype="float64")
    excellent = pd.to_numeric(people["excellent_count"], errors="coerce").to_numpy(dtype="float64")
    principal = (group == group_wanted).to_numpy(dtype=bool)
    known = ~np.isnan(terms) & ~np.isnan(excellent)
    short_terms = np.clip(min_terms - np.nan_to_num(terms), 0, None)
    short_excellent = np.clip(min_excellent - np.nan_to_num(excellent), 0, None)
    eligible = principal & known & (short_terms == 0) & (short_excellent == 0)
    one_short = (
        principal
        & known
        & (((short_terms == 1) & (short_excellent == 0)) | ((short_terms == 0) & (short_excellent == 1)))
    )
    status = np.select([eligible, one_short], ["eligible", "one_short"], "not_eligible").astype(object)
    undecided = principal & ~known
    # what an unknown count was written as (1.5, 两届半), so a reason never calls it blank
    rows = people.index[undecided]
    written = {
        name: cells_as_written(people, roster.sheets, name, rows) if len(rows) else pd.Series(dtype=object)
        for name in ("principal_terms", "excellent_count")
    }
    problems = roster.problems
    unread: dict[int, set[str]] = {}
    if not problems.empty:
        d07 = problems[problems["rule"] == "D07"]
        for person, fields in zip(d07["person"], d07["fields"], strict=True):
            unread.setdefault(int(person), set()).update(fields)
    said = {
        i: tuple((written[f].get(i), f in unread.get(int(i), ())) for f in ("principal_terms", "excellent_count"))
        for i in rows
    }
    unknown = {
        i: _unknown_counts(terms[n], excellent[n], *said[i])
        for n, i in zip(np.flatnonzero(undecided), rows, strict=True)
    }
    reason = _reasons(post, principal, terms, excellent, short_terms, short_excellent, group_wanted, has_current)
    for n, i in zip(np.flatnonzero(undecided), rows, strict=True):
        reason[n] = f"{unknown[i]}，无法判断"
    missing = [
        "、".join(
            label
            for label, gone in (("任正职届数", np.isnan(terms[i])), ("考核优秀次数", np.isnan(excellent[i])))
            if gone
        )
        for i in np.flatnonzero(undecided)
    ]
    findings = concat_findings(
        [
            problems_about(roster.problems, FIELDS_READ),
            built_in_findings(
                people.index[undecided],
                "D06",
                [f"{group_wanted}缺少{m}，无法判断能否进入事业单位招录渠道" for m in missing],
                ["principal_terms", "excellent_count"],
            ),
        ]
    )
    out = people.assign(career_post=post.to_numpy(), career_group=group.to_numpy(), career_status=status)
    out = out.assign(career_reason=reason)
    rank = pd.Series(status).map({s: i for i, s in enumerate(STATUSES)}).to_numpy()
    out = out.iloc[np.lexsort((np.arange(len(out)), rank))]
    rules = params.rule_infos("career")
    rules += [
        RuleInfo(k.id, k.title, k.kind, k.severity, "全体人员", "", k.basis) for k in BUILT_IN if k.kind == "data"
    ]
    return CareerResult(
        roster=roster,
        people=out,
        findings=findings,
        parameters=params.uses(),
        rules=rules,
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
        errors=list(roster.errors),
        warnings=list(roster.warnings),
        notes=list(notes or []) + not_yet(params.overrides, as_of),
        overrides=list(params.overrides),
    )


def _unknown_counts(
    terms: float, excellent: float, terms_said: tuple[object, bool], excellent_said: tuple[object, bool]
) -> str:
    """任正职届数 and 考核优秀次数 of a 正职 when one is not known: each as read, or what the cell
    says (unreadable, a word meaning none, blank). `*_said` is (cell as written, unreadable)."""
    out = []
    for value, (said, unreadable), label, unit in (
        (terms, terms_said, "任正职届数", "届"),
        (excellent, excellent_said, "考核优秀次数", "次"),
    ):
        if not np.isnan(value):
            out.append(f"{label}{int(value)}{unit}")
        elif isinstance(said, str) and said and unreadable:
            out.append(f"{label}“{said}”无法识别")
        elif isinstance(said, str) and said:
            out.append(f"{label}写作“{said}”，没有填数字")
        else:
            out.append(f"{label}空白")
    return "、".join(out)


def _reasons(
    post: pd.Series,
    principal: np.ndarray,
    terms: np.ndarray,
    excellent: np.ndarray,
    short_terms: np.ndarray,
    short_excellent: np.ndarray,
    group_wanted: str,
    has_current: np.ndarray,
) -> np.ndarray:
    """Why each person is where they are, in the clerk's words."""
    out = np.empty(len(post), dtype=object)
    posts = post.to_numpy()
    for i in range(len(posts)):
        if not principal[i]:
            what = "现任职务" if has_current[i] else "职务"
            out[i] = f"{what}为“{posts[i]}”，不是{group_wanted}" if posts[i] else f"没有{what}，不是{group_wanted}"
            continue
        if np.isnan(terms[i]) or np.isnan(excellent[i]):
            continue  # said by the caller, with the cells as written
        have = f"任正职{int(terms[i])}届、考核优秀{int(excellent[i])}次"
        lacking = [
            text
            for gap, text in (
                (short_terms[i], f"差{int(short_terms[i])}届正职任期"),
                (short_excellent[i], f"差{int(short_excellent[i])}次考核优秀"),
            )
            if gap > 0
        ]
        out[i] = (
            f"{have}，" + "、".join(lacking) if lacking else f"{have}，符合事业单位招录条件（待乡镇推荐、组织考察）"
        )
    return out
