from __future__ import annotations

from typing import Any

import pytest

from conveyor.errors import UserError
from conveyor.plan.matrix import (
    expand_legs,
    expand_matrix,
    leg_name,
    loose_equal,
    render_value,
)

FRUIT = {"fruit": ["apple", "pear"], "animal": ["cat", "dog"]}
DOCS_INCLUDE = [
    {"color": "green"},
    {"color": "pink", "animal": "cat"},
    {"fruit": "apple", "shape": "circle"},
    {"fruit": "banana"},
    {"fruit": "banana", "animal": "cat"},
]


@pytest.mark.parametrize(
    ("axes", "include", "exclude", "legs"),
    [
        pytest.param(
            {"version": [10, 12], "os": ["ubuntu", "windows"]},
            [],
            [],
            [
                {"version": 10, "os": "ubuntu"},
                {"version": 10, "os": "windows"},
                {"version": 12, "os": "ubuntu"},
                {"version": 12, "os": "windows"},
            ],
            id="product, first key slowest",
        ),
        pytest.param(
            FRUIT,
            DOCS_INCLUDE,
            [],
            [
                {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"},
                {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
                {"fruit": "pear", "animal": "cat", "color": "pink"},
                {"fruit": "pear", "animal": "dog", "color": "green"},
                {"fruit": "banana"},
                {"fruit": "banana", "animal": "cat"},
            ],
            id="GitHub's documented include example",
        ),
        pytest.param(
            {
                "os": ["macos", "windows", "linux"],
                "version": [12, 14, 16],
                "env": ["staging", "production"],
            },
            [],
            [{"os": "macos", "version": 12, "env": "production"}, {"os": "windows", "version": 16}],
            None,
            id="GitHub's documented exclude example: 18 - 1 - 2 = 15 legs",
        ),
        pytest.param(
            {"os": ["windows-latest", "ubuntu-latest"], "node": [14, 16]},
            [{"os": "windows-latest", "node": 16, "npm": 6}],
            [],
            [
                {"os": "windows-latest", "node": 14},
                {"os": "windows-latest", "node": 16, "npm": 6},
                {"os": "ubuntu-latest", "node": 14},
                {"os": "ubuntu-latest", "node": 16},
            ],
            id="include extends one matching leg",
        ),
        pytest.param(
            {"os": ["ubuntu"]},
            [{"os": "ubuntu"}],
            [{"os": "ubuntu"}],
            [{"os": "ubuntu"}],
            id="include adds back an excluded leg",
        ),
        pytest.param(
            {},
            [
                {"site": "production", "datacenter": "site-a"},
                {"site": "staging", "datacenter": "site-b"},
            ],
            [],
            [
                {"site": "production", "datacenter": "site-a"},
                {"site": "staging", "datacenter": "site-b"},
            ],
            id="include-only matrix",
        ),
        pytest.param({"os": ["linux"]}, [], [{"os": "linux"}], [], id="every leg excluded"),
        pytest.param(
            {"os": ["Linux"], "py": ["3.10"]},
            [{"os": "linux", "py": 3.1, "extra": True}],
            [],
            [{"os": "Linux", "py": "3.10", "extra": True}],
            id="include matches with expression equality: case and numbers",
        ),
        pytest.param(
            {"cfg": [{"os": "linux", "py": 3}, {"os": "mac", "py": 3}]},
            [],
            [{"cfg": {"os": "mac"}}],
            [{"cfg": {"os": "linux", "py": 3}}],
            id="exclude matches objects leaf by leaf",
        ),
        pytest.param(
            {"os": ["a"]},
            [{"x": 1}, {"x": 2, "os": "a"}],
            [],
            [{"os": "a", "x": 2}],
            id="later include extras overwrite earlier ones",
        ),
        pytest.param(
            {"os": ["a"]},
            [{"extra": 1, "os": "z"}],
            [],
            [{"os": "a"}, {"os": "z", "extra": 1}],
            id="a new leg lists axis keys first",
        ),
    ],
)
def test_expand_matrix(
    axes: dict[str, list[Any]],
    include: list[dict[str, Any]],
    exclude: list[dict[str, Any]],
    legs: list[dict[str, Any]] | None,
) -> None:
    result = expand_matrix(axes, include, exclude)
    if legs is None:
        assert len(result) == 15
        assert {"os": "macos", "version": 12, "env": "production"} not in result
        assert not [leg for leg in result if leg["os"] == "windows" and leg["version"] == 16]
    else:
        assert result == legs
        assert [list(leg) for leg in result] == [list(leg) for leg in legs]


@pytest.mark.parametrize(
    ("axes", "include", "exclude", "message"),
    [
        ({}, [], [], "Matrix must define at least one vector"),
        ({"os": []}, [], [], "Matrix vector `os` does not contain any values"),
        ({"os": ["a"]}, [], [{"arch": "x"}], "Matrix exclude key `arch` does not match any key"),
        ({"os": ["a"]}, [], [{}], "Matrix exclude filter must not be empty"),
        ({"os": ["a"]}, [{}], [], "Matrix include mapping does not contain any values"),
        ({"a": list(range(16)), "b": list(range(17))}, [], [], "more than 256 jobs"),
        ({"a": list(range(16)), "b": list(range(16))}, [{"a": 99}], [], "more than 256 jobs"),
    ],
)
def test_matrices_github_rejects(
    axes: dict[str, list[Any]],
    include: list[dict[str, Any]],
    exclude: list[dict[str, Any]],
    message: str,
) -> None:
    with pytest.raises(UserError, match=message.replace("`", ".")):
        expand_matrix(axes, include, exclude)


def test_256_legs_are_allowed() -> None:
    assert len(expand_matrix({"a": list(range(16)), "b": list(range(16))}, [], [])) == 256


@pytest.mark.parametrize(
    ("combo", "keys", "name"),
    [
        (
            {"python": "3.11", "os": "ubuntu-latest"},
            ("python", "os"),
            "build (3.11, ubuntu-latest)",
        ),
        ({"python": 3.10, "os": "ubuntu"}, ("python", "os"), "build (3.1, ubuntu)"),
        ({"n": 3, "flag": True}, ("n", "flag"), "build (3, true)"),
        ({"n": 1e20}, ("n",), "build (1E+20)"),
        ({"cfg": {"os": "linux", "py": [3, 4]}}, ("cfg",), "build (linux, 3, 4)"),
        ({"os": "", "x": None}, ("os", "x"), "build"),
        ({"os": "linux", "extra": "hidden"}, ("os",), "build (linux)"),
        ({"site": "prod", "dc": "a"}, ("os",), "build (prod, a)"),
        ({"s": "x" * 120}, ("s",), "build (" + "x" * 90 + "..."),
    ],
)
def test_leg_names_follow_github(combo: dict[str, Any], keys: tuple[str, ...], name: str) -> None:
    assert leg_name("build", combo, keys) == name


def test_include_extras_are_not_in_the_name_but_a_new_leg_shows_all_its_values() -> None:
    legs = expand_legs(
        {"os": ["ubuntu"], "py": ["3.12"]},
        [{"os": "ubuntu", "experimental": True}, {"os": "macos", "py": "3.9", "arm": True}],
        [],
    )
    assert [leg.name("test") for leg in legs] == ["test (ubuntu, 3.12)", "test (macos, 3.9, true)"]


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        ("Ubuntu", "ubuntu", True),
        ("1", 1, True),
        (True, 1, True),
        (None, 0, True),
        (None, "", True),
        ("abc", 0, False),
        ({"a": 1}, {"a": 1}, False),
        (3.0, 3, True),
    ],
)
def test_values_compare_like_github_expressions(left: Any, right: Any, equal: bool) -> None:
    assert loose_equal(left, right) is equal


def test_render_value() -> None:
    assert [render_value(v) for v in (None, False, 2, 0.5, "x")] == ["", "false", "2", "0.5", "x"]
