"""The default rule set's YAML cases, one pytest item each: a failure names its file, line and
case, and `-k` selects a case by name (OpenFisca's YAML tests, the same way)."""

from __future__ import annotations

import pytest

from cadretool.rules.casetest import Outcome, load_cases, run_cases
from cadretool.rules.ruleset import load_ruleset
from cadretool.yamlio import load_yaml

OUTCOMES = run_cases(load_ruleset())


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[f"{o.file}:{o.line}:{o.name}" for o in OUTCOMES])
def test_case(outcome: Outcome) -> None:
    assert outcome.passed, f"{outcome.file}:{outcome.line} {outcome.name}\n" + "\n".join(outcome.problems)


def test_every_rule_is_expected_to_fire_in_some_case() -> None:
    ruleset = load_ruleset()
    named: set[str] = set()
    for path in sorted((ruleset.path / "tests").glob("*.yaml")):
        for case in load_cases(path, load_yaml(path), ruleset).cases:
            for key in ("rules", "includes", "groups"):
                named.update(getattr(case.expect, key) or [])
    assert {r.id for r in ruleset.all_rules} - named == set()
