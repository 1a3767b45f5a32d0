"""Figures as the scoring explanations and findings write them: percents, percentage points and
plain numbers without trailing zeros, exact (from Decimal, never through float)."""

from __future__ import annotations

from decimal import Decimal

from ..decimals import rounded


def pct(value: Decimal, places: int = 2) -> str:
    """A fraction shown as the percent a finance officer reads (0.6533 → 65.33%)."""
    shown = rounded(value * 100, places)
    text = format(shown, "f")
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text}%"


def pct_against(value: Decimal, *edges: Decimal | None) -> str:
    """``value`` as a percent with enough digits that it never looks equal to an edge it
    is not equal to (100.004% is not shown as “100%” when the limit is 100%)."""
    for places in (2, 3, 4, 6):
        text = pct(value, places)
        if all(edge is None or edge == value or pct(edge, places) != text for edge in edges):
            return text
    return pct(value, 10)


def points_of(value: Decimal) -> str:
    """A share in percentage points, as the tables say it (0.05 → 5 个百分点)."""
    return f"{num(value * 100)} 个百分点"


def num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
