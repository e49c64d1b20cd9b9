from __future__ import annotations

import pytest

from conveyor.errors import WorkflowError
from conveyor.plan.graph import CycleError, UnknownJobError, order_jobs, transitive_needs


@pytest.mark.parametrize(
    ("needs", "order"),
    [
        ({"lint": [], "test": [], "docs": []}, ["lint", "test", "docs"]),
        ({"deploy": ["test"], "test": ["build"], "build": []}, ["build", "test", "deploy"]),
        ({"a": [], "b": ["a"], "c": []}, ["a", "b", "c"]),
        ({"b": ["a"], "c": [], "a": []}, ["c", "a", "b"]),
        (
            {"report": ["unit", "e2e"], "e2e": ["build"], "unit": ["build"], "build": []},
            ["build", "e2e", "unit", "report"],
        ),
        ({}, []),
    ],
)
def test_order_is_topological_with_ties_in_written_order(
    needs: dict[str, list[str]], order: list[str]
) -> None:
    assert order_jobs(needs) == order


@pytest.mark.parametrize(
    ("needs", "cycle"),
    [
        ({"a": ["a"]}, "a -> a"),
        ({"a": ["b"], "b": ["a"]}, "a -> b -> a"),
        ({"ok": [], "a": ["b"], "b": ["c"], "c": ["a"]}, "a -> b -> c -> a"),
        ({"x": ["a"], "a": ["b"], "b": ["a"]}, "x"),  # x waits on the cycle, which is named
    ],
)
def test_a_cycle_is_named(needs: dict[str, list[str]], cycle: str) -> None:
    with pytest.raises(CycleError) as caught:
        order_jobs(needs)
    message = str(caught.value)
    assert "jobs need each other in a cycle" in message
    if cycle == "x":
        assert caught.value.cycle == ("a", "b", "a")
    else:
        assert cycle in message
        assert caught.value.cycle == tuple(cycle.split(" -> "))


def test_errors_carry_the_workflow_file_when_given() -> None:
    with pytest.raises(WorkflowError) as caught:
        order_jobs({"a": ["a"]}, file=".github/workflows/ci.yml")
    assert str(caught.value).startswith(".github/workflows/ci.yml: jobs need each other")
    assert caught.value.rule == "needs-cycle"


def test_an_unknown_need_is_named_with_a_suggestion() -> None:
    with pytest.raises(UnknownJobError) as caught:
        order_jobs({"build": [], "test": ["biuld"]})
    assert str(caught.value) == (
        "job `test` needs `biuld`, which is not a job in this workflow\n"
        "  hint: did you mean `build`?"
    )


def test_an_unknown_need_without_a_close_name_lists_the_jobs() -> None:
    with pytest.raises(UnknownJobError, match="jobs in this workflow: `build`, `test`"):
        order_jobs({"build": [], "test": ["zzz"]})


def test_transitive_needs_for_with_needs() -> None:
    needs = {
        "build": [],
        "lint": [],
        "unit": ["build"],
        "e2e": ["build", "unit"],
        "deploy": ["e2e", "lint"],
    }
    assert transitive_needs("e2e", needs) == ["build", "unit"]
    assert transitive_needs("deploy", needs) == ["build", "lint", "unit", "e2e"]
    assert transitive_needs("build", needs) == []


def test_transitive_needs_of_an_unknown_job() -> None:
    with pytest.raises(UnknownJobError, match="the workflow has no job `tset`") as caught:
        transitive_needs("tset", {"test": []})
    assert "did you mean `test`?" in str(caught.value)
