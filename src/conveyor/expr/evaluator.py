"""Evaluate a parsed expression against contexts, with GitHub's semantics.

Before evaluating, the whole tree is checked as GitHub checks it when it parses: every
function must exist and get a valid number of arguments, and every context name must be
known, even in a branch that `&&`/`||` would skip.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, Final

from conveyor.errors import ExpressionError
from conveyor.expr.functions import (
    FUNCTIONS,
    IMPLEMENTATIONS,
    EvalEnv,
    FunctionError,
    arity_problem,
)
from conveyor.expr.nodes import (
    Compare,
    ContextName,
    FunctionCall,
    Index,
    Literal,
    Logical,
    Node,
    Not,
    Property,
    Star,
    walk,
)
from conveyor.expr.parser import parse
from conveyor.expr.values import (
    MISSING,
    FilteredArray,
    coerce_string,
    compare,
    kind,
    lookup,
    loose_equal,
    normalize_number,
    to_number,
    truthy,
)

KNOWN_CONTEXTS: Final = frozenset(
    {
        "github", "env", "vars", "job", "jobs", "steps", "runner",
        "secrets", "strategy", "matrix", "needs", "inputs",
    }
)  # fmt: skip
"""The contexts GitHub documents; one the runner did not supply reads as null."""

_DEFAULT_ENV: Final = EvalEnv()


def _fail(message: str, text: str, column: int) -> ExpressionError:
    return ExpressionError(message, expression=text, column=column)


def _suggest(name: str, choices: Mapping[str, str]) -> str:
    """ "; did you mean `x`?" for the closest choice (keys lower-cased, values as shown)."""
    close = difflib.get_close_matches(name.lower(), list(choices), n=1)
    return f"; did you mean `{choices[close[0]]}`?" if close else ""


_FUNCTION_NAMES: Final = {name: spec.name for name, spec in FUNCTIONS.items()}


def check(node: Node, contexts: Mapping[str, Any], text: str) -> None:
    """Raise ExpressionError for an unknown function, a wrong argument count or an unknown context."""
    supplied = {str(name).lower() for name in contexts}
    for current in walk(node):
        if isinstance(current, FunctionCall):
            spec = FUNCTIONS.get(current.name.lower())
            if spec is None:
                hint = _suggest(current.name, _FUNCTION_NAMES)
                raise _fail(f"unknown function `{current.name}`{hint}", text, current.column)
            problem = arity_problem(spec, len(current.args))
            if problem:
                raise _fail(problem, text, current.column)
        elif isinstance(current, ContextName):
            name = current.name.lower()
            if name not in KNOWN_CONTEXTS and name not in supplied:
                hint = _suggest(name, {n: n for n in sorted(KNOWN_CONTEXTS | supplied)})
                raise _fail(f"unknown context `{current.name}`{hint}", text, current.column)


class _Evaluator:
    def __init__(self, contexts: Mapping[str, Any], env: EvalEnv, text: str) -> None:
        self.contexts = contexts
        self.env = env
        self.text = text

    def eval(self, node: Node) -> Any:
        match node:
            case Literal(value=value):
                return value
            case ContextName(name=name):
                value = lookup(self.contexts, name)
                return None if value is MISSING else value
            case Property(target=target, name=name):
                return _access(self.eval(target), name, star=False)
            case Index(target=target, index=index):
                container = self.eval(target)
                return _access(container, self.eval(index), star=False)
            case Star(target=target):
                return _access(self.eval(target), None, star=True)
            case Not(operand=operand):
                return not truthy(self.eval(operand))
            case Compare(op=op, left=left, right=right):
                return _compare(op, self.eval(left), self.eval(right))
            case Logical(op=op, operands=operands):
                return self.logical(op, operands)
            case FunctionCall():
                return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover

    def logical(self, op: str, operands: tuple[Node, ...]) -> Any:
        result: Any = None
        for operand in operands:
            result = self.eval(operand)
            if truthy(result) == (op == "||"):
                break
        return result

    def call(self, node: FunctionCall) -> Any:
        name = node.name.lower()
        args = [self.eval(arg) for arg in node.args]
        try:
            return IMPLEMENTATIONS[name](args, self.env)
        except FunctionError as exc:
            raise _fail(str(exc), self.text, node.column) from None


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return loose_equal(left, right)
    if op == "!=":
        return not loose_equal(left, right)
    order = compare(left, right)
    if op == "<":
        return order == -1
    if op == ">":
        return order == 1
    if op == "<=":
        return order == -1 or loose_equal(left, right)
    return order == 1 or loose_equal(left, right)


def _int_index(index: Any) -> int | None:
    number = to_number(index)
    if not number.is_integer() or number < 0:  # NaN, infinities and fractions index nothing
        return None
    return int(number)


def _from_object(obj: Mapping[str, Any], index: Any) -> Any:
    if kind(index) in ("array", "object"):
        return MISSING
    return lookup(obj, coerce_string(index))


def _from_array(array: list[Any] | tuple[Any, ...], index: Any) -> Any:
    position = _int_index(index)
    if position is None or position >= len(array):
        return MISSING
    return array[position]


def _access(container: Any, index: Any, *, star: bool) -> Any:
    """`container[index]` / `container.*`; a missing element or property is null.

    After a filter (`.*`), a property or another `*` applies to each item; a number
    indexes the filter's result itself, which GitHub documents as an array.
    """
    container_kind = kind(container)
    if isinstance(container, FilteredArray) and (star or kind(index) != "number"):
        result = FilteredArray()
        for item in container:
            item_kind = kind(item)
            if star and item_kind == "object":
                result.extend(item.values())
            elif star and item_kind == "array":
                result.extend(item)
            elif item_kind in ("object", "array"):
                value = (_from_object if item_kind == "object" else _from_array)(item, index)
                if value is not MISSING:
                    result.append(value)
        return result
    if container_kind == "object":
        if star:
            return FilteredArray(container.values())
        value = _from_object(container, index)
    elif container_kind == "array":
        if star:
            return FilteredArray(container)
        value = _from_array(container, index)
    else:
        return None
    return None if value is MISSING else value


def evaluate(expr: str | Node, contexts: Mapping[str, Any], *, env: EvalEnv | None = None) -> Any:
    """The value of a bare expression (text without `${{ }}`, or a parsed tree).

    Raises ExpressionError (with the column) for a syntax error, an unknown function or
    context, a wrong argument count, or a function that refuses its arguments.
    """
    text = expr if isinstance(expr, str) else ""
    node = parse(expr) if isinstance(expr, str) else expr
    check(node, contexts, text)
    try:
        value = _Evaluator(contexts, env or _DEFAULT_ENV, text).eval(node)
    except RecursionError:
        raise _fail("expression nests too deeply to evaluate", text, 1) from None
    if isinstance(value, float):
        return normalize_number(value)
    return list(value) if isinstance(value, FilteredArray) else value
