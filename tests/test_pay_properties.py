"""Properties of the pay arithmetic: every reward pool paid out exactly, whatever the income and
the mix of posts; integer half-up rounding equal to Decimal's; pay monotone in level and step."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from ids import make_id

from cadretool.bonus import bonus, largest_remainder
from cadretool.money import month_index
from cadretool.pay import PayInputs, compute_pay, rate_fen, times_half_up
from cadretool.roster.readers import RawSheet, RawWorkbook
from cadretool.rules.payrules import load_pay_rules
from cadretool.rules.ruleset import load_ruleset

RULESET = load_ruleset()
PAY_RULES = load_pay_rules(RULESET)
SCALE = PAY_RULES.for_month(month_index(2026, 11))


@given(
    amounts=st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=30),
    rate=st.decimals(min_value=0, max_value=10, places=4, allow_nan=False, allow_infinity=False),
)
def test_integer_half_up_is_decimal_half_up(amounts: list[int], rate: Decimal) -> None:
    expected = [int((Decimal(a) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for a in amounts]
    assert times_half_up(np.array(amounts, dtype=np.int64), rate).tolist() == expected
    assert rate_fen(np.array(amounts, dtype=np.int64), [rate] * len(amounts)).tolist() == expected


@given(
    groups=st.lists(
        st.tuples(st.integers(0, 10**13), st.lists(st.integers(0, 100), min_size=1, max_size=12)),
        min_size=1,
        max_size=20,
    )
)
def test_largest_remainder_pays_every_pool_out_exactly(groups: list[tuple[int, list[int]]]) -> None:
    pools = np.array([p for p, _ in groups], dtype=np.int64)
    weights = np.array([w for _, ws in groups for w in ws], dtype=np.int64)
    owner = np.array([g for g, (_, ws) in enumerate(groups) for _ in ws], dtype=np.int64)
    shares = largest_remainder(pools, weights, owner)
    for g, (pool, ws) in enumerate(groups):
        mine = shares[owner == g]
        if sum(ws) == 0:
            assert (mine == 0).all()  # nobody can take it: kept unpaid, never invented
            continue
        assert int(mine.sum()) == pool
        for share, w in zip(mine.tolist(), ws, strict=True):
            exact = pool * w / sum(ws)
            assert np.floor(exact) <= share <= np.floor(exact) + 1  # never more than a fen off the exact share
        for i in range(len(ws)):
            for j in range(len(ws)):
                if ws[i] > ws[j]:
                    assert mine[i] >= mine[j]  # a heavier post never gets less
                if ws[i] == ws[j] and i < j:
                    assert mine[j] <= mine[i] <= mine[j] + 1  # equal remainders: the earlier row first


POSTS = ["书记", "主任", "一肩挑", "副书记", "副主任", "委员", "村民组长"]


@settings(max_examples=40)
@given(
    villages=st.lists(
        st.tuples(
            st.integers(-(10**9), 10**10),  # net income in fen
            st.lists(st.sampled_from(POSTS), min_size=1, max_size=9),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_pool_is_paid_out_exactly_for_any_income_and_mix_of_posts(
    villages: list[tuple[int, list[str]]],
) -> None:
    people = [["姓名", "身份证号码", "乡镇", "村(社区)", "现任职务"]]
    income = [["乡镇", "村(社区)", "年度", "村集体经济纯收益"]]
    seq = 1
    for v, (fen, posts) in enumerate(villages):
        for post in posts:
            people.append([f"人{seq}", make_id("19800101", seq), "城关镇", f"第{v}村", post])
            seq += 2
        income.append(["城关镇", f"第{v}村", 2026, f"{fen / 100:.2f}" if fen % 100 else str(fen // 100)])
    roster = RawWorkbook("花名册.xlsx", "xlsx", [RawSheet("花名册", people)])  # type: ignore[arg-type]
    table = RawWorkbook("收益.xlsx", "xlsx", [RawSheet("收益", income)])  # type: ignore[arg-type]
    result = bonus([roster], RULESET, year=2026, income=[table], pay_rules=PAY_RULES)  # type: ignore[list-item]
    assert result.missing_income == [] and result.unmatched_income == []
    for village, (fen, posts) in zip(result.villages, villages, strict=True):
        assert village["net_income"] == fen
        cadre = sum(s["amount"] for s in village["shares"] if s["pool"] == "cadre")
        leader = sum(s["amount"] for s in village["shares"] if s["pool"] == "leader")
        if fen <= 0:
            assert village["shares"] == [] and village["cadre_pool"] == village["leader_pool"] == 0
            continue
        assert village["cadre_pool"] == int((Decimal(fen) * Decimal("0.3")).quantize(Decimal(1), ROUND_HALF_UP))
        assert village["leader_pool"] == int((Decimal(fen) * Decimal("0.1")).quantize(Decimal(1), ROUND_HALF_UP))
        assert cadre == (village["cadre_pool"] if village["cadre_pool_paid"] else 0)
        assert leader == (village["leader_pool"] if village["leader_pool_paid"] else 0)
        assert village["leader_pool_paid"] == ("村民组长" in posts)
        assert len(village["shares"]) == len(posts)  # one share per person


def _pay(groups: list[str], levels: list[int], steps: list[int], grade: str | None, degree: str | None) -> np.ndarray:
    n = len(levels)
    computed = compute_pay(
        PayInputs(
            group=np.array(groups, dtype=object),
            level=np.array(levels, dtype=float),
            step=np.array(steps, dtype=float),
            grade=np.array([grade] * n, dtype=object),
            grade_bad=np.zeros(n, dtype=bool),
            degree=np.array([degree] * n, dtype=object),
            degree_bad=np.zeros(n, dtype=bool),
            adjustments=np.zeros(n, dtype=np.int64),
        ),
        SCALE,
    )
    assert computed.ok.all()
    return computed.amounts["total"]


@given(
    grade=st.sampled_from([None, "优秀", "称职", "基本称职", "不称职"]),
    degree=st.sampled_from([None, "大专", "本科", "研究生"]),
)
def test_pay_is_monotone_in_level_and_step(grade: str | None, degree: str | None) -> None:
    for group, (high, low) in SCALE.level_range.items():
        # every position of the group's scale from the lowest (level low, step 1) to the highest
        positions = [(lv, st_) for lv in range(low, high - 1, -1) for st_ in range(1, SCALE.steps[lv] + 1)]
        totals = _pay([group] * len(positions), [p[0] for p in positions], [p[1] for p in positions], grade, degree)
        assert (np.diff(totals) >= 0).all(), group
        by_position = dict(zip(positions, totals.tolist(), strict=True))
        for (lv, st_), total in by_position.items():
            if (lv, st_ + 1) in by_position:
                assert by_position[(lv, st_ + 1)] > total
            if (lv - 1, st_) in by_position:
                assert by_position[(lv - 1, st_)] > total
