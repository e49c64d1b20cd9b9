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
from typing import Any

from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.tree import Document, as_list, as_map

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
        job_map = as_map(job)
        runs_on = job_map.get("runs-on")
        if isinstance(runs_on, dict):
            continue  # runner groups hold labels conveyor cannot know
        yield from _labels(doc, job_map, runs_on, configured)


def _labels(
    doc: Document, job: dict[Any, Any], runs_on: Any, configured: frozenset[str]
) -> Iterator[Diagnostic]:
    labels = runs_on if isinstance(runs_on, list) else [runs_on]
    for index, label in enumerate(labels):
        if not isinstance(label, str) or "${{" in label or is_known_label(label, configured):
            continue
        pos = (
            doc.item_pos(runs_on, index)
            if isinstance(runs_on, list)
            else doc.value_pos(job, "runs-on")
        )
        yield at(
            pos,
            "runner-label",
            f"runner label `{label}` is neither GitHub-hosted nor configured",
            hint=did_you_mean(label, EXAMPLES)
            or "add it to `runner-labels` under `[tool.conveyor]` in pyproject.toml",
            severity="warning",
        )
