"""Template helpers: rupiah amounts, query strings for pagination, status colours, the form
owner mark."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from collab.numbers import grouped
from collab.rescue import OWNER_FIELD, owner_mark

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """`1500000` → `Rp 1.500.000` (Indonesian grouping whatever the interface language)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    whole = grouped(int(amount))
    cents = abs(amount) % 1
    if cents:
        return f"Rp {whole},{int(cents * 100):02d}"
    return f"Rp {whole}"


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (e.g. another page)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + urlencode(sorted(query.lists()), doseq=True)


STATUS_COLOURS = {
    "active": "success",
    "signed": "success",
    "fulfilled": "success",
    "done": "success",
    "in_progress": "primary",
    "planned": "secondary",
    "pledged": "info",
    "proposed": "secondary",
    "draft": "secondary",
    "completed": "dark",
    "expired": "dark",
    "cancelled": "danger",
    "terminated": "danger",
    "dropped": "danger",
    "suspended": "warning",
}


@register.filter
def status_colour(value: str) -> str:
    return STATUS_COLOURS.get(value, "secondary")


@register.simple_tag(takes_context=True)
def form_owner(context: dict[str, Any]) -> str:
    """The hidden field that lets a form posted after the session ended be kept for its user
    (collab.rescue); nothing for anonymous visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', OWNER_FIELD, owner_mark(user))
