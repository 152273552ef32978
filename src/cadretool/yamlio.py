"""Safe YAML loading that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from cadretool.errors import RulesError


class LineDict(dict):
    """A mapping from YAML that knows the line each key was written on (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


# libyaml's parser where PyYAML was built with it (several times faster), with the same safe constructor
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that records key lines and rejects duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
        except ValueError as exc:  # 2026-13-01 looks like a date to YAML but is not one
            raise yaml.constructor.ConstructorError(
                None, None, f"“{key_node.value}”不是有效的日期 ({exc})", key_node.start_mark
            ) from None
        if not isinstance(key, str | int | float | bool) and key is not None and not hasattr(key, "isoformat"):
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key “{key}”（重复的键）", key_node.start_mark
            )
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"“{getattr(value_node, 'value', '')}”不是有效的值 ({exc})", value_node.start_mark
            ) from None
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Load one YAML file safely; errors name the file and the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RulesError(path, "文件不存在 (file not found)") from None
    except UnicodeDecodeError:
        raise RulesError(path, "不是 UTF-8 编码的文本 (not UTF-8 text)") from None
    except OSError as exc:
        raise RulesError(path, f"无法读取 ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = (mark.line, mark.column) if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        lines = text.splitlines()
        # a full-width colon (severity：review) is seen by YAML only on the next line: point at it
        for m in (exc.context_mark, exc.problem_mark):
            if m is not None and m.line < len(lines) and re.match(r"^\s*-?\s*[A-Za-z_]\w*\s*：", lines[m.line]):
                at = (m.line, lines[m.line].index("："))
                problem = "键后面用了中文冒号“：”，应为英文冒号加空格“: ” (full-width colon)"
                break
        reason = f"YAML 格式错误：{_yaml_hint(problem)}"
        if at is not None and at[0] < len(lines):
            reason += f"\n    {lines[at[0]]}\n    {' ' * at[1]}^"
        raise RulesError(path, reason, line=at[0] + 1 if at else None) from None
    except yaml.YAMLError as exc:
        raise RulesError(path, f"YAML 错误: {exc}") from None


# PyYAML's usual complaints, said for a rule author; the English stays in brackets
_YAML_HINTS = (
    ("tab character", "用了制表符（Tab）缩进，请改用空格"),
    ("expected ':'", "缺少冒号，键应写成“键: 值”（英文冒号加空格）"),
    ("mapping values are not allowed", "缩进没有对齐，或取值中有未加引号的“: ”"),
    ("expected '-' indicator", "缩进没有对齐（列表各项应以同样缩进的“- ”开头）"),
    ("expected <block end>", "缩进没有对齐"),
    ("did not find expected key", "缩进没有对齐"),
    ("flow sequence", "方括号 [ ] 没有成对"),
    ("flow mapping", "花括号 { } 没有成对"),
    ("quoted scalar", "引号没有成对"),
    ("expected alphabetic or numeric character", "“*”“&”“!”等符号开头的取值需要加引号"),
)


def _yaml_hint(problem: str) -> str:
    for words, hint in _YAML_HINTS:
        if words in problem:
            return f"{hint} ({problem})"
    return problem


# what a rule author reads instead of pydantic's English (kept in brackets)
_SHAPE_WORDS = {
    "string_type": "应为文字",
    "dict_type": "应为“键: 值”的映射",
    "model_type": "应为“键: 值”的映射",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
}


def shape_message(err: Any) -> str:
    """One pydantic error of a rule file's shape, in the author's terms: which key, what is wrong,
    what was written."""
    loc, kind, msg, given = err["loc"], err["type"], err["msg"], err.get("input")
    if kind == "extra_forbidden":
        return f"未知的键“{loc[-1]}” (unknown key)"
    if kind == "missing":
        return f"缺少必填的键“{loc[-1]}” (missing key)"
    if kind == "literal_error":
        return f"取值“{given}”不在允许的范围内：{err.get('ctx', {}).get('expected', '')}"
    if kind == "value_error":  # a validator's own message, without pydantic's "Value error, "
        return str(err.get("ctx", {}).get("error", msg))
    if kind == "list_type":
        return f"应为列表，如 [{given}] (expected a list)"
    if kind.startswith(("date_", "datetime_")):
        return f"“{given}”不是 YYYY-MM-DD 格式的日期 (expected a date)"
    if kind == "greater_than_equal":
        return f"取值 {given} 应不小于 {err.get('ctx', {}).get('ge')}"
    if kind in _SHAPE_WORDS:
        if given is None:
            written = "这里没有填写"
        elif isinstance(given, dict | list):
            written = "这里写的是列表" if isinstance(given, list) else "这里写的是映射"
        else:
            written = f"这里写的是“{given}”"
        return f"{_SHAPE_WORDS[kind]}，{written} ({msg})"
    return msg


def locate(data: Any, loc: tuple[Any, ...] | list[Any]) -> tuple[int | None, str | None]:
    """Where a path of keys and list indexes points in a loaded YAML document: the line of the
    deepest key found, and the `id` of the innermost mapping that has one (the rule)."""
    line, rule, node = None, None, data
    for part in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(str(part), line)
            if isinstance(node.get("id"), str):
                rule = node["id"]
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
                if isinstance(node.get("id"), str):
                    rule = node["id"]
        else:
            break
    return line, rule
