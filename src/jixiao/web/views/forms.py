"""Reading posted values: small, explicit, never trusting the browser."""

from __future__ import annotations

from django.http import QueryDict


def int_field(data: QueryDict, name: str, low: int, high: int) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw.isdigit():
        return None
    value = int(raw)
    return value if low <= value <= high else None


def version_of(data: QueryDict) -> int:
    """The version the form was loaded at; a missing one can never match, so it conflicts."""
    return int_field(data, "version", 1, 2**31) or 0


PAGE_SIZE = 50


def page_of(request, queryset):
    """One page of a list, never the whole of it; the documents themselves are not loaded, a
    list reads only the summaries stored beside them."""
    from django.core.paginator import Paginator

    return Paginator(queryset.defer("document", "notices"), PAGE_SIZE).get_page(request.GET.get("page"))
