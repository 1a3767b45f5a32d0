"""The rubric formula language.

A rubric file may only compute with what this grammar allows: numbers (``100%`` is 1),
named fields of the evaluation, ``+ - * / × ÷``, comparisons, ``and or not`` and the
functions in ``FUNCTIONS``. Every name, arity and type is resolved when the rubric is
loaded, so a typo fails at load time with its column, not when a unit is scored. The tree
is our own small dataclass AST, evaluated in exact decimal arithmetic with a trace, and
plain enough to be compiled to other back ends (a Polars expression for batch scoring).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from importlib import resources
from typing import Union

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ..decimals import rounded
from .ast import FUNCTIONS, Binary, Call, Compare, Logic, Name, Neg, Node, Not, Num, Type, precedence

Value = Union[Decimal, bool, list]

_COMPARE = {"≤": "<=", "≦": "<=", "≥": ">=", "≧": ">=", "=": "=="}
_ARITH = {"×": "*", "÷": "/"}


class FormulaError(ValueError):
    """A formula that does not parse or names something unknown."""

    def __init__(self, message: str, formula: str, column: int | None = None):
        where = f"（第 {column} 列）" if column else ""
        super().__init__(f"公式“{formula}”{where}：{message}")
        self.column = column


@v_args(inline=True)
class _ToAst(Transformer):
    def number(self, digits: Token, percent: Token | None = None) -> Num:
        value = Decimal(str(digits))
        return Num(value / 100 if percent else value, f"{digits}{'%' if percent else ''}")

    def name(self, token: Token) -> Name:
        return Name(str(token), token.column or 0)

    def call(self, token: Token, *args: Node | None) -> Call:
        return Call(str(token), tuple(a for a in args if a is not None), token.column or 0)

    def neg(self, operand: Node) -> Node:
        return Num(-operand.value, f"-{operand.text}") if isinstance(operand, Num) else Neg(operand)

    def comparison(self, left: Node, op: Token, right: Node) -> Compare:
        return Compare(_COMPARE.get(str(op), str(op)), left, right)

    def _chain(self, items: tuple) -> Node:
        node = items[0]
        for op, right in zip(items[1::2], items[2::2]):
            node = Binary(_ARITH.get(str(op), str(op)), node, right)
        return node

    def sum(self, *items):
        return self._chain(items)

    def product(self, *items):
        return self._chain(items)

    def and_(self, *args: Node) -> Node:
        return Logic("and", args)

    def or_(self, *args: Node) -> Node:
        return Logic("or", args)

    def not_(self, operand: Node) -> Node:
        return Not(operand)


@cache
def _parser() -> Lark:
    grammar = resources.files(__package__).joinpath("formula.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=True)


class _Missing(Exception):
    pass


class _ZeroDivision(Exception):
    def __init__(self, numerator: Decimal):
        self.numerator = numerator


@dataclass(frozen=True)
class Outcome:
    """The result of one evaluation; exactly one of value / missing / zero_denominator holds."""

    value: Decimal | bool | None
    substituted: str
    steps: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    zero_denominator: bool = False
    numerator_zero: bool = False


def fmt(value: Decimal | bool | None) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = format(value, "f")
    if "." in text and len(text.split(".")[1]) > 4:
        text = format(rounded(value, 4), "f")
    return text


@dataclass(frozen=True)
class Formula:
    text: str
    tree: Node
    type: Type
    names: tuple[str, ...]

    def render(self, values: Mapping[str, Value | None] | None = None) -> str:
        """The formula as text; with ``values``, each field replaced by its figure."""

        def show(node: Node, parent: int = 0, right: bool = False) -> str:
            own = precedence(node)
            if isinstance(node, Num):
                out = node.text
            elif isinstance(node, Name):
                if values is None or node.path not in values:
                    out = node.path
                else:
                    value = values[node.path]
                    out = fmt(value) if not isinstance(value, list) else node.path
            elif isinstance(node, Neg):
                out = "-" + show(node.operand, own)
            elif isinstance(node, Not):
                out = "not " + show(node.operand, own)
            elif isinstance(node, (Binary, Compare)):
                op = {"*": "×", "/": "÷"}.get(node.op, node.op) if values is not None else node.op
                out = f"{show(node.left, own)} {op} {show(node.right, own, True)}"
            elif isinstance(node, Logic):
                out = f" {node.op} ".join(show(a, own) for a in node.args)
            else:
                inner = ", ".join(show(a) for a in node.args)
                if values is not None and node.func in ("sum", "count") and isinstance(node.args[0], Name):
                    items = values.get(node.args[0].path)
                    if isinstance(items, list):
                        if node.func == "count":
                            return fmt(Decimal(len(items)))
                        return "空" if None in items else fmt(sum(items, Decimal(0)))
                out = f"{node.func}({inner})"
            # Left-associative: a right operand of equal precedence needs brackets too.
            return f"({out})" if own < parent or (right and own == parent and own >= 5) else out

        return show(self.tree)

    def evaluate(self, lookup: Callable[[str], Value | None]) -> Outcome:
        values = {name: lookup(name) for name in self.names}
        steps: list[str] = []

        def num(node: Node) -> Decimal:
            value = ev(node)
            assert isinstance(value, Decimal) and not isinstance(value, bool)
            return value

        def ev(node: Node) -> Value:
            if isinstance(node, Num):
                return node.value
            if isinstance(node, Name):
                value = values[node.path]
                if value is None:
                    raise _Missing(node.path)
                return value
            if isinstance(node, Neg):
                return -num(node.operand)
            if isinstance(node, Not):
                return not ev(node.operand)
            if isinstance(node, Logic):
                results = (bool(ev(a)) for a in node.args)
                return all(results) if node.op == "and" else any(results)
            if isinstance(node, Compare):
                a, b = num(node.left), num(node.right)
                return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[node.op]
            if isinstance(node, Binary):
                a, b = num(node.left), num(node.right)
                if node.op == "/":
                    if b == 0:
                        raise _ZeroDivision(a)
                    result = a / b
                else:
                    result = {"+": a + b, "-": a - b, "*": a * b}[node.op]
                steps.append(f"{fmt(a)} {({'*': '×', '/': '÷'}).get(node.op, node.op)} {fmt(b)} = {fmt(result)}")
                return result
            return call(node)

        def call(node: Call) -> Value:
            if node.func == "if":
                return ev(node.args[1]) if ev(node.args[0]) else ev(node.args[2])
            if node.func in ("sum", "count"):
                items = ev(node.args[0])
                assert isinstance(items, list)
                if node.func == "count":
                    return Decimal(len(items))
                if any(item is None for item in items):
                    raise _Missing(node.args[0].path)  # type: ignore[union-attr]
                return sum(items, Decimal(0))
            args = [num(a) for a in node.args]
            if node.func == "min":
                return min(args)
            if node.func == "max":
                return max(args)
            if node.func == "abs":
                return abs(args[0])
            if node.func == "ceil":
                return args[0].to_integral_value(ROUND_CEILING)
            if node.func == "floor":
                return args[0].to_integral_value(ROUND_FLOOR)
            places = int(args[1]) if len(args) > 1 else 0
            return rounded(args[0], places)

        substituted = self.render(values)
        with localcontext() as ctx:
            ctx.prec = 28
            ctx.rounding = ROUND_HALF_UP
            try:
                value = ev(self.tree)
            except _Missing:
                blank = tuple(n for n, v in values.items() if v is None or (isinstance(v, list) and None in v))
                return Outcome(None, substituted, tuple(steps), missing=blank)
            except _ZeroDivision as zero:
                return Outcome(None, substituted, tuple(steps), zero_denominator=True, numerator_zero=zero.numerator == 0)
        return Outcome(value, substituted, tuple(steps))


MAX_LENGTH = 500


def parse(text: str) -> Node:
    source = unicodedata.normalize("NFKC", text)
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"公式超过 {MAX_LENGTH} 个字符，请拆分为命名字段", text[:40] + "…")
    try:
        return _ToAst().transform(_parser().parse(source))
    except RecursionError:
        raise FormulaError("公式嵌套过深", text[:40] + "…") from None
    except UnexpectedCharacters as exc:
        raise FormulaError(f"无法识别的字符“{source[exc.pos_in_stream]}”", text, exc.column) from None
    except UnexpectedEOF:
        raise FormulaError("公式不完整", text) from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is None or token.type == "$END":
            raise FormulaError("公式不完整", text) from None
        raise FormulaError(f"此处不应出现“{token}”", text, getattr(exc, "column", None)) from None
    except LarkError as exc:  # pragma: no cover - lark's other errors are grammar bugs
        raise FormulaError(f"语法错误：{exc}", text) from None


def compile_formula(text: str, names: Mapping[str, Type], allow_list: bool = False) -> Formula:
    """Parse ``text`` and resolve every name, function and type against ``names``."""
    tree = parse(text)
    used: list[str] = []

    def check(node: Node) -> Type:
        if isinstance(node, Num):
            return "number"
        if isinstance(node, Name):
            if node.path not in names:
                raise FormulaError(f"未知字段“{node.path}”", text, node.column)
            if node.path not in used:
                used.append(node.path)
            return names[node.path]
        if isinstance(node, (Neg, Binary)):
            for child in (node.operand,) if isinstance(node, Neg) else (node.left, node.right):
                expect(child, "number")
            return "number"
        if isinstance(node, Compare):
            expect(node.left, "number")
            expect(node.right, "number")
            return "bool"
        if isinstance(node, (Logic, Not)):
            for child in node.args if isinstance(node, Logic) else (node.operand,):
                expect(child, "bool")
            return "bool"
        spec = FUNCTIONS.get(node.func)
        if spec is None:
            raise FormulaError(f"未知函数“{node.func}”，可用函数：{'、'.join(FUNCTIONS)}", text, node.column)
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            want = str(spec.min_args) if spec.min_args == spec.max_args else f"至少 {spec.min_args}"
            raise FormulaError(f"函数 {node.func} 需要 {want} 个参数，实际 {count} 个", text, node.column)
        if node.func == "if":
            expect(node.args[0], "bool")
            expect(node.args[1], "number")
            expect(node.args[2], "number")
            return "number"
        if node.func == "round" and count == 2 and not (
            isinstance(node.args[1], Num) and node.args[1].value in {Decimal(n) for n in range(7)}
        ):
            raise FormulaError("round 的第二个参数须为 0–6 的整数常量", text, node.column)
        for arg in node.args:
            expect(arg, spec.arg_type)
        return "number"

    def expect(node: Node, wanted: Type) -> None:
        got = check(node)
        if got != wanted:
            label = {"number": "数值", "bool": "条件", "list": "明细列表（只能用于 sum/count）"}
            raise FormulaError(f"此处需要{label[wanted]}，得到的是{label[got]}", text, _column(node))

    kind = check(tree)
    if kind == "list" and not allow_list:
        raise FormulaError("明细列表须放在 sum() 或 count() 中", text, _column(tree))
    return Formula(text, tree, kind, tuple(used))


def _column(node: Node) -> int | None:
    return node.column if isinstance(node, (Name, Call)) else None
