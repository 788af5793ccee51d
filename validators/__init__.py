"""Checks on frameworks: one registry of coded checks, run in a fixed order."""
