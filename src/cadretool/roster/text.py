"""Cleaning of spreadsheet cell text: widths, invisible characters, stray spaces."""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["clean_text", "clean_text_series", "factorize_typed", "first_positions", "header_key", "map_unique"]

# Full-width ASCII forms U+FF01..U+FF5E map to U+0021..U+007E; U+3000 is an ideographic space.
_WIDTH_TABLE: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20
# Zero-width characters are invisible noise (often pasted from web pages or Word).
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
    _WIDTH_TABLE[_cp] = None

# Characters between which a space carries no meaning: CJK ideographs, CJK punctuation, name dots.
_CJK = (
    "\u3001-\u303f"  # CJK symbols and punctuation (without U+3000)
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B..G
    "\u00b7\u2027\u30fb"  # middle dots used in minority names (阿不都·热合曼)
)
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")

# Punctuation of both widths that carries no meaning in a column header.
_HEADER_DROP = set("()（）【】[]{}｛｝〔〕《》〈〉<>「」『』、，,/／\\：:；;*＊·•・.。\"“”'‘’`-－—–―_~～?？!！#＃")
_HEADER_TABLE: dict[int, None] = {ord(c): None for c in _HEADER_DROP}


def _format_number(value: numbers.Real) -> str | None:
    x = float(value)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return str(x)
    if x.is_integer():
        return str(int(x))
    return repr(x)


_NEEDS_TRANSLATE = re.compile("[\uff01-\uff5e\u3000\u200b-\u200d\u2060\ufeff]")


def _clean_str(s: str) -> str | None:
    if s.isascii():  # fast path: nothing to translate and no CJK
        return " ".join(s.split()) or None
    if _NEEDS_TRANSLATE.search(s):  # translate() is slow; most cells need none
        s = s.translate(_WIDTH_TABLE)
    # split() without arguments also splits on NBSP, U+2000..U+200A, line breaks, tabs.
    s = " ".join(s.split())
    if " " in s:
        s = _CJK_SPACE.sub("", s)
    return s or None


def clean_text(value: object) -> str | None:
    """Return the cell value as clean text, or None when it is blank."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return _format_number(value)
    try:
        if pd.isna(value):  # pandas NA, NaT, numpy NaN/NaT
            return None
    except (TypeError, ValueError):  # list-likes: pd.isna returns an array
        pass
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return _clean_str(str(value))


def factorize_typed(values: pd.Series | np.ndarray | list[object]) -> tuple[np.ndarray, list[object]]:
    """Codes (-1 for blank/NA) and the distinct non-NA values, keeping 1, 1.0 and True apart.

    Callers compute something once per distinct value and gather it back with the codes.
    """
    coded = _coded(values)
    if coded is not None:
        return coded
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if s.dtype != object:
        # Typed columns hold one Python type per column, so equality-based factorize is exact.
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.intp), list(uniques.tolist())
    arr = s.to_numpy(dtype=object)
    if len(arr) >= BY_IDENTITY_ROWS:
        return _factorize_by_identity(arr)
    return _factorize_values(arr)


def _coded(values: object) -> tuple[np.ndarray, list[object]] | None:
    """factorize_typed of a Categorical (a big CSV's column as read): its own codes and texts,
    the texts no row has any more (rows left out as not people) taken out."""
    cat = values.array if isinstance(values, pd.Series) else values
    if not isinstance(cat, pd.Categorical):
        return None
    kinds = cat.categories.to_numpy(dtype=object)
    used = np.zeros(len(kinds) + 1, dtype=bool)
    used[cat.codes] = True  # the blanks (-1) mark the extra last slot
    used = used[:-1]
    codes = np.asarray(cat.codes, dtype=np.intp)
    if not used.all():
        renumber = np.append(np.cumsum(used) - 1, -1)  # -1 stays -1
        codes, kinds = renumber[codes], kinds[used]
    return codes, kinds.tolist()


def _factorize_values(arr: np.ndarray) -> tuple[np.ndarray, list[object]]:
    if pd.api.types.infer_dtype(arr, skipna=True) in ("string", "empty", "floating", "integer", "boolean"):
        # one Python type throughout: equality-based factorize is exact and runs in C
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.intp), list(uniques.tolist())
    na = np.asarray(pd.isna(arr), dtype=bool)
    codes = np.full(len(arr), -1, dtype=np.intp)
    seen: dict[tuple[type, object], int] = {}
    uniques: list[object] = []
    idx = np.flatnonzero(~na)
    out: list[int] = []
    for v in arr[idx]:
        try:
            key = (type(v), v)
            code = seen.get(key)
        except TypeError:  # unhashable cell (rare): give it its own slot
            key, code = None, None
        if code is None:
            code = len(uniques)
            uniques.append(v)
            if key is not None:
                seen[key] = code
        out.append(code)
    codes[idx] = out
    return codes, uniques


# a column this long is factorised by object identity first: a big CSV's equal texts are one object
BY_IDENTITY_ROWS = 50_000


def repeated(value: object, n: int) -> np.ndarray:
    """An object column of n cells that all hold the one `value` (np.full would convert a text to
    n new text objects: memory for each, and equal cells no longer one object)."""
    column = np.empty(n, dtype=object)
    column.fill(value)
    return column


def first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """Where each of the codes 0 … count-1 first stands in `codes` (0 for a code that never does)."""
    first = np.zeros(count, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write for a code is its first place
    return first


def _factorize_by_identity(arr: np.ndarray) -> tuple[np.ndarray, list[object]]:
    """factorize_typed for a long object column: the cells' object pointers are factorised (fast,
    integers), then the few distinct objects by value; equal pointers are the same object, so the
    result is exactly factorize_typed's."""
    arr = np.ascontiguousarray(arr)
    pointers = np.frombuffer(memoryview(arr).cast("B"), dtype=np.uintp)
    by_object, objects = pd.factorize(pointers)
    first = first_positions(by_object, len(objects))  # each object's first cell
    codes, uniques = _factorize_values(arr[first])
    return codes[by_object], uniques


# a long column whose first cells hardly repeat (names, ID numbers, serial numbers) is mapped cell
# by cell: finding its distinct values would cost more than the calls it saves
SAMPLE_CELLS = 4096
MOSTLY_DISTINCT = 0.9


def mostly_distinct(arr: np.ndarray) -> bool:
    """True for a long object column whose first cells are nearly all different."""
    if len(arr) < BY_IDENTITY_ROWS or not isinstance(arr, np.ndarray):
        return False  # short, or coded (a Categorical: its texts repeat)
    sample = arr[:SAMPLE_CELLS]
    try:
        return len(set(sample.tolist())) > MOSTLY_DISTINCT * len(sample)
    except TypeError:  # an unhashable cell: the general path copes
        return False


def _each_cell(arr: np.ndarray, func: Callable[[object], Any]) -> list[Any]:
    """func on every cell, None for the blank ones (NA), as map_unique would give them."""
    na = pd.isna(arr)
    blank = func(None)
    return [blank if missing else func(v) for v, missing in zip(arr.tolist(), na.tolist(), strict=True)]


def _objects(values: pd.Series | np.ndarray) -> Any:
    """The cells as an object array, or a Categorical as it is (its codes say which cells are equal)."""
    if isinstance(values, pd.Categorical) or isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        return values
    return values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(values, dtype=object)


def map_unique(values: pd.Series | np.ndarray, func: Callable[[object], object]) -> np.ndarray:
    """Apply ``func`` once per distinct value (and once to None for blanks); object array result."""
    arr = _objects(values)
    if mostly_distinct(arr):
        return np.fromiter(_each_cell(arr, func), dtype=object, count=len(arr))
    codes, uniques = factorize_typed(arr)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):
        results[i] = func(u)
    results[-1] = func(None)  # code -1 picks the blank result
    return results[codes]


def map_unique_pair(
    values: pd.Series | np.ndarray, func: Callable[[object], tuple[object, bool]]
) -> tuple[np.ndarray, np.ndarray]:
    """Like map_unique for a function giving (value, readable): two arrays, values and readable."""
    arr = _objects(values)
    if mostly_distinct(arr):
        pairs = _each_cell(arr, func)
        results = np.fromiter((v for v, _ in pairs), dtype=object, count=len(pairs))
        return results, np.fromiter((ok for _, ok in pairs), dtype=bool, count=len(pairs))
    codes, uniques = factorize_typed(arr)
    results = np.empty(len(uniques) + 1, dtype=object)
    readable = np.empty(len(uniques) + 1, dtype=bool)
    for i, u in enumerate([*uniques, None]):  # the last slot: blanks (code -1)
        results[i], readable[i] = func(u)
    return results[codes], readable[codes]


def map_values(values: pd.Series, mapping: Mapping[Any, Any], missing: Any = np.nan, dtype: Any = object) -> pd.Series:
    """``values.map(mapping)`` worked out once per distinct value (`missing` where the mapping has
    no entry): a dictionary lookup per row is slow on a long text column."""

    def look_up(v: object) -> Any:
        try:
            return missing if v is None else mapping.get(v, missing)
        except TypeError:  # an unhashable cell has no entry
            return missing

    mapped = map_unique(values, look_up)
    return pd.Series(mapped, index=values.index, name=values.name, dtype=object, copy=False).astype(dtype)


def clean_text_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`clean_text`; object dtype with None for blanks, same index and name."""
    return pd.Series(map_unique(s, clean_text), index=s.index, name=s.name, dtype=object, copy=False)


def header_key(text: str) -> str:
    """A matching key for a column header: no spaces, no punctuation, lower-case Latin."""
    cleaned = clean_text(text)
    if cleaned is None:
        return ""
    return "".join(cleaned.translate(_HEADER_TABLE).split()).lower()
