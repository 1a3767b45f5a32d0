"""Import notices: what the importer could not read or place, as data with permanent codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .document import Where
from .limits import MAX_NOTICES

Severity = Literal["error", "warning", "info"]

# Every notice code the importer emits, with its Chinese title.
CODES: dict[str, str] = {
    "unsupported-format": "不支持的文件格式",
    "unreadable-file": "文件无法读取",
    "file-too-large": "文件过大",
    "over-limit": "超出导入上限",
    "renamed-file": "扩展名与内容不符",
    "notices-truncated": "提示过多，未全部列出",
    "malformed-number": "数字格式有误",
    "not-a-number": "应为数字的单元格不是数字",
    "unit-converted": "数值按单位换算读取",
    "unplaced-text": "未归位的内容",
    "unknown-column": "未识别的列",
    "template-row": "模板占位行",
    "text-layout": "文本无法还原为表格",
    "form-not-found": "未找到表格",
    "unit-not-found": "未找到单位名称",
    "year-not-found": "未找到评价年度",
    "invalid-evaluation": "识别结果不完整",
}


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    where: str
    text: str | None = None
    paragraph: bool = False  # about a paragraph outside the tables (a signature line, a date)
    value: Decimal | None = None  # the figure read, when a figure was read (31..5 → 31.5)
    # The form the notice arose in, so that views can show it on that form.
    part: Literal["base_data", "department_evaluation", "scorecard", "project"] | None = None
    project: str | None = None

    @classmethod
    def at(cls, code: str, severity: Severity, where: Where | str, message: str, text: str | None = None, value: Decimal | None = None) -> Notice:
        assert code in CODES, code  # a new code must be declared (and documented) first
        paragraph = isinstance(where, Where) and where.paragraph is not None
        return cls(code=code, severity=severity, message=message, where=str(where), text=text, paragraph=paragraph, value=value)


_RANK = {"error": 0, "warning": 1, "info": 2}


def capped(notices: list[Notice], source: str, limit: int | None = None) -> list[Notice]:
    """At most ``limit`` notices (``limits.MAX_NOTICES``), errors first kept, the rest in their
    order; what is left out is counted in one more notice. A file of junk can raise a notice per
    cell, and half a million of them once made its page take minutes and 779 MB to show."""
    limit = MAX_NOTICES if limit is None else limit
    if len(notices) <= limit:
        return notices
    chosen = set(sorted(range(len(notices)), key=lambda i: (_RANK[notices[i].severity], i))[:limit])
    kept = [n for i, n in enumerate(notices) if i in chosen]
    left = [n for i, n in enumerate(notices) if i not in chosen]
    worst = min((n.severity for n in left), key=_RANK.__getitem__)
    message = f"{source}：另有 {len(left):,} 条提示未列出（每个文件最多列出 {limit:,} 条）"
    return kept + [Notice.at("notices-truncated", worst, source, message)]
