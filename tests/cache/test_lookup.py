"""Which entry a restore picks: GitHub's order of keys, prefixes and scopes."""

from __future__ import annotations

from conveyor.cache.lookup import find_entry
from conveyor.cache.manifest import Header

MAIN, FEATURE, OTHER = "refs/heads/main", "refs/heads/feature", "refs/heads/other"


def header(key: str, *, scope: str = FEATURE, created: float = 0.0, version: str = "v") -> Header:
    return Header(key=key, scope=scope, version=version, created=created, size=1, stored=1, files=1)


def pick(entries: list[Header], keys: list[str], scopes: list[str]) -> Header | None:
    found = find_entry([(e.key, e) for e in entries], keys=keys, scopes=scopes, version="v")
    return found[1] if found else None


def test_an_exact_key_wins_over_a_newer_entry_it_prefixes() -> None:
    entries = [header("pip-abc", created=1), header("pip-abcd", created=2)]
    assert pick(entries, ["pip-abc"], [FEATURE]) == entries[0]


def test_the_primary_key_also_matches_as_a_prefix() -> None:
    entries = [header("pip-abc-1", created=1)]
    assert pick(entries, ["pip-abc"], [FEATURE]) == entries[0]


def test_the_newest_of_the_prefix_matches_wins() -> None:
    entries = [header("pip-1", created=1), header("pip-3", created=3), header("pip-2", created=2)]
    assert pick(entries, ["pip-zzz", "pip-"], [FEATURE]) == entries[1]


def test_restore_keys_are_tried_in_order() -> None:
    entries = [header("pip-linux-a", created=1), header("pip-mac-b", created=5)]
    assert pick(entries, ["pip-x", "pip-linux-", "pip-"], [FEATURE]) == entries[0]


def test_every_key_in_the_branch_before_the_base_branch() -> None:
    entries = [header("pip-abc", scope=MAIN, created=9), header("pip-old", created=1)]
    assert pick(entries, ["pip-abc", "pip-"], [FEATURE, MAIN]) == entries[1]


def test_the_base_branch_when_the_branch_has_nothing() -> None:
    entries = [header("pip-abc", scope=MAIN)]
    assert pick(entries, ["pip-abc"], [FEATURE, MAIN]) == entries[0]


def test_a_sibling_branch_is_never_read() -> None:
    entries = [header("pip-abc", scope=OTHER)]
    assert pick(entries, ["pip-abc", "pip-"], [FEATURE, MAIN]) is None


def test_another_version_never_matches() -> None:
    entries = [header("pip-abc", version="other-paths")]
    assert pick(entries, ["pip-abc", "pip-"], [FEATURE]) is None
