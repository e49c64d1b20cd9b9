"""Cobertura XML (coverage.py's `coverage xml`), streamed, one byte per source line.

Each file's lines are a `bytearray` indexed by line number: 0 not measured, 1 measured
and missed, 2 hit. Reports of the same files merge by taking the better state per line,
so a million-line report stays a megabyte in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import ReportError
from conveyor.gates.files import feed_xml, iter_xml, local

MISSED, HIT = 1, 2
_MAX_LINE = 10_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class FileCoverage:
    path: str
    statements: int
    covered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.statements if self.statements else 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """Line states per file (project-relative POSIX paths)."""

    lines: Mapping[str, bytearray]

    def file(self, path: str) -> FileCoverage:
        states = self.lines[path]
        covered = states.count(HIT)
        return FileCoverage(path=path, statements=covered + states.count(MISSED), covered=covered)

    def files(self) -> list[FileCoverage]:
        return [self.file(p) for p in sorted(self.lines)]

    def totals(self) -> FileCoverage:
        files = self.files()
        return FileCoverage(
            path="",
            statements=sum(f.statements for f in files),
            covered=sum(f.covered for f in files),
        )


def merge(parts: Iterable[Coverage]) -> Coverage:
    merged: dict[str, bytearray] = {}
    for part in parts:
        for path, states in part.lines.items():
            if path not in merged:
                merged[path] = bytearray(states)
                continue
            mine = merged[path]
            if len(mine) < len(states):
                mine.extend(bytes(len(states) - len(mine)))
            for number, state in enumerate(states):
                mine[number] = max(mine[number], state)
    return Coverage(lines=merged)


def parse_cobertura(path: Path, name: str, root: Path) -> Coverage:
    """Read the Cobertura report at `path`; file paths become relative to `root`."""
    resolver = _Paths(root)
    resolver.sources.extend(_sources(path, name))
    collector = _Collector(resolver, name)
    feed_xml(path, name, collector)
    return Coverage(lines=collector.lines)


def _sources(path: Path, name: str) -> list[str]:
    """The `<source>` directories, read from the head of the report (they precede classes)."""
    found: list[str] = []
    for event, element in iter_xml(path, name):
        tag = local(element.tag)
        if event == "end" and tag == "source":
            found.append((element.text or "").strip())
        elif tag in ("sources", "packages", "package", "class") and (
            event == "end" or tag != "sources"
        ):
            break
    return found


class _Collector:
    """Parser target: line states per file, with no element objects built.

    `start` runs once per `<line>`, a million times for a big report: keep it lean.
    """

    def __init__(self, resolver: _Paths, name: str) -> None:
        self.resolver = resolver
        self.name = name
        self.lines: dict[str, bytearray] = {}
        self.current: bytearray | None = None
        self.seen_root = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == "line":
            states = self.current
            if states is None:
                return
            try:
                line = int(attrib["number"])
                hits = attrib.get("hits", "0")
                state = MISSED if hits == "0" or int(hits) <= 0 else HIT
            except (KeyError, ValueError):
                raise self._bad_line(attrib) from None
            if 0 <= line < len(states):
                if state > states[line]:  # noqa: PLR1730 - cheaper than max() on the hot path
                    states[line] = state
            else:
                self._grow(states, line, state)
        elif tag == "class":
            filename = attrib.get("filename")
            if not filename:
                raise ReportError("a <class> has no filename attribute", file=self.name)
            self.current = self.lines.setdefault(self.resolver.resolve(filename), bytearray())
        elif not self.seen_root:
            if tag != "coverage":
                raise ReportError(f"not Cobertura XML: root is <{tag}>", file=self.name)
            self.seen_root = True

    def end(self, tag: str) -> None:
        if tag == "class":
            self.current = None

    def _bad_line(self, attrib: dict[str, str]) -> ReportError:
        number, hits = attrib.get("number"), attrib.get("hits")
        return ReportError(f"a <line> has number={number!r} hits={hits!r}", file=self.name)

    def _grow(self, states: bytearray, line: int, state: int) -> None:
        if line < 0:
            raise ReportError(f"a <line> has a negative number {line}", file=self.name)
        if line > _MAX_LINE:
            raise ReportError(f"a <line> number {line} is beyond any source file", file=self.name)
        states.extend(bytes(line + 1 - len(states)))
        states[line] = state


class _Paths:
    """`<source>` joined with `filename`, made relative to the project root."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self.sources: list[str] = []
        self.cache: dict[str, str] = {}

    def resolve(self, filename: str) -> str:
        known = self.cache.get(filename)
        if known is None:
            known = self.cache[filename] = self._resolve(filename)
        return known

    def _resolve(self, filename: str) -> str:
        candidates = [os.path.join(self.root, s, filename) for s in self.sources] or [
            os.path.join(self.root, filename)
        ]
        chosen = next((c for c in candidates if os.path.exists(c)), candidates[0])
        full = os.path.normpath(chosen)
        if os.path.commonpath([full, self.root]) == self.root:
            return Path(os.path.relpath(full, self.root)).as_posix()
        real = os.path.realpath(full)
        if os.path.commonpath([real, self.root]) == self.root:
            return Path(os.path.relpath(real, self.root)).as_posix()
        return Path(full).as_posix()
