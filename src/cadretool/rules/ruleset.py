"""Loading a rule set folder strictly: parameters, rules, the negative list, columns.

Every problem is a RulesError naming the file, the line and the rule. Expressions are
parsed and type-checked here, so a rule set that loads is a rule set that runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from cadretool.catalogue import BUILT_IN_BY_ID, DERIVED
from cadretool.errors import RulesError
from cadretool.roster.columns import OTHER_GROUP, ColumnSpec, FieldSpec, load_columns
from cadretool.rules import expr as ex
from cadretool.yamlio import load_yaml, locate, shape_message

RULE_FILES = ("columns.yaml", "params.yaml", "eligibility.yaml", "negative_list.yaml")
SPECIAL_TARGETS = {"everyone", "party_post", "two_committee"}
RECORD_KINDS = {
    "flag": ex.BOOL,
    "record_date": ex.DATE,
    "record_type": "text",
    "record_source": ex.TEXT,
    "record_note": ex.TEXT,
    "record_text": ex.TEXT,
}
DERIVED_KINDS = {name: d.kind for name, d in DERIVED.items()}
Severity = Literal["disqualify", "review", "info"]


def default_rules_dir() -> Path:
    """The default rule set: shipped inside the package, or the repository's rules/."""
    packaged = resources.files("cadretool") / "default_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


# ---------------------------------------------------------------- file models


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParamValue(_Strict):
    value: Any
    reference: str = ""


class ParamModel(_Strict):
    title: str
    type: Literal["number", "date", "text", "list", "table"] = "number"
    # the range a number (or each entry of a table) must lie in: an age limit of -60 or 0 is a typo
    min: float | None = None
    max: float | None = None
    # parameters this one is never above on any date (min_age under max_age): a swap is a typo
    not_above: list[str] = []
    values: dict[dt.date, ParamValue | Any]

    @model_validator(mode="after")
    def _range(self) -> ParamModel:
        if (self.min is not None or self.max is not None) and self.type not in ("number", "table"):
            raise ValueError(f"min/max 只用于 number 或 table 类型，这里是 {self.type} (range on a non-number)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {_number_text(self.min)} 大于 max {_number_text(self.max)} (empty range)")
        return self

    @field_validator("values")
    @classmethod
    def _values(cls, value: dict) -> dict:
        if not value:
            raise ValueError("至少需要一个带日期的取值 (needs at least one dated value)")
        return {k: (v if isinstance(v, ParamValue) else ParamValue(value=v)) for k, v in value.items()}


class ParamsFile(_Strict):
    name: str
    version: str
    parameters: dict[str, ParamModel]


class RuleModel(_Strict):
    id: str
    title: str
    applies_to: list[str] = ["everyone"]
    when: str | None = None
    require: str | None = None
    require_any: str | None = None
    on_missing: Literal["review", "pass"] = "review"
    severity: Severity
    message: str
    basis: str
    scope: Literal["person", "village"] = "person"


class EligibilityFile(_Strict):
    rules: list[RuleModel]


class RosterRecord(_Strict):
    date: str | None = None
    type: str | None = None
    flag: str | None = None


class NegativeItemModel(_Strict):
    id: str
    title: str
    label: str
    aliases: list[str] = []
    roster_record: RosterRecord | None = None
    hit: str
    on_unknown: Literal["review", "none"] = "none"
    severity: Severity = "disqualify"
    message: str
    unknown_message: str | None = None
    basis: str


class NegativeListFile(_Strict):
    items: list[NegativeItemModel]


# ---------------------------------------------------------------- loaded objects


@dataclass
class Parameter:
    name: str
    title: str
    type: str
    values: list[tuple[dt.date, Any, str]]  # sorted by start date
    minimum: float | None = None  # the range of params.yaml's min/max, for a --set too
    maximum: float | None = None
    not_above: tuple[str, ...] = ()  # parameters this one never exceeds (params.yaml's not_above)

    def at(self, as_of: dt.date) -> Any:
        """The value in force on `as_of`: the latest one starting on or before it."""
        chosen = None
        for start, value, _ in self.values:
            if start <= as_of:
                chosen = value
        if chosen is None:
            first = self.values[0][0]
            raise RulesError(
                "params.yaml", f"参数 {self.name}（{self.title}）在 {as_of} 还没有取值，最早取值从 {first} 起"
            )
        return chosen


@dataclass
class Template:
    """A message template: literal text with {name} holes."""

    text: str
    names: list[str]


@dataclass
class Rule:
    id: str
    title: str
    kind: str  # qualification | slate | negative
    severity: str
    basis: str
    message: Template
    source: str
    line: int | None
    applies_to: list[str] = field(default_factory=lambda: ["everyone"])
    when: ex.Node | None = None
    condition: ex.Node | None = None  # require / require_any / hit
    condition_text: str = ""
    when_text: str = ""
    on_missing: str = "review"
    on_unknown: str = "none"
    unknown_message: Template | None = None
    label: str = ""
    aliases: list[str] = field(default_factory=list)
    roster_record: dict[str, Any] = field(default_factory=dict)
    # parameters the title quotes as {name} (新进人选不超过{max_age_new_entrant}周岁): every output
    # shows the title with the value in force, so a what-if's title says its own value
    title_names: list[str] = field(default_factory=list)

    @property
    def scope(self) -> str:
        return "village" if self.kind == "slate" else "person"

    def parameters(self, params: dict[str, Parameter]) -> list[str]:
        used: list[str] = []
        for node in (self.when, self.condition):
            if node is not None:
                used += [n for n in ex.names_in(node) if n in params and n not in used]
        for n in [*self.message.names, *self.title_names]:
            if n in params and n not in used:
                used.append(n)
        return used


@dataclass
class RuleSet:
    path: Path
    name: str
    version: str
    sha256: str
    columns: ColumnSpec
    evidence_columns: ColumnSpec
    params: dict[str, Parameter]
    rules: list[Rule]  # qualification and slate rules, in file order
    negative: list[Rule]
    overrides: list[Any] = field(default_factory=list)  # what-if --set values (rules/overrides.py)

    @property
    def evidence_clear(self) -> list[str]:
        return self.evidence_columns.clear_words

    @property
    def all_rules(self) -> list[Rule]:
        return self.rules + self.negative

    def election_date(self) -> dt.date:
        param = self.params.get("election_date")
        if param is None:
            raise RulesError(self.path / "params.yaml", "缺少参数 election_date，请用 --as-of 指定审查基准日")
        value = param.values[-1][1]
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    def param_values(self, as_of: dt.date) -> dict[str, Any]:
        """Every parameter in force on `as_of` (one with no value yet is left out)."""
        values = {}
        for name, p in self.params.items():
            if p.values[0][0] <= as_of:
                values[name] = p.at(as_of)
        return values


def load_ruleset(directory: Path | None = None, overrides: Sequence[Any] = ()) -> RuleSet:
    """Load a rule set folder; raises RulesError naming file, line and rule. `overrides` (what-if
    --set values of params.yaml) are checked and validated like the file's own values."""
    folder = Path(directory) if directory else default_rules_dir()
    if folder.is_file():
        raise RulesError(folder, "这是一个文件，应给出规则集目录（放 params.yaml 等的文件夹）(not a folder)")
    if not folder.is_dir():
        raise RulesError(folder, "规则目录不存在 (rule set folder not found)")
    for name in RULE_FILES:
        if not (folder / name).is_file():
            raise RulesError(folder / name, "规则集缺少此文件 (missing file)")
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    columns, evidence_columns = load_columns(folder / "columns.yaml")
    params_path = folder / "params.yaml"
    params_data = load_yaml(params_path)
    params_file = _validate(ParamsFile, params_data, params_path)
    for pname in params_file.parameters:
        if pname in columns.fields or pname in DERIVED_KINDS or pname in RECORD_KINDS:
            line = _key_line(params_data, "parameters", pname)
            raise RulesError(params_path, f"参数名 {pname} 与字段同名，请改名 (parameter shadows a field)", line=line)
    params = dated_parameters(params_file.parameters, params_path, params_data)
    if overrides:
        from cadretool.rules.overrides import apply_overrides

        params = apply_overrides(params, overrides, "params.yaml")

    negative_path = folder / "negative_list.yaml"
    negative_data = load_yaml(negative_path)
    negative_file = _validate(NegativeListFile, negative_data, negative_path)
    # each negative-list item has a 是/否 flag column headed by its label or an alias
    for item in negative_file.items:
        columns.add_field(
            FieldSpec(f"flag_{item.id}", [item.label, *item.aliases], "yes_no", title=item.label), source=negative_path
        )

    scope = _scope(columns, params)
    seen: dict[str, tuple[Path, int | None]] = {}
    eligibility_path = folder / "eligibility.yaml"
    eligibility_data = load_yaml(eligibility_path)
    eligibility = _validate(EligibilityFile, eligibility_data, eligibility_path)
    rules = []
    for i, model in enumerate(eligibility.rules):
        line = _item_line(eligibility_data, "rules", i)
        _check_unique(seen, model.id, eligibility_path, line)
        rules.append(
            _compile_rule(model, scope, columns, eligibility_path, line, _key_lines(eligibility_data, "rules", i))
        )

    record_scope = _scope(columns, params, record=True)
    negative = []
    for i, item in enumerate(negative_file.items):
        line = _item_line(negative_data, "items", i)
        _check_unique(seen, item.id, negative_path, line)
        negative.append(
            _compile_negative(
                item, record_scope, scope, columns, negative_path, line, _key_lines(negative_data, "items", i)
            )
        )
    for group, path in ((rules, eligibility_path), (negative, negative_path)):
        for rule in group:
            rule.title_names = _title_names(rule, params, path)
    ruleset = RuleSet(
        folder,
        params_file.name,
        params_file.version,
        digest.hexdigest(),
        columns,
        evidence_columns,
        params,
        rules,
        negative,
        list(overrides),
    )
    _check_values_on_election_date(ruleset, params_path, params_data)
    return ruleset


def _check_values_on_election_date(ruleset: RuleSet, params_path: Path, params_data: Any) -> None:
    """Every parameter a rule uses has a value on the election date (the default as-of date):
    a value that starts later would make the default run fail, so loading fails instead."""
    if "election_date" not in ruleset.params:
        return
    election = ruleset.election_date()
    for rule in ruleset.all_rules:
        for name in rule.parameters(ruleset.params):
            first = ruleset.params[name].values[0][0]
            if first > election:
                raise RulesError(
                    params_path,
                    f"参数 {name} 在选举日 {election} 还没有取值（最早从 {first} 起），"
                    f"规则 {rule.id}（{rule.source}:{rule.line}）用到它 (no value on the election date)",
                    line=_key_line(params_data, "parameters", name),
                    rule=rule.id,
                )


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    if data is None:
        raise RulesError(path, "文件是空的 (empty file)", line=1)
    if not isinstance(data, dict):
        raise RulesError(path, "文件内容应为映射 (expected a mapping at the top level)", line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = err["loc"]
        line, rule = locate(data, loc)
        where = ".".join(str(p) for p in loc)
        msg = shape_message(err)
        raise RulesError(path, f"{where}: {msg}", line=line, rule=rule) from None


def _key_line(data: Any, *keys: str) -> int | None:
    line, _ = locate(data, keys)
    return line


def _item_line(data: Any, key: str, index: int) -> int | None:
    line, _ = locate(data, (key, index))
    return line


def _key_lines(data: Any, key: str, index: int) -> dict[str, int]:
    try:
        node = data[key][index]
    except (KeyError, IndexError, TypeError):
        return {}
    return dict(getattr(node, "key_lines", {}))


def _check_unique(seen: dict, rule_id: str, path: Path, line: int | None) -> None:
    if rule_id in BUILT_IN_BY_ID:  # D01 as a rule would mix with the tool's own D01 in every count
        raise RulesError(
            path,
            f"规则编号 {rule_id} 是本工具自带的检查（{BUILT_IN_BY_ID[rule_id].title}）的编号，请换一个 (reserved id)",
            line=line,
            rule=rule_id,
        )
    if rule_id in seen:
        other_path, other_line = seen[rule_id]
        raise RulesError(
            path,
            f"规则编号 {rule_id} 重复，已在 {other_path.name}:{other_line} 定义 (duplicate id)",
            line=line,
            rule=rule_id,
        )
    seen[rule_id] = (path, line)


def dated_parameters(
    models: dict[str, ParamModel], path: Path, data: Any, section: tuple[str, ...] = ("parameters",)
) -> dict[str, Parameter]:
    """Dated parameters (OpenFisca style: a value and a reference from each start date), each
    value checked against its type; an error names the file and the parameter's line. Every
    rule file with parameters (params.yaml, pay.yaml, pension.yaml …) loads them through here."""
    params = {}
    for pname, model in models.items():
        line = _key_line(data, *section, pname)
        values = sorted((start, v.value, v.reference) for start, v in model.values.items())
        for start, value, _ in values:
            _check_param_type(path, line, pname, model.type, value, start)
            check_param_range(path, line, pname, model.title, model.min, model.max, value, start)
        params[pname] = Parameter(pname, model.title, model.type, values, model.min, model.max, tuple(model.not_above))
    for pname, param in params.items():
        line = _key_line(data, *section, pname)
        for other in param.not_above:
            if other not in params or {param.type, params[other].type} != {"number"}:
                raise RulesError(path, f"参数 {pname} 的 not_above 应为数字参数，{other} 不是", line=line)
        problem = order_problem(params, pname)
        if problem:
            raise RulesError(path, f"{problem} (out of order)", line=line)
    return params


def order_problem(params: dict[str, Parameter], name: str) -> str | None:
    """Where a parameter is above one it must not exceed (its not_above) on some date: what and
    when, as a rule author reads it; None where it never is."""
    param = params[name]
    for other in (params[o] for o in param.not_above if o in params):
        for start in sorted({d for d, _, _ in param.values} | {d for d, _, _ in other.values}):
            if start < param.values[0][0] or start < other.values[0][0]:
                continue  # one of the two has no value yet
            mine, theirs = param.at(start), other.at(start)
            if mine > theirs:
                return (
                    f"参数 {name}（{param.title}）从 {start} 起为 {_number_text(mine)}，高于 "
                    f"{other.name}（{other.title}）的 {_number_text(theirs)}，两者是否写反了"
                )
    return None


def _check_param_type(
    path: Path, line: int | None, name: str, kind: str, value: Any, start: dt.date | None = None
) -> None:
    at = f"从 {start} 起" if start is not None else ""
    if value is None:
        raise RulesError(path, f"参数 {name} {at}的 value 没有填写 (empty value)", line=line)
    if isinstance(value, dict) and "reference" in value and kind != "table":
        raise RulesError(path, f"参数 {name} {at}的取值缺少 value，只写了 reference (missing value)", line=line)
    if kind == "table" and isinstance(value, dict):  # name the entry, not the whole table
        for key, entry in value.items():
            if not isinstance(entry, int | float) or isinstance(entry, bool):
                raise RulesError(path, f"参数 {name} {at}“{key}”的取值 {entry!r} 不是数字 (type mismatch)", line=line)
    ok = {
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "date": isinstance(value, dt.date),
        "text": isinstance(value, str),
        "list": isinstance(value, list),
        "table": isinstance(value, dict) and all(isinstance(v, int | float) for v in value.values()),
    }[kind]
    if not ok:
        raise RulesError(path, f"参数 {name} {at}的取值 {value!r} 不是 {kind} 类型 (type mismatch)", line=line)


def check_param_range(
    path: Path | str,
    line: int | None,
    name: str,
    title: str,
    minimum: float | None,
    maximum: float | None,
    value: Any,
    start: dt.date | None = None,
) -> None:
    """A number (or each entry of a table) within the parameter's min/max; an error names the value
    and the range."""
    if minimum is None and maximum is None:
        return
    entries = value.items() if isinstance(value, dict) else [(None, value)]
    for key, number in entries:
        if not isinstance(number, int | float) or isinstance(number, bool):
            continue
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            at = f"从 {start} 起" if start is not None else ""
            entry = f"“{key}”" if key is not None else ""
            raise RulesError(
                path,
                f"参数 {name}（{title}）{at}{entry}的取值 {_number_text(number)} 不在允许的范围内："
                f"{_range_text(minimum, maximum)} (out of range)",
                line=line,
            )


def _range_text(minimum: float | None, maximum: float | None) -> str:
    if minimum is None:
        return f"不大于 {_number_text(maximum)}"
    if maximum is None:
        return f"不小于 {_number_text(minimum)}"
    return f"{_number_text(minimum)} 至 {_number_text(maximum)}"


def _number_text(number: float | None) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _scope(columns: ColumnSpec, params: dict[str, Parameter], record: bool = False) -> ex.Scope:
    kinds: dict[str, str] = {}
    ranks: dict[str, dict[str, int]] = {}
    vocab_values: dict[str, set[str]] = {}
    for name, spec in columns.fields.items():
        kinds[name] = _field_kind(spec)
        if spec.vocabulary is not None:
            vocab_values[name] = set(spec.vocabulary.values)
            if spec.vocabulary.ranks:
                ranks[spec.vocabulary.name] = spec.vocabulary.ranks
    kinds.update(DERIVED_KINDS)
    vocab_values["post_group"] = {*columns.posts.groups, OTHER_GROUP}
    for name, p in params.items():
        kinds[name] = {"number": ex.NUMBER, "date": ex.DATE, "text": ex.TEXT, "list": ex.LIST, "table": ex.TABLE}[
            p.type
        ]
    constants = {name: [v for _, v, _ in p.values] for name, p in params.items() if p.type in ("text", "list", "table")}
    if record:
        kinds.update(RECORD_KINDS)
        sanction = columns.vocabularies.get("sanction")
        if sanction is not None:
            vocab_values["record_type"] = set(sanction.values)
    return ex.Scope(kinds, ranks, vocab_values, constants)


def _field_kind(spec: FieldSpec) -> str:
    if spec.type == "vocab" and spec.vocabulary is not None and spec.vocabulary.ranks:
        return f"ordered:{spec.vocabulary.name}"
    return {"date": ex.DATE, "number": ex.NUMBER, "integer": ex.NUMBER, "yes_no": ex.BOOL}.get(spec.type, ex.TEXT)


def _compile_expr(
    text: str | None, key: str, scope: ex.Scope, path: Path, line: int | None, rule_id: str, want_bool: bool = True
) -> ex.Node | None:
    if text is None:
        return None
    try:
        node = ex.parse(str(text))
        kind = ex.check(node, scope)
    except ex.ExprError as exc:
        pointer = f"\n    {key}: {text}\n    {' ' * (len(key) + 2 + exc.pos)}^"
        raise RulesError(path, f"{key} 表达式错误：{exc.message}{pointer}", line=line, rule=rule_id) from None
    if want_bool and kind not in (ex.BOOL, ex.ANY):
        raise RulesError(path, f"{key} 应为真假条件，这里得到的是{ex._kind_cn(kind)}", line=line, rule=rule_id)
    return node


def _title_names(rule: Rule, params: dict[str, Parameter], path: Path) -> list[str]:
    """The parameters a title quotes; a title may quote parameters only (it names the rule, not a person)."""
    import string

    try:
        parsed = list(string.Formatter().parse(rule.title))
    except ValueError as exc:
        raise RulesError(path, f"title 模板错误：{exc}（花括号需成对）", line=rule.line, rule=rule.id) from None
    names = [name for _, name, _, _ in parsed if name is not None]
    for name in names:
        if name not in params:
            raise RulesError(path, f"title 中的 {{{name}}} 不是参数（标题只能引用参数）", line=rule.line, rule=rule.id)
    return names


def _template(text: str, scope: ex.Scope, path: Path, line: int | None, rule_id: str) -> Template:
    import string

    names = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise RulesError(path, f"message 模板错误：{exc}（花括号需成对）", line=line, rule=rule_id) from None
    for _, name, _spec, _ in parsed:
        if name is None:
            continue
        if name not in scope.kinds:
            raise RulesError(path, f"message 中的 {{{name}}} 不是已知的字段、参数或派生值", line=line, rule=rule_id)
        names.append(name)
    return Template(text, names)


def _check_targets(targets: list[str], columns: ColumnSpec, path: Path, line: int | None, rule_id: str) -> None:
    known = set(SPECIAL_TARGETS) | set(columns.posts.groups) | set(columns.posts.posts)
    for t in targets:
        if t not in known:
            raise RulesError(
                path,
                f"applies_to 中的“{t}”不是职务、职务类别或 everyone/party_post/two_committee",
                line=line,
                rule=rule_id,
            )


def _compile_rule(
    model: RuleModel, scope: ex.Scope, columns: ColumnSpec, path: Path, line: int | None, lines: dict[str, int]
) -> Rule:
    rid = model.id

    def at(key: str) -> int | None:
        return lines.get(key, line)

    _check_targets(model.applies_to, columns, path, at("applies_to"), rid)
    if model.scope == "village":
        if model.require_any is None or model.require is not None:
            raise RulesError(path, "scope: village 的规则需要 require_any（而不是 require）", line=line, rule=rid)
        condition_text, key = model.require_any, "require_any"
        kind = "slate"
    else:
        if model.require is None or model.require_any is not None:
            raise RulesError(path, "规则需要 require 条件（require_any 只用于 scope: village）", line=line, rule=rid)
        condition_text, key = model.require, "require"
        kind = "qualification"
    return Rule(
        id=rid,
        title=model.title,
        kind=kind,
        severity=model.severity,
        basis=model.basis,
        message=_template(model.message, scope, path, at("message"), rid),
        source=path.name,
        line=line,
        applies_to=model.applies_to,
        when=_compile_expr(model.when, "when", scope, path, at("when"), rid),
        condition=_compile_expr(condition_text, key, scope, path, at(key), rid),
        condition_text=condition_text,
        when_text=model.when or "",
        on_missing=model.on_missing,
    )


def _compile_negative(
    item: NegativeItemModel,
    scope: ex.Scope,
    person_scope: ex.Scope,
    columns: ColumnSpec,
    path: Path,
    line: int | None,
    lines: dict[str, int],
) -> Rule:
    rid = item.id

    def at(key: str) -> int | None:
        return lines.get(key, line)

    record: dict[str, Any] = {}
    if item.roster_record is not None:
        for key in ("date", "type"):
            fname = getattr(item.roster_record, key)
            if fname is not None and fname not in columns.fields:
                raise RulesError(path, f"roster_record.{key} 的“{fname}”不是字段名", line=line, rule=rid)
            record[key] = fname
        record["flag"] = _compile_expr(
            item.roster_record.flag, "roster_record.flag", person_scope, path, at("roster_record"), rid
        )
    return Rule(
        id=rid,
        title=item.title,
        kind="negative",
        severity=item.severity,
        basis=item.basis,
        message=_template(item.message, scope, path, at("message"), rid),
        source=path.name,
        line=line,
        condition=_compile_expr(item.hit, "hit", scope, path, at("hit"), rid),
        condition_text=item.hit,
        on_unknown=item.on_unknown,
        label=item.label,
        aliases=item.aliases,
        roster_record=record,
        unknown_message=_template(item.unknown_message, scope, path, at("unknown_message"), rid)
        if item.unknown_message
        else None,
    )
