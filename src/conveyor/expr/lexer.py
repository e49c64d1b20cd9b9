"""Tokens of the expression language, read the way GitHub's lexer reads them.

Identifiers may contain `-` (`steps.my-step.outputs`); a `.` after a value is a property
access, elsewhere it starts a number (`.5`); numbers accept decimals, exponents, `0x` hex
and `0o` octal; strings are single-quoted with `''` for a quote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final, Literal

from conveyor.errors import ExpressionError
from conveyor.expr.values import normalize_number, parse_number

TokenKind = Literal[
    "(", ")", "[", "]", ",", ".", "*", "!", "op", "&&", "||",
    "literal", "name", "end",
]  # fmt: skip

MAX_LENGTH: Final = 21_000
"""GitHub's limit on the length of one expression."""

_BOUNDARY: Final = frozenset("()[],.!><=&|")
_VALUE_END: Final = frozenset({"name", ")", "]", "*"})
_KEYWORDS: Final[dict[str, Any]] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": math.nan,
    "Infinity": math.inf,
}
_SINGLE: Final[dict[str, TokenKind]] = {"(": "(", ")": ")", "[": "[", "]": "]", ",": ",", "*": "*"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    kind: TokenKind
    text: str
    column: int
    value: Any = None

    def describe(self) -> str:
        return "the end of the expression" if self.kind == "end" else f"`{self.text}`"


def _is_boundary(char: str) -> bool:
    return char in _BOUNDARY or char.isspace()


def _is_identifier(text: str) -> bool:
    first, rest = text[0], text[1:]
    if not (first.isascii() and (first.isalpha() or first == "_")):
        return False
    return all(c.isascii() and (c.isalnum() or c in "_-") for c in rest)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def error(self, message: str, column: int) -> ExpressionError:
        return ExpressionError(message, expression=self.text, column=column)

    def previous_kind(self) -> TokenKind:
        return self.tokens[-1].kind if self.tokens else "end"

    def add(self, kind: TokenKind, start: int, value: Any = None) -> None:
        text = self.text[start : self.pos]
        self.tokens.append(Token(kind=kind, text=text, column=start + 1, value=value))

    def run(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            start, char = self.pos, text[self.pos]
            self.pos += 1
            if char.isspace():
                continue
            if char in _SINGLE:
                self.add(_SINGLE[char], start)
            elif char == ".":
                if self.previous_kind() in _VALUE_END:
                    self.add(".", start)
                else:
                    self.read_number(start)
            elif char in "!<>":
                if text.startswith("=", self.pos):
                    self.pos += 1
                    self.add("op", start)
                else:
                    self.add("!" if char == "!" else "op", start)
            elif char in "=&|":
                self.read_double(start, char)
            elif char == "'":
                self.read_string(start)
            elif char in "+-" or char.isdigit():
                self.read_number(start)
            else:
                self.read_word(start)
        self.tokens.append(Token(kind="end", text="", column=len(text) + 1))
        return self.tokens

    def read_double(self, start: int, char: str) -> None:
        if not self.text.startswith(char, self.pos):
            expected = {"=": "==", "&": "&&", "|": "||"}[char]
            raise self.error(f"unexpected `{char}`: expected `{expected}`", start + 1)
        self.pos += 1
        self.add("op" if char == "=" else "&&" if char == "&" else "||", start)

    def read_string(self, start: int) -> None:
        text, pieces = self.text, []
        while True:
            end = text.find("'", self.pos)
            if end < 0:
                raise self.error("unterminated string: expected a closing `'`", start + 1)
            pieces.append(text[self.pos : end])
            self.pos = end + 1
            if not text.startswith("'", self.pos):
                break
            pieces.append("'")
            self.pos += 1
        self.add("literal", start, "".join(pieces))

    def read_number(self, start: int) -> None:
        text = self.text
        while self.pos < len(text) and (not _is_boundary(text[self.pos]) or text[self.pos] == "."):
            self.pos += 1
        word = text[start : self.pos]
        number = parse_number(word)
        if math.isnan(number):
            raise self.error(f"unexpected `{word}`: expected a number", start + 1)
        self.add("literal", start, normalize_number(number))

    def read_word(self, start: int) -> None:
        text = self.text
        while self.pos < len(text) and not _is_boundary(text[self.pos]):
            self.pos += 1
        word = text[start : self.pos]
        if not _is_identifier(word):
            raise self.error(f"unexpected `{word}`: {_expected_instead(word)}", start + 1)
        if self.previous_kind() != "." and word in _KEYWORDS:
            self.add("literal", start, _KEYWORDS[word])
        else:
            self.add("name", start)


def _expected_instead(word: str) -> str:
    if word.startswith('"'):
        return "expected a string in single quotes ('text'); double quotes are not strings"
    if word.startswith("${{"):
        return "expected an expression; `${{ }}` cannot be nested inside one"
    return "expected a name, a literal or an operator"


def tokenize(text: str) -> list[Token]:
    """The tokens of a bare expression, ending with an `end` token; raises ExpressionError."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is {len(text)} characters long; GitHub allows at most {MAX_LENGTH}",
            expression=text[:80] + "…",
            column=MAX_LENGTH + 1,
        )
    return _Lexer(text).run()
