"""Verdicts that depend on how a roster is read: free text that negates, post titles, "none"
words, rows that are not people, multi-row headers, formula cells, a header with nobody under it.

Each test writes a roster a clerk could have made and runs `cadretool vet --format json`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from conftest import CLI
from hypothesis import given
from hypothesis import strategies as st
from ids import make_id
from rulesets import copy_rules, edit

from cadretool.errors import RulesError
from cadretool.rules.expr import mentions
from cadretool.rules.ruleset import RuleSet, load_ruleset


@functools.cache
def default_rules() -> RuleSet:
    return load_ruleset()


BASE = {
    "姓名": "张伟",
    "性别": "男",
    "出生年月": "1985.06",
    "政治面貌": "中共党员",
    "入党时间": "2008.07",
    "转正时间": "2009.07",
    "文化程度": "大专",
    "乡镇(街道)": "龙昌镇",
    "村(社区)": "红星村",
    "现任职务": "委员",
    "拟任职务": "委员",
    "是否本村户籍": "是",
    "健康状况": "健康",
    "是否签订承诺书": "是",
}


def write_roster(path: Path, people: list[dict[str, Any]], footer: list[list[str]] = ()) -> Path:
    """A roster with a title row, the header on row 2 and one person a row (ID numbers made valid)."""
    headers: list[str] = ["序号"]
    for p in [BASE, *people]:
        for k in p:
            if k not in headers:
                headers.append(k)
    if "身份证号码" not in headers:
        headers.insert(2, "身份证号码")
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    ws.write_string(0, 0, "龙昌镇村(社区)“两委”换届意向人选花名册")
    for c, h in enumerate(headers):
        ws.write_string(1, c, h)
    row = 2
    for i, p in enumerate(people, start=1):
        values = {**BASE, **p}
        born = str(values["出生年月"]).replace(".", "") + "15"
        values.setdefault("身份证号码", make_id(born, 10 + 2 * i + (0 if values["性别"] == "女" else 1)))
        values["序号"] = i
        for c, h in enumerate(headers):
            v = values.get(h, "")
            if isinstance(v, int | float):
                ws.write_number(row, c, v)
            elif v != "":
                ws.write_string(row, c, str(v))
        row += 1
    for line in footer:
        for c, v in enumerate(line):
            if v:
                ws.write_string(row, c, v)
        row += 1
    wb.close()
    return path


def vet_people(cli: CLI, path: Path) -> list[dict[str, Any]]:
    run = cli("vet", path, "--format", "json", "-o", path.with_name(path.stem + "_out.xlsx"))
    assert run.exit_code == 0, run.stderr
    return run.json["people"]


def rules(person: dict[str, Any]) -> list[str]:
    return sorted({f["rule"] for f in person["findings"] if f["severity"] != "info"})


# ---------------------------------------------------------------- 1. negated illness phrases

HEALTHY = ["无严重疾病", "健康，无重大疾病史", "未丧失劳动能力", "否认患有严重疾病", "无重大疾病", "身体健康，未患重病"]
ILL = [
    "患有严重疾病",
    "丧失劳动能力",
    "重病卧床",
    "不幸患有严重疾病",
    "身体不好，重病",
    "无高血压；患有重大疾病",
    "因病不能履职",
    "因病无法正常工作",
]


def test_health_written_as_a_negation_is_healthy(cli: CLI, tmp_path: Path) -> None:
    people = [{"姓名": f"人{i}", "健康状况": text} for i, text in enumerate(HEALTHY + ILL)]
    out = vet_people(cli, write_roster(tmp_path / "r.xlsx", people))
    by_text = {p["name"]: p for p in out}
    for i, text in enumerate(HEALTHY):
        person = by_text[f"人{i}"]
        assert (person["status"], rules(person)) == ("eligible", []), text
    for i, text in enumerate(ILL, start=len(HEALTHY)):
        person = by_text[f"人{i}"]
        assert (person["status"], rules(person)) == ("ineligible", ["Q09"]), text
        message = next(f["message"] for f in person["findings"] if f["rule"] == "Q09")
        assert text.replace("，", ",").replace("；", ";") in message  # the text as read, half-width


def test_a_rule_author_extends_the_negation_markers(cli: CLI, tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    edit(rules_dir / "params.yaml", "[无, 没有, 未,", "[无, 没有, 已治愈, 未,")
    path = write_roster(tmp_path / "r.xlsx", [{"健康状况": "已治愈严重疾病"}])
    run = cli("vet", path, "--rules", rules_dir, "--format", "json", "-o", tmp_path / "o.xlsx")
    assert run.json["people"][0]["status"] == "eligible"
    assert vet_people(cli, path)[0]["status"] == "ineligible"  # the default rule set does not know 已治愈


WORDS = ["严重疾病", "丧失劳动能力", "重病"]
NEGATIONS = ["无", "未", "否认", "没有"]


@given(
    before=st.text(alphabet="健康良好身体，；", max_size=6),
    negation=st.sampled_from(NEGATIONS),
    filler=st.sampled_from(["", "患有", "任何", "明显"]),
    word=st.sampled_from(WORDS),
    after=st.text(alphabet="史情况，", max_size=4),
)
def test_a_negated_word_is_never_a_hit_and_a_plain_one_always_is(before, negation, filler, word, after) -> None:
    found = mentions(WORDS, NEGATIONS)
    assert not found(before + negation + filler + word + after)
    assert found(before + word + after)
    # a second clause that names the word plainly still counts
    assert found(before + negation + filler + word + "；" + word)


# ---------------------------------------------------------------- 2. post titles read whole

POST_CASES = [
    # (现任职务, 拟任职务, 出生年月, 文化程度, 政治面貌, 转正时间, expected rule ids)
    ("委员", "党支部副书记兼村委会主任", "1985.06", "大专", "中共党员", "2026.06", []),  # not 一肩挑: no Q07
    ("委员", "党支部书记、村委会主任", "1985.06", "大专", "中共党员", "2026.06", ["Q07"]),
    ("委员", "书记和主任", "1985.06", "大专", "中共预备党员", "", ["Q06"]),
    ("委员", "副书记兼主任", "1985.06", "大专", "群众", "", ["Q06"]),
    ("", "主任（兼党支部副书记）", "1985.06", "初中", "中共党员", "2009.07", ["Q04"]),
    ("", "妇女主任", "1990.06", "初中", "群众", "", []),  # a 委员, not the 主任: no Q04
    ("村民组长", "委员", "1976.06", "大专", "中共党员", "2009.07", ["Q03"]),  # 50: over 45, not an incumbent
    ("村务监督委员会主任", "委员", "1976.06", "大专", "中共党员", "2009.07", ["Q03"]),
    ("驻村第一书记", "委员", "1976.06", "大专", "中共党员", "2009.07", ["Q03"]),
    ("村委会委员兼会计", "委员", "1976.06", "大专", "中共党员", "2009.07", []),  # an incumbent 委员
    ("村民组长", "村党支部书记", "1985.06", "初中", "中共党员", "2009.07", ["Q04"]),  # a new entrant
    ("", "村监委委员", "1968.06", "小学", "群众", "", ["Q05"]),  # not vetted as a two-committee post
    ("", "第一书记", "1968.06", "高中", "群众", "", []),
]


def test_post_titles_are_read_whole_and_combined(cli: CLI, tmp_path: Path) -> None:
    people = [
        {
            "姓名": f"人{i}",
            "现任职务": current,
            "拟任职务": proposed,
            "出生年月": born,
            "文化程度": education,
            "政治面貌": status,
            "转正时间": full,
            "入党时间": "" if not full else "2008.07",
        }
        for i, (current, proposed, born, education, status, full, _) in enumerate(POST_CASES)
    ]
    out = {p["name"]: p for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    for i, case in enumerate(POST_CASES):
        person = out[f"人{i}"]
        assert rules(person) == case[-1], (case, person["findings"])
        assert all(f["rule"] != "D07" for f in person["findings"]), case


# every way a clerk writes each post (one alias per post is enough for the oracle below)
TITLES = {
    "书记": ["书记", "党支部书记", "村党支部书记", "社区党委书记"],
    "主任": ["主任", "村委会主任", "居委会主任", "村主任"],
    "副书记": ["副书记", "党支部副书记"],
    "副主任": ["副主任", "村委会副主任"],
    "委员": ["委员", "村委委员", "妇女主任", "支委"],
    "村民组长": ["村民组长", "村民小组长"],
    "监委会委员": ["村务监督委员会委员", "村监委委员"],
}
RANK = {"书记": 0, "主任": 0, "副书记": 1, "副主任": 1, "委员": 2, "村民组长": 9, "监委会委员": 9}


@given(
    held=st.lists(st.sampled_from(sorted(TITLES)), min_size=1, max_size=3, unique=True),
    data=st.data(),
    joiner=st.sampled_from(["、", "兼", "/", "和", "，", "\n"]),
)
def test_combined_titles_give_the_post_that_counts(held: list[str], data: st.DataObject, joiner: str) -> None:
    vocab = default_rules().columns.fields["proposed_post"].vocabulary
    written = [data.draw(st.sampled_from(TITLES[p])) for p in held]
    post, recognised, party = vocab.read_post(joiner.join(written).replace("\n", " "))
    if "书记" in held and "主任" in held:
        expected = "一肩挑"
    else:
        expected = min(held, key=lambda p: (RANK[p], held.index(p)))
    assert recognised and post == expected, written
    two_committee = [p for p in held if RANK[p] < 9]
    assert party == (any(p in ("书记", "副书记") for p in held) or "支委" in written and bool(two_committee))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  报账员: {}\n", "", "posts 缺少职务 报账员"),
        ("  副主任: {group: 副职, two_committee: true}", "  副主任: {group: 副手, two_committee: true}", "副手"),
        ("party_aliases: [支委,", "party_aliases: [支书, 支委,", "支书"),
        ("combines: [书记, 主任]", "combines: [书记, 村长]", "村长"),
    ],
)
def test_posts_section_mistakes_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    rules_dir = copy_rules(tmp_path)
    edit(rules_dir / "columns.yaml", old, new)
    with pytest.raises(RulesError, match=message) as info:
        load_ruleset(rules_dir)
    assert "columns.yaml" in str(info.value)


def test_a_rule_author_makes_a_post_a_two_committee_post(cli: CLI, tmp_path: Path) -> None:
    """Posts live in the rule set: counting 村民组长 as a 委员-level post makes it vetted as one."""
    rules_dir = copy_rules(tmp_path)
    edit(rules_dir / "columns.yaml", "  村民组长: {}", "  村民组长: {group: 委员, two_committee: true}")
    path = write_roster(tmp_path / "r.xlsx", [{"现任职务": "", "拟任职务": "村民组长", "出生年月": "1970.06"}])
    assert rules(vet_people(cli, path)[0]) == []
    run = cli("vet", path, "--rules", rules_dir, "--format", "json", "-o", tmp_path / "o.xlsx")
    assert rules(run.json["people"][0]) == ["Q03"]


# ---------------------------------------------------------------- 3. "none" words

NONE_WORDS = ["无", "没有", "暂无", "未受处分", "无处分", "无处分记录", "/", "—", "-", "不详"]
OPTIONAL = {  # columns a roster may fill with a "none" word when there is nothing to say
    "处分类型": "",
    "处分日期": "",
    "上年度考核等次": "",
    "学历类别": "",
    "推荐方式": "",
    "受过刑事处罚": "",
    "涉黑涉恶": "",
    "正在被立案审查调查": "",
    "拉票贿选": "",
    "近一年外出月数": "",
    "在职学历": "",
    "村级意见": "",
}


def test_a_roster_that_writes_none_everywhere_is_still_eligible(cli: CLI, tmp_path: Path) -> None:
    people = [{"姓名": f"人{i}", **dict.fromkeys(OPTIONAL, word)} for i, word in enumerate(NONE_WORDS)]
    out = vet_people(cli, write_roster(tmp_path / "r.xlsx", people))
    for person, word in zip(out, NONE_WORDS, strict=True):
        assert (person["status"], rules(person)) == ("eligible", []), (word, person["findings"])


def test_none_words_keep_their_meaning_where_a_vocabulary_has_one(cli: CLI, tmp_path: Path) -> None:
    people = [
        # 无 in 政治面貌 is 群众: a 委员 may be one, a 书记 may not
        {"姓名": "甲", "政治面貌": "无", "入党时间": "", "转正时间": "", "拟任职务": "村委委员"},
        {"姓名": "乙", "政治面貌": "无", "入党时间": "", "转正时间": "", "拟任职务": "书记"},
        # 无 in 现任职务 is a new entrant: 50 is over the 45 of a new entrant
        {"姓名": "丙", "现任职务": "无", "出生年月": "1976.06"},
        # 暂无 in a flag is no hit; 是 still is
        {"姓名": "丁", "受过刑事处罚": "暂无", "涉黑涉恶": "是"},
        # 不详 where a value is required is asked for (D06), never an unrecognised value (D07)
        {"姓名": "戊", "是否签订承诺书": "不详"},
        # a word that is neither a value nor "none" is still D07
        {"姓名": "己", "处分类型": "批评教育"},
    ]
    out = {p["name"]: rules(p) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {"甲": [], "乙": ["Q06"], "丙": ["Q03"], "丁": ["N02"], "戊": ["D06"], "己": ["D07"]}


def test_education_and_party_written_as_clerks_write_them(cli: CLI, tmp_path: Path) -> None:
    """A remark that names the same value (研究生（硕士）) and the members of the democratic parties
    read as their value; a remark naming another value is still asked about."""
    new_secretary = {"现任职务": "", "拟任职务": "党支部书记"}
    people = [
        {"姓名": "甲", "文化程度": "研究生(硕士)", **new_secretary},
        {"姓名": "乙", "文化程度": "大学本科（学士）", **new_secretary},
        {"姓名": "丙", "文化程度": "大专（专科）", **new_secretary},
        {"姓名": "丁", "文化程度": "初中文化程度", **new_secretary},  # below 高中: Q04
        {"姓名": "戊", "文化程度": "大专（本科在读）", **new_secretary},  # which one? D07, asked
        {"姓名": "己", "政治面貌": "民革党员", "拟任职务": "书记"},  # not a CPC member: Q06
        {"姓名": "庚", "政治面貌": "中共党员（预备）", "拟任职务": "书记"},  # the remark is no value: Q06
        {"姓名": "辛", "政治面貌": "民盟盟员", "拟任职务": "村委委员"},
    ]
    out = {p["name"]: rules(p) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {
        "甲": [], "乙": [], "丙": [], "丁": ["Q04"], "戊": ["D06", "D07"], "己": ["Q06"], "庚": ["Q06"], "辛": [],
    }  # fmt: skip


# ---------------------------------------------------------------- 4. rows that are not people

FOOTERS = [
    "合计：3人",
    "小计",
    "总计 3 人",
    "共计3人",
    "制表人：张三",
    "审核人：李四",
    "填表人：王五",
    "审核：陈刚",
    "制表：张三",
    "联系电话：0854-2222222",
    "填报日期：2026年11月20日",
    "以下空白",
    "（此页完）",
    "此页无正文",
    "注：1.本表一式三份；2.拟任职务请填写全称。",
    "制表人：张三        审核人：李四        日期：2026.11.20",
]


@pytest.mark.parametrize("column", ["序号", "姓名"])
def test_a_footer_block_is_listed_and_never_vetted(cli: CLI, tmp_path: Path, column: str) -> None:
    people = [{"姓名": name} for name in ("甲", "乙", "丙")]
    footer = [[f if column == "序号" else "", f if column == "姓名" else ""] for f in [""] + FOOTERS]
    path = write_roster(tmp_path / "r.xlsx", people, footer=footer)
    run = cli("vet", path, "--format", "json", "-o", tmp_path / "o.xlsx")
    assert [p["name"] for p in run.json["people"]] == ["甲", "乙", "丙"]
    assert run.json["summary"]["people"] == 3
    assert {p["status"] for p in run.json["people"]} == {"eligible"}
    [sheet] = cli("inspect", path, "--format", "json").json["inputs"][0]["sheets"]
    skipped = {s["row"]: s["reason"] for s in sheet["skipped_rows"]}
    first_footer = 2 + len(people) + 2  # title, header, people, a blank row
    assert sorted(skipped) == list(range(first_footer, first_footer + len(FOOTERS)))
    assert all(r.startswith(("合计行", "落款或说明行")) for r in skipped.values()), skipped


def test_examples_and_the_column_number_row_are_not_people(cli: CLI, tmp_path: Path) -> None:
    """A table that starts in column C: an example row, the 1 2 3 … row, a merged footer."""
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    header = ["序号", "姓名", "性别", "身份证号码", "拟任职务", "现任职务", "是否签订承诺书", "健康状况"]
    rows = [
        header,
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        ["例", "张三", "男", "522702198001011234", "委员", "委员", "是", "健康"],
        ["", "示例：李四", "男", "", "委员", "", "是", "健康"],
        ["1", "王芳", "女", make_id("19900315", 22), "委员", "", "是", "健康"],
        ["2", "赵强", "男", make_id("19880720", 31), "委员", "委员", "是", "健康"],
    ]
    for r, row in enumerate(rows):
        ws.write_row(r, 2, row)
    ws.merge_range(len(rows) + 1, 2, len(rows) + 1, 9, "审核：陈刚    联系电话：13800000000")
    wb.close()
    run = cli("vet", path, "--format", "json", "-o", tmp_path / "o.xlsx")
    assert [p["name"] for p in run.json["people"]] == ["王芳", "赵强"]
    [sheet] = cli("inspect", path, "--format", "json").json["inputs"][0]["sheets"]
    reasons = {s["row"]: s["reason"].split("，")[0] for s in sheet["skipped_rows"]}
    assert reasons == {2: "列序号行", 3: "填写示例行", 4: "填写示例行", 8: "落款或说明行"}


# ---------------------------------------------------------------- 5. headers of up to three rows

CADRE_FORM_TOP = ["序号", "姓名", "性别", "身份证号码", "政治面貌", "学历学位", *[""] * 5, "拟任职务", "现任职务"]
CADRE_FORM_TOP += ["是否本村户籍", "健康状况", "是否签订承诺书"]
CADRE_FORM_MIDDLE = ["", "", "", "", "", "全日制教育", "", "", "在职教育", "", "", "", "", "", "", ""]
CADRE_FORM_LEAVES = ["", "", "", "", "", "学历", "学位", "毕业院校及专业", "学历", "学位", "毕业院校及专业"]
CADRE_PEOPLE = [
    ["甲", "男", ("19850612", 11), "中共党员", "大专", "", "贵州职院 农学", "本科", "学士", "贵州大学 行政管理"],
    ["乙", "女", ("19900305", 22), "群众", "高中", "", "福泉一中", "", "", ""],
    ["丙", "男", ("19780920", 31), "中共党员", "初中", "", "", "大专", "", "省委党校 经济管理"],
]


def write_cadre_form(path: Path) -> Path:
    """The cadre-form layout: a title, then 学历学位 → 全日制教育 / 在职教育 → 学历 / 学位 / 院校."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["龙昌镇红星村“两委”换届人选花名册"])
    ws.merge_cells("A1:P1")
    ws.append(CADRE_FORM_TOP)
    ws.append(CADRE_FORM_MIDDLE)
    ws.append(CADRE_FORM_LEAVES)
    for col in [*range(1, 6), *range(12, 17)]:  # columns that are a single header cell three rows tall
        ws.merge_cells(start_row=2, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("F2:K2")
    ws.merge_cells("F3:H3")
    ws.merge_cells("I3:K3")
    for i, (name, gender, (born, seq), status, *education) in enumerate(CADRE_PEOPLE, start=1):
        ws.append([i, name, gender, make_id(born, seq), status, *education, "委员", "委员", "是", "健康", "是"])
    wb.save(path)
    return path


def test_a_three_row_cadre_form_header_names_each_column_with_its_parents(cli: CLI, tmp_path: Path) -> None:
    path = write_cadre_form(tmp_path / "干部表.xlsx")
    [sheet] = cli("inspect", path, "--format", "json").json["inputs"][0]["sheets"]
    assert (sheet["header_row"], sheet["header_rows"]) == (2, 3)
    fields = {c["column"]: c["field"] for c in sheet["columns"]}
    assert (fields["F"], fields["I"]) == ("education", "degree_in_service")
    assert fields["G"] is None and fields["L"] == "proposed_post"
    out = vet_people(cli, path)
    assert [p["name"] for p in out] == ["甲", "乙", "丙"]
    assert {p["name"]: rules(p) for p in out} == {"甲": [], "乙": [], "丙": []}  # no D06 for education


def test_three_row_header_without_merges_and_a_title_that_is_no_parent(tmp_path: Path) -> None:
    """The same layout saved as CSV (no merged cells): a group label spans the labels under it."""
    from cadretool.roster.table import read_roster

    lines = [["龙昌镇红星村“两委”换届人选花名册"], CADRE_FORM_TOP, CADRE_FORM_MIDDLE, CADRE_FORM_LEAVES]
    for i, (name, gender, (born, seq), status, *education) in enumerate(CADRE_PEOPLE, start=1):
        lines.append([str(i), name, gender, make_id(born, seq), status, *education, "委员", "委员", "是", "健康", "是"])
    path = tmp_path / "干部表.csv"
    path.write_text("\n".join(",".join(line) for line in lines), encoding="utf-8")
    roster = read_roster([path], default_rules().columns)
    sheet = roster.sheets[0]
    assert (sheet.header_row, sheet.header_rows) == (2, 3)
    by_field = {c.field: c for c in sheet.columns if c.field}
    assert by_field["name"].parents == ()  # the title row above is not a parent
    assert by_field["education"].path == "学历学位/全日制教育/学历"
    assert by_field["degree_in_service"].path == "学历学位/在职教育/学历"
    assert list(roster.frame["education"]) == ["大专", "高中", "初中"]
    assert list(roster.frame["degree_in_service"]) == ["本科", None, "大专"]
    assert list(roster.frame["education_mode"]) == ["全日制"] * 3
    assert roster.problems.empty, roster.problems.to_dict("records")


# ---------------------------------------------------------------- 6. formula cells

FORMULA_HEADER = ["序号", "姓", "名", "姓名", "身份证号码", "拟任职务", "现任职务", "文化程度", "是否本村户籍"]
FORMULA_HEADER += ["健康状况", "是否签订承诺书"]


def formula_row(n: int, surname: str, given: str, name: object, seq: int, pledge: object = "是") -> list[object]:
    return [n, surname, given, name, make_id("19850612", seq), "委员", "委员", "高中", "是", "健康", pledge]


def test_a_formula_saved_without_its_result_is_unreadable_on_its_row(cli: CLI, tmp_path: Path) -> None:
    """openpyxl saves formulas without computing them: the cell has no value to read."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(FORMULA_HEADER)
    ws.append(formula_row(1, "张", "三", "=B2&C2", 11))
    ws.append(formula_row(2, "李", "四", "李四", 13, pledge='=IF(B3="李","是","否")'))
    ws.append(formula_row(3, "王", "五", "王五", 15))
    ws.append(["", "", "", "=B5&C5"])  # a formula filled down into an empty row is not a person
    wb.save(tmp_path / "r.xlsx")
    out = vet_people(cli, tmp_path / "r.xlsx")
    assert [p["row"] for p in out] == [2, 3, 4]
    first, second, third = out
    assert first["name"] is None and first["status"] == "review"
    [d06] = [f for f in first["findings"] if f["rule"] == "D06" and "公式" in f["message"]]
    assert "姓名" in d06["message"] and "D2" in d06["message"] and "=B2&C2" in d06["message"]
    assert d06["fields"] == ["name"]
    assert second["status"] == "review"
    assert any("是否签订承诺书" in f["message"] and "K3" in f["message"] for f in second["findings"])
    assert (third["status"], rules(third)) == ("eligible", [])


def test_a_placeholder_result_of_a_program_that_does_not_calculate_is_not_a_value(cli: CLI, tmp_path: Path) -> None:
    """XlsxWriter stores 0 as a formula's result unless told one: a name "0" is no name, and the row
    is not a column-number row; a result the program did store is read."""
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, FORMULA_HEADER)
    ws.write_row(1, 0, formula_row(1, "张", "三", "", 11))
    ws.write_formula(1, 3, "=B2&C2")
    ws.write_row(2, 0, formula_row(2, "李", "四", "", 13))
    ws.write_formula(2, 3, "=B3&C3", None, "李四")
    wb.close()
    out = vet_people(cli, path)
    assert [(p["row"], p["name"]) for p in out] == [(2, None), (3, "李四")]
    assert any("=B2&C2" in f["message"] for f in out[0]["findings"])
    assert (out[1]["status"], rules(out[1])) == ("eligible", [])


def test_formula_text_is_kept_per_cell_for_writing_back() -> None:
    from cadretool.roster.readers import _formula_cells

    sheet = (
        b'<x:sheetData><x:row r="2"><x:c r="D2" t="str"><x:f t="shared" ref="D2:D4" si="0">B2&amp;C2</x:f>'
        b"<x:v>\xe5\xbc\xa0\xe4\xb8\x89</x:v></x:c></x:row>"
        b'<x:row r="3"><x:c r="D3" t="str"><x:f t="shared" si="0"/><x:v></x:v></x:c>'
        b'<x:c r="E3"><x:f>SUM(A1:A2)</x:f><x:v>3</x:v></x:c></x:row>'
        b'<x:row r="4"><x:c r="D4"><x:f t="shared" si="0"/></x:c><x:c r="F4"/></x:row></x:sheetData>'
    )
    formulas, uncomputed = _formula_cells(sheet, recalculate=False)
    assert formulas == {(1, 3): "=B2&C2", (2, 3): "=B3&C3", (2, 4): "=SUM(A1:A2)", (3, 3): "=B4&C4"}
    assert uncomputed == {(3, 3)}  # D3 computed to an empty text; D4 has no result at all


# ---------------------------------------------------------------- 7. a header with nobody under it


def test_a_header_with_no_people_is_a_warning_naming_the_file(cli: CLI, tmp_path: Path) -> None:
    from cadretool.roster.table import read_roster

    empty = write_roster(tmp_path / "白云村.xlsx", [], footer=[[], ["", "合计：0人"], ["制表人：张三"]])
    full = write_roster(tmp_path / "红星村.xlsx", [{"姓名": "甲"}])
    roster = read_roster([empty, full], default_rules().columns)
    assert len(roster.frame) == 1
    [warning] = roster.warnings
    assert str(empty) in warning and "没有人员" in warning and "花名册" in warning
    assert roster.sheets[0].notes[-1].startswith("表头下没有人员")
    # the terminal shows it too, with the sheet
    run = cli("vet", empty, "-o", tmp_path / "o.xlsx")
    assert "表头下没有人员" in run.stdout + run.stderr


def test_months_away_written_with_a_unit_and_at_least(cli: CLI, tmp_path: Path) -> None:
    """6个月以上 and 8个多月 are at least 6 and 8 months away (N09); 5个月 is not; 常年在外 is asked."""
    written = {"甲": "6个月以上", "乙": "8个多月", "丙": "5个月", "丁": "3个月以上", "戊": "常年在外"}
    people = [{"姓名": name, "近一年外出月数": text} for name, text in written.items()]
    out = {p["name"]: rules(p) for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert out == {"甲": ["N09"], "乙": ["N09"], "丙": [], "丁": [], "戊": ["D07"]}


def test_a_count_below_zero_is_asked_about_not_taken(cli: CLI, tmp_path: Path) -> None:
    """任正职届数 -3 or 在村居住年限 -1 is a slip to ask about (D07), never a count the rules use."""
    people = [
        {"姓名": "甲", "任正职届数": "-3", "在村居住年限": "10"},
        {"姓名": "乙", "任正职届数": "2", "在村居住年限": "-1"},
        {"姓名": "丙", "任正职届数": "0", "在村居住年限": "0.5"},
    ]
    out = {p["name"]: p for p in vet_people(cli, write_roster(tmp_path / "r.xlsx", people))}
    assert rules(out["甲"]) == rules(out["乙"]) == ["D07"]
    assert rules(out["丙"]) == []
    said = [f["message"] for f in out["甲"]["findings"]]
    assert said == ["“任正职届数”的值“-3”无法识别，应为不小于 0 的整数"]


def test_a_post_left_vacant_is_not_a_person(cli: CLI, tmp_path: Path) -> None:
    """（空缺） or 暂缺 where the name goes, with no ID number, is a post without a candidate: listed
    as a row not counted (inspect says so), never vetted as a person with six D06."""
    people = [
        {"姓名": "甲"},
        {"姓名": "（空缺）", "身份证号码": "", "拟任职务": "委员"},
        {"姓名": "暂缺", "身份证号码": "", "拟任职务": "委员"},
        {"姓名": "空缺（待补）", "身份证号码": "", "拟任职务": "副书记"},
        {"姓名": "空缺岗位", "身份证号码": ""},
        {"姓名": "待定人", "身份证号码": ""},  # a name, however odd: vetted (D06 for the ID)
    ]
    path = write_roster(tmp_path / "r.xlsx", people)
    assert [p["name"] for p in vet_people(cli, path)] == ["甲", "待定人"]
    said = cli("inspect", path).stdout
    assert "第 4 行：空缺（没有人选）行，未计入：(空缺)" in said and "第 5 行：空缺（没有人选）行，未计入：暂缺" in said


def test_a_person_with_an_id_number_and_no_name_is_asked_about(cli: CLI, tmp_path: Path) -> None:
    """A row with an ID number but the name left out is a person (vetted), with D06 saying the name
    is missing: 合格 alone would hide who it is from the clerk."""
    people = [{"姓名": "甲"}, {"姓名": ""}, {"姓名": "/"}, {"姓名": "无"}, {"姓名": "——"}]
    out = vet_people(cli, write_roster(tmp_path / "r.xlsx", people))
    assert len(out) == 5
    nameless = [p for p in out if p["name"] != "甲"]
    assert [[f["message"] for f in p["findings"]] for p in nameless] == [["缺少姓名，无法与联审记录和公示名单核对"]] * 4
    assert rules(next(p for p in out if p["name"] == "甲")) == []


def test_none_written_in_a_count_is_zero_and_unknown_stays_unknown(cli: CLI, tmp_path: Path) -> None:
    """考核优秀次数 无 is no 优秀 (0: the 正职 is short of them), 任正职届数 无（新进） is no term, 近一年外出月数
    未外出 is 0 months; 未填 says nothing, so whether he can go on is not judged."""
    people = [
        {"姓名": n, "现任职务": "书记", "近一年外出月数": away, "任正职届数": terms, "考核优秀次数": good}
        for n, away, terms, good in [
            ("甲", "无", "3", "无"),
            ("乙", "未外出", "无（新进）", "2"),
            ("丙", "8", "2", "未填"),
        ]
    ]
    path = write_roster(tmp_path / "r.xlsx", people)
    vetted = {p["name"]: rules(p) for p in vet_people(cli, path)}
    assert vetted == {"甲": [], "乙": [], "丙": ["N09"]}
    career = {p["name"]: p for p in cli("career", path, "--format", "json").json["people"]}
    assert career["甲"]["reason"] == "任正职3届、考核优秀0次，差5次考核优秀"
    assert career["乙"]["reason"].startswith("任正职0届、考核优秀2次")
    assert "未填" in career["丙"]["reason"] and "无法判断" in career["丙"]["reason"]


def test_the_json_lists_every_row_not_counted_with_why(cli: CLI, tmp_path: Path) -> None:
    """A script reading the JSON sees each row under the header that is not a person (a vacancy,
    a 合计 line, a sign-off) with its row number and why, as inspect shows them."""
    from cadretool.output.schema import VetOutput

    people = [{"姓名": "甲"}, {"姓名": "（空缺）", "身份证号码": ""}]
    path = write_roster(tmp_path / "r.xlsx", people, footer=[["", "合计", "1人"], ["制表人：李四"]])
    run = cli("vet", path, "--format", "json", "-o", tmp_path / "out.xlsx")
    VetOutput.model_validate(run.json)
    [sheet] = run.json["inputs"][0]["sheets"]
    assert sheet["rows"] == 1
    assert [(r["row"], r["reason"].split("，")[0]) for r in sheet["not_counted"]] == [
        (4, "空缺（没有人选）行"),
        (5, "合计行"),
        (6, "落款或说明行"),
    ]
