"""The reward workbook: 汇总 of every village (pools, what was paid, what is missing and why), a
sheet per township with each share to sign for, the income records not used, and 规则/参数."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from cadretool.bonus import BonusResult
from cadretool.money import money_text
from cadretool.output.pay_json import parameters_json
from cadretool.output.pay_workbook import write_parameters_sheet
from cadretool.output.present import id_text, mask_in_text, run_notes
from cadretool.output.safety import default_output_path
from cadretool.output.sheets import (
    MONEY_FORMAT,
    SIGN_OFF,
    Formats,
    money_sheet_head,
    open_workbook,
    ruleset_top,
    unique_sheet_name,
    write_rules_sheet,
    write_table,
    write_workbook_output,
)
from cadretool.rules.payrules import BONUS_PARAMETERS

SUMMARY_HEADERS = ["乡镇(街道)", "村(社区)", "村集体经济纯收益", "干部奖励", "村民组长奖励", "干部人数", "组长人数"]
SUMMARY_HEADERS += ["已发放", "说明"]
SHARE_HEADERS = ["序号", "村(社区)", "姓名", "身份证号码", "现任职务", "奖励类别", "金额", "备注", "领款人签字"]
POOL_LABELS = {"cadre": "“两委”干部", "leader": "村民组长"}


def write_bonus_outputs(result: BonusResult, *, output: Path | None, beside_inputs: bool, mask_ids: bool) -> list[Path]:
    target = output
    if target is None and beside_inputs and result.roster.inputs:
        target = default_output_path(result.roster.inputs[0].path, f"_集体经济奖励_{result.year}")
    return write_workbook_output(target, lambda tmp: write_bonus_workbook(tmp, result, mask_ids=mask_ids))


def write_bonus_workbook(path: Path, result: BonusResult, *, mask_ids: bool = False) -> None:
    with open_workbook(path) as book:
        _write(book, result, mask_ids)


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def _write(book: xlsxwriter.Workbook, result: BonusResult, mask_ids: bool) -> None:
    formats = Formats(book)
    taken = {n.casefold() for n in ("汇总", "未使用收益记录", "规则", "参数")}
    _write_summary(book, formats, result)
    townships: dict[str, list[dict[str, Any]]] = {}
    for v in result.villages:
        townships.setdefault(v["township"] or "（未填）", []).append(v)
    for name, villages in townships.items():
        if any(v["shares"] for v in villages):
            _write_township(book, formats, taken, result, name, villages, mask_ids)
    write_table(
        book,
        formats,
        taken,
        "未使用收益记录",
        ["来源文件", "工作表", "行号", "乡镇(街道)", "村(社区)", "年度", "纯收益", "原因"],
        [
            [
                Path(u["source"]).name,
                u["sheet"],
                u["row"],
                u["township"],
                u["village"],
                u["year"],
                u["net_income"] or u["income_written"],
                u["reason"],
            ]
            for u in result.unmatched_income
        ],
        widths=[20, 10, 6, 12, 12, 7, 14, 60],
        empty_note="每条收益记录都已对应到村（社区）",
    )
    if result.comparison is not None:
        from cadretool.output.compare_output import write_comparison_sheet

        write_comparison_sheet(book, formats, taken, result.comparison, mask_ids=mask_ids)
    top = ruleset_top(result, ("年度", str(result.year)), ("参数取值日", result.scale.date))
    write_rules_sheet(book, formats, top, result.rules, result.overrides)
    write_parameters_sheet(book, formats, parameters_json(result.scale, list(BONUS_PARAMETERS)))


def _write_summary(book: xlsxwriter.Workbook, formats: Formats, result: BonusResult) -> None:
    ws = book.add_worksheet("汇总")
    title = f"{result.year}年度村集体经济发展奖励汇总"
    money_sheet_head(ws, formats, title, SUMMARY_HEADERS, [12, 12, 16, 14, 14, 9, 9, 14, 60])
    ws.freeze_panes(3, 2)
    plain = formats.get(border=1, text_wrap=True, valign="top")
    money = formats.get(border=1, num_format=MONEY_FORMAT, valign="top")
    bold = formats.get(border=1, bold=True)
    bold_money = formats.get(border=1, bold=True, num_format=MONEY_FORMAT)
    fast = formats.rows(ws)
    out = 3
    rows: list[tuple[str, list[tuple[int, Any, Any]]]] = []
    for v in result.villages:
        paid = sum(s["amount"] for s in v["shares"])
        said = "；".join(f"{f['rule']} {f['message']}" for f in v["findings"])
        rows.append(
            (
                v["township"],
                [
                    (0, v["township"], plain),
                    (1, v["village"], plain),
                    (2, _yuan(v["net_income"]) if v["net_income"] is not None else "无法使用", money),
                    (3, _yuan(v["cadre_pool"]), money),
                    (4, _yuan(v["leader_pool"]), money),
                    (5, v["cadres"], plain),
                    (6, v["leaders"], plain),
                    (7, paid / 100, money),
                    (8, said, plain),
                ],
            )
        )
    for m in result.missing_income:
        said = "；".join(f"{f['rule']} {f['message']}" for f in m["findings"])
        rows.append(
            (
                m["township"],
                [
                    (0, m["township"], plain),
                    (1, m["village"], plain),
                    (2, "无收益记录", plain),
                    (3, None, money),
                    (4, None, money),
                    (5, m["cadres"], plain),
                    (6, m["leaders"], plain),
                    (7, None, money),
                    (8, said, plain),
                ],
            )
        )
    order = {t: i for i, t in enumerate(dict.fromkeys(t for t, _ in rows))}
    totals = result.totals()
    current = None
    for township, cells in sorted(rows, key=lambda r: order[r[0]]):
        if current is not None and township != current:
            fast.write(out, _total_row(f"{current}合计", totals["townships"].get(current, 0), bold, bold_money))
            out += 1
        current = township
        fast.write(out, cells, ordered=True)
        out += 1
    if current is not None:
        fast.write(out, _total_row(f"{current}合计", totals["townships"].get(current, 0), bold, bold_money))
        out += 1
    fast.write(out, _total_row("全县合计", totals["county"], bold, bold_money))
    out += 1
    notes = [f"未能读取 {e}" for e in result.side_errors] + run_notes(result)
    if notes:
        fast.write(out + 1, [(0, "说明", formats.get(bold=True))])
        for k, note in enumerate(notes):
            fast.write(out + 2 + k, [(0, note, None)])
        out += 2 + len(notes)
    fast.write(out + 1, [(0, SIGN_OFF, None)])


def _total_row(label: str, fen: int, bold: Any, bold_money: Any) -> list[tuple[int, Any, Any]]:
    return [(0, label, bold), *((c, None, bold) for c in range(1, 7)), (7, fen / 100, bold_money), (8, None, bold)]


def _write_township(
    book: xlsxwriter.Workbook,
    formats: Formats,
    taken: set[str],
    result: BonusResult,
    township: str,
    villages: list[dict[str, Any]],
    mask_ids: bool,
) -> None:
    ws = book.add_worksheet(unique_sheet_name(township, taken))
    title = f"{township}{result.year}年度村集体经济发展奖励发放表"
    money_sheet_head(ws, formats, title, SHARE_HEADERS, [6, 12, 9, 20, 10, 12, 12, 40, 12])
    ws.freeze_panes(3, 3)
    border = formats.get(border=1)
    wrap = formats.get(border=1, text_wrap=True, valign="top")
    money = formats.get(border=1, num_format=MONEY_FORMAT)
    bold = formats.get(border=1, bold=True)
    bold_money = formats.get(border=1, bold=True, num_format=MONEY_FORMAT)
    fast = formats.rows(ws)
    out = 3
    number = 0
    total = 0
    for v in villages:
        if not v["shares"]:
            continue
        for s in v["shares"]:
            number += 1
            note = "；".join(f"{f['rule']} {f['message']}" for f in s["findings"])
            fast.write(
                out,
                [
                    (0, number, border),
                    (1, v["village"], border),
                    (2, s["name"] or "", border),
                    (3, id_text(s["id_number"], mask_ids), border),
                    (4, s["post"] or "", border),
                    (5, POOL_LABELS[s["pool"]], border),
                    (6, s["amount"] / 100, money),
                    (7, mask_in_text(note) if mask_ids else note, wrap),
                    (8, None, border),
                ],
                ordered=True,
            )
            out += 1
        paid = sum(s["amount"] for s in v["shares"])
        total += paid
        pools = f"纯收益 {money_text(v['net_income'])}，干部奖励 {money_text(v['cadre_pool'])}"
        pools += f"，组长奖励 {money_text(v['leader_pool'])}"
        fast.write(
            out,
            [
                (0, "小计", bold),
                (1, v["village"], bold),
                *((c, None, bold) for c in range(2, 6)),
                (6, paid / 100, bold_money),
            ]
            + [(7, pools, bold), (8, None, bold)],
            ordered=True,
        )
        out += 1
    fast.write(
        out,
        [(0, "合计", bold), (1, f"{township}（{number}人）", bold), *((c, None, bold) for c in range(2, 6))]
        + [(6, total / 100, bold_money), (7, None, bold), (8, None, bold)],
        ordered=True,
    )
    fast.write(out + 2, [(0, SIGN_OFF, None)])


__all__ = ["write_bonus_outputs", "write_bonus_workbook"]
