"""The dated parameters of one job's rule file (pension.yaml, career.yaml, tuition.yaml …).

A job loads its own file when it runs (never `load_ruleset`, so vet does not pay for it):
every parameter the job needs must be there with the right type and a value on the as-of
date; a problem is a RulesError naming the file and the parameter's line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from cadretool.errors import RulesError
from cadretool.results import RuleInfo
from cadretool.rules.ruleset import Parameter, ParamModel, RuleSet, _validate, dated_parameters
from cadretool.yamlio import load_yaml, locate


class _ParametersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameters: dict[str, ParamModel]


@dataclass(frozen=True)
class ParamUse:
    """One parameter as a run used it: for the 规则 sheet and the JSON."""

    name: str
    title: str
    value: Any
    since: dt.date
    reference: str


@dataclass
class JobParameters:
    """A job's parameters, each at its value in force on `as_of`."""

    path: Path
    as_of: dt.date
    params: dict[str, Parameter]
    lines: dict[str, int | None]
    overrides: list[Any] = field(default_factory=list)  # what-if --set values (rules/overrides.py)

    def __getitem__(self, name: str) -> Any:
        return self.used(name).value

    def used(self, name: str) -> ParamUse:
        param = self.params[name]
        chosen = [v for v in param.values if v[0] <= self.as_of]
        if not chosen:
            first = param.values[0][0]
            raise RulesError(
                self.path,
                f"参数 {name}（{param.title}）在 {self.as_of} 还没有取值，最早取值从 {first} 起 (no value yet)",
                line=self.lines.get(name),
            )
        since, value, reference = chosen[-1]
        return ParamUse(name, param.title, value, since, reference)

    def uses(self) -> list[ParamUse]:
        return [self.used(name) for name in self.params]

    def rule_infos(self, kind: str) -> list[RuleInfo]:
        """The parameters as rows of the 规则 sheet: name, title, since when, reference, value."""
        return [
            RuleInfo(p.name, p.title, kind, "", "", f"自 {p.since} 起", p.reference, {p.name: p.value})
            for p in self.uses()
        ]

    def error(self, name: str, reason: str) -> RulesError:
        """A problem with a parameter's value, naming the file and its line."""
        return RulesError(self.path, f"参数 {name}：{reason}", line=self.lines.get(name))


def read_dated_parameters(path: Path) -> tuple[Any, dict[str, Parameter]]:
    """A file of only `parameters:` as YAML (for line numbers) and as parameters with their dated
    values; a problem is a RulesError naming the file and line."""
    data = load_yaml(path)
    model = _validate(_ParametersFile, data, path)
    return data, dated_parameters(model.parameters, path, data)


def load_job_parameters(
    ruleset: RuleSet, filename: str, required: dict[str, str], as_of: dt.date, overrides: Sequence[Any] = ()
) -> JobParameters:
    """`filename` of the rule set's folder, every name of `required` (name → type) present with
    that type and a value on `as_of`; `overrides` (what-if --set values) checked like its own."""
    path = ruleset.path / filename
    if not path.is_file():
        raise RulesError(path, "规则集缺少此文件 (missing file)")
    data, params = read_dated_parameters(path)
    if overrides:
        from cadretool.rules.overrides import apply_overrides

        params = apply_overrides(params, overrides, filename)
    lines = {name: locate(data, ("parameters", name))[0] for name in params}
    for name, kind in required.items():
        if name not in params:
            raise RulesError(path, f"缺少参数 {name} (missing parameter)", line=locate(data, ("parameters",))[0])
        if params[name].type != kind:
            raise RulesError(
                path, f"参数 {name} 的 type 应为 {kind}，这里是 {params[name].type} (type mismatch)", line=lines[name]
            )
    found = JobParameters(path, as_of, params, lines, list(overrides))
    for name in required:
        found.used(name)  # a value on the as-of date, or the error now
    return found


def check_job_files(ruleset: RuleSet) -> list[str]:
    """Load every job rule file the rule set has (pension.yaml, career.yaml, tuition.yaml, pool.yaml) as its
    job would, on the election date and on every date a value changes; a problem is the
    RulesError naming file and line. Returns the files checked."""
    from cadretool import career, pension, pool, tuition

    checked = []
    for filename, required, build in (
        ("pension.yaml", pension.PARAMETERS, lambda p: pension.build_schedule(p, ruleset)),
        ("career.yaml", career.PARAMETERS, lambda p: career.check_parameters(p, ruleset)),
        ("tuition.yaml", tuition.PARAMETERS, lambda p: tuition.shares(p, ruleset)),
        ("pool.yaml", pool.PARAMETERS, lambda p: pool.check_parameters(p, ruleset)),
    ):
        if not (ruleset.path / filename).is_file():
            continue
        found = load_job_parameters(ruleset, filename, required, ruleset.election_date())
        build(found)
        starts = {start for param in found.params.values() for start, _, _ in param.values}
        for start in sorted(starts):
            if all(found.params[name].values[0][0] <= start for name in required):
                build(JobParameters(found.path, start, found.params, found.lines))
        checked.append(filename)
    return checked
