"""Any bytes give a `Workflow` or a `WorkflowError`; every valid shape gives a `Workflow`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Workflow

# A word list reads better here than sixty quoted strings.
KEYS = """
    on jobs name run-name env defaults run shell permissions concurrency group
    cancel-in-progress push pull_request schedule cron workflow_dispatch workflow_call inputs
    outputs secrets branches tags paths types workflows type required default options value
    description build runs-on labels needs steps strategy matrix include exclude fail-fast
    max-parallel container services image ports credentials uses with if id timeout-minutes
    continue-on-error environment url working-directory contents
""".split()  # noqa: SIM905
TOKENS = [
    *KEYS,
    *": - [ ] { } , &a *a !!str !t << | > ' \" # ? ${{ }} --- ... ~ null true 3.10 0x1f".split(),  # noqa: SIM905
    *["\n", "\n  ", "\n    - ", "\t", ": ", "- ", "\\", "%YAML 1.2\n", "\x85", "\u2028", "\ufeff"],
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["push", "read-all", "inherit", "${{ matrix.x }}", "", "a, b", "x"]),
    st.text(max_size=8),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=4)), children, max_size=5
        ),
    ),
    max_leaves=30,
)


def dump(tree: Any) -> str:
    out = io.StringIO()
    YAML(typ="rt", pure=True).dump(tree, out)  # keeps the order of keys, as users write them
    return out.getvalue()


def load_or_error(text: str | bytes) -> Workflow | WorkflowError:
    """Load; any exception other than a well-formed `WorkflowError` fails the test."""
    try:
        return load_workflow_text(text, file="fuzz.yml")
    except WorkflowError as exc:
        error = exc
    assert error.file == "fuzz.yml"
    assert error.line >= 0
    assert error.column >= 0
    assert error.message
    return error


# Derandomised so every run repeats; to explore, drop `derandomize` and raise the count.
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=40).map("".join))
def test_yaml_like_text_never_crashes(text: str) -> None:
    load_or_error(text)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_never_crash(data: bytes) -> None:
    load_or_error(data)


@FUZZ
@given(TREES)
def test_any_structure_never_crashes(tree: Any) -> None:
    load_or_error(dump(tree))


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6), TREES, TREES)
def test_any_job_or_trigger_values_never_crash(job: dict[str, Any], on: Any, step: Any) -> None:
    job.setdefault("steps", [step])
    load_or_error(dump({"on": on, "jobs": {"a": job}}))


# ------------------------------------------------------------------ valid shapes ---

NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
TEMPLATES = st.one_of(NAMES, st.just("${{ matrix.os }}"), st.just("${{ inputs.x || 'y' }}"))
ONE_OR_MANY = st.one_of(TEMPLATES, st.lists(TEMPLATES, min_size=1, max_size=3))
MATRIX_VALUES = st.one_of(
    st.booleans(), st.integers(0, 99), NAMES, st.dictionaries(NAMES, NAMES, max_size=2)
)
STEPS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "id": NAMES,
            "name": TEMPLATES,
            "run": TEMPLATES,
            "uses": NAMES,
            "shell": st.sampled_from(["bash", "pwsh", "python"]),
            "if": st.one_of(st.booleans(), TEMPLATES),
            "with": st.dictionaries(
                NAMES, st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), NAMES)
            ),
            "env": st.dictionaries(NAMES, st.one_of(st.booleans(), st.integers(), TEMPLATES)),
            "continue-on-error": st.one_of(st.booleans(), st.just("${{ matrix.x }}")),
            "timeout-minutes": st.one_of(st.integers(1, 60), st.just("${{ inputs.t }}")),
            "working-directory": NAMES,
        },
    ),
    max_size=3,
)
JOBS = st.fixed_dictionaries(
    {"steps": STEPS},
    optional={
        "name": TEMPLATES,
        "needs": ONE_OR_MANY,
        "runs-on": st.one_of(
            ONE_OR_MANY, st.fixed_dictionaries({"group": NAMES}, optional={"labels": ONE_OR_MANY})
        ),
        "environment": st.one_of(
            NAMES, st.fixed_dictionaries({"name": NAMES}, optional={"url": TEMPLATES})
        ),
        "if": st.one_of(st.booleans(), TEMPLATES),
        "timeout-minutes": st.one_of(st.integers(1, 600), st.just("${{ inputs.t }}")),
        "continue-on-error": st.booleans(),
        "strategy": st.fixed_dictionaries(
            {},
            optional={
                "matrix": st.one_of(
                    st.just("${{ fromJSON(needs.a.outputs.m) }}"),
                    st.dictionaries(
                        NAMES.filter(lambda n: n not in ("include", "exclude")),
                        st.lists(MATRIX_VALUES, min_size=1, max_size=3),
                        max_size=3,
                    ),
                ),
                "fail-fast": st.booleans(),
                "max-parallel": st.integers(1, 9),
            },
        ),
        "container": st.one_of(
            NAMES,
            st.fixed_dictionaries(
                {"image": NAMES}, optional={"ports": st.lists(st.integers(1, 9999))}
            ),
        ),
        "permissions": st.one_of(
            st.sampled_from(["read-all", "write-all"]),
            st.dictionaries(NAMES, st.sampled_from(["read", "write", "none"])),
        ),
        "concurrency": st.one_of(
            TEMPLATES,
            st.fixed_dictionaries(
                {"group": TEMPLATES}, optional={"cancel-in-progress": st.booleans()}
            ),
        ),
    },
)
ON = st.one_of(
    st.sampled_from(["push", "pull_request", "workflow_dispatch"]),
    st.lists(st.sampled_from(["push", "pull_request", "release"]), min_size=1, unique=True),
    st.dictionaries(
        st.sampled_from(["push", "pull_request", "workflow_run"]),
        st.one_of(
            st.none(),
            st.dictionaries(st.sampled_from(["branches", "tags", "paths", "types"]), ONE_OR_MANY),
        ),
        min_size=1,
    ),
)


@pytest.mark.parametrize("style", ["block", "json"])
@FUZZ
@given(on=ON, jobs=st.dictionaries(NAMES, JOBS, min_size=1, max_size=3))
def test_every_valid_shape_loads(style: str, on: Any, jobs: dict[str, Any]) -> None:
    tree = {"on": on, "jobs": jobs}
    text = json.dumps(tree) if style == "json" else dump(tree)

    workflow = load_workflow_text(text, file="ci.yml")

    assert list(workflow.jobs) == list(jobs)
    for job_id, job in jobs.items():
        loaded = workflow.jobs[job_id]
        assert len(loaded.steps) == len(job["steps"])
        assert loaded.pos is not None
        assert loaded.pos.line > 0
        assert [step.id for step in loaded.steps] == [step.get("id") for step in job["steps"]]
