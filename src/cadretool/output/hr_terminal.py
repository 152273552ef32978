"""Terminal summaries of the human-resources jobs (pension, career, tuition): rich tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from cadretool.money import money_text, month_text
from cadretool.output.present import person_ids

if TYPE_CHECKING:
    from cadretool.career import CareerResult
    from cadretool.pension import PensionResult
    from cadretool.tuition import TuitionResult


def _month(value: Any) -> str:
    return month_text(int(value)) if value >= 0 else "—"


def print_pension(console: Console, result: PensionResult, *, mask_ids: bool = False, limit: int = 30) -> None:
    """Counts by status, then the people who cannot reach the minimum (the list the clerk works from)."""
    summary = result.summary()
    counts = Table(title=f"养老测算（基准日 {result.as_of}）", header_style="bold")
    for col in ("人数", "不能达标", "可达标", "达标", "已退休", "无法计算", "未匹配缴费记录"):
        counts.add_column(col, justify="right")
    counts.add_row(
        *(
            str(summary[k])
            for k in ("people", "不能达标", "可达标", "达标", "已退休", "无法计算", "unmatched_contributions")
        )
    )
    console.print(counts)
    people = result.people
    short = people[people["status"] == "不能达标"]
    if not len(short):
        return
    table = Table(title="不能达标的人员", header_style="bold")
    for col in ("姓名", "身份证号码", "村(社区)", "已缴", "法定退休", "退休时", "最低", "缺口"):
        table.add_column(col, overflow="fold", no_wrap=col == "身份证号码")
    ids = person_ids(short, mask_ids)
    for i, row in enumerate(short.head(limit).itertuples()):
        table.add_row(
            str(row.name or ""),
            ids[i],
            str(getattr(row, "village", "") or ""),
            str(row.months_paid),
            _month(row.retirement_month),
            str(row.months_at_retirement),
            str(row.minimum_months),
            str(row.shortfall_months),
        )
    console.print(table)
    if len(short) > limit:
        console.print(f"……另有 {len(short) - limit} 人，见工作簿“养老测算”表")


def print_career(console: Console, result: CareerResult, *, mask_ids: bool = False, limit: int = 50) -> None:
    summary = result.summary()
    counts = Table(title="晋升渠道（事业单位招录）", header_style="bold")
    for col in ("人数", "符合", "差一项", "不符合"):
        counts.add_column(col, justify="right")
    counts.add_row(*(str(summary[k]) for k in ("people", "eligible", "one_short", "not_eligible")))
    console.print(counts)
    people = result.people
    near = people[people["career_status"] != "not_eligible"]
    if not len(near):
        return
    table = Table(header_style="bold")
    for col in ("结论", "姓名", "身份证号码", "村(社区)", "职务", "正职届数", "优秀次数", "说明"):
        table.add_column(col, overflow="fold", no_wrap=col == "身份证号码")
    ids = person_ids(near, mask_ids)
    labels = {"eligible": "符合", "one_short": "差一项"}
    for i, row in enumerate(near.head(limit).itertuples()):
        table.add_row(
            labels[row.career_status],
            str(row.name or ""),
            ids[i],
            str(getattr(row, "village", "") or ""),
            str(row.career_post or ""),
            _number(row.principal_terms),
            _number(row.excellent_count),
            row.career_reason,
        )
    console.print(table)


def _number(value: Any) -> str:
    return "—" if value is None or value != value else str(int(value))


def print_tuition(console: Console, result: TuitionResult, *, mask_ids: bool = False) -> None:
    summary = result.summary()
    table = Table(title="在职学历学费报销审核", header_style="bold")
    for col in ("行", "姓名", "身份证号码", "学历", "学费", "报销", "结论", "说明"):
        table.add_column(col, overflow="fold", no_wrap=col == "身份证号码")
    from cadretool.output.present import id_text

    for claim in result.claims:
        table.add_row(
            str(claim["row"]),
            str(claim["name"] or ""),
            id_text(claim["id_number"], mask_ids),
            str(claim["degree"] or ""),
            money_text(claim["tuition_fen"]) or "—",
            money_text(claim["reimbursement_fen"]) or "—",
            "批准" if claim["status"] == "approved" else "拒绝",
            claim["reason"] or "",
        )
    console.print(table)
    console.print(
        f"共 {summary['claims']} 条：批准 {summary['approved']} 条，报销合计 {summary['total']} 元；"
        f"拒绝 {summary['refused']} 条"
    )
