"""Writing the result of a human-resources job (pension, career, tuition): its workbook and
JSON, each atomically, never over an input; by default the workbook beside the first input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cadretool.errors import CadreToolError
from cadretool.output.safety import atomic_output, default_output_path, ensure_not_input


def check_xlsx_output(output: Path | None, json_file: Path | None, inputs: list[Path]) -> None:
    """Refuse before any work: an output over an input, in a missing folder, or not .xlsx."""
    for out in (output, json_file):
        if out is not None:
            ensure_not_input(out, inputs)
            if not out.parent.is_dir():
                raise CadreToolError(f"{out}: 输出目录 {out.parent} 不存在 (output folder does not exist)")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise CadreToolError(f"{output}: 输出文件应为 .xlsx (output must be .xlsx; for JSON use --format json)")


def write_job_outputs(
    result: Any,
    *,
    write_workbook: Callable[[Path, Any], None],
    json_text: Callable[[Any], str],
    output: Path | None,
    json_file: Path | None,
    beside: Path | None,
    suffix: str,
) -> list[Path]:
    """The workbook at `output`, else `<beside stem><suffix>.xlsx` beside `beside` (when given),
    and the JSON at `json_file`. Returns what was written."""
    written: list[Path] = []
    target = output or (default_output_path(beside, suffix) if beside is not None else None)
    if target is not None:
        with atomic_output(target) as tmp:
            write_workbook(tmp, result)
        written.append(target)
    if json_file is not None:
        with atomic_output(json_file) as tmp:
            tmp.write_text(json_text(result), encoding="utf-8")
        written.append(json_file)
    return written
