"""The formula AST: a few plain node types and the fixed function table.

Kept apart from parsing and evaluation so that other back ends (a Polars expression for
batch scoring) can walk the same tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Union

Type = Literal["number", "bool", "list"]


@dataclass(frozen=True)
class Num:
    value: Decimal
    text: str


@dataclass(frozen=True)
class Name:
    path: str
    column: int


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    op: Literal["and", "or"]
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]
    column: int


Node = Union[Num, Name, Neg, Binary, Compare, Logic, Not, Call]


@dataclass(frozen=True)
class Function:
    min_args: int
    max_args: int | None
    arg_type: Type


# The whole function table: nothing else can be called from a rubric.
FUNCTIONS: Mapping[str, Function] = {
    "min": Function(1, None, "number"),
    "max": Function(1, None, "number"),
    "abs": Function(1, 1, "number"),
    "round": Function(1, 2, "number"),
    "ceil": Function(1, 1, "number"),
    "floor": Function(1, 1, "number"),
    "if": Function(3, 3, "number"),
    "sum": Function(1, 1, "list"),
    "count": Function(1, 1, "list"),
}


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def precedence(node: Node) -> int:
    if isinstance(node, Logic):
        return _PRECEDENCE[node.op]
    if isinstance(node, Not):
        return _PRECEDENCE["not"]
    if isinstance(node, Compare):
        return _PRECEDENCE["cmp"]
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return _PRECEDENCE["neg"]
    return 9
