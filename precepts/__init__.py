"""precepts: write, check and publish inspection standards frameworks as code.

The public Python API (see `precepts.api`):

    >>> import precepts
    >>> precepts.check("frameworks").has_errors
    False

The API is loaded on first use (PEP 562), so that importing any part of precepts, such as
`precepts.core.codes`, does not import the whole package: this module is imported before
every subpackage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from precepts.core.version import __version__

if TYPE_CHECKING:
    from precepts.api import (
        BuildError,
        BuildResult,
        Changes,
        CheckResult,
        FrameworkError,
        Imported,
        UnknownCode,
        build,
        check,
        compile,
        diff,
        import_word,
        load,
        rate,
        resolve_codes,
    )
    from precepts.ratings.documents import InputText
    from precepts.ratings.run import Ratings

# name → the module that defines it, imported on first use
_EXPORTS = {
    **dict.fromkeys(
        ("BuildError", "BuildResult", "Changes", "CheckResult", "FrameworkError", "Imported", "UnknownCode",
         "build", "check", "compile", "diff", "import_word", "load", "rate", "resolve_codes"),
        "precepts.api",
    ),
    "InputText": "precepts.ratings.documents",
    "Ratings": "precepts.ratings.run",
}

__all__ = [
    "BuildError",
    "BuildResult",
    "Changes",
    "CheckResult",
    "FrameworkError",
    "Imported",
    "InputText",
    "Ratings",
    "UnknownCode",
    "__version__",
    "build",
    "check",
    "compile",
    "diff",
    "import_word",
    "load",
    "rate",
    "resolve_codes",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'precepts' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
