"""Run a built-in action (`conveyor.actions`) as a step, and its post step at job end.

The step's `with:` is evaluated into `ActionCall.inputs` (each built-in applies its own
defaults); what the action leaves in its `ActionIO` is applied as a step's files would be:
secrets to the masker first, then log lines, annotations, outputs, `env` (as `GITHUB_ENV`),
`path` (first entry first on PATH), the summary, and `state` for the post step. Post
steps run after the job's steps, in reverse order, when their `post-if` holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conveyor.actions.base import ActionCall, ActionIO, BuiltinAction, RunProcess
from conveyor.actions.registry import PostStep, post_step
from conveyor.errors import UserError
from conveyor.run.events import AnnotationAdded, OutputLine
from conveyor.run.hooks import HookRunner, PendingPost
from conveyor.run.results import Annotation, Status
from conveyor.workflow.model import Step

if TYPE_CHECKING:
    from conveyor.run.step import Scope


def step_inputs(step: Step, scope: Scope, contexts: Mapping[str, Any]) -> dict[str, str]:
    """The step's `with:`, evaluated to strings (or one `${{ }}` giving the whole mapping)."""
    from conveyor.run.step import evaluate_mapping

    return evaluate_mapping(
        step.with_, step.with_expression, contexts, env=scope.eval_env(), what="with"
    )


def process_runner(scope: Scope, index: int, env: Mapping[str, str]) -> RunProcess:
    """`ActionCall.run` for step `index`: processes logged under that step, stopped on cancel."""
    from conveyor.run.output import run_plain

    async def run(argv: Sequence[str], cwd: Path, extra: Mapping[str, str]) -> int:
        return await run_plain(scope, index, argv=tuple(argv), cwd=cwd, env={**env, **extra})

    return run


def _call(
    step: Step, name: str, scope: Scope, contexts: Mapping[str, Any], index: int
) -> ActionCall:
    from conveyor.run.output import step_environment

    ctx = scope.ctx
    settings = ctx.actions
    if settings is None:
        raise UserError(f"`uses: {step.uses}`: built-in actions are not available here")
    action_uses = step.uses or ""
    env = step_environment(scope, contexts["env"], {})

    ref = action_uses.split("@", 1)[1] if "@" in action_uses else ""
    return ActionCall(
        uses=action_uses,
        name=name,
        ref=ref,
        inputs=step_inputs(step, scope, contexts),
        workspace=ctx.workspace.workspace,
        temp=ctx.workspace.temp,
        tool_cache=ctx.workspace.tool_cache,
        state_dir=settings.state_dir,
        cache_dir=settings.cache_dir,
        env=env,
        github=contexts["github"],
        run_id=settings.run_id,
        job_status=scope.status(),
        run=process_runner(scope, index, env),
        allow_network=settings.allow_network,
        allow_publish=settings.allow_publish,
        repo=ctx.repo,
    )


def apply(io: ActionIO, scope: Scope, index: int, outputs: dict[str, str]) -> None:
    ctx, state = scope.ctx, scope.state
    for secret in io.secrets:
        ctx.masker.add(secret)

    def emit(text: str) -> None:
        ctx.listener(
            OutputLine(
                workflow=ctx.workflow,
                job=ctx.job_name,
                step=index,
                stream="stdout",
                text=ctx.masker.mask(text),
            )
        )

    for line in io.lines:
        emit(line)
    if ctx.contexts.get("runner", {}).get("debug"):
        for line in io.debug:
            emit(f"##[debug]{line}")
    for level, messages in (("warning", io.warnings), ("notice", io.notices)):
        for message in messages:
            note = Annotation(level=level, message=ctx.masker.mask(message), job=ctx.job_name)  # type: ignore[arg-type]
            state.annotations.append(note)
            ctx.listener(AnnotationAdded(workflow=ctx.workflow, job=ctx.job_name, annotation=note))
            emit(f"{level.capitalize()}: {message}")
    outputs.update(io.outputs)
    state.env.update(io.env)
    state.path[:0] = list(io.path)
    if io.summary:
        state.summaries.append(ctx.masker.mask(io.summary))


async def run_builtin(
    action: BuiltinAction,
    step: Step,
    scope: Scope,
    *,
    contexts: Mapping[str, Any],
    outputs: dict[str, str],
    display: str,
) -> tuple[Status, str]:
    from conveyor.run.uses import action_name

    call = _call(step, action_name(step.uses or ""), scope, contexts, step.index)
    index = step.index
    io = ActionIO()
    try:
        await action.main(call, io)
    except UserError as exc:
        apply(io, scope, index, outputs)
        return "failure", str(exc)
    apply(io, scope, index, outputs)
    post = post_step(action)
    if post is not None:
        scope.state.posts.append(
            PendingPost(
                name=display,
                condition=post.condition,
                run=_post_runner(post, call, dict(io.state), scope),
            )
        )
    return "success", ""


def _post_runner(
    post: PostStep, call: ActionCall, state: Mapping[str, str], scope: Scope
) -> HookRunner:
    """Run the built-in's post with what its main step saved, logged as step `index`."""

    async def run(index: int) -> tuple[Status, str]:
        io = ActionIO()
        now = replace(
            call,
            state=state,
            job_status=scope.status(),
            run=process_runner(scope, index, call.env),
        )
        outcome: Status = "success"
        message = ""
        try:
            await post.run(now, io)
        except UserError as exc:
            outcome, message = "failure", str(exc)
        apply(io, scope, index, {})
        return outcome, message

    return run
