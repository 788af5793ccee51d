"""The driver: run the checks in their order (checks.py), then apply waivers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from precepts.compiler.model import Framework, Waiver
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.validators.checks import all_checks


@dataclass(frozen=True, slots=True)
class Waived:
    diagnostic: Diagnostic
    waiver: Waiver


def selected(code: str, select: Collection[str] | None, ignore: Collection[str] | None) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


def run_checks(
    framework: Framework,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    checks = [c for c in all_checks() if any(selected(code.code, select, ignore) for code in c.codes)]
    for registered in checks:
        if registered.prepare is not None:
            registered.prepare(framework)
    for registered in checks:
        findings.extend(d for d in registered.run(framework) if selected(d.code, select, ignore))
    return findings


def apply_waivers(
    framework: Framework,
    diagnostics: list[Diagnostic],
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
) -> tuple[list[Diagnostic], list[Waived]]:
    active: list[Diagnostic] = []
    waived: list[Waived] = []
    used: set[int] = set()
    by_key: dict[tuple[str, str], list[int]] = {}
    for index, waiver in enumerate(framework.waivers):
        by_key.setdefault((waiver.code, waiver.subject), []).append(index)
    for diagnostic in diagnostics:
        match = next(
            (i for subject in diagnostic.subjects for i in by_key.get((diagnostic.code, subject), ())),
            None,
        )
        if match is None:
            active.append(diagnostic)
        else:
            used.add(match)
            waived.append(Waived(diagnostic, framework.waivers[match]))
    if selected(Code.UNUSED_WAIVER.code, select, ignore):
        for index, waiver in enumerate(framework.waivers):
            if index not in used and selected(waiver.code, select, ignore):
                active.append(Code.UNUSED_WAIVER(
                    f"waiver of {waiver.code} on '{waiver.subject}' matches no finding",
                    waiver.span,
                    help="remove the waiver if the fault is fixed, or move it under the element the finding is about",
                    subjects=(waiver.subject,),
                ))
    return active, waived
