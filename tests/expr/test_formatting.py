from __future__ import annotations

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr import evaluate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("format('text')", "text"),
        ("format('Hello {0} {1} {2}!', 'Mona', 'the', 'Octocat')", "Hello Mona the Octocat!"),
        ("format('0:{0} 2:{2} 1:{1}', 'zero', 'one', 'two')", "0:zero 2:two 1:one"),
        ("format('{0}{0}', 'ab')", "abab"),
        ("format('{{Hello {0}!}}', 'Mona')", "{Hello Mona!}"),
        ("format('{{0}}', 'test')", "{0}"),
        ("format('{{{0}}}', 'test')", "{test}"),
        ("format('{{{0}', '{1}', 'World')", "{{1}"),
        ("format('}}')", "}"),
        ("format('{0}', '{1}', 'World')", "{1}"),  # arguments are not formatted again
        ("format('echo Hello {0} ${{Test}}', 'World')", "echo Hello World ${Test}"),
        (
            "format('Hello \"{0}\" {1} {2} {3} {4}', null, true, -3.14, NaN, Infinity)",
            'Hello "" true -3.14 NaN Infinity',
        ),
        ("format('{0} {1}', fromJSON('[1]'), fromJSON('{}'))", "Array Object"),
        (
            "format('{0} {1} {2}', 1.0, 1234567890.0, 12345678901234567890.0)",
            "1 1234567890 1.23456789012346E+19",
        ),
        ("format(true)", "true"),
        ("FORMAT('{0}', 1)", "1"),
    ],
)
def test_format(text: str, value: str) -> None:
    assert evaluate(text, {}) == value


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("format('{0}}', 'x')", "The following format string is invalid: '{0}}'"),
        ("format('{0', 'x')", "The following format string is invalid: '{0'"),
        ("format('}')", "is invalid"),
        ("format('{}', 'x')", "is invalid"),
        ("format('{a}', 'x')", "is invalid"),
        ("format('{256}')", "is invalid"),
        ("format('{2147483648}')", "is invalid"),
        ("format('{2}', 'a', 'b')", "references more arguments than were supplied: '{2}'"),
        ("format('{0:x}', 1)", "Format specifiers"),
    ],
)
def test_bad_format_strings_are_errors_that_quote_the_string(text: str, says: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(text, {})
    assert says in info.value.message
    assert info.value.column == 1
