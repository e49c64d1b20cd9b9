"""conveyor.plan."""
