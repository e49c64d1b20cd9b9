"""The keys of a workflow file and of an action file, as GitHub documents them.

Each table mirrors a section of GitHub's "Workflow syntax" and "Metadata syntax" pages.
Free-form places (`env`, `with`, matrix axes and include/exclude entries) take any key.
"""

from __future__ import annotations

from conveyor.workflow.checks.schema import (
    ANY,
    BOOL_,
    NULL,
    NUM,
    SCALAR,
    STR,
    STR_OR_LIST,
    STRING,
    Map,
    OneOf,
    Scalar,
    Seq,
    Spec,
    str_map,
)

ACCESS = Scalar(frozenset(), choices=("read", "write", "none"), rule="permissions")
PERMISSION_SCOPES = (
    "actions",
    "artifact-metadata",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)
PERMISSIONS = OneOf(
    (
        Scalar(frozenset(), choices=("read-all", "write-all"), rule="permissions"),
        Map("permission scope", dict.fromkeys(PERMISSION_SCOPES, ACCESS), rule="permissions"),
    ),
    rule="permissions",
)
CONCURRENCY = OneOf(
    (
        STR,
        Map("concurrency key", {"group": STR, "cancel-in-progress": BOOL_}, required=("group",)),
    )
)
DEFAULTS = Map(
    "defaults key",
    {"run": Map("defaults.run key", {"shell": STR, "working-directory": STR})},
)
EMPTY = Scalar(frozenset({NULL}))

# ------------------------------------------------------------------- triggers ---

FILTER = OneOf((Scalar(frozenset({STRING, NULL})), Seq(STR)))
_BRANCH_FILTERS: dict[str, Spec] = {"branches": FILTER, "branches-ignore": FILTER}
_TAG_FILTERS: dict[str, Spec] = {"tags": FILTER, "tags-ignore": FILTER}
_PATH_FILTERS: dict[str, Spec] = {"paths": FILTER, "paths-ignore": FILTER}
_TYPES: dict[str, Spec] = {"types": FILTER}

_INPUT_KEYS: dict[str, Spec] = {
    "description": STR,
    "required": BOOL_,
    "default": SCALAR,
    "type": STR,
    "deprecationMessage": STR,
}
DISPATCH_INPUT = Map("input key", {**_INPUT_KEYS, "options": Seq(STR)})
CALL_INPUT = Map("input key", _INPUT_KEYS, required=("type",))
CALL_OUTPUT = Map("output key", {"description": STR, "value": STR}, required=("value",))
CALL_SECRET = OneOf((EMPTY, Map("secret key", {"description": STR, "required": BOOL_})))


def _event(what: str, keys: dict[str, Spec]) -> Spec:
    return OneOf((EMPTY, Map(what, keys)))


_TYPED_EVENTS = (
    "branch_protection_rule",
    "check_run",
    "check_suite",
    "discussion",
    "discussion_comment",
    "issue_comment",
    "issues",
    "label",
    "merge_group",
    "milestone",
    "project",
    "project_card",
    "project_column",
    "pull_request_review",
    "pull_request_review_comment",
    "registry_package",
    "release",
    "repository_dispatch",
    "watch",
    "image_version",
)
_PLAIN_EVENTS = (
    "create",
    "delete",
    "deployment",
    "deployment_status",
    "fork",
    "gollum",
    "page_build",
    "public",
    "status",
)

EVENTS: dict[str, Spec] = {
    **{name: _event("filter", _TYPES) for name in _TYPED_EVENTS},
    **{name: _event("filter", {}) for name in _PLAIN_EVENTS},
    "push": _event("filter", {**_BRANCH_FILTERS, **_TAG_FILTERS, **_PATH_FILTERS}),
    "pull_request": _event("filter", {**_TYPES, **_BRANCH_FILTERS, **_PATH_FILTERS}),
    "pull_request_target": _event("filter", {**_TYPES, **_BRANCH_FILTERS, **_PATH_FILTERS}),
    "workflow_run": _event("filter", {**_TYPES, **_BRANCH_FILTERS, "workflows": STR_OR_LIST}),
    "schedule": Seq(Map("schedule key", {"cron": STR, "timezone": STR}, required=("cron",))),
    "workflow_dispatch": _event("filter", {"inputs": Map("inputs", values=DISPATCH_INPUT)}),
    "workflow_call": _event(
        "event",
        {
            "inputs": Map("inputs", values=CALL_INPUT),
            "outputs": Map("outputs", values=CALL_OUTPUT),
            "secrets": Map("secrets", values=CALL_SECRET),
        },
    ),
}
ON = OneOf(
    (
        Scalar(frozenset(), choices=tuple(EVENTS)),
        Seq(Scalar(frozenset(), choices=tuple(EVENTS))),
        Map("event", EVENTS),
    )
)

# ----------------------------------------------------------------------- jobs ---

CONTAINER_MAP = Map(
    "container key",
    {
        "image": STR,
        "credentials": Map("credentials key", {"username": STR, "password": STR}),
        "env": str_map("env"),
        "ports": Seq(SCALAR),
        "volumes": Seq(STR),
        "options": STR,
    },
    required=("image",),
)
CONTAINER = OneOf((STR, CONTAINER_MAP))

STEP_KEYS: dict[str, Spec] = {
    "id": STR,
    "if": SCALAR,
    "name": STR,
    "uses": STR,
    "run": STR,
    "working-directory": STR,
    "shell": STR,
    "with": str_map("with"),
    "env": str_map("env"),
    "continue-on-error": BOOL_,
    "timeout-minutes": NUM,
}
STEP = Map("step key", STEP_KEYS)

MATRIX = Map(
    "matrix key",
    {
        "include": Seq(Map("include entry", values=ANY)),
        "exclude": Seq(Map("exclude entry", values=ANY)),
    },
    values=Seq(ANY),
)
STRATEGY = Map("strategy key", {"matrix": MATRIX, "fail-fast": BOOL_, "max-parallel": NUM})

RUNS_ON = OneOf((STR, Seq(STR), Map("runs-on key", {"group": STR, "labels": STR_OR_LIST})))

JOB = Map(
    "job key",
    {
        "name": STR,
        "permissions": PERMISSIONS,
        "needs": STR_OR_LIST,
        "if": SCALAR,
        "runs-on": RUNS_ON,
        "snapshot": ANY,
        "environment": OneOf(
            (STR, Map("environment key", {"name": STR, "url": STR, "deployment": BOOL_}))
        ),
        "concurrency": CONCURRENCY,
        "outputs": str_map("outputs"),
        "env": str_map("env"),
        "defaults": DEFAULTS,
        "steps": Seq(STEP),
        "timeout-minutes": NUM,
        "strategy": STRATEGY,
        "continue-on-error": BOOL_,
        "container": CONTAINER,
        "services": Map("services", values=CONTAINER),
        "uses": STR,
        "with": str_map("with"),
        "secrets": OneOf((Scalar(frozenset(), choices=("inherit",)), str_map("secrets"))),
    },
)
CALLER_JOB_KEYS = frozenset(
    {"name", "uses", "with", "secrets", "strategy", "needs", "if", "concurrency", "permissions"}
)

WORKFLOW = Map(
    "workflow key",
    {
        "name": STR,
        "run-name": STR,
        "on": ON,
        "permissions": PERMISSIONS,
        "env": str_map("env"),
        "defaults": DEFAULTS,
        "concurrency": CONCURRENCY,
        "jobs": Map("jobs", values=JOB),
    },
    required=("on", "jobs"),
)

# -------------------------------------------------------------------- actions ---

# action.yml files in the wild write `required: 'true'`, and GitHub accepts it
ACTION_REQUIRED = OneOf((BOOL_, Scalar(frozenset(), choices=("true", "false"))))
ACTION_STEP = Map("step key", STEP_KEYS)
ACTION = Map(
    "action key",
    {
        "name": STR,
        "author": STR,
        "description": STR,
        "inputs": Map(
            "inputs",
            values=OneOf(
                (
                    EMPTY,
                    Map(
                        "input key",
                        {
                            "description": STR,
                            "required": ACTION_REQUIRED,
                            "default": SCALAR,
                            "deprecationMessage": STR,
                        },
                    ),
                )
            ),
        ),
        "outputs": Map(
            "outputs", values=OneOf((EMPTY, Map("output key", {"description": STR, "value": STR})))
        ),
        "runs": Map(
            "runs key",
            {
                "using": STR,
                "main": STR,
                "pre": STR,
                "post": STR,
                "pre-if": STR,
                "post-if": STR,
                "steps": Seq(ACTION_STEP),
                "image": STR,
                "entrypoint": STR,
                "pre-entrypoint": STR,
                "post-entrypoint": STR,
                "args": Seq(SCALAR),
                "env": str_map("env"),
            },
            required=("using",),
        ),
        "branding": Map("branding key", {"icon": STR, "color": STR}),
    },
    required=("runs",),
)
