"""`uses:` references: their form, and local actions / reusable workflows with their inputs.

Local paths (`./…`) resolve against the repository root, as GitHub resolves them against
the workspace. A step must pass an action's required inputs that have no default; a job
must pass a reusable workflow's required inputs and secrets, and only inputs it declares.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from conveyor.workflow.checks.diagnostic import Diagnostic, Severity, at, did_you_mean
from conveyor.workflow.checks.tree import Document, as_list, as_map
from conveyor.workflow.yaml import Position

OpenDocument = Callable[[Path, str], "Document | None"]
RemoteActions = Callable[[str], "Path | None"]
"""`OWNER/REPO[/PATH]@REF` → the folder of that action's copy on this machine, or None.
Injected (conveyor's action cache): this package imports nothing of the engine."""
REMOTE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[^@\s]+$")
ACTION_FILES = ("action.yml", "action.yaml")


Checkout = tuple[str, str | None]  # (path it checks out into, other repository or None)


def step_uses(doc: Document) -> Iterator[tuple[dict[Any, Any], str, tuple[Checkout, ...]]]:
    """Each step with a string `uses`, in jobs and composite actions, with the checkouts before it."""
    tree = as_map(doc.tree)
    step_lists = [as_map(job).get("steps") for job in as_map(tree.get("jobs")).values()]
    step_lists.append(as_map(tree.get("runs")).get("steps"))
    for steps in step_lists:
        checkouts: tuple[Checkout, ...] = ()
        for step in as_list(steps):
            uses = as_map(step).get("uses")
            if not isinstance(uses, str):
                continue
            yield step, uses, checkouts
            if uses.startswith("actions/checkout@"):
                given = as_map(step.get("with"))
                path = str(given.get("path") or "")
                repository = given.get("repository")
                checkouts = (*checkouts, (path, str(repository) if repository else None))


def resolve_local(root: Path, uses: str, checkouts: tuple[Checkout, ...]) -> Path | None:
    """The directory `uses: ./…` names, or None when another repository is checked out there."""
    relative = uses[2:]
    for written, repository in reversed(checkouts):
        path = posixpath.normpath(written or ".").strip("/")
        if path == ".":
            if repository is not None:
                return None
            continue
        if relative == path or relative.startswith(path + "/"):
            if repository is not None:
                return None
            relative = relative[len(path) :].lstrip("/")
            break
    return (root / relative).resolve()


def find_action_file(directory: Path) -> Path | None:
    for name in ACTION_FILES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def check_uses(
    doc: Document, open_doc: OpenDocument, remote: RemoteActions | None = None
) -> Iterator[Diagnostic]:
    for step, uses, checkouts in step_uses(doc):
        pos = doc.value_pos(step, "uses")
        if uses.startswith("./"):
            directory = resolve_local(doc.root, uses, checkouts)
            if directory is not None:
                yield from _local_action(doc, step, uses, directory, pos=pos, open_doc=open_doc)
        else:
            yield from _uses_form(uses, pos)
            cached = remote(uses) if remote is not None and REMOTE.match(uses) else None
            if cached is not None:
                yield from _cached_action(doc, step, uses, cached, pos=pos)
    for job_id, job in as_map(as_map(doc.tree).get("jobs")).items():
        job_map = as_map(job)
        called = job_map.get("uses")
        if isinstance(called, str):
            yield from _job_uses(doc, str(job_id), job_map, called, open_doc)


WORKFLOW_REF = re.compile(r"^[^/@\s]+/[^/@\s]+/\.github/workflows/[^@\s]+\.ya?ml@[^@\s]+$")


def _job_uses(
    doc: Document, job_id: str, job: dict[Any, Any], called: str, open_doc: OpenDocument
) -> Iterator[Diagnostic]:
    pos = doc.value_pos(job, "uses")
    if called.startswith("./"):
        yield from _local_workflow(doc, job_id, job, called, pos=pos, open_doc=open_doc)
    elif not WORKFLOW_REF.match(called):
        yield at(
            pos,
            "uses",
            f"`uses: {called}` is not a reusable workflow reference",
            hint="write `./.github/workflows/NAME.yml` or `OWNER/REPO/.github/workflows/NAME.yml@REF`",
        )


def _uses_form(uses: str, pos: Position) -> Iterator[Diagnostic]:
    if uses.startswith("docker://") or REMOTE.match(uses):
        return
    hint = "add a version, e.g. `@v4`" if "@" not in uses and "/" in uses else None
    yield at(
        pos,
        "uses",
        f"`uses: {uses}` is not `./PATH`, `OWNER/REPO[/PATH]@REF` or `docker://IMAGE`",
        hint=hint,
    )


def _local_action(
    doc: Document,
    step: dict[Any, Any],
    uses: str,
    directory: Path,
    *,
    pos: Position,
    open_doc: OpenDocument,
) -> Iterator[Diagnostic]:
    path = find_action_file(directory)
    if path is None:
        yield at(
            pos,
            "local-path",
            f"local action `{uses}` not found: no action.yml in {directory}",
            hint="paths in `uses: ./…` are relative to the repository root",
        )
        return
    action = open_doc(path, "action")
    if action is None:
        return
    yield from _action_inputs(doc, step, uses, action.tree, pos=pos)


def _action_inputs(
    doc: Document, step: dict[Any, Any], uses: str, action_tree: Any, *, pos: Position
) -> Iterator[Diagnostic]:
    """The step's `with:` against the inputs the action's metadata declares."""
    declared = as_map(as_map(action_tree).get("inputs"))
    yield from _inputs(
        doc,
        step,
        f"action `{uses}`",
        declared=declared,
        required=_required(declared),
        pos=pos,
        unknown="warning",
    )


def _local_workflow(
    doc: Document,
    job_id: str,
    job: dict[Any, Any],
    uses: str,
    *,
    pos: Position,
    open_doc: OpenDocument,
) -> Iterator[Diagnostic]:
    path = (doc.root / uses).resolve()
    if not path.is_file():
        yield at(
            pos,
            "local-path",
            f"reusable workflow `{uses}` not found: no file {path}",
            hint="paths in `uses: ./…` are relative to the repository root",
        )
        return
    called = open_doc(path, "workflow")
    if called is None:
        return
    on = as_map(called.tree).get("on")
    call = as_map(as_map(on).get("workflow_call")) if isinstance(on, dict) else {}
    if (
        not (isinstance(on, dict) and "workflow_call" in on)
        and on != "workflow_call"
        and "workflow_call" not in as_list(on)
    ):
        yield at(
            pos,
            "local-path",
            f"`{uses}` is not a reusable workflow: it has no `on: workflow_call`",
            hint="add `workflow_call:` under its `on:`",
        )
        return
    declared = as_map(call.get("inputs"))
    yield from _inputs(
        doc,
        job,
        f"workflow `{uses}`",
        declared=declared,
        required=_required(declared),
        pos=pos,
        unknown="error",
    )
    secrets = job.get("secrets")
    if secrets != "inherit":
        for name, spec in as_map(call.get("secrets")).items():
            if as_map(spec).get("required") is True and name not in as_map(secrets):
                yield at(
                    pos,
                    "action-inputs",
                    f"job `{job_id}` does not pass required secret `{name}` of {uses}",
                    hint=f"add `{name}:` under `secrets:` (or `secrets: inherit`)",
                )


def _cached_action(
    doc: Document, step: dict[Any, Any], uses: str, directory: Path, *, pos: Position
) -> Iterator[Diagnostic]:
    """A remote action's inputs, from its copy on this machine (the copy itself is not
    checked: it is someone else's file, and its problems are not the user's to fix)."""
    from conveyor.errors import WorkflowError
    from conveyor.workflow.yaml import parse_yaml

    path = find_action_file(directory)
    if path is None:
        return
    try:
        tree = parse_yaml(path.read_bytes(), file=str(path))
    except (OSError, WorkflowError):
        return
    yield from _action_inputs(doc, step, uses, tree, pos=pos)


def _required(declared: dict[Any, Any]) -> list[str]:
    """Inputs that are `required: true` and have no default: the caller must pass them."""
    return [
        str(name)
        for name, spec in declared.items()
        if as_map(spec).get("required") in (True, "true") and "default" not in as_map(spec)
    ]


def _inputs(
    doc: Document,
    owner: dict[Any, Any],
    what: str,
    *,
    declared: dict[Any, Any],
    required: list[str],
    pos: Position,
    unknown: Severity,
) -> Iterator[Diagnostic]:
    given = as_map(owner.get("with"))
    for name in required:
        if name not in given:
            yield at(
                pos,
                "action-inputs",
                f"{what} requires input `{name}`, which is not passed",
                hint=f"add `{name}:` under `with:`",
            )
    for name in given:
        if str(name) not in declared:
            yield at(
                doc.key_pos(given, name),
                "action-inputs",
                f"{what} has no input `{name}`",
                hint=did_you_mean(str(name), declared),
                severity=unknown,
            )
