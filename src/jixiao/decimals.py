"""Rounding that holds for any figure a package may carry.

Decimal's default context keeps 28 digits, and quantize refuses a result longer than that: a
rate whose denominator is 0.000000000001 (1e24) made scoring fail on a valid package. Here the
precision follows the figure, so rounding is exact and never raises."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext


def rounded(value: Decimal, places: int | Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` to ``places`` decimals, or to the exponent of ``places`` when it is a Decimal (0.01)."""
    exponent = places if isinstance(places, Decimal) else Decimal(1).scaleb(-places)
    if not value.is_finite():
        return value
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() - exponent.adjusted() + 3)
        return value.quantize(exponent, rounding)
