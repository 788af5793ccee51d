"""Exact arithmetic for percentages and totals, and how they are written.

Percentages are kept as fractions (36/50 is exactly 72, 2/3 of 100 is exactly 200/3) so
that a result on a band boundary is never nudged across it by floating point.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = Fraction

HUNDRED = Fraction(100)

# The ways a framework may say a percentage is rounded before it is banded (the compiled
# `Banding.rounding`). "none" compares the exact value.
STATED_ROUNDINGS = ("none", "half-up", "half-even", "down")

# When the framework does not say (rounding open or not stated), the engine tries every
# reasonable reading; a rating holds only if all of them agree.
EVERY_READING = ("none", "half-up", "half-even", "down", "up")


def exact(value: int | Decimal | Fraction | float | str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def round_whole(value: Fraction, reading: str) -> Fraction:
    """Round to a whole number under one reading of a rounding rule (integer arithmetic:
    this runs for every reading of every percentage placed)."""
    if reading == "none" or value.denominator == 1:
        return value
    numerator, denominator = value.numerator, value.denominator
    whole, rest = divmod(numerator, denominator)  # floor, for negative values too
    if reading == "down":
        return Fraction(whole)
    if reading == "up":
        return Fraction(whole + 1)
    twice = 2 * rest
    if twice > denominator:
        return Fraction(whole + 1)
    if twice < denominator:
        return Fraction(whole)
    if reading == "half-up":
        return Fraction(whole + 1)
    if reading == "half-even":
        return Fraction(whole if whole % 2 == 0 else whole + 1)
    raise ValueError(f"unknown rounding reading {reading!r}")


def readings_for(rounding: str | None) -> tuple[str, ...]:
    """The readings a rounding rule allows: one when stated, all of them when open."""
    if rounding in STATED_ROUNDINGS:
        return (rounding,)
    return EVERY_READING


def plain(value: Fraction | Decimal | int, places: int = 1) -> str:
    """72 → "72"; 200/3 → "66.7"; 64.5 → "64.5". For people, never for decisions."""
    value = exact(value)
    if value.denominator == 1:
        return str(value.numerator)
    rounded = round(Decimal(value.numerator) / Decimal(value.denominator), places)
    return f"{rounded:f}".rstrip("0").rstrip(".")


def as_json_number(value: Fraction | Decimal | int | None, places: int = 2) -> int | float | None:
    """A JSON number: whole values as integers, others rounded to `places` decimals."""
    if value is None:
        return None
    value = exact(value)
    if value.denominator == 1:
        return value.numerator
    return float(round(Decimal(value.numerator) / Decimal(value.denominator), places))
