"""What setting up a Python changes in a job's environment, as data the action applies.

setup-python exports `pythonLocation`, `Python_ROOT_DIR`, `Python2_ROOT_DIR`,
`Python3_ROOT_DIR` and `PKG_CONFIG_PATH` (`<root>/lib/pkgconfig`), prepends `<root>/lib` to
`LD_LIBRARY_PATH` on Linux, and puts the interpreter's directories first on PATH.

Two differences, both because these interpreters live on a developer's machine rather
than in a runner's tool cache:

- a shim directory (small `sh` scripts `python`, `python3`, `python3.X`, `pip`, `pip3`
  that `exec` the chosen interpreter) goes first on PATH, so `python` means the chosen
  version even where its directory has only `python3` (Debian) or where a venv is chosen;
- the bin and scripts directories of an interpreter found *on PATH* are not prepended:
  they are on PATH already, and moving `/usr/bin` ahead of the user's own directories
  would change far more than Python. `LD_LIBRARY_PATH` is only set for a shared build
  whose library directory is `<root>/lib` (the tool-cache layout that needs it).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conveyor.pythons.probe import Interpreter

ROOT_VARIABLES = ("pythonLocation", "Python_ROOT_DIR", "Python2_ROOT_DIR", "Python3_ROOT_DIR")


@dataclass(frozen=True, slots=True, kw_only=True)
class Activation:
    """PATH entries to prepend (first wins) and variables to set, in a stable order."""

    path_prepend: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()

    def apply(self, environ: Mapping[str, str]) -> dict[str, str]:
        """`environ` with this activation applied (the caller's mapping is not changed)."""
        result = dict(environ)
        result.update(self.variables)
        if self.path_prepend:
            entries = [str(p) for p in self.path_prepend]
            old = environ.get("PATH", "")
            result["PATH"] = os.pathsep.join(entries + ([old] if old else []))
        return result


def activation_for(
    interpreters: tuple[Interpreter, ...],
    *,
    environ: Mapping[str, str],
    shim_root: Path,
    platform: str = sys.platform,
) -> Activation:
    """The changes for these interpreters; the last one is the default `python`."""
    if not interpreters:
        return Activation()
    path: list[Path] = []
    for interpreter in reversed(interpreters):
        for entry in _path_entries(interpreter, shim_root):
            if entry not in path:
                path.append(entry)
    default = interpreters[-1]
    return Activation(path_prepend=tuple(path), variables=_variables(default, environ, platform))


def _path_entries(interpreter: Interpreter, shim_root: Path) -> list[Path]:
    entries = [write_shims(interpreter, shim_root)]
    if interpreter.source != "PATH":
        entries += [interpreter.path.parent, interpreter.scripts_dir]
    return entries


def _variables(
    interpreter: Interpreter, environ: Mapping[str, str], platform: str
) -> tuple[tuple[str, str], ...]:
    root = str(interpreter.prefix)
    variables = [(name, root) for name in ROOT_VARIABLES]
    variables.append(("PKG_CONFIG_PATH", str(interpreter.prefix / "lib" / "pkgconfig")))
    lib = interpreter.prefix / "lib"
    if platform.startswith("linux") and interpreter.shared and interpreter.libdir == lib:
        old = environ.get("LD_LIBRARY_PATH", "")
        if str(lib) not in old.split(":"):
            variables.append(("LD_LIBRARY_PATH", f"{lib}:{old}" if old else str(lib)))
    return tuple(variables)


def shim_names(interpreter: Interpreter) -> tuple[str, ...]:
    """The commands a shim directory provides for this interpreter."""
    release = interpreter.version.release
    minor = f"python{release[0]}.{release[1]}{'t' if interpreter.freethreaded else ''}"
    names = ["python", f"python{release[0]}", minor]
    if interpreter.implementation == "pypy":
        names += ["pypy", f"pypy{release[0]}", f"pypy{release[0]}.{release[1]}"]
    return tuple(names)


def write_shims(interpreter: Interpreter, shim_root: Path) -> Path:
    """Write (or reuse) the shim directory for `interpreter` under `shim_root`."""
    digest = hashlib.sha256(str(interpreter.path).encode()).hexdigest()[:16]
    directory = shim_root / digest
    directory.mkdir(parents=True, exist_ok=True)
    target = shlex.quote(str(interpreter.path))
    scripts = dict.fromkeys(shim_names(interpreter), f'exec {target} "$@"')
    scripts |= dict.fromkeys(
        ("pip", f"pip{interpreter.version.release[0]}"), f'exec {target} -m pip "$@"'
    )
    for name, body in scripts.items():
        shim = directory / name
        text = f"#!/bin/sh\n{body}\n"
        if not shim.is_file() or shim.read_text(encoding="utf-8") != text:
            shim.write_text(text, encoding="utf-8")
            shim.chmod(0o755)
    return directory
