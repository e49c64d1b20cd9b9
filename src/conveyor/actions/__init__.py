"""Actions conveyor runs natively (`base.py` is the seam, `registry.py` the table)."""
