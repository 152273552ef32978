"""Reproduce the pension performance figures: 100,000 people with 10 contribution periods each.

    python benchmarks/bench_pension.py                  # 100,000 people × 10 periods (1,000,000 records)
    python benchmarks/bench_pension.py --people 20000   # a smaller run

It writes a roster (CSV) and a contribution file (CSV, months in mixed forms, overlapping and
duplicated periods, 至今) into a temporary folder, then measures in one run:
  read      = reading both files with the roster reader (header detection, ID checks, months);
  compute   = the whole pension computation on what was read (join by ID, month arithmetic,
              period merging by one sort and a cumulative-max sweep, flexible retirement,
              leaving allowance, findings);
  cli json  = `cadretool pension ROSTER -c RECORDS --format json` end to end in a fresh process;
  cli xlsx  = the same writing the workbook (-o OUT.xlsx --quiet).
Figures go in the issue notes, not in tests.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def id_number(birth: dt.date, sequence: int) -> str:
    first17 = f"522702{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def month_text(rng: random.Random, year: int, month: int) -> str:
    form = rng.random()
    if form < 0.4:
        return f"{year}-{month:02d}"
    if form < 0.7:
        return f"{year}.{month:02d}"
    if form < 0.9:
        return f"{year}年{month}月"
    return f"{year}{month:02d}"


def generate(folder: Path, people: int, periods: int, seed: int = 20261231) -> tuple[Path, Path]:
    rng = random.Random(seed)
    roster = folder / "全省村干部.csv"
    records = folder / "全省缴费记录.csv"
    with (
        roster.open("w", encoding="utf-8-sig", newline="") as r,
        records.open("w", encoding="utf-8-sig", newline="") as c,
    ):
        rw, cw = csv.writer(r), csv.writer(c)
        rw.writerow(["全省村(社区)干部花名册"])
        rw.writerow(
            ["序号", "姓名", "性别", "身份证号码", "乡镇(街道)", "村(社区)", "现任职务", "退休类别", "弹性退休"]
        )
        cw.writerow(["全省村(社区)干部养老保险缴费记录"])
        cw.writerow(["身份证号码", "姓名", "起始年月", "截止年月"])
        for n in range(people):
            male = rng.random() < 0.6
            birth = dt.date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28))
            number = id_number(birth, rng.randrange(1, 999, 2) if male else rng.randrange(2, 999, 2))
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            track = "" if rng.random() < 0.8 else ("女工人" if not male and rng.random() < 0.5 else "")
            flexible = rng.choice(["", "", "", "", "", "", "提前12个月", "延迟2年", "-6"])
            rw.writerow(
                [
                    n + 1,
                    name,
                    "男" if male else "女",
                    number,
                    f"第{n // 5000}镇",
                    f"第{n // 7}村",
                    "委员",
                    track,
                    flexible,
                ]
            )
            month = (birth.year + 18) * 12 + rng.randint(0, 11)
            for k in range(periods):
                start = month + rng.randint(-3, 6)  # some periods overlap the one before
                length = rng.randint(3, 30)
                end = start + length
                sy, sm = divmod(start, 12)
                ey, em = divmod(end, 12)
                last = k == periods - 1
                cw.writerow(
                    [
                        number,
                        name,
                        month_text(rng, sy, sm + 1),
                        "至今" if last and rng.random() < 0.5 else month_text(rng, ey, em + 1),
                    ]
                )
                month = end + rng.randint(1, 4)
    return roster, records


def timed(label: str, func):  # noqa: ANN001, ANN201
    started = time.perf_counter()
    value = func()
    print(f"{label:<10} {time.perf_counter() - started:8.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--no-cli", action="store_true", help="library figures only")
    args = parser.parse_args()

    from cadretool.pension import PARAMETERS, build_schedule, pension_of
    from cadretool.roster.columns import load_column_section
    from cadretool.roster.table import read_roster
    from cadretool.rules.jobparams import load_job_parameters
    from cadretool.rules.ruleset import load_ruleset

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster_path, records_path = timed("generate", lambda: generate(folder, args.people, args.periods))
        print(f"{args.people:,} people, {args.people * args.periods:,} contribution records")
        ruleset = load_ruleset()
        as_of = ruleset.election_date()
        params = load_job_parameters(ruleset, "pension.yaml", PARAMETERS, as_of)
        schedule = build_schedule(params, ruleset)
        spec = load_column_section(ruleset.path / "columns.yaml", "contribution_fields")

        def read():  # noqa: ANN202
            roster = read_roster([roster_path], ruleset.columns)
            records = read_roster([records_path], spec, required=("id_number", "name"), one_row_per_person=False)
            return roster, records

        roster, records = timed("read", read)
        result = timed("compute", lambda: pension_of(roster, records, spec, ruleset, params, schedule, as_of))
        print("summary   ", result.summary())
        if args.no_cli:
            return
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "cadretool", "pension", str(roster_path), "-c", str(records_path)]
        with open(os.devnull, "w") as sink:
            timed("cli json", lambda: subprocess.run([*command, "--format", "json"], stdout=sink, env=env, check=True))
            out = folder / "养老测算.xlsx"
            timed("cli xlsx", lambda: subprocess.run([*command, "-o", str(out), "--quiet"], env=env, check=True))


if __name__ == "__main__":
    main()
