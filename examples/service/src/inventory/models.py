"""The catalogue record and SKU rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_SKU = re.compile(r"^[A-Z]{3}-\d{4}$")


def parse_sku(text: str) -> str:
    """Normalise a SKU (`abc-0042` → `ABC-0042`); refuse anything not three letters, four digits."""
    sku = text.strip().upper()
    if not _SKU.match(sku):
        raise ValueError(f"invalid SKU {text!r}: expected three letters, a dash and four digits")
    return sku


@dataclass(frozen=True, slots=True)
class Item:
    sku: str
    name: str
    unit_price: Decimal

    def __post_init__(self) -> None:
        if self.unit_price < 0:
            raise ValueError(f"{self.sku}: a price cannot be negative")
