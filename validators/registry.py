"""Declaring checks.

A check is a generator over a compiled framework that yields diagnostics; `@check`
declares the codes it reports. When it runs is written in one place, the ordered tuple
`precepts.validators.checks.ORDER`; the driver (run.py) runs them in that order, honours
--select/--ignore, and applies the framework's waivers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from precepts.compiler.model import Framework
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic

CheckFunction = Callable[[Framework], Iterator[Diagnostic]]
PrepareFunction = Callable[[Framework], None]


@dataclass(frozen=True, slots=True)
class Check:
    codes: tuple[Code, ...]
    run: CheckFunction
    # Called for every selected check before any check runs: a check with slow, separable
    # work may start it in the background here, so that it overlaps the other checks.
    prepare: PrepareFunction | None = None

    @property
    def name(self) -> str:
        return self.run.__name__


_DECLARED: dict[CheckFunction, Check] = {}


def check(*codes: Code, prepare: PrepareFunction | None = None) -> Callable[[CheckFunction], CheckFunction]:
    def declare(function: CheckFunction) -> CheckFunction:
        _DECLARED[function] = Check(codes, function, prepare)
        return function

    return declare


def declared(function: CheckFunction) -> Check:
    """The check a function was declared as."""
    return _DECLARED[function]


def all_declared() -> tuple[Check, ...]:
    """Every check declared so far, in no particular order."""
    return tuple(_DECLARED.values())
