"""Errors a user sees as one clear line (exit code 2), never as a traceback."""

from __future__ import annotations


class CadreToolError(Exception):
    """Base of every error that ends a command with a message instead of a traceback."""


class InputError(CadreToolError):
    """A file that cannot be read: names the file and why."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class RulesError(CadreToolError):
    """A rule set that cannot be loaded: names the file, the line and the rule."""

    def __init__(self, path: object, reason: str, line: int | None = None, rule: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.rule = rule
        self.reason = reason
        where = self.path + (f":{line}" if line else "")
        who = f" 规则 {rule}" if rule else ""
        super().__init__(f"{where}:{who} {reason}".replace(": ", ": ", 1))
