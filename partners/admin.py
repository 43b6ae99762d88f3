"""Admin for the partner directory: partners with their contacts, and spreadsheet import of both."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result
from import_export.tmp_storages import MediaStorage
from simple_history.admin import SimpleHistoryAdmin
from tablib import Dataset

from collab.imports import SpreadsheetResource
from collab.models import Region

from .models import Contact, Partner
from .resources import ContactResource, PartnerResource


class ProvinceListFilter(admin.SimpleListFilter):
    """Partners in a province or anywhere under it: Kemendagri codes nest by prefix."""

    title = _("province")
    parameter_name = "province"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(
            Region.objects.filter(level=Region.Level.PROVINCE)
            .order_by("name")
            .values_list("code", "name")
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if not code:
            return queryset
        # The dot keeps province "1" (were there one) from matching "11.xx".
        return queryset.filter(Q(region__code=code) | Q(region__code__startswith=f"{code}."))


class SpreadsheetCSV(CSV):
    """CSV as spreadsheets save it here: a comma-decimal locale (Indonesian Excel) writes ";"."""

    def create_dataset(self, in_stream: str | bytes, **kwargs: Any) -> Dataset:
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        header = in_stream.lstrip("\ufeff").split("\n", 1)[0]
        if header.count(";") > header.count(","):
            kwargs.setdefault("delimiter", ";")
        return super().create_dataset(in_stream, **kwargs)


class DirectoryImportMixin(ImportMixin):
    """Spreadsheet import with the dry-run preview, for admins who may add and change rows."""

    import_formats = [SpreadsheetCSV, XLSX]
    import_template_name = "admin/partners/import.html"
    # The upload waits between preview and confirm; in storage behind Django's storage API it
    # survives the confirm request landing on another app server (DESIGN: stateless servers).
    tmp_storage_class = MediaStorage

    def has_import_permission(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and (
            request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_import_context_data(**kwargs)
        resource: type[SpreadsheetResource] = self.resource_classes[0]
        context["accepted_headers"] = resource.accepted_headers()
        context["choice_help"] = resource.choice_help()
        return context

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        # The confirm step re-reads the stored file; if it no longer passes, the resource has
        # rolled everything back: say so instead of "Import finished: 0 new".
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _("Nothing was imported: the file no longer passes the checks. Upload it again."),
            )
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "position", "email", "phone")
    extra = 1


@admin.register(Partner)
class PartnerAdmin(DirectoryImportMixin, SimpleHistoryAdmin):
    resource_classes = [PartnerResource]
    list_display = ("name", "acronym", "pillar", "kind", "region", "parent", "is_active")
    list_filter = ("pillar", "kind", "is_active", ProvinceListFilter)
    list_select_related = ("region", "parent")
    search_fields = ("name", "acronym", "email")
    autocomplete_fields = ("parent", "region")
    inlines = (ContactInline,)
    # People type "www.…"; Django 6 assumes https anyway.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "acronym", "pillar", "kind", "parent", "is_active")}),
        (_("Contact details"), {"fields": ("region", "address", "website", "email", "phone")}),
        (None, {"fields": ("description",)}),
    )


@admin.register(Contact)
class ContactAdmin(DirectoryImportMixin, SimpleHistoryAdmin):
    resource_classes = [ContactResource]
    list_display = ("name", "position", "partner", "email", "phone")
    list_filter = ("partner__pillar",)
    list_select_related = ("partner",)
    search_fields = ("name", "position", "email", "partner__name", "partner__acronym")
    autocomplete_fields = ("partner",)
