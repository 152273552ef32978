"""The talent pool (SPEC §8.1): 一村一分析 and 一乡镇一研判, the succession ladder and the 双百 plan.

pool files ─ read_roster ─► reserves ─┐                      ┌─► per village: counts, T01–T03
cadre roster ─ read_roster ─► cadres ─┼─ place keys (report) ─┼─► townships ─► county
village list ─ read_village_list ─────┘                      └─► the ladder:
      reserves ─ vet_roster (the post each could take) ─► ready now, or the rules holding them back
      cadres ─ 副职 → 正职, 主任 → 一肩挑 (pool.yaml), 正职 → 事业单位 (career.yaml, §7.2)
training files ─ read_roster ─ join by ID number only ─► completed courses per year, untrained in 3 years

Every village of the roster or of the village list is in the table, with T01 when nobody of
the pool is from it; every pool row, training row and cadre is in the result. Counts are one
grouped pass over whole columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import BUILT_IN, built_in
from cadretool.errors import InputError
from cadretool.records import (
    cell_text,
    cells_as_written,
    citations,
    cite,
    id_problem,
    join_key,
    nameless_rows,
    problems_about,
    unnamed_record,
    with_sheets,
)
from cadretool.report import (
    NO_TOWNSHIP,
    VillageList,
    load_report_parameters,
    place_finding,
    place_keys,
    read_village_list,
)
from cadretool.results import JobResult, RuleInfo
from cadretool.roster.columns import load_column_section
from cadretool.roster.dates import parse_date
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, built_in_findings, concat_findings, read_roster
from cadretool.roster.text import clean_text_series
from cadretool.rules.engine import whole_years
from cadretool.rules.jobparams import JobParameters, load_job_parameters
from cadretool.rules.ruleset import RuleSet

POOL_FILE = "pool.yaml"
PARAMETERS = {
    "min_reserves_per_village": "number",
    "young_age": "number",
    "successor_min_terms": "number",
    "successor_min_excellent": "number",
    "one_shoulder_min_party_years": "number",
    "training_target_reserve": "number",
    "training_target_cadre": "number",
    "training_years": "number",
    "ladder_party_member_post": "text",
    "ladder_other_post": "text",
    "ladder_skip_rules": "list",
}
COUNTS = ["reserves", "under_35", "college", "party_members", "women"]
COUNT_LABELS = {
    "reserves": "后备人才",
    "under_35": "35岁以下",
    "college": "大专及以上",
    "party_members": "正式党员",
    "women": "女性",
}
FULL_MEMBER = "中共党员"
WOMAN = "女"
RESERVE = "后备人才"
COMPLETED = ("合格", "优秀")
# the rungs of the ladder, in the order outputs list them
RUNGS = ("reserve", "successor", "one_shoulder", "institution")
RUNG_LABELS = {
    "reserve": "后备人才 → “两委”",
    "successor": "副职 → 正职",
    "one_shoulder": "主任 → 一肩挑",
    "institution": "正职 → 事业单位",
}
PLACE_FINDING_COLUMNS = ["level", "township", "village", "rule", "severity", "message", "basis"]


@dataclass
class PoolResult(JobResult):
    """Everything `pool` found.

    people: the pool frame (one row per pool row, roster order) plus age, young, college, party,
            woman, place_township, place_village, t_key, v_key;
    findings: one row per finding on a pool row (reading problems of the pool's fields, T04);
    villages: one row per village of any source: township, village, t_key, v_key, the COUNTS,
              trained_3y (reserves with a completed course in the training years; None without
              training records), cadres (on the roster), in_list, rules (T ids);
    townships: one row per township: township, t_key, villages, the COUNTS (its villages plus its
               reserves with no village), villages_short / _without_party / _without_young;
    county: the same for the county;
    place_findings: level (county/township/village), township, village, rule, severity, message, basis;
    ladder: one dict per rung a person stands on (see `ladder_entries`);
    training: the 双百 figures (see `training_figures`), None without --training;
    training_records: one dict per training row: where, who, course, end, result, counted, reason.
    """

    people: pd.DataFrame
    findings: pd.DataFrame
    villages: pd.DataFrame
    townships: pd.DataFrame
    county: dict[str, Any]
    place_findings: pd.DataFrame
    ladder: list[dict[str, Any]]
    training: dict[str, Any] | None
    training_records: list[dict[str, Any]]
    cadres: Roster | None
    training_inputs: list[InputInfo]
    village_list: VillageList | None
    year: int

    def county_only(self) -> int:
        """Reserves counted in the county but in no township (none stated, or a 市级 talent)."""
        return int(self.county.get("reserves", 0)) - int(self.townships["reserves"].sum() if len(self.townships) else 0)

    def summary(self) -> dict[str, Any]:
        rules = self.villages["rules"] if len(self.villages) else pd.Series(dtype=object)
        ready = [e for e in self.ladder if e["ready"]]
        return {
            "people": int(len(self.people)),
            "villages": int(len(self.villages)),
            "villages_short": int(sum("T01" in r for r in rules)),
            "villages_without_party_member": int(sum("T02" in r for r in rules)),
            "villages_without_young": int(sum("T03" in r for r in rules)),
            "cadres": int(len(self.cadres.frame)) if self.cadres is not None else 0,
            "ladder": len(self.ladder),
            "ladder_ready": len(ready),
            "untrained_3y": len(self.training["untrained_3y"]) if self.training is not None else None,
        }


# ---------------------------------------------------------------- parameters


def check_parameters(params: JobParameters, ruleset: RuleSet) -> JobParameters:
    """pool.yaml's values make sense for this rule set: counts are whole and not negative, the
    ladder's posts are two-committee posts, the skipped rules exist."""
    for name in PARAMETERS:
        if PARAMETERS[name] == "number":
            value = params[name]
            if not float(value).is_integer() or value < 0:
                raise params.error(name, f"应为不小于0的整数，现为 {value}")
    posts = ruleset.columns.posts
    for name in ("ladder_party_member_post", "ladder_other_post"):
        if params[name] not in posts.two_committee:
            raise params.error(name, f"“{params[name]}”不是“两委”职务（{'、'.join(posts.two_committee)}）")
    known = {r.id for r in ruleset.all_rules} | {k.id for k in BUILT_IN}
    for rule in params["ladder_skip_rules"]:
        if str(rule) not in known:
            raise params.error("ladder_skip_rules", f"“{rule}”不是规则集中的条款编号")
    if params["training_years"] < 1:
        raise params.error("training_years", "至少为1年")
    return params


def load_pool_parameters(ruleset: RuleSet, as_of: dt.date) -> JobParameters:
    return check_parameters(load_job_parameters(ruleset, POOL_FILE, PARAMETERS, as_of), ruleset)


# ---------------------------------------------------------------- the job


def pool(
    pools: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    roster: Sequence[str | Path | RawWorkbook | InputError] = (),
    villages: str | Path | None = None,
    training: Sequence[str | Path | RawWorkbook | InputError] = (),
    year: int | None = None,
    as_of: dt.date | None = None,
    sheets: list[str] | None = None,
) -> PoolResult:
    """The pool analysed; every unreadable input is an error in the result, never an exception."""
    as_of = as_of or ruleset.election_date()
    notes: list[str] = []
    params = load_pool_parameters(ruleset, as_of)
    reserves = read_roster(expand_named(pools, notes), ruleset.columns, sheets=sheets)
    cadres = read_roster(expand_named(roster, notes), ruleset.columns) if roster else None
    village_list = read_village_list(villages, ruleset.columns) if villages is not None else None
    records = None
    if training:
        spec = load_column_section(ruleset.path / "columns.yaml", "training_fields")
        records = read_roster(expand_named(training, notes), spec, required=("id_number",), one_row_per_person=False)
    result = pool_of(
        reserves,
        ruleset,
        params,
        as_of=as_of,
        year=year or as_of.year,
        cadres=cadres,
        village_list=village_list if isinstance(village_list, VillageList) else None,
        records=records,
    )
    if isinstance(village_list, InputError):
        result.errors.append(village_list)
    if year is not None and not training:
        notes.append(f"没有给出培训记录（--training），不统计{year}年的双百培训")
    result.notes[:0] = notes
    return result


def pool_of(
    reserves: Roster,
    ruleset: RuleSet,
    params: JobParameters,
    *,
    as_of: dt.date,
    year: int,
    cadres: Roster | None = None,
    village_list: VillageList | None = None,
    records: Roster | None = None,
) -> PoolResult:
    """The pool over rosters already read."""
    notes: list[str] = []
    place_found: list[dict[str, Any]] = []
    people = pool_people(reserves, ruleset, params, as_of)
    people, cadre_places, listed = _places(people, cadres, village_list, place_found, notes)
    person_findings = [problems_about(reserves.problems, _FIELDS_READ)]
    person_findings.append(_no_village_findings(people))
    place_found += _missing_column_findings(reserves, ruleset)
    trained = None
    training = None
    training_records: list[dict[str, Any]] = []
    if records is not None:
        training, training_records, trained = training_figures(records, people, cadres, params, year, as_of)
        place_found += training.pop("_findings")
    people = _known(people, reserves)
    repeated = int((~people["counted"]).sum())
    if repeated:
        notes.append(f"人才库中有{repeated}行的身份证号码与前面的行重复（D05），每人只计一次")
    lacks = _whole_pool_lacks(reserves)
    villages = village_table(people, cadre_places, listed, params, trained, lacks)
    townships, county = roll_ups(people, villages, trained)
    place_found = _village_findings(villages, params, place_found)
    ladder = ladder_entries(reserves, people, cadres, ruleset, params, as_of, training)
    rules = params.rule_infos("pool") + _finding_infos()
    errors = list(reserves.errors)
    warnings = list(reserves.warnings)
    for side in (cadres, records):
        if side is not None:
            errors += side.errors
            warnings += side.warnings
    if village_list is not None:
        notes += village_list.notes
    return PoolResult(
        roster=reserves,
        parameters=params.uses(),
        rules=rules,
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        as_of=as_of,
        errors=errors,
        warnings=warnings,
        notes=notes,
        people=people,
        findings=concat_findings(person_findings),
        villages=villages,
        townships=townships,
        county=county,
        place_findings=_place_findings_frame(place_found),
        ladder=ladder,
        training=training,
        training_records=training_records,
        cadres=cadres,
        training_inputs=records.inputs if records is not None else [],
        village_list=village_list,
        year=year,
    )


_FIELDS_READ = (
    "id_number",
    "birth_date",
    "gender",
    "political_status",
    "education",
    "township",
    "village",
    "talent_level",
)


# ---------------------------------------------------------------- reserves


def pool_people(reserves: Roster, ruleset: RuleSet, params: JobParameters, as_of: dt.date) -> pd.DataFrame:
    """The pool frame with what the counts read: age at `as_of`, under the young age, 大专及以上
    (report.yaml's threshold, the one `report` counts), full party member, woman."""
    frame = reserves.frame
    report_params = load_report_parameters(ruleset, as_of)
    ranks = ruleset.columns.fields["education"].vocabulary.ranks  # type: ignore[union-attr]  # checked by report
    age = whole_years(frame["birth_date"], as_of)
    age = age.where(age >= 0)
    rank = frame["education"].map(ranks).astype("float64")
    return frame.assign(
        age=age.to_numpy(dtype="float64"),
        young=(age < float(params["young_age"])).to_numpy(dtype=bool),
        college=(rank >= ranks[report_params.college_min_education]).to_numpy(dtype=bool),
        party=(frame["political_status"] == FULL_MEMBER).to_numpy(dtype=bool),
        woman=(frame["gender"] == WOMAN).to_numpy(dtype=bool),
    )


def _places(
    people: pd.DataFrame,
    cadres: Roster | None,
    village_list: VillageList | None,
    found: list[dict[str, Any]],
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """Each reserve's, cadre's and listed village's (township, village) key, settled the way
    `report` settles them (龙昌镇冷水村, 冷水村委会 and 冷水 in 龙昌镇 are one village)."""
    own = pd.DataFrame(
        {
            "township": clean_text_series(people["township"]).to_numpy(),
            "village": clean_text_series(people["village"]).to_numpy(),
        },
        index=people.index,
    )
    cadre_places = None
    if cadres is not None:
        cadre_places = pd.DataFrame(
            {
                "township": clean_text_series(cadres.frame["township"]).to_numpy(),
                "village": clean_text_series(cadres.frame["village"]).to_numpy(),
            },
            index=cadres.frame.index,
        )
    listed = village_list.places if village_list is not None else None
    report_found: list[dict[str, Any]] = []
    own, cadre_places, listed = place_keys(
        own, cadre_places, listed, report_found, notes, labels=("人才库", "“两委”干部花名册", "村(社区)名单")
    )
    found += report_found
    people = people.assign(
        place_township=own["township"].to_numpy(),
        place_village=own["village"].to_numpy(),
        t_key=own["t_key"].to_numpy(),
        v_key=own["v_key"].to_numpy(),
    )
    return people, cadre_places, listed


def _no_village_findings(people: pd.DataFrame) -> pd.DataFrame:
    """T04 on a 村级 reserve (or one of no stated level) with no village: counted in its township
    and the county only. A 市级 or 乡级 talent belongs to no village and gets no finding."""
    level = people["talent_level"]
    lacking = (people["v_key"] == "").to_numpy() & ~level.isin(["市级", "乡级"]).to_numpy()
    where = people.loc[lacking, "place_township"]
    messages = [
        f"没有村(社区)，只计入{t}的乡镇(街道)合计和全县合计"
        if isinstance(t, str)
        else "没有乡镇(街道)和村(社区)，只计入全县合计"
        for t in where
    ]
    return built_in_findings(people.index[lacking], "T04", messages, ["village"])


# the counts the pool gives from a column, the column (or the other that gives it), what is lost
_COUNTED_FROM = (
    ("political_status", None, "正式党员人数和T02（无正式党员后备人才）"),
    ("birth_date", "id_number", "35岁以下人数和T03（无35岁以下后备人才）"),
    ("education", None, "大专及以上人数"),
    ("gender", "id_number", "女性人数"),
    ("village", None, "一村一分析（所有人只计入乡镇和全县）"),
)


def _sheets_lacking(reserves: Roster, needed: str, also: str | None) -> list[bool]:
    """For each sheet of the pool (or of the training records): it gives neither `needed` nor
    `also` — no such column, and no value taken from elsewhere (a village named by the file name
    or the title counts as given)."""
    frame = reserves.frame
    filled = {
        name: frame[name].notna().groupby(frame["_sheet_no"]).any() if len(frame) else pd.Series(dtype=bool)
        for name in (needed, also)
        if name is not None and name in frame.columns
    }
    out = []
    for n, sheet in enumerate(reserves.sheets):
        fields = {c.field for c in sheet.columns if c.field}
        out.append(
            all(
                name not in fields and not bool(filled[name].get(n, False) if name in filled else False)
                for name in (needed, also)
                if name is not None
            )
        )
    return out


def _whole_pool_lacks(reserves: Roster) -> set[str]:
    """The fields no sheet of the pool gives (T08 says so once, for the county)."""
    return {
        needed for needed, also, _ in _COUNTED_FROM if reserves.sheets and all(_sheets_lacking(reserves, needed, also))
    }


def _missing_column_findings(reserves: Roster, ruleset: RuleSet) -> list[dict[str, Any]]:
    """T08 for a count the pool cannot give: no sheet has the column (birth date and sex also
    come from the ID number), or some sheets lack it — then those sheets' people are named by
    file and sheet, never counted as a silent 0 among the rest."""
    if not reserves.sheets or not len(reserves.frame):
        return []
    out = []
    sizes = reserves.frame["_sheet_no"].value_counts()
    for needed, also, what in _COUNTED_FROM:
        lacking = _sheets_lacking(reserves, needed, also)
        label = ruleset.columns.label(needed)
        if all(lacking):
            text = f"人才库没有“{label}”列：{what}无法统计{_unread_headers(reserves.sheets)}"
            out.append(place_finding("T08", "county", "", "", text))
            continue
        for n, sheet in enumerate(reserves.sheets):
            people = int(sizes.get(n, 0))
            if lacking[n] and people:
                where = f"{Path(sheet.file).name}“{sheet.name}”"
                text = f"人才库{where}（{people}人）没有“{label}”列：这些人的{what}无法统计{_unread_headers([sheet])}"
                out.append(place_finding("T08", "county", "", "", text))
    return out


def _unread_headers(sheets: Sequence[Any]) -> str:
    """The headers no field took (党员否, 特长), so a clerk sees which column was meant."""
    headers = list(dict.fromkeys(c.header for s in sheets for c in s.columns if not c.field and c.header))
    if not headers:
        return ""
    more = "等" if len(headers) > 6 else ""
    return f"（未识别的列：{'、'.join(headers[:6])}{more}）"


def _known(people: pd.DataFrame, reserves: Roster) -> pd.DataFrame:
    """Whether each reserve's party standing and age are known: a sheet with no 政治面貌 column
    says nothing about its people's party standing, and an age is unknown without a birth date or
    a usable ID number. T02 and T03 are only said of a village whose reserves are all known."""
    lacking = np.array(_sheets_lacking(reserves, "political_status", None), dtype=bool)
    party_known = ~lacking[people["_sheet_no"].to_numpy(dtype="int64")] if len(people) else np.zeros(0, dtype=bool)
    key = join_key(people) if len(people) else pd.Series(dtype=object)
    # a person listed twice (D05) counts once, at the first row
    counted = (key.isna() | ~key.duplicated(keep="first")).to_numpy(dtype=bool)
    return people.assign(party_known=party_known, age_known=people["age"].notna().to_numpy(dtype=bool), counted=counted)


# ---------------------------------------------------------------- villages, townships, county


def village_table(
    people: pd.DataFrame,
    cadre_places: pd.DataFrame | None,
    listed: pd.DataFrame | None,
    params: JobParameters,
    trained: pd.Series | None,
    whole_pool_lacks: Collection[str] = (),
) -> pd.DataFrame:
    """One row per village of the village list, the cadre roster or the pool (in that order of
    first naming), with the pool's counts — zeros for a village nobody of the pool is from."""
    sources = [f[["t_key", "v_key", "township", "village"]] for f in (listed, cadre_places) if f is not None]
    sources.append(
        people[["t_key", "v_key", "place_township", "place_village"]].set_axis(
            ["t_key", "v_key", "township", "village"], axis=1
        )
    )
    every = pd.concat(sources, ignore_index=True)
    every = every[every["v_key"] != ""]
    rows = every.drop_duplicates(["t_key", "v_key"]).reset_index(drop=True)
    towns = every[every["township"].notna()].drop_duplicates("t_key").set_index("t_key")["township"]
    rows["township"] = rows["t_key"].map(towns).where(rows["t_key"] != "", NO_TOWNSHIP)
    rows["t_order"] = rows["t_key"].map({t: i for i, t in enumerate(rows["t_key"].unique())})
    rows = rows.sort_values("t_order", kind="stable").drop(columns="t_order").reset_index(drop=True)
    sums = _sums(people, trained).reindex(pd.MultiIndex.from_frame(rows[["t_key", "v_key"]]), fill_value=0)
    for name in [*COUNTS, "trained_3y", "party_unknown", "age_unknown"]:
        rows[name] = sums[name].to_numpy(dtype="int64") if len(rows) else np.zeros(0, dtype="int64")
    if trained is None:
        rows["trained_3y"] = None
    rows["cadres"] = 0
    if cadre_places is not None and len(rows):
        cadres = cadre_places.groupby(["t_key", "v_key"]).size()
        rows["cadres"] = cadres.reindex(pd.MultiIndex.from_frame(rows[["t_key", "v_key"]]), fill_value=0).to_numpy()
    rows["in_list"] = False
    if listed is not None and len(rows):
        rows["in_list"] = pd.MultiIndex.from_frame(rows[["t_key", "v_key"]]).isin(
            pd.MultiIndex.from_frame(listed[["t_key", "v_key"]])
        )
    minimum = int(params["min_reserves_per_village"])
    # T02 and T03 only where every reserve's party standing / age is known (see `_known`); else T08,
    # unless no sheet of the pool has the column (the county's T08 says that once)
    party_said = "political_status" not in whole_pool_lacks
    age_said = "birth_date" not in whole_pool_lacks
    rules = [
        [
            r
            for r, hit in (
                ("T01", n < minimum),
                ("T02", p == 0 and not pu),
                ("T03", y == 0 and not au),
                ("T08", (p == 0 and pu and party_said) or (y == 0 and au and age_said)),
            )
            if hit
        ]
        for n, p, y, pu, au in zip(
            rows["reserves"],
            rows["party_members"],
            rows["under_35"],
            rows["party_unknown"],
            rows["age_unknown"],
            strict=True,
        )
    ]
    rows["rules"] = pd.Series(rules, index=rows.index, dtype=object)
    return rows


def _sums(people: pd.DataFrame, trained: pd.Series | None) -> pd.DataFrame:
    """Per (township, village) key, one grouped pass: the counts and the reserves trained."""
    parts = pd.DataFrame(
        {
            "t_key": people["t_key"].to_numpy(),
            "v_key": people["v_key"].to_numpy(),
            "reserves": np.ones(len(people), dtype="int64"),
            "under_35": people["young"].to_numpy(dtype="int64"),
            "college": people["college"].to_numpy(dtype="int64"),
            "party_members": people["party"].to_numpy(dtype="int64"),
            "women": people["woman"].to_numpy(dtype="int64"),
            "trained_3y": (trained.to_numpy(dtype="int64") if trained is not None else np.zeros(len(people), "int64")),
            "party_unknown": (~people["party_known"].to_numpy(dtype=bool)).astype("int64"),
            "age_unknown": (~people["age_known"].to_numpy(dtype=bool)).astype("int64"),
        }
    )
    return parts[people["counted"].to_numpy(dtype=bool)].groupby(["t_key", "v_key"], sort=False).sum()


def roll_ups(
    people: pd.DataFrame, villages: pd.DataFrame, trained: pd.Series | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Each township (its villages' counts plus its reserves of no village) and the county."""
    sums = _sums(people, trained).reset_index()
    columns = [*COUNTS, "trained_3y"]
    by_town = sums.groupby("t_key", sort=False)[columns].sum()
    rules = villages["rules"]
    flags = (
        pd.DataFrame(
            {
                "t_key": villages["t_key"].to_numpy(),
                "villages": np.ones(len(villages), dtype="int64"),
                "villages_short": rules.map(lambda r: "T01" in r).to_numpy(dtype="int64"),
                "villages_without_party": rules.map(lambda r: "T02" in r).to_numpy(dtype="int64"),
                "villages_without_young": rules.map(lambda r: "T03" in r).to_numpy(dtype="int64"),
                "cadres": villages["cadres"].to_numpy(dtype="int64"),
            }
        )
        .groupby("t_key", sort=False)
        .sum()
    )
    # reserves of no township (a 市级 talent) count in the county only, unless villages lack one too
    order = list(dict.fromkeys([*villages["t_key"], *(t for t in sums["t_key"] if t)]))
    names = villages.drop_duplicates("t_key").set_index("t_key")["township"]
    own = people[people["place_township"].notna()].drop_duplicates("t_key").set_index("t_key")["place_township"]
    towns = pd.DataFrame({"t_key": pd.Series(order, dtype=object)})
    towns["township"] = [
        names.get(t) if t in names.index else (own.get(t) if t else NO_TOWNSHIP) or NO_TOWNSHIP for t in order
    ]
    towns = towns.join(flags, on="t_key").join(by_town, on="t_key").fillna(0)
    for name in [*columns, *flags.columns]:
        towns[name] = towns[name].astype("int64")
    if trained is None:
        towns["trained_3y"] = None
    county = {name: int(towns[name].sum()) for name in flags.columns}
    county.update({name: int(sums[name].sum()) for name in COUNTS})
    county["trained_3y"] = int(sums["trained_3y"].sum()) if trained is not None else None
    return towns, county


def _village_findings(
    villages: pd.DataFrame, params: JobParameters, found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """T01–T03 on each village that lacks them, T08 where T02 or T03 cannot be judged (some of
    its reserves' party standing or age unknown), then what the places and the files said."""
    minimum = int(params["min_reserves_per_village"])
    young = int(params["young_age"])
    out = []
    for r in villages.itertuples(index=False):
        place = f"{r.township}{r.village}"
        if "T01" in r.rules:
            none = "没有后备人才" if not r.reserves else f"后备人才只有{r.reserves}名"
            out.append(place_finding("T01", "village", r.township, r.village, f"{place}{none}，少于{minimum}名"))
        if "T02" in r.rules:
            text = f"{place}没有正式党员后备人才，没有书记接班人选"
            out.append(place_finding("T02", "village", r.township, r.village, text))
        if "T03" in r.rules:
            out.append(place_finding("T03", "village", r.township, r.village, f"{place}没有{young}岁以下后备人才"))
        if "T08" in r.rules:
            unknown = []
            if not r.party_members and r.party_unknown:
                unknown.append(
                    f"{r.party_unknown}名后备人才所在表没有“政治面貌”列，是否有正式党员后备人才（T02）无法判断"
                )
            if not r.under_35 and r.age_unknown:
                unknown.append(
                    f"{r.age_unknown}名后备人才年龄无法得知（没有出生年月，身份证号码也无法使用），"
                    f"是否有{young}岁以下后备人才（T03）无法判断"
                )
            out.append(place_finding("T08", "village", r.township, r.village, f"{place}有" + "；".join(unknown)))
    return out + found


def _place_findings_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PLACE_FINDING_COLUMNS).astype(object)


def _finding_infos() -> list[RuleInfo]:
    return [
        RuleInfo(k.id, k.title, k.kind, k.severity, "人才库", "", k.basis)
        for k in BUILT_IN
        if k.kind == "pool" or k.kind == "data"
    ]


# ---------------------------------------------------------------- training (双百)


def training_figures(
    records: Roster,
    people: pd.DataFrame,
    cadres: Roster | None,
    params: JobParameters,
    year: int,
    as_of: dt.date,
) -> tuple[dict[str, Any], list[dict[str, Any]], pd.Series]:
    """The 双百 figures for `year`, every training row with whether it counted and why not, and
    which reserves completed a course in the training years. Rows join people by ID number only
    (a cadre who is also in the pool counts once, as a cadre)."""
    frame = records.frame
    span = int(params["training_years"])
    first_year = as_of.year - span + 1
    cadre_frame = cadres.frame if cadres is not None else pd.DataFrame(columns=people.columns)
    pool_keys = join_key(people) if len(people) else pd.Series(dtype=object)
    cadre_keys = join_key(cadre_frame) if len(cadre_frame) else pd.Series(dtype=object)
    keys = join_key(frame) if len(frame) else pd.Series(dtype=object)
    known = set(pool_keys.dropna()) | set(cadre_keys.dropna())
    matched = keys.isin(known).to_numpy(dtype=bool) & keys.notna().to_numpy(dtype=bool)
    end = pd.to_datetime(frame["end"]) if len(frame) else pd.Series(dtype="datetime64[ns]")
    # a ledger with one 培训时间 column: the last date it names is the end date
    period = frame["period"] if "period" in frame.columns and len(frame) else pd.Series(dtype=object)
    end = end.where(end.notna(), pd.to_datetime(period_ends(period))) if len(frame) else end
    result = frame["result"] if len(frame) else pd.Series(dtype=object)
    unreadable = _unreadable_fields(records)
    # a row copied twice (same person, course, end date and result) counts once: the first copy
    same = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "course": frame["course"].to_numpy(),
            "end": end.to_numpy(),
            "result": result.to_numpy(),
        }
        if len(frame)
        else {}
    )
    copy_of = _first_copies(same, matched & end.notna().to_numpy(dtype=bool))
    done = result.isin(COMPLETED).to_numpy(dtype=bool) & end.notna().to_numpy(dtype=bool) & matched & (copy_of < 0)
    cited = citations(frame, records.inputs, frame.index) if len(frame) else np.array([], dtype=object)
    findings: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    hours = pd.to_numeric(frame["hours"], errors="coerce") if len(frame) else pd.Series(dtype="float64")
    mangled = _mangled_twins(keys, ~matched, [people, cadre_frame])
    bad_hours = pd.Index([i for i, fields in unreadable.items() if "hours" in fields])
    hours_said = cells_as_written(frame, records.sheets, "hours", bad_hours).dropna().to_dict()
    sheet_no = frame["_sheet_no"].to_numpy(dtype="int64") if len(frame) else np.zeros(0, dtype="int64")
    no_end = np.array(_sheets_lacking(records, "end", "period") or [False], dtype=bool)[sheet_no]
    no_result = np.array(_sheets_lacking(records, "result", None) or [False], dtype=bool)[sheet_no]
    for n, i in enumerate(frame.index):
        why = None
        rule = None
        if not matched[n]:
            rule = "T05"
            status = frame.at[i, "id_status"]
            if status in ("valid", "converted"):
                why = mangled.get(n, "人才库和“两委”干部花名册中都没有此身份证号码")
            else:
                why = id_problem(status, frame.at[i, "id_text"])
        elif pd.isna(end.iloc[n]):
            rule = "T06"
            said = period.iloc[n] if len(period) else None
            if isinstance(said, str):
                why = f"培训时间“{said}”无法识别结束日期"
            elif no_end[n]:
                why = "所在表没有“结束日期”或“培训时间”列"
            else:
                why = "结束日期无法识别" if "end" in unreadable.get(i, ()) else "结束日期空白"
        elif result.iloc[n] not in ("合格", "优秀", "不合格"):
            rule = "T06"
            if no_result[n]:
                why = "所在表没有“结果”列（合格、优秀或不合格）"
            else:
                why = "结果无法识别" if "result" in unreadable.get(i, ()) else "结果空白"
        elif copy_of[n] >= 0:
            rule = "T09"
            why = f"与{cited[copy_of[n]]}重复（同一人、同一培训项目、结束日期和结果），只计一次"
        elif result.iloc[n] == "不合格":
            why = "结果为不合格，不计为完成培训"
        elif i in hours_said:
            why = f"学时“{hours_said[i]}”无法识别，不计学时"
        if rule is not None:
            findings.append(place_finding(rule, "county", "", "", f"培训记录{cited[n]}：{why}，未计入"))
        end_date = end.iloc[n].date() if pd.notna(end.iloc[n]) else None
        rows.append(
            {
                "source": str(frame.at[i, "_file"]),
                "sheet": str(frame.at[i, "_sheet"]),
                "row": int(frame.at[i, "_row"]),
                "cited": str(cited[n]),
                "id_number": frame.at[i, "id_number"] if isinstance(frame.at[i, "id_number"], str) else None,
                "id_as_written": frame.at[i, "id_text"] if isinstance(frame.at[i, "id_text"], str) else None,
                "name": frame.at[i, "name"] if isinstance(frame.at[i, "name"], str) else None,
                "course": frame.at[i, "course"] if isinstance(frame.at[i, "course"], str) else None,
                "end": end_date,
                "year": end_date.year if end_date is not None else None,
                "hours": float(hours.iloc[n]) if pd.notna(hours.iloc[n]) else None,
                "result": result.iloc[n] if isinstance(result.iloc[n], str) else None,
                "matched": bool(matched[n]),
                "counted": bool(done[n]),
                "rule": rule,
                "reason": why,
            }
        )
    # a course on a row with neither ID number nor name: the reader left it out, the job shows it
    order = [(int(sheet_no[n]), int(r["row"])) for n, r in enumerate(rows)]
    several = with_sheets(records.inputs)
    nameless = nameless_rows(records.sheets, ("course", "end", "period", "hours", "result"))
    for number, sheet, row, said in nameless:
        place = cite(sheet.file, sheet.name, row, several)
        why = "缺少身份证号码和姓名，无法对应到人"
        findings.append(place_finding("T05", "county", "", "", f"培训记录{place}：{why}，未计入"))
        course = cell_text(said.get("course"))
        rows.append(
            {
                **unnamed_record(sheet, row, place),
                "course": course,
                "end": None,
                "year": None,
                "hours": None,
                "result": cell_text(said.get("result")),
                "matched": False,
                "counted": False,
                "rule": "T05",
                "reason": why,
            }
        )
        order.append((number, row))
    rows = [r for _, r in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]
    years = end.dt.year.to_numpy() if len(frame) else np.zeros(0)
    completed_keys = keys[done]
    in_year = set(completed_keys[years[done] == year])
    in_span_mask = (years >= first_year) & (years <= as_of.year) & done
    in_span = set(keys[in_span_mask])
    cadre_set = set(cadre_keys.dropna())
    reserve_set = set(pool_keys.dropna()) - cadre_set
    if len(frame) and not (done & (years == year)).any():
        latest = [int(y) for y in years[done]] if done.any() else []
        said = f"（已完成的培训最近在{max(latest)}年）" if latest else "（没有一条已完成的培训记录）"
        findings.append(place_finding("T07", "county", "", "", f"{year}年没有完成的培训记录{said}"))
    untrained = _untrained(people, cadres, in_span, keys, done, end)
    figures = {
        "year": year,
        "reserve_trained": len(in_year & reserve_set),
        "cadre_trained": len(in_year & cadre_set),
        "targets": {"reserve": int(params["training_target_reserve"]), "cadre": int(params["training_target_cadre"])},
        "courses_completed": int((done & (years == year)).sum()),
        "hours_completed": float(hours[done & (years == year)].sum()) if len(frame) else 0.0,
        "records": int(len(frame)) + len(nameless),
        "unmatched": int((~matched).sum()) + len(nameless),
        "years": [first_year, as_of.year],
        "untrained_3y": untrained,
        "per_person": _per_person(keys, done, in_span_mask, result, hours),
        "_findings": findings,
    }
    trained = pool_keys.isin(in_span) if len(people) else pd.Series(dtype=bool)
    return figures, rows, pd.Series(trained.to_numpy(dtype=bool), index=people.index)


_START = r"\d{4}\s*(?:[./-]\s*\d{1,2}(?:\s*[./-]\s*\d{1,2})?|年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号]?)?)"
_RANGE = re.compile(rf"^\s*({_START})\s*(?:-|—|–|－|~|～|至|到)+\s*(.+?)\s*$")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[./月-]\s*(\d{1,2})\s*[日号]?")
_DAY = re.compile(r"(\d{1,2})\s*[日号]?")


def period_end(text: object) -> dt.date | None:
    """The end date a 培训时间 cell names: a single date (2026.03, 2026年3月10日) or the last of a
    range (2026.3.10-3.12, 2026年3月10日—12日, 2025.12.28～2026.1.3, 12.28-1.3 crossing a year)."""
    if not isinstance(text, str):
        return parse_date(text)
    whole = parse_date(int(text) if text.isdigit() else text)  # 46082: a date cell read as text
    if whole is not None:
        return whole
    m = _RANGE.match(text)
    start = parse_date(m[1]) if m else None
    if m is None or start is None:
        return None
    tail = m[2]
    full = parse_date(tail)
    if full is not None:
        return full
    try:
        if md := _MONTH_DAY.fullmatch(tail):
            end = dt.date(start.year, int(md[1]), int(md[2]))
            return end if end >= start else end.replace(year=start.year + 1)
        if d := _DAY.fullmatch(tail):
            return dt.date(start.year, start.month, int(d[1]))
    except ValueError:
        return None
    return None


def period_ends(period: pd.Series) -> pd.Series:
    """`period_end` of each cell, each distinct text parsed once."""
    if not len(period):
        return pd.Series(dtype="datetime64[ns]")
    codes, uniques = pd.factorize(period.astype(object), use_na_sentinel=True)
    parsed = np.array([period_end(u) for u in uniques] + [None], dtype=object)
    return pd.Series(pd.to_datetime(pd.Series(parsed[codes]), errors="coerce").to_numpy(), index=period.index)


def _mangled_twins(keys: pd.Series, unmatched: np.ndarray, frames: list[pd.DataFrame]) -> dict[int, str]:
    """Position → why, for an unmatched training ID number whose first 15 digits are those of a pool
    or roster number Excel kept as a number (the last digits lost, D02): likely that person, who
    cannot be joined until the number is typed again as text."""
    rows = [f[f["id_status"] == "mangled"] for f in frames if len(f) and "id_status" in f.columns]
    rows = [f for f in rows if len(f)]
    if not rows or not unmatched.any():
        return {}
    lost = pd.concat([f[["id_text", "name", "_file", "_row"]] for f in rows])
    # Excel keeps 15 significant digits: an 18-digit number to the nearest thousand
    lost = lost.assign(number=(pd.to_numeric(lost["id_text"], errors="coerce") / 1000).round())
    where = lost.dropna(subset=["number"]).drop_duplicates("number").set_index("number")
    # an ID ending in X was never a number in Excel
    plain = keys.where(unmatched & ~keys.str.endswith("X", na=True).to_numpy(dtype=bool))
    as_number = (pd.to_numeric(plain, errors="coerce") / 1000).round()
    hit = as_number.isin(where.index).to_numpy(dtype=bool)
    out = {}
    for n, number in zip(np.flatnonzero(hit), as_number[hit], strict=True):
        w = where.loc[number]
        name = f"（{w['name']}）" if isinstance(w["name"], str) else ""
        out[int(n)] = (
            f"可能是{Path(str(w['_file'])).name}第{int(w['_row'])}行{name}：该行身份证号码被Excel按数字保存、"
            "已丢失后几位，无法核对；请在该表中把身份证号码重新录入为文本"
        )
    return out


def _first_copies(same: pd.DataFrame, usable: np.ndarray) -> np.ndarray:
    """For each training row among `usable` that repeats an earlier one (every column of `same`
    equal), the position of its first copy; -1 for the others. One grouped pass."""
    out = np.full(len(same), -1, dtype="int64")
    if not usable.any():
        return out
    part = same[usable].reset_index(drop=True).astype(object)
    positions = np.flatnonzero(usable)
    first = part.groupby(list(part.columns), sort=False, dropna=False).ngroup().to_numpy()
    head = pd.Series(np.arange(len(part))).groupby(first).transform("min").to_numpy()
    repeated = head != np.arange(len(part))
    out[positions[repeated]] = positions[head[repeated]]
    return out


def _unreadable_fields(records: Roster) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    problems = records.problems
    if problems.empty:
        return out
    for person, fields in zip(
        problems.loc[problems["rule"] == "D07", "person"],
        problems.loc[problems["rule"] == "D07", "fields"],
        strict=True,
    ):
        out.setdefault(int(person), set()).update(fields)
    return out


def _per_person(
    keys: pd.Series, done: np.ndarray, in_span: np.ndarray, result: pd.Series, hours: pd.Series
) -> dict[str, dict[str, Any]]:
    """ID → courses completed, of them 优秀, and hours, in the training years (ranks the ladder)."""
    if not in_span.any():
        return {}
    part = pd.DataFrame(
        {
            "key": keys[in_span].to_numpy(),
            "courses": 1,
            "excellent": (result[in_span] == "优秀").to_numpy(dtype="int64"),
            "hours": hours[in_span].fillna(0).to_numpy(dtype="float64"),
        }
    )
    sums = part.groupby("key").sum()
    return {
        str(k): {"courses": int(r.courses), "excellent": int(r.excellent), "hours": float(r.hours)}
        for k, r in sums.iterrows()
    }


def _untrained(
    people: pd.DataFrame,
    cadres: Roster | None,
    in_span: set[Any],
    keys: pd.Series,
    done: np.ndarray,
    end: pd.Series,
) -> list[dict[str, Any]]:
    """Cadres, then reserves not on the roster, with no completed course in the training years;
    each once, with the last course they ever completed."""
    last = pd.Series(end[done].to_numpy(), index=keys[done].to_numpy()).groupby(level=0).max() if done.any() else None
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for group, frame in (("cadre", cadres.frame if cadres is not None else None), ("reserve", people)):
        if frame is None or not len(frame):
            continue
        k = join_key(frame)
        for i, key in zip(frame.index, k, strict=True):
            if key is not None and (key in in_span or key in seen):
                continue
            if key is not None:
                seen.add(key)
            when = last.get(key) if last is not None and key is not None else None
            out.append(
                {
                    "person": int(i),
                    "group": group,
                    "id_key": key,
                    "last_completed": when.date() if when is not None and pd.notna(when) else None,
                    "reason": None if key is not None else "身份证号码无法使用，无法核对培训记录",
                }
            )
    return out


# ---------------------------------------------------------------- the ladder


def ladder_entries(
    reserves: Roster,
    people: pd.DataFrame,
    cadres: Roster | None,
    ruleset: RuleSet,
    params: JobParameters,
    as_of: dt.date,
    training: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """One entry per rung a person stands on: reserve → the post each could take (vetted by the
    vet rules), 副职 → 正职, 主任 → 一肩挑, 正职 → 事业单位; ready now, or the reasons (rule id,
    title and message) that hold them back. Within a rung: ready first, then by training in the
    training years (优秀 courses, courses, hours), then roster order."""
    per_person = training["per_person"] if training is not None else {}
    entries = _reserve_rung(reserves, people, ruleset, params, as_of, cadres)
    if cadres is not None and len(cadres.frame):
        entries += _cadre_rungs(cadres, ruleset, params, as_of)
    for e in entries:
        e["training"] = per_person.get(e.pop("_key"), {"courses": 0, "excellent": 0, "hours": 0.0})
    entries.sort(
        key=lambda e: (
            RUNGS.index(e["rung"]),
            not e["ready"],
            -e["training"]["excellent"],
            -e["training"]["courses"],
            -e["training"]["hours"],
            e["_order"],
        )
    )
    rank = 0
    for n, e in enumerate(entries):
        rank = 1 if n == 0 or entries[n - 1]["rung"] != e["rung"] else rank + 1
        e["rank"] = rank
        del e["_order"]
    return entries


def _place(frame: pd.DataFrame, i: Any) -> dict[str, Any]:
    def text(name: str) -> str | None:
        v = frame.at[i, name] if name in frame.columns else None
        return v if isinstance(v, str) and v else None

    return {
        "source": str(frame.at[i, "_file"]),
        "sheet": str(frame.at[i, "_sheet"]),
        "row": int(frame.at[i, "_row"]),
        "person": int(i),
        "id_number": text("id_number") or text("id_text"),
        "name": text("name"),
        "township": text("township"),
        "village": text("village"),
    }


def _reserve_rung(
    reserves: Roster,
    people: pd.DataFrame,
    ruleset: RuleSet,
    params: JobParameters,
    as_of: dt.date,
    cadres: Roster | None = None,
) -> list[dict[str, Any]]:
    """Each reserve vetted for the post it could take: its 拟任职务 when the pool gives one, else
    the party secretary for a full party member and a committee seat for anyone else. A reserve
    holds no two-committee post unless the pool's 现任职务 says so, or the cadre roster has the
    same ID number (then it is vetted as the incumbent it is: 55, not 45, for Q03)."""
    from cadretool.vet import vet_roster

    frame = reserves.frame
    if not len(frame):
        return []
    posts = ruleset.columns.posts
    given = frame["proposed_post"].where(frame["proposed_post"].isin(posts.two_committee))
    target = given.where(
        given.notna(),
        np.where(people["party"].to_numpy(dtype=bool), params["ladder_party_member_post"], params["ladder_other_post"]),
    ).astype(object)
    has_current = frame["_has_current_post"].fillna(False).to_numpy(dtype=bool)
    current = frame["current_post"].where(has_current, None).astype(object)
    if cadres is not None and len(cadres.frame):
        held = _posts_held(cadres, posts.two_committee)
        on_roster = join_key(frame).map(held)
        current = current.where(current.notna() | on_roster.isna(), on_roster)
    vetted = frame.assign(
        proposed_post=target.to_numpy(),
        proposed_post_party=frame["proposed_post_party"].where(given.notna(), False)
        if "proposed_post_party" in frame.columns
        else False,
        current_post=current.to_numpy(),
        _has_current_post=True,
    )
    # the rules met at the election itself are left out of the rule set, so they hold nobody back
    # (nor give a D06 for a pool with no 承诺书 column)
    skip = {str(r) for r in params["ladder_skip_rules"]}
    without = dataclasses.replace(
        ruleset,
        rules=[r for r in ruleset.rules if r.id not in skip],
        negative=[r for r in ruleset.negative if r.id not in skip],
    )
    result = vet_roster(Roster(vetted, [], reserves.problems, []), without, as_of=as_of)
    titles = {r.id: r.title for r in result.rules}
    holding = result.findings[result.findings["severity"].isin(["disqualify", "review"]).to_numpy(dtype=bool)]
    reasons: dict[int, list[dict[str, str]]] = {}
    for row in holding.itertuples(index=False):
        reasons.setdefault(int(row.person), []).append(
            {"rule": row.rule, "title": titles.get(row.rule, row.rule), "message": str(row.message)}
        )
    keys = join_key(frame)
    counted = people["counted"].to_numpy(dtype=bool)
    out = []
    for n, i in enumerate(frame.index):
        if not counted[n]:  # a person listed twice stands on the ladder once
            continue
        why = reasons.get(int(i), [])
        out.append(
            {
                "rung": "reserve",
                **_place(frame, i),
                "from": RESERVE,
                "to": target.iloc[n],
                "ready": not why,
                "reasons": why,
                "_key": keys.iloc[n],
                "_order": n,
            }
        )
    return out


def _posts_held(cadres: Roster, two_committee: Collection[str]) -> pd.Series:
    """ID number → the two-committee post the cadre roster says its holder has (first row of each)."""
    frame = cadres.frame
    has_current = frame["_has_current_post"].fillna(False).to_numpy(dtype=bool)
    post = frame["current_post"].where(has_current, frame["proposed_post"]).astype(object)
    held = pd.Series(post.to_numpy(), index=join_key(frame).to_numpy())
    held = held[held.index.notna() & held.isin(list(two_committee)).to_numpy()]
    return held[~held.index.duplicated(keep="first")]


def _cadre_rungs(cadres: Roster, ruleset: RuleSet, params: JobParameters, as_of: dt.date) -> list[dict[str, Any]]:
    """副职 → 正职 and 主任 → 一肩挑 by pool.yaml's thresholds; 正职 → 事业单位 by career.yaml."""
    frame = cadres.frame
    posts = ruleset.columns.posts
    has_current = frame["_has_current_post"].fillna(False).to_numpy(dtype=bool)
    post = frame["current_post"].where(has_current, frame["proposed_post"]).astype(object)
    group = post.map(posts.group_of)
    terms, terms_said = _count_column(cadres, "terms_in_post")
    excellent, excellent_said = _count_column(cadres, "excellent_3y")
    min_terms = float(params["successor_min_terms"])
    min_excellent = float(params["successor_min_excellent"])
    min_party_years = float(params["one_shoulder_min_party_years"])
    full = pd.to_datetime(frame["party_full_date"])
    joined = pd.to_datetime(frame["party_join_date"]) + pd.DateOffset(months=12)
    party_years = whole_years(full.where(full.notna(), joined), as_of).to_numpy(dtype="float64")
    status = frame["political_status"]
    keys = join_key(frame)
    career = _career_rung(cadres, ruleset, as_of)
    out: list[dict[str, Any]] = []
    for n, i in enumerate(frame.index):
        base = {**_place(frame, i), "_key": keys.iloc[n], "_order": n}
        if group.iloc[n] == "副职":
            why = []
            if np.isnan(terms[n]):
                why.append(_reason("L06", _unknown_count("任现职届数", terms_said.iloc[n])))
            elif terms[n] < min_terms:
                why.append(_reason("L01", f"任现职{int(terms[n])}届，不满{int(min_terms)}届"))
            if np.isnan(excellent[n]):
                why.append(_reason("L06", _unknown_count("近三年优秀次数", excellent_said.iloc[n])))
            elif excellent[n] < min_excellent:
                why.append(_reason("L02", f"近三年考核优秀{int(excellent[n])}次，少于{int(min_excellent)}次"))
            out.append(
                {"rung": "successor", **base, "from": post.iloc[n], "to": "正职", "ready": not why, "reasons": why}
            )
        if post.iloc[n] == "主任":
            why = []
            if not isinstance(status.iloc[n], str):
                why.append(_reason("L06", "缺少政治面貌，无法判断"))
            elif status.iloc[n] != FULL_MEMBER:
                why.append(_reason("L03", f"政治面貌为{status.iloc[n]}，不是正式党员"))
            elif np.isnan(party_years[n]):
                why.append(_reason("L06", "缺少入党时间和转正时间，无法计算党龄"))
            elif party_years[n] < min_party_years:
                why.append(
                    _reason("L04", f"至{as_of}党龄{int(max(party_years[n], 0))}年，不满{int(min_party_years)}年")
                )
            out.append(
                {"rung": "one_shoulder", **base, "from": "主任", "to": "一肩挑", "ready": not why, "reasons": why}
            )
        if career is not None and i in career.index:
            c = career.loc[i]
            why = []
            if c["career_status"] != "eligible":
                counts = pd.to_numeric(pd.Series([c["principal_terms"], c["excellent_count"]]), errors="coerce")
                lacking = [
                    label for label, v in zip(("任正职届数", "考核优秀次数"), counts, strict=True) if np.isnan(v)
                ]
                if lacking:
                    why.append(_reason("L06", f"缺少{'、'.join(lacking)}，无法判断能否进入事业单位招录渠道"))
                else:
                    why.append(_reason("L05", str(c["career_reason"])))
            out.append(
                {
                    "rung": "institution",
                    **base,
                    "from": post.iloc[n],
                    "to": "事业单位",
                    "ready": not why,
                    "reasons": why,
                }
            )
    return out


# what a clerk writes in a count column for none at all
_NONE_COUNTED = {"无", "没有", "未", "否", "暂无", "/", "-", "—", "——"}


def _count_column(cadres: Roster, name: str) -> tuple[np.ndarray, pd.Series]:
    """A count of the cadre roster (任现职届数, 近三年优秀次数) with 无 read as 0, and the cells as
    written where it is still unknown (to say “两届半” cannot be read rather than that it is missing)."""
    frame = cadres.frame
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
    unknown = frame.index[np.isnan(values)]
    said = cells_as_written(frame, cadres.sheets, name, unknown).reindex(frame.index)
    values = np.where(said.isin(_NONE_COUNTED).to_numpy(dtype=bool), 0.0, values)
    return values, said.where(np.isnan(values), None)


def _unknown_count(label: str, said: object) -> str:
    if isinstance(said, str):
        return f"{label}“{said}”无法识别，无法判断"
    return f"缺少{label}，无法判断"


def _career_rung(cadres: Roster, ruleset: RuleSet, as_of: dt.date) -> pd.DataFrame | None:
    """The promotion channel of §7.2 for the roster's 正职, when the rule set has career.yaml."""
    if not (ruleset.path / "career.yaml").is_file():
        return None
    from cadretool import career

    params = career.check_parameters(load_job_parameters(ruleset, "career.yaml", career.PARAMETERS, as_of), ruleset)
    result = career.career_of(cadres, ruleset, params, as_of)
    people = result.people
    return people[people["career_group"] == params["career_post_group"]]


def _reason(rule: str, message: str) -> dict[str, str]:
    return {"rule": rule, "title": built_in(rule).title, "message": message}
