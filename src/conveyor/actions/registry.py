"""Which actions conveyor runs natively: one explicit table, `owner/name` → built-in."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import cast

from conveyor.actions.base import BuiltinAction, PostFunction

_TABLE: dict[str, tuple[str, str]] = {
    "actions/checkout": ("checkout", "Checkout"),
    "actions/cache": ("cache", "Cache"),
    "actions/cache/restore": ("cache", "CacheRestore"),
    "actions/cache/save": ("cache", "CacheSave"),
    "actions/setup-python": ("setup_python", "SetupPython"),
    "actions/upload-artifact": ("artifacts", "UploadArtifact"),
    "actions/upload-artifact/merge": ("artifacts", "MergeArtifacts"),
    "actions/download-artifact": ("artifacts", "DownloadArtifact"),
    "astral-sh/setup-uv": ("setup_uv", "SetupUv"),
    "re-actors/alls-green": ("alls_green", "AllsGreen"),
    "codecov/codecov-action": ("codecov", "Codecov"),
    "pypa/gh-action-pypi-publish": ("pypi_publish", "PypiPublish"),
    "pre-commit/action": ("pre_commit", "PreCommit"),
    "actions/setup-node": ("setup_node", "SetupNode"),
    "dorny/paths-filter": ("paths_filter", "PathsFilter"),
}
"""`owner/name` → (module in `conveyor.actions`, class). Filled in this module, one line per
action; never by import side effects elsewhere."""


class _Builtins(Mapping[str, BuiltinAction]):
    """`_TABLE` as name → action, each module imported when its action is first looked up,
    so a run that uses no built-in does not pay for importing them all."""

    def __getitem__(self, name: str) -> BuiltinAction:
        if name not in _TABLE:
            raise KeyError(name)
        return _instance(name)

    def __iter__(self) -> Iterator[str]:
        return iter(_TABLE)

    def __len__(self) -> int:
        return len(_TABLE)


BUILTINS: Mapping[str, BuiltinAction] = _Builtins()

DEFAULT_POST_IF = "always()"  # GitHub's default `runs.post-if`


@dataclass(frozen=True, slots=True, kw_only=True)
class PostStep:
    """A built-in's post step: what to run at the end of the job, and when."""

    run: PostFunction
    condition: str  # an `if:` expression, evaluated with the job's status at that point


def builtin(name: str) -> BuiltinAction | None:
    """The built-in for `owner/name[/path]` (any case), or None."""
    return BUILTINS.get(name.lower())


@cache
def _instance(name: str) -> BuiltinAction:
    """One instance per action, made on first use."""
    module, cls = _TABLE[name]
    action = getattr(importlib.import_module(f"conveyor.actions.{module}"), cls)()
    return cast(BuiltinAction, action)


def post_step(action: BuiltinAction) -> PostStep | None:
    """The action's post step, or None when it has none."""
    run: PostFunction | None = getattr(action, "post", None)
    if run is None:
        return None
    return PostStep(run=run, condition=str(getattr(action, "post_if", DEFAULT_POST_IF)))
