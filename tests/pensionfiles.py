"""Files for the HR jobs (pension, career, tuition): a roster of cadres and the side files a
clerk keeps beside it — contribution records and tuition claims — written the way clerks do
(title rows, GBK CSV, months typed in many forms)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import badfiles
import xlsxwriter
from ids import make_id

CADRE_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "出生年月",
    "乡镇(街道)",
    "村(社区)",
    "现任职务",
    "拟任职务",
    "退休类别",
    "弹性退休",
    "任正职届数",
    "考核优秀次数",
    "离任类型",
    "离任时间",
    "任正职年限",
    "任副职年限",
    "任委员年限",
    "备注",
]


def cadre(name: str, born: str, sequence: int, **values: Any) -> dict[str, Any]:
    """A cadre born in month `born` (YYYY-MM), on the 10th; an odd sequence is a man."""
    year, month = (int(x) for x in born.split("-"))
    birth = dt.date(year, month, 10)
    person: dict[str, Any] = {
        "姓名": name,
        "性别": "男" if sequence % 2 else "女",
        "身份证号码": make_id(birth, sequence),
        "出生年月": f"{birth:%Y.%m}",
        "乡镇(街道)": "城关镇",
        "村(社区)": "东风村",
        "现任职务": "委员",
        "拟任职务": "委员",
    }
    person.update(values)
    return person


def write_cadres(path: Path, people: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    return badfiles.write_roster_xlsx(path, people, headers=headers or CADRE_HEADERS)


def write_rows_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1") -> Path:
    """A sheet of rows exactly as given: text stays text, numbers numbers, dates date cells."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
    wb.close()
    return path


def write_rows_csv(path: Path, rows: list[list[Any]], encoding: str = "gbk") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


CONTRIBUTION_HEADERS = ["身份证号码", "姓名", "起始年月", "截止年月"]


def write_contributions(path: Path, periods: list[tuple[Any, ...]], title: bool = True) -> Path:
    """Contribution records: (ID, name, start, end) per row, under a title row when asked."""
    rows: list[list[Any]] = [["城关镇村干部养老保险缴费记录"], []] if title else []
    rows.append(list(CONTRIBUTION_HEADERS))
    rows += [list(p) for p in periods]
    if path.suffix == ".csv":
        return write_rows_csv(path, rows)
    return write_rows_xlsx(path, rows)
