"""Rich summaries of a payroll and a reward run, and the explanation of one pay line."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadretool.bonus import BonusResult
from cadretool.catalogue import BUILT_IN_BY_ID
from cadretool.money import money_text, month_text
from cadretool.pay import PayResult, place_keys
from cadretool.roster.table import Roster


def print_pay_summary(console: Console, result: PayResult) -> None:
    totals = result.totals()
    lines = result.lines
    table = Table(title=f"{month_text(result.month)} 村(社区)“两委”干部报酬", header_style="bold")
    for col in ("乡镇(街道)", "人数", "发放", "暂不发放", "应发合计（元）"):
        table.add_column(col, justify="left" if col == "乡镇(街道)" else "right")
    if len(lines):
        township, _ = place_keys(result.people)
        counts = lines.groupby(township.to_numpy(), sort=False)["paid"].agg(["size", "sum"])
        for name, row in counts.iterrows():
            unpaid = int(row["size"] - row["sum"])
            table.add_row(
                str(name),
                str(int(row["size"])),
                str(int(row["sum"])),
                f"[yellow]{unpaid}[/yellow]" if unpaid else "0",
                money_text(totals["townships"].get(name, 0)) or "0.00",
            )
    summary = result.summary()
    table.add_row(
        "[bold]全县合计[/bold]",
        str(summary["people"]),
        str(summary["paid"]),
        str(summary["not_paid"]),
        f"[bold]{summary['total']}[/bold]",
    )
    console.print(table)
    _print_sheet_notes(console, result.roster)
    _print_finding_counts(console, result.findings["rule"].tolist() if len(result.findings) else [])
    if result.adjustments:
        counts = Counter(a["status"] for a in result.adjustments)
        console.print(
            f"奖惩记录 {len(result.adjustments)} 条：计入 {counts['applied']}，非本月 {counts['other_month']}，"
            f"未对应 {counts['unmatched']}，无法读取 {counts['unreadable']}，随工资行暂不发放 {counts['not_paid']}"
        )
    if result.changes is not None:
        kinds = Counter(c["kind"] for c in result.changes)
        console.print(f"与上月相比：新增 {kinds['joined']} 人，减少 {kinds['left']} 人，变动 {kinds['changed']} 人")
    if result.back_pay_from is not None or result.back_pay:
        over = sum(1 for b in result.back_pay if b["difference"] is not None and b["difference"] < 0)
        console.print(
            f"补发 {len(result.back_pay)} 笔，补发合计 {money_text(result.back_pay_total())} 元（不计入本月合计）"
            + (f"，[yellow]多发需核实 {over} 笔[/yellow]" if over else "")
        )


def print_bonus_summary(console: Console, result: BonusResult) -> None:
    totals = result.totals()
    table = Table(title=f"{result.year}年度村集体经济发展奖励", header_style="bold")
    for col in ("乡镇(街道)", "村数", "获奖人数", "奖励合计（元）"):
        table.add_column(col, justify="left" if col == "乡镇(街道)" else "right")
    villages: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for v in result.villages:
        villages[v["township"]] += 1
        people[v["township"]] += len(v["shares"])
    for name in villages:
        table.add_row(name, str(villages[name]), str(people[name]), money_text(totals["townships"].get(name, 0)))
    summary = result.summary()
    table.add_row(
        "[bold]全县合计[/bold]",
        str(summary["villages"]),
        str(summary["people"]),
        f"[bold]{summary['total']}[/bold]",
    )
    console.print(table)
    _print_sheet_notes(console, result.roster)
    rules = [f["rule"] for v in result.villages for f in v["findings"]]
    rules += [f["rule"] for v in result.villages for s in v["shares"] for f in s["findings"]]
    _print_finding_counts(console, rules)
    if result.missing_income:
        shown = "、".join(f"{m['township']}{m['village']}" for m in result.missing_income[:20])
        console.print(
            f"[yellow]缺少收益记录 {len(result.missing_income)} 个村（不按0计）：{escape(shown)}"
            + ("…" if len(result.missing_income) > 20 else "")
            + "[/yellow]"
        )
    if result.unmatched_income:
        console.print(f"[yellow]未使用的收益记录 {len(result.unmatched_income)} 条，见输出的“未使用收益记录”[/yellow]")


def _print_sheet_notes(console: Console, roster: Roster) -> None:
    for sheet in roster.sheets:
        for note in sheet.notes:
            console.print(f"[cyan]{escape(sheet.name)}[/cyan]：{escape(note)}")


def _print_finding_counts(console: Console, rules: list[str]) -> None:
    if not rules:
        return
    table = Table(title="提示与待核实（条）", header_style="bold")
    table.add_column("编号")
    table.add_column("名称")
    table.add_column("条数", justify="right")
    for rule, n in sorted(Counter(rules).items()):
        kind = BUILT_IN_BY_ID.get(rule)
        table.add_row(rule, kind.title if kind else "", str(n))
    console.print(table)


def print_pay_explanation(console: Console, explanations: list[dict[str, Any]]) -> None:
    for e in explanations:
        head = (
            f"[bold]{escape(e['name'] or '')}[/bold] {e['id_number'] or ''}  {escape(str(e['source']))} / "
            f"{escape(str(e['sheet']))} 第{e['row']}行  {e['month']}  {escape(e['post'] or '')}"
        )
        state = "发放" if e["paid"] else "[yellow]暂不发放[/yellow]"
        console.print(f"{head}  应发合计 [bold]{e['total'] or '—'}[/bold]（{state}）")
        table = Table(header_style="bold", show_lines=True)
        for col in ("项目", "金额（元）", "算法", "读到的值", "参数（起始日期，依据）"):
            table.add_column(col, overflow="fold")
        for c in e["components"]:
            values = "\n".join(f"{k} = {v}" for k, v in c["values"].items())
            params = "\n".join(
                f"{p['name']} = {_value(p['value'])}（{p['from']} 起，{p['reference']}）" for p in c["parameters"]
            )
            table.add_row(c["label"], c["amount"] or "—", escape(c["how"]), escape(values), escape(params))
        console.print(table)
        for f in e["findings"]:
            console.print(f"  {f['rule']} {f['message']}", markup=False)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "、".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
