"""Exact arithmetic on printed points: what counts as a number, and the published mean."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")


def as_decimal(value: object) -> Decimal | None:
    """Decimal for Decimal/int/float (floats via their repr); None if not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:
            return None
    else:
        return None
    return d if d.is_finite() else None


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def mean_half_up(values: Sequence[Decimal]) -> Decimal:
    """Exact mean of non-negative Decimals, quantized to 0.01 ROUND_HALF_UP."""
    n = len(values)
    num, den = 0, 1
    for v in values:  # exact rational sum
        p, q = v.as_integer_ratio()
        num, den = num * q + p * den, den * q
    # mean * 100 = num * 100 / (den * n); round half up (values are >= 0)
    top, bottom = num * 100, den * n
    cents = (2 * top + bottom) // (2 * bottom)
    return Decimal(cents).scaleb(-2).quantize(CENT)
