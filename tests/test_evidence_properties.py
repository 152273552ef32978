"""Properties of joint-review evidence: no record is ever lost; items resolve however they are written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ids import make_id

from cadretool.evidence import item_resolver, read_evidence, resolve_item
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.roster.table import read_roster
from cadretool.rules.ruleset import load_ruleset
from cadretool.vet import vet_roster

RULESET = load_ruleset()
KEYS = item_resolver(RULESET)
AS_OF = dt.date(2026, 12, 31)

ROSTER_HEADER = ["姓名", "身份证号码", "乡镇", "村(社区)", "拟任职务"]
PEOPLE = [
    ["张明", make_id("19800315", 121), "城关镇", "东风村", "委员"],
    ["李华", make_id("19920708", 242), "城关镇", "东风村", "委员"],
    ["李华", make_id("19881108", 244), "牛场镇", "新民村", "委员"],  # a namesake elsewhere
    ["王芳", make_id("19850130", 424)[:-1], "牛场镇", "新民村", "委员"],  # her number lost a digit
]
STRANGER = make_id("19700101", 111)


def id_cells(number: str) -> st.SearchStrategy[object]:
    """The ways a department writes (or damages) a person's number."""
    return st.sampled_from(
        [
            number,
            number.lower(),
            number[:6] + "********" + number[-4:],
            number[:-1],
            float(number[:15]) * 1000,
            "",
            STRANGER,
        ]
    )


record = st.tuples(
    st.integers(min_value=0, max_value=len(PEOPLE) - 1).flatmap(lambda i: id_cells(PEOPLE[i][1])),
    st.sampled_from(["张明", "李华", "王芳", "某某", ""]),
    st.sampled_from(["", "城关镇", "牛场镇"]),
    st.sampled_from(["N01", "n3", "受过刑事处罚", "村霸", "违法信访", "无", "其他问题", "", "党内警告"]),
    st.sampled_from(["", "党内严重警告", "诫勉谈话", "无"]),
    st.sampled_from(["", "2015-03-01", "2026-06-01", "2010-01-01"]),
).filter(any)  # a row with nothing in any cell is a blank line of the sheet, not a record


@settings(max_examples=50)
@given(st.lists(record, min_size=1, max_size=12))
def test_every_record_is_on_a_person_or_listed_unmatched(records: list[tuple[object, ...]]) -> None:
    sheet = RawSheet("花名册", [ROSTER_HEADER, *PEOPLE])
    roster = read_roster([RawWorkbook(Path("花名册.xlsx"), "xlsx", [sheet])], RULESET.columns)
    header = ["身份证号码", "姓名", "乡镇", "清单项目", "处分类型", "日期"]
    book = RawWorkbook(Path("联审.xlsx"), "xlsx", [RawSheet("反馈", [header, *map(list, records)])])
    result = vet_roster(roster, RULESET, as_of=AS_OF, evidence=read_evidence([book], RULESET))
    messages = list(result.findings["message"])
    unmatched = {u["row"] for u in result.unmatched_evidence}
    # a row that names no one and flags nothing (城关镇 alone: a township's heading) is listed
    # among the sheet's skipped rows with why, which the outputs show
    skipped = {row for i in result.evidence_inputs for s in i.sheets for row, _ in s.skipped_rows}
    for row in range(2, len(records) + 2):
        cited = f"联审.xlsx第{row}行"
        assert row in unmatched or row in skipped or any(cited in m for m in messages), (row, records[row - 2])
        if row not in unmatched and not any(cited in m for m in messages):  # only skipped: it says nothing
            assert not any(records[row - 2][i] for i in (0, 1, 3, 4, 5)), records[row - 2]


@given(
    st.integers(min_value=1, max_value=10),
    st.sampled_from(["N", "n", "Ｎ"]),
    st.integers(min_value=0, max_value=2),
    st.sampled_from(["", "-", " ", "."]),
)
def test_an_item_id_resolves_however_it_is_written(number: int, letter: str, zeros: int, joiner: str) -> None:
    digits = str(number).rjust(len(str(number)) + zeros, "0")
    assert resolve_item(f"{letter}{joiner}{digits}", KEYS) == f"N{number:02d}"


@given(st.integers(min_value=11, max_value=999), st.sampled_from(["N", "n", "Ｎ"]))
def test_an_item_id_that_is_no_item_names_none(number: int, letter: str) -> None:
    # N99 and N11 are typos, not N09 and N01 (whose short ids n9 and n1 they contain)
    assert resolve_item(f"{letter}{number}", KEYS) is None


def test_an_item_id_before_or_inside_words_names_its_item() -> None:
    assert resolve_item("N01（盗窃罪）", KEYS) == "N01"
    assert resolve_item("负面清单第N3项", KEYS) == "N03"
    assert resolve_item("N12村霸", KEYS) == "N02"  # the label it names, not the id it does not have
