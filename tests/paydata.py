"""Files a finance clerk hands `pay` and `bonus`, written the way clerks write them: rosters with
pay columns, adjustments (奖惩款项) and collective income (村集体经济纯收益) sheets, as xlsx or CSV,
with or without title rows. ID numbers come from tests/ids.py, not from the package."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter
from ids import make_id

PAY_HEADERS = [
    "序号",
    "姓名",
    "身份证号码",
    "乡镇(街道)",
    "村(社区)",
    "现任职务",
    "岗位等级",
    "档次",
    "上年度考核等次",
    "在职学历",
    "定级时间",
]
_SEQ = iter(range(101, 999, 2))


def cadre(
    name: str,
    post: str = "委员",
    level: object = 10,
    step: object = 1,
    grade: object = "称职",
    degree: object = "",
    township: str = "城关镇",
    village: str = "东风村",
    born: str = "19800101",
    **extra: object,
) -> dict[str, object]:
    """One roster row with the pay columns; a fresh valid ID number (a man) unless given."""
    row: dict[str, object] = {
        "姓名": name,
        "身份证号码": make_id(born, next(_SEQ)),
        "乡镇(街道)": township,
        "村(社区)": village,
        "现任职务": post,
        "岗位等级": level,
        "档次": step,
        "上年度考核等次": grade,
        "在职学历": degree,
    }
    row.update(extra)
    return row


def _cells(ws: xlsxwriter.worksheet.Worksheet, r: int, values: list[object], date_format: object = None) -> None:
    for c, value in enumerate(values):
        if isinstance(value, bool):
            ws.write_boolean(r, c, value)
        elif isinstance(value, int | float):
            ws.write_number(r, c, value)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
        elif value not in (None, ""):
            ws.write_string(r, c, str(value))


def write_xlsx(
    path: Path, headers: list[str], rows: list[dict[str, object]], title: str | None = None, sheet: str = "Sheet1"
) -> Path:
    """A sheet with an optional merged title row and a blank row above the header."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(headers) - 1, title)
        r = 2
    _cells(ws, r, list(headers))
    for n, row in enumerate(rows, start=1):
        _cells(ws, r + n, [row.get(h, n) if h == "序号" else row.get(h, "") for h in headers], date_format)
    wb.close()
    return path


def write_csv(
    path: Path, headers: list[str], rows: list[dict[str, object]], title: str | None = None, encoding: str = "gbk"
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerow(headers)
    for n, row in enumerate(rows, start=1):
        writer.writerow([row.get(h, n) if h == "序号" else row.get(h, "") for h in headers])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def roster(path: Path, rows: list[dict[str, object]], headers: list[str] | None = None) -> Path:
    title = "城关镇村(社区)“两委”干部花名册"
    if path.suffix == ".csv":
        return write_csv(path, headers or PAY_HEADERS, rows, title)
    return write_xlsx(path, headers or PAY_HEADERS, rows, title, sheet="花名册")


ADJUSTMENT_HEADERS = ["身份证号码", "姓名", "金额", "事由", "月份"]


def adjustment(person: dict[str, object], amount: object, month: object = "2026-11", reason: str = "考核奖励") -> dict:
    return {"身份证号码": person["身份证号码"], "姓名": person["姓名"], "金额": amount, "事由": reason, "月份": month}


INCOME_HEADERS = ["乡镇", "村(社区)", "年度", "村集体经济纯收益"]


def income(township: str, village: str, amount: object, year: object = 2026) -> dict[str, object]:
    return {"乡镇": township, "村(社区)": village, "年度": year, "村集体经济纯收益": amount}
