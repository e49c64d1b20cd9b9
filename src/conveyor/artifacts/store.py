"""`ArtifactStore`: upload, list, download and prune the artifacts of local runs.

Layout under the repository's `.conveyor/`:

    artifacts/<run id>/<name>/manifest.json   the record (see `records`)
    artifacts/<run id>/<name>/files/…         the files, as uploaded (below the root)
    artifacts/.ids/<n>                        one empty file per artifact id ever given
    artifacts/.staging/                       uploads being written, and old copies being removed

An upload is written to `.staging/` and renamed into place, so a reader sees a whole
artifact or none, and two jobs uploading the same name race on one atomic rename: the
loser gets the "already exists" error. Ids are claimed by creating `.ids/<n>`
exclusively, so concurrent processes never share one. Files go in and out through
`copying`, which checks each file's SHA-256 on the way out.
"""

from __future__ import annotations

import builtins
import dataclasses
import errno
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from conveyor.artifacts import copying
from conveyor.artifacts.names import check_file_path, check_name, name_matches
from conveyor.artifacts.records import (
    Artifact,
    ArtifactFile,
    DownloadResult,
    UploadResult,
    listing_digest,
    manifest_json,
    read_manifest,
)
from conveyor.artifacts.search import SearchResult, find_files
from conveyor.errors import UserError

Clock = Callable[[], datetime]

IF_NO_FILES_FOUND: Final = ("warn", "error", "ignore")
MAX_RETENTION_DAYS: Final = 90
DEFAULT_COMPRESSION_LEVEL: Final = 6
_STALE_STAGING: Final = timedelta(days=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ArtifactNotFound(UserError):
    """No artifact of that name in that run; carries the names there are."""

    def __init__(self, *, run_id: int, name: str, available: Sequence[str]) -> None:
        listed = ", ".join(available)
        hint = f"run {run_id} has: {listed}" if available else f"run {run_id} has no artifacts"
        super().__init__(f"artifact `{name}` not found in run {run_id}", hint=hint)
        self.run_id = run_id
        self.name = name
        self.available = tuple(available)


class ArtifactStore:
    """The artifacts of the runs of one repository, kept in its `.conveyor/` directory."""

    def __init__(
        self,
        state_dir: Path,
        *,
        clock: Clock = utc_now,
        max_retention_days: int = MAX_RETENTION_DAYS,
    ) -> None:
        self.root = state_dir / "artifacts"
        self._clock = clock
        self._max_retention_days = max_retention_days

    # ------------------------------------------------------------------- upload ---

    def upload(
        self,
        run_id: int,
        name: str,
        paths: str,
        *,
        workspace: Path,
        if_no_files_found: str = "warn",
        retention_days: int | None = None,
        compression_level: int = DEFAULT_COMPRESSION_LEVEL,
        overwrite: bool = False,
        include_hidden: bool = False,
    ) -> UploadResult:
        """Upload the files `paths` selects as artifact `name` of run `run_id` (see package)."""
        check_name(name)
        if not paths.strip():
            raise UserError("`path` is required", hint="give the files to upload, one glob a line")
        _check_choice(if_no_files_found)
        _check_compression(compression_level)
        days, warnings = self._retention(retention_days)
        search = find_files(paths, workspace=workspace, include_hidden=include_hidden)
        if not search.files:
            return _nothing_found(name, paths, if_no_files_found)
        relative = [check_file_path(search.relative(file)) for file in search.files]
        warnings += _case_clashes(relative)
        current = self._current(run_id, name)
        if current is not None and not overwrite:
            raise _exists(run_id, name)
        artifact = self._write(
            run_id, name, search, relative, days=days, compression_level=compression_level
        )
        artifact = self._publish(artifact, replace=overwrite)
        return UploadResult(
            name=name,
            id=artifact.id,
            files=len(artifact.files),
            size=artifact.size,
            digest=artifact.digest,
            url=artifact.url,
            expires=artifact.expires,
            warnings=warnings,
        )

    def _retention(self, days: int | None) -> tuple[int, tuple[str, ...]]:
        if not days:
            return self._max_retention_days, ()
        if days < 0:
            raise UserError(
                f"`retention-days` is {days}: it must be at least 1",
                hint=f"use 1 to {self._max_retention_days}, or 0 for the default",
            )
        if days > self._max_retention_days:
            most = self._max_retention_days
            return most, (
                "Retention days cannot be greater than the maximum allowed retention set "
                f"within the repository. Using {most} instead.",
            )
        return days, ()

    def _write(
        self,
        run_id: int,
        name: str,
        search: SearchResult,
        relative: Sequence[str],
        *,
        days: int,
        compression_level: int,
    ) -> Artifact:
        staging = self._staging()
        try:
            files = tuple(
                _copy_in(source, staging / "files" / path, path)
                for source, path in zip(search.files, relative, strict=True)
            )
            now = self._clock()
            artifact = Artifact(
                name=name,
                id=self._claim_id(),
                run_id=run_id,
                size=sum(f.size for f in files),
                digest=listing_digest(files),
                created=now,
                expires=now + timedelta(days=days),
                retention_days=days,
                compression_level=compression_level,
                files=tuple(sorted(files, key=lambda f: f.path)),
                location=staging,
            )
            (staging / "manifest.json").write_text(manifest_json(artifact), encoding="utf-8")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return artifact

    def _publish(self, staged: Artifact, *, replace: bool) -> Artifact:
        """Rename the staged artifact into place; an expired (or, with `replace`, any)
        artifact already there is moved aside first."""
        target = self._location(staged.run_id, staged.name)
        existing = read_manifest(target) if target.exists() else None
        if target.exists() and (replace or existing is None or existing.expired(self._clock())):
            self._discard(target)
        try:
            for attempt in (1, 2):  # `prune` may remove the emptied run directory meanwhile
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    staged.location.rename(target)
                    break
                except FileNotFoundError:
                    if attempt == 2:
                        raise
        except OSError as exc:
            shutil.rmtree(staged.location, ignore_errors=True)
            if exc.errno in {errno.EEXIST, errno.ENOTEMPTY}:
                raise _exists(staged.run_id, staged.name) from None
            raise UserError(
                f"cannot store artifact `{staged.name}`: {exc.strerror or exc}"
            ) from exc
        return dataclasses.replace(staged, location=target)

    def _claim_id(self) -> int:
        ids = self.root / ".ids"
        ids.mkdir(parents=True, exist_ok=True)
        taken = [int(entry.name) for entry in ids.iterdir() if entry.name.isdigit()]
        candidate = max(taken, default=0) + 1
        while True:
            try:
                os.close(os.open(ids / str(candidate), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                candidate += 1
                continue
            return candidate

    # ------------------------------------------------------------- list, prune ---

    def list(self, run_id: int) -> builtins.list[Artifact]:
        """The artifacts of run `run_id` that have not expired, by name."""
        now = self._clock()
        return [a for a in self._stored(run_id) if not a.expired(now)]

    def runs(self) -> builtins.list[int]:
        """The runs that have artifacts that have not expired, in id order."""
        if not self.root.is_dir():
            return []
        ids = sorted(int(entry.name) for entry in self.root.iterdir() if entry.name.isdigit())
        return [run_id for run_id in ids if self.list(run_id)]

    def prune(self, now: datetime | None = None) -> builtins.list[Artifact]:
        """Delete every expired artifact (and stale staging left by a crash); return them."""
        now = now or self._clock()
        removed: builtins.list[Artifact] = []
        if not self.root.is_dir():
            return removed
        for run_dir in sorted(self.root.iterdir()):
            if not run_dir.name.isdigit():
                continue
            for artifact in self._stored(int(run_dir.name)):
                if artifact.expired(now):
                    self._discard(artifact.location)
                    removed.append(artifact)
            if not any(run_dir.iterdir()):
                run_dir.rmdir()
        self._clear_staging()
        return removed

    def _stored(self, run_id: int) -> builtins.list[Artifact]:
        run_dir = self.root / str(run_id)
        if not run_dir.is_dir():
            return []
        found = (read_manifest(entry) for entry in sorted(run_dir.iterdir()))
        return [artifact for artifact in found if artifact is not None]

    def _current(self, run_id: int, name: str) -> Artifact | None:
        return next((a for a in self.list(run_id) if a.name == name), None)

    # ----------------------------------------------------------------- download ---

    def download(
        self,
        run_id: int,
        *,
        name: str | None = None,
        pattern: str | None = None,
        merge_multiple: bool = False,
        dest: Path,
    ) -> builtins.list[DownloadResult]:
        """Extract artifacts of run `run_id` into `dest` (download-artifact's rules).

        With `name`, that one artifact into `dest` itself (`pattern` is then ignored); else
        those whose names `pattern` matches, or all of them, each into `dest/<name>/`, or
        all into `dest` with `merge_multiple` (later names overwrite earlier ones).
        """
        dest = Path(os.path.abspath(dest.expanduser()))
        stored = self.list(run_id)
        if name:
            chosen = [a for a in stored if a.name == name]
            if not chosen:
                raise ArtifactNotFound(run_id=run_id, name=name, available=[a.name for a in stored])
            return [copying.extract(chosen[0], dest)]
        if pattern:
            stored = [a for a in stored if name_matches(a.name, pattern)]
        return [copying.extract(a, dest if merge_multiple else dest / a.name) for a in stored]

    def remove(self, run_id: int, name: str) -> bool:
        """Delete artifact `name` of run `run_id`; False when there is none."""
        current = self._current(run_id, name)
        if current is None:
            return False
        self._discard(self._location(run_id, name))
        return True

    # ------------------------------------------------------------------ helpers ---

    def _location(self, run_id: int, name: str) -> Path:
        return self.root / str(run_id) / name

    def _staging(self) -> Path:
        path = self.root / ".staging" / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def _discard(self, path: Path) -> None:
        """Move `path` out of sight in one rename, then delete it."""
        aside = self.root / ".staging" / f"old-{uuid.uuid4().hex}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.rename(aside)
        except FileNotFoundError:
            return  # someone else removed it first
        shutil.rmtree(aside, ignore_errors=True)

    def _clear_staging(self) -> None:
        staging = self.root / ".staging"
        if not staging.is_dir():
            return
        cutoff = time.time() - _STALE_STAGING.total_seconds()
        for entry in staging.iterdir():
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)


# ---------------------------------------------------------------- functions ---


def _check_choice(value: str) -> None:
    if value not in IF_NO_FILES_FOUND:
        raise UserError(
            f"unrecognised `if-no-files-found` value {value!r}",
            hint=f"use one of: {', '.join(IF_NO_FILES_FOUND)}",
        )


def _check_compression(level: int) -> None:
    if not 0 <= level <= 9:
        raise UserError(
            f"invalid `compression-level` {level}", hint="valid values are 0 to 9 (default 6)"
        )


def _exists(run_id: int, name: str) -> UserError:
    return UserError(
        f"an artifact named `{name}` already exists in run {run_id}",
        hint="artifacts cannot be changed once uploaded: set `overwrite: true`, or choose another `name`",
    )


def _nothing_found(name: str, paths: str, mode: str) -> UploadResult:
    message = f"No files were found with the provided path: {paths.strip()}. No artifacts will be uploaded."
    if mode == "error":
        raise UserError(message, hint="check `path`, or set `if-no-files-found: warn` or `ignore`")
    warnings = (message,) if mode == "warn" else ()
    return UploadResult(
        name=name, id=None, files=0, size=0, digest="", url="", expires=None, warnings=warnings
    )


def _case_clashes(paths: Sequence[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    clashes: builtins.list[str] = []
    for path in paths:
        key = path.lower()
        if key in seen:
            clashes.append(
                f"Uploads are case insensitive: {path} was detected that it will be "
                "overwritten by another file with the same path"
            )
        seen.add(key)
    return tuple(clashes)


def _copy_in(source: Path, target: Path, path: str) -> ArtifactFile:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        digest, size = copying.copy_file(source, target)
    except OSError as exc:
        raise UserError(f"cannot read `{source}`: {exc.strerror or exc}") from exc
    return ArtifactFile(path=path, size=size, sha256=digest)
