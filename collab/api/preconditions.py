"""Optimistic concurrency over HTTP: the `ETag` of a record is its version as the pages compute
it (collab.concurrency.state_digest, child rows included), so an edit made through the API and
one made in a page conflict with each other in both directions.

A change sends the ETag back as `If-Match`. Without one: 428 Precondition Required. With a stale
one: 412 Precondition Failed, the current version in the answer's ETag, nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from rest_framework.request import Request

from collab.api.errors import PreconditionFailed, PreconditionRequired
from collab.concurrency import state_digest


def etag(obj: models.Model, children: Iterable[str] = ()) -> str:
    """The record's strong ETag: its version digest, quoted."""
    return f'"{state_digest(obj, children)}"'


def offered_tags(header: str) -> list[str]:
    """The entity tags of an If-Match header, as sent (weak ones never match: RFC 9110 13.1.1
    compares strongly)."""
    return [part.strip() for part in header.split(",") if part.strip()]


def check_if_match(request: Request, locked: models.Model, children: Iterable[str] = ()) -> None:
    """Raise 428 or 412 unless the request's If-Match names `locked`'s current version.
    `locked` is the record fetched with select_for_update inside the saving transaction."""
    header = request.headers.get("If-Match", "")
    if not header.strip():
        raise PreconditionRequired()
    current = etag(locked, children)
    if current not in offered_tags(header[:1000]):
        raise PreconditionFailed(current)
