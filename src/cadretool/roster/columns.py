"""Canonical roster fields, their Chinese headers and the vocabularies (rules/columns.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cadretool.errors import RulesError
from cadretool.roster.text import clean_text, header_key
from cadretool.yamlio import load_yaml, locate, shape_message

POST_VOCABULARY = "post"  # the vocabulary whose values the `posts` section describes
FieldType = Literal["text", "id_number", "date", "number", "integer", "yes_no", "vocab"]

_JOINERS = ("兼", "、", "，", ",", "/", "／", "及")
YES_VALUES = {
    "是",
    "有",
    "y",
    "yes",
    "true",
    "1",
    "√",
    "✓",
    "✔",
    "对",
    "已签",
    "已签订",
    "已签署",
    "签订",
    "本村",
    "本社区",
}
NO_VALUES = {
    "否",
    "无",
    "没有",
    "n",
    "no",
    "false",
    "0",
    "×",
    "✗",
    "✘",
    "不是",
    "未",
    "未签",
    "未签订",
    "未签署",
    "拒签",
    "外村",
    "非本村",
    "非本社区",
}


class FieldConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headers: list[str]
    type: FieldType = "text"
    vocabulary: str | None = None
    # a header that also gives another field's value: 全日制教育/学历 is education, mode 全日制
    implies: dict[str, dict[str, str]] = {}
    # a count where 无 / 没有 / 未外出 means 0 (none happened), not a value left out
    none_is_zero: bool = False

    @field_validator("headers")
    @classmethod
    def _not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("headers must list at least one header")
        return [str(v) for v in value]


class VocabularyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    values: dict[str, list[str]]
    order: list[str | list[str]] | None = None
    blank: list[str] = []
    contains: bool = False


class PostConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group: str | None = None
    two_committee: bool = False
    party: bool = False
    party_aliases: list[str] = []
    combines: list[str] = []


class ColumnsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldConfig]
    vocabularies: dict[str, VocabularyConfig] = {}
    post_groups: list[str] = []
    posts: dict[str, PostConfig] = {}
    none_words: list[str] = []
    none_openings: list[str] = []
    evidence_fields: dict[str, FieldConfig] = {}
    evidence_clear: list[str] = []
    # the side files of the HR jobs (SPEC §7): contribution records and tuition claims
    contribution_fields: dict[str, FieldConfig] = {}
    tuition_claim_fields: dict[str, FieldConfig] = {}
    # the talent pool's training records (SPEC §8.1)
    training_fields: dict[str, FieldConfig] = {}


OTHER_GROUP = "其他"  # the post group of anyone who holds no two-committee post

# posts held together: 书记、主任 / 副书记兼主任 / 书记和主任 / 党支部书记 村委会主任
_POST_JOINERS = re.compile(r"[、，,/／;；+＋\s]|兼任|兼|及|和|与")
_POST_BRACKETS = re.compile(r"[(（【\[]([^)）】\]]*)[)）】\]]")
# words around a title that are not part of it: 拟任书记, 书记人选, 主任候选人
_POST_REMARKS = re.compile(r"^(?:拟任|拟|现任|兼任|兼)|(?:初步人选|拟任人选|候选人|人选)$")
# a place named before a title: 红星村党支部书记, 第三村民小组组长
_QUESTION_HEADER = re.compile(
    r"^(?:是否|有无|有没有)(?:为|是|有过|有|存在|属于|系|曾经|曾|被|参与|涉及)?|(?:的)?(?:情况|情形|行为|记录|问题|人员)$"
)
_REMARK = re.compile(r"[(（【\[][^)）】\]]*[)）】\]]")
# 无法确定, 无法判断: a value opening with 无法 negates nothing
_NOT_NONE = ("无法",)
_POST_PLACE = re.compile(r"^(?!.*党组$)[\u4e00-\u9fff\d]{0,12}(?:村|社区|居委会|镇|乡|街道|组)$")


@dataclass
class Post:
    """One value of the post vocabulary, with what the rules need to know of it."""

    name: str
    group: str | None
    two_committee: bool
    party: bool
    party_aliases: frozenset[str] = frozenset()  # header keys of aliases that make it a party post (支委)
    combines: tuple[str, ...] = ()  # 一肩挑 is 书记 and 主任 held together


@dataclass
class PostTable:
    """The posts of columns.yaml: their groups (highest first), two-committee and party posts."""

    posts: dict[str, Post]
    groups: list[str]

    @property
    def two_committee(self) -> list[str]:
        return [p.name for p in self.posts.values() if p.two_committee]

    @property
    def party(self) -> list[str]:
        return [p.name for p in self.posts.values() if p.two_committee and p.party]

    def group_of(self, post: str | None) -> str | None:
        """正职/副职/委员 for a two-committee post, 其他 for any other, None for no post."""
        if post is None:
            return None
        info = self.posts.get(post)
        return info.group if info is not None and info.two_committee and info.group else OTHER_GROUP

    def combine(self, held: list[tuple[str, str]]) -> tuple[str, bool]:
        """The post that counts among several held together ((post, alias key) pairs, in the order
        written) and whether any of them is a party post: 书记 + 主任 is 一肩挑; 副书记 + 主任 is
        主任 (also a party post); otherwise the highest two-committee post, the first named on a tie."""
        names = list(dict.fromkeys(post for post, _ in held))
        party = any(
            self.posts[post].two_committee and (self.posts[post].party or key in self.posts[post].party_aliases)
            for post, key in held
        )
        for combined in self.posts.values():
            parts = combined.combines
            if parts and (combined.name in names or all(p in names for p in parts)):
                at = min([names.index(p) for p in parts if p in names] + [len(names)])
                names = [n for n in names if n not in parts and n != combined.name]
                names.insert(min(at, len(names)), combined.name)
        rank = {g: i for i, g in enumerate(self.groups)}

        def weight(item: tuple[int, str]) -> tuple[int, int]:
            order, name = item
            post = self.posts[name]
            return (rank.get(post.group or "", len(rank)) if post.two_committee else len(rank) + 1, order)

        main = min(enumerate(names), key=weight)[1]
        return main, party or (self.posts[main].two_committee and self.posts[main].party)


@dataclass
class Vocabulary:
    """A closed list of values with aliases; `ranks` is set for ordered vocabularies."""

    name: str
    values: list[str]
    lookup: dict[str, str]
    blank: set[str]
    ranks: dict[str, int] | None = None
    contains: bool = False
    posts: PostTable | None = None  # set for the post vocabulary: titles are read whole, maybe combined
    none: set[str] = field(default_factory=set)  # the rule set's "none" words (无, 暂无, 未受处分 …), as keys
    none_openings: tuple[str, ...] = ()  # a value opening with one says there is none (未受过任何处分)

    def normalise(self, text: str | None) -> tuple[str | None, bool]:
        """Return (canonical value, recognised). Blank-like values give (None, True)."""
        if self.posts is not None:
            value, recognised, _ = self.read_post(text)
            return value, recognised
        if text is None:
            return None, True
        key = header_key(text)
        if not key or key in self.blank:
            return None, True
        hit = self.lookup.get(key)
        if hit is not None:
            return hit, True
        if key in self.none:  # after the values: 无 in 政治面貌 is 群众
            return None, True
        if says_none(text, self.none | self.blank, self.none_openings):  # 无（新进）, 未受过任何处分
            return None, True
        agreed = self._agreeing_remark(text)
        if agreed is not None:
            return agreed, True
        if self.contains:
            # 村党支部书记（兼） → the one value whose longest alias the text contains
            found = sorted((a for a in self.lookup if len(a) >= 2 and a in key), key=len, reverse=True)
            taken = [False] * len(key)
            values: dict[str, int] = {}
            for alias in found:  # longest first; a shorter alias inside a longer one does not count
                at = key.find(alias)
                if not any(taken[at : at + len(alias)]):
                    taken[at : at + len(alias)] = [True] * len(alias)
                    values[self.lookup[alias]] = min(at, values.get(self.lookup[alias], at))
            if len(values) == 1:
                return next(iter(values)), True
            if len(values) > 1 and any(j in text for j in _JOINERS):
                # 村委会副主任兼妇女主任: two posts held together; the one named first is the post
                return min(values, key=values.__getitem__), True
        return None, False

    def _agreeing_remark(self, text: str) -> str | None:
        """研究生（硕士）, 大学本科（学士）: a value with a bracketed remark that names the same value is
        that value; a remark naming another value or none (中共党员（预备）) leaves the text unread."""
        inner = [header_key(m.group(1)) for m in _POST_BRACKETS.finditer(text)]
        if not inner:
            return None
        said = {self.lookup.get(k) for k in [header_key(_POST_BRACKETS.sub("", text)), *inner]}
        return next(iter(said)) if len(said) == 1 else None

    def read_post(self, text: str | None) -> tuple[str | None, bool, bool]:
        """A post title read whole: (post, recognised, holds a party post).

        Several titles may be written together (党支部副书记兼村委会主任, 书记、主任, a line break
        between them); each must be a whole title of the vocabulary, perhaps after a place name
        (红星村党支部书记), so 副书记 never reads as 书记, 妇女主任 never as 主任 and 第一书记 never
        as 书记. A bracketed remark that is not a title, (拟) or (兼), is ignored.
        """
        assert self.posts is not None
        if text is None:
            return None, True, False
        key = header_key(text)
        if not key or key in self.blank:
            return None, True, False
        if key in self.lookup:
            held = [(self.lookup[key], key)]
        elif key in self.none or says_none(text, self.none | self.blank, self.none_openings):
            return None, True, False
        else:
            # 村（居）委会主任, 党支部书记（连任）: the bracket is read on its own, the title without it
            parts = [(p, False) for p in _POST_JOINERS.split(_POST_BRACKETS.sub("", text))]
            parts += [(p, True) for m in _POST_BRACKETS.finditer(text) for p in _POST_JOINERS.split(m.group(1))]
            held = []
            for part, optional in parts:
                part_key = _POST_REMARKS.sub("", header_key(part))
                if not part_key:
                    continue
                pieces = self._titles(part_key)
                if pieces is None:
                    if optional:
                        continue
                    return None, False, False
                held += [(self.lookup[p], p) for p in pieces]
            if not held:
                return None, False, False
        main, party = self.posts.combine(held)
        return main, True, party

    def _titles(self, key: str) -> list[str] | None:
        """`key` as whole titles one after another (fewest), maybe after a place name; else None."""
        n = len(key)
        best: list[list[str] | None] = [None] * n + [[]]
        for i in range(n - 1, -1, -1):
            for j in range(n, i + 1, -1):
                rest = best[j]
                if rest is not None and key[i:j] in self.lookup:
                    if best[i] is None or len(rest) + 1 < len(best[i] or ()):
                        best[i] = [key[i:j], *rest]
        if best[0] is not None:
            return best[0]
        for i in range(1, n - 1):
            if best[i] is not None and _POST_PLACE.match(key[:i]):
                return best[i]
        return None


@dataclass
class FieldSpec:
    name: str
    headers: list[str]
    type: FieldType
    vocabulary: Vocabulary | None = None
    title: str = ""
    none_is_zero: bool = False  # columns.yaml's none_is_zero: 无 in a count is 0

    @property
    def label(self) -> str:
        """The Chinese header a person knows this field by."""
        return self.title or self.headers[0]


@dataclass
class ColumnSpec:
    """Every field a roster column can map to, with the header index used to find them."""

    fields: dict[str, FieldSpec]
    vocabularies: dict[str, Vocabulary]
    header_index: dict[str, str] = field(default_factory=dict)
    clear_words: list[str] = field(default_factory=list)  # evidence: "nothing found"
    none_words: frozenset[str] = frozenset()  # 无, 暂无, / …: no value in a vocabulary, flag, date or number
    none_openings: tuple[str, ...] = ()  # keys a value opening with says there is none: 未外出, 无此情形
    implied: dict[str, dict[str, str]] = field(default_factory=dict)  # header key → {field: value}
    _matches: dict[object, str | None] = field(default_factory=dict, repr=False)

    def add_field(self, spec: FieldSpec, source: Path | None = None) -> None:
        self.fields[spec.name] = spec
        for header in spec.headers:
            key = header_key(header)
            other = self.header_index.get(key)
            if other is not None and other != spec.name:
                raise RulesError(
                    source or "columns.yaml",
                    f"列名“{header}”同时对应字段 {other} 和 {spec.name} (header maps to two fields)",
                )
            self.header_index[key] = spec.name
        self._matches.clear()

    def match_header(self, text: object) -> str | None:
        """The canonical field a header cell names, or None."""
        key = (type(text), text) if isinstance(text, str | int | float) else None
        if key is not None and key in self._matches:
            return self._matches[key]
        hit = self._match(text)
        if key is not None:
            self._matches[key] = hit
        return hit

    def match_path(self, path: tuple[str, ...]) -> tuple[str | None, str]:
        """The field a column of a multi-row header names, and the header text that named it: the
        leaf cell together with its parents, most specific first (在职教育/学历 before 学历); a leaf
        that is only a qualifier of its parent is read before it (职务 over 现任 and 拟任)."""
        for i in range(len(path)):
            text = "/".join(path[i:])
            hit = self.match_header(text)
            if hit is not None:
                return hit, text
        for parent in reversed(path[:-1]):
            text = path[-1] + parent
            hit = self.match_header(text)
            if hit is not None:
                return hit, text
        return None, ""

    def implied_by(self, header: str) -> dict[str, str]:
        """Field values a matched header gives besides its own field (全日制教育/学历: 全日制)."""
        return self.implied.get(header_key(header), {}) if self.implied else {}

    def _match(self, text: object) -> str | None:
        cleaned = clean_text(text)
        if not cleaned:
            return None
        key = header_key(cleaned)
        hit = self.header_index.get(key)
        if hit is None:
            # 身份证号码(18位), 出生年月（格式1985.03）: try again without the bracketed hint
            stripped = re.sub(r"[(（【\[].*?[)）】\]]", "", cleaned)
            if stripped != cleaned:
                hit = self.header_index.get(header_key(stripped))
                key = header_key(stripped)
        if hit is None:
            # 是否失信被执行人, 有无刑事处罚记录, 是否存在拉票贿选行为: a 是/否 column asked as a question
            asked = _QUESTION_HEADER.sub("", key)
            found = self.header_index.get(asked) if asked != key else None
            if found is not None and self.fields[found].type == "yes_no":
                hit = found
        return hit

    def label(self, name: str) -> str:
        spec = self.fields.get(name)
        return spec.label if spec else name

    @property
    def posts(self) -> PostTable:
        """The post table (empty when the rule set has no post vocabulary)."""
        vocab = self.vocabularies.get(POST_VOCABULARY)
        return vocab.posts if vocab is not None and vocab.posts is not None else PostTable({}, [])


def load_columns(path: Path) -> tuple[ColumnSpec, ColumnSpec]:
    """Load and validate columns.yaml strictly: (roster columns, evidence columns)."""
    specs = _load_sections(path, ("fields", "evidence_fields"))
    return specs[0], specs[1]


def load_column_section(path: Path, section: str) -> ColumnSpec:
    """One more section of columns.yaml (contribution_fields, tuition_claim_fields …) as the
    columns of a side file, with the rule set's vocabularies and none words; a section the
    file lacks is an error naming the file."""
    return _load_sections(path, (section,))[0]


def _load_sections(path: Path, sections: tuple[str, ...]) -> list[ColumnSpec]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RulesError(path, "应为映射（fields/vocabularies） (expected a mapping)")
    try:
        config = ColumnsConfig.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = [str(p) for p in err["loc"]]
        line = _line_of(data, err["loc"])
        raise RulesError(path, f"{'.'.join(loc)}: {shape_message(err)}", line=line) from None
    vocabularies: dict[str, Vocabulary] = {}
    for name, vc in config.vocabularies.items():
        vocabularies[name] = _build_vocabulary(path, name, vc, _line_of(data, ("vocabularies", name)))
    none_keys = {header_key(w) for w in config.none_words} - {""}
    openings = tuple(k for k in (header_key(w) for w in config.none_openings) if k)
    for vocab in vocabularies.values():
        vocab.none = none_keys
        vocab.none_openings = openings
    if POST_VOCABULARY in vocabularies:
        vocabularies[POST_VOCABULARY].posts = _build_posts(path, config, vocabularies[POST_VOCABULARY], data)
    specs = []
    for section in sections:
        configs: dict[str, FieldConfig] = getattr(config, section)
        if not configs and section != "evidence_fields":
            raise RulesError(path, f"缺少 {section} 部分（该文件各列的表头）(section missing)")
        spec = ColumnSpec(
            fields={}, vocabularies=vocabularies, none_words=frozenset(config.none_words), none_openings=openings
        )
        for name, fc in configs.items():
            vocab = None
            if fc.type == "vocab":
                if not fc.vocabulary or fc.vocabulary not in vocabularies:
                    raise RulesError(
                        path,
                        f"字段 {name} 的词表 {fc.vocabulary!r} 未定义 (unknown vocabulary)",
                        line=_line_of(data, (section, name)),
                    )
                vocab = vocabularies[fc.vocabulary]
            spec.add_field(
                FieldSpec(name, [*fc.headers, *fc.implies], fc.type, vocab, none_is_zero=fc.none_is_zero), source=path
            )
            for header, values in fc.implies.items():
                unknown = [f for f in values if f not in configs]
                if unknown:
                    raise RulesError(
                        path,
                        f"字段 {name} 的 implies 中的 {'、'.join(unknown)} 不是字段名",
                        line=_line_of(data, (section, name)),
                    )
                spec.implied[header_key(header)] = dict(values)
        if section == "evidence_fields":
            spec.clear_words = list(config.evidence_clear)
        specs.append(spec)
    return specs


def _build_vocabulary(path: Path, name: str, vc: VocabularyConfig, line: int | None) -> Vocabulary:
    lookup: dict[str, str] = {}
    for canonical, aliases in vc.values.items():
        for alias in [canonical, *aliases]:
            key = header_key(str(alias))
            if key in lookup and lookup[key] != canonical:
                raise RulesError(path, f"词表 {name}: “{alias}”同时是 {lookup[key]} 和 {canonical} 的别名", line=line)
            lookup[key] = canonical
    ranks = None
    if vc.order is not None:
        ranks = {}
        for rank, entry in enumerate(vc.order, start=1):
            for value in [entry] if isinstance(entry, str) else entry:
                if value not in vc.values:
                    raise RulesError(path, f"词表 {name} 的 order 中的“{value}”不是词表的值", line=line)
                ranks[value] = rank
        unranked = [v for v in vc.values if v not in ranks]
        if unranked:
            raise RulesError(path, f"词表 {name} 的 order 缺少 {'、'.join(unranked)}", line=line)
    return Vocabulary(name, list(vc.values), lookup, {header_key(b) for b in vc.blank}, ranks, vc.contains)


def _build_posts(path: Path, config: ColumnsConfig, vocab: Vocabulary, data: object) -> PostTable:
    """The `posts` section: every value of the post vocabulary with its group and kind."""
    line = _line_of(data, ("posts",))
    if not config.posts:
        raise RulesError(
            path, "缺少 posts：需为词表 post 的每个职务写明 group、two_committee、party (posts section missing)"
        )
    missing = [v for v in vocab.values if v not in config.posts]
    if missing:
        raise RulesError(path, f"posts 缺少职务 {'、'.join(missing)}（词表 post 中的每个值都要写明）", line=line)
    posts: dict[str, Post] = {}
    for name, pc in config.posts.items():
        where = _line_of(data, ("posts", name))
        if name not in vocab.values:
            raise RulesError(path, f"posts 中的“{name}”不是词表 post 的值", line=where)
        if pc.two_committee and pc.group not in config.post_groups:
            groups = "、".join(config.post_groups) or "（post_groups 为空）"
            raise RulesError(path, f"职务 {name} 的 group “{pc.group}”不在 post_groups（{groups}）中", line=where)
        for part in pc.combines:
            if part not in vocab.values:
                raise RulesError(path, f"职务 {name} 的 combines 中的“{part}”不是词表 post 的值", line=where)
        keys = frozenset(header_key(a) for a in pc.party_aliases)
        wrong = [a for a in pc.party_aliases if vocab.lookup.get(header_key(a)) != name]
        if wrong:
            raise RulesError(path, f"职务 {name} 的 party_aliases 中的 {'、'.join(wrong)} 不是它的别名", line=where)
        posts[name] = Post(name, pc.group, pc.two_committee, pc.party, keys, tuple(pc.combines))
    return PostTable(posts, list(config.post_groups))


def _line_of(data: object, loc: tuple) -> int | None:
    return locate(data, loc)[0]


def says_none(text: str, none: frozenset[str] | set[str], openings: tuple[str, ...] = ()) -> str:
    """Whether a cell says there is no value: "none" for a none word, also with a remark in brackets
    (无（新进）, /（新任）); "negated" for a phrase opening with a negation (未受过任何处分, 无此情形,
    未外出; 无法 is no negation); "" otherwise. `none` and `openings` are header keys."""
    key = header_key(text)
    base = header_key(_REMARK.sub("", text)) if "(" in text or "（" in text or "[" in text or "【" in text else key
    if key in none or (base != key and (not base or base in none)):
        return "none"
    if any(base.startswith(o) for o in openings) and not base.startswith(_NOT_NONE):
        return "negated"
    return ""


def yes_no(
    text: str | None, none: frozenset[str] | set[str] = frozenset(), openings: tuple[str, ...] = ()
) -> tuple[bool | None, bool]:
    """Read a 是/否 cell: (value, recognised). Blank, or one of the `none` words (暂无, 不详), gives
    (None, True): no hit for a negative-list flag; a negated phrase (无此情形, 不存在) is a 否."""
    if text is None:
        return None, True
    key = header_key(text)
    if not key:
        return None, True
    if key in YES_VALUES:
        return True, True
    if key in NO_VALUES:
        return False, True
    kind = says_none(text, none, openings)
    if kind:
        return (None if kind == "none" else False), True
    return None, False
