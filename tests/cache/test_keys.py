"""Keys and versions, as actions/cache checks and computes them."""

from __future__ import annotations

import hashlib

import pytest

from conveyor.cache.keys import cache_version, validate_key, validate_keys
from conveyor.errors import UserError


def test_a_key_of_512_characters_is_accepted_and_513_refused() -> None:
    assert validate_key("k" * 512) == "k" * 512
    with pytest.raises(UserError, match="cannot be larger than 512 characters"):
        validate_key("k" * 513)


def test_a_key_with_a_comma_is_refused() -> None:
    with pytest.raises(UserError, match="cannot contain commas"):
        validate_key("pip-a,b")


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(UserError, match="empty"):
        validate_key("")


def test_at_most_ten_keys_in_a_restore() -> None:
    assert len(validate_keys("k", [f"r{n}-" for n in range(9)])) == 10
    with pytest.raises(UserError, match="maximum of 10"):
        validate_keys("k", [f"r{n}-" for n in range(10)])


def test_blank_restore_key_lines_are_dropped() -> None:
    assert validate_keys("pip-abc", ["pip-\n", "  ", "os-"]) == ("pip-abc", "pip-", "os-")


def test_a_restore_key_with_a_comma_is_refused() -> None:
    with pytest.raises(UserError, match="commas"):
        validate_keys("k", ["a,b"])


def test_the_version_is_githubs_hash_of_path_lines_and_compression() -> None:
    expected = hashlib.sha256(b"~/.cache/pip|.venv|zstd").hexdigest()
    assert cache_version(["~/.cache/pip\n.venv\n"]) == expected
    assert cache_version(["~/.cache/pip", ".venv"]) == expected


def test_other_paths_are_another_version() -> None:
    assert cache_version([".venv"]) != cache_version(["venv"])
