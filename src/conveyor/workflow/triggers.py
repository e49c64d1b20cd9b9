"""`on:` in every shape GitHub accepts, normalised to `{event: Trigger}`.

`on: push`, `on: [push, pull_request]`, `on: {push: null}`, `on: {push: {}}` and
`on: {push: {branches: main}}` all become `Trigger` records; a filter written as a single
string is a one-item list, and a filter that is not written stays `None`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from conveyor.workflow.model import InputSpec, OutputSpec, SecretSpec, Trigger
from conveyor.workflow.nodes import (
    Entry,
    boolean,
    entries,
    fail,
    is_scalar,
    items,
    kind,
    optional_template,
    positions_of,
    raw,
    scalar_text,
    string_list,
    template,
)
from conveyor.workflow.yaml import Position

FILTERS = {
    "branches": "branches",
    "branches-ignore": "branches_ignore",
    "tags": "tags",
    "tags-ignore": "tags_ignore",
    "paths": "paths",
    "paths-ignore": "paths_ignore",
    "types": "types",
    "workflows": "workflows",
}
INPUT_TYPES = ("string", "boolean", "number", "choice", "environment")
InputType = Literal["string", "boolean", "number", "choice", "environment"]


def triggers(value: Any, pos: Position) -> dict[str, Trigger]:
    """The events of `on:`, in the order written."""
    if isinstance(value, str):
        return {value: Trigger(event=value, pos=pos)}
    if isinstance(value, list):
        found: dict[str, Trigger] = {}
        for item, item_pos in items(value, pos, "`on`"):
            if not isinstance(item, str):
                fail(
                    f"an event in the `on` list must be a name, not {kind(item)}",
                    item_pos,
                    hint="to give an event filters, write `on:` as a mapping",
                )
            found.setdefault(str(item), Trigger(event=str(item), pos=item_pos))
        return found
    if not isinstance(value, Mapping):
        fail(
            f"`on` must be an event name, a list of events or a mapping, not {kind(value)}",
            pos,
        )
    return {entry.key: trigger(entry) for entry in entries(value, pos, "`on`")}


def trigger(entry: Entry) -> Trigger:
    """One `event: …` entry of the `on:` mapping."""
    event, value = entry.key, entry.value
    if event == "schedule":
        return Trigger(event=event, crons=crons(value, entry.pos), pos=entry.key_pos)
    if value is not None and not isinstance(value, Mapping):
        fail(
            f"event `{event}` must be a mapping of filters (or empty), not {kind(value)}",
            entry.pos,
        )
    fields: dict[str, Any] = {}
    for item in entries(value, entry.pos, f"event `{event}`"):
        if item.key in FILTERS:
            fields[FILTERS[item.key]] = filter_list(item)
        elif item.key == "inputs":
            fields["inputs"] = inputs(item.value, item.pos, event)
        elif item.key == "outputs":
            fields["outputs"] = outputs(item.value, item.pos, f"`{event}.outputs`")
        elif item.key == "secrets":
            fields["secrets"] = secrets(item.value, item.pos)
    file = entry.pos.file
    return Trigger(event=event, pos=entry.key_pos, positions=positions_of(value, file), **fields)


def filter_list(entry: Entry) -> tuple[str, ...] | None:
    if entry.value is None:
        return None
    return string_list(entry.value, entry.pos, f"`{entry.key}`")


def crons(value: Any, pos: Position) -> tuple[str, ...]:
    """`schedule: [{cron: '…'}, …]`."""
    found: list[str] = []
    for item, item_pos in items(value, pos, "`schedule`"):
        if not isinstance(item, Mapping) or "cron" not in item:
            fail(
                f"each `schedule` item must be a mapping with `cron`, not {kind(item)}",
                item_pos,
                hint="write `schedule: [{cron: '30 5 * * 1'}]`",
            )
        found.extend(
            template(entry.value, entry.pos, "`cron`")
            for entry in entries(item, item_pos, "a `schedule` item")
            if entry.key == "cron"
        )
    return tuple(found)


def inputs(value: Any, pos: Position, event: str) -> dict[str, InputSpec]:
    """`inputs:` of `workflow_dispatch` / `workflow_call`; a null input is all defaults."""
    return {entry.key: input_spec(entry) for entry in entries(value, pos, f"`{event}.inputs`")}


def input_spec(entry: Entry, *, text_default: bool = False) -> InputSpec:
    """One input; `text_default` stringifies `default` (action inputs are strings)."""
    what = f"input `{entry.key}`"
    fields: dict[str, Any] = {}
    for item in entries(entry.value, entry.pos, what):
        if item.key == "description":
            fields["description"] = (
                optional_template(item.value, item.pos, f"{what} description") or ""
            )
        elif item.key == "required":
            fields["required"] = boolean(item.value, item.pos, f"`required` of {what}")
        elif item.key == "default":
            if text_default:
                fields["default"] = optional_template(item.value, item.pos, f"`default` of {what}")
            else:
                fields["default"] = raw(item.value, item.pos)
        elif item.key == "type":
            fields["type"] = input_type(item, what)
        elif item.key == "options":
            fields["options"] = string_list(item.value, item.pos, f"`options` of {what}")
        elif item.key == "deprecationMessage":
            fields["deprecation_message"] = optional_template(
                item.value, item.pos, f"`deprecationMessage` of {what}"
            )
    return InputSpec(name=entry.key, pos=entry.key_pos, **fields)


def input_type(item: Entry, what: str) -> InputType:
    name = scalar_text(item.value) if is_scalar(item.value) else ""
    if name not in INPUT_TYPES:
        fail(
            f"`type` of {what} must be one of {', '.join(INPUT_TYPES)}, not {name or kind(item.value)!r}",
            item.pos,
        )
    return cast(InputType, name)


def outputs(value: Any, pos: Position, what: str) -> dict[str, OutputSpec]:
    """`outputs:` of `workflow_call` or of an action: `{name: {description, value}}`."""
    found: dict[str, OutputSpec] = {}
    for entry in entries(value, pos, what):
        description, output_value = "", None
        for item in entries(entry.value, entry.pos, f"output `{entry.key}`"):
            if item.key == "description":
                description = optional_template(item.value, item.pos, "`description`") or ""
            elif item.key == "value":
                output_value = optional_template(item.value, item.pos, "`value`")
        found[entry.key] = OutputSpec(
            name=entry.key, description=description, value=output_value, pos=entry.key_pos
        )
    return found


def secrets(value: Any, pos: Position) -> dict[str, SecretSpec]:
    """`workflow_call.secrets`: `{name: {description, required}}` (null is all defaults)."""
    found: dict[str, SecretSpec] = {}
    for entry in entries(value, pos, "`workflow_call.secrets`"):
        description, required = "", False
        for item in entries(entry.value, entry.pos, f"secret `{entry.key}`"):
            if item.key == "description":
                description = optional_template(item.value, item.pos, "`description`") or ""
            elif item.key == "required":
                required = boolean(item.value, item.pos, f"`required` of secret `{entry.key}`")
        found[entry.key] = SecretSpec(
            name=entry.key, description=description, required=required, pos=entry.key_pos
        )
    return found
