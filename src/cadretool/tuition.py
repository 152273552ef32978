"""In-service degree tuition (SPEC §7.3): every claim approved or refused with its reason.

A serving cadre who earned an in-service 本科 is paid back 1/2 of the tuition, 研究生 2/3 (the
shares of rules/tuition.yaml), rounded half up to the fen on exact money: a tuition cell is read
as written, so a float cell 12345.67 is 1234567 fen and half of it 6172.84. Claims are joined
to the roster by ID number; a claim is never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.errors import InputError
from cadretool.money import money_text, month_of, month_text, to_fen
from cadretool.records import (
    cell_text,
    cells_as_written,
    citations,
    cite,
    id_problem,
    join_records,
    nameless_rows,
    unnamed_record,
    with_sheets,
)
from cadretool.results import JobResult
from cadretool.roster.columns import ColumnSpec, load_column_section
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, read_roster
from cadretool.roster.text import clean_text, map_unique
from cadretool.rules.jobparams import JobParameters, load_job_parameters
from cadretool.rules.overrides import not_yet
from cadretool.rules.ruleset import RuleSet

PARAMETERS = {"tuition_share": "list", "tuition_study_mode": "text"}
WRITTEN = ("degree", "study_mode", "graduation")  # quoted as the clerk wrote them when unreadable


@dataclass
class TuitionResult(JobResult):
    """claims: one dict per claim in file order — source, sheet, row, id_number, id_as_written,
    name, degree, study_mode, tuition_fen, reimbursement_fen, graduation, status
    (approved/refused), reason, roster (where the claimant is on the roster)."""

    claims: list[dict[str, Any]]
    claim_inputs: list[InputInfo]

    def summary(self) -> dict[str, Any]:
        approved = [c for c in self.claims if c["status"] == "approved"]
        return {
            "claims": len(self.claims),
            "approved": len(approved),
            "refused": len(self.claims) - len(approved),
            "total": money_text(sum(c["reimbursement_fen"] for c in approved)),
        }


def shares(params: JobParameters, ruleset: RuleSet) -> dict[str, Fraction]:
    """tuition_share as degree → exact fraction (本科=1/2); a malformed item names the file and line."""
    vocab = ruleset.columns.vocabularies.get("education")
    out: dict[str, Fraction] = {}
    for item in params["tuition_share"]:
        degree, _, share = str(item).partition("=")
        degree = degree.strip()
        try:
            value = Fraction(share.strip())
        except (ValueError, ZeroDivisionError):
            raise params.error("tuition_share", f"“{item}”应写成 学历层次=分数，如 本科=1/2") from None
        if vocab is not None and degree not in vocab.values:
            raise params.error("tuition_share", f"“{degree}”不是词表 education 的学历层次")
        if not 0 < value <= 1:
            raise params.error("tuition_share", f"“{item}”的比例应在 0 到 1 之间")
        out[degree] = value
    return out


def share_of(tuition_fen: int, share: Fraction) -> int:
    """`share` of an amount in whole fen, half up, in exact integer arithmetic."""
    return (2 * tuition_fen * share.numerator + share.denominator) // (2 * share.denominator)


def tuition(
    claims: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    as_of: dt.date | None = None,
    sheets: list[str] | None = None,
    overrides: Sequence[Any] = (),
) -> TuitionResult:
    """Decide every claim against the roster (tuition.yaml's shares, or a what-if's `overrides`);
    unreadable inputs are errors in the result."""
    as_of = as_of or ruleset.election_date()
    params = load_job_parameters(ruleset, "tuition.yaml", PARAMETERS, as_of, overrides)
    rates = shares(params, ruleset)
    spec = load_column_section(ruleset.path / "columns.yaml", "tuition_claim_fields")
    notes: list[str] = []
    roster = read_roster(expand_named(rosters, notes), ruleset.columns, sheets=sheets)
    found = read_roster(expand_named(claims, notes), spec, required=("id_number", "name"), one_row_per_person=False)
    return tuition_of(found, roster, spec, ruleset, params, rates, as_of, notes)


def tuition_of(
    found: Roster,
    roster: Roster,
    spec: ColumnSpec,
    ruleset: RuleSet,
    params: JobParameters,
    rates: dict[str, Fraction],
    as_of: dt.date,
    notes: list[str] | None = None,
) -> TuitionResult:
    frame = found.frame
    people = roster.frame
    mode_wanted = params["tuition_study_mode"]
    join = join_records(frame, people)
    person = pd.Series(-1, index=frame.index, dtype="int64")
    by_name = pd.Series(False, index=frame.index)
    first = pd.Series(join.person, index=join.record).groupby(level=0).first() if len(join.record) else None
    if first is not None:
        person[first.index] = first.to_numpy()
        by_name[join.record[join.by_name]] = True
    unreadable = _unreadable(found)
    written = {
        name: cells_as_written(frame, found.sheets, name, frame.index)
        for name in ("degree", "study_mode", "graduation")
    }
    tuition_text = frame["tuition"] if "tuition" in frame else pd.Series(None, index=frame.index, dtype=object)
    money = map_unique(tuition_text, _money)
    cited = citations(frame, found.inputs, frame.index)
    duplicate_of = _duplicates(frame, cited)
    as_of_month = month_of(as_of)
    roster_missing = not len(people)
    out = []
    order: list[tuple[int, int]] = []
    for n, r in enumerate(frame.itertuples()):
        i = r.Index
        why: list[str] = []
        p = int(person[i])
        where = None
        if p < 0:
            if roster_missing and roster.errors:
                why.append("花名册未能读取，无法核对是否在任")
            else:
                why.append(_why_unjoined(join.unjoined.get(i), r))
        elif by_name[i]:
            row = people.loc[p]
            why.append(
                f"{id_problem(r.id_status, r.id_text)}，无法核对；花名册{Path(row['_file']).name}第{row['_row']}行"
                f"有同名人员，请核对身份证号码后重新录入"
            )
        else:
            row = people.loc[p]
            where = {"source": row["_file"], "sheet": row["_sheet"], "row": int(row["_row"])}
            why += _not_serving(row, ruleset)
            if isinstance(r.name, str) and isinstance(row["name"], str) and r.name != row["name"]:
                why.append(f"申请人姓名“{r.name}”与花名册“{row['name']}”不一致")
        degree = getattr(r, "degree", None)
        mode = getattr(r, "study_mode", None)
        why += _degree_problems(degree, written["degree"][i], "degree" in unreadable.get(i, ()), rates)
        why += _mode_problems(mode, written["study_mode"][i], "study_mode" in unreadable.get(i, ()), mode_wanted)
        fen, money_problem = money[n]
        if money_problem:
            why.append(money_problem)
        graduation = getattr(r, "graduation", None)
        why += _graduation_problems(graduation, written["graduation"][i], as_of_month)
        if duplicate_of[n]:
            why.append(f"与{duplicate_of[n]}的申请重复")
        approved = not why
        reimbursement = share_of(fen, rates[degree]) if approved else None
        out.append(
            {
                "source": str(frame.at[i, "_file"]),
                "sheet": str(frame.at[i, "_sheet"]),
                "row": int(frame.at[i, "_row"]),
                "cited": cited[n],
                "id_number": r.id_number if isinstance(r.id_number, str) else None,
                "id_as_written": r.id_text if isinstance(r.id_text, str) else None,
                "name": r.name if isinstance(r.name, str) else None,
                "degree": degree if isinstance(degree, str) else written["degree"][i],
                "study_mode": mode if isinstance(mode, str) else written["study_mode"][i],
                "tuition_fen": fen,
                "reimbursement_fen": reimbursement,
                "graduation": month_text(month_of(graduation)) if pd.notna(graduation) else None,
                "status": "approved" if approved else "refused",
                "reason": f"{mode}{degree}学历，报销学费的{rates[degree]}" if approved else "；".join(why),
                "roster": where,
            }
        )
        order.append((int(frame.at[i, "_sheet_no"]), int(frame.at[i, "_row"])))
    several = with_sheets(found.inputs)
    for number, sheet, row, said in nameless_rows(found.sheets, ("tuition", "degree", "study_mode", "graduation")):
        fen, money_problem = _money(said.get("tuition"))
        why = ["缺少身份证号码和姓名，无法核对申请人"] + ([money_problem] if money_problem else [])
        place = cite(sheet.file, sheet.name, row, several)
        out.append(
            {
                **unnamed_record(sheet, row, place),
                "degree": cell_text(said.get("degree")),
                "study_mode": cell_text(said.get("study_mode")),
                "tuition_fen": fen,
                "reimbursement_fen": None,
                "graduation": None,
                "status": "refused",
                "reason": "；".join(why),
                "roster": None,
            }
        )
        order.append((number, row))
    out = [c for _, c in sorted(zip(order, out, strict=True), key=lambda pair: pair[0])]
    return TuitionResult(
        claims=out,
        roster=roster,
        claim_inputs=found.inputs,
        parameters=params.uses(),
        rules=params.rule_infos("tuition"),
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
        errors=[*found.errors, *roster.errors],
        warnings=[*found.warnings, *roster.warnings],
        notes=list(notes or []) + not_yet(params.overrides, as_of),
        overrides=list(params.overrides),
    )


def _money(value: Any) -> tuple[int | None, str | None]:
    """(fen, problem) for a 学费 cell read as written."""
    try:
        fen = to_fen(value)
    except ValueError:
        return None, f"学费“{clean_text(value)}”不是金额"
    if fen is None:
        return None, "学费空白"
    if fen <= 0:
        return fen, f"学费应大于0（写的是{money_text(fen)}）"
    return fen, None


def _unreadable(found: Roster) -> dict[int, set[str]]:
    """Claim index → fields the reader could not read (D07)."""
    out: dict[int, set[str]] = {}
    problems = found.problems
    if problems.empty:
        return out
    unread = problems[problems["rule"] == "D07"]
    for person, fields in zip(unread["person"], unread["fields"], strict=True):
        out.setdefault(int(person), set()).update(fields)
    return out


def _why_unjoined(reason: Any, r: Any) -> str:
    return f"不在花名册中（{reason}）" if isinstance(reason, str) else "不在花名册中"


def _not_serving(row: pd.Series, ruleset: RuleSet) -> list[str]:
    """Why a claimant on the roster is not a serving cadre: no two-committee post now, or left."""
    if not bool(row.get("_has_current_post", False)):
        return ["花名册没有“现任职务”列，无法确认是否在任"]
    post = row.get("current_post")
    left = row.get("leaving_type")
    if isinstance(left, str) and left:
        return [f"已离任（{left}），不是在任干部"]
    if not isinstance(post, str) or not post:
        return ["无现任职务（未在任）"]
    if ruleset.columns.posts.group_of(post) not in ruleset.columns.posts.groups:
        return [f"现任职务“{post}”不是“两委”职务（未在任）"]
    return []


def _degree_problems(degree: Any, written: Any, unreadable: bool, rates: dict[str, Fraction]) -> list[str]:
    if unreadable:
        return [f"学历层次“{written}”无法识别"]
    if not isinstance(degree, str):
        return ["学历层次空白"]
    if degree not in rates:
        return [f"学历层次“{degree}”不在报销范围（{'、'.join(rates)}）"]
    return []


def _mode_problems(mode: Any, written: Any, unreadable: bool, wanted: str) -> list[str]:
    if unreadable:
        return [f"学习形式“{written}”无法识别"]
    if not isinstance(mode, str):
        return [f"学习形式空白，无法确认为{wanted}学历"]
    if mode != wanted:
        return [f"{mode}学历不予报销（仅限{wanted}学历）"]
    return []


def _graduation_problems(graduation: Any, written: Any, as_of_month: int) -> list[str]:
    if pd.isna(graduation):
        if written is not None:
            return [f"毕业时间“{written}”无法识别"]
        return ["毕业时间空白，无法确认已取得学历"]
    month = month_of(graduation)
    if month > as_of_month:
        return [f"毕业时间{month_text(month)}晚于基准日，尚未取得学历"]
    return []


def _duplicates(frame: pd.DataFrame, cited: np.ndarray) -> list[str | None]:
    """For each claim that repeats an earlier one exactly (same person, degree, form, tuition and
    graduation), the earlier claim's citation."""
    columns = [frame[c].astype(str).to_numpy() for c in ("degree", "study_mode", "tuition", "graduation") if c in frame]
    ids = frame["id_number"].to_numpy() if "id_number" in frame else np.full(len(frame), None)
    seen: dict[tuple[Any, ...], int] = {}
    out: list[str | None] = []
    for n, key in enumerate(zip(ids, *columns, strict=True)):
        if not isinstance(key[0], str):
            out.append(None)
            continue
        earlier = seen.setdefault(key, n)
        out.append(str(cited[earlier]) if earlier != n else None)
    return out
