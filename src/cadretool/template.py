"""The blank roster template (SPEC §9): canonical headers, dropdown lists, text ID cells, instructions.

Everything comes from the rule set: the header of each column is its field's first header
in columns.yaml, a vocabulary column offers that vocabulary's values, and one 是/否 column
follows per negative-list item. A changed rule set therefore gives a changed template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from cadretool.catalogue import sources_of
from cadretool.roster.columns import FieldSpec
from cadretool.rules import expr as ex
from cadretool.rules.ruleset import Rule, RuleSet

TITLE = "XX乡镇(街道)村(社区)“两委”换届意向人选花名册"
SUBTITLE = "填报单位（盖章）：            填报时间：    年  月  日"
ROSTER_SHEET, NOTES_SHEET, VOCAB_SHEET = "花名册", "填表说明", "词表"
HEADER_ROW, FIRST_ROW, LAST_ROW = 2, 3, 1002  # 0-based: header on row 3, data rows 4..1003
LIST_LIMIT = 255  # Excel's limit on a literal dropdown list
INT_RANGES = {"pay_level": (1, 13), "pay_step": (1, 4)}
DATE_HINT = "填写如 1985.03 或 1985-03-12"
TYPE_NOTES = {
    "text": "文字",
    "id_number": "18位居民身份证号码，按文本填写（单元格已设为文本格式），末位X用大写",
    "date": f"日期，{DATE_HINT}（单元格已设为文本格式）",
    "number": "数字，不小于0，可带小数",
    "integer": "整数",
    "yes_no": "填“是”或“否”（下拉选择）",
}
GENERAL_NOTES = [
    "一人一行，不要合并单元格，不要插入小计行或空行；第1、2行的标题和填报单位可以修改，第3行表头不要改动。",
    "身份证号码必须以文本格式填写18位：不要写成数字（如5.22702E+17），否则后几位会丢失且无法恢复。",
    "日期写成 1985.03、1985-03-12 或 1985年3月；日期列已设为文本格式，1985.10 不会被Excel改成1985.1。",
    "带下拉箭头的列请从下拉列表中选择，不要自行改写。",
    "负面清单各列（从“{first}”到“{last}”）逐项填“是”或“否”：有此情形填“是”，核实没有填“否”，不要留空。",
    "现任职务：新进人选留空；出生年月、性别以身份证号码为准，请与身份证一致。",
    "不需要的列可以留空，但不要删除表头；需要补充的信息写在“备注”列。",
]


def write_template(path: Path, ruleset: RuleSet) -> None:
    """Write the blank roster template for `ruleset` to exactly `path`."""
    fields = [f for f in ruleset.columns.fields.values() if not f.name.startswith("flag_")]
    flags = [
        ruleset.columns.fields[f"flag_{r.id}"] for r in ruleset.negative if f"flag_{r.id}" in ruleset.columns.fields
    ]
    columns: list[FieldSpec | None] = [None, *fields, *flags, None]  # None: 序号 and 备注
    headers = ["序号", *(f.headers[0] for f in fields), *(f.label for f in flags), "备注"]
    book = xlsxwriter.Workbook(str(path))
    try:
        ws = book.add_worksheet(ROSTER_SHEET)
        notes = book.add_worksheet(NOTES_SHEET)
        header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "border": 1,
                "bg_color": "#DDEBF7",
                "align": "center",
                "valign": "vcenter",
            }
        )
        text = book.add_format({"num_format": "@"})
        last = len(headers) - 1
        title_format = book.add_format({"bold": True, "font_size": 16, "align": "center"})
        ws.merge_range(0, 0, 0, last, TITLE, title_format)
        ws.merge_range(1, 0, 1, last, SUBTITLE, book.add_format({"align": "left"}))
        ws.set_row(HEADER_ROW, 36)
        ws.freeze_panes(FIRST_ROW, 2)
        lists = _ListSource(book)
        for col, (title, spec) in enumerate(zip(headers, columns, strict=True)):
            ws.write(HEADER_ROW, col, title, header)
            kind = spec.type if spec else None
            width = max(6, min(24, 2 * len(title) + 2), {"id_number": 20, "date": 12}.get(kind or "", 0))
            ws.set_column(col, col, width, text if kind in ("id_number", "date") else None)
            options = _validation(spec, lists) if spec else None
            if options:
                ws.data_validation(FIRST_ROW, col, LAST_ROW, col, options)
        _write_notes(notes, book, ruleset, headers, columns)
    finally:
        book.close()


class _ListSource:
    """Dropdown sources: a literal list, or a range on the hidden 词表 sheet when too long."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._sheet: Worksheet | None = None
        self._ranges: dict[tuple[str, ...], str] = {}

    def source(self, values: list[str]) -> list[str] | str:
        if len(",".join(values)) <= LIST_LIMIT:
            return values
        key = tuple(values)
        if key not in self._ranges:
            if self._sheet is None:
                self._sheet = self._book.add_worksheet(VOCAB_SHEET)
                self._sheet.hide()
            col = len(self._ranges)
            self._sheet.write_column(0, col, values)
            first = xl_rowcol_to_cell(0, col, row_abs=True, col_abs=True)
            end = xl_rowcol_to_cell(len(values) - 1, col, row_abs=True, col_abs=True)
            self._ranges[key] = f"={quote_sheetname(VOCAB_SHEET)}!{first}:{end}"
        return self._ranges[key]


def _validation(spec: FieldSpec, lists: _ListSource) -> dict[str, Any] | None:
    """The data validation options for one field's column (None for free text)."""
    if spec.type == "vocab" and spec.vocabulary is not None:
        return {
            "validate": "list",
            "source": lists.source(spec.vocabulary.values),
            "error_message": "请从下拉列表中选择",
        }
    if spec.type == "yes_no":
        return {"validate": "list", "source": ["是", "否"], "error_message": "请填“是”或“否”"}
    if spec.type == "integer":
        low, high = INT_RANGES.get(spec.name, (0, 999))
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_message": f"请填写{low}到{high}之间的整数",
        }
    if spec.type == "number":
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": "请填写不小于0的数字"}
    if spec.type == "id_number":
        return {
            "validate": "length",
            "criteria": "==",
            "value": 18,
            "input_title": "身份证号码",
            "input_message": "按文本填写18位号码（本列已设为文本格式），不要写成数字，末位X用大写",
            "error_message": "身份证号码应为18位",
        }
    if spec.type == "date":
        return {"validate": "any", "input_title": "日期", "input_message": DATE_HINT}
    return None


def _requirement(spec: FieldSpec | None, titles: dict[str, str]) -> str:
    """The 填写要求 text for one column."""
    if spec is None:
        return "可不填"
    if spec.name in titles:
        return f"负面清单（{titles[spec.name]}）：有此情形填“是”，核实没有填“否”"
    if spec.type == "vocab" and spec.vocabulary is not None:
        return "从下拉列表选择：" + "、".join(spec.vocabulary.values)
    if spec.type == "integer" and spec.name in INT_RANGES:
        return "整数，{}～{}".format(*INT_RANGES[spec.name])
    return TYPE_NOTES.get(spec.type, "")


def _rule_fields(rule: Rule) -> set[str]:
    """The roster fields a rule reads: its expressions, derived values, posts and villages."""
    names: set[str] = set()
    for node in (rule.when, rule.condition, rule.roster_record.get("flag")):
        if node is not None:
            names.update(ex.names_in(node))
    for name in list(names):
        names.update(sources_of(name))
    names.update(v for k, v in rule.roster_record.items() if k in ("date", "type") and v)
    if rule.applies_to != ["everyone"]:
        names.add("proposed_post")
    if rule.kind == "slate":
        names.update(("township", "village"))
    if rule.kind == "negative":
        names.add(f"flag_{rule.id}")
    return names


def _write_notes(
    ws: Worksheet, book: xlsxwriter.Workbook, ruleset: RuleSet, headers: list[str], columns: list[FieldSpec | None]
) -> None:
    """The 填表说明 sheet: one row per column, then the general notes."""
    header = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "valign": "vcenter"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 30)
    ws.write_row(0, 0, ["列名", "填写要求", "用于哪些规则"], header)
    used = {rule.id: _rule_fields(rule) for rule in ruleset.all_rules}
    titles = {f"flag_{rule.id}": rule.title for rule in ruleset.negative}
    for row, (title, spec) in enumerate(zip(headers, columns, strict=True), start=1):
        rules = [rid for rid, names in used.items() if spec is not None and spec.name in names]
        ws.write_row(row, 0, [title, _requirement(spec, titles), "、".join(rules)], wrap)
    row = len(headers) + 2
    ws.write(row, 0, "填表注意事项", header)
    labels = [rule.label for rule in ruleset.negative] or [""]
    for i, note in enumerate(GENERAL_NOTES, start=1):
        ws.write(row + i, 0, f"{i}.")
        ws.write(row + i, 1, note.format(first=labels[0], last=labels[-1]), wrap)
