"""`runs-on` labels: GitHub-hosted ones, and the ones a project configures.

A project names its own runner labels in `pyproject.toml`:

    [tool.conveyor]
    runner-labels = ["gpu", "big-box"]
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.tree import Document, as_list, as_map, written_strings

HOSTED = re.compile(r"^(ubuntu-(latest|slim|\d\d\.\d\d)(-arm)?|windows-\S+|macos-\S+)$")
EXAMPLES = ("ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "windows-latest", "macos-latest")
GENERIC_LABELS = frozenset(
    {"self-hosted", "linux", "windows", "macos", "x64", "x86", "arm", "arm64"}
)


def configured_labels(root: Path) -> frozenset[str]:
    """`[tool.conveyor] runner-labels` from `root/pyproject.toml`; empty when absent or unreadable."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    labels = as_map(as_map(data.get("tool")).get("conveyor")).get("runner-labels")
    return frozenset(str(label) for label in as_list(labels))


def is_known_label(label: str, configured: frozenset[str]) -> bool:
    lowered = label.lower()
    return lowered in GENERIC_LABELS or label in configured or HOSTED.match(lowered) is not None


def check_labels(doc: Document, configured: frozenset[str]) -> Iterator[Diagnostic]:
    for job in as_map(as_map(doc.tree).get("jobs")).values():
        for label, pos in written_strings(doc, job, "runs-on"):  # a runner group's are unknown
            if "${{" not in label and not is_known_label(label, configured):
                yield at(
                    pos,
                    "runner-label",
                    f"runner label `{label}` is neither GitHub-hosted nor configured",
                    hint=did_you_mean(label, EXAMPLES)
                    or "add it to `runner-labels` under `[tool.conveyor]` in pyproject.toml",
                    severity="warning",
                )
