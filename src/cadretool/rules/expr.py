"""The rule expression language: a small closed grammar, parsed here, never eval'd.

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("=="|"!="|"<"|"<="|">"|">=") sum | ["not"] "in" sum)?
    sum     := term (("+"|"-") term)*
    term    := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := number | 'text' | "text" | true | false | null | name
             | name "(" [expr ("," expr)*] ")" | "[" [expr ("," expr)*] "]" | "(" expr ")"

Every expression is checked against the names it may read (with their kinds) when the
rule set loads, and evaluates over whole pandas columns. Unknown values are NA and
propagate (Kleene logic for and/or/not), so a rule can tell "failed" from "could not
be decided because an input is missing".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cadretool.roster.text import map_unique, map_values

# kinds of values: number, date, text, bool, list, table, and "ordered:<vocabulary>"
NUMBER, DATE, TEXT, BOOL, LIST, TABLE, ANY = "number", "date", "text", "bool", "list", "table", "any"


class ExprError(Exception):
    """A problem in an expression, with the character position it was found at."""

    def __init__(self, message: str, pos: int = 0) -> None:
        self.message = message
        self.pos = pos
        super().__init__(message)


# ---------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Node:
    pos: int


@dataclass(frozen=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class ListNode(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


# ---------------------------------------------------------------- tokenizer and parser

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


@dataclass
class _Token:
    kind: str
    text: str
    pos: int


def _char_hint(text: str, at: int) -> str:
    """What a rule author coming from Excel or another language probably meant."""
    char = text[at]
    if char == "=":
        return "，相等写作 ==，不等写作 !="
    if char in "&|":
        return "，并且写作 and，或者写作 or"
    if char in "（），＜＞＝！":
        return "，请用英文括号和符号 ( ) , < > = !"
    if not char.isascii():
        return "，文字取值需加引号，如 '男'"
    return ""


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            start = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExprError(f"无法识别的字符“{text[start]}”{_char_hint(text, start)} (unexpected character)", start)
        kind = m.lastgroup or ""
        value = m.group(kind)
        start = m.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = value
        tokens.append(_Token(kind, value, start))
        pos = m.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self, *kinds: str) -> _Token | None:
        tok = self.tokens[self.i]
        if tok.kind in kinds or (tok.kind == "op" and tok.text in kinds):
            self.i += 1
            return tok
        return None

    def expect(self, text: str) -> _Token:
        tok = self.take(text)
        if tok is None:
            got = self.peek()
            raise ExprError(f"此处应为“{text}”，却是“{got.text or '结尾'}”", got.pos)
        return tok

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"多余的内容“{tok.text}” (unexpected text)", tok.pos)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while tok := self.take("or"):
            node = Binary(tok.pos, "or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while tok := self.take("and"):
            node = Binary(tok.pos, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        if tok := self.take("not"):
            return Unary(tok.pos, "not", self.not_())
        return self.cmp()

    def cmp(self) -> Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.i += 1
            right = self.sum()
            node = Binary(tok.pos, tok.text, node, right)
        elif tok.kind == "in":
            self.i += 1
            node = Binary(tok.pos, "in", node, self.sum())
        elif tok.kind == "not" and self.tokens[self.i + 1].kind == "in":
            self.i += 2
            node = Binary(tok.pos, "not in", node, self.sum())
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text in _COMPARE:
            raise ExprError("比较不能连写，请用 and 连接 (chained comparison)", nxt.pos)
        return node

    def sum(self) -> Node:
        node = self.term()
        while tok := self.take("+", "-"):
            node = Binary(tok.pos, tok.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while tok := self.take("*", "/"):
            node = Binary(tok.pos, tok.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if tok := self.take("-"):
            return Unary(tok.pos, "-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        self.i += 1
        if tok.kind == "number":
            return Literal(tok.pos, float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            return Literal(tok.pos, tok.text[1:-1])
        if tok.kind in ("true", "false"):
            return Literal(tok.pos, tok.kind == "true")
        if tok.kind == "null":
            return Literal(tok.pos, None)
        if tok.kind == "name":
            if self.take("("):
                args: list[Node] = []
                if not self.take(")"):
                    args.append(self.or_())
                    while self.take(","):
                        args.append(self.or_())
                    self.expect(")")
                return Call(tok.pos, tok.text, tuple(args))
            return Name(tok.pos, tok.text)
        if tok.kind == "op" and tok.text == "[":
            items: list[Node] = []
            if not self.take("]"):
                items.append(self.or_())
                while self.take(","):
                    items.append(self.or_())
                self.expect("]")
            return ListNode(tok.pos, tuple(items))
        if tok.kind == "op" and tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "end":
            raise ExprError("表达式不完整 (expression ends too early)", tok.pos)
        raise ExprError(f"此处不应出现“{tok.text}” (unexpected token)", tok.pos)


def parse(text: str) -> Node:
    """Parse an expression; raises ExprError with the position of the problem."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("表达式为空 (empty expression)", 0)
    return _Parser(text).parse()


def names_in(node: Node) -> list[str]:
    """Every name an expression reads, in order of first appearance."""
    seen: dict[str, None] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Name):
            seen.setdefault(n.name, None)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)
        elif isinstance(n, ListNode):
            for a in n.items:
                walk(a)

    walk(node)
    return list(seen)


# ---------------------------------------------------------------- static checking


@dataclass
class Scope:
    """The names an expression may read, with their kinds; ordered kinds carry ranks."""

    kinds: dict[str, str]
    ranks: dict[str, dict[str, int]] = field(default_factory=dict)
    vocab_values: dict[str, set[str]] = field(default_factory=dict)  # name -> allowed literals
    constants: dict[str, list[Any]] = field(default_factory=dict)  # parameter -> every dated value


_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "age_at": (2, 2),
    "years_between": (2, 2),
    "months_between": (2, 2),
    "add_months": (2, 2),
    "between": (3, 3),
    "coalesce": (1, None),
    "if": (3, 3),
    "present": (1, 1),
    "missing": (1, 1),
    "contains_any": (2, 3),
    "lookup": (2, 2),
}
FUNCTION_NAMES = sorted(_FUNCTIONS)


def check(node: Node, scope: Scope) -> str:
    """Return the kind of an expression, or raise ExprError naming the first problem."""
    if isinstance(node, Literal):
        v = node.value
        if isinstance(v, bool):
            return BOOL
        if isinstance(v, int | float):
            return NUMBER
        if v is None:
            return ANY
        return TEXT
    if isinstance(node, Name):
        if node.name not in scope.kinds:
            raise ExprError(f"未知的字段或参数“{node.name}” (unknown name)", node.pos)
        return scope.kinds[node.name]
    if isinstance(node, ListNode):
        for item in node.items:
            check(item, scope)
        return LIST
    if isinstance(node, Unary):
        kind = check(node.operand, scope)
        if node.op == "not":
            _want(kind, BOOL, node.operand, "not")
            return BOOL
        _want(kind, NUMBER, node.operand, "-")
        return NUMBER
    if isinstance(node, Binary):
        left, right = check(node.left, scope), check(node.right, scope)
        if node.op in ("and", "or"):
            _want(left, BOOL, node.left, node.op)
            _want(right, BOOL, node.right, node.op)
            return BOOL
        if node.op in ("+", "-", "*", "/"):
            _want(left, NUMBER, node.left, node.op)
            _want(right, NUMBER, node.right, node.op)
            return NUMBER
        if node.op in ("in", "not in"):
            if right not in (LIST, ANY):
                raise ExprError(f"“{node.op}”右边应为列表，如 ['书记', '主任']", node.right.pos)
            _check_literals(node.left, node.right, scope)
            return BOOL
        # comparisons
        if left != ANY and right != ANY and _base(left) != _base(right):
            raise ExprError(f"不能比较{_kind_cn(left)}和{_kind_cn(right)} (type mismatch)", node.pos)
        if (
            node.op in ("<", "<=", ">", ">=")
            and (left == TEXT or right == TEXT)
            and not (left.startswith("ordered:") or right.startswith("ordered:"))
        ):
            raise ExprError("文本只能用 == 或 != 比较；有顺序的词表（如文化程度）才能比较大小", node.pos)
        _check_literals(node.left, node.right, scope)
        _check_literals(node.right, node.left, scope)
        return BOOL
    if isinstance(node, Call):
        if node.func not in _FUNCTIONS:
            raise ExprError(f"未知的函数“{node.func}”，可用：{', '.join(FUNCTION_NAMES)}", node.pos)
        lo, hi = _FUNCTIONS[node.func]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            want = f"{lo}" if lo == hi else f"至少{lo}"
            raise ExprError(f"函数 {node.func} 需要{want}个参数，给了{len(node.args)}个", node.pos)
        kinds = [check(a, scope) for a in node.args]
        f = node.func
        if f in ("age_at", "years_between", "months_between"):
            for a, k in zip(node.args, kinds, strict=True):
                _want(k, DATE, a, f)
            return NUMBER
        if f == "add_months":
            _want(kinds[0], DATE, node.args[0], f)
            _want(kinds[1], NUMBER, node.args[1], f)
            return DATE
        if f == "between":
            for a, k in zip(node.args[1:], kinds[1:], strict=True):
                if k != ANY and kinds[0] != ANY and _base(k) != _base(kinds[0]):
                    raise ExprError(f"between 的上下限应与第一个参数同类 ({_kind_cn(kinds[0])})", a.pos)
            return BOOL
        if f == "coalesce":
            known = [k for k in kinds if k != ANY]
            if any(_base(k) != _base(known[0]) for k in known):
                raise ExprError("coalesce 的参数应为同一类值", node.pos)
            return known[0] if known else ANY
        if f == "if":
            _want(kinds[0], BOOL, node.args[0], "if")
            if kinds[1] != ANY and kinds[2] != ANY and _base(kinds[1]) != _base(kinds[2]):
                raise ExprError("if 的两个结果应为同一类值", node.pos)
            return kinds[1] if kinds[1] != ANY else kinds[2]
        if f in ("present", "missing"):
            return BOOL
        if f == "contains_any":
            _want(kinds[0], TEXT, node.args[0], f)
            for arg, kind, which in zip(node.args[1:], kinds[1:], ("第二", "第三"), strict=False):
                if kind not in (LIST, ANY):
                    raise ExprError(f"contains_any 的{which}个参数应为列表", arg.pos)
            return BOOL
        if f == "lookup":
            if kinds[0] != TABLE:
                raise ExprError("lookup 的第一个参数应为对照表参数", node.args[0].pos)
            _check_keys(node.args[0], node.args[1], scope)
            return NUMBER
    raise ExprError("无法识别的表达式", node.pos)


def _base(kind: str) -> str:
    return TEXT if kind.startswith("ordered:") else kind


def _want(kind: str, want: str, node: Node, where: str) -> None:
    if kind != ANY and _base(kind) != want and not (want == TEXT and kind.startswith("ordered:")):
        raise ExprError(f"“{where}”需要{_kind_cn(want)}，这里是{_kind_cn(kind)}", node.pos)


def _kind_cn(kind: str) -> str:
    return {NUMBER: "数字", DATE: "日期", TEXT: "文本", BOOL: "真假值", LIST: "列表", TABLE: "对照表", ANY: "空值"}.get(
        _base(kind), kind
    )


def _check_literals(name_side: Node, value_side: Node, scope: Scope) -> None:
    """A literal compared with a vocabulary field must be one of its values (catches typos)."""
    if not isinstance(name_side, Name) or name_side.name not in scope.vocab_values:
        return
    allowed = scope.vocab_values[name_side.name]
    literals = value_side.items if isinstance(value_side, ListNode) else (value_side,)
    for lit in literals:
        if isinstance(lit, Literal) and isinstance(lit.value, str) and lit.value not in allowed:
            raise ExprError(f"“{lit.value}”不是 {name_side.name} 的取值，可用：{'、'.join(sorted(allowed))}", lit.pos)
        if isinstance(lit, Name) and lit.name in scope.constants:
            # a parameter compared with a vocabulary field: every dated value must be in it
            for value in scope.constants[lit.name]:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and item not in allowed:
                        raise ExprError(
                            f"参数 {lit.name} 的取值“{item}”不是 {name_side.name} 的取值，"
                            f"可用：{'、'.join(sorted(allowed))}",
                            lit.pos,
                        )


def _check_keys(table: Node, key: Node, scope: Scope) -> None:
    """lookup(TABLE, FIELD) with a vocabulary field: every key of every dated value of the table is
    one of its values (a key nobody's record can have is a typo that silently looks up nothing)."""
    if not (isinstance(table, Name) and isinstance(key, Name) and key.name in scope.vocab_values):
        return
    allowed = scope.vocab_values[key.name]
    for value in scope.constants.get(table.name, []):
        unknown = [str(k) for k in value if str(k) not in allowed] if isinstance(value, dict) else []
        if unknown:
            known = "、".join(sorted(allowed))
            raise ExprError(
                f"参数 {table.name} 中的“{'、'.join(unknown)}”不是 {key.name} 的取值，可用：{known}", table.pos
            )


# ---------------------------------------------------------------- evaluation over columns


@dataclass
class Env:
    """Values for names: whole columns (Series on the frame's index) or scalars."""

    index: pd.Index
    resolve: Callable[[str], Any]
    kinds: dict[str, str]
    ranks: dict[str, dict[str, int]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name not in self.cache:
            self.cache[name] = self.resolve(name)
        return self.cache[name]


def evaluate(node: Node, env: Env) -> Any:
    """Evaluate over whole columns. Booleans come back as pandas 'boolean' Series with NA."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return env.get(node.name)
    if isinstance(node, ListNode):
        return [evaluate(i, env) for i in node.items]
    if isinstance(node, Unary):
        value = evaluate(node.operand, env)
        if node.op == "not":
            return ~_as_bool(value, env)
        return -_as_number(value, env)
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            left = _as_bool(evaluate(node.left, env), env)
            right = _as_bool(evaluate(node.right, env), env)
            return (left & right) if node.op == "and" else (left | right)
        if node.op in ("+", "-", "*", "/"):
            a, b = _as_number(evaluate(node.left, env), env), _as_number(evaluate(node.right, env), env)
            if node.op == "+":
                return a + b
            if node.op == "-":
                return a - b
            if node.op == "*":
                return a * b
            return a / b.where(b != 0) if isinstance(b, pd.Series) else (a / b if b else _na_number(env))
        if node.op in ("in", "not in"):
            left = _series(evaluate(node.left, env), env)
            items = evaluate(node.right, env)
            if isinstance(items, pd.Series):
                items = items.dropna().tolist()
            values = [i for i in (items or []) if i is not None]
            result = pd.Series(left.isin(values).to_numpy(), index=env.index, dtype="boolean", copy=False)
            result[left.isna().to_numpy()] = pd.NA
            return ~result if node.op == "not in" else result
        return _compare(node, env)
    if isinstance(node, Call):
        return _call(node, env)
    raise ExprError("无法识别的表达式", node.pos)


def _compare(node: Binary, env: Env) -> pd.Series:
    left, right = evaluate(node.left, env), evaluate(node.right, env)
    ranks = _ranks_for(node.left, env) or _ranks_for(node.right, env)
    if ranks is not None:
        left, right = _ranked(left, ranks, env), _ranked(right, ranks, env)
    fast = _against_constant(node.op, left, right)
    if fast is not None:
        return fast
    a, b = _series(left, env), _series(right, env)
    if _is_date(a) or _is_date(b):
        a, b = pd.to_datetime(a), pd.to_datetime(b)
    na = (a.isna() | b.isna()).to_numpy()
    with np.errstate(invalid="ignore"):
        op = node.op
        if op == "==":
            raw = a == b
        elif op == "!=":
            raw = a != b
        elif op == "<":
            raw = a < b
        elif op == "<=":
            raw = a <= b
        elif op == ">":
            raw = a > b
        else:
            raw = a >= b
    result = pd.Series(np.asarray(raw, dtype=bool), index=env.index, dtype="boolean", copy=False)
    result[na] = pd.NA
    return result


_OPS = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def _against_constant(op: str, left: Any, right: Any) -> pd.Series | None:
    """A column against a constant (post == "书记", age > 45) without the constant spread into a
    column of its own: text compared for (in)equality, numbers by any operator; None for the rest."""
    if not isinstance(left, pd.Series) or isinstance(right, bool | np.bool_):
        return None
    if isinstance(right, str) and left.dtype == object and op in ("==", "!="):
        cells = left.to_numpy(dtype=object)
    elif isinstance(right, int | float | np.integer | np.floating) and not np.isnan(right) and left.dtype == np.float64:
        cells = left.to_numpy(dtype="float64")
    else:
        return None
    na = left.isna().to_numpy()
    with np.errstate(invalid="ignore"):
        raw = np.asarray(_OPS[op](cells, right), dtype=bool)
    raw[na] = False
    return pd.Series(pd.arrays.BooleanArray(raw, na), index=left.index, copy=False)


def _ranked(value: Any, ranks: dict[str, int], env: Env) -> Any:
    """A value of an ordered vocabulary as its rank (NaN for none); a constant ranked once, not per row."""
    if isinstance(value, pd.Series):
        return map_values(value, ranks, dtype="float64")
    return float(ranks[value]) if isinstance(value, str) and value in ranks else np.nan


def _ranks_for(node: Node, env: Env) -> dict[str, int] | None:
    if isinstance(node, Name):
        kind = env.kinds.get(node.name, "")
        if kind.startswith("ordered:"):
            return env.ranks.get(kind.split(":", 1)[1])
    return None


def _call(node: Call, env: Env) -> Any:
    f = node.func
    args = node.args
    if f in ("age_at", "years_between", "months_between"):
        start, end = _dates(evaluate(args[0], env), env), _dates(evaluate(args[1], env), env)
        months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
        months = months - (end.dt.day < start.dt.day).astype("float64")
        months = months.astype("float64")
        if f == "months_between":
            return months
        return np.floor(months / 12)
    if f == "add_months":
        return _add_months(_dates(evaluate(args[0], env), env), _as_number(evaluate(args[1], env), env), env)
    if f == "between":
        x = Binary(node.pos, ">=", args[0], args[1])
        y = Binary(node.pos, "<=", args[0], args[2])
        return _compare(x, env) & _compare(y, env)
    if f == "coalesce":
        values = [_series(evaluate(a, env), env) for a in args]
        out = values[0]
        for v in values[1:]:
            out = out.where(out.notna(), v)
        return out
    if f == "if":
        cond = _as_bool(evaluate(args[0], env), env)
        a, b = _series(evaluate(args[1], env), env), _series(evaluate(args[2], env), env)
        if _is_date(a) or _is_date(b):
            a, b = pd.to_datetime(a), pd.to_datetime(b)
        yes = cond.fillna(False).to_numpy(dtype=bool)
        no = (~cond).fillna(False).to_numpy(dtype=bool)
        out = a.where(yes, b)
        return out.where(yes | no, None if out.dtype == object else np.nan)
    if f in ("present", "missing"):
        value = _series(evaluate(args[0], env), env)
        isna = value.isna().to_numpy()
        if value.dtype == object:
            isna = isna | (value.astype(str).str.strip() == "").to_numpy()
        return pd.Series(~isna if f == "present" else isna, index=env.index, dtype="boolean", copy=False)
    if f == "contains_any":
        text = _series(evaluate(args[0], env), env)
        words = [w for w in (evaluate(args[1], env) or []) if isinstance(w, str) and w]
        negations = [w for w in (evaluate(args[2], env) or []) if isinstance(w, str) and w] if len(args) > 2 else []
        if not words:
            result = pd.Series(False, index=env.index, dtype="boolean")
        elif negations:
            found = mentions(words, negations)
            result = pd.Series(
                map_unique(text, lambda v: isinstance(v, str) and found(v)).astype(bool),
                index=env.index,
                dtype="boolean",
                copy=False,
            )
        else:
            pattern = "|".join(re.escape(w) for w in words)
            result = pd.Series(
                text.fillna("").astype(str).str.contains(pattern, regex=True).to_numpy(),
                index=env.index,
                dtype="boolean",
                copy=False,
            )
        result[text.isna().to_numpy()] = pd.NA
        return result
    if f == "lookup":
        table = evaluate(args[0], env) or {}
        key = _series(evaluate(args[1], env), env)
        return pd.to_numeric(map_values(key, table), errors="coerce").astype("float64")
    raise ExprError(f"未知的函数“{f}”", node.pos)


# words that may stand between a negation and what it negates: 否认患有严重疾病, 无任何重大疾病, 未受过刑事处罚
_NEGATION_FILLERS = tuple(
    "患有 患过 曾患 患 有 存在 发现 任何 明显 过 其他 其它 受过 受到 受 被 参与 涉及 属于".split()
)
# a negation character inside a word that negates nothing: 无法履职的重病, 不幸患有, 非常严重
_NOT_NEGATING = ("无法", "不能", "不可", "不会", "不幸", "不好", "不良", "不佳", "不适", "非常")
# a question answered after it (是否患有重大疾病：否; 有无重大疾病：有): the question word negates nothing
_QUESTIONS = ("有没有", "是否", "有无")
# a clause ends, or turns (无高血压，但患有重病), here: a negation reaches no further
_CLAUSE_END = ",，;；。.!！?？\\s但却患"
# a list the negation covers as a whole: 无精神疾病及重大疾病, 无严重疾病、重病, 无高血压等重大疾病
# (及 of 涉及 and 与 of 参与 join nothing)
_LISTED = r"以及|或者|(?<!涉)及|和|或|、|/|等"
# a negation of existence also covers a word qualified by a clause (无影响履职的重大疾病; but 未治愈的重病 is ill)
_NONE_OF = ("没有", "没得", "并无", "尚无", "暂无", "无")


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def negated_away(words: list[str], negations: list[str]) -> Callable[[str], str]:
    """Free text without the mentions of `words` it negates, each replaced by a comma.

    A negation reaches the word right after it (无严重疾病, 未受过刑事处罚), a list it heads
    (无精神疾病及重大疾病) and a word it qualifies (无影响履职的重大疾病), never past the end of a
    clause; an answer after a question (重大疾病：无, 是否患有重大疾病：否) negates it too.
    """
    word, filler, listed = _alternation(words), _alternation(_NEGATION_FILLERS), _LISTED
    negation = f"(?!{_alternation(_NOT_NEGATING)})(?:{_alternation(negations)})"
    span = f"[^{_CLAUSE_END}]{{0,12}}?"
    none_of = f"(?!{_alternation(_NOT_NEGATING)})(?:{_alternation(_NONE_OF)})"
    negated = re.compile(
        f"(?:{negation}(?:{filler})*(?:{span}(?:{listed})(?:{filler})*)?(?:{word})"
        f"|{none_of}(?:{filler})*{span}的(?:{filler})*(?:{word}))"
        f"(?:(?:{listed})?(?:{word}))*"  # and the words listed right after it: 无赌博吸毒行为, 无赌博、吸毒
    )
    answered = re.compile(
        f"(?:{_alternation(_QUESTIONS)})?(?:{filler})*(?:{word})[^{_CLAUSE_END}:：(（]{{0,6}}"
        f"[:：(（]\\s*(?:{negation}|否)"
    )
    question = re.compile(_alternation(_QUESTIONS))

    def strip(text: str) -> str:
        return negated.sub("，", question.sub("，", answered.sub("，", text)))

    return strip


def mentions(words: list[str], negations: list[str]) -> Callable[[str], bool]:
    """A test for free text: does it name one of `words`, other than where a negation covers it?

    无严重疾病, 未丧失劳动能力, 否认患有严重疾病, 无精神疾病及重大疾病, 重大疾病：无 name nothing;
    不幸患有严重疾病, 身体不好，重病 and 有无重大疾病：有 do (see :func:`negated_away`).
    """
    named = re.compile(_alternation(words))
    strip = negated_away(words, negations)

    def test(text: str) -> bool:
        return named.search(strip(text)) is not None

    return test


def _add_months(start: pd.Series, n: Any, env: Env) -> pd.Series:
    """Calendar months later, the day clipped to the month's end (2024-01-31 + 1 → 2024-02-29)."""
    months = pd.Series(n, index=env.index, dtype="float64") if not isinstance(n, pd.Series) else n
    months = np.floor(months.to_numpy(dtype="float64"))
    total = start.dt.year.to_numpy(dtype="float64") * 12 + start.dt.month.to_numpy(dtype="float64") - 1 + months
    known = ~np.isnan(total)
    # months since 1970-01 as numpy months: each month's first day and its length, in C
    month = np.where(known, total - 1970 * 12, 0).astype("int64").astype("datetime64[M]")
    first = month.astype("datetime64[D]")
    days_in_month = ((month + 1).astype("datetime64[D]") - first).astype("int64")
    day = np.minimum(np.nan_to_num(start.dt.day.to_numpy(dtype="float64"), nan=1).astype("int64"), days_in_month)
    out = (first + (day - 1).astype("timedelta64[D]")).astype("datetime64[ns]")
    out[~known] = np.datetime64("NaT")
    return pd.Series(out, index=env.index, copy=False)


def _series(value: Any, env: Env) -> pd.Series:
    if isinstance(value, pd.Series):
        return value
    if isinstance(value, dt.date) and not isinstance(value, pd.Timestamp):
        value = pd.Timestamp(value)
    if value is None:
        return pd.Series(None, index=env.index, dtype="object")
    if len(env.index) and isinstance(value, str | int | float | bool | pd.Timestamp):
        return pd.Series(value, index=env.index)  # a scalar broadcast in C, not a list of n
    return pd.Series([value] * len(env.index), index=env.index)


def _dates(value: Any, env: Env) -> pd.Series:
    return pd.to_datetime(_series(value, env))


def _is_date(s: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(s.dtype)


def _as_bool(value: Any, env: Env) -> pd.Series:
    if isinstance(value, pd.Series):
        if value.dtype == "boolean":
            return value
        if value.dtype == bool:
            return value.astype("boolean")
        return value.astype("boolean")
    if value is None:
        return pd.Series(pd.NA, index=env.index, dtype="boolean")
    return pd.Series(bool(value), index=env.index, dtype="boolean")


def _as_number(value: Any, env: Env) -> Any:
    if isinstance(value, pd.Series):
        return pd.to_numeric(value, errors="coerce").astype("float64")
    if value is None:
        return _na_number(env)
    return value


def _na_number(env: Env) -> pd.Series:
    return pd.Series(np.nan, index=env.index, dtype="float64")
