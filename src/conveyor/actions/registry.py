"""Which actions conveyor runs natively: one explicit table, `owner/name` → built-in."""

from __future__ import annotations

from conveyor.actions.base import BuiltinAction

BUILTINS: dict[str, BuiltinAction] = {}
"""Filled in this module, one line per action; never by import side effects elsewhere."""


def builtin(name: str) -> BuiltinAction | None:
    """The built-in for `owner/name[/path]` (any case), or None."""
    return BUILTINS.get(name.lower())
