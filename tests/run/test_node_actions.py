"""Node actions run with the local `node`: local ones, ones from the action cache, and
ones fetched with git under `--allow-network`; inputs, outputs, state, pre/main/post."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from tests.run.conftest import Project, jobs, statuses

from conveyor.cli import main

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node on PATH")

ACTION_YML = """
name: Greet
description: says hello
inputs:
  who:
    description: whom to greet
    default: world
  loud mode:
    description: an input whose name has a space
    default: "no"
  token:
    description: defaults from an expression
    default: ${{ github.repository_owner }}-token
outputs:
  greeting:
    description: what was said
runs:
  using: node20
  main: dist/main.js
  post: dist/post.js
"""

MAIN_JS = """
const fs = require('fs');
const who = process.env['INPUT_WHO'];
fs.appendFileSync(process.env.GITHUB_OUTPUT, `greeting=hello ${who}\\n`);
fs.appendFileSync(process.env.GITHUB_STATE, `greeted=${who}\\n`);
console.log(`::save-state name=via_command::from-command`);
console.log(`main: who=${who} loud=${process.env['INPUT_LOUD_MODE']}`);
console.log(`main: token=${process.env['INPUT_TOKEN']} extra=${process.env['INPUT_EXTRA']}`);
console.log(`main: repository=[${process.env.GITHUB_ACTION_REPOSITORY}] ref=[${process.env.GITHUB_ACTION_REF}]`);
console.log(`main: action_path=${process.env.GITHUB_ACTION_PATH}`);
console.log(`main: cwd=${process.cwd()}`);
console.log(`::notice::greeted ${who}`);
if (who === 'nobody') { process.exit(3); }
"""

POST_JS = """
console.log(`post: greeted=${process.env.STATE_greeted} command=${process.env.STATE_via_command}`);
"""


def write_action(root: Path, *, yml: str = ACTION_YML, pre: str | None = None) -> Path:
    (root / "dist").mkdir(parents=True, exist_ok=True)
    (root / "action.yml").write_text(textwrap.dedent(yml).lstrip())
    (root / "dist" / "main.js").write_text(MAIN_JS)
    (root / "dist" / "post.js").write_text(POST_JS)
    if pre is not None:
        (root / "dist" / "pre.js").write_text(pre)
    return root


def lines(out: str, prefix: str) -> list[str]:
    """The text of each output line that starts with `prefix` after the job's tag."""
    found = []
    for line in out.splitlines():
        _, _, text = line.partition("] ")
        if text.strip().startswith(prefix):
            found.append(text.strip())
    return found


def test_a_local_node_action_gets_inputs_gives_outputs_and_its_post_sees_its_state(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_action(project.root / ".github/actions/greet")
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - id: hi
                uses: ./.github/actions/greet
                with: {who: Ada, extra: passed-on}
              - id: default
                uses: ./.github/actions/greet
              - run: echo "later step sees ${{ steps.hi.outputs.greeting }} / ${{ steps.default.outputs.greeting }}"
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    job = jobs(data)["greet"]
    assert [s["id"] for s in job["steps"]] == ["hi", "default", "__2", "__post0", "__post1"]
    assert job["steps"][0]["outputs"] == {"greeting": "hello Ada"}
    assert "later step sees hello Ada / hello world" in out
    assert lines(out, "main: who=") == ["main: who=Ada loud=no", "main: who=world loud=no"]
    # defaults are interpolated; inputs the action does not declare are passed on
    tokens = lines(out, "main: token=")
    assert re.fullmatch(r"main: token=[\w.-]+-token extra=passed-on", tokens[0]), tokens
    assert re.fullmatch(r"main: token=[\w.-]+-token extra=undefined", tokens[1]), tokens
    assert lines(out, "main: repository=") == ["main: repository=[] ref=[]"] * 2
    action_path = lines(out, "main: action_path=")[0].removeprefix("main: action_path=")
    assert action_path.endswith(".github/actions/greet")
    cwd = lines(out, "main: cwd=")[0].removeprefix("main: cwd=")
    assert Path(action_path).parent.parent.parent == Path(cwd)
    # posts run after every step, last registered first, with their own main's state
    assert lines(out, "post:") == [
        "post: greeted=world command=from-command",
        "post: greeted=Ada command=from-command",
    ]
    assert out.index("later step sees") < out.index("post: greeted=world")
    assert "Notice: greeted Ada" in out


def test_a_failing_node_action_fails_its_step_and_post_if_decides_its_post(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_action(
        project.root / "greet",
        yml=ACTION_YML.replace("post: dist/post.js", "post: dist/post.js\n  post-if: success()"),
    )
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - id: ok
                uses: ./greet
              - id: bad
                uses: ./greet
                with: {who: nobody}
              - if: always()
                run: echo after-failure
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    steps = {s["id"]: s["outcome"] for s in jobs(data)["greet"]["steps"]}
    assert steps == {"ok": "success", "bad": "failure", "__2": "success"}
    assert "Process completed with exit code 3." in out
    assert lines(out, "post:") == []  # post-if: success() and the job failed


def test_a_step_timeout_stops_a_node_action(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    action = write_action(project.root / "slow")
    (action / "dist" / "main.js").write_text("setTimeout(() => console.log('done'), 60000);\n")
    project.workflow(
        """
        on: push
        jobs:
          slow:
            runs-on: ubuntu-latest
            steps:
              - uses: ./slow
                timeout-minutes: 0.02
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    assert statuses(data) == {"slow": "failure"}
    assert "The step timed out after 0.02 minutes." in out
    assert "done" not in lines(out, "done")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"yml": ACTION_YML.replace("using: node20", "using: docker\n  image: Dockerfile")},
            "Docker actions need a Docker engine",
        ),
        (
            {"yml": ACTION_YML.replace("dist/main.js", "dist/missing.js")},
            "its `runs.main` script",
        ),
        (
            {"yml": ACTION_YML.replace("using: node20", "using: python3")},
            "`runs.using: python3` is not a kind of action conveyor knows",
        ),
    ],
)
def test_actions_that_cannot_run_say_why(
    project: Project, capsys: pytest.CaptureFixture[str], change: dict[str, str], message: str
) -> None:
    write_action(project.root / "act", **change)
    project.workflow(
        """
        on: push
        jobs:
          use:
            runs-on: ubuntu-latest
            steps:
              - uses: ./act
        """
    )
    project.commit()
    code, data = project.run("-v")
    out, err = capsys.readouterr()
    assert code == 1
    assert statuses(data) == {"use": "failure"}
    assert message in out
    assert "Traceback" not in out + err


def test_no_node_on_path_is_a_clear_failure(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_action(project.root / "greet")
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            env: {PATH: /nonexistent}
            steps:
              - uses: ./greet
        """
    )
    project.commit()
    code, _ = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    assert "this is a node20 action and there is no `node` on PATH" in out
    assert "install Node.js 20" in out


def test_a_node_older_than_the_action_asks_for_runs_it_with_a_warning(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_action(project.root / "greet", yml=ACTION_YML.replace("node20", "node99"))
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - uses: ./greet
        """
    )
    project.commit()
    code, _ = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "./greet asks for node99; running it with the local node v" in out
    assert lines(out, "main: who=") == ["main: who=world loud=no"]


# ---------------------------------------------------------------- the action cache ---


def add_to_cache(source: Path, action: str) -> None:
    assert main(["actions", "add", action, "--from", str(source)]) == 0


def test_an_action_from_the_cache_runs_its_pre_before_the_jobs_steps(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = ACTION_YML.replace("  main: dist/main.js", "  pre: dist/pre.js\n  main: dist/main.js")
    pre = "console.log(`pre: who=${process.env['INPUT_WHO']}`);\n"
    repo = tmp_path / "hello-src"
    write_action(repo, yml=yml, pre=pre)
    never = yml.replace("  pre: dist/pre.js", "  pre: dist/pre.js\n  pre-if: false")
    write_action(repo / "nested", yml=never, pre=pre)
    add_to_cache(repo, "octo/hello@v1")
    capsys.readouterr()
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - run: echo first-step
              - id: root
                uses: octo/hello@v1
                with: {who: "${{ github.event_name }}"}
              - id: nested
                uses: octo/hello/nested@v1
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    job = jobs(data)["greet"]
    assert [s["id"] for s in job["steps"]][:1] == ["__pre0"]
    assert job["steps"][0]["name"] == "Pre Run octo/hello@v1"
    assert lines(out, "pre:") == ["pre: who=push"]  # the nested one's pre-if is false
    assert out.index("pre: who=push") < out.index("first-step")
    assert lines(out, "main: repository=") == [
        "main: repository=[octo/hello] ref=[v1]",
        "main: repository=[octo/hello] ref=[v1]",
    ]
    assert lines(out, "main: action_path=")[1].endswith("/v1/nested")
    assert job["steps"][2]["outputs"] == {"greeting": "hello push"}
    # the run is in the history, pre step first
    assert main(["show", str(data["run_id"]), "-C", str(project.root)]) == 0
    shown = capsys.readouterr().out
    assert shown.index("Pre Run octo/hello@v1: success") < shown.index("0. Run echo first-step")
    assert "Post Run octo/hello/nested@v1: success" in shown


def test_a_composite_action_from_the_cache_runs_its_steps(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "composite-src"
    repo.mkdir()
    (repo / "action.yml").write_text(
        textwrap.dedent(
            """
            name: Shout
            description: composite
            inputs:
              word: {description: what, required: true}
            outputs:
              loud: {description: it, value: "${{ steps.up.outputs.loud }}"}
            runs:
              using: composite
              steps:
                - id: up
                  shell: bash
                  run: echo "loud=$(echo '${{ inputs.word }}' | tr a-z A-Z)" >> "$GITHUB_OUTPUT"
            """
        ).lstrip()
    )
    add_to_cache(repo, "octo/shout@main")
    project.workflow(
        """
        on: push
        jobs:
          shout:
            runs-on: ubuntu-latest
            steps:
              - id: s
                uses: octo/shout@main
                with: {word: quiet}
              - run: echo "got ${{ steps.s.outputs.loud }}"
        """
    )
    project.commit()
    code, _ = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "got QUIET" in out


def make_action_server(root: Path) -> tuple[Path, str]:
    """A folder of git repositories standing in for GitHub: `root/octo/hello` with a tag."""
    repo = root / "octo" / "hello"
    write_action(repo)
    env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
    }
    for argv in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "v1"],
        ["git", "tag", "v1"],
    ):
        subprocess.run(argv, cwd=repo, env=env, check=True, capture_output=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    return repo, sha


@pytest.mark.parametrize("ref_kind", ["tag", "sha"])
def test_allow_network_fetches_the_action_with_git_and_keeps_it_for_offline_runs(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ref_kind: str,
) -> None:
    server = tmp_path / "server"
    _, sha = make_action_server(server)
    monkeypatch.setenv("CONVEYOR_ACTIONS_SERVER", f"file://{server}")
    ref = "v1" if ref_kind == "tag" else sha
    project.workflow(
        f"""
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - id: hi
                uses: octo/hello@{ref}
                with: {{who: fetched}}
        """
    )
    project.commit()
    code, _ = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    assert "not in conveyor's action cache" in out

    code, data = project.run("-v", "--allow-network")
    out = capsys.readouterr().out
    assert code == 0, out
    assert jobs(data)["greet"]["steps"][0]["outputs"] == {"greeting": "hello fetched"}

    shutil.rmtree(server)  # offline now: the cache has it
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert lines(out, "main: who=") == ["main: who=fetched loud=no"]
    assert main(["actions", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["repository"], e["ref"]) for e in listed] == [("octo/hello", ref)]
    assert listed[0]["source"] == f"file://{server}/octo/hello"


def test_a_ref_the_server_does_not_have_fails_the_step_naming_it(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = tmp_path / "server"
    make_action_server(server)
    monkeypatch.setenv("CONVEYOR_ACTIONS_SERVER", f"file://{server}")
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - uses: octo/hello@v9
        """
    )
    project.commit()
    code, data = project.run("-v", "--allow-network")
    out = capsys.readouterr().out
    assert code == 1
    assert statuses(data) == {"greet": "failure"}
    assert f"could not fetch octo/hello@v9 from file://{server}/octo/hello" in out
    assert main(["actions", "list"]) == 0
    assert "No actions in" in capsys.readouterr().out


def test_validate_checks_the_inputs_of_actions_in_the_cache(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_action(
        tmp_path / "strict-src",
        yml=ACTION_YML.replace(
            "  who:\n    description: whom to greet\n    default: world",
            "  who:\n    description: whom to greet\n    required: true",
        ),
    )
    add_to_cache(source, "octo/strict@v1")
    project.workflow(
        """
        on: push
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - uses: octo/strict@v1
                with: {wh0: typo}
              - uses: octo/not-cached@v1
                with: {anything: goes}
        """
    )
    project.commit()
    capsys.readouterr()
    assert main(["validate", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert "action `octo/strict@v1` requires input `who`, which is not passed" in out
    assert "action `octo/strict@v1` has no input `wh0` [action-inputs] (warning)" in out
    assert "hint: did you mean `who`?" in out
    assert "octo/not-cached" not in out  # nothing known about it: nothing to say
    # the run refuses the same workflow before starting any job
    code, _ = project.run()
    assert code == 2
