"""Which actions conveyor runs natively: one explicit table, `owner/name` → built-in."""

from __future__ import annotations

from dataclasses import dataclass

from conveyor.actions.alls_green import AllsGreen
from conveyor.actions.artifacts import DownloadArtifact, UploadArtifact
from conveyor.actions.base import BuiltinAction, PostFunction
from conveyor.actions.cache import Cache, CacheRestore, CacheSave
from conveyor.actions.checkout import Checkout
from conveyor.actions.codecov import Codecov
from conveyor.actions.pre_commit import PreCommit
from conveyor.actions.pypi_publish import PypiPublish
from conveyor.actions.setup_node import SetupNode
from conveyor.actions.setup_python import SetupPython
from conveyor.actions.setup_uv import SetupUv

BUILTINS: dict[str, BuiltinAction] = {
    "actions/checkout": Checkout(),
    "actions/cache": Cache(),
    "actions/cache/restore": CacheRestore(),
    "actions/cache/save": CacheSave(),
    "actions/setup-python": SetupPython(),
    "actions/upload-artifact": UploadArtifact(),
    "actions/download-artifact": DownloadArtifact(),
    "astral-sh/setup-uv": SetupUv(),
    "re-actors/alls-green": AllsGreen(),
    "codecov/codecov-action": Codecov(),
    "pypa/gh-action-pypi-publish": PypiPublish(),
    "pre-commit/action": PreCommit(),
    "actions/setup-node": SetupNode(),
}
"""Filled in this module, one line per action; never by import side effects elsewhere."""

DEFAULT_POST_IF = "always()"  # GitHub's default `runs.post-if`


@dataclass(frozen=True, slots=True, kw_only=True)
class PostStep:
    """A built-in's post step: what to run at the end of the job, and when."""

    run: PostFunction
    condition: str  # an `if:` expression, evaluated with the job's status at that point


def builtin(name: str) -> BuiltinAction | None:
    """The built-in for `owner/name[/path]` (any case), or None."""
    return BUILTINS.get(name.lower())


def post_step(action: BuiltinAction) -> PostStep | None:
    """The action's post step, or None when it has none."""
    run: PostFunction | None = getattr(action, "post", None)
    if run is None:
        return None
    return PostStep(run=run, condition=str(getattr(action, "post_if", DEFAULT_POST_IF)))
