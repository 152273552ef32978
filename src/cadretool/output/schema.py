"""The JSON output contracts as pydantic models, so their JSON Schema can be published
(`cadretool schema vet`) and the tests can hold every output to it.

Outputs are built as plain dicts (fast at a province's size); these models are the
contract those dicts are checked against, not a per-row runtime cost.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cadretool.catalogue import Severity, Status


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverrideRef(_Strict):
    """A what-if value (--set) the run used instead of the rule set's."""

    name: str = Field(description="the parameter")
    key: str | None = Field(description="the entry of a table parameter (NAME.KEY=VALUE), else null")
    from_: str | None = Field(
        alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$", description="the date it starts on; null: every date"
    )
    value: Any
    set: str = Field(description="the --set as written")


class RulesRef(_Strict):
    name: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    overrides: list[OverrideRef] = Field(
        default=[], description="what-if values (--set): present only on a run that changed a parameter"
    )


class SideOut(_Strict):
    status: str | None = Field(
        description="vet: eligible|review|ineligible; pay: paid|not_paid; bonus: cadre|leader; pension: its status"
    )
    amount: str | None = Field(description="pay total, bonus share, pension leaving allowance (yuan, two decimals)")


class ComponentDiff(_Strict):
    component: str
    before: str | None
    after: str | None


class PersonChange(_Strict):
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    source: str | None
    sheet: str | None
    row: int | None
    change: Literal["changed", "added", "removed"]
    before: SideOut | None
    after: SideOut | None
    because: list[str] = Field(description="the rule, finding or component ids that made the difference")
    findings_added: list[str]
    findings_removed: list[str]
    components: list[ComponentDiff]


class SideCounts(_Strict):
    model_config = ConfigDict(extra="allow")  # one count per status of the command
    people: int = Field(ge=0)


class PlaceChange(_Strict):
    model_config = ConfigDict(extra="allow")  # pay: before/after totals, monthly and annual difference
    township: str
    village: str | None = None
    changed: int = Field(ge=0)
    before: SideCounts
    after: SideCounts


class VillageLacking(_Strict):
    township: str
    village: str
    lacking: list[str] = Field(
        description="正职 / 副职 / 委员 / 35岁以下 (the young age in force) / 女性: an eligible one before, none after"
    )


class BackPayOut(_Strict):
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    due: str
    paid: str
    difference: str


class PlaceMoney(_Strict):
    county: str
    townships: dict[str, str]
    villages: dict[str, str] = Field(description="keyed township/village")


class CostsOut(_Strict):
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    year: int
    monthly: PlaceMoney = Field(description="the month paid: what-if − rule set")
    annual: PlaceMoney = Field(description="each month of the calendar year under that month's values")
    back_pay: list[BackPayOut] = Field(description="months from a dated what-if value up to the month before")
    back_pay_total: str


class ComparisonOut(_Strict):
    """SPEC §4.4.1: people whose status or amount changes (or who were added or removed), and per place."""

    before: str
    after: str
    overrides: list[OverrideRef]
    summary: dict[str, int]
    people: list[PersonChange]
    by_village: list[PlaceChange]
    by_township: list[PlaceChange]
    villages_left_without: list[VillageLacking]
    matched_by_row: int = Field(ge=0, description="people matched by file, sheet and row (no usable ID number)")
    notes: list[str]
    costs: CostsOut | None = None


class DiffOutput(_Strict):
    """`cadretool diff OLD.json NEW.json --format json`."""

    schema_version: Literal[1]
    command: Literal["diff"]
    of: Literal["vet", "pay", "bonus", "pension"]
    comparison: ComparisonOut


class NotCounted(_Strict):
    row: int = Field(ge=1, description="the Excel row (CSV line) of a row under the header that is not a person")
    reason: str = Field(description="why: 合计行, 落款或说明行, 填写示例行, 空缺（没有人选）行 … with its text")


class SheetRef(_Strict):
    name: str
    header_row: int = Field(ge=1, description="the Excel row of the (first) header row")
    rows: int = Field(ge=0, description="people read from the sheet")
    notes: list[str] = Field(default=[], description="what the sheet lacked (e.g. columns the rules need)")
    not_counted: list[NotCounted] = Field(
        default=[], description="every row under the header not read as a person (or record), with why"
    )


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
    comparison: ComparisonOut | None = Field(
        default=None, description="--compare: the run against the rule set's own values (SPEC §4.4.1)"
    )
    inputs: list[InputRef]
    evidence: list[InputRef]
    summary: Summary
    people: list[Person]
    groups: list[Group]
    unmatched_evidence: list[UnmatchedEvidence]
    errors: list[InputErrorOut] = Field(description="inputs that could not be read; the run exits 2")
    notes: list[str] = Field(description="what the run skipped or decided (e.g. a result workbook not read)")
    warnings: list[str] = Field(default=[], description="things a user must look at (e.g. a roster with no people)")


# ---------------------------------------------------------------- pension, career, tuition (SPEC §7)

MONTH_PATTERN = r"^\d{4}-\d{2}$"
MONEY_PATTERN = r"^-?\d+\.\d{2}$"
PensionStatus = Literal["已退休", "达标", "可达标", "不能达标"]


class ParameterOut(_Strict):
    name: str
    title: str
    value: Any = Field(description="the value in force on the as-of date")
    since: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="the date that value took effect")
    reference: str


class LeavingAllowance(_Strict):
    monthly: str = Field(pattern=MONEY_PATTERN, description="yuan a month, two decimals")
    from_: str | None = Field(
        alias="from", pattern=MONTH_PATTERN, description="paid from the statutory retirement month"
    )


class PensionPerson(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    gender: Literal["男", "女"] | None
    birth_month: str | None = Field(pattern=MONTH_PATTERN)
    track: str | None = Field(description="退休类别: 男60, 女55, 女50 (given, or the default for the sex)")
    months_paid: int = Field(ge=0, description="distinct months listed up to the as-of month")
    contributing: bool = Field(description="the latest period reaches the as-of month")
    retirement_month: str | None = Field(pattern=MONTH_PATTERN, description="the statutory month")
    months_at_retirement: int | None = Field(ge=0)
    minimum_months: int | None = Field(ge=0, description="the minimum of the retirement month's year")
    shortfall_months: int | None = Field(ge=0)
    status: PensionStatus | None = Field(description="null where the retirement month cannot be computed (D06)")
    chosen_retirement_month: str | None = Field(
        pattern=MONTH_PATTERN, description="the flexible-retirement month asked for, when possible"
    )
    leaving_allowance: LeavingAllowance | None
    findings: list[Finding]


class UnmatchedContribution(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    id_as_written: str | None
    name: str | None
    start: str | None = Field(pattern=MONTH_PATTERN)
    end: str | None = Field(pattern=MONTH_PATTERN)
    reason: str


class PensionSummary(_Strict):
    people: int = Field(ge=0)
    retired: int = Field(ge=0, alias="已退休")
    met: int = Field(ge=0, alias="达标")
    can_meet: int = Field(ge=0, alias="可达标")
    cannot_meet: int = Field(ge=0, alias="不能达标")
    unknown: int = Field(ge=0, alias="无法计算")
    unmatched_contributions: int = Field(ge=0)


class PensionOutput(_Strict):
    """`cadretool pension --format json` (SPEC §7.1)."""

    schema_version: Literal[1]
    command: Literal["pension"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rules: RulesRef
    comparison: ComparisonOut | None = Field(
        default=None, description="--compare: the run against the rule set's own values (SPEC §4.4.1)"
    )
    parameters: list[ParameterOut]
    inputs: list[InputRef]
    contributions: list[InputRef]
    summary: PensionSummary
    people: list[PensionPerson] = Field(
        description="不能达标 first, then those nobody could compute, 可达标, 达标, 已退休 (roster order within each)"
    )
    unmatched_contributions: list[UnmatchedContribution]
    errors: list[InputErrorOut]
    notes: list[str]
    warnings: list[str]


class CareerPerson(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    post: str | None = Field(
        description="the post held now (现任职务; 拟任职务 where the roster has no 现任职务 column)"
    )
    principal_terms: int | None
    excellent_count: int | None
    status: Literal["eligible", "one_short", "not_eligible"]
    reason: str
    findings: list[Finding]


class CareerSummary(_Strict):
    people: int = Field(ge=0)
    eligible: int = Field(ge=0)
    one_short: int = Field(ge=0)
    not_eligible: int = Field(ge=0)


class CareerOutput(_Strict):
    """`cadretool career --format json` (SPEC §7.2)."""

    schema_version: Literal[1]
    command: Literal["career"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rules: RulesRef
    parameters: list[ParameterOut]
    inputs: list[InputRef]
    summary: CareerSummary
    people: list[CareerPerson] = Field(description="every roster person: eligible, then one_short, then not_eligible")
    errors: list[InputErrorOut]
    notes: list[str]
    warnings: list[str]


class RosterPlace(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)


class TuitionClaim(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1, description="the claim's row in its file")
    id_number: str | None
    name: str | None
    degree: str | None
    study_mode: str | None
    graduation: str | None = Field(pattern=MONTH_PATTERN)
    tuition: str | None = Field(pattern=MONEY_PATTERN, description="null when the cell is not money")
    reimbursement: str | None = Field(pattern=MONEY_PATTERN, description="null for a refused claim")
    status: Literal["approved", "refused"]
    reason: str = Field(description="why refused (every reason), or what was approved")
    roster: RosterPlace | None = Field(description="where the claimant is on the roster")


class TuitionSummary(_Strict):
    claims: int = Field(ge=0)
    approved: int = Field(ge=0)
    refused: int = Field(ge=0)
    total: str = Field(pattern=MONEY_PATTERN, description="the approved reimbursements together")


class TuitionOutput(_Strict):
    """`cadretool tuition --format json` (SPEC §7.3)."""

    schema_version: Literal[1]
    command: Literal["tuition"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    rules: RulesRef
    parameters: list[ParameterOut]
    inputs: list[InputRef] = Field(description="the claim files")
    roster_inputs: list[InputRef]
    summary: TuitionSummary
    claims: list[TuitionClaim] = Field(description="every claim, in file order")
    errors: list[InputErrorOut]
    notes: list[str]
    warnings: list[str]


# ---------------------------------------------------------------- pay and bonus (SPEC §6.4, §6.5)

Money = Annotated[
    str, Field(pattern=MONEY_PATTERN, description='yuan with two decimals, e.g. "4040.00"; never a float')
]
Month = Annotated[str, Field(pattern=MONTH_PATTERN)]


class ParameterUsed(_Strict):
    title: str
    value: Any
    from_: str = Field(alias="from", description="the date this value is in force from")
    reference: str


class PaySummary(_Strict):
    people: int = Field(description="lines: serving two-committee cadres")
    paid: int
    not_paid: int
    total: Money


class PayLine(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    post: str | None
    level: int | None
    step: int | None
    assessment: str | None = Field(
        description="上年度考核等次; null: no assessment yet (paid as the unassessed coefficient)"
    )
    degree: str | None = Field(description="在职学历")
    post_pay: Money | None
    degree_uplift: Money | None
    performance_pay: Money | None
    adjustments: Money | None
    total: Money | None = Field(description="null only on a line that is not paid")
    paid: bool
    findings: list[Finding]


class PayTotals(_Strict):
    county: Money
    townships: dict[str, Money]
    villages: dict[str, Money] = Field(description="keyed township/village")


class AdjustmentLineRef(_Strict):
    sheet: str
    row: int


class AdjustmentRecord(_Strict):
    source: str
    sheet: str
    row: int
    id_number: str | None
    name: str | None
    amount: Money | None
    amount_written: str | None
    month: Month | None
    reason: str | None
    line: AdjustmentLineRef | None = Field(description="the payroll line it joined, if any")
    status: Literal["applied", "other_month", "unreadable", "unmatched", "not_paid"]
    note: str


class ComponentChange(_Strict):
    component: str
    before: Money | None
    after: Money | None
    cause: str


class Change(_Strict):
    id_number: str | None
    name: str | None
    township: str | None = None
    village: str | None = None
    kind: Literal["joined", "left", "changed"]
    components: list[ComponentChange]


class PlainFinding(_Strict):
    rule: str
    severity: Severity
    message: str
    basis: str


class BackPayComponent(_Strict):
    component: str
    due: Money | None
    paid: Money | None


class BackPay(_Strict):
    id_number: str | None
    name: str | None
    township: str | None = None
    village: str | None = None
    month: Month
    due: Money | None
    paid: Money | None
    difference: Money | None = Field(description="due − paid; negative is an overpayment: listed, never deducted")
    cause: str
    components: list[BackPayComponent] = []
    findings: list[PlainFinding] = []
    source: str = Field(description="the payroll that shows what was paid")
    row: int


class PreviousPayroll(_Strict):
    source: str
    month: Month
    lines: int


class SideInput(_Strict):
    path: str
    sheets: list[dict[str, Any]]


class PayOutput(_Strict):
    """`cadretool pay --format json` (SPEC §6.4, §6.5)."""

    schema_version: Literal[1]
    command: Literal["pay"]
    month: Month
    rules: RulesRef
    comparison: ComparisonOut | None = Field(
        default=None, description="--compare: the run against the rule set's own values (SPEC §4.4.1)"
    )
    parameters: dict[str, ParameterUsed]
    inputs: list[InputRef]
    adjustment_inputs: list[SideInput]
    summary: PaySummary
    lines: list[PayLine]
    totals: PayTotals
    adjustments: list[AdjustmentRecord] = Field(description="every adjustment record and what became of it")
    previous: list[PreviousPayroll] = []
    changes: list[Change] | None = None
    back_pay_from: Month | None = None
    back_pay: list[BackPay] = []
    back_pay_total: Money | None = Field(default=None, description="补发合计, never folded into the month's total")
    errors: list[InputErrorOut]
    warnings: list[str]
    notes: list[str]


class BonusSummary(_Strict):
    people: int = Field(description="shares paid")
    villages: int
    missing_income: int
    total: Money


class Share(_Strict):
    id_number: str | None
    name: str | None
    post: str | None
    pool: Literal["cadre", "leader"]
    amount: Money
    source: str
    sheet: str
    row: int
    findings: list[PlainFinding]


class IncomeRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    sheet: str
    row: int
    township: str | None
    village: str | None
    year: int | None
    net_income: Money | None
    income_written: str | None
    reason: str | None = None


class BonusVillage(_Strict):
    township: str
    village: str
    net_income: Money | None
    cadre_pool: Money | None
    leader_pool: Money | None
    cadre_pool_paid: bool
    leader_pool_paid: bool
    shares: list[Share]
    findings: list[PlainFinding]
    income_record: IncomeRecord | None


class MissingIncome(_Strict):
    township: str
    village: str
    cadres: int
    leaders: int
    findings: list[PlainFinding]


class BonusTotals(_Strict):
    county: Money
    townships: dict[str, Money]


class BonusOutput(_Strict):
    """`cadretool bonus --format json` (SPEC §6.3, §6.4)."""

    schema_version: Literal[1]
    command: Literal["bonus"]
    year: int
    rules: RulesRef
    comparison: ComparisonOut | None = Field(
        default=None, description="--compare: the run against the rule set's own values (SPEC §4.4.1)"
    )
    parameters: dict[str, ParameterUsed]
    inputs: list[InputRef]
    income_inputs: list[SideInput]
    summary: BonusSummary
    villages: list[BonusVillage]
    missing_income: list[MissingIncome] = Field(description="villages with cadres and no income record: never 0")
    unmatched_income: list[IncomeRecord]
    totals: BonusTotals
    errors: list[InputErrorOut]
    warnings: list[str]
    notes: list[str]


SCHEMAS: dict[str, type[BaseModel]] = {
    "pay": PayOutput,
    "bonus": BonusOutput,
    "vet": VetOutput,
    "pension": PensionOutput,
    "career": CareerOutput,
    "tuition": TuitionOutput,
    "diff": DiffOutput,
}


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


# ---------------------------------------------------------------- pool (SPEC §8.1)


class PoolFindingBrief(_Strict):
    rule: str = Field(
        pattern=r"^T0[1-38]$",
        description="T01 too few reserves, T02 no full party member, T03 nobody young, T08 T02/T03 not judged "
        "(some reserves' party standing or age unknown)",
    )
    severity: Severity
    message: str
    basis: str


class PoolFinding(_Strict):
    level: Literal["county", "township", "village"]
    township: str | None
    village: str | None
    rule: str = Field(description="T04–T08 (pool and training rows), R05 (a village that cannot be placed)")
    severity: Severity
    message: str
    basis: str


class PoolCounts(_Strict):
    reserves: int = Field(ge=0)
    under_35: int = Field(ge=0, description="reserves under young_age (35) at the as-of date")
    college: int = Field(ge=0, description="大专及以上 (report.yaml's college_min_education)")
    party_members: int = Field(ge=0, description="full members (中共党员; 预备党员 do not count)")
    women: int = Field(ge=0)
    trained_3y: int | None = Field(
        ge=0, description="reserves with a completed course in the training years; null without --training"
    )
    cadres: int = Field(ge=0, description="people of the cadre roster (--roster)")


class PoolVillage(PoolCounts):
    township: str
    village: str
    in_village_list: bool
    findings: list[PoolFindingBrief]


class PoolRollUp(PoolCounts):
    villages: int = Field(ge=0)
    villages_short: int = Field(ge=0, description="villages with T01")
    villages_without_party_member: int = Field(ge=0, description="villages with T02")
    villages_without_young: int = Field(ge=0, description="villages with T03")


class PoolTownship(PoolRollUp):
    township: str


class LadderReason(_Strict):
    rule: str = Field(description="a vet rule id (Q, N, S, D) for a reserve; L01–L06 for the cadre rungs")
    title: str
    message: str


class LadderTraining(_Strict):
    courses: int = Field(ge=0, description="courses completed (合格/优秀) in the training years")
    excellent: int = Field(ge=0, description="of them 优秀")
    hours: float = Field(ge=0)


class LadderEntry(_Strict):
    rung: Literal["reserve", "successor", "one_shoulder", "institution"]
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    from_: str = Field(alias="from")
    to: str
    ready: bool
    rank: int = Field(ge=1, description="within the rung: ready first, then by training, then roster order")
    reasons: list[LadderReason] = Field(description="empty when ready")
    training: LadderTraining
    source: str
    sheet: str
    row: int = Field(ge=1)


class Untrained(_Strict):
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    group: Literal["reserve", "cadre"]
    last_completed: str | None = Field(description="end date of the last course ever completed; null if none")
    reason: str | None
    source: str
    sheet: str
    row: int = Field(ge=1)


class TrainingTargets(_Strict):
    reserve: int = Field(ge=0)
    cadre: int = Field(ge=0)


class PoolTraining(_Strict):
    year: int
    reserve_trained: int = Field(ge=0, description="reserves (not on the roster) with a course completed in `year`")
    cadre_trained: int = Field(ge=0, description="roster cadres with a course completed in `year`")
    targets: TrainingTargets
    courses_completed: int = Field(ge=0)
    hours_completed: float = Field(ge=0)
    records: int = Field(ge=0)
    unmatched_records: int = Field(ge=0)
    untrained_years: list[int] = Field(min_length=2, max_length=2, description="first and last year counted")
    untrained_3y: list[Untrained]


class TrainingRecordOut(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    id_as_written: str | None
    name: str | None
    course: str | None
    end: str | None
    year: int | None = Field(description="the year of the end date: the year the course counts in")
    hours: float | None
    result: Literal["合格", "优秀", "不合格"] | None
    matched: bool
    counted: bool
    rule: str | None = Field(description="T05 unmatched, T06 not countable; null otherwise")
    reason: str | None


class PoolPerson(_Strict):
    source: str
    sheet: str
    row: int = Field(ge=1)
    id_number: str | None
    name: str | None
    township: str | None
    village: str | None
    level: str | None = Field(description="人才层级: 市级, 乡级, 村级")
    category: str | None = Field(description="人才类别 as written (information only)")
    age: int | None
    under_35: bool
    college: bool
    party_member: bool
    woman: bool
    findings: list[Finding]


class PoolSummary(_Strict):
    people: int = Field(ge=0)
    villages: int = Field(ge=0)
    villages_short: int = Field(ge=0)
    villages_without_party_member: int = Field(ge=0)
    villages_without_young: int = Field(ge=0)
    cadres: int = Field(ge=0)
    ladder: int = Field(ge=0)
    ladder_ready: int = Field(ge=0)
    untrained_3y: int | None


class PoolOutput(_Strict):
    """`cadretool pool --format json` (SPEC §8.1)."""

    schema_version: Literal[1]
    command: Literal["pool"]
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    year: int
    rules: RulesRef
    parameters: list[ParameterOut]
    inputs: list[InputRef]
    roster_inputs: list[InputRef]
    training_inputs: list[InputRef]
    villages_file: str | None
    summary: PoolSummary
    villages: list[PoolVillage] = Field(description="every village of the pool, the roster and --villages")
    townships: list[PoolTownship]
    county: PoolRollUp
    ladder: list[LadderEntry]
    training: PoolTraining | None = Field(description="null without --training")
    training_records: list[TrainingRecordOut] = Field(description="every training row, counted or not")
    people: list[PoolPerson] = Field(description="every pool row, in file order")
    findings: list[PoolFinding]
    errors: list[InputErrorOut]
    notes: list[str]
    warnings: list[str]


SCHEMAS["pool"] = PoolOutput
