"""Legacy .xls rosters (Excel 97-2003) read through xlrd like any other."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwt
from ids import make_id

from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset


def test_xls_roster_with_title_date_cells_and_a_number_id(tmp_path: Path) -> None:
    path = tmp_path / "老花名册.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("道坪镇")
    sheet.write_merge(0, 0, 0, 4, "道坪镇村(社区)“两委”换届意向人选花名册")
    for col, header in enumerate(["姓名", "性别", "身份证号码", "出生年月", "政治面貌"]):
        sheet.write(2, col, header)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(3, 0, "张三")
    sheet.write(3, 1, "男")
    sheet.write(3, 2, make_id("19850312", 11))
    sheet.write(3, 3, dt.datetime(1985, 3, 12), date_style)
    sheet.write(3, 4, "中共党员")
    sheet.write(4, 0, "李四")
    sheet.write(4, 1, "女")
    sheet.write(4, 2, 522702199001010000.0)  # typed as a number in Excel: digits lost
    sheet.write(4, 3, "1990.01")
    sheet.write(4, 4, "群众")
    book.save(str(path))

    roster = read_roster([path], load_ruleset().columns)
    assert roster.errors == []
    assert roster.inputs[0].format == "xls"
    assert roster.sheets[0].header_row == 3
    frame = roster.frame
    assert list(frame["_row"]) == [4, 5]
    assert frame.at[0, "birth_date"] == dt.datetime(1985, 3, 12)
    problems = roster.problems
    assert list(problems.loc[problems["person"] == 1, "rule"]) == ["D02"]
    assert problems.loc[problems["person"] == 0].empty
