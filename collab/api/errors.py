"""Every API error as one JSON shape, in the request's language:
`{"detail": "...", "errors": {"field": ["why"]}}` (`errors` on 400 only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionRequired(exceptions.APIException):
    """A change without `If-Match` (428)."""

    status_code = 428
    default_detail = gettext_lazy(
        "This change needs the record's version: send the ETag of your last read as If-Match."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """A change whose `If-Match` is not the record's current version (412). Nothing saved."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Someone else changed this record since your read. Nothing was saved: read it again "
        "(its current version is in the ETag header) and repeat your change."
    )
    default_code = "precondition_failed"

    def __init__(self, etag: str) -> None:
        super().__init__()
        self.etag = etag


def field_errors(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail flattened to {"field" or "rows.0.field": [messages]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    flat.setdefault(prefix or "non_field_errors", []).append(str(item))
                elif item:
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        elif isinstance(value, list):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("Nothing was saved. Please correct the fields listed in errors."),
            "errors": field_errors(exc.detail),
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    else:
        response.data = {"detail": str(response.data)}
    if isinstance(exc, PreconditionFailed):
        response["ETag"] = exc.etag
    return response
