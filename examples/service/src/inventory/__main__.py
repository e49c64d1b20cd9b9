"""`inventory low-stock FILE.csv [--threshold N]`: SKUs running low, from `sku,quantity` rows."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

from inventory.models import parse_sku
from inventory.stock import Stock


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inventory")
    parser.add_argument("command", choices=["low-stock"])
    parser.add_argument("file")
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args(argv)
    stock = Stock()
    with open(args.file, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if row:
                stock.receive(parse_sku(row[0]), int(row[1]))
    for sku in stock.below(args.threshold):
        print(f"{sku}\t{stock.available(sku)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
