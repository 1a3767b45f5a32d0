"""When two units of measure compare: the same text, a prefix apart (万亩 and 亩), or one
quantity in two units (公里 and 米). The table is data (``units.yaml``); a unit it does not
know still compares with itself, so 批次 meets 批次 and 起 meets 起."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Decimal], frozenset[str], dict[str, tuple[str, Decimal]]]:
    data = yaml.safe_load((resources.files("jixiao") / "rubric" / "units.yaml").read_text(encoding="utf-8"))
    prefixes = {str(k): Decimal(str(v)) for k, v in data["prefixes"].items()}
    groups: dict[str, tuple[str, Decimal]] = {}
    for group in data["groups"]:
        base = next(iter(group))
        for unit, size in group.items():
            groups[str(unit)] = (str(base), Decimal(str(size)))
    return prefixes, frozenset(str(u) for u in data["scaled"]), groups


@lru_cache(maxsize=4096)
def _base(unit: str) -> tuple[str, Decimal]:
    """A unit as (base unit, its size in base units)."""
    prefixes, scaled, groups = _table()
    if unit in groups:
        return groups[unit]
    for prefix in sorted(prefixes, key=len, reverse=True):
        rest = unit[len(prefix):]
        if unit.startswith(prefix) and rest and (rest in scaled or rest in groups):
            base, size = groups.get(rest, (rest, Decimal(1)))
            return base, size * prefixes[prefix]
    return unit, Decimal(1)


def sizes(source: str, target: str) -> tuple[Decimal, Decimal] | None:
    """(size of ``source``, size of ``target``) in their common base unit, or None when they do
    not compare. A quantity in ``source`` times the first equals one in ``target`` times the
    second: comparing so never divides (1 小时 is 1/24 天, which no decimal holds exactly)."""
    if source == target:
        return Decimal(1), Decimal(1)
    (a, size_a), (b, size_b) = _base(source), _base(target)
    return (size_a, size_b) if a == b else None


def conversion(source: str, target: str) -> Decimal | None:
    """How many ``target`` one ``source`` is (万亩 → 亩: 10000); None when they do not compare."""
    pair = sizes(source, target)
    return pair[0] / pair[1] if pair else None
