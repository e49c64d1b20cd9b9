"""Turn selected files into manifest records (pack) and records back into files (unpack).

Both sides work chunk by chunk on a thread pool: hashing, zstd and file I/O release the
GIL, and each chunk is read once, then hashed and compressed from the same buffer.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from conveyor.cache.blobs import CHUNK_SIZE, BlobStore, CorruptBlob
from conveyor.cache.manifest import Chunk, FileRecord
from conveyor.cache.paths import Found


def default_workers() -> int:
    return min(32, (os.cpu_count() or 1) + 2)


def _read(source: str, offset: int, length: int) -> bytes:
    fd = os.open(source, os.O_RDONLY)
    try:
        if offset == 0 and length <= CHUNK_SIZE:
            return os.read(fd, length) if length else b""
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)


def _spans(size: int) -> list[tuple[int, int]]:
    if size == 0:
        return []
    return [(offset, min(CHUNK_SIZE, size - offset)) for offset in range(0, size, CHUNK_SIZE)]


def pack(found: Sequence[Found], blobs: BlobStore, *, workers: int) -> list[FileRecord]:
    """Store every selected file's chunks as blobs; the records describing the selection."""

    def chunk(source: str, offset: int, length: int) -> Chunk:
        return blobs.put(_read(source, offset, length))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = [
            [pool.submit(chunk, f.source, offset, length) for offset, length in _spans(f.size)]
            for f in found
        ]
        records = []
        for f, futures in zip(found, pending, strict=True):
            chunks = tuple(future.result() for future in futures)
            records.append(
                FileRecord(
                    name=f.name,
                    kind=f.kind,
                    mode=f.mode,
                    mtime_ns=f.mtime_ns,
                    size=sum(c.size for c in chunks),
                    chunks=chunks,
                    target=f.target,
                )
            )
    return records


def destination(name: str, workspace: Path) -> str:
    """Where a recorded path goes: relative names under the workspace, absolute ones as saved."""
    return name if os.path.isabs(name) else os.path.join(workspace, name)


def _clear(path: str, *, keep_dir: bool) -> None:
    """Make room at `path` (as tar does when it extracts over what is there)."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            if not keep_dir:
                shutil.rmtree(path)
            return
        os.unlink(path)
    except FileNotFoundError:
        pass


def _create(path: str) -> int:
    _clear(path, keep_dir=False)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)


def unpack(
    records: Sequence[FileRecord], blobs: BlobStore, workspace: Path, *, workers: int
) -> None:
    """Write the records' files, links and directories; CorruptBlob when a blob is bad."""
    made: set[str] = set()

    def parent(path: str) -> None:
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures: list[Future[None]] = []
        for record in records:
            path = destination(record.name, workspace)
            parent(path)
            if record.kind == "dir":
                _clear(path, keep_dir=True)
                os.makedirs(path, exist_ok=True)
                made.add(path)
            elif record.kind == "link":
                _clear(path, keep_dir=False)
                os.symlink(record.target, path)
            else:
                futures.extend(_write_file(pool, record, path, blobs))
        for future in futures:
            future.result()
    _set_metadata(records, workspace)


def _write_file(
    pool: ThreadPoolExecutor, record: FileRecord, path: str, blobs: BlobStore
) -> list[Future[None]]:
    if len(record.chunks) <= 1:
        return [pool.submit(_write_whole, path, record.chunks, blobs)]
    fd = _create(path)
    os.ftruncate(fd, record.size)
    os.close(fd)
    offsets = [0]
    for c in record.chunks[:-1]:
        offsets.append(offsets[-1] + c.size)
    return [
        pool.submit(_write_at, path, offset, c, blobs)
        for offset, c in zip(offsets, record.chunks, strict=True)
    ]


def _write_whole(path: str, chunks: Sequence[Chunk], blobs: BlobStore) -> None:
    data = blobs.get(chunks[0]) if chunks else b""
    fd = _create(path)
    try:
        _write_all(fd, data, 0)
    finally:
        os.close(fd)


def _write_at(path: str, offset: int, chunk: Chunk, blobs: BlobStore) -> None:
    data = blobs.get(chunk)
    fd = os.open(path, os.O_WRONLY)
    try:
        _write_all(fd, data, offset)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _set_metadata(records: Sequence[FileRecord], workspace: Path) -> None:
    """Modes and mtimes, directories last and deepest first (writing into them moved theirs)."""

    def apply(record: FileRecord) -> None:
        path = destination(record.name, workspace)
        times = (record.mtime_ns, record.mtime_ns)
        if record.kind == "link":
            if os.utime in os.supports_follow_symlinks:
                os.utime(path, ns=times, follow_symlinks=False)
            return
        os.chmod(path, record.mode)
        os.utime(path, ns=times)

    for record in records:
        if record.kind != "dir":
            apply(record)
    for record in reversed(records):
        if record.kind == "dir":
            apply(record)


__all__ = ["CorruptBlob", "default_workers", "destination", "pack", "unpack"]
