"""Findings as data (GUIDE §5): what rule, where, which figures, what the right value is."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field

Severity = Literal["error", "warning", "info"]
Part = Literal["base_data", "department_evaluation", "scorecard", "project", "narrative", "package", "import"]
PARTS = {
    "base_data": "基础数据表",
    "department_evaluation": "部门整体支出绩效自评表",
    "scorecard": "评分表",
    "project": "项目支出绩效自评表",
    "narrative": "自评报告",
    "package": "整体",
    "import": "导入",
}


# How evidence keys read on the forms; views show these, JSON keeps the keys.
EVIDENCE = {
    "stated": "填报值", "numerator": "分子", "denominator": "分母", "sum": "各项之和", "total": "合计",
    "parts": "明细之和", "items": "明细之和", "listed": "所列合计", "projects": "项目数", "executed": "全年执行数",
    "full_year_budget": "全年预算数", "initial_budget": "年初预算数", "target": "年度指标值", "actual": "实际完成值",
    "indicators": "指标数", "project_table": "项目表", "base_data": "基础数据表", "base_rows": "基础数据表中的行",
    "department_table": "部门整体自评表", "terms": "项数", "narrative": "自评报告", "label": "报告原文",
    "points": "分值", "score": "得分", "stated_score": "填报得分", "value": "指标值", "target_actual": "目标与实际",
    "rubric": "评分规则", "criteria_points": "评价标准所写分数", "stated_grade": "填报等级", "stated_total": "填报总分",
    "level2": "二级指标", "text": "原文", "year": "出现的年份", "fiscal_year": "评价年度", "said": "文中数量",
    "notice": "导入提示", "check": "检查", "error": "错误", "project": "项目",
}


def evidence_label(key: str) -> str:
    return EVIDENCE.get(key, key)


class Location(BaseModel):
    model_config = ConfigDict(frozen=True)

    part: Part
    project: str | None = None
    row: str | None = None
    column: str | None = None
    indicator: str | None = None
    section: str | None = None

    def describe(self, within: bool = False) -> str:
        """Where, as the forms name it; ``within`` leaves out the part and project a view
        already shows as the heading of the group."""
        bits = [] if within else [PARTS[self.part], self.project]
        bits += [self.section, self.indicator, self.row, self.column]
        return " › ".join(b for b in bits if b) or PARTS[self.part]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Finding(BaseModel):
    """One problem. The fingerprint (check, location, figures) is stable across re-imports,
    so that a reviewer's waiver survives as long as the figures it waived do."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    location: Location
    evidence: dict[str, Any] = Field(default_factory=dict)
    expected: Any = None

    # Computed on first use and kept: a page asks each finding for it several times.
    _fingerprint: str | None = PrivateAttr(None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fingerprint(self) -> str:
        # Read from the private dict directly: ``self._fingerprint`` takes pydantic's
        # __getattr__, and a page asks each finding for its fingerprint a dozen times.
        known = self.__pydantic_private__["_fingerprint"]
        if known is not None:
            return known
        basis = json.dumps(
            {"code": self.code, "location": self.location.model_dump(), "evidence": _plain(self.evidence)},
            ensure_ascii=False,
            sort_keys=True,
        )
        known = self._fingerprint = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
        return known

    def __eq__(self, other: object) -> bool:
        # whether the fingerprint has been asked for yet is no part of the finding
        if not isinstance(other, Finding):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(self.fingerprint)


class NotChecked(BaseModel):
    """A check that could not run on this package, and why: never a silent pass."""

    model_config = ConfigDict(frozen=True)

    code: str
    reason: str
    location: Location | None = None
