"""Plan: which workflows an event starts, which jobs run, in what order. Pure, no I/O.

`make_plan` takes loaded workflows and an event and returns a `Plan`: the triggered
workflows (each with its jobs in a deterministic topological order), and the workflows
the event does not start, each with the reason a person can read (`conveyor list`).
Matrix legs are expanded when a job becomes ready (`conveyor.run.job`), because a matrix
may come from a needed job's outputs; `static_legs` expands the ones that don't, for
`--dry-run`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conveyor.errors import UsageError
from conveyor.events.model import Event
from conveyor.plan.filters import Decision, match_filters
from conveyor.plan.graph import order_jobs, transitive_needs
from conveyor.workflow.model import Job, Workflow


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixFilter:
    """`--matrix key:value` (several values of one key are alternatives)."""

    wanted: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, items: Sequence[str]) -> MatrixFilter:
        wanted: dict[str, list[str]] = {}
        for item in items:
            key, sep, value = item.partition(":")
            if not sep or not key:
                raise UsageError(
                    f"--matrix {item!r}: expected KEY:VALUE",
                    hint="for example --matrix python:3.11",
                )
            wanted.setdefault(key.strip(), []).append(value.strip())
        return cls(wanted={k: tuple(v) for k, v in wanted.items()})

    def keeps(self, combo: Mapping[str, Any]) -> bool:
        from conveyor.expr import to_string

        for key, values in self.wanted.items():
            if key not in combo or to_string(combo[key]) not in values:
                return False
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedWorkflow:
    workflow: Workflow
    file: str  # as shown to people and in --json: `.github/workflows/ci.yml`
    order: tuple[str, ...]  # job ids, topological, ties in written order
    decision: Decision

    @property
    def needs(self) -> dict[str, tuple[str, ...]]:
        return {job_id: self.workflow.jobs[job_id].needs for job_id in self.order}

    def job(self, job_id: str) -> Job:
        return self.workflow.jobs[job_id]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotTriggered:
    file: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    event: Event
    workflows: tuple[PlannedWorkflow, ...]
    not_triggered: tuple[NotTriggered, ...] = ()
    matrix_filter: MatrixFilter = field(default_factory=MatrixFilter)


def _select_jobs(workflow: Workflow, only_jobs: Sequence[str], with_needs: bool) -> list[str]:
    needs = {job_id: job.needs for job_id, job in workflow.jobs.items()}
    order = order_jobs(needs)
    if not only_jobs:
        return order
    keep: set[str] = set()
    for job_id in only_jobs:
        if job_id in workflow.jobs:
            keep.add(job_id)
            if with_needs:
                keep.update(transitive_needs(job_id, needs))
    return [job_id for job_id in order if job_id in keep]


def make_plan(
    workflows: Sequence[tuple[Workflow, str]],
    event: Event,
    *,
    only_jobs: Sequence[str] = (),
    with_needs: bool = False,
    matrix_filter: MatrixFilter | None = None,
) -> Plan:
    """Plan `event` over `(workflow, display file)` pairs, in the order given."""
    planned: list[PlannedWorkflow] = []
    skipped: list[NotTriggered] = []
    for workflow, file in workflows:
        name = workflow.display_name
        trigger = workflow.triggers.get(event.name)
        if trigger is None:
            on = ", ".join(workflow.triggers) or "nothing"
            skipped.append(
                NotTriggered(
                    file=file, name=name, reason=f"not triggered by `{event.name}` (on: {on})"
                )
            )
            continue
        decision = match_filters(trigger, event)
        if not decision.matches:
            skipped.append(NotTriggered(file=file, name=name, reason=decision.reason))
            continue
        order = _select_jobs(workflow, only_jobs, with_needs)
        if only_jobs and not order:
            skipped.append(
                NotTriggered(file=file, name=name, reason=f"has no job {', '.join(only_jobs)}")
            )
            continue
        chosen = workflow
        if only_jobs and not with_needs:
            # the chosen jobs run on their own: their needs are treated as met
            trimmed = {
                job_id: _without_needs(workflow.jobs[job_id], set(order)) for job_id in order
            }
            chosen = _replace_jobs(workflow, trimmed)
        planned.append(
            PlannedWorkflow(workflow=chosen, file=file, order=tuple(order), decision=decision)
        )
    if only_jobs and not planned:
        known = sorted({j for wf, _ in workflows for j in wf.jobs})
        raise UsageError(
            f"no triggered workflow has job {', '.join(f'`{j}`' for j in only_jobs)}",
            hint=f"jobs in these workflows: {', '.join(known) or 'none'}",
        )
    return Plan(
        event=event,
        workflows=tuple(planned),
        not_triggered=tuple(skipped),
        matrix_filter=matrix_filter or MatrixFilter(),
    )


def _without_needs(job: Job, kept: set[str]) -> Job:
    from dataclasses import replace

    return replace(job, needs=tuple(n for n in job.needs if n in kept))


def _replace_jobs(workflow: Workflow, jobs: Mapping[str, Job]) -> Workflow:
    from dataclasses import replace

    return replace(workflow, jobs=dict(jobs))
