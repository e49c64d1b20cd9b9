"""`check_paths`: find workflow and action files, check each once, return every diagnostic.

This is the validator's one entry point. `conveyor validate` renders what it returns;
`conveyor run` calls it before acting and refuses to start when there is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from conveyor.errors import WorkflowError
from conveyor.workflow.checks.diagnostic import Diagnostic, at
from conveyor.workflow.checks.expressions import check_expressions
from conveyor.workflow.checks.grammar import ACTION, WORKFLOW
from conveyor.workflow.checks.jobs import check_jobs, check_steps
from conveyor.workflow.checks.labels import check_labels, configured_labels
from conveyor.workflow.checks.local import ACTION_FILES, RemoteActions, check_uses
from conveyor.workflow.checks.schema import check
from conveyor.workflow.checks.tree import Document, as_map
from conveyor.workflow.checks.triggers import check_triggers
from conveyor.workflow.yaml import Position, parse_yaml

WORKFLOW_SUFFIXES = (".yml", ".yaml")


def check_paths(
    paths: Sequence[Path], *, root: Path, remote: RemoteActions | None = None
) -> list[Diagnostic]:
    """Check the workflows at `paths` (files or directories) and the local actions they use
    (and the inputs of remote ones that `remote` finds on this machine).

    A directory is a repository root (its `.github/workflows/` is read) or a folder of
    workflows. `root` is the repository root for files outside a `.github/workflows/`
    folder. Diagnostics come back sorted by file, line and column. A path that does not
    exist is the caller's to refuse (the CLI exits 2 before calling this).
    """
    session = _Session(remote)
    for file in discover(paths or [root]):
        session.open(file, file_kind(file), workflow_root(file, root))
    return sorted(session.diagnostics, key=lambda d: (d.file, d.line, d.column, d.rule))


def discover(paths: Iterable[Path]) -> list[Path]:
    """Workflow and action files named by `paths`, in sorted order within each directory."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            folder = path / ".github" / "workflows"
            folder = folder if folder.is_dir() else path
            found.extend(
                sorted(p for p in folder.iterdir() if p.suffix in WORKFLOW_SUFFIXES and p.is_file())
            )
        else:
            found.append(path)
    return found


def file_kind(file: Path) -> str:
    """An `action.yml` outside `.github/workflows/` is an action; anything else a workflow."""
    in_workflows = file.resolve().parent.match(".github/workflows")
    return "action" if file.name in ACTION_FILES and not in_workflows else "workflow"


def workflow_root(file: Path, default: Path) -> Path:
    """The repository root of a file under `.github/workflows/`, else `default`."""
    parent = file.resolve().parent
    if parent.name == "workflows" and parent.parent.name == ".github":
        return parent.parent.parent
    return default.resolve()


def display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_document(path: Path, *, root: Path, kind: str) -> Document | Diagnostic:
    """Parse one file, or say why it cannot be read."""
    file = display(path)
    try:
        source = path.read_bytes()
    except OSError as exc:
        return at(
            Position(file=file), "yaml-syntax", f"cannot read the file: {exc.strerror or exc}"
        )
    try:
        tree = parse_yaml(source, file=file)
    except WorkflowError as exc:
        rule, message = exc.rule, exc.message
        duplicate = re.search(r'found duplicate key "([^"]*)"', message)
        if duplicate:
            rule, message = (
                "duplicate-id",
                f"`{duplicate.group(1)}` is written twice in one mapping",
            )
        return at(
            Position(file=exc.file, line=exc.line, column=exc.column),
            rule,
            message,
            hint=exc.hint,
        )
    text = source.decode("utf-8-sig", errors="replace")
    return Document(
        file=file, path=path, root=root, tree=tree, lines=tuple(text.splitlines()), kind=kind
    )


def check_document(doc: Document) -> Iterator[Diagnostic]:
    """Every check on one parsed document (without following local references)."""
    if not isinstance(doc.tree, dict):
        what = "a workflow" if doc.kind == "workflow" else "an action"
        yield at(
            Position(file=doc.file, line=1, column=1),
            "type",
            f"{what} file must be a mapping of keys",
            hint="start with `on:` and `jobs:`"
            if doc.kind == "workflow"
            else "start with `name:` and `runs:`",
        )
        return
    yield from check(
        doc.tree,
        WORKFLOW if doc.kind == "workflow" else ACTION,
        path=(),
        pos=Position(file=doc.file, line=1, column=1),
    )
    if doc.kind == "workflow":
        yield from check_triggers(doc)
        yield from check_jobs(doc)
        yield from check_labels(doc, configured_labels(doc.root))
    else:
        runs = as_map(doc.tree.get("runs"))
        if runs.get("using") == "composite":
            yield from check_steps(doc, runs.get("steps"), job_path="runs", composite=True)
    yield from check_expressions(doc)


class _Session:
    """One validation run: each file is read and checked once, even when used many times."""

    def __init__(self, remote: RemoteActions | None = None) -> None:
        self.remote = remote
        self.diagnostics: list[Diagnostic] = []
        self._docs: dict[Path, Document | None] = {}

    def open(self, path: Path, kind: str, root: Path) -> Document | None:
        """The parsed file, checked on first use (with what it uses); None if unreadable."""
        key = path.resolve()
        if key not in self._docs:
            self._docs[key] = None
            result = read_document(path, root=root, kind=kind)
            if isinstance(result, Diagnostic):
                self.diagnostics.append(result)
                return None
            self._docs[key] = result
            try:
                self.diagnostics.extend(check_document(result))
                self.diagnostics.extend(
                    check_uses(result, lambda p, k: self.open(p, k, result.root), self.remote)
                )
            except RecursionError:
                where = Position(file=result.file, line=1, column=1)
                self.diagnostics.append(
                    at(where, "yaml-syntax", "the file is nested too deeply to check")
                )
        return self._docs[key]
