"""The seam for actions conveyor runs natively, in Python, instead of their JavaScript.

A built-in action is a small object with `main` (and, when the real action has one, a
`post` that runs at the end of the job, in reverse order, as GitHub runs post steps).
The runner (`conveyor.run.uses`) looks the action up by `owner/name` in the explicit
`BUILTINS` table (`conveyor.actions.registry`), whatever version tag or SHA follows `@`,
evaluates the step's `with:` into `ActionCall.inputs` (the action's defaults from its
real `action.yml` are the built-in's job), and hands it an `ActionIO` to write into.

    class Cache:
        post_if = "success()"
        async def main(self, call: ActionCall, io: ActionIO) -> None: ...
        async def post(self, call: ActionCall, io: ActionIO) -> None: ...

A built-in raises `ActionFailed` (or any `UserError`) to fail its step with a message
that says what to do; it never prints a traceback. Processes it needs (git, uv, pip,
node) run through `call.run`, which goes through the job's executor, so they are
streamed, masked, killed on cancel and time out like any step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from conveyor.errors import UserError


class ActionFailed(UserError):
    """The action ran and failed (a cache miss with `fail-on-cache-miss`, a missing Python)."""


RunProcess = Callable[[Sequence[str], Path, Mapping[str, str]], Awaitable[int]]
"""argv, cwd, extra env → exit code; output goes to the step's log."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionCall:
    """One use of a built-in action by one step."""

    uses: str  # as written: `actions/cache@v4`
    name: str  # `actions/cache` (lower case, no ref)
    ref: str  # `v4`, a SHA, or "" when none was given
    inputs: Mapping[str, str]  # the step's `with:`, evaluated; keys as written
    workspace: Path  # github.workspace
    temp: Path  # runner.temp
    tool_cache: Path  # runner.tool_cache
    state_dir: Path  # the repository's .conveyor/ (artifacts, run history)
    cache_dir: Path  # user-level shared caches (dependency caches, interpreters)
    env: Mapping[str, str]  # the step's whole environment
    github: Mapping[str, Any]  # the github context
    run_id: int
    job_status: str  # "success" | "failure" | "cancelled", for post steps
    state: Mapping[str, str] = field(default_factory=dict)  # what main saved, in post
    run: RunProcess | None = None
    allow_network: bool = False
    allow_publish: bool = False
    repo: Path | None = None  # the user's repository (checkout's source), when known

    def input(self, name: str, default: str = "") -> str:
        """An input by name, case-insensitively, as GitHub matches `with:` keys."""
        wanted = name.lower()
        for key, value in self.inputs.items():
            if key.lower() == wanted:
                return value
        return default

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean input read as @actions/core's getBooleanInput reads it."""
        value = self.input(name, "")
        if value == "":
            return default
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        raise ActionFailed(
            f"input `{name}` of {self.uses} must be true or false, got {value!r}",
            hint="use `true` or `false`",
        )


@dataclass
class ActionIO:
    """What a built-in action leaves behind; the runner applies it after the step."""

    outputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # like GITHUB_ENV
    path: list[str] = field(default_factory=list)  # like GITHUB_PATH, first wins
    state: dict[str, str] = field(default_factory=dict)  # like GITHUB_STATE, for post
    secrets: list[str] = field(default_factory=list)  # values to mask
    lines: list[str] = field(default_factory=list)  # log lines, in order
    warnings: list[str] = field(default_factory=list)  # `::warning::` annotations
    notices: list[str] = field(default_factory=list)
    debug: list[str] = field(default_factory=list)  # `::debug::` lines (accepted, ignored inputs)
    summary: str = ""

    def log(self, line: str) -> None:
        self.lines.append(line)


class BuiltinAction(Protocol):
    """An action conveyor runs natively. `post` and `post_if` only when it has a post step.

    `post_if` is the real action's `runs.post-if` (GitHub's default is `always()`); the
    runner reads both with `conveyor.actions.registry.post_step`.
    """

    async def main(self, call: ActionCall, io: ActionIO) -> None: ...


PostFunction = Callable[[ActionCall, ActionIO], Awaitable[None]]
