"""Turn selected files into manifest records (pack) and records back into files (unpack).

Both sides work blob by blob on a thread pool (hashing, zstd and file I/O release the
GIL), and every byte is read once: hashed and compressed from the same buffer on save,
decompressed once and written to each file that uses it on restore. Files under
SMALL_FILE bytes are packed with the other small files of their directory into one blob
(in name order, up to CHUNK_SIZE), since a file per blob costs more than the bytes.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from conveyor.cache.blobs import CHUNK_SIZE, BlobStore
from conveyor.cache.manifest import Chunk, FileRecord
from conveyor.cache.paths import Found

SMALL_FILE: Final = 256 * 1024


def default_workers() -> int:
    """Threads for a restore: writing files waits on the disk, so a few more than cores."""
    return min(32, (os.cpu_count() or 1) + 2)


def pack_workers() -> int:
    """Threads for a save: hashing and compressing keep a core busy each, and more threads
    than cores only take time from the walk that feeds them."""
    return min(32, os.cpu_count() or 1)


# -- save


def _read(source: str, offset: int = 0, length: int = -1) -> bytes:
    fd = os.open(source, os.O_RDONLY)
    try:
        if offset == 0:
            return _read_all(fd, length)
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)


def _read_all(fd: int, length: int) -> bytes:
    if length < 0:
        length = os.fstat(fd).st_size
    parts = []
    while length > 0:
        data = os.read(fd, length)
        if not data:
            break
        parts.append(data)
        length -= len(data)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _pack_batch(contents: Sequence[bytes], blobs: BlobStore) -> list[Chunk]:
    blob = blobs.put(b"".join(contents))
    pieces, offset = [], 0
    for data in contents:
        pieces.append(Chunk(digest=blob.digest, size=len(data), stored=blob.stored, offset=offset))
        offset += len(data)
    return pieces


def _pack_piece(source: str, offset: int, length: int, blobs: BlobStore) -> list[Chunk]:
    return [blobs.put(_read(source, offset, length))]


class _Packer:
    """Submits work as files are found, so the walk overlaps hashing and compressing.

    At most `limit` pieces of work are queued at a time, so the small files read ahead
    stay bounded, and pieces of big files are queued only as room frees up, so the small
    files read meanwhile never wait behind all of them.
    """

    def __init__(self, pool: ThreadPoolExecutor, blobs: BlobStore, *, limit: int) -> None:
        self.pool, self.blobs, self.limit = pool, blobs, limit
        self.found: list[Found] = []
        self.pieces: list[list[tuple[Future[list[Chunk]], int]]] = []  # (work, index in it)
        self.batch: list[int] = []  # small files waiting to be packed: indexes in `found`
        self.contents: list[bytes] = []  # and what they hold
        self.batch_folder, self.batch_size = "", 0
        self.in_flight: set[Future[list[Chunk]]] = set()
        self.big: deque[tuple[int, str, int, int]] = deque()  # (index, source, offset, length)

    def add(self, f: Found) -> None:
        self.found.append(f)
        self.pieces.append([])
        if f.kind != "file" or f.size == 0:
            return
        if f.size < SMALL_FILE:
            self._add_small(f)
        else:
            index = len(self.found) - 1
            for offset in range(0, f.size, CHUNK_SIZE):
                self.big.append((index, f.source, offset, min(CHUNK_SIZE, f.size - offset)))
        if self.big:  # checking the work in flight costs more than a small file
            self._pump(block=False)

    def _add_small(self, f: Found) -> None:
        folder = f.name.rpartition("/")[0]
        if folder != self.batch_folder or self.batch_size + f.size > CHUNK_SIZE:
            self._flush()
            self.batch_folder = folder
        # Read here, not on the pool: a worker taking the GIL back after each small read
        # would wait behind the walk (the convoy effect) far longer than the read takes.
        data = _read(f.source, 0, f.size)
        self.batch.append(len(self.found) - 1)
        self.contents.append(data)
        self.batch_size += len(data)

    def _submit(self, work: Future[list[Chunk]]) -> Future[list[Chunk]]:
        self.in_flight.add(work)
        return work

    def _room(self, *, block: bool) -> bool:
        if len(self.in_flight) >= self.limit and block:
            _, pending = wait(self.in_flight, return_when=FIRST_COMPLETED)
            self.in_flight = set(pending)
        else:
            self.in_flight = {w for w in self.in_flight if not w.done()}
        return len(self.in_flight) < self.limit

    def _pump(self, *, block: bool) -> None:
        while self.big and self._room(block=block):
            index, source, offset, length = self.big.popleft()
            work = self._submit(self.pool.submit(_pack_piece, source, offset, length, self.blobs))
            self.pieces[index].append((work, 0))

    def _flush(self) -> None:
        if self.batch:
            self._room(block=True)
            work = self._submit(self.pool.submit(_pack_batch, self.contents, self.blobs))
            for position, index in enumerate(self.batch):
                self.pieces[index].append((work, position))
        self.batch, self.contents, self.batch_size = [], [], 0

    def records(self) -> list[FileRecord]:
        self._flush()
        self._pump(block=True)
        done: dict[Future[list[Chunk]], list[Chunk]] = {}
        for pieces in self.pieces:
            for work, _ in pieces:
                if work not in done:
                    done[work] = work.result()
        return [
            _record(f, tuple(done[work][index] for work, index in pieces))
            for f, pieces in zip(self.found, self.pieces, strict=True)
        ]


def pack(found: Iterable[Found], blobs: BlobStore, *, workers: int) -> list[FileRecord]:
    """Store every selected file's content as blobs; the records, in the order found."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        packer = _Packer(pool, blobs, limit=workers + 2)
        for f in found:
            packer.add(f)
        return packer.records()


def _record(f: Found, chunks: tuple[Chunk, ...]) -> FileRecord:
    return FileRecord(
        name=f.name,
        kind=f.kind,
        mode=f.mode,
        mtime_ns=f.mtime_ns,
        size=chunks[0].size if len(chunks) == 1 else sum(c.size for c in chunks),
        chunks=chunks,
        target=f.target,
    )


# -- restore


@dataclass(frozen=True, slots=True, kw_only=True)
class _Write:
    path: str
    at: int  # offset in the file
    piece: Chunk
    whole: bool  # the piece is the whole file: create it, then set its mode and mtime
    mode: int = 0
    mtime_ns: int = 0


def destinations(records: Sequence[FileRecord], workspace: Path) -> list[str]:
    """Where each recorded path goes: relative names under the workspace, absolute ones as saved."""
    root = os.fspath(workspace.absolute()).rstrip(os.sep) + os.sep
    return [r.name if os.path.isabs(r.name) else root + r.name for r in records]


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


_CREATE: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _create(path: str) -> int:
    try:
        return os.open(path, _CREATE, 0o600)
    except FileExistsError:
        _clear(path, keep_dir=False)
        return os.open(path, _CREATE, 0o600)


def unpack(
    records: Sequence[FileRecord], blobs: BlobStore, workspace: Path, *, workers: int
) -> None:
    """Write the records' files, links and directories; CorruptBlob when a blob is bad."""
    writes: dict[str, list[_Write]] = defaultdict(list)
    made: set[str] = set()
    paths = destinations(records, workspace)
    for record, path in zip(records, paths, strict=True):
        folder = path.rpartition(os.sep)[0]
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if record.kind == "dir":
            _clear(path, keep_dir=True)
            os.makedirs(path, exist_ok=True)
            made.add(path)
        elif record.kind == "link":
            _clear(path, keep_dir=False)
            os.symlink(record.target, path)
        else:
            _plan_file(record, path, writes)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_write_blob, digest, w, blobs) for digest, w in writes.items()]
        for future in futures:
            future.result()
    _set_metadata(records, paths)


def _plan_file(record: FileRecord, path: str, writes: dict[str, list[_Write]]) -> None:
    if len(record.chunks) == 1:
        piece = record.chunks[0]
        writes[piece.digest].append(
            _Write(
                path=path, at=0, piece=piece, whole=True, mode=record.mode, mtime_ns=record.mtime_ns
            )
        )
        return
    fd = _create(path)  # empty, or written piece by piece at its offsets
    os.ftruncate(fd, record.size)
    os.close(fd)
    at = 0
    for piece in record.chunks:
        writes[piece.digest].append(_Write(path=path, at=at, piece=piece, whole=False))
        at += piece.size


def _write_blob(digest: str, writes: Sequence[_Write], blobs: BlobStore) -> None:
    data = blobs.get(digest, at_least=max(w.piece.offset + w.piece.size for w in writes))
    view = memoryview(data)
    for w in writes:
        fd = _create(w.path) if w.whole else os.open(w.path, os.O_WRONLY)
        try:
            _write_all(fd, view[w.piece.offset : w.piece.offset + w.piece.size], w.at)
            if w.whole:  # here, on the pool, rather than in the serial pass after it
                os.fchmod(fd, w.mode)
                os.utime(fd, ns=(w.mtime_ns, w.mtime_ns))
        finally:
            os.close(fd)


def _write_all(fd: int, view: memoryview, offset: int) -> None:
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _set_metadata(records: Sequence[FileRecord], paths: Sequence[str]) -> None:
    """Modes and mtimes (files of one piece have theirs already), directories last and
    deepest first (writing into them moved theirs)."""
    for record, path in zip(records, paths, strict=True):
        if record.kind != "dir" and not (record.kind == "file" and len(record.chunks) == 1):
            _apply(record, path)
    for record, path in zip(reversed(records), reversed(paths), strict=True):
        if record.kind == "dir":
            _apply(record, path)


def _apply(record: FileRecord, path: str) -> None:
    times = (record.mtime_ns, record.mtime_ns)
    if record.kind == "link":
        if os.utime in os.supports_follow_symlinks:
            os.utime(path, ns=times, follow_symlinks=False)
        return
    os.chmod(path, record.mode)
    os.utime(path, ns=times)
