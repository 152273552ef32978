"""What-if overrides (`--set NAME=VALUE`, `--set NAME@2026-07-01=VALUE`): a rule set's parameter
changed for one run, before the policy is adopted.

An override is parsed here, found among the parameters of the file the command loads
(params.yaml, pay.yaml, pension.yaml), checked with the same type check the file's own values
get, and inserted as a dated value; the loader then validates the changed parameters exactly as
it validates the file (vocabularies, pay-scale ranges, values on the election date). Every result
records its overrides, so no what-if result can be mistaken for the adopted policy.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import yaml

from cadretool.errors import CadreToolError, RulesError
from cadretool.rules.ruleset import Parameter, _check_param_type, check_param_range, order_problem

T = TypeVar("T")
WHAT_IF = "假设"  # the label every output puts before the overrides


class OverrideError(CadreToolError):
    """An override that cannot be used: one line naming the --set and the parameter."""


@dataclass(frozen=True)
class Override:
    """One `--set`: the parameter, an entry of a table parameter (NAME.KEY), the value and the
    date it starts on (None: the whole run, every dated value replaced)."""

    name: str
    value: Any
    start: dt.date | None = None
    key: str | None = None
    text: str = ""

    @property
    def reference(self) -> str:
        return f"{WHAT_IF}（--set {self.text}），不是已采纳的政策"

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "key": self.key,
            "from": self.start.isoformat() if self.start else None,
            "value": _json_value(self.value),
            "set": self.text,
        }

    def label(self) -> str:
        """max_age_new_entrant=40（自 2026-07-01 起）"""
        name = f"{self.name}.{self.key}" if self.key is not None else self.name
        since = f"（自 {self.start} 起）" if self.start else "（全部日期）"
        return f"{name}={_text(self.value)}{since}"


def parse_override(text: str) -> Override:
    """`NAME=VALUE`, `NAME@YYYY-MM-DD=VALUE`, `NAME.KEY=VALUE` (one entry of a table); the value is
    YAML as params.yaml writes it: 40, 2026-12-31, 高中, [a, b], {本科: 0.06}; 6% is 0.06. Full-width
    characters read as their ASCII forms (４０, ＝, ＠, ６％, ［重病，瘫痪］), and 、 separates a list's items."""
    name_part, sep, value_text = unicodedata.normalize("NFKC", text).partition("=")
    name_part = name_part.strip()
    if not sep or not name_part:
        raise OverrideError(f"--set {text}: 应写成 参数名=取值 或 参数名@YYYY-MM-DD=取值 (NAME=VALUE)")
    name_part, at, date_text = name_part.partition("@")
    date_text, dot, key_after = date_text.partition(".")  # NAME@DATE.KEY as well as NAME.KEY@DATE
    if dot:
        name_part = f"{name_part}.{key_after}"
    start = None
    if at:
        try:
            start = dt.date.fromisoformat(date_text.strip())
        except ValueError:
            raise OverrideError(
                f"--set {text}: “{date_text.strip()}”不是 YYYY-MM-DD 格式的起始日期 (bad date)"
            ) from None
    name, dot, key = name_part.strip().partition(".")
    value = _parse_value(text, value_text)
    return Override(name.strip(), value, start, key.strip() if dot else None, text.strip())


def _parse_value(text: str, value_text: str) -> Any:
    raw = value_text.strip().translate(_ASCII)
    if raw.startswith(("[", "{")):
        raw = raw.replace("、", ",")  # [重病、瘫痪]: the enumeration comma separates items
    if raw.startswith("{"):
        raw = re.sub(r":(?=\S)", ": ", raw)  # {本科:0.06} as a clerk types it
    try:
        value = yaml.safe_load(raw) if raw else None
    except (yaml.YAMLError, ValueError) as exc:
        why = str(exc).splitlines()[0]
        raise OverrideError(f"--set {text}: 取值“{value_text.strip()}”无法读取（{why}）") from None
    if value is None:
        raise OverrideError(f"--set {text}: 没有写取值 (empty value)")
    return _percentages(value)


_ASCII = str.maketrans(
    {"，": ",", "：": ":", "［": "[", "］": "]", "｛": "{", "｝": "}", "【": "[", "】": "]", "％": "%"}
)


def _percentages(value: Any) -> Any:
    """6% → 0.06 wherever a number is written as a percentage."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            return float(Decimal(value[:-1].strip()) / 100)
        except InvalidOperation:
            return value
    if isinstance(value, list):
        return [_percentages(v) for v in value]
    if isinstance(value, dict):
        return {k: _percentages(v) for k, v in value.items()}
    return value


def apply_overrides(params: dict[str, Parameter], overrides: Sequence[Override], where: str) -> dict[str, Parameter]:
    """The parameters with each override inserted as a dated value; an unknown name, a table entry
    of a parameter that is not a table, or a value of the wrong type is an OverrideError."""
    if not overrides:
        return params
    out = dict(params)
    for o in overrides:
        if o.name not in out:
            raise OverrideError(f"--set {o.text}: {where} 中没有参数 {o.name}（{_near(o.name, list(out))}）")
        if o.key is not None and out[o.name].type != "table":
            param = out[o.name]
            raise OverrideError(
                f"--set {o.text}: 参数 {o.name}（{param.title}）是 {param.type} 类型，"
                "只有 table 类型可以用 名称.键=取值 改其中一项"
            )
    _no_two_values(overrides, params)
    # a parameter set from several dates: the earliest first, so each later one holds from its own date
    # on whatever order the --set were typed in
    for o in sorted(overrides, key=lambda o: o.start or dt.date.min):
        param = out[o.name]
        _check(o, param)
        out[o.name] = replace(param, values=_dated(o, param))
    for o in overrides:  # min_age set above max_age, or max_age below min_age
        for name in [o.name, *(p.name for p in out.values() if o.name in p.not_above)]:
            problem = order_problem(out, name)
            if problem:
                raise OverrideError(f"--set {o.text}: {problem}")
    return out


def _no_two_values(overrides: Sequence[Override], params: dict[str, Parameter]) -> None:
    """Two --set giving one parameter (or one entry of a table) different values from the same date
    cannot both hold: an error naming both, rather than the later silently winning."""
    seen: dict[tuple[str, dt.date | None, Any], tuple[Override, Any]] = {}  # (name, from, entry) → value
    for o in overrides:
        patch = _patch(o, params[o.name])
        for key, value in list(patch.items()) if patch is not None else [(None, o.value)]:
            for (name, start, entry), (other, was) in seen.items():
                if (name, start) != (o.name, o.start):
                    continue
                if entry == key:
                    same = was == value
                elif entry is None:  # the whole value then one entry (or the other way round)
                    same = isinstance(was, dict) and was.get(key) == value
                elif key is None:
                    same = isinstance(value, dict) and value.get(entry) == was
                else:
                    continue
                if not same:
                    since = f"自 {o.start} 起" if o.start else "全部日期"
                    raise OverrideError(
                        f"--set {other.text} 与 --set {o.text}: 同一参数 {o.name}（{since}）给了两个不同的取值，"
                        "请只保留一个"
                    )
            seen[(o.name, o.start, key)] = (o, value)


def _check(o: Override, param: Parameter) -> None:
    patch = _patch(o, param)
    if patch is not None:  # each entry named on its own: 党纪警告=永久 is not a number
        for key, value in patch.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise OverrideError(
                    f"--set {o.text}: 参数 {o.name}（{param.title}）中“{key}”的取值 {value!r} 不是数字 (type mismatch)"
                )
        _check_range(o, param, patch)
        return
    try:
        _check_param_type("--set", None, o.name, param.type, o.value)
    except RulesError as exc:
        hint = {
            "list": "；列表写作 [甲, 乙]",
            "table": "；对照表写作 {键: 数字} 或 名称.键=数字",
            "date": "；日期写作 YYYY-MM-DD",
            "number": "；数字写作 40、0.25 或 25%",
        }.get(param.type, "")
        raise OverrideError(f"--set {o.text}: {exc.reason}（{param.title}{hint}）") from None
    _check_range(o, param, o.value)


def _check_range(o: Override, param: Parameter, value: Any) -> None:
    """The value (or the table entries a --set changes) within the parameter's min/max."""
    try:
        check_param_range("--set", None, o.name, param.title, param.minimum, param.maximum, value)
    except RulesError as exc:
        raise OverrideError(f"--set {o.text}: {exc.reason}") from None


def _patch(o: Override, param: Parameter) -> dict[Any, Any] | None:
    """The entries a --set changes in a table parameter (NAME.KEY=VALUE, or a mapping naming some of
    the table's entries: the others keep their values); None where the value replaces the whole."""
    if o.key is not None:
        return {_key(o.key, param): o.value}
    if param.type == "table" and isinstance(o.value, dict):
        return {_key(str(k), param): v for k, v in o.value.items()}
    return None


def _key(key: str | None, param: Parameter) -> Any:
    """A table key as the table writes it: 8 for steps_by_level, 本科 for degree_uplift."""
    keys = {k for _, v, _ in param.values for k in v}
    if key is not None and key not in keys and key.isdigit() and any(isinstance(k, int) for k in keys):
        return int(key)
    return key


def _dated(o: Override, param: Parameter) -> list[tuple[dt.date, Any, str]]:
    """Whole run: one value from the first start date. From a date: the value from that date on,
    the earlier dated values kept (a table's entries are set in every value from that date)."""
    first = param.values[0][0]
    start = o.start or first
    patch = _patch(o, param)
    if patch is None:
        kept = [v for v in param.values if v[0] < start]
        return [*kept, (start, o.value, o.reference)]
    in_force = param.values[0][1]
    out = []
    for since, value, reference in param.values:
        if since <= start:
            in_force = value
        if since < start:
            out.append((since, value, reference))
        else:
            out.append((since, {**value, **patch}, o.reference))
    if not any(since == start for since, _, _ in out):
        out.append((start, {**in_force, **patch}, o.reference))
    return sorted(out, key=lambda v: v[0])


def _near(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=4, cutoff=0.5)
    if close:
        return "是不是 " + "、".join(close) + "？"
    return "可用：" + "、".join(known)


def load_with_overrides(load: Callable[[Sequence[Override]], T], overrides: Sequence[Override]) -> T:
    """`load(overrides)`; when the changed parameters fail the loader's own checks (a vocabulary, a
    pay-scale range), the error says it is the --set's, not the rule file's."""
    try:
        return load(overrides)
    except OverrideError:
        raise
    except RulesError as exc:
        if not overrides:
            raise
        load(())  # a rule file wrong without the overrides too: its own error
        texts = "、".join(f"--set {o.text}" for o in overrides)
        reason = exc.reason.splitlines()[0]  # an expression error's pointer lines are the rule file's
        reason = re.sub(r"^\w+ 表达式错误：", "", reason)  # so is the name of the rule's field
        raise OverrideError(f"{texts}: 改动后的参数不能使用：{reason}") from None


def not_yet(overrides: Sequence[Override], on: dt.date) -> list[str]:
    """A note for each override that starts after the date a run uses, so it changes nothing."""
    return [
        f"--set {o.text}: 自 {o.start} 起的假设值在 {on} 还未生效，本次结果不受它影响"
        for o in overrides
        if o.start is not None and o.start > on
    ]


def unused(overrides: Sequence[Override], used: Collection[str], command: str) -> list[str]:
    """A note for each override of a parameter the command does not read (bonus_cadre_share in a
    payroll, post_pay_base in a reward), so it changes nothing."""
    return [
        f"--set {o.text}: {command} 不使用参数 {o.name}，本次结果不受它影响" for o in overrides if o.name not in used
    ]


def overrides_text(overrides: Sequence[Override]) -> str:
    """One line for a terminal or a sheet: 假设：max_age_new_entrant=40（全部日期）；…"""
    return "；".join(o.label() for o in overrides)


def _text(value: Any) -> str:
    from cadretool.output.sheets import param_text

    return param_text(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


__all__ = [
    "WHAT_IF",
    "Override",
    "OverrideError",
    "apply_overrides",
    "load_with_overrides",
    "overrides_text",
    "parse_override",
    "unused",
]
