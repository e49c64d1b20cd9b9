"""Two processes saving at once: one entry per key, never a half-written one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conveyor.cache import CacheStore, cache_version

MAIN = "refs/heads/main"
PATHS = ["deps"]

SAVE = """
import json, sys
from pathlib import Path
from conveyor.cache import CacheStore
store = CacheStore(Path(sys.argv[1]))
go = Path(sys.argv[4])
while not go.exists():
    pass
result = store.save(sys.argv[2], ["deps"], workspace=Path(sys.argv[3]), scope="refs/heads/main")
print(json.dumps(result.status))
"""


def workspace(root: Path, seed: int) -> Path:
    deps = root / "deps"
    deps.mkdir(parents=True)
    for n in range(40):
        (deps / f"module{n}.py").write_text(f"# {seed}\n" + "x = 1\n" * (n * 50))
    (deps / "wheel.bin").write_bytes(os.urandom(3_000_000))
    return root


def save_at_once(store: Path, saves: list[tuple[str, Path]], go: Path) -> list[str]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVE, str(store), key, str(ws), str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for key, ws in saves
    ]
    go.touch()
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    return [json.loads(out) for out in outputs]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_saves_of_one_key_make_one_whole_entry(tmp_path: Path) -> None:
    first, second = workspace(tmp_path / "ws1", 1), workspace(tmp_path / "ws2", 2)
    statuses = save_at_once(
        tmp_path / "store", [("deps-1", first), ("deps-1", second)], tmp_path / "go"
    )
    assert sorted(statuses) == ["exists", "saved"]
    store = CacheStore(tmp_path / "store")
    assert [e.key for e in store.entries()] == ["deps-1"]
    result = store.restore(
        "deps-1", scopes=[MAIN], version=cache_version(PATHS), workspace=tmp_path / "out"
    )
    assert result.hit
    winner = first if statuses[0] == "saved" else second
    assert tree(tmp_path / "out") == tree(winner)


def test_two_saves_of_different_keys_both_land(tmp_path: Path) -> None:
    first, second = workspace(tmp_path / "ws1", 1), workspace(tmp_path / "ws2", 2)
    statuses = save_at_once(tmp_path / "store", [("a-1", first), ("b-1", second)], tmp_path / "go")
    assert statuses == ["saved", "saved"]
    store = CacheStore(tmp_path / "store")
    for key, ws in (("a-1", first), ("b-1", second)):
        out = tmp_path / f"out-{key}"
        store.restore(key, scopes=[MAIN], version=cache_version(PATHS), workspace=out)
        assert tree(out) == tree(ws)
