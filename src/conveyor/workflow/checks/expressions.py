"""Checks on every `${{ }}` and `if:`: syntax, contexts, properties, functions, availability.

Each string value in the file is looked up in GitHub's context availability table
(`availability.py`); where expressions are evaluated, each template is parsed and what it
names is checked against what is known at that place (`scope.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conveyor.errors import ExpressionError
from conveyor.expr import FUNCTIONS, find_templates, function_calls, parse, references
from conveyor.expr.functions import arity_problem
from conveyor.workflow.checks.availability import (
    CONTEXTS,
    PROPERTIES,
    RESULT_PROPERTIES,
    STATUS_FUNCTIONS,
    STEP_FUNCTIONS,
    Allowed,
    allowed_at,
)
from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.scope import Scope, scope_at, visible_steps
from conveyor.workflow.checks.tree import Document, Scalar, strings
from conveyor.workflow.nodes import is_whole_expression
from conveyor.workflow.yaml import Position

CONDITION_KEYS = frozenset({"if", "pre-if", "post-if"})


def check_expressions(doc: Document) -> Iterator[Diagnostic]:
    scopes: dict[Any, Scope] = {}
    for scalar in strings(doc, doc.tree):
        if "${{" not in scalar.text and scalar.path[-1] not in CONDITION_KEYS:
            continue  # nothing to parse: the common case, kept cheap
        allowed = allowed_at(scalar.path, kind=doc.kind)
        if allowed is None:
            continue
        key = (
            scalar.path[1]
            if doc.kind == "workflow" and scalar.path[0] == "jobs" and len(scalar.path) > 1
            else None
        )
        if key not in scopes:
            scopes[key] = scope_at(doc, scalar.path)
        place = _Place(doc=doc, scalar=scalar, allowed=allowed, scope=scopes[key])
        yield from place.check()


class _Place:
    """One string value being checked; knows how to turn offsets into file positions."""

    def __init__(self, *, doc: Document, scalar: Scalar, allowed: Allowed, scope: Scope) -> None:
        self.doc = doc
        self.scalar = scalar
        self.allowed = allowed
        self.scope = scope
        self.steps = visible_steps(scope, scalar.path, kind=doc.kind)

    def check(self) -> Iterator[Diagnostic]:
        text = self.scalar.text
        try:
            templates = [(t.expression, t.inner_start) for t in find_templates(text)]
        except ExpressionError as exc:
            yield at(self.pos(max(exc.column - 1, 0)), "expression", exc.message)
            return
        if self.allowed.is_condition:
            if not templates:
                templates = [(text, 0)]
            elif not is_whole_expression(text):
                yield at(
                    self.scalar.pos,
                    "if-always-true",
                    "this `if:` has text outside `${{ }}`, so it is a non-empty string: always true",
                    hint="write the whole condition inside one `${{ }}`, or leave `${{ }}` out",
                    severity="warning",
                )
        for expression, offset in templates:
            yield from self._expression(expression, offset)

    def pos(self, offset: int) -> Position:
        return locate(self.doc, self.scalar, offset)

    def _expression(self, expression: str, offset: int) -> Iterator[Diagnostic]:
        try:
            node = parse(expression)
        except ExpressionError as exc:
            yield at(
                self.pos(offset + max(exc.column - 1, 0)),
                "expression",
                f"{exc.message} in `{expression.strip()}`",
            )
            return
        for ref in references(node):
            yield from self._reference(
                ref.context, tuple(ref.path), self.pos(offset + ref.column - 1)
            )
        for call in function_calls(node):
            yield from self._call(call.name, call.argc, self.pos(offset + call.column - 1))

    def _reference(
        self, context: str, path: tuple[Any, ...], pos: Position
    ) -> Iterator[Diagnostic]:
        name = context.lower()
        if name not in CONTEXTS:
            yield at(
                pos,
                "unknown-context",
                f"unknown context `{context}`",
                hint=did_you_mean(name, sorted(CONTEXTS)),
            )
            return
        if name not in self.allowed.contexts:
            yield at(
                pos,
                "context-availability",
                f"the `{name}` context is not available here",
                hint="available here: "
                + ", ".join(f"`{c}`" for c in sorted(self.allowed.contexts)),
            )
            return
        first = str(path[0]).lower() if path and isinstance(path[0], str) else None
        if first is None or first == "*":
            return
        message = self._property_problem(name, first, path)
        if message:
            yield at(pos, "unknown-property", message[0], hint=message[1], severity="warning")

    def _property_problem(
        self, context: str, first: str, path: tuple[Any, ...]
    ) -> tuple[str, str | None] | None:
        if context in PROPERTIES:
            known = PROPERTIES[context]
            if first not in known:
                return (
                    f"`{context}.{first}` is not a property of the `{context}` context",
                    did_you_mean(first, sorted(known)),
                )
            return None
        if context == "inputs" and self.scope.inputs is not None and first not in self.scope.inputs:
            return f"input `{first}` is not declared", did_you_mean(
                first, sorted(self.scope.inputs)
            ) or "declare it under `inputs:`"
        if context == "matrix" and self.scope.matrix == frozenset():
            return f"`matrix.{first}`: {self.scope.owner} has no matrix", None
        if context == "matrix" and self.scope.matrix is not None and first not in self.scope.matrix:
            return (
                f"`matrix.{first}` is not a key of the matrix of {self.scope.owner}",
                did_you_mean(first, sorted(self.scope.matrix)),
            )
        names = {"steps": self.steps, "needs": self.scope.needs, "jobs": self.scope.jobs}.get(
            context
        )
        if names is None:
            return None
        if first not in names:
            return self._unknown_name(context, first, names)
        second = str(path[1]).lower() if len(path) > 1 and isinstance(path[1], str) else None
        if second is not None and second != "*" and second not in RESULT_PROPERTIES[context]:
            fields = sorted(RESULT_PROPERTIES[context])
            return (
                f"`{context}.{first}.{second}` is not a property (use {', '.join(fields)})",
                did_you_mean(second, fields),
            )
        return None

    def _unknown_name(self, context: str, first: str, names: Any) -> tuple[str, str | None]:
        candidates = sorted(n for n in names if n)
        if context == "steps":
            later = first in self.scope.steps
            what = "a later step" if later else "no step"
            return f"`steps.{first}` names {what} of {self.scope.owner}", (
                "a step can only read steps before it" if later else did_you_mean(first, candidates)
            )
        if context == "needs":
            return (
                f"`needs.{first}` is not in the `needs` of {self.scope.owner}",
                f"add `{first}` to `needs:`"
                if first in self.scope.jobs
                else did_you_mean(first, candidates),
            )
        return f"`jobs.{first}` is not a job of this workflow", did_you_mean(first, candidates)

    def _call(self, name: str, argc: int, pos: Position) -> Iterator[Diagnostic]:
        lowered = name.lower()
        spec = FUNCTIONS.get(lowered)
        if spec is None:
            hint = did_you_mean(lowered, sorted(FUNCTIONS))
            yield at(pos, "unknown-function", f"unknown function `{name}`", hint=hint)
            return
        problem = arity_problem(spec, argc)
        if problem:
            yield at(pos, "function-args", problem)
        special = STATUS_FUNCTIONS | STEP_FUNCTIONS
        if lowered in special and lowered not in self.allowed.functions:
            where = "in steps" if lowered in STEP_FUNCTIONS else "in `if:` conditions"
            yield at(pos, "context-availability", f"`{spec.name}()` is only available {where}")


def locate(doc: Document, scalar: Scalar, offset: int) -> Position:
    """The file position of character `offset` of a string value, found in the source text.

    The rest of the value's line from `offset` is searched for (from the right, so a
    repeated template is told apart) on the line it should be on, or a few lines below
    for block scalars; when quoting or folding hides it, the value's own start is used.
    """
    text = scalar.text
    line_end = text.find("\n", offset)
    suffix = text[offset : len(text) if line_end == -1 else line_end].rstrip()
    first = scalar.pos.line - 1 + text.count("\n", 0, offset)
    for index in range(max(first, 0), min(first + 3, len(doc.lines))):
        start = scalar.pos.column - 1 if index == scalar.pos.line - 1 else 0
        column = doc.lines[index].rfind(suffix, start) if suffix else -1
        if column != -1:
            return Position(file=doc.file, line=index + 1, column=column + 1)
    if "\n" not in text[:offset]:
        return Position(file=doc.file, line=scalar.pos.line, column=scalar.pos.column + offset)
    return scalar.pos
