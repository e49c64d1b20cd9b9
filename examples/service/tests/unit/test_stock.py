import pytest

from inventory import InsufficientStock, Stock


def test_reservations_reduce_what_is_available() -> None:
    stock = Stock()
    stock.receive("ABC-0001", 10)
    stock.reserve("ABC-0001", 4)
    assert stock.available("ABC-0001") == 6


def test_cannot_reserve_more_than_available() -> None:
    stock = Stock()
    stock.receive("ABC-0001", 3)
    with pytest.raises(InsufficientStock, match="wanted 4, only 3 available"):
        stock.reserve("ABC-0001", 4)


def test_shipping_uses_reserved_units_first() -> None:
    stock = Stock()
    stock.receive("ABC-0001", 10)
    stock.reserve("ABC-0001", 4)
    stock.ship("ABC-0001", 6)
    assert stock.available("ABC-0001") == 4


def test_low_stock_is_sorted_and_counts_reservations() -> None:
    stock = Stock()
    stock.receive("ZZZ-0009", 2)
    stock.receive("AAA-0001", 50)
    stock.receive("MMM-0005", 8)
    stock.reserve("MMM-0005", 6)
    assert stock.below(5) == ["MMM-0005", "ZZZ-0009"]
