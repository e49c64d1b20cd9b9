"""`actions/setup-node`: the local `node`, when it satisfies `node-version`.

conveyor installs no Node.js: the `node` on PATH is checked against `node-version` (or
`node-version-file`: `.nvmrc`, `.node-version`, `.tool-versions`, `package.json`'s
`volta.node` or `engines.node`), with node-semver ranges and the `lts/…`, `node`,
`latest` aliases; otherwise the step fails naming the version and how to get it.
"""

from __future__ import annotations

import json
import re
from typing import Final

from packaging.version import Version

from conveyor.actions import process
from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import note_ignored, warn_unexpected
from conveyor.actions.versions import parse_tool_version, satisfies

INPUTS: Final = (
    "node-version", "node-version-file", "architecture", "check-latest", "registry-url",
    "scope", "token", "cache", "package-manager-cache", "cache-dependency-path",
    "always-auth", "mirror", "mirror-token",
)  # fmt: skip
IGNORED: Final = ("check-latest", "token", "architecture", "mirror", "mirror-token", "always-auth")
LTS_CODENAMES: Final = {
    "argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14,
    "gallium": 16, "hydrogen": 18, "iron": 20, "jod": 22, "krypton": 24,
}  # fmt: skip
_TOOL_VERSIONS = re.compile(r"^(?:nodejs|node)\s+v?(\S+)", re.MULTILINE)


def _from_file(call: ActionCall, given: str) -> str:
    path = call.workspace / given
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ActionFailed(
            f"The specified node version file at: {path} does not exist",
            hint="check `node-version-file` (it is relative to the workspace)",
        ) from None
    if path.name == "package.json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ActionFailed(f"{given} is not valid JSON: {exc}") from None
        volta = data.get("volta", {}) if isinstance(data, dict) else {}
        engines = data.get("engines", {}) if isinstance(data, dict) else {}
        return str(volta.get("node") or engines.get("node") or "")
    found = _TOOL_VERSIONS.search(text)
    if found:
        return found.group(1)
    first = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    return first[0].removeprefix("v") if first else ""


def _accepts(version: Version, wanted: str) -> bool:
    alias = wanted.lower()
    if alias in ("node", "latest", "current"):
        return True
    if alias.startswith("lts/"):
        name = alias.removeprefix("lts/")
        if name == "*":
            return version.major % 2 == 0
        if name in LTS_CODENAMES:
            return version.major == LTS_CODENAMES[name]
        raise ActionFailed(
            f"unknown LTS alias `{wanted}`", hint="use `lts/*` or a version such as `20`"
        )
    return satisfies(version, wanted, what="Node.js")


class SetupNode:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        warn_unexpected(call, io, INPUTS)
        note_ignored(call, io, IGNORED, "conveyor uses the node installed on this machine")
        for name in ("cache", "registry-url"):
            if call.input(name).strip():
                io.warnings.append(
                    f"setup-node: `{name}` is not supported by conveyor and was ignored"
                )
        wanted = call.input("node-version").strip()
        if not wanted and call.input("node-version-file").strip():
            wanted = _from_file(call, call.input("node-version-file").strip())
        node = process.which("node", call.env)
        version = None
        if node is not None:
            answer = await process.capture(
                [str(node), "--version"], cwd=call.workspace, env=call.env
            )
            version = parse_tool_version(answer.stdout) if answer.returncode == 0 else None
        if node is None or version is None:
            raise ActionFailed(
                f"Node.js {wanted or ''} is needed but there is no `node` on PATH".replace(
                    "  ", " "
                ),
                hint=f"install Node.js {wanted or 'LTS'} (e.g. `nvm install {wanted or '--lts'}` or "
                "your package manager) and run conveyor again",
            )
        if wanted and not _accepts(version, wanted):
            raise ActionFailed(
                f"Node.js {wanted} is needed, but the node on PATH is {version} ({node}); "
                "conveyor does not download Node.js",
                hint=f"install it (`nvm install {wanted}`, `fnm install {wanted}`) and put it on "
                "PATH, or change the workflow's node-version",
            )
        io.outputs["node-version"] = f"v{version}"
        io.log(f"Using Node.js v{version} at {node}")
