"""`hashFiles(patterns…)` with GitHub's algorithm.

Patterns are read like @actions/glob reads them: relative to the workspace, `**` crosses
directories, `*` matches dot-files too, `!` excludes (in order: a later pattern can
include again), a pattern that matches a directory matches everything under it, blank
lines and `#` comments are ignored. Each matching file (inside the workspace) is hashed
with SHA-256; the digests are hashed again in the order @actions/glob finds the files
(each pattern's literal root in turn, walked depth first by name). No match is `''`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from wcmatch import glob

_FLAGS: Final = glob.GLOBSTAR | glob.DOTGLOB | glob.FORCEUNIX
_MAGIC: Final = frozenset("*?[")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Pattern:
    glob: str  # relative to the workspace, posix separators
    negate: bool
    directories_only: bool


class HashFilesError(Exception):
    """A file that matched could not be read."""


def _split(patterns: Sequence[str]) -> list[str]:
    lines = (line.strip() for text in patterns for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _pattern(line: str, workspace: Path) -> _Pattern | None:
    """A pattern relative to the workspace, or None when it can only match outside it."""
    bangs = len(line) - len(line.lstrip("!"))
    text = line[bangs:].replace("\\", "/") if os.sep == "\\" else line[bangs:]
    directories_only = text.endswith("/")
    text = posixpath.normpath(text)  # `./a//b/.` is `a/b`, as @actions/glob reads it
    if text.startswith("/"):
        try:
            text = PurePosixPath(text).relative_to(workspace.as_posix()).as_posix()
        except ValueError:
            return None  # outside the workspace: GitHub ignores such files
    if text == ".":
        text = "**"
    if text == ".." or text.startswith("../"):
        return None
    return _Pattern(glob=text, negate=bangs % 2 == 1, directories_only=directories_only)


def _search_path(pattern: _Pattern) -> str:
    """The literal leading segments of a pattern: the only place it can match."""
    literal: list[str] = []
    for part in pattern.glob.split("/"):
        if _MAGIC & set(part):
            break
        literal.append(part)
    return "/".join(literal)


def _search_paths(patterns: Sequence[_Pattern]) -> list[str]:
    """Where to look, in pattern order, leaving out any path under another (as @actions/glob)."""
    candidates = [_search_path(p) for p in patterns if not p.negate]
    roots = set(candidates)
    result: list[str] = []
    for path in candidates:
        parts = path.split("/") if path else []
        ancestors = {"/".join(parts[:n]) for n in range(len(parts))}
        if path not in result and not (ancestors & roots):
            result.append(path)
    return result


def _walk(workspace: Path, root: str, *, follow_links: bool) -> Iterator[str]:
    """Files under `root`, depth first with each directory's entries in name order."""
    start = workspace / root
    if not start.is_dir() or (start.is_symlink() and not follow_links):
        if start.is_file():
            yield root
        return
    found: list[str] = []
    seen: set[str] = set()
    for directory, dirnames, filenames in os.walk(start, followlinks=follow_links):
        real = os.path.realpath(directory)
        if real in seen:  # a symlink loop
            dirnames.clear()
            continue
        seen.add(real)
        relative = Path(directory).relative_to(workspace).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in filenames)
    yield from sorted(found, key=lambda path: path.split("/"))


def _hit(pattern: _Pattern, path: str) -> bool:
    parts = path.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    if pattern.directories_only:
        candidates.pop()
    return any(glob.globmatch(candidate, pattern.glob, flags=_FLAGS) for candidate in candidates)


def _selected(patterns: Sequence[_Pattern], path: str) -> bool:
    selected = False
    for pattern in patterns:
        if pattern.negate:
            selected = selected and not _hit(pattern, path)
        elif not selected:
            selected = _hit(pattern, path)
    return selected


FOLLOW_LINKS: Final = "--follow-symbolic-links"


def matching_files(workspace: Path, patterns: Sequence[str]) -> list[str]:
    """Workspace-relative posix paths of the files the patterns select, in GitHub's order.

    A first argument `--follow-symbolic-links` descends into linked directories, as on GitHub.
    """
    follow_links = bool(patterns) and patterns[0] == FOLLOW_LINKS
    parsed = [p for line in _split(patterns[follow_links:]) if (p := _pattern(line, workspace))]
    files: list[str] = []
    for root in _search_paths(parsed):
        walked = _walk(workspace, root, follow_links=follow_links)
        files.extend(path for path in walked if _selected(parsed, path))
    return files


def hash_files(workspace: Path, patterns: Sequence[str]) -> str:
    """GitHub's hashFiles: SHA-256 over each matching file's SHA-256; '' when none match."""
    workspace = workspace.resolve()
    files = matching_files(workspace, patterns)
    if not files:
        return ""
    total = hashlib.sha256()
    for path in files:
        try:
            with open(workspace / path, "rb") as handle:
                total.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError as exc:
            raise HashFilesError(f"cannot read `{path}`: {exc.strerror or exc}") from exc
    return total.hexdigest()
