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
Kind = Literal[
    "qualification",
    "slate",
    "negative",
    "data",
    "evidence",
    "indicator",
    "pension",
    "career",
    "tuition",
    "pay",
    "bonus",
    "pool",
]

STATUS_LABELS: dict[str, str] = {"eligible": "合格", "review": "待核实", "ineligible": "不合格"}
SEVERITY_LABELS: dict[str, str] = {"disqualify": "不符合", "review": "需核实", "info": "提示"}
SEVERITY_ORDER: dict[str, int] = {"disqualify": 0, "review": 1, "info": 2}
KIND_LABELS: dict[str, str] = {
    "qualification": "资格条件",
    "slate": "班子结构",
    "negative": "负面清单",
    "data": "数据问题",
    "evidence": "联审",
    "indicator": "换届指标",
    "pension": "养老",
    "career": "晋升渠道",
    "tuition": "学费报销",
    "pay": "报酬",
    "bonus": "集体经济奖励",
    "pool": "人才库",
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


_ID_BASIS = "GB 11643-1999 公民身份号码；数据质量"
_DATA_BASIS = "数据质量：花名册的值须完整、可识别（rules/columns.yaml）"
_EVIDENCE_BASIS = "联审机制"
_INDICATOR_BASIS = "换届人选“一降两升”目标（平均年龄下降，学历、能力提升）"
_RECORDS_BASIS = "养老保险缴费记录；数据质量"
_RETIREMENT_BASIS = "《国务院关于渐进式延迟法定退休年龄的办法》第二条、第三条"
_PAY_BASIS = "村(社区)“两委”干部报酬管理（rules/pay.yaml）"
_BONUS_BASIS = "村集体经济发展奖励（rules/pay.yaml）"
_POOL_BASIS = "三级青年人才信息库“一村一分析”（rules/pool.yaml）"
_TRAINING_BASIS = "“双百”培训计划（rules/pool.yaml）"
_LADDER_BASIS = "村(社区)“两委”班子梯次配备（rules/pool.yaml）"

BUILT_IN: tuple[FindingKind, ...] = (
    FindingKind("D01", "身份证号码无效", "data", "review", _ID_BASIS),
    FindingKind("D02", "身份证号码被Excel按数字保存，已丢失位数", "data", "review", _ID_BASIS),
    FindingKind("D03", "性别与身份证号码不符", "data", "review", _ID_BASIS),
    FindingKind("D04", "出生年月与身份证号码不符", "data", "review", _ID_BASIS),
    FindingKind("D05", "身份证号码重复", "data", "review", _ID_BASIS),
    FindingKind("D06", "缺少规则所需的信息", "data", "review", _DATA_BASIS),
    FindingKind("D07", "值无法识别（不在词表内或格式错误）", "data", "review", _DATA_BASIS),
    FindingKind("D08", "15位身份证号码已转换为18位", "data", "info", _ID_BASIS),
    FindingKind("E01", "联审记录姓名与花名册不一致", "evidence", "review", _EVIDENCE_BASIS),
    FindingKind("E02", "联审记录未计入（不在影响期内、未发现问题）", "evidence", "info", _EVIDENCE_BASIS),
    FindingKind("E03", "联审记录的清单项目无法识别，需人工核实", "evidence", "review", _EVIDENCE_BASIS),
    FindingKind("E04", "联审记录身份证号码无法匹配，按姓名对应，需核实", "evidence", "review", _EVIDENCE_BASIS),
    # cadretool report: levels that went the wrong way, coverage, and what the figures could not use
    FindingKind("R01", "平均年龄不降反升", "indicator", "review", _INDICATOR_BASIS),
    FindingKind("R02", "大专及以上占比不升反降", "indicator", "review", _INDICATOR_BASIS),
    FindingKind("R03", "有能力特长的占比不升反降", "indicator", "review", _INDICATOR_BASIS),
    FindingKind("R04", "村(社区)本期没有人选", "indicator", "review", "村(社区)全覆盖"),
    FindingKind("R05", "村(社区)名称在另一份名单中找不到", "indicator", "review", "村(社区)全覆盖"),
    FindingKind("R06", "基期名册与本期名册的村(社区)对不上", "indicator", "review", "数据质量"),
    FindingKind("R07", "指标所需的列或值缺失", "indicator", "review", "数据质量"),
    FindingKind("R08", "人选缺少乡镇(街道)或村(社区)", "indicator", "review", "数据质量"),
    # pension (SPEC §7.1): contribution records, retirement and the leaving allowance
    FindingKind("Y01", "缴费记录有误（年月无法识别、截止早于起始），该段未计入", "pension", "review", _RECORDS_BASIS),
    FindingKind("Y02", "缴费记录中没有此人", "pension", "review", _RECORDS_BASIS),
    FindingKind("Y03", "缴费记录身份证号码无法匹配，按姓名对应，需核实", "pension", "review", _RECORDS_BASIS),
    FindingKind("Y04", "缴费记录姓名与花名册不一致", "pension", "review", _RECORDS_BASIS),
    FindingKind("Y05", "缴费期间重叠，重叠的月份只计一次", "pension", "info", _RECORDS_BASIS),
    FindingKind("Y06", "退休类别与性别不符", "pension", "review", _RETIREMENT_BASIS),
    FindingKind("Y07", "弹性退休申请无法办理", "pension", "review", _RETIREMENT_BASIS),
    FindingKind("Y08", "离任生活补贴无法计算", "pension", "review", "村(社区)“两委”干部离任生活补贴标准"),
    # pay lines: P01–P03, P05 and P06 leave the line unpaid until put right
    FindingKind("P01", "岗位等级或档次不在报酬表范围内，本行暂不发放", "pay", "review", _PAY_BASIS),
    FindingKind("P02", "缺少岗位等级或档次，本行暂不发放", "pay", "review", _PAY_BASIS),
    FindingKind("P03", "考核等次或在职学历无法识别，本行暂不发放", "pay", "review", _PAY_BASIS),
    FindingKind("P04", "月报酬超出预期区间，请核对", "pay", "info", _PAY_BASIS),
    FindingKind("P05", "奖惩记录的金额或月份无法读取，本行暂不发放", "pay", "review", _PAY_BASIS),
    FindingKind("P06", "同一身份证号码在工资表中出现多次，暂不发放", "pay", "review", _PAY_BASIS),
    FindingKind("P07", "奖惩记录需核实（姓名不一致，或身份证号码无法对应）", "pay", "review", _PAY_BASIS),
    FindingKind("P08", "补发：已发多于应发，需核实（不自动扣回）", "pay", "review", _PAY_BASIS),
    FindingKind("P09", "补发：当月应发无法计算，需核实", "pay", "review", _PAY_BASIS),
    # collective-economy reward, per village (B01–B05) and per share (B06)
    FindingKind("B01", "有干部但没有村集体经济收益记录，未计算奖励", "bonus", "review", _BONUS_BASIS),
    FindingKind("B02", "本村没有村民组长，村民组长奖励未发放", "bonus", "info", _BONUS_BASIS),
    FindingKind("B03", "村集体经济纯收益不大于0，不发放奖励", "bonus", "info", _BONUS_BASIS),
    FindingKind("B04", "收益记录重复或无法读取，需核实后计算", "bonus", "review", _BONUS_BASIS),
    FindingKind("B05", "本村没有“两委”干部，干部奖励未发放", "bonus", "info", _BONUS_BASIS),
    FindingKind("B06", "身份证号码重复或无效，发放前需核实", "bonus", "review", _BONUS_BASIS),
    # the talent pool (SPEC §8.1): per village (T01–T03), bad pool and training rows (T04–T09)
    FindingKind("T01", "后备人才少于规定人数", "pool", "review", _POOL_BASIS),
    FindingKind("T02", "没有正式党员后备人才（无书记接班人选）", "pool", "review", _POOL_BASIS),
    FindingKind("T03", "没有35岁以下后备人才", "pool", "review", _POOL_BASIS),
    FindingKind("T04", "人才库人员没有村(社区)，只计入乡镇(街道)或全县", "pool", "review", "数据质量"),
    FindingKind("T05", "培训记录匹配不到人才库或花名册中的人", "pool", "review", _TRAINING_BASIS),
    FindingKind("T06", "培训记录无法计入（结束日期或结果空白、无法识别）", "pool", "review", _TRAINING_BASIS),
    FindingKind("T07", "培训年度没有完成的培训记录", "pool", "review", _TRAINING_BASIS),
    FindingKind("T08", "人才库缺少统计所需的列或信息", "pool", "review", "数据质量"),
    FindingKind(
        "T09", "培训记录重复（同一人、同一培训项目、结束日期和结果），只计一次", "pool", "review", _TRAINING_BASIS
    ),
    # why a ladder candidate is not ready (besides the vet rules that hold a reserve back)
    FindingKind("L01", "任现职届数不足", "pool", "info", _LADDER_BASIS),
    FindingKind("L02", "近三年年度考核“优秀”次数不足", "pool", "info", _LADDER_BASIS),
    FindingKind("L03", "不是正式党员", "pool", "info", _LADDER_BASIS),
    FindingKind("L04", "党龄不足", "pool", "info", _LADDER_BASIS),
    FindingKind(
        "L05", "任正职届数或考核优秀次数未达事业单位招录条件", "pool", "info", "rules/career.yaml（SPEC §7.2）"
    ),
    FindingKind("L06", "缺少判断所需的信息", "pool", "info", _LADDER_BASIS),
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
