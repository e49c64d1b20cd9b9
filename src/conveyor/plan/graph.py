"""The `needs` graph of a workflow's jobs: a deterministic order, cycles named.

`order_jobs` is a stable topological sort: at each step it takes the first job, in
the order the workflow lists them, whose needs are all placed. So a workflow without
`needs` keeps its written order, and the same workflow always plans the same way.
A cycle is reported with its path, `a -> b -> c -> a` ("a needs b, which needs c, …").
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from conveyor.errors import WorkflowError


class CycleError(WorkflowError):
    """Jobs that need each other in a cycle; `cycle` starts and ends with the same job."""

    def __init__(self, cycle: Sequence[str], *, file: str = "") -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            f"jobs need each other in a cycle: {' -> '.join(self.cycle)}",
            file=file,
            rule="needs-cycle",
            hint="remove one of these `needs` so that the jobs can run in some order",
        )

    def __str__(self) -> str:
        return super().__str__() if self.file else _plain(self)


class UnknownJobError(WorkflowError):
    """A job named in `needs` (or on the command line) that the workflow does not have."""

    def __init__(self, message: str, *, job: str, hint: str, file: str = "") -> None:
        self.job = job
        super().__init__(message, file=file, rule="needs-unknown", hint=hint)

    def __str__(self) -> str:
        return super().__str__() if self.file else _plain(self)


def order_jobs(needs: Mapping[str, Sequence[str]], *, file: str = "") -> list[str]:
    """Every job once, each after all the jobs it needs; ties in written order."""
    _check_known(needs, file=file)
    placed: set[str] = set()
    order: list[str] = []
    waiting = list(needs)
    while waiting:
        ready = next((job for job in waiting if all(n in placed for n in needs[job])), None)
        if ready is None:
            raise CycleError(_find_cycle(needs, waiting), file=file)
        waiting.remove(ready)
        placed.add(ready)
        order.append(ready)
    return order


def transitive_needs(job: str, needs: Mapping[str, Sequence[str]], *, file: str = "") -> list[str]:
    """The jobs `job` needs, directly or not, in `order_jobs` order (`job` itself excluded)."""
    if job not in needs:
        raise UnknownJobError(
            f"the workflow has no job `{job}`", job=job, hint=_suggest(job, needs), file=file
        )
    wanted: set[str] = set()
    stack = list(needs[job])
    while stack:
        current = stack.pop()
        if current not in wanted:
            wanted.add(current)
            stack.extend(needs.get(current, ()))
    return [name for name in order_jobs(needs, file=file) if name in wanted and name != job]


def _check_known(needs: Mapping[str, Sequence[str]], *, file: str) -> None:
    for job, needed in needs.items():
        for name in needed:
            if name not in needs:
                raise UnknownJobError(
                    f"job `{job}` needs `{name}`, which is not a job in this workflow",
                    job=name,
                    hint=_suggest(name, needs),
                    file=file,
                )


def _find_cycle(needs: Mapping[str, Sequence[str]], waiting: Sequence[str]) -> list[str]:
    """A cycle among the jobs that cannot be placed, found by walking `needs` in order."""
    pending = set(waiting)
    finished: set[str] = set()
    for start in waiting:
        path: list[str] = []
        cycle = _walk(start, needs, pending, finished, path)
        if cycle:
            return cycle
    raise AssertionError("jobs left unplaced without a cycle")  # pragma: no cover


def _walk(
    job: str,
    needs: Mapping[str, Sequence[str]],
    pending: set[str],
    finished: set[str],
    path: list[str],
) -> list[str] | None:
    if job in path:
        return [*path[path.index(job) :], job]
    if job in finished or job not in pending:
        return None
    path.append(job)
    for needed in needs[job]:
        cycle = _walk(needed, needs, pending, finished, path)
        if cycle:
            return cycle
    path.pop()
    finished.add(job)
    return None


def _suggest(name: str, needs: Mapping[str, Sequence[str]]) -> str:
    close = difflib.get_close_matches(name, list(needs), n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "jobs in this workflow: " + ", ".join(f"`{job}`" for job in needs)


def _plain(error: WorkflowError) -> str:
    return f"{error.message}\n  hint: {error.hint}" if error.hint else error.message
