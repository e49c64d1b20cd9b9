from __future__ import annotations

from typing import Any

import pytest

from conveyor.errors import UserError
from conveyor.events import check_dispatch_inputs
from conveyor.workflow.model import InputSpec

SPECS = {
    "level": InputSpec(
        name="level", type="choice", options=("info", "warn", "error"), default="warn"
    ),
    "dry": InputSpec(name="dry", type="boolean", default=False),
    "count": InputSpec(name="count", type="number", default=3),
    "target": InputSpec(name="target", required=True),
    "note": InputSpec(name="note"),
    "flag": InputSpec(name="flag", type="boolean"),
    "env": InputSpec(name="env", type="environment"),
}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"target": "prod"},
            {
                "level": "warn",
                "dry": False,
                "count": 3,
                "target": "prod",
                "note": "",
                "flag": False,
                "env": "",
            },
        ),
        ({"target": "x", "dry": "true"}, {"dry": True}),
        ({"target": "x", "dry": "FALSE"}, {"dry": False}),
        ({"target": "x", "count": "2.5"}, {"count": 2.5}),
        ({"target": "x", "count": " 10 "}, {"count": 10}),
        ({"target": "x", "level": "error"}, {"level": "error"}),
        ({"target": "", "note": "hi"}, {"target": "", "note": "hi"}),
        ({"target": "x", "env": "staging"}, {"env": "staging"}),
    ],
)
def test_inputs_are_typed_and_defaulted(given: dict[str, str], expected: dict[str, Any]) -> None:
    values = check_dispatch_inputs(SPECS, given)
    assert list(values) == list(SPECS)
    for name, value in expected.items():
        assert values[name] == value
        assert type(values[name]) is type(value)


@pytest.mark.parametrize(
    ("given", "message", "hint"),
    [
        ({}, "input `target` is required", "--input target=VALUE"),
        ({"target": "x", "dry": "yes"}, "input `dry` must be `true` or `false`, not 'yes'", ""),
        ({"target": "x", "count": "many"}, "input `count` must be a number, not 'many'", ""),
        ({"target": "x", "count": "inf"}, "input `count` must be a finite number", ""),
        (
            {"target": "x", "level": "debug"},
            "input `level` must be one of `info`, `warn`, `error`, not 'debug'",
            "",
        ),
        ({"target": "x", "levle": "info"}, "unexpected input `levle`", "did you mean `level`?"),
        ({"target": "x", "zzz": "1"}, "unexpected input `zzz`", "declared inputs: `level`"),
    ],
)
def test_wrong_inputs_name_the_input_and_what_is_allowed(
    given: dict[str, str], message: str, hint: str
) -> None:
    with pytest.raises(UserError) as caught:
        check_dispatch_inputs(SPECS, given)
    assert message in str(caught.value)
    assert hint in str(caught.value)


def test_a_required_choice_lists_its_options() -> None:
    specs = {"level": InputSpec(name="level", type="choice", options=("a", "b"), required=True)}
    with pytest.raises(UserError, match=r"\(one of `a`, `b`\)"):
        check_dispatch_inputs(specs, {})


def test_a_bad_default_is_named_as_the_default() -> None:
    specs = {"level": InputSpec(name="level", type="choice", options=("a",), default="z")}
    with pytest.raises(UserError, match="the default of input `level` must be one of `a`"):
        check_dispatch_inputs(specs, {})


def test_boolean_defaults_written_as_yaml_booleans() -> None:
    specs = {"dry": InputSpec(name="dry", type="boolean", default=True)}
    assert check_dispatch_inputs(specs, {}) == {"dry": True}
