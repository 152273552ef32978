"""`rules test`: YAML test cases for a rule set (OpenFisca style: inputs → expected outputs).

A case file in <rule set>/tests/*.yaml:

    as_of: 2026-12-31            # default for every case
    defaults: {姓名: 张三, ...}    # merged into every person (headers as a clerk writes them)
    cases:
      - name: 18岁生日当天已满18周岁
        as_of: 2026-12-31
        person: {出生年月: 2008-12-31, 身份证号码: auto}
        people: [...]            # instead of person: several people (village rules)
        evidence: [{身份证号码: auto, 清单项目: N01, 日期: 2020-01-01, 说明: …}]
        expect:
          status: ineligible      # eligible | review | ineligible (single person)
          rules: [Q01]            # exactly these rule ids (disqualify/review findings)
          includes: [Q01]         # at least these
          excludes: [Q02]         # none of these
          groups: [G01]           # exactly these village rule ids
          unmatched: 0            # number of unmatched evidence records

`身份证号码: auto` makes a valid number from 出生年月 and 性别, so a case only states
what it is about. People go through the same reading and normalisation as a real roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cadretool.catalogue import BUILT_IN_BY_ID, Status
from cadretool.errors import RulesError
from cadretool.roster.idnumber import check_digit
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.rules.ruleset import RuleSet
from cadretool.yamlio import LineDict, load_yaml, locate, shape_message


class Expect(BaseModel):
    """What a case expects; every key optional, unknown keys refused."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    statuses: list[Status] | None = None
    rules: list[str] | None = None
    includes: list[str] | None = None
    excludes: list[str] | None = None
    groups: list[str] | None = None
    unmatched: int | None = Field(default=None, ge=0)


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    as_of: dt.date | None = None
    person: dict[str, Any] | None = None
    people: list[dict[str, Any]] | None = None
    evidence: list[dict[str, Any]] | None = None
    expect: Expect = Expect()

    def problem(self) -> str | None:
        """What makes the case unable to run or unable to fail, if anything."""
        if self.person is not None and self.people is not None:
            return "person 和 people 只能写一个 (person or people, not both)"
        if self.person is None and not self.people:
            return "用例需要 person 或 people (a case needs a person)"
        if self.people and len(self.people) > 1 and self.expect.status is not None:
            return "多人用例请用 statuses 写每人的结论，status 只用于一个人 (status is for one person)"
        if not self.expect.model_dump(exclude_none=True):
            return "用例没有写 expect，什么也不检查 (a case needs an expectation)"
        return None


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: dt.date | None = None
    defaults: dict[str, Any] = {}
    cases: list[Case]


@dataclass
class Outcome:
    file: str
    line: int | None
    name: str
    passed: bool
    problems: list[str] = field(default_factory=list)


def _auto_id(person: dict[str, Any], serial: int) -> str:
    birth = person.get("出生年月") or person.get("出生日期")
    if isinstance(birth, dt.date):
        ymd = birth.strftime("%Y%m%d")
    else:
        digits = "".join(ch for ch in str(birth or "1985-01-01") if ch.isdigit())
        ymd = (digits + "01")[:8] if len(digits) == 6 else digits[:8]
    female = str(person.get("性别", "男")).startswith("女")
    seq = (serial * 2) % 998 + 1  # odd sequence = male
    if female:
        seq = seq + 1 if seq % 2 else seq
    else:
        seq = seq if seq % 2 else seq + 1
    first17 = f"522702{ymd}{seq % 1000:03d}"
    return first17 + check_digit(first17)


def _sheet(rows: list[dict[str, Any]], name: str) -> RawSheet:
    headers: list[str] = []
    for r in rows:
        for k in r:
            if str(k) not in headers:
                headers.append(str(k))
    grid = [list(headers)] + [["" if r.get(h) is None else r.get(h) for h in headers] for r in rows]
    return RawSheet(name, grid)


def case_files(folder: Path) -> list[Path]:
    """The case files of a tests folder: .yaml and .yml alike (a case file never runs in silence)."""
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())


def check_cases(ruleset: RuleSet, directory: Path | None = None) -> int:
    """Check every case file of a rule set like a rule file, without running it; the number of cases."""
    folder = directory or (ruleset.path / "tests")
    return sum(len(load_cases(path, load_yaml(path), ruleset).cases) for path in case_files(folder))


def run_cases(ruleset: RuleSet, directory: Path | None = None) -> list[Outcome]:
    from cadretool.evidence import read_evidence
    from cadretool.roster.table import read_roster
    from cadretool.vet import vet_roster

    folder = directory or (ruleset.path / "tests")
    outcomes: list[Outcome] = []
    for path in case_files(folder):
        data = load_yaml(path)
        cases = load_cases(path, data, ruleset)
        defaults = dict(cases.defaults)
        serial = 0
        for number, (case, raw) in enumerate(zip(cases.cases, data["cases"], strict=True), start=1):
            line = raw.line if isinstance(raw, LineDict) else None
            name = case.name or f"第{number}个用例"
            people_in = case.people or ([case.person] if case.person is not None else [])
            people = []
            ids: list[str] = []
            for p in people_in:
                serial += 1
                merged = {**defaults, **p}
                if merged.get("身份证号码") == "auto":
                    merged["身份证号码"] = _auto_id(merged, serial)
                ids.append(str(merged.get("身份证号码", "")))
                people.append(merged)
            evidence_rows = []
            for e in case.evidence or []:
                record = dict(e)
                if record.get("身份证号码") == "auto":
                    record["身份证号码"] = ids[0] if ids else ""
                evidence_rows.append(record)
            as_of = case.as_of or cases.as_of or ruleset.election_date()
            book = RawWorkbook(Path(f"{path.name}#{name}"), "test", [_sheet(people, "用例")])
            roster = read_roster([book], ruleset.columns)
            evidence = None
            if evidence_rows:
                evidence = read_evidence(
                    [RawWorkbook(Path(f"{path.name}#{name}#联审"), "test", [_sheet(evidence_rows, "联审")])], ruleset
                )
            problems: list[str] = [str(e) for e in roster.errors]
            if not problems:
                result = vet_roster(roster, ruleset, as_of=as_of, evidence=evidence)
                problems = _compare(case.expect.model_dump(exclude_none=True), result)
            outcomes.append(Outcome(path.name, line, name, not problems, problems))
    return outcomes


def load_cases(path: Path, data: Any, ruleset: RuleSet) -> CaseFile:
    """A case file checked like a rule file: its shape by the model, then every column a
    person or evidence record names and every rule id an expectation names, each error
    with the file and the line."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise RulesError(path, "用例文件需要 cases 列表 (needs a `cases` list)", line=1)
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        raise RulesError(path, _case_error(err, data), line=locate(data, loc)[0] or 1) from None
    known_rules = {r.id for r in ruleset.all_rules} | set(BUILT_IN_BY_ID)
    _check_columns(path, data.get("defaults"), ruleset.columns, "defaults", None)
    for number, (case, raw) in enumerate(zip(cases.cases, data["cases"], strict=True), start=1):
        line = raw.line if isinstance(raw, LineDict) else None
        for person in [raw.get("person"), *(raw.get("people") or [])]:
            _check_columns(path, person, ruleset.columns, "person", line)
        for record in raw.get("evidence") or []:
            _check_columns(path, record, ruleset.evidence_columns, "evidence", line)
        for key in ("rules", "includes", "excludes", "groups"):
            unknown = [r for r in getattr(case.expect, key) or [] if r not in known_rules]
            if unknown:
                names = "、".join(unknown)
                reason = f"用例“{case.name or ''}”的 expect.{key} 中 {names} 不是规则集中的规则编号 (unknown rule id)"
                raise RulesError(path, reason, line=line)
        problem = case.problem()
        if problem:
            raise RulesError(path, f"用例“{case.name or f'第{number}个用例'}”: {problem}", line=line)
    return cases


def _case_error(err: Any, data: Any) -> str:
    """A case file's shape error in the author's terms: which case, which key, what is wrong."""
    loc, msg = err["loc"], shape_message(err)
    where = ".".join(map(str, loc))
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
        case = data["cases"][loc[1]]
        name = case.get("name") if isinstance(case, dict) else None
        where = f"用例“{name or f'第{loc[1] + 1}个用例'}”" + (" " + ".".join(map(str, loc[2:])) if loc[2:] else "")
    return f"{where}: {msg}"


def _check_columns(path: Path, row: dict[str, Any] | None, spec: Any, where: str, line: int | None) -> None:
    """Every column a case writes must be one the reader maps: a typo would silently test nothing."""
    if not row:
        return
    for header in row:
        if spec.match_header(str(header)) is None:
            at = row.key_lines.get(str(header), line) if isinstance(row, LineDict) else line
            raise RulesError(
                path, f"{where} 中的列“{header}”不是规则集 columns.yaml 中的列名 (unknown column)", line=at
            )


def _compare(expect: dict[str, Any], result: Any) -> list[str]:
    problems: list[str] = []
    findings = result.findings
    seen = sorted(set(findings.loc[findings["severity"] != "info", "rule"]))
    detail = "; ".join(f"{r.rule} {r.message}" for r in findings.itertuples() if r.severity != "info") or "无"
    statuses = list(result.people["status"])
    if "status" in expect:
        got = statuses[0] if len(statuses) == 1 else statuses
        if got != expect["status"]:
            problems.append(f"结论应为 {expect['status']}，实际为 {got}（发现：{detail}）")
    if "statuses" in expect and statuses != list(expect["statuses"]):
        problems.append(f"各人结论应为 {expect['statuses']}，实际为 {statuses}（发现：{detail}）")
    if "rules" in expect and sorted(set(expect["rules"] or [])) != seen:
        problems.append(f"条款应为 {sorted(set(expect['rules'] or []))}，实际为 {seen}（发现：{detail}）")
    for rid in expect.get("includes") or []:
        if rid not in seen:
            problems.append(f"应触发 {rid}，但没有（发现：{detail}）")
    for rid in expect.get("excludes") or []:
        if rid in seen:
            problems.append(f"不应触发 {rid}，但触发了（发现：{detail}）")
    if "groups" in expect:
        got_groups = sorted(set(result.group_findings["rule"]))
        if got_groups != sorted(set(expect["groups"] or [])):
            problems.append(f"村级条款应为 {sorted(set(expect['groups'] or []))}，实际为 {got_groups}")
    if "unmatched" in expect and len(result.unmatched_evidence) != int(expect["unmatched"]):
        problems.append(
            f"未匹配联审记录应为 {expect['unmatched']} 条，实际为 {len(result.unmatched_evidence)} 条："
            + "; ".join(u["reason"] for u in result.unmatched_evidence)
        )
    return problems
