"""The workflow model: frozen records that `load` builds once from YAML.

Every shape GitHub accepts is normalised here (`on: push`, `on: [a, b]`, string or list
`needs`, `runs-on` as string, list or `{group, labels}`, …), so later stages see one form.
Values that GitHub evaluates at run time stay unevaluated templates (`Template`, a `str`
that may hold `${{ }}`); the planner and runner evaluate them. Run state never lives here.

`positions` on each record maps a key as written in YAML (`"runs-on"`, `"needs"`, `"if"`)
to where its value starts, so checks and run-time errors can point at the exact place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from conveyor.workflow.yaml import Position

Template: TypeAlias = str
"""A string that may contain `${{ }}` expressions, kept unevaluated."""

Raw: TypeAlias = "str | int | float | bool | tuple[Raw, ...] | Mapping[str, Raw] | None"
"""A plain YAML value after normalisation (sequences become tuples)."""

Positions: TypeAlias = Mapping[str, Position]

EMPTY: Mapping[str, str] = {}
NO_POSITIONS: Positions = {}


# ---------------------------------------------------------------- triggers ---


@dataclass(frozen=True, slots=True, kw_only=True)
class InputSpec:
    """One input of `workflow_dispatch` or `workflow_call` (or an action's input)."""

    name: str
    description: str = ""
    required: bool = False
    default: Raw = None
    type: Literal["string", "boolean", "number", "choice", "environment"] = "string"
    options: tuple[str, ...] = ()
    deprecation_message: str | None = None
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputSpec:
    """An output of a reusable workflow (`value` template) or an action."""

    name: str
    description: str = ""
    value: Template | None = None
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretSpec:
    """A secret declared by `on.workflow_call.secrets`."""

    name: str
    description: str = ""
    required: bool = False
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    """One event under `on:` with its filters. `None` means "filter not given"."""

    event: str
    branches: tuple[str, ...] | None = None
    branches_ignore: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    tags_ignore: tuple[str, ...] | None = None
    paths: tuple[str, ...] | None = None
    paths_ignore: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    workflows: tuple[str, ...] | None = None  # workflow_run
    crons: tuple[str, ...] = ()  # schedule
    inputs: Mapping[str, InputSpec] = field(default_factory=dict)  # dispatch / call
    outputs: Mapping[str, OutputSpec] = field(default_factory=dict)  # workflow_call
    secrets: Mapping[str, SecretSpec] = field(default_factory=dict)  # workflow_call
    pos: Position | None = None
    positions: Positions = field(default_factory=dict)


# ------------------------------------------------------------ shared parts ---


@dataclass(frozen=True, slots=True, kw_only=True)
class Permissions:
    """`permissions:` as `read-all` / `write-all` (`all`), or per scope (`scopes`)."""

    all: Literal["read-all", "write-all"] | None = None
    scopes: Mapping[str, Literal["read", "write", "none"]] = field(default_factory=dict)
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Concurrency:
    """`concurrency:` as a group string or `{group, cancel-in-progress}`."""

    group: Template
    cancel_in_progress: bool | Template = False
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Defaults:
    """`defaults.run`."""

    shell: Template | None = None
    working_directory: Template | None = None


# --------------------------------------------------------------------- steps ---


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of a job (or of a composite action).

    `id` is the id written in YAML or None; `index` is the 0-based place in the job.
    Exactly one of `uses` / `run` is set once validation has passed.
    """

    index: int
    id: str | None = None
    name: Template | None = None
    uses: str | None = None
    run: Template | None = None
    shell: Template | None = None
    with_: Mapping[str, Template] = field(default_factory=dict)
    env: Mapping[str, Template] = field(default_factory=dict)
    if_: Template | None = None
    continue_on_error: bool | Template = False
    timeout_minutes: float | Template | None = None
    working_directory: Template | None = None
    pos: Position | None = None
    positions: Positions = field(default_factory=dict)
    # `with: ${{ matrix.with }}` / `env: ${{ fromJSON(x) }}`: the whole mapping is one
    # template that yields an object at run time (`with_` / `env` are then empty).
    with_expression: Template | None = None
    env_expression: Template | None = None


# ---------------------------------------------------------------------- jobs ---


@dataclass(frozen=True, slots=True, kw_only=True)
class RunsOn:
    """`runs-on` as labels, `{group, labels}`, or one whole expression."""

    labels: tuple[Template, ...] = ()
    group: Template | None = None
    expression: Template | None = None  # `runs-on: ${{ matrix.os }}` (evaluated at plan time)


@dataclass(frozen=True, slots=True, kw_only=True)
class Environment:
    """`environment:` as a name or `{name, url}`."""

    name: Template
    url: Template | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Matrix:
    """`strategy.matrix`.

    `axes` keeps the written order of keys; each axis is a tuple of values or one template
    (`os: ${{ fromJSON(...) }}`). `include`/`exclude` are tuples of combos or one template.
    `expression` is set when the whole matrix is one template (`matrix: ${{ fromJSON(x) }}`).
    """

    axes: Mapping[str, tuple[Raw, ...] | Template] = field(default_factory=dict)
    include: tuple[Mapping[str, Raw], ...] | Template = ()
    exclude: tuple[Mapping[str, Raw], ...] | Template = ()
    expression: Template | None = None
    pos: Position | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Strategy:
    matrix: Matrix | None = None
    fail_fast: bool | Template = True
    max_parallel: int | Template | None = None
    expression: Template | None = None  # `strategy: ${{ fromJSON(x) }}` (the rest is default)


@dataclass(frozen=True, slots=True, kw_only=True)
class Container:
    """`container:` or one entry of `services:` (a string is `{image: …}`).

    `container: ${{ matrix.container }}` is kept as `image`; evaluated to an object, it is the
    mapping form.
    """

    image: Template
    credentials: Mapping[str, Template] = field(default_factory=dict)
    env: Mapping[str, Template] = field(default_factory=dict)
    ports: tuple[Template, ...] = ()
    volumes: tuple[Template, ...] = ()
    options: Template | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One job. A job calling a reusable workflow has `uses` and no `steps`."""

    id: str
    name: Template | None = None
    needs: tuple[str, ...] = ()
    runs_on: RunsOn | None = None
    environment: Environment | None = None
    outputs: Mapping[str, Template] = field(default_factory=dict)
    env: Mapping[str, Template] = field(default_factory=dict)
    defaults: Defaults | None = None
    if_: Template | None = None
    steps: tuple[Step, ...] = ()
    timeout_minutes: float | Template = 360
    strategy: Strategy | None = None
    continue_on_error: bool | Template = False
    container: Container | None = None
    services: Mapping[str, Container] = field(default_factory=dict)
    uses: str | None = None
    with_: Mapping[str, Raw] = field(default_factory=dict)
    secrets: Mapping[str, Template] | Literal["inherit"] = field(default_factory=dict)
    permissions: Permissions | None = None
    concurrency: Concurrency | None = None
    pos: Position | None = None
    positions: Positions = field(default_factory=dict)
    # One template for the whole mapping (`env: ${{ matrix.env }}`); `env`/`services` empty.
    env_expression: Template | None = None
    services_expression: Template | None = None


# ------------------------------------------------------------------ workflow ---


@dataclass(frozen=True, slots=True, kw_only=True)
class Workflow:
    """One workflow file. `triggers` and `jobs` keep the order written in the file."""

    path: Path
    name: str | None = None
    run_name: Template | None = None
    triggers: Mapping[str, Trigger] = field(default_factory=dict)
    env: Mapping[str, Template] = field(default_factory=dict)
    defaults: Defaults | None = None
    permissions: Permissions | None = None
    concurrency: Concurrency | None = None
    jobs: Mapping[str, Job] = field(default_factory=dict)
    pos: Position | None = None
    positions: Positions = field(default_factory=dict)
    env_expression: Template | None = None  # `env: ${{ fromJSON(vars.ENV) }}`; `env` empty

    @property
    def display_name(self) -> str:
        """GitHub shows the file path when a workflow has no `name`."""
        return self.name or self.path.as_posix()


# ------------------------------------------------------------------- actions ---


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRuns:
    """`runs:` of an action: composite (`steps`), node (`main`/`pre`/`post`) or docker."""

    using: str
    steps: tuple[Step, ...] = ()
    main: str | None = None
    pre: str | None = None
    post: str | None = None
    pre_if: Template | None = None
    post_if: Template | None = None
    image: str | None = None
    entrypoint: str | None = None
    pre_entrypoint: str | None = None
    post_entrypoint: str | None = None
    args: tuple[Template, ...] = ()
    env: Mapping[str, Template] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """An `action.yml` / `action.yaml`."""

    path: Path
    name: str
    description: str = ""
    author: str = ""
    inputs: Mapping[str, InputSpec] = field(default_factory=dict)
    outputs: Mapping[str, OutputSpec] = field(default_factory=dict)
    runs: ActionRuns
    pos: Position | None = None
    positions: Positions = field(default_factory=dict)
