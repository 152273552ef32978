"""The command line: parse options, call the library, render, choose the exit code.

Heavy libraries (pandas, openpyxl, XlsxWriter) are imported inside the commands, so
`cadretool --help` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cadretool import __version__
from cadretool.errors import CadreToolError, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from cadretool.results import VetResult

EXIT_OK, EXIT_FAIL_ON, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="cadretool",
    help="村(社区)“两委”换届人选审查、报酬与保障工具 — vet, pay and look after village cadres "
    "from the Excel rosters clerks already keep.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich's help renderer alone costs ~0.15 s
)
rules_app = typer.Typer(
    help="检查、列出和测试规则集 (check, list and test a rule set).", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(rules_app, name="rules")


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class FailOn(enum.StrEnum):
    ineligible = "ineligible"
    review = "review"


F = TypeVar("F", bound=Callable[..., Any])


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def error_line(message: str) -> None:
    """One line on stderr, no traceback, no markup surprises."""
    sys.stderr.write(f"cadretool: 错误: {message}\n")
    sys.stderr.flush()


def handles_errors(func: F) -> F:
    """Turn CadreToolError into one stderr line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CadreToolError as exc:
            error_line(str(exc))
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cadretool {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本号并退出 (show the version and exit)."
        ),
    ] = False,
) -> None:
    """村(社区)“两委”换届人选审查、报酬与保障工具."""


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"“{value}”不是 YYYY-MM-DD 格式的日期", param_hint=option) from None


# ---------------------------------------------------------------- options shared by commands
# Each option is declared once here and used by every command that takes it.

RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="规则集目录，默认使用内置规则集 (rule set folder).", show_default=False)
]
SheetOpt = Annotated[
    list[str] | None,
    typer.Option("--sheet", help="只读这些工作表，可重复 (read only these sheets).", show_default=False),
]
MaskOpt = Annotated[bool, typer.Option("--mask-ids", help="身份证号码只显示前6位和后4位 (mask ID numbers).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="不显示汇总和进度 (no summary or progress).")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="审查基准日 YYYY-MM-DD，默认规则集的选举日 (as-of date; default: the election date).",
        show_default=False,
    ),
]
EvidenceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--evidence", "-e", help="联审反馈表，可重复 (joint-review evidence file; repeatable).", show_default=False
    ),
]
RosterArgs = Annotated[
    list[str], typer.Argument(help="花名册文件、目录或通配符 (roster files, folders or globs).", show_default=False)
]
TableOrJson = Annotated[Format, typer.Option("--format", help="table 或 json (output format).")]
AdjustmentsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--adjustments",
        help="奖惩款项表（身份证号码、金额、事由、月份），可重复；只计入所发月份的记录 (adjustments; repeatable).",
        show_default=False,
    ),
]
PreviousOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--previous",
        help="以前月份的工资表（本工具写出的 xlsx 或 JSON），可重复：与上月比出“变动”，补发时作为已发数 "
        "(earlier payrolls; repeatable).",
        show_default=False,
    ),
]
BackPayFromOpt = Annotated[
    str | None,
    typer.Option(
        "--back-pay-from",
        help="从该月（YYYY-MM）起按当月适用的参数和定级时间计算补发，需用 --previous 给出这些月份实际发放的工资表 "
        "(back pay from this month).",
        show_default=False,
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="假设：本次运行把规则集的一个参数改为此值，可重复。NAME=VALUE（全部日期）或 NAME@YYYY-MM-DD=VALUE "
        "（自该日起）；表格参数的一项写 NAME.KEY=VALUE；取值按 YAML 写：40、高中、[a, b]、{本科: 0.06}、6% "
        "(what-if: override a rule-set parameter for this run; repeatable).",
        show_default=False,
    ),
]
CompareOpt = Annotated[
    bool,
    typer.Option(
        "--compare",
        help="与 --set 一起用：名册只读一次，按现行参数和假设参数各算一次，列出结论或金额变化的人、各村统计 "
        "(compare the what-if with the rule set's own values).",
    ),
]


def _overrides(values: list[str] | None, compare: bool) -> list[Any]:
    """The --set values parsed (a bad one is a one-line error now, before anything is read)."""
    if compare and not values:
        raise typer.BadParameter("--compare 需要至少一个 --set NAME=VALUE", param_hint="--compare")
    if not values:
        return []  # nothing imported: pandas loads on the other core while the roster is read
    from cadretool.rules.overrides import parse_override

    return [parse_override(v) for v in values]


def _print_what_if(overrides: list[Any], console: Console | None = None) -> None:
    """The visible 假设 line of a what-if run: above the summary, or on stderr beside JSON."""
    if not overrides:
        return
    from cadretool.rules.overrides import WHAT_IF, overrides_text

    text = f"{WHAT_IF} / what-if（不是已采纳的政策）: {overrides_text(overrides)}"
    if console is None:
        sys.stderr.write(f"cadretool: {text}\n")
    else:
        from rich.markup import escape

        console.print(f"[bold yellow]{escape(text)}[/bold yellow]")


def _what_if_rulesets(load: Callable[[Any], Any], overrides: list[Any], compare: bool) -> list[Any]:
    """The rule set(s) a run evaluates: its own; the what-if's; or both, its own first."""
    from cadretool.rules.overrides import load_with_overrides

    if not overrides:
        return [load(())]
    variant = load_with_overrides(load, overrides)
    return [load(()), variant] if compare else [variant]


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        sys.stderr.write(f"cadretool: 注意: {note}\n")


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        sys.stderr.write(f"cadretool: 警告: {warning}\n")


def _searched(rosters: list[str], who: str, where: str, errors: list[InputError]) -> str:
    """Who was not found, and in which of the files read (an ID number masked, as in every message)."""
    from cadretool.roster.idnumber import mask_id

    shown = mask_id(who) if any(c.isdigit() for c in who) else who
    unread = {Path(e.path).name for e in errors}
    searched = "、".join(n for n in (Path(r).name for r in rosters) if n not in unread)
    return f"{searched + '：' if searched else ''}{where}中找不到身份证号码或姓名为“{shown}”的人"


def _print_errors(errors: list[InputError]) -> None:
    for err in errors:
        error_line(str(err))


# ---------------------------------------------------------------- inspect


@app.command()
@handles_errors
def inspect(
    files: RosterArgs,
    rules: RulesOpt = None,
    sheet: SheetOpt = None,
    fmt: TableOrJson = Format.table,
    mask_ids: MaskOpt = False,
) -> None:
    """看看读到了什么：工作表、表头行、列对应、人数和数据问题 (what was read, and the data problems)."""
    from cadretool.inspection import inspect_json, inspect_rosters
    from cadretool.output.tables import dumps
    from cadretool.roster.readers import expand_inputs
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    notes: list[str] = []
    paths, missing = expand_inputs(files, notes)
    _print_notes(notes)
    roster = inspect_rosters(paths, ruleset, sheets=sheet)
    roster.errors[:0] = missing
    if fmt == Format.json:
        sys.stdout.write(dumps(inspect_json(roster, mask_ids=mask_ids)))
    else:
        from cadretool.output.terminal import print_inspect

        print_inspect(_stdout(), roster, mask_ids=mask_ids)
    _print_warnings(roster.warnings)
    _print_errors(roster.errors)
    raise typer.Exit(EXIT_ERROR if roster.errors else EXIT_OK)


# ---------------------------------------------------------------- vet


@app.command()
@handles_errors
def vet(
    rosters: RosterArgs,
    evidence: EvidenceOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件 .xlsx（审查结果工作簿）或 .csv/.parquet（一张表）。默认在每个输入旁写 "
            "<文件名>_审查结果.xlsx (output workbook or table).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="table: 终端汇总并写工作簿; json: 结果 JSON 写到标准输出; csv: 每条发现一行写到标准输出。"
            "json/csv 时只有给出 -o 才写文件.",
        ),
    ] = Format.table,
    json_file: Annotated[
        Path | None,
        typer.Option("--json", help="同时把结果 JSON 写入此文件 (also write JSON here).", show_default=False),
    ] = None,
    mask_ids: MaskOpt = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="有人不合格（ineligible）或待核实及以上（review）时退出码为 1 (exit 1 when met).",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
    compare: CompareOpt = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="同时审查的进程数。一张20万行以上的 CSV 输出为 .csv/.parquet 时，默认按核数（至多8个）分段并行；"
            "1 为单进程 (processes: a big CSV written to one table is vetted in parts on every core).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """按双十清单审查人选，合并联审意见，写出审查结果工作簿 (vet candidates against the rules)."""
    from cadretool.output.files import TABLE_SUFFIXES, check_output_paths
    from cadretool.roster.readers import expand_inputs, read_all

    as_of_date = parse_date_option(as_of, "--as-of")
    overrides = _overrides(set_values, compare)
    rulesets = None
    if overrides:  # a --set the rule set cannot take fails before a roster is read
        from cadretool.rules.ruleset import load_ruleset

        rulesets = _what_if_rulesets(lambda o: load_ruleset(rules, o), overrides, compare)
    # pandas and friends import on the other core while the workbooks are parsed
    preload = _preload_in_background()
    notes: list[str] = []
    paths, missing = expand_inputs(rosters, notes)
    evidence_paths, evidence_missing = expand_inputs(evidence or [])
    check_output_paths(output, json_file, paths + evidence_paths)
    with _vet_progress(not quiet and sys.stderr.isatty(), paths) as progress:
        books = read_all(paths, sheet, on_bytes=progress.read)
        preload.join()
        from cadretool.output.files import write_vet_outputs
        from cadretool.rules.ruleset import load_ruleset
        from cadretool.vet import vet_under

        rulesets = rulesets or [load_ruleset(rules)]
        in_parts = None
        # one table out and a summary: a big table may be vetted in parts (cadretool.vet_parts)
        if output is not None and output.suffix.lower() in TABLE_SUFFIXES and json_file is None:
            if fmt == Format.table and not (missing or evidence or sheet or overrides):
                in_parts = _vet_in_parts(books, rulesets[0], jobs, as_of_date, output, mask_ids, progress, notes)
        if in_parts is not None:
            result, written = in_parts
            result.notes[:0] = notes
        else:
            # the job returns everything, unreadable inputs included, before anything is written
            results = vet_under(
                [*missing, *books],
                rulesets,
                as_of=as_of_date,
                evidence=[*evidence_missing, *evidence_paths],
                sheets=sheet,
                on_phase=progress.phase,
            )
            result = results[-1]
            if compare:
                from cadretool.compare import compare_vet

                result.comparison = compare_vet(results[0], result, rulesets[0], rulesets[-1])
            result.notes[:0] = notes
            progress.phase("写出结果", len(result.people))
            written = write_vet_outputs(
                result, output=output, json_file=json_file, beside_inputs=fmt == Format.table, mask_ids=mask_ids
            )
    _render_vet(result, fmt, quiet, mask_ids, written)
    raise typer.Exit(_exit_code(result, fail_on))


def _vet_in_parts(
    books: list[Any],
    ruleset: Any,
    jobs: int | None,
    as_of: dt.date | None,
    output: Path,
    mask_ids: bool,
    progress: Any,
    notes: list[str],
) -> tuple[VetResult, list[Path]] | None:
    """One big table vetted in parts on every core (cadretool.vet_parts), where it can be; None
    to vet it whole (a note says why, where the parts were started and one failed)."""
    from cadretool.vet_parts import parts_wanted, vet_in_parts

    count = parts_wanted(books, ruleset, jobs)
    if count < 2:
        return None
    done = vet_in_parts(
        books[0], ruleset, count=count, as_of=as_of, output=output, mask_ids=mask_ids, on_phase=progress.phase
    )
    if isinstance(done, str):
        notes.append(done)
        return None
    return done


def _render_vet(result: VetResult, fmt: Format, quiet: bool, mask_ids: bool, written: list[Path]) -> None:
    if fmt == Format.json:
        from cadretool.output.tables import write_vet_json

        write_vet_json(sys.stdout, result, mask_ids=mask_ids)
    elif fmt == Format.csv:
        from cadretool.output.tables import findings_csv

        sys.stdout.write(findings_csv(result, mask_ids=mask_ids))
    elif not quiet and (len(result.people) or not result.errors):
        from cadretool.output.terminal import print_vet_summary

        console = _stdout()
        _print_what_if(result.overrides, console)
        print_vet_summary(console, result)
        _print_comparison(console, result, mask_ids)
        for path in written:
            console.print(f"已写出 {path}")
    if fmt != Format.table or quiet:
        _print_what_if(result.overrides)
    _print_notes(result.notes)
    _print_warnings(result.warnings)
    _print_errors(result.errors)


def _print_comparison(console: Console, result: Any, mask_ids: bool) -> None:
    if result.comparison is not None:
        from cadretool.output.compare_output import print_comparison

        print_comparison(console, result.comparison, mask_ids=mask_ids)


class _VetProgress:
    """How far a vet run is, on an interactive stderr: the bytes of the rosters read (of their
    total), then each step with the number of people, and the time taken so far."""

    READ_SHARE, WRITE_SHARE = 40.0, 20.0  # of 100: reading, writing; the steps between share the rest

    def __init__(self, progress: Any, total_bytes: int) -> None:
        from cadretool.catalogue import VET_PHASES

        self.progress = progress
        self.total_bytes = max(total_bytes, 1)
        self.done_bytes = 0
        self.steps = list(VET_PHASES)
        self.task = progress.add_task("读取花名册", total=100.0, detail=self._bytes_text())

    def _bytes_text(self) -> str:
        return f"已读 {self.done_bytes / 1024**2:,.1f} / {self.total_bytes / 1024**2:,.1f} MB"

    def read(self, n: int) -> None:
        self.done_bytes = min(self.done_bytes + n, self.total_bytes)
        share = self.READ_SHARE * self.done_bytes / self.total_bytes
        self.progress.update(self.task, completed=share, detail=self._bytes_text())

    def phase(self, name: str, people: int, share: float = 0.0) -> None:
        if name in self.steps:
            step = (100 - self.READ_SHARE - self.WRITE_SHARE) / len(self.steps)
            done = self.READ_SHARE + step * (self.steps.index(name) + share)
        else:  # writing the outputs
            done = 100 - self.WRITE_SHARE
        detail = f"{people:,} 人" if people else self._bytes_text()
        self.progress.update(self.task, description=name, completed=done, detail=detail)


class _Silent:
    def read(self, n: int) -> None:
        pass

    def phase(self, name: str, people: int, share: float = 0.0) -> None:
        pass


@contextlib.contextmanager
def _status(show: bool, text: str) -> Iterator[Callable[[str], None]]:
    """A status line on an interactive stderr (a job without a progress bar); `update(text)` changes it."""
    if not show:
        yield lambda _text: None
        return
    status = _stderr().status(text)
    status.start()
    try:
        yield status.update
    finally:
        status.stop()


@contextlib.contextmanager
def _vet_progress(show: bool, paths: list[Path]) -> Iterator[_VetProgress | _Silent]:
    """A progress bar on an interactive stderr (gone when the run ends); nothing otherwise."""
    if not show:
        yield _Silent()
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=_stderr(),
        transient=True,
    )
    progress.start()
    try:
        yield _VetProgress(progress, total)
    finally:
        progress.stop()


def _preload_in_background() -> Any:
    import threading

    def load() -> None:
        import cadretool.output.tables
        import cadretool.output.workbook
        import cadretool.vet  # noqa: F401

    thread = threading.Thread(target=load, name="preload", daemon=True)
    thread.start()
    return thread


def _exit_code(result: VetResult, fail_on: FailOn | None) -> int:
    if result.errors:
        return EXIT_ERROR
    summary = result.summary()
    if fail_on == FailOn.ineligible and summary["ineligible"]:
        return EXIT_FAIL_ON
    if fail_on == FailOn.review and (summary["ineligible"] or summary["review"]):
        return EXIT_FAIL_ON
    return EXIT_OK


# ---------------------------------------------------------------- explain


@app.command()
@handles_errors
def explain(
    roster: RosterArgs,
    id_number: Annotated[
        str, typer.Option("--id", help="要说明的人的身份证号码（或姓名）(ID number, or name).", show_default=False)
    ],
    evidence: EvidenceOpt = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    fmt: TableOrJson = Format.table,
    mask_ids: MaskOpt = False,
    pay_month: Annotated[
        str | None,
        typer.Option(
            "--pay",
            help="说明该月（YYYY-MM）报酬的每一项：读到的值、所用参数的取值、起始日期和依据 (explain a pay line).",
            show_default=False,
        ),
    ] = None,
    adjustments: AdjustmentsOpt = None,
    previous: PreviousOpt = None,
    back_pay_from: BackPayFromOpt = None,
    set_values: SetOpt = None,
) -> None:
    """逐条说明每条规则对某个人是怎么判断的及读到的值；--pay 说明某月报酬的算法；--set 按假设参数说明
    (how each rule decided; under a what-if with --set)."""
    from cadretool.explain import explain_person, print_explanation
    from cadretool.output.tables import dumps
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet as run_vet

    overrides = _overrides(set_values, False)
    if pay_month is not None:
        _explain_pay(
            roster, id_number, pay_month, adjustments, previous, back_pay_from, rules, sheet, fmt, mask_ids, overrides
        )
        return
    as_of_date = parse_date_option(as_of, "--as-of")
    [ruleset] = _what_if_rulesets(lambda o: load_ruleset(rules, o), overrides, False)
    _print_what_if(overrides, None if fmt == Format.json else _stdout())
    result = run_vet(roster, ruleset, as_of=as_of_date, evidence=evidence or [], sheets=sheet)
    if mask_ids:
        from cadretool.output.present import with_text_masked

        result = with_text_masked(result)  # a department's 说明 may quote an ID
    errors = result.errors
    explanations = explain_person(result, ruleset, id_number, mask_ids=mask_ids)
    if not explanations:
        _print_errors(errors)
        raise CadreToolError(f"{_searched(roster, id_number, '花名册', errors)} (no such person in the roster)")
    if fmt == Format.json:
        sys.stdout.write(
            dumps(
                {"schema_version": 1, "command": "explain", "as_of": result.as_of.isoformat(), "people": explanations}
            )
        )
    else:
        print_explanation(_stdout(), explanations)
    _print_errors(errors)
    raise typer.Exit(EXIT_ERROR if errors else EXIT_OK)


# ---------------------------------------------------------------- template


@app.command()
@handles_errors
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="模板文件名 (.xlsx).")] = Path(
        "两委换届人选花名册模板.xlsx"
    ),
    rules: RulesOpt = None,
) -> None:
    """生成空白花名册模板：标准表头、下拉选项、身份证列为文本、填表说明 (a blank roster template)."""
    from cadretool.output.safety import atomic_output
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise typer.BadParameter("模板文件应为 .xlsx", param_hint="--output")
    ruleset = load_ruleset(rules)
    with atomic_output(output) as tmp:
        write_template(tmp, ruleset)
    _stdout().print(f"已写出 {output}")


# ---------------------------------------------------------------- report


class ReportFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command()
@handles_errors
def report(
    current: Annotated[
        list[str],
        typer.Argument(help="本期人选花名册：文件、目录或通配符 (the current roster).", show_default=False),
    ],
    baseline: Annotated[
        list[str] | None,
        typer.Option(
            "--baseline",
            "-b",
            help="基期（上一届）花名册，可重复 (the previous term's roster; repeatable). 不给时只列本期数字.",
            show_default=False,
        ),
    ] = None,
    villages: Annotated[
        Path | None,
        typer.Option(
            "--villages",
            help="全部村(社区)名单（乡镇、村(社区)两列，或每行一个村名），用来检查哪些村没有人选 (every village).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    baseline_as_of: Annotated[
        str | None,
        typer.Option(
            "--baseline-as-of",
            help="基期名册计算年龄的基准日 YYYY-MM-DD，默认比 --as-of 早一届（5年）(as-of date of the baseline).",
            show_default=False,
        ),
    ] = None,
    rules: RulesOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="指标报告工作簿 .xlsx。默认在本期花名册旁写 <文件名>_指标报告.xlsx (the report workbook).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format", help="table: 终端汇总并写工作簿; json: 结果 JSON 写到标准输出（给出 -o 时也写工作簿）."
        ),
    ] = ReportFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """“一降两升”指标：本期与基期人选的平均年龄、大专及以上、能力特长占比，五荐人数，无人选的村 (indicators)."""
    from cadretool.output.safety import atomic_output, default_output_path, ensure_not_input, unique_output_path
    from cadretool.roster.readers import expand_inputs

    if output is not None and output.suffix.lower() != ".xlsx":
        raise typer.BadParameter("指标报告应为 .xlsx 文件", param_hint="--output")
    as_of_date = parse_date_option(as_of, "--as-of")
    baseline_date = parse_date_option(baseline_as_of, "--baseline-as-of")
    notes: list[str] = []
    paths, missing = expand_inputs(current, notes)
    baseline_paths, baseline_missing = expand_inputs(baseline or [], notes)
    if output is not None:
        ensure_not_input(output, paths + baseline_paths + ([villages] if villages else []))
        if not output.parent.is_dir():
            raise CadreToolError(f"{output}: 输出目录 {output.parent} 不存在 (output folder does not exist)")
    from cadretool.output.report_json import report_json
    from cadretool.output.report_workbook import write_report_workbook
    from cadretool.report import report as run_report
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    as_of_date = as_of_date or ruleset.election_date()
    if baseline_date is not None and baseline_date > as_of_date:
        raise typer.BadParameter(
            f"基期基准日 {baseline_date} 晚于本期基准日 {as_of_date}", param_hint="--baseline-as-of"
        )
    result = run_report(
        [*missing, *paths],
        ruleset,
        baseline=[*baseline_missing, *baseline_paths],
        villages=villages,
        as_of=as_of_date,
        baseline_as_of=baseline_date,
    )
    result.notes[:0] = notes
    written: list[Path] = []
    target = output
    if target is None and fmt == ReportFormat.table and result.current.inputs:
        first = result.current.inputs[0].path
        # one roster: beside it; a folder: beside the folder; several files: beside the first
        if len(current) == 1 and Path(current[0]).is_dir():
            target = default_output_path(Path(current[0]).resolve(), "_指标报告")
        elif len(result.current.inputs) > 1:
            target = unique_output_path(first.parent / "指标报告.xlsx")
        else:
            target = default_output_path(first, "_指标报告")
    if target is not None:
        with atomic_output(target) as tmp:
            write_report_workbook(tmp, result)
        written.append(target)
    if fmt == ReportFormat.json:
        from cadretool.output.tables import dumps

        sys.stdout.write(dumps(report_json(result)))
    elif not quiet and (len(result.current.frame) or not result.errors):
        from cadretool.output.report_terminal import print_report_summary

        console = _stdout()
        print_report_summary(console, result)
        for path in written:
            console.print(f"已写出 {path}")
    _print_notes(result.notes)
    _print_warnings(result.warnings)
    _print_errors(result.errors)
    raise typer.Exit(EXIT_ERROR if result.errors else EXIT_OK)


# ---------------------------------------------------------------- diff


@app.command()
@handles_errors
def diff(
    old: Annotated[Path, typer.Argument(help="之前的结果 JSON（--format json 或 --json 写出）(the earlier result).")],
    new: Annotated[Path, typer.Argument(help="之后的结果 JSON，同一命令 (the later result of the same command).")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="对比工作簿 .xlsx (the comparison workbook).", show_default=False),
    ] = None,
    fmt: TableOrJson = Format.table,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """比较同一命令的两次结果（初审与复审、本月与上月工资）：谁新增、减少或变化及原因 (compare two results)."""
    from cadretool.compare import diff_results, read_result_json
    from cadretool.output.hr_files import check_xlsx_output

    _table_or_json(fmt)
    check_xlsx_output(output, None, [old, new])
    comparison = diff_results(read_result_json(old), read_result_json(new), str(old), str(new))
    written = []
    if output is not None:
        from cadretool.output.compare_output import write_diff_workbook
        from cadretool.output.safety import atomic_output

        with atomic_output(output) as tmp:
            write_diff_workbook(tmp, comparison, mask_ids=mask_ids)
        written.append(output)
    if fmt == Format.json:
        from cadretool.output.compare_output import comparison_json
        from cadretool.output.tables import SCHEMA_VERSION, dumps

        data = {"schema_version": SCHEMA_VERSION, "command": "diff", "of": comparison.command}
        sys.stdout.write(dumps({**data, "comparison": comparison_json(comparison, mask_ids=mask_ids)}))
    elif not quiet:
        from cadretool.output.compare_output import print_comparison

        console = _stdout()
        print_comparison(console, comparison, mask_ids=mask_ids)
        for path in written:
            console.print(f"已写出 {path}")
    raise typer.Exit(EXIT_OK)


# ---------------------------------------------------------------- schema


class SchemaCommand(enum.StrEnum):
    vet = "vet"
    report = "report"
    pension = "pension"
    career = "career"
    tuition = "tuition"
    pay = "pay"
    bonus = "bonus"
    pool = "pool"
    diff = "diff"


@app.command()
@handles_errors
def schema(
    command: Annotated[SchemaCommand, typer.Argument(help="命令名 (the command whose JSON output is described).")],
) -> None:
    """输出某个命令 --format json 结果的 JSON Schema (the JSON Schema of a command's JSON output)."""
    from cadretool.output.schema import json_schema
    from cadretool.output.tables import dumps

    sys.stdout.write(dumps(json_schema(command.value)))


# ---------------------------------------------------------------- rules


@rules_app.command("check")
@handles_errors
def rules_check(
    directory: Annotated[Path | None, typer.Argument(help="规则集目录，默认内置规则集.", show_default=False)] = None,
) -> None:
    """检查规则集能否加载：键、编号、字段、参数、表达式和类型，以及 tests/ 中的用例文件 (validate a rule set)."""
    from cadretool.rules.casetest import check_cases
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(directory)
    cases = check_cases(ruleset)  # case files are checked like rules, without running them
    from cadretool.report import load_report_parameters
    from cadretool.rules.jobparams import check_job_files

    load_report_parameters(ruleset, ruleset.election_date())  # report.yaml, loaded only by `report`
    jobs = check_job_files(ruleset)  # pension.yaml, career.yaml, tuition.yaml as their jobs load them
    if (ruleset.path / "pay.yaml").is_file():
        from cadretool.rules.payrules import load_pay_rules

        jobs.append(f"{len(load_pay_rules(ruleset).params)} 个报酬参数")
    _stdout().print(
        f"规则集“{ruleset.name}”版本 {ruleset.version}：{len(ruleset.all_rules)} 条规则，"
        f"{len(ruleset.params)} 个参数"
        + (f"（另有 {'、'.join(jobs)}）" if jobs else "")
        + f"，{cases} 个测试用例，检查通过。sha256 {ruleset.sha256}"
    )


@rules_app.command("list")
@handles_errors
def rules_list(
    rules: RulesOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="参数取值的日期 YYYY-MM-DD.", show_default=False)] = None,
    fmt: TableOrJson = Format.table,
) -> None:
    """列出规则：编号、名称、适用对象、条件、级别、依据和参数取值 (list the rules)."""
    import dataclasses

    from cadretool.catalogue import KIND_LABELS, SEVERITY_LABELS
    from cadretool.output.tables import dumps
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import rule_infos

    ruleset = load_ruleset(rules)
    date = parse_date_option(as_of, "--as-of") or ruleset.election_date()
    infos = rule_infos(ruleset, date)
    if fmt == Format.json:
        sys.stdout.write(
            dumps(
                {
                    "schema_version": 1,
                    "command": "rules list",
                    "as_of": date.isoformat(),
                    "rules": {"name": ruleset.name, "version": ruleset.version, "sha256": ruleset.sha256},
                    "items": [{**dataclasses.asdict(i), "kind_label": KIND_LABELS[i.kind]} for i in infos],
                }
            )
        )
        return
    from rich.table import Table

    table = Table(
        title=f"{ruleset.name}（{ruleset.version}，参数取 {date} 的值）", header_style="bold", show_lines=True
    )
    for col in ("编号", "名称", "类别", "级别", "适用", "条件", "参数", "依据"):
        table.add_column(col, overflow="fold")
    for i in infos:
        table.add_row(
            i.id,
            i.title,
            KIND_LABELS[i.kind],
            SEVERITY_LABELS[i.severity],
            i.applies_to,
            i.condition,
            "\n".join(f"{k}={v}" for k, v in i.parameters.items()),
            i.basis,
        )
    _stdout().print(table)


@rules_app.command("test")
@handles_errors
def rules_test(
    directory: Annotated[Path | None, typer.Argument(help="规则集目录，默认内置规则集.", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="列出每个用例.")] = False,
) -> None:
    """运行规则集 tests/ 中的 YAML 用例：输入 → 期望的结论和条款 (run the rule set's test cases)."""
    from cadretool.rules.casetest import run_cases
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(directory)
    outcomes = run_cases(ruleset)
    console = _stdout()
    failed = [o for o in outcomes if not o.passed]
    for o in outcomes:
        if verbose or not o.passed:
            mark = "[green]通过[/green]" if o.passed else "[red]失败[/red]"
            console.print(f"{mark} {o.file}:{o.line} {o.name}")
            for problem in o.problems:
                console.print(f"    {problem}", markup=False)
    console.print(f"{len(outcomes)} 个用例，{len(outcomes) - len(failed)} 个通过，{len(failed)} 个失败")
    if not outcomes:
        raise CadreToolError(f"{ruleset.path / 'tests'}: 没有找到测试用例 (no test cases)")
    raise typer.Exit(EXIT_FAIL_ON if failed else EXIT_OK)


# ---------------------------------------------------------------- pension, career, tuition (SPEC §7)

HrOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="输出工作簿 .xlsx；默认 table 格式时写在第一个输入旁 (output workbook).",
        show_default=False,
    ),
]
JsonFileOpt = Annotated[
    Path | None,
    typer.Option("--json", help="同时把结果 JSON 写入此文件 (also write JSON here).", show_default=False),
]


def _table_or_json(fmt: Format) -> None:
    """The HR jobs write a workbook and JSON; one row per finding (csv) is vet's."""
    if fmt not in (Format.table, Format.json):
        raise typer.BadParameter("只支持 table 或 json (table or json)", param_hint="--format")


def _run_hr_job(
    result: Any,
    *,
    fmt: Format,
    quiet: bool,
    mask_ids: bool,
    output: Path | None,
    json_file: Path | None,
    beside: Path | None,
    suffix: str,
    write_workbook: Callable[..., None],
    build_json: Callable[..., dict[str, Any]],
    print_summary: Callable[..., None],
) -> None:
    """Write, render and exit the same way for every HR job: JSON on stdout or a summary, notes,
    warnings and errors on stderr, exit 2 when an input could not be read."""
    from cadretool.output.hr_files import write_job_outputs
    from cadretool.output.tables import dumps

    anyone = len(result.people) if hasattr(result, "people") else len(result.claims)
    written = write_job_outputs(
        result,
        write_workbook=lambda path, r: write_workbook(path, r, mask_ids=mask_ids),
        json_text=lambda r: dumps(build_json(r, mask_ids=mask_ids)),
        output=output,
        json_file=json_file,
        beside=beside if fmt == Format.table and (anyone or not result.errors) else None,
        suffix=suffix,
    )
    _render_job(
        result,
        written,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        summary=bool(anyone or not result.errors),
        build_json=build_json,
        print_summary=lambda console, r: print_summary(console, r, mask_ids=mask_ids),
    )


def _render_job(
    result: Any,
    written: list[Path],
    *,
    fmt: Format,
    quiet: bool,
    mask_ids: bool,
    summary: bool,
    build_json: Callable[..., dict[str, Any]],
    print_summary: Callable[[Any, Any], None],
) -> None:
    """JSON on stdout or the terminal summary (with the what-if line and any comparison), then
    notes, warnings and errors on stderr; exit 2 when an input could not be read."""
    if fmt == Format.json:
        from cadretool.output.tables import dumps

        sys.stdout.write(dumps(build_json(result, mask_ids=mask_ids)))
    elif not quiet and summary:
        console = _stdout()
        _print_what_if(result.overrides, console)
        print_summary(console, result)
        _print_comparison(console, result, mask_ids)
        for path in written:
            console.print(f"已写出 {path}")
    if fmt != Format.table or quiet:
        _print_what_if(result.overrides)
    _print_notes(result.notes)
    _print_warnings(result.warnings)
    _print_errors(result.errors)
    raise typer.Exit(EXIT_ERROR if result.errors else EXIT_OK)


@app.command()
@handles_errors
def pension(
    rosters: RosterArgs,
    contributions: Annotated[
        list[str],
        typer.Option(
            "--contributions",
            "-c",
            help="养老保险缴费记录（身份证号码、起始年月、截止年月），可重复 (contribution records; repeatable).",
            show_default=False,
        ),
    ],
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    output: HrOutputOpt = None,
    fmt: TableOrJson = Format.table,
    json_file: JsonFileOpt = None,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
    compare: CompareOpt = False,
) -> None:
    """养老测算：法定退休年月、已缴和退休时缴费月数、最低缴费年限、弹性退休、离任生活补贴 (pension tenure)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    as_of_date = parse_date_option(as_of, "--as-of")
    overrides = _overrides(set_values, compare)
    notes: list[str] = []
    paths, missing = expand_inputs(rosters, notes)
    record_paths, records_missing = expand_inputs(contributions, notes)
    check_xlsx_output(output, json_file, paths + record_paths)
    from cadretool.output.hr_terminal import print_pension
    from cadretool.output.pension_json import pension_json
    from cadretool.output.pension_workbook import write_pension_workbook
    from cadretool.pension import pension_under
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    results = pension_under(
        [*missing, *paths],
        ruleset,
        [(), overrides] if compare else [overrides],
        contributions=[*records_missing, *record_paths],
        as_of=as_of_date,
        sheets=sheet,
    )
    result = results[-1]
    if compare:
        from cadretool.compare import compare_pension

        result.comparison = compare_pension(results[0], result)
    result.notes[:0] = notes
    _run_hr_job(
        result,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        output=output,
        json_file=json_file,
        beside=paths[0] if paths else None,
        suffix="_养老测算",
        write_workbook=write_pension_workbook,
        build_json=pension_json,
        print_summary=print_pension,
    )


@app.command()
@handles_errors
def career(
    rosters: RosterArgs,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    output: HrOutputOpt = None,
    fmt: TableOrJson = Format.table,
    json_file: JsonFileOpt = None,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
) -> None:
    """晋升渠道：正职的任正职届数和考核优秀次数是否达到事业单位招录条件，差一项的也列出 (promotion channel)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    as_of_date = parse_date_option(as_of, "--as-of")
    overrides = _overrides(set_values, False)
    notes: list[str] = []
    paths, missing = expand_inputs(rosters, notes)
    check_xlsx_output(output, json_file, paths)
    from cadretool.career import career as run_career
    from cadretool.output.career_output import career_json, write_career_workbook
    from cadretool.output.hr_terminal import print_career
    from cadretool.rules.ruleset import load_ruleset

    result = run_career([*missing, *paths], load_ruleset(rules), as_of=as_of_date, sheets=sheet, overrides=overrides)
    result.notes[:0] = notes
    _run_hr_job(
        result,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        output=output,
        json_file=json_file,
        beside=paths[0] if paths else None,
        suffix="_晋升渠道",
        write_workbook=write_career_workbook,
        build_json=career_json,
        print_summary=print_career,
    )


@app.command()
@handles_errors
def tuition(
    claims: Annotated[
        list[str],
        typer.Argument(
            help="学费报销申请表（身份证号码、姓名、学历层次、学习形式、学费、毕业时间）(claim files).",
            show_default=False,
        ),
    ],
    roster: Annotated[
        list[str],
        typer.Option(
            "--roster",
            "-r",
            help="在任干部花名册，可重复 (the roster of serving cadres; repeatable).",
            show_default=False,
        ),
    ],
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    output: HrOutputOpt = None,
    fmt: TableOrJson = Format.table,
    json_file: JsonFileOpt = None,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
) -> None:
    """在职学历学费报销：本科报销1/2、研究生报销2/3，不在任或全日制的拒绝并说明原因 (tuition claims)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    as_of_date = parse_date_option(as_of, "--as-of")
    overrides = _overrides(set_values, False)
    notes: list[str] = []
    claim_paths, claims_missing = expand_inputs(claims, notes)
    roster_paths, roster_missing = expand_inputs(roster, notes)
    check_xlsx_output(output, json_file, claim_paths + roster_paths)
    from cadretool.output.hr_terminal import print_tuition
    from cadretool.output.tuition_output import tuition_json, write_tuition_workbook
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.tuition import tuition as run_tuition

    result = run_tuition(
        [*claims_missing, *claim_paths],
        load_ruleset(rules),
        rosters=[*roster_missing, *roster_paths],
        as_of=as_of_date,
        sheets=sheet,
        overrides=overrides,
    )
    result.notes[:0] = notes
    _run_hr_job(
        result,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        output=output,
        json_file=json_file,
        beside=claim_paths[0] if claim_paths else None,
        suffix="_报销审核",
        write_workbook=write_tuition_workbook,
        build_json=tuition_json,
        print_summary=print_tuition,
    )


# ---------------------------------------------------------------- the talent pool (SPEC §8.1)


@app.command()
@handles_errors
def pool(
    pools: Annotated[
        list[str],
        typer.Argument(
            help="人才库名册（三级青年人才信息库）：文件、目录或通配符 (the talent pool).", show_default=False
        ),
    ],
    roster: Annotated[
        list[str] | None,
        typer.Option(
            "--roster",
            "-r",
            help="现任“两委”干部花名册，可重复：副职→正职、主任→一肩挑、正职→事业单位 (the cadre roster).",
            show_default=False,
        ),
    ] = None,
    villages: Annotated[
        Path | None,
        typer.Option(
            "--villages",
            help="全部村(社区)名单：没有后备人才的村也列出 (every village).",
            show_default=False,
        ),
    ] = None,
    training: Annotated[
        list[str] | None,
        typer.Option(
            "--training",
            "-t",
            help="培训记录（身份证号码、培训项目、开始日期、结束日期、学时、结果），可重复 (training records).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="双百培训统计年度，默认基准日所在年 (training year).", show_default=False),
    ] = None,
    rules: RulesOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    output: HrOutputOpt = None,
    fmt: TableOrJson = Format.table,
    json_file: JsonFileOpt = None,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """人才库：一村一分析、一乡镇一研判，成长阶梯（谁现在就能进、差在哪条），双百培训 (talent pool)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    as_of_date = parse_date_option(as_of, "--as-of")
    if year is not None and not 1900 <= year <= 2200:
        raise typer.BadParameter(f"“{year}”不是年度", param_hint="--year")
    notes: list[str] = []
    paths, missing = expand_inputs(pools, notes)
    roster_paths, roster_missing = expand_inputs(roster or [], notes)
    training_paths, training_missing = expand_inputs(training or [], notes)
    check_xlsx_output(output, json_file, paths + roster_paths + training_paths + ([villages] if villages else []))
    from cadretool.output.pool_output import pool_json, write_pool_workbook
    from cadretool.output.pool_terminal import print_pool
    from cadretool.pool import pool as run_pool
    from cadretool.rules.ruleset import load_ruleset

    result = run_pool(
        [*missing, *paths],
        load_ruleset(rules),
        roster=[*roster_missing, *roster_paths],
        villages=villages,
        training=[*training_missing, *training_paths],
        year=year,
        as_of=as_of_date,
        sheets=sheet,
    )
    result.notes[:0] = notes
    _run_hr_job(
        result,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        output=output,
        json_file=json_file,
        beside=paths[0] if paths else None,
        suffix="_人才库研判",
        write_workbook=write_pool_workbook,
        build_json=pool_json,
        print_summary=print_pool,
    )


# ---------------------------------------------------------------- pay and bonus


def parse_month_option(value: str | None, option: str) -> int | None:
    """A month option (2026-11, 2026.11, 2026年11月) as a whole-number month; a usage error otherwise."""
    if value is None:
        return None
    from cadretool.money import parse_month

    try:
        return parse_month(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@app.command()
@handles_errors
def pay(
    rosters: RosterArgs,
    month: Annotated[
        str,
        typer.Option("--month", help="所发月份 YYYY-MM（也可写 2026年11月）(the month paid).", show_default=False),
    ],
    adjustments: AdjustmentsOpt = None,
    previous: PreviousOpt = None,
    back_pay_from: BackPayFromOpt = None,
    rules: RulesOpt = None,
    sheet: SheetOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="工资表 .xlsx；默认在花名册旁写 <文件名>_工资表_<月份>.xlsx (payroll workbook).",
            show_default=False,
        ),
    ] = None,
    fmt: TableOrJson = Format.table,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
    compare: CompareOpt = False,
) -> None:
    """计算在职“两委”干部某月报酬：岗位报酬、学历上浮、绩效、奖惩，按村、乡镇、全县合计 (monthly pay)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.pay_inputs import side_paths
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    month_no = parse_month_option(month, "--month")
    assert month_no is not None
    from_no = parse_month_option(back_pay_from, "--back-pay-from")
    if from_no is not None and from_no >= month_no:
        raise typer.BadParameter("补发起始月份应早于所发月份", param_hint="--back-pay-from")
    overrides = _overrides(set_values, compare)
    notes: list[str] = []
    paths, missing = expand_inputs(rosters, notes)
    adjustment_paths, adjustment_missing = side_paths(adjustments or [])
    previous_paths, previous_missing = side_paths(previous or [])
    check_xlsx_output(output, None, paths + adjustment_paths + previous_paths)
    from cadretool.output.pay_workbook import write_pay_outputs
    from cadretool.pay import pay_under
    from cadretool.rules.payrules import load_pay_rules
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    pay_rules = _what_if_rulesets(lambda o: load_pay_rules(ruleset, o), overrides, compare)
    interactive = not quiet and fmt == Format.table and sys.stderr.isatty()
    with _status(interactive, "正在计算报酬……") as status:
        results = pay_under(
            [*missing, *paths],
            ruleset,
            pay_rules,
            month=month_no,
            adjustments=[*adjustment_missing, *adjustment_paths],
            previous=[*previous_missing, *previous_paths],
            back_pay_from=from_no,
            sheets=sheet,
        )
        result = results[-1]
        if compare:
            from cadretool.compare import compare_pay

            result.comparison = compare_pay(results[0], result, pay_rules[0], pay_rules[-1])
        result.notes[:0] = notes
        status("正在写出工资表……")
        written = write_pay_outputs(result, output=output, beside_inputs=fmt == Format.table, mask_ids=mask_ids)
    from cadretool.output.pay_json import pay_json
    from cadretool.output.pay_terminal import print_pay_summary

    _render_job(
        result,
        written,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        summary=bool(len(result.lines) or not result.errors),
        build_json=pay_json,
        print_summary=print_pay_summary,
    )


@app.command()
@handles_errors
def bonus(
    rosters: RosterArgs,
    income: Annotated[
        list[str],
        typer.Option(
            "--income",
            help="村集体经济纯收益表（乡镇、村(社区)、年度、村集体经济纯收益），可重复 (net collective income).",
            show_default=False,
        ),
    ],
    year: Annotated[int, typer.Option("--year", help="奖励年度，如 2026 (the year rewarded).", show_default=False)],
    rules: RulesOpt = None,
    sheet: SheetOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="奖励发放表 .xlsx；默认在花名册旁写 <文件名>_集体经济奖励_<年度>.xlsx (reward workbook).",
            show_default=False,
        ),
    ] = None,
    fmt: TableOrJson = Format.table,
    mask_ids: MaskOpt = False,
    quiet: QuietOpt = False,
    set_values: SetOpt = None,
    compare: CompareOpt = False,
) -> None:
    """按村集体经济纯收益计算年度奖励：30%按职务权重奖励“两委”干部，10%平均奖励村民组长 (collective-economy reward)."""
    from cadretool.output.hr_files import check_xlsx_output
    from cadretool.pay_inputs import side_paths
    from cadretool.roster.readers import expand_inputs

    _table_or_json(fmt)
    if not 1990 <= year <= 2200:
        raise typer.BadParameter(f"“{year}”不是年度", param_hint="--year")
    overrides = _overrides(set_values, compare)
    notes: list[str] = []
    paths, missing = expand_inputs(rosters, notes)
    income_paths, income_missing = side_paths(income)
    check_xlsx_output(output, None, paths + income_paths)
    from cadretool.bonus import bonus_under
    from cadretool.output.bonus_workbook import write_bonus_outputs
    from cadretool.rules.payrules import load_pay_rules
    from cadretool.rules.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    pay_rules = _what_if_rulesets(lambda o: load_pay_rules(ruleset, o), overrides, compare)
    results = bonus_under(
        [*missing, *paths], ruleset, pay_rules, year=year, income=[*income_missing, *income_paths], sheets=sheet
    )
    result = results[-1]
    if compare:
        from cadretool.compare import compare_bonus

        result.comparison = compare_bonus(results[0], result, pay_rules[-1])
    result.notes[:0] = notes
    written = write_bonus_outputs(result, output=output, beside_inputs=fmt == Format.table, mask_ids=mask_ids)
    from cadretool.output.bonus_json import bonus_json
    from cadretool.output.pay_terminal import print_bonus_summary

    _render_job(
        result,
        written,
        fmt=fmt,
        quiet=quiet,
        mask_ids=mask_ids,
        summary=bool(result.villages or result.missing_income or not result.errors),
        build_json=bonus_json,
        print_summary=print_bonus_summary,
    )


def _explain_pay(
    roster: list[str],
    who: str,
    month: str,
    adjustments: list[str] | None,
    previous: list[str] | None,
    back_pay_from: str | None,
    rules: Path | None,
    sheet: list[str] | None,
    fmt: Format,
    mask_ids: bool,
    overrides: list[Any],
) -> None:
    """`explain --pay MONTH`: each component of the person's line, with the values and parameters it used
    (a what-if's, with --set)."""
    from cadretool.output.tables import dumps
    from cadretool.pay import pay as run_pay
    from cadretool.pay_explain import explain_pay
    from cadretool.pay_inputs import side_paths
    from cadretool.rules.payrules import load_pay_rules
    from cadretool.rules.ruleset import load_ruleset

    month_no = parse_month_option(month, "--pay")
    assert month_no is not None
    from_no = parse_month_option(back_pay_from, "--back-pay-from")
    ruleset = load_ruleset(rules)
    [pay_rules] = _what_if_rulesets(lambda o: load_pay_rules(ruleset, o), overrides, False)
    _print_what_if(overrides, None if fmt == Format.json else _stdout())
    adjustment_paths, adjustment_missing = side_paths(adjustments or [])
    previous_paths, previous_missing = side_paths(previous or [])
    result = run_pay(
        roster,
        ruleset,
        month=month_no,
        adjustments=[*adjustment_missing, *adjustment_paths],
        previous=[*previous_missing, *previous_paths],
        back_pay_from=from_no,
        sheets=sheet,
        pay_rules=pay_rules,
    )
    explanations = explain_pay(result, who, mask_ids=mask_ids)
    if not explanations:
        _print_errors(result.errors)
        raise CadreToolError(
            f"{_searched(roster, who, '工资表', result.errors)}（只有现任“两委”职务的人员在工资表中）(no such pay line)"
        )
    if fmt == Format.json:
        from cadretool.money import month_text

        data = {"schema_version": 1, "command": "explain", "pay_month": month_text(month_no), "people": explanations}
        sys.stdout.write(dumps(data))
    else:
        from cadretool.output.pay_terminal import print_pay_explanation

        print_pay_explanation(_stdout(), explanations)
    _print_errors(result.errors)
    raise typer.Exit(EXIT_ERROR if result.errors else EXIT_OK)


def main() -> None:
    """Console entry point: Ctrl-C exits 130 without a traceback."""
    import os

    from cadretool.memory import before_numpy

    before_numpy()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("cadretool: 已中断 (interrupted)\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback unless asking for one
        if os.environ.get("CADRETOOL_DEBUG"):
            raise
        error_line(f"内部错误 {type(exc).__name__}: {str(exc)[:200]}（设置 CADRETOOL_DEBUG=1 可查看详细信息）")
        sys.exit(EXIT_ERROR)
