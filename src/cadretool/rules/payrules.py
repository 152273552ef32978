"""The pay rule file (rules/pay.yaml): the pay scale and every pay and reward figure as dated
parameters, and the headers of the pay jobs' other inputs (adjustments, income, payrolls).

Loaded by `pay`, `bonus` and `explain --pay` only, so vetting never reads it. Every value is
checked when the file loads (a level outside the table, a grade with no coefficient, a negative
rate), so a pay run never meets a bad parameter halfway; errors name the file and the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cadretool.errors import RulesError
from cadretool.money import fen, to_decimal
from cadretool.roster.columns import ColumnSpec, FieldConfig, FieldSpec
from cadretool.rules.ruleset import Parameter, ParamModel, RuleSet, dated_parameters
from cadretool.yamlio import load_yaml, locate, shape_message

PAY_FILE = "pay.yaml"

# parameter → (type, what it is for); every one must be in pay.yaml, no other
PARAMETERS: dict[str, str] = {
    "post_pay_base": "number",
    "post_pay_per_level": "number",
    "post_pay_per_step": "number",
    "steps_by_level": "table",
    "highest_level_by_group": "table",
    "lowest_level_by_group": "table",
    "degree_uplift": "table",
    "performance_share": "number",
    "performance_coefficient": "table",
    "performance_coefficient_unassessed": "number",
    "pay_band_low": "number",
    "pay_band_high": "number",
    "bonus_cadre_share": "number",
    "bonus_leader_share": "number",
    "bonus_post_weight": "table",
}
# the parameters each pay component reads, in the order explain shows them
COMPONENT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "post_pay": (
        "post_pay_base",
        "post_pay_per_level",
        "post_pay_per_step",
        "steps_by_level",
        "highest_level_by_group",
        "lowest_level_by_group",
    ),
    "degree_uplift": ("degree_uplift",),
    "performance_pay": ("performance_share", "performance_coefficient", "performance_coefficient_unassessed"),
    "adjustments": (),
    "total": ("pay_band_low", "pay_band_high"),
}
BONUS_PARAMETERS = ("bonus_cadre_share", "bonus_leader_share", "bonus_post_weight")
# the fields each input file must be able to name
INPUT_FIELDS: dict[str, tuple[str, ...]] = {
    "adjustments": ("id_number", "name", "amount", "month"),
    "income": ("township", "village", "income"),
    "payroll": ("id_number", "name", "post", "level", "step", "total"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PayFile(_Strict):
    parameters: dict[str, ParamModel]
    inputs: dict[str, dict[str, FieldConfig]] = {}


@dataclass(frozen=True)
class UsedValue:
    """A parameter value as a run used it: what, from which date, on what authority."""

    name: str
    title: str
    value: Any
    start: dt.date
    reference: str


@dataclass
class PayScale:
    """The pay and reward figures in force on one date; money in fen, rates as exact Decimals."""

    date: dt.date
    base: int
    per_level: int
    per_step: int
    steps: dict[int, int]  # level → number of steps
    level_range: dict[str, tuple[int, int]]  # post group → (highest, lowest) level
    uplift: dict[str, Decimal]  # 在职学历 → rate
    performance_share: Decimal
    coefficient: dict[str, Decimal]  # assessment grade → coefficient
    unassessed: Decimal
    band: tuple[int, int]
    cadre_share: Decimal
    leader_share: Decimal
    post_weight: dict[str, Decimal]
    used: dict[str, UsedValue] = field(default_factory=dict)

    @property
    def lowest_level(self) -> int:
        return max(self.steps)

    def post_pay(self, level: int, step: int) -> int:
        """Monthly post pay in fen of a (level, step) the scale has."""
        return self.base + (self.lowest_level - level) * self.per_level + (step - 1) * self.per_step

    def values(self) -> dict[str, Any]:
        return {name: u.value for name, u in self.used.items()}


@dataclass
class PayRules:
    """pay.yaml loaded: dated parameters and the column specs of the pay jobs' input files."""

    path: Path
    params: dict[str, Parameter]
    inputs: dict[str, ColumnSpec]
    overrides: list[Any] = field(default_factory=list)  # what-if --set values (rules/overrides.py)
    _scales: dict[dt.date, PayScale] = field(default_factory=dict, repr=False)

    def at(self, date: dt.date) -> PayScale:
        """The figures in force on `date`; a RulesError when a parameter has no value yet."""
        scale = self._scales.get(date)
        if scale is None:
            scale = self._scales[date] = _scale(self, date, line=None)
        return scale

    def for_month(self, month: int) -> PayScale:
        """A month is paid with the values in force on its first day."""
        year, m0 = divmod(month, 12)
        return self.at(dt.date(year, m0 + 1, 1))

    def for_year(self, year: int) -> PayScale:
        """A year's reward uses the values in force on 31 December."""
        return self.at(dt.date(year, 12, 31))

    def changes_between(self, before: dt.date, after: dt.date) -> list[str]:
        """Parameters whose value in force differs between two dates."""
        old, new = self.at(before), self.at(after)
        return [name for name in PARAMETERS if old.used[name].value != new.used[name].value]


def load_pay_rules(ruleset: RuleSet, overrides: Sequence[Any] = ()) -> PayRules:
    """Load <rule set>/pay.yaml; a RulesError naming file and line for anything wrong. `overrides`
    (what-if --set values) are checked like the file's own values."""
    path = ruleset.path / PAY_FILE
    if not path.is_file():
        raise RulesError(path, "规则集缺少报酬参数文件 pay.yaml，pay/bonus 需要它 (pay.yaml missing)")
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RulesError(path, "文件内容应为映射 (expected a mapping at the top level)", line=1)
    try:
        model = PayFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        line, _ = locate(data, err["loc"])
        where = ".".join(str(p) for p in err["loc"])
        raise RulesError(path, f"{where}: {shape_message(err)}", line=line) from None
    for name in model.parameters:
        if name not in PARAMETERS:
            known = "、".join(PARAMETERS)
            raise RulesError(path, f"未知的报酬参数 {name}（可用：{known}）", line=_line(data, "parameters", name))
    for name, kind in PARAMETERS.items():
        if name not in model.parameters:
            raise RulesError(path, f"缺少报酬参数 {name} (missing parameter)", line=_line(data, "parameters"))
        if model.parameters[name].type != kind:
            raise RulesError(path, f"参数 {name} 的 type 应为 {kind}", line=_line(data, "parameters", name))
    params = dated_parameters(model.parameters, path, data)
    if overrides:
        from cadretool.rules.overrides import apply_overrides

        params = apply_overrides(params, overrides, PAY_FILE)
    inputs = {}
    for kind, required in INPUT_FIELDS.items():
        configs = model.inputs.get(kind)
        if configs is None:
            raise RulesError(path, f"inputs 缺少 {kind}（{'、'.join(required)} 等列名）", line=_line(data, "inputs"))
        missing = [f for f in required if f not in configs]
        if missing:
            raise RulesError(path, f"inputs.{kind} 缺少字段 {'、'.join(missing)}", line=_line(data, "inputs", kind))
        inputs[kind] = _input_spec(ruleset.columns, configs, path, data, kind)
    rules = PayRules(path, params, inputs, list(overrides))
    # every dated value must make a scale that works: check each date some value starts on
    for start in sorted({s for p in params.values() for s, _, _ in p.values}):
        if all(p.values[0][0] <= start for p in params.values()):
            rules._scales[start] = _scale(rules, start, line=data)
    _check_groups(rules, ruleset, data)
    return rules


def _input_spec(columns: ColumnSpec, configs: dict[str, FieldConfig], path: Path, data: Any, kind: str) -> ColumnSpec:
    spec = ColumnSpec(
        fields={}, vocabularies=columns.vocabularies, none_words=columns.none_words, none_openings=columns.none_openings
    )
    for name, fc in configs.items():
        vocab = None
        if fc.type == "vocab":
            vocab = columns.vocabularies.get(fc.vocabulary or "")
            if vocab is None:
                where = _line(data, "inputs", kind, name)
                raise RulesError(path, f"inputs.{kind}.{name} 的词表 {fc.vocabulary!r} 未定义", line=where)
        spec.add_field(FieldSpec(name, list(fc.headers), fc.type, vocab), source=path)
    return spec


def _line(data: Any, *keys: str) -> int | None:
    return locate(data, keys)[0]


def _scale(rules: PayRules, date: dt.date, line: Any) -> PayScale:
    """The figures in force on `date`, each checked; `line` is the loaded YAML when checking at load."""
    used: dict[str, UsedValue] = {}
    for name, param in rules.params.items():
        chosen = None
        for start, value, reference in param.values:
            if start <= date:
                chosen = (start, value, reference)
        if chosen is None:
            first = param.values[0][0]
            raise RulesError(
                rules.path,
                f"报酬参数 {name}（{param.title}）在 {date} 还没有取值，最早取值从 {first} 起",
                line=_line(line, "parameters", name) if line is not None else None,
            )
        used[name] = UsedValue(name, param.title, chosen[1], chosen[0], chosen[2])

    def fail(name: str, why: str) -> RulesError:
        where = _line(line, "parameters", name) if line is not None else None
        return RulesError(rules.path, f"报酬参数 {name} 从 {used[name].start} 起的取值{why}", line=where)

    def money(name: str) -> int:
        amount = to_decimal(used[name].value)
        if amount is None or amount < 0:
            raise fail(name, "应为不小于0的金额")
        if amount != amount.quantize(Decimal("0.01")):
            raise fail(name, "最多两位小数（到分）")
        return fen(amount)

    def rate(name: str, value: Any = None, *, share: bool = False) -> Decimal:
        """A rate ≥ 0; a share of something (performance pay, an uplift, a reward pool) at most 1, so
        25 meant as 25% is caught rather than paying 25 times the post pay."""
        number = to_decimal(used[name].value if value is None else value)
        where = "" if value is None else f"中的 {value} "
        if number is None or number < 0:
            raise fail(name, f"{where}应为不小于0的比例")
        if share and number > 1:
            raise fail(name, f"{where}应为不超过1的比例（百分之{number}请写 {number}% 或 {number / 100}）")
        return number

    def table(name: str) -> dict[Any, Any]:
        return dict(used[name].value)

    steps: dict[int, int] = {}
    for level, count in table("steps_by_level").items():
        if not isinstance(level, int) or isinstance(level, bool) or level < 1:
            raise fail("steps_by_level", f"中的“{level}”不是等级（应为1、2、3…）")
        if not isinstance(count, int) or count < 1:
            raise fail("steps_by_level", f"中 {level} 级的档数 {count} 应为正整数")
        steps[level] = count
    if sorted(steps) != list(range(1, len(steps) + 1)):
        raise fail("steps_by_level", "应从1级起连续列出每个等级")
    highest, lowest = table("highest_level_by_group"), table("lowest_level_by_group")
    level_range: dict[str, tuple[int, int]] = {}
    for group in dict.fromkeys([*highest, *lowest]):
        hi, lo = highest.get(group), lowest.get(group)
        if hi is None or lo is None:
            missing = "highest_level_by_group" if hi is None else "lowest_level_by_group"
            raise fail(missing, f"缺少职务类别“{group}”")
        if not (isinstance(hi, int) and isinstance(lo, int) and 1 <= hi <= lo <= len(steps)):
            raise fail("lowest_level_by_group", f"中“{group}”的等级范围 {hi}–{lo} 不在1–{len(steps)}级之内")
        level_range[str(group)] = (hi, lo)
    coefficient = {str(k): rate("performance_coefficient", v) for k, v in table("performance_coefficient").items()}
    uplift = {str(k): rate("degree_uplift", v, share=True) for k, v in table("degree_uplift").items()}
    weights = {str(k): rate("bonus_post_weight", v) for k, v in table("bonus_post_weight").items()}
    band = (money("pay_band_low"), money("pay_band_high"))
    if band[0] > band[1]:
        raise fail("pay_band_high", f"不能低于下限 pay_band_low（{used['pay_band_low'].value}）")
    shares = (rate("bonus_cadre_share", share=True), rate("bonus_leader_share", share=True))
    if sum(shares) > 1:
        raise fail("bonus_leader_share", "与 bonus_cadre_share 之和超过1")
    return PayScale(
        date=date,
        base=money("post_pay_base"),
        per_level=money("post_pay_per_level"),
        per_step=money("post_pay_per_step"),
        steps=steps,
        level_range=level_range,
        uplift=uplift,
        performance_share=rate("performance_share", share=True),
        coefficient=coefficient,
        unassessed=rate("performance_coefficient_unassessed"),
        band=band,
        cadre_share=shares[0],
        leader_share=shares[1],
        post_weight=weights,
        used=used,
    )


def _check_groups(rules: PayRules, ruleset: RuleSet, data: Any) -> None:
    """The tables name the rule set's own post groups, grades and degrees: each post group has a
    level range and a weight, each assessment grade a coefficient."""
    groups = ruleset.columns.posts.groups
    grades = ruleset.columns.vocabularies.get("assessment")
    degrees = ruleset.columns.vocabularies.get("education")
    for scale in rules._scales.values():
        checks = [
            ("lowest_level_by_group", scale.level_range, groups, True, "职务类别"),
            ("bonus_post_weight", scale.post_weight, groups, True, "职务类别"),
            ("performance_coefficient", scale.coefficient, grades.values if grades else [], True, "考核等次"),
            ("degree_uplift", scale.uplift, degrees.values if degrees else [], False, "学历"),
        ]
        for name, values, known, every, what in checks:
            unknown = [k for k in values if k not in known]
            lacking = [k for k in known if k not in values] if every else []
            if unknown or lacking:
                why = (
                    f"中的“{'、'.join(unknown)}”不是 columns.yaml 中的{what}（应为：{'、'.join(known)}）"
                    if unknown
                    else f"缺少{what}“{'、'.join(lacking)}”"
                )
                raise RulesError(
                    rules.path,
                    f"报酬参数 {name} 从 {scale.used[name].start} 起的取值{why}",
                    line=_line(data, "parameters", name),
                )


def month_label(month: int) -> str:
    """2026年11月"""
    year, m0 = divmod(month, 12)
    return f"{year}年{m0 + 1}月"


__all__ = [
    "BONUS_PARAMETERS",
    "COMPONENT_PARAMETERS",
    "PAY_FILE",
    "PayRules",
    "PayScale",
    "UsedValue",
    "load_pay_rules",
    "month_label",
]
