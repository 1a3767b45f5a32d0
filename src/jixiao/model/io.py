"""Reading and writing the JSON interchange document without passing figures through float."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..messages import error_text
from .evaluation import Evaluation


class DocumentError(ValueError):
    """A JSON document that is not a valid evaluation; the message is for the user."""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_evaluation(text: str, source: str = "<输入>") -> Evaluation:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{source}：第 {exc.lineno} 行第 {exc.colno} 列不是合法的 JSON（{exc.msg}）") from None
    try:
        return Evaluation.model_validate(data)
    except ValidationError as exc:
        lines = [f"{source}：不是合法的绩效自评材料，共 {exc.error_count()} 处问题："]
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"]) or "（根）"
            lines.append(f"  {where}：{error_text(err)}")
        raise DocumentError("\n".join(lines)) from None


def load_evaluation(path: str | Path) -> Evaluation:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}：无法读取（{exc}）") from None
    return parse_evaluation(text, str(path))


def dump_evaluation(evaluation: Evaluation) -> str:
    """Amounts are written as strings so that the digits the unit wrote survive the trip."""
    data = evaluation.model_dump(mode="python", exclude_none=True)
    return json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n"
