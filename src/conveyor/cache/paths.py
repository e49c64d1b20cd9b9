"""Which files a cache `path` input selects, read as actions/cache reads it.

One pattern a line; blank lines and `#` comments are skipped; `~` is the home directory;
a relative pattern is relative to the workspace and an absolute one is kept; `*` and `?`
stay within a directory, `**` crosses directories, dot-files match; a pattern that
selects a directory selects everything under it; a pattern ending in `/` selects
directories only. `!pattern` excludes what it matches, in order: a later pattern can
select again. Symbolic links are kept as links, never followed.

Unlike actions/cache (which hands the matched directories to tar whole), an exclusion
also applies to files inside a selected directory, which is what a `!` line usually means.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from wcmatch import glob

from conveyor.cache.keys import pattern_lines

_FLAGS: Final = glob.GLOBSTAR | glob.DOTGLOB | glob.FORCEUNIX
_MAGIC: Final = frozenset("*?[")

Kind = Literal["file", "dir", "link"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """One selected file, directory or link, as found on disk."""

    name: str  # as stored: workspace-relative posix path, or absolute when outside it
    source: str  # absolute path on this machine
    kind: Kind
    mode: int  # permission bits
    mtime_ns: int
    size: int  # bytes, for files
    target: str = ""  # for links


@dataclass(frozen=True, slots=True, kw_only=True)
class _Pattern:
    root: str  # the literal leading directories, absolute
    matcher: re.Pattern[str] | None  # None for a literal path
    negate: bool
    directories_only: bool

    def hits(self, path: str, *, is_dir: bool) -> bool:
        if self.directories_only and not is_dir:
            return False
        if self.matcher is None:
            return path == self.root
        return self.matcher.match(path) is not None


def _absolute(text: str, workspace: Path) -> str:
    text = os.path.expanduser(text) if text.startswith("~") else text
    joined = os.path.join(workspace, text)  # an absolute text replaces the workspace
    return posixpath.normpath(joined.replace(os.sep, "/"))


def _literal_root(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if _MAGIC & set(part):
            break
        parts.append(part)
    return "/".join(parts) or "/"


def _parse(line: str, workspace: Path) -> _Pattern:
    bangs = len(line) - len(line.lstrip("!"))
    text = line[bangs:].strip()
    path = _absolute(text, workspace)
    root = _literal_root(path)
    matcher = None if root == path else re.compile(glob.translate(path, flags=_FLAGS)[0][0])
    return _Pattern(
        root=root, matcher=matcher, negate=bangs % 2 == 1, directories_only=text.endswith("/")
    )


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _search_roots(patterns: Sequence[_Pattern]) -> list[str]:
    """Where to walk: each selecting pattern's literal root, leaving out roots under another."""
    roots = sorted({p.root for p in patterns if not p.negate})
    kept: list[str] = []
    for root in roots:
        if not any(_under(root, other) for other in kept):
            kept.append(root)
    return kept


def _walk(root: str, st: os.stat_result) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path, its directory, lstat) of root and, for a directory, everything under it by
    name, depth first; links are not followed."""
    stack: list[tuple[str, str, os.stat_result]] = [(root, posixpath.dirname(root), st)]
    while stack:
        path, parent, path_st = stack.pop()
        yield path, parent, path_st
        if not stat.S_ISDIR(path_st.st_mode):
            continue
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        prefix = "" if path == "/" else path
        for entry in entries:
            try:
                stack.append((f"{prefix}/{entry.name}", path, entry.stat(follow_symlinks=False)))
            except OSError:
                continue


def _found(path: str, st: os.stat_result, workspace: str) -> Found | None:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        kind: Kind = "file"
    elif stat.S_ISDIR(mode):
        kind = "dir"
    elif stat.S_ISLNK(mode):
        kind = "link"
    else:
        return None  # sockets, fifos and devices are not cached
    name = (path[len(workspace) :].lstrip("/") or ".") if _under(path, workspace) else path
    if name == ".":
        return None  # the workspace itself is not the cache's to restore
    return Found(
        name=name,
        source=path,
        kind=kind,
        mode=stat.S_IMODE(mode),
        mtime_ns=st.st_mtime_ns,
        size=st.st_size if kind == "file" else 0,
        target=os.readlink(path) if kind == "link" else "",
    )


def resolve_paths(paths: Sequence[str], *, workspace: Path) -> list[Found]:
    """What the patterns select under `workspace`, each once, directories before their contents."""
    return sorted(iter_paths(paths, workspace=workspace), key=lambda f: f.name.split("/"))


def iter_paths(paths: Sequence[str], *, workspace: Path) -> Iterator[Found]:
    """What the patterns select, each once, as the walk finds it (each directory by name)."""
    workspace = workspace.absolute()
    lines = [line for line in pattern_lines(paths) if not line.startswith("#")]
    patterns = [_parse(line, workspace) for line in lines]
    ws = posixpath.normpath(str(workspace).replace(os.sep, "/"))
    for root in _search_roots(patterns):
        try:
            st = os.lstat(root)
        except OSError:
            continue
        inherited: dict[str, frozenset[int]] = {}
        for path, parent, path_st in _walk(root.rstrip("/") or "/", st):
            is_dir = stat.S_ISDIR(path_st.st_mode)
            hits = inherited.get(parent, frozenset()) | {
                i for i, p in enumerate(patterns) if p.hits(path, is_dir=is_dir)
            }
            if is_dir:
                inherited[path] = hits
            if _selected(patterns, hits):
                found = _found(path, path_st, ws)
                if found is not None:
                    yield found


def _selected(patterns: Sequence[_Pattern], hits: frozenset[int]) -> bool:
    chosen = False
    for index, pattern in enumerate(patterns):
        if index in hits:
            chosen = not pattern.negate
    return chosen
