"""conveyor.executors."""
