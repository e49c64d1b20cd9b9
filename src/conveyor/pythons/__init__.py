"""Finding, choosing and installing Python interpreters for `actions/setup-python`.

The pipeline, one function per step, each returning a frozen record:

    resolve_version_input(python_version=…, python_version_file=…, workspace=…)  -> VersionInput
        (specs from the input, a version file, or `.python-version`; see version_files)
    Finder(roots=SearchRoots.from_environ(os.environ, tool_cache=…), memo_file=…,
           allow_downloads=…, runner=run_command)
    setup_python(specs, finder, environ=…, shim_root=…)                          -> SetupResult
        find_python(spec, finder) -> Found      for each spec (the last is the default)
            discover(roots, …)  -> (Interpreter, …)   tool cache, uv, pyenv, PATH; probed once
            choose(spec, …)     -> Interpreter | None  highest accepted version
            `uv python install …` when nothing fits, uv is on PATH and downloads are allowed
        activation_for(…)     -> Activation        PATH entries and variables to apply
    result.outputs()  -> {"python-version": …, "python-path": …}

Versions are read as setup-python reads them (`spec.parse_spec`): `3.12`, `3.12.1`, `3.x`,
node-semver ranges (`>=3.10 <3.13`, `~3.11`, `^3.11`, `3.10 - 3.12`, `||`), `3.13-dev` and
Python-style prereleases (`3.13.0rc1`, `3.13.0-alpha.1`), `allow_prereleases` (widens
`x.y` only, as setup-python does), free-threaded `3.13t`/`3.13t-dev`, and PyPy
(`pypy3.10`, `pypy-3.10`, `pypy3.10-v7.3.x`). GraalPy and PyPy nightlies are refused with
a message. `requires-python` from pyproject.toml is read as PEP 440 (what it is), and the
newest installed version it accepts is chosen.

A spec nothing fits raises `PythonNotFoundError` (a `UserError`): "Python 3.13 is not
installed on this machine (found: 3.11.7 at /usr/bin/python3)", with the hint "install it
with `uv python install 3.13` or `pyenv install 3.13`, or remove 3.13 from the workflow's
python-version (or its matrix)".

Every program run (interpreter probes, `uv`) goes through a `CommandRunner`; `FakeRunner`
answers chosen programs and records calls, so tests never download anything.
"""

from conveyor.pythons.activate import Activation, activation_for, write_shims
from conveyor.pythons.discover import SearchRoots, discover
from conveyor.pythons.probe import Interpreter, ProbeMemo, probe
from conveyor.pythons.provision import (
    Finder,
    Found,
    PythonNotFoundError,
    SetupResult,
    choose,
    find_python,
    setup_python,
    version_output,
)
from conveyor.pythons.runner import CommandResult, CommandRunner, FakeRunner, run_command
from conveyor.pythons.spec import PythonSpec, parse_requires_python, parse_spec, parse_specs
from conveyor.pythons.version_files import VersionInput, read_version_file, resolve_version_input

__all__ = [
    "Activation",
    "CommandResult",
    "CommandRunner",
    "FakeRunner",
    "Finder",
    "Found",
    "Interpreter",
    "ProbeMemo",
    "PythonNotFoundError",
    "PythonSpec",
    "SearchRoots",
    "SetupResult",
    "VersionInput",
    "activation_for",
    "choose",
    "discover",
    "find_python",
    "parse_requires_python",
    "parse_spec",
    "parse_specs",
    "probe",
    "read_version_file",
    "resolve_version_input",
    "run_command",
    "setup_python",
    "version_output",
    "write_shims",
]
