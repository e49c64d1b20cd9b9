"""Order pricing with bulk tiers: the more units of one SKU, the lower its unit price."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from inventory.models import Item

# (minimum units, discount) — the highest tier reached applies.
TIERS: tuple[tuple[int, Decimal], ...] = ((100, Decimal("0.10")), (20, Decimal("0.05")))
CENT = Decimal("0.01")


def line_total(item: Item, quantity: int) -> Decimal:
    discount = next((d for minimum, d in TIERS if quantity >= minimum), Decimal(0))
    total = item.unit_price * quantity * (1 - discount)
    return total.quantize(CENT, rounding=ROUND_HALF_EVEN)


def order_total(lines: Iterable[tuple[str, int]], catalogue: Mapping[str, Item]) -> Decimal:
    """Sum of line totals; an unknown SKU is an error, not a free item."""
    total = Decimal(0)
    for sku, quantity in lines:
        if sku not in catalogue:
            raise KeyError(f"unknown SKU {sku}")
        total += line_total(catalogue[sku], quantity)
    return total
