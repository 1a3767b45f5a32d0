from django import template

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
