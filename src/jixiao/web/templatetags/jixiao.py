from functools import lru_cache
from html import escape

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.text import Truncator
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from ..sheets import Stack

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict entry by a variable key, which Django's dot lookup cannot do."""
    return mapping.get(key) if hasattr(mapping, "get") else None


SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITY.get(severity, severity)


@register.filter
def check_title(code: str) -> str:
    """The Chinese title of an audit check, for people; the code stays for reference."""
    return _titles().get(code, code)


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    from ...audit import CHECKS

    return {c.code: c.title for c in CHECKS}


def _csrf_input(context) -> str:
    """What {% csrf_token %} renders, for the forms these tags build."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(context.get("csrf_token", "")))}">'


LIVE = 'hx-trigger="change, keyup changed delay:600ms"'


@register.simple_tag(takes_context=True)
def grid_cell(context, row, cell, column: str = "") -> str:
    """What a form's grid cell holds: a fixed text, an input, or several labelled inputs. A tag,
    not template logic: a city package has about 1,200 cells a page, and each template lookup
    that misses (a text has no .path) costs Django a dir() of the object."""
    if isinstance(cell, str):
        return conditional_escape(cell)
    if isinstance(cell, Stack):
        return format_html_join("", '<label class="sub">{}{}</label>', ((sub.label, cell_input(context, row, sub)) for sub in cell.cells))
    return cell_input(context, row, cell, column)


@register.simple_tag(takes_context=True)
def grid_body(context, grid) -> str:
    """A grid's header and rows; the loops in Python too (in the template, each header and row
    cost ~30 µs of lookups: a city package's part has some 400 of them)."""
    extra = "<th></th>" if context.get("can_edit") and grid.add else ""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in grid.headers)
    labelled = bool(grid.headers) and grid.headers[0] == ""  # a first column of row labels
    # a cell's column names it for screen readers and in "未保存（…）" (the header over it)
    columns = grid.headers[1:] if labelled else grid.headers
    rows = "".join(grid_row(context, grid, row, labelled, columns) for row in grid.rows)
    return mark_safe(f'<thead><tr>{head}<th class="side-h">核算与问题</th>{extra}</tr></thead>\n    <tbody>\n    {rows}\n    </tbody>')


def grid_row(context, grid, row, labelled: bool, columns: list[str]) -> str:
    """One form row: its label, cells, side cell, evidence and delete button, built in Python
    for the reason grid_cell is: the template loop around ~260 rows was most of a page's time."""
    bits = [f'<tr id="row-{escape(row.id)}">']
    if labelled:
        bits.append(f'<th scope="row">{escape(row.label)}</th>')
    bits.extend(f"<td>{grid_cell(context, row, cell, columns[i] if i < len(columns) else '')}</td>" for i, cell in enumerate(row.cells))
    bits.append(f"<td>{side_cell(context, row)}")
    if row.attachments:
        with context.push(items=row.attachments):
            bits.append(context.template.engine.get_template("web/_evidence.html").render(context))
    bits.append("</td>")
    if context.get("can_edit") and grid.add:
        bits.append("<td>")
        if row.remove:
            bits.append(f'<form method="post" action="{escape(context["remove_url"])}" data-confirm="删除这一行？">'
                        f'{_csrf_input(context)}'
                        f'<input type="hidden" name="path" value="{escape(row.remove)}">'
                        f'<input type="hidden" name="version" value="{context["evaluation"].version}">'
                        f'<input type="hidden" name="anchor" value="{escape(context["sheet"].anchor)}">'
                        '<button class="link" title="删除这一行">删除</button></form>')
        bits.append("</td>")
    bits.append("</tr>\n")
    return mark_safe("".join(bits))


def cell_input(context, row, cell, column: str = "") -> str:
    """One form cell: a live input for those who may edit, else its value. hx-include,
    hx-sync and hx-swap come from the #forms container. Built with html.escape, not
    format_html: its lazy-string wrappers were a fifth of a page's time."""
    if not context.get("can_edit"):
        return mark_safe(f'<span class="value {cell.kind}">{escape(cell.shown)}</span>')
    value = escape(cell.value)
    common = (f'name="value" aria-label="{escape(row.label)} {escape(cell.label or column)}" data-path="{escape(cell.path)}" '
              f'data-base="{value}" hx-post="{escape(context["edit_url"])}"')
    if cell.kind == "long":
        return mark_safe(f'<textarea class="cell {cell.width}" rows="1" {common} {LIVE}>{value}</textarea>')
    if cell.kind == "select":
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v == cell.value else ""}>{escape(text)}</option>' for v, text in cell.options
        )
        return mark_safe(f'<select class="cell" {common} hx-trigger="change">{options}</select>')
    decimal = ' inputmode="decimal"' if cell.kind == "number" else ""
    return mark_safe(f'<input class="cell {cell.kind} {cell.width}" value="{value}" {common} {LIVE}{decimal}>')


@register.simple_tag(takes_context=True)
def side_cell(context, row, oob: bool = False) -> str:
    """A row's computed figure, score with its explanation, import notices and findings; in
    Python for the reason grid_cell is (one per row, ~260 a page, and again in live replies)."""
    swap = ' hx-swap-oob="true"' if oob else ""
    bits = [f'<div id="side-{escape(row.id)}" class="side"{swap}>\n']
    if row.computed:
        bits.append(f'<span class="computed" title="按数据核算">{escape(str(row.computed))}</span>')
    if row.last_year:
        bits.append(f'<span class="last-year">{escape(row.last_year)}</span>')
    bits.append("\n")
    score = row.score
    if score:
        shown = f"{score.score} 分" if score.score is not None else "—"
        explanation = escape(score.explanation).replace("\n", "<br>")
        bits.append(f'<details class="explain"><summary class="score {score.status}" title="点击查看计算说明">{shown}</summary>'
                    f'<div class="pop">{explanation}</div></details>')
    bits.append("\n")
    if row.offer and context.get("can_edit"):
        path, value = (escape(str(v)) for v in row.offer)
        bits.append(f'<form method="post" action="{escape(context["edit_url"])}" class="offer">'
                    f'{_csrf_input(context)}'
                    f'<input type="hidden" name="path" value="{path}"><input type="hidden" name="value" value="{value}">'
                    f'<input type="hidden" name="version" value="{context["evaluation"].version}">'
                    f'<button class="link" title="填报的合计与各项得分之和不一致">改为各项得分之和 {value}</button></form>')
    bits.append("\n")
    for n in row.notices:
        bits.append(f'<span class="badge notice {escape(n.severity)}" title="{escape(n.where)}">导入提示：{escape(n.message)}</span>')
    bits.append("\n")
    waivers = context["analysis"].waivers
    for f in row.findings:
        waived = " waived" if f.fingerprint in waivers else ""
        short = escape(Truncator(f.message).chars(36))
        bits.append(f'<a class="badge {f.severity}{waived}" href="#f-{f.fingerprint}" title="{escape(f.message)}">'
                    f'{severity_label(f.severity)}：{short}</a>')
    bits.append("\n</div>\n")
    return mark_safe("".join(bits))


def _urls(context) -> dict[str, str]:
    """The package's finding form addresses, reversed once per page rather than per finding."""
    memo = context.render_context
    if "finding_urls" not in memo:
        pk = context["evaluation"].pk
        memo["finding_urls"] = {name: reverse(f"evaluation-{name}", args=[pk]) for name in ("waive", "unwaive", "comment")}
    return memo["finding_urls"]


@register.simple_tag(takes_context=True)
def finding_card(context, f) -> str:
    """One finding with its waiver, comments and forms; in Python for the reason grid_cell is
    (50 a page, and again in each live reply whose findings changed)."""
    urls, can_edit = _urls(context), context.get("can_edit")
    token = _csrf_input(context)
    fingerprint = escape(f.fingerprint)
    keep = f'<input type="hidden" name="fingerprint" value="{fingerprint}">'
    waiver = context["analysis"].waivers.get(f.fingerprint)
    at = (context.get("targets") or {}).get(f.fingerprint)
    locate = f' <a class="locate" href="{escape(at)}" title="在表格中找到这一行">定位</a>' if at else ""
    bits = [f'<article class="finding {escape(f.severity)}{" waived" if waiver else ""}" id="f-{fingerprint}">\n',
            f'  <header><span class="sev">{severity_label(f.severity)}</span> <span class="where">{escape(f.location.describe())}</span>{locate}</header>\n',
            f"  <p>{escape(f.message)}</p>\n  <p class=\"code\">{escape(check_title(f.code))} · {escape(f.code)}</p>\n"]
    if waiver:
        author = waiver.author.get_full_name() or waiver.author.username
        bits.append(f'  <p class="waiver">已说明：{escape(waiver.reason)}<br><small>{escape(author)} · {date_format(localtime(waiver.created), "Y-m-d H:i")}</small></p>\n')
        if can_edit:
            bits.append(f'<form method="post" action="{urls["unwaive"]}">{token}{keep}<button class="link">撤回说明</button></form>\n')
    elif can_edit:
        bits.append(f'  <details class="waive"><summary>不修改，说明理由</summary>\n    <form method="post" action="{urls["waive"]}">{token}{keep}'
                    '<textarea name="reason" rows="2" required minlength="4" placeholder="例如：该数据以批复文件为准"></textarea><button>保存说明</button></form>\n  </details>\n')
    comments = (context.get("comments_by_finding") or {}).get(f.fingerprint)
    if comments:
        template = context.template.engine.get_template("web/_comment.html")
        for c in comments:
            with context.push(c=c):
                bits.append(template.render(context))
    if context.get("can_comment"):
        bits.append(f'  <details class="comment-form"><summary>{"回复审核意见" if can_edit else "对此问题提意见"}</summary>\n'
                    f'    <form method="post" action="{urls["comment"]}">{token}{keep}<textarea name="text" rows="2" required></textarea><button>发表意见</button></form>\n  </details>\n')
    bits.append("</article>\n")
    return mark_safe("".join(bits))


@register.simple_tag
def evidence_options(sheet) -> str:
    """The rows of a table evidence can be attached to, as options of the upload form."""
    return mark_safe("".join(f'<option value="{escape(row.evidence)}">指标：{escape(Truncator(row.label).chars(30))}</option>'
                             for row in sheet.rows if row.evidence))
