"""The mutable state of one running job leg, kept apart from the model and the results.

Only the job runner and the step runner write here, from one asyncio task per leg. What
the rest of the world sees of it comes out as frozen `StepResult`/`JobResult` records.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from conveyor.executors import Executor
from conveyor.run.events import Listener
from conveyor.run.mask import Masker
from conveyor.run.results import Annotation
from conveyor.run.workspace import Workspace

JobStatus = Literal["success", "failure", "cancelled"]


@dataclass
class LegState:
    """What changes while a leg's steps run."""

    env: dict[str, str]  # workflow env ⊕ job env ⊕ what steps wrote to GITHUB_ENV
    status: JobStatus = "success"
    path: list[str] = field(default_factory=list)  # GITHUB_PATH, newest first
    annotations: list[Annotation] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    step_counter: int = 0  # numbers step files and log sections across composites
    posts: list[Any] = field(default_factory=list)  # post steps of actions (run.hooks.PendingPost)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionSettings:
    """What built-in actions may use: where state and caches live, what they may do."""

    state_dir: Path  # the repository's .conveyor/
    cache_dir: Path  # user-level shared caches
    run_id: int = 0
    allow_network: bool = False
    allow_publish: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LegContext:
    """What stays fixed while a leg runs."""

    workflow: str  # display name, for events
    job_name: str  # display name of the leg
    workspace: Workspace
    base_env: Mapping[str, str]  # host env ⊕ GITHUB_*/RUNNER_* defaults
    contexts: Mapping[
        str, Any
    ]  # github, runner, vars, secrets, matrix, strategy, needs, inputs, job
    executor: Executor
    listener: Listener
    masker: Masker
    cancel: asyncio.Event  # the leg is cancelled: steps without always()/cancelled() skip
    repo: Path
    # stop even the steps that run after a cancel: a second Ctrl-C, or the cancel timeout
    force: asyncio.Event = field(default_factory=asyncio.Event)
    default_shell: str | None = None
    default_working_directory: str | None = None
    actions: ActionSettings | None = None
