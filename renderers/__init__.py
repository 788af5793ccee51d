"""Outputs made from a checked framework model."""
