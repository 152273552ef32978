"""The annotated workbook a clerk opens after `vet`, and the safe-output helpers behind it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from cadretool.errors import CadreToolError
from cadretool.output import workbook
from cadretool.output.present import order_findings
from cadretool.output.safety import (
    atomic_output,
    csv_safe,
    default_output_path,
    ensure_not_input,
    is_formula_like,
    unique_output_path,
)
from cadretool.output.workbook import write_vet_workbook
from cadretool.results import RuleInfo, VetResult
from cadretool.roster.readers import RawSheet
from cadretool.roster.table import ColumnInfo, InputInfo, Roster, SheetInfo

AS_OF = dt.date(2026, 12, 31)
SHA = "3f2a9c" + "0" * 58
TITLE = "某县2026年村（社区）“两委”换届候选人花名册"

# 花名册 of the first file: a title row, the header on row 2, three people, a footer.
ROSTER_ROWS = [
    [TITLE, "", "", "", "", "", ""],
    ["序号", "乡镇", "村(社区)", "姓名", "身份证号码", "出生年月", "政治面貌"],
    [1, "城关镇", "东村", "张三", "110101199003071234", dt.date(1990, 3, 7), "群众"],
    [2, "城关镇", "西村", "=1+2", "110101198501011235", dt.date(1985, 1, 1), "中共党员"],
    [3, "河口乡", "南村", "李四", "12345", "1980.05", "中共党员"],
    ["填表人：王五", "", "", "", "", "", ""],
]
ROSTER_FIELDS = [None, "township", "village", "name", "id_number", "birth_date", "political_status"]

# 花名册 of a second file: the same sheet name, a two-row header.
SECOND_ROWS = [
    ["基本情况", "", "", "", "政治情况"],
    ["乡镇", "村(社区)", "姓名", "身份证号码", "政治面貌"],
    ["河口乡", "北村", "赵六", "110101197001011236", "中共党员"],
]
SECOND_FIELDS = ["township", "village", "name", "id_number", "political_status"]
FIRST, SECOND = "城关镇-花名册", "河口乡-花名册"  # the two sheets as the combined workbook names them


def _sheet(
    path: Path, rows: list[list[object]], fields: list[str | None], header_row: int, header_rows: int
) -> SheetInfo:
    headers = rows[header_row - 1 + header_rows - 1]
    columns = [ColumnInfo(i, str(h), f) for i, (h, f) in enumerate(zip(headers, fields, strict=True))]
    return SheetInfo(
        str(path), path, "花名册", header_row, header_rows, columns, raw=RawSheet("花名册", [list(r) for r in rows])
    )


def make_result(tmp_path: Path, *, unmatched: bool = True) -> VetResult:
    first, second = tmp_path / "城关镇.xlsx", tmp_path / "河口乡.xlsx"
    sheets = [_sheet(first, ROSTER_ROWS, ROSTER_FIELDS, 2, 1), _sheet(second, SECOND_ROWS, SECOND_FIELDS, 1, 2)]
    inputs = [
        InputInfo(first, str(first), "xlsx", None, [sheets[0]]),
        InputInfo(second, str(second), "xlsx", None, [sheets[1]]),
    ]
    people = pd.DataFrame(
        {
            "_file": [str(first)] * 3 + [str(second)],
            "_sheet": ["花名册"] * 4,
            "_row": [3, 4, 5, 3],
            "_sheet_no": [0, 0, 0, 1],
            "name": ["张三", "=1+2", "李四", "赵六"],
            "id_number": ["110101199003071234", "110101198501011235", None, "110101197001011236"],
            # the number as written, kept by the reader for a number that is not valid
            "id_text": ["110101199003071234", "110101198501011235", "12345", "110101197001011236"],
            "township": ["城关镇", "城关镇", "河口乡", "河口乡"],
            "village": ["东村", "西村", "南村", "北村"],
            "status": ["ineligible", "eligible", "review", "eligible"],
        }
    )
    findings = pd.DataFrame(
        {
            "person": [0, 0, 0, 2, 3],
            "rule": ["Q06", "Q10", "N03", "D01", "D08"],
            "severity": ["disqualify", "review", "disqualify", "review", "info"],
            "message": [
                "政治面貌为“群众”，不是中共党员",
                "未填写是否签订承诺书",
                "党纪处分影响期未满",
                "身份证号码 12*45 位数不对",
                "15位身份证号码已转换为18位",
            ],
            "fields": [("political_status",), ("pledge",), (), ("id_number",), ("id_number",)],
            "basis": ["《中国共产党农村基层组织工作条例》第十八条", "县换届工作方案", "《纪律处分条例》", "", ""],
        }
    )
    groups = pd.DataFrame(
        {
            "township": ["河口乡"],
            "village": ["南村"],
            "rule": ["G01"],
            "severity": ["review"],
            "message": ["没有35岁以下的候选人"],
            "basis": [""],
        }
    )
    rules = [
        RuleInfo(
            "Q06",
            "中共正式党员",
            "qualification",
            "disqualify",
            "党组织职务",
            "political_status == '中共党员'",
            "《条例》第十八条",
        ),
        RuleInfo("Q10", "签订换届纪律承诺书", "qualification", "review", "全体", "pledge == true", "县方案"),
        RuleInfo(
            "N03",
            "党纪政务处分影响期内",
            "negative",
            "disqualify",
            "全体",
            "in_period(sanction)",
            "《纪律处分条例》",
            {"party_warning_months": 12, "since": dt.date(2021, 1, 1)},
        ),
        RuleInfo(
            "G01",
            "至少一名35岁以下候选人",
            "slate",
            "review",
            "每村",
            "count(age < 35) >= 1",
            "县方案",
            {"young_age": 35},
        ),
    ]
    evidence = (
        [
            {
                "source": str(tmp_path / "县纪委.xlsx"),
                "sheet": "Sheet1",
                "row": 5,
                "id_number": "110101199912311239",
                "name": "钱七",
                "item": "N01",
                "reason": "花名册中没有此身份证号码",
                "note": "2020年判处有期徒刑",
            }
        ]
        if unmatched
        else []
    )
    return VetResult(
        Roster(people, inputs, pd.DataFrame(), []),
        people,
        order_findings(findings, [r.id for r in rules]),  # the job's one finding order
        groups,
        evidence,
        [],
        rules,
        "默认规则",
        "2026.1",
        SHA,
        AS_OF,
    )


def _fill(cell: openpyxl.cell.Cell) -> str:
    """The cell's solid fill colour as RRGGBB ('' when none)."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return ""
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def _values(ws: openpyxl.worksheet.worksheet.Worksheet, columns: int) -> list[list[object]]:
    return [[("" if v is None else v) for v in row[:columns]] for row in ws.iter_rows(values_only=True)]


def _as_read(rows: list[list[object]]) -> list[list[object]]:
    """The original grid as openpyxl gives it back: dates as datetimes."""

    def back(v: object) -> object:
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime.combine(v, dt.time())
        return v

    return [[back(v) for v in row] for row in rows]


@pytest.fixture
def book(tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "结果.xlsx"
    write_vet_workbook(out, make_result(tmp_path))
    return openpyxl.load_workbook(out)


def test_sheets_in_order_and_named_after_their_files(book: openpyxl.Workbook) -> None:
    # two files' sheets called 花名册: each named after its file
    assert book.sheetnames == [FIRST, SECOND, "汇总", "数据问题", "审查明细", "未匹配联审记录", "规则"]


def test_original_rows_and_values_unchanged(book: openpyxl.Workbook) -> None:
    ws = book[FIRST]
    assert ws["A1"].value == TITLE
    assert _values(ws, 7) == _as_read(ROSTER_ROWS)
    assert isinstance(ws["F3"].value, dt.datetime) and ws["F3"].number_format == "yyyy-mm-dd"
    assert ws["A3"].value == 1 and ws["A3"].data_type == "n"
    assert _values(book[SECOND], 5) == SECOND_ROWS


def test_formula_like_name_stays_text(book: openpyxl.Workbook) -> None:
    cell = book[FIRST]["D4"]
    assert cell.value == "=1+2"
    assert cell.data_type == "s"


def test_verdict_columns(book: openpyxl.Workbook) -> None:
    ws = book[FIRST]
    assert [ws.cell(2, c).value for c in (8, 9, 10)] == ["审查结论", "不符合条款", "需核实事项"]
    assert [ws.cell(3, c).value for c in (8, 9)] == ["不合格", "Q06；N03"]
    assert ws.cell(3, 10).value == "Q10 未填写是否签订承诺书"
    assert ws.cell(4, 8).value == "合格" and ws.cell(4, 9).value is None
    assert ws.cell(5, 8).value == "待核实" and ws.cell(5, 10).value.startswith("D01 ")
    assert [ws.cell(6, c).value for c in (8, 9, 10)] == [None, None, None]  # the footer is nobody
    assert ws.freeze_panes == "A3"
    # two-row header: the verdict headers sit in the second header row
    second = book[SECOND]
    assert [second.cell(2, c).value for c in (6, 7, 8)] == ["审查结论", "不符合条款", "需核实事项"]
    assert second.cell(3, 6).value == "合格" and second.cell(3, 8).value.startswith("D08 ")
    assert second.freeze_panes == "A3"


def test_failing_cells_filled_and_explained(book: openpyxl.Workbook) -> None:
    ws = book[FIRST]
    assert _fill(ws["G3"]) == "FFC7CE"  # 政治面貌 of the 群众 candidate
    assert "Q06" in ws["G3"].comment.text
    assert _fill(ws["E5"]) == "FFEB9C"  # the invalid ID number
    assert _fill(ws["G4"]) == ""
    assert "党纪处分影响期未满" in ws["I3"].comment.text  # why 不符合条款 says N03
    assert [_fill(ws.cell(r, 8)) for r in (3, 4, 5)] == ["FFC7CE", "C6EFCE", "FFEB9C"]


def test_ids_whole_unless_masked(tmp_path: Path, book: openpyxl.Workbook) -> None:
    assert book[FIRST]["E3"].value == "110101199003071234"
    out = tmp_path / "masked.xlsx"
    write_vet_workbook(out, make_result(tmp_path), mask_ids=True)
    masked = openpyxl.load_workbook(out)
    assert masked[FIRST]["E3"].value == "110101********1234"
    assert masked[FIRST]["E5"].value == "12*45"
    assert masked[SECOND]["D3"].value == "110101********1236"
    ids = [row[4] for row in masked["审查明细"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["110101********1234"] * 3 + ["12*45", "110101********1236"]
    assert masked["未匹配联审记录"]["D2"].value == "110101********1239"
    assert masked[FIRST]["D4"].value == "=1+2"  # masking touches only the ID column


def test_summary_counts_and_chart(book: openpyxl.Workbook) -> None:
    ws = book["汇总"]
    assert ws._charts
    rows = [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
    assert ["合计", 4, 2, 1, 1] in rows
    assert ["城关镇", 2, 1, 0, 1] in rows and ["河口乡", 2, 1, 1, 0] in rows
    assert ["城关镇", "东村", 1, 0, 0, 1] in rows and ["河口乡", "南村", 1, 0, 1, 0] in rows
    assert ["Q06", "中共正式党员", 1] in rows and ["G01", "至少一名35岁以下候选人", 0, 1] in rows
    assert ["D01", "身份证号码无效", 1] in rows  # a data problem not in the rule list still counted


def test_data_problems_and_details(book: openpyxl.Workbook) -> None:
    problems = list(book["数据问题"].iter_rows(values_only=True))
    assert problems[0] == ("文件", "工作表", "行号", "姓名", "身份证号码", "问题编号", "级别", "说明")
    assert [(r[0], r[2], r[3], r[4], r[5], r[6]) for r in problems[1:]] == [
        ("城关镇.xlsx", 5, "李四", "12345", "D01", "需核实"),
        ("河口乡.xlsx", 3, "赵六", "110101197001011236", "D08", "提示"),
    ]
    details = list(book["审查明细"].iter_rows(values_only=True))
    assert details[0][-1] == "依据"
    assert [(r[2], r[5], r[6]) for r in details[1:]] == [
        (3, "Q06", "不符合"),
        (3, "N03", "不符合"),
        (3, "Q10", "需核实"),
        (5, "D01", "需核实"),
        (3, "D08", "提示"),
    ]
    assert details[1][8] == "《中国共产党农村基层组织工作条例》第十八条"


def test_unmatched_evidence_listed(tmp_path: Path, book: openpyxl.Workbook) -> None:
    rows = list(book["未匹配联审记录"].iter_rows(values_only=True))
    assert rows[0] == ("来源文件", "工作表", "行号", "身份证号码", "姓名", "清单项目", "原因", "说明")
    assert rows[1] == (
        "县纪委.xlsx",
        "Sheet1",
        5,
        "110101199912311239",
        "钱七",
        "N01",
        "花名册中没有此身份证号码",
        "2020年判处有期徒刑",
    )
    out = tmp_path / "none.xlsx"
    write_vet_workbook(out, make_result(tmp_path, unmatched=False))
    empty = openpyxl.load_workbook(out)["未匹配联审记录"]
    assert empty["A2"].value == "无" and empty.max_row == 2


def test_rules_sheet(book: openpyxl.Workbook) -> None:
    ws = book["规则"]
    top = {row[0]: row[1] for row in ws.iter_rows(max_row=4, values_only=True)}
    assert top["SHA-256"] == SHA
    assert top["审查基准日"] == dt.datetime(2026, 12, 31)
    assert top["规则集"] == "默认规则" and top["版本"] == "2026.1"
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert rows[0] == ("编号", "名称", "类别", "适用对象", "条件", "级别", "依据", "参数")
    assert rows[3][:3] == ("N03", "党纪政务处分影响期内", "负面清单")
    assert rows[3][5] == "不符合"
    assert rows[3][7] == "party_warning_months=12; since=2021-01-01"


def test_long_sheet_continues_on_next_sheet_with_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 4)
    result = make_result(tmp_path)
    out = tmp_path / "split.xlsx"
    write_vet_workbook(out, result)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == [FIRST, f"{FIRST} (2)", SECOND]
    first, rest = book[FIRST], book[f"{FIRST} (2)"]
    assert _values(first, 7) == _as_read(ROSTER_ROWS[:4])
    assert _values(rest, 7) == _as_read([ROSTER_ROWS[1], *ROSTER_ROWS[4:]])
    assert rest.cell(1, 8).value == "审查结论" and rest.cell(2, 8).value == "待核实"
    assert rest.freeze_panes == "A2"
    assert book[SECOND]["C3"].value == "赵六"


def test_long_sheet_names_and_forbidden_characters(tmp_path: Path) -> None:
    result = make_result(tmp_path)
    result.roster.sheets[0].name = "城关镇/东村:[2026]*候选人?名单" + "很长" * 10
    result.roster.sheets[1].name = "汇总"  # a clerk's own sheet may share a report sheet's name
    out = tmp_path / "names.xlsx"
    write_vet_workbook(out, result)
    names = openpyxl.load_workbook(out).sheetnames
    assert names[0] == "城关镇_东村__2026__候选人_名单很长很长很长很长很长很"  # 31 characters, none forbidden
    assert names[1] == "河口乡-汇总" and names[2] == "汇总"


# ---------------------------------------------------------------- safety helpers


def test_formula_like_text_is_quoted_for_csv() -> None:
    assert [is_formula_like(v) for v in ("=1+2", "+86", "-5", "@SUM(A1)", "\tx", "张三", -5, 3.0)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert csv_safe("=cmd()") == "'=cmd()"
    assert csv_safe(-5) == -5 and csv_safe("张三") == "张三"


def test_atomic_output_leaves_nothing_when_writer_fails(tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    with pytest.raises(RuntimeError), atomic_output(out) as temp:
        assert temp.parent == tmp_path and temp.suffix == ".xlsx"
        temp.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_keeps_old_file_on_failure_and_replaces_on_success(tmp_path: Path) -> None:
    out = tmp_path / "结果.csv"
    out.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_output(out) as temp:
        temp.write_text("partial")
        raise KeyboardInterrupt
    assert out.read_text() == "old"
    with atomic_output(out) as temp:
        temp.write_text("new")
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["结果.csv"]


def test_workbook_written_through_atomic_output(tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    with atomic_output(out) as temp:
        write_vet_workbook(temp, make_result(tmp_path))
    assert openpyxl.load_workbook(out)[FIRST]["A1"].value == TITLE
    assert [p.name for p in tmp_path.iterdir()] == ["结果.xlsx"]


def test_output_names_are_numbered_not_overwritten(tmp_path: Path) -> None:
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(b"x")
    first = default_output_path(roster)
    assert first == tmp_path / "花名册_审查结果.xlsx"
    first.write_bytes(b"x")
    assert default_output_path(roster) == tmp_path / "花名册_审查结果(2).xlsx"
    (tmp_path / "花名册_审查结果(2).xlsx").write_bytes(b"x")
    assert unique_output_path(first) == tmp_path / "花名册_审查结果(3).xlsx"
    assert default_output_path(roster, ext=".csv") == tmp_path / "花名册_审查结果.csv"


def test_output_may_not_be_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CadreToolError, match="输出文件不能与输入文件相同"):
        ensure_not_input(Path("花名册.xlsx"), [roster])
    ensure_not_input(tmp_path / "结果.xlsx", [roster])


def test_sheets_without_a_roster_header_come_back_unchanged(tmp_path: Path) -> None:
    """An instructions sheet in the clerk's workbook is not a roster, but it is not dropped either."""
    import xlsxwriter as xw

    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    source = tmp_path / "花名册.xlsx"
    wb = xw.Workbook(str(source))
    info = wb.add_worksheet("填表说明")
    info.write_string(0, 0, "填表说明：身份证号码请填写18位，如522702198503120114")
    roster = wb.add_worksheet("龙昌镇")
    for c, h in enumerate(["姓名", "身份证号码"]):
        roster.write_string(0, c, h)
    roster.write_string(1, 0, "张三")
    roster.write_string(1, 1, "522702198503120114")
    wb.close()
    result = vet([source], load_ruleset())
    out = tmp_path / "out.xlsx"
    write_vet_workbook(out, result, mask_ids=True)
    book = openpyxl.load_workbook(out)
    assert "填表说明" in book.sheetnames
    text = book["填表说明"]["A1"].value
    assert text.startswith("填表说明：身份证号码请填写18位") and "522702198503120114" not in text


def test_awkward_text_survives_the_fast_row_writer(tmp_path: Path) -> None:
    """XML specials, control characters, Excel's own _xHHHH_ escapes and edge spaces round-trip."""
    import xlsxwriter as xw

    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    awkward = ["A&B<C>\"'", "x\x01y", "_x0041_", "  前后空格  ", "=SUM(A1:A2)", "-5", "@user", "\t制表"]
    source = tmp_path / "花名册.xlsx"
    wb = xw.Workbook(str(source), {"strings_to_formulas": False})
    ws = wb.add_worksheet("s")
    for c, h in enumerate(["姓名", "身份证号码", "备注"]):
        ws.write_string(0, c, h)
    for r, text in enumerate(awkward, start=1):
        ws.write_string(r, 0, f"人{r}")
        ws.write_string(r, 2, text)
    wb.close()
    result = vet([source], load_ruleset())
    out = tmp_path / "out.xlsx"
    write_vet_workbook(out, result)
    from python_calamine import CalamineWorkbook

    # calamine decodes Excel's _xHHHH_ escapes as Excel does (openpyxl does not, for inline strings)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("s").to_python()
    assert [row[2] for row in rows[1 : 1 + len(awkward)]] == awkward
    sheet = openpyxl.load_workbook(out)["s"]
    assert all(sheet.cell(row=r, column=3).data_type == "s" for r in range(2, 2 + len(awkward)))


def test_merged_cells_come_back(tmp_path: Path) -> None:
    """A merged title, a two-row merged header and a township merged down over its people."""
    import badfiles

    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    source = badfiles.write_two_row_header_xlsx(tmp_path / "两行表头.xlsx")
    clerk = openpyxl.load_workbook(source)
    sheet = clerk["花名册"]
    township = badfiles.HEADERS.index("乡镇(街道)") + 1
    sheet.merge_cells(start_row=4, start_column=township, end_row=6, end_column=township)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(badfiles.HEADERS))
    clerk.save(source)
    original = {str(r) for r in openpyxl.load_workbook(source)["花名册"].merged_cells.ranges}
    assert len(original) > 10

    out = tmp_path / "out.xlsx"
    write_vet_workbook(out, vet([source], load_ruleset()))
    written = openpyxl.load_workbook(out)["花名册"]
    assert {str(r) for r in written.merged_cells.ranges} == original
    assert written.cell(4, township).value == "城关镇"  # the township stays in the range's first cell


# ---------------------------------------------------------------- the clerk's own formatting (§4.4)

CLERK_HEADERS = ["序号", "姓名", "性别", "身份证号码", "出生年月", "政治面貌", "拟任职务", "在村居住年限"]
CLERK_HEADERS += ["是否签订承诺书", "联系电话", "备注"]


def _png(width: int = 40, height: int = 20) -> bytes:
    """A small red PNG (a scanned seal, say), made without an imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixels = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


def _clerk_roster(path: Path) -> Path:
    """A roster as a township clerk formats it: title font, header fill and borders, text IDs, yyyy.mm
    dates, 0.00 numbers, a struck-through withdrawn candidate, comments, dropdowns, a seal picture,
    widths, a tall row, a hidden row and column, frozen panes and a filter."""
    import io

    import xlsxwriter as xw
    from ids import make_id

    wb = xw.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    title = wb.add_format({"bold": True, "font_size": 16, "font_name": "方正小标宋简体", "align": "center"})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "font_name": "宋体"})
    cell = wb.add_format({"border": 1, "font_name": "宋体", "font_size": 10})
    text = wb.add_format({"border": 1, "num_format": "@"})
    year_month = wb.add_format({"border": 1, "num_format": "yyyy.mm", "font_name": "宋体"})
    two = wb.add_format({"border": 1, "num_format": "0.00"})
    struck = wb.add_format({"border": 1, "font_strikeout": True, "font_color": "#FF0000"})
    ws.merge_range(0, 0, 0, len(CLERK_HEADERS) - 1, "城关镇村(社区)“两委”换届意向人选花名册", title)
    ws.set_row(0, 30)
    for c, h in enumerate(CLERK_HEADERS):
        ws.write_string(2, c, h, head)
    ws.write_comment(2, 3, "填写说明：身份证号码填18位", {"author": "王文书"})
    people = [
        ("张三", "男", make_id("19850312", 1), dt.datetime(1985, 3, 1), "中共党员", "书记", 10, ""),
        ("李四", "男", make_id("19900102", 3), dt.datetime(1990, 1, 1), "群众", "书记", 1.5, ""),
        ("王五", "女", make_id("19880808", 2), dt.datetime(1988, 8, 1), "中共党员", "委员", 3, "已退出"),
        ("赵六", "女", make_id("19600202", 4), dt.datetime(1960, 2, 1), "中共党员", "委员", 5, ""),
    ]
    for i, (name, gender, number, born, party, post, years, note) in enumerate(people):
        r = 3 + i
        fmt = struck if note else cell
        ws.write_number(r, 0, i + 1, fmt)
        for c, value in ((1, name), (2, gender), (5, party), (6, post), (8, "是"), (9, f"1380000000{i}"), (10, note)):
            ws.write_string(r, c, value, fmt)
        ws.write_string(r, 3, number, text)
        ws.write_datetime(r, 4, born, year_month)
        ws.write_number(r, 7, years, two)
    ws.write_comment(4, 5, "本人称已递交入党申请书", {"author": "王文书"})
    ws.set_row(4, 24)
    ws.set_row(6, None, None, {"hidden": True})
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 9)
    ws.set_column(3, 3, 21)
    ws.set_column(9, 9, 14, None, {"hidden": True})
    ws.data_validation(3, 5, 200, 5, {"validate": "list", "source": ["中共党员", "中共预备党员", "群众"]})
    ws.data_validation(
        3, 8, 200, 8, {"validate": "list", "source": ["是", "否"], "input_title": "承诺书", "input_message": "签了填是"}
    )
    ws.data_validation(3, 7, 200, 7, {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 80})
    ws.freeze_panes(3, 2)
    ws.autofilter(2, 0, 6, len(CLERK_HEADERS) - 1)
    ws.insert_image(0, 10, "公章.png", {"image_data": io.BytesIO(_png()), "x_scale": 2, "y_scale": 2})
    wb.close()
    return path


def _vet_and_write(tmp_path: Path, source: Path, **options: object) -> Path:
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    out = tmp_path / "out.xlsx"
    write_vet_workbook(out, vet([source], load_ruleset()), **options)  # type: ignore[arg-type]
    return out


@pytest.fixture
def clerk(tmp_path: Path) -> tuple[openpyxl.Workbook, openpyxl.Workbook, Path]:
    """(the clerk's workbook, the annotated one, its path)."""
    source = _clerk_roster(tmp_path / "城关镇.xlsx")
    out = _vet_and_write(tmp_path, source)
    return openpyxl.load_workbook(source), openpyxl.load_workbook(out), out


def test_the_clerks_cell_formats_come_back(clerk: tuple[openpyxl.Workbook, openpyxl.Workbook, Path]) -> None:
    original, written, _ = clerk
    before, after = original["花名册"], written["花名册"]
    for coord in ["A1", "D3", "A4", "D4", "E4", "H5", "B6", "K6", "E7"]:
        a, b = before[coord], after[coord]
        assert b.value == a.value, coord
        assert b.number_format == a.number_format, coord
        assert (b.font.name, b.font.sz, b.font.b, b.font.strike) == (a.font.name, a.font.sz, a.font.b, a.font.strike)
        assert b.border.left.style == a.border.left.style, coord
        assert b.alignment.horizontal == a.alignment.horizontal, coord
    assert after["D4"].number_format == "@" and after["E4"].number_format == "yyyy.mm"
    assert after["H5"].number_format == "0.00" and after["H5"].value == 1.5
    assert after["B6"].font.strike and after["K6"].font.strike  # the withdrawn candidate stays struck through
    assert after["B6"].font.color.rgb == "FFFF0000"
    assert _fill(after["D3"]) == "D9E1F2" and after["A1"].font.name == "方正小标宋简体" and after["A1"].font.sz == 16


def test_failing_cells_are_filled_over_the_clerks_format(
    clerk: tuple[openpyxl.Workbook, openpyxl.Workbook, Path],
) -> None:
    ws = clerk[1]["花名册"]
    party = ws["F5"]  # 群众 proposed as 书记: Q06
    assert _fill(party) == "FFC7CE" and party.border.left.style == "thin" and party.font.name == "宋体"
    born = ws["E7"]  # born 1960: over 60 (Q02), the date keeps its yyyy.mm display
    assert _fill(born) == "FFC7CE" and born.number_format == "yyyy.mm" and born.border.left.style == "thin"
    assert _fill(ws["F4"]) == ""


def test_the_clerks_comments_stay_and_explanations_are_added(
    clerk: tuple[openpyxl.Workbook, openpyxl.Workbook, Path],
) -> None:
    ws = clerk[1]["花名册"]
    assert ws["D3"].comment.text == "填写说明：身份证号码填18位" and ws["D3"].comment.author == "王文书"
    text = ws["F5"].comment.text
    assert text.startswith("原批注：本人称已递交入党申请书\n—— cadretool ——\n【不符合】Q06")


def test_the_clerks_sheet_layout_comes_back(clerk: tuple[openpyxl.Workbook, openpyxl.Workbook, Path]) -> None:
    original, written, _ = clerk
    before, after = original["花名册"], written["花名册"]
    for letter in "ABDJ":
        assert after.column_dimensions[letter].width == before.column_dimensions[letter].width, letter
    assert after.column_dimensions["J"].hidden
    assert after.row_dimensions[1].height == 30 and after.row_dimensions[5].height == 24
    assert after.row_dimensions[7].hidden
    assert after.freeze_panes == "C4"
    assert {str(r) for r in after.merged_cells.ranges} == {"A1:K1"}
    assert after.auto_filter.ref == "A3:N7"  # the clerk's filter, widened over the verdict columns
    assert [after.cell(3, c).value for c in (12, 13, 14)] == ["审查结论", "不符合条款", "需核实事项"]


def test_masked_ids_stay_masked_in_the_clerks_comments(tmp_path: Path) -> None:
    import xlsxwriter as xw
    from ids import make_id

    number = make_id("19850312", 1)
    source = tmp_path / "花名册.xlsx"
    wb = xw.Workbook(str(source))
    ws = wb.add_worksheet("花名册")
    for c, h in enumerate(["姓名", "身份证号码"]):
        ws.write_string(0, c, h)
    ws.write_string(1, 0, "张三")
    ws.write_string(1, 1, number)
    ws.write_comment(1, 0, f"原身份证号码{number}已更正")
    wb.close()
    ws = openpyxl.load_workbook(_vet_and_write(tmp_path, source, mask_ids=True))["花名册"]
    assert ws["B2"].value == number[:6] + "********" + number[-4:]
    assert number not in ws["A2"].comment.text and number[-4:] in ws["A2"].comment.text


def test_dropdowns_and_pictures_come_back(clerk: tuple[openpyxl.Workbook, openpyxl.Workbook, Path]) -> None:
    _, written, out = clerk
    rules = {str(dv.sqref): dv for dv in written["花名册"].data_validations.dataValidation}
    assert set(rules) == {"F4:F201", "I4:I201", "H4:H201"}
    assert rules["F4:F201"].type == "list" and rules["F4:F201"].formula1 == '"中共党员,中共预备党员,群众"'
    assert rules["I4:I201"].prompt == "签了填是" and rules["I4:I201"].promptTitle == "承诺书"
    assert (rules["H4:H201"].type, rules["H4:H201"].formula1, rules["H4:H201"].formula2) == ("decimal", "0", "80")
    import zipfile

    with zipfile.ZipFile(out) as zf:
        media = [n for n in zf.namelist() if n.startswith("xl/media/")]
        assert [zf.read(n) for n in media] == [_png()]
        drawing = zf.read("xl/drawings/drawing1.xml").decode()
    assert "<xdr:col>10</xdr:col>" in drawing and 'cx="762000" cy="381000"' in drawing  # same cell, same size


def test_values_only_above_county_size_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cadretool.output import original

    monkeypatch.setattr(original, "LOOK_MAX_ROWS", 5)
    out = _vet_and_write(tmp_path, _clerk_roster(tmp_path / "城关镇.xlsx"))
    book = openpyxl.load_workbook(out)
    notes = [row[0] for row in book["汇总"].iter_rows(values_only=True) if str(row[0]).startswith("说明")]
    values_only = [note for note in notes if "只写回了数值" in note]
    assert len(values_only) == 1 and "超过 5 行" in values_only[0]
    ws = book["花名册"]
    assert ws["B5"].value == "李四" and ws["D4"].number_format == "General"
    assert _fill(ws["F5"]) == "FFC7CE"  # findings are still shown


def test_a_values_only_roster_is_not_loaded_for_formatting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A system export with nothing but values costs nothing extra: openpyxl is never asked."""
    import xlsxwriter as xw

    import cadretool.output.original as original

    source = tmp_path / "导出.xlsx"
    wb = xw.Workbook(str(source), {"constant_memory": True})
    ws = wb.add_worksheet("Sheet1")
    for r, row in enumerate([["姓名", "身份证号码"], ["张三", "110101199003071234"]]):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl loaded a values-only roster")

    monkeypatch.setattr(original, "_xlsx_look", refuse)
    assert original.read_look(source, "xlsx") == (None, None)
    out = _vet_and_write(tmp_path, source)
    sheet = openpyxl.load_workbook(out)["Sheet1"]
    assert sheet["A2"].value == "张三" and sheet.freeze_panes == "A2"


def test_a_formatted_sheet_that_cannot_be_read_again_is_written_values_only(tmp_path: Path) -> None:
    """Formatting is a bonus: a broken style part costs the look, never the values."""
    import zipfile

    source = _clerk_roster(tmp_path / "城关镇.xlsx")
    broken = tmp_path / "坏样式.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"<cellXfs", b"<cellXfs><broken")
            zout.writestr(item, data)
    out = _vet_and_write(tmp_path, broken)
    book = openpyxl.load_workbook(out)
    assert book["花名册"]["B5"].value == "李四"
    notes = [row[0] for row in book["汇总"].iter_rows(values_only=True) if str(row[0]).startswith("说明")]
    assert [note for note in notes if "原表格式" in note] == [notes[-1]] and "坏样式.xlsx：原表格式无法读取" in notes[
        -1
    ]


def test_formulas_are_written_back_with_their_values(tmp_path: Path) -> None:
    result = make_result(tmp_path)
    raw = result.roster.sheets[0].raw
    raw.formulas = {(2, 0): "=ROW()-2", (2, 5): "=DATE(1990,3,7)"}  # type: ignore[union-attr]
    out = tmp_path / "formulas.xlsx"
    write_vet_workbook(out, result)
    ws = openpyxl.load_workbook(out)[FIRST]
    assert ws["A3"].value == "=ROW()-2" and ws["F3"].value == "=DATE(1990,3,7)"
    cached = openpyxl.load_workbook(out, data_only=True)[FIRST]
    assert cached["A3"].value == 1
    assert ws["B3"].value == "城关镇"


def test_xls_widths_fonts_and_number_formats_come_back(tmp_path: Path) -> None:
    import xlwt
    from ids import make_id

    source = tmp_path / "老花名册.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("道坪镇")
    bold = xlwt.easyxf("font: bold on, name 宋体; borders: left thin, right thin, top thin, bottom thin")
    dated = xlwt.easyxf("borders: left thin", num_format_str="yyyy.mm")
    for col, header in enumerate(["姓名", "性别", "身份证号码", "出生年月", "政治面貌"]):
        sheet.write(0, col, header, bold)
    sheet.write(1, 0, "张三")
    sheet.write(1, 1, "男")
    sheet.write(1, 2, make_id("19850312", 11))
    sheet.write(1, 3, dt.datetime(1985, 3, 1), dated)
    sheet.write(1, 4, "中共党员")
    sheet.col(2).width = 21 * 256
    sheet.row(1).height_mismatch = True
    sheet.row(1).height = 600
    book.save(str(source))
    out = _vet_and_write(tmp_path, source)
    ws = openpyxl.load_workbook(out)["道坪镇"]
    assert ws["A1"].font.b and ws["A1"].font.name == "宋体" and ws["A1"].border.left.style == "thin"
    assert ws["D2"].number_format == "yyyy.mm" and ws["D2"].value == dt.datetime(1985, 3, 1)
    assert round(ws.column_dimensions["C"].width) == 21
    assert ws.row_dimensions[2].height == 30


# ---------------------------------------------------------------- printing for a meeting


def _print_settings(path: Path) -> dict[str, dict[str, object]]:
    """Per sheet name, what the written XML says about printing."""
    import re
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        titles = {
            int(d.get("localSheetId")): d.text
            for d in book.iter(f"{main}definedName")
            if d.get("name") == "_xlnm.Print_Titles"
        }
        settings: dict[str, dict[str, object]] = {}
        for index, sheet in enumerate(book.iter(f"{main}sheet")):
            xml = ElementTree.fromstring(zf.read("xl/" + targets[sheet.get(f"{rel}id")]))
            setup = xml.find(f"{main}pageSetup")
            fit = xml.find(f"{main}sheetPr/{main}pageSetUpPr")
            footer = xml.find(f"{main}headerFooter/{main}oddFooter")
            settings[sheet.get("name")] = {
                "paper": setup.get("paperSize") if setup is not None else None,
                "orientation": setup.get("orientation") if setup is not None else None,
                "fit": (fit is not None and fit.get("fitToPage") == "1")
                and (setup.get("fitToWidth", "1"), setup.get("fitToHeight", "1")),
                "footer": footer.text if footer is not None else "",
                "titles": re.sub(r"^.*!", "", titles[index]) if index in titles else None,
                "drawing": xml.find(f"{main}drawing") is not None,
            }
    return settings


def test_every_sheet_prints_a4_landscape_one_page_wide_with_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    write_vet_workbook(out, make_result(tmp_path))
    settings = _print_settings(out)
    assert len(settings) == 7
    for name, sheet in settings.items():
        assert (sheet["paper"], sheet["orientation"], sheet["fit"]) == ("9", "landscape", ("1", "0")), name
        assert "&P" in str(sheet["footer"]) and "&N" in str(sheet["footer"]), name
    titles = {name: sheet["titles"] for name, sheet in settings.items()}
    assert titles == {
        FIRST: "$2:$2",
        SECOND: "$1:$2",  # the two-row header repeats whole
        "汇总": None,
        "数据问题": "$1:$1",
        "审查明细": "$1:$1",
        "未匹配联审记录": "$1:$1",
        "规则": "$6:$6",
    }


def test_the_sample_roster_prints_its_header_band_on_every_page(tmp_path: Path) -> None:
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "roster.xlsx"
    out = tmp_path / "样例.xlsx"
    write_vet_workbook(out, vet([sample], load_ruleset()))
    settings = _print_settings(out)
    assert settings["金山街道"]["titles"] == "$4:$4" and settings["牛场镇"]["titles"] == "$4:$5"
    assert all(s["fit"] == ("1", "0") and s["orientation"] == "landscape" for s in settings.values())


def test_the_summary_chart_fits_the_page_under_its_table(tmp_path: Path) -> None:
    import re
    import zipfile

    out = tmp_path / "结果.xlsx"
    write_vet_workbook(out, make_result(tmp_path))
    ws = openpyxl.load_workbook(out)["汇总"]
    table_px = sum(round(ws.column_dimensions[c].width * 7) for c in "ABCDEFG")
    with zipfile.ZipFile(out) as zf:
        drawing = zf.read("xl/drawings/drawing1.xml").decode()
    width = int(re.search(r'<a:ext cx="(\d+)"', drawing).group(1)) // 9525
    first, last = (int(r) for r in re.findall(r"<xdr:row>(\d+)</xdr:row>", drawing))
    assert re.search(r"<xdr:from><xdr:col>0</xdr:col>", drawing)
    assert width <= table_px  # prints at full size within the tables' width
    rows = list(ws.iter_rows(values_only=True))
    assert rows[first - 2][0] == "河口乡"  # right under the 按乡镇 table
    assert all(not any(rows[r]) for r in range(first - 1, last + 1))  # over rows kept empty for it
    assert rows[last + 1][0] == "按村（社区）"


# ---------------------------------------------------------------- sheet names in a combined workbook


def _combined(tmp_path: Path, sources: list[Path]) -> openpyxl.Workbook:
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet

    out = tmp_path / "合并.xlsx"
    write_vet_workbook(out, vet(sources, load_ruleset()))
    return openpyxl.load_workbook(out)


def _village(path: Path, sheets: dict[str, list[int]]) -> Path:
    """A village's workbook: each named sheet a roster of some of badfiles' people (an empty list: a blank
    sheet); nobody's pledge is filled in, so every person has a finding in 审查明细."""
    import badfiles
    import xlsxwriter as xw

    wb = xw.Workbook(str(path))
    everyone = [{**person, "是否签订承诺书": ""} for person in badfiles.people()]
    for name, who in sheets.items():
        ws = wb.add_worksheet(name)
        if not who:
            continue
        rows = badfiles._grid([everyone[i] for i in who], badfiles.HEADERS)
        for r, row in enumerate(rows):
            badfiles._write_cells(ws, r, row)
    wb.close()
    return path


def test_each_village_file_gives_its_sheet_its_name(tmp_path: Path) -> None:
    sources = [
        _village(tmp_path / "前进村.xlsx", {"Sheet1": [0, 1]}),
        _village(tmp_path / "红旗村.xlsx", {"Sheet1": [2], "Sheet2": []}),
        _village(tmp_path / "东风村.xlsx", {"工作表1": [3]}),
    ]
    book = _combined(tmp_path, sources)
    assert book.sheetnames[:4] == ["前进村", "红旗村", "红旗村-Sheet2", "东风村"]
    assert book["红旗村"]["B4"].value == "王建国"
    details = list(book["审查明细"].iter_rows(min_row=2, values_only=True))
    assert details and {row[1] for row in details} <= set(book.sheetnames)
    assert {(row[0], row[1]) for row in details} == {
        ("前进村.xlsx", "前进村"),
        ("红旗村.xlsx", "红旗村"),
        ("东风村.xlsx", "东风村"),
    }


def test_meaningful_sheet_names_are_kept_and_prefixed_only_when_they_clash(tmp_path: Path) -> None:
    sources = [
        _village(tmp_path / "前进村.xlsx", {"花名册": [0], "填表说明": []}),
        _village(tmp_path / "红旗村.xlsx", {"花名册": [1], "填表说明": []}),
        _village(tmp_path / "龙昌镇汇总.xlsx", {"龙昌镇": [2, 3]}),
    ]
    book = _combined(tmp_path, sources)
    assert book.sheetnames[:5] == ["前进村-花名册", "前进村-填表说明", "红旗村-花名册", "红旗村-填表说明", "龙昌镇"]
    problems = {row[1] for row in book["审查明细"].iter_rows(min_row=2, values_only=True)}
    assert problems == {"前进村-花名册", "红旗村-花名册", "龙昌镇"}


def test_sheet_names_stay_within_31_utf16_units_and_unique(tmp_path: Path) -> None:
    (tmp_path / "一").mkdir()
    (tmp_path / "二").mkdir()
    long_stem = "黔南布依族苗族自治州福泉市马场坪街道办事处🏠花名册汇总表"
    sources = [
        _village(tmp_path / "一" / "前进村.xlsx", {"Sheet1": [0]}),
        _village(tmp_path / "二" / "前进村.xlsx", {"Sheet1": [1]}),  # the same village name in two townships
        _village(tmp_path / f"{long_stem}.xlsx", {"花名册": [2]}),
        _village(tmp_path / "另一个.xlsx", {"花名册": [3]}),
    ]
    book = _combined(tmp_path, sources)
    names = book.sheetnames[:4]
    assert names[:2] == ["前进村", "前进村 (2)"]
    assert names[2].endswith("-花名册") and names[2].startswith("黔南布依族")
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 for n in names)
    assert names[3] == "另一个-花名册"
    details = list(book["审查明细"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in details} == set(names)


def test_one_input_keeps_its_own_sheet_names(tmp_path: Path) -> None:
    book = _combined(tmp_path, [_village(tmp_path / "前进村.xlsx", {"Sheet1": [0, 1, 2, 3]})])
    assert book.sheetnames[0] == "Sheet1"


def test_theme_colours_alignment_and_row_styles_from_an_excel_saved_roster(tmp_path: Path) -> None:
    """A roster saved by Excel itself (here by openpyxl): theme colours with a tint, indexed colours,
    centred and wrapped headers, rotated text, a hidden person, a styled whole row."""
    from ids import make_id
    from openpyxl.styles import Alignment, Color, Font, PatternFill

    source = tmp_path / "花名册.xlsx"
    clerk = openpyxl.Workbook()
    ws = clerk.active
    ws.title = "花名册"
    ws.append(["姓名", "性别", "身份证号码", "政治面貌", "备注"])
    ws.append(["张三", "男", make_id("19850312", 1), "中共党员", "连任"])
    ws.append(["李四", "男", make_id("19900102", 3), "群众", "新提名"])
    ws.append(["王五", "女", make_id("19880808", 2), "中共党员", "已退出"])
    blue = PatternFill("solid", fgColor=Color(theme=4, tint=0.7999816888943144))
    for cell in ws[1]:
        cell.fill = blue
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.font = Font(name="黑体", bold=True, color=Color(indexed=10))
    ws["E2"].alignment = Alignment(text_rotation=90)
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[3].height = 28
    clerk.save(source)

    out = _vet_and_write(tmp_path, source)
    after = openpyxl.load_workbook(out)["花名册"]
    header = after["A1"]
    assert _fill(header) == "DCE6F2"  # the theme's accent 1, 80% lighter
    assert header.font.name == "黑体" and header.font.b and header.font.color.rgb == "FFFF0000"
    assert (header.alignment.horizontal, header.alignment.vertical, header.alignment.wrap_text) == (
        "center",
        "center",
        True,
    )
    assert after["E2"].alignment.text_rotation == 90
    assert after.row_dimensions[4].hidden
    assert abs(after.row_dimensions[3].height - 28) <= 0.375  # XlsxWriter keeps heights in whole pixels
    assert after["A4"].value == "王五"


def test_the_cell_scan_reads_the_same_look_as_a_full_openpyxl_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cell styles and row options come from one scan of the sheet XML; openpyxl reading the whole
    sheet must agree, on the sample roster and on the clerk's roster."""
    import io
    import zipfile

    from cadretool.output import original

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "roster.xlsx"
    clerk = _clerk_roster(tmp_path / "城关镇.xlsx")

    def whole(zf: zipfile.ZipFile) -> tuple[io.BytesIO, dict[str, bytes]]:
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w") as out:
            for info in zf.infolist():
                out.writestr(info, zf.read(info))
        copy.seek(0)
        return copy, {}

    for source in (sample, clerk):
        scanned, why = original.read_look(source, "xlsx")
        assert scanned is not None and why is None
        with monkeypatch.context() as m:
            m.setattr(original, "_without_cells", whole)
            loaded, _ = original.read_look(source, "xlsx")
        assert loaded is not None
        merged = {
            ws.title: {(r, c) for m in ws.merged_cells.ranges for r, c in m.cells}
            for ws in openpyxl.load_workbook(source).worksheets
        }

        def props(look: Any, name: str, skip: set[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Any]]:
            # openpyxl redraws the borders of merged cells; the scan keeps what Excel stored there
            return {
                (r, c): look.styles[n]
                for r, row in enumerate(look.sheets[name].cells)
                for c, n in enumerate(row)
                if n and (r + 1, c + 1) not in skip
            }

        for name, sheet in loaded.sheets.items():
            mine = scanned.sheets[name]
            assert props(scanned, name, merged[name]) == props(loaded, name, merged[name]), name
            assert mine.rows == sheet.rows and mine.comments == sheet.comments, name


def test_a_sheet_the_scan_cannot_take_is_read_whole(tmp_path: Path) -> None:
    """A writer that leaves out a cell's r="B5" (allowed by the format): openpyxl reads that sheet."""
    import re
    import zipfile

    source = _clerk_roster(tmp_path / "城关镇.xlsx")
    odd = tmp_path / "少坐标.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(odd, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="B5" ', b"<c ", data, count=1)
            zout.writestr(item, data)
    ws = openpyxl.load_workbook(_vet_and_write(tmp_path, odd))["花名册"]
    assert ws["B5"].value == "李四" and ws["B5"].font.name == "宋体" and ws["B5"].border.left.style == "thin"
    assert ws["D4"].number_format == "@" and ws["E4"].number_format == "yyyy.mm"
