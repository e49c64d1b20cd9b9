"""Every workflow and action of the reference corpus (real projects GitHub runs) loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import discover_workflows, load_action, load_workflow
from conveyor.workflow.model import Workflow
from conveyor.workflow.yaml import key_position, parse_yaml

pytestmark = pytest.mark.reference


def repositories(shared_dir: Path) -> list[Path]:
    return sorted(path for path in (shared_dir / "corpus").iterdir() if path.is_dir())


def test_every_corpus_workflow_loads(shared_dir: Path) -> None:
    failures: list[str] = []
    loaded = 0
    for repo in repositories(shared_dir):
        for path in discover_workflows(repo):
            try:
                workflow = load_workflow(path, root=repo)
            except WorkflowError as exc:
                failures.append(f"{repo.name}: {exc}")
                continue
            loaded += 1
            assert_matches_the_file(workflow, path)

    assert failures == []
    assert loaded >= 100


def assert_matches_the_file(workflow: Workflow, path: Path) -> None:
    """Jobs, their steps and their places are those written in the file."""
    file = workflow.path.as_posix()
    tree = parse_yaml(path.read_bytes(), file=file)
    assert workflow.triggers, path
    assert workflow.path.as_posix().startswith(".github/workflows/")
    assert list(workflow.jobs) == [str(key) for key in tree["jobs"]], path
    for job_id, job in workflow.jobs.items():
        written = tree["jobs"][job_id]
        assert len(job.steps) == len(written.get("steps") or ()), (path, job_id)
        assert job.pos == key_position(tree["jobs"], job_id, file), (path, job_id)
        assert job.uses == written.get("uses"), (path, job_id)


def test_every_corpus_action_loads(shared_dir: Path) -> None:
    failures: list[str] = []
    loaded = 0
    for path in sorted((shared_dir / "corpus").rglob("action.y*ml")):
        if path.parent.name == "workflows" and path.parent.parent.name == ".github":
            continue  # a workflow that happens to be named action.yml
        try:
            action = load_action(path.parent)
        except WorkflowError as exc:
            failures.append(str(exc))
            continue
        loaded += 1
        assert action.runs.using, path

    assert failures == []
    assert loaded >= 5
