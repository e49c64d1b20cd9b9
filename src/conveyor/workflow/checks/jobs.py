"""Checks on jobs and steps: ids, `needs` and its cycles, step shape, shells, matrices."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.grammar import CALLER_JOB_KEYS
from conveyor.workflow.checks.schema import is_expression
from conveyor.workflow.checks.tree import Document, as_list, as_map, written_strings

ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
SHELLS = ("bash", "sh", "python", "pwsh", "powershell", "cmd")


def check_jobs(doc: Document) -> Iterator[Diagnostic]:
    jobs = as_map(as_map(doc.tree).get("jobs"))
    for job_id, job in jobs.items():
        yield from _job_id(doc, jobs, job_id)
        if isinstance(job, dict):
            yield from _job_shape(doc, str(job_id), job)
            yield from check_steps(doc, job.get("steps"), job_path=f"jobs.{job_id}")
            yield from _shell_at(doc, as_map(as_map(job.get("defaults")).get("run")))
            yield from _matrix(doc, as_map(job.get("strategy")))
    yield from _shell_at(doc, as_map(as_map(as_map(doc.tree).get("defaults")).get("run")))
    yield from _needs(doc, jobs)


def _job_id(doc: Document, jobs: dict[Any, Any], job_id: Any) -> Iterator[Diagnostic]:
    if not ID.match(str(job_id)):
        yield at(
            doc.key_pos(jobs, job_id),
            "invalid-id",
            f"job id `{job_id}` must start with a letter or `_` and hold only letters, digits, `-` and `_`",
        )


def _job_shape(doc: Document, job_id: str, job: dict[Any, Any]) -> Iterator[Diagnostic]:
    pos = doc.key_pos(as_map(doc.tree).get("jobs"), job_id)
    if "uses" in job:
        for key in job:
            if str(key) not in CALLER_JOB_KEYS:
                yield at(
                    doc.key_pos(job, key),
                    "unknown-key",
                    f"`{key}` is not allowed in job `{job_id}`, which calls a reusable workflow",
                    hint="a job with `uses` takes only "
                    + ", ".join(f"`{k}`" for k in sorted(CALLER_JOB_KEYS)),
                )
        return
    for required in ("runs-on", "steps"):
        if required not in job:
            yield at(
                pos,
                "missing-key",
                f"job `{job_id}` is missing required key `{required}`",
                hint=f"add `{required}:` (or `uses:` to call a reusable workflow)",
            )


def check_steps(
    doc: Document, steps: Any, *, job_path: str, composite: bool = False
) -> Iterator[Diagnostic]:
    """Step ids (valid, unique), exactly one of `uses`/`run`, shells; `composite` needs `shell`."""
    seen: dict[str, int] = {}
    for index, step in enumerate(as_list(steps)):
        if not isinstance(step, dict):
            continue
        where = f"{job_path}.steps[{index}]"
        step_id = step.get("id")
        if isinstance(step_id, str) and not is_expression(step_id):
            if not ID.match(step_id):
                yield at(
                    doc.value_pos(step, "id"),
                    "invalid-id",
                    f"step id `{step_id}` must start with a letter or `_` and hold only letters, digits, `-` and `_`",
                )
            elif step_id in seen:
                yield at(
                    doc.value_pos(step, "id"),
                    "duplicate-id",
                    f"step id `{step_id}` is already used by step {seen[step_id] + 1} of `{job_path}`",
                    hint="step ids must be unique within a job",
                )
            seen.setdefault(step_id, index)
        has_uses, has_run = "uses" in step, "run" in step
        if has_uses == has_run:
            what = "both `uses` and `run`" if has_uses else "neither `uses` nor `run`"
            yield at(
                doc.item_pos(steps, index),
                "step-uses-run",
                f"step `{where}` has {what}",
                hint="a step either runs a command (`run:`) or uses an action (`uses:`)",
            )
        if composite and has_run and "shell" not in step:
            yield at(
                doc.item_pos(steps, index),
                "missing-key",
                f"step `{where}` of a composite action is missing required key `shell`",
                hint="add `shell: bash`",
            )
        yield from _shell_at(doc, step)


def _shell_at(doc: Document, mapping: dict[Any, Any]) -> Iterator[Diagnostic]:
    shell = mapping.get("shell")
    if not isinstance(shell, str) or is_expression(shell) or "{0}" in shell:
        return
    if shell.strip() in SHELLS:
        return
    yield at(
        doc.value_pos(mapping, "shell"),
        "shell",
        f"unknown shell `{shell}`",
        hint=did_you_mean(shell, SHELLS)
        or "use one of " + ", ".join(SHELLS) + ", or a command template containing `{0}`",
    )


def _matrix(doc: Document, strategy: dict[Any, Any]) -> Iterator[Diagnostic]:
    matrix = strategy.get("matrix")
    if not isinstance(matrix, dict):
        return
    axes = [str(k) for k in matrix if str(k) not in ("include", "exclude")]
    if not axes and not matrix.get("include"):
        yield at(
            doc.value_pos(strategy, "matrix"),
            "matrix",
            "the matrix has no keys and no `include`",
            hint="add at least one key with a list of values",
        )
    exclude = matrix.get("exclude")
    for index, entry in enumerate(as_list(exclude)):
        for key in as_map(entry):
            if str(key) not in axes:
                yield at(
                    doc.key_pos(entry, key),
                    "matrix",
                    f"`exclude` entry {index + 1} names `{key}`, which is not a key of the matrix",
                    hint=did_you_mean(str(key), axes)
                    or "matrix keys: " + ", ".join(f"`{a}`" for a in axes),
                )


def _needs(doc: Document, jobs: dict[Any, Any]) -> Iterator[Diagnostic]:
    graph: dict[str, list[str]] = {}
    for job_id, job in jobs.items():
        known: list[str] = []
        for name, pos in written_strings(doc, job, "needs"):
            if name in jobs:
                known.append(name)
                continue
            yield at(
                pos,
                "needs",
                f"job `{job_id}` needs `{name}`, which is not a job of this workflow",
                hint=did_you_mean(name, [str(j) for j in jobs if j != job_id]),
            )
        graph[str(job_id)] = known
    for cycle in find_cycles(graph):
        first = cycle[0]
        yield at(
            doc.value_pos(as_map(jobs.get(first)), "needs"),
            "needs-cycle",
            "jobs need each other in a cycle: " + " -> ".join(cycle),
            hint="remove one of these `needs` so the jobs can run in order",
        )


def find_cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Each cycle once, as `[a, b, c, a]`, starting from the job written first; deterministic."""
    order = {name: i for i, name in enumerate(graph)}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt) :]
                start = min(range(len(loop)), key=lambda i: order[loop[i]])
                loop = loop[start:] + loop[:start]
                if frozenset(loop) not in seen:
                    seen.add(frozenset(loop))
                    cycles.append([*loop, loop[0]])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])
    return cycles
