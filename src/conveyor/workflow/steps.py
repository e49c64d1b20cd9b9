"""Steps of a job or of a composite action."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conveyor.workflow.model import Step
from conveyor.workflow.nodes import (
    entries,
    fail,
    flag,
    items,
    kind,
    number,
    optional_template,
    positions_of,
    string_map,
    whole_expression,
)
from conveyor.workflow.yaml import Position

TEXT_KEYS = {
    "id": "id",
    "name": "name",
    "uses": "uses",
    "run": "run",
    "shell": "shell",
    "if": "if_",
    "working-directory": "working_directory",
}


def steps(value: Any, pos: Position) -> tuple[Step, ...]:
    """`steps:`, a sequence of mappings, in order."""
    return tuple(
        step(item, item_pos, index)
        for index, (item, item_pos) in enumerate(items(value, pos, "`steps`"))
    )


def step(value: Any, pos: Position, index: int) -> Step:
    if not isinstance(value, Mapping):
        fail(
            f"step {index + 1} must be a mapping, not {kind(value)}",
            pos,
            hint="start a step with `- run: …` or `- uses: …`",
        )
    what = f"step {index + 1}"
    fields: dict[str, Any] = {}
    for entry in entries(value, pos, what):
        label = f"`{entry.key}` of {what}"
        if entry.key in TEXT_KEYS:
            fields[TEXT_KEYS[entry.key]] = optional_template(entry.value, entry.pos, label)
        elif entry.key in ("with", "env") and whole_expression(entry.value):
            fields[f"{entry.key}_expression"] = entry.value
        elif entry.key == "with":
            fields["with_"] = string_map(entry.value, entry.pos, label)
        elif entry.key == "env":
            fields["env"] = string_map(entry.value, entry.pos, label)
        elif entry.key == "continue-on-error" and entry.value is not None:
            fields["continue_on_error"] = flag(entry.value, entry.pos, label)
        elif entry.key == "timeout-minutes" and entry.value is not None:
            fields["timeout_minutes"] = number(entry.value, entry.pos, label)
    return Step(index=index, pos=pos, positions=positions_of(value, pos.file), **fields)
