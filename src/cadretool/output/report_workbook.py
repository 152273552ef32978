"""The indicator workbook a leader reads (SPEC §8): a first sheet 总览 with the county figures,
the marked exceptions and three native charts, then 乡镇(街道), 村(社区), 推荐方式, 无人选的村(社区),
需关注, 图表数据 and 规则. Every sheet prints A4 landscape, one page wide, header rows repeated,
page numbers in the footer; a level that went against 一降两升 is filled red and says so in words.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from cadretool.catalogue import KIND_LABELS, SEVERITY_LABELS, built_in
from cadretool.output.sheets import (
    GREEN,
    RED,
    WORKBOOK_OPTIONS,
    Formats,
    print_setup,
    write_rules_sheet,
    write_strings,
    write_table,
)
from cadretool.report import ReportResult, round_ratio

SHEETS = ("总览", "乡镇(街道)", "村(社区)", "推荐方式", "无人选的村(社区)", "需关注", "图表数据", "规则")
AGE, PCT, COUNT = "0.00", "0.00", "0"
SIGNED = "+0.00;-0.00;0.00"
SIGNED_COUNT = "+0;-0;0"
SIGNED_PCT = '+0.00"%";-0.00"%";0.00"%"'
BAD_FONT, GOOD_FONT = "#9C0006", "#006100"
# three charts side by side under the figures: together as wide as the sheet's columns A–N
CHART_WIDTH, CHART_HEIGHT, CHART_GAP = 360, 270, 6
CHART_ROW = 21
OVERVIEW_WIDTHS = [24, 10, 10, 11, 10, 7, 13, 2, 14, 11, 11, 11, 11, 11]
LINE_CHARS = 34  # an exception line fits columns I–N; the whole text is in 需关注
SHOWN_LINES = 16  # exception lines on 总览 before "see 需关注"
FIGURES = [
    # (label, current column, baseline column, change column, relative column, goal, flag)
    ("平均年龄（岁）", "avg_age", "chg_avg_age", "chg_avg_age_rel", "下降", "age_up"),
    ("大专及以上占比（%）", "college_pct", "chg_college_pp", "chg_college_rel", "上升", "college_down"),
    ("有能力特长的占比（%）", "ability_pct", "chg_ability_pp", "chg_ability_rel", "上升", "ability_down"),
]
WRONG_WORDS = {"age_up": "平均年龄上升", "college_down": "大专及以上占比下降", "ability_down": "能力特长占比下降"}


def write_report_workbook(path: Path, result: ReportResult) -> None:
    """Write the indicator workbook to exactly `path` (the caller makes it atomic)."""
    # small sheets written out of row order (figures beside exceptions): not constant-memory
    book = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "constant_memory": False})
    try:
        _write(book, result)
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()
        raise
    book.close()


def _write(book: xlsxwriter.Workbook, result: ReportResult) -> None:
    formats = Formats(book)
    taken = {name.casefold() for name in SHEETS}
    overview = book.add_worksheet("总览")
    towns = book.add_worksheet("乡镇(街道)")
    villages = book.add_worksheet("村(社区)")
    channels = book.add_worksheet("推荐方式")
    _level_sheet(towns, formats, result, "township")
    _level_sheet(villages, formats, result, "village")
    _channel_sheet(channels, formats, result)
    _without_sheet(book, formats, taken, result)
    _findings_sheet(book, formats, taken, result)
    data = book.add_worksheet("图表数据")
    charts = _chart_data(data, formats, result)
    _overview(book, overview, formats, result, charts)
    write_rules_sheet(book, formats, _rules_top(result), result.rules)
    overview.activate()


# ---------------------------------------------------------------- 总览


def _overview(
    book: xlsxwriter.Workbook,
    ws: Worksheet,
    formats: Formats,
    result: ReportResult,
    charts: list[tuple[str, int, int, bool]],
) -> None:
    county = result.county()
    has_baseline = result.baseline is not None
    last_col = len(OVERVIEW_WIDTHS) - 1
    for col, width in enumerate(OVERVIEW_WIDTHS):
        ws.set_column(col, col, width)
    ws.set_zoom(90)
    title = formats.get(bold=True, font_size=16, align="center", valign="vcenter")
    ws.set_row(0, 28)
    ws.merge_range(0, 0, 0, last_col, "村(社区)“两委”换届人选“一降两升”情况", title)
    ws.merge_range(1, 0, 1, last_col, _subtitle(result), formats.get(align="center", font_color="#595959"))
    header = formats.header()
    write_strings(ws, 3, 0, ["指标", "基期", "本期", "变化", "相对变化", "目标", "结果"], header)
    border = {"border": 1}
    ws.write_string(4, 0, "人数", formats.get(**border))
    _number(ws, 4, 1, county["base_people"] if has_baseline else None, formats.get(num_format=COUNT, **border))
    ws.write_number(4, 2, int(county["cur_people"]), formats.get(num_format=COUNT, **border))
    people_change = int(county["cur_people"] - county["base_people"]) if has_baseline else None
    _number(ws, 4, 3, people_change, formats.get(num_format=SIGNED_COUNT, **border))
    for col in (4, 5, 6):
        ws.write_blank(4, col, None, formats.get(**border))
    for i, (label, figure, change, relative, goal, flag) in enumerate(FIGURES):
        row = 5 + i
        bad = bool(county[flag])
        known = has_baseline and not _nan(county[change])
        ws.write_string(row, 0, label, formats.get(**border))
        _number(ws, row, 1, county["base_" + figure] if has_baseline else None, formats.get(num_format=AGE, **border))
        _number(ws, row, 2, county["cur_" + figure], formats.get(num_format=AGE, **border))
        marked = {"bg_color": RED, "font_color": BAD_FONT, "bold": True} if bad else {}
        _number(ws, row, 3, county[change] if known else None, formats.get(num_format=SIGNED, **border, **marked))
        _number(ws, row, 4, county[relative] if known else None, formats.get(num_format=SIGNED_PCT, **border))
        ws.write_string(row, 5, goal, formats.get(align="center", **border))
        if not known:
            ws.write_string(row, 6, "无法比较", formats.get(**border))
        elif bad:
            ws.write_string(row, 6, "未达成", _verdict(formats, bad=True))
        else:
            ws.write_string(row, 6, "达成", _verdict(formats, bad=False))
    row = 8
    ws.write_string(row, 0, "有人选的村(社区)", formats.get(**border))
    total, without = int(county["villages"]), int(county["villages_without"])
    villages_before = int((result.levels.loc[result.levels["level"] == "village", "base_people"] > 0).sum())
    _number(ws, row, 1, villages_before if has_baseline else None, formats.get(num_format=COUNT, **border))
    ws.write_number(row, 2, total - without, formats.get(num_format=COUNT, **border))
    ws.write_blank(row, 3, None, formats.get(**border))
    ws.write_blank(row, 4, None, formats.get(**border))
    ws.write_string(row, 5, "全覆盖", formats.get(align="center", **border))
    if without:
        ws.write_string(
            row, 6, f"{without}个没有人选", formats.get(bg_color=RED, font_color=BAD_FONT, bold=True, **border)
        )
    else:
        ws.write_string(row, 6, "全部有人选", formats.get(bg_color=GREEN, font_color=GOOD_FONT, bold=True, **border))
    _channel_block(ws, formats, result, 10)
    _exceptions(ws, formats, result, 3, 8, last_col)
    for i, (name, first, last, two) in enumerate(charts):
        chart = _chart(book, name, first, last, two)
        ws.insert_chart(CHART_ROW, 0, chart, {"x_offset": i * (CHART_WIDTH + CHART_GAP), "y_offset": 4})
    print_setup(ws, (0, 1))
    ws.print_area(0, 0, CHART_ROW + math.ceil(CHART_HEIGHT / 20) + 1, last_col)


def _subtitle(result: ReportResult) -> str:
    def files(roster: Any) -> str:
        return "、".join(Path(i.file).name for i in roster.inputs) or "（无可读文件）"

    text = f"本期：{files(result.current)}（基准日 {result.as_of.isoformat()}）"
    if result.baseline is not None:
        text += f"　　基期：{files(result.baseline)}（基准日 {result.baseline_as_of.isoformat()}）"
    else:
        text += "　　未给出基期名册（--baseline），只列本期数字"
    return text


def _channel_block(ws: Worksheet, formats: Formats, result: ReportResult, top: int) -> None:
    """The five channels now and then, under the figures."""
    has_baseline = result.baseline is not None
    write_strings(ws, top, 0, ["推荐方式（五荐）", "基期", "本期", "变化", "本期占比"], formats.header())
    border = {"border": 1}
    channels = result.channels
    total = int(channels["current"].sum())
    shares = round_ratio(channels["current"].to_numpy(), np.full(len(channels), total), 100)
    for i, r in enumerate(channels.itertuples(index=False)):
        row = top + 1 + i
        ws.write_string(row, 0, r.channel, formats.get(**border))
        _number(ws, row, 1, r.baseline if has_baseline else None, formats.get(num_format=COUNT, **border))
        ws.write_number(row, 2, int(r.current), formats.get(num_format=COUNT, **border))
        change = int(r.current - r.baseline) if has_baseline else None
        _number(ws, row, 3, change, formats.get(num_format=SIGNED_COUNT, **border))
        _number(ws, row, 4, shares[i], formats.get(num_format='0.00"%"', **border))


def _exceptions(ws: Worksheet, formats: Formats, result: ReportResult, top: int, left: int, last_col: int) -> None:
    """需要关注: the county's and each township's wrong-way figures, counts of villages, villages
    left without candidates, and what the figures could not use; the rest in 需关注."""
    heading = formats.get(bold=True, bg_color=RED, font_color=BAD_FONT, border=1)
    ws.merge_range(top, left, top, last_col, "需要关注（明细见“需关注”“村(社区)”表，标红处）", heading)
    lines = _exception_lines(result)
    plain, bad = formats.get(text_wrap=False), formats.get(font_color=BAD_FONT)
    shown = lines[:SHOWN_LINES]
    for i, (text, is_bad) in enumerate(shown):
        ws.write_string(top + 1 + i, left, text, bad if is_bad else plain)
    if len(lines) > SHOWN_LINES:
        ws.write_string(top + 1 + len(shown), left, f"……另有{len(lines) - SHOWN_LINES}条，见“需关注”表", plain)


def _exception_lines(result: ReportResult) -> list[tuple[str, bool]]:
    findings = result.findings
    lines: list[tuple[str, bool]] = []
    upper = findings[findings["rule"].isin(["R01", "R02", "R03"]) & findings["level"].isin(["county", "township"])]
    lines += [(m, True) for m in upper["message"]]
    levels = result.levels
    village_rows = levels[levels["level"] == "village"]
    for flag, word in WRONG_WORDS.items():
        if int(village_rows[flag].sum()):
            lines.append((f"{word}的村(社区)：{int(village_rows[flag].sum())}个", True))
    without = result.villages_without
    if len(without):
        names = "、".join(f"{t}{v}" for t, v in zip(without["township"], without["village"], strict=True))
        lines.append((f"没有人选的村(社区){len(without)}个：{names}", True))
    for rule in ("R05", "R06", "R07", "R08"):
        mine = findings[findings["rule"] == rule]
        if len(mine) == 1:
            lines.append((mine["message"].iloc[0], rule == "R06"))
        elif len(mine):
            lines.append((f"{built_in(rule).title}：{len(mine)}条", rule == "R06"))
    lines += [(w, True) for w in result.warnings if not any(w == m for m in findings["message"])]
    if not lines:
        lines.append(
            ("全县、各乡镇(街道)均实现“一降两升”，所有村(社区)都有人选", False)
            if result.baseline is not None
            else ("未给出基期名册，只列本期数字", False)
        )
    return [(_clip(text, LINE_CHARS), bad) for text, bad in lines]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- 乡镇(街道) and 村(社区)


GROUPS = [
    ("人数", [("基期", "base_people", COUNT), ("本期", "cur_people", COUNT)]),
    (
        "平均年龄（岁）",
        [
            ("基期", "base_avg_age", AGE),
            ("本期", "cur_avg_age", AGE),
            ("变化", "chg_avg_age", SIGNED),
            ("相对变化", "chg_avg_age_rel", SIGNED_PCT),
        ],
    ),
    (
        "大专及以上占比（%）",
        [
            ("基期", "base_college_pct", PCT),
            ("本期", "cur_college_pct", PCT),
            ("变化(百分点)", "chg_college_pp", SIGNED),
        ],
    ),
    (
        "有能力特长的占比（%）",
        [
            ("基期", "base_ability_pct", PCT),
            ("本期", "cur_ability_pct", PCT),
            ("变化(百分点)", "chg_ability_pp", SIGNED),
        ],
    ),
]
BAD_CELLS = {"chg_avg_age": "age_up", "chg_college_pp": "college_down", "chg_ability_pp": "ability_down"}


def _level_sheet(ws: Worksheet, formats: Formats, result: ReportResult, level: str) -> None:
    """One row per township (or village), the county on top, two header rows; the wrong-way
    change cells filled red and named in 需关注."""
    levels = result.levels
    rows = pd.concat([levels[levels["level"] == "county"], levels[levels["level"] == level]], ignore_index=True)
    lead = ["乡镇(街道)"] if level == "township" else ["乡镇(街道)", "村(社区)"]
    lead += ["村(社区)数", "无人选的村"] if level == "township" else []
    header = formats.header()
    col = 0
    for name in lead:
        ws.merge_range(0, col, 1, col, name, header)
        ws.set_column(col, col, 12 if "村(社区)" in name and level == "village" else 11)
        col += 1
    for group, members in GROUPS:
        if len(members) > 1:
            ws.merge_range(0, col, 0, col + len(members) - 1, group, header)
        for label, _name, _fmt in members:
            ws.write_string(1, col, label, header)
            ws.set_column(col, col, 9 if label in ("基期", "本期", "变化") else 11)
            col += 1
    ws.merge_range(0, col, 1, col, "需关注", header)
    ws.set_column(col, col, 30)
    last = col
    border = {"border": 1}
    for r, row in enumerate(rows.to_dict("records"), start=2):
        county = row["level"] == "county"
        bold = {"bold": True} if county else {}
        values = ["合计" if county else row["township"]]
        if level == "village":
            values.append("" if county else row["village"])
        c = 0
        for value in values:
            ws.write_string(r, c, str(value or ""), formats.get(**border, **bold))
            c += 1
        if level == "township":
            ws.write_number(r, c, int(row["villages"]), formats.get(num_format=COUNT, **border, **bold))
            without = int(row["villages_without"])
            marked = {"bg_color": RED, "font_color": BAD_FONT} if without else {}
            ws.write_number(r, c + 1, without, formats.get(**{**border, **bold, **marked, "num_format": COUNT}))
            c += 2
        for _group, members in GROUPS:
            for _label, name, fmt in members:
                value = row[name]
                if name.startswith("base_") and result.baseline is None:
                    value = None
                marked = {}
                if BAD_CELLS.get(name) and row[BAD_CELLS[name]]:
                    marked = {"bg_color": RED, "font_color": BAD_FONT, "bold": True}
                if name == "cur_people" and level == "village" and not county and int(value) == 0:
                    marked = {"bg_color": RED, "font_color": BAD_FONT, "bold": True}
                _number(ws, r, c, value, formats.get(**{**border, **bold, **marked, "num_format": fmt}))
                c += 1
        words = [WRONG_WORDS[flag] for flag in WRONG_WORDS if row[flag]]
        if level == "village" and not county and int(row["cur_people"]) == 0:
            words.insert(0, "本期没有人选")
        ws.write_string(r, c, "；".join(words), formats.get(font_color=BAD_FONT, **border, **bold))
    ws.freeze_panes(2, len(lead))
    ws.autofilter(1, 0, 1 + len(rows), last)
    print_setup(ws, (0, 1))


# ---------------------------------------------------------------- the other sheets


def _channel_sheet(ws: Worksheet, formats: Formats, result: ReportResult) -> None:
    """The channels of the county now and then, and of each township now."""
    channels = list(result.channels["channel"])
    header = formats.header()
    write_strings(ws, 0, 0, ["", *channels, "合计"], header)
    ws.set_column(0, 0, 16)
    ws.set_column(1, len(channels) + 1, 11)
    border = {"border": 1}
    rows: list[tuple[str, list[int], bool]] = [("全县（本期）", list(result.channels["current"]), True)]
    if result.baseline is not None:
        rows.append(("全县（基期）", list(result.channels["baseline"]), True))
    for township, counts in result.channels_by_township.iterrows():
        rows.append((f"{township}（本期）", list(counts), False))
    for r, (label, counts, bold) in enumerate(rows, start=1):
        style = {"bold": True} if bold else {}
        ws.write_string(r, 0, label, formats.get(**border, **style))
        for c, n in enumerate([*counts, sum(counts)], start=1):
            ws.write_number(r, c, int(n), formats.get(num_format=COUNT, **border, **style))
    ws.freeze_panes(1, 1)
    print_setup(ws, (0, 0))


def _without_sheet(book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: ReportResult) -> None:
    without = result.villages_without
    rows = [
        [r.township, r.village, None if r.baseline_people is None else int(r.baseline_people), r.source]
        for r in without.itertuples(index=False)
    ]
    write_table(
        book,
        formats,
        taken,
        "无人选的村(社区)",
        ["乡镇(街道)", "村(社区)", "基期人数", "来源"],
        rows,
        widths=[14, 16, 10, 24],
        empty_note="基期名册和村(社区)名单中的村(社区)本期都有人选"
        if result.baseline is not None or result.village_list is not None
        else "未给出基期名册或村(社区)名单（--villages），无法检查覆盖",
    )


def _findings_sheet(book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: ReportResult) -> None:
    levels = {"county": "全县", "township": "乡镇(街道)", "village": "村(社区)"}
    rows = [
        [
            f.rule,
            built_in(f.rule).title,
            SEVERITY_LABELS.get(f.severity, f.severity),
            levels.get(f.level, f.level),
            f.township or "",
            f.village or "",
            f.message,
        ]
        for f in result.findings.itertuples(index=False)
    ]
    rows += [["", "警告", "", "", "", "", w] for w in result.warnings]
    rows += [["", "说明", "", "", "", "", n] for n in result.notes]
    write_table(
        book,
        formats,
        taken,
        "需关注",
        ["编号", "名称", "级别", "层级", "乡镇(街道)", "村(社区)", "说明"],
        rows,
        widths=[6, 22, 8, 9, 12, 12, 80],
        empty_note="没有需要关注的事项",
    )


def _chart_data(ws: Worksheet, formats: Formats, result: ReportResult) -> list[tuple[str, int, int, bool]]:
    """The counts and shares behind the three charts; returns (chart, first row, last row,
    has a baseline series) for each."""
    header = formats.header()
    ws.set_column(0, 0, 16)
    ws.set_column(1, 4, 11)
    has_baseline = result.baseline is not None
    mix = result.mix
    out = []
    row = 0
    print_setup(ws, None)
    for chart in ("年龄", "文化程度", "推荐方式"):
        part = mix[mix["chart"] == chart]
        label = {"年龄": "年龄段", "文化程度": "文化程度", "推荐方式": "推荐方式"}[chart]
        write_strings(ws, row, 0, [label, "基期人数", "本期人数", "基期占比(%)", "本期占比(%)"], header)
        first = row + 1
        now = part["current"].to_numpy(dtype="int64")
        then = part["baseline"].to_numpy(dtype="int64")
        now_pct = round_ratio(now, np.full(len(now), now.sum()), 100)
        then_pct = round_ratio(then, np.full(len(then), then.sum()), 100)
        for i, category in enumerate(part["category"]):
            r = first + i
            ws.write_string(r, 0, str(category))
            _number(ws, r, 1, int(then[i]) if has_baseline else None, formats.get(num_format=COUNT))
            ws.write_number(r, 2, int(now[i]), formats.get(num_format=COUNT))
            _number(ws, r, 3, then_pct[i] if has_baseline else None, formats.get(num_format=PCT))
            _number(ws, r, 4, now_pct[i], formats.get(num_format=PCT))
        out.append((chart, first, first + len(part) - 1, has_baseline))
        row = first + len(part) + 1
    return out


def _chart(book: xlsxwriter.Workbook, name: str, first: int, last: int, two: bool) -> Any:
    """A clustered column chart of shares, 基期 beside 本期, sized to a third of the page."""
    chart = book.add_chart({"type": "column"})
    sheet = quote_sheetname("图表数据")
    categories = f"={sheet}!{_abs(first, 0)}:{_abs(last, 0)}"
    series = [("基期", 3, "#A6A6A6"), ("本期", 4, "#2F5597")] if two else [("本期", 4, "#2F5597")]
    for label, col, colour in series:
        chart.add_series(
            {
                "name": label,
                "categories": categories,
                "values": f"={sheet}!{_abs(first, col)}:{_abs(last, col)}",
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    titles = {"年龄": "年龄分布（占比%）", "文化程度": "文化程度构成（占比%）", "推荐方式": "推荐方式构成（占比%）"}
    chart.set_title({"name": titles[name], "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": "0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart


def _rules_top(result: ReportResult) -> list[tuple[str, Any]]:
    def files(roster: Any) -> str:
        return "、".join(i.file for i in roster.inputs) if roster is not None else "（未给出）"

    params = result.parameters
    return [
        ("规则集", result.ruleset_name),
        ("版本", result.ruleset_version),
        ("SHA-256", result.ruleset_sha256),
        ("本期基准日", result.as_of),
        ("基期基准日", result.baseline_as_of),
        ("本期名册", files(result.current)),
        ("基期名册", files(result.baseline)),
        ("村(社区)名单", str(result.village_list.path) if result.village_list is not None else "（未给出）"),
        ("指标参数文件", str(params.source)),
        ("大专及以上", f"文化程度为{params.college_min_education}及以上（按文化程度词表的顺序）"),
        ("能力特长", "、".join(params.ability_tags)),
        ("一届任期", f"{params.term_years}年"),
        ("计算方法", "年龄为基准日的周岁；平均数和占比四舍五入保留两位小数；变化量由未舍入的数计算后再舍入"),
        ("类别", KIND_LABELS["indicator"]),
    ]


# ---------------------------------------------------------------- small helpers


def _verdict(formats: Formats, *, bad: bool) -> Format:
    if bad:
        return formats.get(bg_color=RED, font_color=BAD_FONT, bold=True, border=1)
    return formats.get(bg_color=GREEN, font_color=GOOD_FONT, bold=True, border=1)


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(ws: Worksheet, row: int, col: int, value: Any, fmt: Format) -> None:
    """A figure, or a blank cell (with the same border) where it cannot be computed."""
    if _nan(value):
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def _abs(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
