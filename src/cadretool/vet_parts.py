"""A national roster vetted in parts: one process for each run of rows, on every core.

A big text table (a national CSV of millions of rows) read into memory is cut into runs of
rows, one per core. A process forked for each reads its rows into people, vets them and writes
its rows of the annotated table; the run then puts the parts' tables together in row order.
What needs the whole sheet (the header, how a date column writes its numbers, notes that count
people, repeated ID numbers, village rules) is worked out across the parts (cadretool.parts),
so the table, the summary and the exit code are what one process would give.

The run keeps of each person only what the summary shows (township, status, rules met): the
rows themselves went to the table. So it serves a run whose output is that one table (-o
.csv/.parquet) and a summary; a run with evidence, a what-if, JSON or a workbook is vetted whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool import parts
from cadretool.output.safety import atomic_output
from cadretool.output.tables import ParquetRows, annotated_arrow, write_csv_table
from cadretool.parts import across_parts
from cadretool.results import VetResult
from cadretool.roster.readers import RawWorkbook, TableSheet
from cadretool.roster.table import Roster, detect_header, empty_findings, read_roster
from cadretool.rules.engine import GROUP_COLUMNS
from cadretool.rules.ruleset import RuleSet
from cadretool.vet import rule_infos, vet_roster

PART_ROWS = 200_000  # a sheet with this many rows or more is vetted in parts (where there are cores)
MOST_PARTS = 8  # unasked, no more parts than this (each is a process with its own Python and rules)
# what vetting in parts holds a row, all parts together (national benchmark: 4.7-4.9 GB for 3
# million rows, against 3.1 GB in one process): unasked, no parts where the memory is not there
BYTES_A_ROW_IN_PARTS = 1_700
REQUIRED = ("name", "id_number")  # the columns a roster's header must name (as read_roster)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def available_memory() -> int:
    """Bytes the system can give without swapping (Linux's MemAvailable); very many if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 62


def parts_wanted(books: list[Any], ruleset: RuleSet, jobs: int | None) -> int:
    """How many parts to vet `books` in: one, unless they are one big text table (or `jobs`
    asks for more) and this system can fork a process for each."""
    if jobs == 1 or len(books) != 1 or not isinstance(books[0], RawWorkbook):
        return 1
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1  # forking a process that has pyarrow's threads is safe on Linux only
    book = books[0]
    if len(book.sheets) != 1 or not isinstance(book.sheets[0], TableSheet):
        return 1
    sheet = book.sheets[0]
    rows = sheet.n_rows()
    if jobs is None and (rows < PART_ROWS or cores() < 2):
        return 1
    data_start = _data_start(sheet, ruleset)
    if data_start is None or data_start > len(sheet.head):
        return 1
    if jobs is None:  # every core, each part with at least half of PART_ROWS, where memory allows
        if rows * BYTES_A_ROW_IN_PARTS > available_memory():
            return 1
        jobs = min(cores(), MOST_PARTS, rows // (PART_ROWS // 2))
    return max(1, min(jobs, (rows - len(sheet.head)) // 2))


def _data_start(sheet: TableSheet, ruleset: RuleSet) -> int | None:
    """The sheet's first row below its header (0-based), as its reading finds it; None if it has none."""
    found = detect_header(sheet, ruleset.columns, REQUIRED)
    return None if found is None else found[0] + found[1]


def _cuts(sheet: TableSheet, data_start: int, count: int) -> list[tuple[int, int]]:
    """The rows (0-based, first and end) of each part: as even as the head rows allow (every part
    after the first starts below them)."""
    n = sheet.n_rows()
    bounds = [data_start + (n - data_start) * k // count for k in range(count + 1)]
    bounds[1:-1] = [max(b, len(sheet.head) + k) for k, b in enumerate(bounds[1:-1])]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def vet_in_parts(
    book: RawWorkbook,
    ruleset: RuleSet,
    *,
    count: int,
    as_of: dt.date | None,
    output: Path,
    mask_ids: bool = False,
    on_phase: Callable[..., None] | None = None,
) -> tuple[VetResult, list[Path]] | str:
    """Vet one big text table in `count` parts and write the annotated table to `output`.

    Returns the result (each person's township, status and rules met: what the summary and the
    exit code read) and the files written; or, where a part could not finish, why (nothing is
    then written, and the caller vets the table whole).
    """
    sheet = book.sheets[0]
    assert isinstance(sheet, TableSheet)
    data_start = _data_start(sheet, ruleset)
    assert data_start is not None  # parts_wanted found the header
    as_of = as_of or ruleset.election_date()
    parquet = output.suffix.lower() == ".parquet"
    cuts = _cuts(sheet, data_start, count)
    pieces: list[Path] = []  # each part's rows of the table: the first part's in the output, the others' beside it
    try:
        with atomic_output(output) as target:
            tag = uuid.uuid4().hex[:8]
            pieces = [target] + [target.with_name(f"{target.name}.{tag}.{k}") for k in range(1, count)]
            jobs = [(k, sheet.part(data_start, *cuts[k]), pieces) for k in range(count)]
            summaries = _run_parts(
                jobs,
                book,
                ruleset,
                as_of,
                parquet,
                mask_ids,
                on_phase,
            )
            if isinstance(summaries, str):
                raise _PartFailed(summaries)
            if on_phase:
                on_phase("写出结果", 0)
            if not parquet:  # (a Parquet file the first part finished with the others' rows)
                _append(target, pieces[1:])
    except _PartFailed as failed:
        return f"分段并行审查未能完成，已改为整表审查 (vetting in parts failed: {failed})"
    finally:
        for piece in pieces[1:]:
            with contextlib.suppress(OSError):
                piece.unlink()
    return _result(summaries, book, sheet, ruleset, as_of), [output]


class _PartFailed(Exception):
    pass


def _run_parts(
    jobs: list[tuple[int, TableSheet, list[Path]]],
    book: RawWorkbook,
    ruleset: RuleSet,
    as_of: dt.date,
    parquet: bool,
    mask_ids: bool,
    on_phase: Callable[..., None] | None,
) -> list[dict[str, Any]] | str:
    """Fork a process for each part; answer their questions across parts; their summaries, in
    order, or why a part failed."""
    from multiprocessing.connection import Pipe

    conns = []
    pids = []
    try:
        for k, view, pieces in jobs:
            mine, theirs = Pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            with warnings.catch_warnings():  # pyarrow's threads: safe to fork on Linux (it re-makes them)
                warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
                pid = os.fork()
            if pid == 0:  # the part's process: it never returns
                mine.close()
                _part(
                    k,
                    theirs,
                    RawWorkbook(book.path, book.format, [view], book.encoding),
                    ruleset,
                    as_of,
                    pieces,
                    parquet,
                    mask_ids,
                )
            theirs.close()
            conns.append(mine)
            pids.append(pid)
        return _serve(conns, on_phase)
    finally:
        for conn in conns:
            conn.close()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)  # a part still running after a failure
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _serve(conns: list[Any], on_phase: Callable[..., None] | None) -> list[dict[str, Any]] | str:
    """Answer the parts until each has sent its summary."""
    from multiprocessing.connection import wait

    n = len(conns)
    asked: list[list[tuple[str, Any, Any]]] = [[] for _ in conns]
    done: list[dict[str, Any] | None] = [None] * n
    while any(d is None for d in done):
        for conn in wait([c for c, d in zip(conns, done, strict=True) if d is None]):
            k = conns.index(conn)
            try:
                kind, *message = conn.recv()
            except (EOFError, OSError):
                return f"第{k + 1}段的进程意外退出 (part {k + 1} exited)"
            if kind == "phase":
                if k == 0 and on_phase:
                    on_phase(*message)
            elif kind == "failed":
                return message[0]
            elif kind == "done":
                done[k] = message[0]
            else:  # a question across parts
                asked[k].append(tuple(message))  # type: ignore[arg-type]
                if all(asked):
                    questions = [a.pop(0) for a in asked]
                    if len({q for q, _, _ in questions}) > 1:
                        return "各段提出的问题不一致：" + "、".join(q for q, _, _ in questions)
                    values = [v for _, v, _ in questions]
                    combine = questions[0][2]
                    answers = combine(values) if combine is not None else [values] * n
                    for c, answer in zip(conns, answers, strict=True):
                        c.send(answer)
    return done  # type: ignore[return-value]


def _part(
    k: int,
    conn: Any,
    book: RawWorkbook,
    ruleset: RuleSet,
    as_of: dt.date,
    pieces: list[Path],
    parquet: bool,
    mask_ids: bool,
) -> None:
    """A part's process: read, vet and write its rows (to `pieces[k]`); send the summary; exit.
    A Parquet file is written by the first part, which takes the others' rows, in row groups as
    one process writes them, once they have written them out (as Arrow streams)."""
    code = 1
    try:

        def ask(question: str, value: Any, combine: Any) -> Any:
            conn.send(("ask", question, value, combine))
            return conn.recv()

        parts._ask = ask
        everyone = [0]  # the whole sheet's people, once read (the progress display shows them, not the part's)
        phase = (lambda *args: conn.send(("phase", args[0], everyone[0], *args[2:]))) if k == 0 else None
        roster = read_roster([book], ruleset.columns, on_share=phase and (lambda share: phase("整理数据", 0, share)))
        everyone[0] = sum(sheet.rows for sheet in roster.sheets)
        result = vet_roster(roster, ruleset, as_of=as_of, on_phase=phase)
        table = annotated_arrow(result, mask_ids=mask_ids, for_csv=not parquet)
        if parquet and k == 0:
            with ParquetRows(pieces[0], table.schema) as rows:
                rows.add(table)
                across_parts("rows written out", None)
                for piece in pieces[1:]:
                    rows.add(_read_ipc(piece))
        elif parquet:
            import pyarrow as pa

            # a stream, not a file: a column's blocks may each have their own distinct texts
            with pa.OSFile(str(pieces[k]), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            across_parts("rows written out", None)
        else:
            write_csv_table(pieces[k], table, header=k == 0)
        conn.send(("done", _summary(result)))
        code = 0
    except BaseException:  # noqa: BLE001  # told to the run, which vets the table whole
        with contextlib.suppress(Exception):
            conn.send(("failed", traceback.format_exc(limit=-3).strip().splitlines()[-1]))
    finally:
        os._exit(code)


def _summary(result: VetResult) -> dict[str, Any]:
    """What the run keeps of a part: each person's township, status and the rules met; the
    sheet as read (notes, rows skipped); the village findings (the first part holds them all)."""
    people = result.people
    met = result.findings[["person", "rule"]].drop_duplicates()
    info = result.roster.inputs[0]
    for sheet in info.sheets:
        sheet.raw = None  # the part's rows stay with the part
    info.layout = []
    return {
        # as codes and their distinct texts (a pandas Categorical pickles so)
        "people": people[["township", "status"]].astype("category").reset_index(drop=True),
        "met": met.astype({"rule": "category"}).reset_index(drop=True),
        "groups": result.group_findings,
        "input": info,
        "errors": result.roster.errors,
    }


def _result(
    summaries: list[dict[str, Any]], book: RawWorkbook, sheet: TableSheet, ruleset: RuleSet, as_of: dt.date
) -> VetResult:
    """The whole sheet's result from its parts' summaries."""
    offsets = np.cumsum([0, *(len(s["people"]) for s in summaries)])
    people = pd.concat([s["people"] for s in summaries], ignore_index=True).astype(object)
    met = pd.concat(
        [s["met"].assign(person=s["met"]["person"] + offset) for s, offset in zip(summaries, offsets, strict=False)],
        ignore_index=True,
    ).astype({"rule": object})
    findings = pd.concat([empty_findings(), met], ignore_index=True) if len(met) else empty_findings()
    info = summaries[0]["input"]
    first = info.sheets[0]  # its notes are the whole sheet's (they count across parts)
    first.raw = sheet
    first.skipped_rows = [row for s in summaries for row in s["input"].sheets[0].skipped_rows]
    info.layout = [first]
    roster = Roster(people, [info], empty_findings(), list(summaries[0]["errors"]))
    groups = summaries[0]["groups"]
    return VetResult(
        roster=roster,
        people=people,
        findings=findings,
        group_findings=groups if len(groups) else pd.DataFrame(columns=GROUP_COLUMNS),
        unmatched_evidence=[],
        evidence_inputs=[],
        rules=rule_infos(ruleset, as_of),
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
    )


def _read_ipc(path: Path) -> Any:
    import pyarrow as pa

    return pa.ipc.open_stream(pa.memory_map(str(path))).read_all()


def _append(target: Path, pieces: list[Path]) -> None:
    """Append each piece to `target`, in order, copied inside the kernel where it can be."""
    out = os.open(target, os.O_WRONLY)
    try:
        os.lseek(out, 0, os.SEEK_END)
        for piece in pieces:
            src = os.open(piece, os.O_RDONLY)
            try:
                left = os.fstat(src).st_size
                while left > 0:
                    try:
                        n = os.copy_file_range(src, out, left)
                    except (AttributeError, OSError):  # not on this system or file system
                        n = os.write(out, os.read(src, min(left, 1 << 22)))
                    if n == 0:
                        raise OSError(f"{piece}: 未能读完 (short read)")
                    left -= n
            finally:
                os.close(src)
    finally:
        os.close(out)
