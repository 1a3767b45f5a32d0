"""The audit report as one self-contained HTML page a reviewer can open offline and print."""

from __future__ import annotations

from html import escape
from typing import Any

from ..audit.finding import PARTS, Finding, evidence_label
from ..audit.report import AuditReport, TableRescore

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #444;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}.meta{color:#555}
.stats span{display:inline-block;margin-right:1.5em;font-weight:bold}
.error{color:#b00020}.warning{color:#a05a00}.info{color:#555}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:.92em}
th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}th{background:#eee}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.finding{border-left:4px solid #999;padding:.3em .8em;margin:.5em 0;page-break-inside:avoid}
.finding.error{border-color:#b00020}.finding.warning{border-color:#e0a030}.finding.info{border-color:#aaa}
.finding .msg{color:#222}.finding code{font-size:.85em;color:#666}.evidence{font-size:.85em;color:#444}
.changed{background:#fff0f0}
.undetermined{color:#b71c1c;font-weight:bold}
@media print{body{margin:0;max-width:none}a{color:inherit}}
"""


def _value(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _finding(finding: Finding) -> str:
    evidence = "；".join(f"{escape(evidence_label(k))}：{_value(v)}" for k, v in finding.evidence.items())
    expected = f"<div class='evidence'>应为：<b>{_value(finding.expected)}</b></div>" if finding.expected is not None else ""
    return (
        f"<div class='finding {finding.severity}'><div><b class='{finding.severity}'>{SEVERITY[finding.severity]}</b> "
        f"{escape(finding.location.describe(within=True))} <code>{escape(finding.code)}</code></div>"
        f"<div class='msg'>{escape(finding.message)}</div>"
        f"<div class='evidence'>依据：{evidence}</div>{expected}</div>"
    )


def _rescore(table: TableRescore) -> str:
    rows = []
    for item in table.indicators:
        changed = " class='changed'" if item.score is not None and item.stated_score is not None and item.score != item.stated_score else ""
        rows.append(
            f"<tr{changed}><td>{escape(item.name)}</td><td class='num'>{_value(item.points)}</td>"
            f"<td class='num'>{_value(item.stated_score)}</td><td class='num'>{_value(item.score)}</td><td>{escape(item.status)}</td></tr>"
        )
    head = (
        f"<p>填报总分 <b>{_value(table.stated_total) or '（未填）'}</b>（{_value(table.stated_grade) or '—'}）；"
        f"按评分规则核算 <b>{escape(table.total_shown)}</b>（{escape(table.grade_shown)}）；{escape(table.coverage.describe())}</p>"
    )
    if table.undetermined:
        head += f"<p class='undetermined'>{escape(table.undetermined)}</p>"
    return head + "<table><tr><th>指标</th><th>分值</th><th>填报得分</th><th>核算得分</th><th>方式</th></tr>" + "".join(rows) + "</table>"


def _group(findings: list[Finding], heading: str) -> str:
    if not findings:
        return ""
    return f"<h3>{escape(heading)}（{len(findings)}）</h3>" + "".join(_finding(f) for f in findings)


def audit_html(report: AuditReport) -> str:
    body = [
        f"<h1>绩效自评材料审核报告</h1><p class='meta'>{escape(report.unit)}　{report.fiscal_year} 年度　来源：{escape(report.source)}</p>",
        "<p class='stats'>" + "".join(f"<span class='{k}'>{SEVERITY[k]} {v}</span>" for k, v in report.stats.items()) + "</p>",
        "<h2>发现的问题</h2>",
    ]
    if not report.findings:
        body.append("<p>未发现问题。</p>")
    for part, title in PARTS.items():
        mine = [f for f in report.findings if f.location.part == part]
        projects = list(dict.fromkeys(f.location.project for f in mine))
        for project in projects:
            body.append(_group([f for f in mine if f.location.project == project], f"{title}" + (f"：{project}" if project else "")))
    if report.not_checked:
        body.append("<h2>未能检查的项目</h2><table><tr><th>检查</th><th>原因</th></tr>")
        body += [f"<tr><td><code>{escape(n.code)}</code></td><td>{escape(n.reason)}</td></tr>" for n in report.not_checked]
        body.append("</table>")
    body.append("<h2>按评分规则重新核算</h2>")
    if report.rescore.department is not None:
        body += [f"<h3>部门整体：{escape(report.rescore.department.name)}</h3>", _rescore(report.rescore.department)]
    for project in report.rescore.projects:
        body += [f"<h3>项目：{escape(project.name)}</h3>", _rescore(project)]
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>审核报告 {escape(report.unit)} {report.fiscal_year}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
