"""Pre and post steps: what actions run before a job's steps and after them.

An action's `pre` runs at the start of the job, before any step, when its `pre-if` holds;
its `post` runs after the job's steps, in reverse order of the main steps that registered
them, when its `post-if` holds (GitHub's default for both is `always()`), evaluated with
the job's status at that moment. Built-in actions (`conveyor.run.builtin`) and node actions
(`conveyor.run.node`) register their post steps here as `PendingPost`s.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conveyor.run.results import Status, StepResult

if TYPE_CHECKING:
    from conveyor.run.step import Scope

HookRunner = Callable[[int], Awaitable[tuple[Status, str]]]
"""The step's index in the job's record → its outcome and, on failure, why."""

DEFAULT_CONDITION = "always()"  # GitHub's default `pre-if` and `post-if`


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingPost:
    """A post step registered by an action whose main step ran."""

    name: str  # the main step's display name
    condition: str  # `post-if`
    run: HookRunner


async def run_hook(
    scope: Scope, *, index: int, step_id: str, name: str, condition: str, run: HookRunner
) -> StepResult | None:
    """Run one pre or post step when `condition` holds; its result, or None if it did not run."""
    from conveyor.errors import ExpressionError
    from conveyor.expr import evaluate_if
    from conveyor.run.events import StepFinished, StepStarted

    ctx = scope.ctx
    started = time.monotonic()
    try:
        run_it = evaluate_if(condition, scope.contexts(scope.state.env), env=scope.eval_env())
    except ExpressionError as exc:
        scope.say(index, f"{name}: {exc}")
        run_it = False
    if not run_it:
        return None
    ctx.listener(StepStarted(workflow=ctx.workflow, job=ctx.job_name, index=index, name=name))
    outcome, message = await run(index)
    result = StepResult(
        index=index,
        id=step_id,
        name=name,
        outcome=outcome,
        conclusion=outcome,
        duration=time.monotonic() - started,
        message=ctx.masker.mask(message),
    )
    if outcome == "failure" and scope.state.status == "success":
        scope.state.status = "failure"
    ctx.listener(StepFinished(workflow=ctx.workflow, job=ctx.job_name, result=result))
    return result


async def run_posts(scope: Scope, first_index: int) -> list[StepResult]:
    """Run registered post steps in reverse order; their step results, in that order."""
    results = []
    for offset, pending in enumerate(reversed(scope.state.posts)):
        result = await run_hook(
            scope,
            index=first_index + offset,
            step_id=f"__post{offset}",
            name=f"Post {pending.name}",
            condition=pending.condition,
            run=pending.run,
        )
        if result is not None:
            results.append(result)
    scope.state.posts.clear()
    return results
