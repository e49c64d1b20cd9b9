"""Every workflow of the reference corpus plans for each event it declares."""

from __future__ import annotations

from pathlib import Path

from conveyor.errors import UserError
from conveyor.events.model import Event
from conveyor.plan.legs import expand_legs, references_needs
from conveyor.plan.planner import make_plan
from conveyor.workflow.load import discover_workflows, load_workflow

CONTEXTS = {
    "github": {"event_name": "push", "ref": "refs/heads/main"},
    "inputs": {},
    "vars": {},
    "needs": {},
}


def event_for(name: str) -> Event:
    return Event(
        name=name,
        ref="refs/heads/main",
        ref_name="main",
        ref_type="branch",
        sha="0" * 40,
        changed_paths=None,  # unknown changes: path filters let the workflow run
        action="opened" if name.startswith("pull_request") else None,
        repository="owner/project",
        default_branch="main",
    )


def test_every_corpus_workflow_plans_for_its_triggers(shared_dir: Path) -> None:
    projects = sorted(p for p in (shared_dir / "corpus").iterdir() if p.is_dir())
    planned = legs = 0
    problems: list[str] = []
    for project in projects:
        for path in discover_workflows(project):
            workflow = load_workflow(path, root=project)
            file = path.relative_to(project).as_posix()
            for event_name in workflow.triggers:
                plan = make_plan([(workflow, file)], event_for(event_name))
                for pw in plan.workflows:
                    planned += 1
                    for job_id in pw.order:
                        job = pw.job(job_id)
                        if job.uses or references_needs(job):
                            continue
                        try:
                            legs += len(expand_legs(job, CONTEXTS))
                        except UserError as exc:  # a crash is not caught: it fails the test
                            problems.append(f"{project.name}/{file} {event_name} {job_id}: {exc}")
    assert planned > 200, planned
    assert legs > 1000, legs
    # Only matrices computed from `workflow_call` inputs cannot expand without them.
    assert len(problems) == 2, "\n".join(problems)
    assert all("fromJson(inputs.python_versions)" in p for p in problems)
