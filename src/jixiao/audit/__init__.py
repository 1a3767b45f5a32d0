"""The audit: every check in a fixed, documented order, and the report every view reads."""

from __future__ import annotations

from . import agreement, arithmetic, hygiene, quality, rules
from .registry import Check

# Families in GUIDE §5 order; the registry is an immutable tuple built once.
CHECKS: tuple[Check, ...] = arithmetic.CHECKS + agreement.CHECKS + rules.CHECKS + quality.CHECKS + hygiene.CHECKS

FAMILIES = {
    "arithmetic": "表内计算",
    "agreement": "表间一致",
    "rules": "评分规则",
    "quality": "目标与佐证质量",
    "hygiene": "文字规范",
}
