"""The audit report in the terminal (rich), grouped by severity and part."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..audit.finding import PARTS
from ..audit.report import AuditReport

SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "dim")}


def audit_view(report: AuditReport) -> Group:
    parts: list = [Text(f"{report.unit}　{report.fiscal_year} 年度　{report.source}", style="bold underline")]
    counts = "　".join(f"{SEVERITY[k][0]} {v}" for k, v in report.stats.items())
    parts.append(Text(counts, style="bold"))
    for severity, (label, style) in SEVERITY.items():
        mine = [f for f in report.findings if f.severity == severity]
        if not mine:
            continue
        table = Table(title=f"{label}（{len(mine)}）", title_justify="left", title_style=style, show_lines=False)
        for header in ("部分", "位置", "问题", "检查"):
            table.add_column(header, overflow="fold")
        for part in PARTS:
            for finding in (f for f in mine if f.location.part == part):
                where = finding.location.describe().split(" › ", 1)
                table.add_row(PARTS[part], where[1] if len(where) > 1 else "", finding.message, Text(finding.code, style="dim"))
        parts.append(table)
    if report.not_checked:
        skipped = Table(title="未能检查", title_justify="left")
        skipped.add_column("检查")
        skipped.add_column("原因")
        for item in report.not_checked:
            skipped.add_row(item.code, item.reason)
        parts.append(skipped)
    rescore = Table(title="按评分规则重新核算", title_justify="left")
    for header in ("表", "填报总分", "核算总分", "填报等级", "核算等级", "按数据核算"):
        rescore.add_column(header)
    tables = ([report.rescore.department] if report.rescore.department else []) + report.rescore.projects
    for table in tables:
        changed = "bold red" if table.stated_total is not None and table.total != table.stated_total else ""
        rescore.add_row(table.name, str(table.stated_total or "—"), Text(table.total_shown, style=changed), table.stated_grade or "—", table.grade_shown, table.coverage.describe())
    parts.append(rescore)
    return Group(*parts)
