from __future__ import annotations

import pytest

from conveyor.actions.registry import BUILTINS, builtin, post_step

EXPECTED_POST_IF = {
    "actions/cache": "success()",
    "actions/setup-python": "success()",
}


def test_names_are_lower_case_owner_slash_name() -> None:
    for name in BUILTINS:
        assert name == name.lower()
        assert name.count("/") in (1, 2)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_post_steps_only_where_the_real_action_has_one(name: str) -> None:
    post = post_step(BUILTINS[name])
    condition = post.condition if post is not None else None
    assert condition == EXPECTED_POST_IF.get(name)


def test_lookup_ignores_case_and_misses_unknown_actions() -> None:
    assert builtin("Actions/Setup-Python") is BUILTINS["actions/setup-python"]
    assert builtin("actions/github-script") is None
