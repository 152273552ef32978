"""Reproduce the performance figures of SPEC §10 on realistic rosters.

    python benchmarks/bench_vet.py                      # county (3,000 rows xlsx) and province (100,000 rows xlsx)
    python benchmarks/bench_vet.py --national           # also the national CSV (3,000,000 rows; about 6 GB free)
    python benchmarks/bench_vet.py --sizes 3000 12000   # other xlsx sizes
    python benchmarks/bench_vet.py --sizes --csv 250000 1000000   # CSV only: 4x the rows, about 4x the time
    python benchmarks/bench_vet.py --sizes --national --parquet    # the national CSV to .csv and to .parquet

The rosters are what a province's clerks send: villages nested in townships (about 15
villages a township, about 7 candidates a village), title rows above a Chinese header,
mixed date forms, and a third or more of the people with a finding (too old, low
education, not a party member on a party post, pledge not signed, negative-list flags,
sanctions in their influence period, invalid, mangled, duplicated and mismatched ID
numbers, values outside the vocabulary, missing values), so village rules fail often too.

Each size is measured against its floor in the same run:
  xlsx floor = pandas.read_excel(engine="calamine", dtype=object) + XlsxWriter constant-memory
               write_row per row of the same table with the three verdict columns (in-process);
  csv floor  = pyarrow.csv.read_csv + pyarrow.csv.write_csv of the same file (in-process), with the
               memory settings cadretool itself runs with (cadretool.memory: pyarrow's jemalloc
               pool, numpy on ordinary pages), so the ratio compares work, not allocators (with
               pyarrow's default mimalloc pool the same floor took 12-17 s nationally, not 5);
  cadretool  = `python -m cadretool vet ROSTER -o OUT --quiet` in a fresh process, with the run's
               peak memory: the process and the parts it forks for a big CSV (one a core), together;
  start-up   = the same command on a 10-row roster: Python, imports and the rule set, a cost
               the in-process floor does not pay. The ratio is given with and without it;
  floor as a fresh process = the same floor code run as its own Python program (start-up and
               `import pandas` included), the fair comparison for a command-line run.
Figures go in the README, not in tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cadretool.memory import arrow_pool, before_numpy

before_numpy()  # the floor runs with cadretool's memory settings (see csv floor above)

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
PARQUET = False  # --parquet: also -o OUT.parquet for each CSV size
WHAT_IF = False  # --what-if: also --set … --compare for each xlsx size
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞建国志文斌海燕波宇"
PLACE = "龙凤山河水田石桥新和平安兴丰华坪坝湾沟岩林竹花茶金银东南西北上下中大小红青"
# a village slate: one principal, deputies, members
SLATE = ["书记", "主任", "一肩挑", "副书记", "副主任", "委员", "支委", "村委", "委员"]
EDU = ["初中", "高中", "中专", "大专", "本科"]
FLAGS = 10
TODAY = 2026


def id_number(rng: random.Random, birth: dt.date, male: bool, region: str = "522702") -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, WEIGHTS, strict=True)) % 11]


def place_name(number: int, suffix: str) -> str:
    """A place name of its own for each number (龙凤镇, 山河村 …): the number in base 40, two letters at least."""
    letters = ""
    while number or len(letters) < 2:
        number, rest = divmod(number, len(PLACE))
        letters += PLACE[rest]
    return letters + suffix


def birth_text(rng: random.Random, birth: dt.date) -> object:
    """出生年月 as clerks type it: mostly 1985.03, sometimes 1985-03-12 or 1985年3月."""
    form = rng.random()
    if form < 0.8:
        return f"{birth.year}.{birth.month:02d}"
    if form < 0.9:
        return birth.isoformat()
    return f"{birth.year}年{birth.month}月"


def make_rows(n: int, seed: int = 7, first_number: int = 1) -> list[list[object]]:
    """`n` candidates in villages of about 7, villages in townships of about 15; a third or
    more of the people have a finding (mixed Q, N, D), and many villages fail G01/G02."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    recent_ids: list[str] = []
    town = first_number  # townships are numbered apart from other chunks' (fewer than one a row)
    while len(rows) < n:
        township = place_name(town, rng.choice(["镇", "乡", "镇", "街道"]))
        region = f"{110000 + town % 800000:06d}"  # a county code per township: ID numbers do not collide
        town += 1
        for v in range(rng.randint(8, 22)):
            village = place_name(v, "社区" if rng.random() < 0.1 else "村")
            for k in range(rng.randint(5, 9)):
                if len(rows) == n:
                    break
                rows.append(_person(rng, len(rows) + first_number, township, village, SLATE[k], recent_ids, region))
        if len(rows) == n:
            break
    return rows


def _person(
    rng: random.Random, number: int, township: str, village: str, post: str, recent: list[str], region: str
) -> list[object]:
    male = rng.random() < 0.72
    incumbent = rng.random() < 0.6
    current = (post if rng.random() < 0.7 else "委员") if incumbent else ""
    oldest = TODAY - (54 if incumbent else 44)
    birth = dt.date(rng.randint(oldest, 2000), rng.randint(1, 12), rng.randint(1, 28))
    roll = rng.random()
    if roll < 0.03:
        birth = dt.date(rng.randint(1958, 1965), rng.randint(1, 12), 5)  # Q02 (and Q03)
    elif roll < 0.08:
        birth = dt.date(rng.randint(1972, 1979), rng.randint(1, 12), 9)  # Q03 for a new entrant
    party_posts = ("书记", "一肩挑", "副书记", "支委")
    party = "中共党员" if post in party_posts else rng.choice(["中共党员"] * 5 + ["群众", "群众", "共青团员"])
    if rng.random() < 0.03:
        party = "中共预备党员"  # Q06 on a party post
    education = rng.choice(EDU)
    roll = rng.random()
    if roll < 0.04:
        education = "小学"  # Q05
    elif roll < 0.055:
        education = ""  # D06
    elif roll < 0.07:
        education = "初小"  # D07
    ident: object = id_number(rng, birth, male, region)
    roll = rng.random()
    if roll < 0.02:
        ident = ident[:-1] + ("0" if ident[-1] != "0" else "1")  # D01: wrong check character
    elif roll < 0.03:
        ident = float(ident[:-3] + "000")  # D02: an ID Excel turned into a number
    elif roll < 0.04 and recent:
        ident = rng.choice(recent)  # D05: the same person listed twice
    elif len(recent) < 50:
        recent.append(ident)
    else:
        recent[rng.randrange(50)] = ident
    gender = "男" if male else "女"
    if rng.random() < 0.015:
        gender = "女" if male else "男"  # D03
    shown_birth = birth
    if rng.random() < 0.02:
        shown_birth = dt.date(birth.year - 1, birth.month, birth.day)  # D04
    flags = ["否"] * FLAGS
    if rng.random() < 0.07:
        flags[rng.randrange(FLAGS)] = "是"  # N01–N10
    sanction, sanction_date = "", ""
    if rng.random() < 0.03:
        sanction = rng.choice(["党纪警告", "党纪严重警告", "记过", "政务警告"])
        sanction_date = f"{rng.randint(2022, 2026)}.{rng.randint(1, 12):02d}"  # N03 when still in force
    local = rng.choice(["是"] * 24 + ["否"])
    years: object = rng.choice([3, 10, 20, 0.5]) if local == "否" else rng.choice([10, 20, 30])
    return [
        number,
        rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
        gender,
        "汉族" if rng.random() < 0.8 else rng.choice(["苗族", "布依族", "侗族", "水族"]),
        ident,
        birth_text(rng, shown_birth),
        party,
        f"{rng.randint(1995, 2020)}.{rng.randint(1, 12):02d}" if party == "中共党员" else "",
        "",
        education,
        rng.choice(["全日制", "在职", ""]),
        township,
        village,
        current,
        post,
        rng.choice(["组织推荐", "群众推荐", "党员推荐", "群团推荐", "个人自荐"]),
        local,
        years,
        "健康" if rng.random() < 0.99 else "患有严重疾病",  # Q09
        rng.choice(["是"] * 95 + ["否", "", "", "", ""]),  # Q10
        rng.choice(["优秀", "称职"]) if incumbent else "",
        rng.choice([0] * 30 + [1, 2, 7]),  # N09 at 7
        "通过",
        rng.choice(["通过"] * 60 + ["不通过"]),  # S01
        rng.randint(1, 13),
        rng.randint(1, 3),
        rng.randint(0, 3),
        rng.randint(0, 6),
        "",
        rng.choice(["致富带头人", "", "", "退役军人", "大学生村官"]),
        sanction,
        sanction_date,
        "",
        *flags,
        f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        rng.choice(["", "", "", "", "连任", "新进", "返乡创业"]),
    ]


TITLE = ["XX省村(社区)“两委”换届意向人选花名册", "填报单位（盖章）：XX省委组织部"]


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("花名册")
    ws.write_string(0, 0, TITLE[0])
    ws.write_string(1, 0, TITLE[1])
    ws.write_row(3, 0, HEADERS)
    for r, row in enumerate(rows, start=4):
        for c, v in enumerate(row):
            if isinstance(v, str):
                if v:
                    ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()


def write_csv(path: Path, n: int) -> None:
    """A national CSV as a province exports it (UTF-8 with BOM, title row above the header)."""
    chunk = 50_000
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow([TITLE[0]])
        w.writerow(HEADERS)
        for start in range(0, n, chunk):
            w.writerows(make_rows(min(chunk, n - start), seed=start + 1, first_number=start + 1))


# ---------------------------------------------------------------- floors


def xlsx_floor(path: Path, out: Path) -> float:
    """SPEC §10: read with calamine into pandas, write every row with XlsxWriter constant-memory
    plus the three verdict columns."""
    import pandas as pd
    import xlsxwriter

    start = time.perf_counter()
    table = pd.read_excel(path, engine="calamine", dtype=object, header=None)
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("花名册")
    verdicts = ["合格", "Q03", "D04 出生年月填写为1980.05，身份证号码显示为1981.05"]
    for r, row in enumerate(table.itertuples(index=False, name=None)):
        ws.write_row(r, 0, ["" if v is None or v != v else v for v in row])
        ws.write_row(r, len(row), verdicts)
    wb.close()
    return time.perf_counter() - start


def csv_floor(path: Path, out: Path) -> float:
    """SPEC §10: read and write the same CSV with pyarrow."""
    import pyarrow.csv as pacsv

    arrow_pool()
    start = time.perf_counter()
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=1))
    pacsv.write_csv(table, out)
    return time.perf_counter() - start


def floor_process(kind: str, path: Path, out: Path) -> float:
    """The same floor as a program a user would run: a fresh Python that imports pandas (or
    pyarrow) and XlsxWriter, then reads and writes; the start-up cadretool also pays."""
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_vet; "
        f"from pathlib import Path; bench_vet.{kind}_floor(Path({str(path)!r}), Path({str(out)!r}))"
    )
    return _timed([sys.executable, "-c", code])


# ---------------------------------------------------------------- cadretool


def run_vet(path: Path, out: Path, extra: tuple[str, ...] = ()) -> tuple[float, float]:
    """Seconds and peak memory (MB) of `cadretool vet PATH -o OUT --quiet` in a fresh process.

    The memory is the whole run's: a national CSV is vetted in parts, one forked process each,
    so the peak is the most the process and its parts held together (their proportional set
    sizes, pages they share counted once, sampled every 0.2 s), and never less than the
    largest single process's own peak."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cadretool", "vet", str(path), "-o", str(out), "--quiet", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    together = [0.0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.2):
            together[0] = max(together[0], _tree_memory(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    finished.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cadretool failed ({proc.returncode}): {stderr[-2000:]}")
    return elapsed, max(usage.ru_maxrss / 1024, together[0])


def _tree_memory(pid: int) -> float:
    """MB held now by a process and its children (Linux: proportional set size; else 0)."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) / 1024
        except (OSError, StopIteration, ValueError):
            continue  # gone, or not Linux
    return total


def with_findings(out: Path) -> float:
    """The share of people with at least one finding, read back from the annotated table."""
    import pandas as pd

    if out.suffix == ".csv":
        table = pd.read_csv(out, dtype=str, usecols=["审查结论", "不符合条款", "需核实事项"], keep_default_na=False)
    else:
        table = pd.read_excel(out, sheet_name=0, dtype=str, header=None, engine="calamine")
        table.columns = table.iloc[3]
        table = table.iloc[4:].fillna("")
    return float(((table["不符合条款"] != "") | (table["需核实事项"] != "")).mean())


def startup(work: Path, suffix: str) -> float:
    small = work / f"startup{suffix}"
    if suffix == ".csv":
        with small.open("w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerows([HEADERS, *make_rows(10)])
    else:
        write_xlsx(small, make_rows(10))
    return min(run_vet(small, work / f"startup_out{suffix}")[0] for _ in range(3))


def bench(kind: str, rows: int, work: Path, repeat: int, fixed: float) -> dict[str, float]:
    roster = work / f"roster_{rows}.{kind}"
    if not roster.exists():
        t = time.perf_counter()
        (write_xlsx(roster, make_rows(rows)) if kind == "xlsx" else write_csv(roster, rows))
        print(f"  (generated {roster.name} in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
    out = work / f"out_{rows}.{kind}"
    floor_fn = xlsx_floor if kind == "xlsx" else csv_floor
    floor = min(floor_fn(roster, work / f"floor_{rows}.{kind}") for _ in range(repeat))
    program = min(floor_process(kind, roster, work / f"floor_{rows}.{kind}") for _ in range(repeat))
    runs = [run_vet(roster, out) for _ in range(repeat)]
    ours = min(t for t, _ in runs)
    peak = max(m for _, m in runs)
    share = with_findings(out)
    if kind == "csv" and PARQUET:
        took, memory = run_vet(roster, work / f"out_{rows}.parquet")
        print(f"{rows:>10,} rows csv   → parquet {took:7.2f} s   ratio {took / floor:4.2f}   peak {memory:,.0f} MB")
    print(
        f"{rows:>10,} rows {kind:<4}  floor {floor:7.2f} s   cadretool {ours:7.2f} s (start-up {fixed:.2f} s)"
        f"   ratio {ours / floor:4.2f} ({(ours - fixed) / floor:4.2f} without start-up)"
        f"   peak {peak:,.0f} MB   {share:.0%} with a finding",
        flush=True,
    )
    print(f"{'':>16}floor as a fresh process {program:7.2f} s   ratio {ours / program:4.2f}", flush=True)
    if WHAT_IF and kind == "xlsx":
        took, memory = run_vet(roster, work / f"whatif_{rows}.xlsx", ("--set", "max_age_new_entrant=40", "--compare"))
        print(f"{'':>16}--set max_age_new_entrant=40 --compare {took:7.2f} s ({took / ours:.2f}x the plain run)"
              f"   peak {memory:,.0f} MB", flush=True)  # fmt: skip
    return {"rows": rows, "floor": floor, "ours": ours, "peak": peak, "program": program}


def scaling(runs: list[dict[str, float]], fixed: float) -> None:
    """Cost grows linearly with rows: each size against the smallest, start-up taken off."""
    first = runs[0]
    for run in runs[1:]:
        rows = run["rows"] / first["rows"]
        took = (run["ours"] - fixed) / (first["ours"] - fixed)
        print(
            f"  {run['rows']:,} vs {first['rows']:,} rows: {rows:.1f}x the rows, {took:.1f}x the time"
            f" (floor {run['floor'] / first['floor']:.1f}x), {run['peak'] / first['peak']:.1f}x the memory"
        )


def import_costs() -> None:
    """What a fresh process pays before reading a row."""
    for label, code in (
        ("python", "pass"),
        ("import pandas", "import pandas"),
        ("import pydantic", "import pydantic"),
        ("import cadretool.vet", "import cadretool.vet"),
    ):
        best = min(_timed([sys.executable, "-c", code]) for _ in range(3))
        print(f"  {label:<22} {best:5.2f} s")


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[3000, 100_000], help="xlsx roster sizes")
    parser.add_argument("--csv", type=int, nargs="*", default=[], help="CSV roster sizes")
    parser.add_argument("--national", action="store_true", help="also the 3,000,000-row CSV")
    parser.add_argument("--parquet", action="store_true", help="also write each CSV size's result as Parquet")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--what-if", action="store_true", help="also time --set … --compare on each xlsx size")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated files in this folder")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    global PARQUET, WHAT_IF
    PARQUET, WHAT_IF = args.parquet, args.what_if
    sizes_csv = list(args.csv) + ([3_000_000] if args.national else [])
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print("start-up costs (fresh process, best of 3):")
        import_costs()
        if args.sizes:
            fixed = startup(work, ".xlsx")
            print(f"  cadretool vet, 10-row xlsx {fixed:5.2f} s")
            for n in args.sizes:
                bench("xlsx", n, work, args.repeat, fixed)
        if sizes_csv:
            fixed = startup(work, ".csv")
            print(f"  cadretool vet, 10-row csv  {fixed:5.2f} s")
            runs = [bench("csv", n, work, args.repeat, fixed) for n in sizes_csv]
            scaling(runs, fixed)


if __name__ == "__main__":
    main()
