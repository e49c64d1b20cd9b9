from __future__ import annotations

from textwrap import dedent, indent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Matrix, Strategy


def strategy(body: str) -> Strategy:
    text = (
        "on: push\njobs:\n  test:\n    strategy:\n"
        + indent(dedent(body).strip("\n"), "      ")
        + "\n"
    )
    found = load_workflow_text(text, file="ci.yml").jobs["test"].strategy
    assert found is not None
    return found


def matrix(body: str) -> Matrix:
    found = strategy(body).matrix
    assert found is not None
    return found


def test_axes_keep_written_order_and_yaml_types() -> None:
    found = matrix(
        """
        matrix:
          python: [3.9, 3.10, '3.11', 3.12]
          os: [ubuntu-latest, windows-latest]
          coverage: [true, false]
        """
    )

    assert list(found.axes) == ["python", "os", "coverage"]
    # GitHub reads an unquoted 3.10 as the number 3.1, and so does conveyor.
    assert found.axes["python"] == (3.9, 3.1, "3.11", 3.12)
    assert found.axes["coverage"] == (True, False)
    assert str(found.pos) == "ci.yml:6:9"


def test_include_exclude_and_object_values() -> None:
    found = matrix(
        """
        matrix:
          config:
            - {name: linux, os: ubuntu-latest}
            - {name: mac, os: macos-latest}
          include:
            - config: {name: win, os: windows-latest}
              experimental: true
          exclude:
            - config: {name: mac, os: macos-latest}
        """
    )

    assert found.axes["config"] == (
        {"name": "linux", "os": "ubuntu-latest"},
        {"name": "mac", "os": "macos-latest"},
    )
    assert found.include == (
        {"config": {"name": "win", "os": "windows-latest"}, "experimental": True},
    )
    assert found.exclude == ({"config": {"name": "mac", "os": "macos-latest"}},)


def test_expressions_for_the_whole_matrix_an_axis_or_include() -> None:
    whole = matrix("matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}")
    parts = matrix(
        """
        matrix:
          python: ${{ fromJSON(inputs.pythons) }}
          include: ${{ fromJSON(inputs.extra) }}
        """
    )

    assert whole == Matrix(expression="${{ fromJSON(needs.setup.outputs.matrix) }}", pos=whole.pos)
    assert whole.axes == {}
    assert parts.axes == {"python": "${{ fromJSON(inputs.pythons) }}"}
    assert parts.include == "${{ fromJSON(inputs.extra) }}"
    assert parts.expression is None


def test_only_include() -> None:
    found = matrix("matrix:\n  include:\n    - {python: '3.12'}")

    assert found.axes == {}
    assert found.include == ({"python": "3.12"},)


def test_fail_fast_and_max_parallel() -> None:
    assert strategy("fail-fast: false\nmax-parallel: 2") == Strategy(
        fail_fast=False, max_parallel=2
    )
    assert strategy("fail-fast: ${{ inputs.ff }}\nmax-parallel: ${{ inputs.n }}") == Strategy(
        fail_fast="${{ inputs.ff }}", max_parallel="${{ inputs.n }}"
    )
    assert strategy("fail-fast: true") == Strategy()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("matrix: [a, b]", "`strategy.matrix` must be a mapping or a `${{ }}` expression"),
        ("matrix:\n  python: 3.11", "matrix axis `python` must be a list of values"),
        ("matrix:\n  python:", "matrix axis `python` must be a list of values"),
        ("matrix:\n  include: [a]", "each item of `matrix.include` must be a mapping"),
        ("matrix:\n  exclude: {a: 1}", "`matrix.exclude` must be a sequence, not a mapping"),
        ("max-parallel: 1.5", "`strategy.max-parallel` must be a whole number"),
        ("[]", "`strategy` must be a mapping, not a sequence"),
    ],
)
def test_matrix_shapes_github_rejects_are_errors(body: str, message: str) -> None:
    with pytest.raises(WorkflowError) as caught:
        strategy(body)

    assert message in caught.value.message
