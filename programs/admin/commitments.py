"""Admin for commitments, their spreadsheet import and their progress entries."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from collab.admin_base import DomainAdmin, Inline
from collab.templatetags.collab_tags import rupiah
from partners.admin import DirectoryImportMixin

from ..models import Commitment, CommitmentUpdate
from ..resources import CommitmentResource


def apply_update_status(update: CommitmentUpdate) -> None:
    """A new progress entry moves its commitment to the reported status.

    The admin saves the entry through its own form, so it cannot call
    `services.record_commitment_update`; this keeps the same rule.
    """
    commitment = update.commitment
    if commitment.status != update.status:
        commitment.status = update.status
        commitment.save(update_fields=["status", "updated_at"])


class CommitmentUpdateInline(Inline):
    model = CommitmentUpdate
    fields = ("status", "progress", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    select_related = ("commitment__partner", "created_by")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Commitment)
class CommitmentAdmin(DirectoryImportMixin, DomainAdmin):
    resource_classes = [CommitmentResource]
    import_template_name = "admin/programs/commitment_import.html"
    list_display = (
        "title",
        "program",
        "partner",
        "kind",
        "amount_display",
        "starts_on",
        "due_on",
        "status",
    )
    list_filter = ("status", "kind", "program")
    list_select_related = ("program", "partner")
    date_hierarchy = "due_on"
    search_fields = ("title", "description", "partner__name", "partner__acronym", "program__name")
    autocomplete_fields = ("program", "partner", "meeting", "site", "agreement")
    inlines = (CommitmentUpdateInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Commitment]:
        # `__str__` names the partner, which autocomplete results read too. (A queryset that
        # already selects related rows makes the changelist skip `list_select_related`.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import only adds commitments; it never changes one.
        return self.has_add_permission(request)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: Commitment) -> str:
        return rupiah(obj.amount)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not CommitmentUpdate:
            super().save_formset(request, form, formset, change)
            return
        updates = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for update in updates:
            is_new = update.pk is None
            if is_new:
                update.created_by = request.user
            update.save()
            if is_new:
                apply_update_status(update)


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(DomainAdmin):
    list_display = ("commitment", "status", "progress", "created_by", "created_at")
    list_filter = ("status", "commitment__program")
    list_select_related = ("commitment__partner", "created_by")
    date_hierarchy = "created_at"
    search_fields = ("note", "commitment__title", "commitment__partner__name")
    autocomplete_fields = ("commitment",)
    readonly_fields = ("created_by", "created_at")

    def save_model(
        self, request: HttpRequest, obj: CommitmentUpdate, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            apply_update_status(obj)
