"""`re-actors/alls-green`: one verdict over the `needs` of a job, for branch protection.

`jobs` is `${{ toJSON(needs) }}`. A job must have succeeded unless it is listed in
`allowed-failures` (any result is fine) or in `allowed-skips` (success or skipped is
fine). Both lists are JSON arrays or comma-separated names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import split_list, warn_unexpected

INPUTS: Final = ("jobs", "allowed-failures", "allowed-skips")


def _names(call: ActionCall, name: str) -> frozenset[str]:
    text = call.input(name).strip()
    try:
        loaded = json.loads(text) if text else []
    except json.JSONDecodeError:
        return frozenset(split_list(text))
    if isinstance(loaded, str):
        return frozenset(split_list(loaded))
    if not isinstance(loaded, list) or not all(isinstance(item, str) for item in loaded):
        raise ActionFailed(
            f"input `{name}` must be a JSON list of job names or a comma-separated list"
        )
    return frozenset(loaded)


def _jobs(call: ActionCall) -> Mapping[str, str]:
    text = call.input("jobs").strip()
    try:
        loaded: Any = json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        raise ActionFailed(
            f"input `jobs` is not JSON ({exc.msg} at character {exc.pos})",
            hint="pass `jobs: ${{ toJSON(needs) }}`",
        ) from None
    if not isinstance(loaded, dict) or not loaded:
        raise ActionFailed(
            "❌ Invalid input jobs matrix, please provide a non-empty `needs` context",
            hint="give the job `needs:` and pass `jobs: ${{ toJSON(needs) }}`",
        )
    results: dict[str, str] = {}
    for name, job in loaded.items():
        result = job.get("result") if isinstance(job, dict) else None
        if not isinstance(result, str):
            raise ActionFailed(f"input `jobs`: job `{name}` has no `result`")
        results[name] = result
    return results


def _acceptable(name: str, result: str, failures: frozenset[str], skips: frozenset[str]) -> bool:
    if name in failures:
        return True
    if name in skips:
        return result in ("success", "skipped")
    return result == "success"


class AllsGreen:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        jobs = _jobs(call)
        failures, skips = _names(call, "allowed-failures"), _names(call, "allowed-skips")
        for unknown in sorted((failures | skips) - set(jobs)):
            io.warnings.append(f"`{unknown}` is allowed to fail or be skipped but is not in `jobs`")
        bad = [
            name for name, result in jobs.items() if not _acceptable(name, result, failures, skips)
        ]
        succeeded = not bad
        io.outputs.update(
            {
                "failure": "false" if succeeded else "true",
                "success": "true" if succeeded else "false",
                "result": "success" if succeeded else "failure",
            }
        )
        for name, result in jobs.items():
            status = (
                "allowed to fail" if name in failures
                else "allowed to be skipped" if name in skips
                else "required to succeed"
            )  # fmt: skip
            mark = "✓" if result == "success" else "❌"
            io.log(f"📝 {name} → {mark} {result} [{status}]")
        if bad:
            listed = ", ".join(f"{name} ({jobs[name]})" for name in bad)
            raise ActionFailed(
                f"😢 Some of the required to succeed jobs failed: {listed}",
                hint="fix those jobs, or list them in `allowed-failures` / `allowed-skips`",
            )
        io.log("🎉 All of the required dependency jobs succeeded.")
