"""Reading what an interpreter is, by running it once, with an on-disk memo.

Each candidate runs a short script printing its version, implementation, free-threading,
prefix and scripts directory as JSON. The answer is remembered in a JSON file keyed by
path, modification time and size, so later runs cost a `stat` per candidate. A program
that cannot answer (not Python, too old, hanging) is left out, never guessed at.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from conveyor.pythons.runner import CommandRunner

PROBE_TIMEOUT = 15.0

# Kept to syntax Python 2.7 also parses, so an old `python` on PATH answers instead of crashing.
PROBE_SCRIPT = """\
import json, platform, sys, sysconfig
v = sys.version_info
pypy = getattr(sys, 'pypy_version_info', None)
print(json.dumps({
  'version': [v[0], v[1], v[2], v[3], v[4]],
  'implementation': platform.python_implementation().lower(),
  'pypy_version': [pypy[0], pypy[1], pypy[2]] if pypy else None,
  'freethreaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),
  'prefix': sys.prefix,
  'scripts': sysconfig.get_path('scripts'),
  'libdir': sysconfig.get_config_var('LIBDIR'),
  'shared': bool(sysconfig.get_config_var('Py_ENABLE_SHARED')),
}))
"""

_LEVELS = {"alpha": "a", "beta": "b", "candidate": "rc"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Interpreter:
    """One Python found on this machine, as it described itself.

    `version` is the PEP 440 version (`3.13.0rc1`); `source` says where it was found
    (`tool-cache`, `uv`, `pyenv`, `PATH`); `pypy_version` is PyPy's own version.
    """

    path: Path
    version: Version
    implementation: str
    freethreaded: bool
    prefix: Path
    scripts_dir: Path
    libdir: Path | None
    shared: bool
    pypy_version: Version | None = None
    source: str = "PATH"

    @property
    def label(self) -> str:
        """How a person names it: `3.12.1`, `3.13.0t`, `PyPy 7.3.17 (3.10.14)`."""
        if self.implementation == "pypy":
            return f"PyPy {self.pypy_version} ({self.version})"
        return f"{self.version}{'t' if self.freethreaded else ''}"


class ProbeMemo:
    """A JSON file of earlier probe answers; `None` keeps them in memory only."""

    def __init__(self, file: Path | None) -> None:
        self._file = file
        self._entries: dict[str, Any] = _read_json(file) if file else {}
        self._dirty = False

    def get(self, path: Path, stamp: list[int]) -> dict[str, Any] | None:
        entry = self._entries.get(str(path))
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            info = entry.get("info")
            return info if isinstance(info, dict) else None
        return None

    def put(self, path: Path, stamp: list[int], info: dict[str, Any]) -> None:
        self._entries[str(path)] = {"stamp": stamp, "info": info}
        self._dirty = True

    def save(self) -> None:
        if not (self._file and self._dirty):
            return
        # Interpreters that were removed since would otherwise stay in the file for ever.
        self._entries = {key: value for key, value in self._entries.items() if os.path.exists(key)}
        self._file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._file.parent, prefix=".interpreters-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._entries, out, indent=1, sort_keys=True)
        os.replace(tmp, self._file)
        self._dirty = False


def _read_json(file: Path) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def probe(path: Path, *, runner: CommandRunner, memo: ProbeMemo, source: str) -> Interpreter | None:
    """Describe the interpreter at `path`, or None when it is not a usable Python."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = [stat.st_mtime_ns, stat.st_size]
    info = memo.get(path, stamp)
    if info is None:
        info = _run_probe(path, runner)
        if info is None:
            return None
        memo.put(path, stamp, info)
    return interpreter_from_info(path, info, source=source)


def _run_probe(path: Path, runner: CommandRunner) -> dict[str, Any] | None:
    try:
        result = runner([str(path), "-c", PROBE_SCRIPT], timeout=PROBE_TIMEOUT)
    except OSError:
        return None
    if result.returncode != 0:
        return None
    with contextlib.suppress(ValueError):
        data = json.loads(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "")
        if isinstance(data, dict):
            return data
    return None


def interpreter_from_info(path: Path, info: dict[str, Any], *, source: str) -> Interpreter | None:
    """Build the record from a probe answer; None when the answer is malformed."""
    try:
        major, minor, micro, level, serial = info["version"]
        pre = f"{_LEVELS[level]}{serial}" if level in _LEVELS else ""
        version = Version(f"{major}.{minor}.{micro}{pre}")
        pypy = info.get("pypy_version")
        prefix = Path(info["prefix"])
        libdir = info.get("libdir")
        return Interpreter(
            path=path,
            version=version,
            implementation=str(info["implementation"]),
            freethreaded=bool(info.get("freethreaded")),
            prefix=prefix,
            scripts_dir=Path(info.get("scripts") or path.parent),
            libdir=Path(libdir) if libdir else None,
            shared=bool(info.get("shared")),
            pypy_version=Version(".".join(str(p) for p in pypy)) if pypy else None,
            source=source,
        )
    except (KeyError, TypeError, ValueError, InvalidVersion):
        return None
