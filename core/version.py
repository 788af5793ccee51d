"""The version of precepts, which every output that names its tool carries.

It lives in the base so that any layer may cite it without importing the package's top
(`precepts/__init__.py`, the public API)."""

__version__ = "0.1.0"
