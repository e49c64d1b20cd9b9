"""Stock levels with reservations: what is on the shelf and what is promised."""

from __future__ import annotations

from collections import Counter


class InsufficientStock(Exception):
    def __init__(self, sku: str, wanted: int, available: int) -> None:
        super().__init__(f"{sku}: wanted {wanted}, only {available} available")
        self.sku = sku
        self.wanted = wanted
        self.available = available


class Stock:
    """On-hand quantities and reservations per SKU."""

    def __init__(self) -> None:
        self._on_hand: Counter[str] = Counter()
        self._reserved: Counter[str] = Counter()

    def receive(self, sku: str, quantity: int) -> None:
        if quantity <= 0:
            raise ValueError("received quantity must be positive")
        self._on_hand[sku] += quantity

    def available(self, sku: str) -> int:
        return self._on_hand[sku] - self._reserved[sku]

    def reserve(self, sku: str, quantity: int) -> None:
        if quantity > self.available(sku):
            raise InsufficientStock(sku, quantity, self.available(sku))
        self._reserved[sku] += quantity

    def ship(self, sku: str, quantity: int) -> None:
        """Ship reserved units first, then free ones."""
        if quantity > self._on_hand[sku]:
            raise InsufficientStock(sku, quantity, self._on_hand[sku])
        from_reserved = min(quantity, self._reserved[sku])
        self._reserved[sku] -= from_reserved
        self._on_hand[sku] -= quantity

    def below(self, threshold: int) -> list[str]:
        """SKUs whose available quantity is under `threshold`, sorted."""
        return sorted(sku for sku in self._on_hand if self.available(sku) < threshold)
