"""The registry of checks.

A check is a generator over a compiled framework that yields diagnostics; it is
registered with the code it reports. The driver runs the checks in registration order,
honours --select/--ignore, and applies the framework's waivers.
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


CHECKS: list[Check] = []


def check(*codes: Code, prepare: PrepareFunction | None = None) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(codes, function, prepare))
        return function

    return register


def all_checks() -> tuple[Check, ...]:
    # Importing the modules registers their checks, in this order: structure first, since
    # later checks read more sensibly once numbering and ids are known to be sound.
    from precepts.validators import structure  # noqa: F401, I001
    from precepts.validators import duplicates, levels, references, rules, wording  # noqa: F401

    return tuple(CHECKS)
