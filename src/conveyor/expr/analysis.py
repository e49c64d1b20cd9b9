"""Static facts about an expression, for the validator: which contexts it reads, which
functions it calls. Nothing is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from conveyor.expr.nodes import (
    ContextName,
    FunctionCall,
    Index,
    Literal,
    Node,
    Property,
    Star,
    children,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """`steps.build.outputs['sha']` → context "steps", path ("build", "outputs", "sha").

    Names are lower-cased; `*` stands for `.*` / `[*]`; the path stops at an index that is
    not a string literal.
    """

    context: str
    path: tuple[str, ...]
    column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """A function call: name as written, number of arguments, column of the name."""

    name: str
    argc: int
    column: int


Access = Property | Index | Star


def _chain(node: Access) -> tuple[Node, list[Access]]:
    """The base of an access chain and its accesses, innermost first."""
    accesses: list[Access] = []
    current: Node = node
    while isinstance(current, Property | Index | Star):
        accesses.append(current)
        current = current.target
    accesses.reverse()
    return current, accesses


def _path(accesses: list[Access]) -> tuple[str, ...]:
    path: list[str] = []
    for access in accesses:
        if isinstance(access, Property):
            path.append(access.name.lower())
        elif isinstance(access, Star):
            path.append("*")
        elif isinstance(access.index, Literal) and isinstance(access.index.value, str):
            path.append(access.index.value.lower())
        else:
            break
    return tuple(path)


def references(node: Node) -> list[Reference]:
    """Every context read, in source order, with the longest static path after it."""
    found: list[Reference] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Property | Index | Star):
            base, accesses = _chain(current)
            if isinstance(base, ContextName):
                found.append(
                    Reference(context=base.name.lower(), path=_path(accesses), column=base.column)
                )
                nested: list[Node] = [a.index for a in accesses if isinstance(a, Index)]
            else:
                nested = [base, *(a.index for a in accesses if isinstance(a, Index))]
            stack.extend(reversed(nested))
        elif isinstance(current, ContextName):
            found.append(Reference(context=current.name.lower(), path=(), column=current.column))
        else:
            stack.extend(reversed(children(current)))
    return sorted(found, key=lambda ref: ref.column)


def function_calls(node: Node) -> list[Call]:
    """Every function call, in source order."""
    stack = [node]
    calls: list[Call] = []
    while stack:
        current = stack.pop()
        if isinstance(current, FunctionCall):
            calls.append(Call(name=current.name, argc=len(current.args), column=current.column))
        stack.extend(reversed(children(current)))
    return sorted(calls, key=lambda call: call.column)
