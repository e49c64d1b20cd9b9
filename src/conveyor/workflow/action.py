"""`action.yml` / `action.yaml` metadata: inputs, outputs and `runs` (composite, node, docker)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conveyor.workflow.model import Action, ActionRuns, InputSpec
from conveyor.workflow.nodes import (
    entries,
    fail,
    kind,
    optional_template,
    positions_of,
    string_list,
    string_map,
)
from conveyor.workflow.steps import steps
from conveyor.workflow.triggers import input_spec, outputs
from conveyor.workflow.yaml import Position, node_position, value_position

RUNS_TEXT = {
    "using": "using",
    "main": "main",
    "pre": "pre",
    "post": "post",
    "pre-if": "pre_if",
    "post-if": "post_if",
    "image": "image",
    "entrypoint": "entrypoint",
    "pre-entrypoint": "pre_entrypoint",
    "post-entrypoint": "post_entrypoint",
}


def action(tree: Any, *, path: Path, file: str) -> Action:
    """Build an `Action` from a parsed metadata file."""
    top = Position(file=file, line=1, column=1)
    if not isinstance(tree, Mapping):
        fail(
            f"an action metadata file must be a mapping, not {kind(tree)}",
            node_position(tree, file) if tree is not None else top,
            hint="an action needs `name`, `description` and `runs`",
        )
    pos = node_position(tree, file)
    fields: dict[str, Any] = {}
    for entry in entries(tree, pos, "the action"):
        if entry.key in ("name", "description", "author"):
            fields[entry.key] = optional_template(entry.value, entry.pos, f"`{entry.key}`") or ""
        elif entry.key == "inputs":
            fields["inputs"] = action_inputs(entry.value, entry.pos)
        elif entry.key == "outputs":
            fields["outputs"] = outputs(entry.value, entry.pos, "`outputs`")
    if "runs" not in tree or tree["runs"] is None:
        fail("the action has no `runs`", pos, hint="add `runs: {using: composite, steps: […]}`")
    runs = action_runs(tree["runs"], value_position(tree, "runs", file))
    return Action(
        path=path,
        name=fields.pop("name", ""),
        runs=runs,
        pos=pos,
        positions=positions_of(tree, file),
        **fields,
    )


def action_inputs(value: Any, pos: Position) -> dict[str, InputSpec]:
    """Action inputs are strings at run time: defaults are stringified as GitHub does."""
    return {
        entry.key: input_spec(entry, text_default=True) for entry in entries(value, pos, "`inputs`")
    }


def action_runs(value: Any, pos: Position) -> ActionRuns:
    if not isinstance(value, Mapping):
        fail(f"`runs` must be a mapping, not {kind(value)}", pos)
    fields: dict[str, Any] = {}
    for entry in entries(value, pos, "`runs`"):
        if entry.value is None:
            continue
        if entry.key in RUNS_TEXT:
            fields[RUNS_TEXT[entry.key]] = optional_template(
                entry.value, entry.pos, f"`runs.{entry.key}`"
            )
        elif entry.key == "steps":
            fields["steps"] = steps(entry.value, entry.pos)
        elif entry.key == "args":
            fields["args"] = string_list(entry.value, entry.pos, "`runs.args`")
        elif entry.key == "env":
            fields["env"] = string_map(entry.value, entry.pos, "`runs.env`")
    if not fields.get("using"):
        fail(
            "`runs` needs `using`",
            pos,
            hint="`using: composite`, `using: node20` or `using: docker`",
        )
    return ActionRuns(**fields)
