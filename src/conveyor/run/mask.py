"""Replace secret values with `***` in everything a step prints.

A secret is masked whole and, when it spans lines, line by line too (a step's
output reaches the masker one line at a time). Values that are empty or only
whitespace are ignored, as on GitHub, so masking cannot blank the log. Longer
values are tried first, so a secret that contains another is masked whole.
All values are matched by one compiled regular expression, rebuilt only when a
value is added.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

MASK = "***"


def _variants(value: str) -> set[str]:
    """The value, each of its lines, and the forms it takes in JSON and in URLs."""
    pieces = {p for p in (value, *re.split(r"\r\n|\r|\n", value)) if p.strip()}
    variants = set(pieces)
    for piece in pieces:
        variants.add(json.dumps(piece)[1:-1])
        variants.add(urllib.parse.quote(piece, safe=""))
    return variants


_END = ""


def _trie_pattern(values: Iterable[str]) -> str:
    """One regular expression for all values, shaped as a prefix tree.

    Shared prefixes are matched once (so many secrets stay fast), and at every
    branch going on is tried before stopping, so the longest value matches.
    """
    root: dict[str, Any] = {}
    for value in values:
        node = root
        for char in value:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: dict[str, Any]) -> str:
    chain: list[str] = []
    while _END not in node and len(node) == 1:
        char, node = next(iter(node.items()))
        chain.append(re.escape(char))
    branches = [re.escape(c) + _node_pattern(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return "".join(chain)
    rest = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        rest = f"(?:{rest})?"
    return "".join(chain) + rest


class Masker:
    """Holds the secret values of a run; `mask(text)` hides them."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add_all(values)

    def add(self, value: str) -> None:
        """Mask `value` from now on (what `::add-mask::` does)."""
        self.add_all((value,))

    def add_all(self, values: Iterable[str]) -> None:
        new = set().union(*(_variants(v) for v in values)) - self._values
        if new:
            self._values |= new
            self._pattern = re.compile(_trie_pattern(self._values))

    def mask(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

    def __len__(self) -> int:
        return len(self._values)
