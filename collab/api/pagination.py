"""Cursor pagination for every API list: the same cost at any depth (a WHERE on a unique,
indexed ordering, never an OFFSET), opaque `next`/`previous` links, a page size cap."""

from __future__ import annotations

from rest_framework import pagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class CursorPagination(pagination.CursorPagination):
    """Ordered by the viewset's `ordering`, which must be unique (e.g. `-id`, `code`, `slug`):
    DRF's cursor keeps the first ordering field's value and an offset among equal values, so a
    unique field keeps that offset at zero."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_ordering(self, request, queryset, view):  # type: ignore[override]
        ordering = getattr(view, "cursor_ordering", self.ordering)
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
