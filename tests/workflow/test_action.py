from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_action
from conveyor.workflow.model import Action, ActionRuns


def write_action(folder: Path, text: str, name: str = "action.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(dedent(text))
    return path


def test_composite_action(tmp_path: Path) -> None:
    path = write_action(
        tmp_path / "setup",
        """\
        name: Set up
        description: Install the project
        author: the team
        inputs:
          python-version:
            description: Python to use
            required: false
            default: 3.10
          token:
            required: 'true'
            deprecationMessage: use GITHUB_TOKEN
        outputs:
          cache-hit:
            description: Whether the cache was hit
            value: ${{ steps.cache.outputs.cache-hit }}
        runs:
          using: composite
          steps:
            - id: cache
              uses: actions/cache@v4
              with:
                path: ~/.cache
            - run: pip install -e .
              shell: bash
        """,
    )

    action = load_action(path.parent)

    assert (action.path, action.name, action.description, action.author) == (
        path,
        "Set up",
        "Install the project",
        "the team",
    )
    assert action.inputs["python-version"].default == "3.1"
    assert action.inputs["python-version"].required is False
    assert action.inputs["token"].required is True
    assert action.inputs["token"].deprecation_message == "use GITHUB_TOKEN"
    assert action.outputs["cache-hit"].value == "${{ steps.cache.outputs.cache-hit }}"
    assert action.runs.using == "composite"
    assert [step.id for step in action.runs.steps] == ["cache", None]
    assert action.runs.steps[1].shell == "bash"
    assert action.runs.steps[0].pos is not None
    assert action.runs.steps[0].pos.file == path.as_posix()


def test_node_action_from_the_file(tmp_path: Path) -> None:
    path = write_action(
        tmp_path,
        """\
        name: Node
        runs:
          using: node20
          main: dist/index.js
          pre: dist/setup.js
          pre-if: runner.os == 'Linux'
          post: dist/cleanup.js
          post-if: success()
        """,
        name="action.yaml",
    )

    action = load_action(path)

    assert action.runs == ActionRuns(
        using="node20",
        main="dist/index.js",
        pre="dist/setup.js",
        pre_if="runner.os == 'Linux'",
        post="dist/cleanup.js",
        post_if="success()",
    )


def test_docker_action(tmp_path: Path) -> None:
    write_action(
        tmp_path,
        """\
        name: Docker
        description: In a container
        runs:
          using: docker
          image: Dockerfile
          entrypoint: /entry.sh
          pre-entrypoint: /pre.sh
          post-entrypoint: /post.sh
          args: ['${{ inputs.who }}', 2]
          env:
            LEVEL: 3
        """,
    )

    runs = load_action(tmp_path).runs

    assert (runs.using, runs.image, runs.entrypoint) == ("docker", "Dockerfile", "/entry.sh")
    assert (runs.pre_entrypoint, runs.post_entrypoint) == ("/pre.sh", "/post.sh")
    assert runs.args == ("${{ inputs.who }}", "2")
    assert runs.env == {"LEVEL": "3"}


def test_action_yml_is_preferred_over_action_yaml(tmp_path: Path) -> None:
    write_action(tmp_path, "name: yml\nruns: {using: composite, steps: []}\n")
    write_action(tmp_path, "name: yaml\nruns: {using: composite, steps: []}\n", "action.yaml")

    assert load_action(tmp_path).name == "yml"


def test_a_directory_without_metadata_names_the_files_looked_for(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError) as caught:
        load_action(tmp_path)

    assert "action.yml" in caught.value.message
    assert "action.yaml" in caught.value.message
    assert caught.value.rule == "action-missing"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an action metadata file must be a mapping, not null"),
        ("- a\n", "an action metadata file must be a mapping, not a sequence"),
        ("name: x\n", "the action has no `runs`"),
        ("name: x\nruns: composite\n", "`runs` must be a mapping, not a string"),
        ("name: x\nruns: {main: index.js}\n", "`runs` needs `using`"),
        ("name: x\nruns: {using: composite, steps: run}\n", "`steps` must be a sequence"),
        (
            "name: x\ninputs: {a: {required: sometimes}}\nruns: {using: node20}\n",
            "`required` of input `a`",
        ),
    ],
)
def test_metadata_that_cannot_be_read(tmp_path: Path, text: str, message: str) -> None:
    write_action(tmp_path, text)

    with pytest.raises(WorkflowError) as caught:
        load_action(tmp_path)

    assert message in caught.value.message
    assert caught.value.file == (tmp_path / "action.yml").as_posix()


def test_a_minimal_action_has_defaults(tmp_path: Path) -> None:
    path = write_action(tmp_path, "runs:\n  using: node24\n  main: index.js\n")

    action = load_action(tmp_path)

    assert action == Action(
        path=path,
        name="",
        runs=ActionRuns(using="node24", main="index.js"),
        pos=action.pos,
        positions=action.positions,
    )
