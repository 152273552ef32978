"""The collective-economy reward (村集体经济发展奖励) of a year, village by village.

roster ─ read_roster ─ cadres (two-committee posts) and 村民组长, by village ─┐
income file ─ read_income ─ joined to villages by township and village name ──┼─► pools ─► shares (largest remainder)
pay.yaml ─ shares and post weights in force on 31 December ───────────────────┘

Per village: a cadre pool (income × bonus_cadre_share) shared by post weight and a leader pool
(income × bonus_leader_share) in equal shares, each pool rounded half up to the fen and shared in
fen by the largest-remainder method, so each pool is paid out exactly (equal remainders go to the
earlier roster row). Income ≤ 0 pays nothing; a village with cadres and no income record is
reported as missing, never as 0; a pool nobody can take is kept unpaid and said so.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cadretool.catalogue import BUILT_IN, built_in
from cadretool.errors import InputError
from cadretool.money import money_text
from cadretool.pay import note_lacking_columns, serving, times_half_up
from cadretool.pay_inputs import SideFile, read_income
from cadretool.results import RuleInfo
from cadretool.roster.readers import RawWorkbook, expand_named
from cadretool.roster.table import InputInfo, Roster, read_roster
from cadretool.roster.text import header_key
from cadretool.rules.overrides import not_yet, unused
from cadretool.rules.payrules import BONUS_PARAMETERS, PayRules, PayScale, load_pay_rules
from cadretool.rules.ruleset import RuleSet

LEADER_POST = "村民组长"  # the post vocabulary's value for a village group leader
_TOWNSHIP_SUFFIX = re.compile(r"(?:街道办事处|办事处|街道|镇|乡)$")
_VILLAGE_SUFFIX = re.compile(r"(?:村民委员会|居民委员会|村委会|居委会|社区|村)$")


@dataclass
class BonusResult:
    """Everything `bonus` found.

    villages: one dict per village with an income record: township, village, net_income,
              cadre_pool, leader_pool (fen), whether each pool is paid, shares (one per person:
              pool, post, amount in fen, roster row), findings (village level), income_record;
    missing_income: villages with cadres or group leaders and no income record;
    unmatched_income: income records that reach no village, or could not be used, with why.
    """

    roster: Roster
    year: int
    scale: PayScale
    villages: list[dict[str, Any]]
    missing_income: list[dict[str, Any]]
    unmatched_income: list[dict[str, Any]]
    income_inputs: list[InputInfo]
    rules: list[RuleInfo]
    ruleset_name: str
    ruleset_version: str
    ruleset_sha256: str
    notes: list[str] = field(default_factory=list)
    side_warnings: list[str] = field(default_factory=list)
    side_errors: list[InputError] = field(default_factory=list)
    overrides: list[Any] = field(default_factory=list)  # what-if --set values the run used
    comparison: Any = None  # --compare: the reward against the rule set's own values (compare.Comparison)

    @property
    def warnings(self) -> list[str]:
        return self.roster.warnings + self.side_warnings

    @property
    def errors(self) -> list[InputError]:
        return self.roster.errors + self.side_errors

    def totals(self) -> dict[str, Any]:
        """Paid shares in fen: county and per township."""
        townships: dict[str, int] = {}
        for v in self.villages:
            paid = sum(s["amount"] for s in v["shares"])
            townships[v["township"]] = townships.get(v["township"], 0) + paid
        return {"county": sum(townships.values()), "townships": townships}

    def summary(self) -> dict[str, Any]:
        return {
            "people": sum(len(v["shares"]) for v in self.villages),
            "villages": len(self.villages),
            "missing_income": len(self.missing_income),
            "total": money_text(self.totals()["county"]),
        }


def bonus(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    *,
    year: int,
    income: Sequence[Path | InputError],
    sheets: list[str] | None = None,
    pay_rules: PayRules | None = None,
) -> BonusResult:
    """The reward of `year` for the rosters named; unreadable inputs are errors in the result."""
    (result,) = bonus_under(
        rosters, ruleset, [pay_rules or load_pay_rules(ruleset)], year=year, income=income, sheets=sheets
    )
    return result


def bonus_under(
    rosters: Sequence[str | Path | RawWorkbook | InputError],
    ruleset: RuleSet,
    pay_rules: Sequence[PayRules],
    *,
    year: int,
    income: Sequence[Path | InputError],
    sheets: list[str] | None = None,
) -> list[BonusResult]:
    """The reward under each of `pay_rules` (the rule set's and a what-if's), every input read once."""
    for rules in pay_rules:
        rules.for_year(year)  # a year the rule set has no figures for fails before any reading
    notes: list[str] = []
    roster = read_roster(expand_named(rosters, notes), ruleset.columns, sheets=sheets)
    note_lacking_columns(roster, ("current_post", "township", "village"), ruleset)
    records = read_income(income, pay_rules[0].inputs["income"], year)
    copies = roster.for_each(len(pay_rules))
    results = []
    for rules, read in zip(pay_rules, copies, strict=True):
        result = bonus_roster(read, ruleset, rules, year=year, income=records)
        result.notes[:0] = notes
        results.append(result)
    return results


def bonus_rule_infos() -> list[RuleInfo]:
    return [
        RuleInfo(k.id, k.title, k.kind, k.severity, "各村(社区)", "", k.basis) for k in BUILT_IN if k.kind == "bonus"
    ]


def largest_remainder(pools: np.ndarray, weights: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's share in fen of its group's pool (`pools` per group), in proportion to its integer
    weight, so each group's shares add up to its pool exactly: everyone gets the floor of the exact
    share, the fen left over go one each to the largest remainders, equal remainders to the earlier
    row. Whole arrays, no loop over groups."""
    weights = np.asarray(weights, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    pools = np.asarray(pools, dtype=np.int64)
    total_weight = np.bincount(groups, weights=weights, minlength=len(pools)).astype(np.int64)
    row_pool, row_total = pools[groups], np.maximum(total_weight[groups], 1)
    exact: np.ndarray = row_pool * weights
    if len(row_pool) and int(np.abs(row_pool).max()) * max(int(weights.max()), 1) >= 2**62:
        exact = row_pool.astype(object) * weights.astype(object)  # Python integers: still exact
    base = (exact // row_total).astype(np.int64)  # never more than the pool
    remainder = (exact % row_total).astype(np.int64)  # less than the total weight
    left = pools - np.bincount(groups, weights=base, minlength=len(pools)).astype(np.int64)
    left[total_weight == 0] = 0
    # rank rows within their group: largest remainder first, then roster order
    rows = np.arange(len(groups))
    order = np.lexsort((rows, -remainder, groups))
    starts = np.searchsorted(groups[order], groups[order], side="left")
    rank = np.empty(len(rows), dtype=np.int64)
    rank[order] = rows - starts
    return base + (rank < left[groups]).astype(np.int64)


def weight_units(weights: dict[str, Decimal]) -> tuple[dict[str, int], int]:
    """Post weights as integers on one scale (1.0 / 0.8 / 0.6 → 10 / 8 / 6)."""
    places = max((-w.as_tuple().exponent for w in weights.values() if w.as_tuple().exponent < 0), default=0)
    scale = 10 ** int(places)
    return {k: int(w * scale) for k, w in weights.items()}, scale


def bonus_roster(roster: Roster, ruleset: RuleSet, pay_rules: PayRules, *, year: int, income: SideFile) -> BonusResult:
    """The reward of a roster already read."""
    scale = pay_rules.for_year(year)
    people = roster.frame
    cadre = serving(people, ruleset)
    leader = (people["current_post"] == LEADER_POST).to_numpy(dtype=bool) if len(people) else cadre
    takers = people[cadre | leader]
    is_cadre = cadre[cadre | leader]
    township = takers["township"].where(takers["township"].notna(), "").astype(str).to_numpy(dtype=object)
    village = takers["village"].where(takers["village"].notna(), "").astype(str).to_numpy(dtype=object)
    row_place, places = pd.MultiIndex.from_arrays([township, village]).factorize()
    joined = _join_income(income.frame, places, year)
    income_fen = np.array([j["income"] if j["usable"] else 0 for j in joined["by_place"]], dtype=np.int64)
    usable = np.array([j["usable"] for j in joined["by_place"]], dtype=bool)
    positive = usable & (income_fen > 0)
    cadre_pool = np.where(positive, times_half_up(income_fen, scale.cadre_share), 0)
    leader_pool = np.where(positive, times_half_up(income_fen, scale.leader_share), 0)
    units, _ = weight_units(scale.post_weight)
    groups = takers["current_post"].map(ruleset.columns.posts.group_of)
    weight = np.where(is_cadre, groups.map(units).fillna(0).to_numpy(dtype=np.int64), 1)
    pool_no = row_place * 2 + np.where(is_cadre, 0, 1)  # each village has a cadre pool and a leader pool
    pools = np.zeros(2 * len(places), dtype=np.int64)
    pools[0::2], pools[1::2] = cadre_pool, leader_pool
    has_taker = np.bincount(pool_no, weights=weight, minlength=len(pools)) > 0
    shares = largest_remainder(np.where(has_taker, pools, 0), weight, pool_no)
    cadre_count = np.bincount(row_place[is_cadre], minlength=len(places))
    leader_count = np.bincount(row_place[~is_cadre], minlength=len(places))
    share_findings = _share_findings(roster, takers)
    villages: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    by_place: dict[int, list[int]] = pd.Series(np.arange(len(takers))).groupby(row_place).agg(list).to_dict()
    ids = takers["id_number"].where(takers["id_number"].notna(), takers["id_text"]).to_numpy(dtype=object)
    names = takers["name"].to_numpy(dtype=object)
    posts = takers["current_post"].to_numpy(dtype=object)
    files, sheets, rownums = (takers[c].to_numpy(dtype=object) for c in ("_file", "_sheet", "_row"))
    for p, (t, v) in enumerate(places):
        info = joined["by_place"][p]
        if info["record"] is None and not info["problem"]:
            missing.append(
                {
                    "township": t,
                    "village": v,
                    "cadres": int(cadre_count[p]),
                    "leaders": int(leader_count[p]),
                    "findings": [_village_finding("B01", "无村集体经济纯收益记录，未计算奖励（不按0处理），请补报")],
                }
            )
            continue
        findings = []
        if not usable[p]:
            findings.append(_village_finding("B04", info["problem"]))
        elif not positive[p]:
            findings.append(
                _village_finding("B03", f"村集体经济纯收益为 {money_text(int(income_fen[p]))} 元，不大于0，不发放奖励")
            )
        else:
            if not cadre_count[p]:
                findings.append(
                    _village_finding("B05", f"本村没有“两委”干部，干部奖励 {money_text(int(cadre_pool[p]))} 元未发放")
                )
            if not leader_count[p]:
                findings.append(
                    _village_finding(
                        "B02", f"本村没有村民组长，村民组长奖励 {money_text(int(leader_pool[p]))} 元未发放"
                    )
                )
        out_shares = []
        if positive[p]:
            for i in by_place.get(p, []):
                out_shares.append(
                    {
                        "pool": "cadre" if is_cadre[i] else "leader",
                        "id_number": ids[i] if isinstance(ids[i], str) else None,
                        "name": names[i] if isinstance(names[i], str) else None,
                        "post": posts[i],
                        "amount": int(shares[i]),
                        "source": files[i],
                        "sheet": sheets[i],
                        "row": int(rownums[i]),
                        "findings": share_findings.get(takers.index[i], []),
                    }
                )
        villages.append(
            {
                "township": t,
                "village": v,
                "net_income": int(info["income"]) if info["income"] is not None and usable[p] else None,
                "cadre_pool": int(cadre_pool[p]) if usable[p] else None,
                "leader_pool": int(leader_pool[p]) if usable[p] else None,
                "cadre_pool_paid": bool(positive[p] and cadre_count[p]),
                "leader_pool_paid": bool(positive[p] and leader_count[p]),
                "cadres": int(cadre_count[p]),
                "leaders": int(leader_count[p]),
                "shares": out_shares,
                "findings": findings,
                "income_record": info["record"],
            }
        )
    return BonusResult(
        roster=roster,
        year=year,
        scale=scale,
        villages=villages,
        missing_income=missing,
        unmatched_income=joined["unmatched"],
        income_inputs=income.inputs,
        rules=bonus_rule_infos(),
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version,
        ruleset_sha256=ruleset.sha256,
        notes=list(income.notes)
        + not_yet(pay_rules.overrides, scale.date)
        + unused(pay_rules.overrides, BONUS_PARAMETERS, "bonus"),
        side_warnings=income.warnings + joined["warnings"],
        side_errors=list(income.errors),
        overrides=list(pay_rules.overrides),
    )


def _village_finding(rule: str, message: str) -> dict[str, Any]:
    kind = built_in(rule)
    return {"rule": rule, "severity": kind.severity, "message": message, "basis": kind.basis}


def _share_findings(roster: Roster, takers: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    """B06 on a share whose holder's ID number is invalid, mangled, missing or listed twice."""
    out: dict[int, list[dict[str, Any]]] = {}
    p = roster.problems
    if p.empty:
        return out
    mine = p[p["person"].isin(takers.index) & p["rule"].isin(["D01", "D02", "D05"])]
    missing = takers.index[takers["id_status"].eq("missing").to_numpy()]
    for person, message in [
        *zip(mine["person"], mine["message"], strict=True),
        *((m, "缺少身份证号码") for m in missing),
    ]:
        out.setdefault(int(person), []).append(_village_finding("B06", f"{message}，发放前请核实"))
    return out


def _key(text: Any) -> str:
    return header_key(text) if isinstance(text, str) else ""


def _join_income(records: pd.DataFrame, places: pd.MultiIndex, year: int) -> dict[str, Any]:
    """Each income record to its village (exact name, else a unique village of that name in the
    township named, else the same with 镇/乡/街道 and 村/社区 left off); per village the one usable
    record, or why there is none. Dictionary look-ups only: no scan per record."""
    exact: dict[tuple[str, str], int] = {}
    by_village: dict[str, list[int]] = {}
    by_loose: dict[str, list[int]] = {}
    for p, (t, v) in enumerate(places):
        tk, vk = _key(t), _key(v)
        exact[(tk, vk)] = p
        by_village.setdefault(vk, []).append(p)
        by_loose.setdefault(_VILLAGE_SUFFIX.sub("", vk) or vk, []).append(p)
    loose_town = [_TOWNSHIP_SUFFIX.sub("", _key(t)) or _key(t) for t, _ in places]
    found: dict[int, list[dict[str, Any]]] = {}
    unmatched: list[dict[str, Any]] = []
    warnings: list[str] = []
    towns: dict[str, dict[str, str]] = {}
    for r in records.itertuples(index=False):
        record = {
            "source": r.source,
            "sheet": r.sheet,
            "row": int(r.row),
            "township": r.township,
            "village": r.village,
            "year": r.year,
            "net_income": money_text(r.income) if r.income is not None else None,
            "income_written": r.income_written,
        }
        tk, vk = _key(r.township), _key(r.village)
        if r.year_problem or (r.year is not None and r.year != year):
            why = r.year_problem or f"属于 {r.year} 年度，不是 {year} 年度"
            unmatched.append({**record, "reason": why})
            continue
        if not vk:
            unmatched.append({**record, "reason": "村(社区)名称为空，无法对应"})
            continue
        place = exact.get((tk, vk))
        why = ""
        # the roster's villages of this name, as written and without 村/社区
        pools = [by_village.get(vk, []), by_loose.get(_VILLAGE_SUFFIX.sub("", vk) or vk, [])]
        if place is None:
            town = _TOWNSHIP_SUFFIX.sub("", tk) or tk
            for pool in pools:
                near = [p for p in pool if not tk or loose_town[p] == town]
                if len(near) == 1:
                    place = near[0]
                    break
                if len(near) > 1:
                    why = f"花名册中有{len(near)}个名为“{r.village}”的村，请写明乡镇"
                    break
        if place is None:
            if not why:
                if not towns:  # each township's villages, for the first row that names no village of the roster
                    for (_, v), lt in zip(places, loose_town, strict=True):
                        towns.setdefault(lt, {})[_key(v)] = str(v)
                near = _near(r.township, r.village, places, pools, towns)
                why = "花名册中没有此村（社区）的“两委”干部或村民组长" + near
            unmatched.append({**record, "reason": why})
            continue
        found.setdefault(place, []).append({**record, "income": r.income, "problem": r.income_problem})
    by_place = []
    for p in range(len(places)):
        mine = found.get(p, [])
        if not mine:
            by_place.append({"record": None, "income": None, "usable": False, "problem": ""})
            continue
        cited = "、".join(f"{Path(m['source']).name}第{m['row']}行" for m in mine)
        public = [{k: v for k, v in m.items() if k not in ("income", "problem")} for m in mine]
        if len(mine) > 1:
            problem = f"收益记录重复（{cited}），请核实后只保留一条"
            by_place.append({"record": public[0], "income": None, "usable": False, "problem": problem})
            unmatched += [{**m, "reason": problem} for m in public]
        elif mine[0]["problem"]:
            problem = f"收益记录（{cited}）{mine[0]['problem']}"
            by_place.append({"record": public[0], "income": None, "usable": False, "problem": problem})
            unmatched.append({**public[0], "reason": problem})
        else:
            by_place.append({"record": public[0], "income": mine[0]["income"], "usable": True, "problem": ""})
    for source in dict.fromkeys(records["source"]) if len(records) and len(places) else []:
        mine = records["source"] == source
        used = sum(1 for p in found.values() for m in p if m["source"] == source)
        if mine.any() and not used:
            warnings.append(
                f"{source}: {int(mine.sum())}条收益记录没有一条对应花名册中有干部的村（社区），请确认是否选错了文件"
            )
    return {"by_place": by_place, "unmatched": unmatched, "warnings": warnings}


def _near(
    township: Any, village: Any, places: pd.MultiIndex, pools: list[list[int]], towns: dict[str, dict[str, str]]
) -> str:
    """What the roster has that an income row may mean: its village under another township (the
    `pools` of places with its name), or, a slip of the pen (红言村 for 红岩村), a like-named village
    of the township it names (`towns`: each township's villages by key)."""
    elsewhere = [places[p][0] for pool in pools for p in pool]
    if elsewhere:
        return f"；花名册中的“{village}”在{'、'.join(dict.fromkeys(str(t) for t in elsewhere))}，请核对乡镇"
    mine = towns.get(_TOWNSHIP_SUFFIX.sub("", _key(township)) or _key(township), {})
    close = difflib.get_close_matches(_key(village), list(mine), n=3, cutoff=0.6)
    return f"；{township}相近的村有：{'、'.join(mine[c] for c in close)}" if close else ""


__all__ = ["LEADER_POST", "BonusResult", "bonus", "bonus_roster", "bonus_rule_infos", "largest_remainder"]
