"""Stock levels, reservations and order pricing."""

from inventory.models import Item, parse_sku
from inventory.pricing import order_total
from inventory.stock import InsufficientStock, Stock

__all__ = ["InsufficientStock", "Item", "Stock", "order_total", "parse_sku"]
