"""What a job will not be able to run on this host, said before it runs.

`conveyor run --dry-run` and `conveyor list` show, under each job, the steps whose action
conveyor cannot run here (a Docker action or image, an action whose code is not in the
action cache, a node action with no `node`), and a job's `container:` or `services:`, with
what the user can do. Nothing is fetched or started: this reads files only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conveyor.actions.registry import builtin
from conveyor.actions.sources import ActionCache, parse_ref
from conveyor.errors import UserError
from conveyor.workflow.model import Job, Step


def job_problems(job: Job, *, repo: Path, cache: ActionCache, allow_network: bool) -> list[str]:
    """One line per thing in `job` that will fail on this host, in step order."""
    problems = []
    if job.container is not None:
        problems.append("`container:` needs a Docker engine: the job will fail")
    if job.services or job.services_expression:
        problems.append("`services:` need a Docker engine: the job will fail")
    for step in job.steps:
        why = step_problem(step, repo=repo, cache=cache, allow_network=allow_network)
        if why:
            problems.append(f"step {step.index + 1} (`{step.uses}`): {why}")
    return problems


def step_problem(step: Step, *, repo: Path, cache: ActionCache, allow_network: bool) -> str | None:
    """Why `step` cannot run here, or None when it can (or is a `run:` step)."""
    from conveyor.run.node import node_major
    from conveyor.run.uses import action_name, is_local
    from conveyor.workflow.load import load_action

    uses = (step.uses or "").strip()
    if not uses:
        return None
    if uses.startswith("docker://"):
        return "Docker images need a Docker engine"
    if is_local(uses):
        directory = repo / uses
    elif builtin(action_name(uses)) is not None:
        return None
    else:
        try:
            ref = parse_ref(uses)
        except UserError as exc:
            return exc.message
        found = cache.find(ref)
        if found is None:
            if allow_network:
                return None  # fetched with git when the job starts
            return (
                f"not in the action cache: `conveyor actions add {ref.repository}@{ref.ref} "
                "--from DIR`, or run with --allow-network"
            )
        directory = ref.within(found)
        if not directory.is_dir():
            return f"{ref.repository}@{ref.ref} has no folder `{ref.path}`"
    if not directory.exists():
        return f"no action at {uses} in the repository"
    try:
        action = load_action(directory)
    except UserError as exc:
        return exc.message
    using = action.runs.using
    if using == "docker":
        return "a Docker action needs a Docker engine"
    if node_major(using) is not None and shutil.which("node") is None:
        return f"a {using} action needs `node` on PATH"
    return None
