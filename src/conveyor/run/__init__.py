"""conveyor.run."""
