from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr import FUNCTIONS, EvalEnv, evaluate


def ev(text: str, contexts: dict[str, Any] | None = None, env: EvalEnv | None = None) -> Any:
    return evaluate(text, contexts or {}, env=env)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("contains('Hello', 'll')", True),
        ("cOnTaInS('HELLO', 'll')", True),
        ("contains('search', 'item')", False),
        ("contains(3.141592, 3.14)", True),
        ("contains(true, 'u')", True),
        ("contains(null, '')", True),
        ("contains(fromJSON('[\"first\",\"second\"]'), 'FIRST')", True),
        ("contains(fromJSON('[true,\"second\"]'), 'true')", False),
        ("contains(fromJSON('[3.14]'), '3.14')", True),
        ("contains(fromJSON('[\"\"]'), null)", True),
        ("contains(fromJSON('[[]]'), fromJSON('[]'))", False),
        ("contains(fromJSON('{\"a\":1}'), 'a')", False),  # objects are not searched
        ("contains('abc', fromJSON('[]'))", False),
        ("startsWith('Hello world', 'he')", True),
        ("startsWith(123, '12')", True),
        ("startsWith(null, '42')", False),
        ("startsWith('null', null)", True),
        ("startsWith(fromJSON('[]'), '')", False),
        ("endsWith('hello world', 'LD')", True),
        ("endsWith('123', 23)", True),
        ("endsWith('search', 'sa')", False),
    ],
)
def test_string_search_functions(text: str, value: bool) -> None:
    assert ev(text) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('join(fromJSON(\'["a", "b"]\'))', "a,b"),
        ('join(fromJSON(\'["a", "b", null]\'), null)', "ab"),
        ("join(fromJSON('[\"a\", \"b\"]'), ' | ')", "a | b"),
        ("join(fromJSON('[1, true, 2.5, [1], {}]'), ' ')", "1 true 2.5 Array Object"),
        ("join(fromJSON('[\"a\", \"b\"]'), fromJSON('[]'))", "a,b"),
        ("join('string', ',')", "string"),
        ("join(1, ',')", "1"),
        ("join(null)", ""),
        ("join(fromJSON('{}'))", ""),
        ("join(fromJSON('[]'))", ""),
    ],
)
def test_join(text: str, value: str) -> None:
    assert ev(text) == value


def test_to_json_is_githubs_pretty_json() -> None:
    contexts = {"env": {"b": [1, 2.5, None, True], "a": {"x": {}}, "c": [], "q": 'say "hi"\n'}}
    assert ev("toJSON(env)", contexts) == (
        "{\n"
        '  "b": [\n    1,\n    2.5,\n    null,\n    true\n  ],\n'
        '  "a": {\n    "x": {}\n  },\n'
        '  "c": [],\n'
        '  "q": "say \\"hi\\"\\n"\n'
        "}"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("toJSON(null)", "null"),
        ("toJson('x')", '"x"'),
        ("toJSON(1.0)", "1"),
        ("toJSON(NaN)", "NaN"),
        ("toJSON(fromJSON('[]'))", "[]"),
        ("toJSON(fromJSON('[[]]'))", "[\n  []\n]"),
    ],
)
def test_to_json_scalars_and_empties(text: str, value: str) -> None:
    assert ev(text) == value


def test_from_json_gives_plain_values() -> None:
    assert ev('fromJSON(\'{"a": [1, 2.5, null, true, "x"]}\')') == {"a": [1, 2.5, None, True, "x"]}
    assert ev("fromJSON('3')") == 3
    assert ev("fromJSON('\"3\"')") == "3"
    assert ev("fromJson('true') && 'yes'") == "yes"
    assert ev('fromJSON(\'{"a":{"b":2}}\').A.B') == 2


@pytest.mark.parametrize("text", ["''", "'{'", "'[1,]'", "'nope'", "'[1] [2'"])
def test_from_json_of_bad_json_is_an_error(text: str) -> None:
    with pytest.raises(ExpressionError, match="not valid JSON"):
        ev(f"fromJSON({text})")


def test_from_json_of_absurdly_deep_json_is_an_error_not_a_crash() -> None:
    deep = "[" * 10_000 + "]" * 10_000
    with pytest.raises(ExpressionError, match="not valid JSON"):
        ev("fromJSON(env.deep)", {"env": {"deep": deep}})


def test_to_json_handles_deep_data() -> None:
    data: list[Any] = []
    for _ in range(5_000):
        data = [data]
    text = ev("toJSON(env.deep)", {"env": {"deep": data}})
    assert text.count("[") == 5_001


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("case(true, 'first', 'default')", "first"),
        ("case(false, 'first', 'default')", "default"),
        ("case(false, 'first', true, 'second', 'default')", "second"),
        ("case(1 == 2, 'equal', 'not equal')", "not equal"),
        ("case(true, fromJSON('[1]'), 'x')", [1]),
    ],
)
def test_case(text: str, value: Any) -> None:
    assert ev(text) == value


def test_case_predicates_must_be_booleans() -> None:
    with pytest.raises(ExpressionError, match="must be a boolean"):
        ev("case('yes', 1, 2)")


def test_every_function_has_an_implementation_and_a_canonical_name() -> None:
    assert set(FUNCTIONS) == {
        "contains", "startswith", "endswith", "format", "join", "tojson", "fromjson",
        "hashfiles", "case", "success", "failure", "always", "cancelled",
    }  # fmt: skip
    assert FUNCTIONS["tojson"].name == "toJSON"
    assert FUNCTIONS["format"].max_args is None
    assert FUNCTIONS["always"].status_check


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_hash_files_is_githubs_hash_of_hashes(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("click\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "requirements.txt").write_text("rich\n")
    expected = hashlib.sha256(_sha(b"click\n") + _sha(b"rich\n")).hexdigest()
    env = EvalEnv(workspace=tmp_path)
    assert ev("hashFiles('**/requirements.txt')", env=env) == expected


def test_hash_files_without_a_workspace_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="only available while a job runs"):
        ev("hashFiles('*.txt')")


def test_to_json_of_a_value_that_contains_itself_is_an_error_not_a_hang() -> None:
    looped: dict[str, Any] = {"a": 1}
    looped["self"] = looped
    with pytest.raises(ExpressionError, match="contains itself"):
        ev("toJSON(env)", {"env": looped})
    shared = [1]
    assert ev("toJSON(env)", {"env": {"a": shared, "b": shared}}).count("1") == 2
