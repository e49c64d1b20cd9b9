"""What the user reads: messages name the place, and hints say the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.workflow.checks import Diagnostic, check_paths
from conveyor.workflow.checks.jobs import find_cycles
from conveyor.workflow.checks.triggers import cron_problem, glob_problem


def _check(tmp_path: Path, text: str) -> list[Diagnostic]:
    file = tmp_path / "w.yml"
    file.write_text(text, encoding="utf-8")
    return check_paths([file], root=tmp_path)


def test_misspelled_key_suggests_the_right_one(tmp_path: Path) -> None:
    [d] = _check(tmp_path, "on: push\njobs:\n  a:\n    runs-on: x64\n    step: []\n")[1:]
    assert d.message == "unknown job key `step` in `jobs.a`"
    assert d.hint == "did you mean `steps`?"


def test_missing_steps_names_the_job(tmp_path: Path) -> None:
    [d] = _check(tmp_path, "on: push\njobs:\n  a:\n    runs-on: x64\n")
    assert (d.rule, d.message) == ("missing-key", "job `a` is missing required key `steps`")


def test_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: x64\n    timeout-minutes: soon\n    steps: []\n"
    [d] = _check(tmp_path, text)
    assert d.message == "`jobs.a.timeout-minutes` must be a number, not `soon`"


def test_unavailable_context_lists_what_is_available(tmp_path: Path) -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: ${{ env.OS }}\n    steps: [{run: echo}]\n"
    [d] = _check(tmp_path, text)
    assert d.message == "the `env` context is not available here"
    assert d.hint == "available here: `github`, `inputs`, `matrix`, `needs`, `strategy`, `vars`"


def test_cycles_are_named_once_from_the_first_job_written() -> None:
    graph = {"lint": [], "a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"]}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["d", "d"]]


@pytest.mark.parametrize(
    ("cron", "problem"),
    [
        ("0 0 * * *", None),
        ("*/5 1-3 1,15 JAN-MAR MON-FRI", None),
        ("0 0 * *", "has 4 fields, not 5"),
        ("@daily", "has 1 field, not 5"),
        ("0 0 * * * *", "has 6 fields, not 5"),
        ("60 0 * * *", "is not a valid cron expression"),
        ("H 0 * * *", "is not a valid cron expression"),
    ],
)
def test_cron(cron: str, problem: str | None) -> None:
    assert cron_problem(cron) == problem


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("src/**", None),
        ("v[0-9]*", None),
        ("!docs/**", None),
        ("a\\[b", None),
        ("", "is empty"),
        ("!", "is empty"),
        ("v[0-9", "has a `[` without its closing `]`"),
    ],
)
def test_glob(pattern: str, problem: str | None) -> None:
    assert glob_problem(pattern) == problem


def test_unreadable_pyproject_does_not_stop_validation(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.conveyor\n", encoding="utf-8")
    text = "on: push\njobs:\n  a:\n    runs-on: gpu\n    steps: [{run: echo}]\n"
    assert [d.rule for d in _check(tmp_path, text)] == ["runner-label"]
