"""Findings as data (GUIDE §5): what rule, where, which figures, what the right value is."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

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


class Location(BaseModel):
    model_config = ConfigDict(frozen=True)

    part: Part
    project: str | None = None
    row: str | None = None
    column: str | None = None
    indicator: str | None = None
    section: str | None = None

    def describe(self) -> str:
        bits = [PARTS[self.part]]
        for value in (self.project, self.section, self.indicator, self.row, self.column):
            if value:
                bits.append(value)
        return " › ".join(bits)


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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fingerprint(self) -> str:
        basis = json.dumps(
            {"code": self.code, "location": self.location.model_dump(), "evidence": _plain(self.evidence)},
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


class NotChecked(BaseModel):
    """A check that could not run on this package, and why: never a silent pass."""

    model_config = ConfigDict(frozen=True)

    code: str
    reason: str
    location: Location | None = None
