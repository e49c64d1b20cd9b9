"""`pypa/gh-action-pypi-publish`: checked, never uploaded from a local run.

The step checks that `packages-dir` (default `dist/`) holds distributions (wheels and
sdists, listed with their SHA-256). Without permission to publish (`call.allow_publish`)
it then fails, saying nothing was uploaded and why; with it, it succeeds with a notice
that the files are ready and conveyor did not upload them (use `twine upload`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import note_ignored, warn_unexpected

INPUTS: Final = (
    "user", "password", "repository-url", "repository_url", "packages-dir", "packages_dir",
    "verify-metadata", "verify_metadata", "skip-existing", "skip_existing", "verbose",
    "print-hash", "print_hash", "attestations",
)  # fmt: skip
DEFAULT_URL: Final = "https://upload.pypi.org/legacy/"
SUFFIXES: Final = (".whl", ".tar.gz", ".zip")


def _either(call: ActionCall, name: str, default: str = "") -> str:
    return call.input(name).strip() or call.input(name.replace("-", "_")).strip() or default


def distributions(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(SUFFIXES))


class PypiPublish:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(call, io, ("attestations", "verbose"), "nothing is uploaded")
        password = call.input("password")
        if password:
            io.secrets.append(password)
        url = _either(call, "repository-url", DEFAULT_URL)
        given = _either(call, "packages-dir", "dist")
        directory = call.workspace / given
        found = distributions(directory)
        if not found:
            raise ActionFailed(
                f"pypi-publish: no distributions (*.whl, *.tar.gz) in {given}",
                hint="build them in an earlier step (`python -m build`), or set `packages-dir`",
            )
        for path in found:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            io.log(f"{path.name} sha256 {digest}")
        if not call.allow_publish:
            raise ActionFailed(
                f"pypi-publish: refusing to publish {len(found)} distribution(s) from {given} "
                f"to {url} from a local run; nothing was uploaded",
                hint="publishing belongs to the hosted release workflow: leave this job out of "
                "the local run (`conveyor run -j <other jobs>`), or allow publishing for this run "
                "to let the step pass",
            )
        io.notices.append(
            f"pypi-publish: {len(found)} distribution(s) in {given} are ready for {url}; "
            f"conveyor does not upload them: run `twine upload --repository-url {url} {given}/*`"
        )
