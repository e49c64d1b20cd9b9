"""The functions GitHub documents, with their argument counts and implementations.

`FUNCTIONS` maps each lower-cased name to its spec, so a validator can report unknown
functions and wrong argument counts without evaluating anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from conveyor.expr.formatting import FormatError, format_string
from conveyor.expr.hashfiles import HashFilesError, hash_files
from conveyor.expr.jsontext import from_json, to_json
from conveyor.expr.values import coerce_string, fold, is_primitive, kind, loose_equal

Status = Literal["success", "failure", "cancelled"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalEnv:
    """What the runner supplies besides contexts.

    `status` is what the status functions see: for a step, the status of its job so far;
    for a job, the combined result of the jobs it needs. `workspace` is where `hashFiles`
    looks; None means hashFiles is not available (GitHub allows it only while a job runs).
    """

    workspace: Path | None = None
    status: Status = "success"


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionSpec:
    """A function as GitHub documents it: canonical name, argument counts (max None: any)."""

    name: str
    min_args: int
    max_args: int | None
    status_check: bool = False


class FunctionError(Exception):
    """A function refused its arguments; the evaluator adds the expression and column."""


Impl = Callable[[Sequence[Any], EvalEnv], Any]

FUNCTIONS: Final[Mapping[str, FunctionSpec]] = {
    spec.name.lower(): spec
    for spec in (
        FunctionSpec(name="contains", min_args=2, max_args=2),
        FunctionSpec(name="startsWith", min_args=2, max_args=2),
        FunctionSpec(name="endsWith", min_args=2, max_args=2),
        FunctionSpec(name="format", min_args=1, max_args=None),
        FunctionSpec(name="join", min_args=1, max_args=2),
        FunctionSpec(name="toJSON", min_args=1, max_args=1),
        FunctionSpec(name="fromJSON", min_args=1, max_args=1),
        FunctionSpec(name="hashFiles", min_args=1, max_args=None),
        FunctionSpec(name="case", min_args=3, max_args=None),
        FunctionSpec(name="success", min_args=0, max_args=0, status_check=True),
        FunctionSpec(name="failure", min_args=0, max_args=0, status_check=True),
        FunctionSpec(name="always", min_args=0, max_args=0, status_check=True),
        FunctionSpec(name="cancelled", min_args=0, max_args=0, status_check=True),
    )
}


def _contains(args: Sequence[Any], env: EvalEnv) -> bool:
    haystack, needle = args
    if is_primitive(haystack):
        if not is_primitive(needle):
            return False
        return fold(coerce_string(needle)) in fold(coerce_string(haystack))
    if kind(haystack) == "array":
        return any(loose_equal(needle, item) for item in haystack)
    return False


def _starts_with(args: Sequence[Any], env: EvalEnv) -> bool:
    text, prefix = args
    if not (is_primitive(text) and is_primitive(prefix)):
        return False
    return fold(coerce_string(text)).startswith(fold(coerce_string(prefix)))


def _ends_with(args: Sequence[Any], env: EvalEnv) -> bool:
    text, suffix = args
    if not (is_primitive(text) and is_primitive(suffix)):
        return False
    return fold(coerce_string(text)).endswith(fold(coerce_string(suffix)))


def _join(args: Sequence[Any], env: EvalEnv) -> str:
    items = args[0]
    if kind(items) == "array":
        separator = ","
        if len(args) > 1 and is_primitive(args[1]):
            separator = coerce_string(args[1])
        return separator.join(coerce_string(item) for item in items)
    if is_primitive(items):
        return coerce_string(items)
    return ""


def _to_json(args: Sequence[Any], env: EvalEnv) -> str:
    try:
        return to_json(args[0])
    except ValueError as exc:
        raise FunctionError(f"toJSON: {exc}") from None


def _from_json(args: Sequence[Any], env: EvalEnv) -> Any:
    text = coerce_string(args[0])
    try:
        return from_json(text)
    except ValueError as exc:
        raise FunctionError(f"fromJSON: the argument is not valid JSON ({exc})") from None


def _hash_files(args: Sequence[Any], env: EvalEnv) -> str:
    patterns = [coerce_string(arg) for arg in args]
    if env.workspace is None:
        raise FunctionError("hashFiles() is only available while a job runs (no workspace)")
    try:
        return hash_files(env.workspace, patterns)
    except HashFilesError as exc:
        raise FunctionError(f"hashFiles({', '.join(map(repr, patterns))}) failed: {exc}") from None


def _case(args: Sequence[Any], env: EvalEnv) -> Any:
    for position in range(0, len(args) - 1, 2):
        predicate = args[position]
        if kind(predicate) != "boolean":
            raise FunctionError(
                f"case: argument {position + 1} must be a boolean (a condition), got {kind(predicate)}"
            )
        if predicate:
            return args[position + 1]
    return args[-1]


def _status(expected: Status) -> Impl:
    def check(args: Sequence[Any], env: EvalEnv) -> bool:
        return env.status == expected

    return check


def _always(args: Sequence[Any], env: EvalEnv) -> bool:
    return True


def _format(args: Sequence[Any], env: EvalEnv) -> str:
    try:
        return format_string(coerce_string(args[0]), [coerce_string(arg) for arg in args[1:]])
    except FormatError as exc:
        raise FunctionError(str(exc)) from None


IMPLEMENTATIONS: Final[Mapping[str, Impl]] = {
    "contains": _contains,
    "startswith": _starts_with,
    "endswith": _ends_with,
    "format": _format,
    "join": _join,
    "tojson": _to_json,
    "fromjson": _from_json,
    "hashfiles": _hash_files,
    "case": _case,
    "success": _status("success"),
    "failure": _status("failure"),
    "cancelled": _status("cancelled"),
    "always": _always,
}


def arity_problem(spec: FunctionSpec, argc: int) -> str | None:
    """Why `argc` arguments are wrong for this function, or None when they are fine."""
    low, high = spec.min_args, spec.max_args
    if high == low and argc != low:
        return f"`{spec.name}` takes {_count(low)}, got {argc}"
    if argc < low:
        return f"`{spec.name}` takes at least {_count(low)}, got {argc}"
    if high is not None and argc > high:
        return f"`{spec.name}` takes at most {_count(high)}, got {argc}"
    if spec.name == "case" and argc % 2 == 0:
        return f"`case` takes an odd number of arguments (condition, value pairs and a default), got {argc}"
    return None


def _count(n: int) -> str:
    return "no arguments" if n == 0 else "1 argument" if n == 1 else f"{n} arguments"
