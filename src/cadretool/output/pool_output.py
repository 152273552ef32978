"""`pool` outputs (SPEC §8.1): the JSON contract and the workbook an organization department
brings to a 研判 meeting — 全县汇总, one sheet per township with one row per village (一村一分析),
成长阶梯, 双百培训, 培训记录, 人才库, 问题清单 and 规则. Every sheet prints A4 landscape, one page
wide, header rows repeated, page numbers in the footer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from cadretool.catalogue import SEVERITY_LABELS, built_in
from cadretool.output.job_json import findings_by_person, input_errors_json, rules_json
from cadretool.output.pension_json import parameters_json, side_inputs_json
from cadretool.output.pension_workbook import finding_texts
from cadretool.output.present import id_text, mask_in_text, person_head, person_ids, text_or_none
from cadretool.output.sheets import (
    WORKBOOK_OPTIONS,
    YELLOW,
    Formats,
    print_setup,
    ruleset_top,
    title_rows,
    unique_sheet_name,
    write_rules_sheet,
    write_strings,
    write_table,
)
from cadretool.output.tables import SCHEMA_VERSION
from cadretool.pool import COUNT_LABELS, COUNTS, RUNG_LABELS, PoolResult

VILLAGE_RULES = ("T01", "T02", "T03", "T08")
SHEETS = ("全县汇总", "成长阶梯", "双百培训", "培训记录", "人才库", "问题清单", "规则")
GROUP_LABELS = {"reserve": "后备人才", "cadre": "“两委”干部"}


# ---------------------------------------------------------------- JSON


def _count(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def _date(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _counts(row: Any) -> dict[str, Any]:
    return {name: int(row[name]) for name in COUNTS}


def pool_json(result: PoolResult, *, mask_ids: bool = False) -> dict[str, Any]:
    places = result.place_findings
    village_rows = places[(places["level"] == "village") & places["rule"].isin(VILLAGE_RULES)]
    by_village: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in village_rows.itertuples(index=False):
        by_village.setdefault((f.township, f.village), []).append(_place_finding_json(f, mask_ids, brief=True))
    villages = [
        {
            "township": r["township"],
            "village": r["village"],
            **_counts(r),
            "trained_3y": _count(r["trained_3y"]),
            "cadres": int(r["cadres"]),
            "in_village_list": bool(r["in_list"]),
            "findings": by_village.get((r["township"], r["village"]), []),
        }
        for r in result.villages.to_dict("records")
    ]
    townships = [
        {
            "township": r["township"],
            "villages": int(r["villages"]),
            **_counts(r),
            "trained_3y": _count(r["trained_3y"]),
            "cadres": int(r["cadres"]),
            "villages_short": int(r["villages_short"]),
            "villages_without_party_member": int(r["villages_without_party"]),
            "villages_without_young": int(r["villages_without_young"]),
        }
        for r in result.townships.to_dict("records")
    ]
    c = result.county
    county = {
        "villages": c["villages"],
        **{name: c[name] for name in COUNTS},
        "trained_3y": c["trained_3y"],
        "cadres": c["cadres"],
        "villages_short": c["villages_short"],
        "villages_without_party_member": c["villages_without_party"],
        "villages_without_young": c["villages_without_young"],
    }
    rest = places.drop(index=village_rows.index)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "pool",
        "as_of": result.as_of.isoformat(),
        "year": result.year,
        "rules": rules_json(result),
        "parameters": parameters_json(result.parameters),
        "inputs": side_inputs_json(result.roster.inputs, mask_ids),
        "roster_inputs": side_inputs_json(result.cadres.inputs, mask_ids) if result.cadres is not None else [],
        "training_inputs": side_inputs_json(result.training_inputs, mask_ids),
        "villages_file": str(result.village_list.path) if result.village_list is not None else None,
        "summary": result.summary(),
        "villages": villages,
        "townships": townships,
        "county": county,
        "ladder": [_ladder_json(e, mask_ids) for e in result.ladder],
        "training": _training_json(result, mask_ids),
        "training_records": [_record_json(r, mask_ids) for r in result.training_records],
        "people": _people_json(result, mask_ids),
        "findings": [_place_finding_json(f, mask_ids) for f in rest.itertuples(index=False)],
        "errors": input_errors_json(result.errors),
        "notes": list(result.notes),
        "warnings": list(result.warnings),
    }


def _place_finding_json(f: Any, mask_ids: bool, *, brief: bool = False) -> dict[str, Any]:
    message = mask_in_text(f.message) if mask_ids else f.message
    out = {"rule": f.rule, "severity": f.severity, "message": message, "basis": f.basis}
    if not brief:
        out = {"level": f.level, "township": f.township or None, "village": f.village or None, **out}
    return out


def _ladder_json(e: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    return {
        "rung": e["rung"],
        "id_number": id_text(e["id_number"], mask_ids) or None,
        "name": e["name"],
        "township": e["township"],
        "village": e["village"],
        "from": e["from"],
        "to": e["to"],
        "ready": e["ready"],
        "rank": e["rank"],
        "reasons": [{**r, "message": mask_in_text(r["message"]) if mask_ids else r["message"]} for r in e["reasons"]],
        "training": dict(e["training"]),
        "source": e["source"],
        "sheet": e["sheet"],
        "row": e["row"],
    }


def _who(result: PoolResult, group: str, person: int) -> pd.Series:
    frame = result.cadres.frame if group == "cadre" and result.cadres is not None else result.people
    return frame.loc[person]


def _untrained_json(result: PoolResult, u: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    row = _who(result, u["group"], u["person"])
    shown = row.get("id_number") if isinstance(row.get("id_number"), str) else row.get("id_text")
    return {
        "id_number": id_text(shown, mask_ids) or None,
        "name": text_or_none(row.get("name")),
        "township": text_or_none(row.get("township")),
        "village": text_or_none(row.get("village")),
        "group": u["group"],
        "last_completed": _date(u["last_completed"]),
        "reason": u["reason"],
        "source": str(row["_file"]),
        "sheet": str(row["_sheet"]),
        "row": int(row["_row"]),
    }


def _training_json(result: PoolResult, mask_ids: bool) -> dict[str, Any] | None:
    t = result.training
    if t is None:
        return None
    return {
        "year": t["year"],
        "reserve_trained": t["reserve_trained"],
        "cadre_trained": t["cadre_trained"],
        "targets": dict(t["targets"]),
        "courses_completed": t["courses_completed"],
        "hours_completed": t["hours_completed"],
        "records": t["records"],
        "unmatched_records": t["unmatched"],
        "untrained_years": list(t["years"]),
        "untrained_3y": [_untrained_json(result, u, mask_ids) for u in t["untrained_3y"]],
    }


def _record_json(r: dict[str, Any], mask_ids: bool) -> dict[str, Any]:
    return {
        "source": r["source"],
        "sheet": r["sheet"],
        "row": r["row"],
        "id_number": id_text(r["id_number"], mask_ids) or None,
        "id_as_written": id_text(r["id_as_written"], mask_ids) or None,
        "name": r["name"],
        "course": r["course"],
        "end": _date(r["end"]),
        "year": r["year"],
        "hours": r["hours"],
        "result": r["result"],
        "matched": r["matched"],
        "counted": r["counted"],
        "rule": r["rule"],
        "reason": mask_in_text(r["reason"]) if mask_ids and r["reason"] else r["reason"],
    }


def _people_json(result: PoolResult, mask_ids: bool) -> list[dict[str, Any]]:
    people = result.people
    by_person = findings_by_person(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    return [
        {
            **person_head(cols, ids, i),
            "level": text_or_none(cols["talent_level"][i]),
            "category": text_or_none(cols["talent_category"][i]),
            "age": _count(cols["age"][i]),
            "under_35": bool(cols["young"][i]),
            "college": bool(cols["college"][i]),
            "party_member": bool(cols["party"][i]),
            "woman": bool(cols["woman"][i]),
            "findings": by_person.get(int(person), []),
        }
        for i, person in enumerate(people.index)
    ]


# ---------------------------------------------------------------- workbook

VILLAGE_HEADERS = ["序号", "村(社区)", *COUNT_LABELS.values(), "近三年受训", "“两委”干部", "需研判的问题", "研判意见"]
VILLAGE_WIDTHS = [6, 16, 9, 9, 10, 9, 7, 10, 10, 46, 30]
SUMMARY_HEADERS = [
    "乡镇(街道)",
    "村(社区)数",
    *COUNT_LABELS.values(),
    "近三年受训",
    "“两委”干部",
    "后备不足的村",
    "无党员后备的村",
    "无年轻后备的村",
]
SUMMARY_WIDTHS = [16, 10, 9, 9, 10, 9, 7, 10, 10, 12, 13, 13]


def write_pool_workbook(path: Path, result: PoolResult, *, mask_ids: bool = False) -> None:
    book = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "constant_memory": False})
    try:
        formats = Formats(book)
        taken = {name.casefold() for name in SHEETS}
        _summary_sheet(book, formats, result)
        for town in result.townships.itertuples(index=False):
            _township_sheet(book, formats, taken, result, town)
        _ladder_sheet(book, formats, taken, result, mask_ids)
        _training_sheets(book, formats, taken, result, mask_ids)
        _people_sheet(book, formats, taken, result, mask_ids)
        _findings_sheet(book, formats, taken, result, mask_ids)
        top = ruleset_top(result, ("基准日", result.as_of), ("培训年度", str(result.year)))
        write_rules_sheet(book, formats, top, result.rules)
    finally:
        book.close()


def _subtitle(result: PoolResult) -> str:
    return f"基准日 {result.as_of}　规则集 {result.ruleset_name}（{result.ruleset_version}）"


def _summary_sheet(book: xlsxwriter.Workbook, formats: Formats, result: PoolResult) -> None:
    ws = book.add_worksheet("全县汇总")
    for col, w in enumerate(SUMMARY_WIDTHS):
        ws.set_column(col, col, w)
    title_rows(ws, formats, "三级青年人才信息库 一乡镇一研判", _subtitle(result), len(SUMMARY_HEADERS))
    write_strings(ws, 2, 0, SUMMARY_HEADERS, formats.header())
    print_setup(ws, (0, 2))
    ws.freeze_panes(3, 1)
    flag = formats.get(bg_color=YELLOW)
    row = 3
    for t in result.townships.to_dict("records"):
        _summary_row(ws, row, t["township"], t, flag)
        row += 1
    bold = formats.get(bold=True, top=1)
    _summary_row(ws, row, "全县", result.county, None, bold)
    row += 1
    county_only = result.county_only()
    if county_only:
        ws.write_string(row, 0, f"另有{county_only}名后备人才没有乡镇(街道)或为市级人才，只计入全县")
        row += 1
    row += 1
    training = result.training
    if training is None:
        ws.write_string(row, 0, "双百培训：未提供培训记录（--training）")
        return
    ws.write_string(row, 0, f"{training['year']}年“双百”培训", formats.get(bold=True))
    write_strings(ws, row + 1, 0, ["对象", "完成培训人数", "目标", "差额"], formats.header())
    for n, (label, done, target) in enumerate(
        (
            ("后备干部", training["reserve_trained"], training["targets"]["reserve"]),
            ("“两委”干部", training["cadre_trained"], training["targets"]["cadre"]),
        )
    ):
        ws.write_string(row + 2 + n, 0, label)
        ws.write_number(row + 2 + n, 1, done, flag if done < target else None)
        ws.write_number(row + 2 + n, 2, target)
        ws.write_number(row + 2 + n, 3, max(target - done, 0))
    years = training["years"]
    ws.write_string(
        row + 5, 0, f"{years[0]}–{years[1]}年没有完成培训的：{len(training['untrained_3y'])}人（见“双百培训”表）"
    )


def _summary_row(ws: Worksheet, row: int, name: str, t: dict[str, Any], flag: Any, fmt: Any = None) -> None:
    ws.write_string(row, 0, str(name), fmt)
    values = [t["villages"], *(t[c] for c in COUNTS), t["trained_3y"], t["cadres"]]
    for col, v in enumerate(values, start=1):
        if v is None:
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, int(v), fmt)
    for col, key in enumerate(("villages_short", "villages_without_party", "villages_without_young"), start=9):
        v = int(t[key])
        ws.write_number(row, col, v, flag if v and flag is not None else fmt)


def _township_sheet(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PoolResult, town: Any
) -> None:
    """一村一分析: one row per village of the township, the problems in words, a column for the meeting."""
    ws = book.add_worksheet(unique_sheet_name(str(town.township), taken))
    for col, w in enumerate(VILLAGE_WIDTHS):
        ws.set_column(col, col, w)
    title_rows(ws, formats, f"{town.township} 一村一分析", _subtitle(result), len(VILLAGE_HEADERS))
    write_strings(ws, 2, 0, VILLAGE_HEADERS, formats.header())
    print_setup(ws, (0, 2))
    ws.freeze_panes(3, 2)
    villages = result.villages[result.villages["t_key"] == town.t_key]
    wrap = formats.get(text_wrap=True, valign="top")
    flag = formats.get(bg_color=YELLOW, text_wrap=True, valign="top")
    minimum = next((p.value for p in result.parameters if p.name == "min_reserves_per_village"), None)
    row = 3
    for n, v in enumerate(villages.to_dict("records"), start=1):
        problems = "；".join(_rule_words(r, minimum) for r in v["rules"])
        fmt = flag if v["rules"] else None
        ws.write_number(row, 0, n)
        ws.write_string(row, 1, str(v["village"]), fmt)
        for col, name in enumerate([*COUNTS, "trained_3y", "cadres"], start=2):
            value = v[name]
            if value is None:
                ws.write_blank(row, col, None)
            else:
                ws.write_number(row, col, int(value), flag if name == "reserves" and "T01" in v["rules"] else None)
        if problems:
            ws.write_string(row, 9, problems, flag)
        ws.write_blank(row, 10, None, wrap)
        row += 1
    bold = formats.get(bold=True, top=1)
    ws.write_string(row, 1, "合计", bold)
    town_row = result.townships[result.townships["t_key"] == town.t_key].iloc[0]
    for col, name in enumerate([*COUNTS, "trained_3y", "cadres"], start=2):
        value = town_row[name]
        if value is None:
            ws.write_blank(row, col, None, bold)
        else:
            ws.write_number(row, col, int(value), bold)
    own = int(town_row["reserves"]) - int(villages["reserves"].sum())
    if own:
        ws.write_string(row + 1, 1, f"另有{own}名后备人才没有村(社区)或为乡级人才，只计入合计")


def _rule_words(rule: str, minimum: Any) -> str:
    if rule == "T01":
        return f"T01 后备人才少于{minimum}名"
    if rule == "T08":
        return "T08 有后备人才政治面貌或年龄不详，T02/T03无法判断（见问题清单）"
    return f"{rule} {built_in(rule).title}"


LADDER_HEADERS = [
    "序号",
    "阶梯",
    "排序",
    "姓名",
    "身份证号码",
    "乡镇(街道)",
    "村(社区)",
    "现为",
    "可任",
    "现在可进",
    "原因（条款）",
    "近三年培训(次)",
    "其中优秀",
    "学时",
    "来源",
]


def _ladder_sheet(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PoolResult, mask_ids: bool
) -> None:
    rows = [
        [
            n,
            RUNG_LABELS[e["rung"]],
            e["rank"],
            e["name"],
            id_text(e["id_number"], mask_ids),
            e["township"],
            e["village"],
            e["from"],
            e["to"],
            "是" if e["ready"] else "否",
            "；".join(
                f"{r['rule']} {r['title']}：{mask_in_text(r['message']) if mask_ids else r['message']}"
                for r in e["reasons"]
            ),
            e["training"]["courses"],
            e["training"]["excellent"],
            e["training"]["hours"],
            f"{Path(e['source']).name} {e['sheet']} 第{e['row']}行",
        ]
        for n, e in enumerate(result.ladder, start=1)
    ]
    write_table(
        book,
        formats,
        taken,
        "成长阶梯",
        LADDER_HEADERS,
        rows,
        widths=[6, 16, 6, 9, 21, 12, 12, 9, 9, 9, 60, 10, 9, 7, 28],
        empty_note="人才库和花名册中没有可列入成长阶梯的人",
    )


def _training_sheets(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PoolResult, mask_ids: bool
) -> None:
    training = result.training
    headers = ["序号", "对象", "姓名", "身份证号码", "乡镇(街道)", "村(社区)", "最近一次完成培训", "说明", "来源"]
    if training is None:
        write_table(
            book,
            formats,
            taken,
            "双百培训",
            headers,
            [],
            widths=[6, 10, 9, 21, 12, 12, 14, 30, 28],
            empty_note="未提供培训记录（--training）",
        )
        write_table(
            book, formats, taken, "培训记录", ["说明"], [], widths=[40], empty_note="未提供培训记录（--training）"
        )
        return
    rows = []
    for n, u in enumerate(training["untrained_3y"], start=1):
        j = _untrained_json(result, u, mask_ids)
        rows.append(
            [
                n,
                GROUP_LABELS[u["group"]],
                j["name"],
                j["id_number"],
                j["township"],
                j["village"],
                j["last_completed"] or "从未",
                j["reason"],
                f"{Path(j['source']).name} {j['sheet']} 第{j['row']}行",
            ]
        )
    ws = book.add_worksheet("双百培训")
    widths = [6, 10, 9, 21, 12, 12, 14, 30, 28]
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    years = training["years"]
    title_rows(ws, formats, f"{training['year']}年“双百”培训", _subtitle(result), len(headers))
    lines = [
        f"后备干部完成培训 {training['reserve_trained']} 人，目标 {training['targets']['reserve']} 人；"
        f"“两委”干部完成培训 {training['cadre_trained']} 人，目标 {training['targets']['cadre']} 人；"
        f"完成课程 {training['courses_completed']} 人次、{training['hours_completed']:g} 学时",
        f"{years[0]}–{years[1]}年没有完成培训的 {len(rows)} 人（按结束日期所在年计）：",
    ]
    for n, line in enumerate(lines):
        ws.write_string(2 + n, 0, line)
    write_strings(ws, 4, 0, headers, formats.header())
    print_setup(ws, (4, 4))
    ws.freeze_panes(5, 0)
    fast = formats.rows(ws)
    for r, values in enumerate(rows, start=5):
        fast.write(r, [(c, v, None) for c, v in enumerate(values) if v is not None and v != ""], ordered=True)
    record_rows = [
        [
            r["cited"],
            r["name"],
            id_text(r["id_as_written"] or r["id_number"], mask_ids),
            r["course"],
            r["end"],
            r["hours"],
            r["result"],
            "计入" if r["counted"] else "未计入",
            f"{r['rule']} {mask_in_text(r['reason']) if mask_ids else r['reason']}" if r["rule"] else r["reason"],
        ]
        for r in result.training_records
    ]
    write_table(
        book,
        formats,
        taken,
        "培训记录",
        ["来源", "姓名", "身份证号码", "培训项目", "结束日期", "学时", "结果", "是否计入", "说明"],
        record_rows,
        widths=[24, 9, 21, 30, 12, 7, 8, 9, 50],
        empty_note="培训记录中没有记录",
    )


def _people_sheet(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PoolResult, mask_ids: bool
) -> None:
    people = result.people
    texts = finding_texts(result.findings, mask_ids)
    ids = person_ids(people, mask_ids)
    cols = {c: people[c].to_numpy() for c in people.columns}
    rows = [
        [
            n + 1,
            cols["name"][n],
            ids[n],
            cols["township"][n],
            cols["village"][n],
            cols["talent_level"][n],
            cols["talent_category"][n],
            _count(cols["age"][n]),
            cols["education"][n],
            cols["political_status"][n],
            cols["gender"][n],
            texts.get(int(person)),
            f"{Path(cols['_file'][n]).name} {cols['_sheet'][n]} 第{cols['_row'][n]}行",
        ]
        for n, person in enumerate(people.index)
    ]
    write_table(
        book,
        formats,
        taken,
        "人才库",
        [
            "序号",
            "姓名",
            "身份证号码",
            "乡镇(街道)",
            "村(社区)",
            "人才层级",
            "人才类别",
            "年龄",
            "文化程度",
            "政治面貌",
            "性别",
            "需核实事项",
            "来源",
        ],
        rows,
        widths=[6, 9, 21, 12, 12, 9, 12, 6, 9, 12, 6, 50, 28],
        empty_note="人才库中没有人员",
    )


def _findings_sheet(
    book: xlsxwriter.Workbook, formats: Formats, taken: set[str], result: PoolResult, mask_ids: bool
) -> None:
    places = result.place_findings
    level_words = {"county": "全县", "township": "乡镇(街道)", "village": "村(社区)"}
    rows = [
        [
            f.rule,
            SEVERITY_LABELS.get(f.severity, f.severity),
            level_words.get(f.level, f.level),
            f.township or "",
            f.village or "",
            mask_in_text(f.message) if mask_ids else f.message,
            f.basis,
        ]
        for f in places.itertuples(index=False)
    ]
    write_table(
        book,
        formats,
        taken,
        "问题清单",
        ["编号", "级别", "层级", "乡镇(街道)", "村(社区)", "问题", "依据"],
        rows,
        widths=[7, 8, 10, 12, 12, 70, 40],
        empty_note="没有需研判的问题",
    )
