"""The terminal summary of `pool`: townships at a glance, the villages with no successor, the
ladder and the 双百 figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from cadretool.pool import COUNTS, RUNG_LABELS, RUNGS

if TYPE_CHECKING:
    from cadretool.pool import PoolResult


def print_pool(console: Console, result: PoolResult, *, mask_ids: bool = False, limit: int = 30) -> None:
    towns = Table(
        title=f"三级青年人才信息库（基准日 {result.as_of}）",
        caption="T01–T03：后备人才不足、无正式党员后备、无35岁以下后备的村数",
        header_style="bold",
    )
    # short headings: the table fits an 80-column terminal
    for col in ("乡镇", "村数", "后备", "35岁下", "大专+", "党员", "女", "T01", "T02", "T03"):
        towns.add_column(col, justify="left" if col == "乡镇" else "right", no_wrap=True)
    for t in [*result.townships.to_dict("records"), {**result.county, "township": "全县"}]:
        towns.add_row(
            str(t["township"]),
            str(t["villages"]),
            *(str(t[c]) for c in COUNTS),
            *(str(t[k]) for k in ("villages_short", "villages_without_party", "villages_without_young")),
        )
    console.print(towns)
    county_only = result.county_only()
    if county_only:
        console.print(f"另有{county_only}名后备人才没有乡镇(街道)或为市级人才，只计入全县")
    lacking = result.villages[result.villages["rules"].map(bool)]
    if len(lacking):
        table = Table(title="需研判的村(社区)", header_style="bold")
        for col in ("乡镇(街道)", "村(社区)", "后备人才", "问题"):
            table.add_column(col, overflow="fold")
        for v in lacking.head(limit).itertuples(index=False):
            table.add_row(str(v.township), str(v.village), str(v.reserves), "、".join(v.rules))
        console.print(table)
        if len(lacking) > limit:
            console.print(f"……另有 {len(lacking) - limit} 个村(社区)，见工作簿各乡镇表")
    ladder = Table(title="成长阶梯", header_style="bold")
    for col in ("阶梯", "人数", "现在可进"):
        ladder.add_column(col, justify="left" if col == "阶梯" else "right")
    for rung in RUNGS:
        on = [e for e in result.ladder if e["rung"] == rung]
        if on:
            ladder.add_row(RUNG_LABELS[rung], str(len(on)), str(sum(e["ready"] for e in on)))
    console.print(ladder)
    t = result.training
    if t is not None:
        console.print(
            f"{t['year']}年“双百”培训：后备干部 {t['reserve_trained']}/{t['targets']['reserve']} 人，"
            f"“两委”干部 {t['cadre_trained']}/{t['targets']['cadre']} 人；"
            f"{t['years'][0]}–{t['years'][1]}年没有完成培训的 {len(t['untrained_3y'])} 人；"
            f"未匹配的培训记录 {t['unmatched']} 条"
        )
