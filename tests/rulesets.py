"""Copies of the default rule set that a test edits, the way a rule author would."""

from __future__ import annotations

import shutil
from pathlib import Path

from cadretool.rules.ruleset import default_rules_dir


def copy_rules(tmp_path: Path) -> Path:
    """A copy of the default rule set in tmp_path/rules, free to edit."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a rule file; fails when the file does not say `old`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
