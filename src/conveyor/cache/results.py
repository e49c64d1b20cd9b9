"""The records the cache store returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SaveStatus = Literal["saved", "exists", "no-files", "too-large", "failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveResult:
    """What a save did. Only "saved" wrote an entry; the others carry a warning `message`."""

    status: SaveStatus
    key: str
    scope: str
    version: str
    files: int = 0
    size: int = 0  # raw bytes of the files saved
    stored: int = 0  # compressed bytes of the entry's blobs
    message: str = ""

    @property
    def saved(self) -> bool:
        return self.status == "saved"


@dataclass(frozen=True, slots=True, kw_only=True)
class RestoreResult:
    """What a restore found. `hit` is actions/cache's `cache-hit`: the primary key matched."""

    hit: bool
    matched_key: str | None
    scope: str | None = None
    files: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def cache_hit(self) -> str:
        """The `cache-hit` output as actions/cache sets it."""
        return "true" if self.hit else "false"


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheEntry:
    """One saved entry, as `conveyor cache list` shows it."""

    key: str
    scope: str
    version: str
    created: datetime
    last_used: datetime
    size: int  # raw bytes of the files
    stored: int  # compressed bytes of its blobs (shared blobs counted in each entry)
    files: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PruneResult:
    """What a removal or prune took away."""

    removed: tuple[CacheEntry, ...]
    freed: int  # bytes of blobs deleted
