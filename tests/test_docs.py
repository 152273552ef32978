"""Documentation does not drift: every command has help, the README names every command and
opens with the two set-up commands, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from cadretool import __version__
from cadretool.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def commands() -> list[tuple[str, ...]]:
    root = get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(group: object, prefix: tuple[str, ...]) -> None:
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            found.append((*prefix, name))
            walk(cmd, (*prefix, name))

    walk(root, ())
    return found


def test_every_command_has_help_text() -> None:
    for path in commands():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        cmd = get_command(app)
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
        for param in cmd.params:
            if isinstance(param, typer.core.TyperOption) and param.name != "help":
                assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help text"


@pytest.mark.parametrize("path", commands())
def test_readme_mentions_every_command(path: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"cadretool {' '.join(path)}" in readme


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.match(r"\s*```(?:bash|sh)?\n(.*?)\n```", readme, re.S)
    assert block, "README must open with a code block of the set-up commands"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("pip install . && cadretool vet sample_data/")
    test_command = lines[1]
    assert "pytest" in test_command and "[test]" in test_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout
