"""A pydantic model of one person as rules see them.

The roster frame is the fast path (whole columns); this model is the typed view of one
row, used where one person is shown (`explain`) and to check that the canonical fields of
`columns.yaml` and the code agree. Findings have their one definition in catalogue.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator


class Person(BaseModel):
    """The canonical, normalised fields of one roster row (all optional: rosters differ)."""

    model_config = ConfigDict(extra="allow")

    source: str
    sheet: str
    row: int = Field(ge=1, description="the 1-based row number a person sees in Excel")
    name: str | None = None
    gender: Literal["男", "女"] | None = None
    ethnicity: str | None = None
    id_number: str | None = Field(default=None, pattern=r"^\d{17}[\dX]$")
    birth_date: dt.date | None = None
    political_status: str | None = None
    party_join_date: dt.date | None = None
    party_full_date: dt.date | None = None
    education: str | None = None
    education_mode: str | None = None
    township: str | None = None
    village: str | None = None
    current_post: str | None = None
    proposed_post: str | None = None
    recommended_by: str | None = None
    hukou_local: bool | None = None
    residence_years: float | None = None
    health: str | None = None
    pledge_signed: bool | None = None
    last_assessment: str | None = None
    absent_months: float | None = None
    village_review: str | None = None
    township_review: str | None = None
    pay_level: int | None = None
    pay_step: int | None = None
    principal_terms: int | None = None
    excellent_count: int | None = None
    degree_in_service: str | None = None
    tags: str | None = None
    sanction_type: str | None = None
    sanction_date: dt.date | None = None
    retirement_track: str | None = None
    flexible_retirement: str | None = None
    leaving_type: str | None = None
    leaving_date: dt.date | None = None
    years_principal: float | None = None
    years_deputy: float | None = None
    years_member: float | None = None
    pay_level_date: dt.date | None = None
    # the talent pool (SPEC §8.1)
    talent_level: Literal["市级", "乡级", "村级"] | None = None
    talent_category: str | None = None
    terms_in_post: int | None = None
    excellent_3y: int | None = None
    flags: dict[str, bool] = Field(default_factory=dict, description="negative-list flag columns: item id → 是/否")

    @field_validator(
        "pay_level", "pay_step", "principal_terms", "excellent_count", "terms_in_post", "excellent_3y", mode="before"
    )
    @classmethod
    def _whole(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


CANONICAL_FIELDS = [name for name in Person.model_fields if name not in ("source", "sheet", "row", "flags")]


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, list | dict | tuple):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def person_from_row(row: pd.Series) -> Person:
    """The typed view of one row of the roster frame."""
    data: dict[str, Any] = {"source": row["_file"], "sheet": row["_sheet"], "row": int(row["_row"])}
    for name in CANONICAL_FIELDS:
        if name in row.index:
            data[name] = _plain(row[name])
    data["flags"] = {
        c.removeprefix("flag_"): bool(v)
        for c, v in row.items()
        if isinstance(c, str) and c.startswith("flag_") and _plain(v) is not None
    }
    return Person.model_validate(data)
