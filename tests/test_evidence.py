"""Joint-review evidence (联审) as departments send it: no record is ever lost (SPEC §4.3).

Every record shows up on its person (a finding naming the department, file and row) or in
未匹配联审记录 with the ID as the department wrote it, and usually both when the ID is
damaged but the name points at one person (E04).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import badfiles
import openpyxl
import pytest
import xlsxwriter
from conftest import CLI

ZHAO = 3  # 赵丽, 城关镇 东风村, an eligible woman of the good roster
ZHAO_ROSTER_ROW = badfiles.FIRST_PERSON_ROW + ZHAO


def write_sheet(
    path: Path, headers: list[str], rows: list[list[object]], *, title: str | None = None, sheet: str = "联审反馈"
) -> Path:
    """An evidence sheet with any headers (numbers stay numbers, dates stay dates)."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    top = 0
    if title:
        ws.write_string(0, 0, title)
        top = 2
    for c, header in enumerate(headers):
        ws.write_string(top, c, header)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
    book.close()
    return path


def write_csv(path: Path, headers: list[str], rows: list[list[object]], encoding: str = "gbk") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def vet_json(cli: CLI, roster: Path, *evidence: Path) -> dict[str, Any]:
    args: list[str | Path] = ["vet", roster]
    for e in evidence:
        args += ["-e", e]
    run = cli(*args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json


def person(data: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [p for p in data["people"] if p["name"] == name]
    return found


def rules_of(p: dict[str, Any]) -> list[str]:
    return [f["rule"] for f in p["findings"]]


# ---------------------------------------------------------------- 1. every record kept and shown

JIWEI = ["身份证号码", "姓名", "清单项目", "处分类型", "处分时间", "说明", "来源单位"]


@pytest.mark.parametrize(
    ("records", "rule"),
    [
        pytest.param(
            [
                ["N03", "党内警告", dt.date(2026, 5, 1), "违反廉洁纪律"],
                ["N03", "党内严重警告", dt.date(2026, 3, 1), "违反组织纪律"],
            ],
            "N03",
            id="纪委-警告和严重警告",
        ),
        pytest.param(
            [
                ["N01", "", dt.date(2012, 3, 1), "盗窃罪判处有期徒刑一年"],
                ["N05", "", dt.date(2024, 8, 1), "参与赌博被行政拘留"],
            ],
            None,
            id="公安-N01和N05",
        ),
        pytest.param(
            [
                ["受过刑事处罚", "", dt.date(2005, 1, 1), "故意伤害罪"],
                ["受过刑事处罚", "", dt.date(2015, 6, 1), "寻衅滋事罪"],
                ["受过刑事处罚", "", dt.date(2020, 9, 1), "危险驾驶罪"],
            ],
            "N01",
            id="法院-同一条目三条记录",
        ),
    ],
)
def test_every_record_of_one_department_is_a_finding_of_its_own(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, records: list[list[object]], rule: str | None
) -> None:
    zhao = badfiles.person_id(ZHAO)
    rows = [[zhao, "赵丽", item, kind, date, note, "县纪委监委"] for item, kind, date, note in records]
    evidence = write_sheet(tmp_path / "纪委反馈.xlsx", JIWEI, rows)
    data = vet_json(cli, roster_xlsx, evidence)
    found = person(data, "赵丽")
    assert found["status"] == "ineligible"
    messages = [f["message"] for f in found["findings"] if f["rule"].startswith("N")]
    assert len(messages) == len(records)
    for excel_row, (_, _, _, note) in enumerate(records, start=2):
        [message] = [m for m in messages if note in m]
        assert "县纪委监委" in message and f"纪委反馈.xlsx第{excel_row}行" in message
    if rule:
        assert set(rules_of(found)) == {rule}
    assert data["unmatched_evidence"] == []


def test_every_record_is_in_the_details_sheet_and_in_explain(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    zhao = badfiles.person_id(ZHAO)
    evidence = write_sheet(
        tmp_path / "公安反馈.xlsx",
        JIWEI,
        [
            [zhao, "赵丽", "N01", "", dt.date(2012, 3, 1), "盗窃罪", "县公安局"],
            [zhao, "赵丽", "N01", "", dt.date(2018, 3, 1), "诈骗罪", "县公安局"],
        ],
    )
    out = tmp_path / "结果.xlsx"
    assert cli("vet", roster_xlsx, "-e", evidence, "-o", out).exit_code == 0
    details = [r for r in openpyxl.load_workbook(out)["审查明细"].iter_rows(values_only=True) if r[5] == "N01"]
    assert [r[3] for r in details] == ["赵丽", "赵丽"]
    assert sorted(str(r[7]) for r in details) == [
        "受过刑事处罚（来源：县公安局，公安反馈.xlsx第2行；盗窃罪）",
        "受过刑事处罚（来源：县公安局，公安反馈.xlsx第3行；诈骗罪）",
    ]

    run = cli("explain", roster_xlsx, "-e", evidence, "--id", zhao, "--format", "json")
    assert run.exit_code == 0, run.stderr
    [explained] = run.json["people"]
    [n01] = [step for step in explained["rules"] if step["rule"] == "N01"]
    assert n01["outcome"] == "hit"
    assert len(n01["findings"]) == 2 and any("第3行" in f for f in n01["findings"])


def test_a_roster_flag_and_a_record_of_the_same_item_are_both_shown(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people()
    rows[ZHAO]["受过刑事处罚"] = "是"
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", rows, [*badfiles.HEADERS, "受过刑事处罚"])
    evidence = badfiles.write_evidence_xlsx(
        tmp_path / "法院.xlsx",
        [{"身份证号码": badfiles.person_id(ZHAO), "清单项目": "N01", "说明": "判处拘役", "来源单位": "县法院"}],
    )
    found = person(vet_json(cli, roster, evidence), "赵丽")
    messages = sorted(f["message"] for f in found["findings"] if f["rule"] == "N01")
    assert messages == ["受过刑事处罚（来源：县法院，法院.xlsx第2行；判处拘役）", "受过刑事处罚（来源：花名册）"]


def test_an_undecidable_record_is_shown_beside_a_hit_of_the_same_item(
    cli: CLI, roster_xlsx: Path, tmp_path: Path
) -> None:
    zhao = badfiles.person_id(ZHAO)
    evidence = write_sheet(
        tmp_path / "纪委.xlsx",
        JIWEI,
        [
            [zhao, "赵丽", "N03", "党内严重警告", dt.date(2026, 3, 1), "甲案", "县纪委"],
            [zhao, "赵丽", "N03", "批评教育", dt.date(2026, 4, 1), "乙案", "县纪委"],  # not a sanction kind
            [zhao, "赵丽", "N03", "党内警告", dt.date(2020, 1, 1), "丙案", "县纪委"],  # long over
        ],
    )
    found = person(vet_json(cli, roster_xlsx, evidence), "赵丽")
    case = {f["message"]: next(c for c in "甲乙丙" if c in f["message"]) for f in found["findings"]}
    shown = {(f["rule"], f["severity"], case[f["message"]]) for f in found["findings"]}
    assert shown == {("N03", "disqualify", "甲"), ("N03", "review", "乙"), ("E02", "info", "丙")}
    assert found["status"] == "ineligible"


# ---------------------------------------------------------------- 2. the ID as the department wrote it

STRANGER = badfiles.id_number(dt.date(1970, 1, 1), 111)


@pytest.mark.parametrize(
    ("cell", "as_written", "id_number"),
    [
        pytest.param("522702********0136", "522702********0136", None, id="遮挡"),
        pytest.param("522702****0136", "522702****0136", None, id="遮挡-短"),
        pytest.param(5.22702e17, "522702000000000000", None, id="数字单元格"),
        pytest.param(522702197001011116, "522702197001011000", None, id="数字单元格-18位"),
        pytest.param("5.22702E+17", "5.22702E+17", None, id="科学计数法文本"),
        pytest.param(STRANGER[:17], STRANGER[:17], None, id="17位"),
        pytest.param(" " + STRANGER + " ", STRANGER, STRANGER, id="不在花名册"),
    ],
)
def test_an_unmatched_record_keeps_the_id_as_written(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, cell: object, as_written: str, id_number: str | None
) -> None:
    evidence = write_sheet(
        tmp_path / "法院.xlsx", ["身份证号码", "姓名", "清单项目", "来源单位"], [[cell, "某某", "N01", "县法院"]]
    )
    data = vet_json(cli, roster_xlsx, evidence)
    [unmatched] = data["unmatched_evidence"]
    assert (unmatched["id_as_written"], unmatched["id_number"]) == (as_written, id_number)
    assert (unmatched["row"], unmatched["item"], unmatched["department"]) == (2, "N01", "县法院")
    assert unmatched["reason"]
    assert [p["status"] for p in data["people"]] == ["eligible"] * 4


def test_an_unmatched_csv_record_keeps_the_id_as_written(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_csv(
        tmp_path / "信访.csv",
        ["身份证号码", "姓名", "清单项目"],
        [["5.22702E+17", "某某", "违法信访"], ["", "某某", "违法信访"], ["52270219700101111", "某某", "N7"]],
    )
    data = vet_json(cli, roster_xlsx, evidence)
    written = [(u["row"], u["id_as_written"], u["item"]) for u in data["unmatched_evidence"]]
    assert written == [(2, "5.22702E+17", "N07"), (3, None, "N07"), (4, "52270219700101111", "N07")]


def test_mask_ids_masks_the_id_as_written(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(tmp_path / "法院.xlsx", ["身份证号码", "清单项目"], [[STRANGER[:17], "N01"]])
    run = cli("vet", roster_xlsx, "-e", evidence, "--format", "json", "--mask-ids")
    assert STRANGER[:17] not in run.stdout


def test_the_unmatched_sheet_shows_the_id_as_written(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(tmp_path / "法院.xlsx", ["身份证号码", "清单项目"], [["522702********0136", "N01"]])
    out = tmp_path / "结果.xlsx"
    assert cli("vet", roster_xlsx, "-e", evidence, "-o", out).exit_code == 0
    cells = [c for row in openpyxl.load_workbook(out)["未匹配联审记录"].iter_rows(values_only=True) for c in row]
    assert "522702********0136" in cells


# ---------------------------------------------------------------- 3. an ID that cannot be joined: E04 by name

ZHAO_ID = badfiles.person_id(ZHAO)
COURT = ["身份证号码", "姓名", "乡镇", "村(社区)", "清单项目", "日期", "说明", "来源单位"]


def court_record(id_cell: object, name: str = "赵丽", township: str = "", village: str = "", item: str = "N01") -> list:
    return [id_cell, name, township, village, item, dt.date(2015, 3, 1), "盗窃罪判处有期徒刑一年", "县法院"]


@pytest.mark.parametrize(
    "id_cell",
    [
        pytest.param(ZHAO_ID[:6] + "********" + ZHAO_ID[-4:], id="遮挡18位"),
        pytest.param(ZHAO_ID[:6] + "****" + ZHAO_ID[-4:], id="遮挡14位"),
        pytest.param(float(ZHAO_ID[:-1]) * 10, id="数字单元格"),
        pytest.param("5.22702E+17", id="科学计数法"),
        pytest.param(ZHAO_ID[:-1], id="17位"),
        pytest.param(badfiles.wrong_check_char(ZHAO_ID), id="校验码错"),
        pytest.param("", id="空白"),
    ],
)
def test_a_record_whose_id_cannot_be_joined_is_e04_on_the_one_person_with_its_name(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, id_cell: object
) -> None:
    evidence = write_sheet(tmp_path / "法院反馈.xlsx", COURT, [court_record(id_cell)])
    data = vet_json(cli, roster_xlsx, evidence)
    zhao = person(data, "赵丽")
    assert zhao["status"] == "review"
    [e04] = zhao["findings"]
    assert (e04["rule"], e04["severity"]) == ("E04", "review")
    assert "县法院，法院反馈.xlsx第2行" in e04["message"] and "受过刑事处罚" in e04["message"]
    assert ZHAO_ID not in e04["message"]
    [unmatched] = data["unmatched_evidence"]
    assert unmatched["row"] == 2 and "E04" in unmatched["reason"] and "第7行“赵丽”" in unmatched["reason"]
    assert [p["status"] for p in data["people"] if p["name"] != "赵丽"] == ["eligible"] * 3


def test_a_sheet_without_an_id_column_is_matched_by_name(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_csv(
        tmp_path / "信访局.csv", ["姓名", "乡镇", "情形", "处理日期"], [["赵丽", "城关镇", "违法信访", "2024-05-01"]]
    )
    data = vet_json(cli, roster_xlsx, evidence)
    assert rules_of(person(data, "赵丽")) == ["E04"]
    [unmatched] = data["unmatched_evidence"]
    assert (unmatched["id_as_written"], unmatched["item"]) == (None, "N07")


def test_two_people_with_the_name_is_no_e04_and_the_reason_says_so(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people()
    namesake = {"身份证号码": badfiles.id_number(dt.date(1990, 2, 2), 426), "出生年月": "1990.02", "村(社区)": "红旗村"}
    rows.append({**rows[ZHAO], **namesake})
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", rows)
    evidence = write_sheet(tmp_path / "法院.xlsx", COURT, [court_record("522702********0136")])
    data = vet_json(cli, roster, evidence)
    assert [p["status"] for p in data["people"]] == ["eligible"] * 5
    [unmatched] = data["unmatched_evidence"]
    assert "2名“赵丽”" in unmatched["reason"] and "无法确定" in unmatched["reason"]
    # the record's village tells the two apart
    evidence = write_sheet(tmp_path / "法院2.xlsx", COURT, [court_record("522702********0136", village="红旗村")])
    data = vet_json(cli, roster, evidence)
    assert [p["status"] for p in data["people"]] == ["eligible"] * 4 + ["review"]


@pytest.mark.parametrize(
    ("township", "village", "e04"),
    [
        ("城关镇", "", True),
        ("城关", "东风村", True),
        ("", "东风", True),
        ("牛场镇", "", False),
        ("城关镇", "红旗村", False),
    ],
)
def test_name_matching_stays_within_the_township_and_village_the_record_names(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, township: str, village: str, e04: bool
) -> None:
    evidence = write_sheet(tmp_path / "法院.xlsx", COURT, [court_record("", township=township, village=village)])
    data = vet_json(cli, roster_xlsx, evidence)
    assert rules_of(person(data, "赵丽")) == (["E04"] if e04 else [])
    [unmatched] = data["unmatched_evidence"]
    assert ("E04" in unmatched["reason"]) == e04
    if not e04:
        assert "不在记录所写的" in unmatched["reason"]


def test_a_nothing_found_record_matched_by_name_is_info_only(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(tmp_path / "法院.xlsx", COURT, [court_record("522702********0136", item="无")])
    data = vet_json(cli, roster_xlsx, evidence)
    zhao = person(data, "赵丽")
    assert zhao["status"] == "eligible"
    assert [(f["rule"], f["severity"]) for f in zhao["findings"]] == [("E02", "info")]
    assert "E02" in data["unmatched_evidence"][0]["reason"]


def test_a_valid_id_missing_from_the_roster_reaches_a_namesake_only_when_his_own_id_is_unusable(
    cli: CLI, tmp_path: Path
) -> None:
    rows = badfiles.people()
    rows[ZHAO]["身份证号码"] = ZHAO_ID[:-1]  # the clerk dropped a digit
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", rows)
    evidence = write_sheet(tmp_path / "法院.xlsx", COURT, [court_record(ZHAO_ID), court_record(STRANGER, "王建国")])
    data = vet_json(cli, roster, evidence)
    assert rules_of(person(data, "赵丽")) == ["D01", "E04"]
    assert rules_of(person(data, "王建国")) == []
    reasons = [u["reason"] for u in data["unmatched_evidence"]]
    assert "花名册中没有此身份证号码" in reasons[1] and "身份证号码与此不同" in reasons[1]


def test_an_invalid_id_written_the_same_on_both_sides_joins(cli: CLI, tmp_path: Path) -> None:
    rows = badfiles.people()
    rows[ZHAO]["身份证号码"] = ZHAO_ID[:-1]
    roster = badfiles.write_roster_xlsx(tmp_path / "花名册.xlsx", rows)
    evidence = write_sheet(tmp_path / "法院.xlsx", COURT, [court_record(ZHAO_ID[:-1])])
    data = vet_json(cli, roster, evidence)
    assert set(rules_of(person(data, "赵丽"))) == {"D01", "N01"}
    assert data["unmatched_evidence"] == []


def test_e04_is_listed_among_the_rules(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    assert cli("vet", roster_xlsx, "-o", out).exit_code == 0
    ids = [row[0] for row in openpyxl.load_workbook(out)["规则"].iter_rows(values_only=True)]
    assert "E04" in ids


# ---------------------------------------------------------------- 4. a 纪委监委 sheet: sanction type, no 清单项目

JIWEI_TITLE = "福泉市纪委监委关于村(社区)“两委”换届人选党风廉政意见的回复"


@pytest.mark.parametrize("item_header", [None, "案由", "情形", "问题类型"])
def test_a_sanction_sheet_without_an_item_column_is_n03_by_the_sanction_type(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, item_header: str | None
) -> None:
    headers = ["序号", "姓名", "身份证号码", "处分类型", "处分时间"] + ([item_header] if item_header else [])
    rows = [
        [1, "张明华", badfiles.person_id(0), "党内警告", dt.date(2026, 5, 1), "违反廉洁纪律"],
        [2, "李秀英", badfiles.person_id(1), "政务记过", dt.date(2024, 5, 1), "违反工作纪律"],  # over
        [3, "王建国", badfiles.person_id(2), "诫勉谈话", dt.date(2026, 5, 1), "违反群众纪律"],  # no such kind
        [4, "赵丽", badfiles.person_id(3), "无", "", ""],
    ]
    evidence = write_sheet(tmp_path / "纪委监委.xlsx", headers, [r[: len(headers)] for r in rows], title=JIWEI_TITLE)
    data = vet_json(cli, roster_xlsx, evidence)
    found = {p["name"]: [(f["rule"], f["severity"]) for f in p["findings"]] for p in data["people"]}
    assert found == {
        "张明华": [("N03", "disqualify")],
        "李秀英": [("E02", "info")],
        "王建国": [("N03", "review")],
        "赵丽": [("E02", "info")],
    }
    [n03] = person(data, "张明华")["findings"]
    assert "党纪警告" in n03["message"] and "纪委监委.xlsx第4行" in n03["message"]
    if item_header:
        assert "违反廉洁纪律" in n03["message"]
    assert "诫勉谈话" in person(data, "王建国")["findings"][0]["message"]
    assert data["unmatched_evidence"] == []


def test_a_sanction_record_whose_cause_names_another_item_is_both(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(
        tmp_path / "纪委监委.xlsx",
        ["姓名", "身份证号码", "案由", "处分类型", "处分日期"],
        [["赵丽", badfiles.person_id(ZHAO), "参与赌博", "党内严重警告", dt.date(2026, 1, 5)]],
    )
    assert sorted(rules_of(person(vet_json(cli, roster_xlsx, evidence), "赵丽"))) == ["N03", "N05"]


def test_a_gbk_csv_sanction_sheet_is_read(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_csv(
        tmp_path / "纪委.csv",
        ["身份证号", "姓名", "处分种类", "处分决定时间", "备注"],
        [[badfiles.person_id(ZHAO), "赵丽", "开除党籍处分", "2009-07-01", "严重违纪"]],
    )
    [n03] = person(vet_json(cli, roster_xlsx, evidence), "赵丽")["findings"]
    assert (n03["rule"], n03["severity"]) == ("N03", "disqualify") and "开除党籍" in n03["message"]


# ---------------------------------------------------------------- 5. how departments write IDs and items

FULL_WIDTH = str.maketrans("0123456789XN", "０１２３４５６７８９ＸＮ")


@pytest.mark.parametrize(
    ("id_cell", "item"),
    [
        pytest.param(ZHAO_ID, "受过刑事处罚", id="原样-标签"),
        pytest.param(ZHAO_ID.lower(), "刑事犯罪记录", id="小写x-别名"),
        pytest.param(ZHAO_ID.translate(FULL_WIDTH), "Ｎ０１", id="全角-全角编号"),
        pytest.param(f" {ZHAO_ID[:6]} {ZHAO_ID[6:14]} {ZHAO_ID[14:]} ", "N1", id="空格-N1"),
        pytest.param("522702850130424", "n01", id="15位-n01"),
        pytest.param(ZHAO_ID, "N-01", id="原样-N-01"),
        pytest.param(ZHAO_ID, "受过刑事处罚（盗窃罪）", id="原样-标签加说明"),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx-title", "csv-gbk"])
def test_ids_and_items_as_departments_write_them_join_and_resolve(
    cli: CLI, roster_xlsx: Path, tmp_path: Path, id_cell: str, item: str, fmt: str
) -> None:
    headers = ["身份证号码", "姓名", "清单项目", "日期", "来源单位"]
    row = [id_cell, "赵丽", item, "2015-03-01", "县公安局"]
    if fmt == "csv-gbk":
        evidence = write_csv(tmp_path / "公安.csv", headers, [row])
    else:
        evidence = write_sheet(tmp_path / "公安.xlsx", headers, [row], title="联审意见反馈表")
    data = vet_json(cli, roster_xlsx, evidence)
    assert data["unmatched_evidence"] == []
    zhao = person(data, "赵丽")
    assert zhao["status"] == "ineligible"
    assert rules_of(zhao) == ["N01"]


def test_a_row_with_a_record_but_no_id_or_name_is_listed_unmatched(cli: CLI, roster_xlsx: Path, tmp_path: Path) -> None:
    evidence = write_sheet(
        tmp_path / "公安.xlsx",
        ["身份证号码", "姓名", "清单项目", "说明", "来源单位"],
        [["", "", "N05", "聚众赌博（姓名漏填）", "县公安局"], ["填表人：王五", "", "", "", ""]],
    )
    [unmatched] = vet_json(cli, roster_xlsx, evidence)["unmatched_evidence"]
    assert (unmatched["row"], unmatched["item"], unmatched["note"]) == (2, "N05", "聚众赌博（姓名漏填）")
    assert "没有身份证号码和姓名" in unmatched["reason"]


def test_a_lifted_or_corrected_n10_record_is_shown_but_does_not_count(
    cli: CLI, roster_xlsx: Path, tmp_path: Path
) -> None:
    me = badfiles.person_id(0)
    evidence = write_sheet(
        tmp_path / "法院.xlsx",
        ["身份证号码", "清单项目", "说明", "来源单位"],
        [
            [me, "失信被执行人", "已履行完毕，2025年已撤销失信", "县法院"],
            [me, "违法占地建房", "已拆除，整改到位", "自然资源局"],
        ],
    )
    person = cli("vet", roster_xlsx, "-e", evidence, "--format", "json").json["people"][0]
    assert person["status"] == "eligible"
    shown = [f for f in person["findings"] if f["rule"] == "E02"]
    assert len(shown) == 2 and all(f["severity"] == "info" for f in shown)
    # still in force: a hit
    still = write_sheet(tmp_path / "法院2.xlsx", ["身份证号码", "清单项目", "说明"], [[me, "失信被执行人", "未撤销"]])
    assert cli("vet", roster_xlsx, "-e", still, "--format", "json").json["people"][0]["status"] == "ineligible"


def test_a_record_naming_an_item_id_that_does_not_exist_is_e03_not_a_near_item(
    cli: CLI, roster_xlsx: Path, tmp_path: Path
) -> None:
    headers = ["身份证号码", "姓名", "清单项目", "日期", "来源单位"]
    evidence = write_csv(tmp_path / "公安.csv", headers, [[ZHAO_ID, "赵丽", "N99", "2015-03-01", "县公安局"]])
    zhao = person(vet_json(cli, roster_xlsx, evidence), "赵丽")
    assert rules_of(zhao) == ["E03"] and zhao["status"] == "review"
    assert "清单项目“N99”无法对应负面清单条目" in zhao["findings"][0]["message"]
