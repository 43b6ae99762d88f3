"""Base classes for the apps' admins of domain models (reference data has `collab.admin`).

- `DomainAdmin`: the audit history visible (deleted records too), paged lists, and no change
  saved over somebody else's newer one (`collab.admin_audit`).
- `Inline`: a tabular inline that joins, once, what the `__str__` titling its rows reads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from collab.admin_audit import DeletedRecordsAdminMixin, VersionCheckAdminMixin
from collab.formsets import LimitedInlineFormSet


class DomainAdmin(VersionCheckAdminMixin, DeletedRecordsAdminMixin, SimpleHistoryAdmin):
    """A domain model: history visible (deleted records too), paged lists, and no change saved
    over somebody else's newer one (collab.admin_audit)."""

    list_per_page = 50


class Inline(admin.TabularInline):
    """A tabular inline whose rows are titled by `__str__`: join what that reads, once.

    With `max_num` set, more rows than that are refused with a message (not silently dropped),
    as on the application's own pages."""

    select_related: tuple[str, ...] = ()
    extra = 1
    formset = LimitedInlineFormSet

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if self.max_num is not None:
            kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset
