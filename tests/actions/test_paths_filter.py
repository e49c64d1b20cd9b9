"""`dorny/paths-filter`: changed files from git, filters, statuses, outputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.run.conftest import Project, jobs

from conveyor.actions.base import ActionFailed
from conveyor.actions.paths_filter import (
    Change,
    format_files,
    glob_matches,
    parse_filters,
    parse_name_status,
)

FILTERS = """
on: [push, pull_request]
jobs:
  changes:
    runs-on: ubuntu-latest
    steps:
      - id: filter
        uses: dorny/paths-filter@v3
        with:
          list-files: json
          filters: |
            src:
              - 'src/**'
            docs:
              - '**/*.md'
            new_python:
              - added: '**/*.py'
            gone:
              - deleted: '**'
            not_docs:
              - '!**/*.md'
"""


def outputs(data: dict[str, object]) -> dict[str, str]:
    step = jobs(data)["changes"]["steps"][0]  # type: ignore[arg-type]
    assert step["outcome"] == "success", step
    return dict(step["outputs"])


def write(project: Project, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        if text is None:
            (project.root / name).unlink()
        else:
            project.write(name, text)


@pytest.fixture
def pushed(tmp_path: Path) -> Project:
    """main with a first commit pushed to a bare origin, so a push's `before` is known."""
    project = Project(tmp_path / "project")
    project.workflow(FILTERS)
    write(project, {"src/app.py": "x = 1\n", "README.md": "hello\n", "old.txt": "bye\n"})
    project.commit("first")
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    project.git("remote", "add", "origin", str(bare))
    project.git("push", "-q", "origin", "main")
    return project


def test_a_push_to_the_default_branch_is_compared_with_the_commit_before_it(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write(pushed, {"README.md": "changed\n", "src/new.py": "y = 2\n", "old.txt": None})
    pushed.commit("second")
    code, data = pushed.run("-v")
    assert code == 0, capsys.readouterr().out
    got = outputs(data)
    assert got["src"] == "true"
    assert json.loads(got["src_files"]) == ["src/new.py"]
    assert got["docs_count"] == "1"
    assert got["new_python"] == "true"
    assert json.loads(got["gone_files"]) == ["old.txt"]
    assert json.loads(got["not_docs_files"]) == ["old.txt", "src/new.py"]
    assert json.loads(got["changes"]) == ["src", "docs", "new_python", "gone", "not_docs"]
    out = capsys.readouterr().out
    assert "Detected 3 changed files" in out


def test_a_new_branch_is_compared_with_the_default_branch(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed.git("checkout", "-q", "-b", "feature")
    write(pushed, {"src/app.py": "x = 3\n"})
    pushed.commit("on feature")
    code, data = pushed.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    got = outputs(data)
    assert (got["src"], got["docs"], got["new_python"]) == ("true", "false", "false")
    assert json.loads(got["changes"]) == ["src", "not_docs"]
    assert "Changes will be detected between main and feature" in out


def test_a_pull_request_lists_what_changed_since_the_merge_base(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed.git("checkout", "-q", "-b", "topic")
    write(pushed, {"docs/guide.md": "guide\n"})
    pushed.commit("docs only")
    pushed.git("checkout", "-q", "main")
    write(pushed, {"src/app.py": "x = 9\n"})  # a change on main after the branch point
    pushed.commit("main moves on")
    pushed.git("checkout", "-q", "topic")
    code, data = pushed.run("pull_request", "--base", "main", "-v")
    assert code == 0, capsys.readouterr().out
    got = outputs(data)
    assert got["src"] == "false"
    assert json.loads(got["docs_files"]) == ["docs/guide.md"]
    assert json.loads(got["changes"]) == ["docs"]


def test_filters_from_a_file_and_the_every_quantifier(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed.write(
        ".github/filters.yml",
        """
        python_not_tests:
          - '**/*.py'
          - '!tests/**'
        """,
    )
    pushed.workflow(
        """
        on: push
        jobs:
          changes:
            runs-on: ubuntu-latest
            steps:
              - uses: dorny/paths-filter@v3
                with:
                  filters: .github/filters.yml
                  predicate-quantifier: every
                  list-files: shell
        """
    )
    write(pushed, {"tests/test_app.py": "def test(): pass\n", "src/my app.py": "z = 1\n"})
    pushed.commit("second")
    code, data = pushed.run("-v")
    assert code == 0, capsys.readouterr().out
    got = outputs(data)
    assert got["python_not_tests"] == "true"
    assert got["python_not_tests_files"] == "'src/my app.py'"
    assert "docs" not in got


def test_bad_filters_fail_the_step_saying_why(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed.workflow(
        """
        on: push
        jobs:
          changes:
            runs-on: ubuntu-latest
            steps:
              - uses: dorny/paths-filter@v3
                with:
                  filters: |
                    src:
                      - changed: 'src/**'
        """
    )
    pushed.commit("second")
    code, _ = pushed.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    assert "filter `src`: unknown change status `changed`" in out


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("src/**", "src/a/b.py", True),
        ("src/*", "src/a/b.py", False),
        ("**/*.md", "README.md", True),
        ("**", ".github/workflows/ci.yml", True),  # dot: true
        ("*.{yml,yaml}", "a.yaml", True),
        ("!**/*.md", "a.py", True),
        ("!**/*.md", "docs/a.md", False),
    ],
)
def test_patterns_follow_picomatch_with_dotfiles(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_name_status_reads_every_kind_of_change() -> None:
    text = "A\0new.py\0M\0mod.py\0D\0gone.py\0R100\0old name\0new name\0T\0link\0"
    assert parse_name_status(text) == [
        Change(path="new.py", status="added"),
        Change(path="mod.py", status="modified"),
        Change(path="gone.py", status="deleted"),
        Change(path="new name", status="renamed"),
        Change(path="link", status="modified"),
    ]


def test_file_lists_in_each_format() -> None:
    paths = ["a.py", "my file.py", "x,y.py"]
    assert format_files(paths, "json") == '["a.py", "my file.py", "x,y.py"]'
    assert format_files(paths, "csv") == 'a.py,my file.py,"x,y.py"'
    assert format_files(paths, "shell") == "a.py 'my file.py' x,y.py"
    assert format_files(paths, "escape") == r"a.py my\ file.py x\,y.py"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "must be a YAML mapping"),
        ("src: [unclosed", "is not valid YAML"),
        ("missing-file.yml", "does not exist in the workspace"),
        ("src: 3", "a rule must be a pattern"),
    ],
)
def test_bad_filter_text_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ActionFailed, match=message):
        parse_filters(text, tmp_path)


def one_filter_workflow(base: str = "") -> str:
    with_base = f"\n                  base: {base}" if base else ""
    return f"""
        on: push
        jobs:
          changes:
            runs-on: ubuntu-latest
            steps:
              - uses: dorny/paths-filter@v3
                with:
                  list-files: csv{with_base}
                  filters: |
                    any:
                      - '**'
        """


def test_a_first_push_lists_every_file_as_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path / "fresh")  # no remote: nothing was pushed before
    project.workflow(one_filter_workflow())
    write(project, {"a.py": "1\n"})
    project.commit("only")
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert outputs(data)["any_files"] == ".github/workflows/ci.yml,a.py"
    assert "Initial push detected - all files will be listed as added" in out


def test_a_first_push_of_a_branch_compared_with_itself_uses_the_default_branch(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    pushed.git("checkout", "-q", "-b", "topic")
    pushed.workflow(one_filter_workflow(base="topic"))
    write(pushed, {"src/app.py": "x = 5\n"})
    pushed.commit("on topic")
    code, data = pushed.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert outputs(data)["any_files"] == ".github/workflows/ci.yml,src/app.py"
    assert "First push of a branch detected" in out


def test_a_sha_as_base_is_compared_directly(
    pushed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    first = pushed.git("rev-parse", "HEAD")
    write(pushed, {"b.txt": "b\n"})
    pushed.commit("second")
    write(pushed, {"c.txt": "c\n"})
    pushed.workflow(one_filter_workflow(base=first))
    pushed.commit("third")
    code, data = pushed.run("-v")
    assert code == 0, capsys.readouterr().out
    assert outputs(data)["any_files"] == ".github/workflows/ci.yml,b.txt,c.txt"


def test_a_filters_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "filters.bin").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ActionFailed, match=r"cannot read the filters file filters\.bin"):
        parse_filters("filters.bin", tmp_path)
