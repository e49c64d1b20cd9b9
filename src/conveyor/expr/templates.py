"""`${{ }}` inside strings: finding, interpolating and `if:` conditions.

Error columns are 1-based within the expression between the braces; add the span's
`inner_start` to place them in the surrounding text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conveyor.errors import ExpressionError
from conveyor.expr.evaluator import evaluate
from conveyor.expr.functions import FUNCTIONS, EvalEnv
from conveyor.expr.jsontext import to_json
from conveyor.expr.nodes import FunctionCall, Logical, Node, walk
from conveyor.expr.parser import parse
from conveyor.expr.values import coerce_string, kind, truthy


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateSpan:
    """One `${{ … }}` in a string: `text[start:end]` is the whole of it."""

    start: int
    end: int
    expression: str

    @property
    def inner_start(self) -> int:
        """Offset of the expression text (just after `${{`)."""
        return self.start + 3


def find_templates(text: str) -> list[TemplateSpan]:
    """Every `${{ … }}` in order; a `}}` inside a '…' string literal does not close one."""
    spans: list[TemplateSpan] = []
    pos = 0
    while (start := text.find("${{", pos)) >= 0:
        close = _closing(text, start + 3)
        if close < 0:
            raise ExpressionError(
                "unclosed `${{`: expected `}}` to end the expression",
                expression=text,
                column=start + 1,
            )
        spans.append(TemplateSpan(start=start, end=close + 2, expression=text[start + 3 : close]))
        pos = close + 2
    return spans


def _closing(text: str, pos: int) -> int:
    in_string = False
    while pos < len(text) - 1:
        char = text[pos]
        if char == "'":
            in_string = not in_string
        elif not in_string and char == "}" and text[pos + 1] == "}":
            return pos
        pos += 1
    return -1


def to_string(value: Any) -> str:
    """A value as it appears when interpolated: null '', 'true'/'false', `1.5`, objects as JSON.

    Raises ValueError for an array or object that contains itself.
    """
    if kind(value) in ("array", "object"):
        return to_json(value)
    return coerce_string(value)


def interpolate(text: str, contexts: Mapping[str, Any], *, env: EvalEnv | None = None) -> str:
    """Replace each `${{ }}` with its value as a string (see `to_string`)."""
    out: list[str] = []
    pos = 0
    for span in find_templates(text):
        out.append(text[pos : span.start])
        value = evaluate(span.expression, contexts, env=env)
        try:
            out.append(to_string(value))
        except ValueError as exc:  # a context value that contains itself
            raise ExpressionError(
                f"cannot interpolate the value: {exc}", expression=span.expression, column=1
            ) from None
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _whole(text: str, spans: list[TemplateSpan]) -> TemplateSpan | None:
    """The span when `text` is exactly one `${{ }}` (surrounding whitespace allowed)."""
    if len(spans) != 1:
        return None
    span = spans[0]
    if text[: span.start].strip() or text[span.end :].strip():
        return None
    return span


def evaluate_template(text: str, contexts: Mapping[str, Any], *, env: EvalEnv | None = None) -> Any:
    """The value itself when `text` is one `${{ }}`; otherwise the interpolated string."""
    span = _whole(text, find_templates(text))
    if span is not None:
        return evaluate(span.expression, contexts, env=env)
    return interpolate(text, contexts, env=env)


def _calls_status(node: Node) -> bool:
    for current in walk(node):
        if isinstance(current, FunctionCall):
            spec = FUNCTIONS.get(current.name.lower())
            if spec is not None and spec.status_check:
                return True
    return False


def calls_status_function(condition: str | Node) -> bool:
    """Whether an `if:` (text with or without `${{ }}`, or a tree) calls success(),
    failure(), always() or cancelled(); raises ExpressionError when it does not parse.
    """
    if not isinstance(condition, str):
        return _calls_status(condition)
    spans = find_templates(condition)
    sources = [span.expression for span in spans] if spans else [condition]
    return any(_calls_status(parse(source)) for source in sources if source.strip())


def evaluate_if(condition: str, contexts: Mapping[str, Any], *, env: EvalEnv | None = None) -> bool:
    """An `if:` value, with or without `${{ }}`; `success() && (…)` unless it checks a status.

    As on GitHub, text around a `${{ }}` makes the condition a string, which is true when
    not empty (`if: ${{ a }} == 'b'` is always true).
    """
    spans = find_templates(condition)
    whole = _whole(condition, spans)
    if spans and whole is None:
        return _string_condition(condition, contexts, env or EvalEnv())
    return _expression_condition(whole.expression if whole else condition, contexts, env)


def _string_condition(condition: str, contexts: Mapping[str, Any], env: EvalEnv) -> bool:
    if env.status != "success" and not calls_status_function(condition):
        return False  # the implicit success() fails before the string is built
    return truthy(interpolate(condition, contexts, env=env))


def _expression_condition(source: str, contexts: Mapping[str, Any], env: EvalEnv | None) -> bool:
    if not source.strip():
        source = "success()"
    node = parse(source)
    if not _calls_status(node):
        success = FunctionCall(name="success", args=(), column=1)
        node = Logical(op="&&", operands=(success, node), column=1)
    try:
        return truthy(evaluate(node, contexts, env=env))
    except ExpressionError as exc:
        raise ExpressionError(exc.message, expression=source, column=exc.column) from None
