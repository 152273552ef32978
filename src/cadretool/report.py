"""Indicators (一降两升): the current candidate roster against the previous term's, for the county,
each township and each village — people, average age, share with 大专及以上, share with an ability
tag, the five recommendation channels, and the villages left without candidates.

current files ─ read_roster ─► people ─┐
baseline files ─ read_roster ─► people ─┼─ place keys ─► sums per village ─► townships ─► county
village list ─ read_village_list ──────┘                    └─► figures, changes, markers, findings

Figures are exact: sums and counts per group (whole-column groupby), then each ratio rounded half
up to 2 decimals from integers; changes are computed from the unrounded figures, then rounded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import built_in
from cadretool.errors import InputError, RulesError
from cadretool.results import RuleInfo
from cadretool.roster.columns import ColumnSpec
from cadretool.roster.readers import RawWorkbook, expand_named, read_workbook
from cadretool.roster.table import Roster, read_roster
from cadretool.roster.text import clean_text_series, header_key, map_unique
from cadretool.rules.engine import whole_years
from cadretool.rules.expr import mentions
from cadretool.rules.jobparams import read_dated_parameters
from cadretool.rules.ruleset import Parameter, RuleSet, default_rules_dir

REPORT_FILE = "report.yaml"
REPORT_PARAMETERS = ("college_min_education", "ability_tags", "term_years")
FINDING_COLUMNS = ["level", "township", "village", "rule", "severity", "message", "basis"]
SUMS = ["people", "age_sum", "age_n", "college_n", "college_den", "ability_n", "ability_den"]
NO_TOWNSHIP = "（未填乡镇(街道)）"
BLANK_CHANNEL, OTHER_CHANNEL = "未填写", "不在五荐之列"
AGE_BANDS = (30, 35, 40, 45, 50, 55, 60)
UNKNOWN_AGE, UNKNOWN_EDUCATION = "年龄不详", "未填或无法识别"


@dataclass
class ReportParameters:
    """The rule set's report parameters in force on the as-of date, and where they come from."""

    college_min_education: str
    ability_tags: list[str]
    term_years: int
    negations: list[str]
    source: Path
    parameters: dict[str, Parameter]


@dataclass
class VillageList:
    """`--villages`: every village of the county, as the file names them (row numbers kept)."""

    path: Path
    places: pd.DataFrame  # township, village, row
    notes: list[str] = field(default_factory=list)


@dataclass
class ReportResult:
    """Everything `report` found.

    levels: one row per county / township / village: level, township, village and, for the
            current (cur_) and baseline (base_) roster, people, avg_age, college_pct, ability_pct;
            the changes chg_avg_age, chg_college_pp, chg_ability_pp and the relative changes
            chg_avg_age_rel, chg_college_rel, chg_ability_rel (%); the wrong-way markers
            age_up, college_down, ability_down; villages and villages_without (townships, county);
    channels: one row per channel (the five, then 未填写 and 不在五荐之列 where present):
              channel, current, baseline;
    channels_by_township: township × channel counts of the current roster;
    mix: the chart data: chart (年龄 / 文化程度 / 推荐方式), category, current, baseline (counts);
    villages_without: township, village, baseline_people, source (基期名册 / 村(社区)名单);
    findings: one row per finding: level, township, village, rule, severity, message, basis.
    """

    current: Roster
    baseline: Roster | None
    village_list: VillageList | None
    as_of: dt.date
    baseline_as_of: dt.date
    parameters: ReportParameters
    levels: pd.DataFrame
    channels: pd.DataFrame
    channels_by_township: pd.DataFrame
    mix: pd.DataFrame
    villages_without: pd.DataFrame
    findings: pd.DataFrame
    rules: list[RuleInfo]
    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def county(self) -> dict[str, Any]:
        return self.levels.iloc[0].to_dict()

    def summary(self) -> dict[str, int | None]:
        county = self.county()
        return {
            "people": int(county["cur_people"]),
            "baseline_people": int(county["base_people"]) if self.baseline is not None else None,
            "villages": int(county["villages"]),
            "villages_without_candidates": len(self.villages_without),
        }


# ---------------------------------------------------------------- parameters


def load_report_parameters(ruleset: RuleSet, as_of: dt.date, notes: list[str] | None = None) -> ReportParameters:
    """The report parameters of the rule set (rules/report.yaml) in force on `as_of`; a rule set
    without the file uses the default rule set's, with a note. Errors name the file and line."""
    path = ruleset.path / REPORT_FILE
    if not path.is_file():
        path = default_rules_dir() / REPORT_FILE
        if notes is not None:
            notes.append(f"规则集 {ruleset.path} 没有 {REPORT_FILE}，指标参数取默认规则集的 {path}")
    _, params = read_dated_parameters(path)
    for name in REPORT_PARAMETERS:
        if name not in params:
            raise RulesError(path, f"缺少参数 {name} (missing parameter)")
    values = {name: params[name].at(as_of) for name in REPORT_PARAMETERS}
    for name, kind in (("college_min_education", "text"), ("ability_tags", "list"), ("term_years", "number")):
        if params[name].type != kind:
            raise RulesError(path, f"参数 {name} 的 type 应为 {kind}")
    education = ruleset.columns.fields.get("education")
    ranks = education.vocabulary.ranks if education is not None and education.vocabulary is not None else None
    if not ranks:
        raise RulesError(ruleset.path / "columns.yaml", "“文化程度”(education) 需要有 order 的词表，才能统计大专及以上")
    if values["college_min_education"] not in ranks:
        raise RulesError(
            path,
            f"参数 college_min_education 的取值“{values['college_min_education']}”不是文化程度词表的值："
            + "、".join(ranks),
        )
    tags = [t for t in values["ability_tags"] if isinstance(t, str) and t.strip()]
    if not tags:
        raise RulesError(path, "参数 ability_tags 至少要列出一种能力特长")
    years = values["term_years"]
    if not float(years).is_integer() or years < 1:
        raise RulesError(path, f"参数 term_years 应为正整数年，现为 {years}")
    negations = ruleset.param_values(as_of).get("negation_markers") or []
    return ReportParameters(str(values["college_min_education"]), tags, int(years), list(negations), path, params)


def default_baseline_as_of(as_of: dt.date, term_years: int) -> dt.date:
    """One term earlier, the same day of the year (29 February → 28 February)."""
    try:
        return as_of.replace(year=as_of.year - term_years)
    except ValueError:
        return as_of.replace(year=as_of.year - term_years, day=28)


# ---------------------------------------------------------------- the job


def report(
    current: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    baseline: Sequence[str | Path | RawWorkbook | InputError] = (),
    villages: str | Path | None = None,
    as_of: dt.date | None = None,
    baseline_as_of: dt.date | None = None,
) -> ReportResult:
    """The indicators of the current roster against the baseline roster, with every unreadable
    input an error in the result (`result.errors`), never an exception."""
    as_of = as_of or ruleset.election_date()
    notes: list[str] = []
    params = load_report_parameters(ruleset, as_of, notes)
    baseline_as_of = baseline_as_of or default_baseline_as_of(as_of, params.term_years)
    current_roster = read_roster(expand_named(current, notes), ruleset.columns)
    baseline_roster = read_roster(expand_named(baseline, notes), ruleset.columns) if baseline else None
    village_list = read_village_list(villages, ruleset.columns) if villages is not None else None
    result = report_rosters(
        current_roster,
        ruleset,
        params,
        baseline=baseline_roster,
        village_list=village_list if isinstance(village_list, VillageList) else None,
        as_of=as_of,
        baseline_as_of=baseline_as_of,
    )
    if isinstance(village_list, InputError):
        result.errors.append(village_list)
    result.notes[:0] = notes
    _same_files(result)
    return result


def report_rosters(
    current: Roster,
    ruleset: RuleSet,
    params: ReportParameters,
    *,
    baseline: Roster | None = None,
    village_list: VillageList | None = None,
    as_of: dt.date,
    baseline_as_of: dt.date,
) -> ReportResult:
    """The indicators over rosters already read."""
    findings: list[dict[str, Any]] = []
    notes: list[str] = []
    cur = indicator_people(current, ruleset, params, as_of)
    base = indicator_people(baseline, ruleset, params, baseline_as_of) if baseline is not None else None
    listed = village_list.places if village_list is not None else None
    cur, base, listed = place_keys(cur, base, listed, findings, notes)
    sums = _village_sums(cur, base, listed)
    levels = figures(sums)
    villages_without = _villages_without(sums, base is not None, listed is not None)
    findings = (
        _coverage_findings(sums, villages_without, base is not None, listed is not None, findings)
        + _wrong_way_findings(levels)
        + _missing_findings(current, cur, baseline, base, ruleset)
    )
    warnings = list(current.warnings) + (list(baseline.warnings) if baseline is not None else [])
    warnings += _overlap_warnings(sums, baseline, findings) if base is not None else []
    channels, by_township = channel_counts(cur, base, ruleset.columns, levels)
    errors = list(current.errors) + (list(baseline.errors) if baseline is not None else [])
    if village_list is not None:
        notes += village_list.notes
    return ReportResult(
        current=current,
        baseline=baseline,
        village_list=village_list,
        as_of=as_of,
        baseline_as_of=baseline_as_of,
        parameters=params,
        levels=levels,
        channels=channels,
        channels_by_township=by_township,
        mix=mixes(cur, base, ruleset.columns, channels),
        villages_without=villages_without,
        findings=_findings_frame(findings),
        rules=report_rule_infos(params, as_of),
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        errors=errors,
        warnings=warnings,
        notes=notes,
    )


# ---------------------------------------------------------------- people


def indicator_people(roster: Roster, ruleset: RuleSet, params: ReportParameters, as_of: dt.date) -> pd.DataFrame:
    """One row per person: where (township, village as written), age at `as_of` in whole years
    (the rules' own arithmetic), 大专及以上, an ability tag, the channel; each with whether the
    person's sheet has the column at all (a sheet without 文化程度 says nothing about anyone)."""
    frame = roster.frame
    n = len(frame)
    sheet_no = frame["_sheet_no"].to_numpy(dtype="int64") if n else np.zeros(0, dtype="int64")

    def sheet_has(name: str) -> np.ndarray:
        per_sheet = np.array([any(c.field == name for c in s.columns) for s in roster.sheets] + [False], dtype=bool)
        return per_sheet[sheet_no]

    columns = ruleset.columns
    ranks = columns.fields["education"].vocabulary.ranks  # type: ignore[union-attr]  # checked on loading
    age = whole_years(frame["birth_date"], as_of)
    age = age.where(age >= 0)  # born after the as-of date: a data error, not an age
    rank = frame["education"].map(ranks).astype("float64")  # NaN: blank or unreadable
    named = mentions(params.ability_tags, params.negations)
    tags = frame["tags"] if "tags" in frame.columns else pd.Series([None] * n, index=frame.index, dtype=object)
    ability = map_unique(tags, lambda v: isinstance(v, str) and named(v)).astype(bool)
    d07 = roster.problems[roster.problems["rule"] == "D07"] if len(roster.problems) else roster.problems

    def unreadable(name: str) -> np.ndarray:
        """Who has a D07 on this field: a value written but outside the vocabulary."""
        if d07.empty:
            return np.zeros(n, dtype=bool)
        return frame.index.isin(d07.loc[d07["fields"].map(lambda f: name in f), "person"])

    channel = frame["recommended_by"] if "recommended_by" in frame.columns else pd.Series([None] * n, dtype=object)
    channel = channel.where(channel.notna(), BLANK_CHANNEL).astype(object)
    channel[unreadable("recommended_by")] = OTHER_CHANNEL
    bad_education = unreadable("education")
    return pd.DataFrame(
        {
            "township": clean_text_series(frame["township"]).to_numpy(),
            "village": clean_text_series(frame["village"]).to_numpy(),
            "age": age.to_numpy(dtype="float64"),
            "has_birth": frame["birth_date"].notna().to_numpy(),
            "education_rank": rank.to_numpy(),
            "college": (rank >= ranks[params.college_min_education]).to_numpy(),
            "college_known": sheet_has("education"),
            "education_unrecognised": bad_education,
            "ability": ability,
            "ability_known": sheet_has("tags"),
            "channel": channel.to_numpy(),
            "channel_known": sheet_has("recommended_by"),
        },
        index=frame.index,
    )


# ---------------------------------------------------------------- places

_BRACKETED = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]")
_TOWNSHIP_SUFFIX = re.compile(r"(?:人民政府|街道办事处|街道办|街道|镇|乡)$")
_VILLAGE_SUFFIX = re.compile(r"(?:村民委员会|村委会|村委|村)$")
_COMMUNITY_SUFFIX = re.compile(r"(?:社区居民委员会|社区居委会|居民委员会|居委会|社区)$")
_COUNTY_PREFIX = r"(?:[\u4e00-\u9fff]{1,8}?(?:省|州|市|县|区))*"


def township_key(name: str | None) -> str:
    """金山街道, 金山街道办事处, 金山 and 金 山 街 道 are one township."""
    if not name:
        return ""
    key = header_key(_BRACKETED.sub("", name))
    key = key.removesuffix("人民政府")
    stripped = _TOWNSHIP_SUFFIX.sub("", key)
    return stripped or key


def village_key(name: str | None) -> str:
    """`stem|kind`: 冷水村, 冷水村委会, 冷水村民委员会 and 冷　水　村 are 冷水|村; 城厢社区, 城厢社区居委会 and
    城厢居委会 are 城厢|社区; a name without either (冷水) is 冷水| and is settled against the others.
    The kind is kept: a township often has a 仙桥社区 and a 仙桥村."""
    if not name:
        return ""
    key = header_key(_BRACKETED.sub("", name))
    for pattern, kind in ((_COMMUNITY_SUFFIX, "社区"), (_VILLAGE_SUFFIX, "村")):
        stem = pattern.sub("", key)
        if stem != key and stem:
            return f"{stem}|{kind}"
    return f"{key}|"


def place_keys(
    cur: pd.DataFrame,
    base: pd.DataFrame | None,
    listed: pd.DataFrame | None,
    findings: list[dict[str, Any]],
    notes: list[str],
    labels: tuple[str, str, str] = ("本期名册", "基期名册", "村(社区)名单"),
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """Each row's (township, village) key, normalised the same way in every source. A village
    written with its township in front (龙昌镇冷水村) is split; a village written without 村/社区 is
    the one of that name in its township; a village with no township takes the one township the
    other rows know it in."""
    sources = [(labels[0], cur), (labels[1], base), (labels[2], listed)]
    present = [(label, f) for label, f in sources if f is not None]
    towns = pd.concat([f["township"] for _, f in present], ignore_index=True).dropna().unique()
    known = sorted({t for t in towns if isinstance(t, str) and township_key(t)}, key=len, reverse=True)
    prefix = re.compile("^" + _COUNTY_PREFIX + "(" + "|".join(map(re.escape, known)) + ")") if known else None

    def split(v: Any) -> tuple[str | None, str | None]:
        if not isinstance(v, str):
            return None, None
        m = prefix.match(v) if prefix is not None else None
        if m and len(v) > m.end() and village_key(v[m.end() :]).split("|")[0]:
            return m.group(1), v[m.end() :]
        return None, v

    keyed = []
    for label, f in present:
        f = f.copy()
        pairs = map_unique(f["village"], split)
        town_in_name = pd.Series([p[0] for p in pairs], index=f.index, dtype=object)
        f["village"] = [p[1] for p in pairs]
        f["township"] = f["township"].where(f["township"].notna(), town_in_name)
        f["t_key"] = map_unique(f["township"], township_key)
        f["v_key"] = map_unique(f["village"], village_key)
        keyed.append((label, f))
    # the places some row names in full (township and a village of known kind) settle the others
    named = pd.concat([f[["t_key", "v_key"]] for _, f in keyed], ignore_index=True).drop_duplicates()
    named = named[(named["t_key"] != "") & (named["v_key"] != "") & ~named["v_key"].str.endswith("|")]
    named["stem"] = named["v_key"].str.split("|").str[0]
    in_town: dict[tuple[str, str], list[str]] = {}
    by_key: dict[str, list[tuple[str, str]]] = {}
    by_stem: dict[str, list[tuple[str, str]]] = {}
    for t, v, stem in zip(named["t_key"], named["v_key"], named["stem"], strict=True):  # one per place
        in_town.setdefault((t, stem), []).append(v)
        by_key.setdefault(v, []).append((t, v))
        by_stem.setdefault(stem, []).append((t, v))
    display = (
        pd.concat([f.loc[f["t_key"] != "", ["t_key", "township"]] for _, f in keyed], ignore_index=True)
        .drop_duplicates("t_key")
        .set_index("t_key")["township"]
    )
    for label, f in keyed:
        kindless = (f["t_key"] != "") & f["v_key"].str.endswith("|")
        for (t, v), rows in f[kindless].groupby(["t_key", "v_key"], sort=False):
            found = in_town.get((t, v[:-1]), [])
            if len(found) == 1:
                f.loc[rows.index, "v_key"] = found[0]
        lacking = (f["t_key"] == "") & (f["v_key"] != "")
        filled = 0
        for v, rows in f[lacking].groupby("v_key", sort=False):
            found = by_stem.get(v[:-1], []) if v.endswith("|") else by_key.get(v, [])
            if len(found) == 1:
                f.loc[rows.index, "t_key"], f.loc[rows.index, "v_key"] = found[0]
                f.loc[rows.index, "township"] = display.get(found[0][0])
                filled += len(rows)
            elif len(found) > 1:
                names = "、".join(str(display.get(t, t)) for t, _ in found)
                name = rows["village"].iloc[0]
                message = (
                    f"{label}中的“{name}”（{len(rows)}行）没有写乡镇(街道)，而{names}都有这个村(社区)，无法确定是哪一个"
                )
                findings.append(_finding("R05", "village", "", name, message))
        if filled:
            notes.append(f"{label}中有{filled}行没有写乡镇(街道)，已按村(社区)名称对应到唯一有此村的乡镇")
    out = dict(keyed)
    return out[labels[0]], out.get(labels[1]), out.get(labels[2])


def place_finding(rule: str, level: str, township: str, village: str, message: str) -> dict[str, Any]:
    """A finding about a place (county, township or village), as `report` and `pool` list them."""
    kind = built_in(rule)
    return {
        "level": level,
        "township": township,
        "village": village,
        "rule": rule,
        "severity": kind.severity,
        "message": message,
        "basis": kind.basis,
    }


_finding = place_finding


def _findings_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """By rule, then county before townships before villages, each in the rosters' order."""
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS).astype(object)
    rank = frame["level"].map({"county": 0, "township": 1, "village": 2})
    return frame.assign(_rank=rank).sort_values(["rule", "_rank"], kind="stable").drop(columns="_rank")


# ---------------------------------------------------------------- sums and figures


def _group_sums(people: pd.DataFrame) -> pd.DataFrame:
    """Per (township, village) key: people, the sum and count of known ages, and the counts behind
    each share (numerator, and the people whose sheet has the column)."""
    parts = pd.DataFrame(
        {
            "t_key": people["t_key"].to_numpy(),
            "v_key": people["v_key"].to_numpy(),
            "people": np.ones(len(people), dtype="int64"),
            "age_sum": people["age"].fillna(0).to_numpy(dtype="int64"),
            "age_n": people["age"].notna().to_numpy(dtype="int64"),
            "college_n": (people["college"] & people["college_known"]).to_numpy(dtype="int64"),
            "college_den": people["college_known"].to_numpy(dtype="int64"),
            "ability_n": (people["ability"] & people["ability_known"]).to_numpy(dtype="int64"),
            "ability_den": people["ability_known"].to_numpy(dtype="int64"),
        }
    )
    return parts.groupby(["t_key", "v_key"], sort=False).sum()


def _village_sums(cur: pd.DataFrame, base: pd.DataFrame | None, listed: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (township, village) key of any source, in the order the sources first name
    them and spelt as the first names them (current roster, the village list, baseline):
    display names, cur_*/base_* sums, in_list."""
    places = [cur[["t_key", "v_key", "township", "village"]]]
    if listed is not None:
        places.append(listed[["t_key", "v_key", "township", "village"]])
    if base is not None:
        places.append(base[["t_key", "v_key", "township", "village"]])
    every = pd.concat(places, ignore_index=True)
    rows = every.drop_duplicates(["t_key", "v_key"]).reset_index(drop=True)
    towns = every[every["township"].notna()].drop_duplicates("t_key").set_index("t_key")["township"]
    rows["township"] = rows["t_key"].map(towns).where(rows["t_key"] != "", NO_TOWNSHIP)
    rows["t_order"] = rows["t_key"].map({t: i for i, t in enumerate(rows["t_key"].unique())})
    rows = rows.sort_values(["t_order"], kind="stable").reset_index(drop=True)
    index = pd.MultiIndex.from_frame(rows[["t_key", "v_key"]])
    out = rows.set_index(["t_key", "v_key"])
    for prefix, people in (("cur_", cur), ("base_", base)):
        sums = _group_sums(people) if people is not None else pd.DataFrame(columns=SUMS)
        sums = sums.reindex(index, fill_value=0)
        for name in SUMS:
            out[prefix + name] = sums[name].to_numpy(dtype="int64") if len(sums) else np.zeros(len(out), "int64")
    out["in_list"] = False
    if listed is not None:
        out["in_list"] = index.isin(pd.MultiIndex.from_frame(listed[["t_key", "v_key"]]))
    return out.reset_index()


def round_ratio(num: Any, den: Any, scale: int = 1) -> np.ndarray:
    """num ÷ den × scale rounded half up (away from zero) to 2 decimals, exactly from integers;
    NaN where den is 0."""
    num = np.asarray(num, dtype=object)
    den = np.asarray(den, dtype=object)
    ok = den != 0
    safe = np.where(ok, den, 1)
    negative = (num < 0) != (safe < 0)
    n = np.abs(num) * (scale * 200)
    d = np.abs(safe)
    q = (n + d) // (2 * d)
    value = np.where(negative, -q, q) / 100.0
    return np.where(ok, value, np.nan).astype("float64")


def figures(sums: pd.DataFrame) -> pd.DataFrame:
    """The three levels (county, each township, each village) with both rosters' figures, the
    changes and the wrong-way markers."""
    value_cols = [p + s for p in ("cur_", "base_") for s in SUMS]
    villages = sums[sums["v_key"] != ""].copy()
    villages["level"] = "village"
    villages["villages"] = 1
    villages["villages_without"] = (villages["cur_people"] == 0).astype("int64")
    counts = villages.groupby("t_key", sort=False)[["villages", "villages_without"]].sum()
    towns = sums.groupby("t_key", sort=False).agg({"township": "first", **{c: "sum" for c in value_cols}})
    towns = towns.join(counts).fillna({"villages": 0, "villages_without": 0}).reset_index()
    towns["level"] = "township"
    towns["village"] = None
    towns["v_key"] = ""
    county = pd.DataFrame([{c: sums[c].sum() for c in value_cols}])
    county["level"] = "county"
    county["township"] = county["village"] = None
    county["t_key"] = county["v_key"] = ""
    county["villages"] = len(villages)
    county["villages_without"] = int(villages["villages_without"].sum())
    keep = ["level", "township", "village", "t_key", "v_key", *value_cols, "villages", "villages_without"]
    levels = pd.concat([county[keep], towns[keep], villages[keep]], ignore_index=True)
    for col in [*value_cols, "villages", "villages_without"]:
        levels[col] = levels[col].astype("int64")
    c, b = {s: levels["cur_" + s].to_numpy() for s in SUMS}, {s: levels["base_" + s].to_numpy() for s in SUMS}
    out = levels[["level", "township", "village", "t_key", "v_key", "villages", "villages_without"]].copy()
    out["cur_people"], out["base_people"] = c["people"], b["people"]
    for side, v in (("cur_", c), ("base_", b)):
        out[side + "avg_age"] = round_ratio(v["age_sum"], v["age_n"])
        out[side + "college_pct"] = round_ratio(v["college_n"], v["college_den"], 100)
        out[side + "ability_pct"] = round_ratio(v["ability_n"], v["ability_den"], 100)
    # differences of two ratios as one exact fraction: a1/n1 − a0/n0 = (a1·n0 − a0·n1) / (n1·n0)
    age_diff = c["age_sum"].astype(object) * b["age_n"] - b["age_sum"].astype(object) * c["age_n"]
    out["chg_avg_age"] = round_ratio(age_diff, c["age_n"].astype(object) * b["age_n"])
    out["chg_avg_age_rel"] = round_ratio(age_diff, c["age_n"].astype(object) * b["age_sum"], 100)
    for name in ("college", "ability"):
        diff = c[name + "_n"].astype(object) * b[name + "_den"] - b[name + "_n"].astype(object) * c[name + "_den"]
        out[f"chg_{name}_pp"] = round_ratio(diff, c[name + "_den"].astype(object) * b[name + "_den"], 100)
        out[f"chg_{name}_rel"] = round_ratio(diff, c[name + "_den"].astype(object) * b[name + "_n"], 100)
    out["age_up"] = out["chg_avg_age"] > 0
    out["college_down"] = out["chg_college_pp"] < 0
    out["ability_down"] = out["chg_ability_pp"] < 0
    return out


def _villages_without(sums: pd.DataFrame, has_baseline: bool, has_list: bool) -> pd.DataFrame:
    """Villages of the baseline or of the list with nobody in the current roster."""
    v = sums[(sums["v_key"] != "") & (sums["cur_people"] == 0) & ((sums["base_people"] > 0) | sums["in_list"])]
    source = np.where(
        (v["base_people"] > 0) & v["in_list"],
        "基期名册、村(社区)名单",
        np.where(v["base_people"] > 0, "基期名册", "村(社区)名单"),
    )
    return pd.DataFrame(
        {
            "township": v["township"].to_numpy(),
            "village": v["village"].to_numpy(),
            "baseline_people": v["base_people"].to_numpy() if has_baseline else [None] * len(v),
            "source": source,
        }
    )


def _where(row: Any) -> str:
    if row.level == "county":
        return "全县"
    if row.level == "township":
        return str(row.township)
    return f"{row.township}{row.village}"


def _wrong_way_findings(levels: pd.DataFrame) -> list[dict[str, Any]]:
    """R01–R03 on every level that went the wrong way (as rounded: a change shown as 0.00 is none)."""
    out = []
    for flag, rule, text in (
        (
            "age_up",
            "R01",
            lambda r: f"平均年龄由{r.base_avg_age:.2f}岁升至{r.cur_avg_age:.2f}岁（+{r.chg_avg_age:.2f}岁）",
        ),
        (
            "college_down",
            "R02",
            lambda r: (
                f"大专及以上占比由{r.base_college_pct:.2f}%降至{r.cur_college_pct:.2f}%"
                f"（{r.chg_college_pp:.2f}个百分点）"
            ),
        ),
        (
            "ability_down",
            "R03",
            lambda r: (
                f"有能力特长的占比由{r.base_ability_pct:.2f}%降至{r.cur_ability_pct:.2f}%"
                f"（{r.chg_ability_pp:.2f}个百分点）"
            ),
        ),
    ):
        for r in levels[levels[flag]].itertuples(index=False):
            out.append(_finding(rule, r.level, r.township or "", r.village or "", f"{_where(r)}：{text(r)}"))
    return out


def _coverage_findings(
    sums: pd.DataFrame,
    without: pd.DataFrame,
    has_baseline: bool,
    has_list: bool,
    found: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """R04 each village left without candidates; R05 each village one source names and another lacks."""
    out = list(found)
    for r in without.itertuples(index=False):
        before = (
            f"基期有{r.baseline_people}名人选，" if has_baseline and r.baseline_people else "村(社区)名单中有此村，"
        )
        out.append(
            _finding("R04", "village", r.township, r.village, f"{r.township}{r.village}：{before}本期名册中没有人选")
        )
    villages = sums[sums["v_key"] != ""]
    if has_list:
        named = ~villages["in_list"] & ((villages["cur_people"] > 0) | (villages["base_people"] > 0))
        listed_towns = set(villages.loc[villages["in_list"], "t_key"])
        out += _unmatched(
            villages[named], listed_towns, "村(社区)名单", "不在村(社区)名单中（名单中的写法可能不同，或名单不全）"
        )
    if has_baseline:
        named = (villages["cur_people"] > 0) & (villages["base_people"] == 0)
        base_towns = set(sums.loc[sums["base_people"] > 0, "t_key"])
        out += _unmatched(
            villages[named], base_towns, "基期名册", "在基期名册中没有（新设、合并、更名或名称写法不同），无法比较"
        )
    return out


def _unmatched(villages: pd.DataFrame, other_towns: set[str], other: str, why: str) -> list[dict[str, Any]]:
    """R05 per village one source names and the other lacks; one per township when the other
    source has nobody of that township at all (a partial baseline, a list of some townships)."""
    out = []
    for t_key, group in villages.groupby("t_key", sort=False):
        township = str(group["township"].iloc[0])
        if t_key not in other_towns and len(group) > 1:
            names = "、".join(map(str, group["village"]))
            message = f"{other}中没有{township}的村(社区)：本期名册中的{len(group)}个（{names}）无法比较或核对"
            out.append(_finding("R05", "township", township, "", message))
            continue
        for r in group.itertuples(index=False):
            which = "本期名册" if r.cur_people else "基期名册"
            out.append(_finding("R05", "village", r.township, r.village, f"{which}中的“{r.township}{r.village}”{why}"))
    return out


def _overlap_warnings(sums: pd.DataFrame, baseline: Roster | None, findings: list[dict[str, Any]]) -> list[str]:
    """A baseline that shares no village (or few) with the current roster is likely another
    place's or another kind of list: said loudly, in the findings and on stderr."""
    files = "、".join(Path(i.file).name for i in baseline.inputs) if baseline is not None else ""
    villages = sums[sums["v_key"] != ""]
    cur = set(
        zip(
            villages.loc[villages["cur_people"] > 0, "t_key"],
            villages.loc[villages["cur_people"] > 0, "v_key"],
            strict=True,
        )
    )
    base = set(
        zip(
            villages.loc[villages["base_people"] > 0, "t_key"],
            villages.loc[villages["base_people"] > 0, "v_key"],
            strict=True,
        )
    )
    if not cur or not base:
        towns_cur = set(sums.loc[sums["cur_people"] > 0, "t_key"]) - {""}
        towns_base = set(sums.loc[sums["base_people"] > 0, "t_key"]) - {""}
        if towns_cur and towns_base and not towns_cur & towns_base:
            message = f"基期名册（{files}）与本期名册没有一个相同的乡镇(街道)：请确认基期名册是本地上一届的名册"
            findings.append(_finding("R06", "county", "", "", message))
            return [message]
        return []
    common = len(cur & base)
    if common == 0:
        message = f"基期名册（{files}）与本期名册没有一个相同的村(社区)：请确认基期名册是本地上一届的名册"
    elif common * 2 < len(base):
        message = (
            f"基期名册（{files}）的{len(base)}个村(社区)中只有{common}个在本期名册中"
            f"（本期{len(cur)}个）：村名写法不同、名册不全或不是同一地区"
        )
    else:
        return []
    findings.append(_finding("R06", "county", "", "", message))
    return [message]


def _missing_findings(
    current: Roster, cur: pd.DataFrame, baseline: Roster | None, base: pd.DataFrame | None, ruleset: RuleSet
) -> list[dict[str, Any]]:
    """R07 what a figure could not use (a column a roster lacks, ages and education that cannot be
    read); R08 people with no village or township. Counted, never silently left out."""
    out: list[dict[str, Any]] = []
    label = ruleset.columns.label
    for name, roster, people in (("本期名册", current, cur), ("基期名册", baseline, base)):
        if roster is None or people is None or not len(people):
            continue
        for field_name, known, what in (
            ("education", "college_known", "大专及以上占比"),
            ("tags", "ability_known", "有能力特长的占比"),
            ("recommended_by", "channel_known", "五荐人数"),
        ):
            if not people[known].any():
                out.append(_finding("R07", "county", "", "", f"{name}没有“{label(field_name)}”列：{what}无法统计"))
            elif not people[known].all():
                lacking = [
                    s.name for s in roster.sheets if s.rows and not any(c.field == field_name for c in s.columns)
                ]
                n = int((~people[known]).sum())
                out.append(
                    _finding(
                        "R07",
                        "county",
                        "",
                        "",
                        f"{name}的工作表“{'”“'.join(lacking)}”没有“{label(field_name)}”列：这{n}人不计入{what}",
                    )
                )
        problems = roster.problems
        twice = int((problems["rule"] == "D05").sum()) if len(problems) else 0
        if twice:
            message = f"{name}中有{twice}行的身份证号码重复出现（D05），人数和各项占比按行计，请先核对"
            out.append(_finding("R07", "county", "", "", message))
        no_age = int(people["age"].isna().sum())
        if no_age:
            why = "没有可用的身份证号码或出生年月" if not people["has_birth"].all() else "出生日期晚于基准日"
            out.append(_finding("R07", "county", "", "", f"{name}中{no_age}人{why}，未计入平均年龄（计入人数）"))
        blank = people["college_known"] & people["education_rank"].isna()
        bad = int((blank & people["education_unrecognised"]).sum())
        empty = int((blank & ~people["education_unrecognised"]).sum())
        if bad:
            out.append(_finding("R07", "county", "", "", f"{name}中{bad}人的文化程度无法识别（D07），按非大专及以上计"))
        if empty:
            out.append(_finding("R07", "county", "", "", f"{name}中{empty}人的文化程度空白，按非大专及以上计"))
        no_village = people[people["v_key"] == ""]
        if len(no_village):
            towns = "、".join(sorted({t for t in no_village["township"] if isinstance(t, str)})) or "也没有乡镇(街道)"
            out.append(
                _finding(
                    "R08",
                    "county",
                    "",
                    "",
                    f"{name}中{len(no_village)}人没有村(社区)（{towns}），只计入乡镇(街道)和全县的数字",
                )
            )
    return out


# ---------------------------------------------------------------- channels and chart data


def channel_counts(
    cur: pd.DataFrame, base: pd.DataFrame | None, columns: ColumnSpec, levels: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The five channels (zeros included), then 未填写 and 不在五荐之列 where anyone is; and the
    current roster's channels by township."""
    spec = columns.fields.get("recommended_by")
    five = list(spec.vocabulary.values) if spec is not None and spec.vocabulary is not None else []
    now = cur["channel"].value_counts()
    then = base["channel"].value_counts() if base is not None else pd.Series(dtype="int64")
    extra = [c for c in (BLANK_CHANNEL, OTHER_CHANNEL) if now.get(c, 0) or then.get(c, 0)]
    order = five + extra
    channels = pd.DataFrame(
        {
            "channel": order,
            "current": now.reindex(order, fill_value=0).to_numpy(dtype="int64"),
            "baseline": then.reindex(order, fill_value=0).to_numpy(dtype="int64") if base is not None else None,
        }
    )
    towns = levels.loc[levels["level"] == "township", ["t_key", "township"]]
    table = pd.crosstab(cur["t_key"], cur["channel"]).reindex(index=towns["t_key"], columns=order, fill_value=0)
    table.index = towns["township"].to_numpy()
    return channels, table.astype("int64")


def age_band_labels() -> list[str]:
    """30岁以下, 30–34岁 … 55–59岁, 60岁及以上 (35 is the slate rules' young age)."""
    inner = [f"{lo}–{hi - 1}岁" for lo, hi in zip(AGE_BANDS, AGE_BANDS[1:], strict=False)]
    return [f"{AGE_BANDS[0]}岁以下", *inner, f"{AGE_BANDS[-1]}岁及以上"]


def age_band(age: pd.Series) -> pd.Series:
    """Each whole-year age's band; 年龄不详 where the age is unknown."""
    bands = pd.cut(age, bins=[-np.inf, *AGE_BANDS, np.inf], right=False, labels=age_band_labels())
    return bands.astype(object).where(age.notna(), UNKNOWN_AGE)


def _education_groups(columns: ColumnSpec) -> dict[int, str]:
    ranks = columns.fields["education"].vocabulary.ranks or {}  # type: ignore[union-attr]
    groups: dict[int, list[str]] = {}
    for value, rank in ranks.items():
        groups.setdefault(rank, []).append(value)
    return {
        rank: values[0] if len(values) == 1 else "/".join(values[:2]) + ("等" if len(values) > 2 else "")
        for rank, values in sorted(groups.items())
    }


def mixes(cur: pd.DataFrame, base: pd.DataFrame | None, columns: ColumnSpec, channels: pd.DataFrame) -> pd.DataFrame:
    """Counts behind the charts: age bands, education mix and channel mix, both rosters."""
    groups = _education_groups(columns)
    labels = age_band_labels()
    parts = []
    for chart, key, order in (
        ("年龄", lambda p: age_band(p["age"]), labels),
        (
            "文化程度",
            lambda p: p["education_rank"].map(groups).where(p["education_rank"].notna(), UNKNOWN_EDUCATION),
            list(groups.values()),
        ),
    ):
        now = key(cur).value_counts()
        then = key(base).value_counts() if base is not None else pd.Series(dtype="int64")
        unknown = UNKNOWN_AGE if chart == "年龄" else UNKNOWN_EDUCATION
        cats = order + ([unknown] if now.get(unknown, 0) or then.get(unknown, 0) else [])
        parts.append(
            pd.DataFrame(
                {
                    "chart": chart,
                    "category": cats,
                    "current": now.reindex(cats, fill_value=0).to_numpy(dtype="int64"),
                    "baseline": then.reindex(cats, fill_value=0).to_numpy(dtype="int64"),
                }
            )
        )
    parts.append(
        pd.DataFrame(
            {
                "chart": "推荐方式",
                "category": channels["channel"],
                "current": channels["current"],
                "baseline": channels["baseline"].fillna(0).astype("int64") if base is not None else 0,
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------- the village list


def read_village_list(source: str | Path, columns: ColumnSpec) -> VillageList | InputError:
    """Every village of the county from a list a clerk keeps (xlsx, xls, csv, txt): the columns
    乡镇(街道) and 村(社区) found by their headers like a roster's, or, with no such header, the
    column whose cells read as village names (冷水村, 龙昌镇冷水村)."""
    path = Path(source)
    if not path.exists():
        return InputError(path, "文件不存在 (no such file)")
    if path.is_dir():
        return InputError(path, "是目录，村(社区)名单应为一个文件 (a folder, not a file)")
    try:
        book = read_workbook(path)
    except InputError as exc:
        return exc
    spec = ColumnSpec(
        fields={n: columns.fields[n] for n in ("township", "village") if n in columns.fields},
        vocabularies={},
        none_words=columns.none_words,
    )
    for name, fs in spec.fields.items():
        for header in fs.headers:
            spec.header_index[header_key(header)] = name
    roster = read_roster([book], spec, required=("village",))
    notes: list[str] = []
    if roster.inputs:
        frame = roster.frame
        places = pd.DataFrame(
            {
                "township": clean_text_series(frame["township"]).to_numpy(),
                "village": clean_text_series(frame["village"]).to_numpy(),
                "row": frame["_row"].to_numpy(),
            }
        )
        for sheet in roster.sheets:
            for row, why in sheet.skipped_rows:
                notes.append(f"{path.name}: 工作表“{sheet.name}”第{row}行不是村(社区)：{why}")
    else:
        places = _guess_village_column(book)
        if places is None:
            return InputError(
                path, "找不到村(社区)名称：没有“村(社区)”表头，也没有一列是村名 (no village header or names found)"
            )
    blank = places["village"].isna()
    if blank.any():
        rows = "、".join(map(str, places.loc[blank, "row"][:10])) + ("等" if blank.sum() > 10 else "")
        notes.append(f"{path.name}: {int(blank.sum())}行没有村(社区)名称，未计入名单（第{rows}行）")
    places = places[~blank].reset_index(drop=True)
    if places.empty:
        return InputError(path, "名单中没有村(社区)名称 (no village names in the list)")
    return VillageList(path, places, notes)


_VILLAGE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,20}(?:村|社区|居委会|村委会)$")


def _guess_village_column(book: RawWorkbook) -> pd.DataFrame | None:
    """A list with no recognisable header (one name a line, or 序号 + 名称): the column of the
    first sheet with the most cells that read as village names."""
    for sheet in book.sheets:
        rows = sheet.rows
        if not rows:
            continue
        width = max(len(r) for r in rows)
        grid = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
        text = grid.apply(clean_text_series)
        hits = text.apply(lambda col: col.map(lambda v: isinstance(v, str) and bool(_VILLAGE_NAME.match(v))).sum())
        if not len(hits) or hits.max() == 0:
            continue
        col = int(hits.idxmax())
        looks = text[col].map(lambda v: isinstance(v, str) and bool(_VILLAGE_NAME.match(v)))
        return pd.DataFrame(
            {
                "township": [None] * int(looks.sum()),
                "village": text.loc[looks, col].to_numpy(),
                "row": (np.flatnonzero(looks.to_numpy()) + 1),
            }
        )
    return None


# ---------------------------------------------------------------- what the run applied


_CONDITIONS = {
    "R01": "本期平均年龄（周岁，保留两位小数）高于基期",
    "R02": "本期大专及以上占比低于基期（百分点，保留两位小数）",
    "R03": "本期有能力特长的占比低于基期（百分点，保留两位小数）",
    "R04": "基期名册或村(社区)名单中有、本期名册中没有人选的村(社区)",
    "R05": "一份名单中的村(社区)在另一份中找不到（比较时忽略全角半角、空格、村/社区/村委会/居委会等写法）",
    "R06": "基期名册与本期名册相同的村(社区)不到基期的一半",
    "R07": "名册缺少文化程度、能力特长、推荐方式列，或有人无法计算年龄、文化程度无法识别",
    "R08": "人选没有村(社区)：只计入乡镇(街道)和全县",
}


def report_rule_infos(params: ReportParameters, as_of: dt.date) -> list[RuleInfo]:
    """The findings a report can make, with the parameters each one uses, for the 规则 sheet."""
    used = {
        "R02": {"college_min_education": params.college_min_education},
        "R03": {"ability_tags": params.ability_tags},
    }
    infos = []
    for rule, condition in _CONDITIONS.items():
        kind = built_in(rule)
        infos.append(
            RuleInfo(
                rule,
                kind.title,
                kind.kind,
                kind.severity,
                "county、township、village",
                condition,
                kind.basis,
                used.get(rule, {}),
            )
        )
    return infos


def _same_files(result: ReportResult) -> None:
    if result.baseline is None:
        return
    now = {i.path.resolve() for i in result.current.inputs}
    for inp in result.baseline.inputs:
        if inp.path.resolve() in now:
            result.warnings.append(f"{inp.file}: 基期名册与本期名册是同一个文件，比较结果只反映基准日的不同")
