"""The Person model and columns.yaml agree, and a roster row converts to a typed person."""

from __future__ import annotations

from pathlib import Path

from cadretool.roster.models import CANONICAL_FIELDS, person_from_row
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset


def test_every_canonical_field_of_the_default_columns_is_modelled() -> None:
    ruleset = load_ruleset()
    fields = {f for f in ruleset.columns.fields if not f.startswith("flag_")}
    assert fields == set(CANONICAL_FIELDS)


def test_row_to_person() -> None:
    ruleset = load_ruleset()
    rows = [
        ["姓名", "性别", "身份证号码", "是否本村户籍", "岗位等级", "受过刑事处罚", "出生年月"],
        ["张三", "男", "11010519491231002X", "否", 3, "是", "1949.12"],
    ]
    roster = read_roster([RawWorkbook(Path("a.xlsx"), "xlsx", [RawSheet("s", rows)])], ruleset.columns)
    person = person_from_row(roster.frame.iloc[0])
    assert person.row == 2 and person.sheet == "s"
    assert person.id_number == "11010519491231002X"
    assert person.birth_date.isoformat() == "1949-12-31"  # from the ID number
    assert person.hukou_local is False and person.pay_level == 3
    assert person.flags == {"N01": True}
