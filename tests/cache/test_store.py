"""Saving and restoring entries: what a workflow using actions/cache would see."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conveyor.cache import CacheStore, RestoreResult, cache_version
from conveyor.cache.blobs import CHUNK_SIZE
from conveyor.errors import CheckFailed, UserError

MAIN, FEATURE = "refs/heads/main", "refs/heads/feature"
PATHS = [".venv"]
VERSION = cache_version(PATHS)


@pytest.fixture
def store(tmp_path: Path) -> CacheStore:
    return CacheStore(tmp_path / "store")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    venv = ws / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "lib").mkdir()
    (venv / "bin" / "python").write_text("#!/bin/sh\necho python\n")
    (venv / "bin" / "python").chmod(0o755)
    (venv / "lib" / "empty").write_bytes(b"")
    (venv / "lib" / "readonly.txt").write_text("read only")
    (venv / "lib" / "readonly.txt").chmod(0o444)
    (venv / "lib" / "big.bin").write_bytes(os.urandom(CHUNK_SIZE + 1000))
    os.symlink("bin/python", venv / "python3")
    os.utime(venv / "bin" / "python", ns=(1_600_000_000_123_456_789,) * 2)
    return ws


def restore_into(
    store: CacheStore, target: Path, key: str = "venv-1", restore_keys: tuple[str, ...] = ()
) -> RestoreResult:
    return store.restore(
        key, restore_keys, scopes=[FEATURE, MAIN], version=VERSION, workspace=target
    )


def tree(root: Path) -> dict[str, tuple[str, int, bytes | str]]:
    """Every path under root: kind, permission bits, content or link target."""
    result: dict[str, tuple[str, int, bytes | str]] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            result[name] = ("link", 0, os.readlink(path))
        elif stat.S_ISDIR(st.st_mode):
            result[name] = ("dir", stat.S_IMODE(st.st_mode), b"")
        else:
            result[name] = ("file", stat.S_IMODE(st.st_mode), path.read_bytes())
    return result


def test_a_restore_writes_back_contents_modes_links_and_mtimes(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    saved = store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    assert saved.status == "saved"
    assert saved.files == 5
    target = tmp_path / "elsewhere"
    result = store.restore("venv-1", scopes=[MAIN], version=VERSION, workspace=target)
    assert (result.hit, result.matched_key, result.cache_hit) == (True, "venv-1", "true")
    assert tree(target) == tree(workspace)
    python = target / ".venv" / "bin" / "python"
    assert python.stat().st_mtime_ns == 1_600_000_000_123_456_789
    assert (target / ".venv" / "python3").is_symlink()


def test_a_restore_key_match_is_not_a_cache_hit(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    result = store.restore(
        "venv-2", ["venv-"], scopes=[FEATURE, MAIN], version=VERSION, workspace=tmp_path / "t"
    )
    assert (result.hit, result.matched_key, result.scope, result.cache_hit) == (
        False,
        "venv-1",
        MAIN,
        "false",
    )
    assert (tmp_path / "t" / ".venv" / "bin" / "python").exists()


def test_the_newest_prefix_match_is_restored(tmp_path: Path, workspace: Path) -> None:
    now = [100.0]
    store = CacheStore(tmp_path / "store", clock=lambda: now[0])
    python = workspace / ".venv" / "bin" / "python"
    for n in (1, 3, 2):
        python.write_text(f"version {n}")
        now[0] += 10
        store.save(f"venv-{n}", PATHS, workspace=workspace, scope=MAIN)
    result = restore_into(store, tmp_path / "t", "venv-9", ("venv-",))
    assert (tmp_path / "t" / ".venv" / "bin" / "python").read_text() == "version 2"
    assert result.matched_key == "venv-2"


def test_an_entry_is_never_overwritten(store: CacheStore, workspace: Path, tmp_path: Path) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    (workspace / ".venv" / "bin" / "python").write_text("changed")
    again = store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    assert again.status == "exists"
    assert "already exists" in again.message
    restore_into(store, tmp_path / "t")
    assert (tmp_path / "t" / ".venv" / "bin" / "python").read_text().startswith("#!/bin/sh")


def test_the_same_key_in_another_scope_is_another_entry(store: CacheStore, workspace: Path) -> None:
    assert store.save("venv-1", PATHS, workspace=workspace, scope=MAIN).saved
    assert store.save("venv-1", PATHS, workspace=workspace, scope=FEATURE).saved
    assert sorted(e.scope for e in store.entries()) == [FEATURE, MAIN]


def test_a_restore_with_other_paths_does_not_see_the_entry(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    result = store.restore(
        "venv-1", scopes=[MAIN], version=cache_version([".venv", "~/.cache"]), workspace=tmp_path
    )
    assert result.matched_key is None


def test_lookup_only_reports_without_writing(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    result = store.restore(
        "venv-1", scopes=[MAIN], version=VERSION, workspace=tmp_path / "t", lookup_only=True
    )
    assert (result.hit, result.matched_key) == (True, "venv-1")
    assert not (tmp_path / "t").exists()


def test_fail_on_cache_miss_fails_only_when_nothing_matched(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    with pytest.raises(CheckFailed, match=r"fail-on-cache-miss is set\. Input key: other-1"):
        store.restore(
            "other-1", scopes=[MAIN], version=VERSION, workspace=tmp_path, fail_on_cache_miss=True
        )
    partial = store.restore(
        "venv-2",
        ["venv-"],
        scopes=[MAIN],
        version=VERSION,
        workspace=tmp_path / "t",
        fail_on_cache_miss=True,
    )
    assert partial.matched_key == "venv-1"


def test_nothing_to_save_is_a_warning_not_an_error(store: CacheStore, tmp_path: Path) -> None:
    result = store.save("k", ["missing/**"], workspace=tmp_path, scope=MAIN)
    assert result.status == "no-files"
    assert "do(es) not exist" in result.message
    assert store.entries() == []


def test_an_empty_path_input_is_a_user_error(store: CacheStore, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="At least one directory or file path is required"):
        store.save("k", ["\n  \n"], workspace=tmp_path, scope=MAIN)


def test_bad_keys_are_user_errors(store: CacheStore, workspace: Path) -> None:
    with pytest.raises(UserError, match="commas"):
        store.save("a,b", PATHS, workspace=workspace, scope=MAIN)
    with pytest.raises(UserError, match="512"):
        store.restore("k" * 513, scopes=[MAIN], version=VERSION, workspace=workspace)


def test_an_entry_over_the_size_limit_is_refused(tmp_path: Path, workspace: Path) -> None:
    store = CacheStore(tmp_path / "store", max_entry_bytes=1024)
    result = store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    assert result.status == "too-large"
    assert "is over the 1.0 KiB limit, not saving cache" in result.message
    assert store.entries() == []
    assert store.size() == 0


def test_entries_with_the_same_files_share_their_blobs(store: CacheStore, workspace: Path) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    once = store.size()
    store.save("venv-1", PATHS, workspace=workspace, scope=FEATURE)
    assert store.size() == once


def test_outside_paths_are_restored_where_they_were(
    store: CacheStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "pip").mkdir(parents=True)
    (home / ".cache" / "pip" / "wheel.whl").write_text("wheel")
    monkeypatch.setenv("HOME", str(home))
    paths = ["~/.cache/pip"]
    store.save("pip-1", paths, workspace=tmp_path / "ws", scope=MAIN)
    (home / ".cache" / "pip" / "wheel.whl").unlink()
    store.restore("pip-1", scopes=[MAIN], version=cache_version(paths), workspace=tmp_path / "ws2")
    assert (home / ".cache" / "pip" / "wheel.whl").read_text() == "wheel"


def test_a_restore_replaces_what_is_there_without_following_links(
    store: CacheStore, workspace: Path, tmp_path: Path
) -> None:
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    target = tmp_path / "t"
    (target / ".venv" / "bin").mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    os.symlink(victim, target / ".venv" / "bin" / "python")
    restore_into(store, target)
    assert victim.read_text() == "keep me"
    assert (target / ".venv" / "bin" / "python").read_text().startswith("#!/bin/sh")


def test_a_restore_counts_as_a_use(tmp_path: Path, workspace: Path) -> None:
    now = [1000.0]
    store = CacheStore(tmp_path / "store", clock=lambda: now[0])
    store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    now[0] = 5000.0
    restore_into(store, tmp_path / "t")
    [entry] = store.entries()
    assert (entry.created.timestamp(), entry.last_used.timestamp()) == (1000.0, 5000.0)


def test_the_default_store_is_under_conveyor_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVEYOR_CACHE_DIR", str(tmp_path / "c"))
    assert CacheStore().root == tmp_path / "c" / "caches"


def test_a_file_that_cannot_be_read_fails_the_save_with_a_warning(
    store: CacheStore, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conveyor.cache import archive

    def unreadable(source: str, offset: int = 0, length: int = -1) -> bytes:
        raise PermissionError(13, "Permission denied", source)

    monkeypatch.setattr(archive, "_read", unreadable)
    result = store.save("venv-1", PATHS, workspace=workspace, scope=MAIN)
    assert result.status == "failed"
    assert "Failed to save: [Errno 13] Permission denied" in result.message
    assert store.entries() == []
    assert store.size() == 0
