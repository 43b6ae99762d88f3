"""Admin for agreements with their signatories and clauses; the signed scan stays private."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget, ForeignKeyRawIdWidget
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from collab.admin_base import DomainAdmin, Inline

from ..forms.agreements import AGREEMENT_ROW_LIMIT
from ..models import Agreement, Clause, Signatory
from ..services.agreements import check_pdf_scan, file_sha256


class CheckedFile:
    """What the file widget shows of a private scan: its name, linked to a checked view."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    def __str__(self) -> str:
        return self.name


class PrivateFileWidget(AdminFileWidget):
    """The signed scan has no public URL (private storage): link a permission-checked page.

    Django's widget asks the file for `.url`, which private storage refuses with an error.
    """

    def is_initial(self, value: Any) -> bool:
        return bool(value and getattr(value, "name", ""))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = CheckedFile(value.name, agreement_document_url(value))
        return context


def agreement_document_url(value: Any) -> str:
    """The scan's permission-checked URL; the agreement's page while that view is missing."""
    pk = getattr(getattr(value, "instance", None), "pk", None)
    if pk is None:
        return ""
    for name in ("programs:agreement_document", "programs:agreement_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


class AgreementAdminForm(forms.ModelForm):
    """Checks an uploaded scan is a PDF and records its SHA-256 (the model's audit checksum)."""

    class Meta:
        model = Agreement
        fields = (
            "program",
            "kind",
            "number",
            "title",
            "signed_on",
            "signed_at",
            "effective_from",
            "expires_on",
            "status",
            "meeting",
            "document",
            "scan_is_public",
        )
        widgets = {"document": PrivateFileWidget}

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            # The same size and PDF rule as the coordinators' agreement form.
            check_pdf_scan(document)
            self.instance.document_sha256 = file_sha256(document)
        elif not document:
            self.instance.document_sha256 = ""
        return document


class SignatoryInline(Inline):
    model = Signatory
    max_num = AGREEMENT_ROW_LIMIT  # as on the agreement page
    fields = ("order", "partner", "signer_name", "signer_position", "signed_on")
    select_related = ("partner",)
    autocomplete_fields = ("partner",)
    ordering = ("order", "id")


class ClauseForm(forms.ModelForm):
    """A clause's section must be another clause of the same agreement, and no loop."""

    class Meta:
        model = Clause
        fields = ("agreement", "parent", "number", "text", "order")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parent: Clause | None = cleaned.get("parent")
        if parent is None:
            return cleaned
        agreement = cleaned.get("agreement") or getattr(self.instance, "agreement", None)
        if agreement is not None and parent.agreement_id != agreement.pk:
            self.add_error("parent", _("The section must belong to the same agreement."))
            return cleaned
        ancestor: Clause | None = parent
        while ancestor is not None and self.instance.pk is not None:
            if ancestor.pk == self.instance.pk:
                self.add_error("parent", _("A clause cannot be placed inside itself."))
                break
            ancestor = ancestor.parent
        return cleaned


class SectionWidget(ForeignKeyRawIdWidget):
    """A clause's section as that clause's id, typed in or picked in a lookup limited to the
    agreement's clauses. A select on every row listed every clause: at the row limit, 300 rows
    of 301 options, 7.9 MB of page. The rows' section labels are read once for the formset."""

    def __init__(self, rel: Any, admin_site: admin.AdminSite, agreement_id: int, labels: dict):
        super().__init__(rel, admin_site)
        self.agreement_id = agreement_id
        self.labels = labels

    def url_parameters(self) -> dict[str, str]:
        return {**super().url_parameters(), "agreement__id__exact": str(self.agreement_id)}

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        label = self.labels.get(str(value))
        if label is None:
            return "", ""
        url = reverse(
            "admin:programs_clause_change", args=[value], current_app=self.admin_site.name
        )
        return label, url


class ClauseInline(Inline):
    model = Clause
    max_num = AGREEMENT_ROW_LIMIT  # as on the agreement page
    form = ClauseForm
    fields = ("order", "number", "parent", "text")
    raw_id_fields = ("parent",)  # with SectionWidget below
    ordering = ("order",)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name != "parent":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        object_id = str(
            (request.resolver_match.kwargs if request.resolver_match else {}).get("object_id", "")
        )
        if not object_id.isdigit():
            # A new agreement has no clause yet to be a section of.
            kwargs["queryset"] = Clause.objects.none()
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        sections = Clause.objects.filter(agreement_id=object_id)
        # Read once for the formset, not once per row that has a section.
        labels = {str(clause.pk): str(clause) for clause in sections.order_by("order")}
        kwargs["queryset"] = sections
        kwargs["widget"] = SectionWidget(
            db_field.remote_field, self.admin_site, int(object_id), labels
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Agreement)
class AgreementAdmin(DomainAdmin):
    form = AgreementAdminForm
    list_display = (
        "title",
        "number",
        "program",
        "kind",
        "signed_on",
        "effective_from",
        "expires_on",
        "status",
        "has_document",
    )
    list_filter = ("status", "kind", "program")
    list_select_related = ("program",)
    date_hierarchy = "signed_on"
    search_fields = ("title", "number", "signed_at", "program__name")
    autocomplete_fields = ("program", "meeting")
    readonly_fields = ("document_sha256",)
    inlines = (SignatoryInline, ClauseInline)

    @admin.display(description=_("signed scan"), boolean=True)
    def has_document(self, obj: Agreement) -> bool:
        return bool(obj.document)

    @admin.display(description=_("signed scan (PDF)"))
    def document_file(self, obj: Agreement) -> str:
        return obj.document.name if obj.document else "—"

    def get_readonly_fields(self, request: HttpRequest, obj: Agreement | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_change_permission(request, obj):
            readonly.append("document_file")
        return readonly

    def get_fields(self, request: HttpRequest, obj: Agreement | None = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        # Read-only display would link `document.url`, which private storage refuses.
        if not self.has_change_permission(request, obj) and "document" in fields:
            fields.remove("document")
        return fields


@admin.register(Signatory)
class SignatoryAdmin(DomainAdmin):
    list_display = ("signer_name", "signer_position", "partner", "agreement", "signed_on")
    list_filter = ("agreement__program",)
    list_select_related = ("partner", "agreement")
    search_fields = ("signer_name", "signer_position", "partner__name", "agreement__title")
    autocomplete_fields = ("agreement", "partner")


@admin.register(Clause)
class ClauseAdmin(DomainAdmin):
    form = ClauseForm
    list_display = ("agreement", "order", "number", "text", "parent")
    list_filter = ("agreement__program",)
    list_select_related = ("agreement", "parent")
    search_fields = ("number", "text", "agreement__title")
    autocomplete_fields = ("agreement", "parent")
    ordering = ("agreement", "order")
