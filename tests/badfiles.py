"""A fixture factory: the rosters clerks send us, good and bad, written into a folder.

Every function takes a folder and returns the path it wrote (a str for a glob pattern).
Good rosters carry a title row and a blank row above the header, as real ones do, so the
header is on Excel row 3 and the first person on row 4. ID numbers are computed here,
independently of the package, so a bug in its checker cannot hide behind its own fixtures.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from ids import check_char
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

TITLE = "城关镇村(社区)“两委”换届意向人选花名册"
REGION = "522702"  # 福泉市

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "出生年月",
    "政治面貌",
    "入党时间",
    "转正时间",
    "文化程度",
    "乡镇(街道)",
    "村(社区)",
    "现任职务",
    "拟任职务",
    "是否本村户籍",
    "健康状况",
    "是否签订承诺书",
    "备注",
]
HEADER_ROW = 3  # the Excel row a clerk sees the headers on
FIRST_PERSON_ROW = 4


def id_number(born: dt.date, sequence: int, region: str = REGION) -> str:
    """A valid 18-character ID; an odd sequence number is a man, an even one a woman."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def wrong_check_char(number: str) -> str:
    """The same number with a check character that does not add up."""
    bad = "0" if number[-1] != "0" else "1"
    return number[:-1] + bad


def _person(name: str, gender: str, born: dt.date, seq: int, **values: object) -> dict[str, object]:
    person: dict[str, object] = {
        "姓名": name,
        "性别": gender,
        "身份证号码": id_number(born, seq),
        "出生年月": f"{born:%Y.%m}",
        "政治面貌": "群众",
        "入党时间": "",
        "转正时间": "",
        "文化程度": "高中",
        "乡镇(街道)": "城关镇",
        "村(社区)": "东风村",
        "现任职务": "无",
        "拟任职务": "委员",
        "是否本村户籍": "是",
        "健康状况": "健康",
        "是否签订承诺书": "是",
        "备注": "",
    }
    person.update(values)
    return person


# Four people who pass every rule of the default rule set at its election date (2026-12-31).
_PEOPLE = [
    _person(
        "张明华",
        "男",
        dt.date(1980, 3, 15),
        121,
        政治面貌="中共党员",
        入党时间="2005.06",
        转正时间="2006.06",
        文化程度="本科",
        现任职务="书记",
        拟任职务="一肩挑",
        备注="连任",
    ),
    _person(
        "李秀英",
        "女",
        dt.date(1992, 7, 8),
        242,
        政治面貌="中共党员",
        入党时间="2015.07",
        转正时间="2016.07",
        文化程度="大专",
        现任职务="委员",
        拟任职务="副书记",
    ),
    _person("王建国", "男", dt.date(1998, 11, 20), 313),
    _person("赵丽", "女", dt.date(1985, 1, 30), 424, 文化程度="初中", 拟任职务="委员"),
]


def people() -> list[dict[str, object]]:
    """A fresh copy of the good roster's people, one dict per person keyed by header."""
    return copy.deepcopy(_PEOPLE)


def person_id(index: int) -> str:
    return str(_PEOPLE[index]["身份证号码"])


def _grid(rows: list[dict[str, object]], headers: list[str], title: bool = True) -> list[list[object]]:
    grid: list[list[object]] = []
    if title:
        grid += [[TITLE], []]
    grid.append(list(headers))
    for n, person in enumerate(rows, start=1):
        grid.append([person.get(h, n) if h == "序号" else person.get(h, "") for h in headers])
    return grid


def _write_cells(ws: Worksheet, r: int, row: list[object], date_format: Format | None = None) -> None:
    for c, value in enumerate(row):
        if isinstance(value, str):
            if value:
                ws.write_string(r, c, value)  # never a formula, even for "=…"
        elif isinstance(value, int | float):
            ws.write_number(r, c, value)  # an ID typed as a number: Excel keeps 15 digits
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)


def write_roster_xlsx(
    path: Path, rows: list[dict[str, object]] | None = None, headers: list[str] | None = None, sheet: str = "花名册"
) -> Path:
    """An xlsx roster: title row, blank row, header on row 3, then one person a row."""
    grid = _grid(people() if rows is None else rows, headers or HEADERS)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(grid):
        _write_cells(ws, r, row, date_format)
    wb.close()
    return path


def write_roster_csv(path: Path, rows: list[dict[str, object]] | None = None, encoding: str = "gbk") -> Path:
    """The same roster saved as CSV (Excel on Chinese Windows writes GBK; `utf-8-sig` has a BOM)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    width = len(HEADERS)
    for row in _grid(people() if rows is None else rows, HEADERS):
        writer.writerow(list(row) + [""] * (width - len(row)))
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# The two-row header: groups merged across the top, single headers merged down two rows.
_GROUPS = {
    "基本情况": ["性别", "身份证号码", "出生年月"],
    "政治和文化": ["政治面貌", "入党时间", "转正时间", "文化程度"],
    "所在村(社区)": ["乡镇(街道)", "村(社区)"],
    "任职情况": ["现任职务", "拟任职务"],
}


def write_two_row_header_xlsx(path: Path, rows: list[dict[str, object]] | None = None) -> Path:
    """Title on row 1, a two-row merged header on rows 2–3, people from row 4."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    ws.write_string(0, 0, TITLE)
    group_of = {h: g for g, members in _GROUPS.items() for h in members}
    c = 0
    while c < len(HEADERS):
        header = HEADERS[c]
        group = group_of.get(header)
        if group is None:
            ws.merge_range(1, c, 2, c, header)
            c += 1
            continue
        members = _GROUPS[group]
        ws.merge_range(1, c, 1, c + len(members) - 1, group)
        for i, member in enumerate(members):
            ws.write_string(2, c + i, member)
        c += len(members)
    for r, row in enumerate(_grid(people() if rows is None else rows, HEADERS, title=False)[1:], start=3):
        _write_cells(ws, r, row)
    wb.close()
    return path


EVIDENCE_HEADERS = ["身份证号码", "姓名", "清单项目", "日期", "说明", "来源单位"]


def write_evidence_xlsx(path: Path, records: list[dict[str, object]]) -> Path:
    """A joint-review (联审) sheet as a department returns it; header on row 1."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("联审反馈")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    _write_cells(ws, 0, list(EVIDENCE_HEADERS))
    for r, record in enumerate(records, start=1):
        _write_cells(ws, r, [record.get(h, "") for h in EVIDENCE_HEADERS], date_format)
    wb.close()
    return path


# ---------------------------------------------------------------- bad inputs


def empty_xlsx(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def empty_csv(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def png_named_xlsx(folder: Path) -> Path:
    """A screenshot someone saved with the roster's name."""
    path = folder / "截图.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return path


def binary_named_csv(folder: Path) -> Path:
    path = folder / "乱码.csv"
    path.write_bytes(random.Random(11643).randbytes(8192))
    return path


def truncated_xlsx(folder: Path) -> Path:
    """A real roster whose download stopped half way."""
    whole = write_roster_xlsx(folder / "whole.tmp.xlsx")
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "半截.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def word_named_xlsx(folder: Path) -> Path:
    """A .docx renamed to .xlsx: a valid zip, but a Word document."""
    path = folder / "说明.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        zf.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships/>')
        zf.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>换届工作说明</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
    return path


def _ole_entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,
        0xFFFFFFFF,
        right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        0xFFFFFFFE,
        0,
    )


def encrypted_xlsx(folder: Path) -> Path:
    """What Excel writes for a password-protected xlsx: an OLE2 compound file holding the
    streams EncryptionInfo and EncryptedPackage (a minimal, well-formed CFB version 3)."""
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        0xFFFFFFFE,
        0,
        0xFFFFFFFE,
        0,
    )
    header += struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108  # DIFAT: FAT in sector 0
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + struct.pack("<I", 0xFFFFFFFF) * 126
    directory = (
        _ole_entry("Root Entry", 5, child=1)
        + _ole_entry("EncryptionInfo", 2, right=2)
        + _ole_entry("EncryptedPackage", 2)
        + b"\0" * 128
    )
    path = folder / "加密.xlsx"
    path.write_bytes(header + fat + directory)
    return path


def numbers_only_xlsx(folder: Path) -> Path:
    """A workbook whose only sheet is a block of numbers: no header anywhere."""
    path = folder / "统计数.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    for r in range(10):
        for c in range(6):
            ws.write_number(r, c, r * 10 + c)
    wb.close()
    return path


def html_named_xls(folder: Path) -> Path:
    """A web page 'exported to Excel' by an online system: an HTML table named .xls."""
    path = folder / "系统导出.xls"
    cells = "".join(f"<td>{h}</td>" for h in HEADERS)
    path.write_text(
        "\ufeff\r\n"  # exporters often start with a BOM and a blank line
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<head><meta charset="utf-8"></head><body><table><tr>{cells}</tr>'
        f"<tr><td>1</td><td>张明华</td><td>男</td><td>{person_id(0)}</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return path


def header_only_csv(folder: Path) -> Path:
    """Readable: a header and no people (0 people, not an error)."""
    return write_roster_csv(folder / "只有表头.csv", rows=[], encoding="utf-8-sig")


def folder_without_spreadsheets(folder: Path) -> Path:
    path = folder / "材料"
    path.mkdir()
    (path / "通知.docx").write_bytes(b"PK\x03\x04")
    (path / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    return path


def missing_path(folder: Path) -> Path:
    return folder / "不存在的花名册.xlsx"


def glob_matching_nothing(folder: Path) -> str:
    return str(folder / "*_无此文件*.xlsx")


# Every input that cannot be read: name → factory. Each must give exit 2 and one error line.
BAD_INPUTS: dict[str, Callable[[Path], Path | str]] = {
    "empty_xlsx": empty_xlsx,
    "empty_csv": empty_csv,
    "png_named_xlsx": png_named_xlsx,
    "binary_named_csv": binary_named_csv,
    "truncated_xlsx": truncated_xlsx,
    "word_named_xlsx": word_named_xlsx,
    "encrypted_xlsx": encrypted_xlsx,
    "numbers_only_xlsx": numbers_only_xlsx,
    "html_named_xls": html_named_xls,
    "folder_without_spreadsheets": folder_without_spreadsheets,
    "missing_path": missing_path,
    "glob_matching_nothing": glob_matching_nothing,
}

# Words the one-line reason should contain for each bad input (what a clerk needs to hear).
BAD_INPUT_REASONS: dict[str, tuple[str, ...]] = {
    "empty_xlsx": ("空",),
    "empty_csv": ("空",),
    "png_named_xlsx": ("不是",),
    "binary_named_csv": ("不是",),
    "truncated_xlsx": ("损坏",),
    "word_named_xlsx": ("Word",),
    "encrypted_xlsx": ("密码",),
    "numbers_only_xlsx": ("表头",),
    "html_named_xls": ("网页",),
    "folder_without_spreadsheets": ("没有",),
    "missing_path": ("不存在",),
    "glob_matching_nothing": ("没有文件匹配",),
}
