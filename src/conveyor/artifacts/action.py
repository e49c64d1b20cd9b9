"""The two actions' `with:` inputs and outputs, as GitHub's actions read and set them.

    outcome = upload_action(store, run_id, step_inputs, workspace=ws)
    outcome.outputs     # {"artifact-id": "3", "artifact-url": "file://…", "artifact-digest": "…"}
    outcome.warnings    # for `::warning::` lines in the step's log

Inputs are the strings a step's `with:` gives (missing or empty ones take the defaults of
the actions' `action.yml`). Booleans follow @actions/core's `getBooleanInput` (`true`,
`True`, `TRUE`, `false`, `False`, `FALSE`; anything else is an error); numbers are read
like JavaScript's `parseInt` (leading digits; none is an error).

Download's `run-id` names a past local run; unlike GitHub, no `github-token` is needed for
it (tokens and `repository` are accepted and ignored: every run here is this
repository's).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from conveyor.artifacts.names import DEFAULT_NAME, name_matches
from conveyor.artifacts.records import UploadResult
from conveyor.artifacts.store import DEFAULT_COMPRESSION_LEVEL, ArtifactStore
from conveyor.errors import UserError

_TRUE: Final = ("true", "True", "TRUE")
_FALSE: Final = ("false", "False", "FALSE")
_LEADING_INTEGER: Final = re.compile(r"\s*([+-]?\d+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionOutcome:
    """A step's outputs and the warnings to show in its log."""

    outputs: Mapping[str, str]
    warnings: tuple[str, ...]


def _input(inputs: Mapping[str, str], key: str, default: str = "") -> str:
    value = inputs.get(key, "")
    return value.strip() if value and value.strip() else default


def boolean_input(inputs: Mapping[str, str], key: str, default: str = "false") -> bool:
    value = _input(inputs, key, default)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UserError(
        f"input `{key}` is {value!r}, which is not a boolean",
        hint="use true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE)",
    )


def integer_input(inputs: Mapping[str, str], key: str, default: str) -> int:
    value = _input(inputs, key, default)
    found = _LEADING_INTEGER.match(value)
    if found is None:
        raise UserError(f"invalid `{key}`: {value!r} is not a number")
    return int(found.group(1))


def upload_action(
    store: ArtifactStore, run_id: int, inputs: Mapping[str, str], *, workspace: Path
) -> ActionOutcome:
    """`actions/upload-artifact@v4`: outputs `artifact-id`, `artifact-url`, `artifact-digest`
    (none when no files were found)."""
    paths = inputs.get("path", "")
    if not paths.strip():
        raise UserError("input required and not supplied: `path`")
    result = store.upload(
        run_id,
        _input(inputs, "name", DEFAULT_NAME),
        paths,
        workspace=workspace,
        if_no_files_found=_input(inputs, "if-no-files-found", "warn"),
        retention_days=integer_input(inputs, "retention-days", "0"),
        compression_level=integer_input(
            inputs, "compression-level", str(DEFAULT_COMPRESSION_LEVEL)
        ),
        overwrite=boolean_input(inputs, "overwrite"),
        include_hidden=boolean_input(inputs, "include-hidden-files"),
    )
    return _uploaded(result)


def _uploaded(result: UploadResult) -> ActionOutcome:
    """upload-artifact's outputs (none when no files were found) and warnings."""
    outputs: dict[str, str] = {}
    if result.id is not None:
        outputs = {
            "artifact-id": str(result.id),
            "artifact-url": result.url,
            "artifact-digest": result.digest,
        }
    return ActionOutcome(outputs=outputs, warnings=result.warnings)


def download_action(
    store: ArtifactStore,
    run_id: int,
    inputs: Mapping[str, str],
    *,
    workspace: Path,
    home: Path | None = None,
) -> ActionOutcome:
    """`actions/download-artifact@v4`: output `download-path`."""
    dest = Path(_input(inputs, "path", str(workspace)))
    if dest.parts[:1] == ("~",):
        dest = (home or Path.home()).joinpath(*dest.parts[1:])
    dest = workspace / dest  # a relative `path` is relative to the working directory
    source_run = integer_input(inputs, "run-id", str(run_id))
    results = store.download(
        source_run,
        name=_input(inputs, "name") or None,
        pattern=_input(inputs, "pattern") or None,
        merge_multiple=boolean_input(inputs, "merge-multiple"),
        dest=dest,
    )
    warnings = tuple(
        f"Artifact '{r.name}' digest validation failed. Please verify the integrity of the artifact."
        for r in results
        if r.digest_mismatch
    )
    return ActionOutcome(outputs={"download-path": str(dest)}, warnings=warnings)


MERGED_NAME = "merged-artifacts"  # actions/upload-artifact/merge's default `name`


def merge_action(
    store: ArtifactStore, run_id: int, inputs: Mapping[str, str], *, temp: Path
) -> ActionOutcome:
    """`actions/upload-artifact/merge@v4`: the run's artifacts whose names `pattern` matches,
    as one artifact `name` (each in a folder of its name with `separate-directories`), the
    merged ones deleted with `delete-merged`. Outputs as upload-artifact's."""
    pattern = _input(inputs, "pattern", "*")
    matched = [a.name for a in store.list(run_id) if name_matches(a.name, pattern)]
    if not matched:
        raise UserError(
            f"Unable to find any artifacts for the associated workflow matching `{pattern}`",
            hint="upload them earlier in the run (`needs:` the jobs that do), or fix `pattern`",
        )
    temp.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="merge-", dir=temp))
    try:
        store.download(
            run_id,
            pattern=pattern,
            merge_multiple=not boolean_input(inputs, "separate-directories"),
            dest=scratch,
        )
        result = store.upload(
            run_id,
            _input(inputs, "name", MERGED_NAME),
            str(scratch),
            workspace=scratch,
            if_no_files_found="error",
            retention_days=integer_input(inputs, "retention-days", "0"),
            compression_level=integer_input(
                inputs, "compression-level", str(DEFAULT_COMPRESSION_LEVEL)
            ),
            include_hidden=boolean_input(inputs, "include-hidden-files"),
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if boolean_input(inputs, "delete-merged"):
        for name in matched:
            store.remove(run_id, name)
    return _uploaded(result)
