"""conveyor.actions."""
