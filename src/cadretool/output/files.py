"""Writing a vet result to the files a user asked for: each written atomically, never over an input."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cadretool.errors import CadreToolError
from cadretool.output.safety import atomic_output, default_output_path, ensure_not_input

if TYPE_CHECKING:  # the result needs pandas: checking the output paths must not wait for it
    from cadretool.results import VetResult

TABLE_SUFFIXES = {".csv", ".parquet"}
OUTPUT_SUFFIXES = {".xlsx", *TABLE_SUFFIXES}


def check_output_paths(output: Path | None, json_file: Path | None, inputs: list[Path]) -> None:
    """Refuse before any work is done: an output over an input, in a missing folder, or of a
    kind we cannot write."""
    for out in (output, json_file):
        if out is not None:
            ensure_not_input(out, inputs)
            if not out.parent.is_dir():
                raise CadreToolError(f"{out}: 输出目录 {out.parent} 不存在 (output folder does not exist)")
    if output is not None and output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise CadreToolError(f"{output}: 输出文件应为 .xlsx、.csv 或 .parquet (output must be .xlsx, .csv or .parquet)")
    if output is not None and output.suffix.lower() == ".parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise CadreToolError(f"{output}: 写 Parquet 需要 pyarrow，请运行 pip install pyarrow，或改用 .csv")


def write_vet_outputs(
    result: VetResult,
    *,
    output: Path | None,
    json_file: Path | None,
    beside_inputs: bool,
    mask_ids: bool,
) -> list[Path]:
    """The annotated workbook or table (`output`; else one workbook beside each input when
    `beside_inputs`), and the JSON (`json_file`). Returns what was written."""
    from cadretool.output.tables import write_annotated_table, write_vet_json
    from cadretool.output.workbook import write_vet_workbook
    from cadretool.vet import split_by_input

    written: list[Path] = []
    if output is not None:
        with atomic_output(output) as tmp:
            if output.suffix.lower() == ".xlsx":
                write_vet_workbook(tmp, result, mask_ids=mask_ids)
            else:
                write_annotated_table(tmp, result, mask_ids=mask_ids)
        written.append(output)
    elif beside_inputs:
        for inp, part in split_by_input(result):
            target = default_output_path(inp.path)
            with atomic_output(target) as tmp:
                write_vet_workbook(tmp, part, mask_ids=mask_ids)
            written.append(target)
    if json_file is not None:
        with atomic_output(json_file) as tmp:
            with tmp.open("w", encoding="utf-8") as fh:
                write_vet_json(fh, result, mask_ids=mask_ids)
        written.append(json_file)
    return written
