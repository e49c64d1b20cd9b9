"""Secrets and configuration variables for a run: from flags, files and the environment.

`--secret NAME=VALUE` sets a secret; `--secret NAME` reads it from the environment (so
it never appears in shell history); `--secret-file FILE` reads a `.env` file. `--var`
and `--var-file` do the same for the `vars` context. `GITHUB_TOKEN` is taken from the
environment when set, as GitHub always provides it. Every secret value goes to the
masker before any step runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from conveyor.errors import UsageError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_name(name: str, what: str, origin: str) -> str:
    if not _NAME.match(name):
        raise UsageError(
            f"{origin}: `{name}` is not a valid {what} name",
            hint="names hold letters, digits and `_`, and do not start with a digit",
        )
    if what == "secret" and name.upper().startswith("GITHUB_") and name.upper() != "GITHUB_TOKEN":
        raise UsageError(
            f"{origin}: secret names may not start with `GITHUB_` (GitHub reserves them)",
            hint="rename the secret",
        )
    return name


def read_env_file(path: Path, what: str) -> dict[str, str]:
    """Parse a `.env`-style file (`KEY=value`, quotes, `export`, comments, multiline)."""
    from dotenv import dotenv_values

    if not path.is_file():
        raise UsageError(f"{what} file not found: {path}", hint="check the path given to the flag")
    try:
        raw = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {what} file {path}: {exc}") from None
    values: dict[str, str] = {}
    for name, value in raw.items():
        _check_name(name, what, str(path))
        values[name] = value if value is not None else ""
    return values


def parse_assignments(
    items: Iterable[str], what: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`NAME=VALUE` pairs; a bare `NAME` takes its value from the environment."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        origin = f"--{what} {name}"
        _check_name(name, what, origin)
        if not sep:
            if name not in environ:
                raise UsageError(
                    f"{origin}: no value given and `{name}` is not set in the environment",
                    hint=f"pass `--{what} {name}=VALUE`, or export {name} first",
                )
            value = environ[name]
        values[name] = value
    return values


def load_values(
    assignments: Iterable[str],
    files: Iterable[Path],
    what: str,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Files first, then flags (flags win), as a user would expect."""
    values: dict[str, str] = {}
    for path in files:
        values.update(read_env_file(path, what))
    values.update(parse_assignments(assignments, what, environ))
    return values


def load_secrets(
    assignments: Iterable[str], files: Iterable[Path], environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    environ = os.environ if environ is None else environ
    secrets = load_values(assignments, files, "secret", environ)
    if "GITHUB_TOKEN" not in secrets and environ.get("GITHUB_TOKEN"):
        secrets["GITHUB_TOKEN"] = environ["GITHUB_TOKEN"]
    secrets.setdefault("GITHUB_TOKEN", "")
    return secrets
