"""The files a step writes to talk back to the runner.

`GITHUB_OUTPUT`, `GITHUB_ENV` and `GITHUB_STATE` hold `name=value` lines and the
multiline form::

    name<<DELIMITER
    first line
    second line
    DELIMITER

`GITHUB_PATH` holds one directory per line; `GITHUB_STEP_SUMMARY` is Markdown,
at most 1 MiB. Parsing follows GitHub's runner. A malformed file is reported as a
`FileCommandError` (file, line, message) that the runner turns into a step failure;
the pairs before the bad line still count, as on GitHub.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

SUMMARY_LIMIT = 1024 * 1024
_REFUSED_ENV = "NODE_OPTIONS"


@dataclass(frozen=True, slots=True, kw_only=True)
class FileCommandError:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyValues:
    """Pairs read from an env file, in file order (a later pair wins)."""

    values: Mapping[str, str] = field(default_factory=dict)
    error: FileCommandError | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StepFiles:
    """A step's fresh, empty file-command files."""

    output: Path
    env: Path
    state: Path
    path: Path
    summary: Path

    def environment(self) -> dict[str, str]:
        """The variables that tell the step where its files are."""
        return {
            "GITHUB_OUTPUT": str(self.output),
            "GITHUB_ENV": str(self.env),
            "GITHUB_STATE": str(self.state),
            "GITHUB_PATH": str(self.path),
            "GITHUB_STEP_SUMMARY": str(self.summary),
        }


def create_step_files(directory: Path) -> StepFiles:
    """Create empty files for one step in `directory`, named like GitHub's."""
    directory.mkdir(parents=True, exist_ok=True)
    suffix = uuid.uuid4().hex
    names = {
        "output": "set_output",
        "env": "set_env",
        "state": "save_state",
        "path": "add_path",
        "summary": "step_summary",
    }
    paths = {key: directory / f"{stem}_{suffix}" for key, stem in names.items()}
    for path in paths.values():
        path.write_bytes(b"")
    return StepFiles(**paths)


def read_key_values(file: Path) -> KeyValues:
    """Read a `GITHUB_OUTPUT` / `GITHUB_STATE` style file."""
    text = _read(file)
    values: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index].removesuffix("\r")
        index += 1
        if not line:
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            name, value = line[:equals], line[equals + 1 :]
            if not name:
                return _failed(
                    values,
                    file,
                    number,
                    f"Invalid format '{line}': the name before '=' must not be empty",
                )
        elif heredoc >= 0:
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            if not name or not delimiter:
                return _failed(
                    values,
                    file,
                    number,
                    f"Invalid format '{line}': the name and the delimiter after '<<' must not be empty",
                )
            body: list[str] = []
            while index < len(lines) and lines[index].removesuffix("\r") != delimiter:
                body.append(lines[index])
                index += 1
            if index == len(lines):
                return _failed(
                    values, file, number, f"Matching delimiter not found '{delimiter}' for '{name}'"
                )
            index += 1
            value = "\n".join(body).removesuffix("\r")
        else:
            return _failed(
                values,
                file,
                number,
                f"Invalid format '{line}': expected 'name=value' or 'name<<DELIMITER'",
            )
        values[name] = value
    return KeyValues(values=values)


def _failed(values: dict[str, str], file: Path, line: int, message: str) -> KeyValues:
    return KeyValues(values=values, error=FileCommandError(file=file, line=line, message=message))


def read_env(file: Path) -> KeyValues:
    """Read `GITHUB_ENV`; like GitHub, refuse `NODE_OPTIONS` with a warning."""
    read = read_key_values(file)
    if not any(name.upper() == _REFUSED_ENV for name in read.values):
        return read
    kept = {k: v for k, v in read.values.items() if k.upper() != _REFUSED_ENV}
    warning = f"Can't store {_REFUSED_ENV} output parameter using '$GITHUB_ENV' command."
    return KeyValues(values=kept, error=read.error, warnings=(*read.warnings, warning))


def read_path(file: Path) -> tuple[str, ...]:
    """Directories from `GITHUB_PATH`, highest precedence first (the last line wins)."""
    entries = [line.removesuffix("\r") for line in _read(file).split("\n")]
    ordered: list[str] = []
    for entry in reversed(entries):
        if entry.strip() and entry not in ordered:
            ordered.append(entry)
    return tuple(ordered)


def prepend_path(added: tuple[str, ...], current: tuple[str, ...]) -> tuple[str, ...]:
    """The job's new prepended directories: `added` (from a later step) go first."""
    return (*added, *(entry for entry in current if entry not in added))


def read_summary(file: Path) -> str | FileCommandError:
    """The step's Markdown summary, or an error when it is over GitHub's 1 MiB limit."""
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        return ""
    if size > SUMMARY_LIMIT:
        message = f"$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of {SUMMARY_LIMIT // 1024}k, got {size // 1024}k."
        return FileCommandError(file=file, line=0, message=message)
    return _read(file)


def _read(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8", errors="replace")  # keep \r\n as written
    except FileNotFoundError:
        return ""
