"""`conveyor cache list|rm|prune`: the entries `actions/cache` saved on this machine.

The store is `$CONVEYOR_CACHE_DIR/caches`, else `caches` in the user cache directory.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from conveyor.cache import CacheEntry, CacheStore, PruneResult, format_size, parse_size
from conveyor.errors import UsageError


def _store(root: Path | None) -> CacheStore:
    return CacheStore(root)


def _entry_json(entry: CacheEntry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "scope": entry.scope,
        "version": entry.version,
        "size": entry.size,
        "stored": entry.stored,
        "files": entry.files,
        "created": entry.created.isoformat(),
        "last_used": entry.last_used.isoformat(),
    }


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _summary(result: PruneResult, verb: str) -> str:
    count = len(result.removed)
    noun = "entry" if count == 1 else "entries"
    return f"{verb} {count} {noun}, freed {format_size(result.freed)}"


_STORE_OPTION = click.option(
    "--store",
    "root",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="The cache store (default: $CONVEYOR_CACHE_DIR/caches or the user cache dir).",
)


@click.group(name="cache")
def command() -> None:
    """List and remove the entries actions/cache saved on this machine."""


@command.command(name="list")
@_STORE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the entries as a JSON list.")
def list_entries(root: Path | None, as_json: bool) -> None:
    """List cache entries, most recently used first."""
    store = _store(root)
    entries = store.entries()
    if as_json:
        click.echo(json.dumps([_entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo(f"No cache entries in {store.root}.")
        return
    table = Table(box=None)
    table.add_column("key", overflow="fold")
    table.add_column("scope", overflow="fold")
    for name in ("size", "stored"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("created", "last used"):
        table.add_column(name, no_wrap=True)
    for e in entries:
        table.add_row(
            e.key,
            e.scope,
            format_size(e.size),
            format_size(e.stored),
            _when(e.created),
            _when(e.last_used),
        )
    console = Console()
    if not console.is_terminal:  # piped: whole rows, for grep and awk
        console.width = 1000
    console.print(table)
    noun = "entry" if len(entries) == 1 else "entries"
    click.echo(f"{len(entries)} {noun}, {format_size(store.size())} on disk in {store.root}")


@command.command(name="rm")
@click.argument("key")
@click.option("--scope", help="Only in this scope (a ref such as refs/heads/main).")
@click.option("--prefix", is_flag=True, help="Remove every entry whose key starts with KEY.")
@_STORE_OPTION
def remove(key: str, scope: str | None, prefix: bool, root: Path | None) -> int:
    """Remove the entries with KEY (in every scope unless --scope is given)."""
    result = _store(root).remove(key, scope=scope, prefix=prefix)
    if not result.removed:
        what = "starting with" if prefix else "with key"
        where = f" in {scope}" if scope else ""
        raise UsageError(
            f"no cache entry {what} `{key}`{where}",
            hint="`conveyor cache list` shows the keys and scopes",
        )
    for entry in result.removed:
        click.echo(f"removed {entry.key} ({entry.scope})")
    click.echo(_summary(result, "Removed"))
    return 0


@command.command(name="prune")
@click.option(
    "--max-size",
    metavar="SIZE",
    help="Evict least recently used entries until the store fits (e.g. 2G, 500MB). Default: 10 GiB.",
)
@click.option(
    "--older-than",
    type=click.FloatRange(min=0),
    metavar="DAYS",
    help="Remove entries not used for DAYS days (GitHub's is 7).",
)
@_STORE_OPTION
def prune(max_size: str | None, older_than: float | None, root: Path | None) -> None:
    """Remove old and least recently used entries, and blobs no entry uses."""
    limit = parse_size(max_size) if max_size is not None else None
    seconds = older_than * 86400 if older_than is not None else None
    result = _store(root).prune(max_bytes=limit, older_than=seconds)
    for entry in result.removed:
        click.echo(f"removed {entry.key} ({entry.scope}), last used {_when(entry.last_used)}")
    click.echo(_summary(result, "Pruned"))
