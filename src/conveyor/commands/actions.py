"""`conveyor actions add|list|rm`: the action cache, where conveyor finds the code of
actions that are not built in (`uses: OWNER/REPO[/PATH]@REF`).

The cache is `$CONVEYOR_CACHE_DIR/actions`, else `actions` in the user cache directory;
`conveyor run --allow-network` also fills it, with git.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from conveyor.actions.sources import ActionCache, ActionRef, parse_ref
from conveyor.errors import UsageError

_CACHE_OPTION = click.option(
    "--store",
    "root",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="The action cache (default: $CONVEYOR_CACHE_DIR/actions or the user cache dir).",
)


def _repository_ref(text: str) -> ActionRef:
    ref = parse_ref(text)
    if ref.path:
        raise UsageError(
            f"`{text}` names a folder inside a repository",
            hint=f"add the whole repository, `{ref.repository}@{ref.ref}`; steps that use "
            f"`{ref}` then find `{ref.path}` in it",
        )
    return ref


def _has_action(directory: Path) -> bool:
    names = ("action.yml", "action.yaml")
    return any(
        (directory / name).is_file()
        or any(directory.glob(f"*/{name}"))
        or any(directory.glob(f"*/*/{name}"))
        for name in names
    )


@click.group(name="actions")
def command() -> None:
    """Keep the code of actions conveyor does not have built in, for offline runs."""


@command.command(name="add")
@click.argument("action", metavar="OWNER/REPO@REF")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="A folder holding the repository's files at that ref (a clone, an unpacked archive).",
)
@_CACHE_OPTION
def add(action: str, source: Path, root: Path | None) -> int:
    """Copy the repository of ACTION at its ref from a folder into the action cache."""
    ref = _repository_ref(action)
    if not _has_action(source):
        raise UsageError(
            f"{source} holds no action.yml or action.yaml",
            hint="point --from at the action's repository (the folder with action.yml)",
        )
    cache = ActionCache(root)
    replaced = cache.find(ref) is not None
    target = cache.add(ref, source)
    verb = "replaced" if replaced else "added"
    click.echo(f"{verb} {ref.repository}@{ref.ref} in {target}")
    return 0


@command.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as a JSON list.")
@_CACHE_OPTION
def list_actions(as_json: bool, root: Path | None) -> int:
    """List the repositories and refs in the action cache."""
    cache = ActionCache(root)
    entries = cache.entries()
    if as_json:
        rows = [
            {
                "repository": e.repository,
                "ref": e.ref,
                "path": str(e.directory),
                "source": e.source,
                "added": e.added.isoformat(),
            }
            for e in entries
        ]
        click.echo(json.dumps(rows, indent=2))
        return 0
    if not entries:
        click.echo(f"No actions in {cache.root}.")
        return 0
    for e in entries:
        click.echo(f"{e.repository}@{e.ref}  from {e.source}  ({e.added:%Y-%m-%d %H:%M})")
    noun = "action" if len(entries) == 1 else "actions"
    click.echo(f"{len(entries)} {noun} in {cache.root}")
    return 0


@command.command(name="rm")
@click.argument("action", metavar="OWNER/REPO@REF")
@_CACHE_OPTION
def remove(action: str, root: Path | None) -> int:
    """Remove ACTION's repository at its ref from the action cache."""
    ref = _repository_ref(action)
    if not ActionCache(root).remove(ref):
        raise UsageError(
            f"{ref.repository}@{ref.ref} is not in the action cache",
            hint="`conveyor actions list` shows what is there",
        )
    click.echo(f"removed {ref.repository}@{ref.ref}")
    return 0
