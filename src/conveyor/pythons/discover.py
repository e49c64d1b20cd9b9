"""Finding the Pythons on this machine: conveyor's tool cache, uv, pyenv, then PATH.

Where to look is a `SearchRoots` record (built from the environment with
`SearchRoots.from_environ`, or by hand in tests), so nothing here reads global state.
Layouts scanned:

- tool cache: `<root>/<name>/bin/python…` and GitHub's `<root>/Python/<version>/<arch>/bin/python…`;
- uv: `<uv python dir>/<name>/bin/python…`, and last of all what `uv python list
  --only-installed --output-format json` reports when `uv` is on PATH (installs in places
  the scans cannot see);
- pyenv: `$PYENV_ROOT/versions/*/bin/python…` (pyenv's shims are skipped: they would
  answer for whatever version the current directory selects);
- PATH: `python`, `python3`, `python3.X`, `python3.Xt`, `pypy3…` in each PATH directory.

Every candidate is probed once (see `probe`; a few at a time), and the list comes back in search order
with the same interpreter (same real file and prefix) kept once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from conveyor.pythons.probe import Interpreter, ProbeMemo, probe
from conveyor.pythons.runner import CommandRunner

_EXECUTABLE_NAME = re.compile(r"^(?:python|pypy)(?:\d+(?:\.\d+)?t?)?$")
_PREFERRED_NAMES = ("python3", "python", "pypy3", "pypy")
UV_TIMEOUT = 60.0
# Probes mostly wait on interpreter start-up, so a few overlap well even on two cores.
PROBE_WORKERS = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRoots:
    """Where to look for interpreters; a None root is not searched."""

    path: str = ""
    tool_cache: Path | None = None
    uv_python_dir: Path | None = None
    pyenv_root: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], *, tool_cache: Path | None) -> SearchRoots:
        """The roots a user's environment implies (uv's and pyenv's defaults included)."""
        home = Path(environ.get("HOME", "~")).expanduser()
        data_home = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        uv_dir = environ.get("UV_PYTHON_INSTALL_DIR")
        return cls(
            path=environ.get("PATH", ""),
            tool_cache=tool_cache,
            uv_python_dir=Path(uv_dir) if uv_dir else data_home / "uv" / "python",
            pyenv_root=Path(environ.get("PYENV_ROOT") or home / ".pyenv"),
        )

    def which(self, program: str) -> Path | None:
        """`program` as this PATH finds it."""
        found = shutil.which(program, path=self.path)
        return Path(found) if found else None


def discover(
    roots: SearchRoots, *, runner: CommandRunner, memo: ProbeMemo
) -> tuple[Interpreter, ...]:
    """Every usable interpreter under `roots`, in search order, each once."""
    found: list[Interpreter] = []
    seen: set[tuple[str, str]] = set()
    pairs = list(candidates(roots, runner=runner))
    with ThreadPoolExecutor(max_workers=PROBE_WORKERS) as pool:
        probed = pool.map(
            lambda pair: probe(pair[0], runner=runner, memo=memo, source=pair[1]), pairs
        )
        answers = list(zip(pairs, probed, strict=True))
    for (path, _), interpreter in answers:
        if interpreter is None:
            continue
        key = (os.path.realpath(path), str(interpreter.prefix))
        if key not in seen:
            seen.add(key)
            found.append(interpreter)
    memo.save()
    return tuple(found)


def candidates(roots: SearchRoots, *, runner: CommandRunner) -> Iterator[tuple[Path, str]]:
    """`(executable, source)` pairs to probe, in search order, before any is run."""
    if roots.tool_cache:
        for install in _installs(roots.tool_cache) + _installs(
            roots.tool_cache / "Python", depth=2
        ):
            yield from _one_in(install / "bin", "tool-cache")
    if roots.uv_python_dir:
        for install in _installs(roots.uv_python_dir):
            yield from _one_in(install / "bin", "uv")
    if roots.pyenv_root:
        for install in _installs(roots.pyenv_root / "versions"):
            yield from _one_in(install / "bin", "pyenv")
    shims = roots.pyenv_root / "shims" if roots.pyenv_root else None
    for directory in _path_dirs(roots.path):
        if directory != shims:
            yield from ((path, "PATH") for path in _all_in(directory))
    # Last, so interpreters the scans above also see keep their own source.
    yield from ((path, "uv") for path in _uv_listed(roots, runner))


def _installs(root: Path, *, depth: int = 1) -> list[Path]:
    """Directories `depth` levels under `root`, sorted so the search order is stable."""
    level = [root]
    for _ in range(depth):
        level = [child for parent in level for child in _subdirs(parent)]
    return level


def _subdirs(directory: Path) -> list[Path]:
    try:
        return sorted(child for child in directory.iterdir() if child.is_dir())
    except OSError:
        return []


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _all_in(directory: Path) -> list[Path]:
    try:
        names = sorted(entry.name for entry in os.scandir(directory))
    except OSError:
        return []
    return [
        directory / n for n in names if _EXECUTABLE_NAME.match(n) and _is_executable(directory / n)
    ]


def _one_in(bin_dir: Path, source: str) -> Iterator[tuple[Path, str]]:
    """One executable per installation: `python3` before `python`, else the first by name."""
    for name in _PREFERRED_NAMES:
        if _is_executable(bin_dir / name):
            yield bin_dir / name, source
            return
    for path in _all_in(bin_dir)[:1]:
        yield path, source


def _path_dirs(path: str) -> list[Path]:
    dirs: list[Path] = []
    for entry in path.split(os.pathsep):
        if entry and Path(entry) not in dirs:
            dirs.append(Path(entry))
    return dirs


def _uv_listed(roots: SearchRoots, runner: CommandRunner) -> list[Path]:
    """Paths `uv python list --only-installed` reports; nothing when uv is absent or fails."""
    uv = roots.which("uv")
    if uv is None:
        return []
    argv = [str(uv), "python", "list", "--only-installed", "--output-format", "json"]
    try:
        result = runner(argv, timeout=UV_TIMEOUT)
        entries = json.loads(result.stdout) if result.returncode == 0 else []
    except (OSError, ValueError):
        return []
    paths = [
        Path(e["path"]) for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)
    ]
    return [p for p in paths if _is_executable(p)]
