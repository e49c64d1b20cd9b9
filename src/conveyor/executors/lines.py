"""Turn a byte stream into lines of text, as a step's log shows them.

Bytes that are not UTF-8 become U+FFFD; a last line without a newline is still a
line; `\\r\\n` endings lose their `\\r`; a line longer than `max_line` characters is
cut into pieces of that size, so one runaway line cannot exhaust memory.
"""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import Callable

_CHUNK = 64 * 1024


class LineSplitter:
    """Feed it bytes; it calls `emit` with each complete line of text."""

    def __init__(self, emit: Callable[[str], None], *, max_line: int) -> None:
        if max_line < 1:
            raise ValueError("max_line must be at least 1")
        self._emit = emit
        self._max_line = max_line
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> None:
        *lines, self._pending = (self._pending + self._decoder.decode(data)).split("\n")
        for line in lines:
            self._emit_whole(line.removesuffix("\r"))
        while len(self._pending) > self._max_line:
            self._emit(self._pending[: self._max_line])
            self._pending = self._pending[self._max_line :]

    def close(self) -> None:
        self.feed(b"")
        rest = self._pending + self._decoder.decode(b"", final=True)
        self._pending = ""
        if rest:
            self._emit_whole(rest.removesuffix("\r"))

    def _emit_whole(self, line: str) -> None:
        for start in range(0, max(len(line), 1), self._max_line):
            self._emit(line[start : start + self._max_line])


async def pump(reader: asyncio.StreamReader, emit: Callable[[str], None], *, max_line: int) -> None:
    """Read `reader` to its end, emitting each line."""
    splitter = LineSplitter(emit, max_line=max_line)
    while chunk := await reader.read(_CHUNK):
        splitter.feed(chunk)
    splitter.close()
