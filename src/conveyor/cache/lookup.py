"""Which entry a restore gets, by GitHub's rules.

Scopes are searched in order (the run's branch first, then the base branch, then the
default branch; never a sibling branch). In each scope, each key in order (the primary key,
then every `restore-keys` line): an entry with exactly that key, else the newest entry
whose key starts with it. Only entries of the same version (the same `path` input and
compression) are candidates. `cache-hit` is true only for the primary key itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from conveyor.cache.manifest import Header

T = TypeVar("T")


def find_entry(
    entries: Sequence[tuple[T, Header]], *, keys: Sequence[str], scopes: Sequence[str], version: str
) -> tuple[T, Header] | None:
    """The entry a restore of `keys` in `scopes` gets, or None for a miss."""
    for scope in scopes:
        candidates = [e for e in entries if e[1].scope == scope and e[1].version == version]
        for key in keys:
            exact = [e for e in candidates if e[1].key == key]
            if exact:
                return exact[0]
            prefixed = [e for e in candidates if e[1].key.startswith(key)]
            if prefixed:
                return max(prefixed, key=lambda e: (e[1].created, e[1].key))
    return None
