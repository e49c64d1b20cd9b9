"""Size limit, least-recently-used eviction, removal and pruning."""

from __future__ import annotations

import os
from pathlib import Path

from conveyor.cache import CacheStore, cache_version
from conveyor.cache.evict import Candidate, plan_eviction

MAIN, FEATURE = "refs/heads/main", "refs/heads/feature"
PATHS = ["data"]
VERSION = cache_version(PATHS)
ENTRY = 300_000  # bytes of random data per entry: about as much stored


def candidate(name: str, used: float, *digests: str) -> Candidate:
    return Candidate(name=name, last_used=used, created=0.0, key=name, digests=frozenset(digests))


def test_the_least_recently_used_go_first() -> None:
    entries = [candidate("new", 3, "c"), candidate("old", 1, "a"), candidate("mid", 2, "b")]
    sizes = {"a": 10, "b": 10, "c": 10}
    assert [c.name for c in plan_eviction(entries, sizes, limit=15)] == ["old", "mid"]


def test_a_shared_blob_is_freed_only_with_its_last_user() -> None:
    entries = [candidate("old", 1, "shared"), candidate("new", 2, "shared", "own")]
    sizes = {"shared": 100, "own": 10}
    assert [c.name for c in plan_eviction(entries, sizes, limit=110)] == []
    assert [c.name for c in plan_eviction(entries, sizes, limit=100)] == ["old", "new"]


def save_entry(store: CacheStore, ws: Path, key: str, scope: str = MAIN) -> None:
    data = ws / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "blob.bin").write_bytes(os.urandom(ENTRY))
    assert store.save(key, PATHS, workspace=ws, scope=scope).saved


def keys(store: CacheStore) -> list[str]:
    return sorted(e.key for e in store.entries())


def test_saving_past_the_limit_evicts_the_least_recently_used(tmp_path: Path) -> None:
    now = [0.0]
    store = CacheStore(tmp_path / "store", max_bytes=3 * ENTRY + ENTRY // 2, clock=lambda: now[0])
    for key in ("one", "two", "three"):
        now[0] += 10
        save_entry(store, tmp_path / "ws", key)
    now[0] += 10
    store.restore("one", scopes=[MAIN], version=VERSION, workspace=tmp_path / "r")
    now[0] += 10
    save_entry(store, tmp_path / "ws", "four")
    assert keys(store) == ["four", "one", "three"]
    assert store.size() <= store.max_bytes


def test_prune_to_a_size(tmp_path: Path) -> None:
    now = [0.0]
    store = CacheStore(tmp_path / "store", clock=lambda: now[0])
    for key in ("one", "two", "three"):
        now[0] += 10
        save_entry(store, tmp_path / "ws", key)
    result = store.prune(max_bytes=ENTRY + ENTRY // 2)
    assert sorted(e.key for e in result.removed) == ["one", "two"]
    assert result.freed >= 2 * ENTRY
    assert keys(store) == ["three"]


def test_prune_entries_unused_for_a_while(tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = CacheStore(tmp_path / "store", clock=lambda: now[0])
    save_entry(store, tmp_path / "ws", "old")
    now[0] += 8 * 86400
    save_entry(store, tmp_path / "ws", "recent")
    result = store.prune(older_than=7 * 86400)
    assert [e.key for e in result.removed] == ["old"]
    assert keys(store) == ["recent"]


def test_prune_removes_blobs_left_by_an_interrupted_save(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "store")
    save_entry(store, tmp_path / "ws", "kept")
    size = store.size()
    store.blobs.put(os.urandom(1000))  # a blob whose manifest was never written
    (store.blobs.tmp / "half-written.tmp").write_bytes(b"x")
    result = store.prune()
    assert result.removed == ()
    assert store.size() == size
    assert list(store.blobs.tmp.iterdir()) == []
    assert keys(store) == ["kept"]


def test_remove_by_key_scope_and_prefix(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "store")
    for key, scope in (("pip-1", MAIN), ("pip-1", FEATURE), ("pip-2", MAIN), ("npm-1", MAIN)):
        save_entry(store, tmp_path / "ws", key, scope)
    assert [e.scope for e in store.remove("pip-1", scope=FEATURE).removed] == [FEATURE]
    assert keys(store) == ["npm-1", "pip-1", "pip-2"]
    assert [e.key for e in store.remove("pip-", prefix=True).removed] == ["pip-1", "pip-2"]
    assert store.remove("pip-", prefix=False).removed == ()
    assert keys(store) == ["npm-1"]
    assert store.size() < 2 * ENTRY


def test_an_empty_store_prunes_to_nothing(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "never-created")
    assert store.prune().removed == ()
    assert store.entries() == []
