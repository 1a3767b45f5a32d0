"""GUIDE §4.3: figures agree when they differ by no more than the rounding of what is shown."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from ..decimals import rounded
from ..model import FundRow


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last digit shown: 3393.90 → 0.005, 152.5 → 0.05, 27 → 0.5."""
    exponent = value.as_tuple().exponent
    return Decimal(5).scaleb(int(exponent) - 1) if isinstance(exponent, int) else Decimal(0)


def sums_agree(total: Decimal, parts: Iterable[Decimal]) -> bool:
    parts = list(parts)
    slack = half_unit(total) + sum((half_unit(p) for p in parts), Decimal(0))
    return abs(total - sum(parts, Decimal(0))) <= slack


def same_figure(a: Decimal, b: Decimal) -> bool:
    """Two statements of one amount agree when the more precise rounds to the other."""
    coarse, fine = (a, b) if a.as_tuple().exponent >= b.as_tuple().exponent else (b, a)  # type: ignore[operator]
    return rounded(fine, Decimal(1).scaleb(coarse.as_tuple().exponent)) == coarse  # type: ignore[arg-type]


def rate_agrees(stated_percent: Decimal, fraction: Decimal) -> bool:
    """``70%`` agrees with 69.97%; ``60%`` does not agree with 57.94%."""
    places = Decimal(1).scaleb(stated_percent.as_tuple().exponent)  # type: ignore[arg-type]
    return rounded(fraction * 100, places) == stated_percent


def rate_explained(stated_percent: Decimal, fraction: Decimal) -> bool:
    """Whether ``fraction`` is how the stated rate was arrived at, rounded or cut off
    (units often truncate: 185.16 ÷ 112.5 = 164.586…% is printed 164.58%)."""
    places = Decimal(1).scaleb(stated_percent.as_tuple().exponent)  # type: ignore[arg-type]
    return rate_agrees(stated_percent, fraction) or rounded(fraction * 100, places, ROUND_DOWN) == stated_percent


def on_initial_budget(stated_percent: Decimal | None, funds: FundRow) -> bool:
    """Whether a stated execution rate was worked out on 年初预算数 rather than 全年预算数."""
    if stated_percent is None or not funds.initial_budget or not funds.full_year_budget or funds.executed is None:
        return False
    return rate_explained(stated_percent, funds.executed / funds.initial_budget) and not rate_explained(
        stated_percent, funds.executed / funds.full_year_budget
    )
