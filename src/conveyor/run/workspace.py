"""Each job's own directory: the commit's files, `runner.temp`, and a tool cache.

GitHub's runner gives every job a fresh workspace; conveyor fills it with the event's
commit (a shared clone: its own `.git`, objects borrowed from the repository, so `git`
commands in steps work and nothing in the user's repository changes). `--dirty` lays the
uncommitted changes (modified, added, deleted, untracked-but-not-ignored) over it, so a
developer can try a change before committing.

Layout under the run's directory:

    <run>/<job-slug>/workspace     github.workspace (GITHUB_WORKSPACE)
    <run>/<job-slug>/temp          runner.temp (RUNNER_TEMP), emptied per job
    <run>/<job-slug>/files         GITHUB_OUTPUT, GITHUB_ENV, … per step
"""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import UsageError


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


async def prepare(
    repo: Path, sha: str, root: Path, *, tool_cache: Path, dirty: bool = False
) -> Workspace:
    """Create the job directory under `root` with the commit `sha` of `repo` checked out."""
    workspace = root / "workspace"
    temp = root / "temp"
    files = root / "files"
    if root.exists():
        shutil.rmtree(root)
    for path in (temp, files, tool_cache):
        path.mkdir(parents=True, exist_ok=True)
    # `--template=` copies no hook samples: a third fewer files to write and to delete
    await _git(
        repo,
        "clone",
        "--quiet",
        "--shared",
        "--no-checkout",
        "--template=",
        str(repo),
        str(workspace),
    )
    await _git(workspace, "-c", "advice.detachedHead=false", "checkout", "--quiet", sha)
    if dirty:
        await _overlay_changes(repo, workspace)
    return Workspace(root=root, workspace=workspace, temp=temp, files=files, tool_cache=tool_cache)
