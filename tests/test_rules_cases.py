"""The default rule set's YAML cases, one pytest item each: a failure names its file, line and
case, and `-k` selects a case by name (OpenFisca's YAML tests, the same way)."""

from __future__ import annotations

import pytest

from cadretool.rules.casetest import Outcome, run_cases
from cadretool.rules.ruleset import load_ruleset

OUTCOMES = run_cases(load_ruleset())


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[f"{o.file}:{o.line}:{o.name}" for o in OUTCOMES])
def test_case(outcome: Outcome) -> None:
    assert outcome.passed, f"{outcome.file}:{outcome.line} {outcome.name}\n" + "\n".join(outcome.problems)


def test_every_rule_has_a_case() -> None:
    ruleset = load_ruleset()
    assert len(OUTCOMES) >= len(ruleset.all_rules)
