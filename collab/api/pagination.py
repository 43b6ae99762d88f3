"""Cursor pagination for every API list: the same cost at any depth (a WHERE on a unique,
indexed ordering, never an OFFSET), opaque `next`/`previous` links, a page size cap."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

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

    def get_page_size(self, request):  # type: ignore[override]
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not given.isdigit() or int(given) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Give a whole number of at least 1.")]}
            )
        return min(int(given), self.max_page_size)

    def decode_cursor(self, request):  # type: ignore[override]
        # DRF answers a cursor it cannot read with 404; it is a bad parameter, not a missing
        # record: 400, naming it.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("This is not a cursor of this list.")]}
            ) from None
