"""Jobs: every key GitHub accepts on a job, in each of its shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conveyor.workflow.common import concurrency, defaults, permissions
from conveyor.workflow.model import Container, Environment, Job, RunsOn
from conveyor.workflow.nodes import (
    Entry,
    entries,
    fail,
    flag,
    is_scalar,
    is_whole_expression,
    kind,
    number,
    optional_template,
    positions_of,
    raw,
    string_list,
    string_map,
    template,
    whole_expression,
)
from conveyor.workflow.steps import steps
from conveyor.workflow.strategy import strategy
from conveyor.workflow.yaml import Position


def jobs(value: Any, pos: Position) -> dict[str, Job]:
    """`jobs:`, a mapping of job ids to jobs, in the order written."""
    if not isinstance(value, Mapping):
        fail(f"`jobs` must be a mapping of job ids to jobs, not {kind(value)}", pos)
    return {entry.key: job(entry) for entry in entries(value, pos, "`jobs`")}


def job(entry: Entry) -> Job:
    value = entry.value
    if not isinstance(value, Mapping):
        fail(
            f"job `{entry.key}` must be a mapping, not {kind(value)}",
            entry.pos,
            hint="give the job `runs-on` and `steps`, or `uses` for a reusable workflow",
        )
    fields: dict[str, Any] = {}
    for item in entries(value, entry.pos, f"job `{entry.key}`"):
        if item.value is not None:
            fields.update(job_field(item, f"`{item.key}` of job `{entry.key}`"))
    return Job(
        id=entry.key, pos=entry.key_pos, positions=positions_of(value, entry.pos.file), **fields
    )


def job_field(item: Entry, what: str) -> dict[str, Any]:
    """The record field(s) for one `key: value` of a job; unknown keys give nothing."""
    key, value, pos = item.key, item.value, item.pos
    if key in ("name", "if"):
        return {"if_" if key == "if" else key: template(value, pos, what)}
    if key == "needs":
        return {"needs": string_list(value, pos, what)}
    if key == "runs-on":
        return {"runs_on": runs_on(value, pos)}
    if key == "environment":
        return {"environment": environment(value, pos)}
    if key == "env" and whole_expression(value):
        return {"env_expression": value}
    if key in ("outputs", "env"):
        return {key: string_map(value, pos, what)}
    if key == "defaults":
        return {"defaults": defaults(value, pos)}
    if key == "steps":
        return {"steps": steps(value, pos)}
    if key == "timeout-minutes":
        return {"timeout_minutes": number(value, pos, what)}
    if key == "strategy":
        return {"strategy": strategy(value, pos)}
    if key == "continue-on-error":
        return {"continue_on_error": flag(value, pos, what)}
    if key == "container":
        return {"container": container(value, pos, "`container`")}
    if key == "services":
        if whole_expression(value):
            return {"services_expression": value}
        return {"services": services(value, pos)}
    if key == "uses":
        return {"uses": template(value, pos, what)}
    if key == "with":
        return {"with_": with_inputs(value, pos, what)}
    if key == "secrets":
        return {"secrets": job_secrets(value, pos, what)}
    if key == "permissions":
        return {"permissions": permissions(value, pos)}
    if key == "concurrency":
        return {"concurrency": concurrency(value, pos)}
    return {}


def runs_on(value: Any, pos: Position) -> RunsOn:
    """Labels (string or list), `{group, labels}`, or one whole `${{ }}` expression."""
    if isinstance(value, str) and is_whole_expression(value):
        return RunsOn(expression=str(value))
    if not isinstance(value, Mapping):
        return RunsOn(labels=string_list(value, pos, "`runs-on`"))
    group: str | None = None
    labels: tuple[str, ...] = ()
    for entry in entries(value, pos, "`runs-on`"):
        if entry.key == "group":
            group = optional_template(entry.value, entry.pos, "`runs-on.group`")
        elif entry.key == "labels" and entry.value is not None:
            labels = string_list(entry.value, entry.pos, "`runs-on.labels`")
    return RunsOn(labels=labels, group=group)


def environment(value: Any, pos: Position) -> Environment:
    """A name, or `{name, url}`."""
    if is_scalar(value):
        return Environment(name=template(value, pos, "`environment`"))
    name: str | None = None
    url: str | None = None
    for entry in entries(value, pos, "`environment`"):
        if entry.key == "name":
            name = optional_template(entry.value, entry.pos, "`environment.name`")
        elif entry.key == "url":
            url = optional_template(entry.value, entry.pos, "`environment.url`")
    if name is None:
        fail(
            "`environment` needs a `name`", pos, hint="write `environment: {name: NAME, url: URL}`"
        )
    return Environment(name=name, url=url)


def container(value: Any, pos: Position, what: str) -> Container:
    """An image name, or `{image, credentials, env, ports, volumes, options}`."""
    if is_scalar(value):
        return Container(image=template(value, pos, what))
    fields: dict[str, Any] = {}
    for entry in entries(value, pos, what):
        label = f"`{entry.key}` of {what}"
        if entry.value is None:
            continue
        if entry.key in ("image", "options"):
            fields[entry.key] = template(entry.value, entry.pos, label)
        elif entry.key in ("credentials", "env"):
            fields[entry.key] = string_map(entry.value, entry.pos, label)
        elif entry.key in ("ports", "volumes"):
            fields[entry.key] = string_list(entry.value, entry.pos, label)
    if "image" not in fields:
        fail(f"{what} needs an `image`", pos, hint="write `image: NAME[:TAG]`")
    return Container(**fields)


def services(value: Any, pos: Position) -> dict[str, Container]:
    return {
        entry.key: container(entry.value, entry.pos, f"service `{entry.key}`")
        for entry in entries(value, pos, "`services`")
    }


def with_inputs(value: Any, pos: Position, what: str) -> dict[str, Any]:
    """Inputs of a reusable workflow keep their YAML types (`true`, `3`, strings)."""
    found = raw(value, pos)
    if not isinstance(found, Mapping):
        fail(f"{what} must be a mapping, not {kind(value)}", pos)
    return dict(found)


def job_secrets(value: Any, pos: Position, what: str) -> dict[str, str] | str:
    """`secrets: inherit`, or a mapping of secret names to values."""
    if isinstance(value, str):
        if value == "inherit":
            return "inherit"
        fail(f"{what} must be `inherit` or a mapping, not {value!r}", pos)
    return string_map(value, pos, what)
