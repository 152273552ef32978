"""Rich tables for people at a terminal."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from xlsxwriter.utility import xl_col_to_name

from cadretool.output.present import person_ids
from cadretool.results import VetResult
from cadretool.roster.table import Roster


def print_inspect(console: Console, roster: Roster, *, mask_ids: bool = True, limit: int = 50) -> None:
    for inp in roster.inputs:
        title = f"{inp.file}（{inp.format}" + (f"，{inp.encoding}" if inp.encoding else "") + "）"
        console.print(f"[bold]{title}[/bold]")
        for note in inp.notes:
            console.print(f"  [yellow]注意[/yellow] {note}")
        for sheet in inp.sheets:
            console.print(
                f"  工作表 [bold]{sheet.name}[/bold]：表头在第 {sheet.header_row} 行"
                + ("（两行表头）" if sheet.header_rows == 2 else "")
                + f"，{sheet.rows} 人"
            )
            table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
            table.add_column("列")
            table.add_column("表头")
            table.add_column("对应字段")
            for c in sheet.columns:
                if not c.header:
                    continue
                target = "[dim]（未识别，原样保留）[/dim]"
                if c.field:
                    target = c.field if c.label in ("", c.header) else f"{c.field}（{c.label}）"
                table.add_row(xl_col_to_name(c.index), c.header, target)
            console.print(table)
            for note in sheet.notes:
                console.print(f"    [cyan]{note}[/cyan]")
            for row, why in sheet.skipped_rows:
                console.print(f"    [dim]第 {row} 行：{why}[/dim]")  # each reason says 未计入 itself
    print_problems(console, roster, mask_ids=mask_ids, limit=limit)


def print_problems(console: Console, roster: Roster, *, mask_ids: bool = True, limit: int = 50) -> None:
    problems = roster.problems
    if problems.empty:
        if len(roster.frame):
            console.print("[green]没有发现数据问题。[/green]")
        return
    problems = problems.sort_values(["person", "rule"], kind="stable")
    counts = Counter(problems["rule"])
    console.print("数据问题：" + "，".join(f"{k} {v} 处" for k, v in sorted(counts.items())))
    table = Table(show_header=True, header_style="bold")
    for col in ("文件", "工作表", "行", "姓名", "身份证号码", "问题", "说明"):
        table.add_column(col, overflow="fold")
    frame = roster.frame
    ids = dict(zip(frame.index.tolist(), person_ids(frame, mask_ids).tolist(), strict=True))
    for row in problems.head(limit).itertuples(index=False):
        p = frame.loc[row.person]
        table.add_row(
            str(p["_file"]), str(p["_sheet"]), str(p["_row"]), _s(p.get("name")), ids[row.person], row.rule, row.message
        )
    console.print(table)
    if len(problems) > limit:
        console.print(f"[dim]……另有 {len(problems) - limit} 处，完整列表请用 --format json[/dim]")


def print_vet_summary(console: Console, result: VetResult) -> None:
    summary = result.summary()
    people = result.people
    table = Table(title=f"审查结果（基准日 {result.as_of.isoformat()}）", header_style="bold")
    for col in ("乡镇(街道)", "人数", "合格", "待核实", "不合格"):
        table.add_column(col, justify="right" if col != "乡镇(街道)" else "left")
    if len(people):
        by = people.assign(t=people["township"].fillna("（未填）")).groupby("t", sort=True)["status"]
        for township, statuses in by:
            c = Counter(statuses)
            table.add_row(
                str(township),
                str(len(statuses)),
                str(c["eligible"]),
                f"[yellow]{c['review']}[/yellow]",
                f"[red]{c['ineligible']}[/red]",
            )
    table.add_row(
        "[bold]合计[/bold]",
        str(summary["people"]),
        str(summary["eligible"]),
        f"[yellow]{summary['review']}[/yellow]",
        f"[red]{summary['ineligible']}[/red]",
    )
    console.print(table)
    findings = result.findings
    if not findings.empty:
        rules = Table(title="触发的条款（人数）", header_style="bold")
        rules.add_column("条款")
        rules.add_column("名称")
        rules.add_column("人数", justify="right")
        titles = {r.id: r.title for r in result.rules}
        counts = findings.drop_duplicates(["person", "rule"])["rule"].value_counts()
        for rule in sorted(counts.index):
            rules.add_row(rule, titles.get(rule, ""), str(int(counts[rule])))
        console.print(rules)
    if len(result.group_findings):
        console.print(f"班子结构提示 {len(result.group_findings)} 条（G01/G02，按村计）")
    for sheet in result.roster.sheets:
        for note in sheet.notes:
            console.print(f"[cyan]{sheet.name}[/cyan]：{note}")
    for inp in result.roster.inputs:
        for note in inp.notes:
            console.print(f"[dim]{note}[/dim]")
    if result.evidence_inputs:
        records = sum(s.rows for i in result.evidence_inputs for s in i.sheets)
        console.print(
            f"联审记录 {records} 条（{len(result.evidence_inputs)} 个文件），未匹配 {len(result.unmatched_evidence)} 条"
        )
    if result.unmatched_evidence:
        console.print(
            f"[yellow]未匹配的联审记录 {len(result.unmatched_evidence)} 条，见输出的“未匹配联审记录”[/yellow]"
        )


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""
