"""Each job's own directory: the commit's files, `runner.temp`, and a tool cache.

GitHub's runner gives every job a fresh workspace; conveyor fills it with the event's
commit (a shared clone: its own `.git`, objects borrowed from the repository, so `git`
commands in steps work and nothing in the user's repository changes). `--dirty` lays the
uncommitted changes (modified, added, deleted, untracked-but-not-ignored) over it, so a
developer can try a change before committing. Within a run, the commit is cloned and checked
out once per sha (under `checkouts`) and each job gets a copy of that clone: its own files
and its own `.git`, without starting `git` per job.

Layout under the run's directory:

    <run>/<job-slug>/workspace     github.workspace (GITHUB_WORKSPACE)
    <run>/<job-slug>/temp          runner.temp (RUNNER_TEMP), emptied per job
    <run>/<job-slug>/files         GITHUB_OUTPUT, GITHUB_ENV, … per step
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import UsageError

_CLONING: weakref.WeakValueDictionary[Path, asyncio.Lock] = weakref.WeakValueDictionary()
"""One lock per shared checkout being made: the jobs that need it wait for the first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Workspace:
    root: Path
    workspace: Path
    temp: Path
    files: Path
    tool_cache: Path


def slug(name: str) -> str:
    """A directory name for a job display name: `build (3.11, ubuntu)` → `build-3.11-ubuntu`."""
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return text[:80] or "job"


async def _git(repo: Path, *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "git",
        *args,
        cwd=repo,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise UsageError(
            f"git {' '.join(args)} failed in {repo}: {err.decode(errors='replace').strip()}"
        )
    return out.decode(errors="replace")


async def _overlay_changes(repo: Path, dest: Path) -> None:
    """Copy uncommitted changes of `repo` over `dest` (which holds HEAD)."""
    listing = await _git(repo, "ls-files", "-z", "--modified", "--others", "--exclude-standard")
    deleted = await _git(repo, "ls-files", "-z", "--deleted")
    gone = {p for p in deleted.split("\0") if p}
    for rel in sorted({p for p in listing.split("\0") if p} - gone):
        source, target = repo / rel, dest / rel
        if source.is_file() or source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.exists():
                target.unlink()
            shutil.copy2(source, target, follow_symlinks=False)
    for rel in sorted(gone):
        target = dest / rel
        if target.is_file() or target.is_symlink():
            target.unlink()


async def _clone(repo: Path, sha: str, dest: Path) -> None:
    # `--template=` copies no hook samples: a third fewer files to write and to delete
    await _git(
        repo, "clone", "--quiet", "--shared", "--no-checkout", "--template=", str(repo), str(dest)
    )
    await _git(dest, "-c", "advice.detachedHead=false", "checkout", "--quiet", sha)


async def _shared_checkout(repo: Path, sha: str, checkouts: Path) -> Path:
    """`checkouts/<sha>`: a clone at `sha`, made by the first job that needs it.

    Made aside and renamed into place, so a job never copies half a clone; the other jobs
    of the run wait for it (should another process race, one rename wins).
    """
    done = checkouts / sha
    lock = _CLONING.setdefault(done, asyncio.Lock())
    async with lock:
        if not (done / ".git").is_dir():
            await _make_checkout(repo, sha, checkouts, done)
    return done


async def _make_checkout(repo: Path, sha: str, checkouts: Path, done: Path) -> None:
    checkouts.mkdir(parents=True, exist_ok=True)
    partial = checkouts / f"{sha}.{os.getpid()}.{id(asyncio.current_task())}"
    try:
        await _clone(repo, sha, partial)
        try:
            partial.rename(done)
        except OSError:
            if not (done / ".git").is_dir():
                raise
    finally:
        if partial.exists():
            await asyncio.to_thread(shutil.rmtree, partial, True)


async def _copy(source: Path, dest: Path) -> None:
    """`cp -a`: one short process, the whole tree copied at C speed, symlinks kept."""
    proc = await asyncio.create_subprocess_exec(
        "cp",
        "-a",
        str(source),
        str(dest),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise UsageError(f"cp -a {source} {dest} failed: {err.decode(errors='replace').strip()}")


async def prepare(
    repo: Path,
    sha: str,
    root: Path,
    *,
    tool_cache: Path,
    dirty: bool = False,
    checkouts: Path | None = None,
) -> Workspace:
    """Create the job directory under `root` with the commit `sha` of `repo` checked out.

    With `checkouts`, the clone is made once per sha there and copied into `root`.
    """
    workspace = root / "workspace"
    temp = root / "temp"
    files = root / "files"
    if root.exists():
        await asyncio.to_thread(shutil.rmtree, root)
    for path in (temp, files, tool_cache):
        path.mkdir(parents=True, exist_ok=True)
    if checkouts is None:
        await _clone(repo, sha, workspace)
    else:
        source = await _shared_checkout(repo, sha, checkouts)
        await _copy(source, workspace)
    if dirty:
        await _overlay_changes(repo, workspace)
    return Workspace(root=root, workspace=workspace, temp=temp, files=files, tool_cache=tool_cache)
