from decimal import Decimal

import pytest

from inventory import Item, order_total, parse_sku

CATALOGUE = {"BLT-0010": Item("BLT-0010", "bolt", Decimal("0.25"))}


@pytest.mark.parametrize(
    ("quantity", "total"),
    [(19, Decimal("4.75")), (20, Decimal("4.75")), (100, Decimal("22.50"))],
)
def test_bulk_tiers(quantity: int, total: Decimal) -> None:
    assert order_total([("BLT-0010", quantity)], CATALOGUE) == total


def test_unknown_sku_is_an_error() -> None:
    with pytest.raises(KeyError, match="NUT-0001"):
        order_total([("NUT-0001", 1)], CATALOGUE)


def test_sku_is_normalised_and_checked() -> None:
    assert parse_sku(" blt-0010 ") == "BLT-0010"
    with pytest.raises(ValueError, match="invalid SKU"):
        parse_sku("BLT-10")
