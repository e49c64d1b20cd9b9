"""Fake interpreter layouts: small `sh` scripts that answer the probe like a Python would.

Each fake prints the JSON the probe script prints, whatever its arguments, and appends a
line to `probes.log` beside it, so a test can count how often it was run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

MakePython = Callable[..., Path]


def fake_info(
    version: str,
    *,
    prefix: Path,
    implementation: str = "cpython",
    freethreaded: bool = False,
    pypy: str | None = None,
    shared: bool = False,
) -> dict[str, Any]:
    release, _, pre = version.partition("rc")
    major, minor, micro = (int(p) for p in release.split("."))
    level, serial = ("candidate", int(pre)) if pre else ("final", 0)
    return {
        "version": [major, minor, micro, level, serial],
        "implementation": implementation,
        "pypy_version": [int(p) for p in pypy.split(".")] if pypy else None,
        "freethreaded": freethreaded,
        "prefix": str(prefix),
        "scripts": str(prefix / "bin"),
        "libdir": str(prefix / "lib"),
        "shared": shared,
    }


@pytest.fixture
def make_python(tmp_path: Path) -> MakePython:
    """`make_python(bin_dir / "python3", "3.12.1", …)`: write a fake interpreter there."""

    def make(path: Path, version: str, *, prefix: Path | None = None, **info: Any) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = fake_info(version, prefix=prefix or path.parent.parent, **info)
        log = tmp_path / "probes.log"
        path.write_text(
            f"#!/bin/sh\necho \"$0\" >> '{log}'\necho '{json.dumps(data)}'\n", encoding="utf-8"
        )
        path.chmod(0o755)
        return path

    return make


@pytest.fixture
def probe_log(tmp_path: Path) -> Callable[[], list[str]]:
    """The fake interpreters run so far, one line per run."""

    def read() -> list[str]:
        log = tmp_path / "probes.log"
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []

    return read
