"""setup-python's `cache: pip | pipenv | poetry`, over conveyor's cache store.

The key is setup-python's: `setup-python-<OS>-<arch>-python-<version>-<manager>-<hash of
the dependency files>` (pip also restores the newest entry for the same Python without the
hash). Unlike a hosted runner, the cached directory is not the user's own `~/.cache/pip`:
each manager gets a directory under conveyor's cache dir, and the step points the
manager at it (`PIP_CACHE_DIR`, `WORKON_HOME`, `POETRY_CACHE_DIR`), so restoring never
writes into the user's home.
"""

from __future__ import annotations

import asyncio
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.cache import save_scope, scopes, store_for
from conveyor.actions.inputs import lines
from conveyor.cache import cache_version, post_save_decision
from conveyor.expr.hashfiles import HashFilesError, hash_files

DEFAULT_PATTERNS: Final = {
    "pip": "**/requirements.txt",
    "pipenv": "**/Pipfile.lock",
    "poetry": "**/poetry.lock",
}
STATE_KEY: Final = "CACHE_KEY"
STATE_MATCHED: Final = "CACHE_RESULT"
STATE_PATHS: Final = "CACHE_PATHS"
_OS: Final = {"linux": "Linux", "darwin": "macOS", "win32": "Windows"}
_ARCH: Final = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagerCache:
    """The directories one package manager caches and the variables that point it there."""

    paths: tuple[Path, ...]
    env: tuple[tuple[str, str], ...]


def runner_arch() -> str:
    machine = platform.machine().lower()
    return _ARCH.get(machine, machine)


def manager_cache(manager: str, root: Path) -> ManagerCache:
    base = root / "setup-python" / manager
    if manager == "pip":
        return ManagerCache(paths=(base,), env=(("PIP_CACHE_DIR", str(base)),))
    if manager == "pipenv":
        venvs, pip = base / "virtualenvs", base / "pip"
        return ManagerCache(
            paths=(venvs, pip), env=(("WORKON_HOME", str(venvs)), ("PIP_CACHE_DIR", str(pip)))
        )
    return ManagerCache(paths=(base,), env=(("POETRY_CACHE_DIR", str(base)),))


def _manager(call: ActionCall) -> str:
    manager = call.input("cache").strip()
    if manager not in DEFAULT_PATTERNS:
        raise ActionFailed(
            f"Caching for '{manager}' is not supported",
            hint="use `cache: pip`, `cache: pipenv` or `cache: poetry`",
        )
    return manager


def _dependency_hash(call: ActionCall, manager: str) -> str:
    patterns = lines(call.input("cache-dependency-path")) or [DEFAULT_PATTERNS[manager]]
    try:
        digest = hash_files(call.workspace, patterns)
    except HashFilesError as exc:
        raise ActionFailed(f"cannot hash the dependency files: {exc}") from None
    if not digest:
        raise ActionFailed(
            f"No file in {call.workspace} matched to [{', '.join(patterns)}], make sure you have "
            "checked out the target repository",
            hint="check `cache-dependency-path`, or add a checkout step before setup-python",
        )
    return digest


async def restore_dependencies(call: ActionCall, io: ActionIO, python_version: str) -> None:
    """Restore the manager's cache; set `cache-hit`, the variables and the post step's state."""
    manager = _manager(call)
    cached = manager_cache(manager, call.cache_dir)
    os_name = _OS.get(sys.platform, "Linux")
    prefix = f"setup-python-{os_name}-{runner_arch()}-python-{python_version}-{manager}"
    key = f"{prefix}-{_dependency_hash(call, manager)}"
    paths = [str(p) for p in cached.paths]
    found = await asyncio.to_thread(
        store_for(call).restore,
        key,
        [prefix] if manager == "pip" else [],
        scopes=scopes(call),
        version=cache_version(paths),
        workspace=call.workspace,
    )
    io.warnings.extend(found.warnings)
    io.env.update(cached.env)
    io.state.update({STATE_KEY: key, STATE_PATHS: "\n".join(paths)})
    if found.matched_key:
        io.state[STATE_MATCHED] = found.matched_key
        io.log(f"Cache restored from key: {found.matched_key}")
    else:
        io.log(f"{manager} cache is not found")
    io.outputs["cache-hit"] = found.cache_hit


async def save_dependencies(call: ActionCall, io: ActionIO) -> None:
    """The post step: save unless the job failed or the primary key was hit."""
    key = call.state.get(STATE_KEY, "")
    if not key:
        return
    decision = post_save_decision(
        job_status=call.job_status, primary_key=key, matched_key=call.state.get(STATE_MATCHED)
    )
    if not decision.save:
        io.log(decision.reason)
        return
    paths = call.state.get(STATE_PATHS, "").splitlines()
    result = await asyncio.to_thread(
        store_for(call).save, key, paths, workspace=call.workspace, scope=save_scope(call)
    )
    if result.saved:
        io.log(f"Cache saved with the key: {key}")
    elif result.message:
        io.warnings.append(result.message)
