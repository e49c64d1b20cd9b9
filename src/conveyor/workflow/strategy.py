"""`strategy:` of a job: the matrix (axes, include, exclude), `fail-fast`, `max-parallel`.

Matrix values keep their YAML types (`3.10` is the float 3.1, as on GitHub); an axis, the
`include`/`exclude` lists or the whole matrix may be one `${{ }}` expression, kept as a
template for the planner.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conveyor.workflow.model import Matrix, Raw, Strategy, Template
from conveyor.workflow.nodes import (
    entries,
    fail,
    flag,
    integer,
    is_scalar,
    items,
    kind,
    raw,
    scalar_text,
    whole_expression,
)
from conveyor.workflow.yaml import Position

Combos = tuple[Mapping[str, Raw], ...] | Template


def strategy(value: Any, pos: Position) -> Strategy:
    if whole_expression(value):
        return Strategy(expression=value)
    fields: dict[str, Any] = {}
    for entry in entries(value, pos, "`strategy`"):
        if entry.value is None:
            continue
        if entry.key == "matrix":
            fields["matrix"] = matrix(entry.value, entry.pos)
        elif entry.key == "fail-fast":
            fields["fail_fast"] = flag(entry.value, entry.pos, "`strategy.fail-fast`")
        elif entry.key == "max-parallel":
            fields["max_parallel"] = integer(entry.value, entry.pos, "`strategy.max-parallel`")
    return Strategy(**fields)


def matrix(value: Any, pos: Position) -> Matrix:
    """A mapping of axes plus `include`/`exclude`, or one expression for the whole matrix."""
    if isinstance(value, str) and "${{" in value:
        return Matrix(expression=str(value), pos=pos)
    if not isinstance(value, Mapping):
        fail(
            f"`strategy.matrix` must be a mapping or a `${{{{ }}}}` expression, not {kind(value)}",
            pos,
        )
    axes: dict[str, tuple[Raw, ...] | Template] = {}
    include: Combos = ()
    exclude: Combos = ()
    for entry in entries(value, pos, "`strategy.matrix`"):
        if entry.key == "include":
            include = combos(entry.value, entry.pos, "include")
        elif entry.key == "exclude":
            exclude = combos(entry.value, entry.pos, "exclude")
        else:
            axes[entry.key] = axis(entry.key, entry.value, entry.pos)
    return Matrix(axes=axes, include=include, exclude=exclude, pos=pos)


def axis(name: str, value: Any, pos: Position) -> tuple[Raw, ...] | Template:
    if isinstance(value, str) and "${{" in value:
        return str(value)
    if not isinstance(value, list):
        shown = f" ({scalar_text(value)!r})" if is_scalar(value) and value is not None else ""
        fail(
            f"matrix axis `{name}` must be a list of values or a `${{{{ }}}}` expression, not {kind(value)}{shown}",
            pos,
            hint=f"write `{name}: [{scalar_text(value)}]`" if shown else None,
        )
    return tuple(raw(item, item_pos) for item, item_pos in items(value, pos, f"axis `{name}`"))


def combos(value: Any, pos: Position, key: str) -> Combos:
    """`include` / `exclude`: a list of mappings, or one expression."""
    if isinstance(value, str) and "${{" in value:
        return str(value)
    found: list[Mapping[str, Raw]] = []
    for item, item_pos in items(value, pos, f"`matrix.{key}`"):
        combo = raw(item, item_pos)
        if not isinstance(combo, Mapping):
            fail(f"each item of `matrix.{key}` must be a mapping, not {kind(item)}", item_pos)
        found.append(combo)
    return tuple(found)
