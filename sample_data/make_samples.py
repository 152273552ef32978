#!/usr/bin/env python3
# ruff: noqa: E501  (Chinese text counts double towards the line width)
"""Generate cadretool's committed sample data (deterministic, seeded).

    python sample_data/make_samples.py

Writes into the folder of this script:

    roster.xlsx                 county candidate roster, one sheet per township (87 villages)
    roster_gbk.csv              the 仙桥乡 sheet saved as CSV the way Excel on Chinese Windows does (GBK)
    evidence_公安.xlsx          joint-review evidence from the public security bureau
    evidence_纪委监委.csv       joint-review evidence from the discipline commission (UTF-8 with BOM)
    pay_adjustments.xlsx        奖惩款项 for `cadretool pay --adjustments`
    collective_income.xlsx      村集体经济纯收益 2026 for `cadretool bonus --income`
    pension_contributions.xlsx  参保缴费记录 for `cadretool pension --contributions`
    tuition_claims.xlsx         在职学历学费报销申请 for `cadretool tuition`
    README.md                   what each file is and every deliberate case (sheet + Excel row)

Only the standard library and XlsxWriter are used. XlsxWriter writes fixed zip timestamps,
and the workbook created/modified date is fixed below, so two runs give identical bytes.

The generator keeps a small model of every person (canonical values) and renders it into
cells in each township's own style. A tiny model-side checker (`model_findings`) recomputes
the expected findings of every person from the model, so the README's expectations and the
"clean" people are checked before anything is written.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import xlsxwriter

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

SEED = 20261231
AS_OF = dt.date(2026, 12, 31)  # election_date of the default rule set
PAY_MONTH = "2026-11"
OUT_DIR = Path(__file__).resolve().parent
WORKBOOK_CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)  # fixed so the xlsx bytes are stable
FILLED_IN = "2026年11月"

# (township, organisation unit that fills the roster, villages in order)
TOWNSHIPS: list[tuple[str, str, list[str]]] = [
    (
        "金山街道",
        "金山街道党工委组织办",
        [
            "城厢社区",
            "西门社区",
            "东门社区",
            "太极社区",
            "红旗社区",
            "三板桥社区",
            "新桥社区",
            "洒金社区",
            "双谷村",
            "万寿村",
            "罗家寨村",
            "新华村",
            "杨老村",
        ],
    ),
    (
        "马场坪街道",
        "马场坪街道党工委组织办",
        [
            "马场坪社区",
            "兴隆社区",
            "火车站社区",
            "云中社区",
            "黄丝村",
            "冲子口村",
            "平堡村",
            "渔洞村",
            "长寨村",
            "马田村",
            "高石村",
            "李家湾村",
        ],
    ),
    (
        "龙昌镇",
        "龙昌镇党委组织办",
        [
            "龙昌社区",
            "冷水村",
            "龙井村",
            "杨柳村",
            "桐子园村",
            "大坡村",
            "中坪村",
            "金星村",
            "乐岗村",
            "新民村",
            "岩角村",
            "麻窝村",
        ],
    ),
    (
        "牛场镇",
        "牛场镇党委组织办",
        [
            "牛场社区",
            "双龙村",
            "红岩村",
            "白腊村",
            "新场村",
            "竹林村",
            "黄泥坡村",
            "谷汪村",
            "老鹰岩村",
            "大寨村",
            "水井湾村",
            "花园村",
        ],
    ),
    (
        "道坪镇",
        "道坪镇党委组织办",
        [
            "道坪社区",
            "谷龙村",
            "英坪村",
            "高坪村",
            "长坡村",
            "迎燕村",
            "岩脚村",
            "松林村",
            "白果村",
            "石板村",
            "新光村",
        ],
    ),
    (
        "凤山镇",
        "凤山镇党委组织办",
        ["凤山社区", "罗尾塘村", "岩旺村", "金鸡村", "平寨村", "望城村", "大沙坝村", "凤鸣村", "青杠村", "坪上村"],
    ),
    (
        "陆坪镇",
        "陆坪镇党委组织办",
        ["陆坪社区", "福兴村", "营盘村", "翁稳村", "东风村", "香树村", "鱼井村", "干坝村", "和平村", "朝阳村"],
    ),
    ("仙桥乡", "仙桥乡党委组织办", ["仙桥社区", "王卡村", "大关村", "仙桥村", "塘边村", "马鞍村", "翁勇村"]),
]
CSV_TOWNSHIP = "仙桥乡"
CSV_TOWNSHIP_MAX_SLATE = 6  # keeps the CSV at about 40 rows
TWO_ROW_HEADER_TOWNSHIP = "牛场镇"
G01_VILLAGE = ("陆坪镇", "翁稳村")  # nobody under 35
G02_VILLAGE = ("道坪镇", "长坡村")  # no woman
INCOME_MISSING = [("牛场镇", "竹林村"), ("凤山镇", "青杠村")]
INCOME_ZERO = ("仙桥乡", "塘边村")
INCOME_NEGATIVE = ("陆坪镇", "干坝村")

# Region codes: 福泉市 522702 (created 1996; people born earlier still carry it) and neighbours.
REGION_CODES = [
    ("522702", 75),
    ("522701", 6),
    ("522725", 5),
    ("522723", 4),
    ("522722", 2),
    ("522731", 2),
    ("520121", 3),
    ("520103", 3),
]

SURNAMES = [
    ("王", 8),
    ("李", 7),
    ("张", 6),
    ("刘", 5),
    ("陈", 6),
    ("杨", 7),
    ("罗", 6),
    ("吴", 5),
    ("赵", 3),
    ("周", 3),
    ("黄", 4),
    ("龙", 3),
    ("石", 3),
    ("韦", 3),
    ("蒙", 2),
    ("宋", 2),
    ("肖", 2),
    ("邓", 2),
    ("冯", 2),
    ("何", 3),
    ("胡", 2),
    ("陆", 2),
    ("潘", 2),
    ("蒋", 2),
    ("文", 2),
    ("谢", 2),
    ("付", 2),
    ("田", 2),
    ("万", 1),
    ("熊", 1),
    ("曾", 1),
    ("袁", 1),
]
GIVEN_MALE = list("国华建军明勇伟强平林波志刚辉文杰涛超鹏飞斌德成忠祥云峰海龙兴贵松")
GIVEN_FEMALE = list("芳娟丽敏霞燕琴红梅英艳玲静兰秀萍丹婷雪莉慧春凤菊倩颖")
ETHNICITIES = [("汉族", 60), ("苗族", 20), ("布依族", 12), ("毛南族", 4), ("水族", 2), ("侗族", 2)]
CHANNELS = [("组织推荐", 35), ("群众推荐", 20), ("党员推荐", 20), ("群团推荐", 10), ("个人自荐", 15)]
TAGS = [
    "致富带头人",
    "返乡创业",
    "大学生",
    "退役军人",
    "专业技能",
    "种养殖能手",
    "农村电商",
    "乡村医生",
    "农技推广",
    "法律明白人",
]
NOTES = ["后备干部", "返乡创业青年", "本届新进", "拟交流任职", "2025年度优秀村干部", "网格员"]

POSTS_PRINCIPAL = ("书记", "主任", "一肩挑")
POSTS_DEPUTY = ("副书记", "副主任")
PARTY_POSTS = ("书记", "一肩挑", "副书记")
INCUMBENT_PROB = {
    "书记": 0.7,
    "一肩挑": 0.7,
    "主任": 0.6,
    "副书记": 0.55,
    "副主任": 0.55,
    "委员": 0.45,
    "村民组长": 0.6,
}
FEMALE_PROB = {"书记": 0.12, "一肩挑": 0.1, "主任": 0.15, "副书记": 0.3, "副主任": 0.35, "委员": 0.45, "村民组长": 0.15}
PARTY_PROB = {"主任": 0.85, "副主任": 0.6, "委员": 0.55, "村民组长": 0.35}
LEVEL_RANGE = {"正职": (1, 5), "副职": (4, 9), "委员": (8, 13)}
EDU_RANK = {"小学": 0, "初中": 1, "高中": 2, "中专": 2, "职高": 2, "技校": 2, "大专": 3, "本科": 4, "研究生": 5}

# negative-list flag columns: id -> (label, an alias used by the 道坪镇 sheet)
NEGATIVE_ITEMS = {
    "N01": ("受过刑事处罚", "刑事处罚"),
    "N02": ("涉黑涉恶", "村霸"),
    "N03": ("党纪政务处分影响期内", "党纪政务处分"),
    "N04": ("正在被立案审查调查", "立案审查调查"),
    "N05": ("参与非法宗教邪教黄赌毒", "黄赌毒"),
    "N06": ("拉票贿选", "贿选"),
    "N07": ("违法信访被处理", "违法信访"),
    "N08": ("考核不称职或被罢免", "不合格党员"),
    "N09": ("长期外出", "长期外出不能履职"),
    "N10": ("失信或侵占集体资产", "失信被执行人"),
}
SANCTION_MONTHS = {
    "党纪警告": 12,
    "党纪严重警告": 18,
    "撤销党内职务": 24,
    "留党察看": 24,
    "开除党籍": None,
    "政务警告": 6,
    "记过": 12,
    "记大过": 18,
    "降级": 24,
    "撤职": 24,
}

# Roster columns (key, default Chinese header). Flag columns follow 退休类别.
COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("id", "身份证号码"),
    ("birth", "出生年月"),
    ("political", "政治面貌"),
    ("join", "入党时间"),
    ("full", "转正时间"),
    ("education", "文化程度"),
    ("edu_mode", "学历类别"),
    ("township", "乡镇(街道)"),
    ("village", "村(社区)"),
    ("current", "现任职务"),
    ("proposed", "拟任职务"),
    ("channel", "推荐方式"),
    ("hukou", "是否本村户籍"),
    ("residence", "在村居住年限"),
    ("health", "健康状况"),
    ("pledge", "是否签订承诺书"),
    ("assessment", "上年度考核等次"),
    ("absent", "近一年外出月数"),
    ("vreview", "村级意见"),
    ("treview", "乡镇初审意见"),
    ("level", "岗位等级"),
    ("step", "档次"),
    ("terms", "任正职届数"),
    ("excellent", "考核优秀次数"),
    ("degree", "在职学历"),
    ("tags", "能力特长"),
    ("sanction_type", "处分类型"),
    ("sanction_date", "处分日期"),
    ("retire", "退休类别"),
    *[(nid, label) for nid, (label, _alias) in NEGATIVE_ITEMS.items()],
    ("phone", "联系电话"),
    ("note", "备注"),
]
DEFAULT_HEADERS = dict(COLUMNS)

# Each township's clerk has her own habits. date: how 出生年月/入党时间/转正时间/处分日期 are
# written (one form per column per sheet, as real clerks do).
#   dot2 "1985.03" text | dot1 "1985.3" text | cn "1985年3月" text | ym6 "198503" text
#   iso "1985-03-12" text | float 1985.03 / 1985.1 number (year.month) | date_iso / date_dot date cells
SHEET_STYLES: dict[str, dict] = {
    "金山街道": dict(date="dot2", headers={}, posts="short", flag_default="否", channel_alias={"个人自荐": "自荐"}),
    "马场坪街道": dict(
        date="date_iso",
        posts="long",
        flag_default="否",
        edu_alias={"本科": "大学本科", "大专": "大学专科"},
        headers={
            "id": "身份证号",
            "birth": "出生日期",
            "political": "政治面目",
            "education": "学历",
            "township": "乡镇",
            "village": "村(居)",
            "proposed": "拟任岗位",
            "channel": "推荐渠道",
            "assessment": "上年度考核结果",
            "join": "入党日期",
            "full": "转正日期",
        },
    ),
    "龙昌镇": dict(
        date="float",
        posts="short",
        flag_default=None,
        political_alias={"中共党员": "党员", "中共预备党员": "预备党员", "共青团员": "团员"},
        headers={
            "id": "公民身份号码",
            "current": "现任村职务",
            "proposed": "拟任村(社区)职务",
            "channel": "产生方式",
            "hukou": "本村户籍",
            "residence": "居住年限",
            "health": "身体状况",
            "pledge": "签订承诺书",
            "join": "入党年月",
            "full": "转正年月",
            "excellent": "年度考核优秀次数",
        },
    ),
    "牛场镇": dict(
        date="cn",
        posts="long",
        flag_default="否",
        review=("同意", "不同意"),
        headers={"residence": "在村居住年限(年)", "absent": "近一年外出时间(月)", "tags": "特长"},
    ),
    "道坪镇": dict(
        date="dot1",
        posts="short",
        flag_default="否",
        flag_alias=True,
        phone_as_number=True,
        move_phone_after="proposed",
        edu_alias={"大专": "专科"},
        assessment_alias={"称职": "合格", "基本称职": "基本合格"},
        headers={
            "id": "身份证件号码",
            "education": "最高学历",
            "edu_mode": "学习形式",
            "township": "乡(镇)",
            "village": "村名",
            "pledge": "是否签订换届纪律承诺书",
            "assessment": "年度考核等次",
            "absent": "外出时间(月)",
            "vreview": "村党组织意见",
            "treview": "乡镇党委意见",
            "level": "报酬等级",
            "step": "报酬档次",
            "terms": "正职届数",
            "excellent": "优秀次数",
            "tags": "人才类型",
            "sanction_type": "处分种类",
            "sanction_date": "处分时间",
        },
    ),
    "凤山镇": dict(
        date="date_dot",
        posts="long",
        flag_default=None,
        headers={
            "id": "公民身份证号码",
            "treview": "乡镇(街道)初审意见",
            "sanction_type": "受处分类型",
            "sanction_date": "受处分时间",
            "retire": "退休年龄类别",
        },
    ),
    "陆坪镇": dict(
        date="ym6",
        posts="short",
        flag_default="否",
        township_review_blank=True,
        note_dash=True,
        headers={"id": "身份证号", "education": "学历"},
    ),
    "仙桥乡": dict(date="iso", posts="short", flag_default="否", headers={"township": "乡镇", "village": "村"}),
}

# how two-row-header groups sit over the real headers (牛场镇 sheet)
HEADER_GROUPS = [("基本情况", "name", "birth"), ("审查意见", "vreview", "treview"), ("负面清单（是/否）", "N01", "N10")]

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of GB 11643."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id18(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def age_at(birth: dt.date, on: dt.date = AS_OF) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def months_between(a: dt.date, b: dt.date) -> int:
    """Whole months from a to b (a day-of-month not yet reached does not count)."""
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def random_day(rng: random.Random, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def ym(d: dt.date) -> str:
    return f"{d.year}-{d.month:02d}"


def post_group(post: str | None) -> str | None:
    if post in POSTS_PRINCIPAL:
        return "正职"
    if post in POSTS_DEPUTY:
        return "副职"
    if post == "委员":
        return "委员"
    return None


# --------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    gender: str
    ethnicity: str
    birth: dt.date
    id: str
    township: str
    village: str
    proposed: str  # canonical post
    proposed_text: str  # how the clerk wrote it
    current: str | None = None
    current_text: str | None = None
    political: str | None = None
    join: dt.date | None = None
    full: dt.date | None = None
    education: str = "高中"
    edu_mode: str | None = "全日制"
    degree: str | None = None  # 在职学历
    channel: str = "组织推荐"
    hukou: bool = True
    residence: float | None = None
    health: str = "健康"
    pledge: str | None = "是"
    assessment: str | None = None
    absent: int | None = None
    vreview: str | None = "通过"
    treview: str | None = "通过"
    level: int | None = None
    step: int | None = None
    terms: int | None = None
    excellent: int | None = None
    tags: str | None = None
    sanction_type: str | None = None  # as written
    sanction_canon: str | None = None
    sanction_date: dt.date | None = None
    retire: str | None = None
    flags: dict[str, str | None] = field(default_factory=dict)
    phone: str | None = None
    note: str | None = None
    raw: dict[str, tuple] = field(default_factory=dict)  # cell overrides (deliberate problems)
    issues: dict[str, str] = field(default_factory=dict)  # data problems the model knows of
    cases: list[str] = field(default_factory=list)
    guard: bool = False  # keeps its village's G01/G02 satisfied; no case may take it
    sheet_row: int = 0  # 1-based Excel row, set when written
    id15: str | None = None

    @property
    def age(self) -> int:
        return age_at(self.birth)

    @property
    def new_entrant(self) -> bool:
        return self.current is None


@dataclass
class Village:
    township: str
    name: str
    people: list[Person] = field(default_factory=list)

    @property
    def community(self) -> bool:
        return self.name.endswith("社区")

    @property
    def special(self) -> bool:
        return (self.township, self.name) in (G01_VILLAGE, G02_VILLAGE)


class IdRegistry:
    """Hands out unique, valid ID numbers."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(
        self,
        rng: random.Random,
        region: str,
        birth: dt.date,
        male: bool,
        check: str | None = None,
        digit_check: bool = False,
    ) -> str:
        while True:
            seq = rng.randrange(0, 1000)
            if (seq % 2 == 1) != male:
                continue
            number = id18(region, birth, seq)
            if number in self.used:
                continue
            if check is not None and number[-1] != check:
                continue
            if digit_check and number[-1] == "X":
                continue
            self.used.add(number)
            return number


# --------------------------------------------------------------------------------------
# Drawing values
# --------------------------------------------------------------------------------------


def draw_name(rng: random.Random, gender: str) -> str:
    pool = GIVEN_MALE if gender == "男" else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.75 else "")
    return weighted(rng, SURNAMES) + given


def draw_age(rng: random.Random, post: str, incumbent: bool, low: int | None = None) -> int:
    group = post_group(post) or "组长"
    if incumbent:
        lo, hi, mode = {"正职": (34, 54, 46), "副职": (30, 54, 42), "委员": (28, 54, 40), "组长": (32, 54, 47)}[group]
    else:
        lo, hi, mode = {"正职": (28, 44, 36), "副职": (25, 44, 33), "委员": (22, 44, 30), "组长": (25, 44, 35)}[group]
    if low is not None:
        lo, mode = max(lo, low), max(mode, low)
    return max(lo, min(hi, round(rng.triangular(lo, hi, mode))))


def birth_for_age(rng: random.Random, age: int, october_bias: bool = False) -> dt.date:
    year = AS_OF.year - age  # as-of is 31 December: everyone born that year has turned `age`
    month = 10 if october_bias and rng.random() < 0.3 else rng.randint(1, 12)
    return random_day(rng, year, month)


def draw_education(rng: random.Random, age: int, post: str, incumbent: bool) -> str:
    if age < 35:
        table = [("初中", 3), ("高中", 12), ("中专", 8), ("大专", 35), ("本科", 40), ("研究生", 2)]
    elif age < 45:
        table = [("初中", 10), ("高中", 25), ("中专", 15), ("大专", 35), ("本科", 15)]
    else:
        table = [("初中", 30), ("高中", 30), ("中专", 10), ("大专", 25), ("本科", 5)]
    while True:
        edu = weighted(rng, table)
        if post in POSTS_PRINCIPAL and not incumbent and EDU_RANK[edu] < 2:
            continue  # Q04: a new principal needs 高中/中专
        return edu


def draw_current_post(rng: random.Random, proposed: str) -> str:
    options = {
        "书记": [("书记", 8), ("副书记", 2)],
        "一肩挑": [("一肩挑", 6), ("书记", 3), ("主任", 1)],
        "主任": [("主任", 7), ("副主任", 3)],
        "副书记": [("副书记", 6), ("委员", 4)],
        "副主任": [("副主任", 6), ("委员", 4)],
        "委员": [("委员", 1)],
        "村民组长": [("村民组长", 1)],
    }[proposed]
    return weighted(rng, options)


def draw_party_dates(rng: random.Random, birth: dt.date) -> tuple[dt.date, dt.date]:
    age = age_at(birth)
    join_age = rng.randint(20, max(20, age - 4))
    year = min(birth.year + join_age, 2023)
    join = random_day(rng, year, rng.randint(1, 12))
    return join, add_months(join, 12)


def draw_level(rng: random.Random, current: str, proposed: str) -> tuple[int, int]:
    """Levels follow the current post, inside the proposed post's range where they overlap."""
    lo, hi = LEVEL_RANGE[post_group(current)]
    plo, phi = LEVEL_RANGE.get(post_group(proposed) or "", (lo, hi))
    if max(lo, plo) <= min(hi, phi):
        lo, hi = max(lo, plo), min(hi, phi)
    if post_group(current) == "委员":
        hi = min(hi, 11) if rng.random() < 0.85 else hi
    level = rng.randint(lo, hi)
    return level, rng.randint(1, 4 if level <= 2 else 3)


def post_text(rng: random.Random, post: str, party_member: bool, community: bool, style: str) -> str:
    if post == "委员":
        if party_member and rng.random() < 0.35:
            return "支委"
        if style == "long":
            return "居委会委员" if community else "村委委员"
        return "村委" if (not party_member and rng.random() < 0.4) else "委员"
    if style == "short":
        return post
    return {
        "书记": "社区党支部书记" if community else "党支部书记",
        "主任": "居委会主任" if community else "村委会主任",
        "一肩挑": "书记兼主任",
        "副书记": "党支部副书记",
        "副主任": "居委会副主任" if community else "村委会副主任",
        "村民组长": "村民小组长",
    }[post]


# --------------------------------------------------------------------------------------
# Making a person
# --------------------------------------------------------------------------------------


def make_person(rng: random.Random, ids: IdRegistry, village: Village, post: str, fix: dict | None = None) -> Person:
    """A fully eligible person for `post`, unless `fix` overrides some values."""
    fix = fix or {}
    style = SHEET_STYLES[village.township]

    def pick(key: str, draw: Callable[[], object]):
        return fix[key] if key in fix else draw()

    incumbent = pick("incumbent", lambda: rng.random() < INCUMBENT_PROB[post])
    current = pick("current", lambda: draw_current_post(rng, post) if incumbent else None)
    gender = pick("gender", lambda: "女" if rng.random() < FEMALE_PROB[post] else "男")
    if "birth" in fix:
        birth = fix["birth"]
    else:
        age = pick("age", lambda: draw_age(rng, post, current is not None, fix.get("min_age")))
        birth = birth_for_age(rng, age, october_bias=style["date"] == "float")
    age = age_at(birth)
    region = pick("region", lambda: weighted(rng, REGION_CODES))
    number = (
        fix["id"]
        if "id" in fix
        else ids.new(
            rng, region, birth, gender == "男", check=fix.get("check"), digit_check=fix.get("digit_check", False)
        )
    )

    party = post in PARTY_POSTS or (age >= 24 and rng.random() < PARTY_PROB.get(post, 0))
    if "political" in fix:
        political = fix["political"]
    elif party:
        political = "中共党员"
    elif age <= 28 and rng.random() < 0.6:
        political = "共青团员"
    elif post not in ("主任",) and age >= 24 and rng.random() < 0.08:
        political = "中共预备党员"
    else:
        political = "群众"
    join = full = None
    if political == "中共党员":
        join, full = draw_party_dates(rng, birth)
    elif political == "中共预备党员":
        join = random_day(rng, 2026, rng.randint(1, 10))
    join = fix.get("join", join)
    full = fix.get("full", full)

    education = pick("education", lambda: draw_education(rng, age, post, current is not None))
    college = EDU_RANK.get(education, 0) >= 3
    in_service_p = 0.45 if current is not None and age > 30 else 0.1
    edu_mode = pick("edu_mode", lambda: "在职" if college and rng.random() < in_service_p else "全日制")
    degree = pick("degree", lambda: education if edu_mode == "在职" and college else None)

    channel = pick("channel", lambda: weighted(rng, CHANNELS))
    hukou = pick("hukou", lambda: rng.random() < 0.93)
    residence = pick(
        "residence", lambda: rng.randint(max(1, age - 15), age) if hukou else rng.randint(2, max(2, min(15, age - 18)))
    )

    assessment = terms = excellent = level = step = None
    if current is not None:
        served = rng.randint(3, max(3, min(20, age - 23)))
        excellent = sum(rng.random() < 0.22 for _ in range(served))
        terms = rng.randint(1, max(1, served // 5)) if post_group(current) == "正职" else 0
        assessment = (
            "优秀" if rng.random() < (0.35 if excellent else 0.15) else ("称职" if rng.random() < 0.9 else "基本称职")
        )
        if post_group(current):
            level, step = draw_level(rng, current, post)
    assessment = fix.get("assessment", assessment)
    terms = fix.get("terms", terms)
    excellent = fix.get("excellent", excellent)
    level = fix.get("level", level)
    step = fix.get("step", step)

    tags = []
    if edu_mode == "全日制" and college and age < 40 and rng.random() < 0.6:
        tags.append("大学生")
    if rng.random() < 0.35:
        tags.append(rng.choice([t for t in TAGS if t != "大学生" and not (t == "退役军人" and gender == "女")]))
    retire = None
    if rng.random() < 0.3:
        retire = "男60" if gender == "男" else weighted(rng, [("女55", 5), ("女干部", 3), ("女工人", 2)])
    flag_default = style["flag_default"]
    flags = {nid: (flag_default if rng.random() < 0.96 else None) for nid in NEGATIVE_ITEMS}
    review_ok = style.get("review", ("通过", "不通过"))[0]

    person = Person(
        name=pick("name", lambda: draw_name(rng, gender)),
        gender=gender,
        ethnicity=weighted(rng, ETHNICITIES),
        birth=birth,
        id=number,
        township=village.township,
        village=village.name,
        proposed=post,
        proposed_text=pick(
            "proposed_text", lambda: post_text(rng, post, political == "中共党员", village.community, style["posts"])
        ),
        current=current,
        current_text=post_text(rng, current, political == "中共党员", village.community, style["posts"])
        if current
        else None,
        political=political,
        join=join,
        full=full,
        education=education,
        edu_mode=edu_mode,
        degree=degree,
        channel=channel,
        hukou=hukou,
        residence=residence,
        health=pick("health", lambda: "健康" if rng.random() < 0.8 else "良好"),
        pledge=fix.get("pledge", "是"),
        assessment=assessment,
        absent=pick("absent", lambda: weighted(rng, [("0", 55), ("", 25), ("1", 8), ("2", 7), ("3", 5)])),
        vreview=fix.get("vreview", review_ok),
        treview=fix.get("treview", None if style.get("township_review_blank") else review_ok),
        level=level,
        step=step,
        terms=terms,
        excellent=excellent,
        tags=fix.get("tags", "、".join(tags) or None),
        retire=fix.get("retire", retire),
        flags=flags,
        phone="1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
        if rng.random() < 0.9
        else None,
        note=rng.choice(NOTES)
        if rng.random() < 0.12
        else ("-" if style.get("note_dash") and rng.random() < 0.3 else None),
    )
    person.absent = int(person.absent) if person.absent not in ("", None) else None
    for nid, value in fix.get("flags", {}).items():
        person.flags[nid] = value
    if "sanction" in fix:
        person.sanction_type, person.sanction_canon, person.sanction_date = fix["sanction"]
    return person


# --------------------------------------------------------------------------------------
# The county
# --------------------------------------------------------------------------------------


def slate_posts(rng: random.Random, max_size: int = 9) -> list[str]:
    posts = ["一肩挑"] if rng.random() < 0.6 else ["书记", "主任"]
    posts += rng.sample(["副书记", "副主任"], k=rng.choice([1, 2, 2]))
    posts += ["委员"] * rng.randint(2, 4)
    if rng.random() < 0.5:
        posts += ["村民组长"] * rng.choice([1, 1, 2])
    while len(posts) < 5:
        posts.insert(len(posts) - posts.count("村民组长"), "委员")
    return posts[:max_size]


def build_village(rng: random.Random, ids: IdRegistry, village: Village) -> None:
    fix: dict = {}
    if (village.township, village.name) == G01_VILLAGE:
        fix = {"min_age": 36}
    if (village.township, village.name) == G02_VILLAGE:
        fix = {"gender": "男"}
    max_size = CSV_TOWNSHIP_MAX_SLATE if village.township == CSV_TOWNSHIP else 9
    village.people = [make_person(rng, ids, village, post, dict(fix)) for post in slate_posts(rng, max_size)]
    if village.special:
        return
    # guards: at least one woman and one person under 35 who no case may touch
    women = [p for p in village.people if p.gender == "女"]
    young = [p for p in village.people if p.age < 35]
    if not women or not young:
        slot = next(
            i
            for i in range(len(village.people) - 1, -1, -1)
            if village.people[i].proposed in ("委员", "副主任", "副书记")
        )
        old = village.people[slot]
        ids.used.discard(old.id)
        fix = {"age": rng.randint(25, 33), "gender": "女"}
        village.people[slot] = make_person(rng, ids, village, old.proposed, fix)
    women = [p for p in village.people if p.gender == "女"]
    young = [p for p in village.people if p.age < 35]
    women[0].guard = True
    young[0].guard = True


def build_county(rng: random.Random, ids: IdRegistry) -> dict[str, list[Village]]:
    county: dict[str, list[Village]] = {}
    for township, _unit, names in TOWNSHIPS:
        county[township] = []
        for name in names:
            village = Village(township, name)
            build_village(rng, ids, village)
            county[township].append(village)
    return county


# --------------------------------------------------------------------------------------
# Deliberate cases
# --------------------------------------------------------------------------------------


@dataclass
class Case:
    cid: str
    sheet: str
    posts: tuple[str, ...]  # a slot with one of these proposed posts is taken over
    what: str  # short Chinese / English description
    expect: str  # status without evidence: eligible | review | ineligible
    rules: str  # expected rule ids without evidence ("" = none)
    fix: dict = field(default_factory=dict)
    edit: Callable[[Person, random.Random, IdRegistry], None] | None = None
    group: str = "roster"  # roster | noise | evidence | pay | pension | tuition | career
    person: Person | None = None


def d(y: int, m: int, day: int = 15) -> dt.date:
    return dt.date(y, m, day)


def set_raw(col: str, cell: tuple, issue: str | None = None, note: str = ""):
    def edit(p: Person, _rng: random.Random, _ids: IdRegistry) -> None:
        p.raw[col] = cell
        if issue:
            p.issues[issue] = note

    return edit


def edit_wrong_check(p: Person, _rng, _ids) -> None:
    wrong = ID_CHECK[(ID_CHECK.index(p.id[-1]) + 3) % 11]
    p.raw["id"] = ("s", p.id[:17] + wrong)
    p.issues["D01"] = "check character"


def edit_invalid_date(p: Person, _rng, _ids) -> None:
    body = f"{p.id[:6]}{p.birth.year}0230{p.id[14:17]}"  # 30 February
    p.raw["id"] = ("s", body + check_char(body))
    p.issues["D01"] = "date 30 February"


def excel_15_digits(number: str) -> float:
    return float(number[:15] + "000")


def edit_float_general(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("n", excel_15_digits(p.id), "general")
    p.issues["D02"] = "float cell, shows 5.22702E+17"


def edit_float_zero(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("n", excel_15_digits(p.id), "zero")
    p.issues["D02"] = "float cell with number format 0, shows 18 digits ending 000"


def edit_gender_mismatch(p: Person, _rng, _ids) -> None:
    p.raw["gender"] = ("s", "女" if p.gender == "男" else "男")
    p.issues["D03"] = f"ID says {p.gender}"


def edit_birth_mismatch(p: Person, _rng, _ids) -> None:
    p.raw["birth"] = ("date_of", dt.date(p.birth.year - 1, p.birth.month, 1))
    p.issues["D04"] = "year off by one"


def edit_birth_month_off(p: Person, _rng, _ids) -> None:
    p.raw["birth"] = ("date_of", dt.date(p.birth.year, p.birth.month % 12 + 1 if p.birth.month != 12 else 10, 1))
    p.issues["D04"] = "month off"


def edit_short_id(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("s", p.id[:10] + p.id[11:])
    p.issues["D01"] = "17 characters"


def edit_bad_channel(p: Person, _rng, _ids) -> None:
    p.raw["channel"] = ("s", "乡镇推荐")
    p.issues["D07"] = "推荐方式 outside vocabulary"


def edit_fifteen_digits(p: Person, rng: random.Random, ids: IdRegistry) -> None:
    ids.used.discard(p.id)
    while True:
        seq = rng.randrange(1, 1000, 2)  # odd = male
        old = f"{p.id[:6]}{p.birth:%y%m%d}{seq:03d}"
        new = id18(p.id[:6], p.birth, seq)
        if new not in ids.used:
            break
    ids.used.add(new)
    p.id, p.id15 = new, old
    p.raw["id"] = ("s", old)
    p.issues["D08"] = "15-digit"


def edit_fullwidth_id(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("s", p.id.translate(FULLWIDTH))


def edit_partial_fullwidth_id(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("s", p.id[:14] + p.id[14:].translate(FULLWIDTH))


def edit_lower_x(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("s", p.id[:17] + "x")


def edit_spaces_id(p: Person, _rng, _ids) -> None:
    p.raw["id"] = ("s", "\u3000" + p.id + " ")


def edit_name_trailing_space(p: Person, _rng, _ids) -> None:
    p.raw["name"] = ("s", p.name + "\u3000")


def edit_name_aligned(p: Person, _rng, _ids) -> None:
    p.raw["name"] = ("s", p.name[0] + "\u3000" + p.name[1:])


def edit_duplicate(p: Person, _rng, _ids) -> None:
    p.issues["D05"] = "same ID in two sheets"


def edit_blank_political(p: Person, _rng, _ids) -> None:
    p.political = None
    p.issues["D06"] = "政治面貌 blank for a party post"


def edit_bad_education(p: Person, _rng, _ids) -> None:
    p.raw["education"] = ("s", "大学肄业")
    p.education = "大学肄业"
    p.edu_mode = "全日制"
    p.issues["D07"] = "文化程度 outside vocabulary"


def edit_support_table(p: Person, _rng, _ids) -> None:
    """Nothing to change: the person is a target for evidence, pay, pension, ... files."""


def sanction(written: str, canon: str, when: dt.date) -> tuple[str, str, dt.date]:
    return (written, canon, when)


CASES: list[Case] = [
    # ---- qualification conditions (Q) -------------------------------------------------
    Case(
        "Q01-a",
        "金山街道",
        ("委员",),
        "17岁，未满18周岁 / aged 17",
        "ineligible",
        "Q01",
        {
            "incumbent": False,
            "current": None,
            "birth": d(2009, 5, 8),
            "education": "高中",
            "political": "共青团员",
            "gender": "男",
        },
    ),
    Case(
        "Q01-b",
        "道坪镇",
        ("委员",),
        "2008-12-31出生，基准日当天满18周岁（不应命中）/ turns 18 on the as-of day: no hit",
        "eligible",
        "",
        {"incumbent": False, "current": None, "birth": d(2008, 12, 31), "education": "高中", "political": "共青团员"},
    ),
    Case(
        "Q02-a",
        "陆坪镇",
        ("村民组长",),
        "村民组长62岁 / group leader aged 62",
        "ineligible",
        "Q02",
        {"incumbent": True, "current": "村民组长", "birth": d(1964, 7, 20), "gender": "男", "education": "初中"},
    ),
    Case(
        "Q02-b",
        "马场坪街道",
        ("委员",),
        "留任委员61岁（亦超留任55岁）/ incumbent member aged 61",
        "ineligible",
        "Q02 Q03",
        {
            "incumbent": True,
            "current": "委员",
            "birth": d(1965, 3, 9),
            "gender": "男",
            "education": "初中",
            "retire": "男60",
            "level": 9,
            "step": 2,
        },
    ),
    Case(
        "Q02-c",
        "龙昌镇",
        ("村民组长",),
        "村民组长1966-12-31出生，恰满60周岁（不应命中）/ exactly 60: no hit",
        "eligible",
        "",
        {"incumbent": True, "current": "村民组长", "birth": d(1966, 12, 31), "gender": "男", "education": "初中"},
    ),
    Case(
        "Q03-a",
        "金山街道",
        ("委员",),
        "新进人选47岁 / new entrant aged 47",
        "review",
        "Q03",
        {"incumbent": False, "current": None, "age": 47, "education": "高中"},
    ),
    Case(
        "Q03-b",
        "牛场镇",
        ("主任",),
        "留任主任57岁 / incumbent 主任 aged 57",
        "review",
        "Q03",
        {"incumbent": True, "current": "主任", "age": 57, "education": "高中", "gender": "男", "level": 4, "step": 2},
    ),
    Case(
        "Q03-c",
        "凤山镇",
        ("副主任",),
        "新进人选1981-12-31出生，恰满45周岁（不应命中）/ new entrant exactly 45: no hit",
        "eligible",
        "",
        {"incumbent": False, "current": None, "birth": d(1981, 12, 31), "education": "大专"},
    ),
    Case(
        "Q04-a",
        "马场坪街道",
        ("主任",),
        "新进主任初中学历 / new 主任 with 初中",
        "review",
        "Q04",
        {"incumbent": False, "current": None, "education": "初中", "political": "群众", "age": 41},
    ),
    Case(
        "Q04-b",
        "道坪镇",
        ("一肩挑",),
        "新进一肩挑初中学历 / new 一肩挑 with 初中",
        "review",
        "Q04",
        {"incumbent": False, "current": None, "education": "初中", "age": 43},
    ),
    Case(
        "Q05-a",
        "龙昌镇",
        ("委员",),
        "委员小学学历 / member with 小学",
        "review",
        "Q05",
        {"education": "小学", "political": "群众", "age": 44, "incumbent": False, "current": None},
    ),
    Case(
        "Q05-b",
        "凤山镇",
        ("主任",),
        "留任主任小学学历 / incumbent 主任 with 小学",
        "review",
        "Q05",
        {"incumbent": True, "current": "主任", "education": "小学", "age": 52, "level": 3, "step": 2},
    ),
    Case(
        "Q05-c",
        "仙桥乡",
        ("委员",),
        "委员小学学历 / member with 小学",
        "review",
        "Q05",
        {
            "education": "小学",
            "political": "群众",
            "age": 40,
            "incumbent": True,
            "current": "委员",
            "level": 10,
            "step": 1,
        },
    ),
    Case(
        "Q06-a",
        "金山街道",
        ("书记",),
        "拟任书记为中共预备党员 / proposed 书记 is a probationary member",
        "ineligible",
        "Q06",
        {
            "political": "中共预备党员",
            "join": d(2026, 4, 1),
            "full": None,
            "incumbent": False,
            "current": None,
            "education": "大专",
            "age": 33,
        },
    ),
    Case(
        "Q06-b",
        "龙昌镇",
        ("委员",),
        "写作“支委”但为群众 / written 支委 but not a party member",
        "ineligible",
        "Q06",
        {"political": "群众", "proposed_text": "支委", "incumbent": False, "current": None},
    ),
    Case(
        "Q06-c",
        "道坪镇",
        ("副书记",),
        "拟任副书记为共青团员 / proposed 副书记 is a Youth League member",
        "ineligible",
        "Q06",
        {
            "political": "共青团员",
            "join": None,
            "full": None,
            "age": 27,
            "incumbent": False,
            "current": None,
            "education": "本科",
        },
    ),
    Case(
        "Q07-a",
        "马场坪街道",
        ("书记",),
        "书记2026-07转正，党龄不满1年 / party age under 1 year",
        "ineligible",
        "Q07",
        {
            "political": "中共党员",
            "join": d(2025, 7, 1),
            "full": d(2026, 7, 1),
            "incumbent": False,
            "current": None,
            "education": "本科",
            "age": 31,
        },
    ),
    Case(
        "Q07-b",
        "牛场镇",
        ("一肩挑",),
        "一肩挑2025-10入党、转正时间空白（入党+1年=2026-10）/ joined 2025-10, 转正 blank",
        "ineligible",
        "Q07",
        {
            "political": "中共党员",
            "join": d(2025, 10, 1),
            "full": None,
            "incumbent": False,
            "current": None,
            "education": "大专",
            "age": 35,
        },
    ),
    Case(
        "Q08-a",
        "龙昌镇",
        ("副主任",),
        "非本村户籍，居住0.5年 / not local, 0.5 years in the village",
        "review",
        "Q08",
        {"hukou": False, "residence": 0.5},
    ),
    Case(
        "Q08-b",
        "凤山镇",
        ("委员",),
        "非本村户籍，居住0年 / not local, 0 years",
        "review",
        "Q08",
        {"hukou": False, "residence": 0},
    ),
    Case(
        "Q08-c",
        "凤山镇",
        ("委员",),
        "非本村户籍但居住3年（不应命中）/ not local but 3 years: no hit",
        "eligible",
        "",
        {"hukou": False, "residence": 3},
    ),
    Case(
        "Q09-a",
        "金山街道",
        ("委员",),
        "健康状况：患有严重疾病 / serious illness",
        "ineligible",
        "Q09",
        {"health": "患有严重疾病"},
    ),
    Case(
        "Q09-b",
        "牛场镇",
        ("村民组长",),
        "健康状况：丧失劳动能力 / unable to work",
        "ineligible",
        "Q09",
        {"health": "丧失劳动能力"},
    ),
    Case(
        "Q10-a", "马场坪街道", ("委员",), "未签订承诺书（否）/ pledge not signed", "ineligible", "Q10", {"pledge": "否"}
    ),
    Case(
        "Q10-b",
        "牛场镇",
        ("委员",),
        "承诺书栏空白 / pledge blank (Q10 review, may show as D06)",
        "review",
        "Q10",
        {"pledge": None},
    ),
    # ---- review refusals (S01) ----------------------------------------------------------
    Case(
        "S01-a",
        "龙昌镇",
        ("委员",),
        "村级意见：不通过 / village level refused",
        "ineligible",
        "S01",
        {"vreview": "不通过"},
    ),
    Case(
        "S01-b",
        "牛场镇",
        ("副主任",),
        "乡镇初审意见：不同意 / township refused (alias 不同意)",
        "ineligible",
        "S01",
        {"treview": "不同意"},
    ),
    # ---- negative list (N) from the roster itself ---------------------------------------
    Case("N01-a", "金山街道", ("委员",), "受过刑事处罚：是", "ineligible", "N01", {"flags": {"N01": "是"}}),
    Case("N01-b", "仙桥乡", ("村民组长", "委员"), "受过刑事处罚：是", "ineligible", "N01", {"flags": {"N01": "是"}}),
    Case("N02-a", "马场坪街道", ("副主任",), "涉黑涉恶：是", "ineligible", "N02", {"flags": {"N02": "是"}}),
    Case(
        "N03-a",
        "马场坪街道",
        ("委员",),
        "党内严重警告，2026-03-18，18个月影响期内 / within 18 months",
        "ineligible",
        "N03",
        {
            "political": "中共党员",
            "flags": {"N03": "是"},
            "sanction": sanction("党内严重警告", "党纪严重警告", d(2026, 3, 18)),
        },
    ),
    Case(
        "N03-b",
        "凤山镇",
        ("副主任",),
        "记过处分，2026-04，12个月影响期内 / within 12 months",
        "ineligible",
        "N03",
        {"flags": {"N03": "是"}, "sanction": sanction("记过处分", "记过", d(2026, 4, 7))},
    ),
    Case(
        "N03-c",
        "龙昌镇",
        ("委员",),
        "2012-10开除党籍，始终有影响（日期写作数值2012.1）/ expelled 2012-10, always",
        "ineligible",
        "N03",
        {
            "political": "群众",
            "join": None,
            "full": None,
            "incumbent": False,
            "current": None,
            "age": 43,
            "flags": {"N03": "是"},
            "sanction": sanction("开除党籍", "开除党籍", d(2012, 10, 16)),
        },
    ),
    Case(
        "N03-x1",
        "马场坪街道",
        ("委员",),
        "行政警告2025-11-05，已过6个月影响期（不应命中）/ 政务警告 expired: no hit",
        "eligible",
        "",
        {"flags": {"N03": "否"}, "sanction": sanction("行政警告", "政务警告", d(2025, 11, 5))},
    ),
    Case(
        "N03-x2",
        "凤山镇",
        ("委员",),
        "党纪警告2025-08，已过12个月影响期（不应命中）/ 党纪警告 expired: no hit",
        "eligible",
        "",
        {"political": "中共党员", "flags": {"N03": None}, "sanction": sanction("党内警告", "党纪警告", d(2025, 8, 20))},
    ),
    Case("N04-a", "龙昌镇", ("副书记",), "正在被立案审查调查：是", "ineligible", "N04", {"flags": {"N04": "是"}}),
    Case("N05-a", "牛场镇", ("委员",), "参与非法宗教邪教黄赌毒：是", "ineligible", "N05", {"flags": {"N05": "是"}}),
    Case("N06-a", "金山街道", ("副主任",), "拉票贿选：是", "ineligible", "N06", {"flags": {"N06": "是"}}),
    Case(
        "N07-a",
        "龙昌镇",
        ("委员",),
        "违法信访被处理：是（无日期，视为命中）",
        "ineligible",
        "N07",
        {"flags": {"N07": "是"}},
    ),
    Case(
        "N08-a",
        "牛场镇",
        ("委员",),
        "考核不称职：是（上年度考核不称职）",
        "ineligible",
        "N08",
        {"incumbent": True, "current": "委员", "assessment": "不称职", "flags": {"N08": "是"}},
    ),
    Case("N09-a", "马场坪街道", ("委员",), "近一年外出8个月 / away 8 months", "ineligible", "N09", {"absent": 8}),
    Case(
        "N09-b",
        "牛场镇",
        ("副主任",),
        "近一年外出恰6个月（命中）/ away exactly 6 months: hit",
        "ineligible",
        "N09",
        {"absent": 6},
    ),
    Case(
        "N09-x",
        "道坪镇",
        ("委员",),
        "近一年外出5个月（不应命中）/ away 5 months: no hit",
        "eligible",
        "",
        {"absent": 5},
    ),
    Case(
        "N10-a",
        "道坪镇",
        ("委员",),
        "失信被执行人：是（本表用别名列头）",
        "ineligible",
        "N10",
        {"flags": {"N10": "是"}},
    ),
    # ---- data problems (D) ---------------------------------------------------------------
    Case(
        "D01-a",
        "金山街道",
        ("委员",),
        "身份证校验码错误 / wrong check character",
        "review",
        "D01",
        {"digit_check": True},
        edit_wrong_check,
    ),
    Case(
        "D01-b",
        "陆坪镇",
        ("委员",),
        "身份证出生日期为2月30日 / ID date 30 February",
        "review",
        "D01",
        {"birth": d(1987, 2, 14)},
        edit_invalid_date,
    ),
    Case(
        "D02-a",
        "仙桥乡",
        ("副主任", "委员"),
        "身份证存成数值，显示5.22702E+17（CSV中即为该文本）/ ID as a float",
        "review",
        "D02",
        {"digit_check": True},
        edit_float_general,
    ),
    Case(
        "D02-b",
        "马场坪街道",
        ("委员",),
        "身份证存成数值、格式为0，显示末三位000 / float shown with trailing 000",
        "review",
        "D02",
        {"digit_check": True},
        edit_float_zero,
    ),
    Case(
        "D03-a",
        "马场坪街道",
        ("委员",),
        "性别填“女”，身份证为男性 / gender column disagrees with ID",
        "review",
        "D03",
        {"gender": "男"},
        edit_gender_mismatch,
    ),
    Case(
        "D04-a",
        "龙昌镇",
        ("委员",),
        "出生年月比身份证早一年 / birth column one year off",
        "review",
        "D04",
        {},
        edit_birth_mismatch,
    ),
    Case(
        "D05-a",
        "金山街道",
        ("委员",),
        "同一身份证号亦出现在龙昌镇表（D05-b）/ same ID as D05-b",
        "review",
        "D05",
        {"incumbent": False, "current": None, "age": 29, "gender": "男", "education": "本科", "edu_mode": "全日制"},
        edit_duplicate,
    ),
    Case(
        "D05-b",
        "龙昌镇",
        ("委员",),
        "同一身份证号亦出现在金山街道表（D05-a）/ same ID as D05-a",
        "review",
        "D05",
        {"incumbent": False, "current": None},
        edit_duplicate,
    ),
    Case(
        "D06-a",
        "牛场镇",
        ("书记",),
        "拟任书记政治面貌空白 / 政治面貌 blank for 书记",
        "review",
        "D06",
        {},
        edit_blank_political,
    ),
    Case(
        "D07-a",
        "道坪镇",
        ("委员",),
        "文化程度“大学肄业”不在词表中（可能伴随D06）/ education outside vocabulary",
        "review",
        "D07",
        {"age": 38},
        edit_bad_education,
    ),
    Case(
        "D08-a",
        "道坪镇",
        ("委员",),
        "15位旧身份证号（提示，转为18位）/ 15-digit ID (info only)",
        "eligible",
        "D08",
        {"incumbent": True, "current": "委员", "birth": d(1975, 8, 12), "gender": "男", "level": 9, "step": 1},
        edit_fifteen_digits,
    ),
    # ---- second instances, as a real county roster has ------------------------------------
    Case(
        "Q03-d",
        "仙桥乡",
        ("副主任", "委员"),
        "留任人选56岁 / incumbent aged 56",
        "review",
        "Q03",
        {"incumbent": True, "current": "副主任", "age": 56, "education": "高中", "level": 6, "step": 2},
    ),
    Case(
        "Q03-e",
        "陆坪镇",
        ("委员",),
        "新进人选46岁 / new entrant aged 46",
        "review",
        "Q03",
        {"incumbent": False, "current": None, "age": 46, "education": "初中"},
    ),
    Case(
        "Q03-f",
        "凤山镇",
        ("书记", "一肩挑"),
        "留任书记58岁 / incumbent 书记 aged 58",
        "review",
        "Q03",
        {"incumbent": True, "current": "书记", "age": 58, "education": "高中", "level": 2, "step": 3},
    ),
    Case(
        "Q04-c",
        "金山街道",
        ("书记", "一肩挑"),
        "新进书记初中学历 / new 书记 with 初中",
        "review",
        "Q04",
        {"incumbent": False, "current": None, "education": "初中", "age": 42},
    ),
    Case(
        "Q06-d",
        "马场坪街道",
        ("副书记",),
        "拟任副书记为群众 / proposed 副书记 not a party member",
        "ineligible",
        "Q06",
        {"political": "群众", "incumbent": False, "current": None},
    ),
    Case(
        "Q08-d",
        "仙桥乡",
        ("委员",),
        "非本村户籍，居住0.5年 / not local, 0.5 years",
        "review",
        "Q08",
        {"hukou": False, "residence": 0.5},
    ),
    Case(
        "Q09-c",
        "陆坪镇",
        ("委员",),
        "健康状况：患有严重疾病（尿毒症）/ serious illness",
        "ineligible",
        "Q09",
        {"health": "患有严重疾病（尿毒症）"},
    ),
    Case(
        "Q10-c",
        "凤山镇",
        ("副主任", "委员"),
        "未签订承诺书（否）/ pledge not signed",
        "ineligible",
        "Q10",
        {"pledge": "否"},
    ),
    Case(
        "S01-c",
        "仙桥乡",
        ("委员",),
        "村级意见：不通过 / village level refused",
        "ineligible",
        "S01",
        {"vreview": "不通过"},
    ),
    Case("N02-b", "牛场镇", ("委员", "村民组长"), "涉黑涉恶：是", "ineligible", "N02", {"flags": {"N02": "是"}}),
    Case(
        "N04-b",
        "道坪镇",
        ("副主任", "委员"),
        "立案审查调查（别名列）：是",
        "ineligible",
        "N04",
        {"flags": {"N04": "是"}},
    ),
    Case("N05-b", "陆坪镇", ("委员",), "参与非法宗教邪教黄赌毒：是", "ineligible", "N05", {"flags": {"N05": "是"}}),
    Case("N06-b", "仙桥乡", ("委员", "副主任"), "拉票贿选：是", "ineligible", "N06", {"flags": {"N06": "是"}}),
    Case("N07-b", "金山街道", ("委员",), "违法信访被处理：是", "ineligible", "N07", {"flags": {"N07": "是"}}),
    Case(
        "N08-b",
        "凤山镇",
        ("委员",),
        "考核不称职或被罢免：是",
        "ineligible",
        "N08",
        {"incumbent": True, "current": "委员", "assessment": "不称职", "flags": {"N08": "是"}},
    ),
    Case(
        "N09-c", "陆坪镇", ("委员", "副主任"), "近一年外出10个月 / away 10 months", "ineligible", "N09", {"absent": 10}
    ),
    Case(
        "N10-b", "龙昌镇", ("委员", "村民组长"), "失信或侵占集体资产：是", "ineligible", "N10", {"flags": {"N10": "是"}}
    ),
    Case(
        "D01-c",
        "牛场镇",
        ("委员",),
        "身份证只有17位（漏一位）/ ID with 17 characters",
        "review",
        "D01",
        {},
        edit_short_id,
    ),
    Case(
        "D03-b",
        "凤山镇",
        ("委员",),
        "性别填“男”，身份证为女性 / gender column disagrees with ID",
        "review",
        "D03",
        {"gender": "女"},
        edit_gender_mismatch,
    ),
    Case(
        "D04-b",
        "金山街道",
        ("委员", "副主任"),
        "出生年月月份与身份证不符 / birth month differs from ID",
        "review",
        "D04",
        {},
        edit_birth_month_off,
    ),
    Case(
        "D06-b",
        "马场坪街道",
        ("一肩挑", "书记"),
        "拟任一肩挑政治面貌空白 / 政治面貌 blank for 一肩挑",
        "review",
        "D06",
        {},
        edit_blank_political,
    ),
    Case(
        "D07-b",
        "龙昌镇",
        ("委员", "副主任"),
        "推荐方式“乡镇推荐”不在五荐之列 / channel outside vocabulary",
        "review",
        "D07",
        {},
        edit_bad_channel,
    ),
    # ---- normalisation that must NOT produce findings ------------------------------------
    Case(
        "NZ-1",
        "牛场镇",
        ("委员", "副主任"),
        "身份证全角数字 / full-width digits in ID",
        "eligible",
        "",
        {},
        edit_fullwidth_id,
        "noise",
    ),
    Case(
        "NZ-2",
        "金山街道",
        ("委员", "副主任"),
        "身份证校验码为小写x / lower-case x",
        "eligible",
        "",
        {"check": "X"},
        edit_lower_x,
        "noise",
    ),
    Case(
        "NZ-3",
        "道坪镇",
        ("委员", "副书记"),
        "身份证前后有全角空格U+3000和半角空格 / U+3000 around ID",
        "eligible",
        "",
        {},
        edit_spaces_id,
        "noise",
    ),
    Case(
        "NZ-4",
        "陆坪镇",
        ("委员", "副主任"),
        "身份证后四位全角 / last four characters full-width",
        "eligible",
        "",
        {},
        edit_partial_fullwidth_id,
        "noise",
    ),
    Case(
        "NZ-5",
        "金山街道",
        ("委员", "副主任"),
        "姓名末尾全角空格 / U+3000 after the name",
        "eligible",
        "",
        {},
        edit_name_trailing_space,
        "noise",
    ),
    Case(
        "NZ-6",
        "马场坪街道",
        ("委员", "副主任"),
        "两字姓名中间全角空格对齐（王　芳式）/ aligned 2-char name",
        "eligible",
        "",
        {"name": "王芳", "gender": "女"},
        edit_name_aligned,
        "noise",
    ),
    Case(
        "NZ-7",
        "龙昌镇",
        ("委员", "副主任"),
        "出生年月为数值1990.1，即1990年10月（不应报D04）/ 1990.1 = October",
        "eligible",
        "",
        {"birth": d(1990, 10, 21)},
        None,
        "noise",
    ),
    # ---- evidence targets (clean on the roster) -------------------------------------------
    Case("EV-1", "金山街道", ("委员",), "公安：受过刑事处罚", "eligible", "", {}, None, "evidence"),
    Case("EV-2", "马场坪街道", ("副主任", "委员"), "公安：村霸", "eligible", "", {}, None, "evidence"),
    Case("EV-3", "凤山镇", ("委员",), "公安：N07，2023-06-15（5年内）", "eligible", "", {}, None, "evidence"),
    Case(
        "EV-4",
        "凤山镇",
        ("委员", "副主任"),
        "公安：违法信访被处理，2019-04-10（超过5年）",
        "eligible",
        "",
        {},
        None,
        "evidence",
    ),
    Case(
        "EV-5",
        "陆坪镇",
        ("委员",),
        "公安：姓名不一致（花名册张敏，记录张明），N07 2020-08（超过5年）",
        "eligible",
        "",
        {"name": "张敏", "gender": "女"},
        None,
        "evidence",
    ),
    Case(
        "EV-7",
        "道坪镇",
        ("副主任", "委员"),
        "公安：贿选；花名册校验码X，记录写小写x",
        "eligible",
        "",
        {"check": "X"},
        None,
        "evidence",
    ),
    Case(
        "EV-8",
        "金山街道",
        ("委员", "副书记"),
        "纪委监委：党内严重警告处分，2026-02-10（18个月内）",
        "eligible",
        "",
        {"political": "中共党员"},
        None,
        "evidence",
    ),
    Case(
        "EV-9",
        "马场坪街道",
        ("委员",),
        "纪委监委：政务警告处分，2025-09-01（已过6个月）",
        "eligible",
        "",
        {},
        None,
        "evidence",
    ),
    Case(
        "EV-10",
        "龙昌镇",
        ("委员", "副主任"),
        "纪委监委：留党察看一年处分，2025-05-20（24个月内）",
        "eligible",
        "",
        {"political": "中共党员"},
        None,
        "evidence",
    ),
    Case("EV-11", "牛场镇", ("委员",), "纪委监委：正在被立案审查调查", "eligible", "", {}, None, "evidence"),
    Case(
        "EV-12",
        "凤山镇",
        ("委员", "副主任"),
        "纪委监委：不合格党员",
        "eligible",
        "",
        {"political": "中共党员"},
        None,
        "evidence",
    ),
    Case(
        "EV-13",
        "陆坪镇",
        ("委员", "副主任"),
        "纪委监委：N03，说明未写处分类型（无法判断影响期→待核实）",
        "eligible",
        "",
        {"political": "中共党员"},
        None,
        "evidence",
    ),
    # ---- pay ------------------------------------------------------------------------------
    Case(
        "P01",
        "凤山镇",
        ("委员",),
        "委员岗位等级3级（委员应为8–13级）/ level outside the 委员 range",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "level": 3, "step": 1},
        None,
        "pay",
    ),
    Case(
        "P02",
        "金山街道",
        ("主任",),
        "5级4档（3–13级只有1–3档）/ level 5 has no step 4",
        "eligible",
        "",
        {"incumbent": True, "current": "主任", "level": 5, "step": 4, "age": 48},
        None,
        "pay",
    ),
    Case(
        "P03",
        "龙昌镇",
        ("一肩挑",),
        "1级4档、在职本科、优秀、11月奖励300 → 5511.60，高于5400 / above band",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "一肩挑",
            "level": 1,
            "step": 4,
            "education": "本科",
            "edu_mode": "在职",
            "degree": "本科",
            "assessment": "优秀",
            "age": 49,
            "terms": 2,
            "excellent": 3,
        },
        None,
        "pay",
    ),
    Case(
        "P04",
        "马场坪街道",
        ("委员",),
        "13级1档、称职 → 2400.00，低于3200 / below band",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "委员",
            "level": 13,
            "step": 1,
            "assessment": "称职",
            "education": "高中",
            "edu_mode": "全日制",
            "degree": None,
        },
        None,
        "pay",
    ),
    # ---- pension --------------------------------------------------------------------------
    Case(
        "PEN-1",
        "金山街道",
        ("委员",),
        "女，1972-03出生（女55），2019-01起缴",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "委员",
            "gender": "女",
            "birth": d(1972, 3, 6),
            "retire": None,
            "education": "高中",
            "edu_mode": "全日制",
            "degree": None,
        },
        None,
        "pension",
    ),
    Case(
        "PEN-3",
        "马场坪街道",
        ("委员",),
        "女，1976-05出生，退休类别“女工人”（女50）",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "委员",
            "gender": "女",
            "birth": d(1976, 5, 3),
            "retire": "女工人",
            "education": "初中",
        },
        None,
        "pension",
    ),
    Case(
        "PEN-4",
        "龙昌镇",
        ("副主任", "委员"),
        "男，1985-06出生，2012-01至今",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "gender": "男", "birth": d(1985, 6, 17)},
        None,
        "pension",
    ),
    Case(
        "PEN-5",
        "牛场镇",
        ("一肩挑", "书记"),
        "男，1972-02出生，2004-01至今",
        "eligible",
        "",
        {"incumbent": True, "current": "书记", "gender": "男", "birth": d(1972, 2, 25)},
        None,
        "pension",
    ),
    Case(
        "PEN-6",
        "道坪镇",
        ("副主任", "委员"),
        "男，1980-09出生，三段重叠缴费",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "gender": "男", "birth": d(1980, 9, 2)},
        None,
        "pension",
    ),
    Case(
        "PEN-7",
        "凤山镇",
        ("委员",),
        "女，1978-04出生，2024-06后断缴",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "gender": "女", "birth": d(1978, 4, 11), "retire": None},
        None,
        "pension",
    ),
    # ---- tuition --------------------------------------------------------------------------
    Case(
        "TU-1",
        "金山街道",
        ("副主任", "委员"),
        "在职本科，学费9600.00",
        "eligible",
        "",
        {"incumbent": True, "current": "副主任", "education": "本科", "edu_mode": "在职", "degree": "本科", "age": 38},
        None,
        "tuition",
    ),
    Case(
        "TU-2",
        "马场坪街道",
        ("一肩挑", "书记"),
        "在职研究生，学费24000.00",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "书记",
            "education": "研究生",
            "edu_mode": "在职",
            "degree": "研究生",
            "age": 42,
        },
        None,
        "tuition",
    ),
    Case(
        "TU-3",
        "牛场镇",
        ("委员",),
        "在职本科，学费7777.77（半数3888.885→3888.89）",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "education": "本科", "edu_mode": "在职", "degree": "本科", "age": 36},
        None,
        "tuition",
    ),
    Case(
        "TU-4",
        "凤山镇",
        ("副书记", "副主任", "委员"),
        "在职研究生，学费10000.00（2/3→6666.67）",
        "eligible",
        "",
        {
            "incumbent": True,
            "current": "委员",
            "education": "研究生",
            "edu_mode": "在职",
            "degree": "研究生",
            "age": 39,
            "political": "中共党员",
        },
        None,
        "tuition",
    ),
    Case(
        "TU-5",
        "陆坪镇",
        ("委员",),
        "全日制本科申请报销（应拒绝）",
        "eligible",
        "",
        {"incumbent": True, "current": "委员", "education": "本科", "edu_mode": "全日制", "degree": None, "age": 31},
        None,
        "tuition",
    ),
    Case(
        "TU-7",
        "道坪镇",
        ("委员",),
        "新进人选（无现任职务）申请报销（应拒绝：未在任）",
        "eligible",
        "",
        {"incumbent": False, "current": None, "education": "本科", "edu_mode": "在职", "degree": "本科", "age": 33},
        None,
        "tuition",
    ),
    # ---- career ---------------------------------------------------------------------------
    Case(
        "C01",
        "道坪镇",
        ("一肩挑", "书记"),
        "正职2届、优秀6次 → 符合事业单位招录条件",
        "eligible",
        "",
        {"incumbent": True, "current": "书记", "terms": 2, "excellent": 6, "age": 47},
        None,
        "career",
    ),
    Case(
        "C02",
        "金山街道",
        ("主任", "一肩挑"),
        "正职2届、优秀4次 → 差1次优秀",
        "eligible",
        "",
        {"incumbent": True, "current": "主任", "terms": 2, "excellent": 4, "age": 45},
        None,
        "career",
    ),
    Case(
        "C03",
        "凤山镇",
        ("一肩挑", "书记"),
        "正职1届、优秀7次 → 差1届",
        "eligible",
        "",
        {"incumbent": True, "current": "一肩挑", "terms": 1, "excellent": 7, "age": 44},
        None,
        "career",
    ),
    Case(
        "C04",
        "陆坪镇",
        ("一肩挑", "书记"),
        "正职3届、优秀5次 → 符合",
        "eligible",
        "",
        {"incumbent": True, "current": "一肩挑", "terms": 3, "excellent": 5, "age": 51},
        None,
        "career",
    ),
]


def apply_cases(rng: random.Random, ids: IdRegistry, county: dict[str, list[Village]]) -> None:
    pointer = dict.fromkeys(county, 0)
    taken: set[int] = set()
    by_id = {c.cid: c for c in CASES}
    for case in CASES:
        villages = county[case.sheet]
        fix = dict(case.fix)
        if case.cid == "D05-b":
            twin = by_id["D05-a"].person
            fix.update(name=twin.name, gender=twin.gender, birth=twin.birth, id=twin.id)
        for step in range(len(villages)):
            vi = (pointer[case.sheet] + step) % len(villages)
            village = villages[vi]
            if village.special:
                continue
            slot = next(
                (
                    i
                    for i, p in enumerate(village.people)
                    if p.proposed in case.posts and not p.guard and id(p) not in taken
                ),
                None,
            )
            if slot is not None:
                break
        else:
            raise SystemExit(f"no slot for case {case.cid}")
        pointer[case.sheet] = vi + 1
        old = village.people[slot]
        ids.used.discard(old.id)
        person = make_person(rng, ids, village, old.proposed, fix)
        if case.edit:
            case.edit(person, rng, ids)
        person.cases.append(case.cid)
        village.people[slot] = person
        taken.add(id(person))
        case.person = person


# --------------------------------------------------------------------------------------
# Model-side checker: what the vetting should find, from the model (not from the file)
# --------------------------------------------------------------------------------------

DISQUALIFY = {"Q01", "Q02", "Q06", "Q07", "Q09", "S01", *NEGATIVE_ITEMS}


def model_findings(p: Person) -> dict[str, str]:
    found: dict[str, str] = {}
    age = p.age
    party_post = p.proposed in PARTY_POSTS or p.proposed_text == "支委"
    if age < 18:
        found["Q01"] = "disqualify"
    if age > 60:
        found["Q02"] = "disqualify"
    if post_group(p.proposed) and age > (45 if p.new_entrant else 55):
        found["Q03"] = "review"
    if p.education in EDU_RANK:
        if post_group(p.proposed) == "正职" and p.new_entrant:
            if EDU_RANK[p.education] < 2:
                found["Q04"] = "review"
        elif EDU_RANK[p.education] < 1:
            found["Q05"] = "review"
    if party_post and p.political is not None and p.political != "中共党员":
        found["Q06"] = "disqualify"
    if p.proposed in ("书记", "一肩挑") and p.political == "中共党员":
        start = p.full or add_months(p.join, 12)
        if age_at(start) < 1:
            found["Q07"] = "disqualify"
    if not p.hukou and (p.residence or 0) < 1:
        found["Q08"] = "review"
    if any(word in p.health for word in ("严重疾病", "丧失")):
        found["Q09"] = "disqualify"
    if p.pledge != "是":
        found["Q10"] = "disqualify" if p.pledge == "否" else "review"
    if "不" in (p.vreview or "") or "不" in (p.treview or ""):
        found["S01"] = "disqualify"
    for nid in NEGATIVE_ITEMS:
        if nid in ("N03", "N09"):
            continue
        if p.flags.get(nid) == "是":
            found[nid] = "disqualify"
    if p.sanction_canon:
        limit = SANCTION_MONTHS[p.sanction_canon]
        if limit is None or months_between(p.sanction_date, AS_OF) < limit:
            found["N03"] = "disqualify"
    if (p.absent or 0) >= 6 or p.flags.get("N09") == "是":
        found["N09"] = "disqualify"
    for issue in p.issues:
        found[issue] = "info" if issue == "D08" else "review"
    return found


def status_of(findings: dict[str, str]) -> str:
    severities = set(findings.values())
    if "disqualify" in severities:
        return "ineligible"
    return "review" if "review" in severities else "eligible"


def check_model(county: dict[str, list[Village]]) -> None:
    """Every person without a case is clean; every case finds exactly what it says."""
    for villages in county.values():
        for village in villages:
            for p in village.people:
                found = model_findings(p)
                if not p.cases:
                    assert not found, (p.township, p.village, p.name, found)
    for case in CASES:
        found = model_findings(case.person)
        assert set(found) == set(case.rules.split()), (case.cid, found)
        assert status_of(found) == case.expect, (case.cid, found)
    for township, village in (G01_VILLAGE, G02_VILLAGE):
        v = next(x for x in county[township] if x.name == village)
        if (township, village) == G01_VILLAGE:
            assert all(p.age >= 35 for p in v.people)
        else:
            assert all(p.gender == "男" for p in v.people)
    for villages in county.values():
        for v in villages:
            if not v.special:
                assert any(p.guard and p.gender == "女" for p in v.people), v.name
                assert any(p.guard and p.age < 35 for p in v.people), v.name
            assert 5 <= len(v.people) <= 9, v.name


# --------------------------------------------------------------------------------------
# Rendering a person into cells
# --------------------------------------------------------------------------------------
# A cell is None (blank), ("s", text), ("n", number, fmt) or ("d", date, fmt).


def date_cell(value: dt.date | None, form: str) -> tuple | None:
    if value is None:
        return None
    y, m = value.year, value.month
    if form == "dot2":
        return ("s", f"{y}.{m:02d}")
    if form == "dot1":
        return ("s", f"{y}.{m}")
    if form == "cn":
        return ("s", f"{y}年{m}月")
    if form == "ym6":
        return ("s", f"{y}{m:02d}")
    if form == "iso":
        return ("s", f"{value:%Y-%m-%d}")
    if form == "float":
        return ("n", float(f"{y}.{m:02d}"), "general")
    return ("d", value, form)  # date_iso / date_dot: real date cells


def columns_for(style: dict) -> list[str]:
    keys = [k for k, _ in COLUMNS]
    after = style.get("move_phone_after")
    if after:
        keys.remove("phone")
        keys.insert(keys.index(after) + 1, "phone")
    return keys


def header_for(key: str, style: dict) -> str:
    if key in NEGATIVE_ITEMS and style.get("flag_alias"):
        return NEGATIVE_ITEMS[key][1]
    return style.get("headers", {}).get(key, DEFAULT_HEADERS[key])


def text(value) -> tuple | None:
    return None if value in (None, "") else ("s", str(value))


def number(value) -> tuple | None:
    return None if value is None else ("n", value, "general")


def person_cells(p: Person, seq: int, style: dict) -> dict[str, tuple | None]:
    form = style["date"]
    edu_alias = style.get("edu_alias", {})
    pol_alias = style.get("political_alias", {})
    yes_no = {True: "是", False: "否"}
    cells = {
        "seq": ("n", seq, "general"),
        "name": text(p.name),
        "gender": text(p.gender),
        "ethnicity": text(p.ethnicity),
        "id": ("s", p.id),
        "birth": date_cell(p.birth, form),
        "political": text(pol_alias.get(p.political, p.political)),
        "join": date_cell(p.join, form),
        "full": date_cell(p.full, form),
        "education": text(edu_alias.get(p.education, p.education)),
        "edu_mode": text(p.edu_mode),
        "township": text(p.township),
        "village": text(p.village),
        "current": text(p.current_text),
        "proposed": text(p.proposed_text),
        "channel": text(style.get("channel_alias", {}).get(p.channel, p.channel)),
        "hukou": text(yes_no[p.hukou]),
        "residence": number(p.residence),
        "health": text(p.health),
        "pledge": text(p.pledge),
        "assessment": text(style.get("assessment_alias", {}).get(p.assessment, p.assessment)),
        "absent": number(p.absent),
        "vreview": text(p.vreview),
        "treview": text(p.treview),
        "level": number(p.level),
        "step": number(p.step),
        "terms": number(p.terms),
        "excellent": number(p.excellent),
        "degree": text(p.degree),
        "tags": text(p.tags),
        "sanction_type": text(p.sanction_type),
        "sanction_date": date_cell(p.sanction_date, form),
        "retire": text(p.retire),
        "phone": (("n", int(p.phone), "general") if style.get("phone_as_number") else ("s", p.phone))
        if p.phone
        else None,
        "note": text(p.note),
    }
    for nid in NEGATIVE_ITEMS:
        cells[nid] = text(p.flags.get(nid))
    for key, cell in p.raw.items():
        cells[key] = date_cell(cell[1], form) if cell[0] == "date_of" else cell
    return cells


def excel_general(value: float) -> str:
    """How Excel's General format shows a number in a normal-width column (and saves it to CSV)."""
    if float(value).is_integer() and abs(value) < 1e11:
        return str(int(value))
    if abs(value) >= 1e11:
        mantissa, exponent = f"{value:.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"
    return f"{value:.10g}"


def cell_display(cell: tuple | None) -> str:
    if cell is None:
        return ""
    kind = cell[0]
    if kind == "s":
        return cell[1]
    if kind == "n":
        return f"{cell[1]:.0f}" if cell[2] == "zero" else excel_general(cell[1])
    value = cell[1]
    return f"{value:%Y-%m-%d}" if cell[2] == "date_iso" else f"{value:%Y.%m}"


# --------------------------------------------------------------------------------------
# Writing workbooks
# --------------------------------------------------------------------------------------


class Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
        self.title = wb.add_format(
            {"font_name": "方正小标宋简体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.sub = wb.add_format({"font_name": "宋体", "font_size": 11, "align": "left"})
        self.header = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"})
        self.cell = {
            "s": wb.add_format(base),
            "text": wb.add_format({**base, "num_format": "@"}),
            "general": wb.add_format(base),
            "zero": wb.add_format({**base, "num_format": "0"}),
            "money": wb.add_format({**base, "num_format": "#,##0.00"}),
            "date_iso": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
            "date_dot": wb.add_format({**base, "num_format": "yyyy.mm"}),
        }


def write_cell(ws, row: int, col: int, cell: tuple | None, fmts: Formats, text_column: bool = False) -> None:
    if cell is None:
        ws.write_blank(row, col, None, fmts.cell["text" if text_column else "s"])
    elif cell[0] == "s":
        ws.write_string(row, col, cell[1], fmts.cell["text" if text_column else "s"])
    elif cell[0] == "n":
        ws.write_number(row, col, cell[1], fmts.cell[cell[2]])
    else:
        ws.write_datetime(row, col, dt.datetime.combine(cell[1], dt.time()), fmts.cell[cell[2]])


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties(
        {
            "created": WORKBOOK_CREATED,
            "author": "cadretool sample data",
            "comments": f"generated by make_samples.py, seed {SEED}",
        }
    )
    return wb


COLUMN_WIDTH = {
    "seq": 5,
    "name": 9,
    "gender": 5,
    "ethnicity": 7,
    "id": 21,
    "birth": 11,
    "political": 11,
    "township": 11,
    "village": 11,
    "current": 11,
    "proposed": 13,
    "tags": 16,
    "note": 14,
    "phone": 13,
}


def township_rows(county: dict[str, list[Village]], township: str) -> list[Person]:
    return [p for v in county[township] for p in v.people]


def write_roster(county: dict[str, list[Village]], path: Path) -> dict[str, dict]:
    wb = new_workbook(path)
    fmts = Formats(wb)
    layout: dict[str, dict] = {}
    for township, unit, _villages in TOWNSHIPS:
        style = SHEET_STYLES[township]
        keys = columns_for(style)
        ws = wb.add_worksheet(township)
        last = len(keys) - 1
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, last, f"{township}村(社区)“两委”换届意向人选花名册", fmts.title)
        ws.merge_range(1, 0, 1, last, f"填报单位（盖章）：{unit}    填报时间：{FILLED_IN}", fmts.sub)
        header_row = 3
        two_rows = township == TWO_ROW_HEADER_TOWNSHIP
        if two_rows:
            grouped: set[str] = set()
            for label, first, final in HEADER_GROUPS:
                a, b = keys.index(first), keys.index(final)
                ws.merge_range(header_row, a, header_row, b, label, fmts.header)
                for col in range(a, b + 1):
                    ws.write_string(header_row + 1, col, header_for(keys[col], style), fmts.header)
                    grouped.add(keys[col])
            for col, key in enumerate(keys):
                if key not in grouped:
                    ws.merge_range(header_row, col, header_row + 1, col, header_for(key, style), fmts.header)
            first_data = header_row + 2
        else:
            for col, key in enumerate(keys):
                ws.write_string(header_row, col, header_for(key, style), fmts.header)
            first_data = header_row + 1
        for col, key in enumerate(keys):
            ws.set_column(col, col, COLUMN_WIDTH.get(key, 9))
        people = township_rows(county, township)
        for i, p in enumerate(people):
            cells = person_cells(p, i + 1, style)
            for col, key in enumerate(keys):
                write_cell(ws, first_data + i, col, cells[key], fmts, text_column=key == "id")
            p.sheet_row = first_data + i + 1
        ws.freeze_panes(first_data, 3)
        layout[township] = {
            "header_rows": (header_row + 1, first_data) if two_rows else (header_row + 1,),
            "first_data": first_data + 1,
            "last_data": first_data + len(people),
            "rows": len(people),
            "keys": keys,
        }
    wb.close()
    return layout


def write_gbk_csv(county: dict[str, list[Village]], path: Path) -> int:
    style = SHEET_STYLES[CSV_TOWNSHIP]
    keys = columns_for(style)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"{CSV_TOWNSHIP}村(社区)“两委”换届意向人选花名册"] + [""] * (len(keys) - 1))
    writer.writerow([header_for(k, style) for k in keys])
    people = township_rows(county, CSV_TOWNSHIP)
    for i, p in enumerate(people):
        cells = person_cells(p, i + 1, style)
        writer.writerow([cell_display(cells[k]) for k in keys])
    path.write_bytes(buf.getvalue().encode("gbk"))
    return len(people)


def write_table(path: Path, sheet: str, headers: list[str], rows: list[list[tuple | None]], widths: list[int]) -> None:
    wb = new_workbook(path)
    fmts = Formats(wb)
    ws = wb.add_worksheet(sheet)
    for col, (head, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(0, col, head, fmts.header)
        ws.set_column(col, col, width)
    for r, row in enumerate(rows, start=1):
        for col, cell in enumerate(row):
            write_cell(ws, r, col, cell, fmts, text_column=headers[col] == "身份证号码")
    ws.freeze_panes(1, 0)
    wb.close()


# --------------------------------------------------------------------------------------
# Evidence, pay, income, pension, tuition
# --------------------------------------------------------------------------------------


def outsider_id(rng: random.Random, ids: IdRegistry, region: str, birth: dt.date, male: bool) -> str:
    return ids.new(rng, region, birth, male)


@dataclass
class EvidenceRow:
    id_text: str
    name: str
    item: str
    date: dt.date | str | None
    note: str
    source: str
    expect: str
    case: str = ""


def case_person(cid: str) -> Person:
    return next(c.person for c in CASES if c.cid == cid)


def evidence_police(rng: random.Random, ids: IdRegistry) -> list[EvidenceRow]:
    src = "福泉市公安局"
    p = case_person
    stranger = outsider_id(rng, ids, "522731", d(1983, 6, 2), True)
    mangled = case_person("D02-a")
    return [
        EvidenceRow(
            p("EV-1").id,
            p("EV-1").name,
            "受过刑事处罚",
            d(2013, 9, 24),
            "2013年因故意伤害罪被判处有期徒刑一年，缓刑二年",
            src,
            "N01 命中 / hit",
            "EV-1",
        ),
        EvidenceRow(
            p("EV-2").id,
            p("EV-2").name,
            "村霸",
            d(2025, 4, 2),
            "群众反映欺行霸市、强揽工程，经核查属实",
            src,
            "N02 命中 / hit",
            "EV-2",
        ),
        EvidenceRow(
            p("EV-3").id,
            p("EV-3").name,
            "N07",
            d(2023, 6, 15),
            "越级非正常上访，被行政拘留五日",
            src,
            "N07 命中（5年内）/ hit, within 5 years",
            "EV-3",
        ),
        EvidenceRow(
            p("EV-4").id,
            p("EV-4").name,
            "违法信访被处理",
            "2019-04-10",
            "扰乱信访秩序被训诫",
            src,
            "不命中（超过5年）/ no hit, older than 5 years",
            "EV-4",
        ),
        EvidenceRow(
            p("EV-5").id,
            "张明",
            "扰乱公共秩序",
            d(2020, 8, 30),
            "聚众扰乱公共场所秩序被警告",
            src,
            "姓名不一致→待核实；超过5年不命中 / name differs → review; no N07 hit",
            "EV-5",
        ),
        EvidenceRow(
            stranger,
            "杨德贵",
            "黄赌毒",
            d(2024, 11, 3),
            "参与赌博被行政处罚",
            src,
            "未匹配（花名册无此人）/ unmatched",
            "",
        ),
        EvidenceRow(
            p("EV-7").id[:17] + "x",
            p("EV-7").name,
            "贿选",
            d(2026, 10, 28),
            "换届前以宴请方式拉票，经查属实",
            src,
            "N06 命中（小写x须匹配）/ hit, lower-case x must match",
            "EV-7",
        ),
        EvidenceRow(
            mangled.id,
            mangled.name,
            "N07",
            d(2017, 5, 12),
            "非正常上访被训诫",
            src,
            "未匹配：花名册中此人身份证已被Excel损坏（D02-a）/ unmatched: roster ID mangled",
            "D02-a",
        ),
    ]


def evidence_discipline(rng: random.Random, ids: IdRegistry) -> list[EvidenceRow]:
    src = "福泉市纪委监委"
    p = case_person
    stranger = outsider_id(rng, ids, "522725", d(1979, 2, 11), False)
    return [
        EvidenceRow(
            p("EV-8").id,
            p("EV-8").name,
            "党纪政务处分",
            "2026-02-10",
            "党内严重警告处分",
            src,
            "N03 命中（18个月内）/ hit, within 18 months",
            "EV-8",
        ),
        EvidenceRow(
            p("EV-9").id,
            p("EV-9").name,
            "N03",
            "2025-09-01",
            "政务警告处分",
            src,
            "不命中（政务警告6个月已过）/ no hit, 6 months expired",
            "EV-9",
        ),
        EvidenceRow(
            p("EV-10").id,
            p("EV-10").name,
            "受党纪政务处分",
            "2025-05-20",
            "留党察看一年处分",
            src,
            "N03 命中（24个月内）/ hit, within 24 months",
            "EV-10",
        ),
        EvidenceRow(
            p("EV-11").id,
            p("EV-11").name,
            "正在被立案审查调查",
            "2026-11-20",
            "涉嫌违反群众纪律，2026年11月立案审查",
            src,
            "N04 命中 / hit",
            "EV-11",
        ),
        EvidenceRow(
            p("EV-12").id,
            p("EV-12").name,
            "不合格党员",
            "2024.03",
            "2023年度民主评议党员被评为不合格党员",
            src,
            "N08 命中 / hit",
            "EV-12",
        ),
        EvidenceRow(
            p("EV-13").id,
            p("EV-13").name,
            "N03",
            "2026-01-15",
            "受到处分（类型待核）",
            src,
            "无法判断影响期→待核实 / type unknown → review",
            "EV-13",
        ),
        EvidenceRow(
            stranger,
            "陈秀英",
            "拉票贿选",
            "2026-10-09",
            "以发放红包方式拉票",
            src,
            "未匹配（花名册无此人）/ unmatched",
            "",
        ),
    ]


def write_evidence(police: list[EvidenceRow], discipline: list[EvidenceRow]) -> None:
    headers = ["身份证号码", "姓名", "清单项目", "日期", "说明", "来源单位"]
    rows = []
    for e in police:
        date = ("d", e.date, "date_iso") if isinstance(e.date, dt.date) else text(e.date)
        rows.append([("s", e.id_text), ("s", e.name), ("s", e.item), date, ("s", e.note), ("s", e.source)])
    write_table(OUT_DIR / "evidence_公安.xlsx", "联审意见", headers, rows, [21, 9, 16, 12, 44, 14])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for e in discipline:
        writer.writerow([e.id_text, e.name, e.item, e.date, e.note, e.source])
    (OUT_DIR / "evidence_纪委监委.csv").write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def paid_cadres(county: dict[str, list[Village]]) -> list[Person]:
    return [
        p
        for villages in county.values()
        for v in villages
        for p in v.people
        if p.level is not None and not p.issues and not p.cases
    ]


ADJUSTMENT_REASONS = [
    ("人居环境整治考核奖励", 1),
    ("防汛值班补助", 1),
    ("信访维稳工作奖励", 1),
    ("产业发展考核奖励", 1),
    ("森林防火考核扣款", -1),
    ("会议无故缺席扣款", -1),
    ("安全生产考核扣款", -1),
]


def write_pay_adjustments(rng: random.Random, county: dict[str, list[Village]]) -> list[list]:
    p03 = case_person("P03")
    rows = [[p03, 300.00, "乡村振兴重点工作考核奖励", "2026-11"], [p03, -100.00, "会议无故缺席扣款", "2026-10"]]
    cadres = paid_cadres(county)
    for p in rng.sample(cadres, 22):
        reason, sign = rng.choice(ADJUSTMENT_REASONS)
        amount = sign * rng.choice([50, 100, 150, 200, 300, 500])
        month = weighted(rng, [("2026-11", 8), ("2026-10", 1), ("2026-12", 1)])
        rows.append([p, float(amount), reason, month])
    twice = next(r[0] for r in rows[2:] if r[3] == PAY_MONTH)
    rows.append([twice, -50.00, "安全生产考核扣款", PAY_MONTH])
    rows.sort(key=lambda r: (r[3], r[0].sheet_row if r[0] else 0))
    table = [
        [("s", p.id), ("s", p.name), ("n", amount, "money"), ("s", reason), ("s", month)]
        for p, amount, reason, month in rows
    ]
    write_table(
        OUT_DIR / "pay_adjustments.xlsx",
        "奖惩款项",
        ["身份证号码", "姓名", "金额", "事由", "月份"],
        table,
        [21, 9, 11, 24, 9],
    )
    return rows


def write_income(rng: random.Random, county: dict[str, list[Village]]) -> list[tuple]:
    rows = []
    for township, _unit, names in TOWNSHIPS:
        for name in names:
            key = (township, name)
            if key in INCOME_MISSING:
                continue
            if key == INCOME_ZERO:
                cents = 0
            elif key == INCOME_NEGATIVE:
                cents = -1234560
            elif name.endswith("社区"):
                cents = rng.randint(15_000_000, 90_000_000)
            else:
                cents = rng.randint(3_000_000, 45_000_000)
            rows.append((township, name, cents))
    table = [[("s", t), ("s", v), ("n", c / 100, "money")] for t, v, c in rows]
    write_table(
        OUT_DIR / "collective_income.xlsx", "2026年", ["乡镇", "村(社区)", "村集体经济纯收益"], table, [12, 12, 18]
    )
    return rows


# pension periods for the handcrafted cases: (start, end) inclusive months
PENSION_FIXED = {
    "PEN-1": [("2019-01", "2026-12")],
    "Q02-b": [("2003-01", "2025-03")],
    "PEN-3": [("2014-03", "2026-12")],
    "PEN-4": [("2012-01", "2026-12")],
    "PEN-5": [("2004-01", "2015-12"), ("2016-01", "2026-12")],
    "PEN-6": [("2010-01", "2015-12"), ("2015-07", "2020-12"), ("2021-01", "2026-12")],
    "PEN-7": [("2009-05", "2016-12"), ("2018-03", "2024-06")],
}


def month_index(text_ym: str) -> int:
    y, m = text_ym.split("-")
    return int(y) * 12 + int(m) - 1


def index_ym(i: int) -> str:
    return f"{i // 12}-{i % 12 + 1:02d}"


def random_periods(rng: random.Random, p: Person) -> list[tuple[str, str]]:
    start_year = max(p.birth.year + 20, 2026 - rng.randint(3, 18))
    start = start_year * 12 + rng.randint(0, 11)
    end = 2026 * 12 + 11
    pattern = rng.random()
    if pattern < 0.55:
        return [(index_ym(start), index_ym(end))]
    if pattern < 0.8 and end - start > 36:
        gap_at = rng.randint(start + 12, end - 24)
        return [(index_ym(start), index_ym(gap_at)), (index_ym(gap_at + rng.randint(2, 14)), index_ym(end))]
    if end - start > 36:
        cut = rng.randint(start + 12, end - 24)
        return [(index_ym(start), index_ym(cut)), (index_ym(cut - rng.randint(1, 8)), index_ym(end))]
    return [(index_ym(start), index_ym(end - rng.choice([0, 0, 1])))]


def write_pensions(rng: random.Random, county: dict[str, list[Village]]) -> int:
    rows: list[tuple[Person, str, str]] = []
    fixed = {c.cid: c.person for c in CASES if c.cid in PENSION_FIXED}
    for villages in county.values():
        for v in villages:
            for p in v.people:
                cid = next((c for c in p.cases if c in PENSION_FIXED), None)
                if cid:
                    rows += [(p, a, b) for a, b in PENSION_FIXED[cid]]
                elif p.current is not None and not p.issues and not p.cases:
                    rows += [(p, a, b) for a, b in random_periods(rng, p)]
    assert all(fixed.values())
    table = [[("s", p.id), ("s", p.name), ("s", a), ("s", b)] for p, a, b in rows]
    write_table(
        OUT_DIR / "pension_contributions.xlsx",
        "参保缴费记录",
        ["身份证号码", "姓名", "起始年月", "截止年月"],
        table,
        [21, 9, 10, 10],
    )
    return len(rows)


TRACKS = {"男60": (60, 1965, 4, 36), "女55": (55, 1970, 4, 36), "女50": (50, 1975, 2, 60)}
TRACK_ALIASES = {"女干部": "女55", "女工人": "女50", "男": "男60"}


def pension_expectation(p: Person, periods: list[tuple[str, str]]) -> dict:
    """SPEC §7.1, computed here so the README can state expected figures."""
    track = TRACK_ALIASES.get(p.retire, p.retire) or ("男60" if p.gender == "男" else "女55")
    base, cohort, step, cap = TRACKS[track]
    birth_i = p.birth.year * 12 + p.birth.month - 1
    cohort_i = cohort * 12
    delay = min(cap, (birth_i - cohort_i) // step + 1) if birth_i >= cohort_i else 0
    retire_i = birth_i + base * 12 + delay
    months = set()
    for a, b in periods:
        months.update(range(month_index(a), month_index(b) + 1))
    as_of_i = AS_OF.year * 12 + AS_OF.month - 1
    paid = len([m for m in months if m <= as_of_i])
    contributing = max(months) >= as_of_i
    at_retirement = paid + (max(0, retire_i - as_of_i - 1) if contributing else 0)
    year = retire_i // 12
    minimum = 180 if year <= 2029 else min(240, 180 + 6 * (year - 2029))
    if retire_i <= as_of_i:
        status = "已退休"
    elif paid >= minimum:
        status = "达标"
    elif at_retirement >= minimum:
        status = "可达标"
    else:
        status = "不能达标"
    return {
        "track": track,
        "months_paid": paid,
        "retirement_month": index_ym(retire_i),
        "months_at_retirement": at_retirement,
        "minimum": minimum,
        "shortfall": max(0, minimum - at_retirement),
        "status": status,
    }


def write_tuition(rng: random.Random, ids: IdRegistry, county: dict[str, list[Village]]) -> list[dict]:
    p = case_person
    outsider = outsider_id(rng, ids, "522701", d(1990, 4, 18), False)
    claims = [
        dict(
            id=p("TU-1").id,
            name=p("TU-1").name,
            degree="本科",
            mode="在职",
            fee=9600.00,
            grad="2025-07",
            expect="批准 4800.00 / approved",
            case="TU-1",
        ),
        dict(
            id=p("TU-2").id,
            name=p("TU-2").name,
            degree="研究生",
            mode="在职",
            fee=24000.00,
            grad="2025-06",
            expect="批准 16000.00 / approved",
            case="TU-2",
        ),
        dict(
            id=p("TU-3").id,
            name=p("TU-3").name,
            degree="本科",
            mode="在职",
            fee=7777.77,
            grad="2026-01",
            expect="批准 3888.89（四舍五入到分）/ approved, half-up",
            case="TU-3",
        ),
        dict(
            id=p("TU-4").id,
            name=p("TU-4").name,
            degree="研究生",
            mode="在职",
            fee=10000.00,
            grad="2026-06",
            expect="批准 6666.67 / approved",
            case="TU-4",
        ),
        dict(
            id=p("TU-5").id,
            name=p("TU-5").name,
            degree="本科",
            mode="全日制",
            fee=15600.00,
            grad="2017-07",
            expect="拒绝：全日制 / refused, full-time",
            case="TU-5",
        ),
        dict(
            id=outsider,
            name="刘丽娟",
            degree="本科",
            mode="在职",
            fee=8800.00,
            grad="2025-12",
            expect="拒绝：不在花名册 / refused, not on the roster",
            case="",
        ),
        dict(
            id=p("TU-7").id,
            name=p("TU-7").name,
            degree="本科",
            mode="在职",
            fee=9200.00,
            grad="2024-07",
            expect="拒绝：无现任职务（未在任）/ refused, not serving",
            case="TU-7",
        ),
    ]
    serving = [x for x in paid_cadres(county) if x.degree in ("本科", "研究生")]
    for x in rng.sample(serving, min(5, len(serving))):
        fee = rng.choice([6800, 7200, 8400, 9000, 9600]) if x.degree == "本科" else rng.choice([18000, 21000])
        share = 0.5 if x.degree == "本科" else 2 / 3
        claims.append(
            dict(
                id=x.id,
                name=x.name,
                degree=x.degree,
                mode="在职",
                fee=float(fee),
                grad=f"{rng.randint(2022, 2026)}-{rng.choice([1, 6, 7, 12]):02d}",
                expect=f"批准 {fee * share:.2f} / approved",
                case="",
                person=x,
            )
        )
    table = [
        [
            ("s", c["id"]),
            ("s", c["name"]),
            ("s", c["degree"]),
            ("s", c["mode"]),
            ("n", c["fee"], "money"),
            ("s", c["grad"]),
        ]
        for c in claims
    ]
    write_table(
        OUT_DIR / "tuition_claims.xlsx",
        "学费报销申请",
        ["身份证号码", "姓名", "学历层次", "学习形式", "学费", "毕业时间"],
        table,
        [21, 9, 10, 10, 11, 10],
    )
    return claims


# --------------------------------------------------------------------------------------
# The previous term's roster (2021), the baseline of `cadretool report`
# --------------------------------------------------------------------------------------

PREVIOUS_AS_OF = dt.date(2021, 12, 31)  # the report's default --baseline-as-of: one five-year term earlier
PREVIOUS_SEED = SEED + 1  # its own stream: the files above come out exactly as before
ABILITY_TAGS = ("致富带头人", "返乡创业", "大学生", "退役军人", "专业技能")  # rules/report.yaml ability_tags
MERGED_VILLAGE = ("陆坪镇", "团结村")  # had candidates in 2021, merged into a neighbour since: none now
MERGED_PEOPLE = 6
PREVIOUS_COLUMNS = [
    ("seq", "序号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("id", "身份证号码"),
    ("birth", "出生年月"),
    ("political", "政治面貌"),
    ("education", "文化程度"),
    ("township", "乡镇(街道)"),
    ("village", "村(社区)"),
    ("post", "拟任职务"),
    ("channel", "推荐方式"),
    ("tags", "能力特长"),
]
# how the 2021 clerks wrote the places: the report must still find every village
PREVIOUS_TOWNSHIP_TEXT = {"金山街道": "金山街道办事处"}
PREVIOUS_COMMITTEE_NAMES = "龙昌镇"  # 冷水村委会, 龙昌社区居委会
PREVIOUS_NO_TOWNSHIP_COLUMN = "道坪镇"  # the township comes from the sheet name
PREVIOUS_CHANNELS_STAYED = [("组织推荐", 55), ("党员推荐", 20), ("群众推荐", 15), ("群团推荐", 6), ("个人自荐", 4)]
PREVIOUS_CHANNELS_LEFT = [("组织推荐", 60), ("党员推荐", 16), ("群众推荐", 14), ("群团推荐", 6), ("个人自荐", 4)]
PREVIOUS_EDUCATION_LEFT = [("小学", 3), ("初中", 23), ("高中", 23), ("中专", 9), ("大专", 31), ("本科", 11)]
IN_SERVICE_BEFORE = {"大专": "高中", "本科": "大专", "研究生": "本科"}


@dataclass
class PreviousPerson:
    name: str
    gender: str
    birth: dt.date
    id: str
    township: str
    village: str
    education: str
    post: str
    channel: str
    tags: str | None
    political: str | None
    stayed: bool  # also on the current roster (the same ID number)


def build_previous_term(county: dict[str, list[Village]], ids: IdRegistry) -> dict[str, list[PreviousPerson]]:
    """Last term's slate of every village: this term's incumbents (as they were then: an in-service
    degree earned since is one level lower for half of them) and the people who have left since, older,
    with less schooling and fewer ability tags; plus a village merged away since."""
    rng = random.Random(PREVIOUS_SEED)
    term: dict[str, list[PreviousPerson]] = {}
    for township, _unit, _names in TOWNSHIPS:
        rows: list[PreviousPerson] = []
        for village in county[township]:
            stayed = [p for p in village.people if p.current is not None]
            for p in stayed:
                education = p.education if p.education in EDU_RANK else "高中"
                if p.edu_mode == "在职" and education in IN_SERVICE_BEFORE and rng.random() < 0.5:
                    education = IN_SERVICE_BEFORE[education]
                channel = weighted(rng, PREVIOUS_CHANNELS_STAYED)
                rows.append(
                    PreviousPerson(
                        p.name,
                        p.gender,
                        p.birth,
                        p.id,
                        township,
                        village.name,
                        education,
                        p.current,
                        channel,
                        p.tags,
                        p.political,
                        True,
                    )
                )
            left = max(2, len(village.people) - len(stayed) + rng.choice([-1, 0, 0, 1, 1, 2]))
            rows += [former_cadre(rng, ids, township, village.name) for _ in range(left)]
        if township == MERGED_VILLAGE[0]:
            rows += [former_cadre(rng, ids, township, MERGED_VILLAGE[1]) for _ in range(MERGED_PEOPLE)]
        term[township] = rows
    return term


def former_cadre(rng: random.Random, ids: IdRegistry, township: str, village: str) -> PreviousPerson:
    """Someone on the 2021 slate who is not a candidate now."""
    gender = "女" if rng.random() < 0.22 else "男"
    age = max(28, min(59, round(rng.triangular(30, 59, 52))))
    birth = random_day(rng, PREVIOUS_AS_OF.year - age, rng.randint(1, 12))
    number = ids.new(rng, weighted(rng, REGION_CODES), birth, gender == "男")
    draw = rng.random()
    if draw < 0.13:
        tags = rng.choice([t for t in ABILITY_TAGS if t != "大学生" and not (t == "退役军人" and gender == "女")])
    elif draw < 0.3:
        tags = rng.choice(["种养殖能手", "农技推广", "乡村医生"])
    else:
        tags = None
    return PreviousPerson(
        name=draw_name(rng, gender),
        gender=gender,
        birth=birth,
        id=number,
        township=township,
        village=village,
        education=weighted(rng, PREVIOUS_EDUCATION_LEFT),
        post=weighted(rng, [("委员", 5), ("副主任", 1), ("副书记", 1), ("村民组长", 2)]),
        channel=weighted(rng, PREVIOUS_CHANNELS_LEFT),
        tags=tags,
        political="中共党员" if rng.random() < 0.6 else "群众",
        stayed=False,
    )


def previous_village_text(township: str, village: str) -> str:
    if township != PREVIOUS_COMMITTEE_NAMES:
        return village
    return village.removesuffix("社区") + "社区居委会" if village.endswith("社区") else village + "委会"


def write_previous_roster(term: dict[str, list[PreviousPerson]], path: Path) -> None:
    wb = new_workbook(path)
    fmts = Formats(wb)
    for township, rows in term.items():
        keys = [k for k, _ in PREVIOUS_COLUMNS if not (k == "township" and township == PREVIOUS_NO_TOWNSHIP_COLUMN)]
        headers = dict(PREVIOUS_COLUMNS)
        ws = wb.add_worksheet(township)
        ws.merge_range(0, 0, 0, len(keys) - 1, f"2021年{township}村(社区)“两委”换届人选花名册", fmts.title)
        for col, key in enumerate(keys):
            ws.write_string(2, col, headers[key], fmts.header)
            ws.set_column(col, col, COLUMN_WIDTH.get(key, 9))
        for i, p in enumerate(rows):
            cells = {
                "seq": ("n", i + 1, "general"),
                "name": text(p.name),
                "gender": text(p.gender),
                "id": ("s", p.id),
                "birth": date_cell(p.birth, "dot2"),
                "political": text(p.political),
                "education": text(p.education),
                "township": text(PREVIOUS_TOWNSHIP_TEXT.get(township, township)),
                "village": text(previous_village_text(township, p.village)),
                "post": text(p.post),
                "channel": text(p.channel),
                "tags": text(p.tags),
            }
            for col, key in enumerate(keys):
                write_cell(ws, 3 + i, col, cells[key], fmts, text_column=key == "id")
        ws.freeze_panes(3, 2)
    wb.close()


def round_half_up(value: Fraction) -> Fraction:
    """To 2 decimals, a half away from zero, as SPEC §8 rounds."""
    hundredths = abs(value) * 100
    whole, rest = divmod(hundredths.numerator, hundredths.denominator)
    cents = whole + (2 * rest >= hundredths.denominator)
    return Fraction(cents if value >= 0 else -cents, 100)


def half_up(value: Fraction) -> str:
    cents = int(round_half_up(value) * 100)
    return ("-" if cents < 0 else "") + f"{abs(cents) // 100}.{abs(cents) % 100:02d}"


def signed(value: Fraction) -> str:
    text_ = half_up(value)
    return text_ if text_.startswith("-") else "+" + text_


def figures_of(people: list[tuple[int, str, str | None]]) -> dict[str, Fraction | int]:
    """(age, education, tags) of each person → people, average age, 大专及以上 and ability shares."""
    n = len(people)
    return {
        "people": n,
        "avg_age": Fraction(sum(a for a, _, _ in people), n),
        "college_pct": Fraction(100 * sum(EDU_RANK.get(e, -1) >= 3 for _, e, _ in people), n),
        "ability_pct": Fraction(100 * sum(any(t in (tags or "") for t in ABILITY_TAGS) for _, _, tags in people), n),
    }


def report_expectation(county: dict[str, list[Village]], term: dict[str, list[PreviousPerson]]) -> dict:
    """SPEC §8 computed from the model, so the README can state the report's figures."""
    now: dict[tuple[str, str], list] = {}
    then: dict[tuple[str, str], list] = {}
    channels_now: dict[str, int] = {c: 0 for c, _ in CHANNELS}
    channels_then: dict[str, int] = {c: 0 for c, _ in CHANNELS}
    other_now = 0
    for township, villages in county.items():
        for v in villages:
            for p in v.people:
                now.setdefault((township, v.name), []).append((age_at(p.birth), p.education, p.tags))
                written = p.raw.get("channel", ("s", p.channel))[1]
                if written in channels_now:
                    channels_now[written] += 1
                else:
                    other_now += 1
    for township, rows in term.items():
        for p in rows:
            then.setdefault((township, p.village), []).append((age_at(p.birth, PREVIOUS_AS_OF), p.education, p.tags))
            channels_then[p.channel] += 1
    everyone_now = [x for people in now.values() for x in people]
    everyone_then = [x for people in then.values() for x in people]
    worse = {"age_up": 0, "college_down": 0, "ability_down": 0}
    for key, people in now.items():
        if key not in then:
            continue
        a, b = figures_of(people), figures_of(then[key])
        worse["age_up"] += round_half_up(a["avg_age"] - b["avg_age"]) > 0
        worse["college_down"] += round_half_up(a["college_pct"] - b["college_pct"]) < 0
        worse["ability_down"] += round_half_up(a["ability_pct"] - b["ability_pct"]) < 0
    return {
        "now": figures_of(everyone_now),
        "then": figures_of(everyone_then),
        "channels_now": channels_now,
        "channels_then": channels_then,
        "other_now": other_now,
        "without": sorted(v for t, v in then if (t, v) not in now),
        "worse": worse,
        "villages_now": len(now),
        "villages_then": len(then),
        "stayed": sum(p.stayed for rows in term.values() for p in rows),
    }


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------


def where(p: Person) -> str:
    return f"{p.township}!{p.sheet_row}"


def readme(county, layout, csv_rows, police, discipline, adjustments, income, pension_rows, claims, term, rep) -> str:
    total = sum(info["rows"] for info in layout.values())
    people = [p for villages in county.values() for v in villages for p in v.people]
    statuses = {"eligible": 0, "review": 0, "ineligible": 0}
    for p in people:
        statuses[status_of(model_findings(p))] += 1
    ev_hits = {"EV-1", "EV-2", "EV-3", "EV-7", "EV-8", "EV-10", "EV-11", "EV-12"}
    ev_review = {"EV-5", "EV-13"}
    with_ev = dict(statuses)
    with_ev["eligible"] -= len(ev_hits) + len(ev_review)
    with_ev["ineligible"] += len(ev_hits)
    with_ev["review"] += len(ev_review)
    listed = {c.cid for c in CASES if c.group in ("roster", "noise")}
    clean = sum(1 for p in people if not listed.intersection(p.cases))

    out: list[str] = []
    w = out.append
    w("# 样例数据 / Sample data\n")
    w(
        "本目录的文件全部由 `python sample_data/make_samples.py` 生成（随机种子 20261231，结果确定，"
        "重复运行字节一致）。人名、身份证号均为虚构；身份证号码符合 GB 11643 校验规则。审查基准日为规则集的"
        "换届选举日期 **2026-12-31**。\n"
    )
    w(
        "Everything here is produced by `python sample_data/make_samples.py` (seed 20261231, deterministic, "
        "byte-identical on every run). Names and ID numbers are fictitious but valid GB 11643 numbers. "
        "The as-of date is the rule set's election date, **2026-12-31**. Rows below are the row numbers a "
        "person sees in Excel (`sheet!row`).\n"
    )
    w("## 文件 / Files\n")
    w("| 文件 file | 内容 | what it is for |")
    w("|---|---|---|")
    w(
        f"| `roster.xlsx` | 全县87个村(社区)意向人选花名册，每个乡镇(街道)一张表，共{total}人 | "
        "`cadretool vet|inspect|pay|bonus|pension|career|report` |"
    )
    w(
        f"| `roster_gbk.csv` | {CSV_TOWNSHIP}花名册另存为CSV（GBK编码，首行为标题），{csv_rows}人，"
        f"与 roster.xlsx 的“{CSV_TOWNSHIP}”表为同一批人 | CSV/GBK reading |"
    )
    w(
        f"| `roster_2021.xlsx` | 上一届（2021年换届）人选花名册，每个乡镇(街道)一张表，共{rep['then']['people']}人 | "
        "`report --baseline` |"
    )
    w(f"| `evidence_公安.xlsx` | 公安联审意见，{len(police)}条 | `vet --evidence` |")
    w(f"| `evidence_纪委监委.csv` | 纪委监委联审意见（UTF-8 带BOM），{len(discipline)}条 | `vet --evidence` |")
    w(
        f"| `pay_adjustments.xlsx` | 奖惩款项，{len(adjustments)}条（含非{PAY_MONTH}月份） | "
        f"`pay --month {PAY_MONTH} --adjustments` |"
    )
    w(f"| `collective_income.xlsx` | 2026年村集体经济纯收益，{len(income)}个村 | `bonus --year 2026 --income` |")
    w(f"| `pension_contributions.xlsx` | 养老保险缴费记录，{pension_rows}段 | `pension --contributions` |")
    w(f"| `tuition_claims.xlsx` | 在职学历学费报销申请，{len(claims)}条 | `tuition --roster roster.xlsx` |")
    w("| `talent_pool.xlsx` | 三级青年人才信息库（人才库），见文末“人才库” | `pool` |")
    w("| `cadres.xlsx` | 现任“两委”干部（roster.xlsx 中的在任者，加任现职届数、近三年优秀次数） | `pool --roster` |")
    w("| `training.xlsx` | “双百”培训记录（含匹配不到人的记录） | `pool --training` |")
    w("")
    w("## 花名册格式 / Roster layout\n")
    w(
        "每张表：第1行合并标题“XX村(社区)“两委”换届意向人选花名册”，第2行“填报单位（盖章）…填报时间”，第3行空行，"
        "第4行表头，第5行起为数据。**牛场镇**表为两行合并表头（第4行分组：基本情况 / 审查意见 / 负面清单（是/否），"
        "第5行为真实列名，数据从第6行起）。各表使用不同的列名别名和日期写法（同一表内每列写法一致）。"
        "`序号`、`联系电话`、`备注` 为未知列，须原样带出。\n"
    )
    w(
        "Each sheet: merged title (row 1), 填报单位 line (row 2), blank (row 3), header (row 4), data from row 5. "
        "The **牛场镇** sheet has a two-row merged header (rows 4–5, data from row 6). Header aliases and date "
        "forms differ between sheets (one form per column within a sheet). `序号`, `联系电话`, `备注` are unknown "
        "columns to carry through untouched.\n"
    )
    w("| 表 sheet | 人数 rows | 表头行 header | 数据行 data | 日期写法 date form | 说明 notes |")
    w("|---|---|---|---|---|---|")
    forms = {
        "dot2": "文本 `1985.03`",
        "dot1": "文本 `1985.3`",
        "cn": "文本 `1985年3月`",
        "ym6": "文本 `198503`",
        "iso": "文本 `1985-03-12`",
        "float": "**数值** `1985.03`、`1985.1`(=10月)",
        "date_iso": "日期单元格 yyyy-mm-dd",
        "date_dot": "日期单元格，显示 yyyy.mm",
    }
    notes = {
        "金山街道": "默认列名",
        "马场坪街道": "身份证号/出生日期/政治面目/学历/村(居)/拟任岗位…；职务用全称；学历写“大学本科/大学专科”",
        "龙昌镇": "公民身份号码/拟任村(社区)职务/产生方式…；政治面貌写“党员/预备党员/团员”；负面清单空白",
        "牛场镇": "两行表头；审查意见写“同意/不同意”",
        "道坪镇": "身份证件号码/最高学历/村名…；负面清单列用别名；联系电话为数值且移到拟任职务后；考核写“合格”",
        "凤山镇": "公民身份证号码/受处分类型…；负面清单空白",
        "陆坪镇": "乡镇初审意见整列空白（尚未初审）；部分备注为“-”",
        "仙桥乡": "与 roster_gbk.csv 相同",
    }
    for township, _unit, _v in TOWNSHIPS:
        info = layout[township]
        head = "–".join(str(r) for r in info["header_rows"])
        w(
            f"| {township} | {info['rows']} | {head} | {info['first_data']}–{info['last_data']} | "
            f"{forms[SHEET_STYLES[township]['date']]} | {notes[township]} |"
        )
    w(f"| **合计 total** | **{total}** | | | | |\n")
    w(
        f"`roster_gbk.csv`: 第1行标题，第2行表头，数据为第3–{csv_rows + 2}行（CSV行号）。"
        f"其中 D02-a 的身份证为文本 `5.22702E+17`（Excel 另存 CSV 时即如此）。若与 roster.xlsx 一起审查，"
        f"这{csv_rows}人全部会因跨文件重复报 D05。 / Line 1 title, line 2 header, data on lines 3–{csv_rows + 2}; "
        "vetting it together with roster.xlsx makes every one of these people a D05 duplicate.\n"
    )

    w("## 故意设置的情形 / Deliberate cases (roster)\n")
    w(
        f"未列出的人（{clean}人）不带证据时均完全合格（其中包括下文联审、报酬、养老、学费、晋升各节所指的人）；"
        "列出的人除所列问题外也都合格。“预期结论”为不带联审证据时的结论。 "
        f"People not listed ({clean}, including those the evidence, pay, pension, tuition and career sections "
        "point at) are fully eligible without evidence; listed people have only the listed problem.\n"
    )
    w("| 编号 | 位置 sheet!row | 村 | 姓名 | 情形 what | 预期结论 status | 预期条款 rules |")
    w("|---|---|---|---|---|---|---|")
    order = ["Q", "S", "N", "D", "NZ"]
    listed = sorted(
        (c for c in CASES if c.group in ("roster", "noise")),
        key=lambda c: (order.index("NZ" if c.cid.startswith("NZ") else c.cid[0]), c.cid),
    )
    for case in listed:
        p = case.person
        w(f"| {case.cid} | {where(p)} | {p.village} | {p.name} | {case.what} | {case.expect} | {case.rules or '—'} |")
    g01 = next(v for v in county[G01_VILLAGE[0]] if v.name == G01_VILLAGE[1])
    g02 = next(v for v in county[G02_VILLAGE[0]] if v.name == G02_VILLAGE[1])
    w(
        f"| G01 | {G01_VILLAGE[0]}!{g01.people[0].sheet_row}–{g01.people[-1].sheet_row} | {g01.name} | — | "
        "全村人选均在35周岁以上 / nobody under 35 | 村级待核实 (village finding) | G01 |"
    )
    w(
        f"| G02 | {G02_VILLAGE[0]}!{g02.people[0].sheet_row}–{g02.people[-1].sheet_row} | {g02.name} | — | "
        "全村人选无女性 / no woman | 村级待核实 (village finding) | G02 |"
    )
    w("")
    w("其他须正确处理而不应报错的情况 / also handled silently:")
    w(
        "- 几乎所有人的身份证地区码为 522702（福泉市，1996年设立），1996年前出生者同样有效，不得因此判无效。 "
        "Region 522702 was created in 1996; people born earlier carry it legitimately."
    )
    w(
        "- 龙昌镇表的出生年月、入党/转正时间、处分日期是“年.月”数值：`1985.1` 表示1985年10月；该表约三成人生于10月。 "
        "In the 龙昌镇 sheet `1985.1` is October (about 30% of that sheet were born in October); reading it as "
        "January produces false D04s."
    )
    w(
        "- 道坪镇表的日期是**文本** `1985.3`：文本 `1995.1` 是1995年1月，10月写作文本 `1995.10`（与龙昌镇的数值不同）。 "
        "In the 道坪镇 sheet dates are *text*: `1995.1` there is January and October is written `1995.10`."
    )
    w("- 马场坪街道、凤山镇表的日期为真实日期单元格；凤山镇显示为 yyyy.mm。 Real date cells in 马场坪街道 and 凤山镇.")
    w("- 道坪镇表联系电话为数值单元格，各表 `序号` 为数值；未知列须原样带出。")
    w("- 支委写法：各表中部分党员委员的拟任职务写作“支委”（党组织职务），均为中共正式党员。")
    w("")
    w("### 不带证据 / 带证据的预期汇总 / Expected totals for `vet roster.xlsx`\n")
    w("| | eligible 合格 | review 待核实 | ineligible 不合格 |")
    w("|---|---|---|---|")
    w(f"| 不带证据 without evidence | {statuses['eligible']} | {statuses['review']} | {statuses['ineligible']} |")
    w(
        f"| `--evidence evidence_公安.xlsx --evidence evidence_纪委监委.csv` | {with_ev['eligible']} | "
        f"{with_ev['review']} | {with_ev['ineligible']} |"
    )
    w(
        "\n村级发现 G01、G02 各1条（见上表），不改变个人结论。 G01 and G02 are one village finding each and do not "
        "change anyone's status.\n"
    )

    w("## 联审证据 / Joint-review evidence\n")
    w(
        "两份证据的表头均在第1行，数据从第2行起（CSV 行号同）。证据所涉人员在花名册上本身合格。 "
        "Header on row 1, data from row 2 in both files. The roster people they name are otherwise eligible.\n"
    )
    w("| 文件 file!row | 身份证号码 | 姓名 | 清单项目 | 日期 | 花名册位置 | 预期 expected |")
    w("|---|---|---|---|---|---|---|")
    for fname, rows in (("evidence_公安.xlsx", police), ("evidence_纪委监委.csv", discipline)):
        for i, e in enumerate(rows, start=2):
            target = where(case_person(e.case)) if e.case else "—"
            shown = e.date if isinstance(e.date, str) else f"{e.date:%Y-%m-%d}"
            w(f"| {fname}!{i} | `{e.id_text}` | {e.name} | {e.item} | {shown} | {target} | {e.expect} |")
    w("")

    w(f"## 报酬 / Pay (`cadretool pay roster.xlsx --month {PAY_MONTH} --adjustments pay_adjustments.xlsx`)\n")
    w(
        "岗位等级/档次按现任职务填写（留任人选）；新进人选和村民组长无等级（不发放岗位报酬）。 "
        "Levels follow the current post; new entrants and group leaders have none.\n"
    )
    w("| 编号 | 位置 | 姓名 | 情形 | 预期 expected |")
    w("|---|---|---|---|---|")
    for case in CASES:
        if case.group == "pay":
            w(
                f"| {case.cid} | {where(case.person)} | {case.person.name} | {case.what} | "
                f"{'不发放，待核实 / not paid, review' if case.cid in ('P01', 'P02') else '发放并提示 / paid, warning'} |"
            )
    w(
        f"\nP03 明细：岗位报酬 4040.00 + 学历上浮 202.00 + 绩效 969.60 + 奖惩 300.00 = **5511.60**"
        f"（{PAY_MONTH}；其2026-10的 -100.00 不计入）。 P04：2000.00 + 0 + 400.00 = **2400.00**。"
        f"`pay_adjustments.xlsx` 中有一人同月两条奖惩（合并计算），另有若干条为2026-10、2026-12（不计入{PAY_MONTH}）。\n"
    )

    w(
        "## 村集体经济奖励 / Collective-economy reward (`cadretool bonus roster.xlsx --income collective_income.xlsx --year 2026`)\n"
    )
    for t, v in INCOME_MISSING:
        w(f"- {t}{v}：无收益记录，应列为缺失（不得默认为0） / no income record → reported as missing")
    w(f"- {INCOME_ZERO[0]}{INCOME_ZERO[1]}：0.00 → 不发放 / pays nothing")
    w(f"- {INCOME_NEGATIVE[0]}{INCOME_NEGATIVE[1]}：-12345.60 → 不发放 / pays nothing\n")

    w("## 养老 / Pension (`cadretool pension roster.xlsx --contributions pension_contributions.xlsx`)\n")
    w(
        "缴费记录覆盖全部留任人选（不含数据有问题者）。下表为按 SPEC §7.1 计算的预期值（基准日2026-12）；"
        "缺口 = 最低缴费月数 − 退休时月数。 Contributions cover every clean incumbent; the figures below follow "
        "SPEC §7.1 (as-of month 2026-12; shortfall = minimum − months at retirement).\n"
    )
    w(
        "| 编号 | 位置 | 姓名 | 出生 | 类别 track | 缴费段 periods | 已缴 paid | 退休年月 | 退休时 at ret. | 最低 min | 缺口 | 状态 |"
    )
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for cid, periods in PENSION_FIXED.items():
        p = case_person(cid)
        e = pension_expectation(p, periods)
        spans = "; ".join(f"{a}~{b}" for a, b in periods)
        w(
            f"| {cid} | {where(p)} | {p.name} | {p.birth:%Y-%m} | {e['track']}"
            f"{'（' + p.retire + '）' if p.retire and p.retire != e['track'] else ''} | {spans} | "
            f"{e['months_paid']} | {e['retirement_month']} | {e['months_at_retirement']} | {e['minimum']} | "
            f"{e['shortfall']} | {e['status']} |"
        )
    w(
        "\nPEN-6 的三段缴费有7个月重叠，只计一次（204个月而非210）。PEN-7 最后一段止于2024-06，不再续缴。 "
        "PEN-6 overlaps by 7 months (counted once); PEN-7 stopped contributing in 2024-06.\n"
    )

    w("## 学费报销 / Tuition (`cadretool tuition tuition_claims.xlsx --roster roster.xlsx`)\n")
    w("| tuition_claims.xlsx!row | 姓名 | 学历层次 | 学习形式 | 学费 | 花名册位置 | 预期 expected |")
    w("|---|---|---|---|---|---|---|")
    for i, c in enumerate(claims, start=2):
        person = case_person(c["case"]) if c["case"] else c.get("person")
        target = where(person) if person else "—"
        w(f"| {i} | {c['name']} | {c['degree']} | {c['mode']} | {c['fee']:.2f} | {target} | {c['expect']} |")
    w("")

    w("## 晋升渠道 / Career (`cadretool career roster.xlsx`)\n")
    w("| 编号 | 位置 | 姓名 | 情形 |")
    w("|---|---|---|---|")
    for case in CASES:
        if case.group == "career":
            w(f"| {case.cid} | {where(case.person)} | {case.person.name} | {case.what} |")
    w(
        "\n其他正职的任正职届数、考核优秀次数为随机值，也可能有人符合或差一项。 Other principals carry random "
        "terms/excellent counts; some may also qualify.\n"
    )
    now, then = rep["now"], rep["then"]
    w("## 指标 / Report (`cadretool report roster.xlsx --baseline roster_2021.xlsx`)\n")
    w(
        f"`roster_2021.xlsx` 是上一届的人选花名册（{len(term)}张表，{rep['villages_then']}个村(社区)，"
        f"{then['people']}人），年龄按默认基期基准日 {PREVIOUS_AS_OF.isoformat()}（本期基准日早一届）计算。"
        f"其中{rep['stayed']}人是本届的留任人选（同一身份证号码；约一半在职取得的学历当时低一级）。"
        f"村名写法与本届不同，但都应对得上（没有R05、R06）：金山街道写作“{PREVIOUS_TOWNSHIP_TEXT['金山街道']}”，"
        f"{PREVIOUS_COMMITTEE_NAMES}的村写作“冷水村委会”“龙昌社区居委会”，{PREVIOUS_NO_TOWNSHIP_COLUMN}表没有乡镇列"
        f"（取自工作表名）。{MERGED_VILLAGE[0]}{MERGED_VILLAGE[1]}2021年有{MERGED_PEOPLE}名人选，其后撤并，本届没有人选。\n"
    )
    w(
        "`roster_2021.xlsx` is last term's roster, aged at the default baseline as-of date; this term's incumbents "
        "are the same people (same ID number). Place names are written differently but must all match; one "
        "village merged away since has no candidates now.\n"
    )
    w("| 指标 figure | 基期 2021 | 本期 2026 | 变化 change | 相对变化 relative |")
    w("|---|---|---|---|---|")
    w(f"| 人数 people | {then['people']} | {now['people']} | {now['people'] - then['people']:+d} | |")
    for label, key, unit in (
        ("平均年龄（岁） avg_age", "avg_age", "岁"),
        ("大专及以上占比（%） college_pct", "college_pct", "个百分点"),
        ("有能力特长的占比（%） ability_pct", "ability_pct", "个百分点"),
    ):
        change = now[key] - then[key]
        relative = change / then[key] * 100
        w(f"| {label} | {half_up(then[key])} | {half_up(now[key])} | {signed(change)}{unit} | {signed(relative)}% |")
    w("")
    w("| 推荐方式 channel | 基期 2021 | 本期 2026 |")
    w("|---|---|---|")
    for channel in rep["channels_now"]:
        w(f"| {channel} | {rep['channels_then'][channel]} | {rep['channels_now'][channel]} |")
    w(f"| 不在五荐之列 | 0 | {rep['other_now']} |")
    w("")
    worse = rep["worse"]
    w(
        f"- 没有人选的村(社区) villages without candidates: {'、'.join(rep['without'])}\n"
        f"- 村(社区)层面 villages that went the wrong way: 平均年龄上升 {worse['age_up']} 个，"
        f"大专及以上占比下降 {worse['college_down']} 个，有能力特长的占比下降 {worse['ability_down']} 个\n"
        f"- 能力特长 ability tags: {'、'.join(ABILITY_TAGS)}（其他特长如种养殖能手不计）；大专及以上：大专、本科、研究生\n"
    )
    w("## 重新生成 / Regenerate\n")
    w(
        "```\npython sample_data/make_samples.py\n```\n只依赖标准库和 XlsxWriter；工作簿创建时间固定，"
        "重复运行输出字节一致。 Needs only the standard library and XlsxWriter; output is byte-identical "
        "between runs."
    )
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# The talent pool (SPEC §8.1): talent_pool.xlsx, cadres.xlsx, training.xlsx
# --------------------------------------------------------------------------------------

POOL_SEED = SEED + 81  # its own stream: the files above stay byte-identical
POOL_CATEGORIES = ["后备干部", "青年人才", "致富带头人", "返乡创业青年", "大学生", "退役军人"]
TWO_COMMITTEE = ("书记", "主任", "一肩挑", "副书记", "副主任", "委员")
TRAINING_COURSES = [
    "村级后备干部能力提升培训班",
    "乡村振兴专题培训班",
    "基层党组织书记轮训班",
    "村(社区)“两委”干部履职能力培训",
    "农村电商与集体经济发展培训",
]


@dataclass
class Reserve:
    name: str
    gender: str
    birth: dt.date
    id: str
    township: str | None
    village: str | None
    political: str
    join: dt.date | None
    full: dt.date | None
    education: str
    level_text: str  # 人才层级 as written
    category: str
    hukou: bool = True
    residence: float | None = None
    health: str = "健康"
    channel: str = "组织推荐"
    id_written: str | None = None
    village_written: str | None = None
    political_written: str | None = None
    education_written: str | None = None
    hold: str | None = None  # the vet rule that holds this reserve back (README)
    cadre: bool = False  # also on cadres.xlsx

    @property
    def age(self) -> int:
        return age_at(self.birth)


@dataclass
class Cadre:
    person: Person
    terms_in_post: int | None
    excellent_3y: int | None


@dataclass
class Course:
    id_text: str
    name: str
    course: str
    start: dt.date | None
    end: dt.date | None
    hours: float | None
    result: str | None
    who: str  # reserve / cadre / nobody
    key: str | None  # the person's ID when it joins
    note: str = ""


@dataclass
class PoolSample:
    reserves: list[Reserve]
    cadres: list[Cadre]
    courses: list[Course]
    empty: list[tuple[str, str]]
    single: list[tuple[str, str]]
    no_party: list[tuple[str, str]]
    no_young: list[tuple[str, str]]
    no_village_row: int  # Excel row of the 村级 reserve with no village (T04)
    rows: dict[str, int] = field(default_factory=dict)  # reserve ID → Excel row
    training_rows: dict[str, int] = field(default_factory=dict)  # note → Excel row


def _reserve(
    rng: random.Random,
    ids: IdRegistry,
    township: str | None,
    village: str | None,
    *,
    young: bool | None = None,
    party: str | None = None,
    age: int | None = None,
) -> Reserve:
    gender = "女" if rng.random() < 0.4 else "男"
    if age is None:
        age = rng.randint(22, 34) if (young if young is not None else rng.random() < 0.6) else rng.randint(35, 45)
    birth = birth_for_age(rng, age)
    if party is None:
        roll = rng.random()
        party = (
            "中共党员"
            if roll < 0.45
            else ("中共预备党员" if roll < 0.52 else ("共青团员" if age < 28 and roll < 0.75 else "群众"))
        )
    join = full = None
    if party == "中共党员":
        join = random_day(rng, min(birth.year + rng.randint(20, 28), 2024), rng.randint(1, 12))
        full = add_months(join, 12)
    elif party == "中共预备党员":
        join = random_day(rng, 2026, rng.randint(1, 6))
    education = weighted(rng, [("大专", 30), ("本科", 25), ("高中", 20), ("中专", 15), ("初中", 10)])
    return Reserve(
        name=draw_name(rng, gender),
        gender=gender,
        birth=birth,
        id=ids.new(rng, rng.choice(REGION_CODES)[0], birth, gender == "男", digit_check=True),
        township=township,
        village=village,
        political=party,
        join=join,
        full=full,
        education=education if education != "初中" or party != "中共党员" else "高中",
        level_text=rng.choice(["村级", "村级", "村级", "村"]),
        category=rng.choice(POOL_CATEGORIES),
        channel=weighted(rng, CHANNELS),
    )


def build_pool(county: dict[str, list[Village]], ids: IdRegistry) -> PoolSample:
    rng = random.Random(POOL_SEED)
    places = [(t, v.name) for t, villages in county.items() for v in villages]
    special = rng.sample(places, 9)
    empty, single, no_party, no_young = special[:3], special[3:5], special[5:7], special[7:9]
    reserves: list[Reserve] = []
    for township, village in places:
        if (township, village) in empty:
            continue
        if (township, village) in single:
            reserves.append(_reserve(rng, ids, township, village, young=True, party="中共党员"))
            continue
        if (township, village) in no_party:
            reserves.append(_reserve(rng, ids, township, village, young=True, party="中共预备党员"))
            for _ in range(2):
                reserves.append(
                    _reserve(rng, ids, township, village, party=rng.choice(["群众", "共青团员"]), young=True)
                )
            continue
        if (township, village) in no_young:
            first = _reserve(rng, ids, township, village, party="中共党员", age=35)
            first.birth = AS_OF.replace(year=AS_OF.year - 35)  # 35 today: not under 35
            first.id = ids.new(rng, REGION_CODES[0][0], first.birth, first.gender == "男", digit_check=True)
            reserves.append(first)
            for _ in range(2):
                reserves.append(_reserve(rng, ids, township, village, young=False))
            continue
        reserves.append(_reserve(rng, ids, township, village, young=True, party="中共党员"))
        for _ in range(rng.randint(1, 3)):
            reserves.append(_reserve(rng, ids, township, village))
    # what holds a reserve back (the vet rules, as a party secretary or a committee member)
    ordinary = [r for r in reserves if (r.township, r.village) not in special]
    party = [r for r in ordinary if r.political == "中共党员" and r.age < 35]
    others = [r for r in ordinary if r.political != "中共党员"]
    low_edu, new_party, outsider = party[5], party[11], party[17]
    low_edu.education, low_edu.hold = "初中", "Q04"
    new_party.join, new_party.full, new_party.hold = d(2025, 6, 1), d(2026, 6, 1), "Q07"
    outsider.hukou, outsider.residence, outsider.hold = False, 0.5, "Q08"
    older = others[3]
    older.birth = birth_for_age(rng, 47)
    older.id = ids.new(rng, REGION_CODES[0][0], older.birth, older.gender == "男", digit_check=True)
    older.hold = "Q03"
    sick = others[9]
    sick.health, sick.hold = "患有严重疾病，长期住院治疗", "Q09"
    # messy cells a clerk's pool has
    ordinary[2].id_written = ids_lower_x = ids.new(
        rng, "522702", ordinary[2].birth, ordinary[2].gender == "男", check="X"
    )
    ordinary[2].id = ids_lower_x
    ordinary[2].id_written = ids_lower_x[:-1] + "x"
    ordinary[6].id_written = ordinary[6].id.translate(FULLWIDTH)
    prefixed = next(r for r in ordinary[20:] if r.township == "龙昌镇")
    prefixed.village_written = f"{prefixed.township}{prefixed.village}"
    ordinary[8].political_written = "党员" if ordinary[8].political == "中共党员" else None
    ordinary[10].education_written = {"本科": "大学本科", "大专": "大学专科"}.get(ordinary[10].education)
    # talents of the township and city levels, and one village-level reserve whose village is blank
    towns = list(county)
    extra = [
        _reserve(rng, ids, towns[0], None, young=True, party="中共党员"),
        _reserve(rng, ids, towns[3], None, young=True),
        _reserve(rng, ids, None, None, young=True, party="中共党员"),
        _reserve(rng, ids, towns[5], None, young=True, party="中共党员"),
    ]
    extra[0].level_text, extra[1].level_text, extra[2].level_text = "乡镇级", "乡级", "市"
    extra[3].level_text = "村级"  # 村级 with no village: T04
    # a serving 委员 who is also in the pool (reserve for 正职): counted once, as a cadre
    serving = [
        p
        for vs in county.values()
        for v in vs
        for p in v.people
        if p.current in TWO_COMMITTEE and not p.issues and not p.cases
    ]
    cadres = [Cadre(p, rng.choice([0, 1, 1, 2, 2, 3]), rng.choice([0, 0, 1, 1, 2, 3])) for p in serving]
    member = next(
        c.person
        for c in cadres
        if c.person.current == "委员" and c.person.political == "中共党员" and c.person.age < 35
    )
    both = Reserve(
        name=member.name,
        gender=member.gender,
        birth=member.birth,
        id=member.id,
        township=member.township,
        village=member.village,
        political="中共党员",
        join=member.join,
        full=member.full,
        education=member.education,
        level_text="村级",
        category="后备干部",
        cadre=True,
    )
    reserves.append(both)
    reserves += extra
    order = {place: n for n, place in enumerate(places)}
    reserves.sort(key=lambda r: order.get((r.township, r.village), len(places)))
    sample = PoolSample(reserves, cadres, [], empty, single, no_party, no_young, 0)
    sample.courses = _courses(rng, ids, sample)
    return sample


def _courses(rng: random.Random, ids: IdRegistry, sample: PoolSample) -> list[Course]:
    out: list[Course] = []

    def course(who: str, id_text: str, name: str, end: dt.date | None, result: str | None, note: str = "") -> None:
        start = end - dt.timedelta(days=rng.randint(2, 6)) if end is not None else d(2026, 9, 1)
        out.append(
            Course(
                id_text,
                name,
                rng.choice(TRAINING_COURSES),
                start,
                end,
                float(rng.choice([16, 24, 32, 40])),
                result,
                who,
                id_text if who != "nobody" else None,
                note,
            )
        )

    for r in sample.reserves:
        if r.cadre or rng.random() >= 0.6:
            continue
        for _ in range(rng.choice([1, 1, 2])):
            end = random_day(rng, rng.choice([2023, 2024, 2025, 2026, 2026]), rng.randint(1, 11))
            course("reserve", r.id, r.name, end, weighted(rng, [("合格", 75), ("优秀", 20), ("不合格", 5)]))
    for c in sample.cadres:
        if rng.random() >= 0.5:
            continue
        end = random_day(rng, rng.choice([2022, 2025, 2026]), rng.randint(1, 11))
        course("cadre", c.person.id, c.person.name, end, weighted(rng, [("合格", 80), ("优秀", 20)]))
    # the cases a clerk meets: a course across the new year, rows that match nobody, rows that cannot count
    first = next(r for r in sample.reserves if not r.cadre and r.village and not any(o.key == r.id for o in out))
    out.append(
        Course(
            first.id,
            first.name,
            "冬训专题班",
            d(2025, 12, 28),
            d(2026, 1, 5),
            40.0,
            "优秀",
            "reserve",
            first.id,
            "跨年：结束日期在2026年，计入2026年",
        )
    )
    stranger = ids.new(rng, "522701", d(1992, 3, 8), True, digit_check=True)
    out.append(
        Course(
            stranger,
            "周国栋",
            "乡村振兴专题培训班",
            d(2026, 5, 10),
            d(2026, 5, 14),
            32.0,
            "合格",
            "nobody",
            None,
            "T05：人才库和花名册中都没有此人",
        )
    )
    out.append(
        Course(
            "522702********0136",
            "杨丽",
            "乡村振兴专题培训班",
            d(2026, 5, 10),
            d(2026, 5, 14),
            32.0,
            "合格",
            "nobody",
            None,
            "T05：身份证号码被遮挡",
        )
    )
    second = next(r for r in sample.reserves if not r.cadre and r.village and not any(o.key == r.id for o in out))
    out.append(
        Course(
            second.id,
            second.name,
            "村级后备干部能力提升培训班",
            d(2026, 10, 8),
            None,
            24.0,
            "合格",
            "reserve",
            second.id,
            "T06：结束日期空白",
        )
    )
    third = next(
        r
        for r in sample.reserves[len(sample.reserves) // 2 :]
        if not r.cadre and r.village and not any(o.key == r.id for o in out)
    )
    out.append(
        Course(
            third.id,
            third.name,
            "村级后备干部能力提升培训班",
            d(2026, 10, 8),
            d(2026, 10, 12),
            24.0,
            "待定",
            "reserve",
            third.id,
            "T06：结果无法识别",
        )
    )
    return out


def write_pool_files(sample: PoolSample) -> None:
    headers = [
        "序号",
        "乡镇",
        "村(社区)",
        "姓名",
        "性别",
        "身份证号",
        "出生年月",
        "政治面貌",
        "入党时间",
        "转正时间",
        "学历",
        "人才层级",
        "人才类别",
        "推荐方式",
        "是否本村户籍",
        "在村居住年限",
        "健康状况",
        "备注",
    ]
    wb = new_workbook(OUT_DIR / "talent_pool.xlsx")
    fmts = Formats(wb)
    ws = wb.add_worksheet("人才库")
    ws.merge_range(0, 0, 0, len(headers) - 1, "福泉市三级青年人才信息库（村级后备力量）", fmts.title)
    ws.write_string(1, 0, "填报单位（盖章）：中共福泉市委组织部　　　填报时间：2026年11月", fmts.sub)
    for col, head in enumerate(headers):
        ws.write_string(2, col, head, fmts.header)
        ws.set_column(col, col, {"身份证号": 21, "村(社区)": 13, "健康状况": 14}.get(head, 10))
    row = 3
    for n, r in enumerate(sample.reserves, start=1):
        values = [
            ("n", n, "zero"),
            ("s", r.township) if r.township else None,
            ("s", r.village_written or r.village) if r.village else None,
            ("s", r.name),
            ("s", r.gender),
            ("s", r.id_written or r.id),
            ("s", f"{r.birth.year}.{r.birth.month:02d}"),
            ("s", r.political_written or r.political),
            ("s", f"{r.join.year}.{r.join.month:02d}") if r.join else None,
            ("s", f"{r.full.year}.{r.full.month:02d}") if r.full else None,
            ("s", r.education_written or r.education),
            ("s", r.level_text),
            ("s", r.category),
            ("s", r.channel),
            ("s", "是" if r.hukou else "否"),
            ("n", r.residence, "general") if r.residence is not None else None,
            ("s", r.health),
            ("s", "现任村委委员") if r.cadre else None,
        ]
        for col, cell in enumerate(values):
            write_cell(ws, row, col, cell, fmts, text_column=headers[col] == "身份证号")
        sample.rows[r.id] = row + 1
        if r.township and not r.village and r.level_text == "村级":
            sample.no_village_row = row + 1
        row += 1
    ws.write_string(row, 0, "合计", fmts.cell["s"])
    ws.write_string(row, 3, f"{len(sample.reserves)}人", fmts.cell["s"])
    ws.freeze_panes(3, 0)
    wb.close()
    cadre_headers = [
        "乡镇(街道)",
        "村(社区)",
        "姓名",
        "性别",
        "身份证号码",
        "出生年月",
        "政治面貌",
        "入党时间",
        "转正时间",
        "文化程度",
        "现任职务",
        "任现职届数",
        "近三年优秀次数",
        "任正职届数",
        "考核优秀次数",
    ]
    table = [
        [
            ("s", c.person.township),
            ("s", c.person.village),
            ("s", c.person.name),
            ("s", c.person.gender),
            ("s", c.person.id),
            ("s", ym(c.person.birth)),
            ("s", c.person.political) if c.person.political else None,
            ("s", ym(c.person.join)) if c.person.join else None,
            ("s", ym(c.person.full)) if c.person.full else None,
            ("s", c.person.education),
            ("s", c.person.current),
            ("n", c.terms_in_post, "zero") if c.terms_in_post is not None else None,
            ("n", c.excellent_3y, "zero") if c.excellent_3y is not None else None,
            ("n", c.person.terms, "zero") if c.person.terms is not None else None,
            ("n", c.person.excellent, "zero") if c.person.excellent is not None else None,
        ]
        for c in sample.cadres
    ]
    write_table(
        OUT_DIR / "cadres.xlsx",
        "现任两委干部",
        cadre_headers,
        table,
        [11, 11, 9, 5, 21, 9, 11, 9, 9, 9, 9, 10, 12, 10, 11],
    )
    training_headers = ["身份证号码", "姓名", "培训项目", "开始日期", "结束日期", "学时", "结果"]
    rows = [
        [
            ("s", c.id_text),
            ("s", c.name),
            ("s", c.course),
            ("d", c.start, "date_iso") if c.start else None,
            ("d", c.end, "date_iso") if c.end else None,
            ("n", c.hours, "general") if c.hours is not None else None,
            ("s", c.result) if c.result else None,
        ]
        for c in sample.courses
    ]
    write_table(OUT_DIR / "training.xlsx", "培训记录", training_headers, rows, [21, 9, 30, 12, 12, 7, 8])
    for n, c in enumerate(sample.courses, start=2):
        if c.note:
            sample.training_rows[c.note] = n


def pool_expectation(sample: PoolSample, year: int = AS_OF.year) -> dict:
    """The figures `cadretool pool talent_pool.xlsx --roster cadres.xlsx --training training.xlsx`
    must give, computed from the model (not by cadretool)."""
    in_village = [r for r in sample.reserves if r.village]
    cadre_ids = {c.person.id for c in sample.cadres}
    done = [c for c in sample.courses if c.key and c.end and c.result in ("合格", "优秀")]
    in_year = {c.key for c in done if c.end.year == year}
    recent = {c.key for c in done if year - 2 <= c.end.year <= year}
    pool_ids = {r.id for r in sample.reserves}
    everyone = cadre_ids | pool_ids
    return {
        "people": len(sample.reserves),
        "in_villages": len(in_village),
        "under_35": sum(r.age < 35 for r in sample.reserves),
        "party_members": sum(r.political == "中共党员" for r in sample.reserves),
        "women": sum(r.gender == "女" for r in sample.reserves),
        "college": sum(EDU_RANK[r.education] >= EDU_RANK["大专"] for r in sample.reserves),
        "cadres": len(sample.cadres),
        "reserve_trained": len(in_year & (pool_ids - cadre_ids)),
        "cadre_trained": len(in_year & cadre_ids),
        "untrained_3y": len(everyone - recent),
        "courses": len(sample.courses),
        "holds": {r.hold: r for r in sample.reserves if r.hold},
        "reserve_ready": len(sample.reserves) - sum(1 for r in sample.reserves if r.hold),
        "successor": sum(c.person.current in POSTS_DEPUTY for c in sample.cadres),
        "successor_ready": sum(
            c.person.current in POSTS_DEPUTY and (c.terms_in_post or 0) >= 1 and (c.excellent_3y or 0) >= 1
            for c in sample.cadres
        ),
        "one_shoulder": sum(c.person.current == "主任" for c in sample.cadres),
        "one_shoulder_ready": sum(
            c.person.current == "主任"
            and c.person.political == "中共党员"
            and age_at(c.person.full or add_months(c.person.join, 12)) >= 1
            for c in sample.cadres
        ),
    }


def pool_readme(sample: PoolSample, exp: dict) -> str:
    def places(pairs: list[tuple[str, str]]) -> str:
        return "、".join(f"{t}{v}" for t, v in pairs)

    lines = [
        "",
        "## 人才库 / Talent pool (`cadretool pool talent_pool.xlsx --roster cadres.xlsx --training training.xlsx`)",
        "",
        "`talent_pool.xlsx`：一张表“人才库”，第1行合并标题，第2行填报单位，第3行表头（身份证号、学历、人才层级、人才类别等别名），"
        f"数据为第4–{3 + len(sample.reserves)}行，最后一行为“合计”（不是人员）。`cadres.xlsx`：roster.xlsx 中现任“两委”职务的"
        f"{exp['cadres']}人，加任现职届数、近三年优秀次数。`training.xlsx`：{exp['courses']}条培训记录。基准日 2026-12-31，培训年度 2026。",
        "",
        "The pool sheet has a merged title, a 填报单位 line, the header on row 3 and a 合计 row at the end; "
        "`cadres.xlsx` lists the serving two-committee cadres of roster.xlsx with 任现职届数 and 近三年优秀次数.",
        "",
        "| 项目 figure | 预期 expected |",
        "|---|---|",
        f"| 人才库人数 people | {exp['people']}（其中{exp['in_villages']}人有村(社区)） |",
        f"| 35岁以下 under 35 | {exp['under_35']} |",
        f"| 大专及以上 college | {exp['college']} |",
        f"| 正式党员 full party members | {exp['party_members']}（预备党员不计） |",
        f"| 女性 women | {exp['women']} |",
        "| 村(社区)数 villages | 87（全部出现在表中，包括没有后备人才的村） |",
        f"| 没有后备人才 (T01、T02、T03) | {places(sample.empty)}：在 cadres.xlsx 中有干部，人才库中没有人 |",
        f"| 只有1名后备人才 (T01) | {places(sample.single)} |",
        f"| 没有正式党员后备人才 (T02，有预备党员) | {places(sample.no_party)} |",
        f"| 没有35岁以下后备人才 (T03，其中一人基准日当天满35岁) | {places(sample.no_young)} |",
        f"| T01 村数 | {len(sample.empty) + len(sample.single)} |",
        f"| T02 村数 | {len(sample.empty) + len(sample.no_party)} |",
        f"| T03 村数 | {len(sample.empty) + len(sample.no_young)} |",
        f"| T04 村级人才没有村(社区) | talent_pool.xlsx 第{sample.no_village_row}行 |",
        "| 乡级、市级人才（不属于任何村，无T04） | 3人（写作“乡镇级”“乡级”“市”） |",
        f"| 成长阶梯：后备人才现在就能进 reserve ready | {exp['reserve_ready']}（下表5人各被一条资格条件挡住；承诺书Q10、审查意见S01不计） |",
        f"| 成长阶梯：副职 → 正职 | {exp['successor']}人，其中{exp['successor_ready']}人任现职满1届且近三年有优秀 |",
        f"| 成长阶梯：主任 → 一肩挑 | {exp['one_shoulder']}人，其中{exp['one_shoulder_ready']}人是党龄满1年的正式党员 |",
        f"| 2026年完成培训的后备干部 reserve_trained | {exp['reserve_trained']}（目标100） |",
        f"| 2026年完成培训的“两委”干部 cadre_trained | {exp['cadre_trained']}（目标100；人才库中的现任委员按干部计一次） |",
        f"| 2024–2026年没有完成培训的 untrained_3y | {exp['untrained_3y']} |",
        "",
        "| talent_pool.xlsx!row | 后备人才 | 阻碍条款 holding rule |",
        "|---|---|---|",
    ]
    for rule, r in sorted(exp["holds"].items()):
        lines.append(f"| 人才库!{sample.rows[r.id]} | {r.name} | {rule} |")
    lines += ["", "| training.xlsx!row | 预期 expected |", "|---|---|"]
    for note, row in sample.training_rows.items():
        lines.append(f"| 培训记录!{row} | {note} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    rng = random.Random(SEED)
    ids = IdRegistry()
    county = build_county(rng, ids)
    apply_cases(rng, ids, county)
    check_model(county)

    layout = write_roster(county, OUT_DIR / "roster.xlsx")
    csv_rows = write_gbk_csv(county, OUT_DIR / "roster_gbk.csv")
    police = evidence_police(rng, ids)
    discipline = evidence_discipline(rng, ids)
    write_evidence(police, discipline)
    adjustments = write_pay_adjustments(rng, county)
    income = write_income(rng, county)
    pension_rows = write_pensions(rng, county)
    claims = write_tuition(rng, ids, county)
    term = build_previous_term(county, ids)
    write_previous_roster(term, OUT_DIR / "roster_2021.xlsx")
    rep = report_expectation(county, term)
    text_md = readme(county, layout, csv_rows, police, discipline, adjustments, income, pension_rows, claims, term, rep)
    pool_sample = build_pool(county, ids)
    write_pool_files(pool_sample)
    text_md += pool_readme(pool_sample, pool_expectation(pool_sample))
    (OUT_DIR / "README.md").write_text(text_md, encoding="utf-8", newline="\n")
    total = sum(info["rows"] for info in layout.values())
    print(f"roster.xlsx: {total} people in {len(layout)} sheets; roster_gbk.csv: {csv_rows} rows")


if __name__ == "__main__":
    main()
