"""The one family of API viewsets, on the same rules as the pages (collab.views):

- anonymous → 401 (with `WWW-Authenticate: Token`);
- signed in, but no right of the request's kind on any programme → 403;
- a record outside the user's rights → 404 (its existence is not revealed);
- a record the user may see but not change → 403 on a change.

Every queryset is `restrict(queryset, user, action)` (collab.permissions) before any filter,
prefetch or lookup runs; GET reads with the view right, writes with the coordinate right.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from collab.api import preconditions
from collab.api.throttling import AddressThrottle
from collab.permissions import Action, restrict, rights_root


def has_any_right(user: Any, action: Action) -> bool:
    if not user.is_authenticated:
        return False
    return restrict(rights_root()._default_manager.all(), user, action).exists()


class RestrictedViewSet(viewsets.GenericViewSet):
    """Declare `queryset` (a QuerySet method of the model), `serializer_class`,
    `filterset_class`, `cursor_ordering` (a unique ordering for the cursor), and
    `needs_program_right` False for reference data that every signed-in user reads.

    `prepare(queryset)` adds what the serializer needs (prefetches with restricted querysets,
    see `restricted()`); it runs on the restricted queryset.
    """

    cursor_ordering: ClassVar[str | tuple[str, ...]] = "-id"
    # Ids in URLs are digits (a bigint has at most 19): anything else never reaches a query.
    lookup_value_regex = r"[0-9]{1,18}"
    needs_program_right: ClassVar[bool] = True
    version_children: ClassVar[tuple[str, ...]] = ()
    write_methods: ClassVar[frozenset[str]] = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Per address before authentication, so that guessing keys is slowed down too.
        throttle = AddressThrottle()
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())
        super().initial(request, *args, **kwargs)
        if self.needs_program_right and not has_any_right(request.user, self.right()):
            if self.right() is Action.COORDINATE and has_any_right(request.user, Action.VIEW):
                raise exceptions.PermissionDenied(_("You do not coordinate any programme."))
            raise exceptions.PermissionDenied(_("You have no right to these records."))

    def right(self) -> Action:
        """The action the request needs on its rows."""
        if self.request.method in self.write_methods:
            return Action.COORDINATE
        return Action.VIEW

    def restricted(self, queryset: QuerySet, action: Action | None = None) -> QuerySet:
        return restrict(queryset, self.request.user, action or self.right())

    def get_queryset(self) -> QuerySet:
        return self.prepare(self.restricted(self.queryset.all(), Action.VIEW))

    def prepare(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_object(self) -> Model:
        # Not through the list's filters: an archived record is still readable by its URL, as
        # its page is.
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = self.get_queryset().filter(**lookup).first()
        if obj is None:
            raise exceptions.NotFound(_("Not found."))
        return obj

    def get_editable(self, queryset: QuerySet | None = None, *, lock: bool = False) -> Model:
        """The record of the URL for a change: 404 when the user cannot see it, 403 when they
        may see but not change it. `lock`: select_for_update (inside a transaction)."""
        base = self.queryset.model._default_manager.all() if queryset is None else queryset
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        editable = self.restricted(base, Action.COORDINATE)
        if lock:
            editable = editable.select_for_update()
        obj = editable.filter(**lookup).first()
        if obj is None:
            if self.restricted(base, Action.VIEW).filter(**lookup).exists():
                raise exceptions.PermissionDenied(_("You do not coordinate this programme."))
            raise exceptions.NotFound(_("Not found."))
        return obj

    def etag(self, obj: Model) -> str:
        return preconditions.etag(obj, self.version_children)

    def check_if_match(self, locked: Model) -> None:
        preconditions.check_if_match(self.request, locked, self.version_children)


class ReadOnlyRestrictedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet
):
    """List and read; a record's answer carries its version as a strong ETag when the model is
    one the API changes (`versioned`)."""

    versioned: ClassVar[bool] = False

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        if self.versioned:
            response["ETag"] = self.etag(instance)
        return response
