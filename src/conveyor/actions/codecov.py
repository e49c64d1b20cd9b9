"""`codecov/codecov-action`: nothing is uploaded; the coverage report is kept for the gates.

The reports (`files`, or the deprecated `file`, comma-separated and relative to the
workspace or `directory`; else a search for the usual names) are copied to
`<state_dir>/reports/coverage/<run id>/<job>/`, where `conveyor gate` can read them, and
a notice says so. A missing report is a warning, or a failure with `fail_ci_if_error`.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
from pathlib import Path
from typing import Final

from conveyor.actions.base import ActionCall, ActionFailed, ActionIO
from conveyor.actions.inputs import note_ignored, split_list

REPORT_NAMES: Final = (
    "coverage.xml", "coverage-*.xml", "*.coverage.xml", "cobertura.xml", "cobertura-*.xml",
    "lcov.info", "*.lcov", "coverage.json", "jacoco*.xml", "clover.xml",
)  # fmt: skip
SKIPPED_DIRS: Final = frozenset(
    {".git", "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache"}
)
IGNORED: Final = (
    "token", "flags", "name", "verbose", "url", "os", "plugins", "slug", "commit_parent",
    "override_branch", "override_build", "override_commit", "override_pr", "override_tag",
    "env_vars", "use_oidc", "handle_no_reports_found", "dry_run", "version", "codecov_yml_path",
)  # fmt: skip
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def _search(root: Path, excluded: list[str]) -> list[Path]:
    found: list[Path] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(name, p) for p in REPORT_NAMES) and not any(
                fnmatch.fnmatch(relative, e) for e in excluded
            ):
                found.append(path)
    return found


def _given(root: Path, patterns: list[str]) -> tuple[list[Path], list[str]]:
    found: list[Path] = []
    missing: list[str] = []
    for pattern in patterns:
        path = Path(pattern).expanduser()
        matches = (
            [path]
            if path.is_absolute()
            else sorted(root.glob(pattern)) if any(c in pattern for c in "*?[") else [root / pattern]
        )  # fmt: skip
        files = [m for m in matches if m.is_file()]
        found.extend(files)
        if not files:
            missing.append(pattern)
    return found, missing


def _destination(call: ActionCall) -> Path:
    job = _UNSAFE.sub("-", str(call.github.get("job") or "job"))
    base = call.state_dir / "reports" / "coverage" / str(call.run_id)
    dest, n = base / job, 1
    while dest.exists():
        n += 1
        dest = base / f"{job}-{n}"
    return dest


class Codecov:
    async def main(self, call: ActionCall, io: ActionIO) -> None:
        note_ignored(call, io, IGNORED, "conveyor does not upload to codecov.io")
        directory = call.input("directory").strip()
        root = call.workspace / directory if directory else call.workspace
        patterns = split_list(call.input("files")) + split_list(call.input("file"))
        excluded = split_list(call.input("exclude"))
        missing: list[str] = []
        if patterns:
            reports, missing = _given(root, patterns)
        elif call.flag("disable_search"):
            reports = []
        else:
            reports = _search(root, excluded)
        fail = call.flag("fail_ci_if_error")
        problem = (
            f"coverage report(s) not found: {', '.join(missing)}" if missing
            else "no coverage report found" if not reports else ""
        )  # fmt: skip
        if problem and (fail or not reports):
            if fail:
                raise ActionFailed(
                    f"codecov: {problem} under {root}",
                    hint="write the report first (e.g. `pytest --cov --cov-report=xml`), "
                    "or check `files`",
                )
            io.warnings.append(f"codecov: {problem} under {root}")
            return
        if problem:
            io.warnings.append(f"codecov: {problem}")
        dest = _destination(call)
        dest.mkdir(parents=True)
        for report in reports:
            target = dest / _UNSAFE.sub("_", _relative(report, call.workspace))
            shutil.copyfile(report, target)
            io.log(f"Copied {report} to {target}")
        io.notices.append(
            f"codecov: not uploaded (conveyor sends nothing to codecov.io); {len(reports)} "
            f"coverage report(s) kept in {dest} for `conveyor gate`"
        )


def _relative(path: Path, workspace: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return path.name
