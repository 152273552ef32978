"""`cadretool pool` (SPEC §8.1) as a new user meets it: the village table never misses a village,
T01–T03 on a hand-built pool, who on the ladder is ready now and which rule holds back who is not,
training counted by the year of its end date, the JSON held to its schema, a workbook that prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import CLI
from hypothesis import given, settings
from hypothesis import strategies as st
from ids import make_id
from pensionfiles import write_rows_xlsx

from cadretool.output.pool_output import pool_json
from cadretool.output.schema import PoolOutput
from cadretool.pool import pool
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.rules.ruleset import load_ruleset

RULESET = load_ruleset()
AS_OF = dt.date(2026, 12, 31)
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
POOL_HEADER = [
    "乡镇", "村(社区)", "姓名", "身份证号", "政治面貌", "入党时间", "转正时间", "学历", "人才层级", "人才类别",
    "是否本村户籍", "健康状况",
]  # fmt: skip


def reserve(n: int, township: str, village: str | None, born: dt.date, status: str = "群众", **extra: object) -> list:
    join = extra.get("join", "2015-03" if status == "中共党员" else "")
    full = extra.get("full", "2016-03" if status == "中共党员" else "")
    return [
        township, village or "", f"人{n}", make_id(born, 2 * n + 1), status, join, full,
        extra.get("education", "大专"), extra.get("level", "村级"), "后备干部", "是", extra.get("health", "健康"),
    ]  # fmt: skip


def hand_pool(tmp_path: Path) -> Path:
    """东风村: a young party member and an older woman (nothing to say); 西山村: one 预备党员 of 40
    (T01, T02, T03); 南岭村: two young 群众 (T02); 北坡村: two party members 35 and older (T03)."""
    rows = [
        ["城关镇青年人才信息库"],
        POOL_HEADER,
        reserve(1, "城关镇", "东风村", dt.date(1995, 5, 1), "中共党员"),
        reserve(2, "城关镇", "东风村", dt.date(1980, 5, 1), "群众"),
        reserve(3, "城关镇", "西山村", dt.date(1986, 5, 1), "中共预备党员", join="2026-03"),
        reserve(4, "城关镇", "南岭村", dt.date(1998, 1, 1), "群众"),
        reserve(5, "城关镇", "南岭村", dt.date(2000, 1, 1), "共青团员"),
        reserve(6, "城关镇", "北坡村", dt.date(1991, 12, 31), "中共党员"),  # 35 on the as-of day
        reserve(7, "城关镇", "北坡村", dt.date(1970, 1, 1), "中共党员"),
        reserve(8, "城关镇", None, dt.date(1999, 1, 1), "群众"),  # 村级 with no village: T04
        reserve(9, "城关镇", None, dt.date(1999, 2, 1), "群众", level="乡镇级"),  # township level: no T04
        ["合计", "", "9人"],
    ]
    return write_rows_xlsx(tmp_path / "人才库.xlsx", rows)


def village_list(tmp_path: Path) -> Path:
    return write_rows_xlsx(
        tmp_path / "村名单.xlsx",
        [["乡镇", "村(社区)"], ["城关镇", "东风村"], ["城关镇", "西山村"], ["城关镇", "南岭村"], ["城关镇", "北坡村"],
         ["城关镇", "河湾村"]],
    )  # fmt: skip


def cadre_roster(tmp_path: Path) -> Path:
    header = [
        "乡镇(街道)", "村(社区)", "姓名", "身份证号码", "政治面貌", "入党时间", "转正时间", "现任职务",
        "任现职届数", "近三年优秀次数", "任正职届数", "考核优秀次数",
    ]  # fmt: skip
    rows = [
        header,
        [
            "城关镇",
            "东风村",
            "甲",
            make_id(dt.date(1980, 1, 1), 101),
            "中共党员",
            "2000-01",
            "2001-01",
            "副书记",
            1,
            1,
            0,
            0,
        ],
        [
            "城关镇",
            "东风村",
            "乙",
            make_id(dt.date(1981, 1, 1), 103),
            "中共党员",
            "2000-01",
            "2001-01",
            "副主任",
            0,
            2,
            0,
            0,
        ],
        ["城关镇", "石桥村", "丙", make_id(dt.date(1975, 1, 1), 105), "群众", "", "", "主任", 2, 1, 2, 5],
        [
            "城关镇",
            "石桥村",
            "丁",
            make_id(dt.date(1976, 1, 1), 107),
            "中共党员",
            "2025-10",
            "2026-10",
            "主任",
            1,
            0,
            1,
            2,
        ],
        [
            "城关镇",
            "石桥村",
            "戊",
            make_id(dt.date(1970, 1, 1), 109),
            "中共党员",
            "1995-01",
            "1996-01",
            "书记",
            2,
            3,
            2,
            5,
        ],
    ]
    return write_rows_xlsx(tmp_path / "两委干部.xlsx", rows)


def training_file(tmp_path: Path, rows: list[list]) -> Path:
    return write_rows_xlsx(
        tmp_path / "培训.xlsx", [["身份证号码", "姓名", "培训项目", "开始日期", "结束日期", "学时", "结果"], *rows]
    )


def by_village(data: dict) -> dict[str, dict]:
    return {v["village"]: v for v in data["villages"]}


# ---------------------------------------------------------------- 一村一分析


def test_t01_t03_on_a_hand_built_pool_and_no_village_is_missing(cli: CLI, tmp_path: Path) -> None:
    run = cli(
        "pool", hand_pool(tmp_path), "--villages", village_list(tmp_path), "--roster", cadre_roster(tmp_path),
        "--format", "json",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    data = run.json
    villages = by_village(data)
    # every village of the list and of the roster, those with nobody in the pool included
    assert list(villages) == ["东风村", "西山村", "南岭村", "北坡村", "河湾村", "石桥村"]
    rules = {name: [f["rule"] for f in v["findings"]] for name, v in villages.items()}
    assert rules == {
        "东风村": [],
        "西山村": ["T01", "T02", "T03"],
        "南岭村": ["T02"],
        "北坡村": ["T03"],
        "河湾村": ["T01", "T02", "T03"],
        "石桥村": ["T01", "T02", "T03"],
    }
    assert villages["北坡村"]["under_35"] == 0  # 35 on the as-of day is not under 35
    assert villages["西山村"]["party_members"] == 0  # a 预备党员 is not a full member
    assert (villages["东风村"]["reserves"], villages["东风村"]["party_members"], villages["东风村"]["under_35"]) == (
        2,
        1,
        1,
    )
    assert villages["河湾村"]["reserves"] == 0 and villages["河湾村"]["in_village_list"]
    assert villages["石桥村"]["cadres"] == 3
    # the 合计 row is no person; the two reserves of no village count in the township and county only
    assert data["summary"]["people"] == 9
    [town] = data["townships"]
    assert town["reserves"] == 9 and sum(v["reserves"] for v in villages.values()) == 7
    assert data["county"]["villages_short"] == 3 and data["county"]["villages_without_party_member"] == 4
    [no_village] = [p for p in data["people"] if p["findings"]]
    assert no_village["name"] == "人8" and no_village["findings"][0]["rule"] == "T04"
    PoolOutput.model_validate(data)


def test_a_pool_without_a_column_says_so_instead_of_a_silent_zero(cli: CLI, tmp_path: Path) -> None:
    rows = [["乡镇", "村(社区)", "姓名", "身份证号"], ["城关镇", "东风村", "人1", make_id(dt.date(1995, 5, 1), 3)]]
    run = cli("pool", write_rows_xlsx(tmp_path / "人才库.xlsx", rows), "--year", "2026", "--format", "json")
    assert run.exit_code == 0, run.stderr
    t08 = [f["message"] for f in run.json["findings"] if f["rule"] == "T08"]
    assert any("政治面貌" in m and "T02" in m for m in t08) and any("文化程度" in m for m in t08)
    assert not any("出生年月" in m for m in t08)  # read from the ID number
    [village] = run.json["villages"]
    assert [f["rule"] for f in village["findings"]] == ["T01"]  # T02 is not judged without the column
    assert any("--training" in n for n in run.json["notes"])
    assert run.json["training"] is None


def test_the_minimum_is_a_dated_rule_set_parameter(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    import shutil

    shutil.copytree(RULESET.path, rules)
    text = (rules / "pool.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "2021-01-01: {value: 2, reference: 村级后备力量储备",
        "2021-01-01: {value: 2, reference: 旧}\n      2026-01-01: {value: 3, reference: 村级后备力量储备",
    )
    (rules / "pool.yaml").write_text(text, encoding="utf-8")
    ruleset = load_ruleset(rules)
    path = hand_pool(tmp_path)
    now = pool([path], ruleset, as_of=AS_OF)
    before = pool([path], ruleset, as_of=dt.date(2025, 6, 30))
    assert "T01" in now.villages.set_index("village").loc["东风村", "rules"]
    assert "T01" not in before.villages.set_index("village").loc["东风村", "rules"]


def test_rules_check_refuses_a_ladder_post_that_is_not_a_committee_post(tmp_path: Path, cli: CLI) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(RULESET.path, rules)
    text = (rules / "pool.yaml").read_text(encoding="utf-8").replace("{value: 委员,", "{value: 村民组长,")
    (rules / "pool.yaml").write_text(text, encoding="utf-8")
    run = cli("rules", "check", rules)
    assert run.exit_code == 2
    assert "pool.yaml" in run.stderr and "ladder_other_post" in run.stderr and "村民组长" in run.stderr


# ---------------------------------------------------------------- the ladder


def test_ladder_readiness_and_the_rule_that_holds_back(tmp_path: Path) -> None:
    rows = [
        POOL_HEADER,
        reserve(1, "城关镇", "东风村", dt.date(1995, 5, 1), "中共党员"),  # ready as 书记
        reserve(2, "城关镇", "东风村", dt.date(1994, 5, 1), "中共党员", education="初中"),  # Q04 as 书记
        reserve(3, "城关镇", "东风村", dt.date(1978, 5, 1), "群众"),  # 48: Q03 as a new 委员
        reserve(4, "城关镇", "东风村", dt.date(1996, 5, 1), "中共党员", join="2025-09", full="2026-09"),  # Q07
        reserve(5, "城关镇", "东风村", dt.date(1997, 5, 1), "群众", health="患有严重疾病"),  # Q09
    ]
    result = pool(
        [write_rows_xlsx(tmp_path / "人才库.xlsx", rows)], RULESET, roster=[cadre_roster(tmp_path)], as_of=AS_OF
    )
    entries = {(e["rung"], e["name"]): e for e in result.ladder}
    held = {n: (e["to"], [r["rule"] for r in e["reasons"]]) for (rung, n), e in entries.items() if rung == "reserve"}
    assert held == {
        "人1": ("书记", []),
        "人2": ("书记", ["Q04"]),
        "人3": ("委员", ["Q03"]),
        "人4": ("书记", ["Q07"]),
        "人5": ("委员", ["Q09"]),
    }
    assert entries[("reserve", "人2")]["reasons"][0]["title"] == next(r.title for r in RULESET.rules if r.id == "Q04")
    # nobody is held back by the pledge, which is signed at the election (ladder_skip_rules)
    assert not any(r["rule"] in ("Q10", "D06") for e in result.ladder for r in e["reasons"])
    cadres = {
        (e["rung"], e["name"]): (e["ready"], [r["rule"] for r in e["reasons"]])
        for e in result.ladder
        if e["rung"] != "reserve"
    }
    assert cadres == {
        ("successor", "甲"): (True, []),
        ("successor", "乙"): (False, ["L01"]),
        ("one_shoulder", "丙"): (False, ["L03"]),
        ("one_shoulder", "丁"): (False, ["L04"]),
        ("institution", "丙"): (True, []),
        ("institution", "丁"): (False, ["L05"]),
        ("institution", "戊"): (True, []),
    }
    # within a rung the ready come first
    reserves = [e for e in result.ladder if e["rung"] == "reserve"]
    assert reserves[0]["name"] == "人1" and reserves[0]["rank"] == 1


def test_training_ranks_ready_candidates(tmp_path: Path) -> None:
    rows = [
        POOL_HEADER,
        reserve(1, "城关镇", "东风村", dt.date(1995, 5, 1), "中共党员"),
        reserve(2, "城关镇", "东风村", dt.date(1994, 5, 1), "中共党员"),
    ]
    second = make_id(dt.date(1994, 5, 1), 5)
    training = training_file(
        tmp_path, [[second, "人2", "书记轮训", dt.date(2026, 3, 1), dt.date(2026, 3, 5), 32, "优秀"]]
    )
    result = pool([write_rows_xlsx(tmp_path / "人才库.xlsx", rows)], RULESET, training=[training], as_of=AS_OF)
    ranked = [(e["name"], e["rank"], e["training"]["excellent"]) for e in result.ladder]
    assert ranked == [("人2", 1, 1), ("人1", 2, 0)]


# ---------------------------------------------------------------- 双百 training


def test_training_counts_by_end_date_year_and_lists_the_untrained(cli: CLI, tmp_path: Path) -> None:
    p1, p2, p3 = (
        make_id(b, 2 * n + 1) for n, b in ((1, dt.date(1995, 5, 1)), (2, dt.date(1980, 5, 1)), (3, dt.date(1986, 5, 1)))
    )
    cadre = make_id(dt.date(1980, 1, 1), 101)
    rows = [
        [p1, "人1", "冬训", dt.date(2025, 12, 28), dt.date(2026, 1, 4), 40, "合格"],  # counts in 2026
        [p2, "人2", "专题班", dt.date(2025, 5, 1), dt.date(2025, 5, 5), 24, "优秀"],  # 2025: trained in 3 years
        [p3, "人3", "专题班", dt.date(2026, 5, 1), dt.date(2026, 5, 5), 24, "不合格"],  # not completed
        [cadre, "甲", "轮训", dt.date(2026, 6, 1), dt.date(2026, 6, 3), 16, "通过"],  # 通过 is 合格
        [make_id(dt.date(1990, 1, 1), 999), "外人", "专题班", dt.date(2026, 5, 1), dt.date(2026, 5, 5), 24, "合格"],
        [p2.lower(), "人2", "专题班", dt.date(2026, 7, 1), None, 24, "合格"],  # no end date
    ]
    path = training_file(tmp_path, rows)
    run = cli("pool", hand_pool(tmp_path), "--roster", cadre_roster(tmp_path), "--training", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    t = data["training"]
    assert (t["year"], t["reserve_trained"], t["cadre_trained"]) == (2026, 1, 1)
    assert t["targets"] == {"reserve": 100, "cadre": 100}
    untrained = {u["name"] for u in t["untrained_3y"]}
    assert "人1" not in untrained and "人2" not in untrained and "甲" not in untrained
    assert {"人3", "乙", "丙", "丁", "戊", "人4"} <= untrained
    assert len(t["untrained_3y"]) == 9 + 5 - 3  # every pool row and cadre once, less the three trained
    # nothing dropped: every training row is listed; the unmatched and the uncountable name file and row
    assert len(data["training_records"]) == 6
    found = {f["rule"]: f["message"] for f in data["findings"]}
    assert "培训.xlsx第6行" in found["T05"] and "培训.xlsx第7行" in found["T06"] and "结束日期空白" in found["T06"]
    assert by_village(data)["东风村"]["trained_3y"] == 2
    PoolOutput.model_validate(data)


def test_a_training_row_with_no_id_and_no_name_is_listed_not_dropped(cli: CLI, tmp_path: Path) -> None:
    p1 = make_id(dt.date(1995, 5, 1), 3)
    rows = [
        [p1, "人1", "冬训", dt.date(2026, 1, 1), dt.date(2026, 1, 4), 40, "合格"],
        [None, None, "专题班", dt.date(2026, 5, 1), dt.date(2026, 5, 5), 24, "合格"],  # who was left out
    ]
    path = training_file(tmp_path, rows)
    run = cli("pool", hand_pool(tmp_path), "--training", path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json
    assert [(r["row"], r["course"], r["counted"], r["rule"]) for r in data["training_records"]] == [
        (2, "冬训", True, None),
        (3, "专题班", False, "T05"),
    ]
    assert data["training_records"][1]["reason"] == "缺少身份证号码和姓名，无法对应到人"
    t05 = [f["message"] for f in data["findings"] if f["rule"] == "T05"]
    assert t05 == ["培训记录培训.xlsx第3行：缺少身份证号码和姓名，无法对应到人，未计入"]
    assert data["training"]["records"] == 2 and data["training"]["unmatched_records"] == 1
    PoolOutput.model_validate(data)


def test_a_year_with_no_training_is_a_finding(cli: CLI, tmp_path: Path) -> None:
    p1 = make_id(dt.date(1995, 5, 1), 3)
    path = training_file(tmp_path, [[p1, "人1", "冬训", dt.date(2024, 3, 1), dt.date(2024, 3, 4), 40, "合格"]])
    run = cli("pool", hand_pool(tmp_path), "--training", path, "--year", "2025", "--format", "json")
    assert run.exit_code == 0, run.stderr
    [t07] = [f for f in run.json["findings"] if f["rule"] == "T07"]
    assert "2025年没有完成的培训记录" in t07["message"] and "2024" in t07["message"]
    assert run.json["training"]["reserve_trained"] == 0


training_rows = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 3, 1)),
        st.sampled_from(["合格", "优秀", "不合格", "通过", "", "待定"]),
    ),
    max_size=20,
)


@settings(max_examples=25, deadline=None)
@given(rows=training_rows, year=st.integers(2023, 2027))
def test_trained_is_distinct_people_with_a_completed_course_ending_that_year(rows, year) -> None:
    births = [dt.date(1990 + n, 1, 1) for n in range(6)]
    people = [["乡镇", "村(社区)", "姓名", "身份证号码"]] + [
        ["城关镇", "东风村", f"人{n}", make_id(b, 2 * n + 1)] for n, b in enumerate(births)
    ]
    records = [["身份证号码", "结束日期", "结果"]] + [
        [make_id(births[n], 2 * n + 1), end.isoformat(), result] for n, end, result in rows
    ]
    result = pool(
        [RawWorkbook(Path("人才库.xlsx"), "xlsx", [RawSheet("人才库", people)])],
        RULESET,
        training=[RawWorkbook(Path("培训.xlsx"), "xlsx", [RawSheet("培训", records)])],
        year=year,
        as_of=AS_OF,
    )
    done = {"合格", "优秀", "通过"}
    expected = {n for n, end, r in rows if r in done and end.year == year}
    recent = {n for n, end, r in rows if r in done and 2024 <= end.year <= 2026}
    assert result.training["reserve_trained"] == len(expected)
    assert len(result.training["untrained_3y"]) == 6 - len(recent)
    assert len(result.training_records) == len(rows)


# ---------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def sample_json() -> dict:
    result = pool(
        [SAMPLES / "talent_pool.xlsx"],
        RULESET,
        roster=[SAMPLES / "cadres.xlsx"],
        training=[SAMPLES / "training.xlsx"],
        as_of=AS_OF,
    )
    return pool_json(result)


def test_sample_figures_are_those_in_the_sample_readme(sample_json: dict) -> None:
    data = sample_json
    assert data["errors"] == [] and data["warnings"] == []
    county = data["county"]
    assert (county["reserves"], county["under_35"], county["college"], county["party_members"], county["women"]) == (
        240, 184, 137, 152, 109,
    )  # fmt: skip
    assert (county["villages"], county["villages_short"], county["villages_without_party_member"]) == (87, 5, 5)
    assert county["villages_without_young"] == 5
    villages = {(v["township"], v["village"]): [f["rule"] for f in v["findings"]] for v in data["villages"]}
    for place in (("牛场镇", "新场村"), ("陆坪镇", "翁稳村"), ("陆坪镇", "陆坪社区")):
        assert villages[place] == ["T01", "T02", "T03"]
    assert villages[("金山街道", "双谷村")] == ["T01"]
    assert villages[("金山街道", "城厢社区")] == ["T02"]
    assert villages[("仙桥乡", "塘边村")] == ["T03"]
    [t04] = [p for p in data["people"] if any(f["rule"] == "T04" for f in p["findings"])]
    assert t04["row"] == 243
    t = data["training"]
    assert (t["reserve_trained"], t["cadre_trained"], len(t["untrained_3y"])) == (60, 22, 274)
    assert [(r["row"], r["rule"]) for r in data["training_records"] if r["rule"]] == [
        (279, "T05"), (280, "T05"), (281, "T06"), (282, "T06"),
    ]  # fmt: skip
    crossing = next(r for r in data["training_records"] if r["row"] == 278)
    assert crossing["year"] == 2026 and crossing["counted"]
    ready = {
        rung: sum(e["ready"] for e in data["ladder"] if e["rung"] == rung)
        for rung in ("reserve", "successor", "one_shoulder")
    }
    assert ready == {"reserve": 235, "successor": 20, "one_shoulder": 18}
    held = {
        e["row"]: [r["rule"] for r in e["reasons"]] for e in data["ladder"] if e["rung"] == "reserve" and not e["ready"]
    }
    assert held == {16: ["Q03"], 21: ["Q04"], 34: ["Q07"], 46: ["Q08"], 43: ["Q09"]}
    PoolOutput.model_validate(data)


def test_masked_output_keeps_to_the_schema_and_shows_no_id(cli: CLI, tmp_path: Path) -> None:
    run = cli(
        "pool", SAMPLES / "talent_pool.xlsx", "--roster", SAMPLES / "cadres.xlsx", "--training",
        SAMPLES / "training.xlsx", "--format", "json", "--mask-ids",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    PoolOutput.model_validate(run.json)
    first = run.json["people"][0]["id_number"]
    assert "********" in first
    full = [p for p in run.json["ladder"] if p["id_number"] and "*" not in p["id_number"]]
    assert full == []


def test_schema_command_prints_the_pool_schema(cli: CLI) -> None:
    run = cli("schema", "pool")
    assert run.exit_code == 0
    assert run.json["$id"].endswith("/pool/1") and "ladder" in run.json["properties"]


# ---------------------------------------------------------------- the workbook


def test_workbook_for_the_meeting(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "研判.xlsx"
    run = cli(
        "pool", SAMPLES / "talent_pool.xlsx", "--roster", SAMPLES / "cadres.xlsx", "--training",
        SAMPLES / "training.xlsx", "-o", out,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "全县" in run.stdout and "成长阶梯" in run.stdout and "2026年“双百”培训" in run.stdout
    book = openpyxl.load_workbook(out)
    towns = ["金山街道", "马场坪街道", "龙昌镇", "牛场镇", "道坪镇", "凤山镇", "陆坪镇", "仙桥乡"]
    assert book.sheetnames == ["全县汇总", *towns, "成长阶梯", "双百培训", "培训记录", "人才库", "问题清单", "规则"]
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title  # one page wide (XlsxWriter omits the default 1)
        assert ws.page_setup.fitToHeight in (0, "0"), ws.title  # as many pages down as it takes
        assert "&P" in (ws.oddFooter.right.text or ws.oddFooter.center.text or ""), ws.title
        assert ws.print_title_rows, ws.title
    luping = book["陆坪镇"]
    names = [luping.cell(r, 2).value for r in range(4, luping.max_row + 1)]
    assert "翁稳村" in names and "陆坪社区" in names  # villages with nobody in the pool are rows too
    row = names.index("翁稳村") + 4
    assert luping.cell(row, 3).value == 0 and "T01" in luping.cell(row, 10).value
    assert luping.print_title_rows == "$1:$3"
    assert book["人才库"].max_row == 241  # every pool row
    assert book["培训记录"].max_row == 282  # every training row


def test_pool_refuses_to_write_over_its_input(cli: CLI, tmp_path: Path) -> None:
    path = hand_pool(tmp_path)
    before = path.read_bytes()
    run = cli("pool", path, "-o", path)
    assert run.exit_code == 2 and "输出文件不能与输入文件相同" in run.stderr
    assert path.read_bytes() == before
