"""Valid resident ID numbers for test rosters, computed here (not by the code under test)."""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(first17: str) -> str:
    """GB 11643 check character: ISO 7064 MOD 11-2."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(birth: str | dt.date, seq: int, region: str = "522702") -> str:
    """An 18-digit number for a birth date (YYYYMMDD or a date) and sequence (odd = male)."""
    ymd = birth.strftime("%Y%m%d") if isinstance(birth, dt.date) else birth
    first17 = f"{region}{ymd}{seq % 1000:03d}"
    return first17 + check_char(first17)
