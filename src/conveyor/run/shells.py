"""GitHub's `shell:` templates for Linux and macOS, and the script file a step runs.

| `shell:`      | command                                  | file  |
|---------------|------------------------------------------|-------|
| (unspecified) | `bash -e {0}` (`sh -e {0}` without bash) | `.sh` |
| `bash`        | `bash --noprofile --norc -eo pipefail {0}` | `.sh` |
| `sh`          | `sh -e {0}`                              | `.sh` |
| `python`      | `python {0}`                             | `.py` |
| `pwsh`        | `pwsh -command ". '{0}'"`                | `.ps1` |
| custom        | the template, `{0}` replaced by the file | by program |

`powershell` and `cmd` exist only on Windows runners. The program is looked up on
the step's PATH, and the argv names it by its full path, as GitHub's runner does.
"""

from __future__ import annotations

import os
import shlex
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import UserError

_BUILTIN: dict[str, tuple[str, ...]] = {
    "bash": ("bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"),
    "sh": ("sh", "-e", "{0}"),
    "python": ("python", "{0}"),
    "pwsh": ("pwsh", "-command", ". '{0}'"),
}
_EXTENSIONS = {"bash": ".sh", "sh": ".sh", "python": ".py", "pwsh": ".ps1", "powershell": ".ps1"}
_WINDOWS_ONLY = ("powershell", "cmd")
_INSTALL_HINTS = {
    "pwsh": "install PowerShell (https://aka.ms/install-powershell) so that `pwsh` is on PATH",
    "python": "install Python so that `python` (or `python3`) is on PATH",
}
_PWSH_PROLOGUE = "$ErrorActionPreference = 'stop'\n"
_PWSH_EPILOGUE = "\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShellCommand:
    """The argv that runs a step's script, and the script file it runs."""

    argv: tuple[str, ...]
    script: Path
    shell: str


def shell_command(
    shell: str | None, script: str, *, temp_dir: Path, path: str | None = None, step: str = ""
) -> ShellCommand:
    """Write `script` to a new file in `temp_dir` and return how to run it.

    `path` is the step's PATH (None: this process's); `step` names the step in errors.
    Raises `UserError` for a shell that is not installed, Windows-only, or a custom
    template without `{0}`.
    """
    name = (shell or "").strip()
    template = _template(name, path, step)
    program = _find(template[0], path, name or "bash", step)
    extension = _EXTENSIONS.get(Path(template[0]).name, "")
    body = f"{_PWSH_PROLOGUE}{script}{_PWSH_EPILOGUE}" if extension == ".ps1" else script
    temp_dir.mkdir(parents=True, exist_ok=True)
    file = temp_dir / f"{uuid.uuid4()}{extension}"
    file.write_text(body, encoding="utf-8")
    argv = (program, *(part.replace("{0}", str(file)) for part in template[1:]))
    return ShellCommand(argv=argv, script=file, shell=name or "default")


def _template(name: str, path: str | None, step: str) -> tuple[str, ...]:
    if not name:
        if shutil.which("bash", path=_search(path)):
            return ("bash", "-e", "{0}")
        return ("sh", "-e", "{0}")
    if name in _BUILTIN:
        return _BUILTIN[name]
    if name in _WINDOWS_ONLY:
        raise UserError(
            f"{_who(step)}uses `shell: {name}`, which exists only on Windows runners",
            hint="use `shell: bash`, `shell: pwsh` or `shell: python` for steps that run here",
        )
    if "{0}" not in name:
        raise UserError(
            f"{_who(step)}uses `shell: {name}`, a custom shell without `{{0}}`",
            hint=f"put `{{0}}` where the script file goes, for example `shell: {name} {{0}}`",
        )
    try:
        parts = tuple(shlex.split(name))
    except ValueError as exc:
        raise UserError(f"{_who(step)}has a `shell:` that cannot be split: {exc}") from None
    return parts


def _find(program: str, path: str | None, shell: str, step: str) -> str:
    found = shutil.which(program, path=_search(path))
    if found is None and program == "python":
        found = shutil.which("python3", path=_search(path))
    if found is None:
        hint = _INSTALL_HINTS.get(program, f"install `{program}` or put its directory on PATH")
        raise UserError(
            f"{_who(step)}uses `shell: {shell}` but `{program}` is not installed", hint=hint
        )
    return found


def _search(path: str | None) -> str | None:
    return path if path is not None else os.environ.get("PATH")


def _who(step: str) -> str:
    return f"step `{step}` " if step else "this step "


def script_command(
    shell: str | None, script: str, temp_dir: Path, *, path: str | None = None, step: str = ""
) -> tuple[str, ...]:
    """`shell_command(...).argv`: the argv alone, for callers that need nothing else."""
    return shell_command(shell, script, temp_dir=temp_dir, path=path, step=step).argv
