"""Load workflow and action files into the frozen model.

    load_workflow(path, root=…)         a `.github/workflows/*.yml` file → `Workflow`
    load_workflow_text(text, file=…)    the same from text or bytes
    load_action(path)                   a directory with `action.yml`/`action.yaml`, or the file
    discover_workflows(root)            the workflow files of a repository, sorted

Any input gives a record or a `WorkflowError`, never another exception. The loader stops at
the first problem that prevents building a record; `conveyor validate` reports every
problem, unknown keys included, which the loader ignores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from conveyor.errors import WorkflowError
from conveyor.workflow.action import action
from conveyor.workflow.common import concurrency, defaults, permissions
from conveyor.workflow.jobs import jobs
from conveyor.workflow.model import Action, Workflow
from conveyor.workflow.nodes import (
    entries,
    fail,
    kind,
    optional_template,
    positions_of,
    string_map,
    whole_expression,
)
from conveyor.workflow.triggers import triggers
from conveyor.workflow.yaml import Position, node_position, parse_yaml

ACTION_FILES = ("action.yml", "action.yaml")
WORKFLOWS_DIR = Path(".github") / "workflows"
T = TypeVar("T")


def discover_workflows(root: Path) -> list[Path]:
    """The `*.yml` / `*.yaml` files directly under `ROOT/.github/workflows/`, sorted."""
    folder = root / WORKFLOWS_DIR
    if not folder.is_dir():
        return []
    try:
        names = list(folder.iterdir())
    except OSError as exc:
        raise WorkflowError(
            f"cannot list the workflows folder: {exc.strerror or exc}",
            file=folder.as_posix(),
            rule="file",
        ) from None
    return sorted(path for path in names if path.suffix in (".yml", ".yaml") and path.is_file())


def load_workflow(path: Path, *, root: Path | None = None) -> Workflow:
    """Read and load one workflow file; with `root`, positions name the file relative to it."""
    shown = display_path(path, root)
    return load_workflow_text(read(path, shown), file=shown.as_posix(), path=shown)


def load_workflow_text(text: str | bytes, *, file: str, path: Path | None = None) -> Workflow:
    """Load a workflow from its text; `file` is how positions and errors name it."""
    return guarded(file, lambda: workflow(parse_yaml(text, file=file), file, path or Path(file)))


def load_action(path: Path) -> Action:
    """Load `action.yml` (or `action.yaml`) from a directory, or the metadata file itself."""
    if path.is_dir():
        found = [path / name for name in ACTION_FILES if (path / name).is_file()]
        if not found:
            raise WorkflowError(
                f"no action metadata file in {path}: looked for {' and '.join(ACTION_FILES)}",
                file=path.as_posix(),
                rule="action-missing",
                hint="an action directory holds `action.yml` (or `action.yaml`)",
            )
        path = found[0]
    file = path.as_posix()
    text = read(path, path)
    return guarded(file, lambda: action(parse_yaml(text, file=file), path=path, file=file))


# --------------------------------------------------------------------------------


def display_path(path: Path, root: Path | None) -> Path:
    if root is None:
        return path
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


def read(path: Path, shown: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WorkflowError(
            f"cannot read the file: {exc.strerror or exc}", file=shown.as_posix(), rule="file"
        ) from None


def guarded(file: str, build: Callable[[], T]) -> T:
    """Run `build`; turn a structure too deep for Python (recursive aliases) into an error."""
    try:
        return build()
    except RecursionError:
        raise WorkflowError(
            "the file nests too deeply (or an alias refers to itself)",
            file=file,
            rule="yaml-syntax",
        ) from None


def workflow(tree: Any, file: str, path: Path) -> Workflow:
    """Build a `Workflow` from the parsed top-level mapping."""
    whole = Position(file=file)
    if tree is None:
        fail("the workflow file is empty", whole, hint="a workflow needs `on` and `jobs`")
    if not isinstance(tree, Mapping):
        fail(
            f"the top level of a workflow must be a mapping, not {kind(tree)}",
            node_position(tree, file) if not isinstance(tree, str) else whole,
            hint="a workflow needs `on` and `jobs`",
        )
    pos = node_position(tree, file)
    for required in ("on", "jobs"):
        if required not in tree:
            fail(
                f"the workflow has no `{required}`",
                pos,
                rule="required-key",
                hint=REQUIRED_HINTS[required],
            )
    fields: dict[str, Any] = {}
    for entry in entries(tree, pos, "the workflow"):
        if entry.key == "env" and whole_expression(entry.value):
            fields["env_expression"] = entry.value
        elif entry.key in TOP_LEVEL and (entry.value is not None or entry.key in ("on", "jobs")):
            fields[TOP_LEVEL[entry.key][0]] = TOP_LEVEL[entry.key][1](entry.value, entry.pos)
    return Workflow(path=path, pos=pos, positions=positions_of(tree, file), **fields)


def text(key: str) -> Callable[[Any, Position], Any]:
    return lambda value, pos: optional_template(value, pos, f"`{key}`")


REQUIRED_HINTS: Mapping[str, str] = {
    "on": "add `on: push` (or the events that should start it)",
    "jobs": "add `jobs:` with at least one job",
}

TOP_LEVEL: Mapping[str, tuple[str, Callable[[Any, Position], Any]]] = {
    "name": ("name", text("name")),
    "run-name": ("run_name", text("run-name")),
    "on": ("triggers", triggers),
    "env": ("env", lambda value, pos: string_map(value, pos, "`env`")),
    "defaults": ("defaults", defaults),
    "permissions": ("permissions", permissions),
    "concurrency": ("concurrency", concurrency),
    "jobs": ("jobs", jobs),
}

__all__ = [
    "discover_workflows",
    "load_action",
    "load_workflow",
    "load_workflow_text",
]
