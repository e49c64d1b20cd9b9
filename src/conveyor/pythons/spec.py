"""`python-version` values, read the way `actions/setup-python` reads them.

`parse_spec` turns one value into a `PythonSpec`: which implementation, which versions
it accepts, whether it wants a free-threaded build, and what to ask `uv`/`pyenv` for when
nothing installed fits. `parse_specs` reads the multi-line input (one version a line;
the last one becomes the default `python`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from conveyor.errors import UserError
from conveyor.pythons.probe import Interpreter
from conveyor.pythons.ranges import Comparator, RangeSyntaxError, SemverRange, parse_range

_FREETHREADED = re.compile(r"^(\d+\.\d+(?:\.\d+)?)t$")
_FREETHREADED_DEV = re.compile(r"^(\d+\.\d+)t(-dev)$")
_DEV = re.compile(r"^(\d+)\.(\d+)-dev$")
_PY_PRERELEASE = re.compile(r"(\d+\.\d+\.\d+)((?:a|b|rc)\d*)")
_MAJOR_MINOR = re.compile(r"^(\d+)\.(\d+)$")
_NUMERIC = re.compile(r"^\d+(?:\.\d+){0,2}$")
_X_SERIES = re.compile(r"^(\d+(?:\.\d+)?)(?:\.[xX*])+$")

SPEC_HINT = (
    "write a version such as `3.12`, `3.12.1`, `3.x`, a range such as `>=3.10 <3.13`, "
    "`3.13-dev`, a free-threaded `3.13t`, or `pypy3.10`"
)


class VersionMatcher(Protocol):
    """Which versions a spec accepts: a node-semver range or a PEP 440 specifier set."""

    def contains(self, version: Version) -> bool: ...


@dataclass(frozen=True, slots=True)
class Pep440Range:
    """A PEP 440 specifier set (`requires-python`); prereleases only when it names one."""

    specifiers: SpecifierSet

    def contains(self, version: Version) -> bool:
        return self.specifiers.contains(version, prereleases=bool(self.specifiers.prereleases))


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonSpec:
    """One requested Python.

    `python` tests the Python language version (for PyPy too); `pypy` tests PyPy's own
    version (`pypy3.10-v7.3.x`), None for CPython. `install_request` is the argument for
    `uv python install`; `pyenv_request` the one for `pyenv install`, None when pyenv
    cannot take this form (a range).
    """

    text: str
    implementation: str
    python: VersionMatcher
    pypy: VersionMatcher | None = None
    freethreaded: bool = False
    install_request: str
    pyenv_request: str | None

    @property
    def label(self) -> str:
        """`Python 3.13`, `Python 3.13t`, `PyPy pypy3.10`: the spec as a message names it."""
        return f"PyPy {self.text}" if self.implementation == "pypy" else f"Python {self.text}"

    def matches(self, interpreter: Interpreter) -> bool:
        if interpreter.implementation != self.implementation:
            return False
        if self.implementation == "cpython" and interpreter.freethreaded != self.freethreaded:
            return False
        if not self.python.contains(interpreter.version):
            return False
        if self.pypy is None:
            return True
        return interpreter.pypy_version is not None and self.pypy.contains(interpreter.pypy_version)


def parse_specs(text: str, *, allow_prereleases: bool = False) -> tuple[PythonSpec, ...]:
    """Read a multi-line `python-version` input: one spec per non-empty line."""
    lines = [line.strip() for line in text.splitlines()]
    return tuple(parse_spec(line, allow_prereleases=allow_prereleases) for line in lines if line)


def parse_spec(text: str, *, allow_prereleases: bool = False) -> PythonSpec:
    """Read one `python-version` value; a value setup-python would refuse is a UserError."""
    text = text.strip()
    if not text:
        raise UserError("`python-version` is empty", hint=SPEC_HINT)
    if text.startswith("graalpy"):
        raise UserError(
            f"GraalPy (`{text}`) is not supported by conveyor's setup-python",
            hint="use a CPython version such as `3.12`, or PyPy such as `pypy3.10`",
        )
    if "," in text:
        raise UserError(
            f"`{text}` is not a Python version",
            hint="to set up several versions, put one per line (`python-version: |` then `3.11` and `3.12` on their own lines)",
        )
    if text.startswith("pypy"):
        return _parse_pypy(text)
    return _parse_cpython(text, allow_prereleases=allow_prereleases)


def parse_requires_python(text: str) -> PythonSpec:
    """Read a PEP 440 `requires-python` (`>=3.9`, `~=3.10`, `==3.11.*`): CPython, newest fits."""
    try:
        specifiers = SpecifierSet(text.strip())
    except InvalidSpecifier:
        raise UserError(
            f"`requires-python = {text!r}` is not a PEP 440 version specifier",
            hint="write it like `>=3.10` or `>=3.10,<3.13`",
        ) from None
    return PythonSpec(
        text=text.strip(),
        implementation="cpython",
        python=Pep440Range(specifiers),
        install_request=str(specifiers) or "3",
        pyenv_request=None,
    )


def _semver(text: str, original: str) -> SemverRange:
    try:
        return parse_range(text)
    except RangeSyntaxError:
        raise UserError(
            f"`{original}` is not a Python version setup-python understands", hint=SPEC_HINT
        ) from None


def _parse_cpython(text: str, *, allow_prereleases: bool) -> PythonSpec:
    version, freethreaded = text, False
    if match := _FREETHREADED.match(text) or _FREETHREADED_DEV.match(text):
        version, freethreaded = "".join(g for g in match.groups() if g), True
    base = version.removesuffix("-dev")
    semantic = _DEV.sub(r"~\1.\2.0-0", version)
    semantic = _PY_PRERELEASE.sub(r"\1-\2", semantic)
    if allow_prereleases:
        semantic = _MAJOR_MINOR.sub(r"~\1.\2.0-0", semantic)
    python = _semver(semantic, text)
    suffix = "t" if freethreaded else ""
    return PythonSpec(
        text=text,
        implementation="cpython",
        python=python,
        freethreaded=freethreaded,
        install_request=_install_request(base, python) + suffix,
        pyenv_request=_pyenv_request(base, freethreaded),
    )


def _install_request(base: str, python: SemverRange) -> str:
    if _NUMERIC.match(base):
        return base
    if series := _X_SERIES.match(base):
        return series.group(1)
    if pinned := python.pins_release():
        return str(pinned)
    # uv takes PEP 440 specifiers; it has no `||`, so the first alternative stands in.
    group = python.sets[0] if python.sets else ()
    return ",".join(_pep440(c) for c in group) or "3"


def _pep440(comparator: Comparator) -> str:
    """`<3.13.0.dev0` (below every 3.13 build) reads `<3.13` in PEP 440, which means the same."""
    version = comparator.version
    if comparator.op == "<" and version.dev == 0 and version.release[2:] == (0,):
        return f"<{version.major}.{version.minor}"
    return f"{'==' if comparator.op == '=' else comparator.op}{version}"


def _pyenv_request(base: str, freethreaded: bool) -> str | None:
    if freethreaded:
        return f"{base}t" if base.count(".") == 2 else None
    if _NUMERIC.match(base):
        return base
    if series := _X_SERIES.match(base):
        return series.group(1)
    return None


def _parse_pypy(text: str) -> PythonSpec:
    rest = text.removeprefix("pypy").removeprefix("-")
    parts = [part for part in rest.split("-") if part]
    if not parts:
        raise UserError(
            f"`{text}` does not say which Python version of PyPy to use",
            hint="write `pypy3.10` or `pypy-3.10` (optionally with PyPy's version: `pypy3.10-v7.3.x`)",
        )
    python_text = parts[0]
    if not _MAJOR_MINOR.match(python_text):
        raise UserError(
            f"`{text}`: the Python version of PyPy must be written `x.y` (like `3.10`)",
            hint="write `pypy3.10` or `pypy-3.10`",
        )
    pypy_text = parts[1].removeprefix("v") if len(parts) > 1 else "x"
    if pypy_text == "nightly":
        raise UserError(
            f"`{text}`: PyPy nightly builds are not supported by conveyor's setup-python",
            hint=f"use a released PyPy, such as `pypy{python_text}`",
        )
    pypy_semantic = re.sub(r"(\d+\.\d+\.\d+)((?:a|b|rc)\d*)", r"\1-\2", pypy_text)
    return PythonSpec(
        text=text,
        implementation="pypy",
        python=_semver(python_text, text),
        pypy=_semver(pypy_semantic, text),
        install_request=f"pypy@{python_text}",
        pyenv_request=f"pypy{python_text}",
    )
