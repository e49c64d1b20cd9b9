"""`actions/upload-artifact` (and its `/merge`) and `actions/download-artifact` over the run's
artifact store.

The inputs and outputs are `conveyor.artifacts.action`'s; this module gives them the run
(`call.run_id`) and the repository's store (`call.state_dir`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Final

from conveyor.actions.base import ActionCall, ActionIO
from conveyor.actions.inputs import note_ignored, warn_unexpected
from conveyor.artifacts import ArtifactStore
from conveyor.artifacts.action import ActionOutcome, download_action, merge_action, upload_action

UPLOAD_INPUTS: Final = (
    "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite",
    "include-hidden-files",
)  # fmt: skip
MERGE_INPUTS: Final = (
    "name", "pattern", "separate-directories", "retention-days", "compression-level",
    "delete-merged", "include-hidden-files",
)  # fmt: skip
DOWNLOAD_INPUTS: Final = (
    "name", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id",
)  # fmt: skip


def _inputs(call: ActionCall) -> dict[str, str]:
    """The `with:` keys in lower case, as the artifacts module expects them."""
    return {key.lower(): value for key, value in call.inputs.items()}


def _apply(io: ActionIO, outcome: ActionOutcome) -> None:
    io.outputs.update(outcome.outputs)
    io.warnings.extend(outcome.warnings)


class UploadArtifact:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, UPLOAD_INPUTS)
        outcome = await asyncio.to_thread(
            upload_action,
            ArtifactStore(call.state_dir),
            call.run_id,
            _inputs(call),
            workspace=call.workspace,
        )
        _apply(io, outcome)
        if outcome.outputs:
            io.log(f"Artifact uploaded, id {outcome.outputs['artifact-id']}")


class DownloadArtifact:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, DOWNLOAD_INPUTS)
        note_ignored(call, io, ("github-token", "repository"), "runs are this repository's")
        home = call.env.get("HOME")
        outcome = await asyncio.to_thread(
            download_action,
            ArtifactStore(call.state_dir),
            call.run_id,
            _inputs(call),
            workspace=call.workspace,
            home=Path(home) if home else None,
        )
        _apply(io, outcome)
        io.log(f"Downloaded to {outcome.outputs['download-path']}")


class MergeArtifacts:
    """`actions/upload-artifact/merge`: several artifacts of the run as one."""

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, MERGE_INPUTS)
        outcome = await asyncio.to_thread(
            merge_action,
            ArtifactStore(call.state_dir),
            call.run_id,
            _inputs(call),
            temp=call.temp,
        )
        _apply(io, outcome)
        io.log(f"Merged artifact uploaded, id {outcome.outputs['artifact-id']}")
