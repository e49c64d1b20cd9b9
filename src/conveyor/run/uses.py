"""`uses:` steps: built-in, composite and node actions, and what conveyor cannot run.

- actions conveyor runs natively (`conveyor.actions.registry.BUILTINS`): through
  `conveyor.run.builtin`, with their post steps at the end of the job.
- `./path` in the workspace, or `OWNER/REPO[/PATH]@REF` from conveyor's action cache
  (`conveyor.actions.sources`; fetched with git under `--allow-network`):
  - composite actions: their steps run nested, with `inputs` from `with:` and the
    action's defaults, `github.action_path`, and `outputs` from the action's `value`
    templates; composite actions nest;
  - node actions: with the local `node` (`conveyor.run.node`), pre/main/post.
- Docker actions and `docker://` images, an action that is not in the cache: the step
  fails with a message naming the action, why, and what the user can do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conveyor.errors import UserError, WorkflowError
from conveyor.run.node import NodeAction, node_major, run_node
from conveyor.run.results import Status
from conveyor.workflow.model import Action, Step

if TYPE_CHECKING:
    from conveyor.actions.sources import ActionCache, ActionRef
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
    timeout: float | None = None,
) -> tuple[Status, str]:
    uses = (step.uses or "").strip()
    if uses.startswith("docker://"):
        raise _cannot_run(
            uses, "Docker images need a Docker engine; conveyor runs steps on the host"
        )
    if is_local(uses):
        path = (scope.ctx.workspace.workspace / uses).resolve()
        if not path.exists():
            raise _cannot_run(uses, f"no action at {uses} in the workspace")
        source = ActionSource(action=_load(path), path=path)
        return await _run_action(
            source, step, scope, contexts=contexts, outputs=outputs, name=name, timeout=timeout
        )
    from conveyor.actions.registry import builtin

    action = builtin(action_name(uses))
    if action is not None:
        from conveyor.run.builtin import run_builtin

        return await run_builtin(
            action, step, scope, contexts=contexts, outputs=outputs, display=name
        )
    from conveyor.actions.sources import parse_ref

    ref = parse_ref(uses)
    directory = await _locate(ref, scope, contexts["env"], step.index)
    source = ActionSource(
        action=_load(directory), path=directory, repository=ref.repository, ref=ref.ref
    )
    return await _run_action(
        source, step, scope, contexts=contexts, outputs=outputs, name=name, timeout=timeout
    )


def is_local(uses: str) -> bool:
    """`uses: ./path` (or `../path`): an action in the workspace."""
    return uses.startswith("./") or uses.startswith("../")


def _cache(scope: Scope) -> ActionCache:
    from conveyor.actions.sources import ActionCache

    settings = scope.ctx.actions
    return ActionCache(settings.cache_dir / "actions" if settings else None)


async def _locate(ref: ActionRef, scope: Scope, env: Mapping[str, str], index: int) -> Path:
    """The action's folder from the cache, fetched first under `--allow-network`."""
    from conveyor.actions.sources import locate, server_url
    from conveyor.run.builtin import process_runner
    from conveyor.run.output import step_environment

    settings = scope.ctx.actions
    return await locate(
        ref,
        _cache(scope),
        allow_network=bool(settings and settings.allow_network),
        server=server_url(scope.ctx.contexts.get("github", {}).get("server_url")),
        run=process_runner(scope, index, step_environment(scope, env, {})),
    )


def _load(path: Path) -> Action:
    from conveyor.workflow.load import load_action

    return load_action(path)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionSource:
    """An action's metadata and where its files are: the workspace or the action cache."""

    action: Action
    path: Path  # the action's folder (or its action.yml)
    repository: str = ""  # `owner/repo`; "" for a local action
    ref: str = ""

    @property
    def directory(self) -> Path:
        """The action's folder (`github.action_path`)."""
        return self.path if self.path.is_dir() else self.path.parent


async def _run_action(
    source: ActionSource,
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    outputs: dict[str, str],
    name: str,
    timeout: float | None,
) -> tuple[Status, str]:
    uses = step.uses or ""
    action = source.action
    using = action.runs.using
    if using == "composite":
        if scope.prefix.count(" / ") >= MAX_NESTING:
            raise _cannot_run(uses, f"composite actions nest deeper than {MAX_NESTING} levels")
        return await run_composite(
            action, source.directory, step, scope, contexts=contexts, outputs=outputs, name=name
        )
    if node_major(using) is not None:
        from conveyor.run.builtin import step_inputs

        node = NodeAction(
            action=action,
            directory=source.directory,
            uses=uses,
            repository=source.repository,
            ref=source.ref,
        )
        inputs = action_inputs(action, step, step_inputs(step, scope, contexts), contexts)
        return await run_node(
            node,
            step,
            scope,
            inputs=inputs,
            step_env=contexts["env"],
            timeout=timeout,
            outputs=outputs,
            name=name,
        )
    if using == "docker":
        raise _cannot_run(
            uses, "Docker actions need a Docker engine; conveyor runs steps on the host"
        )
    raise _cannot_run(
        uses,
        f"`runs.using: {using}` is not a kind of action conveyor knows (composite, node*, docker)",
    )


async def resolve_for_pre(step: Step, scope: Scope) -> NodeAction | None:
    """A step's node action from the action cache, for its `pre` at the start of the job.

    With `--allow-network` a missing action is fetched now, as GitHub's runner downloads
    every action when the job is set up; any problem is left for the step itself to report.
    """
    uses = (step.uses or "").strip()
    if not uses or is_local(uses) or uses.startswith("docker://"):
        return None
    from conveyor.actions.registry import builtin
    from conveyor.actions.sources import parse_ref

    if builtin(action_name(uses)) is not None:
        return None
    settings = scope.ctx.actions
    try:
        ref = parse_ref(uses)
        if _cache(scope).find(ref) is None and not (settings and settings.allow_network):
            return None
        directory = await _locate(ref, scope, scope.state.env, -1)
        action = _load(directory)
    except (UserError, WorkflowError):
        return None
    if node_major(action.runs.using) is None:
        return None
    return NodeAction(
        action=action, directory=directory, uses=uses, repository=ref.repository, ref=ref.ref
    )


def action_inputs(
    action: Action, step: Step, given: Mapping[str, str], contexts: Mapping[str, Any]
) -> dict[str, str]:
    """The step's evaluated `with:` over the action's inputs and their defaults."""
    from conveyor.expr import interpolate

    lowered = {key.lower(): value for key, value in given.items()}
    inputs: dict[str, str] = {}
    for name, spec in action.inputs.items():
        if name.lower() in lowered:
            inputs[name] = lowered[name.lower()]
        elif spec.default is not None:
            inputs[name] = interpolate(str(spec.default), contexts)
        elif spec.required:
            raise UserError(f"`{step.uses}`: required input `{name}` is not given in `with:`")
        else:
            inputs[name] = ""
    for key, value in lowered.items():
        if not any(key == name.lower() for name in action.inputs):
            inputs[key] = value  # GitHub warns and passes it on
    return inputs


async def run_composite(
    action: Action,
    action_dir: Path,
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    outputs: dict[str, str],
    name: str,
) -> tuple[Status, str]:
    from conveyor.expr import interpolate
    from conveyor.run.builtin import step_inputs
    from conveyor.run.step import run_step

    inputs = action_inputs(action, step, step_inputs(step, scope, contexts), contexts)
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
