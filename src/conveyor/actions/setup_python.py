"""`actions/setup-python` over `conveyor.pythons`: find (or, with network, install) and activate.

Interpreters come from conveyor's tool cache, uv, pyenv and PATH; when none fits and
downloads are allowed, `uv python install` provides it, otherwise the step fails naming
the version and the command that gets it. The interpreter is put first on PATH through a
shim directory (see `conveyor.pythons.activate`), with setup-python's variables.
"""

from __future__ import annotations

import asyncio
import platform
from typing import Final

from conveyor.actions import process
from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.dependency_cache import (
    restore_dependencies,
    runner_arch,
    save_dependencies,
)
from conveyor.actions.inputs import note_ignored, warn_unexpected
from conveyor.errors import UserError
from conveyor.pythons import (
    Finder,
    PythonNotFoundError,
    SearchRoots,
    SetupResult,
    resolve_version_input,
    setup_python,
)

INPUTS: Final = (
    "python-version", "python-version-file", "cache", "architecture", "check-latest", "token",
    "cache-dependency-path", "update-environment", "allow-prereleases", "freethreaded",
    "pip-version", "pip-install",
)  # fmt: skip
_ARCH_ALIASES: Final = {"x64": "x64", "x86_64": "x64", "amd64": "x64", "arm64": "arm64"}


def _check_architecture(call: ActionCall) -> None:
    wanted = call.input("architecture").strip().lower()
    if not wanted:
        return
    here = runner_arch()
    if _ARCH_ALIASES.get(wanted, wanted) != here:
        raise ActionFailed(
            f"architecture `{wanted}` was asked for, but this machine is {platform.machine()} ({here})",
            hint=f"remove `architecture`, or set it to `{here}`",
        )


async def _set_up(call: ActionCall, io: ActionIO) -> SetupResult:
    allow_pre = call.flag("allow-prereleases")
    try:
        wanted = resolve_version_input(
            python_version=call.input("python-version"),
            python_version_file=call.input("python-version-file"),
            workspace=call.workspace,
            allow_prereleases=allow_pre,
        )
        if call.flag("freethreaded"):
            raise ActionFailed(
                "input `freethreaded` is not supported by conveyor",
                hint="give the version with a `t` suffix instead, such as `python-version: 3.13t`",
            )
        io.warnings.extend(wanted.warnings)
        finder = Finder(
            roots=SearchRoots.from_environ(call.env, tool_cache=call.tool_cache),
            memo_file=call.cache_dir / "pythons" / "probes.json",
        )  # installs go through `call.run` below, so they stream and stop on cancel
        installed: set[str] = set()
        while True:
            try:
                return await asyncio.to_thread(
                    setup_python,
                    wanted.specs,
                    finder,
                    environ=call.env,
                    shim_root=call.cache_dir / "pythons" / "shims",
                )
            except PythonNotFoundError as exc:
                uv = finder.roots.which("uv")
                request = exc.spec.install_request
                if not call.allow_network or uv is None or request in installed:
                    raise
                installed.add(request)
                io.log(f"Installing {exc.spec.label} with uv")
                code = await process.run(
                    call, [str(uv), "python", "install", request], cwd=call.workspace
                )
                if code != 0:
                    raise ActionFailed(
                        f"`uv python install {request}` failed with exit code {code}", hint=exc.hint
                    ) from None
    except PythonNotFoundError as exc:
        raise ActionFailed(exc.message, hint=exc.hint) from None
    except UserError as exc:
        if isinstance(exc, ActionFailed):
            raise
        raise ActionFailed(exc.message, hint=exc.hint) from None


def _apply(call: ActionCall, io: ActionIO, result: SetupResult) -> None:
    if not call.flag("update-environment", True):
        return
    io.path.extend(str(p) for p in result.activation.path_prepend)
    io.env.update(result.activation.variables)


async def _pip(call: ActionCall, result: SetupResult) -> None:
    python = str(result.path)
    version = call.input("pip-version").strip()
    if version:
        await process.run_checked(
            call,
            [python, "-m", "pip", "install", "--upgrade", f"pip=={version}"],
            cwd=call.workspace,
        )
    packages = call.input("pip-install").split()
    if packages:
        await process.run_checked(
            call, [python, "-m", "pip", "install", *packages], cwd=call.workspace
        )


class SetupPython:
    """`actions/setup-python`; the post step saves the dependency cache after a successful job."""

    post_if = "success()"

    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(call, io, ("check-latest", "token"), "interpreters come from this machine")
        _check_architecture(call)
        result = await _set_up(call, io)
        for found in result.found:
            verb = "Installed" if found.installed else "Using"
            io.log(
                f"{verb} {found.interpreter.label} at {found.interpreter.path} for {found.spec.text}"
            )
        _apply(call, io, result)
        io.outputs.update(result.outputs())
        if call.input("cache").strip():
            if not result.found:
                raise ActionFailed(
                    "`cache` needs `python-version`, `python-version-file` or `.python-version`"
                )
            await restore_dependencies(call, io, result.version)
        await _pip(call, result)

    async def post(self, call: ActionCall, io: ActionIO) -> None:
        await save_dependencies(call, io)
