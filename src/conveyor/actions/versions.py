"""Whether a tool's local version satisfies a `version:` input (node-semver ranges)."""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from conveyor.actions.base import ActionFailed
from conveyor.pythons.ranges import RangeSyntaxError, parse_range

_VERSION = re.compile(r"v?(\d+(?:\.\d+)*(?:[-.+][0-9A-Za-z.-]+)?)")


def parse_tool_version(text: str) -> Version | None:
    """The first version in a `--version` line (`uv 0.5.4 (…)`, `v20.11.1`), or None."""
    for token in text.split():
        found = _VERSION.fullmatch(token)
        if found:
            try:
                return Version(found.group(1))
            except InvalidVersion:
                continue
    return None


def satisfies(version: Version, wanted: str, *, what: str) -> bool:
    """`wanted` empty, `latest` or `*` accepts any version; otherwise a node-semver range."""
    wanted = wanted.strip()
    if wanted in ("", "latest", "*", "x"):
        return True
    try:
        return parse_range(wanted).contains(version)
    except RangeSyntaxError as exc:
        raise ActionFailed(
            f"{what} version {wanted!r} is not a version or range conveyor reads ({exc})",
            hint="use a version such as `1.2.3`, `1.2`, `1.x` or a range such as `>=1.2 <2`",
        ) from None
