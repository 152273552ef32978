"""The result objects a job returns; the same objects feed the workbook, JSON, CSV and terminal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from cadretool.catalogue import SEVERITY_LABELS, SEVERITY_ORDER, STATUS_LABELS
from cadretool.errors import InputError
from cadretool.roster.table import Roster

if TYPE_CHECKING:
    from cadretool.rules.jobparams import ParamUse

__all__ = ["SEVERITY_LABELS", "SEVERITY_ORDER", "STATUS_LABELS", "RuleInfo", "VetResult"]


@dataclass(kw_only=True)
class JobResult:
    """What a pension, career or tuition result carries besides its own rows: the roster read, the
    parameters and rules applied, the rule set, the as-of date and what went wrong."""

    roster: Roster
    parameters: list[ParamUse]
    rules: list[RuleInfo]
    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    as_of: dt.date
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overrides: list[Any] = field(default_factory=list)  # what-if --set values the run used
    comparison: Any = None  # --compare: the run against the rule set's own values (compare.Comparison)


@dataclass
class RuleInfo:
    """One rule as applied, for the 规则 sheet and `rules list`."""

    id: str
    title: str
    kind: str  # a catalogue Kind: qualification | slate | negative | data | evidence
    severity: str
    applies_to: str
    condition: str
    basis: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class VetResult:
    """Everything `vet` found.

    people: the roster frame (index = person number) plus a `status` column
            (eligible/review/ineligible);
    findings: one row per finding on a person: person, rule, severity, message,
              fields (tuple of canonical field names), basis;
    group_findings: one row per village-level finding: township, village, rule,
                    severity, message, basis;
    unmatched_evidence: one dict per evidence record that joined nobody:
                        source, sheet, row, id_number, name, item, reason, and the record's values.
    """

    roster: Roster
    people: pd.DataFrame
    findings: pd.DataFrame
    group_findings: pd.DataFrame
    unmatched_evidence: list[dict[str, Any]]
    evidence_inputs: list[Any]
    rules: list[RuleInfo]
    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    as_of: dt.date
    notes: list[str] = field(default_factory=list)  # what the run skipped or decided, for the user
    overrides: list[Any] = field(default_factory=list)  # what-if --set values the run used
    comparison: Any = None  # --compare: the run against the rule set's own values (compare.Comparison)

    @property
    def warnings(self) -> list[str]:
        """What a user must look at although the run went on (a roster with no people)."""
        return self.roster.warnings

    @property
    def errors(self) -> list[Any]:
        """Inputs that could not be read (rosters and evidence), in the order they were named."""
        return self.roster.errors

    def summary(self) -> dict[str, int]:
        counts = self.people["status"].value_counts() if len(self.people) else {}
        return {
            "people": int(len(self.people)),
            "eligible": int(counts.get("eligible", 0)),
            "review": int(counts.get("review", 0)),
            "ineligible": int(counts.get("ineligible", 0)),
        }
