"""The checks run in the order written in validators/checks.py, and that order holds every
declared check: a check left out of it would never run."""

from __future__ import annotations

from precepts.validators.checks import ORDER, all_checks
from precepts.validators.registry import all_declared


def test_every_declared_check_runs_exactly_once() -> None:
    assert len(set(ORDER)) == len(ORDER)
    assert {c.run for c in all_declared()} == set(ORDER)


def test_the_checks_run_in_the_written_order_structure_first() -> None:
    codes = [code.code for check in all_checks() for code in check.codes]
    assert codes[0] == "N001"
    assert [check.run for check in all_checks()] == list(ORDER)
    # The families of codes run in the order the docstring of checks.py gives.
    families = [code[0] for code in codes]
    assert families == sorted(families, key=lambda f: "NDLXRTG".index(f))
