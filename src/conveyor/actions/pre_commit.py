"""`pre-commit/action`: `pre-commit run --show-diff-on-failure --color=always <extra_args>`.

pre-commit comes from PATH (or `python -m pre_commit`), or, when downloads are allowed,
from `pip install pre-commit` as the real action does. Its environments live under
conveyor's cache dir (`PRE_COMMIT_HOME`), shared by runs, instead of being saved and
restored per run.
"""

from __future__ import annotations

import shlex
from typing import Final

from conveyor.actions import process
from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import warn_unexpected

INPUTS: Final = ("extra_args",)


async def _pre_commit(call: ActionCall) -> list[str]:
    found = process.which("pre-commit", call.env)
    if found is not None:
        return [str(found)]
    python = process.which("python", call.env) or process.which("python3", call.env)
    if python is None:
        raise ActionFailed(
            "pre-commit/action needs Python on PATH", hint="add actions/setup-python before it"
        )
    module = [str(python), "-m", "pre_commit"]
    if (
        await process.capture([*module, "--version"], cwd=call.workspace, env=call.env)
    ).returncode == 0:
        return module
    if not call.allow_network:
        raise ActionFailed(
            "pre-commit is not installed, and downloads are turned off",
            hint=f"install it (`pipx install pre-commit` or `{python} -m pip install pre-commit`), "
            "or allow conveyor to download it",
        )
    await process.run_checked(
        call, [str(python), "-m", "pip", "install", "pre-commit"], cwd=call.workspace
    )
    return module


class PreCommit:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        try:
            extra = shlex.split(call.input("extra_args", "--all-files"))
        except ValueError as exc:
            raise ActionFailed(
                f"input `extra_args` cannot be split into arguments: {exc}"
            ) from None
        command = [
            *await _pre_commit(call),
            "run",
            "--show-diff-on-failure",
            "--color=always",
            *extra,
        ]
        home = call.cache_dir / "pre-commit"
        code = await process.run(
            call, command, cwd=call.workspace, env={"PRE_COMMIT_HOME": str(home)}
        )
        if code != 0:
            raise ActionFailed(
                f"pre-commit failed (exit code {code})",
                hint="run `pre-commit run --all-files` locally and commit the fixes",
            )
