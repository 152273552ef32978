"""The pension workbook (SPEC §7.1): 养老测算 (one line per person, 不能达标 first), 汇总 by
township, 未匹配缴费记录 and the 规则 sheet — printed like every cadretool workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from cadretool.money import month_text
from cadretool.output.present import id_text, mask_in_text, person_ids
from cadretool.output.sheets import (
    EXCEL_MAX_ROWS,
    MONEY_FORMAT,
    WORKBOOK_OPTIONS,
    Formats,
    print_setup,
    ruleset_top,
    unique_sheet_name,
    write_rules_sheet,
    write_strings,
    write_table,
)
from cadretool.pension import STATUSES, PensionResult

MAIN_SHEET = "养老测算"
HEADERS = [
    "序号",
    "状态",
    "姓名",
    "身份证号码",
    "性别",
    "出生年月",
    "退休类别",
    "乡镇(街道)",
    "村(社区)",
    "已缴月数",
    "仍在缴费",
    "法定退休年月",
    "弹性退休年月",
    "退休时缴费月数",
    "最低缴费月数",
    "缺口月数",
    "离任生活补贴(元/月)",
    "补贴起始年月",
    "需核实事项",
    "来源",
]
WIDTHS = [6, 9, 9, 21, 5, 9, 8, 12, 12, 8, 8, 11, 11, 11, 11, 8, 12, 11, 60, 28]
# the status as a clerk's eye reads it: red cannot make it, yellow can, green has
STATUS_STYLE = {"不能达标": "ineligible", "可达标": "review", "达标": "eligible"}
UNKNOWN = "无法计算"


def _month(value: Any) -> str | None:
    return month_text(int(value)) if value >= 0 else None


def _count(value: Any) -> int | None:
    return int(value) if value >= 0 else None


def finding_texts(findings: pd.DataFrame, mask_ids: bool) -> dict[int, str]:
    """Each person's findings as one cell: "Y01 …；Y05 …"."""
    if findings.empty:
        return {}
    texts = findings["rule"] + " " + findings["message"].map(mask_in_text if mask_ids else str)
    return {int(k): v for k, v in texts.groupby(findings["person"].to_numpy(), sort=False).agg("；".join).items()}


def write_pension_workbook(path: Path, result: PensionResult, *, mask_ids: bool = False) -> None:
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = Formats(book)
        taken = {MAIN_SHEET.casefold(), "汇总", "规则", "未匹配缴费记录"}
        _main_sheet(book, formats, taken, result, mask_ids)
        _summary_sheet(book, formats, taken, result)
        unmatched = [
            [
                Path(u["source"]).name,
                u["sheet"],
                u["row"],
                id_text(u.get("id_as_written") or u.get("id_number"), mask_ids),
                u["name"],
                u["start"],
                u["end"],
                mask_in_text(u["reason"]) if mask_ids else u["reason"],
            ]
            for u in result.unmatched
        ]
        write_table(
            book,
            formats,
            taken,
            "未匹配缴费记录",
            ["文件", "工作表", "行", "身份证号码", "姓名", "起始年月", "截止年月", "原因"],
            unmatched,
            widths=[24, 12, 6, 21, 9, 9, 9, 70],
            empty_note="所有缴费记录都已对应到花名册中的人员",
        )
        if result.comparison is not None:
            from cadretool.output.compare_output import write_comparison_sheet

            write_comparison_sheet(book, formats, taken, result.comparison, mask_ids=mask_ids)
        top = ruleset_top(result, ("测算基准日", result.as_of))
        write_rules_sheet(book, formats, top, result.rules, result.overrides)
    finally:
        book.close()


def _main_sheet(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PensionResult, mask_ids: bool
) -> None:
    people = result.people
    texts = finding_texts(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    blank = np.full(len(people), None, dtype=object)
    money = formats.get(num_format=MONEY_FORMAT)
    wrap = formats.get(text_wrap=True, valign="top")
    styles = {s: formats.status(style) for s, style in STATUS_STYLE.items()}
    room = EXCEL_MAX_ROWS - 1
    for part, first in enumerate(range(0, max(len(people), 1), room)):
        name = MAIN_SHEET if part == 0 else unique_sheet_name(f"{MAIN_SHEET} ({part + 1})", taken)
        ws = book.add_worksheet(name)
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        print_setup(ws, (0, 0))
        write_strings(ws, 0, 0, HEADERS, formats.header())
        ws.freeze_panes(1, 3)
        fast = formats.rows(ws)
        last = min(first + room, len(people))
        for r, i in enumerate(range(first, last), start=1):
            status = cols["status"][i]
            allowance = int(cols["allowance_fen"][i])
            values: list[tuple[Any, Any]] = [
                (i + 1, None),
                (status or UNKNOWN, styles.get(status)),
                (cols.get("name", blank)[i], None),
                (ids[i], None),
                (cols.get("gender", blank)[i], None),
                (_month(cols["birth_month"][i]), None),
                (cols["track"][i], None),
                (cols.get("township", blank)[i], None),
                (cols.get("village", blank)[i], None),
                (int(cols["months_paid"][i]), None),
                ("是" if cols["contributing"][i] else "否", None),
                (_month(cols["retirement_month"][i]), None),
                (_month(cols["chosen_retirement_month"][i]), None),
                (_count(cols["months_at_retirement"][i]), None),
                (_count(cols["minimum_months"][i]), None),
                (_count(cols["shortfall_months"][i]), None),
                (allowance / 100 if allowance >= 0 else None, money),
                (_month(cols["allowance_from"][i]) if allowance >= 0 else None, None),
                (texts.get(int(people.index[i])), wrap),
                (f"{Path(cols['_file'][i]).name} {cols['_sheet'][i]} 第{cols['_row'][i]}行", None),
            ]
            fast.write(
                r,
                [(c, v, f) for c, (v, f) in enumerate(values) if v is not None and v != ""],
                ordered=True,
            )
        if last > first:
            ws.autofilter(0, 0, last - first, len(HEADERS) - 1)


def _summary_sheet(book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PensionResult) -> None:
    """People by status for the county and each township, and the leaving allowance paid."""
    people = result.people.sort_index()  # townships in the roster's order
    township = people["township"].fillna("（未填乡镇）") if "township" in people else pd.Series("", index=people.index)
    status = people["status"].fillna(UNKNOWN)
    allowance = people["allowance_fen"]
    rows = []
    for label, mask in [("全部", np.ones(len(people), dtype=bool))] + [
        (t, (township == t).to_numpy()) for t in dict.fromkeys(township)
    ]:
        counts = status[mask].value_counts()
        paid = allowance[mask]
        rows.append(
            [
                label,
                int(mask.sum()),
                *[int(counts.get(s, 0)) for s in (*STATUSES, UNKNOWN)],
                int((paid >= 0).sum()),
                float(paid[paid >= 0].sum()) / 100,
            ]
        )
    write_table(
        book,
        formats,
        taken,
        "汇总",
        ["乡镇(街道)", "人数", *STATUSES, UNKNOWN, "享受离任生活补贴人数", "离任生活补贴合计(元/月)"],
        rows,
        widths=[14, 8, 8, 8, 8, 9, 9, 12, 14],
        column_formats={8: formats.get(num_format=MONEY_FORMAT)},
    )
