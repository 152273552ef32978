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


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        sys.stderr.write(f"cadretool: 注意: {note}\n")


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        sys.stderr.write(f"cadretool: 警告: {warning}\n")


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
) -> None:
    """按双十清单审查人选，合并联审意见，写出审查结果工作簿 (vet candidates against the rules)."""
    from cadretool.output.files import check_output_paths
    from cadretool.roster.readers import expand_inputs, read_all

    as_of_date = parse_date_option(as_of, "--as-of")
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
        from cadretool.vet import vet as run_vet

        ruleset = load_ruleset(rules)
        # the job returns everything, unreadable inputs included, before anything is written
        result = run_vet(
            [*missing, *books],
            ruleset,
            as_of=as_of_date,
            evidence=[*evidence_missing, *evidence_paths],
            sheets=sheet,
            on_phase=progress.phase,
        )
        result.notes[:0] = notes
        progress.phase("写出结果", len(result.people))
        written = write_vet_outputs(
            result, output=output, json_file=json_file, beside_inputs=fmt == Format.table, mask_ids=mask_ids
        )
    _render_vet(result, fmt, quiet, mask_ids, written)
    raise typer.Exit(_exit_code(result, fail_on))


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
        print_vet_summary(console, result)
        for path in written:
            console.print(f"已写出 {path}")
    _print_notes(result.notes)
    _print_warnings(result.warnings)
    _print_errors(result.errors)


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
) -> None:
    """逐条说明每条规则对某个人是怎么判断的，以及读到的值 (how each rule decided for one person)."""
    from cadretool.explain import explain_person, print_explanation
    from cadretool.output.tables import dumps
    from cadretool.rules.ruleset import load_ruleset
    from cadretool.vet import vet as run_vet

    as_of_date = parse_date_option(as_of, "--as-of")
    ruleset = load_ruleset(rules)
    result = run_vet(roster, ruleset, as_of=as_of_date, evidence=evidence or [], sheets=sheet)
    if mask_ids:
        from cadretool.output.present import with_text_masked

        result = with_text_masked(result)  # a department's 说明 may quote an ID
    errors = result.errors
    explanations = explain_person(result, ruleset, id_number, mask_ids=mask_ids)
    if not explanations:
        _print_errors(errors)
        raise CadreToolError("花名册中找不到该身份证号码或姓名 (no such person in the roster)")
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


# ---------------------------------------------------------------- schema


class SchemaCommand(enum.StrEnum):
    vet = "vet"


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
    _stdout().print(
        f"规则集“{ruleset.name}”版本 {ruleset.version}：{len(ruleset.all_rules)} 条规则，"
        f"{len(ruleset.params)} 个参数，{cases} 个测试用例，检查通过。sha256 {ruleset.sha256}"
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


def main() -> None:
    """Console entry point: Ctrl-C exits 130 without a traceback."""
    import os

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
