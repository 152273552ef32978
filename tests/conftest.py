"""Shared fixtures: run the CLI the way a user does, on rosters written by tests/badfiles.py.

The CLI runs in-process through Typer's CliRunner with catch_exceptions=False, so an
uncaught exception fails the test with its traceback instead of hiding in an exit code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import badfiles  # tests/ is on sys.path (pytest's default "prepend" import mode)
import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from cadretool.cli import app

# timing varies a lot on shared CI machines: property tests judge results, never speed
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

ERROR_PREFIX = "cadretool: 错误: "


@dataclass
class Run:
    """What a user sees after one command: exit code, stdout, stderr."""

    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


CLI = Callable[..., Run]


@pytest.fixture
def cli() -> CLI:
    """`cli("vet", path, "--format", "json")` → Run; never a traceback."""
    runner = CliRunner()

    def run(*args: str | Path) -> Run:
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        run = Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)
        assert "Traceback" not in run.stdout + run.stderr, run.stderr
        return run

    return run


@pytest.fixture
def roster_xlsx(tmp_path: Path) -> Path:
    """The good roster: title row, blank row, header on row 3, four eligible people."""
    return badfiles.write_roster_xlsx(tmp_path / "城关镇花名册.xlsx")


@pytest.fixture
def roster_gbk_csv(tmp_path: Path) -> Path:
    return badfiles.write_roster_csv(tmp_path / "城关镇_gbk.csv", encoding="gbk")


@pytest.fixture
def roster_bom_csv(tmp_path: Path) -> Path:
    return badfiles.write_roster_csv(tmp_path / "城关镇_bom.csv", encoding="utf-8-sig")


@pytest.fixture
def roster_two_row_header(tmp_path: Path) -> Path:
    return badfiles.write_two_row_header_xlsx(tmp_path / "城关镇_两行表头.xlsx")


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so rich never wraps a path or an ID number across lines."""
    monkeypatch.setenv("COLUMNS", "300")
