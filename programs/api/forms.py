"""A JSON write turned into the page's own forms, so the API validates and resolves every
related id exactly as the pages do (choices restricted through collab.permissions.restrict)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict


def as_form_value(value: Any) -> str:
    """A validated JSON value as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def form_data(values: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    return {f"{prefix}{name}": as_form_value(value) for name, value in values.items()}


def formset_data(prefix: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """New rows of an inline formset, with its management form."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update(form_data(row, f"{prefix}-{index}-"))
    return data


def query_dict(data: Mapping[str, str]) -> QueryDict:
    bound = QueryDict(mutable=True)
    for key, value in data.items():
        bound[key] = value
    return bound


def errors_of(form: forms.BaseForm, renamed: Mapping[str, str] | None = None) -> dict[str, list]:
    """A form's errors by API field name (`non_field_errors` for the form's own)."""
    errors: dict[str, list] = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == "__all__" else (renamed or {}).get(name, name)
        errors.setdefault(key, []).extend(str(message) for message in messages)
    return errors


def formset_errors(prefix: str, formset: Iterable[forms.BaseForm] | Any) -> dict[str, list]:
    errors: dict[str, list] = {}
    for message in formset.non_form_errors():
        errors.setdefault(prefix, []).append(str(message))
    for index, row in enumerate(formset.forms):
        for name, messages in errors_of(row).items():
            key = f"{prefix}.{index}" if name == "non_field_errors" else f"{prefix}.{index}.{name}"
            errors.setdefault(key, []).extend(messages)
    return errors
