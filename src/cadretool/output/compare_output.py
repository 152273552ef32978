"""A comparison (what-if `--compare`, `cadretool diff`) as JSON, as one printable sheet (政策比较 in
the run's workbook, 对比 in a diff workbook) and as a compact terminal table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import xlsxwriter
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadretool.catalogue import STATUS_LABELS
from cadretool.compare import Comparison
from cadretool.output.sheets import MONEY_FORMAT, Formats, print_setup, unique_sheet_name, write_strings
from cadretool.pay import COMPONENT_LABELS
from cadretool.roster.idnumber import mask_id
from cadretool.rules.overrides import WHAT_IF, overrides_text

MONEY = re.compile(r"^-?\d+\.\d{2}$")
CHANGE_LABELS = {"changed": "变化", "added": "新增", "removed": "减少"}
SIDE_LABELS = {"paid": "发放", "not_paid": "暂不发放", "cadre": "干部奖励", "leader": "组长奖励", **STATUS_LABELS}
LACKING_NOTE = "（合格人选中没有；之前有）"
# what a person's `because` and `components` name, as the clerk's sheets call it: pay components,
# reward pools, the pension figures
PART_LABELS = {
    **COMPONENT_LABELS,
    "cadre": "干部奖励",
    "leader": "组长奖励",
    "retirement_month": "法定退休年月",
    "chosen_retirement_month": "弹性退休年月",
    "months_at_retirement": "退休时缴费月数",
    "minimum_months": "最低缴费月数",
    "shortfall_months": "缺口月数",
    "leaving_allowance": "离任生活补贴(元/月)",
}
PERSON_HEADERS = ["乡镇(街道)", "村(社区)", "姓名", "身份证号码", "来源", "行", "变化", "之前", "之后", "原因", "说明"]


def comparison_json(c: Comparison, *, mask_ids: bool = False) -> dict[str, Any]:
    """SPEC §4.4.1 `comparison`: people (only those whose status or amount changed, added or
    removed), by_village, villages_left_without; by_township, and for pay the costs."""
    people = [{**p, "id_number": mask_id(p["id_number"]) if mask_ids else p["id_number"]} for p in c.people]
    costs = c.costs
    if costs is not None and mask_ids:
        costs = {**costs, "back_pay": [{**b, "id_number": mask_id(b["id_number"])} for b in costs["back_pay"]]}
    out: dict[str, Any] = {
        "before": c.before,
        "after": c.after,
        "overrides": [o.json() for o in c.overrides],
        "summary": c.summary(),
        "people": people,
        "by_village": c.by_village,
        "by_township": c.by_township,
        "villages_left_without": c.villages_left_without,
        "matched_by_row": c.matched_by_row,
        "notes": list(c.notes),
    }
    if costs is not None:
        out["costs"] = costs
    return out


def _side_text(side: dict[str, Any] | None) -> str:
    if side is None:
        return ""
    shown = side.get("status") and side["status"] != "paid"  # a paid line shows its amount alone
    parts = [SIDE_LABELS.get(side["status"], side["status"] or "")] if shown else []
    if side.get("amount") is not None:
        parts.append(side["amount"])
    return " ".join(parts)


def _explained(p: dict[str, Any]) -> str:
    parts = []
    if p["findings_added"]:
        parts.append("新增 " + "、".join(p["findings_added"]))
    if p["findings_removed"]:
        parts.append("不再有 " + "、".join(p["findings_removed"]))
    for comp in p["components"]:
        label = PART_LABELS.get(comp["component"], comp["component"])
        parts.append(f"{label} {comp['before'] or '空'} → {comp['after'] or '空'}")
    return "；".join(parts)


def person_rows(c: Comparison, mask_ids: bool) -> list[list[Any]]:
    return [
        [
            p["township"] or "",
            p["village"] or "",
            p["name"] or "",
            (mask_id(p["id_number"]) if mask_ids else p["id_number"]) or "",
            p["sheet"] or p["source"] or "",
            p["row"],
            CHANGE_LABELS[p["change"]],
            _side_text(p["before"]),
            _side_text(p["after"]),
            "、".join(PART_LABELS.get(b, b) for b in p["because"]),
            _explained(p),
        ]
        for p in c.people
    ]


def _place_row(place: dict[str, Any], statuses: list[str]) -> list[Any]:
    row: list[Any] = [place["township"], place.get("village", ""), place["changed"]]
    for side in ("before", "after"):
        row += [place[side]["people"], *(place[side][s] for s in statuses)]
    if "monthly_difference" in place:
        row += [place["before_amount"], place["after_amount"], place["monthly_difference"], place["annual_difference"]]
    elif "difference" in place:
        row += [place["before_amount"], place["after_amount"], place["difference"]]
    return row


def _statuses(c: Comparison) -> list[str]:
    return list(c.statuses)


def place_headers(c: Comparison) -> list[str]:
    labels = [SIDE_LABELS.get(s, s) for s in _statuses(c)]
    headers = ["乡镇(街道)", "村(社区)", "变化人数", "之前人数", *(f"之前{x}" for x in labels)]
    headers += ["之后人数", *(f"之后{x}" for x in labels)]
    first = (c.by_village or c.by_township or [{}])[0]
    if "monthly_difference" in first:
        headers += ["之前月合计", "之后月合计", "月增减", "年增减"]
    elif "difference" in first:
        headers += ["之前合计", "之后合计", "增减"]
    return headers


def write_comparison_sheet(
    book: xlsxwriter.Workbook,
    formats: Formats,
    taken: set[str],
    c: Comparison,
    *,
    mask_ids: bool,
    name: str = "政策比较",
) -> None:
    """One printable sheet: what was compared, who changed and why, counts per village and
    township, the villages left without a candidate, and for pay the cost and back pay."""
    ws = book.add_worksheet(unique_sheet_name(name, taken))
    header = formats.header()
    bold = formats.get(bold=True)
    wrap = formats.get(text_wrap=True, valign="top")
    money = formats.get(num_format=MONEY_FORMAT)
    for col, width in enumerate([12, 14, 10, 20, 14, 6, 8, 14, 14, 16, 50, 12, 12, 12, 12]):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"{name}：{c.before} → {c.after}", formats.get(bold=True, font_size=14))
    row = 1
    if c.overrides:
        ws.write_string(row, 0, f"{WHAT_IF}（不是已采纳的政策）：{overrides_text(c.overrides)}", bold)
        row += 1
    s = c.summary()
    ws.write_string(
        row, 0, f"变化 {s['changed']} 人，新增 {s['added']} 人，减少 {s['removed']} 人；状态和金额不变的人不列出"
    )
    row += 1
    for note in c.notes:
        ws.write_string(row, 0, note)
        row += 1
    row += 1
    ws.write_string(row, 0, "人员变化", bold)
    row += 1
    print_setup(ws, (row, row))
    write_strings(ws, row, 0, PERSON_HEADERS, header)
    ws.freeze_panes(row + 1, 0)
    for values in person_rows(c, mask_ids) or [["无"]]:
        row += 1
        _write_row(ws, row, values, wrap, money)
    row += 2
    for title, places in (("按村(社区)统计", c.by_village), ("按乡镇(街道)统计", c.by_township)):
        ws.write_string(row, 0, title, bold)
        row += 1
        write_strings(ws, row, 0, place_headers(c), header)
        for place in places or [{"township": "无", "village": "", "changed": 0}]:
            row += 1
            _write_row(ws, row, _place_row(place, _statuses(c)) if "before" in place else ["无"], None, money)
        row += 2
    if c.command == "vet":
        ws.write_string(row, 0, "失去人选的村(社区)" + LACKING_NOTE, bold)
        row += 1
        write_strings(ws, row, 0, ["乡镇(街道)", "村(社区)", "缺少"], header)
        for v in c.villages_left_without or [{"township": "无", "village": "", "lacking": []}]:
            row += 1
            _write_row(ws, row, [v["township"], v["village"], "、".join(v["lacking"])], None, money)
        row += 2
    if c.costs is not None:
        costs = c.costs
        ws.write_string(row, 0, "费用", bold)
        row += 1
        for label, value in (
            (f"{costs['month']} 全县月增减", costs["monthly"]["county"]),
            (f"{costs['year']} 年全县增减", costs["annual"]["county"]),
            ("补发合计", costs["back_pay_total"]),
        ):
            ws.write_string(row, 0, label)
            _write_row(ws, row, [None, None, None, value], None, money)
            row += 1
        row += 1
        ws.write_string(row, 0, "补发明细（按假设参数应发 − 按现行参数）", bold)
        row += 1
        write_strings(
            ws, row, 0, ["乡镇(街道)", "村(社区)", "姓名", "身份证号码", "月份", "应发", "已发", "补发"], header
        )
        for b in costs["back_pay"] or [{"township": "无"}]:
            row += 1
            ident = mask_id(b.get("id_number")) if mask_ids else b.get("id_number")
            keys = ("township", "village", "name", "", "month", "due", "paid", "difference")
            _write_row(ws, row, [ident if k == "" else b.get(k) for k in keys], None, money)


def _write_row(ws: Any, row: int, values: list[Any], fmt: Any, money: Any) -> None:
    """A row of the sheet: counts as numbers, amounts ("4040.00") as numbers in the money format."""
    for col, value in enumerate(values):
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, col, value)
        elif isinstance(value, str) and MONEY.match(value):
            ws.write_number(row, col, float(value), money)
        else:
            ws.write_string(row, col, str(value), fmt) if fmt is not None else ws.write_string(row, col, str(value))


def write_diff_workbook(path: Path, c: Comparison, *, mask_ids: bool = False) -> None:
    """`diff -o diff.xlsx`: the 对比 sheet alone."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        write_comparison_sheet(book, Formats(book), set(), c, mask_ids=mask_ids, name="对比")
    finally:
        book.close()


def print_comparison(console: Console, c: Comparison, *, mask_ids: bool = False, limit: int = 30) -> None:
    """A compact table: the first people who changed, and the summary lines."""
    s = c.summary()
    console.print(
        f"[bold]比较 {escape(c.before)} → {escape(c.after)}[/bold]：变化 {s['changed']} 人，"
        f"新增 {s['added']} 人，减少 {s['removed']} 人"
    )
    if c.people:
        table = Table(header_style="bold")
        for col in ("乡镇", "村", "姓名", "变化", "之前", "之后", "原因"):
            table.add_column(col)
        for values in person_rows(c, mask_ids)[:limit]:
            table.add_row(*(escape(str(values[i])) for i in (0, 1, 2, 6, 7, 8, 9)))
        console.print(table)
        if len(c.people) > limit:
            console.print(f"……另有 {len(c.people) - limit} 人，见工作簿或 JSON")
    for note in c.notes:
        console.print(escape(note))
    if c.villages_left_without:
        shown = "；".join(
            f"{v['township']}{v['village']}（缺{'、'.join(v['lacking'])}）" for v in c.villages_left_without[:10]
        )
        more = f" 等 {len(c.villages_left_without)} 个" if len(c.villages_left_without) > 10 else ""
        console.print(f"[yellow]失去合格人选的村[/yellow]：{escape(shown)}{more}")
    for t in c.by_township[:20]:
        if "difference" in t:
            amounts = f"{t['before_amount']} → {t['after_amount']} 元（{t['difference']}）"
            console.print(f"  {escape(t['township'])}：{amounts}")
    if c.costs is not None:
        costs = c.costs
        console.print(
            f"{costs['month']} 全县月增减 {costs['monthly']['county']} 元；{costs['year']} 年全县增减 "
            f"{costs['annual']['county']} 元；补发合计 {costs['back_pay_total']} 元（{len(costs['back_pay'])} 笔）"
        )
        for township, amount in list(costs["monthly"]["townships"].items())[:20]:
            console.print(f"  {escape(township)}：月 {amount} 元，年 {costs['annual']['townships'].get(township)} 元")
