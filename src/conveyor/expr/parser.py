"""Parse a bare expression (no `${{ }}`) into a tree of `conveyor.expr.nodes`.

Precedence, loosest first: `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `!`, then access
(`.name`, `.*`, `[index]`) and grouping. `&&` and `||` chains become one node, as in
GitHub's parser. Nesting is limited to GitHub's 50 levels, so no input can exhaust the
Python stack.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import Final

from conveyor.errors import ExpressionError
from conveyor.expr.lexer import Token, tokenize
from conveyor.expr.nodes import (
    Compare,
    ContextName,
    FunctionCall,
    Index,
    Literal,
    Logical,
    Node,
    Not,
    Property,
    Star,
    depth,
)

MAX_DEPTH: Final = 50
"""GitHub's limit on how deeply an expression may nest."""

_EQUALITY: Final = frozenset({"==", "!="})
_ORDERING: Final = frozenset({"<", "<=", ">", ">="})
_VALUE: Final = "a value (a literal, a context, a function call or `(`)"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.nesting = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def error(self, message: str, column: int) -> ExpressionError:
        return ExpressionError(message, expression=self.text, column=column)

    def expect(self, kind: str, what: str) -> Token:
        token = self.token
        if token.kind != kind:
            raise self.error(f"expected {what}, found {token.describe()}", token.column)
        return self.advance()

    def enter(self, column: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.error(f"expression nests more than {MAX_DEPTH} levels deep", column)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise self.error(f"expected an expression, found {self.token.describe()}", 1)
        node = self.logical("||")
        rest = self.tokens[self.pos]
        if rest.kind != "end":
            raise self.error(
                f"expected an operator or the end of the expression, found {rest.describe()}",
                rest.column,
            )
        if depth(node) > MAX_DEPTH:
            raise self.error(f"expression nests more than {MAX_DEPTH} levels deep", 1)
        return node

    def logical(self, op: str) -> Node:
        operand: Callable[[], Node] = self.equality if op == "&&" else partial(self.logical, "&&")
        first = operand()
        operands = [first]
        while self.token.kind == op:
            self.advance()
            operands.append(operand())
        if len(operands) == 1:
            return first
        return Logical(op=op, operands=tuple(operands), column=_column(first))

    def equality(self) -> Node:
        return self.binary(_EQUALITY, self.ordering)

    def ordering(self) -> Node:
        return self.binary(_ORDERING, self.unary)

    def binary(self, ops: frozenset[str], operand: Callable[[], Node]) -> Node:
        left = operand()
        while self.token.kind == "op" and self.token.text in ops:
            op = self.advance().text
            left = Compare(op=op, left=left, right=operand(), column=_column(left))
        return left

    def unary(self) -> Node:
        if self.token.kind != "!":
            return self.postfix()
        bang = self.advance()
        self.enter(bang.column)
        operand = self.unary()
        self.nesting -= 1
        return Not(operand=operand, column=bang.column)

    def postfix(self) -> Node:
        node = self.primary()
        while self.token.kind in (".", "["):
            opener = self.advance()
            node = self.dereference(node) if opener.kind == "." else self.index(node)
        return node

    def dereference(self, target: Node) -> Node:
        token = self.advance()
        if token.kind == "*":
            return Star(target=target, column=token.column)
        if token.kind == "name":
            return Property(target=target, name=token.text, column=token.column)
        raise self.error(
            f"expected a property name or `*` after `.`, found {token.describe()}", token.column
        )

    def index(self, target: Node) -> Node:
        opening = self.tokens[self.pos - 1]
        if self.token.kind == "*":
            star = self.advance()
            self.expect("]", f"`]` to close `[` at column {opening.column}")
            return Star(target=target, column=star.column)
        self.enter(opening.column)
        if self.token.kind == "]":
            raise self.error("expected an index inside `[]`, found `]`", self.token.column)
        index = self.logical("||")
        self.nesting -= 1
        self.expect("]", f"`]` to close `[` at column {opening.column}")
        return Index(target=target, index=index, column=opening.column)

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "literal":
            return Literal(value=token.value, column=token.column)
        if token.kind == "name":
            if self.token.kind == "(":
                return self.call(token)
            return ContextName(name=token.text, column=token.column)
        if token.kind == "(":
            self.enter(token.column)
            inner = self.logical("||")
            self.nesting -= 1
            self.expect(")", f"`)` to close `(` at column {token.column}")
            return inner
        raise self.error(f"expected {_VALUE}, found {token.describe()}", token.column)

    def call(self, name: Token) -> Node:
        self.advance()  # the `(`
        self.enter(name.column)
        args: list[Node] = []
        if self.token.kind != ")":
            args.append(self.logical("||"))
            while self.token.kind == ",":
                self.advance()
                args.append(self.logical("||"))
        self.nesting -= 1
        self.expect(")", f"`,` or `)` in the arguments of `{name.text}(`")
        return FunctionCall(name=name.text, args=tuple(args), column=name.column)


def _column(node: Node) -> int:
    while isinstance(node, Property | Index | Star | Compare | Logical):
        node = node.target if isinstance(node, Property | Index | Star) else _first(node)
    return node.column


def _first(node: Compare | Logical) -> Node:
    return node.left if isinstance(node, Compare) else node.operands[0]


@lru_cache(maxsize=2048)
def parse(text: str) -> Node:
    """Parse a bare expression (without `${{ }}`); raises ExpressionError with the column.

    Trees are immutable, so the same text is parsed once (workflows repeat expressions).
    """
    return _Parser(text).parse()
