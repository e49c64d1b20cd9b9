from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import (
    discover_workflows,
    load_workflow,
    load_workflow_text,
)
from conveyor.workflow.model import Concurrency, Defaults, Permissions

MINIMAL = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"


def test_minimal_workflow_loads_with_positions() -> None:
    workflow = load_workflow_text(MINIMAL, file="ci.yml")

    assert list(workflow.triggers) == ["push"]
    assert list(workflow.jobs) == ["build"]
    assert workflow.jobs["build"].steps[0].run == "make"
    assert workflow.path == Path("ci.yml")
    assert workflow.display_name == "ci.yml"
    assert str(workflow.positions["jobs"]) == "ci.yml:3:3"
    assert str(workflow.pos) == "ci.yml:1:1"


def test_top_level_keys() -> None:
    workflow = load_workflow_text(
        dedent(
            """\
            name: CI
            run-name: Deploy by ${{ github.actor }}
            on: push
            env:
              A: 1
            defaults:
              run:
                shell: bash
                working-directory: src
            permissions: read-all
            concurrency: ci-${{ github.ref }}
            jobs: {}
            """
        ),
        file="ci.yml",
    )

    assert workflow.name == "CI"
    assert workflow.display_name == "CI"
    assert workflow.run_name == "Deploy by ${{ github.actor }}"
    assert workflow.env == {"A": "1"}
    assert workflow.defaults == Defaults(shell="bash", working_directory="src")
    assert workflow.permissions is not None
    assert workflow.permissions.all == "read-all"
    assert workflow.concurrency is not None
    assert workflow.concurrency.group == "ci-${{ github.ref }}"


def test_bytes_and_byte_order_mark_are_read() -> None:
    workflow = load_workflow_text(b"\xef\xbb\xbf" + MINIMAL.encode(), file="ci.yml")

    assert list(workflow.jobs) == ["build"]


def test_unknown_keys_are_left_to_the_validator() -> None:
    workflow = load_workflow_text(
        "on: push\nfoo: 1\njobs:\n  a:\n    bar: 2\n    steps: [{baz: 3, run: x}]\n",
        file="ci.yml",
    )

    assert workflow.jobs["a"].steps[0].run == "x"
    assert "foo" in workflow.positions


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "the workflow file is empty", 0),
        ("# only a comment\n", "the workflow file is empty", 0),
        ("- on\n- jobs\n", "top level of a workflow must be a mapping, not a sequence", 1),
        ("just text\n", "top level of a workflow must be a mapping, not a string", 0),
        ("jobs: {}\n", "the workflow has no `on`", 1),
        ("on: push\n", "the workflow has no `jobs`", 1),
        ("on: push\njobs: [a]\n", "`jobs` must be a mapping of job ids to jobs, not a sequence", 2),
        ("on: push\njobs:\n", "`jobs` must be a mapping of job ids to jobs, not null", 2),
        ("on: push\njobs:\n  a: 1\n", "job `a` must be a mapping, not a number", 3),
        ("on: push\njobs:\n  a:\n    needs: {b: 1}\n", "`needs` of job `a` must be a sequence", 4),
        ("on:\njobs: {}\n", "`on` must be an event name", 1),
        ("on: push\njobs: {}\n---\non: push\n", "exactly one YAML document", 0),
        ("on: push\njobs: {a: [}\n", "invalid YAML", 2),
    ],
)
def test_problems_that_prevent_a_record_are_workflow_errors(
    text: str, message: str, line: int
) -> None:
    with pytest.raises(WorkflowError) as caught:
        load_workflow_text(text, file="ci.yml")

    assert message in caught.value.message
    assert caught.value.file == "ci.yml"
    assert caught.value.line == line


def test_error_points_at_the_offending_value() -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: soon\n"

    with pytest.raises(WorkflowError) as caught:
        load_workflow_text(text, file="ci.yml")

    assert (caught.value.line, caught.value.column) == (5, 22)
    assert "`timeout-minutes` of job `a` must be a number" in str(caught.value)


def test_load_workflow_names_the_file_relative_to_root(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ci.yml").write_text(MINIMAL)

    workflow = load_workflow(folder / "ci.yml", root=tmp_path)

    assert workflow.path == Path(".github/workflows/ci.yml")
    assert workflow.jobs["build"].pos is not None
    assert workflow.jobs["build"].pos.file == ".github/workflows/ci.yml"
    assert str(workflow.jobs["build"].pos) == ".github/workflows/ci.yml:3:3"


def test_load_workflow_without_root_keeps_the_path(tmp_path: Path) -> None:
    path = tmp_path / "ci.yml"
    path.write_text(MINIMAL)

    workflow = load_workflow(path)

    assert workflow.path == path
    assert workflow.pos is not None
    assert workflow.pos.file == path.as_posix()


def test_load_workflow_of_a_missing_file_is_a_workflow_error(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError, match="cannot read the file"):
        load_workflow(tmp_path / "nope.yml", root=tmp_path)


def test_error_in_a_file_names_it_relative_to_root(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text("on: push\n")

    with pytest.raises(WorkflowError) as caught:
        load_workflow(folder / "bad.yml", root=tmp_path)

    assert str(caught.value).startswith(".github/workflows/bad.yml:1:1: the workflow has no `jobs`")


def test_discover_workflows_lists_yaml_files_sorted(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    (folder / "nested").mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "notes.md", "nested/c.yml"):
        (folder / name).write_text(MINIMAL)
    (folder / "dir.yml").mkdir()

    assert discover_workflows(tmp_path) == [folder / "a.yml", folder / "b.yaml"]


def test_discover_workflows_without_the_folder_is_empty(tmp_path: Path) -> None:
    assert discover_workflows(tmp_path) == []


def test_an_unlistable_workflows_folder_is_a_workflow_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)

    def refuse(self: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)  # chmod cannot refuse root

    with pytest.raises(WorkflowError, match="cannot list the workflows folder: Permission denied"):
        discover_workflows(tmp_path)


def test_permissions_and_concurrency_at_the_top_level() -> None:
    workflow = load_workflow_text(
        dedent(
            """\
            on: push
            permissions:
              contents: read
              id-token: write
            concurrency:
              group: ${{ github.workflow }}
              cancel-in-progress: ${{ github.event_name == 'pull_request' }}
            jobs: {}
            """
        ),
        file="ci.yml",
    )

    assert workflow.permissions is not None
    assert workflow.permissions.scopes == {"contents": "read", "id-token": "write"}
    assert workflow.permissions.all is None
    assert workflow.concurrency is not None
    assert workflow.concurrency.group == "${{ github.workflow }}"
    assert workflow.concurrency.cancel_in_progress == "${{ github.event_name == 'pull_request' }}"
    assert isinstance(workflow.concurrency, Concurrency)
    assert isinstance(workflow.permissions, Permissions)
