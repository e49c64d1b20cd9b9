"""Any bytes, any tree: the validator answers with diagnostics, never with an exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conveyor.workflow.checks import RULES, Diagnostic, check_paths

KEYS = [
    "on", "jobs", "name", "runs-on", "steps", "needs", "strategy", "matrix", "include",
    "exclude", "uses", "run", "with", "if", "shell", "permissions", "concurrency", "group",
    "inputs", "outputs", "type", "options", "default", "required", "schedule", "cron",
    "branches", "branches-ignore", "paths", "tags", "id", "env", "defaults", "container",
    "services", "image", "secrets", "workflow_call", "workflow_dispatch", "push", "runs",
    "using", "value", "timeout-minutes", "contents", "a", "b",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(
        [
            "${{ github.sha }}",
            "${{ x.y(",
            "${{",
            "}}",
            "./a",
            "./.github/workflows/w.yml",
            "a -> b",
            "* * * * *",
            "[",
            "",
            "bash",
            "choice",
            "inherit",
            "ubuntu-latest",
            "${{ needs.a.outputs.b }}",
            "${{ steps.a.outputs.b }}",
            "${{ matrix.a }}",
        ]
    ),
    st.text(max_size=20),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=40,
)


def _check(content: bytes, name: str = "w.yml") -> list[Diagnostic]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / ".github" / "workflows"
        folder.mkdir(parents=True)
        file = folder / name
        file.write_bytes(content)
        return check_paths([file], root=Path(tmp))


def _assert_well_formed(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        assert d.rule in RULES
        assert d.line >= 0
        assert d.column >= 0
        assert d.message


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(content: bytes) -> None:
    _assert_well_formed(_check(content))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("on:jobs- \n\t[]{}'\"$#&*!|>%@`,?\\x")), max_size=200))
def test_random_yaml_like_text(text: str) -> None:
    _assert_well_formed(_check(text.encode()))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6))
def test_random_workflow_trees(tree: dict[str, object]) -> None:
    _assert_well_formed(_check(json.dumps(tree).encode()))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6))
def test_random_action_trees(tree: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "action.yml"
        file.write_text(json.dumps(tree), encoding="utf-8")
        _assert_well_formed(check_paths([file], root=Path(tmp)))


@pytest.mark.parametrize(
    "text",
    [
        # found by fuzzing or worth keeping: odd shapes in places that are usually mappings
        '{"jobs": {"a": {"needs": ["a", "a"], "steps": [null, 3, {"id": null}]}}}',
        '{"on": {"schedule": [{"cron": 5}, "x"]}, "jobs": []}',
        '{"on": {"workflow_dispatch": {"inputs": {"x": {"type": 3, "default": []}}}}}',
        '{"jobs": {"a": {"strategy": {"matrix": {"exclude": [1, {"k": 1}]}}}}}',
        '{"jobs": {"a": {"uses": "./", "with": [1]}}}',
        '{"jobs": {"a": {"steps": [{"uses": "./", "with": "x"}]}}}',
        '{"jobs": {"a": {"runs-on": {"labels": 3}, "if": "${{ x.y( }}"}}}',
        '{"jobs": {"a": {"steps": [{"run": "${{ a[\'b\'].c }} ${{ a.*.b }}"}]}}}',
        '{"env": {"a": "${{ }}"}, "jobs": {"": {}}}',
    ],
)
def test_kept_odd_shapes(text: str) -> None:
    _assert_well_formed(_check(text.encode()))


def test_self_calling_reusable_workflow_is_checked_once() -> None:
    text = b"on: workflow_call\njobs:\n  again:\n    uses: ./.github/workflows/w.yml\n"
    assert [d.rule for d in _check(text)] == []


@pytest.mark.parametrize("depth", [240, 400])
def test_deep_nesting_is_a_diagnostic(depth: int) -> None:
    text = "on: push\njobs:\n  a:\n    env: " + "{a: " * depth + "1" + "}" * depth
    _assert_well_formed(_check(text.encode()))


EXAMPLE = (
    Path(__file__).resolve().parents[3] / "examples/service/.github/workflows/ci.yml"
).read_text(encoding="utf-8")


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(EXAMPLE)), st.integers(0, 8), st.text(max_size=3)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_real_workflow(edits: list[tuple[int, int, str]]) -> None:
    text = EXAMPLE
    for start, length, insert in edits:
        text = text[:start] + insert + text[start + length :]
    _assert_well_formed(_check(text.encode()))
