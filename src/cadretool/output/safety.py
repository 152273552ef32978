"""Writing outputs safely: no formula injection, no half-written files, never over an input."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cadretool.errors import CadreToolError

# OWASP "CSV injection": a cell starting with one of these may be run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet could take as a formula (numbers are never formula-like)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(value: Any) -> Any:
    """Prefix formula-like text with a single quote, as OWASP advises; other values unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it onto `path` only if the block succeeds.

    The temporary name keeps the suffix so writers that pick the format from it still work.
    On any failure (including Ctrl-C) the temporary file is removed and `path` is untouched.
    """
    final = Path(path)
    # same directory, so os.replace is an atomic rename on one file system
    temp = final.with_name(f".{final.stem}.{uuid.uuid4().hex[:12]}.tmp{final.suffix}")
    try:
        yield temp
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def unique_output_path(path: Path) -> Path:
    """`path` if it is free, else `stem(2).ext`, `stem(3).ext`, … — the first that is free."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def default_output_path(input_path: Path, suffix: str = "_审查结果", ext: str = ".xlsx") -> Path:
    """`<input stem><suffix><ext>` beside the input, numbered if that name is taken."""
    return unique_output_path(input_path.with_name(input_path.stem + suffix + ext))


def ensure_not_input(out: Path, inputs: list[Path]) -> None:
    """Refuse an output path that is one of the input files (inputs are never modified)."""
    target = Path(out).resolve()
    for inp in inputs:
        inp_path = Path(inp)
        same = inp_path.resolve() == target
        if not same and target.exists() and inp_path.exists():
            # hard links and case-insensitive file systems: ask the OS
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, inp_path)
        if same:
            raise CadreToolError(
                f"输出文件不能与输入文件相同，以免覆盖原始花名册：{out} "
                f"(the output file is an input file; choose another name with -o)"
            )
