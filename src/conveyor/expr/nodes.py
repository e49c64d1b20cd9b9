"""The syntax tree of a parsed expression: frozen records, each with its 1-based column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal:
    """`null`, `true`, `42`, `0xff`, `NaN`, `'text'`."""

    value: Any
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextName:
    """A context at the root of an access: `github`, `steps`, … (as written)."""

    name: str
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """`target.name`."""

    target: Node
    name: str
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Index:
    """`target[index]`."""

    target: Node
    index: Node
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Star:
    """`target.*` or `target[*]`: an object filter."""

    target: Node
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Not:
    """`!operand`."""

    operand: Node
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare:
    """`left op right` with op one of `==`, `!=`, `<`, `<=`, `>`, `>=`."""

    op: str
    left: Node
    right: Node
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Logical:
    """`a && b && …` or `a || b || …`; returns one of its operands, as GitHub does."""

    op: str
    operands: tuple[Node, ...]
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionCall:
    """`name(args…)`, name as written (functions are matched ignoring case)."""

    name: str
    args: tuple[Node, ...]
    column: int


Node = Literal | ContextName | Property | Index | Star | Not | Compare | Logical | FunctionCall


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of a node, left to right."""
    match node:
        case Property(target=target) | Star(target=target):
            return (target,)
        case Index(target=target, index=index):
            return (target, index)
        case Not(operand=operand):
            return (operand,)
        case Compare(left=left, right=right):
            return (left, right)
        case Logical(operands=operands):
            return operands
        case FunctionCall(args=args):
            return args
        case _:
            return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right (no recursion)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def depth(node: Node) -> int:
    """The number of levels of the tree (a single literal is 1)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children(current))
    return deepest
