"""The cache store behind `actions/cache`, `actions/cache/restore` and `actions/cache/save`.

    from conveyor.cache import CacheStore, cache_version

    store = CacheStore()                       # $CONVEYOR_CACHE_DIR/caches or the user cache dir
    paths = ["~/.cache/pip\\n.venv\\n!.venv/**/__pycache__"]
    version = cache_version(paths)             # GitHub's: the path lines + "zstd"
    found = store.restore("pip-linux-3f2a", ["pip-linux-"], scopes=["refs/heads/feature",
                          "refs/heads/main"], version=version, workspace=ws)
    found.hit, found.matched_key               # cache-hit (primary key only), the key restored
    ...                                        # the job runs
    if post_save_decision(job_status="success", primary_key="pip-linux-3f2a",
                          matched_key=found.matched_key).save:
        store.save("pip-linux-3f2a", paths, workspace=ws, scope="refs/heads/feature")

GitHub's semantics, kept:

- Keys: at most 512 characters, no commas, at most 10 keys in a restore (`keys.py`);
  a bad key is a `UserError`.
- Version: SHA-256 of the `path` lines and the compression (`cache_version`); the same key
  saved with other paths is another entry, and a restore only sees its own version.
- Lookup (`lookup.py`): scopes in the order given (the run's ref, then its base and the
  default branch; siblings are never given); within a scope the primary key exactly,
  then each key as a prefix (primary first, then `restore-keys` in order), the newest
  entry among prefix matches. `RestoreResult.hit` is `cache-hit`: the primary key
  itself matched. `lookup_only=True` finds without writing files;
  `fail_on_cache_miss=True` raises `CheckFailed` when nothing matched.
- Entries are immutable: saving an existing (scope, key, version) returns
  `SaveResult(status="exists")` with actions/cache's warning, never an error. Nothing
  to save is `"no-files"`; an entry over 10 GiB (or over the store's own limit)
  compressed is `"too-large"`; a file that cannot be read is `"failed"` (actions/cache
  warns and the job goes on).
- Paths (`paths.py`): one pattern a line, `**` globs, `!` exclusions, `~` for home,
  relative to the workspace or absolute. Restored to the same place (relative names
  under the restoring workspace, absolute ones as saved), with modes, mtimes and
  symbolic links kept.
- The post step saves only after a successful job and not after an exact hit
  (`post_save_decision`).

Storage (`store.py`, `blobs.py`, `manifest.py`): files are cut in 8 MiB chunks, each
stored once by SHA-256 as a zstd frame with a checksum (entries share blobs); a JSON-lines
manifest per entry. Blobs and manifests are written to a temporary file and renamed (a
manifest with `link`, which never replaces an entry), so a crash leaves no half entry;
saves and restores share a `flock`, removals take it alone, so concurrent processes are
safe. A damaged or missing blob makes a restore a miss with a warning and removes the
entry. The store keeps under `max_bytes` (10 GiB) by evicting least recently used
entries (a restore counts as a use), then deleting blobs no entry uses (`evict.py`).
"""

from __future__ import annotations

from conveyor.cache.keys import MAX_KEY_LENGTH, MAX_KEYS, cache_version, validate_key
from conveyor.cache.post import PostDecision, post_save_decision
from conveyor.cache.results import CacheEntry, PruneResult, RestoreResult, SaveResult
from conveyor.cache.store import DEFAULT_MAX_BYTES, MAX_ENTRY_BYTES, CacheStore, default_root
from conveyor.cache.units import format_size, parse_size

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_ENTRY_BYTES",
    "MAX_KEYS",
    "MAX_KEY_LENGTH",
    "CacheEntry",
    "CacheStore",
    "PostDecision",
    "PruneResult",
    "RestoreResult",
    "SaveResult",
    "cache_version",
    "default_root",
    "format_size",
    "parse_size",
    "post_save_decision",
    "validate_key",
]
