"""A damaged entry is a cache miss with a warning, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.cache import CacheStore, cache_version

MAIN = "refs/heads/main"
PATHS = ["deps"]
VERSION = cache_version(PATHS)


@pytest.fixture
def store(tmp_path: Path) -> CacheStore:
    ws = tmp_path / "ws"
    (ws / "deps").mkdir(parents=True)
    (ws / "deps" / "lib.py").write_text("x = 1\n" * 100)
    store = CacheStore(tmp_path / "store")
    assert store.save("deps-1", PATHS, workspace=ws, scope=MAIN).saved
    return store


def blob_files(store: CacheStore) -> list[Path]:
    return [p for p in store.blobs.root.rglob("*") if p.is_file()]


def restore(store: CacheStore, target: Path) -> tuple[bool, str | None, tuple[str, ...]]:
    result = store.restore("deps-1", scopes=[MAIN], version=VERSION, workspace=target)
    return result.hit, result.matched_key, result.warnings


def test_a_corrupt_blob_is_a_miss_and_the_entry_is_dropped(
    store: CacheStore, tmp_path: Path
) -> None:
    [blob] = blob_files(store)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    hit, matched, warnings = restore(store, tmp_path / "t")
    assert (hit, matched) == (False, None)
    assert "damaged" in warnings[0]
    assert "deps-1" in warnings[0]
    assert store.entries() == []


def test_a_missing_blob_is_a_miss_and_nothing_is_written(store: CacheStore, tmp_path: Path) -> None:
    [blob] = blob_files(store)
    blob.unlink()
    hit, matched, warnings = restore(store, tmp_path / "t")
    assert (hit, matched) == (False, None)
    assert "missing" in warnings[0]
    assert not (tmp_path / "t" / "deps" / "lib.py").exists()


def test_a_truncated_manifest_is_a_miss(store: CacheStore, tmp_path: Path) -> None:
    [manifest] = (store.root / "entries").iterdir()
    manifest.write_bytes(manifest.read_bytes()[:-40])
    hit, matched, warnings = restore(store, tmp_path / "t")
    assert (hit, matched) == (False, None)
    assert "damaged" in warnings[0]


def test_a_manifest_that_is_not_one_is_ignored(store: CacheStore, tmp_path: Path) -> None:
    [manifest] = (store.root / "entries").iterdir()
    manifest.write_text("not json\n")
    assert restore(store, tmp_path / "t") == (False, None, ())
    assert store.entries() == []


def test_the_same_key_can_be_saved_again_after_damage(store: CacheStore, tmp_path: Path) -> None:
    for blob in blob_files(store):
        blob.write_bytes(b"garbage")
    restore(store, tmp_path / "t")
    ws = tmp_path / "ws"
    assert store.save("deps-1", PATHS, workspace=ws, scope=MAIN).status == "saved"
    assert restore(store, tmp_path / "t2")[:2] == (True, "deps-1")
    assert (tmp_path / "t2" / "deps" / "lib.py").read_text() == "x = 1\n" * 100


def test_an_interrupted_save_leaves_no_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    (ws / "deps" / "a").mkdir(parents=True)
    (ws / "deps" / "b").mkdir()
    (ws / "deps" / "a" / "one.py").write_text("one")
    (ws / "deps" / "b" / "two.py").write_text("two")
    store = CacheStore(tmp_path / "store")
    real_put = store.blobs.put
    calls: list[bytes] = []

    def put_then_die(data: bytes) -> object:
        calls.append(data)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_put(data)

    monkeypatch.setattr(store.blobs, "put", put_then_die)
    with pytest.raises(KeyboardInterrupt):
        store.save("deps-1", PATHS, workspace=ws, scope=MAIN)
    monkeypatch.undo()
    assert store.entries() == []
    assert restore(store, tmp_path / "t") == (False, None, ())
    assert store.save("deps-1", PATHS, workspace=ws, scope=MAIN).saved
    assert restore(store, tmp_path / "t2")[:2] == (True, "deps-1")
    assert (tmp_path / "t2" / "deps" / "b" / "two.py").read_text() == "two"
