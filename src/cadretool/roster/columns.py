"""Canonical roster fields, their Chinese headers and the vocabularies (rules/columns.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cadretool.errors import RulesError
from cadretool.roster.text import clean_text, header_key
from cadretool.yamlio import LineDict, load_yaml

FieldType = Literal["text", "id_number", "date", "number", "integer", "yes_no", "vocab"]

_JOINERS = ("兼", "、", "，", ",", "/", "／", "及")
YES_VALUES = {
    "是",
    "有",
    "y",
    "yes",
    "true",
    "1",
    "√",
    "✓",
    "✔",
    "对",
    "已签",
    "已签订",
    "已签署",
    "签订",
    "本村",
    "本社区",
}
NO_VALUES = {
    "否",
    "无",
    "没有",
    "n",
    "no",
    "false",
    "0",
    "×",
    "✗",
    "✘",
    "不是",
    "未",
    "未签",
    "未签订",
    "未签署",
    "拒签",
    "外村",
    "非本村",
    "非本社区",
}


class FieldConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headers: list[str]
    type: FieldType = "text"
    vocabulary: str | None = None

    @field_validator("headers")
    @classmethod
    def _not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("headers must list at least one header")
        return [str(v) for v in value]


class VocabularyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    values: dict[str, list[str]]
    order: list[str | list[str]] | None = None
    blank: list[str] = []
    contains: bool = False


class ColumnsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldConfig]
    vocabularies: dict[str, VocabularyConfig] = {}
    evidence_fields: dict[str, FieldConfig] = {}
    evidence_clear: list[str] = []


@dataclass
class Vocabulary:
    """A closed list of values with aliases; `ranks` is set for ordered vocabularies."""

    name: str
    values: list[str]
    lookup: dict[str, str]
    blank: set[str]
    ranks: dict[str, int] | None = None
    contains: bool = False

    def normalise(self, text: str | None) -> tuple[str | None, bool]:
        """Return (canonical value, recognised). Blank-like values give (None, True)."""
        if text is None:
            return None, True
        key = header_key(text)
        if not key or key in self.blank:
            return None, True
        hit = self.lookup.get(key)
        if hit is not None:
            return hit, True
        if self.contains:
            # 村党支部书记（兼） → the one value whose longest alias the text contains
            found = sorted((a for a in self.lookup if len(a) >= 2 and a in key), key=len, reverse=True)
            taken = [False] * len(key)
            values: dict[str, int] = {}
            for alias in found:  # longest first; a shorter alias inside a longer one does not count
                at = key.find(alias)
                if not any(taken[at : at + len(alias)]):
                    taken[at : at + len(alias)] = [True] * len(alias)
                    values[self.lookup[alias]] = min(at, values.get(self.lookup[alias], at))
            if len(values) == 1:
                return next(iter(values)), True
            if len(values) > 1 and any(j in text for j in _JOINERS):
                # 村委会副主任兼妇女主任: two posts held together; the one named first is the post
                return min(values, key=values.__getitem__), True
        return None, False


@dataclass
class FieldSpec:
    name: str
    headers: list[str]
    type: FieldType
    vocabulary: Vocabulary | None = None
    title: str = ""

    @property
    def label(self) -> str:
        """The Chinese header a person knows this field by."""
        return self.title or self.headers[0]


@dataclass
class ColumnSpec:
    """Every field a roster column can map to, with the header index used to find them."""

    fields: dict[str, FieldSpec]
    vocabularies: dict[str, Vocabulary]
    header_index: dict[str, str] = field(default_factory=dict)
    clear_words: list[str] = field(default_factory=list)  # evidence: "nothing found"
    _matches: dict[object, str | None] = field(default_factory=dict, repr=False)

    def add_field(self, spec: FieldSpec, source: Path | None = None) -> None:
        self.fields[spec.name] = spec
        for header in spec.headers:
            key = header_key(header)
            other = self.header_index.get(key)
            if other is not None and other != spec.name:
                raise RulesError(
                    source or "columns.yaml",
                    f"列名“{header}”同时对应字段 {other} 和 {spec.name} (header maps to two fields)",
                )
            self.header_index[key] = spec.name
        self._matches.clear()

    def match_header(self, text: object) -> str | None:
        """The canonical field a header cell names, or None."""
        key = (type(text), text) if isinstance(text, str | int | float) else None
        if key is not None and key in self._matches:
            return self._matches[key]
        hit = self._match(text)
        if key is not None:
            self._matches[key] = hit
        return hit

    def _match(self, text: object) -> str | None:
        cleaned = clean_text(text)
        if not cleaned:
            return None
        key = header_key(cleaned)
        hit = self.header_index.get(key)
        if hit is None:
            # 身份证号码(18位), 出生年月（格式1985.03）: try again without the bracketed hint
            stripped = re.sub(r"[(（【\[].*?[)）】\]]", "", cleaned)
            if stripped != cleaned:
                hit = self.header_index.get(header_key(stripped))
        return hit

    def label(self, name: str) -> str:
        spec = self.fields.get(name)
        return spec.label if spec else name


def load_columns(path: Path) -> tuple[ColumnSpec, ColumnSpec]:
    """Load and validate columns.yaml strictly: (roster columns, evidence columns)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RulesError(path, "应为映射（fields/vocabularies） (expected a mapping)")
    try:
        config = ColumnsConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        line = _line_of(data, err["loc"])
        raise RulesError(path, f"{'.'.join(loc)}: {err['msg']}", line=line) from None
    vocabularies: dict[str, Vocabulary] = {}
    for name, vc in config.vocabularies.items():
        vocabularies[name] = _build_vocabulary(path, name, vc, _line_of(data, ("vocabularies", name)))
    specs = []
    for section, configs in (("fields", config.fields), ("evidence_fields", config.evidence_fields)):
        spec = ColumnSpec(fields={}, vocabularies=vocabularies)
        for name, fc in configs.items():
            vocab = None
            if fc.type == "vocab":
                if not fc.vocabulary or fc.vocabulary not in vocabularies:
                    raise RulesError(
                        path,
                        f"字段 {name} 的词表 {fc.vocabulary!r} 未定义 (unknown vocabulary)",
                        line=_line_of(data, (section, name)),
                    )
                vocab = vocabularies[fc.vocabulary]
            spec.add_field(FieldSpec(name, fc.headers, fc.type, vocab), source=path)
        specs.append(spec)
    specs[1].clear_words = list(config.evidence_clear)
    return specs[0], specs[1]


def _build_vocabulary(path: Path, name: str, vc: VocabularyConfig, line: int | None) -> Vocabulary:
    lookup: dict[str, str] = {}
    for canonical, aliases in vc.values.items():
        for alias in [canonical, *aliases]:
            key = header_key(str(alias))
            if key in lookup and lookup[key] != canonical:
                raise RulesError(path, f"词表 {name}: “{alias}”同时是 {lookup[key]} 和 {canonical} 的别名", line=line)
            lookup[key] = canonical
    ranks = None
    if vc.order is not None:
        ranks = {}
        for rank, entry in enumerate(vc.order, start=1):
            for value in [entry] if isinstance(entry, str) else entry:
                if value not in vc.values:
                    raise RulesError(path, f"词表 {name} 的 order 中的“{value}”不是词表的值", line=line)
                ranks[value] = rank
        unranked = [v for v in vc.values if v not in ranks]
        if unranked:
            raise RulesError(path, f"词表 {name} 的 order 缺少 {'、'.join(unranked)}", line=line)
    return Vocabulary(name, list(vc.values), lookup, {header_key(b) for b in vc.blank}, ranks, vc.contains)


def _line_of(data: object, loc: tuple) -> int | None:
    line = None
    node = data
    for part in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(str(part), line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line


def yes_no(text: str | None) -> tuple[bool | None, bool]:
    """Read a 是/否 cell: (value, recognised). Blank gives (None, True)."""
    if text is None:
        return None, True
    key = header_key(text)
    if not key:
        return None, True
    if key in YES_VALUES:
        return True, True
    if key in NO_VALUES:
        return False, True
    return None, False
