"""precepts: write, check and publish inspection standards frameworks as code."""

__version__ = "0.1.0"
