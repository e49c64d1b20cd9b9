"""`astral-sh/setup-uv`: the local uv (or, with network, `pip install uv` into the tool cache).

`version` (or `version-file`: `required-version` of `[tool.uv]` in pyproject.toml or of
uv.toml) is checked against the uv found; `python-version` sets `UV_PYTHON`;
`enable-cache` points `UV_CACHE_DIR` at a directory kept under conveyor's cache dir (uv's
cache is safe to share between jobs, so it is used in place rather than saved and
restored: `cache-hit` says whether it already held something); `activate-environment`
creates `.venv` and puts it first on PATH with `VIRTUAL_ENV`.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Final

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from conveyor.actions import process
from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import note_ignored, warn_unexpected
from conveyor.actions.versions import parse_tool_version, satisfies

INPUTS: Final = (
    "version", "version-file", "python-version", "activate-environment", "working-directory",
    "checksum", "github-token", "enable-cache", "cache-dependency-glob", "restore-cache",
    "save-cache", "cache-suffix", "cache-local-path", "prune-cache", "ignore-nothing-to-cache",
    "ignore-empty-workdir", "tool-dir", "tool-bin-dir", "manifest-file", "add-problem-matchers",
    "resolution-strategy", "server-url", "cache-python", "python-install-dir",
)  # fmt: skip
IGNORED: Final = (
    "checksum", "github-token", "cache-dependency-glob", "restore-cache", "save-cache",
    "cache-suffix", "prune-cache", "ignore-nothing-to-cache", "ignore-empty-workdir",
    "manifest-file", "add-problem-matchers", "resolution-strategy", "server-url", "cache-python",
)  # fmt: skip
_SAFE_TAG = re.compile(r"[^0-9A-Za-z.]+")


def _working_directory(call: ActionCall) -> Path:
    given = call.input("working-directory").strip()
    return call.workspace / given if given else call.workspace


def _required_version(call: ActionCall) -> str:
    """`version`, else `required-version` from `version-file` (PEP 440, kept as written)."""
    version = call.input("version").strip()
    file = call.input("version-file").strip()
    if version or not file:
        return version
    path = call.workspace / file
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ActionFailed(f"cannot read `version-file` {file}: {exc}") from None
    table = data.get("tool", {}).get("uv", {}) if path.name == "pyproject.toml" else data
    return str(table.get("required-version", "")) if isinstance(table, dict) else ""


def _accepts(version: Version, wanted: str) -> bool:
    """PEP 440 (`==0.5.*`, `>=0.4,<0.6`, as uv's `required-version`) or node-semver."""
    if wanted.startswith(("==", "~=", "!=")) or "," in wanted:
        try:
            return version in SpecifierSet(wanted)
        except InvalidSpecifier:
            pass
    return satisfies(version, wanted, what="uv")


async def _uv_version(uv: Path, call: ActionCall) -> Version | None:
    found = await process.capture([str(uv), "--version"], cwd=call.workspace, env=call.env)
    return parse_tool_version(found.stdout) if found.returncode == 0 else None


def _requirement(wanted: str) -> str:
    if not wanted or wanted == "latest":
        return "uv"
    if wanted[0].isdigit() and "x" not in wanted and " " not in wanted:
        return f"uv=={wanted}" + (".*" if wanted.count(".") < 2 else "")
    return f"uv{wanted}" if wanted[0] in "<>=!~" else "uv"


async def _install(call: ActionCall, wanted: str) -> Path:
    target = call.tool_cache / "uv" / (_SAFE_TAG.sub("_", wanted) or "latest")
    uv = target / "bin" / "uv"
    if not uv.is_file():
        python = process.which("python3", call.env) or Path(sys.executable)
        await process.run_checked(
            call,
            [str(python), "-m", "pip", "install", "--quiet", "--target", str(target), _requirement(wanted)],
            cwd=call.workspace,
            hint="install uv yourself (`pipx install uv` or `pip install uv`)",
        )  # fmt: skip
    if not uv.is_file():
        raise ActionFailed(f"`pip install {_requirement(wanted)}` did not provide {uv}")
    return uv


async def _find_uv(call: ActionCall, wanted: str) -> tuple[Path, Version]:
    """A uv that satisfies `wanted`: an earlier install in the tool cache, PATH's, or a new one."""
    installed = call.tool_cache / "uv" / (_SAFE_TAG.sub("_", wanted) or "latest") / "bin" / "uv"
    on_path = process.which("uv", call.env)
    seen = ""
    for uv in (installed if installed.is_file() else None, on_path):
        version = await _uv_version(uv, call) if uv else None
        if uv and version and _accepts(version, wanted):
            return uv, version
        if uv and version and uv == on_path:
            seen = f"found uv {version} at {uv}"
    if not call.allow_network:
        label = f"uv {wanted}" if wanted else "uv"
        raise ActionFailed(
            f"{label} is not available on this machine ({seen or 'no uv on PATH'}), "
            "and downloads are turned off",
            hint=f"install it with `pipx install '{_requirement(wanted)}'` (or `pip install "
            f"'{_requirement(wanted)}'`), or allow conveyor to download it",
        )
    uv = await _install(call, wanted)
    version = await _uv_version(uv, call)
    if version is None or not _accepts(version, wanted):
        raise ActionFailed(f"the uv installed at {uv} is not {wanted}")
    return uv, version


def _cache(call: ActionCall, io: ActionIO) -> None:
    enabled = call.input("enable-cache", "auto").strip().lower()
    if enabled not in ("auto", "true", "false"):
        raise ActionFailed(f"input `enable-cache` must be true, false or auto, got {enabled!r}")
    if enabled == "false":
        io.outputs["cache-hit"] = "false"
        return
    local = call.input("cache-local-path").strip()
    directory = Path(local) if local else call.cache_dir / "uv"
    directory.mkdir(parents=True, exist_ok=True)
    io.env["UV_CACHE_DIR"] = str(directory)
    io.outputs["cache-hit"] = "true" if any(directory.iterdir()) else "false"


async def _activate(call: ActionCall, io: ActionIO, uv: Path) -> None:
    where = _working_directory(call)
    venv = where / ".venv"
    await process.run_checked(call, [str(uv), "venv", str(venv)], cwd=where, env=io.env)
    io.path.insert(0, str(venv / ("Scripts" if os.name == "nt" else "bin")))
    io.env["VIRTUAL_ENV"] = str(venv)
    io.outputs["venv"] = str(venv)


class SetupUv:
    """`astral-sh/setup-uv` (no post step: the uv cache is used in place)."""

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(call, io, IGNORED, "uv comes from this machine and its cache is used in place")
        uv, version = await _find_uv(call, _required_version(call))
        if uv != process.which("uv", call.env):
            io.path.append(str(uv.parent))  # installed just now; PATH's own stays where it is
        io.outputs.update({"uv-version": str(version), "uv-path": str(uv)})
        uvx = uv.parent / "uvx"
        if uvx.is_file():
            io.outputs["uvx-path"] = str(uvx)
        python = call.input("python-version").strip()
        if python:
            io.env["UV_PYTHON"] = python
            io.outputs["python-version"] = python
        for name, variable in (("tool-dir", "UV_TOOL_DIR"), ("tool-bin-dir", "UV_TOOL_BIN_DIR")):
            if call.input(name).strip():
                io.env[variable] = call.input(name).strip()
        if call.input("tool-bin-dir").strip():
            io.path.append(call.input("tool-bin-dir").strip())
        if call.input("python-install-dir").strip():
            io.env["UV_PYTHON_INSTALL_DIR"] = call.input("python-install-dir").strip()
        _cache(call, io)
        if call.flag("activate-environment"):
            await _activate(call, io, uv)
        io.log(f"Using uv {version} at {uv}")
