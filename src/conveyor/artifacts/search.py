"""Which files an `upload-artifact` `path` selects, and the artifact's root directory.

The patterns are read the way @actions/glob reads them for `actions/upload-artifact@v4`:

- one pattern per line, trimmed; blank lines and `#` comments are skipped;
- a leading `!` excludes (each `!` flips), and patterns apply in order, so a later pattern
  can include again what an earlier one excluded;
- relative patterns are rooted at the workspace, `~` at the home directory, absolute
  patterns stay as they are; a `.` segment is allowed only first and `..` never (GitHub
  rejects both: "Relative pathing '.' and '..' is not allowed");
- `*`, `?` and `[…]` match within one segment and match dot-files too; `**` is any number
  of segments; `\\` escapes the next character; braces and extglobs are literal text (the
  workspace and home directories are taken literally, whatever characters they contain);
- a pattern that matches a directory selects everything below it; a trailing `/` makes a
  pattern match directories only (and so everything below them);
- symbolic links are followed (links to directories are descended, with cycle detection),
  broken links are skipped, and directories themselves are never selected, so empty
  directories are not kept;
- with hidden files excluded (the default since upload-artifact v4.4) every item the
  search visits whose name starts with `.` is skipped with all below it, including a
  search root such as `.cache/` itself; a hidden directory above the search root (the
  `.x` of `.x/dist/`) is not visited, so it does not count: GitHub behaves the same way.

The root directory follows upload-artifact: with several search paths (the literal part
of each including pattern, before its first wildcard), their least common ancestor; for a
single file named without wildcards, its parent; otherwise the one search path. Paths in
the artifact are relative to that root, so the structure below it is kept.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Final

from wcmatch import fnmatch

from conveyor.errors import UserError

_SEGMENT_FLAGS: Final = fnmatch.DOTMATCH | fnmatch.CASE
_DIRECTORY: Final = 1
_FILE: Final = 2
_ALL: Final = _DIRECTORY | _FILE


@dataclass(frozen=True, slots=True, kw_only=True)
class Pattern:
    """One line of `path`, made absolute and split into segments."""

    text: str  # the line as written, for messages
    segments: tuple[str, ...]  # below the filesystem root
    negate: bool
    directories_only: bool

    @property
    def search_path(self) -> PurePosixPath:
        """The literal segments before the first wildcard: the only place it can match."""
        literal: list[str] = []
        for segment in self.segments:
            text = _literal(segment)
            if text is None:
                break
            literal.append(text)
        return PurePosixPath("/", *literal)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """The files a `path` selects (absolute, in search order) and the artifact's root."""

    files: tuple[Path, ...]
    root: Path
    search_paths: tuple[Path, ...]

    def relative(self, file: Path) -> str:
        """`file`'s path inside the artifact (posix separators)."""
        return file.relative_to(self.root).as_posix()


def parse_patterns(text: str, *, workspace: Path) -> list[Pattern]:
    """The patterns of a multi-line `path` input; `UserError` for `.`/`..` segments."""
    patterns: list[Pattern] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(_pattern(line, workspace))
    return patterns


def _pattern(line: str, workspace: Path) -> Pattern:
    negate = False
    body = line
    while body.startswith("!"):
        negate = not negate
        body = body[1:].strip()
    if not body:
        raise UserError(f"`path` pattern {line!r} is empty after `!`")
    directories_only = body.endswith("/")
    parts = [part for part in body.split("/") if part]
    if any(part == ".." or (part == "." and index > 0) for index, part in enumerate(parts)):
        raise UserError(
            f"invalid `path` pattern {line!r}: relative pathing '.' and '..' is not allowed",
            hint="write the path from the workspace, or as an absolute path",
        )
    if body.startswith("/"):
        base: tuple[str, ...] = ()
    elif parts and parts[0] == "~":
        base, parts = _escaped(Path.home()), parts[1:]
    else:
        base = _escaped(workspace)
        if parts and parts[0] == ".":
            parts = parts[1:]
    return Pattern(
        text=line,
        segments=(*base, *parts),
        negate=negate,
        directories_only=directories_only,
    )


def _escaped(directory: Path) -> tuple[str, ...]:
    """`directory`'s segments as patterns that match only themselves (`[`, `*`, … escaped)."""
    return tuple(fnmatch.escape(part) for part in directory.parts[1:])


def _literal(segment: str) -> str | None:
    """The text a pattern segment stands for, or None when it has a wildcard in it."""
    text: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "\\" and index + 1 < len(segment):
            text.append(segment[index + 1])
            index += 2
            continue
        if char in "*?" or (char == "[" and "]" in segment[index + 2 :]):
            return None
        text.append(char)
        index += 1
    return "".join(text)


def search_paths(patterns: Sequence[Pattern]) -> list[PurePosixPath]:
    """Each including pattern's search path, in order, without duplicates or descendants."""
    candidates = [p.search_path for p in patterns if not p.negate]
    roots = set(candidates)
    result: list[PurePosixPath] = []
    for path in candidates:
        if path not in result and not any(parent in roots for parent in path.parents):
            result.append(path)
    return result


# ------------------------------------------------------------------ matching ---


def _segment(name: str, pattern: str) -> bool:
    return bool(fnmatch.fnmatch(name, pattern, flags=_SEGMENT_FLAGS))


def _full_match(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    @cache
    def step(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(parts)
        if pattern[i] == "**":
            return step(i + 1, j) or (j < len(parts) and step(i, j + 1))
        return j < len(parts) and _segment(parts[j], pattern[i]) and step(i + 1, j + 1)

    return step(0, 0)


def _kind(pattern: Pattern, parts: tuple[str, ...]) -> int:
    """How `pattern` matches the item at `parts`: directly, or through an ancestor."""
    if _full_match(pattern.segments, parts):
        return _DIRECTORY if pattern.directories_only else _ALL
    implicit = pattern.directories_only or pattern.segments[-1:] != ("**",)
    if implicit and any(_full_match(pattern.segments, parts[:n]) for n in range(len(parts))):
        return _ALL
    return 0


def _match(patterns: Sequence[Pattern], parts: tuple[str, ...]) -> int:
    result = 0
    for pattern in patterns:
        if pattern.negate:
            result &= ~_kind(pattern, parts)
        else:
            result |= _kind(pattern, parts)
    return result


def _may_contain(pattern: Pattern, parts: tuple[str, ...]) -> bool:
    """Whether something at or below the directory `parts` could match `pattern`."""
    for index, part in enumerate(parts):
        if index == len(pattern.segments):
            return True  # the pattern matched an ancestor: all below it is selected
        segment = pattern.segments[index]
        if segment == "**":
            return True
        if not _segment(part, segment):
            return False
    return True


# ----------------------------------------------------------------- the walk ---


@dataclass(frozen=True, slots=True, kw_only=True)
class _Walk:
    patterns: tuple[Pattern, ...]
    include_hidden: bool

    def files(self, start: Path) -> Iterator[Path]:
        yield from self._visit(start, frozenset())

    def _visit(self, path: Path, chain: frozenset[str]) -> Iterator[Path]:
        parts = path.parts[1:]
        kind = _match(self.patterns, parts)
        descend = bool(kind) or any(_may_contain(p, parts) for p in self.patterns if not p.negate)
        if not descend:
            return
        try:
            info = path.stat()  # follows symbolic links, as upload-artifact does
        except OSError:
            return  # a broken link, or gone meanwhile
        if not self.include_hidden and path.name.startswith("."):
            return
        if not stat.S_ISDIR(info.st_mode):
            if kind & _FILE:
                yield path
            return
        real = os.path.realpath(path)
        if real in chain:
            return  # a symbolic link back to an ancestor
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        for name in names:
            yield from self._visit(path / name, chain | {real})


def find_files(text: str, *, workspace: Path, include_hidden: bool = False) -> SearchResult:
    """Search the files the multi-line `path` input selects, and the artifact's root."""
    workspace = Path(os.path.abspath(workspace))
    patterns = parse_patterns(text, workspace=workspace)
    roots = search_paths(patterns)
    walk = _Walk(patterns=tuple(patterns), include_hidden=include_hidden)
    found: list[Path] = []
    seen: set[Path] = set()
    for root in roots:
        if not os.path.lexists(root):
            continue
        for file in walk.files(Path(root)):
            if file not in seen:
                seen.add(file)
                found.append(file)
    return SearchResult(
        files=tuple(found),
        root=_root_directory(roots, found),
        search_paths=tuple(Path(r) for r in roots),
    )


def _root_directory(roots: Sequence[PurePosixPath], files: Sequence[Path]) -> Path:
    if len(roots) > 1:
        return Path(os.path.commonpath([str(r) for r in roots]))
    if not roots:
        return Path("/")
    if len(files) == 1 and PurePosixPath(files[0]) == roots[0]:
        return files[0].parent
    return Path(roots[0])
