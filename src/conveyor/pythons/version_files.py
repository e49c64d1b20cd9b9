"""Where the wanted versions come from: the input, `python-version-file`, `.python-version`.

The precedence is setup-python's: `python-version` wins over `python-version-file` (with a
warning when both are given); with neither, `.python-version` in the workspace is read if
present; with nothing at all the Python already on PATH is used (a warning says so).

File formats, chosen by file name as setup-python does:

- `*.toml`: `project.requires-python` (PEP 440; when a `[project]` table exists), else
  Poetry's `tool.poetry.dependencies.python` (semver-like, commas read as "and");
- `Pipfile`: `[requires] python_full_version`, else `python_version`;
- `.tool-versions` (asdf): the first version on the `python` line, `v` prefix dropped;
- anything else (`.python-version`, pyenv's format): one version a line, `#` comments and
  blank lines skipped, a virtualenv suffix (`3.12/envs/tools`) cut off.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conveyor.errors import UserError
from conveyor.pythons.spec import PythonSpec, parse_requires_python, parse_spec

_TOOL_VERSIONS_LINE = re.compile(r"^python\s+v?(\S+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionInput:
    """The specs to set up (the last is the default `python`), where they came from, warnings."""

    specs: tuple[PythonSpec, ...]
    source: str
    warnings: tuple[str, ...] = ()


def resolve_version_input(
    *,
    python_version: str = "",
    python_version_file: str = "",
    workspace: Path,
    allow_prereleases: bool = False,
) -> VersionInput:
    """Decide which versions setup-python would set up for these inputs."""
    warnings: list[str] = []
    if python_version.strip():
        if python_version_file.strip():
            warnings.append(
                "Both python-version and python-version-file inputs are specified, only python-version will be used."
            )
        lines = [line.strip() for line in python_version.splitlines() if line.strip()]
        specs = tuple(parse_spec(line, allow_prereleases=allow_prereleases) for line in lines)
        return VersionInput(specs=specs, source="python-version", warnings=tuple(warnings))
    if python_version_file.strip():
        file = workspace / python_version_file.strip()
        if not file.is_file():
            raise UserError(
                f"The specified python version file at: {python_version_file} doesn't exist.",
                hint="check `python-version-file` (it is relative to the workspace), or set `python-version`",
            )
        return VersionInput(
            specs=read_version_file(file, allow_prereleases=allow_prereleases),
            source=python_version_file.strip(),
        )
    default = workspace / ".python-version"
    if default.is_file():
        warnings.append(
            "Neither 'python-version' nor 'python-version-file' inputs were supplied. Reading '.python-version'."
        )
        specs = read_version_file(default, allow_prereleases=allow_prereleases)
        return VersionInput(specs=specs, source=".python-version", warnings=tuple(warnings))
    warnings.append(
        "The `python-version` input is not set. The version of Python currently in `PATH` will be used."
    )
    return VersionInput(specs=(), source="PATH", warnings=tuple(warnings))


def read_version_file(file: Path, *, allow_prereleases: bool = False) -> tuple[PythonSpec, ...]:
    """The specs a version file asks for; one that names none is a UserError."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{file}: cannot read the python version file ({err})") from None
    if file.name.endswith(".toml"):
        specs = _from_pyproject(file, text)
    else:
        if file.name == "Pipfile":
            values = _from_pipfile(file, text)
        elif file.name == ".tool-versions":
            values = _from_tool_versions(text)
        else:
            values = _from_plain(text)
        specs = tuple(parse_spec(v, allow_prereleases=allow_prereleases) for v in values)
    if not specs:
        raise UserError(
            f"{file}: names no Python version",
            hint="write a version in it (such as `3.12`), or set `python-version` in the workflow",
        )
    return specs


def _from_plain(text: str) -> list[str]:
    values = []
    for raw in re.split(r"\r\n|\r|\n", text):
        line = raw.strip()
        if line and not line.startswith("#"):
            values.append(line.split("/", 1)[0])
    return values


def _from_tool_versions(text: str) -> list[str]:
    for line in text.splitlines():
        match = _TOOL_VERSIONS_LINE.match(line.strip())
        if match:
            return [match.group(1)]
    return []


def _toml(file: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{file}: is not valid TOML ({err})") from None


def _from_pipfile(file: Path, text: str) -> list[str]:
    requires = _toml(file, text).get("requires", {})
    for key in ("python_full_version", "python_version"):
        if isinstance(requires, dict) and isinstance(requires.get(key), str):
            return [requires[key]]
    return []


def _dig(table: object, *keys: str) -> object:
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table


def _from_pyproject(file: Path, text: str) -> tuple[PythonSpec, ...]:
    data = _toml(file, text)
    project = data.get("project")
    if isinstance(project, dict):
        value = project.get("requires-python")
        return (parse_requires_python(value),) if isinstance(value, str) else ()
    value = _dig(data, "tool", "poetry", "dependencies", "python")
    if not isinstance(value, str):
        return ()
    return (parse_spec(" ".join(value.split(","))),)
