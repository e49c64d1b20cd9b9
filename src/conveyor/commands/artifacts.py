"""`conveyor artifacts RUN [--download NAME] [--dest DIR] [--json]`: a run's artifacts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from conveyor.errors import EXIT_OK

if TYPE_CHECKING:
    from conveyor.artifacts import Artifact, ArtifactStore, DownloadResult


@click.command(name="artifacts")
@click.argument("run_id", type=int)
@click.option("--download", "name", metavar="NAME", help="Extract this artifact.")
@click.option(
    "--dest",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="Where --download extracts the files (relative to -C).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "-C",
    "directory",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=".",
    help="Run as if started in this directory.",
)
def command(run_id: int, name: str | None, dest: Path, as_json: bool, directory: Path) -> int:
    """List the artifacts of run RUN_ID (name, files, size, expiry), or --download one."""
    from conveyor.artifacts import ArtifactStore

    directory = directory.resolve()
    store = ArtifactStore(_state_dir(directory))
    store.prune()
    if name is not None:
        dest = directory / dest.expanduser()  # an absolute `dest` stays as it is
        results = store.download(run_id, name=name, dest=dest)
        _show_download(results, dest, as_json=as_json)
    else:
        _show_list(store, run_id, as_json=as_json)
    return EXIT_OK


def _state_dir(directory: Path) -> Path:
    """The `.conveyor/` of the repository around `directory` (or of `directory` itself)."""
    from conveyor.git import Git

    top = Git(directory).try_run("rev-parse", "--show-toplevel")
    return (Path(top.strip()) if top else directory) / ".conveyor"


def _row(artifact: Artifact) -> dict[str, Any]:
    return {
        "name": artifact.name,
        "id": artifact.id,
        "files": len(artifact.files),
        "size": artifact.size,
        "digest": artifact.digest,
        "created": artifact.created.isoformat(),
        "expires": artifact.expires.isoformat(),
        "url": artifact.url,
    }


def _show_list(store: ArtifactStore, run_id: int, *, as_json: bool) -> None:
    artifacts = store.list(run_id)
    if as_json:
        click.echo(json.dumps([_row(a) for a in artifacts], indent=2))
        return
    if not artifacts:
        others = ", ".join(str(r) for r in store.runs()) or "none"
        click.echo(f"Run {run_id} has no artifacts. Runs with artifacts: {others}.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in ("name", "id", "files", "size", "expires"):
        table.add_column(column, justify="right" if column in {"id", "files", "size"} else "left")
    for artifact in artifacts:
        table.add_row(
            artifact.name,
            str(artifact.id),
            str(len(artifact.files)),
            _size(artifact.size),
            artifact.expires.strftime("%Y-%m-%d %H:%M"),
        )
    Console().print(table)


def _show_download(results: list[DownloadResult], dest: Path, *, as_json: bool) -> None:
    if as_json:
        data = {
            "download-path": str(dest.resolve()),
            "artifacts": [
                {"name": r.name, "id": r.id, "path": str(r.path), "files": r.files} for r in results
            ],
        }
        click.echo(json.dumps(data, indent=2))
    for result in results:
        if result.digest_mismatch:
            click.echo(
                f"warning: artifact `{result.name}` digest validation failed: "
                "a stored file changed after upload",
                err=True,
            )
        if not as_json:
            click.echo(f"{result.name}: {result.files} file(s) extracted to {result.path}")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
