"""Reading spreadsheet files into grids of cell values, one grid per sheet.

xlsx/xlsm go through python-calamine (openpyxl only where calamine cannot), xls through
xlrd, csv/txt through the csv module after the encoding is detected. Every failure
becomes an InputError naming the file and the reason in words a clerk understands.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import glob
import importlib.util
import io
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cadretool.errors import InputError

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt"}
# An xlsx is a zip: refuse archives that would expand beyond this (zip-bomb guard).
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Files people save with a spreadsheet's name that are something else entirely.
NOT_SPREADSHEET_MAGIC = [
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
]
MARKUP_STARTS = {b"<html", b"<!doc", b"<?xml", b"<tabl", b"<head", b"<meta", b"<body"}
# Our own annotated workbooks (`<stem>_审查结果.xlsx`) sit beside the inputs: a folder or a
# glob must not read them back as rosters on the next run.
OUTPUT_MARKER = "_审查结果"
# ...and one saved under any other name (-o 结果.xlsx) is known by its 规则 sheet: 规则集 and SHA-256 rows
RESULT_SHEET = "规则"
RESULT_LABELS = ("规则集", "SHA-256")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
ENCRYPTED_REASON = "文件设置了密码（已加密），请在 Excel 中去除密码后另存 (password-protected)"


@dataclass
class RawSheet:
    """One sheet as read: rows of cell values; rows[0] is Excel row 1."""

    name: str
    rows: list[list[Any]]
    # merged cell ranges, 0-based and inclusive: (first row, first col, last row, last col)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    # formula cells, 0-based (row, col) → "=A3&B3"; rows hold their cached values
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # formula cells the file holds no computed value for (saved by a program that does not calculate)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    row_offset = 0  # rows[i] is row i of the file (a TableSheet may be a part of one)

    def n_rows(self) -> int:
        return len(self.rows)

    def top(self, n: int) -> list[list[Any]]:
        """The first `n` rows (title and header rows live there)."""
        return self.rows[:n]

    def row(self, index: int) -> list[Any]:
        return self.rows[index]

    def width(self, start: int = 0) -> int:
        """The widest row from `start` on."""
        return max((len(r) for r in self.rows[start:]), default=0)

    def column(self, index: int, start: int = 0) -> np.ndarray:
        """Column `index` from row `start` on, as an object array ('' where a row is shorter)."""
        values = np.empty(max(len(self.rows) - start, 0), dtype=object)
        values[:] = [r[index] if index < len(r) else "" for r in self.rows[start:]]
        return values


class TableSheet:
    """A big text table read by column: the first rows as a grid (title and header rows are found
    there), the rows below as pyarrow text columns, so millions of rows never become a Python list
    per row. It answers the same questions as RawSheet; `rows` gives the rows a block at a time."""

    hidden = False

    def __init__(self, name: str, head: list[list[Any]], body: Any, row_offset: int = 0) -> None:
        self.name = name
        self.merged: list[tuple[int, int, int, int]] = []  # a text table has none
        self.head = head  # the first rows, as the csv module reads them
        self.body = body  # pyarrow.Table of text columns c0, c1, ... ('' for empty cells)
        self.formulas: dict[tuple[int, int], str] = {}
        self.uncomputed: set[tuple[int, int]] = set()
        self._encoded: dict[int, Any] = {}  # body columns read coded, dictionary-encoded (see compact)
        # a part of a sheet (see part): its row i below the header is row i + row_offset of the file
        self.row_offset = row_offset

    def part(self, data_start: int, first: int, end: int) -> TableSheet:
        """The sheet's title and header rows with only its rows `first` to `end` (0-based, from
        `data_start` on) below them, for vetting a big sheet in parts; its row numbers stay the file's."""
        if first == data_start:
            return TableSheet(self.name, self.head, self.body.slice(0, end - len(self.head)))
        body = self.body.slice(first - len(self.head), end - first)
        return TableSheet(self.name, self.head[:data_start], body, row_offset=first - data_start)

    def n_rows(self) -> int:
        return len(self.head) + self.body.num_rows

    def top(self, n: int) -> list[list[Any]]:
        rows = self.head[:n]
        if n > len(self.head):
            rows = rows + self._body_rows(0, n - len(self.head))
        return rows

    def row(self, index: int) -> list[Any]:
        if index < len(self.head):
            return self.head[index]
        return self._body_rows(index - len(self.head), 1)[0]

    def width(self, start: int = 0) -> int:
        return max([self.body.num_columns if self.body.num_rows else 0] + [len(r) for r in self.head[start:]])

    def column(self, index: int, start: int = 0, coded: bool = False) -> Any:
        """Column `index` from row `start`, as an object array; `coded`: a column whose texts repeat
        comes as a pandas Categorical (codes and the distinct texts, as pyarrow found them)."""
        if index >= self.body.num_columns:
            head = np.empty(max(len(self.head) - start, 0), dtype=object)
            head[:] = [r[index] if index < len(r) else "" for r in self.head[start:]]
            return np.concatenate([head, np.full(self.body.num_rows, "", dtype=object)])
        import pyarrow as pa

        body = self.body.column(index)
        keep: Callable[[Any], None] | None = None
        if pa.types.is_dictionary(body.type):  # compacted: its texts again
            body = body.cast(pa.string())
        elif coded:
            before = max(len(self.head) - start, 0)  # head rows in front of the body's

            def keep(encoded: Any) -> None:
                self._encoded[index] = _narrow(encoded.slice(before))

        if start >= len(self.head):
            return text_values(body, coded, keep)[start - len(self.head) :]
        # the head rows go in as a first chunk: one array is made, never a copy of the whole column
        head = pa.array([r[index] if index < len(r) else "" for r in self.head[start:]], pa.string())
        return text_values(pa.chunked_array([head, *body.chunks], pa.string()), coded, keep)

    def compact(self) -> None:
        """Hold the body columns read coded as codes and their distinct texts from now on (a column
        of 是/否 in 3 million rows: 3 MB, not 40): the rows are read; what remains is writing
        them out, which takes a dictionary column as it is."""
        import pyarrow as pa

        for index, encoded in self._encoded.items():
            self.body = self.body.set_column(index, self.body.column_names[index], pa.chunked_array([encoded]))
        self._encoded.clear()

    def arrow_column(self, index: int, rows: np.ndarray) -> Any:
        """Column `index` at the given 0-based rows, as pyarrow text (a slice where the rows run on)."""
        import pyarrow as pa

        head = pa.array([r[index] if index < len(r) else "" for r in self.head], pa.string())
        if index < self.body.num_columns:
            body = self.body.column(index).chunks  # no cell is null: the reader gives '' for an empty one
        else:
            body = [pa.array([""] * self.body.num_rows, pa.string())]
        kind = body[0].type if body else pa.string()
        if pa.types.is_dictionary(kind):  # compacted: stays codes and texts, the head rows coded alike
            head = head.dictionary_encode()
            head = pa.DictionaryArray.from_arrays(head.indices.cast(kind.index_type), head.dictionary)
        column = pa.chunked_array([head, *body], kind)
        if len(rows) and rows[-1] - rows[0] + 1 == len(rows) and bool((np.diff(rows) == 1).all()):
            return column.slice(int(rows[0]), len(rows))
        return column.take(rows)

    def _body_rows(self, start: int, n: int) -> list[list[Any]]:
        part = self.body.slice(start, n).to_pydict()
        return [list(cells) for cells in zip(*part.values(), strict=True)] if part else []

    @property
    def rows(self) -> Sequence[list[Any]]:
        """Every row as a list (for writing a workbook), built a block at a time as it is read."""
        return _LazyRows(self)


def _narrow(encoded: Any) -> Any:
    """A dictionary-encoded column with the narrowest codes its distinct texts allow."""
    import pyarrow as pa

    kinds = len(encoded.dictionary)
    width = pa.int8() if kinds <= 127 else pa.int16() if kinds <= 32767 else pa.int32()
    return pa.DictionaryArray.from_arrays(encoded.indices.cast(width), encoded.dictionary)


class _LazyRows(Sequence[list[Any]]):
    """A TableSheet's rows by index, made from its columns a block of rows at a time, so a
    3-million-row sheet written to xlsx never holds every row as a list at once."""

    BLOCK = 50_000

    def __init__(self, sheet: TableSheet) -> None:
        self.sheet = sheet
        self.block: tuple[int, list[list[Any]]] = (-1, [])

    def __len__(self) -> int:
        return self.sheet.n_rows()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        head = self.sheet.head
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < len(head):
            return head[index]
        number, offset = divmod(index - len(head), self.BLOCK)
        if self.block[0] != number:
            self.block = (number, self.sheet._body_rows(number * self.BLOCK, self.BLOCK))
        return self.block[1][offset]


# a sheet as read: a grid of rows, or (a big text table) rows by column
Sheet = RawSheet | TableSheet


def text_values(column: Any, coded: bool = False, keep: Callable[[Any], None] | None = None) -> Any:
    """A pyarrow text column as an object array in which equal texts are one Python string
    (a column of 3 million 是/否 holds two strings, not 3 million); `coded`: as a pandas
    Categorical where texts repeat, so each step after works out a value once without finding
    the distinct values again. `keep` is given the column dictionary-encoded, where it is."""
    from cadretool.roster.text import BY_IDENTITY_ROWS, MOSTLY_DISTINCT, SAMPLE_CELLS

    # the column as pyarrow parsed it, in blocks: encoded block by block (one dictionary), never
    # first copied into one array of texts
    sample = column.slice(0, SAMPLE_CELLS).to_pylist()
    if len(column) >= BY_IDENTITY_ROWS and len(set(sample)) > MOSTLY_DISTINCT * len(sample):
        return column.to_numpy()  # names, ID numbers: hardly a text repeats
    encoded = column.dictionary_encode().combine_chunks()
    if keep is not None:
        keep(encoded)
    uniques = np.empty(len(encoded.dictionary), dtype=object)
    uniques[:] = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    if coded:
        import pandas as pd

        kinds = pd.CategoricalDtype(pd.Index(uniques, dtype=object))  # the texts as they are, not pyarrow's
        return pd.Categorical.from_codes(codes, dtype=kinds, validate=False)
    return uniques[codes]


@dataclass
class RawWorkbook:
    path: Path
    format: str
    sheets: list[Sheet]
    encoding: str | None = None


def expand_inputs(args: Iterable[str | Path], notes: list[str] | None = None) -> tuple[list[Path], list[InputError]]:
    """Turn files, directories and globs into a sorted list of roster files.

    Directories give every spreadsheet in them (not recursive; Excel lock files ~$… are
    skipped). A name that matches nothing is an error, reported but not fatal to the rest.
    """
    found: list[Path] = []
    errors: list[InputError] = []
    for arg in args:
        text = str(arg)
        path = Path(text)
        if path.is_dir():
            members = sorted(p for p in path.iterdir() if p.is_file() and _is_roster_file(p))
            if not members:
                errors.append(InputError(path, "目录中没有 xlsx/xls/csv 文件 (no spreadsheet files in this folder)"))
            found.extend(_without_results(members, notes))
        elif path.exists():
            if OUTPUT_MARKER in path.stem and path.suffix.lower() == ".xlsx":
                # `vet *.xlsx` run twice: the shell hands us the first run's result workbooks
                if notes is not None:
                    notes.append(f"{path}: 是 cadretool 生成的审查结果，已跳过 (a result workbook, skipped)")
                continue
            found.extend(_without_results([path], notes))
        elif any(ch in text for ch in "*?["):
            # glob.glob, not Path.glob: the pattern may be absolute (Path(".").glob refuses those)
            matched = sorted(Path(p) for p in glob.glob(text, recursive=True))
            members = [p for p in matched if p.is_file() and _is_roster_file(p)]
            if not members:
                reason = (
                    "没有文件匹配该通配符 (no file matches this pattern)"
                    if not matched
                    else "通配符匹配到的文件中没有 xlsx/xls/csv 文件 (no spreadsheet files match this pattern)"
                )
                errors.append(InputError(text, reason))
            found.extend(_without_results(members, notes))
        else:
            errors.append(InputError(path, "文件不存在 (no such file)"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, errors


def expand_named(
    items: Sequence[str | Path | RawWorkbook | InputError], notes: list[str]
) -> list[Path | RawWorkbook | InputError]:
    """Names a user gave (files, folders, globs) as files, keeping their unreadable ones as errors;
    workbooks already read and errors already found pass through."""
    ready = [i for i in items if isinstance(i, RawWorkbook | InputError)]
    named = [i for i in items if not isinstance(i, RawWorkbook | InputError)]
    if not named:
        return ready
    paths, missing = expand_inputs(named, notes)
    return [*missing, *ready, *paths]


def _without_results(paths: list[Path], notes: list[str] | None) -> list[Path]:
    """The paths that are not our own result workbooks (known by content, whatever their name)."""
    kept = []
    for path in paths:
        if is_result_workbook(path):
            if notes is not None:
                notes.append(f"{path}: 是 cadretool 生成的审查结果（含“规则”工作表），已跳过 (a result workbook)")
            continue
        kept.append(path)
    return kept


def is_result_workbook(path: Path) -> bool:
    """Whether an xlsx is an annotated workbook this tool wrote: a 规则 sheet whose first rows
    are 规则集 … and SHA-256 <hash>. The zip's workbook part is looked at first, so a roster costs
    one small read; only a workbook with a 规则 sheet has that sheet read."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 16 * 1024**2:
                return False
            part = zf.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False
    if RESULT_SHEET.encode("utf-8") not in part and b"&#" not in part:
        return False
    from defusedxml.ElementTree import fromstring

    try:
        names = {el.get("name") for el in fromstring(part).iter() if el.tag.rsplit("}", 1)[-1] == "sheet"}
    except Exception:  # noqa: BLE001 - an unreadable workbook part is for the reader to report
        return False
    if RESULT_SHEET not in names:
        return False
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(RESULT_SHEET).to_python(nrows=8)
        book.close()
    except Exception:  # noqa: BLE001
        return False
    labels = {str(row[0]).strip(): str(row[1]).strip() for row in rows if len(row) > 1}
    return RESULT_LABELS[0] in labels and bool(_SHA256.fullmatch(labels.get(RESULT_LABELS[1], "")))


def _is_roster_file(path: Path) -> bool:
    """A spreadsheet by its suffix; not an Excel lock file (~$…), a hidden or temporary
    file, or one of our own result workbooks."""
    # a folder's .txt files are usually notes: a .txt roster is read when named explicitly
    return (
        path.suffix.lower() in SPREADSHEET_SUFFIXES - {".txt"}
        and not path.name.startswith(("~$", "."))
        and OUTPUT_MARKER not in path.stem
    )


def read_all(
    paths: Iterable[Path],
    sheets: list[str] | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> list[RawWorkbook | InputError]:
    """Read every file; an unreadable one stays in the list as its InputError, in order.
    `on_bytes(n)` is told as each file's bytes are read (a big CSV: block by block)."""
    books: list[RawWorkbook | InputError] = []
    told = [0]  # bytes of the current file told so far

    def tell(n: int) -> None:
        told[0] += n
        if on_bytes:
            on_bytes(n)

    for path in paths:
        if on_file:
            on_file(path)
        told[0] = 0
        try:
            books.append(read_workbook(path, sheets, on_bytes=tell))
        except InputError as exc:
            books.append(exc)
        if on_bytes:
            with contextlib.suppress(OSError):
                on_bytes(max(path.stat().st_size - told[0], 0))
    return books


def read_workbook(
    path: Path, sheets: list[str] | None = None, on_bytes: Callable[[int], None] | None = None
) -> RawWorkbook:
    """Read every sheet (or the named ones) of a spreadsheet file as raw cell grids."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"无法打开 ({exc.strerror})") from None
    if path.is_dir():
        raise InputError(path, "是目录，不是文件 (is a folder)")
    if size == 0:
        raise InputError(path, "文件为空 (empty file)")
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:  # no permission, or locked by another program
        raise InputError(path, f"无法打开 ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        book = _read_xlsx(path)
    elif head.startswith(OLE_MAGIC):
        book = _read_ole(path)
    else:
        for magic, kind in NOT_SPREADSHEET_MAGIC:
            if head.startswith(magic):
                raise InputError(path, f"不是表格文件，实际是{kind}（扩展名为 {suffix or '无'}）(not a spreadsheet)")
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() in MARKUP_STARTS:
            raise InputError(
                path,
                f"是网页/XML 文件，扩展名为 {suffix or '无'}，不是真正的 Excel 表格；"
                "请在 Excel 中打开后另存为 .xlsx (HTML or XML, not a spreadsheet)",
            )
        # neither zip nor OLE: a text table, whatever its suffix says (CSV renamed to .xls/.xlsx)
        book = _read_text(path, on_bytes)
    if sheets:
        # every sheet stays in the book (written back unchanged); only the named ones are vetted
        missing = [s for s in sheets if s not in {sh.name for sh in book.sheets}]
        if missing:
            raise InputError(
                path,
                f"没有名为 {'、'.join(missing)} 的工作表 (no such sheet); 现有: "
                + "、".join(sh.name for sh in book.sheets),
            )
    return book


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError(path, "文件已损坏或不完整，不是有效的 xlsx (corrupt or truncated zip)") from None
    except OSError as exc:
        raise InputError(path, f"无法读取 ({exc})") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "content.xml" in names:
            raise InputError(path, "是 ODS 文件，请另存为 xlsx (OpenDocument, not xlsx)")
        if "word/document.xml" in names:
            raise InputError(path, "是 Word 文档，不是表格 (a Word document, not a spreadsheet)")
        raise InputError(path, "不是 Excel 工作簿 (zip without a workbook)")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO):
        raise InputError(path, "解压后体积异常（疑似压缩炸弹），拒绝读取 (decompressed size over the safety cap)")


def _read_xlsx(path: Path) -> RawWorkbook:
    _check_zip(path)
    from python_calamine import CalamineWorkbook

    # the formula search decompresses the sheets again: zlib runs outside the GIL, so it overlaps
    # with calamine's read on a second core
    formulas: dict[str, tuple[dict[tuple[int, int], str], set[tuple[int, int]]]] = {}
    search = threading.Thread(target=_read_formulas, args=(path, formulas), daemon=True)
    search.start()
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            wb = CalamineWorkbook.from_path(str(path))
        else:  # an xlsx saved or renamed as .xls: calamine would go by the suffix, so give it the bytes
            wb = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        sheets = []
        hidden = {m.name for m in wb.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"}
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            rows = _trim(sheet.to_python(skip_empty_area=False))
            sheets.append(RawSheet(name, rows, merged=merged, hidden=name in hidden))
        wb.close()
        book = RawWorkbook(path, "xlsx", sheets)
    except Exception as calamine_error:  # noqa: BLE001 - fall back to openpyxl, then report
        try:
            book = _read_xlsx_openpyxl(path)
        except InputError:
            raise
        except Exception:  # noqa: BLE001
            raise InputError(path, f"无法读取工作簿 ({_short(calamine_error)})") from None
    finally:
        search.join()
    for raw in book.sheets:
        raw.formulas, raw.uncomputed = formulas.get(raw.name, ({}, set()))
    return book


_FORMULA_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)f[\s>/]")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_CELL_TYPE = re.compile(rb'\st="(\w+)"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(\s[^>]*?)?(/)?>(?:(.*?)</(?:[\w.-]+:)?f>)?", re.S)
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


# a sheet this big is only searched for formulas when its workbook says it was never calculated
FORMULA_SCAN_BYTES = 16 * 1024**2


def _read_formulas(path: Path, found: dict[str, tuple[dict[tuple[int, int], str], set[tuple[int, int]]]]) -> None:
    """Each sheet's formula cells, and those with no computed value, from the sheet XML, into `found`.

    calamine gives a formula's cached value, or "" when the file holds none (openpyxl saves
    formulas uncomputed; XlsxWriter saves 0). Both ask Excel to recalculate on opening
    (fullCalcOnLoad): such a workbook is searched in full. A workbook Excel saved (it keeps a
    calcChain) holds every result, so it is not searched; one from another program is searched
    up to county size, since decompressing a sheet costs about a fifth of reading it.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            parts, recalculate = _sheet_parts(zf)
            names = set(zf.namelist())
            if not recalculate and "xl/calcChain.xml" in names:
                return
            for name, part in parts.items():
                if part not in names:
                    continue
                if not recalculate and zf.getinfo(part).file_size > FORMULA_SCAN_BYTES:
                    continue
                if _has_formulas(zf, part):
                    found[name] = _formula_cells(zf.read(part), recalculate)
    except Exception:  # noqa: BLE001 - the values were read; formulas are only a refinement
        return


def _sheet_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Sheet name → its XML part, and whether the workbook asks to be recalculated on opening."""
    from defusedxml import ElementTree

    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    parts: dict[str, str] = {}
    recalculate = False
    for node in book.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "sheet":
            rid = next((v for k, v in node.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            parts[node.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
        elif tag == "calcPr":
            recalculate = node.get("fullCalcOnLoad") in ("1", "true")
    return parts, recalculate


# every formula element has a closing tag (</f>, </x:f>) or is <f>: shared cells point to one that has
_FORMULA_MARK = b"f>"


def _has_formulas(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet part holds any formula, streamed in chunks (most rosters have none)."""
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 22):
            if _FORMULA_MARK in chunk or _FORMULA_MARK in tail + chunk[:8]:  # also across two chunks
                return True
            tail = chunk[-8:]
    return False


def _formula_cells(data: bytes, recalculate: bool) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
    """The formula of each formula cell of a sheet's XML, and the cells with no computed value."""
    import html

    formulas: dict[tuple[int, int], str] = {}
    uncomputed: set[tuple[int, int]] = set()
    shared: dict[bytes, tuple[str, str]] = {}  # si → (formula, the cell it is written in)
    for m in _FORMULA_TAG.finditer(data):
        prefix = m.group(1)
        start = data.rfind(b"<" + prefix + b"c ", 0, m.start())
        end = data.find(b"</" + prefix + b"c>", m.start())
        if start < 0 or end < 0:
            continue
        cell = data[start:end]
        head = cell[: cell.find(b">") + 1]
        ref = _CELL_REF.search(head)
        formula = _FORMULA.search(cell)
        if ref is None or formula is None:
            continue
        letters, number = ref.group(1).decode(), int(ref.group(2))
        key = (number - 1, _column_index(letters))
        attrs = dict(_ATTR.findall(formula.group(1) or b""))
        text = html.unescape((formula.group(3) or b"").decode("utf-8", "replace"))
        if attrs.get(b"t") == b"shared" and b"si" in attrs:
            if text:
                shared[attrs[b"si"]] = (text, f"{letters}{number}")
            elif attrs[b"si"] in shared:
                text = _translate(*shared[attrs[b"si"]], f"{letters}{number}")
        if text:
            formulas[key] = "=" + text
        value = _VALUE.search(cell)
        cached = value.group(1) if value is not None else None
        kind = _CELL_TYPE.search(head)
        if (not cached and (kind is None or kind.group(1) != b"str")) or (
            recalculate and cached == b"0" and kind is None  # XlsxWriter's placeholder result
        ):
            uncomputed.add(key)
    return formulas, uncomputed


def _translate(formula: str, origin: str, target: str) -> str:
    """A shared formula as it reads in another cell of its range (A2&B2 → A3&B3)."""
    from openpyxl.formula.translate import Translator

    try:
        return Translator("=" + formula, origin=origin).translate_formula(target)[1:]
    except Exception:  # noqa: BLE001 - keep the master's text rather than nothing
        return formula


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _read_xlsx_openpyxl(path: Path) -> RawWorkbook:
    import openpyxl  # uses defusedxml when installed

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append(RawSheet(ws.title, _trim(rows), hidden=ws.sheet_state != "visible"))
    wb.close()
    return RawWorkbook(path, "xlsx", sheets)


def _read_ole(path: Path) -> RawWorkbook:
    """An OLE2 compound file: a real .xls, or an encrypted xlsx (Excel wraps those in OLE)."""
    with path.open("rb") as fh:
        blob = fh.read(1 << 16)
    if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
        raise InputError(path, ENCRYPTED_REASON)
    import xlrd

    try:
        # formatting_info gives the merged cells (a township written once for a block of rows)
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
    except xlrd.biffh.XLRDError as exc:
        text = str(exc)
        if "encrypt" in text.lower() or "password" in text.lower():
            raise InputError(path, ENCRYPTED_REASON) from None
        raise InputError(path, f"不是可读的 xls 文件 ({_short(exc)})") from None
    except Exception as exc:  # noqa: BLE001 - xlrd raises many types on corrupt files
        raise InputError(path, f"xls 文件已损坏，无法读取 ({_short(exc)})") from None
    try:
        sheets = []
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            rows = []
            for r in range(sh.nrows):
                row = []
                for c, (ctype, value) in enumerate(zip(sh.row_types(r), sh.row_values(r), strict=True)):
                    if ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                            if value.time() == dt.time(0):
                                value = value.date()
                        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
                            value = sh.cell_value(r, c)
                    elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = ""
                    elif ctype == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "#ERR")
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    row.append(value)
                rows.append(row)
            merged = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sh.merged_cells]
            sheets.append(RawSheet(sh.name, _trim(rows), merged=merged, hidden=bool(sh.visibility)))
            book.unload_sheet(index)
    except Exception as exc:  # noqa: BLE001
        raise InputError(path, f"xls 文件已损坏，无法读取 ({_short(exc)})") from None
    return RawWorkbook(path, "xls", sheets)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text table: UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "不是文本表格，也不是 Excel 文件 (binary data, not a spreadsheet)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(path, "无法识别文本编码，不是 UTF-8 或 GBK 表格 (unknown text encoding)")


# a text table this big is read by column with pyarrow (when installed): a province or the whole country
COLUMNAR_BYTES = 8 * 1024**2
HEAD_RECORDS = 64  # rows read as a grid above the columns: the header is found within the first 43
HEAD_BYTES = 1 << 20
MAX_SHORT_ROWS = 10_000  # rows with fewer cells than the table (a footer line) put back in place


class _NotColumnar(Exception):
    """The file needs the row-by-row reader (an unusual dialect, ragged rows, an odd encoding)."""


def _read_text(path: Path, on_bytes: Callable[[int], None] | None = None) -> RawWorkbook:
    if path.stat().st_size >= COLUMNAR_BYTES:
        try:
            return _read_text_columnar(path, on_bytes)
        except _NotColumnar:
            pass
    data = path.read_bytes()
    text, encoding = decode_text(path, data)
    if _looks_binary(text):
        raise InputError(path, "不是文本表格，也不是 Excel 文件 (binary data, not a spreadsheet)")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputError(path, f"CSV 格式错误 ({exc})") from None
    sheet_name = path.stem
    return RawWorkbook(path, "csv", [RawSheet(sheet_name, _trim(rows))], encoding=encoding)


def _read_text_columnar(path: Path, on_bytes: Callable[[int], None] | None = None) -> RawWorkbook:
    """A big CSV read by column: the first rows with the csv module (as `_read_text` reads them),
    the rest with pyarrow's CSV reader. Raises _NotColumnar where only the row reader will do."""
    if importlib.util.find_spec("pyarrow") is None:
        raise _NotColumnar
    with path.open("rb") as file:
        data = file.read(HEAD_BYTES + 3)  # the head; pyarrow reads the rest itself
    if not data or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise _NotColumnar
    bom = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    prefix = data[bom : bom + HEAD_BYTES]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(prefix)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _NotColumnar
    if _looks_binary(text):
        raise _NotColumnar
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    taken: list[str] = []

    def lines() -> Any:
        for line in io.StringIO(text, newline=""):
            taken.append(line)
            yield line

    head: list[list[Any]] = []
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            head.append(list(row))
            if len(head) == HEAD_RECORDS:
                break
    except csv.Error:
        raise _NotColumnar from None
    consumed = "".join(taken)
    if len(head) < HEAD_RECORDS or len(consumed) >= len(text) - 1:
        raise _NotColumnar
    offset = bom + len(consumed.encode(encoding))
    width = max(len(r) for r in head)
    names = [f"c{i}" for i in range(width)]
    try:  # in parallel; a row pyarrow cannot place then (it gives no row number) means once more in order
        body, short = _arrow_body(path, offset, width, names, delimiter, encoding, True, on_bytes)
    except _InOrder:
        body, short = _arrow_body(path, offset, width, names, delimiter, encoding, False, None)
    if short:
        body = _put_back(body, short, path, offset, delimiter, width)
    body = _trim_table(body)
    sheet = TableSheet(path.stem, head if body.num_rows else _trim(head), body)
    return RawWorkbook(path, "csv", [sheet], encoding="utf-8-sig" if bom else encoding)


class _InOrder(Exception):
    """A short row met while parsing in parallel, where pyarrow gives no row number."""


def _arrow_body(
    path: Path,
    offset: int,
    width: int,
    names: list[str],
    delimiter: str,
    encoding: str,
    threads: bool,
    on_bytes: Callable[[int], None] | None,
) -> tuple[Any, list[tuple[int, str]]]:
    """The rows below the head (from byte `offset` of the file) as a pyarrow table of text
    columns, and the short rows (line, text). pyarrow reads the file itself, in parallel: no
    copy or mapping of a national roster in this process, and no Python call per block."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from cadretool.memory import arrow_pool

    arrow_pool()  # a big table is coming: everything pyarrow allocates for it from now on
    short: list[tuple[int, str]] = []

    def odd_row(row: Any) -> str:
        if row.actual_columns > width or len(short) >= MAX_SHORT_ROWS:
            raise _NotColumnar
        if row.number is None:
            raise _InOrder if threads else _NotColumnar
        short.append((row.number - 1, row.text))
        return "skip"

    block = 1 << 20  # small blocks keep both cores busy parsing
    unreadable: list[Any] = []  # a short row pyarrow cannot even decode for odd_row (bad UTF-8)
    hook, sys.unraisablehook = sys.unraisablehook, unreadable.append
    try:
        with pa.OSFile(str(path)) as file:
            file.seek(offset)
            source: Any = file
            if on_bytes:
                on_bytes(offset)  # the head, read already
                source = _Counted(file, on_bytes)
            body = pacsv.read_csv(
                source,
                read_options=pacsv.ReadOptions(
                    column_names=names, use_threads=threads, block_size=block, encoding=encoding.replace("-", "")
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=odd_row
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        raise _InOrder if threads else _NotColumnar from None
    finally:
        sys.unraisablehook = hook
    if unreadable:
        raise _InOrder if threads else _NotColumnar
    return body, short


class _Counted:
    """A file pyarrow reads through, telling `on_bytes` how much it has read (a progress bar)."""

    def __init__(self, file: Any, on_bytes: Callable[[int], None]) -> None:
        self.file, self.on_bytes, self.closed = file, on_bytes, False

    def read(self, n: int = -1) -> bytes:
        data = self.file.read(n)
        self.on_bytes(len(data))
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def _lines_after(path: Path, start: int) -> int:
    """The lines from byte `start` of the file on (the last one may lack its line break)."""
    block, count, last = 1 << 24, 0, b"\n"
    with path.open("rb") as file:
        file.seek(start)
        while chunk := file.read(block):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _put_back(body: Any, short: list[tuple[int, str]], path: Path, offset: int, delimiter: str, width: int) -> Any:
    """Rows with fewer cells than the table (a footer line, a blank line) at their places, padded.
    Their places are line numbers, which are row numbers only where no cell holds a line break."""
    import pyarrow as pa

    lines = _lines_after(path, offset)
    if lines != body.num_rows + len(short):
        raise _NotColumnar
    pieces = []
    done = 0
    for inserted, (place, line) in enumerate(sorted(short)):
        valid_before = place - inserted
        pieces.append(body.slice(done, valid_before - done))
        done = valid_before
        cells = next(csv.reader([line], delimiter=delimiter), [])
        cells = [*cells, *[""] * (width - len(cells))]
        pieces.append(
            pa.table({name: [cell] for name, cell in zip(body.column_names, cells, strict=True)}, schema=body.schema)
        )
    pieces.append(body.slice(done))
    return pa.concat_tables(pieces)


def _trim_table(body: Any) -> Any:
    """Without the empty rows at the end (as `_trim` does for a grid)."""
    import pyarrow.compute as pc

    if not body.num_columns:
        return body
    end = body.num_rows
    tail = 1024  # looked at from the end, a block at a time: most tables end on a row with a value
    while end > 0:
        block = body.slice(max(end - tail, 0), min(tail, end))
        filled = None
        for column in block.columns:
            mask = pc.not_equal(column, "")
            filled = mask if filled is None else pc.or_(filled, mask)
        where = np.flatnonzero(filled.to_numpy(zero_copy_only=False))
        if len(where):
            return body.slice(0, max(end - tail, 0) + int(where[-1]) + 1)
        end -= tail
        tail *= 4
    return body.slice(0, 0)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return bad / len(sample) > 0.05


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty rows (calamine pads to the used range); keep row numbering."""
    end = len(rows)
    while end and all(v == "" or v is None for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
