"""`actions/checkout`: the event's commit (or `ref`) from the user's own repository.

The job's workspace is already a shared clone of the repository at the event's commit
(`conveyor.run.workspace`), so the default checkout only trims the history to
`fetch-depth` (1, as on GitHub; 0 keeps all of it). `path` places another shared clone at
`workspace/path`; `ref` is looked up in the local repository (branches, tags, remote
branches, full SHAs); `submodules` are cloned from the local repository's own submodule
clones; `sparse-checkout` and `clean` act as they do on GitHub. Nothing is fetched from a
remote: `repository` must be this one, and credentials inputs are accepted and ignored.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

from conveyor.actions import process
from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import integer, lines, note_ignored, warn_unexpected
from conveyor.git import is_full_sha

INPUTS: Final = (
    "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
    "persist-credentials", "path", "clean", "filter", "sparse-checkout",
    "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs",
    "submodules", "set-safe-directory", "github-server-url",
)  # fmt: skip
IGNORED: Final = (
    "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "persist-credentials",
    "filter", "fetch-tags", "show-progress", "set-safe-directory", "github-server-url",
)  # fmt: skip
_QUIET: Final = ("-c", "advice.detachedHead=false")


class Checkout:
    """`actions/checkout` (no post step: nothing is persisted to clean up)."""

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(
            call, io, IGNORED, "the source is the local repository; no credentials are used"
        )
        _check_repository(call)
        if call.flag("lfs"):
            io.warnings.append(
                "lfs: Git LFS files are not fetched by conveyor; they stay pointer files"
            )
        source = await _source(call)
        dest = _destination(call)
        sha, ref = await _resolve(call, source)
        await _place(call, io, source=source, dest=dest, sha=sha)
        await _trim_history(call, source=source, dest=dest, sha=sha)
        await _sparse(call, dest)
        submodules = call.input("submodules", "false").strip().lower()
        if submodules in ("true", "recursive"):
            await _submodules(
                call, io, source=source, dest=dest, recursive=submodules == "recursive"
            )
        elif submodules != "false":
            raise ActionFailed(
                f"input `submodules` must be true, false or recursive, got {submodules!r}"
            )
        io.outputs["ref"] = ref
        io.outputs["commit"] = sha
        io.log(f"Checked out {ref or sha} ({sha[:12]}) into {dest}")


def _check_repository(call: ActionCall) -> None:
    wanted = call.input("repository").strip()
    this = str(call.github.get("repository", ""))
    if wanted and wanted.lower() != this.lower():
        raise ActionFailed(
            f"actions/checkout: `repository: {wanted}` is another repository; conveyor checks "
            f"out only this one ({this or 'the local repository'}) and fetches nothing",
            hint="clone it in a `run:` step (`git clone https://github.com/"
            f"{wanted}.git`), or make it a submodule of this repository",
        )


async def _source(call: ActionCall) -> Path:
    if call.repo is not None:
        return call.repo
    found = await process.capture(
        ["git", "config", "--get", "remote.origin.url"], cwd=call.workspace, env=call.env
    )
    url = found.stdout.strip()
    if found.returncode != 0 or not url or not Path(url).is_dir():
        raise ActionFailed(
            "actions/checkout: the local repository to check out from is not known",
            hint="run the workflow with `conveyor run` from inside the repository",
        )
    return Path(url)


def _destination(call: ActionCall) -> Path:
    workspace = call.workspace.resolve()
    given = call.input("path").strip()
    dest = (workspace / given).resolve() if given else workspace
    if dest != workspace and workspace not in dest.parents:
        raise ActionFailed(
            f"Repository path '{dest}' is not under '{workspace}'",
            hint="give `path` relative to the workspace, without `..`",
        )
    return dest


def _candidates(ref: str) -> list[str]:
    if is_full_sha(ref) or ref.startswith("refs/"):
        return [ref]
    return [f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/remotes/origin/{ref}", ref]


async def _resolve(call: ActionCall, source: Path) -> tuple[str, str]:
    """The commit to check out and the `ref` output."""
    ref = call.input("ref").strip()
    if not ref:
        sha = str(call.github.get("sha", ""))
        if not sha:
            raise ActionFailed("actions/checkout: the event has no commit (github.sha is empty)")
        return sha, str(call.github.get("ref", ""))
    for candidate in _candidates(ref):
        found = await process.capture(
            ["git", "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}"],
            cwd=source,
            env=call.env,
        )
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip(), ref
    raise ActionFailed(
        f"actions/checkout: `ref: {ref}` is not in the local repository {source}",
        hint=f"fetch it first (`git fetch origin {ref}`), or check the branch, tag or SHA",
    )


async def _head(path: Path, call: ActionCall) -> str:
    found = await process.capture(["git", "rev-parse", "HEAD"], cwd=path, env=call.env)
    return found.stdout.strip() if found.returncode == 0 else ""


async def _place(call: ActionCall, io: ActionIO, *, source: Path, dest: Path, sha: str) -> None:
    """Make `dest` a clone of `source` with `sha` checked out."""
    is_repo = (dest / ".git").exists()
    if is_repo and await _head(dest, call) == sha and dest == call.workspace.resolve():
        return  # the workspace already holds it (with any `--dirty` changes kept)
    if not is_repo:
        if dest.exists():
            io.log(f"Deleting the contents of '{dest}'")
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        await process.run_checked(
            call,
            ["git", "clone", "--quiet", "--shared", "--no-checkout", str(source), str(dest)],
            cwd=dest.parent,
        )
    elif call.flag("clean", True):
        await process.run_checked(call, ["git", "clean", "-ffdx"], cwd=dest)
        await process.run_checked(call, ["git", "reset", "--hard", "--quiet", "HEAD"], cwd=dest)
    await process.run_checked(
        call, ["git", *_QUIET, "checkout", "--quiet", "--force", sha], cwd=dest
    )


async def _trim_history(call: ActionCall, *, source: Path, dest: Path, sha: str) -> None:
    depth = integer(call, "fetch-depth", 1)
    if depth < 0:
        raise ActionFailed("input `fetch-depth` must be 0 (all history) or a positive number")
    if depth > 0:
        await process.run_checked(
            call, ["git", "fetch", "--quiet", f"--depth={depth}", str(source), sha], cwd=dest
        )
    elif (dest / ".git" / "shallow").exists():
        await process.run_checked(
            call, ["git", "fetch", "--quiet", "--unshallow", str(source)], cwd=dest
        )


async def _sparse(call: ActionCall, dest: Path) -> None:
    patterns = lines(call.input("sparse-checkout"))
    if not patterns:
        return
    cone = call.flag("sparse-checkout-cone-mode", True)
    mode = "--cone" if cone else "--no-cone"
    await process.run_checked(call, ["git", "sparse-checkout", "set", mode, *patterns], cwd=dest)


async def _submodule_paths(call: ActionCall, dest: Path) -> list[tuple[str, str]]:
    if not (dest / ".gitmodules").is_file():
        return []
    found = await process.capture(
        ["git", "config", "--file", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$"],
        cwd=dest,
        env=call.env,
    )
    pairs = []
    for line in found.stdout.splitlines():
        key, _, path = line.partition(" ")
        pairs.append((key[len("submodule.") : -len(".path")], path.strip()))
    return pairs


async def _submodules(
    call: ActionCall, io: ActionIO, *, source: Path, dest: Path, recursive: bool
) -> None:
    """Clone each submodule from the local repository's own clone of it."""
    for name, path in await _submodule_paths(call, dest):
        local = source / path
        if not (local / ".git").exists():
            raise ActionFailed(
                f"actions/checkout: submodule `{path}` is not cloned in {source}, and conveyor "
                "fetches nothing from remotes",
                hint=f"run `git submodule update --init {path}` in your repository first",
            )
        await process.run_checked(
            call, ["git", "config", f"submodule.{name}.url", str(local)], cwd=dest
        )
        await process.run_checked(
            call,
            ["git", "-c", "protocol.file.allow=always", "submodule", "update", "--init",
             "--quiet", "--", path],
            cwd=dest,
        )  # fmt: skip
        io.log(f"Submodule {path}: cloned from {local}")
        if recursive:
            await _submodules(call, io, source=local, dest=dest / path, recursive=True)
