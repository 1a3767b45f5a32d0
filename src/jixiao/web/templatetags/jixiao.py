from html import escape

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.text import Truncator
from django.utils.safestring import mark_safe

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
    from ...audit import CHECKS

    return next((c.title for c in CHECKS if c.code == code), code)


LIVE = 'hx-trigger="change, keyup changed delay:600ms"'


@register.simple_tag(takes_context=True)
def grid_cell(context, row, cell) -> str:
    """What a form's grid cell holds: a fixed text, an input, or several labelled inputs. A tag,
    not template logic: a city package has about 1,200 cells a page, and each template lookup
    that misses (a text has no .path) costs Django a dir() of the object."""
    if isinstance(cell, str):
        return conditional_escape(cell)
    if isinstance(cell, Stack):
        return format_html_join("", '<label class="sub">{}{}</label>', ((sub.label, cell_input(context, row, sub)) for sub in cell.cells))
    return cell_input(context, row, cell)


def cell_input(context, row, cell) -> str:
    """One form cell: a live input for those who may edit, else its value. hx-include,
    hx-sync and hx-swap come from the #forms container. Built with html.escape, not
    format_html: its lazy-string wrappers were a fifth of a page's time."""
    if not context.get("can_edit"):
        return mark_safe(f'<span class="value {cell.kind}">{escape(cell.shown)}</span>')
    value = escape(cell.value)
    common = (f'name="value" aria-label="{escape(row.label)} {escape(cell.label)}" data-path="{escape(cell.path)}" '
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
        token = escape(str(context.get("csrf_token", "")))
        bits.append(f'<form method="post" action="{escape(context["edit_url"])}" class="offer">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
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
