"""Cache keys and versions, checked as actions/cache checks them.

A key is at most 512 characters and has no comma; a restore lists at most 10 keys (the
primary key and its `restore-keys`). The version is GitHub's: a SHA-256 over the `path`
input's lines and the compression method, so the same key saved with other paths is
another entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

from conveyor.errors import UserError

MAX_KEY_LENGTH: Final = 512
MAX_KEYS: Final = 10
COMPRESSION: Final = "zstd"


def validate_key(key: str) -> str:
    """The key, or a UserError saying what actions/cache would say about it."""
    if not key:
        raise UserError("Key Validation Error: the cache key is empty", hint="set `key:`")
    if len(key) > MAX_KEY_LENGTH:
        raise UserError(
            f"Key Validation Error: {key[:40]}… cannot be larger than {MAX_KEY_LENGTH} characters.",
            hint="hash the long part, e.g. ${{ hashFiles('**/requirements*.txt') }}",
        )
    if "," in key:
        raise UserError(
            f"Key Validation Error: {key} cannot contain commas.",
            hint="use `-` or `_` between the parts of the key",
        )
    return key


def validate_keys(primary_key: str, restore_keys: Sequence[str]) -> tuple[str, ...]:
    """The primary key then the restore keys (blank lines dropped), each one checked."""
    keys = (primary_key, *(k.strip() for k in restore_keys if k.strip()))
    if len(keys) > MAX_KEYS:
        raise UserError(
            f"Key Validation Error: Keys are limited to a maximum of {MAX_KEYS}.",
            hint="keep the primary key and at most 9 `restore-keys`",
        )
    return tuple(validate_key(key) for key in keys)


def pattern_lines(paths: Sequence[str]) -> list[str]:
    """The `path` input as actions/cache reads it: one pattern a line, blanks dropped."""
    return [line.strip() for text in paths for line in text.splitlines() if line.strip()]


def cache_version(paths: Sequence[str], *, compression: str = COMPRESSION) -> str:
    """GitHub's cache version: SHA-256 of the path lines and the compression, joined by `|`."""
    components = [*pattern_lines(paths), compression]
    return hashlib.sha256("|".join(components).encode()).hexdigest()
