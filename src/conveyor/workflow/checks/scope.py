"""What an expression can name at one place: declared inputs, jobs, needs, matrix keys, steps.

Built from the raw tree once per job (and once for the workflow or action itself), so the
expression checks can tell `steps.<id>` of an earlier step from a typo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conveyor.workflow.checks.tree import Document, PathKey, as_list, as_map, as_str_list


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """Names known at one place. `None` means "cannot be known before run time"."""

    owner: str
    inputs: frozenset[str] | None
    jobs: frozenset[str]
    needs: frozenset[str]
    matrix: frozenset[str] | None
    steps: tuple[str, ...]  # step ids in written order


def _lower(names: Any) -> frozenset[str]:
    return frozenset(str(n).lower() for n in names)


def declared_inputs(doc: Document) -> frozenset[str] | None:
    tree = as_map(doc.tree)
    if doc.kind == "action":
        return _lower(as_map(tree.get("inputs")))
    on = tree.get("on")
    names: set[str] = set()
    for event in ("workflow_dispatch", "workflow_call"):
        names |= _lower(as_map(as_map(as_map(on).get(event)).get("inputs")))
    return frozenset(names)


def matrix_keys(job: dict[Any, Any]) -> frozenset[str] | None:
    """The keys `matrix.<key>` may name in `job`; None when the matrix is built at run time."""
    strategy = job.get("strategy")
    if isinstance(strategy, str):
        return None
    matrix = as_map(strategy).get("matrix")
    if matrix is None:
        return frozenset()
    if not isinstance(matrix, dict):
        return None
    keys = {str(k).lower() for k in matrix if k not in ("include", "exclude")}
    include = matrix.get("include")
    if include is not None and not isinstance(include, list):
        return None
    for entry in as_list(include):
        if not isinstance(entry, dict):
            return None
        keys |= {str(k).lower() for k in entry}
    return frozenset(keys)


def step_ids(steps: Any) -> tuple[str, ...]:
    return tuple(str(as_map(s).get("id", "")).lower() for s in as_list(steps))


def scope_at(doc: Document, path: PathKey) -> Scope:
    tree = as_map(doc.tree)
    jobs = as_map(tree.get("jobs"))
    inputs = declared_inputs(doc)
    if doc.kind == "action":
        steps = step_ids(as_map(tree.get("runs")).get("steps"))
        return Scope(
            owner="this action",
            inputs=inputs,
            jobs=frozenset(),
            needs=frozenset(),
            matrix=None,
            steps=steps,
        )
    if len(path) >= 2 and path[0] == "jobs":
        job = as_map(jobs.get(path[1]))
        return Scope(
            owner=f"job `{path[1]}`",
            inputs=inputs,
            jobs=_lower(jobs),
            needs=_lower(as_str_list(job.get("needs"))),
            matrix=matrix_keys(job),
            steps=step_ids(job.get("steps")),
        )
    return Scope(
        owner="the workflow",
        inputs=inputs,
        jobs=_lower(jobs),
        needs=frozenset(),
        matrix=frozenset(),
        steps=(),
    )


def visible_steps(scope: Scope, path: PathKey, *, kind: str) -> tuple[str, ...]:
    """Step ids an expression at `path` may read: earlier steps inside a step, else all."""
    at = 3 if kind == "workflow" else 2
    index = path[at] if len(path) > at else None
    if isinstance(index, int) and path[at - 1] == "steps":
        return scope.steps[:index]
    return scope.steps
