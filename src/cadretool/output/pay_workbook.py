"""The payroll workbook a finance clerk prints and signs: a sheet per township (lines by village,
village subtotals, the township total, 制表/审核 lines under the table), a 汇总 of every village
and township with the county total, the adjustments and what became of each, 变动 and 补发 when
earlier payrolls were given, and 规则/参数 sheets that name the rule set and every value used.

Money is written as numbers with the money format (#,##0.00); a line that is not paid has blank
amounts and says why. Every sheet prints A4 landscape, one page wide, its title and header rows
repeated on each page. The workbook can be read back as `--previous` for the next month.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from cadretool.money import month_text
from cadretool.output.pay_json import parameters_json
from cadretool.output.present import id_text, mask_in_text, person_ids, run_notes
from cadretool.output.safety import default_output_path
from cadretool.output.sheets import (
    MONEY_FORMAT,
    SIGN_OFF,
    Formats,
    money_sheet_head,
    open_workbook,
    print_setup,
    ruleset_top,
    unique_sheet_name,
    write_rules_sheet,
    write_strings,
    write_table,
    write_workbook_output,
)
from cadretool.pay import COMPONENT_LABELS, COMPONENTS, UNPLACED, PayResult
from cadretool.rules.payrules import month_label

LINE_HEADERS = [
    "序号",
    "村(社区)",
    "姓名",
    "身份证号码",
    "现任职务",
    "岗位等级",
    "档次",
    "上年度考核等次",
    "在职学历",
    *(COMPONENT_LABELS[c] for c in COMPONENTS),
    "备注",
    "领款人签字",
]
LINE_WIDTHS = [6, 12, 9, 20, 10, 8, 6, 10, 9, 11, 10, 10, 10, 12, 36, 12]
FIRST_MONEY = 9  # the column of 岗位报酬
STATUS_LABELS = {
    "applied": "已计入",
    "other_month": "非本月，未计入",
    "unreadable": "无法读取，本行暂不发放",
    "unmatched": "未对应到工资表人员",
    "not_paid": "本行暂不发放",
}
ADJUSTMENT_HEADERS = ["来源文件", "工作表", "行号", "身份证号码", "姓名", "金额", "月份", "事由", "处理结果", "说明"]
ADJUSTMENT_HEADERS += ["对应工资行"]
CHANGE_LABELS = {"joined": "新增", "left": "减少", "changed": "变动"}


def default_pay_output(result: PayResult) -> Path | None:
    """`<first roster stem>_工资表_2026-11.xlsx` beside the first roster, numbered if taken."""
    if not result.roster.inputs:
        return None
    return default_output_path(result.roster.inputs[0].path, f"_工资表_{month_text(result.month)}")


def write_pay_outputs(result: PayResult, *, output: Path | None, beside_inputs: bool, mask_ids: bool) -> list[Path]:
    target = output or (default_pay_output(result) if beside_inputs else None)
    return write_workbook_output(target, lambda tmp: write_pay_workbook(tmp, result, mask_ids=mask_ids))


def write_pay_workbook(path: Path, result: PayResult, *, mask_ids: bool = False) -> None:
    """Write the payroll workbook to exactly `path` (the caller makes it atomic)."""
    with open_workbook(path) as book:
        _write(book, result, mask_ids)


def _money(fen: Any) -> float | None:
    return None if fen is None or fen is pd.NA or pd.isna(fen) else int(fen) / 100


def _write(book: xlsxwriter.Workbook, result: PayResult, mask_ids: bool) -> None:
    formats = Formats(book)
    taken = {n.casefold() for n in ("汇总", "奖惩明细", "变动", "补发", "规则", "参数")}
    people = result.people
    lines = result.lines
    township = people["township"].where(people["township"].notna(), UNPLACED).astype(str).to_numpy()
    village = people["village"].where(people["village"].notna(), UNPLACED).astype(str).to_numpy()
    ids = person_ids(people, mask_ids)
    remarks = _remarks(result, mask_ids)
    paid = lines["paid"].to_numpy(dtype=bool)
    fen = paid_fen(lines)
    _write_summary(book, formats, result, township, village, fen)
    values = _line_values(people, lines, village, ids, remarks)
    positions = pd.Series(np.arange(len(lines)))
    for name, rows in positions.groupby(township, sort=False).agg(list).items() if len(lines) else []:
        # a township's villages in order of first appearance, each village's lines together
        ordered = [i for block in pd.Series(rows).groupby(village[rows], sort=False).agg(list) for i in block]
        ws = book.add_worksheet(unique_sheet_name(name, taken))
        _write_township(ws, formats, result, name, ordered, values, fen, paid)
    if result.adjustments:
        write_table(
            book,
            formats,
            taken,
            "奖惩明细",
            [
                "来源文件",
                "工作表",
                "行号",
                "身份证号码",
                "姓名",
                "金额",
                "月份",
                "事由",
                "处理结果",
                "说明",
                "对应工资行",
            ],
            [
                [
                    Path(a["source"]).name,
                    a["sheet"],
                    a["row"],
                    id_text(a["id_number"], mask_ids),
                    a["name"],
                    a["amount"] or a["amount_written"],
                    a["month"],
                    a["reason"],
                    STATUS_LABELS[a["status"]],
                    mask_in_text(a["note"]) if mask_ids else a["note"],
                    f"{a['line']['sheet']}第{a['line']['row']}行" if a["line"] else "",
                ]
                for a in result.adjustments
            ],
            widths=[18, 10, 6, 20, 9, 10, 9, 24, 20, 50, 16],
        )
    if result.changes is not None:
        _write_changes(book, formats, taken, result, mask_ids)
    if result.back_pay_from is not None or result.back_pay:
        _write_back_pay(book, formats, result, mask_ids)
    if result.comparison is not None:
        from cadretool.output.compare_output import write_comparison_sheet

        write_comparison_sheet(book, formats, taken, result.comparison, mask_ids=mask_ids)
    top = ruleset_top(result, ("月份", month_text(result.month)), ("参数取值日", result.scale.date))
    write_rules_sheet(book, formats, top, result.rules, result.overrides)
    write_parameters_sheet(book, formats, parameters_json(result.scale))


def _remarks(result: PayResult, mask_ids: bool) -> dict[int, str]:
    """备注 of each line: why it is not paid, what to check (the findings, in their order)."""
    out: dict[int, list[str]] = {}
    for row in result.findings.itertuples(index=False):
        text = f"{row.rule} {row.message}"
        out.setdefault(int(row.person), []).append(mask_in_text(text) if mask_ids else text)
    paid = result.lines["paid"]
    shown = {}
    for person, texts in out.items():
        prefix = "暂不发放：" if person in paid.index and not paid[person] else ""
        shown[person] = prefix + "；".join(texts)
    return shown


def paid_fen(lines: pd.DataFrame) -> np.ndarray:
    """Each line's components in fen as one integer array (lines × components), 0 where not paid."""
    paid = lines["paid"].to_numpy(dtype=bool)
    columns = [pd.array(lines[c], dtype="Int64").fillna(0).to_numpy(dtype=np.int64) for c in COMPONENTS]
    return np.stack([np.where(paid, c, 0) for c in columns], axis=1).reshape(len(lines), len(COMPONENTS))


def _line_values(
    people: pd.DataFrame, lines: pd.DataFrame, village: np.ndarray, ids: np.ndarray, remarks: dict[int, str]
) -> list[list[Any]]:
    """Each line's cells from 村(社区) to 备注, computed column by column (money in yuan, None where not paid)."""
    paid = lines["paid"].to_numpy(dtype=bool)

    def text(values: Any) -> list[str]:
        return [v if isinstance(v, str) else "" for v in values]

    def whole(values: Any) -> list[int | None]:
        return [None if v is pd.NA or v is None else int(v) for v in values]

    columns: list[list[Any]] = [
        village.tolist(),
        text(people["name"].to_numpy(dtype=object)),
        list(ids),
        text(lines["post"]),
        whole(lines["level"].to_numpy(dtype=object)),
        whole(lines["step"].to_numpy(dtype=object)),
        text(lines["assessment"]),
        text(lines["degree"]),
    ]
    for c in COMPONENTS:
        fen = pd.array(lines[c], dtype="Int64").fillna(0).to_numpy(dtype=np.int64)
        columns.append([f / 100 if p else None for f, p in zip(fen.tolist(), paid.tolist(), strict=True)])
    columns.append([remarks.get(int(p), "") for p in lines.index])
    return [list(v) for v in zip(*columns, strict=True)]


def _write_township(
    ws: Worksheet,
    formats: Formats,
    result: PayResult,
    township: str,
    rows: list[int],
    values: list[list[Any]],
    fen: np.ndarray,
    paid: np.ndarray,
) -> None:
    """One township's lines by village, a 小计 under each village, the 合计, the sign-off line."""
    title = f"{township}{month_label(result.month)}村(社区)“两委”干部报酬发放表"
    money_sheet_head(ws, formats, title, LINE_HEADERS, LINE_WIDTHS)
    ws.freeze_panes(3, 3)
    border = formats.get(border=1)
    amount = formats.get(border=1, num_format=MONEY_FORMAT)
    note = formats.get(border=1, text_wrap=True, valign="top")
    unpaid_note = formats.get(border=1, text_wrap=True, valign="top", bg_color="#FFEB9C")
    bold = formats.get(border=1, bold=True)
    bold_amount = formats.get(border=1, bold=True, num_format=MONEY_FORMAT)
    styles = [border] * FIRST_MONEY + [amount] * len(COMPONENTS)
    fast = formats.rows(ws)
    out = 3

    def totals_row(label: str, place: str, fen_sums: np.ndarray) -> list[tuple[int, Any, Any]]:
        cells = [(0, label, bold), (1, place, bold), *((c, None, bold) for c in range(2, FIRST_MONEY))]
        cells += [(FIRST_MONEY + c, int(f) / 100, bold_amount) for c, f in enumerate(fen_sums.tolist())]
        return [*cells, (14, None, bold), (15, None, bold)]

    start = 0
    for k, i in enumerate(rows):
        line = values[i]
        cells = [(0, k + 1, border), *((c + 1, v, styles[c + 1]) for c, v in enumerate(line[:-1]))]
        cells += [(14, line[-1], note if paid[i] else unpaid_note), (15, None, border)]
        fast.write(out, cells, ordered=True)
        out += 1
        if k + 1 == len(rows) or values[rows[k + 1]][0] != line[0]:  # the village's last line
            block = fen[rows[start : k + 1]].sum(axis=0)
            fast.write(out, totals_row("小计", line[0], block), ordered=True)
            out += 1
            start = k + 1
    people = f"{township}（{len(rows)}人，发放{int(paid[rows].sum())}人）"
    fast.write(out, totals_row("合计", people, fen[rows].sum(axis=0)), ordered=True)
    fast.write(out + 2, [(0, SIGN_OFF, None)])


def _write_summary(
    book: xlsxwriter.Workbook,
    formats: Formats,
    result: PayResult,
    township: np.ndarray,
    village: np.ndarray,
    fen: np.ndarray,
) -> None:
    """汇总: each village, each township's total, the county total, then what the clerk must know."""
    ws = book.add_worksheet("汇总")
    headers = ["乡镇(街道)", "村(社区)", "人数", "发放人数", "暂不发放", *(COMPONENT_LABELS[c] for c in COMPONENTS)]
    widths = [14, 14, 7, 9, 9, 13, 12, 12, 12, 14]
    money_sheet_head(ws, formats, f"{month_label(result.month)}村(社区)“两委”干部报酬汇总", headers, widths)
    ws.freeze_panes(3, 2)
    paid = result.lines["paid"].to_numpy(dtype=bool)
    # per village (in order of first appearance): people, paid, then each component in fen
    codes, places = pd.MultiIndex.from_arrays([township, village]).factorize()
    columns = np.concatenate([np.ones((len(paid), 1), dtype=np.int64), paid[:, None].astype(np.int64), fen], axis=1)
    sums = np.zeros((len(places), columns.shape[1]), dtype=np.int64)
    np.add.at(sums, codes, columns)  # integer sums: money stays exact
    plain = formats.get(border=1)
    amount = formats.get(border=1, num_format=MONEY_FORMAT)
    bold = formats.get(border=1, bold=True)
    bold_amount = formats.get(border=1, bold=True, num_format=MONEY_FORMAT)
    fast = formats.rows(ws)
    out = 3

    def row(t: str, v: str, values: list[int], strong: bool) -> None:
        nonlocal out
        f, m = (bold, bold_amount) if strong else (plain, amount)
        people, paid_here, *fen = values
        cells = [(0, t, f), (1, v, f), (2, people, f), (3, paid_here, f), (4, people - paid_here, f)]
        cells += [(5 + c, fen[c] / 100, m) for c in range(len(COMPONENTS))]
        fast.write(out, cells, ordered=True)
        out += 1

    towns = pd.Series(np.arange(len(places))).groupby([t for t, _ in places], sort=False).agg(list)
    for t, members in towns.items():
        for k in members:
            row(t, places[k][1], sums[k].tolist(), False)
        row(t, "乡镇合计", sums[members].sum(axis=0).tolist(), True)
    if len(places):
        row("全县合计", "", sums.sum(axis=0).tolist(), True)
    else:
        fast.write(out, [(0, "没有在职“两委”干部（现任职务为“两委”职务的人员），工资表为空", None)])
        out += 1
    notes = [f"未能读取 {e}" for e in result.side_errors] + run_notes(result)
    if notes:
        fast.write(out + 1, [(0, "说明", formats.get(bold=True))])
        for k, note in enumerate(notes):
            fast.write(out + 2 + k, [(0, note, None)])
        out += 2 + len(notes)
    fast.write(out + 1, [(0, SIGN_OFF, None)])


def _write_changes(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PayResult, mask_ids: bool
) -> None:
    rows = []
    for change in result.changes or []:
        for comp in change["components"]:
            rows.append(
                [
                    id_text(change["id_number"], mask_ids),
                    change["name"],
                    change.get("township"),
                    change.get("village"),
                    CHANGE_LABELS[change["kind"]],
                    COMPONENT_LABELS.get(comp["component"], comp["component"]),
                    _money_text_number(comp["before"]),
                    _money_text_number(comp["after"]),
                    comp["cause"],
                ]
            )
    base = result.previous[-1]["month"] if result.previous else ""
    write_table(
        book,
        formats,
        taken,
        "变动",
        ["身份证号码", "姓名", "乡镇(街道)", "村(社区)", "变动类型", "项目", f"上月（{base}）", "本月", "原因"],
        rows,
        widths=[20, 9, 12, 12, 9, 10, 13, 13, 60],
        empty_note="与上月相比没有变动",
    )


def _money_text_number(text: str | None) -> float | None:
    return None if text is None else float(text)


def _write_back_pay(book: xlsxwriter.Workbook, formats: Formats, result: PayResult, mask_ids: bool) -> None:
    ws = book.add_worksheet("补发")
    headers = ["身份证号码", "姓名", "月份", "应发", "已发", "补发金额", "原因", "需核实"]
    start = month_text(result.back_pay_from) if result.back_pay_from is not None else ""
    title = f"补发明细（{start} 至 {month_text(result.month - 1)}），补发合计不计入本月应发合计"
    money_sheet_head(ws, formats, title, headers, [20, 9, 9, 12, 12, 12, 50, 40])
    amount = formats.get(num_format=MONEY_FORMAT)
    fast = formats.rows(ws)
    out = 3
    for b in result.back_pay:
        checks = "；".join(f"{f['rule']} {f['message']}" for f in b.get("findings", []))
        fast.write(
            out,
            [
                (0, id_text(b["id_number"], mask_ids), None),
                (1, b["name"], None),
                (2, month_text(b["month"]), None),
                (3, _money(b["due"]), amount),
                (4, _money(b["paid"]), amount),
                (5, _money(b["difference"]), amount),
                (6, b["cause"], None),
                (7, mask_in_text(checks) if mask_ids else checks, None),
            ],
        )
        out += 1
    bold = formats.get(bold=True)
    fast.write(
        out,
        [(0, "补发合计", bold), (5, result.back_pay_total() / 100, formats.get(bold=True, num_format=MONEY_FORMAT))],
    )
    fast.write(out + 2, [(0, SIGN_OFF, None)])


def write_parameters_sheet(book: xlsxwriter.Workbook, formats: Formats, params: dict[str, Any]) -> None:
    ws = book.add_worksheet("参数")
    headers = ["参数", "名称", "取值", "起始日期", "依据"]
    for col, w in enumerate([30, 36, 40, 12, 60]):
        ws.set_column(col, col, w)
    write_strings(ws, 0, 0, headers, formats.header())
    print_setup(ws, (0, 0))
    for r, (name, p) in enumerate(params.items(), start=1):
        value = p["value"]
        shown = "、".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
        write_strings(ws, r, 0, [name, p["title"], shown, p["from"], p["reference"]])


__all__ = ["default_pay_output", "write_pay_outputs", "write_pay_workbook"]
