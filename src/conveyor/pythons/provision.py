"""Choosing, and when allowed installing, the Python each spec asks for.

`find_python` returns the best installed match (the highest version the spec accepts; an
equal version found earlier in the search order wins), installs with `uv python install`
when nothing fits, uv is on PATH and downloads are allowed, and otherwise raises
`PythonNotFoundError` naming the version, what was found, and the command to get it.
`setup_python` does that for every spec and adds the outputs and environment changes.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from conveyor.errors import UserError
from conveyor.pythons.activate import Activation, activation_for
from conveyor.pythons.discover import SearchRoots, discover
from conveyor.pythons.probe import Interpreter, ProbeMemo, probe
from conveyor.pythons.runner import CommandRunner, run_command
from conveyor.pythons.spec import PythonSpec

INSTALL_TIMEOUT = 900.0
_FOUND_SHOWN = 6


class PythonNotFoundError(UserError):
    """No installed interpreter fits a spec and none could be installed."""

    def __init__(
        self, spec: PythonSpec, found: tuple[Interpreter, ...], *, reason: str = ""
    ) -> None:
        self.spec = spec
        self.found = found
        super().__init__(_missing_message(spec, found, reason), hint=_missing_hint(spec))


def _missing_message(spec: PythonSpec, found: tuple[Interpreter, ...], reason: str) -> str:
    newest_first = sorted(found, key=_rank, reverse=True)
    shown = ", ".join(f"{i.label} at {i.path}" for i in newest_first[:_FOUND_SHOWN])
    if len(found) > _FOUND_SHOWN:
        shown += f", and {len(found) - _FOUND_SHOWN} more"
    where = f"found: {shown}" if found else "found no Python at all"
    text = f"{spec.label} is not installed on this machine ({where})"
    return f"{text}; {reason}" if reason else text


def _uv_install(spec: PythonSpec) -> str:
    """The command line to type, quoted for a shell when the request is a range."""
    return f"uv python install {shlex.quote(spec.install_request)}"


def _missing_hint(spec: PythonSpec) -> str:
    commands = f"`{_uv_install(spec)}`"
    if spec.pyenv_request:
        commands += f" or `pyenv install {spec.pyenv_request}`"
    text = f"install it with {commands}, or remove {spec.text} from the workflow's python-version (or its matrix)"
    if spec.freethreaded:
        text += "; free-threaded builds exist for Python 3.13 and later"
    if spec.text == "3.1":
        text += "; if you meant 3.10, quote it (`'3.10'`): YAML reads 3.10 as the number 3.1"
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Finder:
    """Everything finding a Python needs: where to look, how to run programs, the memo file."""

    roots: SearchRoots
    runner: CommandRunner = run_command
    memo_file: Path | None = None
    allow_downloads: bool = False

    def interpreters(self) -> tuple[Interpreter, ...]:
        return discover(self.roots, runner=self.runner, memo=ProbeMemo(self.memo_file))


def choose(spec: PythonSpec, interpreters: tuple[Interpreter, ...]) -> Interpreter | None:
    """The highest version `spec` accepts; among equals, the first in search order."""
    best: Interpreter | None = None
    for interpreter in interpreters:
        if spec.matches(interpreter) and (best is None or _rank(interpreter) > _rank(best)):
            best = interpreter
    return best


def _rank(interpreter: Interpreter) -> tuple[Version, Version]:
    return interpreter.version, interpreter.pypy_version or Version("0")


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """The interpreter for one spec, and whether conveyor installed it just now."""

    spec: PythonSpec
    interpreter: Interpreter
    installed: bool = False


def find_python(
    spec: PythonSpec, finder: Finder, *, known: tuple[Interpreter, ...] | None = None
) -> Found:
    """The interpreter for `spec`, installing it with uv when allowed; else PythonNotFoundError.

    `known` is an earlier `finder.interpreters()`, so several specs share one discovery.
    """
    interpreters = finder.interpreters() if known is None else known
    chosen = choose(spec, interpreters)
    if chosen is not None:
        return Found(spec=spec, interpreter=chosen)
    uv = finder.roots.which("uv")
    if uv is None:
        raise PythonNotFoundError(spec, interpreters)
    if not finder.allow_downloads:
        raise PythonNotFoundError(
            spec, interpreters, reason="downloads are turned off, so conveyor did not install it"
        )
    result = finder.runner(
        [str(uv), "python", "install", spec.install_request], timeout=INSTALL_TIMEOUT
    )
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:] or ["no output"]
        reason = f"`{_uv_install(spec)}` failed: {detail[0]}"
        raise PythonNotFoundError(spec, interpreters, reason=reason)
    chosen = choose(spec, finder.interpreters())
    if chosen is None:
        reason = f"`{_uv_install(spec)}` did not provide a matching interpreter"
        raise PythonNotFoundError(spec, interpreters, reason=reason)
    return Found(spec=spec, interpreter=chosen, installed=True)


def version_output(interpreter: Interpreter) -> str:
    """setup-python's `python-version` output: `3.12.1`, `3.13.0-rc.2`, `3.13.1t`, `pypy7.3.17`."""
    if interpreter.implementation == "pypy":
        return f"pypy{interpreter.pypy_version}"
    version = interpreter.version
    text = ".".join(str(part) for part in (*version.release, 0, 0)[:3])
    if version.pre:
        kind = {"a": "alpha", "b": "beta", "rc": "rc"}[version.pre[0]]
        text += f"-{kind}.{version.pre[1]}"
    return text + ("t" if interpreter.freethreaded else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupResult:
    """What setting up gave: one interpreter per spec (the last is the default) and the changes.

    `version`, `path`, `bin_dir` and `python_root` describe the default interpreter; with
    no spec at all (setup-python's "use what is on PATH") they describe PATH's `python3`
    and `activation` changes nothing.
    """

    found: tuple[Found, ...]
    default: Interpreter
    activation: Activation

    @property
    def version(self) -> str:
        return version_output(self.default)

    @property
    def path(self) -> Path:
        return self.default.path

    @property
    def bin_dir(self) -> Path:
        return self.default.path.parent

    @property
    def python_root(self) -> Path:
        return self.default.prefix

    def outputs(self) -> dict[str, str]:
        """The step outputs setup-python sets (`cache-hit` belongs to the dependency cache)."""
        if not self.found:
            return {}
        return {"python-version": self.version, "python-path": str(self.path)}


def setup_python(
    specs: tuple[PythonSpec, ...],
    finder: Finder,
    *,
    environ: Mapping[str, str],
    shim_root: Path,
) -> SetupResult:
    """Find (or install) every spec in order and compute the environment changes."""
    if not specs:
        return SetupResult(found=(), default=_path_python(finder), activation=Activation())
    known = finder.interpreters()
    found: list[Found] = []
    for spec in specs:
        found.append(find_python(spec, finder, known=known))
        if found[-1].installed:
            known = finder.interpreters()
    interpreters = tuple(f.interpreter for f in found)
    activation = activation_for(interpreters, environ=environ, shim_root=shim_root)
    return SetupResult(found=tuple(found), default=interpreters[-1], activation=activation)


def _path_python(finder: Finder) -> Interpreter:
    memo = ProbeMemo(finder.memo_file)
    for name in ("python3", "python"):
        path = finder.roots.which(name)
        interpreter = probe(path, runner=finder.runner, memo=memo, source="PATH") if path else None
        if interpreter is not None:
            memo.save()
            return interpreter
    raise UserError(
        "The `python-version` input is not set and there is no Python on PATH",
        hint="set `python-version` (such as `3.12`) in the setup-python step",
    )
