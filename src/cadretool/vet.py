"""Vetting a roster: read → rules over whole columns → findings → statuses.

roster files ─ read_roster ─► people frame ─┬─ qualification rules (Q, S)  ─┐
evidence files ─ read_evidence ─ join ──────┼─ negative list (N)          ─┼─► findings ─► status
                                            └─ slate rules per village (G) ─┘
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from cadretool.catalogue import BUILT_IN, EVERYONE, VET_PHASES, applies_to_label
from cadretool.errors import InputError
from cadretool.evidence import Evidence, join_evidence, no_evidence, not_counted_findings, read_evidence
from cadretool.output.present import order_findings
from cadretool.results import RuleInfo, VetResult
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, concat_findings, read_roster
from cadretool.roster.text import repeated
from cadretool.rules.engine import (
    Context,
    evaluate_negative,
    evaluate_person_rules,
    evaluate_slate_rules,
    format_value,
    input_fields,
    shown_title,
)
from cadretool.rules.overrides import not_yet, unused
from cadretool.rules.ruleset import RuleSet


def vet(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    as_of: dt.date | None = None,
    evidence: Sequence[str | Path | InputError] = (),
    sheets: list[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_phase: Callable[..., None] | None = None,
) -> VetResult:
    """Vet rosters against a rule set and return the complete result, errors included.

    `rosters` are what a user names (files, folders, globs as text), or files and
    workbooks already found and read; an input that cannot be read is an error in the
    result (`result.errors`), never an exception, so every output can report it.
    `on_phase(phase, people, share=0.0)` is told as each step begins, and how far through the
    columns the first one is (for a progress display).
    """
    (result,) = vet_under(
        rosters, [ruleset], as_of=as_of, evidence=evidence, sheets=sheets, on_file=on_file, on_phase=on_phase
    )
    return result


def vet_under(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    rulesets: Sequence[RuleSet],
    *,
    as_of: dt.date | None = None,
    evidence: Sequence[str | Path | InputError] = (),
    sheets: list[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_phase: Callable[..., None] | None = None,
) -> list[VetResult]:
    """The rosters vetted under each rule set (the rule set and a what-if's), read once."""
    ruleset = rulesets[0]
    notes: list[str] = []
    roster_inputs = expand_named(rosters, notes)
    evidence_inputs = expand_named(evidence, notes)
    phase = on_phase or (lambda *_: None)
    phase(VET_PHASES[0], 0)
    roster = read_roster(
        roster_inputs,
        ruleset.columns,
        sheets=sheets,
        on_file=on_file,
        on_share=lambda share: phase(VET_PHASES[0], 0, share),
    )
    phase(VET_PHASES[1], len(roster.frame))
    found = read_evidence(evidence_inputs, ruleset)  # type: ignore[arg-type]  # errors pass through
    copies = roster.for_each(len(rulesets))
    results = []
    for rules, read in zip(rulesets, copies, strict=True):
        result = vet_roster(read, rules, as_of=as_of or rules.election_date(), evidence=found, on_phase=on_phase)
        result.notes[:0] = notes
        used = {p for rule in rules.all_rules for p in rule.parameters(rules.params)}
        result.notes += unused(rules.overrides, used | ({"election_date"} if as_of is None else set()), "vet")
        results.append(result)
    return results


def vet_roster(
    roster: Roster,
    ruleset: RuleSet,
    *,
    as_of: dt.date,
    evidence: Evidence | None = None,
    on_phase: Callable[..., None] | None = None,
) -> VetResult:
    """The rules over a roster already read: findings, statuses and village findings."""
    evidence = evidence or no_evidence()
    phase = on_phase or (lambda *_: None)
    note_missing_columns(roster, ruleset)
    people = roster.frame
    ctx = Context(people, ruleset, as_of)
    matched, unmatched, join_findings = join_evidence(evidence, people)
    phase(VET_PHASES[2], len(people))
    negative, evidence_hit = evaluate_negative(ctx, matched)
    phase(VET_PHASES[3], len(people))
    qualification = evaluate_person_rules(ctx)
    phase(VET_PHASES[4], len(people))
    findings = concat_findings(
        [
            roster.problems,  # D01–D08
            qualification,  # Q, S and D06
            negative,  # N
            join_findings,  # E01 name mismatch, E02 nothing found, E03 unreadable item, E04 joined by name
            not_counted_findings(matched, evidence_hit),  # E02
        ]
    )
    rules = rule_infos(ruleset, as_of)
    findings = order_findings(findings, [r.id for r in rules])
    people = people.assign(status=person_status(findings, people.index))
    groups = evaluate_slate_rules(ctx)  # G, one per village
    roster.errors.extend(evidence.errors)
    return VetResult(
        roster=roster,
        people=people,
        findings=findings,
        group_findings=groups,
        unmatched_evidence=unmatched,
        evidence_inputs=evidence.inputs,
        rules=rules,
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
        overrides=list(ruleset.overrides),
        notes=not_yet(ruleset.overrides, as_of),
    )


def person_status(findings: pd.DataFrame, index: pd.Index) -> pd.Series:
    """ineligible if any disqualify finding; else review if any review finding; else eligible."""
    status = repeated("eligible", len(index))
    if findings.empty:
        return pd.Series(status, index=index, dtype=object, copy=False)
    where = index.get_indexer(findings["person"])
    severity = findings["severity"].to_numpy(dtype=object)
    status[where[(severity == "review") & (where >= 0)]] = "review"
    status[where[(severity == "disqualify") & (where >= 0)]] = "ineligible"
    return pd.Series(status, index=index, dtype=object, copy=False)


def rule_infos(ruleset: RuleSet, as_of: dt.date) -> list[RuleInfo]:
    """Every finding a run can make, in the order outputs list them: the rule set's rules,
    then the built-in data problems (D) and evidence findings (E) of the catalogue."""
    params = ruleset.params
    infos = []
    for rule in ruleset.all_rules:
        used = rule.parameters(params)
        condition = rule.condition_text
        if rule.when_text:
            condition = f"当 {rule.when_text} 时：{condition}"
        infos.append(
            RuleInfo(
                id=rule.id,
                title=shown_title(rule, ruleset, as_of),
                kind=rule.kind,
                severity=rule.severity,
                applies_to=applies_to_label(rule.applies_to),
                condition=condition,
                basis=rule.basis,
                parameters={p: format_value(params[p].at(as_of)) for p in used},
            )
        )
    for k in (k for k in BUILT_IN if k.kind in ("data", "evidence")):  # the other jobs' kinds are theirs
        infos.append(RuleInfo(k.id, k.title, k.kind, k.severity, EVERYONE, "", k.basis))
    return infos


def split_by_input(result: VetResult) -> list[tuple[InputInfo, VetResult]]:
    """One result per input file, for writing an annotated workbook beside each input."""
    parts = []
    people = result.people
    sheet_offset = 0
    for inp in result.roster.inputs:
        n_sheets = len(inp.sheets)
        mine = people["_file"] == inp.file
        subset = people[mine].copy()
        subset["_sheet_no"] = subset["_sheet_no"] - sheet_offset
        sheet_offset += n_sheets
        persons = set(subset.index)
        findings = result.findings[result.findings["person"].isin(persons)]
        villages = set(zip(subset["township"].fillna(""), subset["village"].fillna(""), strict=True))
        groups = result.group_findings
        if len(groups):
            keys = list(zip(groups["township"], groups["village"], strict=True))
            groups = groups[[k in villages for k in keys]]
        roster = Roster(subset, [inp], result.roster.problems[result.roster.problems["person"].isin(persons)], [])
        part = replace(result, roster=roster, people=subset, findings=findings, group_findings=groups)
        if result.comparison is not None:
            places = {(t or "（未填）", v or "（未填）") for t, v in villages}
            part.comparison = result.comparison.only(inp.file, places)
        parts.append((inp, part))
    return parts


def note_missing_columns(roster: Roster, ruleset: RuleSet) -> None:
    """Say once per sheet which columns the rules need and the sheet lacks (each person also
    gets D06), so a clerk adds the column instead of reading the same D06 on every row."""
    needed: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        if rule.kind == "qualification" and rule.on_missing == "review":
            for name in input_fields(rule.condition, ruleset):
                needed.setdefault(name, []).append(rule.id)
    for sheet in roster.sheets:
        mapped = {c.field for c in sheet.columns if c.field}
        if "id_number" in mapped:
            mapped |= {"birth_date", "gender"}  # read from the ID number
        if any(n.startswith("取自") or "取自" in n for n in sheet.notes):
            mapped |= {"township", "village"}
        lacking = [
            f for f in needed if f not in mapped and not any(f"“{ruleset.columns.label(f)}”" in n for n in sheet.notes)
        ]
        if lacking and sheet.rows:
            parts = "、".join(f"“{ruleset.columns.label(f)}”（{'、'.join(needed[f])}）" for f in lacking)
            sheet.notes.append(f"本表没有规则所需的列 {parts}，用到这些列的条件无法判断时记为D06待核实")
