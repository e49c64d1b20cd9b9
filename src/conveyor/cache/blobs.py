"""Content-addressed, zstd-compressed blobs: `blobs/ab/abcdef…`, named by SHA-256.

A blob holds up to CHUNK_SIZE raw bytes: one piece of a big file (cut so that it is
hashed and compressed on several threads), or the small files of one directory packed
together (so that a tree of many small files is a few hundred blobs, not one file each).
Two entries share every blob whose content they have in common. Each blob is a zstd frame with its content size and a checksum, written to a
temporary file and renamed into place, so a blob on disk is whole or absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import zstandard

from conveyor.cache.manifest import Chunk

CHUNK_SIZE: Final = 8 * 1024 * 1024
LEVEL: Final = 3  # zstd's default level, as `zstd -3`


class CorruptBlob(Exception):
    """A blob that is missing or does not decompress to what the manifest says."""

    def __init__(self, message: str, *, digest: str = "") -> None:
        super().__init__(message)
        self.digest = digest


class BlobStore:
    """The blobs directory of a cache store. Thread-safe."""

    def __init__(self, root: Path, *, level: int = LEVEL) -> None:
        self.root = root / "blobs"
        self.level = level
        self.tmp = root / "tmp"
        self._local = threading.local()

    def create_dirs(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(exist_ok=True)

    def path(self, digest: str) -> str:
        return os.path.join(self.root, digest[:2], digest)

    def put(self, data: bytes) -> Chunk:
        """Store `data` unless a blob with its content is already here; a chunk of all of it."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        try:
            return Chunk(digest=digest, size=len(data), stored=os.stat(target).st_size)
        except FileNotFoundError:
            pass
        packed = self._compressor().compress(data)
        fd, tmp = tempfile.mkstemp(dir=self.tmp, prefix=digest[:16], suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(packed)
            try:
                os.replace(tmp, target)
            except FileNotFoundError:  # the first blob of its two-letter folder
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise
        return Chunk(digest=digest, size=len(data), stored=len(packed))

    def get(self, digest: str, *, at_least: int) -> bytes:
        """The raw bytes of a blob; CorruptBlob when they cannot be had or are too short."""
        try:
            with open(self.path(digest), "rb") as handle:
                packed = handle.read()
            data = self._decompressor().decompress(packed)
        except (OSError, zstandard.ZstdError) as exc:
            raise CorruptBlob(f"blob {digest[:12]}…: {exc}", digest=digest) from exc
        if len(data) < at_least:
            message = f"blob {digest[:12]}…: {len(data)} bytes, expected {at_least}"
            raise CorruptBlob(message, digest=digest)
        return data

    def exists(self, digest: str) -> bool:
        return os.path.exists(self.path(digest))

    def all(self) -> Iterator[tuple[str, int]]:
        """(digest, bytes on disk) of every blob."""
        for sub in sorted(os.listdir(self.root)) if self.root.is_dir() else ():
            with os.scandir(self.root / sub) as it:
                for entry in it:
                    try:
                        yield entry.name, entry.stat().st_size
                    except FileNotFoundError:
                        continue

    def remove(self, digest: str) -> None:
        _unlink(self.path(digest))

    def clear_tmp(self) -> None:
        """Drop temporary files of saves that did not finish (call only under the store lock)."""
        for name in os.listdir(self.tmp) if self.tmp.is_dir() else ():
            _unlink(os.path.join(self.tmp, name))

    def _compressor(self) -> zstandard.ZstdCompressor:
        compressor: zstandard.ZstdCompressor | None = getattr(self._local, "c", None)
        if compressor is None:
            compressor = zstandard.ZstdCompressor(level=self.level, write_checksum=True)
            self._local.c = compressor
        return compressor

    def _decompressor(self) -> zstandard.ZstdDecompressor:
        decompressor: zstandard.ZstdDecompressor | None = getattr(self._local, "d", None)
        if decompressor is None:
            decompressor = zstandard.ZstdDecompressor()
            self._local.d = decompressor
        return decompressor


def _unlink(path: str | os.PathLike[str]) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
