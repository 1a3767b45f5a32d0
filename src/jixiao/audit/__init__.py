"""The audit: every check in a fixed, documented order, and the report every view reads."""

from __future__ import annotations

from . import agreement, arithmetic, completeness, history, hygiene, quality, rules
from .registry import Check

# Families in GUIDE §5 order; the registry is an immutable tuple built once.
# Completeness comes first: a blank package is told what it lacks before anything else;
# the comparison with last year's package comes last.
CHECKS: tuple[Check, ...] = (
    completeness.CHECKS + arithmetic.CHECKS + agreement.CHECKS + rules.CHECKS + quality.CHECKS + hygiene.CHECKS
    + history.CHECKS
)

FAMILIES = {
    "completeness": "完整性",
    "arithmetic": "表内计算",
    "agreement": "表间一致",
    "rules": "评分规则",
    "quality": "目标与佐证质量",
    "hygiene": "文字规范",
    "history": "与上年对照",
}
