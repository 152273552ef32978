"""Presentation of a vet result, computed once and shared by every writer.

The workbook, the annotated CSV/Parquet table, the JSON, the one-row-per-finding CSV and
the terminal all show the same ID text, the same verdict columns and the same finding
order, because they all take them from here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cadretool.catalogue import SEVERITY_ORDER, STATUS_LABELS
from cadretool.roster.idnumber import mask_id
from cadretool.roster.text import clean_text, map_values

if TYPE_CHECKING:
    from cadretool.results import VetResult

SEPARATOR = "；"
VERDICT_HEADERS = ("审查结论", "不符合条款", "需核实事项")
TABLE_VERDICT_HEADERS = ("审查结论", "不符合条款", "不符合说明", "需核实事项")


def text_or_none(value: Any) -> str | None:
    """A text cell for JSON: the text, or None for a blank or a non-text value."""
    return value if isinstance(value, str) and value else None


def person_head(cols: dict[str, np.ndarray], ids: np.ndarray, i: int) -> dict[str, Any]:
    """Where person `i` stands and who it is, the opening keys of every job's JSON row: source,
    sheet, row, ID number (an invalid one as written; D01/D02 say what is wrong with it), name,
    township, village. `cols` are the people's columns, `ids` from person_ids()."""

    def text(name: str) -> str | None:
        column = cols.get(name)
        return text_or_none(column[i]) if column is not None else None

    return {
        "source": cols["_file"][i],
        "sheet": cols["_sheet"][i],
        "row": int(cols["_row"][i]),
        "id_number": ids[i] or None,
        "name": text("name"),
        "township": text("township"),
        "village": text("village"),
    }


def order_findings(findings: pd.DataFrame, rule_order: Sequence[str]) -> pd.DataFrame:
    """The one finding order: by person, then severity (disqualify first), then the rule
    set's own order (Q before N, D and E after the rules), then message."""
    if findings.empty:
        return findings.reset_index(drop=True)
    position = {rule: i for i, rule in enumerate(rule_order)}
    severity = map_values(findings["severity"], SEVERITY_ORDER, len(SEVERITY_ORDER), "int64").to_numpy()
    rank = map_values(findings["rule"], position, len(position), "int64").to_numpy()
    rule = pd.factorize(findings["rule"].to_numpy(dtype=object), sort=True)[0]
    person = findings["person"].to_numpy(dtype="int64")
    order = np.lexsort((rule, rank, severity, person))  # stable, on integers
    keys = np.stack([person[order], severity[order], rank[order], rule[order]])
    tied = np.r_[False, (keys[:, 1:] == keys[:, :-1]).all(axis=0)]  # same as the finding before
    if tied.any():
        # a person's findings under one rule (records of two departments): by message, only there
        run = np.cumsum(~tied)
        among = np.flatnonzero(tied | np.r_[tied[1:], False])
        message = pd.factorize(findings["message"].to_numpy(dtype=object)[order[among]], sort=True)[0]
        order[among] = order[among][np.lexsort((message, run[among]))]
    return findings.iloc[order].reset_index(drop=True)


# a number cell's ID as Python writes a float ('5.22702198001011e+17'), and a number a department
# already masked ('522702********1065')
_FLOAT_TEXT = re.compile(r"\d\.\d+e\+\d+")
_MASKED_18 = re.compile(r"[0-9]{6}\*+[0-9X]{4}")


def id_text(value: Any, mask_ids: bool) -> str:
    """An ID number as shown: '' for none, masked (first 6 + ******** + last 4) on request.

    Masked, a number cell's ID shows its digits masked and an already masked number stays as
    it was, as the findings' own messages show them, so every output agrees."""
    if not isinstance(value, str) or not value:
        return ""
    if not mask_ids:
        return value
    if _MASKED_18.fullmatch(value):
        return value
    if _FLOAT_TEXT.fullmatch(value):
        value = clean_text(float(value)) or value
    return mask_id(value) or ""


def person_ids(people: pd.DataFrame, mask_ids: bool) -> np.ndarray:
    """Each person's ID number as shown: the valid number, else the number as written (an
    invalid or mangled one, which D01/D02 explain), else ''."""
    valid = people["id_number"] if "id_number" in people else pd.Series([None] * len(people), index=people.index)
    written = people["id_text"] if "id_text" in people else pd.Series([None] * len(people), index=people.index)
    shown = valid.where(valid.map(lambda v: isinstance(v, str) and v != ""), written)
    return np.array([id_text(v, mask_ids) for v in shown.to_numpy(dtype=object)], dtype=object)


@dataclass
class Verdicts:
    """Per person (index = person): the status label and the verdict texts, and the lines
    each person's disqualifying findings explain themselves with."""

    table: pd.DataFrame  # 审查结论, 不符合条款, 不符合说明, 需核实事项
    _persons: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, dtype="int64"))
    _lines: Any = dataclasses.field(default_factory=lambda: np.empty(0, dtype=object))  # or a pyarrow array
    _by_person: dict[int, list[str]] | None = None

    @property
    def disqualify_lines(self) -> dict[int, list[str]]:
        """person → the lines of their disqualifying findings, in the one finding order."""
        if self._by_person is None:
            starts = _group_starts(self._persons)
            lines = self._lines if isinstance(self._lines, np.ndarray) else self._lines.to_pylist()  # pyarrow's
            self._by_person = {
                int(self._persons[s]): list(lines[s:e])
                for s, e in zip(starts, [*starts[1:], len(self._persons)], strict=True)
            }
        return self._by_person


def _group_starts(persons: np.ndarray) -> list[int]:
    """Where each run of one person begins in findings sorted by person."""
    if not len(persons):
        return []
    return [0, *(np.flatnonzero(persons[1:] != persons[:-1]) + 1).tolist()]


def _joined_per_person(persons: np.ndarray, texts: np.ndarray, index: pd.Index) -> pd.Series:
    """Each person's texts joined with SEPARATOR (findings sorted by person), '' for none."""
    out = pd.Series("", index=index, dtype=object)
    if not len(persons):
        return out
    starts = np.asarray(_group_starts(persons), dtype=np.intp)
    ends = np.r_[starts[1:], len(persons)] - 1
    pieces = texts.astype(object) + SEPARATOR
    pieces[ends] = texts[ends]  # no separator after a person's last text
    joined = np.add.reduceat(pieces, starts) if len(pieces) else pieces
    out.loc[persons[starts]] = joined
    return out


def verdicts(people: pd.DataFrame, findings: pd.DataFrame) -> Verdicts:
    """审查结论, 不符合条款 (rule ids), 不符合说明 and 需核实事项 from findings in their one order
    (sorted by person: each person's findings are one run, joined without a per-person loop)."""
    index = people.index
    table = pd.DataFrame(index=index)
    table["审查结论"] = map_values(people["status"], STATUS_LABELS, "") if len(people) else pd.Series(dtype=object)
    if findings.empty:
        for col in TABLE_VERDICT_HEADERS[1:]:
            table[col] = ""
        return Verdicts(table)
    known = findings["person"].isin(index).to_numpy()
    mine = findings if known.all() else findings[known]
    persons = mine["person"].to_numpy(dtype="int64")
    if len(persons) > 1 and (np.diff(persons) < 0).any():
        order = np.argsort(persons, kind="stable")
        mine, persons = mine.iloc[order], persons[order]
    disq = (mine["severity"] == "disqualify").to_numpy()
    if len(mine) >= ARROW_FINDINGS and importlib.util.find_spec("pyarrow") is not None:
        return _verdicts_arrow(table, mine, persons, disq, index)
    rules = mine["rule"].astype(str).to_numpy(dtype=object)
    messages = mine["message"].fillna("").astype(str).to_numpy(dtype=object)
    texts = np.where(messages != "", rules + " " + messages, rules).astype(object)
    # a rule failed twice (two records) is named once
    first_of_rule = ~pd.DataFrame({"p": persons[disq], "r": rules[disq]}).duplicated().to_numpy()
    table["不符合条款"] = _joined_per_person(persons[disq][first_of_rule], rules[disq][first_of_rule], index)
    table["不符合说明"] = _joined_per_person(persons[disq], texts[disq], index)
    table["需核实事项"] = _joined_per_person(persons[~disq], texts[~disq], index)
    return Verdicts(table, persons[disq], texts[disq])


# this many findings are joined by pyarrow (no Python string per finding) when it is installed
ARROW_FINDINGS = 100_000


def _verdicts_arrow(
    table: pd.DataFrame, mine: pd.DataFrame, persons: np.ndarray, disq: np.ndarray, index: pd.Index
) -> Verdicts:
    """verdicts() for a national run: the same texts, joined per person by pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rules = pa.array(mine["rule"].astype("str").array).cast(pa.large_string())
    messages = pa.array(mine["message"].fillna("").astype("str").array).cast(pa.large_string())
    texts = pc.if_else(
        pc.equal(messages, ""), rules, pc.binary_join_element_wise(rules, messages, pa.scalar(" ", pa.large_string()))
    )
    keep = pa.array(disq)
    # a rule failed twice (two records) is named once
    rule_codes = pd.factorize(mine["rule"])[0].astype(np.int64)
    once = ~pd.Series(persons[disq] * (int(rule_codes.max(initial=0)) + 1) + rule_codes[disq]).duplicated().to_numpy()
    table["不符合条款"] = _joined_arrow(persons[disq][once], rules.filter(keep).filter(pa.array(once)), index)
    table["不符合说明"] = _joined_arrow(persons[disq], texts.filter(keep), index)
    table["需核实事项"] = _joined_arrow(persons[~disq], texts.filter(pc.invert(keep)), index)
    return Verdicts(table, persons[disq], texts.filter(keep))


def _joined_arrow(persons: np.ndarray, texts: Any, index: pd.Index) -> pd.Series:
    """Each person's texts joined with SEPARATOR (findings sorted by person), '' for none: a
    list per person, joined by pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    at = index.get_indexer(persons)  # each finding's row in the table
    if len(at) and (np.diff(at) < 0).any():  # a table not in the findings' order: theirs put in its
        order = np.argsort(at, kind="stable")  # a person's own texts keep their order
        at, texts = at[order], texts.take(pa.array(order))
    # one list a row, empty for a row with no text: joined straight into the column
    offsets = np.zeros(len(index) + 1, dtype=np.int64)
    np.cumsum(np.bincount(at, minlength=len(index)), out=offsets[1:])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), texts)
    shown = pc.binary_join(lists, pa.scalar(SEPARATOR, texts.type))
    return pd.Series(pd.arrays.ArrowStringArray(shown.cast(pa.large_string())), index=index)


# an ID number inside free text (a note, a department's 说明, another ID column): masked with --mask-ids
_DIGIT_RUN = re.compile(r"\d{6}")
_ID_RUN = re.compile(r"\d{14}(?:\d{3}[\dXx])?")


def mask_in_text(value: Any) -> Any:
    """Any ID number inside a text (or a number cell holding one), masked; anything else unchanged."""
    if isinstance(value, str) and _DIGIT_RUN.search(value):
        return _ID_RUN.sub(lambda m: mask_id(m.group()) or "", value)
    if isinstance(value, float) and value >= 1e14:
        return mask_id(f"{value:.0f}")
    return value


def with_text_masked(result: VetResult) -> VetResult:
    """The result with every ID inside a finding's message or an unmatched record's text masked
    (a department's 说明 may quote one), so no writer shows it whole."""
    findings = result.findings
    if len(findings):
        findings = findings.assign(message=findings["message"].map(mask_in_text))
    groups = result.group_findings
    if len(groups):
        groups = groups.assign(message=groups["message"].map(mask_in_text))
    unmatched = [
        {k: v if k in ("id_number", "id_as_written") else mask_in_text(v) for k, v in record.items()}
        for record in result.unmatched_evidence
    ]
    return dataclasses.replace(result, findings=findings, group_findings=groups, unmatched_evidence=unmatched)


def run_notes(result: Any) -> list[str]:
    """What a reader of the workbook must know about the run, each naming its file: inputs not
    read, sheets skipped or not vetted, columns the rules lacked, warnings and run notes (the same
    the terminal and the JSON give)."""
    roster = result.roster
    notes = [f"未能读取 {err} (not read)" for err in roster.errors]
    notes += list(result.notes)
    for inp in roster.inputs:
        name = Path(inp.file).name  # as 审查明细 names files
        notes += [f"{name}：{note}" for note in inp.notes]
        notes += [f"{name}“{sheet.name}”：{note}" for sheet in inp.sheets for note in sheet.notes]
    notes += list(result.warnings)
    return notes
