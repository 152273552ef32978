"""Chinese resident ID numbers (GB 11643-1999): normalise, validate, convert 15 -> 18, mask.

The region code is information only and is never checked against a list: numbers are
issued with the code in force at issue time, so a region created after the birth date is
perfectly valid. Numbers damaged by Excel (stored as numbers) are flagged, never repaired.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from cadretool.roster.text import factorize_typed, mostly_distinct

__all__ = [
    "IdCheck",
    "IdStatus",
    "check_digit",
    "check_id",
    "check_ids",
    "is_valid",
    "mask_id",
    "normalize_id",
]

IdStatus = Literal["valid", "converted", "invalid", "mangled", "missing"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# Full-width forms -> ASCII, ideographic space -> space, zero-width characters dropped.
_NORM_TABLE: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_NORM_TABLE[0x3000] = 0x20
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
    _NORM_TABLE[_cp] = None
_QUOTES = "'\"`‘’“”"

_SCIENTIFIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)E[+-]?\d+", re.IGNORECASE)
_FLOAT_TEXT = re.compile(r"\d+\.0*")  # "522702195003121234.0": text made from a number cell
_ALLOWED = re.compile(r"[0-9X]+")

REASON_MISSING = "未填写"
REASON_CONVERTED = "15位旧号码，已转换为18位"
REASON_SCIENTIFIC = "以科学计数法保存，已丢失位数"
REASON_TRAILING_000 = "末三位为000，疑被Excel按数字保存丢失位数"
REASON_NUMBER_LONG = "以数字保存，超过15位的数字已丢失"
REASON_NUMBER = "以数字保存，可能已丢失位数"
REASON_CHARS = "含非法字符"
REASON_X_POSITION = "X只能出现在末位"
REASON_DATE = "出生日期无效"
REASON_CHECK = "校验码错误"
REASON_CHECK_000 = "校验码错误，末三位为000，疑曾被Excel按数字保存"


@dataclass(frozen=True)
class IdCheck:
    """Outcome of checking one ID cell."""

    number: str | None
    status: IdStatus
    reason: str
    birth_date: _dt.date | None = None
    sex: Literal["男", "女"] | None = None


_MISSING = IdCheck(None, "missing", REASON_MISSING)


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _birth_date(yyyymmdd: str) -> _dt.date | None:
    try:
        d = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    if d.year < 1900 or d > _dt.date.today():
        return None
    return d


def _sex(digit: str) -> Literal["男", "女"]:
    return "男" if int(digit) % 2 else "女"


def _mangled(reason: str) -> IdCheck:
    return IdCheck(None, "mangled", reason)


def _number_reason(digits: str) -> str:
    """Why a value that arrived as a number cannot be trusted."""
    if len(digits) == 18 and digits.endswith("000"):
        return REASON_TRAILING_000
    if len(digits) > 15:
        return REASON_NUMBER_LONG
    return REASON_NUMBER


def normalize_id(raw: object) -> str | None:
    """The cell as ID text: no spaces or quotes, half-width, upper-case X; None when blank.

    No validation; useful for joining records on an ID that may itself be invalid.
    """
    if raw is None or isinstance(raw, float) and math.isnan(raw):
        return None
    if isinstance(raw, numbers.Integral) and not isinstance(raw, bool | np.bool_):
        return str(int(raw))
    if not isinstance(raw, str):
        try:
            if pd.isna(raw):
                return None
        except (TypeError, ValueError):
            pass
        raw = str(raw)
    s = "".join(raw.translate(_NORM_TABLE).split()).strip(_QUOTES)
    s = s.replace("x", "X")
    if s.endswith("×"):  # Chinese input methods often give the multiplication sign for X
        s = s[:-1] + "X"
    return s or None


def _check_text(s: str) -> IdCheck:
    if _SCIENTIFIC.fullmatch(s):
        return _mangled(REASON_SCIENTIFIC)
    if _FLOAT_TEXT.fullmatch(s):
        return _mangled(_number_reason(s.split(".")[0]))
    if not _ALLOWED.fullmatch(s):
        return IdCheck(None, "invalid", REASON_CHARS)
    n = len(s)
    if n == 18:
        if "X" in s[:17]:
            return IdCheck(None, "invalid", REASON_X_POSITION)
        born = _birth_date(s[6:14])
        if born is None:
            return IdCheck(None, "invalid", REASON_DATE)
        if check_digit(s[:17]) != s[17]:
            reason = REASON_CHECK_000 if s.endswith("000") else REASON_CHECK
            return IdCheck(None, "invalid", reason)
        return IdCheck(s, "valid", "", born, _sex(s[16]))
    if n == 15:
        if "X" in s:
            return IdCheck(None, "invalid", REASON_X_POSITION if s[-1] == "X" else REASON_CHARS)
        born = _birth_date("19" + s[6:12])
        if born is None:
            return IdCheck(None, "invalid", REASON_DATE)
        first17 = s[:6] + "19" + s[6:]
        return IdCheck(first17 + check_digit(first17), "converted", REASON_CONVERTED, born, _sex(s[14]))
    return IdCheck(None, "invalid", f"长度为{n}位，应为18位")


def check_id(raw: object) -> IdCheck:
    """Normalise and check one ID cell (str, int, float or blank)."""
    if raw is None:
        return _MISSING
    if isinstance(raw, bool | np.bool_):
        return IdCheck(None, "invalid", REASON_CHARS)
    if isinstance(raw, numbers.Integral):
        value = int(raw)
        if value < 0:
            return IdCheck(None, "invalid", REASON_CHARS)
        digits = str(value)
        # Excel keeps 15 significant digits, so any longer number has lost its tail.
        if len(digits) > 15:
            return _mangled(_number_reason(digits))
        return _check_text(digits)  # a 15-digit int can be a genuine old ID
    if isinstance(raw, numbers.Real):
        x = float(raw)
        if math.isnan(x):
            return _MISSING
        if math.isinf(x):
            return IdCheck(None, "invalid", REASON_CHARS)
        digits = str(int(abs(x))) if x.is_integer() else ""
        return _mangled(_number_reason(digits))
    s = normalize_id(raw)
    if s is None:
        return _MISSING
    return _check_text(s)


def is_valid(number: str) -> bool:
    """True when ``number`` is a valid 18-character ID (after normalisation)."""
    return isinstance(number, str) and check_id(number).status == "valid"


_SHAPE_18 = re.compile(r"[0-9]{17}[0-9X]")  # 17 digits and a digit or X: the shape of a clean number


def mask_id(number: str | None) -> str | None:
    """Hide the birth date and sequence: first 6 + ``********`` + last 4.

    Anything not shaped like an 18-character ID keeps only its first 2 and last 2 characters.
    """
    if number is None:
        return None
    s = str(number).strip()
    if _SHAPE_18.fullmatch(s):
        return s[:6] + "********" + s[-4:]
    if len(s) <= 4:
        return "*" * len(s)
    return s[:2] + "*" * (len(s) - 4) + s[-2:]


_CHECK_BYTES = np.frombuffer(_CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _check_clean_18(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised check of already-clean 18-character numbers, one row of ASCII bytes each.

    Returns (status, reason, birth date as datetime64[D], sex) arrays, same rules as check_id.
    """

    def digit(i: int) -> np.ndarray:  # one position of every number, widened (no 17-wide int copy)
        return raw[:, i].astype(np.int32) - 48

    weighted = np.zeros(len(raw), dtype=np.int32)
    for i, weight in enumerate(_WEIGHTS):
        weighted += digit(i) * weight
    check_ok = raw[:, 17] == _CHECK_BYTES[weighted % 11]
    year = digit(6) * 1000 + digit(7) * 100 + digit(8) * 10 + digit(9)
    month = digit(10) * 10 + digit(11)
    day = digit(12) * 10 + digit(13)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    dim = _DAYS_IN_MONTH[np.where(month_ok, month - 1, 0)] + ((month == 2) & leap)
    date_ok = month_ok & (day >= 1) & (day <= dim) & (year >= 1900)
    # Build the dates only from safe parts; invalid rows become NaT below.
    y = np.where(date_ok, year, 1970) - 1970
    m = np.where(date_ok, month, 1) - 1
    d = np.where(date_ok, day, 1) - 1
    months = y.astype("datetime64[Y]").astype("datetime64[M]") + m.astype("timedelta64[M]")
    born = months.astype("datetime64[D]") + d.astype("timedelta64[D]")
    date_ok &= born <= np.datetime64(_dt.date.today(), "D")
    valid = date_ok & check_ok
    trailing_000 = (raw[:, 15:] == 48).all(axis=1)
    # each text picked from a short table by a code: no object array filled and refilled
    status = _STATUSES[valid.astype(np.intp)]
    reason = _REASONS[np.where(valid, 3, np.where(date_ok, trailing_000.astype(np.intp), 2))]
    born[~valid] = np.datetime64("NaT", "D")
    male = raw[:, 16] % 2 == 1  # the digit's byte has its parity
    sex = _SEXES[np.where(valid, np.where(male, 1, 2), 0)]
    return status, reason, born, sex


_STATUSES = np.array(["invalid", "valid"], dtype=object)
_REASONS = np.array([REASON_CHECK, REASON_CHECK_000, REASON_DATE, ""], dtype=object)
_SEXES = np.array([None, "男", "女"], dtype=object)


def _shaped_18(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Which values are text of 17 digits and a digit or X, and those values' bytes (one row of
    18 a value). A long column is matched by pyarrow's regex, and its bytes come straight from
    pyarrow's buffer: no Python string is made or joined."""
    if len(values) >= 10_000:
        try:
            import pyarrow as pa
            import pyarrow.compute as pc
        except ImportError:
            pass
        else:
            try:  # text cells and blanks, as a big roster's ID column is
                texts = pa.array(values, pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # a number among them (an xlsx cell)
                texts = pa.array([v if type(v) is str else "" for v in values], pa.string())
            shaped = pc.match_substring_regex(texts, f"^{_SHAPE_18.pattern}$").fill_null(False)
            found = texts.filter(shaped)
            raw = np.empty((0, 18), dtype=np.uint8)
            if len(found):
                _, offsets, data = found.buffers()
                at = np.frombuffer(offsets, dtype=np.int32)[found.offset : found.offset + len(found) + 1]
                raw = np.frombuffer(data, dtype=np.uint8)[at[0] : at[-1]].reshape(-1, 18)  # 18 ASCII bytes each
            return shaped.to_numpy(zero_copy_only=False), raw
    mask = np.array([isinstance(u, str) and _SHAPE_18.fullmatch(u) is not None for u in values], dtype=bool)
    chosen = "".join(v for v, m in zip(values, mask, strict=True) if m)
    return mask, np.frombuffer(chosen.encode("ascii"), dtype=np.uint8).reshape(-1, 18)


def check_ids(values: pd.Series) -> pd.DataFrame:
    """Check a whole ID column; one row per input row, same index.

    Columns: ``id_number`` (normalised 18-char number or None), ``id_status``, ``id_reason``,
    ``id_birth_date`` (datetime64[ns], NaT when unknown), ``id_sex`` (男/女/None) and ``id_text``
    (the number as written, cleaned: normalize_id).
    Each distinct value is checked once; clean 18-character text is checked with numpy.
    """
    cells = values.to_numpy(dtype=object)
    codes: np.ndarray | None
    if mostly_distinct(cells):
        # hardly a number repeats (a big roster): each cell is checked as it stands, in one pass
        codes, uniques = None, np.where(pd.isna(cells), None, cells)
    else:
        codes, uniques = factorize_typed(values)
    n = len(uniques) + 1  # the extra last slot is for blanks (code -1)
    number = np.empty(n, dtype=object)
    status = np.empty(n, dtype=object)
    reason = np.empty(n, dtype=object)
    sex = np.empty(n, dtype=object)
    born = np.full(n, np.datetime64("NaT", "D"), dtype="datetime64[D]")

    written = np.empty(n, dtype=object)  # the number as written, cleaned (normalize_id)
    shaped, raw = _shaped_18(uniques)
    fast = np.append(shaped, False)
    fast_idx = np.flatnonzero(fast)
    if len(fast_idx):
        texts = np.empty(len(fast_idx), dtype=object)
        texts[:] = [uniques[i] for i in fast_idx] if isinstance(uniques, list) else uniques[fast_idx]
        st, rs, bd, sx = _check_clean_18(raw)
        status[fast_idx], reason[fast_idx], born[fast_idx], sex[fast_idx] = st, rs, bd, sx
        number[fast_idx] = np.where(st == "valid", texts, None)
        written[fast_idx] = texts  # clean 18-character text is its own normal form
    for i in np.flatnonzero(~fast):
        r = check_id(uniques[i]) if i < len(uniques) else _MISSING
        number[i], status[i], reason[i], sex[i] = r.number, r.status, r.reason, r.sex
        written[i] = normalize_id(uniques[i]) if i < len(uniques) else None
        if r.birth_date is not None:
            born[i] = np.datetime64(r.birth_date, "D")

    index = values.index
    rows = codes if codes is not None else slice(0, n - 1)  # checked cell by cell: the cells in order
    columns = {
        "id_number": number[rows],
        "id_status": status[rows],
        "id_reason": reason[rows],
        "id_birth_date": born.astype("datetime64[ns]")[rows],
        "id_sex": sex[rows],
        "id_text": written[rows],
    }
    return pd.DataFrame(  # the columns as made: not stacked into one block (a copy of them all)
        {k: pd.Series(v, index=index, dtype=v.dtype, copy=False) for k, v in columns.items()}, index=index, copy=False
    )
