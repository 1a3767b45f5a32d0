from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
def cell_input(context, row, cell) -> str:
    """One form cell: a live input for those who may edit, else its value. A tag, not an
    included template: a city package has about 1,200 of them per page, and an include cost
    0.1 ms each. hx-include, hx-sync and hx-swap come from the #forms container."""
    if not context.get("can_edit"):
        return format_html('<span class="value {}">{}</span>', cell.kind, cell.shown)
    common = format_html(
        'name="value" aria-label="{} {}" data-path="{}" data-base="{}" hx-post="{}"',
        row.label, cell.label, cell.path, cell.value, context["edit_url"],
    )
    if cell.kind == "long":
        return format_html('<textarea class="cell {}" rows="1" {} {}>{}</textarea>', cell.width, common, mark_safe(LIVE), cell.value)
    if cell.kind == "select":
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((value, mark_safe(" selected") if value == cell.value else "", text) for value, text in cell.options),
        )
        return format_html('<select class="cell" {} hx-trigger="change">{}</select>', common, options)
    decimal = mark_safe(' inputmode="decimal"') if cell.kind == "number" else ""
    return format_html('<input class="cell {} {}" value="{}" {} {}{}>', cell.kind, cell.width, cell.value, common, mark_safe(LIVE), decimal)
