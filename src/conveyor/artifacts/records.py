"""The records the artifact store hands out, and the manifest each artifact keeps on disk.

`manifest.json` (format 1) holds `name`, `id`, `run_id`, `size`, `digest`, `created`,
`expires` (ISO 8601, UTC), `retention_days`, `compression_level` and `files`: a list of
`{"path", "size", "sha256"}` in path order. The digest is the SHA-256 of the canonical
listing: one line `PATH\\0SIZE\\0SHA256\\n` per file, in path order (UTF-8), so that the
same files give the same digest wherever they were uploaded from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

MANIFEST_FORMAT: Final = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactFile:
    path: str  # inside the artifact, posix separators
    size: int
    sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Artifact:
    """One stored artifact of one run: its manifest and where it lives."""

    name: str
    id: int
    run_id: int
    size: int
    digest: str
    created: datetime
    expires: datetime
    retention_days: int
    compression_level: int
    files: tuple[ArtifactFile, ...]
    location: Path  # the artifact's directory: manifest.json and files/

    @property
    def url(self) -> str:
        """`artifact-url`: where the artifact is, as a file URL."""
        return self.location.resolve().as_uri()

    def expired(self, now: datetime) -> bool:
        return now >= self.expires


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadResult:
    """What `upload` did; `id` is None when no files were found and nothing was uploaded.

    The action's outputs are `artifact-id` (`id`), `artifact-url` (`url`) and
    `artifact-digest` (`digest`); `warnings` are for the step's log as `::warning::`s.
    """

    name: str
    id: int | None
    files: int
    size: int
    digest: str
    url: str
    expires: datetime | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DownloadResult:
    """One artifact extracted by `download`; `digest_mismatch` when a file changed in store."""

    name: str
    id: int
    path: Path  # where its files were written (download-path, or a subdirectory of it)
    files: int
    digest_mismatch: bool


def listing_digest(files: Iterable[ArtifactFile]) -> str:
    """SHA-256 of the canonical listing (see the module docstring)."""
    total = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.path):
        total.update(f"{file.path}\0{file.size}\0{file.sha256}\n".encode())
    return total.hexdigest()


def manifest_json(artifact: Artifact) -> str:
    data: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "name": artifact.name,
        "id": artifact.id,
        "run_id": artifact.run_id,
        "size": artifact.size,
        "digest": artifact.digest,
        "created": artifact.created.isoformat(),
        "expires": artifact.expires.isoformat(),
        "retention_days": artifact.retention_days,
        "compression_level": artifact.compression_level,
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in artifact.files],
    }
    return json.dumps(data, indent=2) + "\n"


def read_manifest(location: Path) -> Artifact | None:
    """The artifact stored at `location`, or None when its manifest is missing or unreadable."""
    try:
        data = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
        return _from_json(data, location)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _from_json(data: Mapping[str, Any], location: Path) -> Artifact:
    if data["format"] != MANIFEST_FORMAT:
        raise ValueError(f"manifest format {data['format']!r}")
    return Artifact(
        name=str(data["name"]),
        id=int(data["id"]),
        run_id=int(data["run_id"]),
        size=int(data["size"]),
        digest=str(data["digest"]),
        created=datetime.fromisoformat(data["created"]),
        expires=datetime.fromisoformat(data["expires"]),
        retention_days=int(data["retention_days"]),
        compression_level=int(data["compression_level"]),
        files=tuple(
            ArtifactFile(path=str(f["path"]), size=int(f["size"]), sha256=str(f["sha256"]))
            for f in data["files"]
        ),
        location=location,
    )
