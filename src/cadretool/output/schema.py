"""The JSON output contracts as pydantic models, so their JSON Schema can be published
(`cadretool schema vet`) and the tests can hold every output to it.

Outputs are built as plain dicts (fast at a province's size); these models are the
contract those dicts are checked against, not a per-row runtime cost.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cadretool.catalogue import Severity, Status


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RulesRef(_Strict):
    name: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class SheetRef(_Strict):
    name: str
    header_row: int = Field(ge=1, description="the Excel row of the (first) header row")
    rows: int = Field(ge=0, description="people read from the sheet")
    notes: list[str] = Field(default=[], description="what the sheet lacked (e.g. columns the rules need)")


class InputRef(_Strict):
    path: str
    format: Literal["xlsx", "xls", "csv"] | None = None
    encoding: str | None = None
    sheets: list[SheetRef]
    notes: list[str] = []


class Finding(_Strict):
    rule: str = Field(description="the rule or finding id: Q01…, N01…, S01, D01…, E01…")
    severity: Severity
    message: str
    fields: list[str] = Field(description="canonical roster fields the finding is about")
    basis: str


class Person(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1, description="the 1-based row number a person sees in Excel (or the CSV line)")
    id_number: str | None = Field(
        description="the valid number, or as written when it is not valid; masked with --mask-ids"
    )
    name: str | None
    township: str | None
    village: str | None
    status: Status
    findings: list[Finding]


class GroupFinding(_Strict):
    rule: str
    severity: Severity
    message: str
    basis: str


class Group(_Strict):
    township: str
    village: str
    findings: list[GroupFinding]


class UnmatchedEvidence(BaseModel):
    """An evidence record that joined nobody; the record's own columns may follow."""

    model_config = ConfigDict(extra="allow")
    source: str
    row: int
    id_number: str | None = Field(description="the normalised number, null when it cannot be read")
    id_as_written: str | None = Field(default=None, description="the ID cell exactly as the department wrote it")
    item: str | None
    reason: str


class Summary(_Strict):
    people: int
    eligible: int
    review: int
    ineligible: int


class InputErrorOut(_Strict):
    path: str
    reason: str


class VetOutput(_Strict):
    """`cadretool vet --format json` (SPEC §4.4)."""

    schema_version: Literal[1]
    command: Literal["vet"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rules: RulesRef
    inputs: list[InputRef]
    evidence: list[InputRef]
    summary: Summary
    people: list[Person]
    groups: list[Group]
    unmatched_evidence: list[UnmatchedEvidence]
    errors: list[InputErrorOut] = Field(description="inputs that could not be read; the run exits 2")
    notes: list[str] = Field(description="what the run skipped or decided (e.g. a result workbook not read)")
    warnings: list[str] = Field(default=[], description="things a user must look at (e.g. a roster with no people)")


SCHEMAS: dict[str, type[BaseModel]] = {"vet": VetOutput}


def json_schema(command: str) -> dict[str, Any]:
    """The published JSON Schema of a command's `--format json` output."""
    schema = SCHEMAS[command].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://cadretool/schema/{command}/1"
    return schema


# ---------------------------------------------------------------- report (SPEC §8)

PERCENT = "0–100, rounded half up to 2 decimals; null where nobody could be counted"


class ReportFigures(_Strict):
    people: int = Field(ge=0)
    avg_age: float | None = Field(description="whole years at the roster's as-of date, averaged, 2 decimals")
    college_pct: float | None = Field(description=PERCENT)
    ability_pct: float | None = Field(description=PERCENT)


class ReportChange(_Strict):
    """Computed from the unrounded figures, then rounded half up to 2 decimals."""

    avg_age: float | None = Field(description="years (current − baseline)")
    college_pp: float | None = Field(description="percentage points")
    ability_pp: float | None = Field(description="percentage points")
    avg_age_relative_pct: float | None = Field(description="(current − baseline) ÷ baseline × 100")
    college_relative_pct: float | None
    ability_relative_pct: float | None


class ReportLevel(_Strict):
    level: Literal["county", "township", "village"]
    township: str | None
    village: str | None
    villages: int | None = Field(description="villages in the county or township; null for a village")
    current: ReportFigures
    baseline: ReportFigures | None = Field(description="null when no --baseline was given")
    change: ReportChange | None
    wrong_way: list[Literal["avg_age", "college_pct", "ability_pct"]] = Field(
        description="the figures that went against 一降两升 (as rounded)"
    )


class ReportFinding(_Strict):
    rule: str = Field(pattern=r"^R\d\d$")
    severity: Severity
    level: Literal["county", "township", "village"]
    township: str | None
    village: str | None
    message: str
    basis: str


class ReportParametersOut(_Strict):
    college_min_education: str
    ability_tags: list[str]
    term_years: int


class ReportSummary(_Strict):
    people: int
    baseline_people: int | None
    villages: int
    villages_without_candidates: int


class VillageWithout(_Strict):
    township: str | None
    village: str
    baseline_people: int | None
    source: str


class ChannelsOther(_Strict):
    current: dict[str, int]
    baseline: dict[str, int] | None


class ReportOutput(_Strict):
    """`cadretool report --format json` (SPEC §8)."""

    schema_version: Literal[1]
    command: Literal["report"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    baseline_as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rules: RulesRef
    parameters: ReportParametersOut
    inputs: list[InputRef]
    baseline_inputs: list[InputRef]
    villages_file: str | None
    summary: ReportSummary
    levels: list[ReportLevel] = Field(description="the county first, then each township, then each village")
    channels: dict[str, int] = Field(description="the current roster by the five channels (五荐), zeros included")
    baseline_channels: dict[str, int] | None
    channels_other: ChannelsOther = Field(description="people with no channel (未填写) or another one (不在五荐之列)")
    villages_without_candidates: list[str] = Field(
        description="sorted names of the villages of the baseline or of --villages with nobody in the current roster"
    )
    villages_without_candidates_detail: list[VillageWithout]
    findings: list[ReportFinding]
    errors: list[InputErrorOut] = Field(description="inputs that could not be read; the run exits 2")
    warnings: list[str]
    notes: list[str]


SCHEMAS["report"] = ReportOutput
