"""schema.org JSON-LD: built as Python data, serialised here, never written in a template.

`json_ld(data)` is the whole `<script type="application/ld+json">` element: `<`, `>` and `&` are
escaped as JSON unicode escapes (as Django's `json_script` does), so a text containing
`</script>` cannot close the element, and dates keep their ISO form. A data block is never
executed, so the Content Security Policy (no inline script) does not apply to it.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _default(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON-LD data")


def _pruned(value: Any) -> Any:
    """Drops empty values: schema.org readers take a missing property for unknown, an empty
    string for a value."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [item for item in (_pruned(item) for item in value) if item not in (None, "", {})]
    return value


def json_ld(data: dict[str, Any]) -> SafeString:
    """`data` (with `@context` added) as a JSON-LD script element for a page's head."""
    document = {"@context": "https://schema.org", **_pruned(data)}
    text = json.dumps(document, default=_default, ensure_ascii=False, indent=1)
    element = '<script type="application/ld+json">' + text.translate(_ESCAPES) + "</script>"
    return mark_safe(element)  # noqa: S308  (escaped just above)
