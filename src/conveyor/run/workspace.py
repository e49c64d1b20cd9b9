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
import contextlib
import os
import re
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """`checkouts/<sha>`: a whole job directory (`workspace` a clone at `sha`, empty
    `temp` and `files`), made by the first job that needs it and copied by the others.

    Made aside and renamed into place, so a job never copies half a clone; the other jobs
    of the run wait for it (should another process race, one rename wins).
    """
    done = checkouts / sha
    lock = _CLONING.setdefault(done, asyncio.Lock())
    async with lock:
        if not (done / "workspace" / ".git").is_dir():
            await _make_checkout(repo, sha, checkouts, done)
    return done


async def _make_checkout(repo: Path, sha: str, checkouts: Path, done: Path) -> None:
    partial = checkouts / f"{sha}.{os.getpid()}.{id(asyncio.current_task())}"
    try:
        for path in (partial / "temp", partial / "files"):
            path.mkdir(parents=True)
        await _clone(repo, sha, partial / "workspace")
        try:
            partial.rename(done)
        except OSError:
            if not (done / "workspace" / ".git").is_dir():
                raise
    finally:
        if partial.exists():
            await asyncio.to_thread(shutil.rmtree, partial, True)


async def _command(*argv: str) -> None:
    """Run a short file-system command (`cp`, `rm`): its work is done outside this
    process, on another core, and never holds the event loop or the GIL."""
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise UsageError(f"{' '.join(argv)} failed: {err.decode(errors='replace').strip()}")


async def _copy(source: Path, dest: Path) -> None:
    """`cp -a`: one short process, the whole tree copied at C speed, symlinks kept."""
    await _command("cp", "-a", str(source), str(dest))


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

    With `checkouts`, the clone is made once per sha there and the job directory is copied
    from it, by one `cp -a` that also makes `temp` and `files`.
    """
    workspace = root / "workspace"
    temp = root / "temp"
    files = root / "files"
    if root.exists():
        await asyncio.to_thread(shutil.rmtree, root)
    tool_cache.mkdir(parents=True, exist_ok=True)
    if checkouts is None:
        for path in (temp, files):
            path.mkdir(parents=True)
        await _clone(repo, sha, workspace)
    else:
        source = await _shared_checkout(repo, sha, checkouts)
        root.parent.mkdir(parents=True, exist_ok=True)
        await _copy(source, root)
    if dirty:
        await _overlay_changes(repo, workspace)
    return Workspace(root=root, workspace=workspace, temp=temp, files=files, tool_cache=tool_cache)


class Workspaces:
    """The job directories of one run: made ahead for legs waiting for a slot, removed
    when their job ends (unless `keep`).

    `reserve(sha, root)` asks for a leg's directory ahead of time; `take(sha, root)` is the
    leg's, made ahead or made now; `drop(root)` withdraws a reservation (a leg that will not
    run); `release(workspace)` removes it; `close()` waits for the ones still being made.
    """

    def __init__(
        self,
        repo: Path,
        *,
        tool_cache: Path,
        checkouts: Path | None,
        dirty: bool = False,
        ahead: int = 2,
        keep: bool = False,
    ) -> None:
        self._repo = repo
        self._tool_cache = tool_cache
        self._checkouts = checkouts
        self._dirty = dirty
        self._ahead = max(0, ahead)
        self._keep = keep
        self._waiting: dict[Path, str] = {}  # reserved, not started: root → sha
        self._made: dict[Path, asyncio.Task[Workspace]] = {}  # started, not taken
        self._dropped: list[asyncio.Task[Workspace]] = []  # made ahead for nothing
        self._unused: list[Path] = []  # released, to remove
        self._remover: asyncio.Task[None] | None = None

    def _prepare(self, sha: str, root: Path) -> asyncio.Task[Workspace]:
        return asyncio.create_task(
            prepare(
                self._repo,
                sha,
                root,
                tool_cache=self._tool_cache,
                dirty=self._dirty,
                checkouts=self._checkouts,
            )
        )

    def _fill(self) -> None:
        while self._waiting and len(self._made) < self._ahead:
            root, sha = next(iter(self._waiting.items()))
            del self._waiting[root]
            self._made[root] = self._prepare(sha, root)

    def reserve(self, sha: str, root: Path) -> None:
        if root not in self._made:
            self._waiting[root] = sha
            self._fill()

    def drop(self, root: Path) -> None:
        self._waiting.pop(root, None)
        made = self._made.pop(root, None)
        if made is not None:  # already being made: removed with the run's directory
            self._dropped.append(made)
        self._fill()

    async def take(self, sha: str, root: Path) -> Workspace:
        self._waiting.pop(root, None)
        made = self._made.pop(root, None) or self._prepare(sha, root)
        self._fill()
        return await made

    def release(self, workspace: Workspace) -> None:
        """Remove a job's directory while other jobs go on: one `rm -rf` at a time, for
        every directory released since the last one started."""
        if self._keep:
            return
        self._unused.append(workspace.root)
        if self._remover is None or self._remover.done():
            self._remover = asyncio.create_task(self._remove())

    async def _remove(self) -> None:
        while self._unused:
            roots, self._unused = self._unused, []
            with contextlib.suppress(UsageError):  # what is left goes with the run's directory
                await _command("rm", "-rf", "--", *map(str, roots))

    async def close(self) -> None:
        """Wait for directories still being made or removed (errors were the legs')."""
        self._waiting.clear()
        pending: list[asyncio.Future[Any]] = [*self._made.values(), *self._dropped]
        if self._remover is not None:
            pending.append(self._remover)
        self._made.clear()
        self._dropped.clear()
        await asyncio.gather(*pending, return_exceptions=True)
