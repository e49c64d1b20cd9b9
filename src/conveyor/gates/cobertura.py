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
from conveyor.gates.files import iter_xml, local

MISSED, HIT = 1, 2


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
    lines: dict[str, bytearray] = {}
    current: bytearray | None = None
    in_source = False
    seen_root = False
    for event, element in iter_xml(path, name):
        tag = local(element.tag)
        if event == "start":
            if not seen_root:
                if tag != "coverage":
                    raise ReportError(f"not Cobertura XML: root is <{tag}>", file=name)
                seen_root = True
            elif tag == "class":
                filename = element.get("filename")
                if not filename:
                    raise ReportError("a <class> has no filename attribute", file=name)
                current = lines.setdefault(resolver.resolve(filename), bytearray())
            elif tag == "source":
                in_source = True
            continue
        if tag == "line" and current is not None:
            _mark(current, element.get("number"), element.get("hits"), name)
        elif tag == "source" and in_source:
            resolver.sources.append((element.text or "").strip())
            in_source = False
        elif tag == "class":
            current = None
            element.clear()
        elif tag in ("package", "packages"):
            element.clear()
    return Coverage(lines=lines)


def _mark(states: bytearray, number: str | None, hits: str | None, name: str) -> None:
    try:
        line = int(number or "")
        state = HIT if int(hits or "0") > 0 else MISSED
    except ValueError:
        raise ReportError(f"a <line> has number={number!r} hits={hits!r}", file=name) from None
    if line < 0:
        raise ReportError(f"a <line> has a negative number {line}", file=name)
    if line >= len(states):
        if line > 10_000_000:
            raise ReportError(f"a <line> number {line} is beyond any source file", file=name)
        states.extend(bytes(line + 1 - len(states)))
    states[line] = max(states[line], state)


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
