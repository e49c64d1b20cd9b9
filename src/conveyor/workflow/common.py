"""Keys that a workflow and its jobs share: `permissions`, `concurrency`, `defaults`."""

from __future__ import annotations

from typing import Any, Literal, cast

from conveyor.workflow.model import Concurrency, Defaults, Permissions
from conveyor.workflow.nodes import entries, fail, flag, is_scalar, optional_template, template
from conveyor.workflow.yaml import Position

LEVELS = ("read", "write", "none")


def permissions(value: Any, pos: Position) -> Permissions:
    """`read-all`, `write-all`, `{}` (no permission at all) or `{scope: read|write|none}`."""
    if isinstance(value, str):
        if value in ("read-all", "write-all"):
            return Permissions(all=cast(Literal["read-all", "write-all"], value), pos=pos)
        fail(
            f"`permissions` must be `read-all`, `write-all` or a mapping of scopes, not {value!r}",
            pos,
        )
    scopes: dict[str, Literal["read", "write", "none"]] = {}
    for entry in entries(value, pos, "`permissions`"):
        level = template(entry.value, entry.pos, f"permission `{entry.key}`")
        if level not in LEVELS:
            fail(
                f"permission `{entry.key}` must be `read`, `write` or `none`, not {level!r}",
                entry.pos,
            )
        scopes[entry.key] = cast(Literal["read", "write", "none"], level)
    return Permissions(scopes=scopes, pos=pos)


def concurrency(value: Any, pos: Position) -> Concurrency:
    """A group name, or `{group, cancel-in-progress}`."""
    if value is not None and is_scalar(value):
        return Concurrency(group=template(value, pos, "`concurrency`"), pos=pos)
    group: str | None = None
    cancel: bool | str = False
    for entry in entries(value, pos, "`concurrency`"):
        if entry.key == "group":
            group = template(entry.value, entry.pos, "`concurrency.group`")
        elif entry.key == "cancel-in-progress":
            cancel = flag(entry.value, entry.pos, "`concurrency.cancel-in-progress`")
    if group is None:
        fail(
            "`concurrency` needs a `group`",
            pos,
            hint="write `concurrency: {group: NAME, cancel-in-progress: true}`",
        )
    return Concurrency(group=group, cancel_in_progress=cancel, pos=pos)


def defaults(value: Any, pos: Position) -> Defaults:
    """`defaults.run.shell` and `defaults.run.working-directory`."""
    shell: str | None = None
    directory: str | None = None
    for entry in entries(value, pos, "`defaults`"):
        if entry.key != "run":
            continue
        for run in entries(entry.value, entry.pos, "`defaults.run`"):
            if run.key == "shell":
                shell = optional_template(run.value, run.pos, "`defaults.run.shell`")
            elif run.key == "working-directory":
                directory = optional_template(
                    run.value, run.pos, "`defaults.run.working-directory`"
                )
    return Defaults(shell=shell, working_directory=directory)
