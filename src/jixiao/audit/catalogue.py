"""The findings catalogue, generated from the registry (docs/checks.md must equal it)."""

from __future__ import annotations

from . import CHECKS, FAMILIES

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def markdown() -> str:
    lines = [
        "# 审核检查目录 (audit checks)",
        "",
        "Generated from `jixiao.audit` by `jixiao checks`; a test fails when this file drifts.",
        "每项检查有永久代码；`jixiao audit --select/--skip` 可按代码或类别选择。",
        "",
    ]
    for family, title in FAMILIES.items():
        lines += [f"## {title}（`{family}`）", ""]
        for item in (c for c in CHECKS if c.family == family):
            lines += [
                f"### `{item.code}` — {item.title}",
                "",
                f"- 级别：{SEVERITY[item.severity]}（`{item.severity}`）",
                f"- 说明：{item.explanation}",
                f"- 容差：{item.tolerance}",
                "",
            ]
    lines += [
        "## 内部",
        "",
        "### `audit.check-failed` — 检查运行出错",
        "",
        "- 级别：错误（`error`）",
        "- 说明：某项检查自身出错时报告此项，其余检查照常进行。",
        "",
    ]
    return "\n".join(lines)
