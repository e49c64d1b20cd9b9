"""`conveyor cache list|rm|prune` over the store in $CONVEYOR_CACHE_DIR."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conveyor.cache import CacheStore
from conveyor.cli import main

MAIN, FEATURE = "refs/heads/main", "refs/heads/feature"


@pytest.fixture
def store(tmp_path: Path) -> CacheStore:
    ws = tmp_path / "ws"
    (ws / "deps").mkdir(parents=True)
    store = CacheStore()
    for n, (key, scope) in enumerate(
        [("pip-1", MAIN), ("pip-1", FEATURE), ("pip-2", MAIN), ("npm-1", MAIN)]
    ):
        (ws / "deps" / "lib.bin").write_bytes(os.urandom(2000 + n))
        assert store.save(key, ["deps"], workspace=ws, scope=scope).saved
    return store


def listed(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    assert main(["cache", "list", "--json"]) == 0
    return sorted((e["key"], e["scope"]) for e in json.loads(capsys.readouterr().out))


def test_list_shows_every_entry(store: CacheStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "list"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("pip", "npm"))]
    assert sorted((row[0], row[1]) for row in rows) == [
        ("npm-1", MAIN),
        ("pip-1", FEATURE),
        ("pip-1", MAIN),
        ("pip-2", MAIN),
    ]
    assert "4 entries" in out


def test_list_json_has_sizes_and_times(
    store: CacheStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    npm = next(e for e in entries if e["key"] == "npm-1")
    assert npm["size"] == 2003
    assert npm["files"] == 1
    assert set(npm) >= {"key", "scope", "size", "stored", "created", "last_used", "version"}


def test_list_of_an_empty_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "list"]) == 0
    assert "No cache entries" in capsys.readouterr().out
    assert main(["cache", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_rm_a_key_in_every_scope(store: CacheStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "rm", "pip-1"]) == 0
    assert "Removed 2 entries" in capsys.readouterr().out
    assert listed(capsys) == [("npm-1", MAIN), ("pip-2", MAIN)]


def test_rm_in_one_scope(store: CacheStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "rm", "pip-1", "--scope", FEATURE]) == 0
    capsys.readouterr()
    assert listed(capsys) == [("npm-1", MAIN), ("pip-1", MAIN), ("pip-2", MAIN)]


def test_rm_by_prefix(store: CacheStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "rm", "pip-", "--prefix"]) == 0
    capsys.readouterr()
    assert listed(capsys) == [("npm-1", MAIN)]


def test_rm_of_no_entry_is_a_user_error(
    store: CacheStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "rm", "pip-"]) == 2
    assert "no cache entry with key `pip-`" in capsys.readouterr().err


def test_prune_to_a_size_keeps_the_most_recently_used(
    store: CacheStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "prune", "--max-size", "0"]) == 0
    assert "Pruned 4 entries" in capsys.readouterr().out
    assert listed(capsys) == []
    assert store.size() == 0


def test_prune_older_than_keeps_recent_entries(
    store: CacheStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "prune", "--older-than", "7"]) == 0
    assert "Pruned 0 entries" in capsys.readouterr().out
    assert len(listed(capsys)) == 4


def test_prune_with_a_bad_size_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "prune", "--max-size", "lots"]) == 2
    assert "`lots` is not a size" in capsys.readouterr().err


def test_store_option_reads_another_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    (ws / "deps").mkdir(parents=True)
    (ws / "deps" / "lib.py").write_text("x")
    CacheStore(tmp_path / "other").save("own-1", ["deps"], workspace=ws, scope=MAIN)
    assert main(["cache", "list", "--json", "--store", str(tmp_path / "other")]) == 0
    assert [e["key"] for e in json.loads(capsys.readouterr().out)] == ["own-1"]
    assert listed(capsys) == []
