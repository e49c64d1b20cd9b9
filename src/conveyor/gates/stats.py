"""The Mann-Whitney U test, one-sided: is sample `a` stochastically larger than `b`?

Exact for small samples without ties, otherwise the normal approximation with tie and
continuity corrections (as scipy's `mannwhitneyu(..., alternative="greater")`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

_EXACT_MAX = 20


def mann_whitney_greater(a: Sequence[float], b: Sequence[float]) -> float:
    """The p-value for "values in `a` tend to be larger than values in `b`"."""
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return 1.0
    ranks, ties = _ranks([*a, *b])
    u1 = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    if not ties and n1 <= _EXACT_MAX and n2 <= _EXACT_MAX:
        return _exact_greater(n1, n2, round(u1))
    n = n1 + n2
    tie_term = sum(t**3 - t for t in ties) / (n * (n - 1))
    variance = n1 * n2 / 12 * ((n + 1) - tie_term)
    if variance <= 0:
        return 1.0
    z = (u1 - n1 * n2 / 2 - 0.5) / math.sqrt(variance)
    return 0.5 * math.erfc(z / math.sqrt(2))


def _ranks(values: list[float]) -> tuple[list[float], list[int]]:
    """Average ranks (1-based) in input order, and the size of each group of ties."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties: list[int] = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        if end > start:
            ties.append(end - start + 1)
        start = end + 1
    return ranks, ties


def _exact_greater(n1: int, n2: int, u: int) -> float:
    counts = _u_counts(n1, n2)
    return sum(counts[u:]) / math.comb(n1 + n2, n1)


@cache
def _u_counts(n1: int, n2: int) -> tuple[int, ...]:
    """How many orderings of n1 + n2 distinct values give each U (index) for the first sample."""
    if n1 == 0 or n2 == 0:
        return (1,)
    with_top_in_first = (0,) * n2 + _u_counts(n1 - 1, n2)
    with_top_in_second = _u_counts(n1, n2 - 1)
    size = n1 * n2 + 1
    return tuple(
        (with_top_in_first[i] if i < len(with_top_in_first) else 0)
        + (with_top_in_second[i] if i < len(with_top_in_second) else 0)
        for i in range(size)
    )
