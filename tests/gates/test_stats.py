from __future__ import annotations

import random

import pytest

from conveyor.gates.stats import mann_whitney_greater


@pytest.mark.parametrize(
    ("n1", "n2", "shift"), [(5, 5, 0.1), (8, 12, 0.05), (30, 40, 0.02), (3, 20, 0.0)]
)
def test_matches_scipy(n1: int, n2: int, shift: float) -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = random.Random(n1 * 100 + n2)
    a = [rng.gauss(1 + shift, 0.05) for _ in range(n1)]
    b = [rng.gauss(1, 0.05) for _ in range(n2)]
    expected = scipy_stats.mannwhitneyu(a, b, alternative="greater").pvalue
    assert mann_whitney_greater(a, b) == pytest.approx(expected, rel=1e-9)


def test_ties_use_the_normal_approximation() -> None:
    a, b = [1, 1, 2, 2, 3, 3, 4], [1, 2, 2, 2, 3]
    assert mann_whitney_greater(a, b) == pytest.approx(0.36618671221172655)


def test_clearly_larger_is_significant_and_smaller_is_not() -> None:
    slow = [2.0 + i / 100 for i in range(10)]
    fast = [1.0 + i / 100 for i in range(10)]
    assert mann_whitney_greater(slow, fast) < 0.001
    assert mann_whitney_greater(fast, slow) > 0.999


def test_empty_sample_is_never_significant() -> None:
    assert mann_whitney_greater([], [1.0]) == 1.0
