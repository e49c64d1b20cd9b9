"""Copying files in and out of the store, checking each file's SHA-256 on the way."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Final

from conveyor.artifacts.records import Artifact, DownloadResult
from conveyor.errors import UserError

_CHUNK: Final = 1 << 20


def copy_file(source: Path, target: Path) -> tuple[str, int]:
    """Copy `source` to `target`; return the SHA-256 and size of what was copied."""
    total = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(_CHUNK):
            total.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return total.hexdigest(), size


def extract(artifact: Artifact, into: Path) -> DownloadResult:
    mismatch = False
    for file in artifact.files:
        target = into / inside(file.path, artifact)
        source = artifact.location / "files" / file.path
        if not source.is_file():
            raise UserError(
                f"artifact `{artifact.name}` of run {artifact.run_id} is damaged: "
                f"`{file.path}` is missing from the store",
                hint="upload it again",
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, _ = copy_file(source, target)
        except OSError as exc:
            raise UserError(
                f"cannot write `{target}`: {exc.strerror or exc}",
                hint="choose a `path` (--dest) that is a writable directory",
            ) from exc
        mismatch = mismatch or digest != file.sha256
    return DownloadResult(
        name=artifact.name,
        id=artifact.id,
        path=into,
        files=len(artifact.files),
        digest_mismatch=mismatch,
    )


def inside(path: str, artifact: Artifact) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise UserError(
            f"artifact `{artifact.name}` of run {artifact.run_id} lists {path!r}, "
            "which is outside the artifact",
            hint="the manifest was edited by hand: upload the artifact again",
        )
    return relative
