"""Which contexts and special functions each key may use, and the known context shapes.

The table is GitHub's "Context availability" table (Contexts reference), keyed by the
path of the value in the file (`*` is any job id, step index or name). The longest
pattern that is a prefix of a value's path decides; a value no pattern covers takes no
expressions (GitHub shows it as written) and is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONTEXTS = frozenset(
    {
        "github",
        "env",
        "vars",
        "job",
        "jobs",
        "steps",
        "runner",
        "secrets",
        "strategy",
        "matrix",
        "needs",
        "inputs",
    }
)
STATUS_FUNCTIONS = frozenset({"always", "cancelled", "success", "failure"})
STEP_FUNCTIONS = frozenset({"hashfiles"})

GITHUB_PROPERTIES = frozenset(
    {
        "action", "action_path", "action_ref", "action_repository", "action_status", "actor",
        "actor_id", "api_url", "base_ref", "env", "event", "event_name", "event_path",
        "graphql_url", "head_ref", "job", "job_workflow_sha", "path", "ref", "ref_name",
        "ref_protected", "ref_type", "repository", "repository_id", "repository_owner",
        "repository_owner_id", "repositoryurl", "retention_days", "run_id", "run_number",
        "run_attempt", "secret_source", "server_url", "sha", "state", "step_summary", "token",
        "triggering_actor", "workflow", "workflow_ref", "workflow_sha", "workspace", "output",
    }
)  # fmt: skip
PROPERTIES: Mapping[str, frozenset[str]] = {
    "github": GITHUB_PROPERTIES,
    "runner": frozenset(
        {"name", "os", "arch", "temp", "tool_cache", "debug", "environment", "workspace"}
    ),
    "job": frozenset(
        {
            "container",
            "services",
            "status",
            "check_run_id",
            "workflow_ref",
            "workflow_sha",
            "workflow_repository",
            "workflow_file_path",
        }
    ),
    "strategy": frozenset({"fail-fast", "job-index", "job-total", "max-parallel"}),
}
RESULT_PROPERTIES: Mapping[str, frozenset[str]] = {
    "steps": frozenset({"outputs", "outcome", "conclusion"}),
    "needs": frozenset({"outputs", "result"}),
    "jobs": frozenset({"outputs", "result"}),
}


@dataclass(frozen=True, slots=True)
class Allowed:
    """What an expression at one key may use."""

    contexts: frozenset[str]
    functions: frozenset[str] = frozenset()
    is_condition: bool = False  # an `if:`, read as an expression without `${{ }}`


def _set(names: str) -> frozenset[str]:
    return frozenset(names.split())


_JOB = "github needs strategy matrix vars inputs"
_STEP = "github needs strategy matrix job runner env vars secrets steps inputs"
_STATUS_AND_HASH = STATUS_FUNCTIONS | STEP_FUNCTIONS

WORKFLOW_TABLE: Mapping[tuple[str, ...], Allowed] = {
    ("run-name",): Allowed(_set("github inputs vars")),
    ("concurrency",): Allowed(_set("github inputs vars")),
    ("env",): Allowed(_set("github secrets inputs vars")),
    ("jobs", "*", "concurrency"): Allowed(_set(_JOB)),
    ("jobs", "*", "container"): Allowed(_set(_JOB)),
    ("jobs", "*", "container", "credentials"): Allowed(_set(_JOB + " env secrets")),
    ("jobs", "*", "container", "env"): Allowed(_set(_JOB + " job runner env secrets")),
    ("jobs", "*", "continue-on-error"): Allowed(_set(_JOB)),
    ("jobs", "*", "defaults", "run"): Allowed(_set(_JOB + " env")),
    ("jobs", "*", "env"): Allowed(_set(_JOB + " secrets")),
    ("jobs", "*", "environment"): Allowed(_set(_JOB)),
    ("jobs", "*", "environment", "url"): Allowed(_set(_JOB + " job runner env steps")),
    ("jobs", "*", "if"): Allowed(
        _set("github needs vars inputs"), STATUS_FUNCTIONS, is_condition=True
    ),
    ("jobs", "*", "name"): Allowed(_set(_JOB)),
    ("jobs", "*", "outputs"): Allowed(_set(_STEP)),
    ("jobs", "*", "runs-on"): Allowed(_set(_JOB)),
    ("jobs", "*", "secrets"): Allowed(_set(_JOB + " secrets")),
    ("jobs", "*", "services"): Allowed(_set(_JOB)),
    ("jobs", "*", "services", "*", "credentials"): Allowed(_set(_JOB + " env secrets")),
    ("jobs", "*", "services", "*", "env"): Allowed(_set(_JOB + " job runner env secrets")),
    ("jobs", "*", "steps", "*"): Allowed(_set(_STEP), STEP_FUNCTIONS),
    ("jobs", "*", "steps", "*", "if"): Allowed(
        _set(_STEP) - {"secrets"}, _STATUS_AND_HASH, is_condition=True
    ),
    ("jobs", "*", "strategy"): Allowed(_set("github needs vars inputs")),
    ("jobs", "*", "timeout-minutes"): Allowed(_set(_JOB)),
    ("jobs", "*", "with"): Allowed(_set(_JOB)),
    ("on", "workflow_call", "inputs", "*", "default"): Allowed(_set("github inputs vars")),
    ("on", "workflow_call", "outputs", "*", "value"): Allowed(_set("github jobs vars inputs")),
}
WORKFLOW_UNCHECKED = frozenset({("jobs", "*", "steps", "*", "uses"), ("jobs", "*", "uses")})

_ACTION = _set("github inputs env steps runner job strategy matrix vars")
ACTION_TABLE: Mapping[tuple[str, ...], Allowed] = {
    ("inputs", "*", "default"): Allowed(_ACTION),
    ("outputs", "*", "value"): Allowed(_ACTION),
    ("runs", "steps", "*"): Allowed(_ACTION, STEP_FUNCTIONS),
    ("runs", "steps", "*", "if"): Allowed(_ACTION, _STATUS_AND_HASH, is_condition=True),
    ("runs", "pre-if"): Allowed(_ACTION, STATUS_FUNCTIONS, is_condition=True),
    ("runs", "post-if"): Allowed(_ACTION, STATUS_FUNCTIONS, is_condition=True),
    ("runs", "env"): Allowed(_ACTION),
    ("runs", "args"): Allowed(_ACTION),
    ("runs", "image"): Allowed(_ACTION),
}
ACTION_UNCHECKED = frozenset({("runs", "steps", "*", "uses")})


def allowed_at(path: tuple[str | int, ...], *, kind: str) -> Allowed | None:
    """What an expression at `path` may use, or None where expressions are not evaluated."""
    table, unchecked = (
        (WORKFLOW_TABLE, WORKFLOW_UNCHECKED)
        if kind == "workflow"
        else (ACTION_TABLE, ACTION_UNCHECKED)
    )
    best: tuple[str, ...] | None = None
    for pattern in (*table, *unchecked):
        if (
            len(pattern) <= len(path)
            and all(p in ("*", str(q)) for p, q in zip(pattern, path, strict=False))
            and (best is None or len(pattern) > len(best))
        ):
            best = pattern
    if best is None or best in unchecked:
        return None
    allowed = table[best]
    if allowed.is_condition and len(best) != len(path):
        return None
    return allowed
