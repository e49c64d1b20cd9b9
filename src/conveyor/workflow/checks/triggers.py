"""Checks on `on:`: filter conflicts, glob patterns, cron schedules, input declarations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conveyor.workflow.checks.activity import ACTIVITY_TYPES
from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.schema import is_expression
from conveyor.workflow.checks.tree import Document, as_list, as_map, written_strings
from conveyor.workflow.triggers import INPUT_TYPES

FILTERS = ("branches", "tags", "paths")
DISPATCH_TYPES = INPUT_TYPES
CALL_TYPES = ("string", "boolean", "number")


def check_triggers(doc: Document) -> Iterator[Diagnostic]:
    on = as_map(as_map(doc.tree).get("on"))
    for event, spec in on.items():
        spec_map = as_map(spec)
        yield from _conflicts(doc, spec_map, str(event))
        yield from _globs(doc, spec_map)
        yield from _types(doc, spec_map, str(event))
        if event == "schedule":
            yield from _schedule(doc, spec)
        if event in ("workflow_dispatch", "workflow_call"):
            types = DISPATCH_TYPES if event == "workflow_dispatch" else CALL_TYPES
            yield from check_inputs(doc, as_map(spec_map.get("inputs")), types=types)


def _conflicts(doc: Document, spec: dict[Any, Any], event: str) -> Iterator[Diagnostic]:
    for name in FILTERS:
        if name in spec and f"{name}-ignore" in spec:
            yield at(
                doc.key_pos(spec, f"{name}-ignore"),
                "filter-conflict",
                f"`on.{event}` has both `{name}` and `{name}-ignore`; GitHub refuses the two together",
                hint=f"keep `{name}` and exclude with `!pattern` entries instead",
            )


def _types(doc: Document, spec: dict[Any, Any], event: str) -> Iterator[Diagnostic]:
    known = ACTIVITY_TYPES.get(event)
    if known is None:
        return
    for name, pos in written_strings(doc, spec, "types"):
        if name not in known:
            yield at(
                pos,
                "activity-type",
                f"`{event}` has no activity type `{name}`",
                hint=did_you_mean(name, sorted(known)) or "types: " + ", ".join(sorted(known)),
            )


def _globs(doc: Document, spec: dict[Any, Any]) -> Iterator[Diagnostic]:
    for name in (*FILTERS, *(f"{f}-ignore" for f in FILTERS)):
        for pattern, pos in written_strings(doc, spec, name):
            problem = glob_problem(pattern)
            if problem:
                yield at(pos, "glob", f"`{name}` pattern {pattern!r} {problem}")


def glob_problem(pattern: str) -> str | None:
    """Why GitHub's filter pattern syntax cannot use `pattern`, or None."""
    body = pattern[1:] if pattern.startswith("!") else pattern
    if not body.strip():
        return "is empty"
    depth = 0
    escaped = False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and depth == 0:
            depth = 1
        elif char == "]" and depth:
            depth = 0
    if depth:
        return "has a `[` without its closing `]`"
    return None


def _schedule(doc: Document, schedule: Any) -> Iterator[Diagnostic]:
    for entry in as_list(schedule):
        cron = as_map(entry).get("cron")
        if isinstance(cron, str):
            problem = cron_problem(cron)
            if problem:
                yield at(
                    doc.value_pos(entry, "cron"),
                    "cron",
                    f"cron {cron!r} {problem}",
                    hint="GitHub takes five fields: minute hour day-of-month month day-of-week, e.g. '30 5 * * 1-5'",
                )


def cron_problem(cron: str) -> str | None:
    fields = cron.split()
    if len(fields) != 5:
        return f"has {len(fields)} field{'s' * (len(fields) != 1)}, not 5"
    from croniter import croniter

    try:
        valid = bool(croniter.is_valid(cron))
    except Exception:  # croniter raises assorted errors on odd input
        valid = False
    if not valid or any(f.upper().startswith("H") for f in fields):
        return "is not a valid cron expression"
    return None


def check_inputs(
    doc: Document, inputs: dict[Any, Any], *, types: tuple[str, ...]
) -> Iterator[Diagnostic]:
    """Input `type` names, choice options and defaults that fit the type."""
    for name, spec in inputs.items():
        spec_map = as_map(spec)
        kind = spec_map.get("type", "string")
        if not isinstance(kind, str):
            continue
        if kind not in types:
            yield at(
                doc.value_pos(spec_map, "type"),
                "input",
                f"input `{name}` has unknown type `{kind}`",
                hint=did_you_mean(kind, types) or "types: " + ", ".join(types),
            )
            continue
        yield from _input_default(doc, str(name), spec_map, kind)


def _input_default(
    doc: Document, name: str, spec: dict[Any, Any], kind: str
) -> Iterator[Diagnostic]:
    options = [str(o) for o in as_list(spec.get("options"))]
    if kind == "choice" and not options:
        yield at(
            doc.key_pos(spec, "type"),
            "input",
            f"choice input `{name}` has no `options`",
            hint="list the choices under `options:`",
        )
    if "default" not in spec:
        return
    default = spec["default"]
    pos = doc.value_pos(spec, "default")
    if default is None or is_expression(default):
        return
    if kind == "choice" and options and str(default) not in options:
        yield at(
            pos,
            "input",
            f"default `{default}` of choice input `{name}` is not one of its options",
            hint=did_you_mean(str(default), options) or "options: " + ", ".join(options),
        )
    elif kind == "boolean" and not isinstance(default, bool):
        yield at(
            pos,
            "input",
            f"default of boolean input `{name}` must be `true` or `false`, not `{default}`",
        )
    elif kind == "number" and (isinstance(default, bool) or not isinstance(default, int | float)):
        yield at(
            pos, "input", f"default of number input `{name}` must be a number, not `{default}`"
        )
