"""`CacheStore`: save, restore, list and remove cache entries (see the package docstring)."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from conveyor.cache import archive
from conveyor.cache.blobs import LEVEL, BlobStore, CorruptBlob
from conveyor.cache.evict import Candidate, plan_eviction
from conveyor.cache.keys import cache_version, pattern_lines, validate_key, validate_keys
from conveyor.cache.lock import locked
from conveyor.cache.lookup import find_entry
from conveyor.cache.manifest import FileRecord, Header, dumps, entry_id, read_header, read_records
from conveyor.cache.paths import iter_paths
from conveyor.cache.results import CacheEntry, PruneResult, RestoreResult, SaveResult
from conveyor.cache.units import format_size
from conveyor.errors import CheckFailed, UserError
from conveyor.userdirs import cache_base

GIB: Final = 1024**3
DEFAULT_MAX_BYTES: Final = 10 * GIB
MAX_ENTRY_BYTES: Final = 10 * GIB  # GitHub refuses a single cache over 10 GB
SUFFIX: Final = ".jsonl"


def default_root() -> Path:
    """`$CONVEYOR_CACHE_DIR/caches`, else `caches` in the user cache directory."""
    return cache_base() / "caches"


class CacheStore:
    """Cache entries on this machine: content-addressed zstd blobs plus a manifest per entry."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entry_bytes: int = MAX_ENTRY_BYTES,
        workers: int | None = None,
        level: int = LEVEL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = root if root is not None else default_root()
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.workers = workers or archive.default_workers()
        self.pack_workers = workers or archive.pack_workers()
        self.clock = clock
        self.blobs = BlobStore(self.root, level=level)
        self._entries = self.root / "entries"

    def save(
        self,
        key: str,
        paths: Sequence[str],
        *,
        workspace: Path,
        scope: str,
        version: str | None = None,
    ) -> SaveResult:
        """Save what `paths` select as `key` in `scope`, unless that entry exists already."""
        validate_key(key)
        lines = pattern_lines(paths)
        if not lines:
            raise UserError(
                "Path Validation Error: At least one directory or file path is required",
                hint="set `path:` to the files or directories to cache",
            )
        version = version or cache_version(lines)
        result = SaveResult(status="exists", key=key, scope=scope, version=version)
        manifest = self._manifest(scope=scope, key=key, version=version)
        if manifest.exists():
            return replace(result, message=_exists(result))
        self._create_dirs()
        with locked(self.root, exclusive=False):
            result = self._pack_and_commit(result, lines, workspace, manifest)
        if result.status in ("too-large", "failed"):
            self.prune()  # drop the blobs of what was not saved
        elif result.saved and self._disk_size() > self.max_bytes:
            self.prune()
        return result

    def _pack_and_commit(
        self, result: SaveResult, lines: Sequence[str], workspace: Path, manifest: Path
    ) -> SaveResult:
        found = iter_paths(lines, workspace=workspace)
        try:
            records = archive.pack(found, self.blobs, workers=self.pack_workers)
        except OSError as exc:  # a file vanished or cannot be read: actions/cache warns
            return replace(result, status="failed", message=f"Failed to save: {exc}")
        header = self._header(
            key=result.key, scope=result.scope, version=result.version, records=records
        )
        result = replace(result, files=header.files, size=header.size, stored=header.stored)
        if not header.files:
            message = "Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved."
            return replace(result, status="no-files", message=message)
        refusal = self._refusal(header.stored)
        if refusal:
            return replace(result, status="too-large", message=refusal)
        if not self._commit(manifest, dumps(header, records), created=header.created):
            return replace(result, status="exists", message=_exists(result))
        return replace(result, status="saved")

    def restore(
        self,
        primary_key: str,
        restore_keys: Sequence[str] = (),
        *,
        scopes: Sequence[str],
        version: str,
        workspace: Path,
        lookup_only: bool = False,
        fail_on_cache_miss: bool = False,
    ) -> RestoreResult:
        """Restore the entry GitHub's rules pick (see `conveyor.cache.lookup`) into `workspace`."""
        keys = validate_keys(primary_key, restore_keys)
        found = find_entry(list(self._headers()), keys=keys, scopes=scopes, version=version)
        if found is None:
            return _miss(primary_key, fail_on_cache_miss, ())
        manifest, header = found
        result = RestoreResult(
            hit=header.key == primary_key,
            matched_key=header.key,
            scope=header.scope,
            files=header.files,
        )
        if lookup_only:
            return result
        with locked(self.root, exclusive=False):
            warning = self._unpack(manifest, header, workspace)
        if warning:
            return _miss(primary_key, fail_on_cache_miss, (warning,))
        now = self.clock()
        os.utime(manifest, (now, now))
        return result

    def entries(self) -> list[CacheEntry]:
        """Every entry, most recently used first."""
        listed = [self._entry(path, header) for path, header in self._headers()]
        return sorted(listed, key=lambda e: (-e.last_used.timestamp(), e.scope, e.key))

    def remove(self, key: str, *, scope: str | None = None, prefix: bool = False) -> PruneResult:
        """Remove the entries with this key (or key prefix), in one scope or all of them."""

        def chosen(header: Header) -> bool:
            matches = header.key.startswith(key) if prefix else header.key == key
            return matches and (scope is None or header.scope == scope)

        return self._remove_where(chosen, limit=None)

    def prune(
        self, *, max_bytes: int | None = None, older_than: float | None = None
    ) -> PruneResult:
        """Drop entries unused for `older_than` seconds, then the least recently used until
        the store fits in `max_bytes` (default: its limit), then blobs nothing uses."""
        cutoff = self.clock() - older_than if older_than is not None else None
        limit = self.max_bytes if max_bytes is None else max_bytes
        return self._remove_where(lambda header: False, limit=limit, cutoff=cutoff)

    def size(self) -> int:
        """Bytes of blobs on disk."""
        return self._disk_size()

    # -- internals

    def _manifest(self, *, scope: str, key: str, version: str) -> Path:
        return self._entries / (entry_id(scope=scope, key=key, version=version) + SUFFIX)

    def _create_dirs(self) -> None:
        if not self._entries.is_dir():
            self._entries.mkdir(parents=True, exist_ok=True)
            self.blobs.create_dirs()

    def _header(
        self, *, key: str, scope: str, version: str, records: Sequence[FileRecord]
    ) -> Header:
        distinct = {c.digest: c.stored for r in records for c in r.chunks}
        return Header(
            key=key,
            scope=scope,
            version=version,
            created=self.clock(),
            size=sum(r.size for r in records),
            stored=sum(distinct.values()),
            files=sum(1 for r in records if r.kind != "dir"),
        )

    def _refusal(self, stored: int) -> str:
        limit = min(self.max_entry_bytes, self.max_bytes)
        if stored <= limit:
            return ""
        return f"Cache size of ~{format_size(stored)} is over the {format_size(limit)} limit, not saving cache."

    def _commit(self, manifest: Path, data: bytes, *, created: float) -> bool:
        """Publish a manifest atomically; False when another save published it first."""
        fd, tmp = tempfile.mkstemp(dir=self.blobs.tmp, suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.utime(tmp, (created, created))  # the manifest's mtime is when it was last used
            os.link(tmp, manifest)  # fails if the entry exists: never overwritten
        except FileExistsError:
            return False
        finally:
            os.unlink(tmp)
        return True

    def _headers(self) -> Iterator[tuple[Path, Header]]:
        if not self._entries.is_dir():
            return
        for name in sorted(os.listdir(self._entries)):
            if name.endswith(SUFFIX):
                path = self._entries / name
                try:
                    yield path, read_header(path)
                except (OSError, ValueError, KeyError):
                    continue  # removed meanwhile, or damaged: never a match

    def _entry(self, path: Path, header: Header) -> CacheEntry:
        try:
            used = path.stat().st_mtime
        except FileNotFoundError:
            used = header.created
        return CacheEntry(
            key=header.key,
            scope=header.scope,
            version=header.version,
            created=datetime.fromtimestamp(header.created, UTC),
            last_used=datetime.fromtimestamp(used, UTC),
            size=header.size,
            stored=header.stored,
            files=header.files,
        )

    def _unpack(self, manifest: Path, header: Header, workspace: Path) -> str:
        """Write the entry's files; a warning when that failed (a damaged entry is removed)."""
        name = f"cache entry `{header.key}` ({header.scope})"
        try:
            records = list(read_records(manifest))
            missing = [
                c.digest for r in records for c in r.chunks if not self.blobs.exists(c.digest)
            ]
            if missing:
                raise CorruptBlob(f"{len(missing)} blob(s) missing, e.g. {missing[0][:12]}…")
            archive.unpack(records, self.blobs, workspace, workers=self.workers)
        except (CorruptBlob, ValueError, KeyError) as exc:
            manifest.unlink(missing_ok=True)
            if isinstance(exc, CorruptBlob) and exc.digest:
                self.blobs.remove(exc.digest)  # so that a new save writes it again
            return f"Failed to restore {name}: it is damaged ({exc}); removed it, so this is a cache miss."
        except OSError as exc:
            return f"Failed to restore {name}: {exc}; this is a cache miss."
        return ""

    def _disk_size(self) -> int:
        return sum(size for _, size in self.blobs.all())

    def _remove_where(
        self, chosen: Callable[[Header], bool], *, limit: int | None, cutoff: float | None = None
    ) -> PruneResult:
        if not self._entries.is_dir():
            return PruneResult(removed=(), freed=0)
        with locked(self.root, exclusive=True):
            headers = list(self._headers())
            entries = {path.name: self._entry(path, header) for path, header in headers}
            doomed = {
                path.name
                for path, header in headers
                if chosen(header)
                or (cutoff is not None and entries[path.name].last_used.timestamp() < cutoff)
            }
            kept = [self._candidate(path, h) for path, h in headers if path.name not in doomed]
            if limit is not None:
                sizes = dict(self.blobs.all())
                doomed.update(c.name for c in plan_eviction(kept, sizes, limit=limit))
            for name in sorted(doomed):
                (self._entries / name).unlink(missing_ok=True)
            freed = self._collect()
        removed = tuple(entries[name] for name in sorted(doomed, key=lambda n: entries[n].key))
        return PruneResult(removed=removed, freed=freed)

    def _candidate(self, path: Path, header: Header) -> Candidate:
        try:
            digests = frozenset(c.digest for r in read_records(path) for c in r.chunks)
            used = path.stat().st_mtime
        except (OSError, ValueError, KeyError):
            digests, used = frozenset(), 0.0
        return Candidate(
            name=path.name, last_used=used, created=header.created, key=header.key, digests=digests
        )

    def _collect(self) -> int:
        """Delete blobs no manifest references, and leftovers of interrupted saves (locked)."""
        live: set[str] = set()
        for path, _ in self._headers():
            try:
                live.update(c.digest for r in read_records(path) for c in r.chunks)
            except (OSError, ValueError, KeyError):
                continue
        freed = 0
        for digest, size in list(self.blobs.all()):
            if digest not in live:
                self.blobs.remove(digest)
                freed += size
        self.blobs.clear_tmp()
        return freed


def _exists(result: SaveResult) -> str:
    return (
        f"Cache already exists for key {result.key} in {result.scope}; "
        "caches are immutable, not saving."
    )


def _miss(primary_key: str, fail: bool, warnings: tuple[str, ...]) -> RestoreResult:
    if fail:
        raise CheckFailed(
            "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. "
            f"Input key: {primary_key}"
        )
    return RestoreResult(hit=False, matched_key=None, warnings=warnings)
