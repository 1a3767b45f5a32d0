"""Chinese wording for pydantic's validation errors: users never see the English ones."""

from __future__ import annotations

from typing import Any

_BY_TYPE = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "decimal_parsing": "不是有效的数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "int_parsing": "不是整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "literal_error": "取值不在允许范围内",
    "union_tag_not_found": "须写明评分方法 method",
    "too_short": "不能为空",
}


def error_text(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "literal_error":
        return f"取值不在允许范围内（可选：{ctx.get('expected', '')}）"
    if kind == "string_pattern_mismatch":
        return "格式不符（只能用小写英文字母、数字、连字符或下划线）"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return _BY_TYPE.get(kind, err["msg"])
