"""Sizes on the command line and in listings."""

from __future__ import annotations

import pytest

from conveyor.cache.units import format_size, parse_size
from conveyor.errors import UsageError


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1024", 1024),
        ("500MB", 500_000_000),
        ("2G", 2 * 1024**3),
        ("1.5GiB", int(1.5 * 1024**3)),
        ("10 kb", 10_000),
        ("3k", 3072),
    ],
)
def test_sizes_people_write(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "big", "10XB", "-1G", "1.2.3M"])
def test_what_is_not_a_size_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="is not a size"):
        parse_size(text)


def test_sizes_as_shown() -> None:
    assert [format_size(n) for n in (512, 1536, 12 * 1024**2, 3 * 1024**4)] == [
        "512 B",
        "1.5 KiB",
        "12.0 MiB",
        "3.0 TiB",
    ]
