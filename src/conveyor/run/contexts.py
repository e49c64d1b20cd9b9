"""The contexts a job's expressions see, and the default environment of its steps.

GitHub documents each context (`github`, `env`, `vars`, `job`, `steps`, `runner`,
`secrets`, `strategy`, `matrix`, `needs`, `inputs`) and the default `GITHUB_*` and
`RUNNER_*` variables; this module builds them from the event, the run and the job's
workspace. It holds no state: the job runner rebuilds what changes (env, steps, job
status) as steps finish.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conveyor.events.model import Event
from conveyor.run.workspace import Workspace

SERVER_URL = "https://github.com"
API_URL = "https://api.github.com"
GRAPHQL_URL = "https://api.github.com/graphql"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    """What the store assigned to this run, and where it runs."""

    run_id: int  # the store's id of this attempt
    run_number: int
    run_attempt: int = 1
    first_attempt: int | None = None  # the run id of attempt 1: `github.run_id` keeps it
    repo: Path
    event_path: Path  # GITHUB_EVENT_PATH: the payload, written once per run
    retention_days: int = 90
    debug: bool = False


def runner_os() -> str:
    return {"Linux": "Linux", "Darwin": "macOS", "Windows": "Windows"}.get(
        platform.system(), platform.system()
    )


def runner_arch() -> str:
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        return "X64"
    if machine in ("aarch64", "arm64"):
        return "ARM64"
    if machine in ("armv7l", "arm"):
        return "ARM"
    return "X86" if machine in ("i386", "i686", "x86") else machine.upper()


def runner_context(ws: Workspace, info: RunInfo) -> dict[str, Any]:
    return {
        "name": f"conveyor-{platform.node() or 'host'}",
        "os": runner_os(),
        "arch": runner_arch(),
        "temp": str(ws.temp),
        "tool_cache": str(ws.tool_cache),
        "debug": "1" if info.debug else "",
        "environment": "self-hosted",
        "workspace": str(ws.workspace.parent),
    }


def github_context(
    event: Event,
    info: RunInfo,
    ws: Workspace | None,
    *,
    workflow_name: str,
    workflow_file: str,
    job_id: str,
    token: str,
) -> dict[str, Any]:
    repository = event.repository
    workflow_ref = f"{repository}/{workflow_file}@{event.ref}" if event.ref else workflow_file
    return {
        "action": "",
        "action_path": "",
        "action_ref": "",
        "action_repository": "",
        "action_status": "",
        "actor": event.actor,
        "actor_id": "",
        "api_url": API_URL,
        "base_ref": event.base_ref,
        "env": "",
        "event": dict(event.payload),
        "event_name": event.name,
        "event_path": str(info.event_path),
        "graphql_url": GRAPHQL_URL,
        "head_ref": event.head_ref,
        "job": job_id,
        "path": "",
        "ref": event.ref,
        "ref_name": event.ref_name,
        "ref_protected": False,
        "ref_type": event.ref_type,
        "repository": repository,
        "repository_id": "",
        "repository_owner": event.repository_owner,
        "repository_owner_id": "",
        "repositoryUrl": f"git://github.com/{repository}.git",
        "retention_days": str(info.retention_days),
        "run_id": str(info.first_attempt or info.run_id),
        "run_number": str(info.run_number),
        "run_attempt": str(info.run_attempt),
        "secret_source": "None",
        "server_url": SERVER_URL,
        "sha": event.sha,
        "token": token,
        "triggering_actor": event.actor,
        "workflow": workflow_name,
        "workflow_ref": workflow_ref,
        "workflow_sha": event.sha,
        "workspace": str(ws.workspace) if ws else "",
    }


def default_env(github: Mapping[str, Any], runner: Mapping[str, Any]) -> dict[str, str]:
    """The `GITHUB_*`/`RUNNER_*` variables every step gets (files are set per step)."""
    env = {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTOR": github["actor"],
        "GITHUB_API_URL": github["api_url"],
        "GITHUB_BASE_REF": github["base_ref"],
        "GITHUB_EVENT_NAME": github["event_name"],
        "GITHUB_EVENT_PATH": github["event_path"],
        "GITHUB_GRAPHQL_URL": github["graphql_url"],
        "GITHUB_HEAD_REF": github["head_ref"],
        "GITHUB_JOB": github["job"],
        "GITHUB_REF": github["ref"],
        "GITHUB_REF_NAME": github["ref_name"],
        "GITHUB_REF_PROTECTED": "false",
        "GITHUB_REF_TYPE": github["ref_type"],
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_REPOSITORY_OWNER": github["repository_owner"],
        "GITHUB_RETENTION_DAYS": github["retention_days"],
        "GITHUB_RUN_ATTEMPT": github["run_attempt"],
        "GITHUB_RUN_ID": github["run_id"],
        "GITHUB_RUN_NUMBER": github["run_number"],
        "GITHUB_SERVER_URL": github["server_url"],
        "GITHUB_SHA": github["sha"],
        "GITHUB_TRIGGERING_ACTOR": github["triggering_actor"],
        "GITHUB_WORKFLOW": github["workflow"],
        "GITHUB_WORKFLOW_REF": github["workflow_ref"],
        "GITHUB_WORKFLOW_SHA": github["workflow_sha"],
        "GITHUB_WORKSPACE": github["workspace"],
        "RUNNER_ARCH": runner["arch"],
        "RUNNER_ENVIRONMENT": runner["environment"],
        "RUNNER_NAME": runner["name"],
        "RUNNER_OS": runner["os"],
        "RUNNER_TEMP": runner["temp"],
        "RUNNER_TOOL_CACHE": runner["tool_cache"],
    }
    if runner["debug"]:
        env["RUNNER_DEBUG"] = "1"
    return env


def host_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The host's own environment, as a self-hosted runner passes it to steps.

    Variables that would make steps believe they run inside another CI, or leak the
    caller's GitHub settings into the run, are left out; the run sets its own.
    """
    environ = os.environ if environ is None else environ
    return {
        key: value
        for key, value in environ.items()
        if not key.startswith(("GITHUB_", "RUNNER_", "INPUT_", "STATE_", "ACTIONS_"))
        and key not in ("CI",)
    }
