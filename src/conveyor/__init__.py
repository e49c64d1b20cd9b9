"""conveyor: run GitHub Actions workflows on your own machine, with quality gates."""

__version__ = "0.1.0.dev0"
