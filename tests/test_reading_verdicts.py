"""Verdicts that depend on how a roster is read: free text that negates, post titles, "none"
words, rows that are not people, multi-row headers, formula cells, a header with nobody under it.

Each test writes a roster a clerk could have made and runs `cadretool vet --format json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from conftest import CLI
from hypothesis import given
from hypothesis import strategies as st
from ids import make_id

from cadretool.rules.expr import mentions

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
ILL = ["患有严重疾病", "丧失劳动能力", "重病卧床", "不幸患有严重疾病", "身体不好，重病", "无高血压；患有重大疾病"]


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
    import shutil

    from cadretool.rules.ruleset import default_rules_dir

    rules_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules_dir)
    params = rules_dir / "params.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("[无, 没有, 未,", "[无, 没有, 已治愈, 未,"), encoding="utf-8")
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
