"""Reproduce the performance figures of SPEC §10.

    python benchmarks/bench_vet.py                 # county (3,000 rows) and province (100,000 rows)
    python benchmarks/bench_vet.py --rows 20000    # a smaller province run
    python benchmarks/bench_vet.py --national      # also the 3,000,000-row CSV (slow; needs RAM)

For each size it generates a realistic roster (title rows, Chinese headers, mixed date
forms, a few data problems), then measures in the same run:
  baseline  = read it with python-calamine + write the same cells with XlsxWriter in
              constant-memory mode (the floor any xlsx-to-xlsx tool pays);
  cadretool = `cadretool vet ROSTER -o OUT.xlsx --quiet` end to end, in a fresh process
              (start-up, imports, reading, rules, annotated workbook).
and prints the ratio. Figures go in the issue notes, not in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "出生年月",
    "政治面貌",
    "入党时间",
    "转正时间",
    "文化程度",
    "学历类别",
    "乡镇(街道)",
    "村(社区)",
    "现任职务",
    "拟任职务",
    "推荐方式",
    "是否本村户籍",
    "在村居住年限",
    "健康状况",
    "是否签订承诺书",
    "上年度考核等次",
    "近一年外出月数",
    "村级意见",
    "乡镇初审意见",
    "岗位等级",
    "档次",
    "任正职届数",
    "考核优秀次数",
    "在职学历",
    "能力特长",
    "处分类型",
    "处分日期",
    "退休类别",
    "受过刑事处罚",
    "涉黑涉恶",
    "党纪政务处分影响期内",
    "正在被立案审查调查",
    "参与非法宗教邪教黄赌毒",
    "拉票贿选",
    "违法信访被处理",
    "考核不称职或被罢免",
    "长期外出",
    "失信或侵占集体资产",
    "联系电话",
    "备注",
]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞建国志文斌海燕波宇"
POSTS = ["书记", "主任", "一肩挑", "副书记", "副主任", "委员", "支委", "村委", "村民组长"]
EDU = ["初中", "高中", "中专", "大专", "本科", "小学"]
PARTY = ["中共党员"] * 6 + ["群众", "共青团员", "中共预备党员"]


def id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"522702{birth:%Y%m%d}{seq:03d}"
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_rows(n: int, seed: int = 7) -> list[list[object]]:
    """A realistic slate: most people pass every rule (about one in eight has a finding)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        male = rng.random() < 0.7
        post = rng.choice(POSTS)
        incumbent = rng.random() < 0.6
        current = (post if rng.random() < 0.7 else "委员") if incumbent else ""
        oldest = 2026 - (55 if incumbent else 45)
        birth = dt.date(rng.randint(oldest, 2002), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.02:
            birth = dt.date(rng.randint(1960, 1968), 5, 5)  # too old: Q02/Q03
        party = "中共党员" if post in ("书记", "一肩挑", "副书记", "支委") else rng.choice(PARTY)
        if rng.random() < 0.01:
            party = "中共预备党员"
        ident: object = id_number(rng, birth, male)
        if i % 997 == 0:
            ident = float(ident[:-3] + "000")  # an ID Excel turned into a number
        township = f"第{i // 3000 + 1}镇"
        village = f"第{i // 35 + 1}村"
        rows.append(
            [
                i + 1,
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "男" if male else "女",
                "汉族",
                ident,
                f"{birth.year}.{birth.month:02d}",
                party,
                "2010.07",
                "2011.07",
                rng.choice(EDU[:5]) if rng.random() < 0.98 else "小学",
                "",
                township,
                village,
                current,
                post,
                rng.choice(["组织推荐", "群众推荐", "党员推荐", "群团推荐", "个人自荐"]),
                rng.choice(["是"] * 19 + ["否"]),
                rng.choice([3, 10, 0.5]),
                "健康",
                rng.choice(["是"] * 100 + ["否", ""]),
                rng.choice(["优秀", "称职"]) if incumbent else "",
                rng.choice([0] * 30 + [1, 2, 7]),
                "通过",
                rng.choice(["通过"] * 80 + ["不通过"]),
                rng.randint(1, 13),
                rng.randint(1, 3),
                rng.randint(0, 3),
                rng.randint(0, 6),
                "",
                rng.choice(["致富带头人", "", "退役军人"]),
                "",
                "",
                "",
                *(rng.choice(["否"] * 500 + ["是"]) for _ in range(10)),
                f"13{rng.randint(100000000, 999999999)}",
                "",
            ]
        )
    return rows


def write_roster(path: Path, rows: list[list[object]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("花名册")
    ws.write_string(0, 0, "XX县村(社区)“两委”换届意向人选花名册")
    ws.write_string(1, 0, "填报单位（盖章）：XX县委组织部")
    for c, h in enumerate(HEADERS):
        ws.write_string(3, c, h)
    for r, row in enumerate(rows, start=4):
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()


def baseline(path: Path, out: Path) -> float:
    """Read every cell with calamine and write it back with XlsxWriter constant-memory."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v == "":
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write(r, c, v)
    wb.close()
    return time.perf_counter() - start


def run_vet(path: Path, out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cadretool", "vet", str(path), "-o", str(out), "--quiet"], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cadretool failed ({proc.returncode}): {proc.stderr}")
    return elapsed


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_xlsx(rows: int, work: Path, repeat: int) -> None:
    roster = work / f"roster_{rows}.xlsx"
    write_roster(roster, make_rows(rows))
    base = min(baseline(roster, work / "baseline.xlsx") for _ in range(repeat))
    ours = min(run_vet(roster, work / f"out_{rows}.xlsx") for _ in range(repeat))
    print(
        f"{rows:>9,} rows xlsx  baseline (calamine read + XlsxWriter constant-memory write) {base:7.2f} s"
        f"   cadretool vet → annotated xlsx {ours:7.2f} s   ratio {ours / base:4.2f}"
    )


def bench_national(rows: int, work: Path) -> None:
    import csv

    path = work / "national.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        chunk = 100_000
        for start in range(0, rows, chunk):
            for row in make_rows(min(chunk, rows - start), seed=start):
                w.writerow(["" if v is None else v for v in row])
    out = work / "national_审查结果.csv"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cadretool", "vet", str(path), "-o", str(out), "--quiet"], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    print(
        f"{rows:>9,} rows csv   cadretool vet → annotated csv {elapsed:7.2f} s  exit {proc.returncode}"
        f"  peak RSS {peak_rss_mb():,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[3000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.rows:
            bench_xlsx(n, work, args.repeat)
        if args.national:
            bench_national(3_000_000, work)


if __name__ == "__main__":
    main()
