"""Reading a built-in's `with:` as the runner reads an action's inputs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO

_LIST_SEPARATORS = re.compile(r"[,\n]")


def warn_unexpected(call: ActionCall, io: ActionIO, known: Iterable[str]) -> None:
    """GitHub's warning for inputs the action does not declare (the step still runs)."""
    valid = sorted({name.lower() for name in known})
    unexpected = sorted(key for key in call.inputs if key.lower() not in valid)
    if unexpected:
        names = ", ".join(f"'{key}'" for key in unexpected)
        io.warnings.append(
            f"Unexpected input(s) {names}, valid inputs are [{', '.join(repr(v) for v in valid)}]"
        )


def note_ignored(call: ActionCall, io: ActionIO, names: Iterable[str], why: str) -> None:
    """A debug line for each given input conveyor accepts and does not use."""
    for name in names:
        if call.input(name).strip():
            io.debug.append(f"{call.name}: input `{name}` is accepted and ignored: {why}")


def split_list(text: str) -> list[str]:
    """A list input given one item a line or comma-separated; blanks dropped."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def lines(text: str) -> list[str]:
    """A multi-line input: one item a line, blanks dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def integer(call: ActionCall, name: str, default: int) -> int:
    """An integer input (JavaScript's parseInt of leading digits, as the actions read them)."""
    text = call.input(name).strip()
    if not text:
        return default
    found = re.match(r"[+-]?\d+", text)
    if found is None:
        raise ActionFailed(
            f"input `{name}` of {call.uses} must be a number, got {text!r}",
            hint=f"set `{name}` to a whole number",
        )
    return int(found.group(0))
