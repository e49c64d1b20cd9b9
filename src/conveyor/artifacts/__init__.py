"""Artifacts of local runs, with the semantics of `actions/upload-artifact@v4` and
`actions/download-artifact@v4`.

    store = ArtifactStore(repo / ".conveyor")
    up = store.upload(run_id, "dist", "dist/*.whl\\n!dist/*-dev*.whl", workspace=ws)
    up.id, up.url, up.digest                # artifact-id, artifact-url, artifact-digest
    store.download(run_id, name="dist", dest=ws)           # download-path is `dest`
    store.download(run_id, pattern="cov-*", merge_multiple=True, dest=ws / "cov")
    store.download(run_id, dest=ws / "all")                # all: one directory each
    store.list(run_id); store.prune()

Upload (`ArtifactStore.upload`), input by input:

- `name`: required here (the action's default is `DEFAULT_NAME`, "artifact"). GitHub's
  characters are refused (`" : < > | * ? \\r \\n \\ /`), and so are `.` and `..`.
- `path` (`paths`): the multi-line globs of @actions/glob, relative to `workspace`, with
  `!` exclusions in order; see `conveyor.artifacts.search` for the exact rules. The root
  of the artifact is the least common ancestor of the patterns' search paths (a single
  file named without wildcards: its parent), and the structure below it is kept. Paths
  inside an artifact cannot contain `" : < > | * ? \\r \\n`.
- Symbolic links are followed, as upload-artifact does: a link to a file stores the
  file's content, a link to a directory is descended (loops are cut), broken links are
  skipped. Directories are not stored, so empty directories are not kept.
- `if-no-files-found`: `warn` (default; a warning in `UploadResult.warnings`), `error`
  (a `UserError`), `ignore`. When nothing is found nothing is stored and `id` is None.
- `retention-days`: 0 or None for the default (90); above the maximum (90, or
  `max_retention_days`) the maximum is used with GitHub's warning; negative is an error.
  Expired artifacts are invisible at once and deleted by `prune`.
- `compression-level`: 0 to 9, validated and recorded; files are stored uncompressed.
- `overwrite`: v4 artifacts are immutable, so uploading a name the run already has is a
  `UserError` unless `overwrite` is true, which replaces it (with a new id). Names are
  compared exactly (case-sensitively).
- `include-hidden-files` (`include_hidden`): false by default, as since upload-artifact
  v4.4: files and directories whose name starts with `.` are left out.

Download (`ArtifactStore.download`): `name` extracts that artifact into `dest` (a missing
name raises `ArtifactNotFound`, which lists the run's artifacts); otherwise `pattern`
(minimatch over names; matching none downloads nothing) or, with neither, every
artifact of the run, each into `dest/<name>/`, or all straight into `dest` with
`merge_multiple`. `run_id` may be any past local run (download-artifact's `run-id`;
`github-token` has nothing to do locally). Existing files in `dest` are overwritten.
Each file's SHA-256 is checked against the manifest: `DownloadResult.digest_mismatch`
(GitHub warns, and so should the caller).

`artifact-digest` is the SHA-256 of a canonical listing of the files (path, size,
SHA-256 each), not of a zip: conveyor stores no zip (see `records`). `artifact-url` is a
`file://` URL of the artifact's directory. Where it all lives: `store`.

For the runner: `upload_action` and `download_action` take a step's `with:` inputs as
strings (defaults, booleans and numbers read as the actions read them) and return the
step's outputs and warnings (`action`).
"""

from __future__ import annotations

from conveyor.artifacts.action import ActionOutcome, download_action, upload_action
from conveyor.artifacts.names import DEFAULT_NAME, check_name, name_matches
from conveyor.artifacts.records import Artifact, ArtifactFile, DownloadResult, UploadResult
from conveyor.artifacts.search import SearchResult, find_files
from conveyor.artifacts.store import (
    DEFAULT_COMPRESSION_LEVEL,
    IF_NO_FILES_FOUND,
    MAX_RETENTION_DAYS,
    ArtifactNotFound,
    ArtifactStore,
)

__all__ = [
    "DEFAULT_COMPRESSION_LEVEL",
    "DEFAULT_NAME",
    "IF_NO_FILES_FOUND",
    "MAX_RETENTION_DAYS",
    "ActionOutcome",
    "Artifact",
    "ArtifactFile",
    "ArtifactNotFound",
    "ArtifactStore",
    "DownloadResult",
    "SearchResult",
    "UploadResult",
    "check_name",
    "download_action",
    "find_files",
    "name_matches",
    "upload_action",
]
