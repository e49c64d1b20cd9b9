"""Node actions (`runs.using: node12|node16|node20|node24`) with the local `node`.

As GitHub's runner runs a JavaScript action: `node ACTION_DIR/MAIN` in the workspace, with
each input as `INPUT_<NAME>` (upper case, spaces as `_`, the action's defaults filled in),
`GITHUB_ACTION_PATH`, `GITHUB_ACTION_REPOSITORY` and `GITHUB_ACTION_REF`, and the step's
files (`GITHUB_OUTPUT`, `GITHUB_STATE`, …) and workflow commands like any step. What `main`
saves with `GITHUB_STATE` or `::save-state::` reaches `post` as `STATE_<name>`. `pre` runs
before the job's steps (for actions from the action cache; GitHub does not run `pre` of
local actions either) and `post` after them, in reverse order, under `pre-if`/`post-if`.

The local `node` runs every version: one older than the action asks for gets a warning.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conveyor.errors import UserError
from conveyor.run.hooks import DEFAULT_CONDITION, HookRunner, PendingPost, run_hook
from conveyor.run.results import Status, StepResult
from conveyor.workflow.model import Action, Step

if TYPE_CHECKING:
    from conveyor.run.step import Scope

_USING = re.compile(r"^node(\d+)$", re.IGNORECASE)


def node_major(using: str) -> int | None:
    """`node20` → 20; None for `composite`, `docker`, …"""
    found = _USING.match(using.strip())
    return int(found.group(1)) if found else None


def input_variable(name: str) -> str:
    """`python-version` → `INPUT_PYTHON-VERSION`, `my input` → `INPUT_MY_INPUT`."""
    return "INPUT_" + name.replace(" ", "_").upper()


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeAction:
    """A node action ready to run: its metadata, folder and where it came from."""

    action: Action
    directory: Path
    uses: str  # as written in the step
    repository: str  # `owner/repo`, or "" for a local action
    ref: str


@cache
def _version(node: str) -> str:
    try:
        done = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


async def find_node(path: str, uses: str, wanted: int) -> tuple[str, str | None]:
    """The `node` program on `path`, and a warning when it is older than `wanted`."""
    node = shutil.which("node", path=path)
    if node is None:
        raise UserError(
            f"`uses: {uses}`: this is a node{wanted} action and there is no `node` on PATH",
            hint=f"install Node.js {wanted} (your package manager, nvm or `actions/setup-node` "
            "in an earlier step), or mark the step `continue-on-error: true`",
        )
    version = await asyncio.to_thread(_version, node)
    found = re.match(r"v?(\d+)", version)
    if found and int(found.group(1)) < wanted:
        return node, (
            f"{uses} asks for node{wanted}; running it with the local node {version} ({node})"
        )
    return node, None


def _script(node: NodeAction, key: str) -> Path:
    relative = getattr(node.action.runs, key) or ""
    script = (node.directory / relative).resolve()
    if not relative or not script.is_file():
        where = f"{node.directory / relative}" if relative else f"`runs.{key}`"
        raise UserError(
            f"`uses: {node.uses}`: its `runs.{key}` script {where} is missing",
            hint="a node action ships its built JavaScript (often `dist/index.js`); add the "
            "built files to the action's folder",
        )
    return script


def _environment(node: NodeAction, inputs: Mapping[str, str], step: Step) -> dict[str, str]:
    env = {input_variable(name): value for name, value in inputs.items()}
    env["GITHUB_ACTION_PATH"] = str(node.directory)
    env["GITHUB_ACTION_REPOSITORY"] = node.repository
    env["GITHUB_ACTION_REF"] = node.ref
    env["GITHUB_ACTION"] = step.id or f"__run_{step.index}"
    return env


async def _run_script(
    node: NodeAction,
    key: str,
    scope: Scope,
    index: int,
    *,
    env: Mapping[str, str],
    timeout: float | None,
    outputs: dict[str, str],
    state: dict[str, str] | None,
) -> tuple[Status, str]:
    from conveyor.run.output import run_process, step_environment

    major = node_major(node.action.runs.using) or 20
    path = step_environment(scope, env, {})["PATH"]
    program, warning = await find_node(path, node.uses, major)
    if warning:
        from conveyor.actions.base import ActionIO
        from conveyor.run.builtin import apply

        apply(ActionIO(warnings=[warning]), scope, index, {})
    return await run_process(
        scope,
        index,
        argv=(program, str(_script(node, key))),
        cwd=scope.ctx.workspace.workspace,
        step_env=env,
        timeout=timeout,
        outputs=outputs,
        label=f"{scope.ctx.job_name} / {node.uses} ({key})",
        state=state,
    )


async def run_node(
    node: NodeAction,
    step: Step,
    scope: Scope,
    *,
    inputs: Mapping[str, str],
    step_env: Mapping[str, str],
    timeout: float | None,
    outputs: dict[str, str],
    name: str,
) -> tuple[Status, str]:
    """Run the action's `main`; register its `post` for the end of the job."""
    env = {**step_env, **_environment(node, inputs, step)}
    saved: dict[str, str] = {}
    status, message = await _run_script(
        node, "main", scope, step.index, env=env, timeout=timeout, outputs=outputs, state=saved
    )
    if node.action.runs.post:
        post_env = {**env, **{f"STATE_{key}": value for key, value in saved.items()}}

        async def post(index: int) -> tuple[Status, str]:
            try:
                return await _run_script(
                    node, "post", scope, index, env=post_env, timeout=None, outputs={}, state=None
                )
            except UserError as exc:
                scope.say(index, f"Error: {exc}")
                return "failure", str(exc)

        scope.state.posts.append(
            PendingPost(
                name=name, condition=node.action.runs.post_if or DEFAULT_CONDITION, run=post
            )
        )
    return status, message


async def run_pres(scope: Scope, steps: Sequence[Step]) -> list[StepResult]:
    """Run the `pre` of each node action among `steps` that has one, before the job's steps.

    Pre steps are recorded before the job's first step, at indices -N … -1.
    """
    from conveyor.run.step import display_name
    from conveyor.run.uses import resolve_for_pre

    found = []
    for step in steps:
        node = await resolve_for_pre(step, scope)
        if node is not None and node.action.runs.pre:
            found.append((step, node))
    results: list[StepResult] = []
    for offset, (step, node) in enumerate(found):
        contexts = scope.contexts(scope.state.env)
        result = await run_hook(
            scope,
            index=offset - len(found),
            step_id=f"__pre{offset}",
            name=f"Pre {display_name(step, contexts)}",
            condition=node.action.runs.pre_if or DEFAULT_CONDITION,
            run=_pre_runner(node, step, scope, contexts),
        )
        if result is not None:
            results.append(result)
    return results


def _pre_runner(
    node: NodeAction, step: Step, scope: Scope, contexts: Mapping[str, Any]
) -> HookRunner:
    async def pre(index: int) -> tuple[Status, str]:
        from conveyor.run.builtin import step_inputs
        from conveyor.run.uses import action_inputs

        try:
            given = step_inputs(step, scope, contexts)
            inputs = action_inputs(node.action, step, given, contexts)
            env = {**contexts["env"], **_environment(node, inputs, step)}
            return await _run_script(
                node, "pre", scope, index, env=env, timeout=None, outputs={}, state=None
            )
        except UserError as exc:
            scope.say(index, f"Error: {exc}")
            return "failure", str(exc)

    return pre
