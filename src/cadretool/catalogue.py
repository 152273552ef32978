"""What a finding is and what a derived value is: the one home every other module refers to.

A finding has an id, a title, a kind, a severity and a basis. The rule set defines most of
them (Q, S, G, N: rules/*.yaml); the ones here are built in, because the reading of a roster
(D) and the joining of joint-review evidence (E) make them, not a rule. A derived value is
what rules read that no roster column holds (age, incumbent, post group …): its name, its
kind in the expression language, and the roster fields it is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["disqualify", "review", "info"]
Status = Literal["eligible", "review", "ineligible"]
Kind = Literal["qualification", "slate", "negative", "data", "evidence"]

STATUS_LABELS: dict[str, str] = {"eligible": "合格", "review": "待核实", "ineligible": "不合格"}
SEVERITY_LABELS: dict[str, str] = {"disqualify": "不符合", "review": "需核实", "info": "提示"}
SEVERITY_ORDER: dict[str, int] = {"disqualify": 0, "review": 1, "info": 2}
KIND_LABELS: dict[str, str] = {
    "qualification": "资格条件",
    "slate": "班子结构",
    "negative": "负面清单",
    "data": "数据问题",
    "evidence": "联审",
}
EVERYONE = "全体人选"
TARGET_LABELS: dict[str, str] = {
    "everyone": EVERYONE,
    "party_post": "党组织职务人选",
    "two_committee": "“两委”职务人选",
}


def applies_to_label(targets: list[str] | tuple[str, ...]) -> str:
    """Who a rule applies to, in words: 全体人选, 正职, 党组织职务人选 …"""
    return "、".join(TARGET_LABELS.get(t, t) for t in targets) or EVERYONE


@dataclass(frozen=True)
class FindingKind:
    """A built-in finding: made by reading the roster (D) or joining evidence (E)."""

    id: str
    title: str
    kind: Kind
    severity: Severity
    basis: str


_DATA_BASIS = "GB 11643-1999；数据质量"
_EVIDENCE_BASIS = "联审机制"

BUILT_IN: tuple[FindingKind, ...] = (
    FindingKind("D01", "身份证号码无效", "data", "review", _DATA_BASIS),
    FindingKind("D02", "身份证号码被Excel按数字保存，已丢失位数", "data", "review", _DATA_BASIS),
    FindingKind("D03", "性别与身份证号码不符", "data", "review", _DATA_BASIS),
    FindingKind("D04", "出生年月与身份证号码不符", "data", "review", _DATA_BASIS),
    FindingKind("D05", "身份证号码重复", "data", "review", _DATA_BASIS),
    FindingKind("D06", "缺少规则所需的信息", "data", "review", _DATA_BASIS),
    FindingKind("D07", "值无法识别（不在词表内或格式错误）", "data", "review", _DATA_BASIS),
    FindingKind("D08", "15位身份证号码已转换为18位", "data", "info", _DATA_BASIS),
    FindingKind("E01", "联审记录姓名与花名册不一致", "evidence", "review", _EVIDENCE_BASIS),
    FindingKind("E02", "联审记录未计入（不在影响期内、未发现问题）", "evidence", "info", _EVIDENCE_BASIS),
    FindingKind("E03", "联审记录的清单项目无法识别，需人工核实", "evidence", "review", _EVIDENCE_BASIS),
    FindingKind("E04", "联审记录身份证号码无法匹配，按姓名对应，需核实", "evidence", "review", _EVIDENCE_BASIS),
)
BUILT_IN_BY_ID: dict[str, FindingKind] = {k.id: k for k in BUILT_IN}


def built_in(finding_id: str) -> FindingKind:
    """The built-in finding with this id (KeyError for an id nobody defined)."""
    return BUILT_IN_BY_ID[finding_id]


@dataclass(frozen=True)
class DerivedValue:
    """A value rules read that no column holds, and the roster fields it comes from."""

    name: str
    title: str
    kind: str  # its kind in the expression language (rules/expr.py)
    sources: tuple[str, ...]
    how: str


DERIVED: dict[str, DerivedValue] = {
    d.name: d
    for d in (
        DerivedValue(
            "age",
            "年龄",
            "number",
            ("birth_date", "id_number"),
            "审查基准日的周岁（生日当天满岁）；出生年月以身份证号码为准",
        ),
        DerivedValue(
            "new_entrant",
            "新进人选",
            "bool",
            ("current_post",),
            "现任职务不是“两委”职务（为空、村民组长、监委会、第一书记等）；没有现任职务列时无法判断",
        ),
        DerivedValue("post_group", "拟任职务类别", "text", ("proposed_post",), "正职、副职、委员，其他职务为“其他”"),
        DerivedValue("party_post", "党组织职务", "bool", ("proposed_post",), "拟任书记、一肩挑、副书记或支委"),
        DerivedValue("proposed_post_party", "拟任支委", "bool", ("proposed_post",), "拟任职务写明支部委员"),
        DerivedValue("as_of", "审查基准日", "date", (), "--as-of，默认规则集的选举日"),
    )
}


def sources_of(name: str) -> tuple[str, ...]:
    """The roster fields a name reads: a derived value's sources, else the field itself."""
    derived = DERIVED.get(name)
    return derived.sources if derived is not None else (name,)


# the steps of a vet run after the files are read, as a progress display names them
VET_PHASES = ("整理数据", "联审记录", "负面清单", "资格条件", "汇总结论")
