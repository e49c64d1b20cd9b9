"""Least-recently-used eviction, planned without touching the disk.

Blobs are shared, so removing an entry frees only the blobs no other entry uses; the
store's size is the size of the distinct blobs still referenced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    name: str  # the manifest's file name
    last_used: float
    created: float
    key: str
    digests: frozenset[str]


def referenced_size(candidates: Sequence[Candidate], sizes: Mapping[str, int]) -> int:
    digests = set().union(*(c.digests for c in candidates)) if candidates else set()
    return sum(sizes.get(d, 0) for d in digests)


def plan_eviction(
    candidates: Sequence[Candidate], sizes: Mapping[str, int], *, limit: int
) -> list[Candidate]:
    """The entries to remove, least recently used first, until the rest fit in `limit` bytes."""
    users: Counter[str] = Counter(d for c in candidates for d in c.digests)
    total = sum(sizes.get(d, 0) for d in users)
    evicted: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.last_used, c.created, c.key)):
        if total <= limit:
            break
        evicted.append(candidate)
        for digest in candidate.digests:
            users[digest] -= 1
            if users[digest] == 0:
                total -= sizes.get(digest, 0)
    return evicted
