"""Where the code of an action that is not built in comes from: conveyor's action cache.

`uses: OWNER/REPO[/PATH]@REF` names a repository at a ref. conveyor looks for that
repository's files in its action cache (`$CONVEYOR_CACHE_DIR/actions`, else `actions` in
the user cache directory), laid out as `OWNER/REPO/REF/`; the action is `PATH` inside it.
The cache is filled in two ways:

- `conveyor actions add OWNER/REPO@REF --from DIR` copies a directory the user has (a
  clone, a vendored copy), offline;
- a run with `--allow-network` fetches the ref with git (a shallow clone of the tag or
  branch, or a fetch of the commit for a SHA) from `$CONVEYOR_ACTIONS_SERVER`, else
  GitHub, and keeps it for later runs.

Entries are written whole into a temporary directory, then renamed into place, as the
runner's own action download is. `conveyor actions add` replaces an entry; a fetch never
does (legs of a matrix that start together fetch a ref once, and a copy another run is
using stays in place).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from conveyor.errors import UserError
from conveyor.git import is_full_sha
from conveyor.userdirs import cache_base

MARKER = ".conveyor-action.json"  # written last: an entry without it is incomplete
DEFAULT_SERVER = "https://github.com"
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

RunGit = Callable[[Sequence[str], Path, Mapping[str, str]], Awaitable[int]]
"""argv, cwd, extra env → exit code (a step's process runner, so output is logged)."""


class ActionNotCached(UserError):
    """The action's code is not in the action cache and may not be fetched."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRef:
    """`OWNER/REPO[/PATH]@REF`, split."""

    owner: str
    repo: str
    path: str  # "" for an action at the repository root
    ref: str

    @property
    def repository(self) -> str:
        return f"{self.owner}/{self.repo}"

    def __str__(self) -> str:
        where = f"{self.repository}/{self.path}" if self.path else self.repository
        return f"{where}@{self.ref}"

    def within(self, repository: Path) -> Path:
        """The action's own folder in a copy of its repository."""
        return repository / self.path if self.path else repository


def parse_ref(uses: str) -> ActionRef:
    """`actions/checkout@v4`, `owner/repo/sub/dir@sha` → `ActionRef`; a clear error otherwise."""
    text = uses.strip()
    where, at, ref = text.partition("@")
    parts = where.split("/")
    if not at or not ref or len(parts) < 2 or not all(_NAME.match(p) for p in parts):
        raise UserError(
            f"`{uses}` is not an action reference",
            hint="write OWNER/REPO@REF or OWNER/REPO/PATH@REF, e.g. `actions/checkout@v4`",
        )
    if any(p in (".", "..") for p in parts) or ".." in ref.split("/"):
        raise UserError(f"`{uses}`: `..` is not allowed in an action reference")
    return ActionRef(owner=parts[0], repo=parts[1], path="/".join(parts[2:]), ref=ref)


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedAction:
    """One repository at one ref in the action cache."""

    repository: str
    ref: str
    directory: Path
    source: str  # the directory it was copied from, or the URL it was fetched from
    added: datetime


def default_root() -> Path:
    return cache_base() / "actions"


def server_url(github_server: str | None = None) -> str:
    """Where actions are fetched from: `$CONVEYOR_ACTIONS_SERVER`, the run's server, GitHub."""
    return (os.environ.get("CONVEYOR_ACTIONS_SERVER") or github_server or DEFAULT_SERVER).rstrip(
        "/"
    )


class ActionCache:
    """Repositories of actions at refs, one directory each: `ROOT/OWNER/REPO/REF/`."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_root()

    def directory(self, ref: ActionRef) -> Path:
        # a ref may hold `/` (`release/v1`); quote it into one path component
        return self.root / ref.owner.lower() / ref.repo.lower() / quote(ref.ref, safe="")

    def find(self, ref: ActionRef) -> Path | None:
        """The repository's directory, when it is complete in the cache."""
        directory = self.directory(ref)
        return directory if (directory / MARKER).is_file() else None

    def add(
        self, ref: ActionRef, source: Path, *, origin: str | None = None, replace: bool = True
    ) -> Path:
        """Copy `source` (without `.git`) in as `ref`'s repository, replacing an older copy
        (or, with `replace=False`, keeping a copy that is already there: another run
        fetching the same ref may be using it)."""
        if not source.is_dir():
            raise UserError(f"{source} is not a directory", hint="give --from the action's folder")
        target = self.directory(ref)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
        try:
            tree = staging / "tree"
            try:
                shutil.copytree(source, tree, symlinks=True, ignore=shutil.ignore_patterns(".git"))
            except (OSError, shutil.Error) as exc:
                raise UserError(
                    f"cannot copy {source} into the action cache: {exc}",
                    hint="check that every file under it is readable",
                ) from None
            info = {
                "repository": ref.repository,
                "ref": ref.ref,
                "source": origin or str(source.resolve()),
                "added": datetime.now(UTC).isoformat(),
            }
            (tree / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
            if target.exists() and (replace or self.find(ref) is None):
                target.rename(staging / "old")  # an older copy, or one left incomplete
            try:
                tree.rename(target)
            except OSError:  # a complete copy arrived meanwhile: the first one stays
                if not replace and self.find(ref) is not None:
                    return target
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target

    def remove(self, ref: ActionRef) -> bool:
        target = self.directory(ref)
        if not target.exists():
            return False
        shutil.rmtree(target)
        return True

    def entries(self) -> list[CachedAction]:
        """Every complete entry, by repository then ref."""
        found = []
        for marker in sorted(self.root.glob(f"*/*/*/{MARKER}")):
            try:
                info = json.loads(marker.read_text(encoding="utf-8"))
                found.append(
                    CachedAction(
                        repository=str(info["repository"]),
                        ref=str(info["ref"]),
                        directory=marker.parent,
                        source=str(info.get("source", "")),
                        added=datetime.fromisoformat(str(info["added"])),
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged entry is left out, not fatal
        return sorted(found, key=lambda e: (e.repository.lower(), e.ref))


async def fetch(ref: ActionRef, cache: ActionCache, *, server: str, run: RunGit) -> Path:
    """Fetch `ref`'s repository with git into the cache; its directory."""
    url = f"{server}/{ref.owner}/{ref.repo}"
    scratch = Path(tempfile.mkdtemp(prefix="conveyor-action-"))
    clone = scratch / "repo"
    quiet = {"GIT_TERMINAL_PROMPT": "0"}
    try:
        if is_full_sha(ref.ref):
            steps: list[list[str]] = [
                ["git", "init", "--quiet", str(clone)],
                ["git", "-C", str(clone), "fetch", "--quiet", "--depth", "1", url, ref.ref],
                ["git", "-C", str(clone), "checkout", "--quiet", "--detach", "FETCH_HEAD"],
            ]
        else:
            steps = [
                ["git", "clone", "--quiet", "--depth", "1", "--branch", ref.ref, url, str(clone)]
            ]
        for argv in steps:
            if await run(argv, scratch, quiet) != 0:
                raise ActionNotCached(
                    f"could not fetch {ref.repository}@{ref.ref} from {url}",
                    hint="check the name and ref, or add a copy with "
                    f"`conveyor actions add {ref.repository}@{ref.ref} --from DIR`",
                )
        return cache.add(ref, clone, origin=url, replace=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_FETCHES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Path, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _fetch_lock(directory: Path) -> asyncio.Lock:
    """One fetch of a ref at a time in this process (matrix legs start together)."""
    locks = _FETCHES.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault(directory, asyncio.Lock())


async def locate(
    ref: ActionRef,
    cache: ActionCache,
    *,
    allow_network: bool,
    server: str,
    run: RunGit,
) -> Path:
    """The action's own directory (`PATH` inside the repository), fetching it if allowed."""
    repository = cache.find(ref)
    if repository is None:
        if not allow_network:
            raise ActionNotCached(
                f"`uses: {ref}`: the action's code is not in conveyor's action cache "
                f"({cache.root})",
                hint=f"add a copy with `conveyor actions add {ref.repository}@{ref.ref} "
                "--from DIR`, let conveyor fetch it with `--allow-network`, or mark the step "
                "`continue-on-error: true`",
            )
        async with _fetch_lock(cache.directory(ref)):
            repository = cache.find(ref) or await fetch(ref, cache, server=server, run=run)
    action_dir = ref.within(repository)
    if not action_dir.is_dir():
        raise UserError(f"`uses: {ref}`: {ref.repository}@{ref.ref} has no folder `{ref.path}`")
    return action_dir


def cached_folders(cache: ActionCache | None = None) -> Callable[[str], Path | None]:
    """For the validator: `uses` → the folder of its copy in the cache, or None."""
    chosen = cache or ActionCache()

    def folder(uses: str) -> Path | None:
        try:
            ref = parse_ref(uses)
        except UserError:
            return None
        found = chosen.find(ref)
        return ref.within(found) if found is not None else None

    return folder
