"""An entry's manifest: what was saved and where its content lives.

A manifest is two JSON lines: the first is the entry's header (key, scope, version, when
it was created, sizes) so a lookup reads one line; the second is the list of files,
directories and links with their modes, mtimes and, for a file, the pieces of blobs that
make it, in order.
The manifest file's own mtime is when the entry was last used (restores touch it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

FORMAT: Final = 1

Kind = Literal["file", "dir", "link"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Chunk:
    """A piece of a file: `size` bytes at `offset` in the blob named `digest`."""

    digest: str  # SHA-256 of the blob's raw bytes: its name
    size: int  # raw bytes of this piece
    stored: int  # compressed bytes of the whole blob on disk
    offset: int = 0  # where the piece starts in the blob (small files share a blob)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileRecord:
    name: str  # workspace-relative posix path, or absolute
    kind: Kind
    mode: int
    mtime_ns: int
    size: int = 0
    chunks: tuple[Chunk, ...] = ()
    target: str = ""  # for links


@dataclass(frozen=True, slots=True, kw_only=True)
class Header:
    key: str
    scope: str
    version: str
    created: float  # seconds since the epoch
    size: int  # raw bytes of the files
    stored: int  # compressed bytes of the distinct blobs the entry uses
    files: int


def entry_id(*, scope: str, key: str, version: str) -> str:
    """The file name of an entry: one per (scope, key, version), as GitHub's caches are."""
    return hashlib.sha256(f"{scope}\0{version}\0{key}".encode()).hexdigest()


def dumps(header: Header, records: Iterable[FileRecord]) -> bytes:
    head = json.dumps({"format": FORMAT, **_header_dict(header)}, ensure_ascii=False)
    body = json.dumps([_record_dict(r) for r in records], ensure_ascii=False)
    return f"{head}\n{body}\n".encode()


def read_header(path: Path) -> Header:
    """The first line of a manifest; ValueError or OSError when it is unreadable."""
    with path.open("rb") as handle:
        data = json.loads(handle.readline())
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path.name}: not a manifest of format {FORMAT}")
    return Header(
        key=str(data["key"]),
        scope=str(data["scope"]),
        version=str(data["version"]),
        created=float(data["created"]),
        size=int(data["size"]),
        stored=int(data["stored"]),
        files=int(data["files"]),
    )


def read_records(path: Path) -> Iterator[FileRecord]:
    """The files of a manifest; ValueError, KeyError or OSError when it is unreadable."""
    with path.open("rb") as handle:
        handle.readline()
        data = json.loads(handle.readline())
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: the file list is not a list")
    for item in data:
        yield _record(item)


def _header_dict(header: Header) -> dict[str, Any]:
    return {
        "key": header.key,
        "scope": header.scope,
        "version": header.version,
        "created": header.created,
        "size": header.size,
        "stored": header.stored,
        "files": header.files,
    }


def _record_dict(record: FileRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": record.name,
        "kind": record.kind,
        "mode": record.mode,
        "mtime_ns": record.mtime_ns,
    }
    if record.kind == "file":
        data["size"] = record.size
        data["chunks"] = [[c.digest, c.size, c.stored, c.offset] for c in record.chunks]
    if record.kind == "link":
        data["target"] = record.target
    return data


def _record(data: dict[str, Any]) -> FileRecord:
    kind = data["kind"]
    if kind not in ("file", "dir", "link"):
        raise ValueError(f"unknown kind {kind!r}")
    return FileRecord(
        name=str(data["name"]),
        kind=cast(Kind, kind),
        mode=int(data["mode"]),
        mtime_ns=int(data["mtime_ns"]),
        size=int(data.get("size", 0)),
        chunks=tuple(
            Chunk(digest=str(d), size=int(s), stored=int(c), offset=int(o))
            for d, s, c, o in data.get("chunks", ())
        ),
        target=str(data.get("target", "")),
    )
