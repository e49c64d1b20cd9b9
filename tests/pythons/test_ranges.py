from __future__ import annotations

import pytest
from packaging.version import Version

from conveyor.pythons.ranges import RangeSyntaxError, parse_range

CASES = [
    # range, accepted, refused
    ("3.12", ["3.12.0", "3.12.9"], ["3.11.9", "3.13.0", "3.12.1rc1"]),
    ("3.12.1", ["3.12.1"], ["3.12.0", "3.12.2"]),
    ("3.x", ["3.0.0", "3.14.2"], ["2.7.18", "4.0.0", "3.14.0a1"]),
    ("3", ["3.9.1"], ["4.0.0"]),
    ("*", ["2.7.18", "3.12.1"], ["3.14.0a1"]),
    (">=3.9 <3.12", ["3.9.0", "3.11.9"], ["3.8.18", "3.12.0", "3.12.0a1"]),
    (">= 3.9 < 3.12", ["3.10.0"], ["3.12.0"]),
    ("~3.11", ["3.11.0", "3.11.9"], ["3.12.0"]),
    ("~3.11.4", ["3.11.4", "3.11.9"], ["3.11.3", "3.12.0"]),
    ("^3.11", ["3.11.0", "3.13.1"], ["3.10.9", "4.0.0"]),
    ("3.10 - 3.12", ["3.10.0", "3.12.9"], ["3.9.9", "3.13.0"]),
    ("3.10.2 - 3.12.1", ["3.10.2", "3.12.1"], ["3.10.1", "3.12.2"]),
    (">3.11", ["3.12.0"], ["3.11.5"]),
    ("<=3.11", ["3.11.9"], ["3.12.0"]),
    ("<3.11", ["3.10.9"], ["3.11.0", "3.11.0rc1"]),
    ("3.11 || 3.13", ["3.11.2", "3.13.2"], ["3.12.0"]),
    ("v3.12.1", ["3.12.1"], []),
    # prereleases: only when a comparator of the same release names one
    ("~3.13.0-0", ["3.13.0a1", "3.13.0rc2", "3.13.1"], ["3.12.9", "3.14.0a1"]),
    ("3.13.0-alpha.1", ["3.13.0a1"], ["3.13.0a2", "3.13.0"]),
    ("3.13.0-rc.2", ["3.13.0rc2"], ["3.13.0"]),
    (">=3.13.0-beta.1", ["3.13.0b1", "3.13.0rc1", "3.14.0"], ["3.13.0a7", "3.14.0a1"]),
]


@pytest.mark.parametrize(("text", "accepted", "refused"), CASES)
def test_range_accepts_what_node_semver_accepts(
    text: str, accepted: list[str], refused: list[str]
) -> None:
    parsed = parse_range(text)
    assert [v for v in accepted if not parsed.contains(Version(v))] == []
    assert [v for v in refused if parsed.contains(Version(v))] == []


@pytest.mark.parametrize("text", ["three", "3.12.1-gamma", ">=", "3.1.2.3", "latest"])
def test_text_that_is_not_a_range_is_refused(text: str) -> None:
    with pytest.raises(RangeSyntaxError):
        parse_range(text)


def test_an_exact_version_pins_its_release() -> None:
    assert parse_range("3.12.1").pins_release() == Version("3.12.1")
    assert parse_range("3.12").pins_release() is None
