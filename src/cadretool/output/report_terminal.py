"""`cadretool report` at a terminal: the county's 一降两升 figures, the townships, the five channels,
the villages left without candidates and what needs looking at."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from cadretool.report import ReportResult

FLAGS = {"age_up": "平均年龄上升", "college_down": "大专及以上占比下降", "ability_down": "能力特长占比下降"}


def _fmt(value: Any, signed: bool = False, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return text + suffix


def _mark(text: str, bad: bool) -> str:
    return f"[bold red]{text} ▲[/bold red]" if bad else text


def print_report_summary(console: Console, result: ReportResult, *, township_limit: int = 40) -> None:
    county = result.county()
    has_baseline = result.baseline is not None
    title = f"“一降两升”（本期基准日 {result.as_of.isoformat()}"
    title += f"，基期基准日 {result.baseline_as_of.isoformat()}）" if has_baseline else "，未给出基期名册）"
    table = Table(title=title, header_style="bold")
    for col in ("指标", "基期", "本期", "变化", "相对变化", "结果"):
        table.add_column(col, justify="left" if col in ("指标", "结果") else "right")
    people_change = f"{int(county['cur_people'] - county['base_people']):+d}" if has_baseline else "—"
    table.add_row(
        "人数",
        str(int(county["base_people"])) if has_baseline else "—",
        str(int(county["cur_people"])),
        people_change,
        "",
        "",
    )
    for label, figure, change, relative, flag in (
        ("平均年龄（岁）", "avg_age", "chg_avg_age", "chg_avg_age_rel", "age_up"),
        ("大专及以上占比（%）", "college_pct", "chg_college_pp", "chg_college_rel", "college_down"),
        ("有能力特长的占比（%）", "ability_pct", "chg_ability_pp", "chg_ability_rel", "ability_down"),
    ):
        bad = bool(county[flag])
        known = has_baseline and not math.isnan(county[change])
        verdict = "无法比较" if not known else ("[bold red]未达成[/bold red]" if bad else "[green]达成[/green]")
        unit = "岁" if figure == "avg_age" else "个百分点"
        table.add_row(
            label,
            _fmt(county["base_" + figure]) if has_baseline else "—",
            _fmt(county["cur_" + figure]),
            _mark(_fmt(county[change], signed=True, suffix=unit), bad) if known else "—",
            _fmt(county[relative], signed=True, suffix="%") if known else "—",
            verdict,
        )
    console.print(table)
    _townships(console, result, township_limit)
    _channels(console, result)
    _coverage(console, result)


def _townships(console: Console, result: ReportResult, limit: int) -> None:
    levels = result.levels
    towns = levels[levels["level"] == "township"]
    if towns.empty:
        return
    has_baseline = result.baseline is not None
    table = Table(title="各乡镇(街道)", header_style="bold")
    for col in ("乡镇(街道)", "人数", "平均年龄", "变化", "大专及以上%", "变化", "能力特长%", "变化", "无人选的村"):
        table.add_column(col, justify="left" if col == "乡镇(街道)" else "right")
    for r in towns.head(limit).itertuples(index=False):
        table.add_row(
            str(r.township),
            str(int(r.cur_people)),
            _fmt(r.cur_avg_age),
            _mark(_fmt(r.chg_avg_age, signed=True), r.age_up) if has_baseline else "—",
            _fmt(r.cur_college_pct),
            _mark(_fmt(r.chg_college_pp, signed=True), r.college_down) if has_baseline else "—",
            _fmt(r.cur_ability_pct),
            _mark(_fmt(r.chg_ability_pp, signed=True), r.ability_down) if has_baseline else "—",
            f"[red]{int(r.villages_without)}[/red]" if r.villages_without else "0",
        )
    console.print(table)
    if len(towns) > limit:
        console.print(f"[dim]……另有 {len(towns) - limit} 个乡镇(街道)，见工作簿“乡镇(街道)”表[/dim]")
    villages = levels[levels["level"] == "village"]
    if has_baseline and len(villages):
        counts = "，".join(f"{word} {int(villages[flag].sum())} 个" for flag, word in FLAGS.items())
        console.print(f"村(社区) {len(villages)} 个：{counts}（▲ 为不降反升或不升反降）")


def _channels(console: Console, result: ReportResult) -> None:
    channels = result.channels
    parts = []
    for r in channels.itertuples(index=False):
        then = f"（基期 {int(r.baseline)}）" if result.baseline is not None else ""
        parts.append(f"{r.channel} {int(r.current)}{then}")
    console.print("推荐方式：" + "，".join(parts))


def _coverage(console: Console, result: ReportResult) -> None:
    without = result.villages_without
    if len(without):
        names = "、".join(f"{t}{v}" for t, v in zip(without["township"], without["village"], strict=True))
        console.print(f"[bold red]没有人选的村(社区) {len(without)} 个[/bold red]：{names}")
    elif result.baseline is not None or result.village_list is not None:
        console.print("[green]基期名册和村(社区)名单中的村(社区)本期都有人选[/green]")
    findings = result.findings
    others = findings[~findings["rule"].isin(["R01", "R02", "R03", "R04"])]
    for message in others["message"].head(10):
        console.print(f"[yellow]需关注[/yellow] {message}")
    if len(others) > 10:
        console.print(f"[dim]……另有 {len(others) - 10} 条，见工作簿“需关注”表或 --format json[/dim]")
