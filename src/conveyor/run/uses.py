"""`uses:` steps: local composite actions, and what conveyor cannot run yet.

- `./path` to a composite action: its steps run nested, with `inputs` from `with:` and
  the action's defaults, `github.action_path`, and `outputs` from the action's `value`
  templates; composite actions nest.
- actions conveyor runs natively (`conveyor.actions.registry.BUILTINS`): through
  `conveyor.run.builtin`, with their post steps at the end of the job.
- Node and Docker actions, remote actions and `docker://` images: the step fails with
  a message naming the action, why, and what the user can do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conveyor.errors import UserError
from conveyor.run.results import Status
from conveyor.workflow.model import Action, Step

if TYPE_CHECKING:
    from conveyor.run.step import Scope

MAX_NESTING = 10


def action_name(uses: str) -> str:
    """`actions/checkout@v4` → `actions/checkout`; `./x` stays."""
    return uses.split("@", 1)[0].lower() if not uses.startswith(".") else uses


def _cannot_run(uses: str, why: str) -> UserError:
    return UserError(
        f"`uses: {uses}`: {why}",
        hint="see docs/compatibility.md for the actions conveyor runs; mark the step "
        "`continue-on-error: true` to let the job go on without it",
    )


async def run_uses(
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    outputs: dict[str, str],
    name: str,
) -> tuple[Status, str]:
    uses = (step.uses or "").strip()
    if uses.startswith("docker://"):
        raise _cannot_run(
            uses, "Docker images need a Docker engine; conveyor runs steps on the host"
        )
    if uses.startswith("./") or uses.startswith("../"):
        return await _run_local(step, scope, contexts=contexts, outputs=outputs, name=name)
    from conveyor.actions.registry import builtin

    action = builtin(action_name(uses))
    if action is not None:
        from conveyor.run.builtin import run_builtin

        return await run_builtin(
            action, step, scope, contexts=contexts, outputs=outputs, display=name
        )
    raise _cannot_run(
        uses, "remote actions are not run yet: conveyor runs local actions and `actions/checkout`"
    )


async def _run_local(
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    outputs: dict[str, str],
    name: str,
) -> tuple[Status, str]:
    from conveyor.workflow.load import load_action

    uses = step.uses or ""

    path = (scope.ctx.workspace.workspace / uses).resolve()
    if not path.exists():
        raise _cannot_run(uses, f"no action at {uses} in the workspace")
    action = load_action(path)
    if action.runs.using != "composite":
        raise _cannot_run(
            uses,
            f"`runs.using: {action.runs.using}` actions are not run yet; composite actions are",
        )
    if scope.prefix.count(" / ") >= MAX_NESTING:
        raise _cannot_run(uses, f"composite actions nest deeper than {MAX_NESTING} levels")
    return await run_composite(
        action, path, step, scope, contexts=contexts, outputs=outputs, name=name
    )


def action_inputs(action: Action, step: Step, contexts: Mapping[str, Any]) -> dict[str, str]:
    from conveyor.expr import interpolate

    given = {key.lower(): interpolate(str(value), contexts) for key, value in step.with_.items()}
    inputs: dict[str, str] = {}
    for name, spec in action.inputs.items():
        if name.lower() in given:
            inputs[name] = given[name.lower()]
        elif spec.default is not None:
            inputs[name] = interpolate(str(spec.default), contexts)
        elif spec.required:
            raise UserError(f"`{step.uses}`: required input `{name}` is not given in `with:`")
        else:
            inputs[name] = ""
    for key, value in given.items():
        if not any(key == name.lower() for name in action.inputs):
            inputs[key] = value  # GitHub warns and passes it on
    return inputs


async def run_composite(
    action: Action,
    path: Path,
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    outputs: dict[str, str],
    name: str,
) -> tuple[Status, str]:
    from conveyor.expr import interpolate
    from conveyor.run.step import run_step

    inputs = action_inputs(action, step, contexts)
    action_dir = path if path.is_dir() else path.parent
    github = {**contexts["github"], "action_path": str(action_dir)}
    inner = scope.nested(
        prefix=f"{name} / ",
        extra={"inputs": inputs, "github": github},
        action_path=str(action_dir),
    )
    failed = None
    for inner_step in action.runs.steps:
        result = await run_step(inner_step, inner)
        if result.conclusion == "failure" and failed is None:
            failed = result
    scope_contexts = {**contexts, "steps": inner.steps, "inputs": inputs, "github": github}
    for output, spec in action.outputs.items():
        outputs[output] = interpolate(spec.value or "", scope_contexts)
    if failed is not None:
        return "failure", f"step `{failed.name}` of {step.uses} failed"
    return "success", ""
