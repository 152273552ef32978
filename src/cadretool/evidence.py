"""Joint-review evidence (联审): reading department sheets and joining them to people.

Records join to people by normalised ID number. A record is never dropped: it either
becomes part of a person's findings (a hit, a name mismatch, or an info note that it did
not count) or is listed as unmatched evidence with the reason and the ID as written; a
record whose ID cannot be joined but whose name is one roster person's is both (E04).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.errors import InputError
from cadretool.records import (
    cell_text,
    cells_as_written,
    cite,
    join_key,
    nameless_rows,
    unnamed_record,
    with_sheets,
)
from cadretool.roster.idnumber import check_id, mask_id
from cadretool.roster.table import InputInfo, SheetInfo, built_in_findings, concat_findings, read_roster
from cadretool.roster.text import clean_text, header_key, map_unique
from cadretool.rules.expr import negated_away
from cadretool.rules.ruleset import RuleSet


@dataclass
class Evidence:
    records: pd.DataFrame
    inputs: list[InputInfo]
    errors: list[InputError]
    # rows that say something (an item, a sanction, a date, a note) but name nobody: listed unmatched
    nameless: list[dict[str, Any]] = field(default_factory=list)


class ItemKeys(dict[str, str]):
    """Keys (id, label, alias; normalised) → item id, with what reads a department's free text:
    the rule set's "none" words (/, —) and the mentions its negations cover (未受过刑事处罚)."""

    def __init__(self, keys: dict[str, str], none_words: frozenset[str], negations: list[str]) -> None:
        super().__init__(keys)
        self.none_words = none_words
        aliases = [a for a, rid in keys.items() if rid != CLEAR and len(a) >= 2]
        self.negated_away = negated_away(aliases, negations) if negations and aliases else (lambda text: text)


def item_resolver(ruleset: RuleSet) -> ItemKeys:
    """Keys (id, label, alias; normalised) → item id; the words for "nothing found" → CLEAR."""
    keys: dict[str, str] = {}
    sanction = ruleset.columns.vocabularies.get("sanction")
    for rule in ruleset.negative:
        names = [rule.id, rule.label, rule.title, *rule.aliases]
        if rule.roster_record.get("type") and sanction is not None:
            # 党内严重警告, 开除党籍 … name the sanction item by its kind
            names += [*sanction.values, *sanction.lookup]
        for text in names:
            if text:
                keys.setdefault(header_key(text), rule.id)
    none_words = ruleset.evidence_columns.none_words
    for text in [*ruleset.evidence_clear, *none_words]:
        if header_key(text):
            keys.setdefault(header_key(text), CLEAR)
    for key, rid in list(keys.items()):
        keys.setdefault(_short_id(key), rid)
    negations = ruleset.params.get("negation_markers")
    return ItemKeys(keys, none_words, list(negations.values[-1][1]) if negations else [])


_ITEM_ID = re.compile(r"([a-z]+)0*(\d+)")
_ITEM_ID_IN_TEXT = re.compile(r"(?<![a-z0-9])([a-z]+)0*(\d+)(?!\d)")


def _short_id(key: str) -> str:
    """An item id without its leading zeros (n01 → n1), as departments often write it."""
    m = _ITEM_ID.fullmatch(key)
    return f"{m.group(1)}{m.group(2)}" if m else key


def resolve_item(text: Any, keys: dict[str, str]) -> str | None:
    """An item named by id (N01), label or alias; else the longest alias the text names other than
    under a negation (未受过刑事处罚, 经查无赌博吸毒行为 name nothing: CLEAR)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    key = header_key(str(text))
    if not key:
        # a cell of punctuation only: "/" or "—" is the department's "none"
        none_words = getattr(keys, "none_words", frozenset())
        return CLEAR if clean_text(text) in none_words else None
    if key in keys:
        return keys[key]
    if _short_id(key) in keys:
        return keys[_short_id(key)]
    for m in _ITEM_ID_IN_TEXT.finditer(key):  # N01（盗窃罪）, 负面清单第N03项: the id as a whole word
        if f"{m.group(1)}{m.group(2)}" in keys:
            return keys[f"{m.group(1)}{m.group(2)}"]
    written = (clean_text(text) or "").lower()
    strip = getattr(keys, "negated_away", None)
    kept = strip(written) if strip is not None else written
    pieces = [header_key(p) for p in kept.split("，")]
    best = None
    for alias, rid in keys.items():
        if rid == CLEAR or len(alias) < 2 or (best is not None and len(alias) <= len(best[0])):
            continue
        if _ITEM_ID.fullmatch(alias):  # an id names its item whole: N99 and N11 are not N09 and N01
            continue
        if any(alias in piece for piece in pieces):
            best = (alias, rid)
    if best:
        return best[1]
    return CLEAR if kept != written else None


def _sanction_kind_item(text: Any, keys: dict[str, str]) -> str | None:
    """The item a 处分类型 cell names: "" for a blank or a mark that says nothing, CLEAR for a
    "none" (无, /), None for a kind the vocabulary does not know (kept, decided by hand)."""
    if not text:
        return ""
    found = resolve_item(text, keys)
    return found if header_key(str(text)) or found == CLEAR else ""


def sanction_from_text(texts: pd.Series, ruleset: RuleSet) -> pd.Series:
    """A sanction type named inside free text (说明): the longest vocabulary alias found."""
    vocab = ruleset.columns.vocabularies.get("sanction")
    if vocab is None:
        return pd.Series([None] * len(texts), index=texts.index, dtype=object)
    aliases = sorted(vocab.lookup.items(), key=lambda kv: -len(kv[0]))

    def find(text: Any) -> str | None:
        if not isinstance(text, str):
            return None
        key = header_key(text)
        for alias, canonical in aliases:
            if len(alias) >= 2 and alias in key:
                return canonical
        return None

    return texts.map(find).astype(object)


def no_evidence() -> Evidence:
    return Evidence(_empty_records(), [], [])


def read_evidence(paths: Sequence[Path], ruleset: RuleSet) -> Evidence:
    """Read every evidence file; every record kept, with its item resolved where possible."""
    if not paths:
        return no_evidence()
    # a sheet with names and no ID column is still read: its records are matched by name (E04)
    roster = read_roster(paths, ruleset.evidence_columns, required=("id_number", "name"))
    frame = roster.frame

    def column(name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)

    keys = item_resolver(ruleset)
    items_raw = column("item")
    item = pd.Series(map_unique(items_raw, lambda t: resolve_item(t, keys)), index=frame.index, dtype=object)
    # 案由 盗窃罪 with 处理结果 判处有期徒刑六个月: the result or note names the item the 案由 does not
    by_note = pd.Series(map_unique(column("note"), lambda t: resolve_item(t, keys)), index=frame.index, dtype=object)
    unnamed = (item.isna() & by_note.notna() & (by_note != CLEAR)).to_numpy()
    item[unnamed] = by_note[unnamed]
    # a sanction sheet (处分类型, 处分时间) names its item by the sanction: N03, whatever its kind
    kind_written = cells_as_written(frame, roster.sheets, "sanction_type")
    kind_item = pd.Series(
        map_unique(kind_written, lambda t: _sanction_kind_item(t, keys)),
        index=frame.index,
        dtype=object,
    )
    kind_written = kind_written.where((kind_item != "").to_numpy() & (kind_item != CLEAR).to_numpy(), None)
    sanctioned = kind_written.notna().to_numpy()
    sanction_item = next((r.id for r in ruleset.negative if r.roster_record.get("type")), None)
    stype = (
        column("sanction_type")
        .where(lambda s: s.notna(), sanction_from_text(kind_written, ruleset))
        .where(lambda s: s.notna(), sanction_from_text(column("note"), ruleset))
        .where(lambda s: s.notna(), sanction_from_text(items_raw, ruleset))
        .where(lambda s: s.notna(), kind_written)  # a kind outside the vocabulary: kept, decided by hand
    )
    inferred = np.zeros(len(frame), dtype=bool)
    if sanction_item is not None:
        inferred = (item.isna() | (item == CLEAR)).to_numpy() & sanctioned
        item[inferred] = sanction_item
    item[item.isna().to_numpy() & (kind_item == CLEAR).to_numpy()] = CLEAR  # 处分类型: 无
    titles = {r.id: f"{r.id} {r.title}" for r in ruleset.negative}
    department = column("source").where(lambda s: s.notna(), frame["_file"].map(lambda p: Path(p).stem))
    notes = column("note")
    # messages quote what the department wrote: its note, and the 案由 of a record named by its sanction
    quoted = items_raw.where(inferred, None)
    record_note = pd.Series(
        ["".join(f"；{t}" for t in pair if isinstance(t, str) and t) for pair in zip(quoted, notes, strict=True)],
        index=frame.index,
        dtype=object,
    )
    records = pd.DataFrame(
        {
            "_file": frame["_file"],
            "_sheet": frame["_sheet"],
            "_row": frame["_row"],
            "id_number": frame["id_number"],
            "id_status": frame["id_status"],
            "id_as_written": cells_as_written(frame, roster.sheets, "id_number"),
            "id_text": frame["id_text"],
            "name": column("name"),
            "township": _own_column(frame, roster.sheets, "township"),
            "village": _own_column(frame, roster.sheets, "village"),
            "item_text": items_raw,
            "item": item,
            # the item as a person reads it: id and title, else the department's own words
            "item_label": item.map(titles).where(item.isin(list(titles)), items_raw).astype(object),
            "record_date": pd.to_datetime(frame["date"]) if "date" in frame else pd.NaT,
            "record_type": stype.astype(object),
            "record_source": department.astype(object),
            "record_cited": _cited(department, frame, roster.inputs),
            "record_note": record_note.astype(object),
            "note": notes,
        }
    )
    if sanction_item is not None:
        # a sanction record whose item column names another item is both: that item and N03
        also = sanctioned & item.notna().to_numpy() & ~item.isin([CLEAR, sanction_item]).to_numpy()
        extra = records[also].assign(item=sanction_item, item_label=titles[sanction_item])
        records = pd.concat([records, extra]).sort_index(kind="stable")
    return Evidence(records.reset_index(drop=True), roster.inputs, roster.errors, _nameless(roster.sheets, keys))


def _nameless(sheets: list[SheetInfo], keys: dict[str, str]) -> list[dict[str, Any]]:
    """Rows left out as not naming a person (no ID, no name) that still carry a record."""
    out = []
    for _, sheet, row, cells in nameless_rows(sheets, ("item", "sanction_type", "date", "note", "source")):
        said = {f: cell_text(v) for f, v in cells.items()}
        if any(said.get(f) for f in ("item", "sanction_type", "date", "note")):
            item = said.get("item") or said.get("sanction_type")
            out.append(
                {
                    **unnamed_record(sheet, row),
                    "item": resolve_item(item, keys) or item,
                    "date": said.get("date"),
                    "department": said.get("source") or Path(sheet.file).stem,
                    "note": said.get("note"),
                    "reason": "没有身份证号码和姓名，无法对应任何人",
                }
            )
    return out


def _cited(department: pd.Series, frame: pd.DataFrame, inputs: list[InputInfo]) -> pd.Series:
    """How a message cites a record: its department, then its file (and sheet) and Excel row."""
    several = with_sheets(inputs)
    cited = []
    for dept, file, sheet, row in zip(department, frame["_file"], frame["_sheet"], frame["_row"], strict=True):
        where = cite(file, sheet, row, several)
        cited.append(where if dept == Path(file).stem else f"{dept}，{where}")
    return pd.Series(cited, index=frame.index, dtype=object)


def _own_column(frame: pd.DataFrame, sheets: list[SheetInfo], name: str) -> pd.Series:
    """A field from the record's own column only (not guessed from a file name or title)."""
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if name not in frame or not len(frame):
        return out
    has = np.array([any(c.field == name for c in s.columns) for s in sheets] + [False], dtype=bool)
    own = has[frame["_sheet_no"].fillna(len(sheets)).astype("int64").to_numpy()]
    out[own] = frame.loc[own, name]
    return out


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "_file",
            "_sheet",
            "_row",
            "id_number",
            "id_status",
            "id_as_written",
            "id_text",
            "name",
            "township",
            "village",
            "item_text",
            "item",
            "item_label",
            "record_date",
            "record_type",
            "record_source",
            "record_cited",
            "record_note",
            "note",
        ]
    )


CLEAR = "无问题"  # an evidence record saying the department found nothing


def join_evidence(evidence: Evidence, people: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]], pd.DataFrame]:
    """Join records to people by ID number (or, where the ID cannot be joined, point them out by name).

    Returns the records that name a negative-list item (one row per person they reach), the
    records that reach nobody by ID (with the reason), and the findings the join itself makes:
    E01 a name that disagrees, E02 a department that found nothing, E03 an item nobody can read,
    E04 a record whose ID cannot be joined but whose name is one person's.
    """
    rec = evidence.records
    if rec.empty:
        no_findings = built_in_findings([], "E01", "", [])
        return rec.assign(person=pd.Series(dtype="int64")), list(evidence.nameless), no_findings
    # a person listed twice (D05) gets the record on every row; an invalid number written the
    # same way on both sides (not masked, not mangled) is the same number
    person_rows = join_key(rec).map(_rows_by(join_key(people), people.index))
    joined = person_rows.map(lambda rows: isinstance(rows, list)).to_numpy(dtype=bool)
    loose = rec[~joined]
    by_name, notes = _by_name(loose, people)
    reasons = [_why_unjoined(r) + note for r, note in zip(loose.itertuples(index=False), notes, strict=True)]
    unmatched = [_unmatched(loose.iloc[i], reasons[i]) for i in range(len(loose))]
    if evidence.nameless:
        order = {(s.file, s.name): n for n, s in enumerate(s for i in evidence.inputs for s in i.sheets)}
        unmatched += evidence.nameless
        unmatched.sort(key=lambda u: (order.get((u["source"], u["sheet"]), 0), u["row"]))

    reached = rec[joined].assign(person=person_rows[joined]).explode("person", ignore_index=True)
    reached["person"] = reached["person"].astype("int64")
    item = reached["item"]
    clear = (item == CLEAR).to_numpy(dtype=bool)
    unread = item.isna().to_numpy(dtype=bool)
    matched = reached[~clear & ~unread].reset_index(drop=True)

    named = loose.assign(person=by_name).dropna(subset=["person"]).explode("person", ignore_index=True)
    named_clear = (named["item"] == CLEAR).to_numpy(dtype=bool)
    found = [
        _name_mismatches(matched, people),
        built_in_findings(
            np.concatenate([reached["person"].to_numpy()[clear], named["person"].to_numpy()[named_clear]]),
            "E02",
            [f"联审记录（{cited}）：未发现问题" for cited in reached["record_cited"][clear]]
            + [
                f"联审记录（{cited}）：未发现问题（{_id_problem(r)}，按姓名对应本人）"
                for cited, r in zip(
                    named["record_cited"][named_clear], named[named_clear].itertuples(index=False), strict=True
                )
            ],
            [],
        ),
        built_in_findings(
            reached["person"].to_numpy()[unread],
            "E03",
            [
                f"联审记录（{cited}）"
                + (f"的清单项目“{t}”无法对应负面清单条目" if isinstance(t, str) and t else "未写明清单项目")
                + "，请人工核实"
                + (f"：{n}" if isinstance(n, str) and n else "")
                for cited, t, n in zip(
                    reached["record_cited"][unread],
                    reached["item_text"][unread],
                    reached["note"][unread],
                    strict=True,
                )
            ],
            [],
        ),
        built_in_findings(
            named["person"].to_numpy()[~named_clear],
            "E04",
            [
                f"联审记录（{r.record_cited}，{_item_shown(r)}{r.record_note}）{_id_problem(r)}，无法按身份证号码对应；"
                f"姓名“{r.name}”与本人相同，请核实是否为本人"
                for r in named[~named_clear].itertuples(index=False)
            ],
            ["name", "id_number"],
        ),
    ]
    return matched, unmatched, concat_findings(found)


def _rows_by(key: pd.Series, index: pd.Index) -> pd.Series:
    """Key → the list of rows that have it."""
    known = key.notna().to_numpy()
    return pd.Series(index[known], index=key[known].to_numpy()).groupby(level=0).agg(list)


def _by_name(loose: pd.DataFrame, people: pd.DataFrame) -> tuple[list[list[int] | None], list[str]]:
    """For records no ID joins: the one person (maybe listed twice) whose name they carry, within
    the township and village they name; else None and why not."""
    names = people["name"] if "name" in people else pd.Series([None] * len(people), index=people.index)
    rows_of_name = _rows_by(names, people.index)
    persons: list[list[int] | None] = []
    notes: list[str] = []
    for r in loose.itertuples(index=False):
        name = r.name if isinstance(r.name, str) else None
        everyone = rows_of_name.get(name, []) if name else []
        candidates = [
            p
            for p in everyone
            if _same_place(r.township, people.at[p, "township"]) and _same_place(r.village, people.at[p, "village"])
        ]
        others: list[int] = []
        if r.id_status in ("valid", "converted"):
            # a valid number the roster lacks names someone else unless the namesake's own number is unusable
            others = [p for p in candidates if isinstance(people.at[p, "id_number"], str)]
            candidates = [p for p in candidates if p not in others]
        distinct = {people.at[p, "id_number"] if isinstance(people.at[p, "id_number"], str) else p for p in candidates}
        if len(distinct) == 1:
            first = candidates[0]
            persons.append(candidates)
            where = f"{Path(people.at[first, '_file']).name}第{people.at[first, '_row']}行"
            shown = "E02未发现问题" if r.item == CLEAR else "E04待核实"
            notes.append(f"；姓名与花名册{where}“{name}”相同，已列入该人员的审查结果（{shown}）")
            continue
        persons.append(None)
        if not name:
            notes.append("")
        elif len(distinct) > 1:
            notes.append(f"；花名册中有{len(distinct)}名“{name}”，无法确定是谁")
        elif not everyone:
            notes.append(f"；花名册中也没有“{name}”")
        elif r.id_status in ("valid", "converted") and others:
            notes.append(f"；花名册中的“{name}”身份证号码与此不同")
        else:
            notes.append(f"；花名册中的“{name}”不在记录所写的{_place(r)}")
    return persons, notes


def _same_place(written: Any, roster: Any) -> bool:
    """A place the record names agrees with the roster's (城关 and 城关镇 agree); no place, no restriction."""
    if not isinstance(written, str) or not written:
        return True
    if not isinstance(roster, str) or not roster:
        return False
    short, long = sorted((written, roster), key=len)
    return long.startswith(short) and len(short) >= 2 or short == long


def _place(r: Any) -> str:
    return "".join(p for p in (r.township, r.village) if isinstance(p, str))


def _why_unjoined(r: Any) -> str:
    if r.id_status in ("valid", "converted"):
        return "花名册中没有此身份证号码"
    return _id_problem(r) + "，无法匹配"


def _id_problem(r: Any) -> str:
    """What is wrong with a record's ID, naming it as written (masked unless already masked)."""
    written = r.id_as_written if isinstance(r.id_as_written, str) else None
    if r.id_status == "missing" or written is None:
        return "缺少身份证号码"
    if r.id_status in ("valid", "converted"):
        return f"身份证号码 {mask_id(written)} 不在花名册中"
    if "*" in written:
        return f"身份证号码 {written} 被遮挡"
    if r.id_status == "mangled":
        return f"身份证号码 {mask_id(written)} 被Excel按数字保存，已丢失位数"
    return f"身份证号码 {mask_id(written)} {check_id(written).reason or '无效'}"


def _item_shown(r: Any) -> str:
    text = r.item_label if isinstance(r.item_label, str) else "未写清单项目"
    if isinstance(r.record_type, str) and r.record_type not in text:
        text += f"，{r.record_type}"
    if pd.notna(r.record_date):
        text += f"，{r.record_date:%Y-%m-%d}"
    return text


def _unmatched(r: pd.Series, reason: str) -> dict[str, Any]:
    item = r["item"] if isinstance(r["item"], str) else (r["item_text"] if isinstance(r["item_text"], str) else None)
    return {
        "source": str(r["_file"]),
        "sheet": str(r["_sheet"]),
        "row": int(r["_row"]),
        "id_number": r["id_number"] if isinstance(r["id_number"], str) else None,
        "id_as_written": r["id_as_written"] if isinstance(r["id_as_written"], str) else None,
        "name": r["name"] if isinstance(r["name"], str) else None,
        "item": item,
        "date": r["record_date"].strftime("%Y-%m-%d") if pd.notna(r["record_date"]) else None,
        "department": r["record_source"] if isinstance(r["record_source"], str) else None,
        "note": r["note"] if isinstance(r["note"], str) else None,
        "reason": reason,
    }


def _name_mismatches(matched: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """E01: a record whose name disagrees with the roster must be checked by hand."""
    roster_names = people.loc[matched["person"], "name"].to_numpy() if len(matched) else np.array([])
    given = matched["name"].to_numpy() if len(matched) else np.array([])
    clash = np.array(
        [isinstance(g, str) and isinstance(r, str) and g != r for g, r in zip(given, roster_names, strict=True)], bool
    )
    msgs = [
        f"联审记录（{cited}，{item}）姓名为“{g}”，与花名册“{r}”不一致，请核实是否同一人"
        for cited, item, g, r in zip(
            matched["record_cited"][clash],
            matched["item"][clash],
            given[clash],
            roster_names[clash],
            strict=True,
        )
    ]
    return built_in_findings(matched["person"].to_numpy()[clash], "E01", msgs, ["name", "id_number"])


def not_counted_findings(matched: pd.DataFrame, hit: np.ndarray) -> pd.DataFrame:
    """E02 (info): a matched record that did not count (e.g. outside its period) — still shown."""
    rows = np.flatnonzero(np.array([h is False for h in hit], dtype=bool))
    if not len(rows):
        return built_in_findings([], "E02", "", [])
    m = matched.iloc[rows]
    dates = [d.strftime("%Y-%m-%d") if pd.notna(d) else "无日期" for d in m["record_date"]]
    msgs = [
        f"联审记录（{cited}，{item}，{d}{note}）不在影响期内或不构成该情形，未计入"
        for cited, item, d, note in zip(m["record_cited"], m["item"], dates, m["record_note"], strict=True)
    ]
    return built_in_findings(m["person"].to_numpy(), "E02", msgs, [])
