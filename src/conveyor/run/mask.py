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

MASK = "***"


def _variants(value: str) -> set[str]:
    """The value, each of its lines, and the forms it takes in JSON and in URLs."""
    pieces = {p for p in (value, *re.split(r"\r\n|\r|\n", value)) if p.strip()}
    variants = set(pieces)
    for piece in pieces:
        variants.add(json.dumps(piece)[1:-1])
        variants.add(urllib.parse.quote(piece, safe=""))
    return variants


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
            ordered = sorted(self._values, key=lambda v: (-len(v), v))
            self._pattern = re.compile("|".join(map(re.escape, ordered)))

    def mask(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

    def __len__(self) -> int:
        return len(self._values)
