"""Reading and writing the JSON interchange document without passing figures through float."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from ..messages import error_text
from .evaluation import Evaluation


class DocumentError(ValueError):
    """A JSON document that is not a valid evaluation; the message is for the user."""


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


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def dump_evaluation(evaluation: Evaluation) -> str:
    """Amounts are written as strings (pydantic writes a Decimal as its str()) so that the
    digits the unit wrote survive the trip."""
    try:
        return evaluation.model_dump_json(exclude_none=True, indent=2) + "\n"
    except PydanticSerializationError:
        # A lone surrogate (a JSON "\\ud800" escape read back) has no UTF-8 form: it becomes U+FFFD.
        return dump_evaluation(Evaluation.model_validate(_without_surrogates(evaluation.model_dump())))
