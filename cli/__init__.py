"""The `precepts` command line: a thin shell over the public API (one module per command)."""

from precepts.cli.app import main, run

__all__ = ["main", "run"]
