"""Safe YAML loading that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

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
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise RulesError(path, f"YAML 错误: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise RulesError(path, f"YAML 错误: {exc}") from None


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
