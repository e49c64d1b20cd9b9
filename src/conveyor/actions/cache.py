"""`actions/cache`, `actions/cache/restore` and `actions/cache/save` over `CacheStore`.

Restore looks in the event's branch, then the pull request's base branch, then the
default branch (GitHub's scoping; `conveyor.cache.lookup` keeps the order). The post
step of `actions/cache` runs only when the job succeeded (`post_if`) and saves into the
event's branch unless the primary key was hit exactly (`post_save_decision`).
"""

from __future__ import annotations

import asyncio
from typing import Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import lines, note_ignored, warn_unexpected
from conveyor.cache import CacheStore, SaveResult, cache_version, post_save_decision
from conveyor.errors import CheckFailed

RESTORE_INPUTS: Final = (
    "key", "path", "restore-keys", "enableCrossOsArchive", "fail-on-cache-miss", "lookup-only",
)  # fmt: skip
SAVE_INPUTS: Final = ("key", "path", "upload-chunk-size", "enableCrossOsArchive")
CACHE_INPUTS: Final = (*RESTORE_INPUTS, "upload-chunk-size", "save-always")
IGNORED: Final = ("enableCrossOsArchive", "upload-chunk-size")
STATE_KEY: Final = "CACHE_KEY"
STATE_MATCHED: Final = "CACHE_RESULT"


def store_for(call: ActionCall) -> CacheStore:
    """The user-level cache store (`$CONVEYOR_CACHE_DIR/caches` when the runner passes it)."""
    return CacheStore(call.cache_dir / "caches")


def _branch_ref(name: str) -> str:
    return name if name.startswith("refs/") else f"refs/heads/{name}"


def scopes(call: ActionCall) -> list[str]:
    """Where a restore looks, in order: the event's ref, the base branch, the default branch."""
    found: list[str] = []
    event = call.github.get("event") or {}
    repository = event.get("repository") if isinstance(event, dict) else None
    default = repository.get("default_branch", "") if isinstance(repository, dict) else ""
    for name in (call.github.get("ref"), call.github.get("base_ref"), default):
        if name and _branch_ref(str(name)) not in found:
            found.append(_branch_ref(str(name)))
    return found


def save_scope(call: ActionCall) -> str:
    return str(call.github.get("ref") or "refs/heads/main")


def _required(call: ActionCall, name: str) -> str:
    value = call.input(name).strip()
    if not value:
        raise ActionFailed(
            f"Input required and not supplied: {name}", hint=f"set `{name}:` in the step's `with:`"
        )
    return value


def _paths(call: ActionCall) -> list[str]:
    return [_required(call, "path")]


async def restore(call: ActionCall, io: ActionIO) -> None:
    """Restore and set the outputs; remember the keys for a post step."""
    key = _required(call, "key")
    paths = _paths(call)
    restore_keys = lines(call.input("restore-keys"))
    try:
        found = await asyncio.to_thread(
            store_for(call).restore,
            key,
            restore_keys,
            scopes=scopes(call),
            version=cache_version(paths),
            workspace=call.workspace,
            lookup_only=call.flag("lookup-only"),
            fail_on_cache_miss=call.flag("fail-on-cache-miss"),
        )
    except CheckFailed as exc:
        raise ActionFailed(
            str(exc), hint="save the cache in an earlier run, or drop `fail-on-cache-miss`"
        ) from None
    io.warnings.extend(found.warnings)
    io.state[STATE_KEY] = key
    io.outputs["cache-primary-key"] = key
    io.outputs["cache-hit"] = found.cache_hit
    if found.matched_key is None:
        io.log(f"Cache not found for input keys: {', '.join([key, *restore_keys])}")
        io.outputs["cache-matched-key"] = ""
        return
    io.state[STATE_MATCHED] = found.matched_key
    io.outputs["cache-matched-key"] = found.matched_key
    if call.flag("lookup-only"):
        io.log(f"Cache found and can be restored from key: {found.matched_key}")
    else:
        io.log(f"Cache restored from key: {found.matched_key} ({found.files} files)")


async def save(call: ActionCall, io: ActionIO, key: str) -> SaveResult:
    """Save `path` under `key` in the event's branch; a refusal is a warning, as on GitHub."""
    result = await asyncio.to_thread(
        store_for(call).save, key, _paths(call), workspace=call.workspace, scope=save_scope(call)
    )
    if result.saved:
        io.log(f"Cache saved with key: {key}")
    elif result.message:
        io.warnings.append(result.message)
    return result


class Cache:
    """`actions/cache`: restore in main, save in the post step after a successful job."""

    post_if = "success()"

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, CACHE_INPUTS)
        note_ignored(call, io, IGNORED, "caches are local to this machine")
        if call.input("save-always").strip():
            io.warnings.append(
                "save-always is deprecated by actions/cache and ignored here; "
                "use actions/cache/save with `if: always()`"
            )
        await restore(call, io)

    async def post(self, call: ActionCall, io: ActionIO) -> None:
        key = call.state.get(STATE_KEY, "")
        if not key:
            io.log("Cache key was not set in the main step; not saving cache.")
            return
        decision = post_save_decision(
            job_status=call.job_status, primary_key=key, matched_key=call.state.get(STATE_MATCHED)
        )
        if not decision.save:
            io.log(decision.reason)
            return
        await save(call, io, key)


class CacheRestore:
    """`actions/cache/restore`: restore only."""

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, RESTORE_INPUTS)
        note_ignored(call, io, IGNORED, "caches are local to this machine")
        await restore(call, io)
        io.state.clear()


class CacheSave:
    """`actions/cache/save`: save now, whatever the job's status (the step's `if:` decides)."""

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, SAVE_INPUTS)
        note_ignored(call, io, IGNORED, "caches are local to this machine")
        await save(call, io, _required(call, "key"))
