"""Speed of the finance clerk's jobs: a province payroll and reward.

    python benchmarks/bench_pay.py                  # 100,000 pay lines, ~16,700 villages
    python benchmarks/bench_pay.py --lines 20000    # a smaller run

Generates a realistic province roster (villages nested in townships, seven a village: six
two-committee cadres and one group leader; levels, steps, grades and in-service degrees in a
realistic mix, about 1% off the scale, a few IDs mangled by Excel), an adjustments file for about a
tenth of the cadres (some of other months, a few unreadable) and an income file for every
village (a few missing, some ≤ 0). Then measures in one run:
  read      the roster with python-calamine alone (the floor of any xlsx reader);
  floor     calamine read + XlsxWriter constant-memory write of the same rows, one sheet per
            township as the payroll has (the floor of any xlsx-to-xlsx tool with that layout);
  json      `cadretool pay … --format json` (no workbook), end to end;
  pay       `cadretool pay ROSTER --month 2026-11 --adjustments FILE -o OUT.xlsx`, end to end in a
            fresh process (start-up, reading, computing, the payroll workbook);
  compute   the pay arithmetic alone on the roster already read (pay_roster), in process;
  bonus     `cadretool bonus ROSTER --income FILE --year 2026 -o OUT.xlsx`, end to end;
  shares    the reward arithmetic alone (bonus_roster), in process;
  what-if   `cadretool pay … --set post_pay_base@2026-07-01=2200 --compare --format json`: one read,
            the payroll under both pay rules, the cost and back-pay difference (against `json`).
Figures go in the issue notes, not in tests.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = [
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
]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞建国志文斌海燕波宇"
# a village: one principal (or 一肩挑), two deputies, three members and one group leader
VILLAGE_POSTS = [("书记", 1, 5), ("主任", 1, 5), ("副书记", 4, 9), ("副主任", 4, 9), ("委员", 8, 13), ("委员", 8, 13)]
VILLAGES_PER_TOWNSHIP = 15


def id_number(n: int) -> str:
    first17 = f"5227021980{(n // 1000) % 12 + 1:02d}{(n // 12000) % 28 + 1:02d}{n % 1000:03d}"
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_rows(lines: int, seed: int = 11) -> tuple[list[list[object]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    villages: list[tuple[str, str]] = []
    v = 0
    while len(rows) < lines * 7 // 6:
        township = f"第{v // VILLAGES_PER_TOWNSHIP + 1}镇"
        village = f"第{v + 1}村"
        villages.append((township, village))
        posts = list(VILLAGE_POSTS)
        if rng.random() < 0.3:
            posts[0] = ("一肩挑", 1, 5)
        for post, high, low in [*posts, ("村民组长", 0, 0)]:
            n = len(rows)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            ident: object = id_number(n)
            if n % 2003 == 0:
                ident = float(str(ident)[:-3] + "000")  # Excel turned it into a number
            level: object = rng.randint(high, low) if high else ""
            step: object = rng.randint(1, 4 if level in (1, 2) else 3) if high else ""
            if high and rng.random() < 0.01:
                level = low + 2  # off the scale: P01, not paid
            grade = rng.choice(["优秀"] * 2 + ["称职"] * 7 + ["基本称职", ""]) if high else ""
            degree = rng.choice([""] * 12 + ["大专"] * 4 + ["本科"] * 3 + ["研究生"]) if high else ""
            rows.append([n + 1, name, ident, township, village, post, level, step, grade, degree])
        v += 1
    return rows, villages


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]], title: str) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Sheet1")
    ws.write_string(0, 0, title)
    for c, h in enumerate(headers):
        ws.write_string(2, c, h)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    wb.close()


def write_inputs(folder: Path, lines: int) -> tuple[Path, Path, Path, int, int]:
    rows, villages = make_rows(lines)
    roster = folder / "全省花名册.xlsx"
    write_xlsx(roster, HEADERS, rows, "XX省村(社区)“两委”干部花名册")
    rng = random.Random(5)
    cadres = [r for r in rows if r[5] != "村民组长"]
    adjustments = []
    for r in rng.sample(cadres, len(cadres) // 10):
        month = rng.choice(["2026-11"] * 8 + ["2026-10", "2026年12月"])
        amount: object = rng.choice([50, 100, -100, 200.5, -30])
        if rng.random() < 0.002:
            amount = "一百元"
        adjustments.append([r[2], r[1], amount, rng.choice(["考核奖励", "缺席扣款", "值班补助"]), month])
    adj = folder / "奖惩款项.xlsx"
    write_xlsx(adj, ["身份证号码", "姓名", "金额", "事由", "月份"], adjustments, "2026年奖惩款项")
    income = []
    for township, village in villages:
        if rng.random() < 0.01:
            continue  # no record: listed as missing
        income.append([township, village, 2026, round(rng.uniform(-20000, 900000), 2)])
    inc = folder / "村集体经济纯收益.xlsx"
    write_xlsx(inc, ["乡镇", "村(社区)", "年度", "村集体经济纯收益"], income, "2026年度村集体经济纯收益")
    return roster, adj, inc, len(cadres), len(villages)


def floor(roster: Path, out: Path) -> float:
    """Read every cell with calamine, write it back with XlsxWriter constant-memory, a sheet per township."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheets: dict[str, tuple[object, int]] = {}
    for row in rows[3:]:
        ws, r = sheets.get(row[3]) or (wb.add_worksheet(str(row[3])), 0)
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
        sheets[row[3]] = (ws, r + 1)
    wb.close()
    return time.perf_counter() - start


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cadretool", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"cadretool {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000, help="pay lines (serving cadres) to generate")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        roster, adj, inc, cadres, villages = write_inputs(folder, options.lines)
        print(f"generated {cadres:,} cadres in {villages:,} villages in {time.perf_counter() - start:.1f} s")

        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()
        read = time.perf_counter() - start

        base = floor(roster, folder / "floor.xlsx")
        pay = timed(["pay", str(roster), "--month", "2026-11", "--adjustments", str(adj), "-o", str(folder / "p.xlsx")])
        as_json = timed(["pay", str(roster), "--month", "2026-11", "--adjustments", str(adj), "--format", "json"])
        what_if = timed(
            ["pay", str(roster), "--month", "2026-11", "--adjustments", str(adj), "--format", "json"]
            + ["--set", "post_pay_base@2026-07-01=2200", "--compare"]
        )
        bonus = timed(["bonus", str(roster), "--income", str(inc), "--year", "2026", "-o", str(folder / "b.xlsx")])

        from cadretool.bonus import bonus_roster
        from cadretool.pay import pay_roster
        from cadretool.pay_inputs import read_adjustments, read_income
        from cadretool.roster.table import read_roster
        from cadretool.rules.payrules import load_pay_rules
        from cadretool.rules.ruleset import load_ruleset

        ruleset = load_ruleset()
        pay_rules = load_pay_rules(ruleset)
        table = read_roster([roster], ruleset.columns)
        side = read_adjustments([adj], pay_rules.inputs["adjustments"], 2026 * 12 + 10)
        start = time.perf_counter()
        result = pay_roster(table, ruleset, pay_rules, month=2026 * 12 + 10, adjustments=side)
        compute = time.perf_counter() - start
        records = read_income([inc], pay_rules.inputs["income"], 2026)
        start = time.perf_counter()
        reward = bonus_roster(table, ruleset, pay_rules, year=2026, income=records)
        shares = time.perf_counter() - start
    print(f"read roster (calamine only)          {read:7.2f} s")
    print(f"floor: read + write, sheet per town  {base:7.2f} s")
    paid = result.summary()["paid"]
    print(f"cadretool pay  (end to end, xlsx)    {pay:7.2f} s   {len(result.lines):,} lines, {paid:,} paid")
    print(f"cadretool pay --format json          {as_json:7.2f} s")
    print(f"cadretool pay --set … --compare      {what_if:7.2f} s   ({what_if / as_json:.2f}x the plain json run)")
    print(f"  pay arithmetic alone (pay_roster)  {compute:7.2f} s")
    print(f"cadretool bonus (end to end, xlsx)   {bonus:7.2f} s   {len(reward.villages):,} villages paid, "
          f"{len(reward.missing_income):,} missing")  # fmt: skip
    print(f"  reward arithmetic alone            {shares:7.2f} s")


if __name__ == "__main__":
    main()
